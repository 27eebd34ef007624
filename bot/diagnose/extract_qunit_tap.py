"""QUnit's TAP, as QUnit's own CLI and testem (ember-cli, ember-exam) print it, and its
CLI's ``console`` reporter.

QUnit 2's TAP reporter (``src/core/reporters/TapReporter.js``, and js-reporters' before
it) prints a failed test as ``not ok 3 <module> > <name>`` (its ``fullName`` joined by
`` > ``) with a YAML block of each failed assertion::

    not ok 3 Cart > totals > adds tax
      ---
      message: failed
      severity: failed
      actual  : 10
      expected: 11
      stack: |
            at Object.<anonymous> (/repo/test/cart.js:12:10)
      ...

testem (``lib/utils/displayutils.js``) prints ``not ok 3 <browser> - [12 ms] - <name>``,
``<name>`` being its QUnit adapter's ``<module>: <test>`` (ember-exam puts ``Exam Partition
1 - `` and ``Browser Id 2 - `` before it), its YAML indented by four and every value a
``key: >`` block below; its dot reporter lists ``  1) [<browser>] <name>`` then the message.

The generic TAP reading (:class:`bot.diagnose.extract_js.NodeTest`) names these tests as
printed, browser and duration included; this one names them ``module::name`` like QUnit's
other harnesses and takes the assertion's message, values and frame. It counts a point
as QUnit's only by what QUnit prints (``severity: failed``, testem's ``[N ms]`` or
browser prefix), and then replaces the generic reading of that step.
"""

from __future__ import annotations

import json
import re

from .extract_core import Extractor, Failure, clip_message, js_frame_location
from .extract_qunit import split_full_name

_NOT_OK = re.compile(r"^not ok \d+ (?:- )?(.+?)\s*$")
_DIRECTIVE = re.compile(r" # (?:SKIP|TODO|skip|todo)\b")
# a browser as testem names a launcher (``Chrome 120.0``, ``Headless Chrome 120.0``,
# ``PhantomJS 2.1``: always its version); ``[12 ms]`` follows it since testem 2
_BROWSER = (
    r"(?:Headless )?(?:Chrome|Chromium|HeadlessChrome|Firefox|Safari|PhantomJS|Electron"
    r"|Edge|IE|Opera|Mobile Safari|Chrome Mobile) \d+(?:\.\d+)*"
)
_TESTEM = re.compile(rf"^({_BROWSER}) - (?:\[\d+ ms\] - )?(.+)$|^(.+?) - \[\d+ ms\] - (.+)$")
_EXAM = re.compile(r"^(?:Exam Partition \d+ - )?(?:Browser Id \d+ - )?")
# ``  3) [Chrome 120.0] name``: a browser and its version (Playwright's ``[chromium] ›`` not)
_DOT = re.compile(r"^ *\d+\) \[([^\]]+ \d[\d.]*)\] ([^\s›].*?)\s*$")
# QUnit's YAML: two spaces in; testem's: eight, each value a block twelve in
_QUNIT_KEY = re.compile(r"^  (message|severity|actual|expected|stack) *: ?(.*)$")
_TESTEM_KEY = re.compile(r"^ {8}(message|actual|expected|stack|negative|file|line): >$")


def _yaml_scalar(value: str) -> str:
    """A one-line YAML value as QUnit prints it: bare, or JSON-quoted."""
    value = value.strip()
    if value.startswith('"'):
        try:
            loaded = json.loads(value)
        except ValueError:
            return value.strip('"')
        return loaded if isinstance(loaded, str) else value
    return value


