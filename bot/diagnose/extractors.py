"""Failing-test extractors: each failing test as the tool prints it, with its own message.

Each extractor declares ``triggers`` (line patterns the reader's prefilter must let
through) and optionally ``follow`` triggers after which the next lines are fed too
(multi-line reports: a test's header followed by its error). ``feed(text, number)`` is
called with every line the reader yields for a step, in order; ``tests()`` returns the
failing tests and ``failures()`` one :class:`Failure` per test: the framework's own first
error line(s) for it (assertion with expected/actual, exception type and message, panic
message), the ``path:line`` where it failed when the output says so (the test's file,
not a frame inside the framework), and the log line of that message.

Identifier forms (what you paste into the tool to re-run it):
pytest ``tests/test_x.py::TestC::test_y[p]`` · unittest ``module.Class.test_y`` (the
dotted id printed in parentheses) · jest ``Suite › test`` (file ``src/x.test.ts`` when
a suite failed to run) · vitest ``src/x.test.ts > suite > test`` · mocha ``suite test``
(title parts joined by spaces; the json reporter's ``fullTitle``, the xunit
reporter's ``classname`` and ``name`` joined by a space) · node:test ``name``
· ava ``title`` · go ``TestX/sub`` · cargo
``mod::test`` · Surefire ``testX(com.Foo)`` or ``com.FooTest.testX`` · Gradle
``com.FooTest > testX()`` (the test-logger plugin's trees read into the same path)
· Ant's ``<junit>`` ``testX(com.FooTest)`` (the class when no test case was printed)
· RSpec ``Cart totals prices`` (the description;
``./spec/x_spec.rb:12`` without one) · PHPUnit ``Tests\\FooTest::testBar`` (``--testdox``:
the prettified name after ``✘``) · test-unit ``test_adds(CalcTest)`` · HUnit the path
(``0:arith:1``) · Nim unittest the name after ``[FAILED]`` · php-src
``run-tests.php`` ``ext/x/tests/y.phpt`` · ctest ``name``
· googletest ``Suite.Test`` · Catch2 and doctest: the test case's name
· Boost.Test ``suite/case`` · meson ``name`` (with its suites, as printed) · Automake's
``make check`` the test's path (``tests/div.test``; a TAP result ``t/x.sh 3 - desc``) · bazel
the target ``//pkg:calc_test`` · Octave the file · go ``-json`` events as go · gocheck
``Suite.TestMethod`` (go's ``Test`` that hosts it dropped, as for Ginkgo) · Vim
``Test_name`` · bun ``suite > test``
· QUnit ``module::name`` (whatever its harness joins them with: TAP's ``a > b > name`` is
module ``a > b``, testem's ``module: name`` loses its browser; a Chrome runner's progress
line ``module::name`` marked ``F`` or ``[✘]``) · Pester ``It name`` (its
self-tests' ``P``: the name after
``[-] - ``) · Bitcoin Core's functional tests
``feature_x.py`` · ExUnit ``test name (Module)`` (``path.exs:line`` when a paste lost the
header) · tasty: the leaf's name · XCTest
``Class.testMethod()`` · xUnit.net ``Namespace.Class.Method`` (the display name) ·
Microsoft.Testing.Platform the display name after ``failed`` (MSTest: the method) · Common
Test ``my_SUITE:case`` (rebar3 ``my_SUITE:group.case``) · Vader: the case's comments joined
by `` / `` · busted ``describe titles it title`` (joined by spaces; the spec file when it
failed to load) · status-table scripts (vis-test) the test's name as printed · EUnit
``calc_tests: add_test`` (rebar3: ``calc_tests:add_test/0``) · ERT the test's symbol
(``calc-mini-adds``) · Jasmine the spec's full name (``Suite spec``, as after ``N) ``)
· Karma the spec's full name (``Suite spec``, without the browser before it; the spec
reporter's list after its total read into the same name).
· bats the test's description · karma-mocha-reporter ``Suite sub-suite spec`` · Robot
Framework the test's name before ``| FAIL |``
· uvu ``suite > name`` (``name`` when the test has no suite) · web-test-runner
``suite > test`` as its ``❌`` line prints it.
· Qt Test ``Class::function(tag)`` · CppUTest ``TEST(Group, Name)``
· partest ``kind/name`` (``neg/t742.scala``).
· clojure.test ``ns/var`` (``app.web-test/first-test``, as ``lein test :only`` takes it; the var
  alone when no namespace was printed) · AndroidJUnitRunner ``method(com.pkg.Class)`` · the D
  compiler's test suite the test's path (``runnable/gdb1.d``).
· Automake's ``make check``: the name after ``FAIL: `` (``tests/foo.test``; under its TAP
  driver ``t/foo.sh 3 - description``).
· bazel the target's label (``//pkg:calc_test``). · Octave the file whose ``%!`` tests failed.
· MSpec (ruby/spec) the example's description (``Array#pack with format 'x' raises …``).
· luvit's tap the test's name as printed (``dns - resolveTxtTCP``).
· CoffeeScript's Cakefile runner: the test's description.
· Cucumber the scenario's ``path.feature:line`` as its failing-scenario list prints it.
· Node.js core's CI reporter the quoted name of ``Test failure: 'name'``.
· Ginkgo the spec's texts after its state (``Suite Context [It] does x``).
· lit ``Suite :: path/test.ll``.
· GNU Autotest the group's description (``Calc parser with location``) · Check and Unity
  (C) the test function (``test_money_create``) · pytest-subtests' failed subtests and
  xdist's crashed worker the node id of their test.
· Node core's tests ``sequential/test-x`` (from a frame in ``test/sequential/test-x.js``
  below an error line, when a paste lost the ``not ok`` line).

This module is the dispatch: it runs every framework family's extractors (the
``extract_*`` modules, built on :mod:`bot.diagnose.extract_core`) over a step's lines.
"""

