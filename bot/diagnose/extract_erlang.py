"""Failing-test extractor for EUnit (as ``eunit:test/2``, rebar 2 and erlang.mk print it, and
as rebar3's progress formatter prints it; Common Test is :mod:`.extract_common_test`). The
shapes were produced here by OTP 25 with rebar3 3.19.

EUnit: ``calc_tests: add_test...*failed*`` (``*timed out*``), the stack as ``in function
m:f/a (test/calc_tests.erl, line 3)`` / ``in call from …`` lines, then the error
``**error:{assertEqual,[{module,calc_tests},`` … (``::error:`` before OTP 19) and the
test's ``output:<<"">>``. rebar3: ``  1) calc_tests:add_test/0``, ``Failure/Error: ?assertEqual(4,
…)``, ``expected: 4`` / ``got: 5``. The identifier forms are listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, TestBlock, is_test_location, repo_location

_EUNIT = r"^\s*(\S+: \S.*?)\.\.\.\*(?:failed|timed out)\*$"
_REBAR3 = r"^ +\d+\) ([a-z]\w*:\S+/\d+(?::\d+)?)$"
MAX_TERM_LINES = 6  # of an error term, kept as the message
# a frame of EUnit's stack: ``in function m:f/0 (test/m_tests.erl, line 3)``
_EUNIT_FRAME = re.compile(r"^in (?:function|call from) \S+ \((\S+\.[eh]rl), line (\d+)\)$")


_TEST_MODULE = re.compile(r"(?:^|/)(?!eunit_)\w+_(?:tests?|SUITE)\.erl$")


def is_project_file(path: str) -> bool:
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
            if is_project_file(frame.group(1)):
                locate_frame(self, block.test, frame.group(1), frame.group(2))
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


def locate_frame(extractor: Extractor, test: str, path: str, line: str) -> None:
    """The first project frame, unless a later one is in a test module and it is not."""
    info = extractor.details.get(test)
    if info is None:
        return
    if not info.location or (
        _is_test_file(path) and not _is_test_file(info.location.rsplit(":", 1)[0])
    ):
        info.location = repo_location(path, line)
