"""QUnit's TAP, as QUnit's own CLI and testem (ember-cli, ember-exam) print it.

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
# ``PhantomJS 2.1``); ``[12 ms]`` follows it since testem 2
_BROWSER = (
    r"(?:Headless )?(?:Chrome|Chromium|HeadlessChrome|Firefox|Safari|PhantomJS|Electron"
    r"|Edge|IE|Opera|Mobile Safari|Chrome Mobile)\b[^\[\]]*?"
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
