# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 21, helper b21D1 (failing tests in pasted output): the engine finds each
failing test, its message and location, where a paste was cut and the framework's header or
summary is missing.

Ginkgo's failure summary and lit's result lines name tests of their own; Gradle's
``There were failing tests`` and Surefire's ``error in the forked process`` are test runs
that failed; mocha 1.x's epilogue heads its list; cargo's old-form panic may open its quoted
message on its own line; a Node core test is named by the frame in its own file when the
``not ok`` line was cut; a unittest traceback cut before its exception keeps its last source
line; Composer's failed script takes the category of what it ran; Jest's worker processes
that quit are a crash; ExUnit's ``left:``/``right:`` values and a headerless test's stack
frame; a failure's message read over several lines is its key line.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.extract_ginkgo_lit import GinkgoSummary, LitTest
from bot.diagnose.extract_go_rust import CargoTest
from bot.diagnose.extract_js import Mocha
from bot.diagnose.extract_more import ExUnit
from bot.diagnose.extract_node_core import NodeCoreFrames
from bot.diagnose.extract_python import Unittest
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import fed, travis_one_command


def _paste(lines: list[str]) -> Diagnosis:
    return diagnose(io.BytesIO(("\n".join(lines) + "\n").encode()), name="paste")


# ---- Ginkgo ---------------------------------------------------------------------------

_GINKGO_V1 = [
    "Summarizing 2 Failures:",
    "",
    "[Fail] Route Configuration Testing RouteConfiguration [It] Returns route configuration ",
    "/home/runner/work/osm/osm/pkg/envoy/route/routeConfiguration_test.go:65",
    "",
    "[Panic!] Catalog [BeforeEach] lists services ",
    "/usr/local/go/src/runtime/panic.go:212",
    "",
    "Ran 5 of 5 Specs in 0.002 seconds",
    "FAIL! -- 3 Passed | 2 Failed | 0 Pending | 0 Skipped",
]

_GINKGO_V2 = [
    "Summarizing 1 Failure:",
    "  [FAIL] Books Categorizing book length [It] When the book has lots of pages should be a novel [slow]",
    "  /home/runner/work/books/books/books_test.go:42",
    "",
    "Ran 3 of 3 Specs in 0.001 seconds",
    "FAIL! -- 2 Passed | 1 Failed | 0 Pending | 0 Skipped",
]


def test_ginkgo_v1_summary_names_each_failed_spec_with_its_place() -> None:
    got = _paste(_GINKGO_V1)
    assert got.category == "test_failure"
    assert got.rule == "ginkgo-failed"
    assert got.failing_tests == [
        "Route Configuration Testing RouteConfiguration [It] Returns route configuration",
        "Catalog [BeforeEach] lists services",
    ]
    first = got.failures[0]
    assert first.location == "pkg/envoy/route/routeConfiguration_test.go:65"
    texts = [k.text for k in got.key_lines]
    assert any(t.startswith("[Fail] Route Configuration") for t in texts)
    assert any(t.endswith("routeConfiguration_test.go:65") for t in texts)


def test_ginkgo_v2_indented_summary() -> None:
    got = fed(GinkgoSummary(), _GINKGO_V2).failures()
    assert [f.test for f in got] == [
        "Books Categorizing book length [It] When the book has lots of pages should be a novel [slow]"
    ]
    assert got[0].location == "books_test.go:42"


def test_bracketed_fail_lines_of_other_tools_are_not_ginkgo() -> None:
    # no node type in brackets: a shell script's or bats' own status line
    lines = ["[FAIL] check_links.sh found 3 broken links", "[Fail] upload artefacts"]
    assert fed(GinkgoSummary(), lines).failures() == []
    got = _paste([*lines, "main_test.go:12"])
    assert got.rule != "ginkgo-failed"


# ---- lit ------------------------------------------------------------------------------

_LIT = [
    "    FAIL: Swift(linux-x86_64) :: Driver/static-stdlib-linux.swift (4531 of 12037)",
    "    ******************** TEST 'Swift(linux-x86_64) :: Driver/static-stdlib-linux.swift' FAILED ********************",
    "    Script:",
    "    --",
    "    : 'RUN: at line 5';   rm -rf /build/Output/static-stdlib-linux.swift.tmp",
]

_LIT_END = [
    "PASS: LLVM :: CodeGen/X86/add.ll (1 of 3)",
    "FAIL: LLVM :: CodeGen/X86/foo.ll (2 of 3)",
    "TIMEOUT: LLVM :: Transforms/loop.ll (3 of 3)",
    "********************",
    "Failed Tests (1):",
    "  LLVM :: CodeGen/X86/foo.ll",
    "",
    "Timed Out Tests (1):",
    "  LLVM :: Transforms/loop.ll",
    "",
    "  Passed   : 1",
]


