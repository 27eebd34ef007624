"""Failing-test extractors for two runners whose failures are read from their own status
lines, often all a paste keeps of them: Ginkgo (Go BDD specs) and LLVM's lit.

Ginkgo ends a run with ``Summarizing N Failures:`` and one entry per failed spec, its
state in brackets, the container texts, the node type in brackets and the spec text,
then the spec's ``path_test.go:line``: v1 ``[Fail] Suite Context [It] does x`` (``[Panic!]``,
``[Timeout...]``), v2 indented ``[FAIL] Suite Context [It] does x`` (``[PANICKED!]``,
``[TIMEDOUT]``, ``[INTERRUPTED]``), v2 with the spec's labels after it (``[slow, db]``). The
test is the text after the state, as printed; the location the ``.go:line`` below it.

lit prints each failing test's result as ``FAIL: Suite :: path/test.ll (12 of 340)`` (also
``XPASS``, ``UNRESOLVED``, ``TIMEOUT``), then, with its output, a ``***** TEST 'Suite ::
path' FAILED *****`` block, and at the end ``Failed Tests (N):`` (older ``Failing Tests
(N):``) listing ``  Suite :: path``. The test is ``Suite :: path``; the message its result
line. The identifier forms are listed in :mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, repo_location

_NODE = (
    r"It|BeforeEach|AfterEach|JustBeforeEach|JustAfterEach|BeforeAll|AfterAll|BeforeSuite"
    r"|AfterSuite|SynchronizedBeforeSuite|SynchronizedAfterSuite|DeferCleanup|Measure"
    r"|ReportAfterSuite|ReportBeforeSuite|ReportAfterEach|ReportBeforeEach"
)
_GINKGO = (
    r"^\s*\[(?:Fail|Panic!|Timeout\.\.\.|FAIL|PANICKED!|TIMEDOUT|INTERRUPTED|ABORTED)\] "
    rf"(.*\[(?:{_NODE})\].*?)\s*$"
)
_GO_PLACE = re.compile(r"^\s*(\S+\.go):(\d+)\s*$")
# the head of a failed spec's report as it runs (a paste cut before the summary keeps it):
# v2 ``• [FAILED] [0.001 seconds]`` then the spec's full text on one line; v1 ``• Failure
# [0.001 seconds]`` (``• Failure in Spec Setup (BeforeEach) […]``, ``• Panic […]``) then
# each container's text and place, the spec's own text ending in its node (``does x [It]``)
_REPORT = (
    r"^\s*• (?:\[(?:FAILED|PANICKED!?|TIMEDOUT|INTERRUPTED)\]|Failure\b|Panic\b)"
    r".*\[[\d.]+ seconds\]\s*$"
)
_V2_TEXT = re.compile(rf"^\s*(\S.*\[(?:{_NODE})\].*?)\s*$")
# the failure under a report head: v2 ``  [FAILED] Expected`` … ``  In [It] at:
# /path/x_test.go:17 @ 01/02/24 10:00:00.000`` (reporters/default_reporter.go), v1 the
# matcher's lines and then the failure's ``/path/x_test.go:17`` (the spec's own place,
# printed first, is where it is declared, not where it failed)
_STATE = re.compile(r"^\[(?:FAILED|PANICKED!|TIMEDOUT|INTERRUPTED|ABORTED)\] ")
_IN_AT = re.compile(rf"^\s*In \[(?:{_NODE})\] at: (\S+\.go):(\d+)")
_RULE = re.compile(r"^\s*-{10,}\s*$")
_V1_LEAF = re.compile(rf"^\s*(\S.*?) \[({_NODE})\]\s*$")


class GinkgoSummary(Extractor):
    """Each entry of Ginkgo's failure summary, with the ``.go:line`` printed under it,
    and each failed spec's report head (when a paste lost the summary)."""

    name = "ginkgo"
    triggers = (_GINKGO, _REPORT)
    follow = (_GINKGO, _REPORT)
    _LINE = re.compile(_GINKGO)
    _HEAD = re.compile(_REPORT)

    def __init__(self) -> None:
        super().__init__()
        self.last: str | None = None
        self.containers: list[str] | None = None  # texts below a report head, so far
        self.block: str | None = None  # the reported spec whose failure lines follow
        self.lines: list[str] = []  # its failure message so far
        self.timeline = False  # inside v2's ``Timeline >>`` … ``<< Timeline``
        self.declared: dict[str, tuple[str, str]] = {}  # spec -> where it is declared

    def _report(self, text: str, number: int) -> bool:
        """A report head and the spec's texts below it: True when ``text`` was one."""
        if "•" in text and self._HEAD.match(text):
            self.containers, self.last = [], None
            return True
        containers = self.containers
        if containers is None:
            return False
        if not text.strip() or _GO_PLACE.match(text):
            if not text.strip() and containers:
                self.containers = None
            return True
        leaf = _V1_LEAF.match(text) if containers else None
        v2 = _V2_TEXT.match(text) if not containers else None
        if leaf:
            test = f"{' '.join(containers)} [{leaf.group(2)}] {leaf.group(1)}"
        elif v2:
            test = v2.group(1)
        else:
            containers.append(text.strip())
            if len(containers) > 20:
                self.containers = None
            return True
        self.containers = None
        self.add(test, number)
        self.note(test, line=number, raw=text.strip())
        self.block, self.lines, self.timeline = test, [], False
        return True

    def _failure(self, text: str, number: int) -> bool:
        """The lines under a reported spec's texts: its declaration, then the failure's
        message and the place it failed (True while they last)."""
        test = self.block
        if test is None:
            return False
        stripped = text.strip()
        if stripped == "Timeline >>" or stripped == "<< Timeline":
            self.timeline = stripped == "Timeline >>"
            return True
        if self.timeline or not stripped:
            return True
        place = _GO_PLACE.match(text) or _IN_AT.match(text)
        if place and not self.lines and not stripped.startswith("In ["):
            self.declared.setdefault(test, (place.group(1), place.group(2)))
            return True
        done = place is not None or _RULE.match(text) or "•" in text or len(self.lines) >= 8
        if not done:
            self.lines.append(_STATE.sub("", stripped))
            if len(self.lines) == 1:
                self.note(test, line=number, raw=stripped)
            return True
        if self.lines:
            self.note(test, message="\n".join(self.lines))
        if place and place.group(1).endswith("_test.go"):
            self.note(test, location=repo_location(place.group(1), place.group(2)))
        self.block = None
        return place is not None

    def failures(self) -> list[Failure]:
        out = super().failures()
        for failure in out:  # no failure's place printed: where the spec is declared
            declared = self.declared.get(failure.test)
            if declared and not failure.location:
                failure.location = repo_location(*declared)
        return out

    def feed(self, text: str, number: int = 0) -> None:
        if self._report(text, number):
            return
        m = self._LINE.match(text) if "] " in text else None
        if m is None and self._failure(text, number):
            return
        if m:
            self.last = m.group(1)
            self.add(self.last, number)
            self.note(self.last, line=number, raw=text.strip())
            return
        if self.last is None or not text.strip():
            return
        place = _GO_PLACE.match(text)
        if place:
            self.note(self.last, location=repo_location(place.group(1), place.group(2)))
        self.last = None


