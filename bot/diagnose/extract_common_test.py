"""Failing-test extractor for Erlang's Common Test, as ``ct_run`` (erlang.mk ``make ct``,
rebar2 ``ct``) prints it on the console and as rebar3 ``ct`` prints it (cth_readable).

``ct_run``: a failing case's error notification sits between two dashed rules,
``Mod:Func failed on line N`` (``Mod:Func failed`` without a line, ``Mod:Func could not be
executed`` for a missing function) then ``Reason: R``; then ``Testing Name: *** FAILED test
case 6 of 6 ***`` (``*** FAILED {Mod,Func} ***`` for a configuration function) and the
suite's ``TEST COMPLETE, 5 ok, 1 failed of 6 test cases``. ``Mod:Func`` is the last function
that ran: the case itself when ``Mod`` is a suite (CT requires the ``_SUITE`` suffix), else a
helper the case called, which names no case. The test is ``Mod:Func`` as printed.

A case whose last function was a helper is named by the suite's raw log, ``suite.log``, when
a later command prints it (``cat logs/*/suite.log``): records of ``=case Mod:Func`` and
``=result failed: …`` lines, a failed case's ``=== *** FAILED test case N of M ***``; the
console's ``Reason:`` for case N is then that case's message. A configuration function
(``{Mod,init_per_group}``) that failed is a failing test only when no test case failed: CT
counts it apart (its cases are auto-skipped), as ``TEST COMPLETE, 1 ok, 1 failed`` does.

rebar3: ``%%% my_SUITE ==> group.case: FAILED`` then ``%%% my_SUITE ==> Reason`` (an EUnit-style
assertion prints an empty reason and ``Failure/Error: ?assertEqual(…)`` / ``expected:`` /
``got:`` lines below it; a ``~p`` term wraps, a frame's ``{line,N}`` below its ``{file,…}``).
The test is ``my_SUITE:group.case``; ``group.init_per_group`` is a configuration function.
OTP 27's console (``cte_default_stdout``) numbers every failed case ``-1``.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, clip_message
from .extract_erlang import is_project_file, locate_frame

_ATOM = r"(?:[a-z][\w@]*|'[^']+')"
_NOTIFY = rf"^({_ATOM}):({_ATOM}) (?:failed on line \d+|failed|could not be executed)\s*$"
# OTP 27's cte_default_stdout numbers every failed case ``-1`` (its ``XXX: case number?``)
_FAILED = (
    r"^Testing \S+: \*\*\* FAILED (?:test case (-?\d+)(?: of \d+)?|\{([^,}]+),([^}]+)\}) \*\*\*"
)
_REBAR3 = r"^%%% (\S+) ==> (\S+): FAILED\s*$"
# suite.log: ``=case          calc_SUITE:adds`` … ``=result        failed: {badmatch,3}, […]``
# … ``=== *** FAILED test case 6 of 6 ***``
_CASE_RECORD = r"^=case +(\S+:\S+)\s*$"
_RECORD_CASE = re.compile(_CASE_RECORD)
_RECORD_RESULT = re.compile(r"^=result +failed: *(.*\S)")
_RECORD_FAILED = r"^=== \*\*\* FAILED test case (\d+)(?: of \d+)? \*\*\*"
_CONFIG = (
    "init_per_suite",
    "end_per_suite",
    "init_per_group",
    "end_per_group",
    "init_per_testcase",
    "end_per_testcase",
)
# a frame inside the reason's stack term: ``{file,"/path/test/calc_SUITE.erl"},{line,7}``
_TERM_FRAME = re.compile(r'\{file,"([^"]+\.[eh]rl)"\},\s*\{line,(\d+)\}')
_FILE_TAIL = re.compile(r'\{file,"[^"]+\.[eh]rl"\},\s*$')


class CommonTest(Extractor):
    name = "common_test"
    triggers = (_NOTIFY, _FAILED, _REBAR3, _CASE_RECORD, r"^=result +failed:", _RECORD_FAILED)
    follow = (_NOTIFY, _REBAR3)
    _NOTIFICATION = re.compile(_NOTIFY)
    _CASE = re.compile(_FAILED)
    _R3 = re.compile(_REBAR3)
    _REASON = re.compile(r"^Reason: (.*\S)")
    _R3_REASON = re.compile(r"^%%% (\S+) ==> ?(.*)$")
    _RECORD_NUMBER = re.compile(_RECORD_FAILED)

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None  # the case whose reason comes next
        self.awaiting = False  # a notification was printed; its ``Reason:`` comes next
        self.orphan: tuple[str, int, str] | None = None  # a helper's reason, case unnamed
        self.suite: str | None = None  # rebar3: the suite of the failure being read
        self.lines: list[str] = []
        self.unnamed: dict[str, tuple[str, int, str]] = {}  # case number -> console reason
        self.record: tuple[str, str | None, int, str] | None = None  # suite.log's =case
        self.file_tail = ""  # a frame's ``{file,"…"},`` ending a line: its line is next

    def feed(self, text: str, number: int = 0) -> None:
        notification = self._NOTIFICATION.match(text)
        if notification:
            module, function = notification.group(1), notification.group(2)
            self.test = f"{module}:{function}" if module.endswith("_SUITE") else None
            self.awaiting, self.orphan, self.suite = True, None, None
            if self.test:
                self.add(self.test, number)
            return
        case = self._CASE.match(text)
        if case:
            if case.group(2):  # ``{Mod,Func}``: a configuration function, named in full
                test = f"{case.group(2).strip()}:{case.group(3).strip()}"
                self.add(test, number)
                if self.orphan:
                    self.note(test, message=self.orphan[0], line=self.orphan[1], raw=self.orphan[2])
            elif self.orphan and not self.test:  # a helper's reason: suite.log may name it
                self.unnamed.setdefault(case.group(1), self.orphan)
            self.test, self.awaiting, self.orphan = None, False, None
            return
        if text.startswith("="):
            self._record(text, number)
            return
        rebar3 = self._R3.match(text)
        if rebar3:
            self.suite, self.lines = rebar3.group(1), []
            self.test = f"{rebar3.group(1)}:{rebar3.group(2)}"
            self.add(self.test, number)
            return
        self._locate(text)
        if self.suite is not None:
            self._rebar3_reason(text, number)
            return
        reason = self._REASON.match(text.strip())
        if reason and self.awaiting:
            message = f"Reason: {reason.group(1)}"
            if self.test:
                self.note(self.test, message=message, line=number, raw=text)
            else:
                self.orphan = (message, number, text)
            self.awaiting = False

    def _record(self, text: str, number: int) -> None:
        """suite.log: a ``=case`` record whose ``=result`` failed, named when its
        ``=== *** FAILED test case N ***`` line comes; the console's reason for case N
        is its message, else the record's result."""
        case = _RECORD_CASE.match(text)
        if case:
            self.record = (case.group(1), None, number, text)
            return
        result = _RECORD_RESULT.match(text)
        if result and self.record and self.record[1] is None:
            self.record = (self.record[0], f"failed: {result.group(1)}", number, text)
            return
        failed = self._RECORD_NUMBER.match(text)
        if failed and self.record and self.record[1] is not None:
            test, message, line, raw = self.record
            self.add(test, line)
            console = self.unnamed.get(failed.group(1))
            if console:
                self.note(test, message=console[0], line=console[1], raw=console[2])
            else:
                self.note(test, message=message, line=line, raw=raw)
            self.record = None

    def tests(self) -> list[str]:
        # rebar3 puts a configuration function under its groups: ``calc_SUITE:g.init_per_group``
        cases = [t for t in self.found if t.rpartition(":")[2].rpartition(".")[2] not in _CONFIG]
        return cases or list(self.found)

    def _locate(self, text: str) -> None:
        """The case's location: the first project frame of its reason's stack (a later one
        in the suite itself wins), never OTP's own modules. A pretty-printed term (rebar3's
        ``~p``) may put a frame's ``{line,N}`` on the line after its ``{file,…}``."""
        if not self.test:
            return
        joined = self.file_tail + text.strip() if self.file_tail else text
        self.file_tail = ""
        for path, line in _TERM_FRAME.findall(joined):
            if is_project_file(path):
                locate_frame(self, self.test, path, line)
        tail = _FILE_TAIL.search(text)
        if tail:
            self.file_tail = tail.group(0)

    def _rebar3_reason(self, text: str, number: int) -> None:
        """``%%% suite ==> reason`` after the FAILED line, or the assertion's own lines
        (``Failure/Error: …``, ``expected:``, ``got:``) under an empty one."""
        test = self.test or ""
        line = self._R3_REASON.match(text)
        if line and line.group(1) == self.suite and not self.lines:
            if line.group(2).strip():
                self.note(test, message=line.group(2).strip(), line=number, raw=text)
                self.suite = None
            else:
                self.lines = [""]  # the assertion follows on its own lines
            return
        if self.lines and text.strip() and not text.startswith("%%%") and len(self.lines) < 4:
            if self.lines == [""]:
                self.lines = []
                self.note(test, message=text.strip(), line=number, raw=text)
            self.lines.append(text.strip())
            self.details[test].message = clip_message(" ".join(self.lines))
            return
        self.suite = None
