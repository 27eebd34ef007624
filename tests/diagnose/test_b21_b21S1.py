# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 21, helper b21S1: the generic scorer's key lines when no rule knows the
tool (pasted CI output, every rule off).

A finding at a source location is an error line by its shape (linters print no error
word); perror's ``prog: what: <strerror>`` tail names the failed system call; Gradle's cause
chain under ``* What went wrong:`` starts with ``> `` like npm's echoed command but is
output; a summary that only says the build failed (``FAILURE: Build failed with an
exception.``) no longer keeps the weaker cause lines after it off the key lines; a stack
frame whose method is called ``…Failure…`` is no error line. Near misses: compiler warnings
and notes at a location, a pytest traceback frame, npm's echoed command, an option value
``category=failing``, an error count.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import GENERIC_PATTERNS, LOCATED_SCORE, STRONG_SCORE, error_score
from tests.diagnose.joblogs import travis_one_command

_NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _paste(lines: list[str]) -> io.BytesIO:
    return io.BytesIO("".join(f"{line}\n" for line in lines).encode())


def _keys(lines: list[str]) -> list[str]:
    return [k.text.strip() for k in diagnose(_paste(lines), rules=_NO_RULES).key_lines]


# ---- findings at a source location --------------------------------------------------


def test_located_findings_score_without_an_error_word() -> None:
    for line in [
        "$(BUILD_DIR)/tests/test_zipp.py:354:80: E501 line too long (80 > 79 characters)",
        "generateTest.py:14:36: W0622: Redefining built-in 'type' (redefined-builtin)",
        "lib/rspec/core/example.rb:418:11: C: Do not prefix reader method names with get_.",
        "emitter_stack.go:36:25: func taskEmitterStack.taskEmitter is unused (U1000)",
        "  netbox/internal/customfield/customfield.go:1:1: package-comments: should have a package comment (revive)",
        "[error] /home/runner/build/akka/src/main/scala/A.scala:10:8: object Logger is not a member of package akka",
    ]:
        assert error_score(line) >= LOCATED_SCORE, line
    # a line number alone counts when the message names a cause (ld), one more than a
    # finding that names none
    ld = "/home/runner/work/g/src/aggame.cc:403: undefined reference to `Gambit::agg::AGG::doProjection(int)'"
    assert error_score(ld) == LOCATED_SCORE + 1


def test_located_near_misses_do_not_score() -> None:
    for line in [
        "src/file_1.c:1:5: warning: unused variable 'tmp' [-Wunused-variable]",
        "src/file_1.c:7:3: note: declared here",
        "tests/test_optimizer.py:3: in <module>",  # a pytest traceback frame
        "cubedash/_model.py:17: in <module>",
        "Build file '/home/runner/project/build.gradle' line: 2",
    ]:
        assert error_score(line) < LOCATED_SCORE, line


def test_located_prefilter_lets_findings_through_and_not_warnings() -> None:
    import re

    pattern = next(p for p, _ in GENERIC_PATTERNS if p.startswith(r"\w:\d+"))
    assert re.search(pattern, "internal/compile.go:175:5: empty branch (SA9003)")
    assert not re.search(pattern, "src/file_1.c:1:5: warning: unused variable 'tmp'")
    assert not re.search(pattern, "2020-03-04 13:39:41 started")


def test_linter_paste_key_lines_are_its_findings() -> None:
    keys = _keys(
        [
            "Inspecting 5 files",
            "....W",
            "Offenses:",
            "scripts/indexer/transform_dataset.rb:23:25: W: Lint/UselessAssignment: Useless assignment to variable - e.",
            "  rescue Date::Error => e",
            "                        ^",
            "5 files inspected, 1 offense detected",
            "Error: Process completed with exit code 1.",
        ]
    )
    assert any("Lint/UselessAssignment" in k for k in keys), keys


def test_a_finding_naming_a_cause_leads_among_findings() -> None:
    findings = [f"src/app.py:{n}:1: F401 'mod{n}' imported but unused" for n in range(1, 12)]
    findings.append("src/app.py:40:12: F821 undefined name 'undefined_name'")
    keys = _keys([*findings, "nox > Command flake8 src failed with exit code 1"])
    assert any("F821 undefined name" in k for k in keys), keys


# ---- perror's strerror tail -----------------------------------------------------------


def test_strerror_tail_is_the_cause_beside_the_wrapper() -> None:
    keys = _keys(
        [
            "tar (child): xz: Cannot exec: No such file or directory",
            "tar (child): Error is not recoverable: exiting now",
            "/usr/bin/tar: Child returned status 2",
            "/usr/bin/tar: Error is not recoverable: exiting now",
            "Error: The process '/usr/bin/tar' failed with exit code 2",
        ]
    )
    assert "tar (child): xz: Cannot exec: No such file or directory" in keys, keys
    go = "compile: writing output: write $WORK/b164/_pkg_.a: no space left on device"
    assert error_score(go) >= LOCATED_SCORE
    # the words inside a sentence are no perror tail
    assert error_score("see the docs if no such file or directory exists yet") < LOCATED_SCORE


# ---- Gradle's cause chain and its contentless summary ---------------------------------


_GRADLE_TEST = [
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':test'.",
    "    There were failing tests. See the report at: file:///Users/runner/work/r/r/build/reports/tests/test/index.html",
    "",
    "* Try:",
    "Run with --stacktrace option to get the stack trace. Run with --info or --debug option to get more log output.",
]


def test_gradle_what_went_wrong_lines_are_key_lines() -> None:
    keys = _keys(_GRADLE_TEST)
    assert "Execution failed for task ':test'." in keys, keys
    assert any(k.startswith("There were failing tests.") for k in keys), keys


