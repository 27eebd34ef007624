# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 14, helper b14D4 (whole Travis CI job logs): a sub-make's error line
glued to an unfinished line of a parallel job (``make-recipe-failed``), the generic
scorer's weak mentions beside a strong error line when no rule knows the tool (an Elixir
check script's ``** (throw) …`` after a dump of list entries), and Travis' shell functions
complaining about a broken ``after_failure`` command after the job had already failed.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
read first; the near misses keep indented (captured) make output, weak lines when nothing
stronger is there, and the same shell complaint when it is the failing command's own.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import travis_timed_job


def travis_job(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    """A Travis CI job as travis-build prints it: the timed ``$ command`` (which frames the
    step) and the coloured ``The command "…" exited with N.`` after the timing marker."""
    return _travis_with_after(command, lines, code, None, [])


def _texts(diagnosis: Diagnosis) -> list[str]:
    return [k.text for k in diagnosis.key_lines]


def _make_rule_matches(text: str) -> bool:
    return any(r.id == "make-recipe-failed" for r in load_rules(None).match(text))


# ---- make -jN: a sub-make's error glued to another job's unfinished line ---------------

_OTP_PROFILE = [
    "Autoconfing... done, took 3 seconds",
    "Configuring..... done, took 24 seconds",
    "Building OTP.................... failed.",
    '(no logger present) unexpected logger message: {log,error,"Error in process ~p with exit value:~n~p~n",[<0.0.0>,{{badmatch,{error,{bad_lib,"Function not found prim_file:read_handle_info_nif/1"}}},[{prim_file,on_load,0,[]},{erl_init,start,2,[]}]}],#{error_logger=>#{emulator=>true,tag=>error},gl=><0.0.0>,pid=><0.0.0>,time=>1560784767891595}}',
    "done",
    "(no make[4]: *** [obj/x86_64-unknown-linux-gnu/opt/smp/PROFILE] Error 1",
    "make[4]: Leaving directory `/home/runner/build/erlang/otp/erts/emulator'",
    "make[3]: *** [opt] Error 2",
    "make[3]: Leaving directory `/home/runner/build/erlang/otp/erts/emulator'",
    "make: *** [emulator] Error 2",
    "*** Failed ***",
]


def test_glued_sub_make_error_is_a_make_line() -> None:
    for text in (
        "(no make[4]: *** [obj/x86_64-unknown-linux-gnu/opt/smp/PROFILE] Error 1",
        "(no logger pmake[4]: *** [obj/x86_64-unknown-linux-gnu/opt/smp/PROFILE] Error 1",
        "Compiling src/beam_load.cgmake[2]: *** [CMakeFiles/app.dir/all] Error 2",
    ):
        assert _make_rule_matches(text), text


def test_glued_sub_make_error_near_misses() -> None:
    # output a tool captured (pip's build log) is indented: not this job's make
    assert not _make_rule_matches("    make[1]: *** [all] Error 2")
    # a top-level make glued to other text, a make that only waits, a quoted command
    assert not _make_rule_matches("(no make: *** [emulator] Error 2")
    assert not _make_rule_matches("(no make[2]: *** Waiting for unfinished jobs....")
    assert not _make_rule_matches('grep "make[1]: \\*\\*\\* \\[all\\] Error 2" build.log')
    # the plain shape still matches
    assert _make_rule_matches("make[3]: *** [opt] Error 2")


def test_otp_profile_build_names_the_nif_and_the_inner_target() -> None:
    diagnosis = diagnose(travis_job("./scripts/build-otp", _OTP_PROFILE, 2))
    assert diagnosis.category == "build"
    texts = _texts(diagnosis)
    assert any("Function not found prim_file:read_handle_info_nif/1" in t for t in texts)
    assert any(
        "make[4]: *** [obj/x86_64-unknown-linux-gnu/opt/smp/PROFILE] Error 1" in t for t in texts
    )


# ---- a strong error line: weak mentions beside it are noise ------------------------------

_AWESOME_CHECK = [
    "[debug] Ensure that there is a table of content list.",
    "--------- START",
    "-- Actors",
    "\t'exactor' https://github.com/sasa1977/exactor 'Helpers for easier implementation of actors in Elixir'",
    "-- Algorithms and Data structures",
    "\t'elistrix' https://github.com/tobz/elistrix 'A latency / fault tolerance library to help isolate your applications from an uncertain world of slow or failed services'",
    "\t'explode' https://github.com/pkinney/explode 'An easy utility for responding with standard HTTP/JSON error payloads in Plug- and Phoenix-based applications'",
    "--------- END",
    "[debug] Ensure entries are in alphabetic order.",
    '** (throw) "Words not in order \\"yuri\\" and \\"Crawly\\""',
    "    check.exs:9: Awesome.Order.check_string_list_in_order/1",
    "    check.exs:130: anonymous fn/2 in Awesome.test_file/1",
    "    (elixir) lib/code.ex:370: Code.require_file/2",
]


def test_weak_mentions_beside_a_strong_error_are_not_key_lines() -> None:
    diagnosis = diagnose(travis_job("mix run check.exs", _AWESOME_CHECK, 1))
    assert diagnosis.category == "lint"
    texts = _texts(diagnosis)
    assert any(t.startswith('** (throw) "Words not in order') for t in texts)
    assert not any("failed services" in t or "error payloads" in t for t in texts)


def test_weak_mentions_stay_when_nothing_stronger_is_there() -> None:
    """Near miss: with no strong line, the weak mention is the best the log offers."""
    lines = [
        "running the list checks",
        "checking entry 'ex_spec': could not resolve https://example.invalid/ex_spec",
        "done",
    ]
    diagnosis = diagnose(travis_job("./scripts/check_links.sh", lines, 1))
    assert any("could not resolve" in t for t in _texts(diagnosis))


# ---- Travis' shell functions on a broken after_failure command ---------------------------


def _travis_with_after(
    command: str, lines: list[str], code: int, after_cmd: str | None, after: list[str]
) -> io.BytesIO:
    """A Travis job: the failing command, then an ``after_failure`` command in its fold."""
    fold = (after_cmd, after) if after_cmd is not None else None
    return travis_timed_job([(command, lines, code)], after=fold)


_REBAR_TIMEOUT = [
    'Pulling cache_tab from {git,"https://github.com/processone/cache_tab",',
    "Cloning into 'cache_tab'...",
    "fatal: unable to access 'https://github.com/processone/cache_tab/': Failed to connect to github.com port 443: Connection timed out",
    "ERROR: 'get-deps' failed while processing /home/runner/build/processone/ejabberd: rebar_abort",
    "make: *** [deps/.got] Error 1",
]

_BROKEN_AFTER = [
    "/home/runner/.travis/functions: eval: line 104: unexpected EOF while looking for matching `''",
    "/home/runner/.travis/functions: eval: line 105: syntax error: unexpected end of file",
]


def test_travis_shell_complaint_about_after_failure_is_not_a_key_line() -> None:
    job = _travis_with_after(
        "make", _REBAR_TIMEOUT, 2, "find logs -name suite.log -exec cat '{}' ';", _BROKEN_AFTER
    )
    diagnosis = diagnose(job)
    assert diagnosis.category == "infra_network"
    texts = _texts(diagnosis)
    assert any("Failed to connect to github.com port 443" in t for t in texts)
    assert not any(".travis/functions" in t for t in texts)


def test_travis_shell_complaint_of_the_failing_command_stays() -> None:
    """Near miss: the same complaint about the script command itself is why it failed."""
    lines = [
        "/home/runner/.travis/functions: line 104: /home/runner/install-jdk.sh: No such file or directory"
    ]
    diagnosis = diagnose(travis_job('$HOME/install-jdk.sh --feature "11"', lines, 127))
    assert any("install-jdk.sh: No such file or directory" in t for t in _texts(diagnosis))
