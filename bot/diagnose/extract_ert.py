"""Failing-test extractor for ERT, the Emacs Lisp test framework, as
``ert-run-tests-batch-and-exit`` prints it (Emacs 28 here; Emacs 24-26 omit the time).

Each failed test prints ``Test NAME backtrace:`` and its frames, ``Test NAME condition:`` and
the condition (``(ert-test-failed ((should (equal 4 (f 2 2))) :form (equal 4 5) :value nil
…))``, or the error that escaped, ``(wrong-type-argument listp 5)``), then its result line
``   FAILED  1/3  calc-mini-adds (0.000107 sec)``. The run ends ``Ran 3 tests, 1 results as
expected, 2 unexpected`` and lists the unexpected ones again (``   FAILED  calc-mini-adds``).
ERT prints no file or line for a test. The identifier form is listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_RESULT = r"^\s+FAILED\s+(?:\d+/\d+\s+)?(\S+)(?: \([\d.]+ sec\))?$"
_CONDITION = r"^Test (\S+) condition:$"
MAX_CONDITION_LINES = 8


class Ert(Extractor):
    """``FAILED  n/m  name`` result lines, each with the condition printed before it."""

    name = "ert"
    triggers = (_RESULT, _CONDITION)
    follow = (_CONDITION,)
    _FAILED = re.compile(_RESULT)
    _COND = re.compile(_CONDITION)

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None  # the test whose condition is being read
        self.condition: list[str] = []
        self.start = 0

    def feed(self, text: str, number: int = 0) -> None:
        m = self._COND.match(text)
        if m:
            self.test, self.condition, self.start = m.group(1), [], number + 1
            return
        m = self._FAILED.match(text)
        if m:
            test = m.group(1)
            self.add(test, number)
            if self.test == test and self.condition:
                # the condition spans lines (a pretty-printed form): shown joined
                self.note(test, message=" ".join(self.condition), line=self.start)
            self.test = None
            return
        if self.test is not None and len(self.condition) < MAX_CONDITION_LINES:
            stripped = text.strip()
            if stripped:
                if not self.condition:
                    self.start = number
                self.condition.append(stripped)
