"""The JUnit Platform's console launcher's failures (kept apart from :mod:`extract_jvm`, the
build tools' formats, so each module stays readable on its own)."""

from __future__ import annotations

import re

from .extract_core import Extractor


class JUnitPlatformConsole(Extractor):
    """The JUnit Platform's console launcher (``junit-platform-console-standalone``,
    ``ConsoleLauncher``, Bazel and hand-made runners): its summary's ``Failures (N):`` lists
    each failure as ``  JUnit Jupiter:CalcTest:adds()`` (display names joined by ``:``),
    ``    MethodSource [className = 'pkg.CalcTest', methodName = 'adds', …]`` and
    ``    => org.opentest4j.AssertionFailedError: …`` above the frames
    (MutableTestExecutionSummary.printFailuresTo). The source line, printed bare only there,
    names the test as Surefire does, ``pkg.CalcTest.adds`` (a ``ClassSource`` its class)."""

    name = "junit-platform"
    _SOURCE_RE = (
        r"^ +(?:MethodSource \[className = '[\w.$]+', methodName = '|ClassSource \[className = ')"
    )
    triggers = (_SOURCE_RE,)
    follow = triggers
    _SOURCE = re.compile(
        r"^ +(?:MethodSource \[className = '([\w.$]+)', methodName = '([^']+)'"
        r"|ClassSource \[className = '([\w.$]+)')"
    )
    _CAUSE = re.compile(r"^ +=> (\S.*?)\s*$")
    _FRAME = re.compile(
        r"^\s+(?:at )?(?:[\w.@-]*/+)?([\w.$]+)\.[\w$<>]+\((\w+\.(?:java|kt|groovy|scala)):(\d+)\)"
    )

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.cls = ""

    def feed(self, text: str, number: int = 0) -> None:
        source = self._SOURCE.match(text)
        if source:
            self.cls = source.group(1) or source.group(3)
            self.test = f"{self.cls}.{source.group(2)}" if source.group(2) else self.cls
            self.add(self.test, number)
            return
        if self.test is None:
            return
        cause = self._CAUSE.match(text)
        frame = None if cause else self._FRAME.match(text)
        if cause:
            self.note(self.test, message=cause.group(1), line=number, raw=text)
        elif frame and frame.group(1).split("$")[0] == self.cls:
            self.note(self.test, location=f"{frame.group(2)}:{frame.group(3)}")
            self.test = None
        elif not frame and not text.startswith("       "):
            self.test = None  # the next failure's description, or the summary's end
