# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batches 19-20, helper b19D1 (CI output pasted into GitHub issues): CTest's
failed-test list pasted without its header, SwiftPM's signal exit, actionlint's findings
and super-linter's verdict, the go command's missing tool, tar's missing decompressor, the
shell's syntax errors, the Actions runner's unresolved action, the Azure Pipelines agent's
worker log, and a monorepo runner's package prefix kept in the key lines.

Each snippet is in the shape the tool prints; the near misses keep what must not change.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_other import CTest
from bot.diagnose.logline import clean_line, package_prefix
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import fed, travis_one_command


def _paste(lines: list[str]) -> io.BytesIO:
    """Output pasted into an issue: no step framing, no runner exit line."""
    return io.BytesIO("".join(f"{line}\n" for line in lines).encode())


def _rules_of(text: str) -> list[str]:
    return [rule.id for rule in load_rules().match(text)]


def _texts(lines: list[str]) -> list[str]:
    return [k.text for k in diagnose(_paste(lines)).key_lines]


# ---- CTest's failed-test list without its header ----------------------------------------


def test_ctest_list_without_header_names_the_tests() -> None:
    ctest = fed(
        CTest(),
        [
            "\t 11 - Solver.Gears (Subprocess aborted)",
            "\t 12 - Solver.anglejoint (Subprocess aborted)",
            "\t 18 - Solver.piston (SEGFAULT)",
            "\t 20 - parser roundtrip (Failed)",
        ],
    )
    assert ctest.tests() == [
        "Solver.Gears",
        "Solver.anglejoint",
        "Solver.piston",
        "parser roundtrip",
    ]
    gears = ctest.failures()[0]
    assert gears.message == "11 - Solver.Gears (Subprocess aborted)"
    assert gears.line == 1


def test_ctest_list_pasted_alone_is_a_crash() -> None:
    got = diagnose(
        _paste(
            [
                "\t 11 - Solver.Gears (Subprocess aborted)",
                "\t 12 - Solver.anglejoint (Subprocess aborted)",
            ]
        )
    )
    assert got.category == "segfault"
    assert got.failing_tests == ["Solver.Gears", "Solver.anglejoint"]
    assert any("11 - Solver.Gears (Subprocess aborted)" in k.text for k in got.key_lines)
    assert _rules_of("  7 - name (Child aborted)") == ["abort-signal"]
    assert "segfault" in _rules_of("\t  3 - name (ILLEGAL)")


def test_ctest_list_near_misses_name_no_test() -> None:
    ctest = fed(
        CTest(),
        [
            "11 - Solver.Gears (Subprocess aborted)",  # no ctest margin: any numbered list
            "  1 - install the toolchain (optional)",  # not a ctest status
            "  2 - name (Disabled)",  # ctest lists it, but it did not fail
            "Step 3 - build (Failed)",
        ],
    )
    assert ctest.tests() == []
    assert _rules_of("  1 - install the toolchain (optional)") == []


def test_ctest_list_under_its_header_keeps_the_list_line_as_message() -> None:
    ctest = fed(CTest(), ["The following tests FAILED:", "\t  7 - parser_roundtrip (Failed)"])
    assert ctest.tests() == ["parser_roundtrip"]
    assert ctest.failures()[0].message == "7 - parser_roundtrip (Failed)"


# ---- SwiftPM: the test process died of a signal -----------------------------------------


def test_swiftpm_signal_exit_is_a_crash() -> None:
    got = diagnose(
        _paste(
            [
                "[62/63] Linking KonfidensProviderPackageTests",
                "Build complete! (51.53s)",
                "error: Exited with signal code 11",
                "Test Suite 'All tests' started at 2023-02-08 10:45:34.860",
            ]
        )
    )
    assert got.category == "segfault"
    assert got.summary == "error: Exited with signal code 11"
    assert "segfault" in _rules_of("error: Exited with unexpected signal code 5")
    assert "segfault" in _rules_of("error: Exited with signal code 4")


def test_swiftpm_kill_signal_is_not_a_crash() -> None:
    assert "segfault" not in _rules_of("error: Exited with signal code 9")
    assert "segfault" not in _rules_of("error: Exited with signal code 15")
    assert "segfault" not in _rules_of("Worker 42 exited with signal code 11 and restarted")


# ---- actionlint and super-linter --------------------------------------------------------


