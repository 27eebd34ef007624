"""Failing-test extractors for JVM build tools: Maven Surefire, Gradle, sbt and partest.

One module per framework family keeps each family's formats readable on their own;
the identifier forms are listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import MAX_TESTS, Extractor, Failure, TestBlock

# JUnit 4's parameterized runs name a method with its index: ``adds[1](pkg.CalcTest)``
_METHOD = r"\w+(?:\[[^\]]*\])?"
_PLAIN_REPORT = r"^(" + _METHOD + r")\(([\w.$]+)\) +Time elapsed:.*<<< (?:FAILURE|ERROR)!"
# an unprefixed class name alone on a line, by Java's naming convention (``org.acme.FooTest``)
_CRASHED_BARE = r"^([a-z_][\w$]*(?:\.[a-z_][\w$]*)+\.[A-Z][\w$]*)$"
# Surefire 2 under the JUnit Platform provider (JUnit 5) names no class on the method line
# (``testIsDirty()  Time elapsed: 0.058 sec  <<< FAILURE!``): the class is on the
# ``Tests run: … <<< FAILURE! - in pkg.DirtyFlagTest`` line before it
_BARE_REPORT = r"^\S.*? +Time elapsed: [\d.,]+ s(?:ec)? +<<< (?:FAILURE|ERROR)!$"
# the unprefixed ``Results :`` section of Surefire 2 (2.18+: ``  CalcTest.adds:17 message``)
# (before 2.18 the first entry shares the header's line: ``Failed tests:   adds(pkg.CalcTest): …``)
_PLAIN_RESULTS = r"^(?:Failed tests|Tests in error):(?: *$| +\w)"
# an entry of that list in the old form, ``  adds(pkg.CalcTest): expected:<4> but was:<5>``
_OLD_ENTRY = re.compile(
    r"^(?:Failed tests: +|Tests in error: +|  )(" + _METHOD + r")\(([\w.$]+)\)(?:: *(.*))?$"
)
# a Results entry whose list header the paste lost: ``[ERROR]   CalcTest.adds:17 msg`` or
# ``[ERROR]   CalcTest.boom » IllegalState`` (a class by Java's naming, a line or a ``»``)
# (SmartStackTraceParser.getString: the first frame's class after ``>`` when it is not the test
# class, ``FooIT>BaseIT.inserts:45``; the frame's JVM method, ``lambda$adds$0``, Spock's
# ``$spock_feature_0_1``)
_SUMMARY_NAME = r"[\w$]+(?:>[\w$]+)?\.[\w$]+(?:\[[^\]]*\])?"
_LONE_SUMMARY = r"^\[ERROR\]   [A-Z][\w$]*(?:>[\w$]+)?\.[\w$]+(?:\[[^\]]*\])?(?::\d+(?: |$)| » )"
# A throwable printed with a message that starts on the next line: ``toString()`` is the
# class name, ``": "`` and the message, so AssertJ's ``Expecting message:`` and Hamcrest's
# ``Expected: … but: …`` leave the first line bare (``java.lang.AssertionError: ``) and the
# message runs on until the first ``at`` frame.
_BARE_THROWABLE = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[\w$]+)+:$")
MAX_JVM_MESSAGE_LINES = 8

# a frame's JVM source file and line (``at demo.CalcTest.adds(CalcTest.java:12)``); the
# method may hold spaces (a Kotlin backtick name: ``at CalcTest.adds two(CalcTest.kt:3)``)
JVM_SOURCE_AT = re.compile(r"\bat (?:.+?\()?(\w+\.(?:java|kt|groovy|scala)):(\d+)\)?")


def continues_message(block: TestBlock, stripped: str) -> bool:
    """Whether ``stripped`` (a line after the block's first message line) continues a message
    that began on the line after a bare throwable; an ``at`` frame ends the message."""
    if block.closed_message or not block.message:
        return False
    if stripped.startswith("at ") or stripped.startswith("Caused by:"):
        block.closed_message = True
        return False
    return bool(_BARE_THROWABLE.match(block.message[0])) and bool(stripped)


class Surefire(Extractor):
    name = "surefire"
    triggers = (
        r"^\[ERROR\] \S.*<<< (?:FAILURE|ERROR)!",
        r"^\[ERROR\] +\S+\(\S+\)",
        r"^\[ERROR\] (?:Failures|Errors): *$",
        r"^\[ERROR\]   \S+:\d+ ",
        r"^\[ERROR\]   \S+\.\w+ ",
        _PLAIN_REPORT,
        # a forked VM that died: ``[ERROR] Crashed tests:`` then one class a line (inside a
        # nested exception's message the lines are unprefixed)
        r"^(?:\[ERROR\] )?Crashed tests:$",
        r"^\[ERROR\] [A-Za-z_$][\w$]*(?:\.[\w$]+)+$",
        _CRASHED_BARE,
        _PLAIN_RESULTS,
        r"^Results :$",
    )
    follow = (r"^\[ERROR\] \S.*<<< (?:FAILURE|ERROR)!", _PLAIN_REPORT, _BARE_REPORT, _PLAIN_RESULTS)
    _CRASHED = re.compile(r"^\[ERROR\] ([A-Za-z_$][\w$]*(?:\.[\w$]+)+)$|" + _CRASHED_BARE)
    _OLD = re.compile(r"^\[ERROR\] (" + _METHOD + r")\(([\w.$]+)\)(?:\s|$)")
    # Surefire 2 under Maven before 3.3 prints the report unprefixed:
    # ``name(pkg.CalcTest)  Time elapsed: 0.007 sec  <<< FAILURE!``
    _PLAIN = re.compile(_PLAIN_REPORT)
    _NEW = re.compile(
        # JUnit 5's parameterized runs: ``pkg.CalcTest.adds(int)[2] -- Time elapsed``
        # (3.0.0-M4 to M9: ``[ERROR] pkg.CalcTest.adds  Time elapsed: …``, without the ``--``)
        r"^\[ERROR\] ([\w.$]+)\.(\w+)((?:\([^()]*\))?(?:\[\d+\])?) +(?:-- )?Time elapsed:"
        r".*<<< (?:FAILURE|ERROR)!"
    )
    # a test named in words (a Spock feature, a JUnit 5 display name) after its class, which
    # Java's naming tells apart: ``[ERROR] pkg.CalcSpec.adds two numbers -- Time elapsed``
    _NAMED = re.compile(
        r"^\[ERROR\] ((?:[a-z_][\w$]*\.)*[A-Z][\w$]*)\.(\S.*?)() +(?:-- )?Time elapsed:"
        r".*<<< (?:FAILURE|ERROR)!"
    )
    _BARE = re.compile(
        r"^(?:\[ERROR\] )?(?!\[[A-Z]+\] |Tests run:)(\S.*?)(?:\(\))?"
        r" +Time elapsed: .*<<< (?:FAILURE|ERROR)!$"
    )
    _CLASS = re.compile(r"^(?:\[ERROR\] )?Tests run:.*<<< (?:FAILURE|ERROR)!.* in ([\w.$]+)$")
    # Java 9+ may put the class loader or module before the class (``app//``,
    # ``java.base/``, ``mod@1.0/``)
    _FRAME = re.compile(
        r"^\s*at (?:[\w.@-]*/+)?([\w.$]+)\.(\w+)\((\w+\.(?:java|kt|groovy|scala)):(\d+)\)"
    )
    # the Results section: ``[ERROR]   CalcTest.adds:17 expected: <4> but was: <5>``
    _SUMMARY = re.compile(r"^\[ERROR\]   (" + _SUMMARY_NAME + r")(?::(\d+)(?:->\S+)?)?(?: (.*))?$")
    _PLAIN_SUMMARY = re.compile(r"^  (" + _SUMMARY_NAME + r")(?::(\d+)(?:->\S+)?)?(?: (.*))?$")
    _LONE = re.compile(_LONE_SUMMARY)

    def __init__(self) -> None:
        super().__init__()
        self.classes: list[str] = []
        self.block: TestBlock | None = None
        self.method = ""
        self.in_results = False
        self.plain_results = False  # in Surefire 2's unprefixed ``Failed tests:`` list
        self.summary: list[str] = []
        self.crashed = False  # inside the list under ``Crashed tests:``
        self.results = False  # after Surefire 2's ``Results :`` heading
        self.headed = False  # a list heading alone, its first entry not yet read

    def feed(self, text: str, number: int = 0) -> None:
        if text in ("[ERROR] Crashed tests:", "Crashed tests:") or self.crashed:
            crashed = self._CRASHED.match(text)
            self.crashed = crashed is not None or text.endswith("Crashed tests:")
            name = crashed and (crashed.group(1) or crashed.group(2))
            if name and name not in self.classes:
                self.classes.append(name)
            if self.crashed:
                return
        if text.startswith(("[ERROR] Failures:", "[ERROR] Errors:")):
            self.in_results, self.block = True, None
            return
        if self.in_results:
            m = self._SUMMARY.match(text)
            if m:
                self._summary_entry(m, number)
                return
            if not text.startswith("[ERROR]   "):
                self.in_results = False
        elif self._LONE.match(text):
            m = self._SUMMARY.match(text)
            if m:
                self._summary_entry(m, number)
                return
        if self._results_entry(text, number):
            return
        m = self._OLD.match(text) or self._PLAIN.match(text)
        new = None if m else (self._NEW.match(text) or self._NAMED.match(text))
        bare = None if m or new or not self.classes else self._BARE.match(text)
        if m or new or bare:
            if m:
                method, cls = m.group(1), m.group(2)
                test = f"{method}({cls})"
            elif new:
                cls, method = new.group(1), new.group(2)
                test = f"{cls}.{method}{new.group(3)}"
            else:
                assert bare is not None
                method = bare.group(1)
                test = f"{self.classes[-1]}.{method}"
            self.add(test, number)
            self.block, self.method = TestBlock(test, number), method
            return
        m = self._CLASS.match(text)
        if m:
            if m.group(1) not in self.classes:
                self.classes.append(m.group(1))
            return
        block = self.block
        if block is None:
            return
        frame = self._FRAME.match(text)
        if frame or text.lstrip().startswith("at "):
            block.closed_message = True
        if frame:
            if frame.group(2) == self.method:
                self.note(block.test, location=f"{frame.group(3)}:{frame.group(4)}")
                self.block = None
            return
        if text.startswith("[") or not text.strip():
            self.block = None if block.message else block
            return
        if not block.message:
            block.take(text, number)
            self.note(block.test, message=text, line=number)
        elif continues_message(block, text.strip()):
            block.take(text, number, MAX_JVM_MESSAGE_LINES)
            self.set_message(block)

    def _results_entry(self, text: str, number: int) -> bool:
        """Surefire 2's unprefixed ``Failed tests:`` / ``Tests in error:`` lists (after
        ``Results :``): ``  CalcTest.adds:17 expected:<4> but was:<5>`` (2.18+; the older
        ``  adds(pkg.CalcTest): …`` form repeats the per-test reports and is skipped).
        Whether ``text`` was such a line."""
        stripped = text.rstrip()
        if stripped == "Results :":
            self.results = True
            return True
        old = _OLD_ENTRY.match(stripped)
        if stripped.startswith(("Failed tests:", "Tests in error:")):
            # a paste cut to the Results section still has its heading
            self.plain_results = bool(self.classes or self.found or self.results or old)
            self.headed = not self.plain_results
            self.block = None
            if not (old and self.plain_results):
                return self.plain_results
        if self.headed and not self.plain_results:
            # a heading with nothing of Surefire's around it (a paste of the list alone):
            # its entries say whose it is, ``  name(pkg.Class)`` (a class in a package)
            if not stripped:
                return False
            self.headed = False
            self.plain_results = bool(old and "." in old.group(2) and text.startswith("  "))
        if not self.plain_results:
            return False
        m = self._PLAIN_SUMMARY.match(stripped)
        if m:
            self._summary_entry(m, number)
            return True
        if old:
            # the old form repeats the per-test report's name; alone it is the only one
            test = f"{old.group(1)}({old.group(2)})"
            self.add(test, number)
            self.note(test, message=old.group(3), line=number, raw=text)
            return True
        self.plain_results = stripped.startswith("  ")
        return self.plain_results

    def _summary_entry(self, m: re.Match[str], number: int) -> None:
        short = m.group(1)
        if short in self.summary or len(self.summary) >= MAX_TESTS:
            return
        self.summary.append(short)
        cls, _, method = short.rpartition(".")
        full = next(
            (
                t
                for t in self.found
                if t.endswith("." + short)
                or t == f"{method}({cls})"
                or (t.startswith(method + "(") and t.endswith("." + cls + ")"))
            ),
            None,
        )
        if full is not None and full in self.details:
            info = self.details[full]
            self.details[short] = Failure(short, info.message, info.location, info.line, info.raw)
        message = (m.group(3) or "").strip().lstrip("» ").strip() or None
        frame_class = cls.rpartition(">")[2]  # ``FooIT>BaseIT``: the line is BaseIT's
        location = f"{frame_class}.java:{m.group(2)}" if m.group(2) else None
        # without a detailed report before it, the summary line itself (test, line and
        # message together) is the line to show
        self.note(short, message=message, location=location, line=number, raw=m.string)
        info = self.details[short]
        if not info.message and not info.raw:  # ``Class.test:433`` alone: still the line
            info.raw, info.line = m.string, number

    def tests(self) -> list[str]:
        return list(self.summary) or list(self.found) or self.classes[:MAX_TESTS]


_LIBRARY_FRAMES = (
    "org.junit.",
    "junit.",
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "org.gradle.",
    "org.opentest4j.",
    "org.hamcrest.",
    "org.assertj.",
    "kotlin.",
)


_DOTTED_FAILED = r"^([\w$]+(?:\.[\w$]+)+(?:\[[^\]]*\])?) FAILED\s*$"


class Gradle(Extractor):
    """Gradle's test logging (``AbstractTestLogger``): each event's path, its descriptors'
    names joined by `` > ``, then the event (``FAILED``) and the exception below. Below the
    default granularity the path starts with Gradle's own ``Gradle Test Run :test > Gradle
    Test Executor 1 > ``; TestNG's is ``Gradle suite > Gradle test > pkg.Class.method``; the
    Android plugin's ``connectedAndroidTest`` prints ``Class > method[device] FAILED `` and
    two tab-indented trace lines. A class's display name may have spaces (JUnit 5): such a
    path counts once an exception's class name follows it."""

    name = "gradle"
    # an atomic test whose parent is not its class is ``pkg.Class.method`` (AbstractTestLogger.
    # getEventPath): Kotlin/JS and Kotlin/Native test tasks (``jsTest``, ``iosX64Test``) print
    # ``pkg.CalcTest.adds[js, node] FAILED``; a class that failed itself (``@BeforeAll``, a
    # Spring context; TestEventLogger.afterSuite) is its path alone, ``pkg.CalcTest FAILED``.
    # Such a path counts once its exception follows.
    triggers = (r"^ *\S.* > \S.* FAILED\s*$", _DOTTED_FAILED)
    follow = triggers
    _RE = re.compile(
        r"^ *(?:Gradle Test Run [^>]*> )?(?:Gradle Test Executor \d+ > )?"
        r"(Gradle suite > Gradle test > (?=[\w.$]+\.[\w$]+ FAILED))?([\w.$]+(?: > .+?)?)"
        r" FAILED\s*$"
    )
    _DISPLAY = re.compile(r"^(\w[^>]*? > .+?) FAILED$")
    _DOTTED = re.compile(_DOTTED_FAILED)
    _THROWABLE = re.compile(r"^\s+[\w$]+(?:\.[\w$]+)+(?::|$| at )")
    # Kotlin/JS's and Kotlin/Native's exceptions are unqualified (``AssertionError at …``)
    _KOTLIN_THROWABLE = re.compile(r"^\s+[A-Z][\w$]*(?:Error|Exception)(?::|$| at )")
    _AT = JVM_SOURCE_AT
    _FRAME = re.compile(r"^at (?:[\w.@-]*/+)?([\w.$]+)\(")  # ``at app//demo.CalcTest.adds(``

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None
        self.display: tuple[str, int] | None = None  # a display-name path to confirm

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RE.match(text)
        if m and " > " not in m.group(2) and not m.group(1):
            m = None  # without `` > ``, only TestNG's ``pkg.Class.method`` is a test
        if m and not text.lstrip().startswith(">"):
            self.add(m.group(2), number)
            self.block = TestBlock(m.group(2).strip(), number)
            self.display = None
            return
        display, self.display = self.display, None
        if display and (
            self._THROWABLE.match(text)
            or (" > " not in display[0] and self._KOTLIN_THROWABLE.match(text))
        ):
            self.add(display[0], display[1])
            self.block = TestBlock(display[0], display[1])
        # (the Android plugin's lines end in a space after ``FAILED``)
        event = text.rstrip()
        m = self._DISPLAY.match(event) if event.endswith(" FAILED") else None
        m = m or (self._DOTTED.match(event) if event.endswith(" FAILED") else None)
        if m:
            self.display, self.block = (m.group(1), number), None
            return
        block = self.block
        if block is None:
            return
        if text.startswith("    ") and not text.strip():
            # FullExceptionFormatter indents each line of the exception's text
            # (TextUtil.indent), a blank line of a multi-line message (Spock's condition
            # diagram, the blank before ``Caused by:``) too: the report goes on below it
            return
        if not text.startswith((" ", "\t")) or not text.strip():
            self.block = None
            return
        at = self._AT.search(text)
        stripped = text.strip()
        if stripped.startswith("at "):
            block.closed_message = True  # the stack has begun: the message is over
        frame = self._FRAME.match(stripped)
        if frame and not self._in_test_class(block.test, frame.group(1)):
            # ``exceptionFormat 'full'``: JUnit's and the code under test's frames come
            # before the test's own; the first project frame is kept in case none is
            if at and not frame.group(1).startswith(_LIBRARY_FRAMES):
                self.note(block.test, location=f"{at.group(1)}:{at.group(2)}")
            return
        if at and frame and not self._is_test_method(block.test, frame.group(1)):
            # a helper of the test class (``findPattern``) called by the test: its line
            # stands in until the test method's own frame below it, which wins
            self.note(block.test, location=f"{at.group(1)}:{at.group(2)}")
            return
        if at:
            self.note(block.test, location=f"{at.group(1)}:{at.group(2)}")
            if frame:
                self.details[block.test].location = f"{at.group(1)}:{at.group(2)}"
        if not block.message and not stripped.startswith("at "):
            message = stripped  # `java.lang.AssertionError at CalcTest.java:11`: one line
            block.take(message, number)
            self.note(block.test, message=message, line=number)
        elif not at and continues_message(block, stripped):
            block.take(stripped, number, MAX_JVM_MESSAGE_LINES)
            self.set_message(block)
        if at:
            self.block = None

    @staticmethod
    def _is_test_method(test: str, qualified: str) -> bool:
        """``at demo.CalcTest.adds(CalcTest.java:8)`` is ``demo.CalcTest > adds``'s own
        frame (``adds[1]``, ``adds()`` and ``adds(String)`` name the same method); a test
        named in words (Spock, JUnit 5 display names) has no method to compare: any frame."""
        name = re.match(r"([\w$]+)(?:$|[\[(])", test.split(" > ", 1)[-1].strip())
        return name is None or qualified.rpartition(".")[2] == name.group(1)

    @staticmethod
    def _in_test_class(test: str, qualified: str) -> bool:
        """``at demo.CalcTest.adds(CalcTest.java:8)`` is in ``demo.CalcTest > adds``'s class
        (or a nested/anonymous class of it)."""
        cls = test.split(" > ", 1)[0]
        owner = qualified.rpartition(".")[0]
        return owner == cls or owner.startswith((cls + "$", cls + "."))


