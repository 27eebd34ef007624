# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 30, helper d30B (pasted CI output): an action's ``@actions/exec`` echo
as the command that failed, the line that announced what was being done above a bare
error, Windows crash exit codes, a pasted ``Run <linter>`` over shared static-check words,
a wrapper's quoted command, pip's legacy ``setup.py install`` failure, a project manifest
not found, a program that could not be started, and a tool's own internal error.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.logline import clean_line
from bot.diagnose.rules import load_rules
from bot.diagnose.shellwords import exec_echoed
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            "    Running setup.py install for setuptools-scm: finished with status 'error'",
            "pip-setup-py-failed",
        ),
        ("    Running setup.py install for psycopg2 ... error", "pip-setup-py-failed"),
        (
            'Command "python setup.py egg_info" failed with error code 1 in /home/runner/work/_temp/pip-build-x7k2/pycrypto/',
            "pip-setup-py-failed",
        ),
        (
            "ERROR: Command errored out with exit status 1: /usr/bin/python3 -u -c 'import sys' install --record /home/runner/work/_temp/r.txt",
            "pip-setup-py-failed",
        ),
        (
            "error: Could not find Package.swift in this directory or any of its parent directories.",
            "project-manifest-not-found",
        ),
        (
            "error: could not find `Cargo.toml` in `/home/runner/work/x/x` or any parent directory",
            "project-manifest-not-found",
        ),
        (
            "go: go.mod file not found in current directory or any parent directory; see 'go help modules'",
            "project-manifest-not-found",
        ),
        (
            "org.buildobjects.process.StartupException: Could not startup process 'flutter analyze --no-fatal-warnings --no-fatal-infos'.",
            "program-not-startable",
        ),
        (
            'java.io.IOException: Cannot run program "flutter": error=2, No such file or directory',
            "program-not-startable",
        ),
        (
            'Caused by: java.io.IOException: Cannot run program "node" (in directory "/w/app"): CreateProcess error=2, The system cannot find the file specified',
            "program-not-startable",
        ),
        # (Node's ``spawn x ENOENT`` is node-program-not-found's, test_b31_d31C.py)
        ('exec: "docker": executable file not found in $PATH', "program-not-startable"),
        (
            "  Error: Last command execution failed with error code '3221225477'.",
            "windows-crash-exit-code",
        ),
        ("##[error]Process completed with exit code -1073741819.", "windows-crash-exit-code"),
        (
            "subprocess.CalledProcessError: Command '['bin\\\\app.exe']' returned non-zero exit status 3221225725.",
            "windows-crash-exit-code",
        ),
        (
            "This is an internal error, please file an issue at https://github.com/returntocorp/semgrep-action/issues/new/choose",
            "tool-internal-error",
        ),
        ("Internal error. Please report an issue with the log above.", "tool-internal-error"),
        ("  fatal: ls-files -i must be used with either -o or -c", "git-newer-version-refuses"),
        (
            "fatal: detected dubious ownership in repository at '/__w/proj/proj'",
            "git-newer-version-refuses",
        ),
        (
            "Error: fatal: unsafe repository ('/github/workspace' is owned by someone else)",
            "git-newer-version-refuses",
        ),
    ],
)
def test_rule_matches(line: str, rule: str) -> None:
    assert rule in _ids(clean_line(line))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            "  Running setup.py install for setuptools-scm: finished with status 'done'",
            "pip-setup-py-failed",
        ),
        ("    Running setup.py install for psycopg2 ... done", "pip-setup-py-failed"),
        ("Could not find Package.swift", "project-manifest-not-found"),
        ("warning: could not find config file in this directory", "project-manifest-not-found"),
        ("StartupException: process started", "program-not-startable"),
        ('Cannot run program "git": error=13, Permission denied', "program-not-startable"),
        (
            "npm ERR! enoent ENOENT: no such file or directory, open '/w/package.json'",
            "program-not-startable",
        ),
        ("##[error]Process completed with exit code 1.", "windows-crash-exit-code"),
        ("Downloaded 3221225477 bytes", "windows-crash-exit-code"),
        ("Please report a bug: this does not work on your node version", "tool-internal-error"),
        ("test_internal_error_reporting PASSED", "tool-internal-error"),
        ("fatal: ls-files: cannot generate relative filenames", "git-newer-version-refuses"),
        (
            "fatal: not a git repository (or any of the parent directories): .git",
            "git-newer-version-refuses",
        ),
        (
            "# fatal: detected dubious ownership is fixed by safe.directory",
            "git-newer-version-refuses",
        ),
    ],
)
def test_near_misses(line: str, rule: str) -> None:
    assert rule not in _ids(clean_line(line))


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("/usr/bin/pip install docutils", "/usr/bin/pip install docutils"),
        ("[command]/usr/bin/git version", "/usr/bin/git version"),
        ("/usr/local/bin/npm ci", "/usr/local/bin/npm ci"),
        (
            "/opt/hostedtoolcache/Python/3.12.1/x64/bin/pip install -r requirements.txt",
            "/opt/hostedtoolcache/Python/3.12.1/x64/bin/pip install -r requirements.txt",
        ),
        ("/home/runner/work/p/p/build.sh", None),
        ("/usr/bin/ld: cannot find -lz", None),
        ("usr/bin/pip install x", None),
    ],
)
def test_exec_echo(line: str, command: str | None) -> None:
    assert exec_echoed(line) == command


