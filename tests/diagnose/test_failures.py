"""Each failing test with its own message and location, for every supported framework."""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import Failure, extract_failures, relative_path
from bot.memory.signature import failure_signature

GO_VERBOSE = """\
=== RUN   TestParse
    parse_test.go:21: got "a", want "b"
--- FAIL: TestParse (0.00s)
=== RUN   TestOK
    ok_test.go:5: just logging
--- PASS: TestOK (0.00s)
FAIL
FAIL\texample.com/m/parse\t0.01s
"""

GO_PLAIN = """\
--- FAIL: TestSum (0.00s)
    --- FAIL: TestSum/negative (0.00s)
        sum_test.go:14: Sum(-1, -2) = 3, want -3
FAIL
"""

GO_PANIC = """\
--- FAIL: TestIndex (0.00s)
panic: runtime error: index out of range [3] with length 3 [recovered]
goroutine 7 [running]:
testing.tRunner.func1.2({0x5e5e20, 0xc000018a38})
\t/usr/local/go/src/testing/testing.go:1545 +0x238
example.com/m.TestIndex(0xc000007860)
\t/home/runner/work/m/m/index_test.go:9 +0x1d
"""

SUREFIRE_OLD = (
    (
        "[ERROR] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s"
        " <<< FAILURE! - in com.acme.CalcTest\n"
    )
    + """\
[ERROR] addsNumbers(com.acme.CalcTest)  Time elapsed: 0.01 s  <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <4> but was: <5>
\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)
\tat com.acme.CalcTest.addsNumbers(CalcTest.java:17)
"""
)

SUREFIRE_NEW = """\
[ERROR] com.acme.CalcTest.addsNumbers -- Time elapsed: 0.012 s <<< FAILURE!
java.lang.AssertionError: expected:<4> but was:<5>
\tat org.junit.Assert.fail(Assert.java:89)
\tat com.acme.CalcTest.addsNumbers(CalcTest.java:21)
"""

GRADLE = """\
CalcTest > addsNumbers() FAILED
    org.opentest4j.AssertionFailedError: expected: <4> but was: <5>
        at app//com.acme.CalcTest.addsNumbers(CalcTest.java:17)

2 tests completed, 1 failed
"""

RSPEC = """\
Failures:

  1) Calculator adds numbers
     Failure/Error: expect(calc.add(2, 2)).to eq(5)

       expected: 5
            got: 4

       (compared using ==)
     # ./spec/calculator_spec.rb:6:in `block (2 levels) in <top (required)>'

Finished in 0.01 seconds (files took 0.1 seconds to load)
2 examples, 1 failure

Failed examples:

rspec ./spec/calculator_spec.rb:5 # Calculator adds numbers
"""

PHPUNIT = """\
There was 1 failure:

1) Tests\\Unit\\CalcTest::testAdd
Failed asserting that 5 matches expected 4.

/home/runner/work/app/app/tests/Unit/CalcTest.php:14

FAILURES!
Tests: 2, Assertions: 2, Failures: 1.
"""

CARGO_OLD = """\
test tests::it_works ... FAILED

failures:

---- tests::it_works stdout ----
thread 'tests::it_works' panicked at 'assertion failed: `(left == right)`', src/lib.rs:8:9
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

failures:
    tests::it_works

test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out
"""

JEST = """\
FAIL src/sum.test.ts
  ● math › adds

    expect(received).toBe(expected) // Object.is equality

    Expected: 3
    Received: 4

      4 | test('adds', () => {
    > 5 |   expect(add(2, 2)).toBe(3);
        |                     ^

      at Object.<anonymous> (src/sum.test.ts:5:21)
      at processTicksAndRejections (node:internal/process/task_queues:95:5)

Tests:       1 failed, 3 passed, 4 total
"""

