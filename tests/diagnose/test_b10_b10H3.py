# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 10, helper b10H3 (whole Travis CI job logs): a phpt whose title names a
crash, an AddressSanitizer report of an older runtime printed by ``after_failure``, a script
that is not executable, ESLint results one a line (``path:line message (rule)``, and
standard's ``path:line:col: message (rule)``), and Sass compile errors (Ruby Sass, libsass,
Dart Sass).

Each snippet is written in the shape the tool prints (standard 17, Dart Sass 1.x, bash,
dash and GNU make were run here for theirs) and asserts what a maintainer would name as
the cause.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job, travis_job

# ---- php run-tests: a test's title is not this run's crash ---------------------------

_RUN_TESTS = [
    "TEST 7105/13939 [2/2 concurrent test workers running]",
    "SKIP Bug #70001 (Segfault in foo()) [ext/pgsql/tests/bug70001.phpt] reason: no driver",
    "========DIFF========",
    "001+ Deprecated: Implicit nullable types are deprecated, mark the type as explicitly nullable with the '?' sign in /home/runner/build/php/php-src/ext/pdo_pgsql/tests/bug72294.php on line 18",
    "========DONE========",
    "FAIL Bug #72294 Segmentation fault/invalid pointer in connection with pgsql_stmt_dtor [ext/pdo_pgsql/tests/bug72294.phpt] ",
    "XFAIL Bug #71000 (SIGSEGV with opcache) [ext/opcache/tests/bug71000.phpt]   XFAIL REASON: needs fix",
    "=====================================================================",
    "Tests failed    :    1 (  0.0%) (  0.0%)",
    "=====================================================================",
    "FAILED TEST SUMMARY",
    "---------------------------------------------------------------------",
    "Bug #72294 Segmentation fault/invalid pointer in connection with pgsql_stmt_dtor [ext/pdo_pgsql/tests/bug72294.phpt]",
    "=====================================================================",
]


def test_a_phpt_title_that_names_a_crash_is_a_failing_test_not_a_segfault() -> None:
    """php-src names many regression tests after the crash they guard against
    (``Bug #72294 Segmentation fault/…``): the FAIL line, the SKIP/XFAIL lines and the
    summary carry that title; the run itself failed a test on its output."""
    diagnosis = diagnose(travis_job("./sapi/cli/php run-tests.php -P -j2", _RUN_TESTS, 1))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "php-run-tests-failed"
    assert diagnosis.failing_tests == ["ext/pdo_pgsql/tests/bug72294.phpt"]
    assert diagnosis.failures[0].message.startswith("Deprecated: Implicit nullable types")
    texts = [k.text for k in diagnosis.key_lines]
    assert any(t.startswith("FAIL Bug #72294 Segmentation fault/invalid pointer") for t in texts)


def test_a_phpt_that_really_crashes_is_still_a_segfault() -> None:
    """The ignore covers titles only: a crash the run prints (the shell's report in the
    test's output) still counts."""
    lines = [
        "========DIFF========",
        "001+ Termsig=11",
        "002+ /bin/sh: line 1: 4242 Segmentation fault      (core dumped) /home/runner/build/php/php-src/sapi/cli/php -f bug1.php",
        "========DONE========",
        "FAIL Bug #1 (crash) [ext/standard/tests/bug1.phpt] ",
    ]
    diagnosis = diagnose(travis_job("./sapi/cli/php run-tests.php -P -j2", lines, 1))
    assert diagnosis.category == "segfault"


# ---- AddressSanitizer of an older runtime, printed by after_failure -------------------


def _travis_with_after_failure(
    command: str, lines: list[str], code: int, after: list[str]
) -> io.BytesIO:
    """A Travis CI job as Travis prints it: the timed command and its exit line, then the
    ``after_failure`` command inside its fold (its output is about the failed command)."""
    out = [
        "travis_fold:start:worker_info",
        "Worker information",
        "travis_fold:end:worker_info",
        f"travis_time:start:0a000001$ {command}",
        *lines,
        f'travis_time:end:0a000001:start=1,finish=2,duration=1The command "{command}" exited with {code}.',
        "",
        "travis_fold:start:after_failure.1travis_time:start:0b000001$ while read log; do asan_symbolize < \"${log}\"; done < <(find . -name 'asan.*')",
        *after,
        "travis_time:end:0b000001:start=1,finish=2,duration=1travis_fold:end:after_failure.1",
        "",
        "Done. Your build exited with 1.",
    ]
    return io.BytesIO("".join(f"{line}\n" for line in out).encode())


