"""Stop 33's design-half key-line round: a paste cut before its exit line, Jenkins' abort,
Travis' last word after its silence limit, Gradle's own first line under "What went wrong",
and a web-view line-number link spliced into the line a rule must read."""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.keylines import PASTE_END
from bot.diagnose.logreader import text_source

_URL = "https://github.com/o/r/actions/runs/1/job/2"


def _diagnose(lines: list[str]):  # type: ignore[no-untyped-def]
    return diagnose(text_source("\n".join(lines) + "\n"))


def _keys(lines: list[str]) -> list[tuple[str | None, str]]:
    return [(k.rule, k.text.strip()) for k in _diagnose(lines).key_lines]


PYTEST_CUT = [
    "==================================== ERRORS ====================================",
    "________________________ ERROR collecting test session _________________________",
    "integration_tests/conftest.py:15: in <module>",
    "    import shop",
    "shop/__init__.py:6: in <module>",
    "    from ._pages import app",
    "shop/summary/__init__.py:3: in <module>",
]


def test_a_paste_cut_in_a_traceback_shows_its_last_frame() -> None:
    keys = _keys(PYTEST_CUT)
    assert (PASTE_END, "shop/summary/__init__.py:3: in <module>") in keys, keys


def test_a_paste_with_its_exit_line_has_no_paste_end() -> None:
    keys = _keys(
        [
            *PYTEST_CUT,
            "    from .store import Store",
            "E   ImportError: no",
            "##[error]Process completed with exit code 2.",
        ]
    )
    assert not any(rule == PASTE_END for rule, _ in keys), keys


def test_a_status_line_or_a_caller_frame_is_not_the_paste_end() -> None:
    status = _keys(
        ["Waiting for db to be ready", "psql: error: connection refused", "Waiting for db"]
    )
    assert not any(rule == PASTE_END for rule, _ in status), status
    frames = _keys(
        [
            "java.lang.IllegalStateException: There were some exceptions in the log above",
            "        at org.junit.Runner.run(Runner.java:209)",
        ]
    )
    assert not any(rule == PASTE_END for rule, _ in frames), frames


def test_the_paste_end_does_not_feed_the_guess() -> None:
    """The guess was trained on key lines without it: its words must not sway the guess."""
    lines = [
        "MESSAGE:",
        "Assert.Fail failed.",
        "STACK TRACE:",
        "Foo.Tests.FailTest() in Tests.cs:line 17",
    ]
    with_end = _diagnose(lines)
    without = _diagnose(lines[:-1])
    assert with_end.category == without.category


def test_jenkins_abort_is_a_cancelled_build() -> None:
    d = _diagnose(
        [
            "Started by remote host 10.0.0.1",
            "Cloning into 'enterprise'...",
            "Build was aborted",
            "Aborted by jeeves",
            "Finished: ABORTED",
        ]
    )
    assert (d.category, d.rule) == ("cancelled", "jenkins-aborted")
    assert {"Build was aborted", "Aborted by jeeves"} <= {k.text.strip() for k in d.key_lines}


def test_jenkins_aborted_needs_the_whole_line() -> None:
    d = _diagnose(["Deploy step: Build was aborted by the user? no", "error: tests failed"])
    assert d.rule != "jenkins-aborted"


def test_travis_termination_line_is_a_key_line_of_its_timeout() -> None:
    d = _diagnose(
        [
            "Still running (13 of 30): ./run.sh",
            "No output has been received in the last 10 minutes, this potentially indicates a"
            " stalled build or something wrong with the build itself.",
            "",
            "The build has been terminated",
        ]
    )
    assert d.category == "timeout"
    assert "The build has been terminated" in [k.text for k in d.key_lines]


def test_gradle_keeps_its_own_words_beside_the_innermost_cause() -> None:
    keys = [
        text
        for _, text in _keys(
            [
                "FAILURE: Build failed with an exception.",
                "",
                "* What went wrong:",
                "A problem occurred evaluating project ':server'.",
                "> Connection reset",
                "",
                "* Try:",
                "> Run with --stacktrace option to get the stack trace.",
                "",
                "BUILD FAILED in 1m 53s",
            ]
        )
    ]
    assert "A problem occurred evaluating project ':server'." in keys, keys
    assert "> Connection reset" in keys, keys


def test_a_spliced_viewer_link_does_not_hide_a_compiler_error() -> None:
    d = _diagnose(
        [
            "Run npm run build",
            "  npm run build",
            "  shell: /usr/bin/bash -e {0}",
            f"src/index.ts(10,28): error TS2[3]({_URL}#step:7:3)06:"
            " File 'src/types.ts' is not a module.",
            "Error: Process completed with exit code 2.",
        ]
    )
    texts = [k.text for k in d.key_lines]
    assert "src/index.ts(10,28): error TS2306: File 'src/types.ts' is not a module." in texts, texts
    assert d.category in ("type_check", "build")