class SbtTest(Extractor):
    """sbt running ScalaTest/specs2: ``[info] - name *** FAILED ***`` with its message on
    the next ``[info]   `` line, then sbt's own ``[error] Failed tests:`` list of suites.

    sbt names the failed *suites*; those are the tests it reports, each with the message of
    a failed test inside it: the one whose ``(File.scala:N)`` is the suite's file, else one
    printed under the suite's own ``[info] SuiteName:`` header (ScalaTest's reporter names
    the suite before its tests; an exception message has no file:line). A job retried by
    ``travis_retry``/a wrapper prints the list once per attempt: the last attempt is the one
    that failed the job, so it wins.

    JUnit tests under sbt (junit-interface) are named one by one, ``[error] Test
    pkg.Class.method failed: <message>, took 0.003 sec``: those tests, not their class in the
    ``Failed tests:`` list, are the failing tests. An sbt run inside another (a nested build,
    scripted tests) prints its lines under the outer log's level: ``[info] [error] …``.
    MUnit (its fork of junit-interface, ``JUnitReporter``) names each failed test the same
    way, ``==> X pkg.Suite.test name  0.012s munit.FailException: /path/Suite.scala:9 msg``:
    those tests, not their suite in the list, are the failing tests."""

    name = "sbt"
    # (unprefixed from scalatest-maven-plugin, Mill or a paste that lost sbt's level)
    _FAILED = r"^(?:\[info\] )?- .* \*\*\* FAILED \*\*\*"
    _HEADER = r"^\[info\] ([A-Z][\w$]*):$"
    _JUNIT = r"^\[error\] Test ([\w.$]+) failed: (.*?)(?:, took [\d.]+ sec)?$"
    _NESTED = r"^(?:\[info\] )?"
    triggers = (
        _FAILED,
        _HEADER,
        _NESTED + r"\[error\] Failed tests:$",
        _NESTED + r"\[error\] \t[\w.$]+$",
        _NESTED + _JUNIT[1:],
        r"^(?:\[error\] )?==> X \S",
    )
    follow = (_FAILED,)
    _JUNIT_RE = re.compile(_JUNIT)
    # the exception's class, then (an assertion) the file:line munit puts first
    _MUNIT_RE = re.compile(
        r"^(?:\[error\] )?==> X (\S.*?) +\d+\.\d+s (?:[\w.$]+: )?(?:(\S+\.scala:\d+) )?(.*)$"
    )
    _NESTED_RE = re.compile(r"^\[info\] (?=\[(?:error|info|warn)\] )")
    _HEADER_RE = re.compile(_HEADER)
    _SUITE = re.compile(r"^\[error\] \t([\w.$]+)$")
    _MESSAGE = re.compile(r"^(?:\[info\] )?  (\S.*?)(?: \((\w+\.(?:scala|java)):(\d+)\))?$")
    _LEAF = re.compile(r"^(?:\[info\] )?- (.*?) \*\*\* FAILED \*\*\*")

    def __init__(self) -> None:
        super().__init__()
        self.listing = False
        self.expect_message = False
        self.header: str | None = None  # the suite whose tests ScalaTest is printing
        # message, location, line, raw, suite header
        self.seen: list[tuple[str, str | None, int, str, str | None]] = []
        self.junit: set[str] = set()  # classes whose tests junit-interface named
        self.munit: list[str] = []  # tests MUnit named (``pkg.Suite.name``)
        # ScalaTest's own ``- name *** FAILED ***`` tests: named when no suite list came
        self.leaves: dict[str, Failure] = {}
        self.leaf = ""

    def feed(self, text: str, number: int = 0) -> None:
        text = self._NESTED_RE.sub("", text, count=1)
        junit = self._JUNIT_RE.match(text)
        if junit:
            test, message = junit.group(1), junit.group(2)
            self.junit.add(test.rpartition(".")[0])
            self.add(test, number)
            self.note(test, message=message, line=number, raw=text[len("[error] ") :])
            return
        munit = self._MUNIT_RE.match(text)
        if munit:
            test, where, message = munit.groups()
            self.munit.append(test)
            self.add(test, number)
            self.note(test, message=message or None, location=where, line=number, raw=text)
            return
        if text == "[error] Failed tests:":
            self.listing, self.expect_message = True, False
            return
        if self.listing:
            m = self._SUITE.match(text)
            if m:
                self._suite(m.group(1), number)
                return
            self.listing = False
        header = self._HEADER_RE.match(text)
        if header:
            self.header, self.expect_message = header.group(1), False
            return
        leaf = self._LEAF.match(text)
        if leaf:
            self.expect_message = True
            if len(self.leaves) < MAX_TESTS:
                self.leaves.setdefault(leaf.group(1), Failure(leaf.group(1), line=number, raw=text))
            self.leaf = leaf.group(1)
            return
        if self.expect_message:
            self.expect_message = False
            m = self._MESSAGE.match(text)
            if m:
                where = f"{m.group(2)}:{m.group(3)}" if m.group(2) else None
                raw = text.removeprefix("[info]").strip()
                self.seen.append((m.group(1), where, number, raw, self.header))
                info = self.leaves.get(self.leaf)
                if info is not None and info.message is None:
                    info.message, info.location = m.group(1), where
                    info.line, info.raw = number, raw

    def tests(self) -> list[str]:
        return list(self.found) or list(self.leaves)

    def failures(self) -> list[Failure]:
        return super().failures() if self.found else list(self.leaves.values())

    def _suite(self, suite: str, number: int) -> None:
        if suite in self.junit or any(t.startswith(suite + ".") for t in self.munit):
            return  # its failed tests were named one by one
        self.add(suite, number)
        simple = suite.rpartition(".")[2]
        mine = [s for s in self.seen if s[1] and s[1].startswith(simple + ".")]
        mine = mine or [s for s in self.seen if s[4] == simple]
        if not mine:
            return
        message, location, line, raw, _ = mine[-1]
        self.details[suite] = Failure(suite, message, location, line, raw)
        self.seen = [s for s in self.seen if s not in mine]


