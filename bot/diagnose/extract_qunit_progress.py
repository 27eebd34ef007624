"""QUnit's failed tests from a Chrome runner's progress lines (Discourse's ``run-qunit.js``).

Discourse's ``test/run-qunit.js`` (run by ``rake qunit:test``, and copied by its plugins and
other Ember apps) drives headless Chrome over the DevTools protocol and forwards QUnit's
callbacks to stdout. Until 2020 ``testStart`` logs ``"\\n" + module + "::" + name`` and
``testDone`` writes a bare ``.`` or ``F`` (no newline), so a run reads::

    Running: {"hidepassed":"1","seed":"9600…"}

    .
    Acceptance: Admin - Watched Words::remove words
    TypeError: Cannot read property 'block' of undefined
        at eval (admin/models/watched-word:48:73)
    F
    widget:home-logo::basics - minimized
    .

The ``Module Failed:`` report :class:`bot.diagnose.extract_qunit.QUnit` reads comes only
from ``QUnit.done``; a run stopped by the runner's own timeout (``Tests timed out``, exit
124: QUnit's 10 s ``testTimeout`` per hanging test adds up), by the CI's log or time limit,
or by a crashed Chrome never prints it, and then the progress is the only record of which
tests failed. Each test whose mark is ``F`` is named as the progress line prints it,
``module::name`` (the report's id too, so the two readings merge). The message is the
first exception the page threw while it ran (``Runtime.exceptionThrown`` prints its
description), when one did. Once a report is printed it alone names the failed tests.

Since 2020 the same runner writes ``↪ module::name`` and then `` [✔]`` or `` [✘]`` on the
same line (on a later one when the test logged something), and its report moved under
``Test Errors`` as ``  Test Failed: <name>`` (no module) with the same ``Assertion
Failed:`` lines: each name there is the ``module::name`` of the failed progress line
that ends with it.
"""

from __future__ import annotations

import re

from .extract_qunit import DiscourseReport

# a progress line is at most this long (a test's name, not a minified script's line)
_MAX_NAME = 500
_MARK_LATE = re.compile(r" \[(✔|✘)\]\s*$")
# what the page threw while the test ran: ``TypeError: …``, ``Error: …``,
# ``Uncaught ReferenceError: …`` (Chrome's exception description)
_THROWN = re.compile(r"^(?:Uncaught )?(?:[A-Z][A-Za-z]*)?Error: \S")
_TEST_FAILED = re.compile(r"^ {2}Test Failed: (\S.*)$")