MOCHA = """\
  1 passing (5ms)
  1 failing

  1) parser
       handles empty input:
     TypeError: Cannot read properties of undefined (reading 'length')
      at parse (lib/parser.js:10:15)
      at Context.<anonymous> (test/parser.test.js:7:5)
"""

NODE_SPEC = """\
✖ adds numbers (1.2ms)
  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

  1 !== 2

      at TestContext.<anonymous> (file:///home/runner/work/app/app/test/add.test.js:6:10)
      at Test.runInAsyncScope (node:async_hooks:206:9)
"""

UNITTEST = """\
======================================================================
FAIL: test_total (shop.tests.CartTest)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/home/runner/work/shop/shop/shop/tests.py", line 9, in test_total
    self.assertEqual(total([1, 2]), 4)
AssertionError: 3 != 4

----------------------------------------------------------------------
Ran 1 test in 0.001s
"""

PYTEST = """\
=================================== FAILURES ===================================
________________________________ test_parse[x] _________________________________

value = 'x'

    def test_parse(value):
>       assert parse(value) == 1
E       AssertionError: assert 2 == 1
E        +  where 2 = parse('x')

tests/test_parse.py:8: AssertionError
=========================== short test summary info ============================
FAILED tests/test_parse.py::test_parse[x] - AssertionError: assert 2 == 1
"""

CTEST = """\
2/3 Test #2: test_bad .........................***Failed    0.01 sec
expected 3, got 4
100% tests passed, 1 tests failed out of 3
The following tests FAILED:
\t  2 - test_bad (Failed)
"""

VITEST = """\
 FAIL  src/price.test.ts > price > rounds
AssertionError: expected 0.12 to be 0.13 // Object.is equality
 ❯ src/price.test.ts:5:43
"""


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            PYTEST,
            Failure(
                "tests/test_parse.py::test_parse[x]",
                "AssertionError: assert 2 == 1",
                "tests/test_parse.py:8",
                8,
            ),
            id="pytest",
        ),
        pytest.param(
            UNITTEST,
            Failure(
                "shop.tests.CartTest.test_total", "AssertionError: 3 != 4", "shop/tests.py:9", 7
            ),
            id="unittest",
        ),
        pytest.param(
            JEST,
            Failure(
                "math › adds",
                "expect(received).toBe(expected) // Object.is equality Expected: 3 Received: 4",
                "src/sum.test.ts:5",
                4,
            ),
            id="jest",
        ),
        pytest.param(
            VITEST,
            Failure(
                "src/price.test.ts > price > rounds",
                "AssertionError: expected 0.12 to be 0.13 // Object.is equality",
                "src/price.test.ts:5",
                2,
            ),
            id="vitest",
        ),
        pytest.param(
            MOCHA,
            Failure(
                "parser handles empty input",
                "TypeError: Cannot read properties of undefined (reading 'length')",
                "test/parser.test.js:7",  # the test file's frame, not lib/ (j11a)
                6,
            ),
            id="mocha",
        ),
        pytest.param(
            NODE_SPEC,
            Failure(
                "adds numbers",
                "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
                "test/add.test.js:6",
                2,
            ),
            id="node-test-spec",
        ),
        pytest.param(
            GO_VERBOSE,
            Failure(
                "TestParse", 'parse_test.go:21: got "a", want "b"', "parse/parse_test.go:21", 2
            ),
            id="go-verbose",
        ),
        pytest.param(
            GO_PLAIN,
            Failure("TestSum", "sum_test.go:14: Sum(-1, -2) = 3, want -3", "sum_test.go:14", 3),
            id="go-plain-parent",
        ),
        pytest.param(
            GO_PANIC,
            Failure(
                "TestIndex",
                "panic: runtime error: index out of range [3] with length 3 [recovered]",
                "index_test.go:9",
                2,
            ),
            id="go-panic",
        ),
        pytest.param(
            CARGO_OLD,
            Failure("tests::it_works", "assertion failed: `(left == right)`", "src/lib.rs:8", 6),
            id="cargo-old-panic",
        ),
        pytest.param(
            SUREFIRE_OLD,
            Failure(
                "addsNumbers(com.acme.CalcTest)",
                "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
                "CalcTest.java:17",
                3,
            ),
            id="surefire",
        ),
        pytest.param(
            SUREFIRE_NEW,
            Failure(
                "com.acme.CalcTest.addsNumbers",
                "java.lang.AssertionError: expected:<4> but was:<5>",
                "CalcTest.java:21",
                2,
            ),
            id="surefire-3",
        ),
        pytest.param(
            GRADLE,
            Failure(
                "CalcTest > addsNumbers()",
                "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
                "CalcTest.java:17",
                2,
            ),
            id="gradle",
        ),
        pytest.param(
            RSPEC,
            Failure(
                "Calculator adds numbers",
                "Failure/Error: expect(calc.add(2, 2)).to eq(5) expected: 5 got: 4",
                "spec/calculator_spec.rb:6",
                4,
            ),
            id="rspec",
        ),
        pytest.param(
            PHPUNIT,
            Failure(
                "Tests\\Unit\\CalcTest::testAdd",
                "Failed asserting that 5 matches expected 4.",
                "tests/Unit/CalcTest.php:14",
                4,
            ),
            id="phpunit",
        ),
        pytest.param(CTEST, Failure("test_bad", "expected 3, got 4", None, 2), id="ctest"),
    ],
)
def test_failure_message_and_location(text: str, want: Failure) -> None:
    failures = extract_failures(text)
    assert failures[0] == want


