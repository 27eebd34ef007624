# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 28, helper d28A (pasted CI output): curl's HTTP 404 when the step ends
with curl's exit status 22, Groovy's ``startup failed:`` report, a mix compile error printed
inside captured output, a shell script's missing data path, OCurrent's ``BuildKit missing
output`` analysis, citgm's winston margin (``verbose: <module> npm-test:| ``), a shell's
``set -x`` trace naming the command that ran, Zig's stack frames (not lint findings) and
``zig build test`` as a test command.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import pytest

from bot.diagnose.fallback import _words
from bot.diagnose.logline import clean_line
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import TopLines
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids

RULES = load_rules()


# ---- rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("curl: (22) The requested URL returned error: 404 Not Found", "curl-http-not-found-exit"),
        ("curl: (22) The requested URL returned error: 410", "curl-http-not-found-exit"),
        (
            "perf.groovy: 112: The current scope already contains a variable of the name jobName",
            "groovy-startup-failed",
        ),
        ("WorkflowScript: 5: Expected a step @ line 5, column 13.", "groovy-startup-failed"),
        (
            "build file '/home/runner/work/p/p/build.gradle': 3: unexpected token: } @ line 3, column 1.",
            "groovy-startup-failed",
        ),
        (
            '    (stdlib 3.8.2.4) :io.put_chars(:standard_io, :unicode, ["\\n== Compilation error in file lib/has_error.ex ==\\n", ["** (MatchError) no match of right hand side value: {:error, :enoent}", 10]])',
            "mix-compile-error-quoted",
        ),
        (
            "Script-E3914A731DF919ED00EBB515.sh: line 2: ./logs/set_xcode_version.log: No such file or directory",
            "shell-data-path-missing",
        ),
        (
            "./ci/build.sh: line 14: out/report.json: No such file or directory",
            "shell-data-path-missing",
        ),
        ("sh: 2: cannot create ./logs/build.log: Directory nonexistent", "shell-data-path-missing"),
        ("2020-01-20 13:04.46: BuildKit missing output", "ocurrent-buildkit-missing-output"),
    ],
)
def test_tool_lines_match_their_rule(line: str, rule: str) -> None:
    assert rule in _ids(line)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # curl's other errors and other statuses
        ("curl: (22) The requested URL returned error: 403 Forbidden", "curl-http-not-found-exit"),
        ("curl: (6) Could not resolve host: deno.land", "curl-http-not-found-exit"),
        # a missing script or program stays command-not-found's
        ("./ci.sh: line 3: ./x.sh: No such file or directory", "shell-data-path-missing"),
        ("bash: line 1: jq: command not found", "shell-data-path-missing"),
        # a mix compile error printed as itself is beam-compile-error's
        ("== Compilation error in file lib/x.ex ==", "mix-compile-error-quoted"),
        ("BuildKit missing output was fixed in 0.7", "ocurrent-buildkit-missing-output"),
    ],
)
def test_near_misses_do_not_match(line: str, rule: str) -> None:
    assert rule not in _ids(line)


def test_shell_data_path_outranks_command_not_found() -> None:
    line = "./build.sh: line 2: ./logs/x.log: No such file or directory"
    matched = RULES.match(line)
    assert matched[0].id == "shell-data-path-missing"
    assert "command-not-found" in [r.id for r in matched]


# ---- jobs ------------------------------------------------------------------------------

_DOCKER_CURL = [
    "Step 13/17 : RUN curl -fsSL https://deno.land/x/install/install.sh | sh -s $DENO_VERSION",
    " ---> Running in 6291cfacf97e",
    "curl: (22) The requested URL returned error: 404 Not Found",
    "The command '/bin/sh -c curl -fsSL https://deno.land/x/install/install.sh | sh -s $DENO_VERSION' returned a non-zero code: 22",
]


def test_curl_404_that_ends_the_docker_build_is_dependency_install() -> None:
    diagnosis = _paste(_DOCKER_CURL)
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "curl-http-not-found-exit"


def test_curl_404_when_the_step_fails_otherwise_is_not_the_cause() -> None:
    # rvm: the prebuilt Ruby is not there (404), it compiles one; the build then fails
    lines = [
        "curl: (22) The requested URL returned error: 404 Not Found",
        "Required ruby-2.2.0 is not installed - installing.",
        "The command '/bin/sh -c make' returned a non-zero code: 2",
    ]
    diagnosis = _paste(lines)
    assert diagnosis.rule != "curl-http-not-found-exit"
    assert diagnosis.category == "build"


_GROOVY = [
    "ERROR: startup failed:",
    "12:09:30 perf.groovy: 112: The current scope already contains a variable of the name jobName",
    "12:09:30  @ line 112, column 21.",
    '12:09:30                    def jobName = "coreclr_perf_${os}_${arch}"',
    "12:09:30                        ^",
    "12:09:30 ",
    "12:09:30 perf.groovy: 113: The current scope already contains a variable of the name newJob",
    "12:09:30  @ line 113, column 21.",
    "12:09:30 ",
    "12:09:30 2 errors",
]


