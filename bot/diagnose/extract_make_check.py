"""Failing-test extractors for the C test harnesses a ``make check`` most often runs besides
Automake's own (:mod:`bot.diagnose.extract_automake`): GNU Autotest, pg_regress, Check and
Unity.

Each prints one line per failed test that names it, where it failed and (Check, Unity) why;
a ``make check`` log of a C project often has nothing else that names a test.

* GNU Autotest (Autoconf's ``lib/autotest/general.m4``, the ``testsuite`` of Bison, M4, tar,
  Open vSwitch): ``at_fn_group_banner`` writes the group's number right-aligned in three
  columns, ``: `` and its description (padded); ``at_fn_group_postprocess`` ends the line with
  `` FAILED (file.at:LINE)`` (the failing ``AT_CHECK``) or `` UNEXPECTED PASS``. The suite log
  (``testsuite.log``, which CI jobs often ``cat``) holds ``$at_group. $at_desc
  ($at_setup_line): FAILED (file.at:LINE)``. Name: the description, as printed.
* Check (libcheck, ``src/check_str.c``, ``tr_str``): ``file:line:F:tcase:test:iter: message``
  (``E`` for an error, with ``(after this point) `` before the message; ``P`` a pass, printed
  only under ``CK_VERBOSE``). Name: the test function.
* pg_regress (PostgreSQL's ``src/test/regress/pg_regress.c``, PostgreSQL 14-15):
  ``test name ... FAILED  30 ms`` (five spaces for ``test`` inside a parallel group); cargo's
  ``test name ... FAILED`` has no run time. From 16 on it prints TAP, read by the TAP reader.
  Name: the test (the ``sql/`` file's stem).
* Unity (ThrowTheSwitch, ``src/unity.c``, ``UnityTestResultsFailBegin``):
  ``file:line:test:FAIL: message`` (``:PASS`` and ``:IGNORE`` are no failure; a
  ``UnityStrXFAIL`` build prints ``XFAIL``). Name: the test function.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, repo_location

# `` 25: description ... FAILED (file.at:15)``: the tail is split off in Python (linear)
_AUTOTEST = re.compile(r"^ *(\d+): (\S.*)$")
_AT_FAILED = re.compile(r" (FAILED \(([^()\s]+\.at):(\d+)\)|UNEXPECTED PASS)$")
# the suite log's ``25. ofproto.at:12: 25. desc (ofproto.at:12): FAILED (ofproto.at:15)``
_AT_LOG = re.compile(r"^(?:\d+\. [^\s:]+:\d+: )?(\d+)\. (\S.*)$")
_AT_LOG_TAIL = re.compile(
    r" \([^()\s]+\.at:\d+\): (FAILED \(([^()\s]+\.at):(\d+)\)|UNEXPECTED PASS)$"
)
# pg_regress before PostgreSQL 16: ``test boolean   ... FAILED   30 ms`` (five spaces instead
# of ``test`` in a parallel group; `` (test process exited with exit code 2)`` after a crash)
_PG_OLD = re.compile(r"^(?:test |     )(\S+) +\.\.\. FAILED(?: \([^()]*\))? +\d+ ms$")
_CHECK = re.compile(r"^([^\s:]+):(\d+):([FE]):([^:]*):(\w+):(-?\d+): ?(.*)$")
_UNITY = re.compile(r"^([^\s:]+):(\d+):(\w+(?:\([^()]*\))?):FAIL(?::\s?(.*))?$")


class AutotestCheckUnity(Extractor):
    name = "autotest-check-unity"
    triggers = (
        r"^ *\d+: \S.* +(?:FAILED \([^()\s]+\.at:\d+\)|UNEXPECTED PASS)$",
        r"^(?:\d+\. [^\s:]+:\d+: )?\d+\. \S.* \([^()\s]+\.at:\d+\): (?:FAILED|UNEXPECTED PASS)",
        r"^(?:test |     )\S+ +\.\.\. FAILED(?: \([^()]*\))? +\d+ ms$",
        r"^[^\s:]+:\d+:[FE]:[^:]*:\w+:-?\d+: ",
        r"^[^\s:]+:\d+:\w+(?:\([^()]*\))?:FAIL(?::|$)",
    )

    def feed(self, text: str, number: int = 0) -> None:
        if (text[:1] == " " or text[:1].isdigit()) and text.endswith((")", "PASS")):
            self._autotest(text, number)
        m = _PG_OLD.match(text)
        if m:
            self._failed(m.group(1), None, None, number, text)
            return
        m = _CHECK.match(text)
        if m:
            message = m.group(7).strip() or None
            where = repo_location(m.group(1), m.group(2))
            self._failed(m.group(5), message, where, number, text)
            return
        m = _UNITY.match(text)
        if m:
            where = repo_location(m.group(1), m.group(2))
            self._failed(m.group(3), (m.group(4) or "").strip() or None, where, number, text)

    def _autotest(self, text: str, number: int) -> None:
        """A group's result line, on the console or in the suite log."""
        for head, tail in ((_AUTOTEST, _AT_FAILED), (_AT_LOG, _AT_LOG_TAIL)):
            m = head.match(text)
            end = tail.search(text) if m else None
            if m and end and end.start() > m.start(2):
                name = text[m.start(2) : end.start()].strip()
                where = repo_location(end.group(2), end.group(3)) if end.group(2) else None
                self._failed(name, end.group(1), where, number, text)
                return

    def _failed(
        self, test: str, message: str | None, where: str | None, number: int, raw: str
    ) -> None:
        self.add(test)
        self.note(test, message=message, location=where, line=number, raw=raw.strip())
