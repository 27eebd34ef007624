"""Node.js core's CI reporter (``test/common/test-error-reporter.js`` of nodejs/node).

Node's own test files that use ``node:test`` run under it in Node's CI (Jenkins, Actions);
it prints nothing for a passing test and, for each failing one::

    Test failure: 'coverage with included and excluded files'
    Location: test/parallel/test-runner-coverage.js:480:1
    AssertionError [ERR_ASSERTION]: The expression evaluated to a falsy value:

      assert(result.stdout.toString().includes(report))

        at TestContext.<anonymous> (/home/iojs/build/…/test-runner-coverage.js:509:3)

The id is the quoted name; the location the ``Location:`` line (where the test is
declared: the reporter's own word for it); the message the first line of the inspected
error below it.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, repo_location

_HEAD = re.compile(r"^ *Test failure: '(.+)'$")
_LOCATION = re.compile(r"^ *Location: (\S+?):(\d+)(?::\d+)?$")


class NodeCoreReport(Extractor):
    name = "node-core-report"
    triggers = (r"^ *Test failure: '.+'$",)
    follow = triggers

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None  # the test whose location/message come next
        self.located = False

    def feed(self, text: str, number: int = 0) -> None:
        m = _HEAD.match(text)
        if m:
            self.current, self.located = m.group(1), False
            self.add(self.current, number)
            return
        if self.current is None or not text.strip():
            return
        loc = _LOCATION.match(text)
        if loc and not self.located:
            self.located = True
            self.note(self.current, location=repo_location(loc.group(1), loc.group(2)))
            return
        self.note(self.current, message=text.strip(), line=number, raw=text)
        self.current = None


# Node core's own test tree: `test/<suite>/test-<name>.js`, named `<suite>/test-<name>` by
# its runner (tools/test.py: `not ok 12 sequential/test-perf-hooks`, `=== release
# parallel/test-x ===`). A frame in one, from a failure whose result line a paste cut off
# (it starts inside the TAP YAML block's `stack: |-`).
_CORE_SUITES = (
    r"parallel|sequential|pummel|internet|known_issues|async-hooks|es-module|addons"
    r"|js-native-api|node-api|abort|report|wasi|wpt|message|pseudo-tty|benchmark"
)
_CORE_FRAME_SHAPE = (
    rf"^\s*at (?:.*\()?(\S*[/\\]test[/\\]({_CORE_SUITES})[/\\](test-[\w.-]+)\.m?js)"
    r":(\d+):\d+\)?\s*$"
)
_CORE_FRAME = re.compile(_CORE_FRAME_SHAPE)
_ERROR_SHAPE = re.compile(r"^\s*(?:\w+\.)*\w*(?:Error|Exception)\b(?: \[[\w.-]+\])?: \S")


class NodeCoreFrames(Extractor):
    """A Node core test named by the first stack frame in its own file below an error line
    (``AssertionError [ERR_ASSERTION]: …`` then ``at f (/…/test/sequential/test-x.js:67:7)``):
    only when nothing else in the step names a failing test (``fallback_failures``)."""

    name = "node-core-frames"
    triggers = (_CORE_FRAME_SHAPE,)

    def __init__(self) -> None:
        super().__init__()
        self.error: tuple[str, int] | None = None
        self.named: list[str] = []

    def feed(self, text: str, number: int = 0) -> None:
        if ("Error" in text or "Exception" in text) and _ERROR_SHAPE.match(text):
            self.error = (text.strip(), number)
            return
        if self.error is None or "test-" not in text:
            return
        m = _CORE_FRAME.match(text)
        if not m:
            return
        message, line = self.error
        self.error = None
        test = f"{m.group(2)}/{m.group(3)}"
        if test not in self.named:
            self.named.append(test)
            self.note(
                test, message=message, location=repo_location(m.group(1), m.group(4)), line=line
            )

    def tests(self) -> list[str]:
        return []

    def fallback_failures(self) -> list[Failure]:
        return [self.details[t] for t in self.named]
