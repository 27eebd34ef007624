# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Round 3, helper r3T: failing tests without a rule, from the frameworks' documented
failure output, each written whole, cut to its failure lines and as its summary only.

Mechanisms: ``go test``'s package result line printed with tabs (``FAIL\\tpkg\\t0.01s``)
or with the tabs turned into spaces by a paste places a bare ``x_test.go:N`` under the
package's directory; a cargo panic whose paste ends right after its message keeps the
message; Java 9+ frames with a class loader or module before the class (``at
app//demo.CalcTest.adds(``) are read as frames, so a framework's frame is not the test's
location; VSTest's ``Error Message:`` keeps xUnit's ``Expected:``/``Actual:`` lines and
its ``Stack Trace:`` gives the test file's line; RSpec's summary-only ``rspec
./spec/x_spec.rb:5 # title`` gives the example's line; Collision's ``• Class > test``
header and a Pest progress tree whose indent a paste's margin took; swift-corelibs-xctest's
trailing `` -``; a matcher's ``Expected:`` line continued by its ``Actual:`` line (Dart,
hspec). Each has near misses that must keep their old reading.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_core import with_actual
from bot.diagnose.extract_go_rust import CargoTest, GoTest
from bot.diagnose.extract_jvm import Gradle, Surefire
from bot.diagnose.extract_other import OtherRunners
from bot.diagnose.extract_ruby_php import Pest, RSpec
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import fed, travis_one_command

