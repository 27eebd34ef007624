"""Failing-test extractors for pytest and unittest.

One module per framework family keeps each family's formats readable on their own;
the identifier forms are listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import (
    MAX_TESTS,
    Extractor,
    Failure,
    TestBlock,
    clip_message,
    is_test_location,
    repo_location,
)

_CHAINED = ("The above exception was the direct cause", "During handling of the above exc")
# sections under pytest's ``___ name ___`` rule that are no test: tox 3's ``___ summary ___``
# (its per-environment verdicts follow) and the items of pytest's check plugins, whose
# section is headed by the plugin's item name, not a test's: pytest-flake8 ``FLAKE8-check``
# (later ``flake8-check``), pytest-isort ``isort-check``, pytest-pycodestyle
# ``pycodestyle-check``, pytest-mypy ``mypy`` / ``mypy-status``, pytest-black ``black``.
# Their failures are lint findings printed below the header, never a test to re-run.
# a section headed by a node id whose file is no Python module: an item a plugin collected
# from another file (nbval's ``tests/x.ipynb::Cell 9``), whose name may hold spaces and whose
# report is the plugin's own text, not a traceback with ``E`` lines
_PLUGIN_ITEM = re.compile(r"^([^\s:]+\.\w+)::\S")
_NOT_A_TEST_SECTION = re.compile(r"^(?:summary|[A-Za-z0-9]+-check|mypy|mypy-status|black|BLACK)$")


class Pytest(Extractor):
    name = "pytest"
    triggers = (
        r"^(?:FAILED|ERROR) \S",
        r"^\[gw\d+\](?: \[ *\d+%\])? (?:FAILED|ERROR) ",
        r"^\S+\.py::[^\s\[]+(?:\[[^\]]*\])? (?:FAILED|ERROR)",
        r"^_{3,} .+ _{3,}$",
        r"^―{3,} [\w\[].* ―{3,}$",
        r"^Results \(.*\):$",
        r"^ +- \S+\.py:(?:\d+|\?) \S",
        r"^E +\S",
        r"^\S+\.py:\d+:(?: |$)",
        r"^\[XPASS\(strict\)\] ",
        r"^\S+\.py:\d+$",
        r"^(?:The above exception was the direct cause|During handling of the above exc)",
    )
    # a doctest's Expected:/Got: lines and a plugin item's report are not triggers
    # (s39e) nor is a collection error's bare message (``fail(pytrace=False)``, a module-level
    # ``pytest.skip``) under its ``___ ERROR collecting x.py ___`` head
    follow = (
        r"^_{3,} \[doctest\] \S",
        r"^_{3,} [^\s:]+\.\w+::\S.* _{3,}$",
        r"^_{3,} ERROR collecting \S+ _{3,}$",
    )
    _SUMMARY = re.compile(r"^(?:FAILED|ERROR) (\S+?(?:\[[^\]]*\])?)(?: - (.*))?$")
    # ``-v``: ``tests/x.py::test FAILED [ 50%]``; xdist: ``[gw0] [ 50%] FAILED tests/x.py::t``
    # (``[gw0] FAILED tests/x.py::t`` without the progress: ``console_output_style=classic``,
    # xdist before 1.22; pytest's ``TerminalReporter.pytest_runtest_logreport``)
    _VERBOSE = re.compile(
        r"^(?:\[gw\d+\](?: \[ *\d+%\])? (?:FAILED|ERROR) (\S+::\S+)"
        r"|(\S+\.py::[^\s\[]+(?:\[[^\]]*\])?) (?:FAILED|ERROR)(?: +\[ *\d+%\])?)\s*$"
    )
    # pytest-sugar heads a failure's section with ``―`` (its ``print_failure``:
    # ``write_sep("―", msg)``); meson's ``――― ✀ ―――`` rule names no test
    _HEADER = re.compile(r"^_{3,} (.+?) _{3,}$|^―{3,} ([\w\[].*?) ―{3,}$")
    # pytest-sugar's ``Results (0.05s):`` lists each failed test as ``- path:line Class.test``
    # (its ``summary_stats``; the line is the test's ``def``, not where it failed)
    _SUGAR_RESULT = re.compile(r"^ +- (\S+\.py):(?:\d+|\?) (\S.*?)\s*$")
    _E = re.compile(r"^E +(\S.*)$")
    _WHERE = re.compile(r"^(\S+\.py):(\d+):(?: |$)")
    # a fixture lookup error ends its section with the test's ``path:line`` alone
    _BARE_WHERE = re.compile(r"^(\S+\.py):(\d+)$")
    _SECTION_END = re.compile(r"^(?:={3,} |-{3,} Captured )")
    _TB_LINE = re.compile(r"^(\S+\.py):(\d+): (\S.*)$")
    _EXCEPTION = re.compile(
        r"^[A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Failed|Interrupt|Failure)\b"
    )

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.blocks: dict[str, TestBlock] = {}
        # later sections with a header already seen: module-level tests of the same name in
        # other files (pytest heads a section with the function's name only)
        self.same_name: dict[str, list[TestBlock]] = {}
        self.block: TestBlock | None = None
        self.summary: dict[str, tuple[str | None, int]] = {}
        self.where_since_e = False
        self.verbose: list[str] = []
        self.tb_lines: list[tuple[str, str, int]] = []  # (path:line, message, log line)
        self.doctest: list[str] = []
        self.collection_errors: set[str] = set()
        self.doctest_line = 0
        self.free_text = False  # reading a plugin item's report (no ``E`` lines)
        self.sugar_results = False  # in pytest-sugar's ``Results (…):`` list
        # (s39e) a collection error's section whose first line is not read yet
        self.collect_head = False

    def feed(self, text: str, number: int = 0) -> None:
        m = self._SUMMARY.match(text)
        if m and ("::" in m.group(1) or m.group(1).endswith(".py")):
            self.add(m.group(1))
            self.summary.setdefault(m.group(1), (m.group(2), number))
            self.block = None
            return
        m = self._VERBOSE.match(text)
        if m:
            self.verbose.append(m.group(1) or m.group(2))
            return
        if text.startswith("Results ("):
            self.sugar_results = text.rstrip().endswith("):")
            return
        if self.sugar_results and self._sugar_result(text):
            return
        m = self._HEADER.match(text)
        if m:
            name = m.group(1) or m.group(2)
            self.collect_head = name.startswith("ERROR collecting ")
            if self.collect_head:
                self.collection_errors.add(name[len("ERROR collecting ") :])
            for prefix in (
                "ERROR collecting ",
                "ERROR at setup of ",
                "ERROR at teardown of ",
                "[doctest] ",
            ):
                if name.startswith(prefix):
                    name = name[len(prefix) :]
            # a parametrised id may hold spaces (``test_x[cmd0-nix-env -iA x]``); a name
            # may not (``___ summary of something ___`` is no test's section)
            bare = name.strip("[]")
            item = _PLUGIN_ITEM.match(name)
            self.free_text = bool(item and not item.group(1).endswith(".py"))
            if not self.free_text and (
                " " in bare.partition("[")[0]
                or (" " in bare and not name.endswith("]"))
                or _NOT_A_TEST_SECTION.match(name)
            ):
                self.block = None
                return
            if name not in self.headers and len(self.headers) < MAX_TESTS:
                self.headers.append(name)
                self.block = self.blocks[name] = TestBlock(name, number)
            elif name in self.blocks and len(self.same_name.get(name, [])) < MAX_TESTS:
                self.block = TestBlock(name, number)
                self.same_name.setdefault(name, []).append(self.block)
            else:
                self.block = None
            return
        if self.block is None:
            m = self._TB_LINE.match(text)
            if m and len(self.tb_lines) < MAX_TESTS:  # ``--tb=line``: one line per failure
                self.tb_lines.append((repo_location(m.group(1), m.group(2)), m.group(3), number))
            return
        if self._SECTION_END.match(text):
            self.block = None
            return
        if self.collect_head and text.strip():
            self.collect_head = False
            if self._collect_head(self.block, text, number):
                return
        if self.free_text:
            # a plugin's item (a notebook cell): its report's first paragraph says what failed
            if not text.strip():
                self.free_text = bool(not self.block.message)
            else:
                self.block.take(text, number)
            return
        if text.startswith(_CHAINED):
            # a chained exception: the frames so far are the cause's; the test's own line
            # is among the final exception's frames below
            self.block.locations = []
            return
        m = self._E.match(text)
        if m:
            # chained exceptions print several E-runs; the last one is the final error
            block = self.block
            new_run = not block.message or self.where_since_e
            if new_run or (
                # a SyntaxError's run starts with ``File "x.py", line 1`` and the source;
                # the exception line below them is the message
                not self._EXCEPTION.match(block.message[0]) and self._EXCEPTION.match(m.group(1))
            ):
                block.message, block.closed_message = [], False
                block.message_line = None
                block.take(m.group(1), number)
                if block.test in self.collection_errors:
                    block.raw = text.rstrip()  # the line as printed: a load error's key line
            self.where_since_e = False
            return
        if text.startswith("[XPASS(strict)]") and not self.block.message:
            self.block.take(text, number)  # the section of a strict xfail that passed
            return
        if text.strip() == "Expected:" and not self.block.message:
            self.doctest = [text.strip()]  # a doctest failure: Expected: … Got: …
            self.doctest_line = number
            return
        if self.doctest:
            self._doctest_line(self.block, text)
            return
        m = self._WHERE.match(text) or self._BARE_WHERE.match(text)
        if m:
            self.where_since_e = True
            if len(self.block.locations) < 20:
                self.block.locations.append(repo_location(m.group(1), m.group(2)))

    def _collect_head(self, block: TestBlock, text: str, number: int) -> bool:
        """The first line of a collection error's section is its message when pytest wrote
        no traceback: ``fail(msg, pytrace=False)`` during collection (``--strict-markers``'
        ``'slow' not found in `markers` configuration option``, a skip used outside a test)
        prints the bare message (``Collector.repr_failure`` returns ``str(excinfo.value)``
        in _pytest/nodes.py), and ``ImportError while importing test module '…'.`` heads an
        import's. An ``E`` line below, after the traceback's locations, replaces it."""
        if text.startswith((" ", "\t", "E ", ">")) or self._WHERE.match(text) or block.message:
            return False
        if text.startswith(("Traceback", "Hint:")):
            return False
        block.take(text, number)
        self.where_since_e = True  # the next ``E`` run is the error itself
        return True

    def _doctest_line(self, block: TestBlock, text: str) -> None:
        """``Expected:`` / value / ``Got:`` / value: one message, e.g. ``Expected: 5 Got: 4``."""
        stripped = text.strip()
        if stripped and (text.startswith(" ") or stripped in ("Got:", "Got nothing")):
            self.doctest.append(stripped)
            if len(self.doctest) < 6:
                return
        block.message = [" ".join(self.doctest)]
        block.message_line, block.raw = self.doctest_line, self.doctest[0]
        self.doctest = []
        where = self._WHERE.match(text)
        if where and len(block.locations) < 20:
            block.locations.append(repo_location(where.group(1), where.group(2)))

    def _sugar_result(self, text: str) -> bool:
        """A line of pytest-sugar's results: a failed test (``- tests/t.py:9 TestK.test_q``,
        read as its node id) or a count (``    1 failed``); False at the list's end."""
        m = self._SUGAR_RESULT.match(text)
        if m:
            name, bracket, params = m.group(2).partition("[")
            self.verbose.append(f"{m.group(1)}::{name.replace('.', '::')}{bracket}{params}")
            return True
        self.sugar_results = bool(re.match(r"^ +\d+ \w+$", text))
        return self.sugar_results

    def tests(self) -> list[str]:
        # The short summary has full node ids; verbose result lines, then section headers
        # are fallbacks (-rN, -q).
        if self.found:
            return list(self.found)
        verbose = list(dict.fromkeys(self.verbose))[:MAX_TESTS]
        return verbose or [self._qualified(h) for h in self.headers[:MAX_TESTS]]

    def _qualified(self, header: str) -> str:
        """A section header (``TestEdge.test_big``) as a node id (``tests/t.py::TestEdge::
        test_big``) when its traceback names the test file: pytest before 6 and ``-rN``
        print no short summary, and the bare name is not what anyone pastes to re-run."""
        block = self.blocks.get(header)
        if block is None or "/" in header or "::" in header:
            return header
        name, bracket, params = header.partition("[")
        for location in block.locations:
            path = location.rsplit(":", 1)[0]
            if path.endswith(".py") and is_test_location(location):
                return f"{path}::{name.replace('.', '::')}{bracket}{params}"
        return header

    def failures(self) -> list[Failure]:
        out = []
        used: set[int] = set()
        for test in self.tests():
            block = self._block_for(test)
            summary_msg, summary_line = self.summary.get(test, (None, None))
            failure = Failure(test, line=summary_line)
            if block is not None:
                failure.line = block.start
                if block.message:
                    failure.message = clip_message(block.text() or "")
                    failure.line = block.message_line
                    failure.raw = block.raw
                failure.location = self._pick_location(test, block.locations)
            failure.load_error = test in self.collection_errors
            if block is None:
                self._from_tb_line(test, failure, used)
            if not failure.message and summary_msg:
                failure.message = clip_message(summary_msg)
                failure.line = summary_line
                failure.raw = summary_msg
            out.append(failure)
        return out

    def _from_tb_line(self, test: str, failure: Failure, used: set[int]) -> None:
        """``--tb=line`` prints ``/abs/tests/x.py:5: assert 0 == 1`` per failure, in the
        order of the short summary: the first unused one in the test's file is its."""
        path = test.partition("::")[0]
        for index, (where, message, number) in enumerate(self.tb_lines):
            if index not in used and where.rsplit(":", 1)[0] == path:
                used.add(index)
                failure.location = where
                failure.message, failure.line, failure.raw = clip_message(message), number, message
                return

    def _block_for(self, test: str) -> TestBlock | None:
        if test in self.blocks:
            return self.blocks[test]
        path, _, rest = test.partition("::")
        dotted = rest.replace("::", ".")
        block = self.blocks.get(dotted) or self.blocks.get(path) if rest else self.blocks.get(path)
        if block is None or not rest:
            return block
        # tests of the same name in several files: the section whose traceback is in the
        # test's file; none when each names another test file (another module's test)
        same = [block, *self.same_name.get(block.test, [])]
        twins = {t for t in (*self.found, *self.verbose) if t.endswith("::" + block.test)}
        if len(same) == 1 and len(twins) < 2:
            return block  # one test of that name: its section, wherever its traceback ends
        files = [
            [loc.rsplit(":", 1)[0] for loc in b.locations if is_test_location(loc)] for b in same
        ]
        for candidate, paths in zip(same, files, strict=True):
            if any(_same_file(p, path) for p in paths):
                return candidate
        return None if any(files) else block

    @staticmethod
    def _pick_location(test: str, locations: list[str]) -> str | None:
        path = test.partition("::")[0]
        for loc in locations:
            if loc.rsplit(":", 1)[0] == path:
                return loc
        for loc in locations:
            if not any(bad in loc for bad in ("site-packages", "/lib/python", "_pytest")):
                return loc
        return locations[-1] if locations else None


