"""Failing-test extractor for ``go test -json`` (``test2json``) streams printed to a log.

Why its own reader: a CI job that pipes ``go test -json ./...`` to its log (or ``cat``s
the file gotestsum/tparse read) shows no ``--- FAIL`` line of its own: every line is a JSON
event, ``{"Time":…,"Action":"output","Package":"…","Test":"TestX","Output":"    x_test.go:12:
got 1, want 2\\n"}``, and a failed test ends with ``{"Action":"fail",…,"Test":"TestX",…}``
(cmd/internal/test2json: ``event.Action`` ``fail``; a package's own ``fail`` has no ``Test``).
The ``Output`` text is exactly what plain ``go test -v`` prints, so it is handed to
:class:`GoTest`, which reads messages, locations, panics and packages; a ``fail`` event
names a test even when its output lines were not printed.
"""

from __future__ import annotations

import json
import re

from .extract_core import Extractor, Failure
from .extract_go_rust import GoTest

# an event that can matter: a test's failure, or output that GoTest reads (a result line,
# a ``file.go:N:`` message, a panic, testify's block, a package's result)
_OUTPUT = (
    r'^\{"Time":"[^"]*","Action":"output",.*"Output":"(?:\\t| )*'
    r"(?:--- FAIL|panic: |FAIL\\t|ok  \\t|\S+\.go:\d+|Error Trace:|Error:|\S+\.Test\w*\()"
)
_FAIL = r'^\{"Time":"[^"]*","Action":"fail",.*"Test":"'
_EVENT = re.compile(r'^\{"(?:Time|Action)":')
_GO_TEST = re.compile(r"^(?:Test|Example|Fuzz)\w*(?:/\S*)?$")


class GoJson(Extractor):
    name = "go-json"
    triggers = (_OUTPUT, _FAIL)

    def __init__(self) -> None:
        super().__init__()
        self.inner = GoTest()

    def feed(self, text: str, number: int = 0) -> None:
        stripped = text.strip()
        if not _EVENT.match(stripped) or '"Action":"' not in stripped:
            return
        try:
            event = json.loads(stripped)
        except ValueError:
            return  # a line cut by the log's own length limit
        if not isinstance(event, dict):
            return
        action, test = event.get("Action"), event.get("Test")
        if "Package" not in event:
            return  # not test2json's: every event of a ``go test -json`` run names its package
        if action == "fail" and isinstance(test, str) and _GO_TEST.match(test):
            self.add(test, number)
        elif action == "output" and isinstance(event.get("Output"), str):
            for line in event["Output"].splitlines():
                self.inner.feed(line, number)

    def tests(self) -> list[str]:
        return [f.test for f in self.failures()]

    def failures(self) -> list[Failure]:
        if not self.found:
            return []
        seen = {f.test: f for f in self.inner.failures()}
        return [seen.get(test) or self.details.get(test) or Failure(test) for test in self.found]