def test_exec_echo_names_the_installer_of_a_bare_error() -> None:
    got = _paste(
        [
            "Run errata-ai/vale-action@reviewdog",
            "  with:",
            "    filter_mode: diff_context",
            "    token: ***",
            "/usr/bin/pip install docutils",
            "error: external",
        ]
    )
    assert got.category == "dependency_install"
    texts = [k.text for k in got.key_lines]
    # the error stays first (the deep link's line); the echoed command right after it
    assert texts == ["error: external", "/usr/bin/pip install docutils"]


def test_exec_echo_over_a_named_error_is_no_key_line() -> None:
    got = _paste(
        [
            "lsb_release -r",
            "/opt/hostedtoolcache/swift-Ubuntu/5.6.1/x64/usr/bin/swiftc -print-target-info",
            "error: Could not find Package.swift in this directory or any of its parent directories.",
            "Error: Process completed with exit code 1.",
        ]
    )
    assert got.category == "build"
    assert [k.rule for k in got.key_lines] == ["project-manifest-not-found"]


def test_progress_line_announces_the_crash() -> None:
    got = _paste(
        [
            "  Elapsed time for package spirv-tools:x64-windows: 18.47 min",
            "  Starting package 4/4: shaderc:x64-windows",
            "  Building package shaderc[core]:x64-windows...",
            "  Error: Last command execution failed with error code '3221225477'.",
            ":stopwatch: elapsed: 1458.747 seconds",
        ]
    )
    assert got.category == "segfault"
    texts = [k.text.strip() for k in got.key_lines]
    assert texts[:2] == [
        "Error: Last command execution failed with error code '3221225477'.",
        "Building package shaderc[core]:x64-windows...",
    ]


def test_no_announcement_from_an_error_line_or_a_plain_line() -> None:
    got = _paste(
        [
            "Waiting for the server",
            "Error: server did not start",
        ]
    )
    assert [k.rule for k in got.key_lines if k.rule == "announced"] == []


def test_windows_crash_status_without_a_rule_is_a_crash() -> None:
    ruleset = load_rules([{"id": "windows-crash-exit-code", "enabled": False}])
    text = "Building package x...\nError: Last command execution failed with error code '3221225477'.\n"
    got = diagnose(io.BytesIO(text.encode()), rules=ruleset)
    assert got.rule is None
    assert got.category == "segfault"


def test_pasted_run_of_a_linter_decides_shared_words() -> None:
    got = _paste(
        [
            "Run ibiqlik/action-yamllint@v3.0.3",
            "  with:",
            "    strict: true",
            "======================",
            "= Linting YAML files =",
            "======================",
            "Error: [line-length] line too long (86 > 80 characters)",
            "Error: syntax error: expected <block end>, but found '<block mapping start>' (syntax)",
        ]
    )
    assert got.category == "lint"


def test_pasted_run_of_an_installer_leaves_build_words() -> None:
    got = _paste(
        [
            "Run actions/setup-python@v5",
            "Error: syntax error: unexpected token in setup.cfg",
        ]
    )
    assert got.category != "dependency_install"


def test_wrapper_quoting_the_command_names_the_category() -> None:
    got = _paste(
        [
            "Error: Exec code(1) on executing: npm run build-storybook -- -o out6551",
            "info @storybook/react v6.5.9",
            "info => Loading presets",
            "Error: Failed to load static files, no such directory: /home/runner/work/foo/foo/public",
            "Make sure this directory exists, or omit the -s (--static-dir) option.",
        ]
    )
    assert got.category == "build"
    got = _paste(["Error: Command failed: npm run lint", "something went wrong"])
    assert got.category == "lint"


def test_internal_error_is_unknown_with_its_line() -> None:
    got = _paste(
        [
            "Run returntocorp/semgrep-action@v1",
            "=== failed command's STDERR:",
            "",
            "Error: `/home/runner/.local/bin/semgrep --json -o /home/runner/work/_temp/x .` failed with exit code 2",
            "",
            "This is an internal error, please file an issue at https://github.com/returntocorp/semgrep-action/issues/new/choose",
            "and include any log output from above.",
        ]
    )
    assert got.category == "unknown"
    assert any(k.text.startswith("This is an internal error") for k in got.key_lines)


def test_newer_git_refusing_an_action_is_the_runner() -> None:
    got = _paste(
        [
            " Running hadolint with reviewdog 🐶 ...",
            "  reviewdog: This is Pull-Request from forked repository.",
            "  fatal: ls-files -i must be used with either -o or -c",
            "  parse error: Invalid numeric literal at line 1, column 7",
            "  reviewdog: parse error: failed to unmarshal rdjson (DiagnosticResult): proto: syntax error (line 1:1): unexpected token ",
            "Error: Process completed with exit code 1.",
        ]
    )
    assert got.category == "infra_runner"
    assert got.key_lines[0].text.strip() == "fatal: ls-files -i must be used with either -o or -c"
