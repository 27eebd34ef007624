# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 16, helper b16D2 (whole Travis CI job logs): a child that bash reports
killed while the script tolerates it (``cmd || true``, traced as ``+ true``), and the
message line GHC prints under an error's ``file:line:col: error:`` header
(``ghc-error-message``).

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep a kill that the script did not tolerate, and
indented lines beside no GHC header.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job, travis_one_command

# ---- a killed child the script tolerated ----------------------------------------------

_GHC_HEADER = "shellcheck.hs:442:19: error:"
_GHC_MESSAGE = "    Variable not in scope: doesPathExist :: [Char] -> IO Bool"


def _cross_build(kill: str, after_kill: list[str]) -> list[str]:
    """A builder script under ``set -x``: a first cabal build cut short (``ulimit -t 30``)
    whose death the script tolerates or not, then GHC's compile that fails."""
    return [
        "+ [[ -e ./dist/build/autogen/Paths_ShellCheck.hs ]]",
        "+ ulimit -t 30",
        "+ cabal build Paths_ShellCheck",
        "[ 3 of 20] Compiling ShellCheck.AST   ( src/ShellCheck/AST.hs, dist/build/ShellCheck/AST.o )",
        kill,
        *after_kill,
        "+ ghc -optl-static -isrc -idist/build/autogen --make shellcheck -v",
        "[21 of 21] Compiling Main             ( shellcheck.hs, shellcheck.o )",
        "",
        _GHC_HEADER,
        _GHC_MESSAGE,
        "Upsweep partially successful.",
        "link(batch): upsweep (partially) failed OR",
        "   Main.main not exported; not linking.",
    ]


_KILLED = "/usr/bin/compile-shellcheck: line 9:    16 Killed                  cabal build Paths_ShellCheck"
_TIMED = ["", "real\t1m23.204s", "user\t1m24.912s", "sys\t0m1.564s"]


def test_a_kill_the_script_tolerated_is_not_the_cause() -> None:
    """`time cabal build … || true`: bash reports the kill, `time` its three lines, then the
    `+ true` trace; the compile error after it is what failed the job."""
    lines = _cross_build(
        _KILLED, [*_TIMED, "+ true", "+ [[ -e ./dist/build/autogen/Paths_ShellCheck.hs ]]"]
    )
    diagnosis = diagnose(
        travis_one_command(
            "docker run -v \"$PWD:/mnt\" acme/armv6hf-builder -c 'compile-shellcheck'", lines
        )
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "ghc-compile-error"
    texts = [k.text for k in diagnosis.key_lines]
    assert _GHC_HEADER in texts and _GHC_MESSAGE in texts
    assert _KILLED not in [k.text for k in diagnosis.key_lines if k.rule == "oom-killer"]


def test_a_tolerated_colon_trace_and_a_double_plus_trace() -> None:
    """`cmd || :` traces `+ :`; inside a function or subshell the trace is `++ true`."""
    for trace in ("+ :", "++ true"):
        lines = _cross_build(_KILLED, [trace])
        assert diagnose(travis_one_command("./build.sh", lines)).category == "build"


def test_a_segfault_the_script_tolerated_is_not_the_cause() -> None:
    """bash's status for another signal (`Segmentation fault (core dumped)`) reads alike."""
    crash = "./run.sh: line 3:  812 Segmentation fault      (core dumped) ./probe --quick"
    diagnosis = diagnose(travis_one_command("./build.sh", _cross_build(crash, ["+ true"])))
    assert diagnosis.category == "build"


def test_a_kill_the_script_did_not_tolerate_stays_the_cause() -> None:
    """Near miss: the job ends with the kill (no `+ true` follows): out of memory."""
    lines = [
        "+ cabal build",
        "[ 3 of 20] Compiling ShellCheck.AST   ( src/ShellCheck/AST.hs, dist/build/ShellCheck/AST.o )",
        _KILLED,
    ]
    diagnosis = diagnose(travis_one_command("./build.sh", lines, 137))
    assert diagnosis.category == "oom_killed"


def test_a_true_trace_far_below_the_kill_does_not_excuse_it() -> None:
    """Near miss: the kill ended the command the script needed, and much later another
    command's `|| true` ran: the `+ true` belongs to that other command."""
    later = [f"+ echo step {n}" for n in range(12)]
    lines = ["+ cabal build", _KILLED, *later, "+ true"]
    diagnosis = diagnose(travis_one_command("./build.sh", lines, 137))
    assert diagnosis.category == "oom_killed"


def test_a_plain_kernel_killed_line_is_not_a_job_status() -> None:
    """Near miss: a bare `Killed` (the shell of a `docker run`, a `make` recipe) is not bash's
    job-status form; a `+ true` after it does not cancel the kill."""
    diagnosis = diagnose(
        travis_one_command("./build.sh", ["+ cabal build", "Killed", "+ true"], 137)
    )
    assert diagnosis.category == "oom_killed"


# ---- GHC: the message under the error header ------------------------------------------


def test_ghc_error_message_lines_beside_their_header() -> None:
    """GHC 8.0 (no bullet) and 8.2 on (`• `): the message line joins the header in the key
    lines; the header's rule stays the verdict."""
    messages = [
        _GHC_MESSAGE,
        "    • Couldn't match expected type ‘Int’ with actual type ‘[Char]’",
        "    • No instance for (Show Foo) arising from a use of ‘print’",
        "    Not in scope: type constructor or class ‘Foo’",
        "    Could not find module ‘Data.Text’",
        "    • Data constructor not in scope: Bar :: Int -> T",
        "    • Ambiguous type variable ‘a0’ arising from a use of ‘read’",
    ]
    for message in messages:
        lines = [
            "[1 of 1] Compiling Main ( src/Main.hs, dist/build/Main.o )",
            "",
            "src/Main.hs:12:5: error:",
            message,
        ]
        diagnosis = diagnose(actions_job("cabal build", lines, 1))
        assert diagnosis.category == "build"
        assert diagnosis.rule == "ghc-compile-error"
        assert message in [k.text for k in diagnosis.key_lines], message


def test_ghc_message_shapes_need_a_ghc_header() -> None:
    """Near miss: the same words indented in other output (a Python linter's report, a
    Haskell tutorial echoed by a docs build) beside no `File.hs:L:C: error:` header."""
    ruleset = load_rules()
    rule = ruleset.by_id("ghc-error-message")
    assert rule is not None and rule.requires
    lines = ["Checking docs...", "    Variable not in scope: x", "ERROR: docs check failed"]
    diagnosis = diagnose(actions_job("make docs", lines, 1))
    assert all(k.rule != "ghc-error-message" for k in diagnosis.key_lines)
    # and the header alone (`File.hs:L:C: error:`), without the message's indentation
    assert not any(p.search("Variable not in scope: doesPathExist") for p in rule.compiled)