_OFF = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _paste(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _failures(lines: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """What the engine, without rules, says of each failing test of a pasted excerpt."""
    diagnosis = diagnose(_paste(lines), rules=_OFF)
    return {f.test: (f.message, f.location) for f in diagnosis.failures}


# ---- go test: the package's result line ----------------------------------------------

_GO_TWO_PACKAGES = [
    "--- FAIL: TestMul (0.00s)",
    "    calc_test.go:7: Mul(3, 3) = 10, want 9",
    "FAIL",
    "FAIL\texample.com/proj/calc\t0.01s",
    "--- FAIL: TestClean (0.00s)",
    '    trim_test.go:8: Clean("  hi  ") = "hi  ", want "hi"',
    "FAIL",
    "FAIL\texample.com/proj/textx\t0.01s",
    "ok  \texample.com/proj/util\t0.01s",
    "FAIL",
]


def test_go_fail_line_with_tabs_places_each_test_in_its_package() -> None:
    """``FAIL\\tpkg\\t0.01s`` (go prints tabs, no space after FAIL) closes the package
    whose tests came before it; the passing package after them takes none."""
    got = _failures(_GO_TWO_PACKAGES)
    assert got["TestMul"][1] == "calc/calc_test.go:7"
    assert got["TestClean"][1] == "textx/trim_test.go:8"


def test_go_package_line_in_an_actions_job() -> None:
    diagnosis = diagnose(travis_one_command("go test ./...", _GO_TWO_PACKAGES), rules=_OFF)
    assert [(f.test, f.location) for f in diagnosis.failures] == [
        ("TestMul", "calc/calc_test.go:7"),
        ("TestClean", "textx/trim_test.go:8"),
    ]


def test_go_package_line_whose_tabs_a_paste_turned_into_spaces() -> None:
    lines = [
        "--- FAIL: TestAdd (0.00s)",
        "    calc_test.go:9: got 3 want 4",
        "FAIL",
        "FAIL    github.com/acme/proj/internal/calc    0.004s",
        "ok      github.com/acme/proj/util    (cached)",
    ]
    assert _failures(lines)["TestAdd"][1] == "internal/calc/calc_test.go:9"


def test_go_failure_cut_before_its_package_line_keeps_the_file_as_printed() -> None:
    lines = ["--- FAIL: TestAdd (0.00s)", "    calc_test.go:9: got 3 want 4"]
    assert _failures(lines)["TestAdd"] == ("calc_test.go:9: got 3 want 4", "calc_test.go:9")


def test_go_package_line_near_misses() -> None:
    """gotestsum's ``FAIL pkg.TestX (0.00s)`` is a test, not a package; ``FAILED`` and a
    prose ``ok`` are neither."""
    extractor = fed(
        GoTest(),
        [
            "--- FAIL: TestAdd (0.00s)",
            "    calc_test.go:9: got 3 want 4",
            "FAIL calc.TestSub (0.00s)",
            "FAILED\texample.com/proj/x\t0.1s",
            "ok so the build passed 2s ago",
        ],
    )
    assert extractor.tests() == ["TestAdd", "TestSub"]
    assert extractor.directory_of == {}


# ---- cargo test: a paste that ends after the panic's message ----------------------------

_CARGO = [
    "running 2 tests",
    "test tests::it_adds ... FAILED",
    "test tests::it_works ... ok",
    "",
    "failures:",
    "",
    "---- tests::it_adds stdout ----",
    "thread 'tests::it_adds' panicked at src/lib.rs:12:9:",
    "assertion `left == right` failed",
    "  left: 4",
    " right: 5",
    "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
    "",
    "",
    "failures:",
    "    tests::it_adds",
    "",
    "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
]
_CARGO_MESSAGE = "assertion `left == right` failed left: 4 right: 5"


def test_cargo_whole_cut_and_summary() -> None:
    assert _failures(_CARGO) == {"tests::it_adds": (_CARGO_MESSAGE, "src/lib.rs:12")}
    # cut right after the panic's message (no ``note:`` line to close it)
    assert _failures(_CARGO[6:11]) == {"tests::it_adds": (_CARGO_MESSAGE, "src/lib.rs:12")}
    assert _failures(_CARGO[14:]) == {"tests::it_adds": (None, None)}


def test_cargo_open_panic_without_a_message_names_none() -> None:
    extractor = fed(CargoTest(), _CARGO[6:8])
    assert [(f.test, f.message) for f in extractor.failures()] == [("tests::it_adds", None)]


# ---- Gradle and Surefire: Java 9+ frames ----------------------------------------------

_GRADLE_FULL = [
    "com.example.CalcTest > testAdd() FAILED",
    "    org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
    "        at app//org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)",
    "        at app//org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:150)",
    "        at app//com.example.CalcTest.testAdd(CalcTest.java:12)",
    "",
    "2 tests completed, 1 failed",
]


def test_gradle_frames_with_a_class_loader_prefix_skip_the_framework() -> None:
    """Gradle on Java 9+ prints ``at app//pkg.Class.method(File.java:N)``: JUnit's own
    frames come first and are not where the test failed."""
    got = _failures(_GRADLE_FULL)
    assert got["com.example.CalcTest > testAdd()"] == (
        "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
        "CalcTest.java:12",
    )
    # cut to the header and the message: no frame, no location
    cut = _failures(_GRADLE_FULL[:2])
    assert cut["com.example.CalcTest > testAdd()"][1] is None


def test_gradle_module_prefixed_frame_of_the_code_under_test() -> None:
    """A ``java.base/`` frame is the JDK's; the project's frame under test stands in until
    the test's own frame, which wins."""
    extractor = fed(
        Gradle(),
        [
            "demo.ParserTest > parses() FAILED",
            '    java.lang.NumberFormatException: For input string: "x"',
            "        at java.base/java.lang.Integer.parseInt(Integer.java:652)",
            "        at app//demo.Parser.parse(Parser.java:9)",
            "        at app//demo.ParserTest.parses(ParserTest.java:14)",
        ],
    )
    assert extractor.failures()[0].location == "ParserTest.java:14"


def test_surefire_frame_with_a_module_prefix() -> None:
    extractor = fed(
        Surefire(),
        [
            "[ERROR] testAdd(com.example.CalcTest)  Time elapsed: 0.01 s  <<< FAILURE!",
            "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
            "\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)",
            "\tat app//com.example.CalcTest.testAdd(CalcTest.java:12)",
        ],
    )
    assert extractor.failures()[0].location == "CalcTest.java:12"


# ---- dotnet test (VSTest console): message lines and the stack trace ---------------------

_DOTNET = [
    "  Failed CalcTests.AddTest [12 ms]",
    "  Error Message:",
    "   Assert.Equal() Failure",
    "Expected: 5",
    "Actual:   4",
    "  Stack Trace:",
    "     at Calc.Add(Int32 a, Int32 b) in /home/runner/work/p/p/src/Calc.cs:line 4",
    "     at CalcTests.AddTest() in /home/runner/work/p/p/tests/CalcTests.cs:line 12",
    "",
    "Failed!  - Failed:     1, Passed:     1, Skipped:     0, Total:     2, Duration: 20 ms - Tests.dll (net8.0)",
]


def test_dotnet_whole_cut_and_summary() -> None:
    whole = _failures(_DOTNET)
    assert whole == {
        "CalcTests.AddTest": (
            "Assert.Equal() Failure Expected: 5 Actual: 4",
            "tests/CalcTests.cs:12",
        )
    }
    # cut before the stack trace: the message, no location
    assert _failures(_DOTNET[:5]) == {
        "CalcTests.AddTest": ("Assert.Equal() Failure Expected: 5 Actual: 4", None)
    }


def test_dotnet_frame_outside_a_test_file_only_without_a_better_one() -> None:
    extractor = fed(OtherRunners(), [*_DOTNET[:7], *_DOTNET[8:]])
    assert extractor.failures()[0].location == "src/Calc.cs:4"


def test_dotnet_output_after_the_trace_is_not_the_message() -> None:
    """MSTest's one-line message; ``Standard Output Messages:`` lines are the test's
    output, not its error, and a frame-like line in them is not its location."""
    extractor = fed(
        OtherRunners(),
        [
            "  Failed AddTest [3 ms]",
            "  Error Message:",
            "   Assert.AreEqual failed. Expected:<5>. Actual:<4>. ",
            "  Stack Trace:",
            "     at CalcTests.AddTest() in C:\\a\\p\\p\\tests\\CalcTests.cs:line 12",
            "",
            "  Standard Output Messages:",
            " starting at Foo in bar.cs:line 3",
        ],
    )
    failure = extractor.failures()[0]
    assert failure.message == "Assert.AreEqual failed. Expected:<5>. Actual:<4>."
    assert failure.location is not None and failure.location.endswith("CalcTests.cs:12")


# ---- RSpec: the summary only -----------------------------------------------------------

_RSPEC = [
    "Failures:",
    "",
    "  1) Calculator adds two numbers",
    "     Failure/Error: expect(calc.add(2, 2)).to eq(5)",
    "",
    "       expected: 5",
    "            got: 4",
    "",
    "       (compared using ==)",
    "     # ./spec/calculator_spec.rb:6:in `block (2 levels) in <top (required)>'",
    "",
    "Finished in 0.01 seconds (files took 0.1 seconds to load)",
    "2 examples, 1 failure",
    "",
    "Failed examples:",
    "",
    "rspec ./spec/calculator_spec.rb:5 # Calculator adds two numbers",
]


def test_rspec_whole_cut_and_summary() -> None:
    message = "Failure/Error: expect(calc.add(2, 2)).to eq(5) expected: 5 got: 4"
    test = "Calculator adds two numbers"
    assert _failures(_RSPEC)[test] == (message, "spec/calculator_spec.rb:6")
    assert _failures(_RSPEC[2:10])[test] == (message, "spec/calculator_spec.rb:6")
    # the summary only: the example's own line is where it is
    assert _failures(_RSPEC[11:])[test] == (None, "spec/calculator_spec.rb:5")


def test_rspec_rerun_by_id_gives_no_line() -> None:
    extractor = fed(RSpec(), ["rspec ./spec/calc_spec.rb[1:2:1] # Calc adds"])
    assert [(f.test, f.location) for f in extractor.failures()] == [("Calc adds", None)]


# ---- Pest / Collision ------------------------------------------------------------------

_PEST_V1 = [
    "   FAIL  Tests\\Unit\\CalcTest",
    "  ✓ it subtracts",
    "  ⨯ it adds numbers",
    "",
    "  ---",
    "",
    "  • Tests\\Unit\\CalcTest > it adds numbers",
    "  Failed asserting that 4 is identical to 5.",
    "",
    "  at tests/Unit/CalcTest.php:5",
    "      1▕ <?php",
    "  ➜   5▕     expect(add(2, 2))->toBe(5);",
    "",
    "  Tests:  1 failed, 1 passed",
]


def test_pest_collision_bullet_header_names_the_test() -> None:
    test = "Tests\\Unit\\CalcTest > it adds numbers"
    assert _failures(_PEST_V1) == {
        test: ("Failed asserting that 4 is identical to 5.", "tests/Unit/CalcTest.php:5")
    }
    # cut to the failure's own lines
    assert _failures(_PEST_V1[6:10]) == {
        test: ("Failed asserting that 4 is identical to 5.", "tests/Unit/CalcTest.php:5")
    }


def test_pest_progress_tree_without_its_indent() -> None:
    """A paste's margin took the tree's two spaces: the tree still names the test."""
    extractor = fed(
        Pest(), ["FAIL  Tests\\Unit\\CalcTest", "✓ it subtracts", "⨯ it adds numbers", ""]
    )
    assert extractor.tests() == ["Tests\\Unit\\CalcTest > it adds numbers"]


def test_pest_near_misses() -> None:
    """A bullet list item with a ``>`` is prose, not a Pest failure; a tree ends at a line
    that is neither indented nor a result mark."""
    extractor = fed(
        Pest(),
        [
            "  • build > test passed",
            "FAIL  Tests\\Unit\\CalcTest",
            "⨯ it adds numbers",
            "Time: 0.02s",
            "⨯ not in the tree",
        ],
    )
    assert extractor.tests() == ["Tests\\Unit\\CalcTest > it adds numbers"]


# ---- XCTest on Linux, Dart and hspec messages ------------------------------------------


def test_corelibs_xctest_message_without_its_trailing_dash() -> None:
    lines = [
        "Test Case 'CalcTests.testAdd' started at 2024-01-01 10:00:00.000",
        '/home/runner/work/p/p/Tests/CalcTests/CalcTests.swift:8: error: CalcTests.testAdd : XCTAssertEqual failed: ("4") is not equal to ("5") - ',
        "Test Case 'CalcTests.testAdd' failed (0.002 seconds)",
    ]
    assert _failures(lines)["CalcTests.testAdd()"] == (
        'XCTAssertEqual failed: ("4") is not equal to ("5")',
        "Tests/CalcTests/CalcTests.swift:8",
    )
    with_message = [lines[0], lines[1].replace(" - ", " - sums differ"), lines[2]]
    assert _failures(with_message)["CalcTests.testAdd()"][0] == (
        'XCTAssertEqual failed: ("4") is not equal to ("5") - sums differ'
    )


def test_dart_expected_and_actual() -> None:
    lines = [
        "00:01 +1 -1: test/calc_test.dart: adds [E]",
        "  Expected: <5>",
        "    Actual: <4>",
        "  ",
        "  package:test_api           expect",
        "  test/calc_test.dart 8:5    main.<fn>",
        "  ",
        "00:01 +1 -1: Some tests failed.",
    ]
    assert _failures(lines) == {"adds": ("Expected: <5> Actual: <4>", "test/calc_test.dart:8")}


def test_hspec_expected_and_but_got() -> None:
    lines = [
        "Failures:",
        "",
        "  test/CalcSpec.hs:10:5: ",
        "  1) Calc.add adds numbers",
        "       expected: 5",
        "        but got: 4",
        "",
        '  To rerun use: --match "/Calc.add/adds numbers/"',
    ]
    assert _failures(lines) == {
        "Calc.add adds numbers": ("expected: 5 but got: 4", "test/CalcSpec.hs:10")
    }


def test_with_actual_near_misses() -> None:
    assert with_actual("Expected: <5>", "Actual: <4>") == "Expected: <5> Actual: <4>"
    assert with_actual("expected: 5", "but got: 4") == "expected: 5 but got: 4"
    assert with_actual("Expected: 5 Actual: 4", "Actual: 4") is None  # already has one
    assert with_actual("assertion failed", "Actual: 4") is None  # not an Expected line
    assert with_actual("Expected: <5>", "Which: is greater") is None
    assert with_actual(None, "Actual: 4") is None


# ---- Surefire 2: its unprefixed result lists pasted alone ------------------------------

_SUREFIRE_LIST = [
    "Tests in error: ",
    "",
    "  recordIsAddedAndSent(com.acme.kafka.KafkaBackendImplTest)",
    "  testGetSessionToken(com.acme.auth.KeyStoneUtilsTest)",
    "",
    "Tests run: 175, Failures: 4, Errors: 4, Skipped: 0",
    "",
    "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test (default-test) on project acme: There are test failures.",
]


def test_surefire_old_list_alone_names_its_tests() -> None:
    """Surefire before 2.18 lists ``  name(pkg.Class)`` under ``Tests in error:`` (here
    with a blank line after the heading): the entries' JUnit shape says whose list it is."""
    assert list(_failures(_SUREFIRE_LIST)) == [
        "recordIsAddedAndSent(com.acme.kafka.KafkaBackendImplTest)",
        "testGetSessionToken(com.acme.auth.KeyStoneUtilsTest)",
    ]
    # the heading sharing its line with the first entry, and a message after it
    got = _failures(
        ["Failed tests:   testA(com.x.FooTest): expected:<4> but was:<5>", "  testB(com.x.FooTest)"]
    )
    assert got == {
        "testA(com.x.FooTest)": ("expected:<4> but was:<5>", None),
        "testB(com.x.FooTest)": (None, None),
    }


def test_surefire_heading_alone_near_misses() -> None:
    """A ``Failed tests:`` heading of another tool: entries without a packaged class in
    parentheses are not Surefire's."""
    extractor = fed(Surefire(), ["Failed tests:", "  foo(bar)", "  testB(com.x.FooTest)"])
    assert extractor.tests() == []
    extractor = fed(Surefire(), ["Failed tests:", "", "tests/test_x.py::test_a", ""])
    assert extractor.tests() == []


# ---- ExUnit cut below its header, NUnit's Expected/But was, behave's failing list ----------


def test_exunit_block_cut_below_its_header_and_without_its_indent() -> None:
    """A paste of the block under ``  1) test …`` whose margin took the indent: the
    ``path.exs:line`` line followed by ExUnit's error line is the test."""
    lines = [
        "test/calc_test.exs:5",
        "Assertion with == failed",
        "code:  assert Calc.add(2, 2) == 5",
        "left:  4",
        "right: 5",
        "stacktrace:",
        "  test/calc_test.exs:6: (test)",
    ]
    assert _failures(lines) == {
        "test/calc_test.exs:5": ("Assertion with == failed", "test/calc_test.exs:6")
    }
    indented = ["     " + line for line in lines]
    assert list(_failures(indented)) == ["test/calc_test.exs:5"]


def test_exunit_bare_path_without_exunit_error_is_nothing() -> None:
    assert _failures(["test/calc_test.exs:5", "compiling 3 files (.ex)"]) == {}


def test_nunit_expected_and_but_was() -> None:
    lines = [
        "Errors, Failures and Warnings",
        "",
        "1) Failed : Acme.Tests.CalcTests.AddTest",
        "  Expected: 5",
        "  But was:  4",
        "   at Acme.Tests.CalcTests.AddTest() in /home/runner/work/p/p/tests/CalcTests.cs:line 12",
        "",
        "Test Run Summary",
    ]
    assert _failures(lines) == {
        "Acme.Tests.CalcTests.AddTest": ("Expected: 5 But was: 4", "tests/CalcTests.cs:12")
    }


def test_behave_failing_scenarios_list() -> None:
    lines = [
        "Failing scenarios:",
        "  features/calc.feature:5  Add two numbers",
        "  features/io.feature:12  Read a file",
        "",
        "0 features passed, 2 failed, 0 skipped",
    ]
    assert list(_failures(lines)) == ["features/calc.feature:5", "features/io.feature:12"]


def test_behave_entries_without_their_heading_are_not_tests() -> None:
    """Near miss: an indented ``path.feature:N  text`` alone is not a list of failures."""
    assert _failures(["  features/calc.feature:5  Add two numbers"]) == {}