def test_gradle_cause_chain_is_output_not_an_echoed_command() -> None:
    keys = _keys(
        [
            "FAILURE: Build completed with 2 failures.",
            "",
            "1: Task failed with an exception.",
            "-----------",
            "* What went wrong:",
            "A problem occurred evaluating root project 'project'.",
            "> Could not resolve all artifacts for configuration 'classpath'.",
            "   > Could not find org.ajoberstar:grgit:2.3.0.",
            "     Searched in the following locations:",
        ]
    )
    assert "> Could not find org.ajoberstar:grgit:2.3.0." in keys, keys
    assert error_score("> java.nio.file.NoSuchFileException: /snap/clion/current/build.txt") >= (
        STRONG_SCORE
    )
    # npm's echoed script and command stay echoed
    assert error_score("> tsc -p ./src") == 0
    assert error_score("> node scripts/check-errors.js --fail-on-error") == 0


def test_contentless_summaries_weigh_as_one_failure_word() -> None:
    for line in [
        "FAILURE: Build failed with an exception.",
        "1: Task failed with an exception.",
        "** BUILD FAILED **",
        "Failed to compile.",
    ]:
        assert 0 < error_score(line) < LOCATED_SCORE, line
    # a summary that names what failed keeps its weight
    assert error_score("error: could not compile `app` due to 2 previous errors") >= STRONG_SCORE


def test_stack_frames_are_not_error_lines() -> None:
    assert error_score("\tat org.gradle.internal.Try$Failure.ifSuccessfulOrElse(Try.java:282)") == 0
    assert error_score("  at Farm.<anonymous> (node_modules/worker-farm/lib/farm.js:81:25)") == 0


# ---- words ----------------------------------------------------------------------------


def test_lockfile_out_of_date_is_the_key_line() -> None:
    keys = _keys(
        [
            "-----> Installing dependencies with Pipenv 11.8.2…",
            "       Your Pipfile.lock (48bdc8) is out of date. Expected: (2bfadf).",
            "       Aborting deploy.",
            " !     Push rejected, failed to compile Python app.",
        ]
    )
    assert "Your Pipfile.lock (48bdc8) is out of date. Expected: (2bfadf)." in keys, keys


def test_failing_and_errors_count_only_as_what_happened() -> None:
    assert error_score("-- Configuring incomplete, errors occurred!") > 0
    assert error_score("There were failing tests. See the report at: file:///x") > 0
    assert error_score("[error] 10 errors found") == error_score("[error] done")
    assert error_score("-notrait category=failing") == 0


def test_travis_tsc_error_code_outranks_npm_framing() -> None:
    log = travis_one_command(
        "npm run prepublish",
        [
            "> dockerfile-ast@0.0.1 prepublish /home/runner/build/r/dockerfile-ast",
            "> tsc -p ./src",
            "",
            "src/main.ts(70,33): error TS2307: Cannot find module './ParserDirective'.",
            "",
            "npm ERR! code ELIFECYCLE",
            "npm ERR! errno 2",
            "npm ERR! dockerfile-ast@0.0.1 prepublish: `tsc -p ./src`",
            "npm ERR! Exit status 2",
            "npm ERR! ",
            "npm ERR! Failed at the dockerfile-ast@0.0.1 prepublish script.",
            "npm ERR! This is probably not a problem with npm. There is likely additional logging output above.",
            "npm ERR! A complete log of this run can be found in:",
            "npm ERR!     /home/runner/.npm/_logs/2017-12-17T03_34_30_146Z-debug.log",
        ],
        2,
    )
    keys = [k.text for k in diagnose(log, rules=_NO_RULES).key_lines]
    assert any("error TS2307" in k for k in keys), keys


# ---- a logger's level tag, a pointer to the details -----------------------------------


def test_level_tag_does_not_hide_an_exception_or_a_frame() -> None:
    keys = _keys(
        [
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test (default-test) on project farm: Execution default-test of goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test failed: java.lang.IllegalStateException: There were some exceptions in the log above",
            "[ERROR] org.apache.maven.surefire.testset.TestSetFailedException: java.lang.IllegalStateException: There were some exceptions in the log above",
            "[ERROR]         at org.apache.maven.surefire.common.junit4.JUnit4RunListener.rethrowAnyTestMechanismFailures(JUnit4RunListener.java:209)",
            "[ERROR]         at org.apache.maven.surefire.junitcore.JUnitCoreWrapper.createRequestAndRun(JUnitCoreWrapper.java:138)",
        ]
    )
    assert any("TestSetFailedException" in k for k in keys), keys
    assert not any(k.startswith("[ERROR]         at ") for k in keys), keys
    # an info-level tag is no error's
    assert error_score("[INFO] org.example.FooException handling enabled") < STRONG_SCORE


def test_a_pointer_to_the_details_is_not_the_error() -> None:
    keys = _keys(
        [
            "Installing Poetry (2.3.1): Installing Poetry",
            "Installing Poetry (2.3.1): An error occurred. Removing partial environment.",
            "Poetry installation failed.",
            "See /home/runner/work/J/J/poetry-installer-error-8841z44u.log for error logs.",
        ]
    )
    assert "Installing Poetry (2.3.1): An error occurred. Removing partial environment." in keys
    assert "Poetry installation failed." in keys, keys
    assert error_score("See the log above for details.") < LOCATED_SCORE
    # an error line that also points somewhere keeps its weight
    assert error_score("error: linking failed, see the log for details") >= STRONG_SCORE
