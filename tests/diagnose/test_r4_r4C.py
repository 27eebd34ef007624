# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Round 4, helper r4C: the category the engine names with no rule (``fallback.py`` and the
``top is None`` branch of ``verdict.judge``).

Every case is a paste (a tool's output alone, no step framing) diagnosed with every shipped
rule off, so what is measured is the rule-free mechanism: suites that could not even load
are a build with no failing test (as the rule branch already said); the command npm quotes
on its verdict (npm 1-2's ``Failed at the … script '<cmd>'``, npm 7+'s ``command sh -c
<cmd>``) names the check that failed; a CI system that stopped a step at its time limit is a
timeout; make's own error on a target that names no test or check is a build, the weakest
guess. Near misses keep what they were.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.fallback import distinct_best
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import TopLines
from tests.diagnose.joblogs import travis_one_command

NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _diagnose(*lines: str):  # type: ignore[no-untyped-def]
    return diagnose(io.BytesIO("".join(f"{x}\n" for x in lines).encode()), rules=NO_RULES)


def _paste(*lines: str) -> str:
    """The category of a paste of ``lines`` with every rule off."""
    return _diagnose(*lines).category


# ---- suites that could not even load ---------------------------------------------------

JEST_UNLOADED = (
    " FAIL  src/components/App/App.test.js",
    "  ● Test suite failed to run",
    "",
    "    Cannot find module './App.css' from 'App.js'",
    "",
    "      at Resolver.resolveModule (node_modules/jest-resolve/build/index.js:221:17)",
    "",
    " FAIL  src/components/Card/Card.test.js",
    "  ● Test suite failed to run",
    "",
    "    Cannot find module './Card.css' from 'Card.js'",
    "",
    "Test Suites: 2 failed, 2 total",
    "Tests:       0 total",
    "Snapshots:   0 total",
    "Time:        1.02s",
)

PYTEST_UNLOADED = (
    "==================================== ERRORS ====================================",
    "___________________ ERROR collecting tests/test_report.py ____________________",
    "ImportError while importing test module '/home/runner/work/calc/calc/tests/test_report.py'.",
    "Hint: make sure your test modules/packages have valid Python names.",
    "Traceback:",
    "tests/test_report.py:1: in <module>",
    "    from calc import render_report",
    "E   ImportError: cannot import name 'render_report' from 'calc'",
    "=========================== short test summary info ============================",
    "ERROR tests/test_report.py",
    "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
    "1 error in 0.12s",
)


@pytest.mark.parametrize("lines", [JEST_UNLOADED, PYTEST_UNLOADED])
def test_suites_that_never_loaded_are_a_build_with_no_failing_test(lines: tuple[str, ...]) -> None:
    d = _diagnose(*lines)
    assert (d.category, d.failing_tests) == ("build", [])


def test_near_miss_a_jest_suite_whose_test_failed_is_a_failing_test() -> None:
    d = _diagnose(
        " FAIL  src/sum.test.js",
        "  ● sum › adds two numbers",
        "",
        "    expect(received).toBe(expected) // Object.is equality",
        "",
        "    Expected: 4",
        "    Received: 5",
        "",
        "Test Suites: 1 failed, 1 total",
        "Tests:       1 failed, 1 total",
    )
    assert d.category == "test_failure"
    assert d.failing_tests


# ---- the command npm quotes on its verdict ---------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        (
            "npm ERR! Exit status 1",
            "npm ERR! ",
            "npm ERR! Failed at the site@4.2.2 test-style script 'eslint lib/*.js main.js'.",
            "npm ERR! This is most likely a problem with the site package,",
        ),
        (
            "npm ERR! Lifecycle script `lint` failed with error: ",
            "npm ERR! Error: command failed ",
            "npm ERR!   in workspace: @octo/core@1.0.0 ",
            "npm ERR!   at location: /home/runner/work/octo/octo/packages/core ",
            "npm ERR! command failed",
            "npm ERR! command sh -c eslint src",
        ),
    ],
)
def test_the_command_npm_quotes_names_the_check_that_failed(lines: tuple[str, ...]) -> None:
    assert _paste(*lines) == "lint"


def test_near_miss_npm_naming_only_its_script_quotes_no_command() -> None:
    got = _diagnose(
        "npm ERR! code ELIFECYCLE",
        "npm ERR! errno 1",
        "npm ERR! Failed at the site@4.2.2 lint script.",
    )
    # no evidence names lint: at most the last-resort guess reads the script's name
    assert got.category != "lint" or got.guess is not None


# ---- a CI system that stopped a step at its time limit ---------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "##[error]The action 'Run e2e' has timed out after 15 minutes.",
        "##[error]The job running on agent Hosted Agent ran longer than the maximum time of 60 minutes. For more information, see https://go.microsoft.com/fwlink/?linkid=2077134",
        "ERROR: Job failed: execution took longer than 1h0m0s seconds",
    ],
)
def test_a_step_stopped_at_its_time_limit_is_a_timeout(line: str) -> None:
    assert _paste("Running e2e suite...", line) == "timeout"


