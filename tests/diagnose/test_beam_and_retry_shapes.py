# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from whole published CI logs (batch 5, p11pd): Erlang/Elixir compiler errors,
mocha's pre-v6 time-out wording, and a wget download that recovered on its own retry.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose


def _job(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    out = [
        "Current runner version: '2.316.1'",
        f"##[group]Run {command}",
        command,
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        *lines,
        f"##[error]Process completed with exit code {code}.",
        "Post job cleanup.",
    ]
    text = "".join(f"2024-01-01T00:00:{i % 60:02d}.0000000Z {line}\n" for i, line in enumerate(out))
    return io.BytesIO(text.encode())


def _rules(d: object) -> set[str]:
    return {k.rule for k in d.key_lines}  # type: ignore[attr-defined]


def test_erlc_error_without_the_word_error_is_a_build_failure_and_its_key_line() -> None:
    d = diagnose(
        _job(
            "rebar3 compile",
            [
                "===> Compiling app",
                "src/app_server.erl:14:5: Warning: variable 'State' is unused",
                "src/app_server.erl:42:9: function handle_call/4 undefined",
                "src/app_server.erl:57: variable 'Reply' is unbound",
                "make: *** [all] Error 1",
            ],
        )
    )
    assert d.category == "build"
    assert d.key_lines[0].text == "src/app_server.erl:42:9: function handle_call/4 undefined"
    assert not any("Warning:" in k.text for k in d.key_lines if k.rule == "beam-compile-error")


def test_erlc_warnings_alone_do_not_fire_the_compile_error_rule() -> None:
    d = diagnose(
        _job(
            "erlc -o ebin src/*.erl",
            [
                "src/a.erl:3: Warning: function helper/0 is unused",
                "src/b.erl:9: Warning: export_all flag enabled",
            ],
        )
    )
    assert "beam-compile-error" not in _rules(d)


def test_mix_compile_error_names_the_exception_line() -> None:
    d = diagnose(
        _job(
            "mix test",
            [
                "Compiling 12 files (.ex)",
                "== Compilation error in file lib/shop/cart.ex ==",
                "** (CompileError) lib/shop/cart.ex:31: undefined function total/2 (expected Shop.Cart to define such a function or for it to be imported, but none are available)",
                "    (elixir 1.15.7) lib/kernel/parallel_compiler.ex:377: anonymous fn/5 in Kernel.ParallelCompiler.spawn_workers/8",
            ],
        )
    )
    assert d.category == "build"
    assert any(k.text.startswith("** (CompileError) lib/shop/cart.ex:31:") for k in d.key_lines)


def test_old_mocha_lower_case_timeout_is_a_timeout() -> None:
    d = diagnose(
        _job(
            "npm test",
            [
                "  client",
                "    ✓ connects",
                "    1) reconnects after a drop",
                "",
                "  1 passing (2s)",
                "  1 failing",
                "",
                "  1) client reconnects after a drop:",
                "     Error: timeout of 2000ms exceeded. Ensure the done() callback is being called in this test.",
            ],
        )
    )
    assert d.category == "timeout"
    assert d.failing_tests == ["client reconnects after a drop"]


WGET_RETRY = [
    "--2019-08-15 08:35:35--  https://example.org/builds/otp.tar.gz",
    "HTTP request sent, awaiting response... 200 OK",
    "2019-08-15 08:35:35 (9.84 MB/s) - Read error at byte 1886964/56182363 (Connection reset by peer). Retrying.",
    "--2019-08-15 08:35:36--  (try: 2)  https://example.org/builds/otp.tar.gz",
    "HTTP request sent, awaiting response... 206 Partial Content",
]
WGET_SAVED = "2019-08-15 08:35:37 (71.5 MB/s) - ‘otp.tar.gz’ saved [56182363/56182363]"
LATER_FAILURE = [
    "ERROR: ld.so: object 'libfoo.so' cannot be preloaded",
    "app.c:12:5: error: 'count' undeclared (first use in this function)",
    "make: *** [app.o] Error 1",
]


def test_a_wget_read_error_it_recovered_from_is_not_the_cause() -> None:
    d = diagnose(_job("ci/build.sh", [*WGET_RETRY, WGET_SAVED, *LATER_FAILURE]))
    assert d.category == "build"
    assert not any(
        "Connection reset by peer" in k.text for k in d.key_lines if k.rule == "network-error"
    )


def test_a_wget_read_error_never_saved_stays_a_network_failure() -> None:
    d = diagnose(_job("ci/build.sh", [*WGET_RETRY, "Giving up."]))
    assert d.category == "infra_network"
