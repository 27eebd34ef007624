"""Failing-test extractors for ``go test`` (and, re-exported, ``cargo test``: extract_rust).

One module per framework family keeps each family's formats readable on their own;
the identifier forms are listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import (
    MAX_MESSAGE_LINES,
    Extractor,
    Failure,
    relative_path,
    repo_location,
)
from .extract_rust import CargoTest  # re-exported: where older imports look


class GoTest(Extractor):
    name = "go"
    triggers = (
        r"^ *--- FAIL: \S",
        r"^=== FAIL: \S+ \S",
        r"^FAIL \S*(?:Test|Example|Fuzz)\w*\S* (?:\(re-run \d+\) )?\([\d.]+s\)$",
        # gotestsum --format github-actions: a result with output opens a group (the
        # runner's log shows ``##[group]``), one without is indented by two
        r"^(?:##\[group\]|::group::|  )(?:FAIL|PASS|SKIP) \S*(?:Test|Example|Fuzz)\w*\S* \(",
        r"^[ \t]+\S+\.go:\d+: ",  # Go before 1.14 indents t.Error lines with a tab
        r"^panic: ",
        r"^\t\S+_test\.go:\d+ ",
        r"^ *--- PASS: ",
        r"^\S+\.Test\w*\(",
        r"^\t\t?Test\w*\S* \(",
        # a package's result: ``FAIL\tpkg\t0.01s``, ``ok  \tpkg\t0.01s`` (go prints tabs;
        # a paste may have turned them into spaces)
        r"^(?:FAIL|ok)(?: +\t?|\t)\S+(?:\t| +(?:[\d.]+s|\(cached\))(?: |$))",
        r"^\s+Error Trace:\s+\S+\.go:\d+",
        r"^\s+Error:\s+\S",
        r"^=== RUN +Test",
        # -v since Go 1.14: which test the next output lines are (src/testing/testing.go
        # ``=== CONT``; ``=== NAME`` since Go 1.20 when parallel tests interleave)
        r"^=== (?:CONT|NAME) +(?:Test|Example|Fuzz)",
        r"^fatal error: ",
        r"^coverage: \S+ of statements in ",
        # Ginkgo's tally (v1 and v2 reporters): the go test after it only hosts the suite
        r"^FAIL! -",
        r"^OOPS: \d+ passed",  # gocheck's tally, likewise
    )
    # a failed example's ``got:``/``want:`` lines follow its result line unindented
    follow = (r"^[ \t]+\S+_test\.go:\d+: *$", r"^--- FAIL: Example")
    # gotestsum: ``=== FAIL: pkg TestX`` names the package relative to the module
    # and its ``testname`` format one line per result: ``FAIL calc.TestAdd (0.00s)``
    # (gotestsum testjson/format.go: ACTION package.Test[ (re-run N)] (elapsed))
    _RE = re.compile(
        r"^ *--- FAIL: (\S+)|^=== FAIL: (\S+) (\S+)"
        r"|^(?:##\[group\]|::group::|  )?FAIL (?:(\S+)\.)?((?:Test|Example|Fuzz)\w*(?:/\S+)?)"
        r"(?: \(re-run \d+\))?"
        r" \([\d.]+s\)$"
    )
    _PASSED = re.compile(
        r"^(?:##\[group\]|::group::|  )(?:PASS|SKIP) (?:\S+\.)?((?:Test|Example|Fuzz)\S*) \("
    )
    _PACKAGE = re.compile(r"^(?:FAIL|ok)(?: +\t?|\t)(\S+)(?:\t| +(?:[\d.]+s|\(cached\))(?: |$))")
    # ``-coverpkg``: the packages measured, of the job's repository and (GOPATH) others
    _COVERED = re.compile(r"^coverage: \S+ of statements in (\S.*)$")
    _MSG = re.compile(r"^[ \t]+(\S+\.go):(\d+): (.*)$")
    _BARE = re.compile(r"^[ \t]+(\S+_test\.go):(\d+): *$")
    _PANIC_FRAME = re.compile(r"^\t(\S+_test\.go):(\d+) ")
    _TIMEOUT_FRAME = re.compile(r"^\S+\.(Test\w*)\(")
    _RUNNING = re.compile(r"^\t\t?(Test\w*\S*) \(\d")
    # testify's block under a failing test: ``x_test.go:25:`` (newer versions), then an
    # indented ``Error Trace:`` (where) and ``Error:`` (what)
    _TESTIFY_TRACE = re.compile(r"^\s+Error Trace:\s+(\S+?\.go):(\d+)")
    _TESTIFY_ERROR = re.compile(r"^\s+Error:\s+(\S.*?)\s*$")
    # the test whose output follows (``-v``): testing.go prints ``=== RUN``, and when
    # parallel tests interleave ``=== CONT`` (Go 1.14-1.19) or ``=== NAME`` (1.20+)
    _OWNER = re.compile(r"^=== (?:RUN|CONT|NAME) +((?:Test|Example|Fuzz)\S*)")
    # t.Log and t.Error print alike: the line that reads as a failure is the message
    _ERRORISH = re.compile(
        r"\b(?:want|got|expected|unexpected|error|fail\w*|mismatch|should|must|panic\w*|"
        r"wrong|invalid|missing|not equal|diff)\b|!=|==",
        re.IGNORECASE,
    )

    def __init__(self) -> None:
        super().__init__()
        # -v: message lines printed before the test's result line
        self.pending: list[tuple[str, str, int, str | None]] = []  # (msg, loc, line, owner)
        self.owner: str | None = None  # the test ``=== RUN/CONT/NAME`` last named (-v)
        self.awaiting: str | None = None
        self.panicking: str | None = None
        self.timed_out = False
        self.package_start = 0  # failures before this index belong to earlier packages
        self.package_of: dict[str, str] = {}  # test -> gotestsum's relative package
        self.directory_of: dict[str, str] = {}  # test -> its package's directory (guessed)
        self.roots: set[str] = set()  # the repositories (``host/owner/name``) of the packages
        self.bare: tuple[str, str] | None = None  # a testify block's ``file:line``
        self.traced: tuple[str, str] | None = None  # old testify: its Error Trace's frame
        self.running: str | None = None  # the last ``=== RUN`` test with no result yet
        self.example: list[str] | None = None  # a failed example's got:/want: lines so far
        self.example_line = 0
        # Ginkgo's ``FAIL! --`` or gocheck's ``OOPS:`` tally was the last result line
        self.tally: str | None = None
        self.hosts: dict[str, str] = {}  # go tests that ran such a suite -> its runner

    def feed(self, text: str, number: int = 0) -> None:
        m = self._COVERED.match(text)
        if m:
            for path in m.group(1).split(", "):
                parts = path.split("/")
                if "." in parts[0]:
                    self.roots.add("/".join(parts[: 3 if parts[0] in _HOSTS else 2]))
            return
        m = self._PACKAGE.match(text)
        if m:
            self._locate_in_package(m.group(1))
            self.pending, self.owner = [], None
            return
        if self._example(text, number) or self._testify(text, number):
            return
        if self._crash(text, number):
            return
        if text.startswith(("FAIL! -", "OOPS: ")):
            self.tally = "ginkgo" if text.startswith("FAIL!") else "gocheck"
            return
        m = self._RE.match(text)
        if m:
            test = m.group(1) or m.group(3) or m.group(5)
            self.add(test, number)
            if self.tally:  # the go test that ran a suite: its tests are the suite's to name
                self.hosts[test] = self.tally
                self.tally = None
            if m.group(2) or m.group(4):
                self.package_of.setdefault(test, m.group(2) or m.group(4))
            mine = self._claim(test)
            if mine:  # -v: t.Error lines stream before the test's result
                # what reads as a failure, else the test file's line (not a helper's log)
                first = next((p for p in mine if p[1]), mine[0])
                msg, pending_loc, line, _ = next(
                    (p for p in mine if self._ERRORISH.search(p[0])), first
                )
                self.note(test, message=msg, location=pending_loc or None, line=line)
                self.awaiting = None
            else:
                self.awaiting = test
            return
        m = self._PASSED.match(text)
        if m:  # gotestsum's passing test: the output below is its own
            self.awaiting, self.owner = None, m.group(1)
            return
        if text.lstrip().startswith("--- PASS: "):
            passed = text.split()[2] if len(text.split()) > 2 else ""
            self.pending = [p for p in self.pending if p[3] is not None and p[3] != passed]
            self.awaiting, self.running = None, None
            return
        m = self._MSG.match(text)
        if m:
            self._message(m.group(1), m.group(2), m.group(3), number, text)
            return
        if text.startswith("panic: "):
            self.timed_out = text.startswith("panic: test timed out")
            target = self.awaiting or (self.found[-1] if self.found else None)
            if target:
                self.note(target, message=text, line=number)
                self.panicking = target
            return
        if self.timed_out:
            m = self._RUNNING.match(text) or self._TIMEOUT_FRAME.match(text)
            if m:
                self.add(m.group(1), number)
                self.panicking = m.group(1)
                return
        m = self._PANIC_FRAME.match(text)
        if m and self.panicking:
            self.note(self.panicking, location=repo_location(m.group(1), m.group(2)))

    def _message(
        self, path: str, line: str, text: str, number: int, raw: str, prefixed: bool = True
    ) -> None:
        """A ``file.go:N: text`` line: the awaited test's message, or (``-v``) pending
        until the test's ``--- FAIL`` line names it."""
        test_file = path.endswith("_test.go")
        loc: str | None = f"{path}:{line}" if test_file else None
        message = f"{path}:{line}: {text}" if test_file and prefixed else text
        if self.awaiting:
            self._note_message(self.awaiting, message, loc, number, raw)
        elif (test_file or self.owner) and len(self.pending) < 50:
            # under ``-v`` the test is known from its ``=== RUN/NAME`` header, so testing's
            # own lines count too (``testing.go:1446: race detected during execution of test``)
            owner = self.owner
            if sum(1 for p in self.pending if p[3] == owner) < 5:
                self.pending.append((message, loc or "", number, owner))

    def _claim(self, test: str) -> list[tuple[str, str, int, str | None]]:
        """The pending ``-v`` lines of ``test``: those printed under its own header, else
        under a subtest's (``TestP`` fails with ``TestP/a``), else under no header or its
        parent's (Go 1.14-1.19 names no test when output returns to a parent from its
        subtest). The test's own lines are taken away;
        other tests' stay theirs (parallel tests report out of order)."""
        own = [p for p in self.pending if p[3] == test]
        if own:
            self.pending = [p for p in self.pending if p[3] != test]
            return own
        subtests = [p for p in self.pending if p[3] and p[3].startswith(test + "/")]
        if subtests:
            return subtests
        loose = [p for p in self.pending if p[3] is None or test.startswith(p[3] + "/")]
        self.pending = [p for p in self.pending if p not in loose]
        return loose

    def wrappers(self) -> dict[str, str]:
        return self.hosts

    def _example(self, text: str, number: int) -> bool:
        """A failed example prints ``got:`` and ``want:`` blocks under its result line
        (src/testing/example.go: ``--- FAIL: %s (%s)\\ngot:\\n%s\\nwant:\\n%s\\n``); both
        blocks together are its message."""
        if self.example is None:
            if text == "got:" and self.awaiting and self.awaiting.startswith("Example"):
                self.example, self.example_line = [text], number
                return True
            return False
        done = len(self.example) > MAX_MESSAGE_LINES * 2 or text.startswith(
            ("--- ", "=== ", "FAIL", "ok ", "PASS", "panic: ")
        )
        if not done:
            self.example.append(text)
            return True
        if self.awaiting:
            message = "\n".join(self.example)
            self.note(self.awaiting, message=message, line=self.example_line, raw="got:")
        self.example = None
        return False

    def _testify(self, text: str, number: int) -> bool:
        """testify's block under a failing test: newer versions print ``x_test.go:25:``
        and then an indented ``Error Trace:`` / ``Error:`` pair, old ones only the pair.
        The ``Error:`` line is the assertion; the test file's line is the location."""
        m = self._BARE.match(text)
        if m:
            self.bare = (m.group(1), m.group(2))
            return True
        m = self._TESTIFY_TRACE.match(text)
        if m:
            if self.bare is None:  # old versions: the trace's first frame is the test's
                self.traced = (relative_path(m.group(1)), m.group(2))
            return True
        m = self._TESTIFY_ERROR.match(text) if self.bare or self.traced else None
        if m is None:
            return False
        if self.bare:  # the message as printed: the file line, then testify's Error line
            self._message(*self.bare, f"Error: {m.group(1)}", number, text)
        elif self.traced:
            path, line = self.traced
            self._message(path, line, m.group(1), number, text, prefixed=False)
        self.bare = self.traced = None
        return True

    def _crash(self, text: str, number: int) -> bool:
        """``=== RUN`` (-v) tracks the test in progress; a runtime ``fatal error:`` (a
        crash no test can recover, printed without a ``--- FAIL`` line) is that test's."""
        if text.startswith("=== "):
            m = self._OWNER.match(text)
            if m:
                self.owner, self.awaiting = m.group(1), None
                if text.startswith("=== RUN"):
                    self.running = m.group(1)
                return True
        if not text.startswith("fatal error: "):
            return False
        target = self.awaiting or self.running
        if target:
            self.add(target, number)
            self.note(target, message=text, line=number)
            self.panicking = target
        return True

    def _note_message(
        self, test: str, message: str, location: str | None, number: int, raw: str
    ) -> None:
        """First line wins, unless it reads like a log line and this one like a failure."""
        info = self.details.get(test)
        if (
            info is not None
            and info.message
            and not self._ERRORISH.search(info.message)
            and self._ERRORISH.search(message)
        ):
            info.message, info.location = None, None
        self.note(test, message=message, location=location, line=number, raw=raw)

    def _locate_in_package(self, import_path: str) -> None:
        """``go test`` prints only a file name (``calc_test.go:13``); the package's result
        line names its import path. Its directory in the repository is the path after the
        module (``github.com/o/r``, or ``host/name`` elsewhere) — a heuristic: the renderer
        links a location only when the path exists. Applied in :meth:`failures`, once every
        package of the run is known."""
        parts = import_path.split("/")
        skip = 3 if parts[0] in _HOSTS else 2
        directory = "/".join(parts[skip:]) if "." in parts[0] else ""
        if "." in parts[0]:
            self.roots.add("/".join(parts[:skip]))
        for test in self.found[self.package_start :]:
            if directory:
                self.directory_of.setdefault(test, directory)
        self.package_start = len(self.found)

    def failures(self) -> list[Failure]:
        out = super().failures()
        # packages of several repositories in one run (a GOPATH build testing its
        # dependencies' packages too): which one the job checked out is unknown, so the
        # file names stay as printed rather than under a guessed directory
        one_repository = len(self.roots) <= 1
        for failure in out:
            directory = self.directory_of.get(failure.test)
            if one_repository and directory and failure.location and "/" not in failure.location:
                failure.location = f"{directory}/{failure.location}"
            package = self.package_of.get(failure.test, ".")
            if failure.location and "/" not in failure.location and _relative_dir(package):
                failure.location = f"{package}/{failure.location}"
        by_name = {f.test: f for f in out}
        for failure in out:  # a parent and its failing subtest share the message
            if failure.message:
                continue
            for other in out:
                if other.message and (
                    other.test.startswith(failure.test + "/")
                    or failure.test.startswith(other.test + "/")
                ):
                    failure.message, failure.location = other.message, other.location
                    failure.line = other.line
                    break
        return [by_name[f.test] for f in out]


_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")


def _relative_dir(package: str) -> bool:
    """gotestsum's package column is a directory under the module (``internal/db``);
    ``.`` is the module root, and a first element with a dot is a full import path."""
    return package != "." and "." not in package.split("/", 1)[0]


__all__ = ["CargoTest", "GoTest"]