from .extract_android import AndroidJUnitRunner
from .extract_ant import AntJUnit
from .extract_automake import Automake
from .extract_bats import Bats
from .extract_bazel import BazelTest
from .extract_bun import BunTest
from .extract_busted import Busted
from .extract_cake import CakeTest
from .extract_clojure import ClojureTest
from .extract_common_test import CommonTest
from .extract_core import (
    MAX_TESTS,
    Extractor,
    Failure,
    js_frame_location,
    relative_path,
)
from .extract_cucumber import Cucumber
from .extract_dart import DartTest
from .extract_dlang import DmdTestSuite
from .extract_dotnet import MicrosoftTestingPlatform
from .extract_erlang import EUnit
from .extract_ert import Ert
from .extract_ginkgo_lit import GinkgoSummary, LitTest
from .extract_go_json import GoJson
from .extract_go_rust import CargoTest, GoTest
from .extract_gocheck import GoCheck
from .extract_gradle import GradleTestLogger
from .extract_hunit_nim import HUnit, NimUnittest
from .extract_jasmine import Jasmine
from .extract_jest import Jest
from .extract_js import Ava, Mocha, NodeTest, Playwright
from .extract_junit_console import JUnitPlatformConsole
from .extract_jvm import Gradle, Partest, SbtTest, Surefire
from .extract_karma import Karma, KarmaMocha
from .extract_karma_spec import KarmaSpec
from .extract_luvit import LuvitTap
from .extract_make_check import AutotestCheckUnity
from .extract_mocha_json import MochaJson
from .extract_mocha_xunit import MochaXunit
from .extract_more import ExUnit, Hspec, Tasty, XCTest
from .extract_mspec import MSpec
from .extract_node_core import NodeCoreFrames, NodeCoreReport
from .extract_octave import OctaveTest
from .extract_other import (
    BallerinaTest,
    BoostTest,
    Catch2,
    CTest,
    Doctest,
    GoogleTest,
    MesonTest,
    OtherRunners,
    Testthat,
    VimTest,
)
from .extract_perl import TestHarness
from .extract_pester import Pester
from .extract_pester_p import PesterP
from .extract_phpunit_more import PHPUnitTeamCity, PHPUnitTestdox
from .extract_pytest_more import PytestMore
from .extract_python import BitcoinFunctional, Pytest, Unittest
from .extract_qtest import CppUTest, QtTest
from .extract_qunit import GruntQUnit, NodeQUnit, PhantomRunner, PuppeteerGroups, QUnit
from .extract_qunit_progress import QUnitProgress
from .extract_qunit_tap import QUnitConsole, QUnitTap
from .extract_robot import RobotFramework
from .extract_ruby_more import MinitestReporters, TestUnit
from .extract_ruby_php import Minitest, Pest, PhpRunTests, PHPUnit, RSpec
from .extract_status import StatusTable
from .extract_uvu_wtr import Uvu, WebTestRunner
from .extract_vader import Vader
from .extract_xunit import NUnitConsole, XUnitConsole

__all__ = [
    "EXTRACTORS",
    "Failure",
    "TestCollector",
    "extract_failures",
    "extract_tests",
    "follow_patterns",
    "js_frame_location",
    "relative_path",
    "trigger_patterns",
]


