"""Failing-test extractor for Automake's ``make check`` harnesses.

Automake prints one line per test, ``RES: name`` (``lib/test-driver``: ``echo
"${col}${res}${std}: $test_name"``; ``lib/am/check.am``'s old serial harness: ``echo
"$${col}$$res$${std}: $$tst"``), where RES is PASS, SKIP, XFAIL, FAIL, XPASS or ERROR (exit
status 99, a hard error). Under the TAP driver (``lib/tap-driver.sh``'s ``report()``) one line
per TAP point, ``FAIL: t/foo.sh 3 - description`` (``# TODO …`` after an unexpected pass), and
``ERROR: t/foo.sh - <why>`` for a script that broke the protocol (``missing test plan``, ``Bail
out! …``, ``exited with status 1``). The parallel harness then prints its ``Testsuite
summary`` (``# FAIL:  2``) and ``See tests/test-suite.log``; the serial one a banner, ``1 of 12
tests failed``. A CI job that ``cat``s ``test-suite.log`` shows each failed test's own log
under a reStructuredText header, ``FAIL: tests/foo.test`` over a rule of ``=`` as long as it,
ending in the driver's ``FAIL tests/foo.test (exit status: 1)``: the test's output, where its
message is.

Names are as printed after ``RES: `` (the TAP point's number and description included, the
directive dropped): a test-driver test is its path in ``TESTS`` (``tests/foo.test``), what
``make check TESTS=…`` takes. ``FAIL: x`` is a common shape (unittest's ``FAIL: test_x
(mod.Class)``, nose's dotted ids, lit's ``FAIL: Suite :: t.ll (1 of 2)``, isort's ``ERROR:
path Imports are …``), so a line counts only when the step also shows Automake's harness (its
summary, its ``See …test-suite.log``, the serial banner, a section rule, a driver's status
line) and not when a unittest rule of ``-`` follows it.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, is_test_location, repo_location

# ``RES: name`` with, under the TAP driver, `` N[ description][ # DIRECTIVE …]`` or `` - why``
_RESULT = re.compile(r"^(FAIL|XPASS|ERROR): ([^\s:]\S*)(?: (\d+)(?: (.*))?| - (\S.*))?$")
_OTHER_RESULT = re.compile(r"^(?:PASS|SKIP|XFAIL): [^\s:]\S*(?: \d+(?: .*)?)?$")
# the harness's own lines: the summary's counts, its pointer to the log, the serial banner,
# the test-suite.log title's rule ``   pkg 1.0: tests/test-suite.log   ``
_HARNESS = re.compile(
    r"^(?:# (?:TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR): +\d+$"
    r"|See \S*test-suite\.log\b"
    r"|Testsuite summary\b"
    r"|\d+ of \d+ tests? (?:failed|did not behave as expected)"
    r"|All \d+ tests (?:passed|behaved as expected)"
    r"|\S.*: \S*test-suite\.log$)"
)
# test-driver's last line of a test's .log
_STATUS = re.compile(r"^(FAIL|XPASS|ERROR) (\S+) \(exit status: (\d+)\)$")
_RULE = re.compile(r"^=+$")
_UNITTEST_RULE = re.compile(r"^-{20,}$")
# a TAP directive after the description (``# TODO not yet``): not part of the name
_DIRECTIVE = re.compile(r" # (?:TODO|SKIP|AFTER LATE PLAN|UNPLANNED|OUT-OF-ORDER)\b.*$", re.I)
# a line of a test's output that says what went wrong
_ERRORISH = re.compile(
    r"\b(?:error|fail(?:ed|ure)?|assert(?:ion)?|expected|abort(?:ed)?|panic|exception"
    r"|segmentation fault|core dumped|not ok)\b",
    re.IGNORECASE,
)
# ``path.ext:line`` in a test's output; bounded so a long token is read in linear time
_PATH_LINE = re.compile(r"(?:^|[\s(\[])([\w./-]{1,200}\.\w{1,12}):(\d+)(?::\d+)?(?=[:,)\]\s]|$)")
_MAX_SECTION = 400  # lines of one test's log kept while looking for its message


class Automake(Extractor):
    name = "automake"
    triggers = (
        r"^(?:FAIL|XPASS|ERROR): [^\s:]\S*(?: \d+(?: .*)?| - \S.*)?$",
        r"^(?:PASS|SKIP|XFAIL): [^\s:]\S*",
        r"^(?:FAIL|XPASS|ERROR) \S+ \(exit status: \d+\)$",
        r"^# (?:TOTAL|FAIL|XPASS|ERROR): +\d+$",
        r"^See \S*test-suite\.log\b",
        r"^\d+ of \d+ tests? (?:failed|did not behave as expected)",
    )
    follow = (r"^(?:FAIL|XPASS|ERROR): [^\s:]\S*$",)

    def __init__(self) -> None:
        super().__init__()
        self.seen_harness = False
        # (name, line, message, kind): kind is "test", "tap" (a TAP point) or "script"
        self.candidates: list[tuple[str, int, str | None, str]] = []
        self.pending: tuple[str, int, str | None, str, str] | None = None  # + the line's text
        self.section: str | None = None  # the test whose log (in test-suite.log) is being read
        self.section_lines: list[tuple[str, int]] = []
        self.section_line = 0
        self.sections: list[tuple[str, int]] = []  # test-suite.log's failed tests, in order

    def feed(self, text: str, number: int = 0) -> None:
        stripped = text.strip()
        pending, self.pending = self.pending, None
        if pending is not None:
            if _UNITTEST_RULE.match(stripped):
                return  # unittest's/nose's ``FAIL: id`` over its rule of ``-``
            if _RULE.match(stripped) and len(stripped) == len(pending[4]):
                self.seen_harness = True  # test-suite.log's section header
                if pending[3] == "test":
                    self.section, self.section_lines = pending[0], []
                    self.section_line = pending[1]
                else:
                    self._keep(pending)
                return
            self._keep(pending)
        m = _RESULT.match(stripped)
        if m:
            self._end_section()
            self.pending = (*self._candidate(m, number), stripped)
            return
        status = _STATUS.match(stripped)
        if status:
            self.seen_harness = True
            if self.section is not None and _same_test(self.section, status.group(2)):
                self.section = status.group(2)  # the test's name, its extension kept
                self._end_section(f"exit status: {status.group(3)}")
            return
        if _HARNESS.match(stripped):
            self.seen_harness = True
            self._end_section()
            return
        if _OTHER_RESULT.match(stripped):
            self.seen_harness = True  # PASS:/SKIP:/XFAIL: lines of the same shape
            return
        if self.section is not None and len(self.section_lines) < _MAX_SECTION:
            self.section_lines.append((text, number))

    def _candidate(self, m: re.Match[str], number: int) -> tuple[str, int, str | None, str]:
        _, script, point, description, why = m.groups()
        if point is not None:
            name = f"{script} {point}"
            if description:
                description = _DIRECTIVE.sub("", description).strip()
                name = f"{name} {description}" if description else name
            return name, number, None, "tap"
        if why is not None:
            return script, number, why.strip(), "script"
        return script, number, None, "test"

    def _keep(self, pending: tuple[str, int, str | None, str, str]) -> None:
        name, number, message, kind, _ = pending
        self.candidates.append((name, number, message, kind))

    def _end_section(self, status: str | None = None) -> None:
        """The message and location of the test whose log was being read: its first line
        that says what went wrong, else its last line, else the driver's exit status."""
        if self.section is None:
            return
        test, lines = self.section, [(t, n) for t, n in self.section_lines if t.strip()]
        self.section, self.section_lines = None, []
        self.sections.append((test, self.section_line))
        said = [(t, n) for t, n in lines if _ERRORISH.search(t) and not t.startswith("+ ")]
        chosen = said[0] if said else (lines[-1] if lines else None)
        location = None
        for t, _ in said or lines:
            for path, line in _PATH_LINE.findall(t):
                where = repo_location(path, line)
                if is_test_location(where):
                    location = where
                    break
            if location:
                break
        if chosen is not None:
            self.note(test, chosen[0].strip(), location, chosen[1], raw=chosen[0])
        elif status:
            self.note(test, status)

    def _settle(self) -> None:
        if self.pending is not None:
            self._keep(self.pending)
            self.pending = None
        self._end_section()

    def tests(self) -> list[str]:
        return [f.test for f in self.failures()]

    def failures(self) -> list[Failure]:
        self._settle()
        if not self.seen_harness:
            return []
        named = list(self.candidates)
        printed = {name for name, _, _, kind in named if kind != "tap"}
        for base, number in self.sections:
            # test-suite.log heads a test's log with its name less the extension
            # (``tests/foo`` for ``tests/foo.test``): the console's name when it printed one
            full = next((n for n in printed if _same_test(base, n)), base)
            named.append((full, number, None, "test"))
            if full != base and base in self.details:
                info = self.details.pop(base)
                self.details.setdefault(full, Failure(full, info.message, info.location, info.line))
        # a TAP script whose points are named: its ERROR line or log section is their umbrella
        scripts = {name.split(" ", 1)[0] for name, _, _, kind in named if kind == "tap"}
        for name, number, message, kind in named:
            if kind != "tap" and any(_same_test(name, script) for script in scripts):
                continue
            self.add(name, number)
            if message:
                self.note(name, message, line=number)
        return [self.details.get(t) or Failure(t) for t in self.found]


def _same_test(base: str, name: str) -> bool:
    """``name`` (``tests/foo.test``, ``t/foo.sh``, ``foo.exe``) is the test whose log
    section or driver line says ``base`` (its name, or its name less the extension)."""
    return name == base or (name.startswith(base + ".") and "/" not in name[len(base) :])