class QUnitProgress(DiscourseReport):
    """run-qunit.js's per-test progress (``module::name`` then ``.``/``F``, or ``↪
    module::name [✘]``) and its later ``Test Errors`` report."""

    name = "qunit-progress"
    # ``.`` and ``F`` have no longer literal: anchored at both ends, each is one exact
    # line; each one's follow window reaches the next test's name line
    triggers = (
        r"^Running: \{",
        r"^[.F]$",
        r"^↪ \S",
        r" \[✘\]$",
        r"^Test Errors$",
        r"^  Test Failed: \S",
    )
    follow = (r"^Running: \{", r"^[.F]$", r"^Test Errors$", r"^  Test Failed: \S")

    def __init__(self) -> None:
        super().__init__()
        self.last_mark = -10  # the line of the last ``.``/``F`` (or ``Running:``)
        self.running: tuple[str, int] | None = None  # the test whose mark is awaited
        self.thrown: tuple[str, int, str] | None = None  # its first exception
        self.failed_names: dict[str, str] = {}  # a ``↪`` test's name → its progress id
        self.report = False  # inside ``Test Errors``
        self.started = False  # ``Running: {…}`` was seen
        self.cycles = 0  # progress lines whose mark followed (the protocol, without it)
        self.arrows = 0  # ``↪`` progress lines seen
        self.reported: set[str] = set()  # tests the ``Test Errors`` report names
        self.has_report = False  # ``QUnit.done`` printed its report (either form)
        self.test: str | None = None  # the report's test being read

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith("Running: {"):
            self.last_mark, self.running, self.report = number, None, False
            self.started = True
            return
        if text.rstrip() in (".", "F"):
            self._mark(text.rstrip() == "F", number)
            return
        if text.startswith("↪ "):
            self._arrow(text, number)
            return
        late = _MARK_LATE.search(text) if "]" in text else None
        if late and self.running is not None and not self.report:
            self._mark(late.group(1) == "✘", number)
            return
        if text == "Test Errors" or text.startswith("Module Failed: "):
            # the report names every failed test: the marks only stood in for it
            self.report, self.test, self.running = text == "Test Errors", None, None
            self.has_report = True
            return
        if self.report:
            self._report(text, number)
            return
        if self.running is None:
            if 0 < number - self.last_mark <= 2 and _is_name(text):
                self.running, self.thrown = (text.strip(), number), None
            return
        if self.thrown is None and _THROWN.match(text):
            self.thrown = (text.strip(), number, text)

    def _arrow(self, text: str, number: int) -> None:
        self.report = False
        body, mark = text[2:].strip(), None
        if body.endswith((" [✔]", " [✘]")):
            body, mark = body[:-4].rstrip(), body[-2]
        if not _is_name(body):
            return
        self.arrows += 1
        self.running, self.thrown = (body, number), None
        if mark:
            self._mark(mark == "✘", number)

    def _mark(self, failed: bool, number: int) -> None:
        """A test's ``.``/``F`` (``[✔]``/``[✘]``): the awaited test passed or failed."""
        self.last_mark = number
        if self.running is None:
            return
        test, line = self.running
        self.running = None
        self.cycles += 1
        if not failed:
            return
        self.add(test, line)
        _, _, name = test.partition("::")
        self.failed_names.setdefault(name.strip(), test)
        if self.thrown is not None:
            message, at, raw = self.thrown
            self.note(test, message=message, line=at, raw=raw)

    def _report(self, text: str, number: int) -> None:
        """``Test Errors``: ``  Test Failed: name`` and its ``Assertion Failed:`` lines."""
        m = _TEST_FAILED.match(text)
        if m:
            name = m.group(1).strip()
            self.test = self.failed_names.get(name) or self._glued(name) or name
            self.add(self.test, number)
            self.reported.add(self.test)
            self.want_expected = False
            return
        if self.test is None:
            return
        if not self.read_assertion(self.test, text, number):
            self.report, self.test = False, None  # ``Time: …, Failed: 2``: the report ended

    def _glued(self, name: str) -> str | None:
        """The failed ``↪`` test whose progress line has ``name`` and then what the test
        logged before its mark (written on the same line): renamed ``module::name``."""
        for printed, test in self.failed_names.items():
            if printed.startswith(name) and printed != name:
                module = test[: len(test) - len(printed)]
                renamed = f"{module}{name}"
                self.found = [renamed if t == test else t for t in self.found]
                info = self.details.pop(test, None)
                if info is not None:
                    info.test = renamed
                    self.details[renamed] = info
                del self.failed_names[printed]
                self.failed_names[name] = renamed
                return renamed
        return None

    def tests(self) -> list[str]:
        """The progress counts once it is surely this runner's: after its ``Running:``
        line, a ``↪`` line, or a few ``name`` / mark pairs (a paste that lost its start);
        and only while no report names the failed tests (``Module Failed:`` is
        :class:`bot.diagnose.extract_qunit.QUnit`'s to read)."""
        if self.has_report:
            return [t for t in self.found if t in self.reported]
        if self.started or self.cycles >= 3 or self.arrows:
            return list(self.found)
        return [t for t in self.found if t in self.reported]


def _is_name(text: str) -> bool:
    """A progress line: ``module::name``, unindented, one line of a test's name (the
    module may hold ``:`` and spaces: ``Acceptance: Admin - Badges::shows``)."""
    at = text.find("::")
    return (
        at > 0
        and len(text) <= _MAX_NAME
        and not text[:1].isspace()
        and text[:1] != ":"
        and text[at + 2 : at + 3].strip() != ""
    )