def _same_file(location_path: str, node_path: str) -> bool:
    """A traceback's path and a node id's path name the same file (either may be relative
    to a different directory: the repository, pytest's rootdir)."""
    a, b = location_path, node_path
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


# nose names a function test by its dotted path (``FAIL: tests.test_calc.test_divide``,
# a generator's with its arguments); its ``testMatch`` wants ``test`` in the name
_NOSE_ID = r"((?:\w+\.)+(?:[Tt]est|\w*_[Tt]est)\w*)(?:\(.*\))?"
# the loader's stand-in for a module that failed to import: its method is the module
_LOADER = ("unittest.loader._FailedTest", "unittest.loader.ModuleImportFailure")


# the last line of an assertion's long message (a diff) that carries the test's ``msg``
# (``+ (2, 0) : NOC1 location mismatch``; after a ``?`` hint line the msg starts the line)
_DIFF_MSG = re.compile(r"^(?:[-+?] .*)? : (\S.*)$")
DIFF_LINES = 40  # lines of a failure's message read for its msg


class Unittest(Extractor):
    """unittest's (and nose's, Django's, nose2's) ``FAIL: name (id)`` blocks, and the
    result column of ``-v``: ``test_x (pkg.Class[.test_x]) ... FAIL`` (nose's function
    tests ``pkg.mod.test_x ... ERROR``), which a paste of the progress alone keeps."""

    name = "unittest"
    triggers = (
        r"^(?:FAIL|ERROR): \w+ \(",
        r"^UNEXPECTED SUCCESS: \w+ \(",
        rf"^(?:FAIL|ERROR): {_NOSE_ID}$",
        r"^\w+ \([\w.]+\)(?: \(.*\))? \.\.\. (?:FAIL|ERROR)$",
        rf"^{_NOSE_ID} \.\.\. (?:FAIL|ERROR)$",
        r"^\w+ \([\w.]+\)$",
    )
    follow = (
        r"^(?:FAIL|ERROR): \w+ \(",
        rf"^(?:FAIL|ERROR): {_NOSE_ID}$",
        r"^\w+ \([\w.]+\)$",
    )
    _RE = re.compile(rf"^(FAIL|ERROR|UNEXPECTED SUCCESS): (?:(\w+) \(([\w.]+)\)|{_NOSE_ID}$)")
    _VERBOSE = re.compile(rf"^(?:(\w+) \(([\w.]+)\)(?: \(.*\))?|{_NOSE_ID}) \.\.\. (?:FAIL|ERROR)$")
    _FRAME = re.compile(r'^  File "([^"]+)", line (\d+), in (\w+)')
    # a test with a docstring: ``-v`` prints ``test_x (pkg.C.test_x)``, then the docstring's
    # first line and `` ... FAIL`` (``TextTestResult.getDescription``)
    _DESCRIBED = re.compile(r"^(\w+) \(([\w.]+)\)$")
    _DESCRIBED_RESULT = re.compile(r"^\S.* \.\.\. (?:FAIL|ERROR)$")
    _SKIP = ("Traceback", "During handling", "The above exception", "=====", "-----")

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None
        self.method = ""
        self.own: dict[str, str] = {}  # test -> its method's frame, once a block had one
        self.own_message: set[str] = set()
        # the last frame's source line of the open block (``    raise_x(cert)``)
        self.source: tuple[str, int] | None = None
        # after a failure's exception line: its test, the last line read, lines left
        self.diff: tuple[str, str, int] | None = None
        # between a block's header and its ``----`` rule: the docstring's line, if any
        self.describing = False
        self.described: str | None = None  # ``-v``'s ``name (id)`` alone on its line

    def failures(self) -> list[Failure]:
        self._cut_short()
        return super().failures()

    def _cut_short(self) -> None:
        """A traceback that ends (a paste cut, the next test's header) before its exception
        line: the last source line it showed is all it says of where it failed."""
        block, source = self.block, self.source
        if block is not None and source is not None and not self.details[block.test].message:
            self.note(block.test, message=source[0].strip(), line=source[1], raw=source[0])
            if block.locations:
                self.note(block.test, location=block.locations[-1])
        self.source = None

    @staticmethod
    def _in_repository(test: str, path: str, line: str) -> str:
        """A checkout outside the runner's workspace leaves the frame's path absolute; the
        test's dotted module (``pkg.tests.test_x``) is its path from the repository root."""
        where = repo_location(path, line)
        module = test.rsplit(".", 2)[0].replace(".", "/") + ".py"
        if where.startswith("/") and "/" in module and path.endswith("/" + module):
            return f"{module}:{line}"
        return where

    def feed(self, text: str, number: int = 0) -> None:
        described, self.described = self.described, None
        if described is not None and self._DESCRIBED_RESULT.match(text):
            self.add(described, number)
            return
        m = self._DESCRIBED.match(text)
        if m:
            self.described = _test_id(m.group(1), m.group(2), None)
            return
        if self.describing and not self._RE.match(text):
            # unittest's ``printErrorList``: the header, the docstring's first line (with
            # ``descriptions``), then the ``-`` rule; the error follows the rule
            if text.startswith("-" * 10) or text.startswith("Traceback"):
                self.describing = False
            if text.startswith("-" * 10) or (self.describing and text.strip()):
                return
        m = self._RE.match(text)
        if m:
            self._cut_short()
            kind, method, dotted, function = m.groups()
            test = _test_id(method, dotted, function)
            method = method or test.rsplit(".", 1)[-1]
            self.add(test, number)
            self.block, self.method = TestBlock(test, number), method
            self.describing = True
            if kind == "UNEXPECTED SUCCESS":  # an expectedFailure that passed: no traceback
                self.note(test, message="unexpected success", line=number, raw=text)
                self.block = None
            return
        m = self._VERBOSE.match(text)
        if m:
            self.add(_test_id(*m.groups()), number)
            return
        block = self.block
        if block is None:
            self._read_diff(text)
            return
        frame = self._FRAME.match(text)
        if text.startswith("    ") and self.source is None and not frame:
            self.source = (text, number)
        if frame:
            self.source = None
            where = self._in_repository(block.test, frame.group(1), frame.group(2))
            module = block.test.rsplit(".", 2)[0].rsplit(".", 1)[-1]
            if frame.group(3) == self.method:
                self._own_frame(block.test, where)
            elif frame.group(1).endswith(f"/{module}.py") or frame.group(1) == f"{module}.py":
                block.locations.append(where)  # setUp/tearDown in the test's own file
            return
        if text.startswith(("=" * 10, "Ran ")):
            self.block, self.source = None, None
            return
        if text and not text[0].isspace() and not text.startswith(self._SKIP):
            self.note(block.test, message=text, line=number)
            if block.locations:
                self.note(block.test, location=block.locations[-1])
            if block.test in self.own and block.test not in self.own_message:
                # the test's own failure (a frame in its method) beats an earlier error
                # from a cleanup or tearDown of the same test
                info = self.details[block.test]
                info.message, info.line, info.raw = clip_message(text), number, text
                info.location = self.own[block.test]
                self.own_message.add(block.test)
            self.block = None
            self.diff = (block.test, "", DIFF_LINES)

    def _read_diff(self, text: str) -> None:
        """The lines after a failure's exception line, up to the ruler that ends its block:
        an assertion's ``msg`` on a long message (a diff) ends its last line (``+ (2, 0) :
        NOC1 location mismatch``), so it joins the message as unittest printed it."""
        if self.diff is None:
            return
        test, last, left = self.diff
        if text.startswith(("-" * 10, "=" * 10, "Ran ")) or left <= 0:
            self.diff = None
            m = _DIFF_MSG.match(last)
            info = self.details.get(test)
            if m and left > 0 and info is not None and info.message:
                info.message = clip_message(f"{info.message} : {m.group(1)}")
            return
        self.diff = (test, text if text.strip() else last, left - 1)

    def _own_frame(self, test: str, where: str) -> None:
        self.note(test, location=where)
        if len(self.own) < MAX_TESTS:
            self.own.setdefault(test, where)


