# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Round 3, helper r3K: key lines without a rule.

Shapes of error output in general, not of one tool: a process killed by a signal (the
shell's job report, a runtime's ``SIGSEGV`` or ``signal=SIGKILL``), a test runner's verdict
on one test in no error word but ``FAIL`` (go test, php run-tests, xUnit, tasty, Ginkgo) or
TAP's ``not ok``, and glibc's ``Assertion `x' failed.``. Each is checked with every shipped
rule off, since these are the lines the generic scorer must find on tools no rule knows;
near misses keep the words that look alike but say nothing went wrong.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.keylines import GENERIC_MIN_SCORE
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import STRONG_SCORE, error_score
from tests.diagnose.joblogs import actions_job, travis_one_command

NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _keys(log: object) -> list[str]:
    return [k.text.strip() for k in diagnose(log, rules=NO_RULES).key_lines]  # type: ignore[arg-type]


# ---- a process killed by a signal ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Segmentation fault",
        "Killed",
        "Segmentation fault      (core dumped) /home/runner/build/acme/app/vendor/bin/phpunit --exclude-group tty",
        "bash: line 1:   557 Killed                  poetry run pytest tests --dead-fixtures",
        "sh: line 1:  6280 Segmentation fault: 11  nodeunit *.js",
        "/home/runner/.travis/functions: line 109:  6249 Segmentation fault      (core dumped) houston ci",
        "./run.sh: line 3:  4242 Bus error               ./bench",
        "  process didn't exit successfully: `/home/runner/work/p/p/target/debug/deps/demo-8348ca7a80742723` (signal: 11, SIGSEGV: invalid memory reference)",
        "Program received signal SIGSEGV, Segmentation fault.",
        "A jest worker process (pid=23157) was terminated by another process: signal=SIGKILL, exitCode=null. Operating system logs may contain more information on why this occurred.",
    ],
)
def test_a_signal_death_scores_as_an_error(line: str) -> None:
    assert error_score(line) >= STRONG_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "Aborted (core dumped)",
        "/actions-runner/run-helper.sh: line 20: 26550 Aborted                 ./bin/Runner.Listener run",
        "A jest worker process (pid=29190) was terminated by another process: signal=SIGABRT, exitCode=null.",
    ],
)
def test_an_abort_is_a_finding_below_the_reason_printed_before_it(line: str) -> None:
    assert GENERIC_MIN_SCORE <= error_score(line) < STRONG_SCORE
    assert error_score("check: check.c:7: main: Assertion `users > 0' failed.") > error_score(line)


