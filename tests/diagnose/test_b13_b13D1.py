"""Shapes from batch 13, helper b13D1 (whole Travis CI job logs): a karma browser lost on a
remote grid (BrowserStack, Sauce Labs), assertion aborts in the formats other C libraries
print, Bitcoin Core's functional test whose node crashed (the stderr traceback after the
logged one), php-src's run-tests where several tests fail alike, and git's test library's
own line before a failed sub-test.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near-misses must not be read as that tool's.
"""

from __future__ import annotations

import re

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import actions_job, travis_job

# ---- karma on a remote grid --------------------------------------------------------------

_CLOUD = "npm run js-test-cloud"


def _karma_run(banner: list[str], browser: str, disconnect: str) -> list[str]:
    return [
        "> karma start js/tests/karma.conf.js",
        "",
        *banner,
        "." * 80,
        "Safari 11.1.2 (Mac OS X 10.13.6): Executed 437 of 437\x1b[32m SUCCESS\x1b[39m (9.2 secs)",
        f"\x1b[31m{browser} ERROR\x1b[39m",
        f"  {disconnect}",
        f"{browser}: Executed 0 of 0\x1b[31m DISCONNECTED\x1b[39m (30.001 secs / 0 secs)",
        "npm ERR! code ELIFECYCLE",
        "npm ERR! errno 1",
    ]


@pytest.mark.parametrize(
    ("banner", "disconnect"),
    [
        (
            [
                "BrowserStackTunnel: binary not present",
                "BrowserStackTunnel: download binary for linux-x64 ...",
                "BrowserStackTunnel: download complete",
            ],
            "Disconnected, because no message in 30000 ms.",
        ),
        (
            ["02 08 2019 03:10:01.200:INFO [launcher.browserstack]: Starting tunnel"],
            "Disconnected (1 times), because no message in 10000 ms.",
        ),
        (
            [
                "21 06 2023 10:00:01.000:INFO [launcher.sauce]: Sauce Connect is starting",
                "21 06 2023 10:00:09.000:INFO [launcher.sauce]: Sauce Connect ready",
            ],
            "Disconnected , because no message in 30000 ms.",
        ),
    ],
)
def test_a_remote_grid_browser_that_stops_answering_is_the_network(
    banner: list[str], disconnect: str
) -> None:
    d = diagnose(travis_job(_CLOUD, _karma_run(banner, "Chrome Mobile 74.0.3729", disconnect)))
    assert d.category == "infra_network"
    assert d.rule == "karma-remote-browser-lost"
    assert d.retryable
    assert d.failing_tests == []
    assert any(disconnect in k.text for k in d.key_lines)


def test_browserstack_reporters_own_disconnect_line_is_read_beside_its_tunnel() -> None:
    lines = _karma_run(
        ["BrowserStackTunnel: binary not present"],
        "IE 11.0.0 (Windows 10.0.0)",
        "Disconnectedreconnect failed before timeout of 2000ms (ping timeout)",
    )
    lines.insert(-2, "03 08 2019 14:13:39.543:ERROR [reporter.browserlabs]: ✖ Test Disconnected")
    d = diagnose(travis_job(_CLOUD, lines))
    assert d.category == "infra_network"
    assert d.rule == "karma-remote-browser-lost"


@pytest.mark.parametrize(
    "disconnect",
    [
        "Disconnected, because no message in 30000 ms.",
        "Disconnected (1 times), because no message in 10000 ms.",
        "Disconnected , because no message in 30000 ms.",
    ],
)
def test_a_local_browser_that_hangs_is_still_a_time_limit(disconnect: str) -> None:
    # no grid in the step: ChromeHeadless on the runner stopped answering (a hang)
    lines = _karma_run(
        ["21 06 2023 10:00:01.000:INFO [launcher]: Starting browser ChromeHeadless"],
        "ChromeHeadless 120.0.0 (Linux x86_64)",
        disconnect,
    )
    d = diagnose(actions_job("npx karma start --single-run", lines))
    assert d.category == "timeout"
    assert d.rule == "command-timeout"


def test_installing_a_grid_launcher_does_not_make_a_local_hang_the_network() -> None:
    # the package is installed, but the browser that hung is a local one
    lines = [
        "$ npm ci",
        "added 1090 packages in 67.109s",
        "├─┬ karma-browserstack-launcher@1.5.1",
        'The command "npm ci" exited with 0.',
        "$ npx karma start --single-run",
        "ChromeHeadless 120.0.0 (Linux x86_64) ERROR",
        "  Disconnected, because no message in 30000 ms.",
    ]
    d = diagnose(travis_job("npm test", lines))
    assert d.category == "timeout"


