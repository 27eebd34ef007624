"""Where an exception was thrown: the first stack frame under an exception line.

An uncaught error's line (``Error: The given 'x' can't be parsed as a gradle package.``,
``Caused by: x.y.CompilationFailureException: Compilation failure``) says what went wrong;
the frame right under it (``    at parseGradlePackage (…/parse.js:73:1)``) says where, and
a maintainer reads the two together. Node and the JVM print frames as indented ``at …``
lines (a paste's viewer links may leave a blank line between them). Read during the single
pass, so only the first frame of each exception line is kept (bounded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .logline import LogLine

FRAME_RE = re.compile(r"^\s+at [\w$<.\[]")
# an exception line: its class or ``Error``/``Exception`` ends a word, then ``:`` (``TypeError:
# x``, ``java.io.IOException: x``, ``Caused by: …``, Node's bare ``Error: x``)
_THROWN = re.compile(r"(?:^|[\s.:])[\w$]*(?:Error|Exception)(?::| \[|$)")
FRAME_GAP = 2  # log lines from an exception line to its first frame (a blank between)
MAX_THROWN = 64  # exception lines whose first frame is kept, per step


@dataclass
class ThrownFrames:
    """Per step: each exception line's number → the first frame printed under it."""

    first: dict[int, LogLine] = field(default_factory=dict)
    head: LogLine | None = None  # the last exception line still waiting for its frame

    def feed(self, line: LogLine) -> None:
        text = line.text
        if not text.strip():
            return
        head = self.head
        if FRAME_RE.match(text):
            near = head is not None and line.number - head.number <= FRAME_GAP
            if near and head is not None and len(self.first) < MAX_THROWN:
                self.first[head.number] = line
            self.head = None
            return
        self.head = line if _THROWN.search(text) else None