@pytest.mark.parametrize(
    "line",
    [
        "curl: (28) Connection timed out after 10001 milliseconds",
        "fatal: unable to access 'https://github.com/octo/dep.git/': Failed to connect to github.com port 443 after 130001 ms: Connection timed out",
    ],
)
def test_near_miss_a_connection_that_timed_out_is_the_network(line: str) -> None:
    assert _paste("Downloading...", line) == "infra_network"


# ---- make's own error: the weakest guess -----------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        (
            "gcc -c -o obj/main.o src/main.c",
            "make[2]: *** [obj/x86_64-unknown-linux-gnu/opt/smp/PROFILE] Error 1",
            "make[1]: *** [opt] Error 2",
            "make: *** [all] Error 2",
        ),
        (
            "process_begin: CreateProcess(NULL, fc_script map.lua, ...) failed.",
            "mingw32-make[2]: *** [CMakeFiles\\fc_script.dir\\build.make:148: fc_script.exe] Error 216",
            "mingw32-make: *** [Makefile:135: all] Error 2",
        ),
    ],
)
def test_make_building_a_target_that_names_no_check_is_a_build(lines: tuple[str, ...]) -> None:
    assert _paste(*lines) == "build"


def test_near_miss_make_running_a_test_target_is_not_called_a_build() -> None:
    assert (
        _paste("Makefile:2: recipe for target 'test' failed", "make: *** [test] Error 1") != "build"
    )


def test_near_miss_make_running_a_check_target_names_the_check() -> None:
    assert _paste("make: *** [Makefile:12: lint] Error 2") == "lint"


# ---- the network, in one more phrasing ------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        '  signal(error ("Could not create connection to elpa.gnu.org:443"))',
        "error: unable to establish connection to registry.example.org:443",
    ],
)
def test_a_connection_that_could_not_be_made_is_the_network(line: str) -> None:
    assert _paste("Refreshing package archives...", line) == "infra_network"


def test_near_miss_a_listed_link_that_could_not_be_reached_is_no_network() -> None:
    """No evidence names the network: the fallback's network words do not read a link
    checker's list entry. (The last-resort guess may still read "connection" in it; a guess
    is marked as one and never offers a re-run.)"""
    got = _diagnose(
        "  2. https://elpa.example.org/ Could not create connection to elpa.example.org"
    )
    assert got.category != "infra_network" or got.guess is not None
    assert not got.retryable


# ---- a line offered twice is read once --------------------------------------------------


def test_a_line_kept_twice_takes_one_place_among_the_best() -> None:
    generic = TopLines()
    generic.offer(9, "error: the tail's line, offered again at the step's end")
    generic.offer(9, "error: the tail's line, offered again at the step's end")
    generic.offer(4, "fatal: the line below it")
    assert sorted(n for n, _ in distinct_best(generic, 2)) == [4, 9]


# ---- a crash, a kill and a full disk under the tests charged ---------------------------


@pytest.mark.parametrize(
    "line",
    [
        "==20632== ERROR: AddressSanitizer: heap-use-after-free on address 0x607200043918 at pc 0x8a48bf bp 0x7ffea265c870 sp 0x7ffea265c868",
        "3/3 Test #3: test_crash .......................***Exception: SegFault  0.01sec",
        "\t 11 - OndselSolver.Gears (Subprocess aborted)",
    ],
)
def test_a_process_a_signal_ended_is_a_crash(line: str) -> None:
    assert _paste("Running tests...", line) == "segfault"


def test_near_miss_a_test_that_failed_with_an_exception_is_no_crash() -> None:
    assert _paste("3/3 Test #3: test_parse .......................***Failed  0.01sec") != "segfault"


def test_a_worker_sigkill_ended_is_the_oom_killer() -> None:
    assert (
        _paste(
            " FAIL  ./b.test.js",
            "  ● Test suite failed to run",
            "",
            "    A jest worker process (pid=23157) was terminated by another process: signal=SIGKILL, exitCode=null. Operating system logs may contain more information on why this occurred.",
            "",
            "Test Suites: 1 failed, 2 passed, 3 total",
        )
        == "oom_killed"
    )


PYTEST_ENOSPC = (
    "=================================== FAILURES ===================================",
    "______________________________ test_export_large _______________________________",
    "",
    "    def test_export_large(tmp_path):",
    '>       (tmp_path / "big.bin").write_bytes(b"0" * 10**9)',
    "E       OSError: [Errno 28] No space left on device",
    "",
    "tests/test_export.py:9: OSError",
    "=========================== short test summary info ============================",
    "FAILED tests/test_export.py::test_export_large - OSError: [Errno 28] No space left on device",
    "1 failed, 1 passed in 0.01s",
)


def test_tests_that_mostly_failed_on_a_full_disk_are_the_disk() -> None:
    d = _diagnose(*PYTEST_ENOSPC)
    assert d.category == "disk_full"
    assert d.failing_tests == ["tests/test_export.py::test_export_large"]