def test_cargo_new_panic_message_spans_lines() -> None:
    text = (
        "---- tests::doubles stdout ----\n"
        "thread 'tests::doubles' panicked at src/lib.rs:9:26:\n"
        "assertion `left == right` failed\n  left: 7\n right: 6\n"
        "note: run with `RUST_BACKTRACE=1`\n"
        "test tests::doubles ... FAILED\n"
    )
    (failure,) = extract_failures(text)
    assert failure == Failure(
        "tests::doubles", "assertion `left == right` failed left: 7 right: 6", "src/lib.rs:9", 3
    )


def test_go_passing_test_logs_are_not_attributed_to_a_later_failure() -> None:
    failures = extract_failures(GO_VERBOSE)
    assert [f.test for f in failures] == ["TestParse"]
    assert "just logging" not in (failures[0].message or "")


def test_pytest_without_summary_uses_section_headers() -> None:
    text = PYTEST.split("=========================== short")[0]
    (failure,) = extract_failures(text)
    # the header qualified by the traceback's test file: the node id (j11a)
    assert failure.test == "tests/test_parse.py::test_parse[x]"
    assert failure.message == "AssertionError: assert 2 == 1"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("/home/runner/work/app/app/src/x.py", "src/x.py"),
        ("file:///home/runner/work/a/a/t.js", "t.js"),
        ("D:\\a\\app\\app\\src\\x.py", "src/x.py"),
        ("/__w/app/app/lib/y.rb", "lib/y.rb"),
        ("./spec/z_spec.rb", "spec/z_spec.rb"),
    ],
)
def test_relative_path(raw: str, want: str) -> None:
    assert relative_path(raw) == want


def test_json_failures_and_key_lines_lead_with_messages() -> None:
    log = (
        "##[group]Run pytest\npytest\n##[endgroup]\n"
        + PYTEST
        + "========================= 1 failed, 3 passed in 0.1s ==========================\n"
        "##[error]Process completed with exit code 1.\n"
    )
    result = diagnose(log.encode())
    data = result.to_dict()
    assert data["failures"] == [
        {
            "test": "tests/test_parse.py::test_parse[x]",
            "message": "AssertionError: assert 2 == 1",
            "location": "tests/test_parse.py:8",
            "line": 11,
            "signature": failure_signature(
                "tests/test_parse.py::test_parse[x]", "AssertionError: assert 2 == 1"
            ),
        }
    ]
    assert data["failing_tests"] == ["tests/test_parse.py::test_parse[x]"]
    assert result.key_lines[0].text.endswith("AssertionError: assert 2 == 1")
    assert result.key_lines[0].step == 2 and result.key_lines[0].step_line == 11
    assert "1 failed" in result.key_lines[-1].text