EXTRACTORS: tuple[type[Extractor], ...] = (
    Pytest,
    Unittest,
    Jest,
    Mocha,
    NodeTest,
    GoTest,
    GoCheck,
    CargoTest,
    Surefire,
    Gradle,
    GradleTestLogger,
    AntJUnit,
    SbtTest,
    Partest,
    TestHarness,
    RSpec,
    PHPUnit,
    PhpRunTests,
    CTest,
    GoogleTest,
    Catch2,
    Doctest,
    BoostTest,
    MesonTest,
    Minitest,
    Playwright,
    Ava,
    OtherRunners,
    BunTest,
    VimTest,
    BallerinaTest,
    Testthat,
    QUnit,
    QUnitTap,
    QUnitConsole,
    PhantomRunner,
    NodeQUnit,
    PuppeteerGroups,
    GruntQUnit,
    QUnitProgress,
    Pester,
    PesterP,
    BitcoinFunctional,
    ExUnit,
    Tasty,
    XCTest,
    XUnitConsole,
    CommonTest,
    Vader,
    Busted,
    StatusTable,
    EUnit,
    Ert,
    Jasmine,
    Karma,
    KarmaMocha,
    KarmaSpec,
    Bats,
    RobotFramework,
    LuvitTap,
    CakeTest,
    Cucumber,
    NodeCoreReport,
    GinkgoSummary,
    LitTest,
    NodeCoreFrames,
    DartTest,
    Hspec,
    Pest,
    NUnitConsole,
    MicrosoftTestingPlatform,
    JUnitPlatformConsole,
    Uvu,
    WebTestRunner,
    QtTest,
    CppUTest,
    ClojureTest,
    AndroidJUnitRunner,
    DmdTestSuite,
    MSpec,
    PHPUnitTestdox,
    PHPUnitTeamCity,
    TestUnit,
    MinitestReporters,
    HUnit,
    NimUnittest,
    MochaJson,
    MochaXunit,
    Automake,
    GoJson,
    BazelTest,
    OctaveTest,
    PytestMore,
    AutotestCheckUnity,
)


def trigger_patterns() -> list[tuple[str, bool]]:
    return [(p, False) for cls in EXTRACTORS for p in cls.triggers]


def follow_patterns() -> list[tuple[str, bool]]:
    return [(p, False) for cls in EXTRACTORS for p in cls.follow]


class TestCollector:
    """Runs every extractor over one step's lines; merged, ordered, de-duplicated."""

    def __init__(self) -> None:
        self.extractors = [cls() for cls in EXTRACTORS]

    def feed(self, text: str, number: int = 0) -> None:
        for extractor in self.extractors:
            extractor.feed(text, number)

    def tests(self) -> list[str]:
        return [f.test for f in self.failures()]

    def failures(self) -> list[Failure]:
        out: dict[str, Failure] = {}
        covered = {n for e in self.extractors if e.subsumes and e.tests() for n in e.subsumes}
        umbrella = {n for e in self.extractors if e.listed_as and e.tests() for n in e.listed_as}
        naming = {e.name for e in self.extractors if e.found}
        for extractor in self.extractors:
            if extractor.name in covered:
                continue
            hosts = extractor.wrappers()
            for failure in extractor.failures():
                if failure.test in umbrella or hosts.get(failure.test) in naming:
                    continue  # a wrapper's one name for a run whose tests are named
                known = out.get(failure.test)
                if known is None and len(out) < MAX_TESTS:
                    out[failure.test] = failure
                elif known is not None and _says_more(failure, known):
                    # a wrapper (ctest) named the test; the framework it ran says why
                    out[failure.test] = failure
        if not out:
            for extractor in self.extractors:
                for failure in extractor.fallback_failures()[:MAX_TESTS]:
                    out.setdefault(failure.test, failure)
        return list(out.values())[:MAX_TESTS]


def _says_more(failure: Failure, known: Failure) -> bool:
    """``failure`` (a later extractor's) tells more than ``known``: a message where there
    was none, or the assertion with its location where there was only a status line."""
    if not failure.message:
        return False
    return not known.message or bool(failure.location and not known.location)


def extract_failures(lines: list[str] | str) -> list[Failure]:
    """Failing tests with messages in ``lines`` (cleaned text), without the reader."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    collector = TestCollector()
    for number, line in enumerate(lines, 1):
        collector.feed(line, number)
    return collector.failures()


def extract_tests(lines: list[str] | str) -> list[str]:
    """Failing tests in ``lines`` (cleaned text) — the extractors without the reader."""
    return [f.test for f in extract_failures(lines)]
