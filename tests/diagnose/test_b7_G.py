# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 7, collection G (whole Travis CI job logs of Elixir, Erlang, Haskell,
Objective-C, R, Lua and PowerShell projects): Travis CI's own command framing (``$ cmd`` …
``The command "cmd" exited with N.``), macOS lines ending in two CRs, SwiftLint's
violations and Elixir's uncaught ``** (throw)`` line.

Each snippet is written in the shape Travis and the tool print (colour codes and all) and
asserts what a maintainer would name as the cause.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_other import Testthat as RTestthat
from bot.diagnose.logreader import LogReader
from bot.diagnose.scorer import error_score

ESC = "\x1b"


def _start(tid: str, command: str, fold: str = "") -> str:
    prefix = f"travis_fold:start:{fold}{ESC}[0K" if fold else ""
    return f"{prefix}travis_time:start:{tid}{ESC}[0K$ {command}"


def _exit(tid: str, command: str, code: int) -> str:
    colour = "31;1" if code else "32;1"
    return (
        f"travis_time:end:{tid}:start=1,finish=2,duration=1{ESC}[0K"
        f'{ESC}[{colour}mThe command "{command}" exited with {code}.{ESC}[0m'
    )


def _travis(lines: list[str], eol: str = "\n") -> io.BytesIO:
    head = [
        f"travis_fold:start:worker_info{ESC}[0K{ESC}[33;1mWorker information{ESC}[0m",
        "hostname: travis-job-1",
        f"travis_fold:end:worker_info{ESC}[0K",
    ]
    tail = ["", "Done. Your build exited with 1."]
    return io.BytesIO("".join(f"{line}{eol}" for line in [*head, *lines, *tail]).encode())


# an install phase full of the noise a Travis job prints before the script runs
INSTALL = [
    _start("0a1", "sudo apt-get -qq update", "before_install.1"),
    "W: Failed to fetch http://ppa.launchpad.net/x/ubuntu/dists/trusty/main/binary-amd64/Packages  404  Not Found",
    "E: Some index files failed to download. They have been ignored, or old ones used instead.",
    f"travis_time:end:0a1:start=1,finish=2,duration=1{ESC}[0Ktravis_fold:end:before_install.1{ESC}[0K",
]


def test_travis_failing_command_is_the_step_and_install_noise_stays_out() -> None:
    lines = [
        *INSTALL,
        _start("0b2", "make compile"),
        "error_handler.ex compiled",
        _exit("0b2", "make compile", 0),
        _start("0c3", "./build.sh verify-swiftlint"),
        "Loading configuration from '.swiftlint.yml'",
        "/Users/travis/build/o/r/Sources/A.swift:156:13: warning: Redundant Discardable Let Violation: Prefer `_ = foo()` over `let _ = foo()` when discarding a result from a function. (redundant_discardable_let)",
        _exit("0c3", "./build.sh verify-swiftlint", 3),
    ]
    result = diagnose(_travis(lines))
    assert result.category == "lint"
    assert result.failing_step is None  # Travis has no steps to link to
    texts = [k.text for k in result.key_lines]
    assert any("Redundant Discardable Let Violation" in t for t in texts)
    assert not any("Failed to fetch" in t or "index files" in t for t in texts)
    assert [s["title"] for s in result.failed_steps] == ["Run ./build.sh verify-swiftlint"]
    assert result.failed_steps[0]["exit_code"] == 3


def test_travis_macos_lines_with_two_crs() -> None:
    """macOS jobs end lines in ``\\r\\r\\n`` and put a CR before ``$ cmd``: the command
    still starts a step and a ``$``-anchored pattern still sees its line."""
    lines = [
        f"travis_time:start:0d4\r{ESC}[0K$ ./build.sh verify-swiftlint",
        "/Users/travis/build/o/r/Sources/B.swift:88:42: warning: Colon Violation: Colons should be next to the identifier when specifying a type and next to the key in dictionary literals. (colon)",
        f'travis_time:end:0d4:start=1,finish=2,duration=1\r{ESC}[0K{ESC}[31;1mThe command "./build.sh verify-swiftlint" exited with 3.{ESC}[0m',
    ]
    reader = LogReader()
    for _ in reader.lines(_travis(lines, eol="\r\r\n")):
        pass
    assert [(s.title, s.exit_code) for s in reader.steps if s.kind == "travis"] == [
        ("Run ./build.sh verify-swiftlint", 3)
    ]
    result = diagnose(_travis(lines, eol="\r\r\n"))
    assert result.category == "lint"
    assert any("Colon Violation" in k.text for k in result.key_lines)