def test_groovy_startup_failed_is_build_with_each_error() -> None:
    diagnosis = _paste(_GROOVY)
    assert diagnosis.category == "build"
    texts = [k.text for k in diagnosis.key_lines]
    assert any("perf.groovy: 112:" in t for t in texts)
    assert any("perf.groovy: 113:" in t for t in texts)


def test_source_line_shapes_without_the_groovy_banner_are_not_groovy() -> None:
    lines = ["config.txt: 12: value out of range", "Process completed with exit code 1."]
    assert _paste(lines).rule != "groovy-startup-failed"


def test_buildkit_missing_output_analysis_is_infra_runner() -> None:
    lines = [
        "failed to solve with frontend dockerfile.v0: failed to build LLB: executor failed running [/bin/sh -c opam install --dry-run]: runc did not terminate sucessfully",
        "2020-01-20 13:04.46: Job failed: Docker build exited with status 1",
        "2020-01-20 13:04.46: Log analysis:",
        "2020-01-20 13:04.46: BuildKit missing output",
    ]
    diagnosis = _paste(lines)
    assert diagnosis.category == "infra_runner"


# ---- citgm's margin --------------------------------------------------------------------


def test_citgm_margin_is_cleaned_off() -> None:
    assert (
        clean_line(
            "verbose: ba45362a42bc3d0fe9a54f1f47a7129f08bc9f4f npm-test:| not ok 7 - Checking report"
        )
        == "not ok 7 - Checking report"
    )
    assert (
        clean_line("verbose: lodash npm-test:       | > lodash@4.17.21 test")
        == "> lodash@4.17.21 test"
    )
    assert (
        clean_line("verbose:                                                   | found: >-")
        == "found: >-"
    )


@pytest.mark.parametrize(
    "line",
    [
        "error: pathspec | not matched",
        "info: see https://x | y",
        "verbose: | short",
    ],
)
def test_other_level_lines_keep_their_text(line: str) -> None:
    assert clean_line(line) == line


def test_citgm_tap_failure_is_a_test_failure_not_the_report_it_checks() -> None:
    lines = [
        "verbose: ba45362a42bc3d0fe9a54f1f47a7129f08bc9f4f npm-test:| not ok 7 - Checking report contains expected command line",
        "verbose: ba45362a42bc3d0fe9a54f1f47a7129f08bc9f4f npm-test:| ---",
        "verbose:                                                   | found: >-",
        'verbose:                                                   | Event: Allocation failed - process out of memory, location: "Scavenger:',
        "verbose:",
    ]
    diagnosis = _paste(lines)
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["Checking report contains expected command line"]


# ---- set -x traces and Zig --------------------------------------------------------------


def test_xtrace_names_the_command_that_ran() -> None:
    top = TopLines()
    top.offer(1, "++ pwd")
    top.offer(2, "+ stage3/bin/zig build test docs -Dskip-non-native")
    assert top.prompted == "stage3/bin/zig build test docs -Dskip-non-native"


@pytest.mark.parametrize("line", ["+++ b/src/x.c", "+ 1 passing", "+  - item"])
def test_other_plus_lines_name_no_command(line: str) -> None:
    top = TopLines()
    top.offer(1, line)
    assert top.prompted is None


def test_zig_commands_are_test_commands() -> None:
    assert RULES.command_category("zig build test -Doptimize=ReleaseSafe") == "test_failure"
    assert RULES.command_category("zig test src/main.zig") == "test_failure"
    assert RULES.command_category("zig build -Doptimize=ReleaseSafe") is None


def test_zig_stack_frame_is_no_lint_finding() -> None:
    frame = "/Users/runner/work/zig/zig/build/stage3/lib/zig/std/os.zig:5559:40: 0x10d7c09d9 in unexpectedErrno (build)"
    assert _words(RULES, frame) is None
    # a linter's finding with its rule id in parentheses still is one
    assert _words(RULES, "src/app.js:3:1: Unexpected var (no-var)") == "lint"


def test_zig_build_test_failure_under_a_trace_is_a_test_failure() -> None:
    lines = [
        "2023-03-26T10:18:27.6791210Z ++ pwd",
        "2023-03-26T10:18:27.6795520Z + stage3/bin/zig build test docs --zig-lib-dir /Users/runner/work/zig/zig/build/../lib -Dskip-non-native",
        "2023-03-26T10:48:13.6580930Z zig build test: error: run test: error: unexpected errno: 22",
        "2023-03-26T10:48:13.6589520Z /Users/runner/work/zig/zig/build/stage3/lib/zig/std/debug.zig:561:19: 0x10d819f48 in writeCurrentStackTrace__anon_12364 (build)",
        "2023-03-26T10:48:13.6615640Z     while (it.next()) |return_address| {",
        "2023-03-26T10:48:13.7187300Z /Users/runner/work/zig/zig/build/stage3/lib/zig/std/os.zig:5559:40: 0x10d7c09d9 in unexpectedErrno (build)",
    ]
    diagnosis = _paste(lines)
    assert diagnosis.category == "test_failure"
    assert "unexpected errno: 22" in diagnosis.key_lines[0].text


def test_conan_install_is_a_dependency_install_command() -> None:
    assert RULES.command_category("conan install . --build=missing -s build_type=Release") == (
        "dependency_install"
    )
    assert RULES.command_category("conan create . --build=missing") is None
