"""busted (Lua): the failures its output handlers report.

busted's default handlers (``utfTerminal``, ``plainTerminal``) print a progress line, a
count line and one block per failure or error::

    2 successes / 1 failure / 2 errors / 1 pending : 0.000989 seconds

    Failure -> spec/calc_spec.lua @ 2
    calc adds
    spec/calc_spec.lua:3: Expected objects to be the same.

    Error -> spec/calc_spec.lua @ 14
    hooks after_each
    spec/calc_spec.lua:15: assertion failed!

(``→`` for ``->`` in a UTF-8 terminal). The ``gtest`` handler (``busted -o gtest``) and
the handlers projects derive from it (Neovim's ``nvim`` handler) end a run with lists::

    [  PASSED  ] 3670 tests.
    [ SKIPPED  ] 18 tests, listed below:
    [ SKIPPED  ] test/functional/core/job_spec.lua @ 744: jobs will only emit ...
    [  FAILED  ] 1 test, listed below:
    [  FAILED  ] spec/calc_spec.lua @ 2: calc adds
    spec/calc_spec.lua:3: Expected objects to be the same.
    [  ERROR   ] 1 error, listed below:
    [  ERROR   ] test/functional/helpers.lua @ 857: after_each
    test/helpers.lua:156: assertion failed!

     18 SKIPPED TESTS
     1 ERROR

Each entry names the spec file and line (``path @ line:``; ``path:line:`` in older
busted) and the test's full name; an error in a hook (``before_each``, ``after_each``) is
listed under its hook's name. The lines after an entry are its description (printed
there with ``--defer-print``, and always by Neovim's handler; otherwise during the run,
between the test's ``[ RUN      ]`` and result lines): the first is the failure's
message, ``path:line: text`` where the assertion or error is. The TAP handler (``-o
TAP``) prints ``not ok N - name`` with ``# Failure message: …`` under it.

The id is the test's name as the handler prints it (the whole entry in the gtest lists);
the location is the message's ``path:line`` (where it failed), else the spec line. An
error whose value is a string starting with a newline prints ``path:line: (string) '``
with the text on the next line (Neovim's unit-test helpers re-raise a child's error so);
that next line is the message.
Skipped and pending tests are not failures. Entries are told from googletest's own
summary (``[  FAILED  ] Suite.Test``) by the Lua spec path.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, repo_location

# ``[ SKIPPED  ]``, ``[  FAILED  ]``, ``[  ERROR   ]``: the label centred in ten columns
_HEADER = re.compile(
    r"^\[ {1,2}(?:SKIPPED|FAILED|ERROR) {2,3}\] \d+ (?:tests?|errors?), listed below:$"
)
_ENTRY = re.compile(r"^\[  (?:FAILED|ERROR )  \] ((\S+\.(?:lua|moon))(?::| @ )(\d+): \S.*?)\s*$")
# a test's result line while the run goes on: ``[  FAILED  ] <entry> (0.12 ms)``
_RESULT = re.compile(
    r"^\[  (?:FAILED|ERROR )  \] (\S+\.(?:lua|moon)(?::| @ )\d+: \S.*?) \([\d.]+ ms\)$"
)
_RUN = re.compile(r"^\[ RUN      \] \S+\.(?:lua|moon)(?::| @ )\d+: ")
# the message's own place: ``spec/x_spec.lua:14: Expected …``
_AT = re.compile(r"^(\S+\.(?:lua|moon)):(\d+): \S")
# the default handlers' block header: ``Failure -> spec/x_spec.lua @ 2`` (``→`` in UTF-8)
_BLOCK = re.compile(r"^(?:Failure|Error) (?:->|→) (\S+\.(?:lua|moon)) @ (\d+)$")
# a spec file that does not load: ``Error -> spec/x_spec.lua:3: <name> expected near '='``
# (the message on the header line), then the file as the test's name
_LOAD_ERROR = re.compile(r"^Error (?:->|→) ((\S+\.(?:lua|moon)):(\d+): \S.*)$")
# TAP: ``not ok 3 - calc divides`` then ``# spec/x_spec.lua @ 8``, ``# Failure message: …``
_TAP_NOT_OK = re.compile(r"^not ok \d+ - (\S.*)$")
_TAP_PLACE = re.compile(r"^# (\S+\.(?:lua|moon)) @ (\d+)$")
_TAP_MESSAGE = re.compile(r"^# Failure message: (\S.*)$")
# an error whose value is a string that starts with a newline, printed as ``(string) '``
# with the text on the next lines (Neovim's unit-test helpers re-raise the child's error so):
# the next line is the message
_STRING_OPEN = re.compile(r"^\S+\.(?:lua|moon):\d+: \(string\) '$")
# the footer (`` 1 FAILED TEST``, `` 2 ERRORS``, `` 18 SKIPPED TESTS``) ends the lists
_FOOTER = re.compile(r"^ \d+ (?:SKIPPED |FAILED )?(?:TESTS?|ERRORS?)$")


class Busted(Extractor):
    """Failures and errors of busted's handlers: the default handlers' blocks, the TAP
    handler's ``not ok`` lines and the gtest-style end-of-run lists, each with the first
    line of its description as the message (in the gtest style printed after the entry
    with ``--defer-print`` and by Neovim's handler, else during the run between the
    test's ``[ RUN      ]`` line and its result line)."""

    name = "busted"
    # vis-test-style status tables print busted's own results again
    subsumes = ("status-table",)
    # the lists' headers (a skipped list too: its entries end the previous description),
    # the entries, each followed by its description, and a message printed during the run
    triggers = (
        r"^\[ (?:SKIPPED|  FAILED|  ERROR ) {2,3}\] \d+ \w+, listed below:$",
        r"^\[  (?:FAILED|ERROR )  \] \S+\.(?:lua|moon)(?::| @ )\d+: ",
        r"^\[ RUN      \] \S+\.(?:lua|moon)(?::| @ )\d+: ",
        r"^\S+\.(?:lua|moon):\d+: \S",
        r"^(?:Failure|Error) (?:->|→) \S+\.(?:lua|moon)(?: @ \d+$|:\d+: )",
        r"^not ok \d+ - \S",
        r"^# (?:Failure message: |\S+\.(?:lua|moon) @ \d+$)",
    )
    follow = (*triggers[:2], triggers[4])

    def __init__(self) -> None:
        super().__init__()
        self.listing = False  # inside the lists (after a header, before the footer)
        self.current: str | None = None  # the entry whose description follows
        self.running = False  # between a test's RUN line and its result
        self.pending: tuple[str, int] | None = None  # the running test's first message
        self.inline: dict[str, tuple[str, int]] = {}  # result entry -> its message
        self.block: tuple[str, str] | None = None  # a default-handler block's spec place
        self.load_error: tuple[str, int] | None = None  # a load error's header message
        # an error block (busted 2.1) may leave one blank line between the name and message
        self.named_at = 0
        self.tap: str | None = None  # the last ``not ok`` test's name
        self.tap_place: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if self._terminal(text, number) or self._tap(text, number):
            return
        if _RUN.match(text):
            self.running, self.pending = True, None
            return
        m = _RESULT.match(text)
        if m:
            if self.pending is not None and len(self.inline) < 1000:
                self.inline.setdefault(m.group(1), self.pending)
            self.running, self.pending = False, None
            return
        if _HEADER.match(text):
            self.listing, self.current, self.running = True, None, False
            return
        if not self.listing:
            if self.running and self.pending is None and _AT.match(text):
                self.pending = (text, number)
            return
        if _FOOTER.match(text):
            self.listing, self.current = False, None
            return
        m = _ENTRY.match(text)
        if m:
            self.current = m.group(1)
            self.add(self.current, number)
            self.note(self.current, location=repo_location(m.group(2), m.group(3)), line=number)
            if self.current in self.inline:
                self._message(self.current, *self.inline[self.current])
            return
        if text.startswith("["):
            self.current = None  # a skipped entry, or another list's header
            return
        if self.current is not None and text.strip():
            self._message(self.current, text, number)

    def _terminal(self, text: str, number: int) -> bool:
        """The default handlers' blocks: header, the test's name, its message."""
        m = _BLOCK.match(text)
        if m:
            self.block, self.current, self.load_error = (m.group(1), m.group(2)), None, None
            return True
        m = _LOAD_ERROR.match(text)
        if m:
            self.block, self.current = (m.group(2), m.group(3)), None
            self.load_error = (m.group(1), number)
            return True
        if self.block is None:
            return False
        if not text.strip():
            if self.current is not None and number != self.named_at + 1:
                self.block = self.current = None  # the block ended
            return True
        if self.current is None:
            self.current, self.named_at = text.strip(), number
            self.add(self.current, number)
            self.note(self.current, location=repo_location(*self.block), line=number)
            if self.load_error is not None:  # the message came first, on the header
                self._message(self.current, *self.load_error)
                self.block = self.current = self.load_error = None
        else:
            self._message(self.current, text, number)
            self.block = self.current = None
        return True

    def _tap(self, text: str, number: int) -> bool:
        m = _TAP_NOT_OK.match(text)
        if m:
            self.tap, self.tap_place = m.group(1).strip(), None
            return True
        if self.tap is None:
            return False
        place = _TAP_PLACE.match(text)
        if place:
            self.tap_place = repo_location(place.group(1), place.group(2))
            return True
        m = _TAP_MESSAGE.match(text)
        if m:
            self.add(self.tap, number)
            self.note(self.tap, location=self.tap_place, line=number)
            self._message(self.tap, m.group(1), number)
            self.tap = None
            return True
        if not text.startswith("#"):
            self.tap = None
        return False

    def _message(self, test: str, text: str, number: int) -> None:
        info = self.details[test]
        if info.message is not None:
            return
        if _STRING_OPEN.match(text.strip()):
            return  # the message is on the next line
        at = _AT.match(text.strip())
        if at:  # the failure's own place wins over the entry's (where the test is defined)
            info.location = repo_location(at.group(1), at.group(2))
        self.note(test, message=text.strip(), line=number, raw=text)