_VIM_TESTS = [
    "Executed:  2188 Tests",
    " Skipped:    11 Tests",
    "  FAILED:     1 Tests",
    "",
    "",
    "Failures: ",
    "\tFrom test_popupwin.vim:",
    "\tFound errors in Test_popup_beval():",
    "\tRun 1:",
    "\tCaught exception in Test_popup_beval(): Vim(call):E958: Job already finished @ function RunTheTest[40]..Test_popup_beval[40]..VerifyScreenDump, line 19",
    "\tFlaky test failed too often, giving up",
    "",
    "TEST FAILURE",
    "make[2]: *** [report] Error 1",
    "make: *** [scripttests] Error 2",
]

_OLD_ASAN = [
    "=================================================================",
    "==20632== ERROR: AddressSanitizer: heap-use-after-free on address 0x607200043918 at pc 0x8a48bf bp 0x7ffea265c870 sp 0x7ffea265c868",
    "READ of size 8 at 0x607200043918 thread T0",
    "    #0 0x8a48be in popup_handle_mouse_moved /home/runner/build/vim/vim/src/popupwin.c:1460",
    "    #1 0x7eafd4 in do_mouse /home/runner/build/vim/vim/src/normal.c:2333",
]


def test_an_old_runtimes_asan_report_after_the_failed_tests_is_the_cause() -> None:
    """gcc 4.8 / clang 3.4's AddressSanitizer prints ``==PID== ERROR:`` (a space after the
    pid). vim's after_failure prints the asan logs of the Vim that a screen-dump test ran
    in a terminal: it died of a use-after-free, so the test saw its job finish."""
    log = _travis_with_after_failure("do_test make test", _VIM_TESTS, 2, _OLD_ASAN)
    diagnosis = diagnose(log)
    assert diagnosis.category == "segfault"
    assert diagnosis.rule == "segfault"
    assert diagnosis.failing_tests == ["Test_popup_beval"]
    texts = [k.text for k in diagnosis.key_lines]
    assert any("==20632== ERROR: AddressSanitizer: heap-use-after-free" in t for t in texts)


def test_without_the_asan_report_the_vim_test_failure_stands() -> None:
    log = _travis_with_after_failure("do_test make test", _VIM_TESTS, 2, ["no asan logs"])
    diagnosis = diagnose(log)
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["Test_popup_beval"]


def test_a_current_runtimes_asan_line_still_matches() -> None:
    lines = ["==1635==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000014"]
    assert diagnose(actions_job("./a.out", lines, 1)).category == "segfault"


# ---- a command that exists but cannot be executed (exit 126) --------------------------


def test_travis_functions_wrapper_permission_denied() -> None:
    lines = [
        "/home/runner/.travis/functions: line 104: /home/runner/build/LightTable/LightTable/install-jdk.sh: Permission denied"
    ]
    command = "$TRAVIS_BUILD_DIR/install-jdk.sh --install openjdk11 --target $JAVA_HOME"
    diagnosis = diagnose(travis_job(command, lines, 126))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "command-not-executable"
    assert "install-jdk.sh: Permission denied" in diagnosis.key_lines[0].text


def test_shells_and_make_print_permission_denied_on_a_script() -> None:
    """As bash, dash (``sh -c``), a script run by each, GNU make and env print it here."""
    for line in (
        "bash: ./s.sh: Permission denied",
        "sh: 1: ./s.sh: Permission denied",
        "ci/run.sh: line 1: ./s.sh: Permission denied",
        "ci/run.sh: 1: ./s.sh: Permission denied",
        "make: ./s.sh: Permission denied",
        "/usr/bin/env: ‘./s.sh’: Permission denied",
        "/bin/bash: ./gradlew: Permission denied",
    ):
        diagnosis = diagnose(actions_job("./ci/run.sh", [line], 126))
        assert diagnosis.rule == "command-not-executable", line
        assert diagnosis.key_lines[0].text == line


def test_a_file_tool_denied_a_write_is_not_a_command_that_cannot_run() -> None:
    for line in (
        "cp: cannot create regular file '/usr/local/bin/x': Permission denied",
        "mkdir: cannot create directory ‘/opt/x’: Permission denied",
    ):
        assert diagnose(actions_job("./ci/run.sh", [line], 1)).rule != "command-not-executable"


# ---- ESLint results one a line ---------------------------------------------------------


def test_a_lint_script_printing_path_line_message_rule() -> None:
    """atom's script/lint prints each ESLint result as ``path:line message (rule)``; with
    eslint-plugin-prettier the rule is ``prettier/prettier``."""
    lines = [
        "",
        "src/grammar-registry.js:635 Replace `process.platform·===·'darwin'` with `⏎······process.platform·===·'darwin'` (prettier/prettier)",
        "src/grammar-registry.js:636 Insert `;` (prettier/prettier)",
    ]
    diagnosis = diagnose(travis_job("script/lint && script/build && script/test", lines, 1))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "eslint"
    assert diagnosis.key_lines[0].text.startswith("src/grammar-registry.js:635 Replace")