class QUnitTap(Extractor):
    """QUnit's and testem's TAP ``not ok`` points and testem's dot-reporter list."""

    name = "qunit-tap"
    triggers = (r"^not ok \d+ ", r"^ *\d+\) \[[^\]]+ \d[\d.]*\] \S")
    follow = triggers
    subsumes = ("node:test",)

    def __init__(self) -> None:
        super().__init__()
        self.point: tuple[str, int] | None = None  # a ``not ok`` not yet known as QUnit's
        self.test: str | None = None
        self.key: str | None = None  # the YAML key whose block is being read
        self.values: dict[str, str] = {}
        self.testem = False  # the point is testem's (its YAML four in, values twelve)

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith("not ok "):
            self._point(text, number)
            return
        dot = _DOT.match(text) if ") [" in text else None
        if dot:
            self._finish()
            self._start(split_full_name(_EXAM.sub("", dot.group(2)), ": "), number)
            self.key = "dot"
            return
        if self.test is None and self.point is None:
            return
        if text.strip() in ("...", "---") or not text.strip():
            if text.strip() == "...":
                self._finish()
            return
        if self.key == "dot":
            self._dot_line(text, number)
        elif self.testem and text.startswith("    "):
            self._testem_yaml(text, number)
        elif not self.testem and text.startswith("  "):
            self._qunit_yaml(text, number)
        else:
            self._finish()

    def _point(self, text: str, number: int) -> None:
        self._finish()
        m = _NOT_OK.match(text)
        if m is None or _DIRECTIVE.search(text):
            return
        name = m.group(1)
        testem = _TESTEM.match(name)
        if testem:
            full = _EXAM.sub("", testem.group(2) or testem.group(4))
            self._start(split_full_name(full, ": "), number)
            self.testem = True
        elif name == "global failure":
            self._start(name, number)
        else:
            self.point = (name, number)  # QUnit's once its YAML says ``severity: failed``

    def _start(self, test: str, number: int) -> None:
        self.test, self.key = test, None
        self.add(test, number)

    def _qunit_yaml(self, text: str, number: int) -> None:
        m = _QUNIT_KEY.match(text)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key == "severity" and self.point is not None:
                if value in ("failed", '"failed"'):
                    self._start(split_full_name(self.point[0], " > "), self.point[1])
                self.point = None
            self.key = key
            if value not in ("|", "|+", "|-", ">", ">-") and key != "stack":
                self.values.setdefault(key, _yaml_scalar(value))
                self.values.setdefault(f"{key}@", str(number))
            return
        if self.key in ("message", "stack"):
            self._block_line(text, number)

    def _testem_yaml(self, text: str, number: int) -> None:
        m = _TESTEM_KEY.match(text)
        if m:
            self.key = m.group(1)
            return
        if self.key and text.startswith("            "):
            self._block_line(text, number)
        elif text.strip().startswith("browser log:"):
            self.key = None

    def _block_line(self, text: str, number: int) -> None:
        """One line of a key's block: the first is the value (a message's first line)."""
        assert self.key is not None
        location = js_frame_location(text)
        if location and self.test is not None:
            self.note(self.test, location=location)
        elif self.key not in self.values and text.strip():
            self.values[self.key] = text.strip()
            self.values[f"{self.key}@"] = str(number)

    def _dot_line(self, text: str, number: int) -> None:
        """testem's dot reporter: the message five in, then ``expected:``/``actual:``."""
        stripped = text.strip()
        location = js_frame_location(text)
        if location and self.test is not None:
            self.note(self.test, location=location)
        elif stripped.startswith(("expected: ", "actual: ")):
            key, _, value = stripped.partition(": ")
            self.values.setdefault(key, value)
        elif "message" not in self.values and text.startswith("     "):
            self.values["message"] = stripped
            self.values["message@"] = str(number)

    def _finish(self) -> None:
        """The test's message: QUnit's ``message`` (``failed`` when an assertion had
        none) with the values it compared."""
        test, values = self.test, self.values
        self.test, self.point, self.key, self.values = None, None, None, {}
        self.testem = False
        if test is None:
            return
        message = values.get("message") or values.get("stack")
        if "expected" in values and "actual" in values:
            compared = f"expected: {values['expected']}, actual: {values['actual']}"
            message = f"{message}, {compared}" if message else compared
        if message:
            line = values.get("message@") or values.get("expected@")
            self.note(test, message=clip_message(message), line=int(line) if line else None)

    def tests(self) -> list[str]:
        self._finish()
        return list(self.found)

    def failures(self) -> list[Failure]:
        self._finish()
        return super().failures()


# Node's ``util.inspect`` of a string: single quotes, or double quotes or backticks when
# the string holds a single quote
_INSPECTED = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`([^`]*)`)"""
_CONSOLE_FIELD = re.compile(rf"^ {{2}}(name|suiteName|status): {_INSPECTED},?$")
_CONSOLE_FULL_NAME = re.compile(r"^ {2}fullName: \[ (.*) \],?$")
_CONSOLE_ERROR = re.compile(
    rf"^ {{6}}(message|actual|expected|stack): (?:{_INSPECTED}|(\S.*?))(?: \+)?,?$"
)
_STACK_FRAME = re.compile(r"\bat (?:[^()']*\()?((?:file://)?/[^\s()':]+):(\d+):\d+")


def _inspected(m: re.Match[str], first: int) -> str:
    """The first of an inspected string's three quotings that matched, unescaped."""
    for group in range(first, first + 3):
        if m.group(group) is not None:
            return m.group(group).replace("\\'", "'").replace('\\"', '"')
    return ""


class QUnitConsole(Extractor):
    """QUnit's ``console`` reporter (``src/core/reporters/ConsoleReporter.js``): every
    event logged as Node inspects it, ``testEnd { name: …, suiteName: …, fullName: [ … ],
    status: 'failed', errors: [ { …, message: …, stack: … } ] }`` over several lines. The
    test is ``module::name`` with the modules from ``fullName`` (``suiteName`` is the
    innermost only); the message its first failed assertion's."""

    name = "qunit-console"
    triggers = (r"^testEnd \{", r"^ {2}status: 'failed'")
    follow = (r"^ {2}status: 'failed'",)

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] | None = None  # the testEnd object being read
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith("testEnd {"):
            self.fields, self.test = {"@": str(number)}, None
            return
        if self.fields is None:
            return
        if text.startswith("}"):
            self.fields = None
            return
        m = _CONSOLE_FIELD.match(text)
        if m:
            self.fields[m.group(1)] = _inspected(m, 2)
            if m.group(1) == "status" and self.fields["status"] == "failed":
                self._failed()
            return
        m = _CONSOLE_FULL_NAME.match(text)
        if m:
            parts = re.findall(_INSPECTED, m.group(1))
            self.fields["fullName"] = " > ".join(next(p for p in part if p) for part in parts[:-1])
            return
        if self.test is None:
            return
        frame = _STACK_FRAME.search(text)  # ``stack: '    at …\n' +`` and its next lines
        if frame:
            location = js_frame_location(f"at {frame.group(1)}:{frame.group(2)}:1")
            self.note(self.test, location=location)
            return
        m = _CONSOLE_ERROR.match(text)
        if m and m.group(1) == "message":
            value = _inspected(m, 2) or m.group(5) or ""
            self.note(self.test, message=value, line=number, raw=text)

    def _failed(self) -> None:
        assert self.fields is not None
        name = self.fields.get("name")
        if not name:
            return
        module = self.fields.get("fullName") or self.fields.get("suiteName") or ""
        self.test = f"{module}::{name}" if module else name
        self.add(self.test, int(self.fields["@"]))
