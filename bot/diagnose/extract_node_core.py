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

from .extract_core import Extractor, repo_location

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