_LIT_RESULT = r"^\s*(?:FAIL|XPASS|UNRESOLVED|TIMEOUT): (\S.* :: \S.*?) \(\d+ of \d+\)\s*$"
_LIT_LIST = r"^\s*(?:Failed|Failing|Unexpectedly Passed|Unresolved|Timed Out) Tests \(\d+\):\s*$"
_LIT_ENTRY = re.compile(r"^\s+(\S.* :: \S.*?)\s*$")


class LitTest(Extractor):
    """lit's result lines (with their status line as the message) and its end list."""

    name = "lit"
    triggers = (_LIT_RESULT, _LIT_LIST)
    follow = (_LIT_LIST,)
    _RESULT = re.compile(_LIT_RESULT)
    _LIST = re.compile(_LIT_LIST)

    def __init__(self) -> None:
        super().__init__()
        self.listing = False

    def feed(self, text: str, number: int = 0) -> None:
        if not self.listing and " :: " not in text and " Tests (" not in text:
            return
        m = self._RESULT.match(text)
        if m:
            self.listing = False
            self.add(m.group(1), number)
            self.note(m.group(1), message=text.strip(), line=number, raw=text.strip())
            return
        if self._LIST.match(text):
            self.listing = True
            return
        if self.listing:
            entry = _LIT_ENTRY.match(text)
            if entry:
                self.add(entry.group(1), number)
            else:
                self.listing = False
