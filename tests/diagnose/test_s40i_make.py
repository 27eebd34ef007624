"""GNU make's failures in CI: the recipe's own output, not make's exit line, is the key line.

Source: GNU make ``src/job.c`` (``child_error``: ``make: *** [Makefile:12: lint] Error 1``
since 4.2, ``make: *** [lint] Error 1`` before it, ``[target] Killed`` / ``Segmentation
fault (core dumped)`` for a signal, ``Waiting for unfinished jobs....`` under ``-j``;
make 3.82-4.1 first print ``Makefile:12: recipe for target 'lint' failed``, 3.81
``commands for target``), ``src/remake.c`` (``No rule to make target 'x', needed by
'y'.  Stop.``), ``src/read.c`` (``Makefile:14: *** missing separator.  Stop.``) and
``src/main.c`` (``make[1]: Leaving directory '…'``): https://git.savannah.gnu.org/cgit/make.git
(mirror https://github.com/mirror/make).
"""

from __future__ import annotations

from bot.diagnose.engine import Diagnosis, diagnose

from .joblogs import actions_job


def _run(command: str, lines: list[str], code: int = 2) -> Diagnosis:
    return diagnose(actions_job(command, lines, code))


def _texts(d: Diagnosis) -> list[str]:
    return [k.text for k in d.key_lines]


def test_lint_script_message_above_make_error_leads() -> None:
    d = _run(
        "make lint",
        [
            "./scripts/check-headers.sh",
            "src/foo.c is missing the license header",
            "make: *** [Makefile:51: lint] Error 1",
        ],
    )
    assert d.category == "lint"
    assert _texts(d)[:2] == [
        "src/foo.c is missing the license header",
        "make: *** [Makefile:51: lint] Error 1",
    ]


def test_format_check_message_leads_past_sub_make_lines() -> None:
    """make 4.1's recipe line and the sub-make's leaving line sit between them."""
    d = _run(
        "make format-check",
        [
            "make[1]: Entering directory '/home/runner/work/app/app/src'",
            "./scripts/fmt.sh --check",
            "Files need formatting: src/a.c",
            "Makefile:60: recipe for target 'format-check' failed",
            "make[1]: *** [format-check] Error 1",
            "make[1]: Leaving directory '/home/runner/work/app/app/src'",
            "make: *** [Makefile:8: check] Error 2",
        ],
    )
    assert d.category == "format"
    assert _texts(d)[0] == "Files need formatting: src/a.c"


def test_shell_test_verdict_above_make_error_leads() -> None:
    d = _run(
        "make test",
        [
            "cd tests && ./run.sh",
            "Test basic passed",
            "Test unicode failed",
            "make: *** [Makefile:30: test] Error 1",
        ],
    )
    assert _texts(d)[0] == "Test unicode failed"


def test_compiler_error_stays_first_not_the_line_above_make() -> None:
    """Near miss: a rule already knows the recipe's error (gcc's), under ``-j`` make's
    ``Waiting for unfinished jobs....``; nothing is added before it."""
    d = _run(
        "make -j4",
        [
            "gcc -c -o b.o b.c",
            "b.c:10:5: error: implicit declaration of function 'frobnicate'",
            "make: *** [Makefile:9: b.o] Error 1",
            "make: *** Waiting for unfinished jobs....",
            "gcc -c -o c.o c.c",
        ],
    )
    assert d.category == "build"
    assert _texts(d)[0] == "b.c:10:5: error: implicit declaration of function 'frobnicate'"


def test_killed_recipe_stays_oom_with_makes_line() -> None:
    """Near miss: a recipe killed by SIGKILL is make's own signal line (oom_killed)."""
    d = _run(
        "make -j8",
        [
            "g++ -O2 -c -o big.o big.cpp",
            "make[1]: *** [Makefile:40: big.o] Killed",
            "make: *** [Makefile:10: all] Error 2",
        ],
    )
    assert d.category == "oom_killed"
    assert _texts(d)[0] == "make[1]: *** [Makefile:40: big.o] Killed"


def test_silent_recipe_adds_no_echo_or_make_line() -> None:
    """Near miss: a recipe that printed nothing (only the shell's ``+ cmd`` trace, make's
    own lines): make's error line stays the only key line."""
    d = _run(
        "make release",
        [
            "make[1]: Entering directory '/home/runner/work/app/app'",
            "+ ./scripts/release.sh",
            "make[1]: *** [Makefile:70: release] Error 1",
        ],
    )
    assert _texts(d)[0] == "make[1]: *** [Makefile:70: release] Error 1"


def test_makefile_syntax_and_missing_target_are_build() -> None:
    for line in (
        "Makefile:14: *** missing separator.  Stop.",
        "make: *** No rule to make target 'integration-test'.  Stop.",
        "make: *** No rule to make target 'util.h', needed by 'main.o'.  Stop.",
    ):
        d = _run("make", [line])
        assert d.category == "build"
        assert _texts(d)[0] == line