def test_lit_result_line_names_the_test_and_is_its_message() -> None:
    got = _paste(_LIT)
    assert got.category == "test_failure"
    assert got.rule == "lit-failed"
    assert got.failing_tests == ["Swift(linux-x86_64) :: Driver/static-stdlib-linux.swift"]
    assert got.failures[0].message == (
        "FAIL: Swift(linux-x86_64) :: Driver/static-stdlib-linux.swift (4531 of 12037)"
    )
    assert any("TEST 'Swift(linux-x86_64)" in k.text for k in got.key_lines)


def test_lit_end_list_and_timeouts() -> None:
    got = fed(LitTest(), _LIT_END).failures()
    assert [f.test for f in got] == ["LLVM :: CodeGen/X86/foo.ll", "LLVM :: Transforms/loop.ll"]


def test_lit_list_alone_names_its_tests() -> None:
    got = fed(
        LitTest(), ["Failing Tests (2):", "    Clang :: Sema/a.c", "    Clang :: Sema/b.c", ""]
    )
    assert [f.test for f in got.failures()] == ["Clang :: Sema/a.c", "Clang :: Sema/b.c"]


def test_a_passing_lit_line_or_a_plain_fail_line_is_not_lit() -> None:
    lines = ["PASS: LLVM :: CodeGen/X86/add.ll (1 of 3)", "FAIL: tests/test_x.py (3 of 4)"]
    assert fed(LitTest(), lines).failures() == []


# ---- Gradle, Surefire -----------------------------------------------------------------

_GRADLE_PASTE = [
    "FAILURE: Build failed with an exception.",
    "",
    " What went wrong:",
    "Execution failed for task ':test'.",
    "    There were failing tests. See the report at: file:///Users/runner/work/app/app/build/reports/tests/test/index.html",
    "",
    "Try:",
    "Run with --stacktrace option to get the stack trace.",
]


def test_gradle_failing_tests_is_a_test_run_that_failed() -> None:
    got = _paste(_GRADLE_PASTE)
    assert got.category == "test_failure"
    assert got.rule == "gradle-test-failed"
    assert any("Execution failed for task ':test'." in k.text for k in got.key_lines)
    assert any("There were failing tests" in k.text for k in got.key_lines)


def test_gradle_with_its_marker_too() -> None:
    lines = [
        "* What went wrong:",
        "Execution failed for task ':app:test'.",
        "> There were failing tests. See the report at: file:///x/index.html",
    ]
    assert _paste(lines).category == "test_failure"


def test_gradle_compile_failure_stays_a_build() -> None:
    lines = [
        "* What went wrong:",
        "Execution failed for task ':compileJava'.",
        "> Compilation failed; see the compiler error output for details.",
    ]
    assert _paste(lines).category == "build"


def test_surefire_error_in_forked_process_is_a_test_run_that_failed() -> None:
    lines = [
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test (default-test) on project farm: Execution default-test of goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test failed: There was an error in the forked process",
        "[ERROR] org.apache.maven.surefire.testset.TestSetFailedException: java.lang.IllegalStateException: There were some exceptions in the log above",
        "[ERROR]         at org.apache.maven.surefire.common.junit4.JUnit4RunListener.rethrowAnyTestMechanismFailures(JUnit4RunListener.java:209)",
    ]
    got = _paste(lines)
    assert got.category == "test_failure"
    assert got.rule == "maven-test-goal-failed"
    assert any("IllegalStateException: There were some exceptions" in k.text for k in got.key_lines)


def test_surefire_fork_crash_is_still_a_crash() -> None:
    lines = [
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test (default-test) on project app: There are test failures.",
        "[ERROR] ExecutionException The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
    ]
    assert _paste(lines).category == "segfault"


# ---- mocha ----------------------------------------------------------------------------

_MOCHA_1X = [
    "✖ 1 of 106 tests failed:",
    "",
    " 1) Network with a simple graph should contain two nodes:",
    "TypeError: Cannot read property 'processes' of null",
    " at Context.<anonymous> (/home/runner/Projects/noflo/noflo/spec/Network.coffee:87:20)",
    " at Test.Runnable.run (/home/runner/Projects/noflo/noflo/node_modules/mocha/lib/runnable.js:213:32)",
    "",
    "Done, without errors.",
]

_MOCHA_NO_MARGIN = [
    "1278 passing (2m)",
    "1 failing",
    "1) /account/login sign-in confirmation don't skip on older account:",
    "   AssertionError [ERR_ASSERTION]: sessionToken was created unverified",
    "    at Function.insist [as ok] (node_modules/insist/insist.js:93:19)",
    "    at test/local/routes/account.js:944:18",
]