# ---- assertion aborts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # libevent's EVUTIL_ASSERT through bitcoind's log callback, in the node's log
        " node0 2019-08-03T02:11:30.792259Z [] libevent: http.c:2794: Assertion "
        "TAILQ_FIRST(&evcon->requests) == req failed in evhttp_send ",
        "[err] evmap.c:379: Assertion ctx failed in evmap_io_del_",
        # musl
        "Assertion failed: n > 0 (src/queue.c: queue_pop: 88)",
        # BSD / macOS libc
        "Assertion failed: (ptr != NULL), function buffer_free, file buffer.c, line 42.",
        # the MSVC CRT
        r"Assertion failed: count == 3, file C:\projects\lib\src\list.c, line 17",
    ],
)
def test_other_c_libraries_assertion_aborts_are_crashes(line: str) -> None:
    lines = ["Running 12 tests", line, "make: *** [check] Error 134"]
    d = diagnose(actions_job("make check", lines))
    assert d.category == "segfault"
    assert d.rule == "abort-signal"


@pytest.mark.parametrize(
    "line",
    [
        # a JavaScript test's console.assert and an xUnit-style message: tests, not aborts
        "Assertion failed: expected 3 to equal 4",
        "  Assertion failed in test_parse: got 2",
        # a node that exited with an ordinary error code
        "AssertionError: [node 0] Node returned non-zero exit code (1) when stopping",
    ],
)
def test_assertion_words_without_an_abort_are_not_crashes(line: str) -> None:
    d = diagnose(actions_job("make check", ["Running 12 tests", line, "FAILED: 1 test"]))
    assert d.category != "segfault"


# ---- Bitcoin Core's functional tests --------------------------------------------------------

_BTC = "build/bitcoin-i686-pc-linux-gnu/test/functional"
_ROOT = f"/home/runner/build/bitcoin/bitcoin/{_BTC}"


def _frame(path: str, line: int, func: str, code: str) -> list[str]:
    return [f'  File "{path}", line {line}, in {func}', f"    {code}"]


def _shutdown_failure(node_log: list[str]) -> list[str]:
    return [
        "Remaining jobs: [feature_shutdown.py]",
        # the runner's progress dot, erased with a carriage return before the result
        ".\r \r123/124 - \x1b[1mfeature_shutdown.py\x1b[0m failed, Duration: 2 s",
        "",
        "\x1b[1mstdout:",
        "\x1b[0m2019-08-03T02:11:29.186000Z TestFramework (INFO): Initializing test directory",
        "2019-08-03T02:11:30.790000Z TestFramework (ERROR): Unexpected exception caught during "
        "testing",
        "Traceback (most recent call last):",
        *_frame("/usr/lib/python3.6/http/client.py", 266, "_read_status", "raise Disconnected()"),
        "http.client.RemoteDisconnected: Remote end closed connection without response",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        *_frame(f"{_ROOT}/feature_shutdown.py", 31, "run_test", "self.stop_node(0, wait=1000)"),
        *_frame("/usr/lib/python3.6/socket.py", 713, "create_connection", "sock.connect(sa)"),
        "ConnectionRefusedError: [Errno 111] Connection refused",
        "2019-08-03T02:11:30.793000Z TestFramework (INFO): Stopping nodes",
        "[node 0] Cleaning up leftover process",
        "",
        "",
        "\x1b[1mstderr:",
        "\x1b[0mTraceback (most recent call last):",
        *_frame(f"{_ROOT}/feature_shutdown.py", 34, "<module>", "ShutdownTest().main()"),
        *_frame(f"{_ROOT}/test_framework/test_node.py", 296, "is_node_stopped", '"Node …" % rc)'),
        "AssertionError: [node 0] Node returned non-zero exit code (-6) when stopping",
        "",
        "",
        "\x1b[1mCombine the logs and print the last 4000 lines ...\x1b[0m",
        "",
        "============",
        "\x1b[1mCombined log for /var/tmp/test_runner_20190803_020311/feature_shutdown_0:\x1b[0m",
        "============",
        *node_log,
        "\x1b[0m\x1b[0;31mfeature_shutdown.py                    | ✖ Failed  | 2 s",
        "ALL                                    | ✖ Failed  | 1946 s (accumulated) ",
    ]