def test_near_miss_a_test_that_failed_on_its_own_assertion_stays_a_failing_test() -> None:
    lines = [
        x.replace("OSError: [Errno 28] No space left on device", "assert 3 == 4")
        for x in PYTEST_ENOSPC
    ]
    assert _paste(*lines) == "test_failure"


def test_tests_that_mostly_failed_at_the_harness_time_limit_are_a_timeout() -> None:
    d = _diagnose(
        " FAIL  ./wait.test.js",
        "  ● queue › waits for the queue to drain",
        "",
        '    thrown: "Exceeded timeout of 200 ms for a test.',
        '    Add a timeout value to this test to increase the timeout, if this is a long-running test. See https://jestjs.io/docs/api#testname-fn-timeout."',
        "",
        "      3 | test('waits for the queue to drain', async () => {",
        "",
        "Test Suites: 1 failed, 1 total",
        "Tests:       1 failed, 1 passed, 2 total",
    )
    assert d.category == "timeout"
    assert d.failing_tests == ["queue › waits for the queue to drain"]


# ---- the machine that ran the job went away --------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.",
        "The self-hosted runner: 04922ab0a5cde170c99dee4153a188a070226aa0 lost communication with the server. Verify the machine is running and has a healthy network connection. Anything in your workflow that terminates the runner process, starves it for CPU/Memory, or blocks its network access can cause this error.",
        "##[error]We stopped hearing from agent Hosted Agent. Verify the agent machine is running and has a healthy network connection.",
        "ERROR: Job failed (system failure): prepare environment: waiting for pod running: timed out waiting for pod to start",
    ],
)
def test_a_runner_that_went_away_is_the_runner(line: str) -> None:
    assert _paste("Running build...", line) == "infra_runner"


def test_near_miss_a_job_that_failed_in_its_script_is_no_runner_failure() -> None:
    assert _paste("ERROR: Job failed: exit code 1") != "infra_runner"


# ---- an expectation's matcher is a failed assertion ------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        (
            "Error: expect(locator).toBeVisible() failed",
            "",
            "Locator: getByRole('button', { name: 'Save' })",
            "Expected: visible",
            "Received: <element(s) not found>",
        ),
        (
            "error: expect(received).toBe(expected)",
            "Expected: 4",
            "Received: 5",
        ),
    ],
)
def test_an_expectations_matcher_is_a_failing_test(lines: tuple[str, ...]) -> None:
    assert _paste(*lines) == "test_failure"


def test_near_miss_a_matcher_named_in_prose_is_no_failed_assertion() -> None:
    assert _paste("error: the expect module could not be loaded") != "test_failure"


def test_a_job_stopped_at_its_time_limit_is_a_timeout_whatever_ran() -> None:
    log = travis_one_command(
        "make integration",
        [
            "Running integration suite...",
            "##[error]The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 30 minutes.",
        ],
    )
    assert diagnose(log, rules=NO_RULES).category == "timeout"


# ---- a command run under ``timeout`` is only what ran ----------------------------------


def test_a_compile_error_under_a_timeout_wrapper_is_a_build() -> None:
    log = travis_one_command(
        "timeout 35m ci/build.sh",
        [
            "src/Language/Parser.hs:60:64: error:",
            "    • Variable not in scope: doesPathExist :: [Char] -> IO Bool",
            "cabal: Failed to build purescript-0.13.3.",
        ],
    )
    assert diagnose(log, rules=NO_RULES).category == "build"


def test_near_miss_a_timeout_wrapper_with_nothing_said_is_a_timeout() -> None:
    log = travis_one_command("timeout 35m ci/build.sh", ["Building purescript-0.13.3..."])
    assert diagnose(log, rules=NO_RULES).category == "timeout"


# ---- a package the build or the installer could not find -------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        (
            "CMake Error at CMakeLists.txt:17 (find_package):",
            "  Found package configuration file: /usr/lib/cmake/Imath/ImathConfig.cmake",
            '  but it set Imath_FOUND to FALSE so package "Imath" is considered to be NOT FOUND.',
        ),
        (
            "ERROR:  Error installing bundler:",
            "\tThe last version of bundler (>= 0) to support your Ruby & RubyGems was 2.4.22.",
        ),
        (
            "/opt/ruby/lib/ruby/2.6.0/rubygems.rb:283:in `find_spec_for_exe': Could not find 'bundler' (2.0.2) required by your /w/Gemfile.lock. (Gem::GemNotFoundException)",
        ),
    ],
)
def test_a_package_that_could_not_be_found_or_installed_is_the_install(
    lines: tuple[str, ...],
) -> None:
    assert _paste(*lines) == "dependency_install"


def test_near_miss_cmake_failing_in_another_command_is_no_install() -> None:
    assert (
        _paste(
            "CMake Error at CMakeLists.txt:40 (add_executable):",
            "  Cannot find source file: src/main.cpp",
        )
        != "dependency_install"
    )