def test_actionlint_findings_under_super_linter_are_lint() -> None:
    lines = [
        "2021-08-27 20:45:30 [ERROR]   Found errors in [actionlint] linter!",
        "2021-08-27 20:45:30 [ERROR]   Error code: 1. Command output:",
        "------",
        ".github/workflows/release.yml:20:9: shellcheck reported issue in this script: SC2086:info:1:51: Double quote to prevent globbing and word splitting [shellcheck]",
        "   |",
        "20 |         run: |",
        "   |         ^~~~",
        "------",
    ]
    got = diagnose(_paste(lines))
    assert got.category == "lint"
    assert got.rule == "actionlint"
    texts = [k.text for k in got.key_lines]
    assert any("SC2086:info:1:51" in t for t in texts)
    assert any("Found errors in [actionlint] linter!" in t for t in texts)


def test_actionlint_shapes_and_near_misses() -> None:
    assert _rules_of(
        '.github/workflows/ci.yaml:5:3: unexpected key "jobz" for "workflow" section. expected one of "concurrency", "defaults" [syntax-check]'
    ) == ["actionlint"]
    assert "actionlint" in _rules_of(
        '.github/workflows/ci.yml:12:24: property "foo" is not defined in object type {} [expression]'
    )
    # yamllint's parsable format puts the level first and the rule in parentheses
    assert "actionlint" not in _rules_of(
        ".github/workflows/ci.yml:3:1: [error] wrong indentation (indentation)"
    )
    # a kind actionlint does not have
    assert "actionlint" not in _rules_of("config.yml:3:1: something happened [info]")
    assert _rules_of("[INFO]   Found errors in the cache, rebuilding") == []


# ---- the go command, tar, the shell -----------------------------------------------------


def test_go_command_missing_its_own_tool_is_a_build_failure() -> None:
    lines = [
        "2020-03-04T13:39:44.8520197Z ok  \tgithub.com/o/r/twxgravatar\t0.003s\tcoverage: 100.0% of statements",
        '2020-03-04T13:40:04.1470915Z go tool: no such tool "compile"',
        "2020-03-04T13:40:04.1471400Z ok  \tgithub.com/o/r/twxhttp\t0.003s\tcoverage: 100.0% of statements",
    ]
    got = diagnose(_paste(lines))
    assert got.category == "build"
    assert got.summary == 'go tool: no such tool "compile"'
    assert _rules_of('go: no such tool "vet"') == ["go-toolchain-broken"]
    assert "go-toolchain-broken" not in _rules_of('my-go tool: no such tool "x" (it said)')


def test_tar_without_its_decompressor_is_a_missing_program() -> None:
    lines = [
        " tar (child): xz: Cannot exec: No such file or directory",
        "tar (child): Error is not recoverable: exiting now",
        "/usr/bin/tar: Child returned status 2",
        "/usr/bin/tar: Error is not recoverable: exiting now",
        "Error: The process '/usr/bin/tar' failed with exit code 2",
    ]
    got = diagnose(_paste(lines))
    assert got.category == "dependency_install"
    texts = [k.text for k in got.key_lines]
    assert any("xz: Cannot exec: No such file or directory" in t for t in texts)
    assert any("The process '/usr/bin/tar' failed with exit code 2" in t for t in texts)
    assert "command-not-found" in _rules_of(
        "tar (child): zstd: Cannot exec: No such file or directory"
    )
    # the archive itself is missing: not a program
    assert "command-not-found" not in _rules_of(
        "tar (child): x.tar.xz: Cannot open: No such file or directory"
    )


def test_shell_syntax_error_in_the_step_script() -> None:
    lines = [
        "Run cd ./python",
        "  cd ./python",
        "  echo *** | docker login -u someone --password-stdin",
        "  shell: /usr/bin/bash -e {0}",
        "/home/runner/work/_temp/30d82465-db58-4fc4-8139-ed8d8f5762d6.sh: line 2: unexpected EOF while looking for matching `\"'",
        "Error: Process completed with exit code 2.",
    ]
    got = diagnose(_paste(lines))
    assert got.category == "build"
    assert got.rule == "shell-syntax-error"
    assert "shell-syntax-error" in _rules_of(
        "./ci.sh: line 14: syntax error near unexpected token `fi'"
    )
    assert "shell-syntax-error" in _rules_of(
        "./ci.sh: line 30: syntax error: unexpected end of file"
    )
    assert "shell-syntax-error" in _rules_of('sh: 3: Syntax error: "fi" unexpected')


def test_travis_eval_of_an_after_command_is_not_the_jobs_script() -> None:
    # Travis' own functions evaluating a broken after_failure command
    assert "shell-syntax-error" not in _rules_of(
        "/home/runner/.travis/functions: eval: line 104: unexpected EOF while looking for matching `''"
    )


# ---- the Actions runner cannot get an action --------------------------------------------