def test_a_node_that_aborts_while_stopping_is_the_crash_not_the_lost_connection() -> None:
    node_log = [
        "\x1b[0;34m node0 2019-08-03T02:11:30.792259Z [] libevent: http.c:2794: Assertion "
        "TAILQ_FIRST(&evcon->requests) == req failed in evhttp_send \x1b[0m",
        "\x1b[0;36m test  2019-08-03T02:11:30.793000Z TestFramework.node0 (ERROR): Unable to "
        "stop node. \x1b[0m",
        "\x1b[0;36m                                   ConnectionRefusedError: [Errno 111] "
        "Connection refused\x1b[0m",
    ]
    d = diagnose(travis_job("source .travis/test_06_script_b.sh", _shutdown_failure(node_log)))
    assert d.category == "segfault"
    assert d.failing_tests == ["feature_shutdown.py"]
    failure = d.failures[0]
    assert failure.message == (
        "AssertionError: [node 0] Node returned non-zero exit code (-6) when stopping"
    )
    assert failure.location == f"{_BTC}/feature_shutdown.py:34"
    assert any("Assertion TAILQ_FIRST" in k.text for k in d.key_lines)


def _plain(lines: list[str]) -> list[str]:
    """The lines as the reader hands them to the extractors: colours dropped, the last
    carriage-return redraw kept."""
    return [re.sub(r"\x1b\[[0-9;]*m", "", line).rsplit("\r", 1)[-1] for line in lines]


def test_the_last_of_chained_exceptions_is_the_message_without_a_stderr_traceback() -> None:
    lines = _plain(_shutdown_failure([]))
    stderr = lines.index("stderr:")
    lines[stderr + 1 : stderr + 7] = [""]  # no stderr traceback
    failures = extract_failures(lines)
    assert [f.test for f in failures] == ["feature_shutdown.py"]
    assert failures[0].message == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert failures[0].location == f"{_BTC}/feature_shutdown.py:31"


def test_the_combined_node_log_does_not_replace_the_scripts_exception() -> None:
    node_log = [
        "\x1b[0;36m test  2019-08-03T02:11:30.790000Z TestFramework (ERROR): Unexpected "
        "exception \x1b[0m",
        "Traceback (most recent call last):",
        *_frame(f"{_ROOT}/feature_shutdown.py", 99, "run_test", "x()"),
        "ValueError: from the node log",
    ]
    failures = extract_failures(_plain(_shutdown_failure(node_log)))
    assert failures[0].message is not None
    assert failures[0].message.startswith("AssertionError: [node 0]")
    assert failures[0].location == f"{_BTC}/feature_shutdown.py:34"


# ---- tests that failed alike: the cause, not the same message seven times ------------------


def _fpm_failure(name: str, path: str, second: int) -> list[str]:
    return [
        "",
        "========DIFF========",
        "001+ ERROR: The NOTICE does not match expected message:",
        r"002+ - PATTERN: /^\[\d\d-\w\w\w-\d{4} \d\d:\d\d:\d\d\] NOTICE: fpm is running, pid \d+$/",
        f"003+ - MESSAGE: [13-May-2019 02:14:{second:02d}] ERROR: unable to bind listening "
        "socket for address '127.0.0.1:9008': Address already in use (98)",
        r"004+ - EXPECT: 'fpm is running, pid \d+'",
        "========DONE========",
        f"FAIL FPM: {name} [{path}] ",
    ]


def test_tests_failing_with_one_message_show_it_once_and_the_line_that_says_why() -> None:
    lines = ["TIME START 2019-05-13 01:59:45"]
    tests = [
        ("Pool prefix", "sapi/fpm/tests/pool-prefix.phpt"),
        ("Main invocation with prefix", "sapi/fpm/tests/main-global-prefix.phpt"),
        ("Process user setting ignored", "sapi/fpm/tests/proc-user-ignored.phpt"),
        ("Socket for invalid allowed client", "sapi/fpm/tests/socket-invalid-allowed-clients.phpt"),
        ("pm.start_servers missing", "sapi/fpm/tests/proc-no-start-server.phpt"),
        ("Function fastcgi_finish_request", "sapi/fpm/tests/fastcgi_finish_request_basic.phpt"),
    ]
    for second, (name, path) in enumerate(tests):
        lines += _fpm_failure(name, path, second)
    lines += [
        "=" * 69,
        "FAILED TEST SUMMARY",
        "-" * 69,
        *(f"FPM: {name} [{path}]" for name, path in tests),
        "=" * 69,
    ]
    d = diagnose(travis_job("./sapi/cli/php run-tests.php --show-diff", lines))
    assert d.category == "test_failure"
    assert d.failing_tests == [path for _, path in tests]
    texts = [" ".join(k.text.split()) for k in d.key_lines]
    assert len(texts) == len(set(texts))
    assert texts.count("001+ ERROR: The NOTICE does not match expected message:") == 1
    assert any("Address already in use (98)" in t for t in texts)
    assert "FAILED TEST SUMMARY" not in texts