def test_mocha_1x_epilogue_heads_the_failure_list() -> None:
    got = _paste(_MOCHA_1X)
    assert got.category == "test_failure"
    assert got.rule == "mocha-failed"
    (failure,) = got.failures
    assert failure.test == "Network with a simple graph should contain two nodes"
    assert failure.message == "TypeError: Cannot read property 'processes' of null"
    assert failure.location == "/home/runner/Projects/noflo/noflo/spec/Network.coffee:87"


def test_mocha_list_that_lost_its_margin() -> None:
    (failure,) = fed(Mocha(), _MOCHA_NO_MARGIN).failures()
    assert failure.test == "/account/login sign-in confirmation don't skip on older account"
    assert failure.message == "AssertionError [ERR_ASSERTION]: sessionToken was created unverified"
    assert failure.location == "test/local/routes/account.js:944"


def test_numbered_lines_without_a_mocha_head_are_not_tests() -> None:
    lines = ["1) Install the package:", "Error: no such file", "2) Run it"]
    assert fed(Mocha(), lines).failures() == []


# ---- cargo ----------------------------------------------------------------------------

_CARGO_OLD_OPEN = [
    "failures:",
    "---- message_format_json_forward_stderr stdout ----",
    "\trunning `cargo rustc --bin foo --message-format JSON -- -Zno-trans`",
    "\tthread 'message_format_json_forward_stderr' panicked at '",
    "Expected: execs",
    "    but: expected to find:",
    "[WARNING] the option `Z` is unstable [..]",
    "did not find in output:",
    "   Compiling foo v0.5.0 (file:///C:/projects/foo)",
    "', C:\\Users\\appveyor\\.cargo\\registry\\src\\github.com-1ecc6299db9ec823\\hamcrest-0.1.1\\src\\core.rs:31",
    "note: Run with `RUST_BACKTRACE=1` for a backtrace.",
    "failures:",
    "    message_format_json_forward_stderr",
    "test result: FAILED. 91 passed; 1 failed; 0 ignored; 0 measured",
]


def test_cargo_old_panic_whose_message_opens_on_its_own_line() -> None:
    got = _paste(_CARGO_OLD_OPEN)
    (failure,) = got.failures
    assert failure.test == "message_format_json_forward_stderr"
    assert failure.message == (
        "thread 'message_format_json_forward_stderr' panicked at ' Expected: execs "
        "but: expected to find: [WARNING] the option `Z` is unstable [..]"
    )
    assert failure.location is None  # the quote closes in the assertion library's source
    assert any("[WARNING] the option `Z` is unstable" in k.text for k in got.key_lines)


def test_cargo_old_panic_on_one_line_is_unchanged() -> None:
    lines = [
        "---- tests::adds stdout ----",
        "\tthread 'tests::adds' panicked at 'assertion failed: `(left == right)`', src/lib.rs:10:9",
        "note: Run with `RUST_BACKTRACE=1` for a backtrace.",
    ]
    (failure,) = fed(CargoTest(), lines).failures()
    assert failure.message == "assertion failed: `(left == right)`"
    assert failure.location == "src/lib.rs:10"


# ---- Node core, unittest --------------------------------------------------------------

_NODE_CORE_CUT = [
    "      assert.js:384",
    "          throw err;",
    "          ^",
    "",
    "      AssertionError [ERR_ASSERTION]: v8Start: 250.21231079101562 >= 250",
    "          at checkNodeTiming (/home/iojs/build/workspace/node-test-commit-linux-containered/test/sequential/test-perf-hooks.js:67:7)",
    "          at Object.<anonymous> (/home/iojs/build/workspace/node-test-commit-linux-containered/test/sequential/test-perf-hooks.js:79:1)",
    "          at Module._compile (internal/modules/cjs/loader.js:1202:30)",
    "        code: 'ERR_ASSERTION',",
    "    ...",
]


def test_node_core_test_named_from_its_frame_when_not_ok_was_cut() -> None:
    got = _paste(_NODE_CORE_CUT)
    assert got.category == "test_failure"
    (failure,) = got.failures
    assert failure.test == "sequential/test-perf-hooks"
    assert failure.message == "AssertionError [ERR_ASSERTION]: v8Start: 250.21231079101562 >= 250"
    assert failure.location == "test/sequential/test-perf-hooks.js:67"