MINITEST = """\
  1) Failure:
MoneyTest#test_cents [/home/runner/work/shop/shop/test/money_test.rb:10]:
Expected: "$12.34"
  Actual: "$12"

2 runs, 2 assertions, 1 failures, 0 errors, 0 skips
"""

MINITEST_ERROR = """\
  1) Error:
SlugTest#test_nil:
NoMethodError: undefined method `downcase' for nil:NilClass
    /home/runner/work/s/s/lib/slug.rb:2:in `call'
    /home/runner/work/s/s/test/slug_test.rb:6:in `test_nil'
1 runs, 0 assertions, 0 failures, 1 errors, 0 skips
"""

PLAYWRIGHT = """\
  1) [chromium] › tests/home.spec.ts:3:5 › has title ───────────────────────────

    Error: Timed out 5000ms waiting for expect(locator).toHaveTitle(expected)

       at /home/runner/work/app/app/tests/home.spec.ts:5:22

  1 failed
"""


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            MINITEST,
            # assert_equal's two lines: expected and actual (p11t5)
            Failure(
                "MoneyTest#test_cents",
                'Expected: "$12.34" Actual: "$12"',
                "test/money_test.rb:10",
                3,
            ),
        ),
        (
            MINITEST_ERROR,
            Failure(
                "SlugTest#test_nil",
                "NoMethodError: undefined method `downcase' for nil:NilClass",
                # the test file's line below the library frame (issue 11: "the test file
                # line"; j11a)
                "test/slug_test.rb:6",
                3,
            ),
        ),
        (
            PLAYWRIGHT,
            Failure(
                "[chromium] › tests/home.spec.ts:3:5 › has title",
                "Error: Timed out 5000ms waiting for expect(locator).toHaveTitle(expected)",
                "tests/home.spec.ts:5",
                3,
            ),
        ),
    ],
    ids=["minitest-failure", "minitest-error", "playwright"],
)
def test_ruby_and_browser_frameworks(text: str, want: Failure) -> None:
    assert extract_failures(text)[0] == want


def test_pip_cross_lines_are_not_tests() -> None:
    text = "  × Building wheel for fastcodec (pyproject.toml) did not run successfully.\n"
    assert extract_failures(text) == []


@pytest.mark.parametrize(
    ("text", "tests"),
    [
        ("[gw1] [ 50%] FAILED tests/test_a.py::test_x \n", ["tests/test_a.py::test_x"]),
        ("tests/test_a.py::test_y FAILED                 [ 75%]\n", ["tests/test_a.py::test_y"]),
        ("=== FAIL: pkg/calc TestAdd (0.00s)\n", ["TestAdd"]),
        ("        FAIL [   0.004s] demo tests::adds\n", ["tests::adds"]),
        ("rails test test/models/user_test.rb:12\n", ["test/models/user_test.rb:12"]),
        (
            "  Failed Calc.Tests.Adds [5 ms]\n  Error Message:\n   Assert.Equal() Failure\n",
            ["Calc.Tests.Adds"],
        ),
        ("(fail) math > adds [0.12ms]\n", ["math > adds"]),
        (
            "  FAILED  Tests\\Unit\\ExampleTest > it works\n",
            ["Tests\\Unit\\ExampleTest > it works"],
        ),
    ],
    ids=["xdist", "pytest-verbose", "gotestsum", "nextest", "rails", "dotnet", "bun", "pest"],
)
def test_more_result_line_formats(text: str, tests: list[str]) -> None:
    assert [f.test for f in extract_failures(text)] == tests


