# ruff: noqa: E501  (real tool lines read better unwrapped)
"""JavaScript runners' failure output three ways — whole, cut to the failure lines, the
summary alone — read by the engine (helper r3J, round 3): jest's verbose ``✕`` lines
without their ``●`` blocks, vitest 0.x/1.x's bare ``×`` under its ``❯ file (N)`` header,
ava 3's ``✖`` marks, Cypress's run table and bundled frames, uvu's ``FAIL`` badge and
web-test-runner's ``❌`` lines. Near misses: other tools' lines with the same marks.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_jest import Jest
from bot.diagnose.extract_js import Ava, Mocha, NodeTest
from bot.diagnose.extract_uvu_wtr import Uvu, WebTestRunner
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import fed, travis_one_command


def _tests(command: str, lines: list[str]) -> list[str]:
    return diagnose(travis_one_command(command, lines), name="x").failing_tests


# ---- jest -----------------------------------------------------------------------------

_JEST_VERBOSE = [
    "FAIL src/sum.test.js",
    "  Math",
    "    ✓ subtracts (2 ms)",
    "    ✕ adds numbers (3 ms)",
    "    ✕ parses 1.5mb",
]
_JEST_BLOCK = [
    "  ● Math › adds numbers",
    "",
    "    expect(received).toBe(expected) // Object.is equality",
    "",
    "    Expected: 4",
    "    Received: 5",
    "",
    "      at Object.toBe (src/sum.test.js:5:23)",
    "",
    "Test Suites: 1 failed, 1 total",
    "Tests:       2 failed, 1 passed, 3 total",
]


def test_jest_cross_lines_alone_name_their_tests() -> None:
    assert _tests("npx jest", _JEST_VERBOSE[2:]) == ["adds numbers", "parses 1.5mb"]
    assert _tests("npx jest", _JEST_VERBOSE) == ["adds numbers", "parses 1.5mb"]


def test_jest_bullet_blocks_win_over_cross_lines() -> None:
    got = fed(Jest(), _JEST_VERBOSE + _JEST_BLOCK).failures()
    assert [f.test for f in got] == ["Math › adds numbers"]
    assert got[0].location == "src/sum.test.js:5"


def test_jest_cross_near_misses() -> None:
    # a count is some tool's summary, not a test
    assert fed(Jest(), ["✕ 2 failed"]).tests() == []
    # pip/uv's ``×`` is not a test without a vitest file header or a duration
    assert fed(Jest(), ["  × Failed to build `pkg`"]).tests() == []


# ---- vitest ---------------------------------------------------------------------------

_VITEST_1_TREE = [
    " ❯ test/basic.test.ts (3)",
    "   ❯ suite (2)",
    "     ✓ passes",
    "     × fails",
    " Test Files  1 failed (1)",
    "      Tests  1 failed | 2 passed (3)",
]


def test_vitest_tree_bare_cross_under_a_file_header() -> None:
    assert _tests("npx vitest run", _VITEST_1_TREE) == ["test/basic.test.ts > fails"]


def test_vitest_summary_fail_line_still_names_the_test_in_full() -> None:
    lines = [
        " FAIL  src/sum.test.ts > Math > adds numbers",
        "AssertionError: expected 5 to be 4 // Object.is equality",
        " ❯ src/sum.test.ts:5:23",
    ]
    got = extract_failures(lines)
    assert [f.test for f in got] == ["src/sum.test.ts > Math > adds numbers"]
    assert got[0].location == "src/sum.test.ts:5"


# ---- ava 3 ----------------------------------------------------------------------------

_AVA_3 = [
    "  ✔ subtracts",
    "  ✖ adds numbers",
    "",
    "  ─",
    "",
    "  adds numbers",
    "",
    "  test/sum.js:5",
    "",
    "   4: test('adds numbers', t => {",
    "   5:   t.is(sum(2, 2), 4);",
    "",
    "  Difference (- actual, + expected):",
    "",
    "  - 5",
    "  + 4",
    "",
    "  › file:///home/runner/work/app/app/test/sum.js:5:5",
    "",
    "  ─",
    "",
    "  1 test failed",
]


def test_ava_3_whole_names_the_test_from_its_details() -> None:
    got = fed(Ava(), _AVA_3).failures()
    assert [f.test for f in got] == ["adds numbers"]
    assert got[0].location == "test/sum.js:5"
    assert got[0].message == "Difference (- actual, + expected):"


def test_ava_3_marks_with_the_summary_alone() -> None:
    lines = ["  ✔ subtracts", "  ✖ adds numbers", "  ✖ multiplies", "", "  2 tests failed"]
    assert _tests("npx ava", lines) == ["adds numbers", "multiplies"]


def test_ava_3_marks_need_avas_summary_or_details() -> None:
    # eslint's stylish summary, a mocha 1.x epilogue, node:test's timed spec line
    lines = ["✖ 3 problems (3 errors, 0 warnings)", "  ✖ 1 of 4 tests failed:", "✖ adds (1.2ms)"]
    assert fed(Ava(), lines).tests() == []
    assert fed(Ava(), ["✖ Lint failed"]).tests() == []


# ---- Cypress ----------------------------------------------------------------------------

_CYPRESS_TABLE = [
    "       Spec                                              Tests  Passing  Failing  Pending  Skipped",
    "  ┌────────────────────────────────────────────────────────────────────────────────────────────────┐",
    "  │ ✖  login.cy.js                              00:06        2        1        1        -        - │",
    "  ├────────────────────────────────────────────────────────────────────────────────────────────────┤",
    "  │ ✔  signup.cy.js                             00:02        1        1        -        -        - │",
    "  └────────────────────────────────────────────────────────────────────────────────────────────────┘",
    "    ✖  1 of 2 failed (50%)                      00:08        3        2        1        -        -",
]
_CYPRESS_ENTRY = [
    "  1 passing (6s)",
    "  1 failing",
    "",
    "  1) Login",
    "       logs in:",
    "     AssertionError: Timed out retrying after 4000ms: Expected to find element: `.dashboard`, but never found it.",
    "      at Context.eval (webpack:///./cypress/e2e/login.cy.js:12:8)",
]


def test_cypress_run_table_alone_names_the_failed_spec_files() -> None:
    assert _tests("npx cypress run", _CYPRESS_TABLE) == ["login.cy.js"]


def test_cypress_entries_win_over_the_table_and_frames_lose_the_bundler_url() -> None:
    got = fed(Mocha(), _CYPRESS_ENTRY + _CYPRESS_TABLE).failures()
    assert [f.test for f in got] == ["Login logs in"]
    assert got[0].location == "cypress/e2e/login.cy.js:12"
    named = ["      at Context.eval (webpack://my-app/./cypress/e2e/a.cy.ts:3:5)"]
    got = fed(Mocha(), _CYPRESS_ENTRY[:-1] + named).failures()
    assert got[0].location == "cypress/e2e/a.cy.ts:3"


def test_a_passing_table_row_is_no_test() -> None:
    assert fed(Mocha(), [_CYPRESS_TABLE[4]]).tests() == []


# ---- uvu ------------------------------------------------------------------------------

_UVU = [
    "math  •✘   (1 / 2)",
    "",
    '   FAIL  math  "adds numbers"',
    "    Expected values to be strictly equal:  (is)",
    "",
    "        ++5    (Expected)",
    "        --4    (Actual)",
    "",
    "    at assert (file:///home/runner/work/app/app/node_modules/uvu/assert/index.mjs:31:8)",
    "    at Object.handler (file:///home/runner/work/app/app/test/sum.js:6:9)",
    "",
    "  Total:     2",
    "  Passed:    1",
]


def test_uvu_fail_badge_names_suite_and_test() -> None:
    got = diagnose(travis_one_command("node test/sum.js", _UVU), name="x").failures
    assert [f.test for f in got] == ["math > adds numbers"]
    assert got[0].message == "Expected values to be strictly equal:"
    assert got[0].location == "test/sum.js:6"


def test_uvu_without_a_suite_and_near_misses() -> None:
    assert fed(Uvu(), ['   FAIL  "adds numbers"']).tests() == ["adds numbers"]
    # jest's and Pest's FAIL lines name no quoted test
    lines = ["FAIL  src/a.test.js", "   FAIL  Tests\\Unit\\ExampleTest", 'FAIL  a b "c" d']
    assert fed(Uvu(), lines).tests() == []


# ---- web-test-runner ------------------------------------------------------------------

_WTR = [
    "test/my-element.test.js:",
    "",
    " ❌ my-element > renders a button",
    "      AssertionError: expected 0 to equal 1",
    "        + expected - actual",
    "        at o.<anonymous> (test/my-element.test.js:15:28)",
    "",
    "Chrome: |██████████████████████████████| 1/1 test files | 2 passed, 1 failed",
]


def test_wtr_cross_with_its_error_below() -> None:
    got = diagnose(travis_one_command("npx web-test-runner", _WTR), name="x").failures
    assert [f.test for f in got] == ["my-element > renders a button"]
    assert got[0].message == "AssertionError: expected 0 to equal 1"
    assert got[0].location == "test/my-element.test.js:15"
    assert _tests("npx wtr", _WTR[2:4]) == ["my-element > renders a button"]


def test_cross_marks_of_other_tools_are_no_tests() -> None:
    lines = [
        "❌ Build failed",
        "Error: exit code 1",
        "❌  /Users/travis/build/a/b/Source/JSON.swift:97:2: error: expected '}'",
        "  ❌ Lint errors",
        "  src/a.ts: error TS2304",
    ]
    assert fed(WebTestRunner(), lines).tests() == []


# ---- vitest 2+: the error under a ``×`` line ------------------------------------------


def test_vitest_cross_takes_the_arrow_line_below_it_as_its_message() -> None:
    lines = [
        "   ✓ Math > subtracts 1ms",
        "   × Math > adds numbers 3ms",
        "     → expected 5 to be 4 // Object.is equality",
    ]
    got = fed(Jest(), lines).failures()
    assert [(f.test, f.message) for f in got] == [
        ("Math > adds numbers", "expected 5 to be 4 // Object.is equality")
    ]
    # an arrow line not right under a failed test is no message
    got = fed(Jest(), [lines[1], "", "     → retrying"]).failures()
    assert got[0].message is None


# ---- node:test spec reporter: the failing-tests list ----------------------------------


def test_node_test_failing_list_gives_the_test_location() -> None:
    lines = [
        "✖ failing tests:",
        "",
        "test at test/sum.test.mjs:6:3",
        "✖ adds numbers (1.2ms)",
        "  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
    ]
    got = diagnose(travis_one_command("node --test", lines), name="x").failures
    assert [(f.test, f.location) for f in got] == [("adds numbers", "test/sum.test.mjs:6")]
    # a ``test at`` line not right above the test's line says nothing about it
    got = fed(NodeTest(), [lines[2], "", lines[3]]).failures()
    assert got[0].location is None