@pytest.mark.parametrize(
    "line",
    [
        "Killed 3 zombie processes",
        "sending SIGTERM to 1234",
        "Received SIGINT, shutting down",
        # Go's runtime detail under its ``panic:`` line, which says more
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4f4fff]",
        "the segfault handler is installed",
    ],
)
def test_signal_words_that_are_no_death_of_the_command(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


def test_segfault_under_make_is_the_key_line() -> None:
    """make reports only ``Error 139``; the shell's report above it says why."""
    lines = [
        "cc -o test/addons/run test/addons/run.c",
        "Segmentation fault",
        "make[1]: *** [test/addons/.buildstamp] Error 139",
        "make[1]: Leaving directory '/home/jenkins/node'",
        "make: *** [run-ci] Error 2",
    ]
    assert "Segmentation fault" in _keys(travis_one_command("make run-ci", lines, 2))


def test_cargo_test_sigsegv_beside_its_error_line() -> None:
    lines = [
        "     Running unittests src/lib.rs (target/debug/deps/demo-8348ca7a80742723)",
        "running 3 tests",
        "error: test failed, to rerun pass `--lib`",
        "",
        "Caused by:",
        "  process didn't exit successfully: `/home/runner/work/p/p/target/debug/deps/demo-8348ca7a80742723` (signal: 11, SIGSEGV: invalid memory reference)",
    ]
    keys = _keys(actions_job("cargo test", lines, 101))
    assert any("SIGSEGV" in k for k in keys)


def test_shell_killed_job_report_is_the_key_line() -> None:
    lines = [
        "============================= test session starts ==============================",
        "collected 412 items",
        "tests/test_api.py ........",
        "/bin/bash: line 1:   557 Killed                  poetry run pytest tests --dead-fixtures",
    ]
    keys = _keys(actions_job("poetry run pytest tests --dead-fixtures", lines, 137))
    assert any("557 Killed" in k for k in keys)


def test_assert_failure_outranks_the_abort_after_it() -> None:
    lines = [
        "check: check.c:7: main: Assertion `users > 0' failed.",
        "/home/runner/work/proj/proj/.gh_script.sh: line 1:  4242 Aborted                 ./check",
    ]
    d = diagnose(actions_job("./check", lines, 134), rules=NO_RULES)
    assert any("Assertion `users > 0' failed." in k.text for k in d.key_lines)


# ---- a test runner's verdict on one test -------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "--- FAIL: TestParallelPreferChained (2.62s)",
        "    --- FAIL: TestParse/empty_input (0.00s)",
        "FAIL recvmsg(): basic test [ext/sockets/tests/socket_recvmsg.phpt]",
        "    Nancy.Testing.Tests.BrowserFixture.Should_return_JSON_serialized_form [FAIL]",
        "      tables: FAIL (0.06s)",
        "[Fail] Route Configuration Testing RouteConfiguration [It] Returns route configuration",
        "not ok 1 - first in, first out",
        "    not ok 12 should be equal",
    ],
)
def test_a_failed_test_verdict_is_a_finding(line: str) -> None:
    assert error_score(line) >= GENERIC_MIN_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "--- PASS: TestX (0.01s)",
        "ok 1 - fine",
        "not ok 2 - parses dates # TODO not implemented",
        "not ok 3 - on windows # SKIP no symlinks",
        "XFAIL tests/test_x.py::test_known_bug",
        "FAIL",
        "fail-fast: true",
        "export FAIL_FAST=1",
        "      reports a parse error:   OK (0.02s)",
    ],
)
def test_lines_that_only_look_like_a_verdict(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


def test_go_fail_line_joins_the_key_lines() -> None:
    lines = [
        "=== RUN   TestParallelPreferChained",
        "    proxied_test.go:126: expected a chained response",
        "--- FAIL: TestParallelPreferChained (2.62s)",
        "FAIL",
        "FAIL\tgithub.com/acme/flashlight/proxied\t3.011s",
    ]
    keys = _keys(travis_one_command("go test ./...", lines))
    assert "--- FAIL: TestParallelPreferChained (2.62s)" in keys


def test_tap_not_ok_is_a_key_line() -> None:
    lines = [
        "TAP version 13",
        "# queue",
        "ok 1 - starts empty",
        "not ok 2 - first in, first out",
        "  ---",
        "    operator: deepEqual",
        "  ...",
        "1..2",
    ]
    keys = _keys(actions_job("node test/queue.js", lines))
    assert "not ok 2 - first in, first out" in keys


# ---- a logger's upper-case level, an assertion, a stylish finding, a linker location -----


@pytest.mark.parametrize(
    "line",
    [
        "==20632== ERROR: AddressSanitizer: heap-use-after-free on address 0x607200043918 at pc 0x8a48bf",
        "==16549==ERROR: AddressSanitizer: SEGV on unknown address 0x000001d741d0 (pc 0x000000455234 T0)",
        'Building sites … ERROR 2019/08/01 15:12:45 [en] REF_NOT_FOUND: Ref "/docs/4.3/getting-started/introduction"',
        "2021-08-27 20:45:30 [ERROR]   Found errors in [actionlint] linter!",
        "[tsl] ERROR in /home/runner/work/app/app/src/index.ts(67,27)",
        "2024/12/06 22:17:04 ERROR <job_928918775> bin/update_files.rb:46:in `<main>'",
        "check: check.c:7: main: Assertion `users > 0' failed.",
        " node0 2019-08-03T02:07:32.581616Z [] libevent: http.c:2794: Assertion TAILQ_FIRST(&evcon->requests) == req failed in evhttp_send",
        "     Assertion with == failed",
    ],
)
def test_an_upper_case_level_or_a_failed_assertion_is_an_error_line(line: str) -> None:
    assert error_score(line) >= STRONG_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "LOG_LEVEL=ERROR npm test",
        "export RUST_LOG=ERROR",
        "Tests: 12, Assertions: 40, Failures: 0.",
        "Assertions: 10 passed",
    ],
)
def test_level_and_assertion_words_that_report_no_error(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "  28:14  error  Replace `·className='top-right-nav-link'` with `⏎·className='top-right-nav-link'`  prettier/prettier",
        "  3:9   error  Expected '===' and instead saw '=='          eqeqeq",
        ' 5:3  ✖  Expected whitespace after "/*"   comment-whitespace-inside',
        " 84:3  ✖  Unexpected duplicate        declaration-block-no-duplicate-properties",
        "main.cpp:(.text+0x29): undefined reference to `Square::area() const'",
        "/usr/bin/ld: b.o:(.bss+0x0): multiple definition of `counter'; a.o:(.bss+0x0): first defined here",
    ],
)
def test_a_stylish_finding_or_an_object_location_is_a_finding(line: str) -> None:
    assert error_score(line) >= GENERIC_MIN_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "  12:1  warning  Unexpected console statement  no-console",
        "  7:3  ⚠  Expected indentation of 2 spaces   indentation",
        "12:30 12 passed",
        "main.o:(.text+0x29): first defined here",
    ],
)
def test_near_misses_of_a_stylish_finding_or_an_object_location(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


def test_eslint_stylish_findings_are_the_key_lines() -> None:
    lines = [
        "",
        "/home/runner/work/app/app/src/util.js",
        "   3:9   error  Expected '===' and instead saw '=='  eqeqeq",
        "  12:1   warning  Unexpected console statement      no-console",
        "",
        "✖ 2 problems (1 error, 1 warning)",
    ]
    keys = _keys(actions_job("npx eslint src", lines))
    assert any("Expected '===' and instead saw '=='" in k for k in keys)
    assert not any("no-console" in k for k in keys)


def test_undefined_reference_beside_collect2() -> None:
    lines = [
        "[ 50%] Linking CXX executable tool",
        "/usr/bin/ld: CMakeFiles/tool.dir/tool.cpp.o: in function `main':",
        "tool.cpp:(.text+0x5e): undefined reference to `Parser::lineCount() const'",
        "collect2: error: ld returned 1 exit status",
        "make[2]: *** [CMakeFiles/tool.dir/build.make:97: tool] Error 1",
    ]
    keys = _keys(actions_job("cmake --build build", lines, 2))
    assert any("undefined reference to `Parser::lineCount() const'" in k for k in keys)


def test_asan_report_is_the_key_line() -> None:
    lines = [
        "Executing Test_popup_close_callback",
        "=================================================================",
        "==20632== ERROR: AddressSanitizer: heap-use-after-free on address 0x607200043918 at pc 0x8a48bf bp 0x7ffe sp 0x7ffe",
        "READ of size 8 at 0x607200043918 thread T0",
        "    #0 0x8a48be in f_popup_close /home/travis/build/vim/vim/src/popupwin.c:2075",
    ]
    keys = _keys(travis_one_command("make test", lines, 2))
    assert any("ERROR: AddressSanitizer: heap-use-after-free" in k for k in keys)


# ---- a link checker's status before its URL -----------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "  1. 301 https://warehouse.python.org/ → https://pypi.io/",
        "  01. [L0410] 301 https://github.com/CoreCharts/CoreCharts  → https://github.com/cagricolak/CoreCharts",
        "  1. [L0239] 522 http://www.wtfgamersonly.com/wp-content/uploads/2014/08/gba4ios.jpg",
        "  [404] http://localhost:5422",
        "✗ [404] https://example.org/gone",
    ],
)
def test_a_status_before_its_url_is_a_link_finding(line: str) -> None:
    """Below the threshold: a key line only when nothing says an error in its own shape."""
    assert 2 <= error_score(line) < GENERIC_MIN_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "  1. 200 https://example.com/",
        "GET https://registry.npmjs.org/left-pad 404",
        "< HTTP/1.1 301 Moved Permanently",
        "Downloaded 300 https://x packages",
        "  1. https://github.com/acme/tool",
    ],
)
def test_urls_and_statuses_that_are_no_link_finding(line: str) -> None:
    assert error_score(line) == 0


def test_link_checker_issues_are_the_key_lines() -> None:
    lines = [
        "Links to check: 3",
        "  1. https://github.com/acme/ok",
        "  2. https://github.com/vanyaland/ToThePenny",
        "  3. https://www.goprimer.com",
        "Checking URLs: ✓→x",
        "Issues :-(",
        "> Links",
        "  1. [L0191] 301 https://github.com/vanyaland/ToThePenny  → https://github.com/ivan-magda/ToThePenny",
        "  2. [L1623] 404 https://www.goprimer.com",
    ]
    keys = _keys(travis_one_command("awesome_bot README.md", lines))
    assert any("301 https://github.com/vanyaland/ToThePenny" in k for k in keys)
    assert any("404 https://www.goprimer.com" in k for k in keys)