def test_dotnet_error_message() -> None:
    text = "  Failed Calc.Tests.Adds [5 ms]\n  Error Message:\n   Assert.Equal() Failure\n"
    assert extract_failures(text)[0].message == "Assert.Equal() Failure"


@pytest.mark.parametrize(
    ("command", "tests", "want"),
    [
        (
            "python -m pytest -q tests",
            ["tests/a.py::test_x"],
            "python -m pytest tests/a.py::test_x",
        ),
        ("go test ./...", ["TestA/sub", "TestB"], "go test -run '^(TestA|TestB)$' ./..."),
        ("cargo test --offline", ["tests::adds"], "cargo test tests::adds"),
        ("bundle exec rspec", ["./spec/a_spec.rb:3"], "bundle exec rspec ./spec/a_spec.rb:3"),
        ("bundle exec rspec", ["Cart totals"], "bundle exec rspec -e 'Cart totals'"),
        ("npx jest --ci", ["sum › adds"], "npx jest -t adds"),
        ("make", ["x"], None),
    ],
)
def test_rerun_tests_command(command, tests, want):
    from bot.diagnose.hints import rerun_tests_command

    assert rerun_tests_command(command, tests) == want


def test_go_locations_gain_the_package_directory() -> None:
    text = (
        "--- FAIL: TestAdd (0.00s)\n    calc_test.go:13: Add(2, 2) = 5; want 4\n"
        "FAIL\n"
        "FAIL\tgithub.com/octo/proj/pkg/calc\t0.01s\n"
        "--- FAIL: TestRoot (0.00s)\n    root_test.go:3: boom\n"
        "FAIL\tgithub.com/octo/proj\t0.01s\n"
    )
    locations = [f.location for f in extract_failures(text)]
    assert locations == ["pkg/calc/calc_test.go:13", "root_test.go:3"]


def test_go_failure_message_skips_a_logged_line_before_the_error() -> None:
    """t.Log and t.Errorf print alike; the line that reads as a failure is the message."""
    text = (
        "--- FAIL: TestClean (0.00s)\n"
        "    trim_test.go:6: cleaning padded input\n"
        '    trim_test.go:8: Clean("  hi  ") = "hi  ", want "hi"\n'
        "FAIL\n"
    )
    got = extract_failures(text)[0]
    assert got.message is not None and got.message.startswith("trim_test.go:8: Clean(")
    assert got.location == "trim_test.go:8"
    verbose = (
        "=== RUN   TestMake\n"
        "    slug_test.go:17: spaces become dashes\n"
        '    slug_test.go:18: got "a_b", want "a-b"\n'
        "--- FAIL: TestMake (0.00s)\n"
    )
    assert extract_failures(verbose)[0].location == "slug_test.go:18"
    only_log = "--- FAIL: TestX (0.00s)\n    x_test.go:3: step one\n    x_test.go:4: step two\n"
    assert extract_failures(only_log)[0].message == "x_test.go:3: step one"


def test_cargo_doc_test_names_and_panic() -> None:
    text = (
        "test src/lib.rs - clamp (line 5) ... FAILED\n"
        "\n"
        "---- src/lib.rs - clamp (line 5) stdout ----\n"
        "Test executable failed (exit status: 101).\n"
        "\n"
        "thread 'main' (1) panicked at src/lib.rs:6:1:\n"
        "assertion `left == right` failed\n"
        "  left: -3\n"
        " right: 0\n"
        "\n"
        "failures:\n"
        "    src/lib.rs - clamp (line 5)\n"
    )
    (got,) = extract_failures(text)
    assert got.test == "src/lib.rs - clamp (line 5)"
    assert got.message is not None and got.message.startswith("assertion `left == right` failed")


