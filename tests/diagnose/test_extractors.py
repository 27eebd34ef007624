"""Failing-test extractors: identifiers exactly as each tool prints them."""

from __future__ import annotations

import pytest

from bot.diagnose.extractors import extract_tests

CASES = [
    pytest.param(
        [
            "FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2",
            "FAILED tests/test_x.py::TestC::test_p[a b-1] - ValueError",
            "ERROR tests/test_db.py::test_conn - fixture 'db' not found",
            "FAILED (failures=1)",
        ],
        [
            "tests/test_x.py::test_y",
            "tests/test_x.py::TestC::test_p[a b-1]",
            "tests/test_db.py::test_conn",
        ],
        id="pytest-summary",
    ),
    pytest.param(
        [
            "______ test_y ______",
            "E   assert 1 == 2",
            "___ TestC.test_z ___",
            "___ ERROR collecting tests/test_b.py ___",
        ],
        ["test_y", "TestC.test_z", "tests/test_b.py"],
        id="pytest-headers-fallback",
    ),
    pytest.param(
        ["FAIL: test_y (pkg.mod.Class.test_y)", "ERROR: test_old (pkg.mod.Old)"],
        ["pkg.mod.Class.test_y", "pkg.mod.Old.test_old"],
        id="unittest",
    ),
    pytest.param(
        [" FAIL  src/sum.test.ts", "  ● Suite › adds numbers", "  ● Suite › adds numbers"],
        ["Suite › adds numbers"],
        id="jest",
    ),
    pytest.param(
        [" FAIL  src/x.test.ts", "  ● Test suite failed to run"],
        ["src/x.test.ts"],
        id="jest-suite-failed",
    ),
    pytest.param(
        [" FAIL  tests/sum.test.ts > sum > adds", "   × adds 3ms"],
        ["tests/sum.test.ts > sum > adds"],
        id="vitest",
    ),
    pytest.param(["   × adds two 3ms", "   ✓ ok"], ["adds two"], id="vitest-cross-only"),
    pytest.param(
        [
            "  1) Array",
            "       #indexOf()",
            "         should return -1:",
            "  2 failing",
            "",
            "  1) Array",
            "       #indexOf()",
            "         should return -1:",
            "     AssertionError [ERR_ASSERTION]: 4 == 0",
            "  2) top-level test:",
            "     Error: boom",
        ],
        ["Array #indexOf() should return -1", "top-level test"],
        id="mocha",
    ),
    pytest.param(
        [
            "    not ok 1 - adds",
            "    ok 2 - subtracts",
            "not ok 1 - math",
            "not ok 2 - top level",
            "not ok 3 - skipped one # SKIP",
        ],
        ["adds", "top level"],
        id="node-test-tap",
    ),
    pytest.param(["✖ parses config (1.2ms)"], ["parses config"], id="node-test-spec"),
    pytest.param(
        [
            "--- FAIL: TestX (0.00s)",
            "    --- FAIL: TestX/sub_case (0.00s)",
            "FAIL\tgithub.com/a/b\t0.01s",
        ],
        ["TestX", "TestX/sub_case"],
        id="go",
    ),
    pytest.param(
        ["test foo::bar ... FAILED", "test foo::ok ... ok", "tests::quiet --- FAILED"],
        ["foo::bar", "tests::quiet"],
        id="cargo",
    ),
    pytest.param(
        [
            "[ERROR] testX(com.example.FooTest)  Time elapsed: 0.01 s  <<< FAILURE!",
            "[ERROR] com.example.BarTest.testY -- Time elapsed: 0.02 s <<< ERROR!",
        ],
        ["testX(com.example.FooTest)", "com.example.BarTest.testY"],
        id="surefire",
    ),
    pytest.param(
        [
            "[ERROR] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.1 s"
            " <<< FAILURE! -- in com.FooTest"
        ],
        ["com.FooTest"],
        id="surefire-class-only",
    ),
    pytest.param(
        ["com.example.FooTest > testX() FAILED", "    java.lang.AssertionError at FooTest.java:12"],
        ["com.example.FooTest > testX()"],
        id="gradle",
    ),
    pytest.param(
        # the example's description is its name (j11a: what ``Failures:`` lists)
        ["rspec ./spec/x_spec.rb:12 # Foo does bar", "rspec ./spec/y_spec.rb[1:2] # Y"],
        ["Foo does bar", "Y"],
        id="rspec",
    ),
    pytest.param(
        ["rspec ./spec/x_spec.rb:12", "rspec ./spec/y_spec.rb[1:2]"],
        ["./spec/x_spec.rb:12", "./spec/y_spec.rb[1:2]"],
        id="rspec-without-description",
    ),
    pytest.param(
        [
            "There was 1 failure:",
            "",
            "1) Tests\\FooTest::testBar",
            "Failed asserting that false is true.",
        ],
        ["Tests\\FooTest::testBar"],
        id="phpunit",
    ),
    pytest.param(
        [
            "The following tests FAILED:",
            "\t  2 - test_bad (Failed)",
            "\t  3 - test_crash (SEGFAULT)",
            "Errors while running CTest",
        ],
        ["test_bad", "test_crash"],
        id="ctest",
    ),
    pytest.param(
        [
            "All tests passed",
            "ok 1 - fine",
            "test foo ... ok",
            "PASS src/a.test.js",
            "--- PASS: TestOk",
        ],
        [],
        id="negative-passing-output",
    ),
    pytest.param(["FAILED (errors=2)", "FAILED: something else"], [], id="negative-not-pytest"),
]


@pytest.mark.parametrize(("lines", "want"), CASES)
def test_extract(lines, want):
    assert extract_tests(lines) == want


def test_extract_from_text():
    assert extract_tests("--- FAIL: TestA (0.1s)\n--- FAIL: TestB (0.1s)\n") == ["TestA", "TestB"]
