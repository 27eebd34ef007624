"""What every failing-test extractor shares: the :class:`Failure` record, the
:class:`Extractor` base and the per-test :class:`TestBlock`, plus path/location helpers.

Kept apart from the framework modules so each of them (and the dispatch in
:mod:`bot.diagnose.extractors`) depends on this one module and never on each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

# Failing tests kept per job: a suite broken at its root can fail hundreds, and the JSON should
# name each (the comment shows the first few); the cap only bounds memory on a flood.
MAX_TESTS = 500
MAX_MESSAGE = 300
MAX_MESSAGE_LINES = 3

# A checkout's absolute prefix (Linux, macOS, Windows, container runners; Travis CI's
# ``~/build/<owner>/<repo>``): dropped so a location is repository-relative and can be linked.
_WORKSPACE = re.compile(
    r"^(?:file://)?(?:/home/runner/work|/Users/runner/work|/__w|[A-Za-z]:[\\/]a"
    r"|/home/[^\\/]+/build|/Users/[^\\/]+/build)"
    r"[\\/][^\\/]+[\\/][^\\/]+[\\/]"
)
# ``at fn (path:line:col)`` / ``at path:line:col`` / ``❯ path:line:col`` (JS stacks); a
# source-mapped frame may keep the bundle's position after `` <- `` (karma-sourcemap-loader:
# ``(webpack:///src/a.spec.ts:5:3 <- src/test.ts:900:12)``): the source's comes first.
_JS_FRAME = re.compile(
    r"^\s*(?:at |❯ )(?:.*?\()?((?:file://)?[^\s()]+?):(\d+)(?::\d+)?(?: <- [^\s()]+)?\)?\s*$"
)
# a bundler's name for a source module: ``webpack:///src/a.js``, ``webpack://app/./src/a.js``
# (webpack 5 puts the project's name first), ``webpack-internal:///./src/a.js``, and the
# ``webpack:/src/a.js`` a karma URL ends in (``http://localhost:9876/_karma_webpack_/webpack:/``)
_BUNDLER = re.compile(r"^(?:.*?/_karma_webpack_/)?webpack(?:-internal)?:(?:///|//[^/]+/|/)")
NOT_USER_CODE = ("node_modules", "node:", "internal/", "<anonymous>", "site-packages")
# A test file by the usual conventions (tests/, spec/, __tests__/, *_test.*, *.spec.*,
# test_*.py, FooTest.java): the location a maintainer wants is the test's own line, not
# the frame of the library code the test called.
_TEST_PATH = re.compile(
    r"(?:^|/)(?:tests?|spec|specs|__tests__|testing)/"
    r"|(?:^|/)test_[^/]+\.py:"
    r"|(?:_test|_spec|\.test|\.spec|Test|Tests|Spec)\.\w+:"
)


def is_test_location(location: str) -> bool:
    """``path:line`` in a test file (by naming convention)."""
    return bool(_TEST_PATH.search(location))


@dataclass
class Failure:
    """One failing test: ``test`` as the framework prints it, its first error line(s),
    ``location`` (``path:line``, repository-relative when the log says so) and ``line``
    (1-based log line of the message, or of the test's header without one)."""

    test: str
    message: str | None = None
    location: str | None = None
    line: int | None = None
    # the log line the message starts on, as printed (for key lines; not in the JSON)
    raw: str | None = field(default=None, compare=False, repr=False)
    # a test module/suite that could not even load (pytest collection error): no test
    # ran, so the cause is the build, not a failing test (not in the JSON)
    load_error: bool = field(default=False, compare=False, repr=False)
    # a test whose run *is* a compilation (partest's pos/neg tests): a compiler error in
    # its message is what the test found, not a test that could not be built (not in JSON)
    compiles: bool = field(default=False, compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "message": self.message,
            "location": self.location,
            "line": self.line,
        }


def relative_path(path: str) -> str:
    """Repository-relative form of a path printed by a tool on a runner."""
    path = _WORKSPACE.sub("", path.strip().strip("'\""))
    if path.startswith("file://"):
        path = path[len("file://") :]
    while path.startswith("./"):
        path = path[2:]
    return path.replace("\\", "/")


def repo_location(path: str, line: str | int) -> str:
    return f"{relative_path(path)}:{line}"


# a browser test runner's frame is a URL of the served bundle; Cypress names the spec
# file in the query (``http://localhost:9000/__cypress/tests?p=src/spec/a.spec.js``)
_URL_FRAME = re.compile(r"^https?://[^?\s]*(?:\?p=(\S+))?$")


def js_frame_location(text: str) -> str | None:
    """``path:line`` of a JavaScript stack/code-frame line in user code, else None."""
    m = _JS_FRAME.match(text)
    if not m or any(bad in m.group(1) for bad in NOT_USER_CODE):
        return None
    path = m.group(1)
    if "webpack" in path:
        path = _BUNDLER.sub("", path)
    url = _URL_FRAME.match(path)
    if url:
        if not url.group(1):
            return None  # the runner's own bundle, not a repository file
        path = url.group(1)
    return repo_location(path, m.group(2))


# the second half of a matcher's two-line report: ``Expected: <5>`` then ``Actual: <4>``
# (Dart's matcher, Hamcrest), ``expected: 5`` then ``but got: 4`` (hspec, HUnit)
_ACTUAL = re.compile(r"^(?:Actual|[Bb]ut (?:got|was)|got):\s", re.IGNORECASE)
_HAS_ACTUAL = re.compile(r"\b(?:actual|but (?:got|was)|got):", re.IGNORECASE)


def with_actual(message: str | None, text: str) -> str | None:
    """``message`` and ``text`` joined when ``message`` is an ``Expected:`` line and
    ``text`` its ``Actual:`` line (the value the test got); else None."""
    if not message or not message.lower().startswith("expected") or " " not in text.strip():
        return None
    if not _ACTUAL.match(text.strip()) or _HAS_ACTUAL.search(message):
        return None
    return f"{message} {text.strip()}"


def clip_message(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


class Extractor:
    """One framework's parser: fed every line of a step, it keeps the failing tests."""

    name: ClassVar[str] = ""
    triggers: ClassVar[tuple[str, ...]] = ()
    follow: ClassVar[tuple[str, ...]] = ()
    # extractors (by ``name``) whose tests are this one's sub-results when it names any
    subsumes: ClassVar[tuple[str, ...]] = ()
    # the one name a wrapper lists this runner's whole run under (sbt's ``Failed tests:``
    # says ``partest``): dropped from other extractors' tests when this one names any
    listed_as: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.found: list[str] = []
        self.details: dict[str, Failure] = {}

    def fallback_failures(self) -> list[Failure]:
        """Tests named only by a re-run command (``rails test path:line``): the same
        failures a framework's report names better, so they count only when nothing
        else named a failing test."""
        return []

    def wrappers(self) -> dict[str, str]:
        """Tests of this runner that only host another runner's run (go's ``TestSuite``
        that runs a Ginkgo suite), each with that runner's ``name``: dropped when that
        runner names its own failed tests."""
        return {}

    def add(self, test: str, line: int | None = None) -> None:
        test = test.strip()
        if test and test not in self.found and len(self.found) < MAX_TESTS:
            self.found.append(test)
        if test and line is not None:
            self.details.setdefault(test, Failure(test, line=line))

    def note(
        self,
        test: str,
        message: str | None = None,
        location: str | None = None,
        line: int | None = None,
        raw: str | None = None,
    ) -> None:
        """Record what is known about ``test``; the first message wins, and the first
        location unless a later one is in a test file and the first is not."""
        if len(self.details) >= MAX_TESTS * 2 and test not in self.details:
            return
        info = self.details.setdefault(test, Failure(test))
        if message and not info.message:
            info.message = clip_message(message)
            info.line = line if line is not None else info.line
            info.raw = raw if raw is not None else message
        elif raw is not None and not info.message and info.raw is None:
            info.raw = raw  # a result line without a message: still what names the test
        if location and (
            not info.location
            or (is_test_location(location) and not is_test_location(info.location))
        ):
            info.location = location  # the first, unless a later one is the test file's
        if info.line is None:
            info.line = line

    def set_message(self, block: TestBlock) -> None:
        """The block's message so far replaces what was noted (multi-line messages)."""
        self.note(block.test, line=block.message_line)
        info = self.details[block.test]
        info.message = clip_message(block.text() or "")
        info.line = block.message_line
        info.raw = block.raw

    def feed(self, text: str, number: int = 0) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def tests(self) -> list[str]:
        return list(self.found)

    def failures(self) -> list[Failure]:
        # ``add`` strips a name; one noted as printed, with a space before the duration or
        # the colour code after it (Pester's ``[-] name  40ms``), is the same test
        spaced = {k.strip(): v for k, v in self.details.items() if k != k.strip()}
        return [_same_test(t, self.details.get(t), spaced.get(t)) for t in self.tests()]


def _same_test(test: str, info: Failure | None, spaced: Failure | None) -> Failure:
    """The failure of ``test``: what was noted under its printed (unstripped) name when
    nothing was noted under the stripped one."""
    if spaced is not None and (info is None or (info.message is None and info.location is None)):
        return replace(spaced, test=test)
    return info or Failure(test)


class TestBlock:
    """The lines after one test's header, up to the next header: where its error is."""

    def __init__(self, test: str, start: int) -> None:
        self.test = test
        self.start = start
        self.message: list[str] = []
        self.message_line: int | None = None
        self.locations: list[str] = []
        self.closed_message = False
        self.raw: str | None = None

    def take(self, text: str, number: int, limit: int = MAX_MESSAGE_LINES) -> None:
        if self.closed_message or len(self.message) >= limit:
            return
        if self.message_line is None:
            self.message_line = number
            self.raw = text
        self.message.append(text.strip())

    def text(self) -> str | None:
        return " ".join(self.message) if self.message else None
