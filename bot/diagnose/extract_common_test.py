"""Failing-test extractor for Erlang's Common Test, as ``ct_run`` (erlang.mk ``make ct``,
rebar2 ``ct``) prints it on the console and as rebar3 ``ct`` prints it (cth_readable).

``ct_run``: a failing case's error notification sits between two dashed rules,
``Mod:Func failed on line N`` (``Mod:Func failed`` without a line, ``Mod:Func could not be
executed`` for a missing function) then ``Reason: R``; then ``Testing Name: *** FAILED test
case 6 of 6 ***`` (``*** FAILED {Mod,Func} ***`` for a configuration function) and the
suite's ``TEST COMPLETE, 5 ok, 1 failed of 6 test cases``. ``Mod:Func`` is the last function
that ran: the case itself when ``Mod`` is a suite (CT requires the ``_SUITE`` suffix), else a
helper the case called, which names no case. The test is ``Mod:Func`` as printed.

rebar3: ``%%% my_SUITE ==> group.case: FAILED`` then ``%%% my_SUITE ==> Reason`` (an EUnit-style
assertion prints an empty reason and ``Failure/Error: ?assertEqual(…)`` / ``expected:`` /
``got:`` lines below it). The test is ``my_SUITE:group.case``.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, clip_message
from .extract_erlang import is_project_file, locate_frame

_ATOM = r"(?:[a-z][\w@]*|'[^']+')"
_NOTIFY = rf"^({_ATOM}):({_ATOM}) (?:failed on line \d+|failed|could not be executed)\s*$"
_FAILED = r"^Testing \S+: \*\*\* FAILED (?:test case \d+(?: of \d+)?|\{([^,}]+),([^}]+)\}) \*\*\*"
_REBAR3 = r"^%%% (\S+) ==> (\S+): FAILED\s*$"
# a frame inside the reason's stack term: ``{file,"/path/test/calc_SUITE.erl"},{line,7}``
_TERM_FRAME = re.compile(r'\{file,"([^"]+\.[eh]rl)"\},\{line,(\d+)\}')


class CommonTest(Extractor):
    name = "common_test"
    triggers = (_NOTIFY, _FAILED, _REBAR3)
    follow = (_NOTIFY, _REBAR3)
    _NOTIFICATION = re.compile(_NOTIFY)
    _CASE = re.compile(_FAILED)
    _R3 = re.compile(_REBAR3)
    _REASON = re.compile(r"^Reason: (.*\S)")
    _R3_REASON = re.compile(r"^%%% (\S+) ==> ?(.*)$")

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None  # the case whose reason comes next
        self.awaiting = False  # a notification was printed; its ``Reason:`` comes next
        self.orphan: tuple[str, int, str] | None = None  # a helper's reason, case unnamed
        self.suite: str | None = None  # rebar3: the suite of the failure being read
        self.lines: list[str] = []

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
            if case.group(1):  # ``{Mod,Func}``: a configuration function, named in full
                test = f"{case.group(1).strip()}:{case.group(2).strip()}"
                self.add(test, number)
                if self.orphan:
                    self.note(test, message=self.orphan[0], line=self.orphan[1], raw=self.orphan[2])
            self.test, self.awaiting, self.orphan = None, False, None
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

    def _locate(self, text: str) -> None:
        """The case's location: the first project frame of its reason's stack (a later one
        in the suite itself wins), never OTP's own modules."""
        if self.test:
            for path, line in _TERM_FRAME.findall(text):
                if is_project_file(path):
                    locate_frame(self, self.test, path, line)

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