def _test_id(method: str | None, dotted: str | None, function: str | None) -> str:
    """The id to re-run: ``pkg.Class.method`` (3.11+ prints it whole in parentheses,
    older versions only the class), nose's dotted function, or the module the loader
    could not import."""
    if function:
        return function
    method, dotted = method or "", dotted or ""
    if dotted.startswith(_LOADER):
        return method
    return dotted if dotted.endswith("." + method) else f"{dotted}.{method}"


class BitcoinFunctional(Extractor):
    """Bitcoin Core's functional-test runner (``test/functional/test_runner.py``, kept by
    its forks): a failed script is announced ``6/124 - feature_x.py failed, Duration: 12 s``
    (older runners without the counter; the name may carry the script's arguments), then
    its ``stdout:`` with the framework's log lines and the Python traceback, ``stderr:``,
    and the combined node logs; the summary table marks it ``| ✖ Failed  |``. The message
    is the exception line of the script's last traceback before the node logs, the location
    the script's own frame in it: the framework logs the test's exception on stdout, and a
    traceback on stderr is what then ended the script (stopping a node that had crashed:
    ``Node returned non-zero exit code (-6) when stopping``, where the stdout traceback
    shows only the lost RPC connection); of chained exceptions the last is the one raised."""

    name = "bitcoin-functional"
    _HEADER_RE = r"^(?:\d+/\d+ - )?(\S+\.py(?: -\S+)*) failed, Duration: \d+ s$"
    _ROW_RE = r"^(\S+\.py(?: -\S+)*) +\| ✖ Failed +\| \d+ s$"
    # the runner's section lines: the script's stderr (fed on: its traceback's frames) and
    # the combined node logs, which repeat the tracebacks with prefixes
    _STDERR_RE = r"^stderr:$"
    _NODE_LOGS_RE = r"^Combined log for \S"
    triggers = (_HEADER_RE, _ROW_RE, _STDERR_RE, _NODE_LOGS_RE)
    follow = (_HEADER_RE, _STDERR_RE)
    _HEADER = re.compile(_HEADER_RE)
    _ROW = re.compile(_ROW_RE)
    _FRAME = re.compile(r'^  File "([^"]+)", line (\d+), in \S+$')

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.in_traceback = False
        self.where: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        for pattern in (self._HEADER, self._ROW):
            m = pattern.match(text)
            if m:
                self.add(m.group(1), number)
                if pattern is self._HEADER:
                    self.test, self.in_traceback, self.where = m.group(1), False, None
                return
        if self.test is None:
            return
        if text.startswith(("Combine the logs", "Combined log for ")):
            self.test = None  # the node logs repeat the traceback with prefixes
        elif text == "Traceback (most recent call last):":
            self.in_traceback, self.where = True, None
        elif self.in_traceback:
            frame = self._FRAME.match(text)
            script = self.test.split()[0]
            if frame and frame.group(1).rsplit("/", 1)[-1] == script:
                self.where = repo_location(frame.group(1), frame.group(2))
            elif text and not text[0].isspace():
                self._exception(self.test, text, number)
                self.in_traceback = False

    def _exception(self, test: str, text: str, number: int) -> None:
        """A later traceback's exception replaces an earlier one (its own frame with it,
        else the earlier location stays)."""
        info = self.details.get(test)
        if info is None or not info.message:
            self.note(test, message=text, location=self.where, line=number, raw=text)
            return
        info.message, info.line, info.raw = clip_message(text), number, text
        if self.where:
            info.location = self.where
