"""QUnit's failure report as headless-browser runners print it.

QUnit runs in a browser; a CI job reaches it through a small harness (PhantomJS, Chrome
via puppeteer or the DevTools protocol) that registers QUnit's ``moduleDone``,
``testDone`` and ``log`` callbacks and, when the run ends, prints every failure grouped
by module::

    Module Failed: Acceptance: Admin
      Test Failed: adds a word
        Assertion Failed: TypeError: x is undefined
          Expected: true, Actual: false
        Assertion Failed: Element .words not found.

No line of that report carries a test runner's usual words (``FAIL``, ``failing``,
``not ok``), so without this extractor the failing tests go unnamed and the job reads as
an unknown failure. QUnit names a test by its module and its own name; the id is
``module::name``, as these harnesses print each test when it starts. The message is the
test's first failed assertion (the first one is the cause; the rest usually follow from
it). The trace of an in-browser failure points into the served bundle, so no location.

The other harnesses' reports are here too, each read into the same ``module::name``:
the PhantomJS runner (QUnit 1.x ``addons/phantomjs/runner.js`` and the Chrome ports of
it) prints ``Test failed: <module>: <name>`` then ``    Failed assertion: …``; node-qunit
(``qunit`` on npm before 2.0, ``lib/log.js``) ``Module: <m> Test: <t>`` under
``Errors:``; node-qunit-puppeteer (``index.js``: ``printOutput``/``printFailedTests``)
groups each test under ``Module: <m>`` with ``Status: failed`` and a ``Result: false, …``
line per assertion; grunt-contrib-qunit (``tasks/qunit.js``) prints each failed test's
full name then ``Message:``/``Actual:``/``Expected:``, every line behind grunt's ``>> ``.
QUnit's TAP (its CLI, testem, ember-cli) is in :mod:`bot.diagnose.extract_qunit_tap`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, clip_message, js_frame_location

# a module name that is a single word before ``: `` is the first half of a two-part module
# name (Discourse's ``acceptance()`` modules: ``Acceptance: Admin - Badges``)
_ONE_WORD = re.compile(r"^[\w-]+$")


def qunit_id(module: str | None, name: str) -> str:
    """``module::name``, the id QUnit's own harnesses print; a test outside any module
    (node-qunit prints ``undefined``) is its name alone."""
    module = (module or "").strip()
    if module in ("", "undefined", "null"):
        return name.strip()
    return f"{module}::{name.strip()}"


def split_full_name(full: str, separator: str) -> str:
    """A runner's joined ``module<sep>name`` as ``module::name``.

    QUnit 2's ``fullName`` joined by `` > `` (TAP, grunt-contrib-qunit 4+) splits at the
    last separator: a nested module's name is its parents' names joined the same way.
    ``module + ': ' + name`` (testem, the PhantomJS runner) and ``module + ' - ' + name``
    (grunt-contrib-qunit before 4) split at the first, unless the part before it is one
    word and another separator follows (``Acceptance: Admin: shows badges``: the module
    is ``Acceptance: Admin``)."""
    full = full.strip()
    if separator == " > ":
        module, _, name = full.rpartition(separator)
        return qunit_id(module, name) if module else full
    module, _, name = full.partition(separator)
    if not name:
        return full
    if _ONE_WORD.match(module) and separator in name:
        rest, _, name = name.partition(separator)
        module = f"{module}{separator}{rest}"
    return qunit_id(module, name)


_MODULE = re.compile(r"^Module Failed: (\S.*?)\s*$")
_TEST = re.compile(r"^ +Test Failed: (\S.*?)\s*$")
_ASSERTION = re.compile(r"^ +Assertion Failed:(.*)$")
# ``Expected: true, Actual: false`` (one line) or ``Expected: …`` then ``Actual: …``
_EXPECTED = re.compile(r"^ +Expected: ")


class DiscourseReport(Extractor):
    """An extractor that reads Discourse's report (``run-qunit.js``), whose entries both the
    report reader and the progress reader (``extract_qunit_progress``) parse."""

    def __init__(self) -> None:
        super().__init__()
        self.want_expected = False  # an assertion without a message: its values say it

    def read_assertion(self, test: str, text: str, number: int) -> bool:
        """One line of ``test``'s entry under ``Test Failed: name``: ``Assertion Failed: msg``
        is its message, or, when that is empty, the ``Expected: …`` line below it. False
        when ``text`` ends the report (an unindented line: the summary, a runner's)."""
        m = _ASSERTION.match(text)
        if m:
            message = m.group(1).strip()
            self.want_expected = not message
            if message:
                self.note(test, message=message, line=number, raw=text)
        elif self.want_expected and _EXPECTED.match(text):
            self.want_expected = False
            self.note(test, message=text.strip(), line=number, raw=text)
        elif text.strip() and not text.startswith(" "):
            return False
        return True


class QUnit(DiscourseReport):
    """Each ``Test Failed:`` under its ``Module Failed:``; its first assertion's text."""

    name = "qunit"
    triggers = (r"^Module Failed: \S", r"^ +Test Failed: \S", r"^ +Assertion Failed:")
    follow = (r"^ +Test Failed: \S",)

    def __init__(self) -> None:
        super().__init__()
        self.module: str | None = None
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = _MODULE.match(text)
        if m:
            self.module, self.test = m.group(1), None
            return
        if self.module is None:
            return
        m = _TEST.match(text)
        if m:
            self.test = f"{self.module}::{m.group(1)}"
            self.add(self.test, number)
            self.want_expected = False
            return
        if self.test is None:
            return
        if not self.read_assertion(self.test, text, number):
            self.module = self.test = None  # the report ended (summary, a runner's line)


class PhantomRunner(Extractor):
    """QUnit's PhantomJS runner and its headless-Chrome ports: ``Test failed: <module>:
    <name>`` (some print ``Assertion Failed: <module>: <name>``, or join the assertions
    to the header with tabs), each failed assertion below as ``    Failed assertion:
    <message>, expected: <e>, but was: <a>`` and then its source. The header alone is
    common words, so a test counts once a ``Failed assertion:`` line says so."""

    name = "qunit-phantom"
    triggers = (
        r"^\s*Test failed: \S.*: ",
        r"^Assertion Failed: \S.*: ",
        r"^\s+Failed assertion: ",
    )
    follow = (r"^\s*Test failed: \S.*: ", r"^Assertion Failed: \S.*: ")
    _HEAD = re.compile(r"^\s*(?:Test failed|Assertion Failed): (\S[^\t]*?)\s*(?:\t(.*))?$")
    _ASSERTION = re.compile(r"^\s*Failed assertion: ?(.*?)\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.pending: tuple[str, int] | None = None  # a header not yet confirmed
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        head = self._HEAD.match(text) if "ailed: " in text else None
        if head and not text.lstrip().startswith("Failed assertion"):
            self.test = None
            self.pending = (split_full_name(head.group(1), ": "), number)
            if head.group(2):  # the tab-joined form: ``name\tFailed assertion: …\t…``
                for part in head.group(2).split("\t"):
                    self._line(part, number)
            return
        self._line(text, number)

    def _line(self, text: str, number: int) -> None:
        m = self._ASSERTION.match(text)
        if m and self.pending is not None:
            self.test = self.pending[0]
            self.add(self.test, self.pending[1])
            self.pending = None
        if self.test is None:
            return
        if m:
            if m.group(1):
                self.note(self.test, message=m.group(1), line=number, raw=text)
            return
        location = js_frame_location(text)
        if location:
            self.note(self.test, location=location)
        elif text.strip() and not text[:1].isspace():
            self.test = None  # ``Took 91ms to run 40 tests…``: the report ended


class NodeQUnit(Extractor):
    """node-qunit (the ``qunit`` npm package before QUnit 2 took the name): after
    ``Errors:``, one ``Module: <m> Test: <t>`` per failed assertion, its message on the
    next line, then its source and ``Actual value:`` / ``Expected value:``."""

    name = "node-qunit"
    triggers = (r"^Module: .+ Test: ",)
    follow = triggers
    _HEAD = re.compile(r"^Module: (.*?) Test: (.+?)\s*$")
    _NOT_MESSAGE = re.compile(r"^(?:Actual value:|Expected value:|\s+at |Module: )")

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.want_message = False

    def feed(self, text: str, number: int = 0) -> None:
        m = self._HEAD.match(text)
        if m:
            self.test = qunit_id(m.group(1), m.group(2))
            self.add(self.test, number)
            self.want_message = True
            return
        if self.test is None or not text.strip():
            return
        location = js_frame_location(text)
        if location:
            self.note(self.test, location=location)
        elif self.want_message and not self._NOT_MESSAGE.match(text):
            self.note(self.test, message=text.strip(), line=number, raw=text)
        self.want_message = False


class PuppeteerGroups(Extractor):
    """node-qunit-puppeteer's ``printOutput`` / ``printFailedTests``: ``console.group``
    nests a test (``  <name>`` or ``  Test: <name>``) under ``Module: <m>``; the test
    failed when its ``    Status: failed`` follows, and each assertion is a ``Result:
    false, Expected: …, Actual: …, Message: …`` line with its ``Stacktrace:`` below."""

    name = "qunit-puppeteer"
    triggers = (r"^Module: \S", r"^ {4}Status: (?:failed|success)$", r"^ {2}Test: \S")
    follow = triggers
    _MODULE = re.compile(r"^Module: (\S.*?)\s*$")
    _TEST = re.compile(r"^ {2}(?:Test: )?(\S.*?)\s*$")
    _RESULT = re.compile(r"^ {6}Result: false, (.*?)\s*$")
    _STACK = re.compile(r"^ {6}Stacktrace: (.*)$")

    def __init__(self) -> None:
        super().__init__()
        self.module: str | None = None
        self.name_line: tuple[str, int] | None = None
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._MODULE.match(text)
        if m and " Test: " not in text:
            self.module, self.name_line, self.test = m.group(1), None, None
            return
        if self.module is None:
            return
        if text.startswith("    Status: "):
            if self.name_line and text.strip() == "Status: failed":
                self.test = qunit_id(self.module, self.name_line[0])
                self.add(self.test, self.name_line[1])
            return
        m = self._TEST.match(text)
        if m:
            self.name_line, self.test = (m.group(1), number), None
            return
        if self.test is None:
            if text.strip() and not text.startswith(" "):
                self.module = None
            return
        m = self._RESULT.match(text)
        if m:
            self.note(self.test, message=m.group(1), line=number, raw=text)
            return
        m = self._STACK.match(text)
        location = js_frame_location(m.group(1)) if m else None
        if location:
            self.note(self.test, location=location)


class GruntQUnit(Extractor):
    """grunt-contrib-qunit: ``Testing <url> ..F.`` then, per failed test, its name
    (``<module> - <name>`` before 4.0, ``fullName`` joined by `` > `` since) and
    ``Message:`` / ``Actual:`` / ``Expected:`` and the stack, each line behind grunt's
    ``>> ``. A ``>> `` line is a test's name only when ``>> Message:`` follows it."""

    name = "grunt-qunit"
    triggers = (r"^>> Message: ", r"^Testing \S+ [.F]*F")
    follow = triggers
    _LINE = re.compile(r"^>> (.*?)\s*$")
    _FIELD = re.compile(r"^(?:Message|Actual|Expected): ")

    def __init__(self) -> None:
        super().__init__()
        self.previous: tuple[str, int] | None = None  # the last ``>> `` line
        self.test: str | None = None
        self.values = False  # the test's first message was just noted: its values follow

    def feed(self, text: str, number: int = 0) -> None:
        m = self._LINE.match(text)
        if m is None:
            self.previous = None
            return
        body, values, self.values = m.group(1), self.values, False
        if body.startswith("Message: "):
            head = self.previous
            if head is not None and self._is_name(head[0]):
                separator = " > " if " > " in head[0] else " - "
                self.test = split_full_name(head[0], separator)
                self.add(self.test, head[1])
            if self.test is not None:
                self.values = not self.details[self.test].message
                self.note(self.test, message=body[len("Message: ") :], line=number, raw=text)
        elif self.test is not None and values and body.startswith(("Actual: ", "Expected: ")):
            # ``Message: failed`` says little: the values it compared follow it
            info = self.details[self.test]
            info.message = clip_message(f"{info.message}, {body[0].lower()}{body[1:]}")
            self.values = True
        elif self.test is not None:
            location = js_frame_location(body)
            if location:
                self.note(self.test, location=location)
        self.previous = (body, number)

    def _is_name(self, text: str) -> bool:
        """Not a field, a frame, nor the last line of a multi-line value (``}``)."""
        if self._FIELD.match(text) or text.startswith("at ") or text[:1].isspace():
            return False
        return text[:1] not in "}])\"'" and any(c.isalnum() for c in text)