def test_gradle_message_is_the_whole_exception_line() -> None:
    text = "demo.CalcTest > addsTwo FAILED\n    java.lang.AssertionError at CalcTest.java:11\n"
    (got,) = extract_failures(text)
    assert got == Failure(
        "demo.CalcTest > addsTwo",
        "java.lang.AssertionError at CalcTest.java:11",
        "CalcTest.java:11",
        2,
    )


def test_phpunit_error_location_is_the_test_file_frame() -> None:
    """An error's trace names the code under test first; the test's own file is where it
    failed. Without a frame in the test file, the first non-vendor frame stays."""
    text = (
        "1) CartTest::testRemove\n"
        "InvalidArgumentException: unknown sku zzz\n"
        "\n"
        "/home/runner/work/p/p/src/Cart.php:30\n"
        "/home/runner/work/p/p/tests/CartTest.php:25\n"
        "\n"
        "2) CartTest::testOther\n"
        "RuntimeException: boom\n"
        "\n"
        "/home/runner/work/p/p/src/Cart.php:40\n"
    )
    first, second = extract_failures(text)
    assert first.location == "tests/CartTest.php:25"
    assert second.location == "src/Cart.php:40"


GTEST = """\
[==========] Running 3 tests from 1 test suite.
[ RUN      ] Parse.Plain
[       OK ] Parse.Plain (0 ms)
[ RUN      ] Parse.Hex
/home/runner/work/p/p/tests/parse_test.cpp:8: Failure
Expected equality of these values:
  parse_int("0x10")
    Which is: 0
  16
[  FAILED  ] Parse.Hex (0 ms)
[ RUN      ] Sizes/Ring.Rotates/1
tests/ring_test.cpp:30: Failure
Value of: r.empty()
  Actual: false
Expected: true
[  FAILED  ] Sizes/Ring.Rotates/1, where GetParam() = 3 (1 ms)
[  PASSED  ] 1 test.
[  FAILED  ] 2 tests, listed below:
[  FAILED  ] Parse.Hex
[  FAILED  ] Sizes/Ring.Rotates/1, where GetParam() = 3

 2 FAILED TESTS
"""


def test_googletest_failures_with_assertion_and_location() -> None:
    hexa, param = extract_failures(GTEST)
    assert hexa == Failure(
        "Parse.Hex",
        'Expected equality of these values: parse_int("0x10") Which is: 0',
        "tests/parse_test.cpp:8",
        6,
    )
    assert param.test == "Sizes/Ring.Rotates/1"
    assert param.message == "Value of: r.empty() Actual: false Expected: true"
    assert param.location == "tests/ring_test.cpp:30"


def test_ctest_message_skips_the_googletest_banner() -> None:
    text = (
        "1/1 Test #1: unit_tests .......................***Failed    0.02 sec\n"
        "Running main() from ./googletest/src/gtest_main.cc\n"
        "[==========] Running 1 test from 1 test suite.\n"
        "[ RUN      ] Ring.Rotates\n"
        "/w/tests/ring_test.cpp:17: Failure\n"
        "Expected equality of these values:\n"
        "\n"
        "The following tests FAILED:\n"
        "\t  1 - unit_tests (Failed)\n"
    )
    ctest = next(f for f in extract_failures(text) if f.test == "unit_tests")
    assert ctest.message == "Expected equality of these values:"


CATCH2_UNDER_CTEST = """\
1/2 Test #1: top returns the last pushed value ...***Failed    0.01 sec
Filters: top returns the last pushed value

~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
stack_test is a Catch v2.13.10 host application.
Run with -? for options

{rule}
top returns the last pushed value
  when the stack is full
{rule}
/home/runner/work/proj/proj/tests/stack_test.cpp:11
...............................................................................

/home/runner/work/proj/proj/tests/stack_test.cpp:13: FAILED:
  REQUIRE( top(v) == 3 )
with expansion:
  1 == 3

{rule}
top of an empty stack is zero
{rule}
/home/runner/work/proj/proj/tests/stack_test.cpp:16
...............................................................................

/home/runner/work/proj/proj/tests/stack_test.cpp:18: FAILED:
  CHECK( top(v) == 0 )
due to unexpected exception with message:
  top of empty stack

===============================================================================
test cases: 3 | 1 passed | 2 failed

The following tests FAILED:
\t  1 - top returns the last pushed value (Failed)
""".format(rule="-" * 79)


