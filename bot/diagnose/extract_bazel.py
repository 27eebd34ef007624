"""Failing-test extractor for ``bazel test``: the test targets that failed, by label.

Bazel names a failed test target twice, both in its own code:

* while testing, ``FAIL: //pkg:calc_test (see /…/testlogs/pkg/calc_test/test.log)``
  (``TestSummaryPrinter.printCachedOutput``: the status, ``": "``, the label; ``TIMEOUT:``,
  ``INCOMPLETE:`` alike; a sharded test adds `` (shard 2 of 4)``);
* in the summary, the label padded to a column, then its status
  (``TestSummaryPrinter.print``: ``//pkg:calc_test   FAILED in 0.4s``, ``(cached) FAILED``,
  ``FAILED in 2 out of 4 in 0.5s``, ``TIMEOUT in 60.0s``, ``INCOMPLETE``, ``REMOTE FAILURE``),
  above ``Executed 3 out of 5 tests: 2 fail locally.``

``FLAKY`` (failed, then passed on a retry) is no failure; ``FAILED TO BUILD`` and ``NO STATUS``
name a target that never ran (the build's error says why). The name is the label as printed
(``//pkg:calc_test``, ``@repo//pkg:t``), what ``bazel test`` takes to re-run it; the test
cases inside it are read by their framework's extractor (googletest, pytest, JUnit).
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_LABEL = r"@?[\w.~+-]*//[^\s:]*:[^\s()]+"
_SUMMARY = (
    rf"^({_LABEL})(?: \([\w-]+\))? +(?:\((?:cached|\d+/\d+ cached)\) )?"
    r"((FAILED|TIMEOUT|INCOMPLETE|REMOTE FAILURE)(?: in \d+ out of \d+)?(?: in [\d.]+s)?)$"
)
_ATTEMPT = rf"^(FAIL|FAILED|TIMEOUT|INCOMPLETE): ({_LABEL})(?: \(.*\))?$"


class BazelTest(Extractor):
    name = "bazel"
    triggers = (_SUMMARY, _ATTEMPT)
    _SUMMARY_RE = re.compile(_SUMMARY)
    _ATTEMPT_RE = re.compile(_ATTEMPT)

    def feed(self, text: str, number: int = 0) -> None:
        stripped = text.strip()
        if "//" not in stripped:
            return
        m = self._SUMMARY_RE.match(stripped)
        if m:
            self.add(m.group(1), number)
            if m.group(3) != "FAILED":  # a timeout's status is what the log says of it
                self.note(m.group(1), m.group(2), line=number, raw=text)
            return
        m = self._ATTEMPT_RE.match(stripped)
        if m:
            self.add(m.group(2), number)