def test_different_messages_of_failing_tests_are_all_kept() -> None:
    lines = [
        "========DIFF========",
        "001+ Deprecated: Implicit nullable types are deprecated",
        "========DONE========",
        "FAIL Bug #72294 pgsql dtor [ext/pdo_pgsql/tests/bug72294.phpt] ",
        "========DIFF========",
        "005+     Parameter #1 [ <optional> $flags ]",
        "========DONE========",
        "FAIL Bug#71412 ArrayIterator reflection [ext/spl/tests/bug71412.phpt] ",
    ]
    d = diagnose(travis_job("./sapi/cli/php run-tests.php --show-diff", lines))
    leads = [k.text for k in d.key_lines if k.rule == "failure"]
    assert len(leads) == 2


@pytest.mark.parametrize(
    ("heading", "score"),
    [
        ("FAILED TEST SUMMARY", 0),
        ("EXPECTED FAILED TEST SUMMARY", 0),
        ("===== ERROR REPORT =====", 0),
    ],
)
def test_a_reports_section_heading_is_not_an_error_line(heading: str, score: int) -> None:
    assert error_score(heading) == score


def test_the_c_librarys_reason_outscores_a_bare_error() -> None:
    cause = (
        "[13-May-2019 02:14:26] ERROR: unable to bind listening socket for address "
        "'127.0.0.1:9008': Address already in use (98)"
    )
    assert error_score(cause) > error_score(" ** ERROR: process timed out **")
    assert error_score(cause) > error_score("Tests failed    :    7 (  0.0%) (  0.0%)")
    # the words alone, without an error, say nothing
    assert error_score("echo: write error ignored; Broken pipe") > 0
    assert error_score("Broken pipe") == 0


# ---- git's test library ----------------------------------------------------------------------

_PROVE_REPORT = [
    "Test Summary Report",
    "-------------------",
    "t9806-git-p4-options.sh                          (Wstat: 256 Tests: 5 Failed: 1)",
    "  Failed test:  5",
    "  Non-zero exit status: 1",
    "Files=877, Tests=21633, 814 wallclock secs",
    "Result: FAIL",
]


def _verbose_log(before_not_ok: list[str]) -> list[str]:
    return [
        "------------------------------------------------------------------------",
        "test-results/t9806-git-p4-options.out...",
        "------------------------------------------------------------------------",
        "expecting success: ",
        '\tgit p4 clone --branch=refs/remotes/p4/sb --dest="$git" //depot',
        "",
        "ok 4 - clone --branch should checkout master",
        "+git p4 sync",
        "Performing incremental import into refs/remotes/p4/master git branch",
        *before_not_ok,
        "+eval_ret=1",
        "not ok 5 - sync when no master branch prints a nice error",
        "#\t",
        "#\t\ttest_when_finished cleanup_git &&",
    ]


@pytest.mark.parametrize(
    "says",
    [
        "test_must_fail: command succeeded: test -d /home/runner/build/git/git/t/trash "
        "directory.t9806-git-p4-options/git",
        "test_expect_code: command exited with 0, we wanted 1 git p4 sync",
        "test_line_count: line count for out != 3",
        "'err' is not empty, it contains:",
    ],
)
def test_git_test_librarys_own_line_is_the_failed_scripts_message(says: str) -> None:
    lines = [*_PROVE_REPORT, *_verbose_log(["+test_must_fail test -d git", says, "+return 1"])]
    d = diagnose(travis_job("ci/run-build-and-tests.sh", lines))
    assert d.category == "test_failure"
    assert d.failing_tests == ["t9806-git-p4-options.sh"]
    assert d.failures[0].message == says
    # the not ok line is still what the comment shows first
    assert d.key_lines[0].text == "not ok 5 - sync when no master branch prints a nice error"


def test_a_bare_exit_status_leaves_the_not_ok_line_as_the_message() -> None:
    lines = [*_PROVE_REPORT, *_verbose_log(["error: last command exited with $?=1"])]
    failures = extract_failures(lines)
    assert failures[0].message == "not ok 5 - sync when no master branch prints a nice error"


def test_a_helpers_line_from_a_passing_sub_test_is_not_the_failed_ones() -> None:
    # a test_expect_failure (known breakage) printed it; the TODO point resets it
    lines = [
        *_PROVE_REPORT,
        *_verbose_log(
            [
                "File expected.txt doesn't exist.",
                "not ok 4 - reports a missing file # TODO known breakage",
                "+git p4 sync",
            ]
        ),
    ]
    failures = extract_failures(lines)
    assert failures[0].message == "not ok 5 - sync when no master branch prints a nice error"