def test_node_core_frames_only_when_nothing_names_the_test() -> None:
    lines = ["not ok 1234 sequential/test-perf-hooks", "  ---", *_NODE_CORE_CUT]
    assert [f.test for f in extract_failures(lines)] == ["sequential/test-perf-hooks"]
    # a frame in some other project's test directory is not Node core's
    other = ["Error: boom", "    at Object.<anonymous> (/app/test/unit/test-x.js:3:1)"]
    assert fed(NodeCoreFrames(), other).fallback_failures() == []


_UNITTEST_CUT = [
    "======================================================================",
    "ERROR: test_tls_connect_dh1024 (oscrypto.tests.test_tls.TLSTests)",
    "----------------------------------------------------------------------",
    "Traceback (most recent call last):",
    '  File "../oscrypto/tests/test_tls.py", line 102, in tls_connect',
    "    connection = tls.TLSSocket(hostname, port, session=session)",
    '  File "/home/runner/oscrypto/oscrypto/_openssl/tls.py", line 667, in _handshake',
    "    raise_expired_not_yet_valid(cert)",
    '  File "/home/runner/oscr',
]


def test_unittest_traceback_cut_before_its_exception_keeps_the_last_source_line() -> None:
    (failure,) = fed(Unittest(), _UNITTEST_CUT).failures()
    assert failure.test == "oscrypto.tests.test_tls.TLSTests.test_tls_connect_dh1024"
    assert failure.message == "raise_expired_not_yet_valid(cert)"
    assert failure.location == "../oscrypto/tests/test_tls.py:102"


def test_unittest_exception_line_still_wins() -> None:
    lines = [
        *_UNITTEST_CUT[:-1],
        "oscrypto.errors.TLSVerificationError: Server certificate verification failed - certificate expired",
    ]
    (failure,) = fed(Unittest(), lines).failures()
    assert failure.message.startswith("oscrypto.errors.TLSVerificationError: ")


# ---- Composer, Jest workers, ExUnit, several-line messages -----------------------------


def test_composer_script_takes_the_category_of_what_it_ran() -> None:
    lines = [
        "Script php ${MW_INSTALL_PATH:-../..}/tests/phpunit/phpunit.php -c phpunit.xml.dist handling the phpunit event returned with error code 1",
        "Script @phpunit --testsuite semantic-mediawiki-check was called via phpunit:integration",
        "make: *** [build/Makefile:146: composer-test] Error 1",
    ]
    got = _paste(lines)
    assert got.category == "test_failure"
    assert got.rule == "composer-script-failed"
    lint = [
        "Script vendor/bin/phpcs --standard=PSR12 src handling the cs event returned with error code 2"
    ]
    assert _paste(lint).category == "lint"
    other = [
        "Script @php artisan package:discover --ansi handling the post-autoload-dump event returned with error code 1"
    ]
    assert _paste(other).category == "build"


def test_jest_worker_processes_that_quit_are_a_crash() -> None:
    lines = [
        "Test suite failed to run",
        "  ProcessTerminatedError: cancel after 2 retries!",
        "  at Farm.<anonymous> (node_modules/worker-farm/lib/farm.js:81:25)",
        "  A worker process has quit unexpectedly! Most likely this is an ",
        "  initialization error.",
        "  error Command failed with exit code 1.",
    ]
    got = diagnose(travis_one_command("yarn test", lines), name="t")
    assert got.category == "segfault"
    assert got.rule == "jest-worker-quit"


def test_exunit_values_and_a_headerless_tests_frame() -> None:
    lines = [
        "Error:      test/basic_test.exs:62",
        "     Assertion with == failed",
        '     code:  assert [~c"*", ~c"+"] == result.rows',
        '     left:  [~c"*", ~c"+"]',
        '     right: [~c"*"]',
        "     stacktrace:",
        "       test/basic_test.exs:95: (test)",
    ]
    got = _paste(lines)
    (failure,) = got.failures
    assert failure.test == "test/basic_test.exs:62"
    assert failure.location == "test/basic_test.exs:95"
    assert any(k.text.strip().startswith("right:") for k in got.key_lines)
    assert fed(ExUnit(), lines[-1:]).failures() == []


def test_a_message_read_over_several_lines_is_the_key_line() -> None:
    lines = [
        "[xUnit.net 00:00:06.9116690]     EmptyRequestLoggedAsInformation [FAIL]",
        "[xUnit.net 00:00:06.9119961]       Assert.Equal() Failure",
        "[xUnit.net 00:00:06.9120555]       Expected: 0",
        "[xUnit.net 00:00:06.9120945]       Actual:   1",
        "[xUnit.net 00:00:06.9233700]       Stack Trace:",
    ]
    got = _paste(lines)
    first = got.key_lines[0]
    assert first.rule == "failure"
    assert first.line == 2
    assert first.text == "Assert.Equal() Failure Expected: 0 Actual: 1"
