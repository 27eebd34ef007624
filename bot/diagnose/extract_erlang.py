"""Failing-test extractors for Erlang's test frameworks: EUnit (as ``eunit:test/2``, rebar 2
and erlang.mk print it, and as rebar3's progress formatter prints it) and Common Test (as
rebar3 and ``ct_run`` print it). The shapes were produced here by OTP 25 with rebar3 3.19.

EUnit: ``calc_tests: add_test...*failed*`` (``*timed out*``), the stack as ``in function
m:f/a (test/calc_tests.erl, line 3)`` / ``in call from …`` lines, then the error
``**error:{assertEqual,[{module,calc_tests},`` … (``::error:`` before OTP 19) and the
test's ``output:<<"">>``. rebar3: ``  1) calc_tests:add_test/0``, ``Failure/Error: ?assertEqual(4,
…)``, ``expected: 4`` / ``got: 5``. Common Test: rebar3's ``%%% calc_SUITE ==> math.adds:
FAILED`` (the test ``calc_SUITE:math.adds``) then ``%%% calc_SUITE ==> {{badmatch,5},``
with the stack's ``{file,…},{line,7}``; ``ct_run``'s ``calc_SUITE:adds failed on line 7``
then ``Reason: {badmatch,5}``. The identifier forms are listed in :mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, TestBlock, is_test_location, repo_location

_EUNIT = r"^\s*(\S+: \S.*?)\.\.\.\*(?:failed|timed out)\*$"
_REBAR3 = r"^ +\d+\) ([a-z]\w*:\S+/\d+(?::\d+)?)$"
_CT_REBAR3 = r"^%%% (\w+) ==> (\S+): FAILED$"
_CT_RUN = r"^(\w+:\w+) failed on line (\d+)$"
# a frame of EUnit's stack: ``in function m:f/0 (test/m_tests.erl, line 3)``
_EUNIT_FRAME = re.compile(r"^in (?:function|call from) \S+ \((\S+\.[eh]rl), line (\d+)\)$")
# a frame inside an Erlang stack term: ``{file,"/path/x_SUITE.erl"},{line,7}``
_TERM_FRAME = re.compile(r'\{file,"([^"]+\.[eh]rl)"\},\{line,(\d+)\}')
MAX_TERM_LINES = 6


_TEST_MODULE = re.compile(r"(?:^|/)(?!eunit_)\w+_(?:tests?|SUITE)\.erl$")


def _is_project_file(path: str) -> bool:
    """A file of the project, not of OTP or EUnit (whose frames name a bare
    ``eunit_test.erl``); a bare test module's name (rebar 2 runs from ``.eunit``) is one."""
    if _TEST_MODULE.search(path):
        return True
    return "/" in path and "/lib/erlang/" not in path and "/otp/" not in path


def _is_test_file(path: str) -> bool:
    return bool(_TEST_MODULE.search(path)) or is_test_location(f"{path}:")


class EUnit(Extractor):
    """EUnit's own report (``...*failed*`` and its ``**error:`` term) and rebar3's
    (``  1) m:f/0`` and its ``Failure/Error:`` line)."""

    name = "eunit"
    triggers = (_EUNIT, _REBAR3)
    follow = triggers
    _HEADER = re.compile(_EUNIT)
    _NUMBERED = re.compile(_REBAR3)
    _ERROR = re.compile(r"^(?:\*\*|::)(?:error|exit|throw):")
    _REBAR3_LOC = re.compile(r"^%% (\S+\.[eh]rl):(\d+):in ")

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._HEADER.match(text) or self._NUMBERED.match(text)
        if m:
            test = m.group(1)
            self.add(test, number)
            self.block = TestBlock(test, number)
            return
        block = self.block
        if block is None:
            return
        stripped = text.strip()
        frame = _EUNIT_FRAME.match(stripped) or self._REBAR3_LOC.match(stripped)
        if frame:
            if _is_project_file(frame.group(1)):
                _locate(self, block.test, frame.group(1), frame.group(2))
            block.closed_message = bool(block.message)
            return
        if stripped.startswith(("output:<<", "Output:")) or not stripped:
            if block.message:
                self.block = None
            return
        if (
            not block.message
            and (self._ERROR.match(stripped) or stripped.startswith("Failure/Error:"))
        ) or (block.message and not block.closed_message):
            block.take(stripped, number, MAX_TERM_LINES)
            self.set_message(block)


def _locate(extractor: Extractor, test: str, path: str, line: str) -> None:
    """The first project frame, unless a later one is in a test module and it is not."""
    info = extractor.details.get(test)
    if info is None:
        return
    if not info.location or (
        _is_test_file(path) and not _is_test_file(info.location.rsplit(":", 1)[0])
    ):
        info.location = repo_location(path, line)


class CommonTest(Extractor):
    """rebar3's ``%%% suite ==> group.case: FAILED`` and the reason on the following
    ``%%% suite ==> `` line(s); ``ct_run``'s ``suite:case failed on line N`` and ``Reason:``."""

    name = "common-test"
    triggers = (_CT_REBAR3, _CT_RUN)
    follow = triggers
    _FAILED = re.compile(_CT_REBAR3)
    _FAILED_AT = re.compile(_CT_RUN)

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.lines = 0

    def feed(self, text: str, number: int = 0) -> None:
        m = self._FAILED.match(text)
        if m:
            self.current, self.lines = f"{m.group(1)}:{m.group(2)}", 0
            self.add(self.current, number)
            return
        m = self._FAILED_AT.match(text)
        if m:
            self.current, self.lines = m.group(1), 0
            self.add(self.current, number)
            suite = m.group(1).split(":", 1)[0]
            self.note(self.current, location=f"{suite}.erl:{m.group(2)}")
            return
        if self.current is None:
            return
        self.lines += 1
        stripped = text.strip()
        if self.lines > MAX_TERM_LINES or not stripped or stripped.startswith("- - -"):
            self.current = None
            return
        if self.lines == 1:
            if text.startswith("%%% ") and " ==> " in text:
                reason = text.split(" ==> ", 1)[1].strip()
            else:
                reason = stripped.removeprefix("Reason: ")
            self.note(self.current, message=reason, line=number, raw=text)
        for path, line in _TERM_FRAME.findall(text):
            if _is_project_file(path):
                _locate(self, self.current, path, line)
