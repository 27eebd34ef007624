# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Round 4, helper r4T: failing tests without a rule.

Mechanisms: RSpec's ``Pending:`` list (examples marked pending, whose failures are
expected) names no failing test, the ``Failures:`` list after it does; a jest suite whose
worker process died (killed, crashed) is not a failing test (the kill is the cause), and
an error printed right under a ``FAIL file`` line without a ``●`` block is that suite's
message; a source-mapped JavaScript frame (``webpack:///src/a.spec.ts:5:3 <- bundle``,
``webpack://app/./src/a.js``, ``webpack-internal:///``, karma's ``_karma_webpack_/webpack:/``)
gives the source file's path; karma-mocha-reporter's ``FAILED TESTS:`` tree names each
failed spec by its suites' titles and its own. Each shape is tested whole, cut to its
failure lines where that differs, with near misses that must keep their old reading.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_bats import Bats
from bot.diagnose.extract_core import js_frame_location
from bot.diagnose.extract_jest import Jest
from bot.diagnose.extract_karma import KarmaMocha
from bot.diagnose.extract_robot import RobotFramework
from bot.diagnose.extract_ruby_php import RSpec
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import fed, travis_one_command

_OFF = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _paste(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _failures(lines: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """What the engine, without rules, says of each failing test of a pasted excerpt."""
    diagnosis = diagnose(_paste(lines), rules=_OFF)
    return {f.test: (f.message, f.location) for f in diagnosis.failures}


# --- RSpec: the Pending: list is not a list of failures ------------------------------

_RSPEC_PENDING = [
    "Pending: (Failures listed here are expected and do not affect your suite's status)",
    "",
    "  1) Parser handles unicode",
    "     # Not yet implemented",
    '     Failure/Error: expect(parse("é")).to eq(["é"])',
    "",
    '       expected: ["é"]',
    "            got: []",
    "",
    "       (compared using ==)",
    "     # ./spec/parser_spec.rb:20:in `block (2 levels) in <top (required)>'",
    "",
    "  2) Parser handles tabs",
    "     # Temporarily skipped with xit",
    "     # ./spec/parser_spec.rb:24",
    "",
]
_RSPEC_FAILURES = [
    "Failures:",
    "",
    "  1) Parser parses numbers",
    '     Failure/Error: expect(parse("1")).to eq([1])',
    "",
    "       expected: [1]",
    '            got: ["1"]',
    "",
    "       (compared using ==)",
    "     # ./spec/parser_spec.rb:8:in `block (2 levels) in <top (required)>'",
    "",
    "Finished in 0.02 seconds (files took 0.2 seconds to load)",
    "5 examples, 1 failure, 2 pending",
]
_RSPEC_RERUN = ["", "Failed examples:", "", "rspec ./spec/parser_spec.rb:7 # Parser parses numbers"]


def test_rspec_pending_examples_are_not_failures_in_a_cut_paste() -> None:
    got = _failures(_RSPEC_PENDING + _RSPEC_FAILURES)
    assert list(got) == ["Parser parses numbers"]
    message, location = got["Parser parses numbers"]
    assert message is not None and "expected: [1]" in message
    assert location == "spec/parser_spec.rb:8"


def test_rspec_pending_examples_whole_run() -> None:
    log = travis_one_command("bundle exec rspec", _RSPEC_PENDING + _RSPEC_FAILURES + _RSPEC_RERUN)
    diagnosis = diagnose(log, rules=_OFF)
    assert diagnosis.failing_tests == ["Parser parses numbers"]


def test_rspec_failures_without_a_pending_list_are_still_read() -> None:
    # near miss: no Pending: heading, the Failures: list alone (the old reading)
    rspec = fed(RSpec(), _RSPEC_FAILURES)
    assert rspec.tests() == ["Parser parses numbers"]


def test_rspec_pending_list_alone_names_nothing() -> None:
    rspec = fed(RSpec(), _RSPEC_PENDING)
    assert rspec.tests() == []


# --- jest: a suite whose worker died, an error right under FAIL -----------------------


def test_jest_old_worker_exit_under_fail_is_not_a_failing_suite() -> None:
    # Jest CLI 0.4: the suite's worker crashed (SIGSEGV); no test in it failed
    jest = fed(
        Jest(),
        [
            " FAIL  src/app/components/__tests__/Cart.spec.js",
            "Error: Worker process exited before responding! exit code: null, exit signal: SIGSEGV",
            "stderr:",
            "",
            "A worker process has quit unexpectedly! This is bad news, shutting down now!",
        ],
    )
    assert jest.tests() == []


def test_jest_30_suite_killed_with_its_worker_is_not_a_failing_suite() -> None:
    jest = fed(
        Jest(),
        [
            " FAIL  src/codec.test.js",
            "  ● Test suite failed to run",
            "",
            "    A jest worker process (pid=29190) was terminated by another process: signal=SIGABRT, exitCode=null. Operating system logs may contain more information on why this occurred.",
            "",
            "      at ChildProcessWorker._onExit (node_modules/jest-worker/build/workers/ChildProcessWorker.js:370:23)",
        ],
    )
    assert jest.tests() == []


def test_jest_suite_that_did_not_load_is_still_named() -> None:
    # near miss: a suite that failed to run for its own code keeps its name and message
    jest = fed(
        Jest(),
        [
            " FAIL  src/sum.test.js",
            "  ● Test suite failed to run",
            "",
            "    SyntaxError: /home/runner/work/app/app/src/sum.test.js: Unexpected token (3:10)",
        ],
    )
    [failure] = jest.failures()
    assert failure.test == "src/sum.test.js"
    assert failure.load_error
    assert (failure.message or "").startswith("SyntaxError: ")


def test_jest_error_right_under_fail_is_the_suite_message() -> None:
    jest = fed(
        Jest(),
        [
            " FAIL  __tests__/api-test.js",
            "Error: Cannot find module '../lib/api' from 'api-test.js'",
            "    at Resolver.resolveModule (node_modules/jest-resolve/build/index.js:191:17)",
        ],
    )
    [failure] = jest.failures()
    assert failure.test == "__tests__/api-test.js"
    assert failure.message == "Error: Cannot find module '../lib/api' from 'api-test.js'"


def test_jest_error_further_down_is_not_the_suite_message() -> None:
    # near miss: a console line, then an error: not what the suite died of
    jest = fed(
        Jest(),
        [
            " FAIL  __tests__/api-test.js",
            "console.log: starting",
            "Error: something the test printed",
        ],
    )
    [failure] = jest.failures()
    assert failure.message is None


# --- JavaScript frames through a bundler's source map ---------------------------------


def test_source_mapped_frames_give_the_source_path() -> None:
    frames = {
        "    at UserContext.<anonymous> (webpack:///src/app/app.component.spec.ts:25:32 <- src/test.ts:52841:33)": "src/app/app.component.spec.ts:25",
        "    at Object.<anonymous> (webpack:///./src/app/foo.spec.js:12:5)": "src/app/foo.spec.js:12",
        "    at Context.<anonymous> (webpack://my-app/./src/components/Button.spec.tsx:20:11)": "src/components/Button.spec.tsx:20",
        "    at eval (webpack-internal:///./src/utils.js:7:9)": "src/utils.js:7",
        "    at UserContext.apply (http://localhost:9876/_karma_webpack_/webpack:/src/app/app.component.spec.ts:25:32)": "src/app/app.component.spec.ts:25",
        "    at UserContext.<anonymous> (src/app/app.component.spec.ts:25:32)": "src/app/app.component.spec.ts:25",
    }
    for line, where in frames.items():
        assert js_frame_location(line) == where, line


def test_bundled_library_and_bundle_frames_are_not_user_code() -> None:
    # near misses: a dependency inside the bundle, the bundle itself, a config file whose
    # name only contains the bundler's
    assert js_frame_location("    at webpack:///node_modules/zone.js/dist/zone.js:391:1") is None
    assert js_frame_location("    at http://localhost:9876/_karma_webpack_/main.js:1234:5") is None
    assert (
        js_frame_location("    at Object.<anonymous> (/home/runner/work/a/a/webpack.config.js:3:1)")
        == "webpack.config.js:3"
    )


# --- karma-mocha-reporter's FAILED TESTS: tree ----------------------------------------

_KARMA_LIVE = [
    "START:",
    "07 12 2026 06:00:01.123:INFO [karma-server]: Karma v6.4.2 server started at http://localhost:9876/",
    "  Calculator",
    "    add",
    "      ✔ adds two numbers",
    "    divide",
    "      ✖ throws on zero",
    "      ✔ divides",
    "  Formatter",
    "    ✖ pads numbers",
    "",
    "Finished in 0.052 secs / 0.031 secs @ 06:00:04 GMT+0000 (Coordinated Universal Time)",
    "",
    "SUMMARY:",
    "✔ 2 tests completed",
    "✖ 2 tests failed",
    "",
]
_KARMA_FAILED = [
    "FAILED TESTS:",
    "  Calculator",
    "    divide",
    "      ✖ throws on zero",
    "        Chrome Headless 119.0.6045.105 (Linux x86_64)",
    "      Expected function to throw an exception.",
    "          at UserContext.<anonymous> (src/calc.spec.js:14:7)",
    "",
    "  Formatter",
    "    ✖ pads numbers",
    "      Chrome Headless 119.0.6045.105 (Linux x86_64)",
    "    Expected '1' to equal '01'.",
    "        at UserContext.<anonymous> (webpack:///src/format.spec.js:8:22 <- test/index.js:900:22)",
    "",
]
_KARMA_WANT = {
    "Calculator divide throws on zero": (
        "Expected function to throw an exception.",
        "src/calc.spec.js:14",
    ),
    "Formatter pads numbers": ("Expected '1' to equal '01'.", "src/format.spec.js:8"),
}


def test_karma_mocha_failed_tests_whole_run() -> None:
    log = travis_one_command(
        "npm test",
        [*_KARMA_LIVE, *_KARMA_FAILED, "npm ERR! Test failed.  See above for more details."],
    )
    diagnosis = diagnose(log, rules=_OFF)
    assert diagnosis.category == "test_failure"
    assert {f.test: (f.message, f.location) for f in diagnosis.failures} == _KARMA_WANT


def test_karma_mocha_failed_tests_cut_to_the_list() -> None:
    assert _failures(_KARMA_FAILED) == _KARMA_WANT


def test_karma_mocha_windows_marks() -> None:
    lines = [line.replace("✖", "×") for line in _KARMA_FAILED]
    assert fed(KarmaMocha(), lines).tests() == list(_KARMA_WANT)


def test_karma_mocha_live_tree_and_summary_name_no_test() -> None:
    # near miss: the tree printed while the specs ran and the SUMMARY count, no list
    assert fed(KarmaMocha(), _KARMA_LIVE).tests() == []


def test_karma_mocha_list_ends_at_an_unindented_line() -> None:
    lines = [*_KARMA_FAILED[:7], "npm ERR! Test failed.", "  Later", "    ✖ not a spec"]
    assert fed(KarmaMocha(), lines).tests() == ["Calculator divide throws on zero"]


# --- RSpec: a code snippet of several lines under a bare Failure/Error: ----------------

_RSPEC_SNIPPET = [
    "Failures:",
    "",
    "  1) Api::UsersController GET #show returns the user",
    "     Failure/Error:",
    "       get :show, params: {",
    "         id: user.id,",
    "         format: :json",
    "       }",
    "",
    "     ActiveRecord::RecordNotFound:",
    "       Couldn't find User with 'id'=42",
    "     # ./app/controllers/api/users_controller.rb:12:in `show'",
    "     # ./spec/controllers/api/users_controller_spec.rb:9:in `block (3 levels) in <top (required)>'",
    "",
    "  2) Parser raises on bad input",
    "     Failure/Error:",
    "       expect {",
    '         Parser.new.parse("{")',
    "       }.to raise_error(Parser::Error)",
    "",
    "       expected Parser::Error but nothing was raised",
    "     # ./spec/parser_spec.rb:30:in `block (2 levels) in <top (required)>'",
    "",
    "  3) Cart totals",
    "     Failure/Error: expect(cart.total).to eq(10)",
    "",
    "       expected: 10",
    "            got: 9",
    "",
    "       (compared using ==)",
    "     # ./spec/cart_spec.rb:5:in `block (2 levels) in <top (required)>'",
    "",
    "Finished in 0.2 seconds (files took 1 second to load)",
    "3 examples, 3 failures",
]
_RSPEC_SNIPPET_WANT = {
    "Api::UsersController GET #show returns the user": (
        "ActiveRecord::RecordNotFound: Couldn't find User with 'id'=42",
        "spec/controllers/api/users_controller_spec.rb:9",
    ),
    "Parser raises on bad input": (
        "expected Parser::Error but nothing was raised",
        "spec/parser_spec.rb:30",
    ),
    # near miss: a one-line Failure/Error keeps its old message
    "Cart totals": (
        "Failure/Error: expect(cart.total).to eq(10) expected: 10 got: 9",
        "spec/cart_spec.rb:5",
    ),
}


def test_rspec_multi_line_snippet_message_is_the_error_cut_paste() -> None:
    assert _failures(_RSPEC_SNIPPET) == _RSPEC_SNIPPET_WANT


def test_rspec_multi_line_snippet_message_is_the_error_whole_run() -> None:
    rerun = [
        "",
        "Failed examples:",
        "",
        "rspec ./spec/controllers/api/users_controller_spec.rb:8 # Api::UsersController GET #show returns the user",
        "rspec ./spec/parser_spec.rb:28 # Parser raises on bad input",
        "rspec ./spec/cart_spec.rb:4 # Cart totals",
    ]
    diagnosis = diagnose(
        travis_one_command("bundle exec rspec", _RSPEC_SNIPPET + rerun), rules=_OFF
    )
    assert {f.test: (f.message, f.location) for f in diagnosis.failures} == _RSPEC_SNIPPET_WANT


# --- bats: the location and failed command under a failed test -------------------------

_BATS_TAP = [
    "1..3",
    "ok 1 addition using bc",
    "not ok 2 addition using dc",
    "# (in test file test/addition.bats, line 12)",
    '#   `[ "$result" -eq 4 ]\' failed',
    "ok 3 subtraction",
]
_BATS_WANT = {"addition using dc": ('`[ "$result" -eq 4 ]\' failed', "test/addition.bats:12")}


def test_bats_tap_whole_run() -> None:
    diagnosis = diagnose(travis_one_command("bats test", _BATS_TAP), rules=_OFF)
    assert {f.test: (f.message, f.location) for f in diagnosis.failures} == _BATS_WANT


def test_bats_pretty_formatter() -> None:
    lines = [
        "addition.bats",
        " ✓ addition using bc",
        " ✗ addition using dc",
        "   (in test file test/addition.bats, line 12)",
        '     `[ "$result" -eq 4 ]\' failed',
        " ✓ subtraction",
        "",
        "3 tests, 1 failure",
    ]
    assert _failures(lines) == _BATS_WANT


def test_bats_failure_inside_a_helper_is_located_in_the_test_file() -> None:
    lines = [
        "not ok 1 output matches",
        "# (from function `assert_equal' in file test/test_helper/bats-assert/src/assert_equal.bash, line 40,",
        "#  from function `check_output' in file test/test_helper/common.bash, line 7,",
        "#  in test file test/output.bats, line 9)",
        '#   `assert_equal "$output" "4"\' failed',
        "#",
        "# -- values do not equal --",
    ]
    assert _failures(lines) == {
        "output matches": ('`assert_equal "$output" "4"\' failed', "test/output.bats:9")
    }


def test_tap_failure_without_bats_comments_keeps_its_old_reading() -> None:
    # near miss: another TAP producer's ``not ok`` and a later, unrelated comment
    bats = fed(
        Bats(), ["not ok 1 - adds", "  ---", "  ...", "# (in test file test/x.bats, line 3)"]
    )
    assert bats.tests() == []


# --- Robot Framework: a test's status line and the message under it ---------------------

_ROBOT = [
    "==============================================================================",
    "Tests.Login Tests",
    "==============================================================================",
    "Valid Login                                                           | PASS |",
    "------------------------------------------------------------------------------",
    "Invalid Password                                                      | FAIL |",
    "Page should have contained text 'Wrong password' but did not.",
    "------------------------------------------------------------------------------",
    "Tests.Login Tests                                                     | FAIL |",
    "2 tests, 1 passed, 1 failed",
    "==============================================================================",
]


def test_robot_failed_test_whole_run() -> None:
    diagnosis = diagnose(
        travis_one_command(
            "robot tests", [*_ROBOT, "Output:  /home/runner/work/app/app/output.xml"]
        ),
        rules=_OFF,
    )
    assert {f.test: f.message for f in diagnosis.failures} == {
        "Invalid Password": "Page should have contained text 'Wrong password' but did not."
    }


def test_robot_suite_status_lines_are_not_tests() -> None:
    # near misses: a suite whose setup failed (its message, then its statistics), Robot
    # 3's critical-tests statistics, and a Markdown table row that says FAIL
    lines = [
        "Tests.Setup Broken                                                    | FAIL |",
        "Suite setup failed:",
        "Connection refused",
        "",
        "0 tests, 0 passed, 0 failed",
        "==============================================================================",
        "Tests                                                                 | FAIL |",
        "2 critical tests, 1 passed, 1 failed",
        "2 tests total, 1 passed, 1 failed",
        "| parser | FAIL |",
    ]
    assert fed(RobotFramework(), lines).tests() == []
