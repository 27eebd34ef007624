"""Failing-test extractor for Perl's Test::Harness (``prove``, ``make test``).

The harness prints one progress line per test file (``t/api.t ...... ok``), the file's
own diagnostics on that line or under it (``#   Failed test 'x'`` / ``#   at t/api.t line
12.``, or a ``die`` message ``... at t/api.t line 17.``), and at the end a ``Test Summary
Report`` naming every failed file: those files are the failing tests a maintainer reads.
A test file need not be Perl (``prove --exec``, shell scripts such as git's ``t/*.sh``),
and ``prove --timer`` puts ``[HH:MM:SS]`` before each progress line. The TAP points a
file printed (``not ok 13 - name``, shown by ``prove -v`` or a CI script that prints a
failed file's output after the summary) are that file's sub-tests, not tests of their own:
the first one is the file's message when no diagnostic named one. git's test library (and
sharness, its copy in other projects) prints the assertion that failed a sub-test just before
its ``not ok`` line in a verbose log (``test_must_fail: command succeeded: git p4 sync``,
``test_expect_code: command exited with 0, we wanted 1 …``): that line is the message, the
``not ok`` line still the one a maintainer reads.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure

# (Test::Harness 3.44+ adds the exit status: ``(Wstat: 256 (exited 1) Tests: 3 Failed: 1)``);
# a build tool quoting the harness's output may indent it (Nix's ``last 10 log lines:``)
_SUMMARY_ENTRY = r"^ *(\S+) +\(Wstat: (\d+)(?: \([\w ]+\))? Tests: \d+ Failed: (\d+)\)"
_TIMER = r"(?:\[\d\d:\d\d:\d\d\] )?"
_FILE = r"\S+\.(?:t|sh|pl)"
# git's t/test-lib-functions.sh (and sharness): what a failed helper says
_TEST_LIB_SAYS = (
    r"^(?:test_(?:must_fail|might_fail|expect_code|line_count|path_\w+|file_\w+): \S"
    r"|(?:File|Directory) \S.* doesn't exist\."
    r"|'[^']+' is not empty, it contains:$"
    r"|error: '.+' didn't find a match in:$"
    r"|error: two revisions point to different objects:"
    r"|error: bug in the test script: )"
)
# how near (in log lines) that line must be to the ``not ok`` line it explains
_SAYS_WINDOW = 80


class TestHarness(Extractor):
    name = "test-harness"
    # the TAP points node:test's extractor would take for tests are the files' sub-tests
    subsumes = ("node:test",)
    triggers = (
        r"^Test Summary Report$",
        _SUMMARY_ENTRY,
        rf"^{_TIMER}{_FILE} \.{{2,}}",
        r"^#   Failed test ",
        r"^#   at \S+\.t line \d+\.$",
        _TEST_LIB_SAYS,
    )
    _SAYS = re.compile(_TEST_LIB_SAYS)
    _ENTRY = re.compile(_SUMMARY_ENTRY)
    # ``t/https.t ........ Connection error: ... at t/https.t line 17.`` (progress + message)
    _PROGRESS = re.compile(rf"^{_TIMER}({_FILE}) \.{{2,}}(?: +(.*))?$")
    _TAP_FAILED = re.compile(r"^not ok \d+ (?!.* # (?:TODO|SKIP)\b)\S")
    _AT = re.compile(r" at (\S+\.t) line (\d+)\.$")
    _FAILED_TEST = re.compile(r"^#   (Failed test .*)$")
    _NOT_MESSAGE = re.compile(
        r"^(?:ok|skipped|\d+/\d+|\d+/\?|Dubious, |Failed \d+/\d+ |No subtests )"
    )

    def __init__(self) -> None:
        super().__init__()
        self.file = ""
        self.messages: dict[str, tuple[str, str | None, int]] = {}
        self.in_summary = False
        # first failed TAP point per file ("" once the summary began: a CI script's dump),
        # with the test library's line that explains it when one came just before
        self.points: dict[str, tuple[str, int, str | None]] = {}
        self.pending: tuple[str, int] | None = None
        self.says: tuple[str, int] | None = None
        # Test::More's diagnostics pasted without the harness's lines: by their file
        self.orphan: tuple[str, int] | None = None
        self.orphans: dict[str, Failure] = {}
        self.counts: dict[str, str] = {}  # a failed file's ``(Wstat: …)`` in the summary

    def feed(self, text: str, number: int = 0) -> None:
        if text == "Test Summary Report":
            self.in_summary = True
            return
        entry = self._ENTRY.match(text)
        if entry:
            self.in_summary = True  # the entry's shape is the summary's alone
            # a file listed only for ``TODO passed:`` (Wstat 0, none failed) did not fail;
            # one with ``Parse errors:`` under it did
            self.pending = None
            if entry.group(2) == "0" and entry.group(3) == "0":
                self.pending = (entry.group(1), number)
            else:
                self._failed(entry.group(1), number)
                self.note(entry.group(1), line=number, raw=text.strip())  # names the file
                self.counts.setdefault(entry.group(1), text[text.index("(Wstat:") :].strip())
            return
        if self.pending and text.startswith("  Parse errors: "):
            self._failed(*self.pending)
            self.pending = None
        if self._SAYS.match(text):
            self.says = (text.strip(), number)
            return
        if self._TAP_FAILED.match(text):
            says = self.says[0] if self.says and number - self.says[1] <= _SAYS_WINDOW else None
            key = "" if self.in_summary else self.file
            self.points.setdefault(key, (text.strip(), number, says))
            self.says = None
            return
        if text.startswith(("ok ", "not ok ")):
            self.says = None  # a TODO point, or a passing one: the line was not this test's
            return
        progress = self._PROGRESS.match(text)
        if progress:
            self.file, rest = progress.group(1), (progress.group(2) or "").strip()
            if rest and not self._NOT_MESSAGE.match(rest):
                self._message(rest, number)
            return
        failed = self._FAILED_TEST.match(text)
        if not self.file:
            self._orphan(text, failed, number)
        elif failed:
            self._message(failed.group(1), number)
        elif text.startswith("#   at "):
            self._message(text[2:].strip(), number)

    def _orphan(self, text: str, failed: re.Match[str] | None, number: int) -> None:
        """Test::More's diagnostics pasted without the harness's lines: ``#   Failed test
        'x'`` and its ``#   at t/x.t line N.`` (or `` at … line N.`` on the same line) name
        the file the harness would list."""
        if failed:
            self.orphan = (failed.group(1), number)
        if self.orphan is None or not (failed or text.startswith("#   at ")):
            return
        at = self._AT.search(text)
        if at:
            message, line = self.orphan
            where = f"{at.group(1)}:{at.group(2)}"
            self.orphans.setdefault(at.group(1), Failure(at.group(1), message, where, line))
            self.orphan = None

    def _failed(self, test: str, number: int) -> None:
        self.add(test, number)
        if test in self.messages:
            message, location, line = self.messages[test]
            self.note(test, message=message, location=location, line=line)

    def _message(self, text: str, number: int) -> None:
        """The first diagnostic of the current file is its message; ``at X line N`` its
        location (the harness prints it on the message line or the next ``#`` line)."""
        at = self._AT.search(" " + text if text.startswith("at ") else text)
        where = f"{at.group(1)}:{at.group(2)}" if at else None
        known = self.messages.get(self.file)
        if known is None:
            if not text.startswith("at "):
                self.messages[self.file] = (text, where, number)
        elif known[1] is None and where:
            self.messages[self.file] = (known[0], where, known[2])

    def failures(self) -> list[Failure]:
        """A failed file without a diagnostic takes its first failed TAP point; one printed
        after the summary belongs to the failed file when only one failed."""
        for test in self.found:
            info = self.details.setdefault(test, Failure(test))
            point = self.points.get(test)
            if point is None and len(self.found) == 1:
                point = self.points.get("")
            if point is not None and not info.message:
                self.note(test, message=point[2] or point[0], line=point[1], raw=point[0])
            if not info.message and test in self.counts:
                # nothing of the file's own: the summary's counts say how it failed
                info.message = self.counts[test]
        if not self.found:
            return list(self.orphans.values())
        return super().failures()
