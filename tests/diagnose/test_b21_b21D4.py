# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 21, helper b21D4 (pastes of CI output from issues): the no-rule
fallback reads a pasted web log view's own ``Run <command>`` lines through the command
table, a busy or rate-limiting HTTP status beside a URL as the network, Zinc's
``handleCompilationError`` frame and Rust bootstrap's panic as a build; the rules
``mix-elixir-requirement``, ``dependabot-update-failed`` and ``dependabot-updater-error``.
Near misses keep ``unknown`` where the paste names no cause.
"""

from __future__ import annotations

import io

from bot.diagnose.causes import _NETWORK
from bot.diagnose.engine import diagnose


def _paste(lines: list[str]) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def test_web_view_run_line_names_the_check() -> None:
    d = diagnose(
        _paste(
            [
                'Run [ "$(gofmt -l $(find . -name \'*.go\') 2>&1)" = "" ]',
                '  [ "$(gofmt -l $(find . -name \'*.go\') 2>&1)" = "" ]',
                "  shell: /bin/bash -e {0}",
                "Error: Process completed with exit code 1.",
            ]
        )
    )
    assert d.category == "format"
    assert d.rule is None and d.confidence < 0.45  # a guess stays a guess


def test_composite_action_inner_steps_fall_back_to_the_action() -> None:
    d = diagnose(
        _paste(
            [
                "Run cocogitto/cocogitto-action@v4",
                "Run echo Installing cocogitto",
                "Installing cocogitto",
                "Run ${GITHUB_ACTION_PATH}/cog.sh \\",
                "cog 6.4.0",
                "Error: Process completed with exit code 1.",
            ]
        )
    )
    assert d.category == "lint"


def test_last_known_command_wins() -> None:
    d = diagnose(
        _paste(
            [
                "Run npm ci",
                "added 120 packages in 3s",
                "Run npm run build",
                "Error: Process completed with exit code 1.",
            ]
        )
    )
    assert d.category == "build"


def test_run_line_naming_nothing_stays_unknown() -> None:
    d = diagnose(
        _paste(
            [
                "Run ./scripts/release.sh",
                "done",
                "Error: Process completed with exit code 1.",
            ]
        )
    )
    assert d.category == "unknown"


def test_error_words_come_before_the_echoed_command() -> None:
    d = diagnose(
        _paste(
            [
                "Run mix test",
                "  mix test",
                "** (Mix) You're trying to run :exdn on Elixir v1.10.3 but it has declared in its mix.exs file it supports only Elixir ~> 1.11",
                "Error: Process completed with exit code 1.",
            ]
        )
    )
    assert d.category == "build" and d.rule == "mix-elixir-requirement"


def test_rate_limited_urls_are_the_network() -> None:
    d = diagnose(
        _paste(
            [
                "08:08:08 [static-checks.sh:540] INFO: Checking URL http://www.qemu-project.org",
                "08:08:08 [static-checks.sh:584] ERROR: found HTTP error status codes for URL https://github.com/a/b/releases (429)",
                "08:08:42 [static-checks.sh:584] ERROR: found HTTP error status codes for URL https://github.com/a/b/tree/main (429)",
            ]
        )
    )
    assert d.category == "infra_network"


def test_network_status_shapes() -> None:
    for line in (
        "ERROR: found HTTP error status codes for URL https://github.com/a/b (429)",
        "  [✖] https://example.org/docs → Status: 503",
        "✗ [429] https://github.com/a/b | Failed: Network error: Too Many Requests",
        "error: failed to fetch https://x.org/a: 502 Bad Gateway",
    ):
        assert _NETWORK.search(line), line
    for line in (
        "ERROR: found HTTP error status codes for URL https://github.com/a/b (404)",
        "see https://github.com/a/b/issues/503 for details",
        "FAILED https://x.org/a [ 503/1000]",
        "error: http://localhost:5030 refused the connection",
    ):
        assert not _NETWORK.search(line), line


def test_zinc_compile_error_frames_are_a_build() -> None:
    frames = [
        "[info] [error] \tat sbt.internal.inc.IncrementalCompilerImpl.compileInternal(IncrementalCompilerImpl.scala:573)",
        "[info] [error] \tat sbt.internal.inc.IncrementalCompilerImpl.handleCompilationError(IncrementalCompilerImpl.scala:332)",
        "[info] [error] \tat sbt.Defaults$.compileIncrementalTaskImpl(Defaults.scala:2176)",
    ]
    assert diagnose(_paste(frames)).category == "build"
    other = [
        "[error] \tat sbt.Command$.process(Command.scala:181)",
        "[error] \tat sbt.MainLoop$.processCommand(MainLoop.scala:151)",
    ]
    assert diagnose(_paste(other)).category == "unknown"


def test_rust_bootstrap_panic_is_a_build() -> None:
    d = diagnose(
        _paste(
            [
                "Building bootstrap",
                "thread 'main' panicked at src/bootstrap/src/core/config/config.rs:3166:21:",
                "`llvm.download-ci-llvm` cannot be set to `true` on CI. Use `if-unchanged` instead.",
                "Build completed unsuccessfully in 0:00:00",
            ]
        )
    )
    assert d.category == "build"
    d = diagnose(_paste(["thread 'main' panicked at src/main.rs:3:5:", "boom"]))
    assert d.category != "build"


def test_dependabot_failed_table() -> None:
    d = diagnose(
        _paste(
            [
                "2024/12/06 22:17:04 ERROR <job_928918775> bin/update_files.rb:46:in `<main>'",
                "updater | 2024/12/06 22:17:05 INFO <job_928918775> Finished job processing",
                "Dependabot encountered '1' error(s) during execution, please check the logs for more details.",
                "+-------------------------------+",
                "| Dependencies failed to update |",
                "+---------------+---------------+",
                "| dotnet-sdk    | unknown_error |",
                "+---------------+---------------+",
            ]
        )
    )
    assert d.category == "dependency_install"
    texts = [k.text for k in d.key_lines]
    assert "| dotnet-sdk    | unknown_error |" in texts
    # a markdown table row without the updater's header is no dependency failure
    d = diagnose(_paste(["| name    | snake_case |", "error: something else broke"]))
    assert d.rule != "dependabot-update-failed"