class Partest(Extractor):
    """The Scala compiler's ``partest`` (scala/scala's ``test/files`` suites, run by sbt's
    ``testAll``/``partest``): one status line per test, ``!! 754 - neg/t742.scala
    [compilation failed]`` for a failure (``ok`` for a pass, padded to 40 columns, the
    reason in brackets), then what it printed for it: ``% diff …`` with the check file's
    diff, or ``##### Log file '…' from failed test #####`` and the log's lines (a neg test
    whose compiler crashed: ``error: head of empty list``). The test is its ident
    (``kind/name``, what ``partest --update-check`` takes); the message is the first line
    the diff adds or removes, else the log's first line, else the bracketed reason.
    sbt lists the whole run as one ``partest`` suite under ``Failed tests:``."""

    name = "partest"
    listed_as = ("partest",)
    _STATUS = r"^!! +\d+ - \S"
    triggers = (_STATUS,)
    follow = (_STATUS,)
    _STATUS_RE = re.compile(
        r"^!! +\d+ - (\S+?)(?: *\[((?!duration )[^\]]+)\])?(?: *\[duration [^\]]*\])? *$"
    )
    _LOG = re.compile(r"^##### Log file '.*' from failed test #####$")
    _DIFF = re.compile(r"^[-+](?![-+]{2} )\s*\S")
    _END = re.compile(r"^(?:ok|!!|\?\?|--|\+\+) +\d+ - \S|^# ")

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.reason: tuple[str, int, str] | None = None
        self.section = ""  # "diff" or "log" once the test's output section started

    def feed(self, text: str, number: int = 0) -> None:
        stripped = text.strip()
        m = self._STATUS_RE.match(stripped)
        if m:
            self._close()
            self.test, self.section = m.group(1), ""
            self.add(self.test, number)
            if m.group(2):
                self.reason = (m.group(2), number, text)
            return
        if self.test is None:
            return
        if self._END.match(stripped):
            self._close()
        elif stripped.startswith("% diff "):
            self.section = "diff"
        elif self._LOG.match(stripped):
            self.section = self.section or "log"
        elif (stripped and self.section == "log") or (
            self.section == "diff" and self._DIFF.match(stripped)
        ):
            self.note(self.test, message=stripped, line=number, raw=text)
            self.test = None

    def failures(self) -> list[Failure]:
        found = super().failures()
        for failure in found:
            failure.compiles = True  # its compiler's errors are its result
        return found

    def _close(self) -> None:
        """The test printed nothing more: its bracketed reason is all there is."""
        if self.test is not None and self.reason is not None:
            reason, number, raw = self.reason
            self.note(self.test, message=reason, line=number, raw=raw)
        self.test, self.reason = None, None