def test_travis_multi_line_command_and_failed_during_phase() -> None:
    lines = [
        _start("0e5", 'case "$BUILD" in'),
        "  cabal) cabal test ;;",
        "esac",
        "Test suite test-x: FAIL",
        f'travis_time:end:0e5:start=1,finish=2,duration=1{ESC}[0K{ESC}[31;1mThe command "case "$BUILD" in',
        "  cabal) cabal test ;;",
        "esac",
        f'" exited with 1.{ESC}[0m',
    ]
    reader = LogReader()
    for _ in reader.lines(_travis(lines)):
        pass
    assert [s.exit_code for s in reader.steps if s.kind == "travis"] == [1]
    lines = [
        _start("0f6", "sudo apt-get install -y libfoo", "install"),
        "E: Unable to locate package libfoo",
        f'travis_time:end:0f6:start=1,finish=2,duration=1{ESC}[0K{ESC}[31;1mThe command "sudo apt-get install -y libfoo" failed and exited with 100 during .{ESC}[0m',
    ]
    reader = LogReader()
    for _ in reader.lines(_travis(lines)):
        pass
    assert [s.exit_code for s in reader.steps if s.kind == "travis"] == [100]


def test_travis_first_failing_command_is_the_cause() -> None:
    """Travis runs every script command even after one failed: the image that did not
    build makes every later ``docker run`` fail too."""
    lines = [
        _start("1a1", 'docker build -t "$name:current" .'),
        "Step 6/18 : RUN cabal update",
        "Downloading the latest package list from hackage.haskell.org",
        "<socket: 10>: hGetBufSome: resource vanished (Connection reset by peer)",
        "The command '/bin/sh -c cabal update' returned a non-zero code: 1",
        _exit("1a1", 'docker build -t "$name:current" .', 1),
        _start("1b2", 'docker run "$name:current" --version'),
        "Unable to find image 'koalaman/shellcheck:current' locally",
        "docker: Error response from daemon: manifest for koalaman/shellcheck:current not found.",
        _exit("1b2", 'docker run "$name:current" --version', 125),
        _start("1c3", "./shellcheck myscript"),
        "/home/runner/.travis/functions: line 104: ./shellcheck: No such file or directory",
        _exit("1c3", "./shellcheck myscript", 127),
    ]
    result = diagnose(_travis(lines))
    assert result.category == "infra_network"
    assert any("hGetBufSome: resource vanished" in k.text for k in result.key_lines)
    assert [s["cause"] for s in result.failed_steps] == [True, False, False]


def test_travis_after_failure_output_joins_the_failed_command() -> None:
    lines = [
        _start("2a1", "make test"),
        "make: *** [test] Error 1",
        _exit("2a1", "make test", 2),
        _start("2b2", "cat logs/test.log", "after_failure"),
        "not ok 13 - parse output",
        f"travis_time:end:2b2:start=1,finish=2,duration=1{ESC}[0Ktravis_fold:end:after_failure{ESC}[0K",
    ]
    reader = LogReader()
    seen = {line.text: line.step for line in reader.lines(_travis(lines))}
    failed = next(s for s in reader.steps if s.exit_code == 2)
    assert seen["not ok 13 - parse output"] == failed.number


def test_travis_unreported_install_failure_is_the_cause() -> None:
    """An install command is multi-line and its last line succeeds: Travis prints no exit
    line, and the later script command fails for want of what the clone would have made."""
    lines = [
        _start("3a1", 'git config --global user.email "you@example.com"', "install"),
        "  git clone --depth 1 https://github.com/vim/vim",
        "  cd vim && ./configure && make",
        "Cloning into 'vim'...",
        "fatal: unable to access 'https://github.com/vim/vim/': Empty reply from server",
        "/home/runner/.travis/job_stages: line 134: cd: vim: No such file or directory",
        "make: *** No targets specified and no makefile found.  Stop.",
        f"travis_time:end:3a1:start=1,finish=2,duration=1{ESC}[0Ktravis_fold:end:install{ESC}[0K",
        _start("3b2", "test/run !"),
        "/home/runner/.travis/job_stages: line 104: test/run: No such file or directory",
        _exit("3b2", "test/run !", 127),
    ]
    result = diagnose(_travis(lines))
    assert result.category == "infra_network"
    assert any("Empty reply from server" in k.text for k in result.key_lines)