def test_standard_errors_count_and_its_warnings_do_not() -> None:
    """standard 17's output as run here: ``  path:L:C: message (rule)``, and ``(warning)``
    after the rules it will enforce only in its next version."""
    errors = [
        "  /home/runner/work/p/p/a.js:1:1: Unexpected var, use let or const instead. (no-var) (warning)",
        "  /home/runner/work/p/p/a.js:1:9: Strings must use singlequote. (quotes)",
        "  /home/runner/work/p/p/a.js:2:11: Missing space before function parentheses. (space-before-function-paren)",
        "standard: Use JavaScript Standard Style (https://standardjs.com)",
    ]
    diagnosis = diagnose(actions_job("npx standard", errors, 1))
    assert (diagnosis.category, diagnosis.rule) == ("lint", "standard-js")
    assert "Strings must use singlequote. (quotes)" in diagnosis.key_lines[0].text
    assert not any("(warning)" in k.text for k in diagnosis.key_lines)


def test_a_test_line_with_parentheses_is_not_an_eslint_result() -> None:
    lines = ["src/app.js:12 called with (true)", "Error: boom"]
    assert diagnose(actions_job("node src/app.js", lines, 1)).rule != "eslint"


# ---- Sass ------------------------------------------------------------------------------


def test_ruby_sass_syntax_error() -> None:
    lines = [
        "Error: Inconsistent indentation: 3 spaces were used for indentation, but the rest of the document was indented using 2 spaces.",
        "        on line 9 of sass/layout/footer.sass",
        "        from line 5 of sass/layout/_all.sass",
        "        from line 9 of bulma.sass",
        "  Use --trace for backtrace.",
    ]
    diagnosis = diagnose(travis_job("test/sass-compile-tester.sh", lines, 65))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "sass-compile"
    texts = [k.text for k in diagnosis.key_lines]
    assert texts[0].startswith("Error: Inconsistent indentation")
    assert "on line 9 of sass/layout/footer.sass" in texts[1]


def test_libsass_error_names_the_scss_file() -> None:
    lines = [
        'Error: Invalid CSS after "a": expected "{", was ""',
        "        on line 1:2 of scss/_buttons.scss",
        ">> a",
    ]
    diagnosis = diagnose(actions_job("npx node-sass scss/main.scss", lines, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "sass-compile"


def test_dart_sass_error_frame() -> None:
    """Dart Sass 1.x as run here: the message, a source frame, ``  a.scss 3:4  root stylesheet``."""
    lines = [
        "Error: Expected digit.",
        "  ╷",
        "3 │   .b { x: 1; }",
        "  │    ^",
        "  ╵",
        "  s/a.scss 3:4  root stylesheet",
    ]
    diagnosis = diagnose(actions_job("npx sass s/a.scss out.css", lines, 65))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "sass-compile"
    assert diagnosis.key_lines[0].text == "Error: Expected digit."


def test_dart_sass_deprecation_warning_frame_alone_is_not_an_error() -> None:
    """A deprecation warning's frame line is indented by four: not a compile error."""
    lines = [
        "DEPRECATION WARNING [import]: Sass @import rules are deprecated and will be removed in Dart Sass 3.0.0.",
        "  ╷",
        '1 │ @import "x";',
        "  ╵",
        "    s/c.scss 1:9  root stylesheet",
    ]
    diagnosis = diagnose(actions_job("npx sass s/c.scss out.css && ./deploy.sh", lines, 1))
    assert diagnosis.rule != "sass-compile"


def test_sass_loader_error_inside_a_webpack_build() -> None:
    """sass-loader prefixes Dart Sass's message with ``SassError: `` under webpack's
    ``Module build failed``: the stylesheet is the cause, not the bundler."""
    lines = [
        "ERROR in ./src/styles.scss",
        "Module build failed (from ./node_modules/sass-loader/dist/cjs.js):",
        'SassError: expected ";".',
        "  ╷",
        "3 │   color: red",
        "  │             ^",
        "  ╵",
        "  src/styles.scss 3:13  root stylesheet",
    ]
    diagnosis = diagnose(actions_job("npx webpack --mode production", lines, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "sass-compile"
    assert 'SassError: expected ";".' in [k.text for k in diagnosis.key_lines[:3]]


def test_a_script_whose_interpreter_cannot_run() -> None:
    line = "bash: ./ci/test.sh: /usr/local/bin/node: bad interpreter: Permission denied"
    diagnosis = diagnose(actions_job("./ci/test.sh", [line], 126))
    assert diagnosis.rule == "command-not-executable"