def test_catch2_test_case_assertion_and_location_win_over_ctests_status() -> None:
    """ctest names the (discovered) test, spaces and all; Catch2's own lines say why."""
    top, empty = extract_failures(CATCH2_UNDER_CTEST)
    assert top.test == "top returns the last pushed value"
    assert top.message == "REQUIRE( top(v) == 3 ) with expansion: 1 == 3"
    assert top.location == "tests/stack_test.cpp:13"
    assert empty.test == "top of an empty stack is zero"
    assert empty.message is not None
    assert empty.message.startswith("CHECK( top(v) == 0 ) due to unexpected exception")
    assert "top of empty stack" in empty.message


DOCTEST = """\
[doctest] doctest version is "2.4.9"
===============================================================================
/home/runner/work/proj/proj/tests/str_test.cpp:11:
TEST CASE:  trim removes spaces

/home/runner/work/p/p/tests/str_test.cpp:11: ERROR: CHECK( trim("  ab  ") == "ab" ) is NOT correct!
  values: CHECK( a == ab )

===============================================================================
tests/str_test.cpp:15:
TEST CASE:  trim of only spaces

tests/str_test.cpp:15: ERROR: CHECK( trim("   ").empty() ) THREW exception: "substr"

===============================================================================
[doctest] test cases: 3 | 1 passed | 2 failed | 0 skipped
[doctest] Status: FAILURE!
"""


def test_doctest_failures() -> None:
    spaces, only = extract_failures(DOCTEST)
    assert spaces.test == "trim removes spaces"
    assert spaces.message == 'CHECK( trim(" ab ") == "ab" ) is NOT correct!'  # spaces collapsed
    assert spaces.location == "tests/str_test.cpp:11"
    assert only == Failure(
        "trim of only spaces",
        'CHECK( trim(" ").empty() ) THREW exception: "substr"',
        "tests/str_test.cpp:15",
        13,
    )


def test_an_error_line_outside_a_doctest_case_is_no_test() -> None:
    assert extract_failures("src/a.c:3: ERROR: something\n") == []


BOOST_TEST = """\
Running 3 test cases...
/home/runner/work/p/p/tests/queue_test.cpp(12): error: in "ops/pop": check a == 1 has failed [3]
unknown location(0): fatal error: in "ops/load": std::runtime_error: config.ini not found
tests/queue_test.cpp(21): last checkpoint: "load" test entry

*** 2 failures are detected in the test module "queue"
"""


def test_boost_test_failures() -> None:
    pop, load = extract_failures(BOOST_TEST)
    assert pop == Failure("ops/pop", "check a == 1 has failed [3]", "tests/queue_test.cpp:12", 2)
    assert load == Failure("ops/load", "std::runtime_error: config.ini not found", None, 3)


MESON = """\
1/2 parse FAIL            0.01s   exit status 1
>>> MALLOC_PERTURB_=66 /home/runner/work/p/p/build/parse_test
―――――――――――――――― ✀  ――――――――――――――――
stderr:
tests/parse_test.c:7: strtol("0x10") = 0, want 16
――――――――――――――――――――――――――――――――――

2/2 sum   OK              0.01s

Summary of Failures:

1/2 parse FAIL            0.01s   exit status 1
"""


def test_meson_test_failure_with_its_error_log() -> None:
    (parse,) = extract_failures(MESON)
    assert parse.test == "parse"
    assert parse.message == 'tests/parse_test.c:7: strtol("0x10") = 0, want 16'