def test_actions_log_printing_travis_markers_keeps_its_steps() -> None:
    text = "".join(
        f"2024-01-01T00:00:0{i}.0000000Z {line}\n"
        for i, line in enumerate(
            [
                "##[group]Run ./ci.sh",
                "./ci.sh",
                "##[endgroup]",
                "travis_time:start:0a1$ make test",
                "FAIL: test_one",
                "##[error]Process completed with exit code 1.",
            ]
        )
    )
    result = diagnose(io.BytesIO(text.encode()))
    assert result.failing_step == "Run ./ci.sh"


def test_elixir_uncaught_throw_is_error_like() -> None:
    assert (
        error_score('** (throw) "Words not in order \\"thumbor_client\\" and \\"thumbnex\\""') >= 6
    )
    assert error_score("** (Mix) Could not find a Mix.Project") >= 6
    assert error_score("** Running checks") == 0


def test_testthat_2_check_output_and_summary() -> None:
    """``R CMD check`` re-prints the last lines of testthat 2.x: the failure header is cut
    at the console's width, the summary line carries the location."""
    t = RTestthat()
    lines = [
        "* checking tests ...",
        "  Running ‘test-all.R’ [10s/15s]",
        " ERROR",
        "  ── 1. Failure: All man pages have an entry in staticdocs/index.r (@test-staticdo",
        "  length(unknown) not equal to 0.",
        "  1/1 mismatches",
        "  ══ testthat results  ═══════════════════════════════════════════════════════════",
        "  [ OK: 796 | SKIPPED: 0 | WARNINGS: 0 | FAILED: 1 ]",
        "  1. Failure: All man pages have an entry in staticdocs/index.r (@test-staticdocs.R#47) ",
        "  Error: testthat unit tests failed",
    ]
    for number, line in enumerate(lines, 1):
        t.feed(line, number)
    assert [(f.test, f.message, f.location) for f in t.failures()] == [
        (
            "All man pages have an entry in staticdocs/index.r",
            "length(unknown) not equal to 0.",
            "test-staticdocs.R:47",
        )
    ]


def test_testthat_3_and_1_headers() -> None:
    t = RTestthat()
    lines = [
        "── Failure (test-math.R:12:3): adds numbers ────────────────────────────────────",
        "add(1, 1) (`actual`) not equal to 3 (`expected`).",
        "── Error (test-io.R:4:1): reads the file ───────────────────────────────────────",
        "Error in `file()`: cannot open the connection",
        "1. Error: parses input (@test-parse.R#8) ---------------------------------------",
        'could not find function "parse_it"',
    ]
    for number, line in enumerate(lines, 1):
        t.feed(line, number)
    assert [(f.test, f.message, f.location) for f in t.failures()] == [
        ("adds numbers", "add(1, 1) (`actual`) not equal to 3 (`expected`).", "test-math.R:12"),
        ("reads the file", "Error in `file()`: cannot open the connection", "test-io.R:4"),
        ("parses input", 'could not find function "parse_it"', "test-parse.R:8"),
    ]


def test_r_test_file_that_does_not_parse_is_a_build_failure() -> None:
    lines = [
        _start("4a1", "./travis-tool.sh run_tests"),
        "* checking tests ...",
        "  Running ‘testthat.R’",
        " ERROR",
        "Running the tests in ‘tests/testthat.R’ failed.",
        '  > test_check("AnomalyDetection")',
        "  Error in parse(text = lines, n = -1, srcfile = srcfile) : ",
        "    test-ts.R:4:1: unexpected '<'",
        "  3: ",
        "  4: <",
        "     ^",
        "  Execution halted",
        _exit("4a1", "./travis-tool.sh run_tests", 1),
    ]
    result = diagnose(_travis(lines))
    assert result.category == "build"
    assert any("test-ts.R:4:1: unexpected '<'" in k.text for k in result.key_lines)
