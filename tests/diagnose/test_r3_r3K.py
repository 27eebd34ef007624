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