def test_action_that_cannot_be_downloaded_is_a_dependency() -> None:
    lines = [
        "Current runner version: '2.161.0'",
        "Prepare workflow directory",
        "Prepare all required actions",
        "Download action repository 'actions/docker@master'",
        "##[warning]Failed to download action 'https://api.github.com/repos/actions/docker/tarball/master'. Error Response status code does not indicate success: 404 (Not Found).",
        "##[warning]Back off 28.52 seconds before retry.",
        "##[error]Response status code does not indicate success: 404 (Not Found).",
    ]
    got = diagnose(_paste(lines))
    assert got.category == "dependency_install"
    assert any("Failed to download action" in k.text for k in got.key_lines)
    assert "actions-action-unresolved" in _rules_of(
        "Error: Unable to resolve action `actions/checkout@v7`, unable to find version `v7`"
    )
    assert "actions-action-unresolved" in _rules_of(
        "Error: Unable to resolve action `o/gone@main`, repository not found"
    )


def test_action_download_retried_on_a_server_error_is_not_a_missing_action() -> None:
    line = "##[warning]Failed to download action 'https://api.github.com/repos/actions/checkout/tarball/v4'. Error Response status code does not indicate success: 503 (Service Unavailable)."
    assert "actions-action-unresolved" not in _rules_of(line)


# ---- the Azure Pipelines agent's worker log ---------------------------------------------

_AGENT = [
    "[2020-12-04 09:53:11Z INFO StepsRunner] Cancel current running step.",
    "[2020-12-04 09:53:11Z INFO ProcessInvokerWrapper] Sending SIGINT to process 8440.",
    "[2020-12-04 09:53:11Z INFO ProcessInvokerWrapper] Exited process 8440 with exit code 130",
    "[2020-12-04 09:53:11Z INFO ProcessInvokerWrapper] Finished process 8440 with exit code 130, and elapsed time 00:59:36.3991497.",
    "[2020-12-04 09:53:11Z INFO ProcessInvokerWrapper] Exited process 8245 with exit code 137",
    "[2020-12-04 09:53:11Z INFO ProcessInvokerWrapper] Finished process 8245 with exit code 137, and elapsed time 00:59:52.8480423.",
]


def test_agent_cancellation_kill_is_not_the_oom_killer() -> None:
    lines = [
        *_AGENT,
        "[2020-12-04 09:53:11Z ERR  StepsRunner] Caught cancellation exception from step: System.OperationCanceledException: The operation was canceled.",
    ]
    got = diagnose(_paste(lines))
    assert got.category == "cancelled"
    texts = [k.text for k in got.key_lines]
    assert any("with exit code 130, and elapsed time 00:59:36" in t for t in texts)
    assert any("Caught cancellation exception from step" in t for t in texts)


def test_agent_step_timeout() -> None:
    lines = [
        *_AGENT,
        "[2020-12-04 09:53:11Z ERR  StepsRunner] Caught timeout exception from step: The operation was canceled.",
    ]
    assert diagnose(_paste(lines)).category == "timeout"


def test_agent_process_killed_without_a_cancellation_stays_oom() -> None:
    assert diagnose(_paste(_AGENT[4:])).category == "oom_killed"


# ---- a monorepo runner's package prefix in the key lines --------------------------------


def test_package_prefix_is_kept_in_key_lines() -> None:
    lines = [
        "@packages/net-stubbing: Killed",
        "@packages/net-stubbing: error Command failed with exit code 137.",
        "lerna ERR! yarn run build-prod exited 137 in '@packages/net-stubbing'",
        "",
        "Exited with code exit status 137",
    ]
    got = diagnose(_paste(lines))
    assert got.category == "oom_killed"
    assert "@packages/net-stubbing: Killed" in [k.text for k in got.key_lines]


def test_package_prefix_shapes() -> None:
    assert package_prefix("@scope/pkg: Killed") == "@scope/pkg: "
    assert package_prefix("2024-01-01T00:00:01.0000000Z web:build: error TS2304") == "web:build: "
    assert package_prefix("packages/app build: src/a.ts(3,1): error") == "packages/app build: "
    # a tool's own words, docker compose's service bar and HTML are not packages
    for line in ("Error: Cannot find module 'x'", "core: failed", "db-1  | FATAL", "<pre>x"):
        assert package_prefix(line) == ""
    assert clean_line("@scope/pkg: Killed") == "Killed"


def test_travis_key_lines_unchanged_without_a_prefix() -> None:
    job = travis_one_command("make", ["cc -c a.c", "Killed"], code=137)
    assert all(not k.text.startswith("@") for k in diagnose(job).key_lines)
