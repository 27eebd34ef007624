"""Gradle's own failure reports read by root cause (s39i).

Sources:
- the daemon's disappearance: Gradle's ``DaemonClient`` (``The message received from the
  daemon indicates that the daemon has disappeared.``, then the last 20 lines of the daemon
  log) and ``DaemonDisappearedException`` (``Gradle build daemon disappeared unexpectedly (it
  may have been killed or may have crashed)``), subprojects/launcher in gradle/gradle; the
  paste in https://github.com/gradle/gradle/issues/9371 (the corpus' design log
  b26p_gradle_daemon_disappeared_jenkins_gradle, labelled infra_runner).
- the configuration cache: ``ConfigurationCacheProblemsException`` ("Configuration cache
  problems found in this build.") and ``ConfigurationCacheProblems``' summary (``1 problem was
  found storing the configuration cache.`` / ``- Task `:x` of type `T`: …`` / ``See the
  complete report at file:///…``), as in
  https://docs.gradle.org/current/userguide/configuration_cache.html#config_cache:troubleshooting
  and Gradle's own integration tests (``failure.assertHasDescription("Configuration cache
  problems found in this build")``).
"""

from __future__ import annotations

from bot.diagnose.engine import Diagnosis, diagnose
from tests.diagnose.joblogs import actions_job

TRY = [
    "",
    "* Try:",
    "> Run with --stacktrace option to get the stack trace.",
    "> Run with --info or --debug option to get more log output.",
    "> Run with --scan to get full insights.",
    "> Get more help at https://help.gradle.org.",
    "",
]


def _keys(d: Diagnosis) -> list[str]:
    return [k.text for k in d.key_lines]


# Gradle 8.5 on an Actions runner: the daemon dies mid-compile (client side report)
DAEMON_GONE = [
    "> Task :app:compileJava",
    "The message received from the daemon indicates that the daemon has disappeared.",
    "Build request sent: Build{id=1c2b, currentDir=/home/runner/work/app/app}",
    "Attempting to read last messages from the daemon log...",
    "Daemon pid: 2345",
    "  log file: /home/runner/.gradle/daemon/8.5/daemon-2345.out.log",
    "----- Last  20 lines from daemon log file - daemon-2345.out.log -----",
    "2024-01-02T03:04:05.678+0000 [DEBUG] [org.gradle.launcher.daemon.server.exec.ExecuteBuild]"
    " The daemon has started executing the build.",
    "----- End of the daemon log -----",
    "",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Gradle build daemon disappeared unexpectedly (it may have been killed or may have crashed)",
    *TRY,
    "BUILD FAILED in 2m 3s",
]


def test_daemon_disappeared_is_the_runner() -> None:
    """Before: oom_killed (jvm-fork-died). No exit value or signal is printed, no memory is
    named: the build process died on the agent, infra_runner as the corpus labels it."""
    d = diagnose(actions_job("./gradlew build", DAEMON_GONE))
    assert (d.category, d.rule) == ("infra_runner", "gradle-daemon-disappeared")
    keys = _keys(d)
    gone = "The message received from the daemon indicates that the daemon has disappeared."
    assert keys[0] == gone
    assert (
        "Gradle build daemon disappeared unexpectedly (it may have been killed or may have crashed)"
        in keys
    )


def test_daemon_disappeared_alone_under_what_went_wrong() -> None:
    """Only the exception's report (the client's lines cut from a paste)."""
    lines = DAEMON_GONE[10:]
    d = diagnose(actions_job("./gradlew build", lines))
    assert (d.category, d.rule) == ("infra_runner", "gradle-daemon-disappeared")


def test_daemon_disappeared_with_memory_named_is_oom() -> None:
    """Near miss: the daemon log names the exhausted heap, so the memory is the cause."""
    lines = [
        *DAEMON_GONE[:7],
        "2024-01-02T03:04:05.678+0000 [INFO] [org.gradle.launcher.daemon.server.health."
        "DaemonMemoryStatus] Expiring Daemon because JVM heap space is exhausted",
        *DAEMON_GONE[7:],
    ]
    d = diagnose(actions_job("./gradlew build", lines))
    assert d.category == "oom_killed"


def test_test_executor_exit_137_stays_oom() -> None:
    """Near miss: Gradle's test worker ended by SIGKILL (exit value 137) is still oom_killed."""
    lines = [
        "> Task :test FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':test'.",
        "> Process 'Gradle Test Executor 1' finished with non-zero exit value 137",
        *TRY,
        "BUILD FAILED in 1m 2s",
    ]
    d = diagnose(actions_job("./gradlew test", lines))
    assert (d.category, d.rule) == ("oom_killed", "jvm-fork-died")


PROBLEM = (
    "- Task `:app:generateStuff` of type `com.example.GenerateTask`: invocation of 'Task.project'"
    " at execution time is unsupported."
)
CC_SUMMARY = [
    "1 problem was found storing the configuration cache.",
    PROBLEM,
    "  See https://docs.gradle.org/8.5/userguide/configuration_cache.html"
    "#config_cache:requirements:use_project_during_execution",
    "",
    "See the complete report at file:///home/runner/work/app/app/build/reports/"
    "configuration-cache/abc/def/configuration-cache-report.html",
]
CC_FAILED = [
    "Calculating task graph as no cached configuration is available for tasks: build",
    "> Task :app:generateStuff",
    "",
    *CC_SUMMARY,
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Configuration cache problems found in this build.",
    "",
    *CC_SUMMARY,
    "> Invocation of 'Task.project' by task ':app:generateStuff' at execution time is unsupported.",
    *TRY,
    "BUILD FAILED in 6s",
    "5 actionable tasks: 5 executed",
]


def test_configuration_cache_problem_is_the_key_line() -> None:
    """Before: the head alone (`Configuration cache problems found in this build.`): the
    problem under it, past a blank line, was not a key line."""
    d = diagnose(actions_job("./gradlew build --configuration-cache", CC_FAILED))
    assert (d.category, d.rule) == ("build", "gradle-configuration-cache")
    keys = _keys(d)
    assert PROBLEM in keys
    assert "Configuration cache problems found in this build." in keys


def test_configuration_cache_build_file_location() -> None:
    """A problem located in a build script (`Build file '…': line N: …`)."""
    problem = (
        "- Build file 'app/build.gradle': line 12: external process started"
        " '/usr/bin/git rev-parse HEAD'"
    )
    lines = [
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Configuration cache problems found in this build.",
        "",
        "1 problem was found storing the configuration cache.",
        problem,
        *TRY,
        "BUILD FAILED in 3s",
    ]
    d = diagnose(actions_job("./gradlew assemble", lines))
    assert d.category == "build"
    assert problem in _keys(d)


def test_configuration_cache_warnings_on_a_passing_build_are_not_a_cause() -> None:
    """Near miss: with --configuration-cache-problems=warn the same list is printed and the
    build succeeds; a later test failure stays the cause and the warning is no key line."""
    lines = [
        *CC_SUMMARY,
        "Configuration cache entry stored with 1 problem.",
        "> Task :test",
        "",
        "CalcTest > addsTwo() FAILED",
        "    org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
        "        at app//com.x.CalcTest.addsTwo(CalcTest.java:11)",
        "",
        "3 tests completed, 1 failed",
        "",
        "> Task :test FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':test'.",
        "> There were failing tests. See the report at: file:///home/runner/work/app/app/"
        "build/reports/tests/test/index.html",
        *TRY,
        "BUILD FAILED in 9s",
    ]
    d = diagnose(actions_job("./gradlew test --configuration-cache", lines))
    assert d.category == "test_failure"
    assert d.failing_tests == ["CalcTest > addsTwo()"]
    assert PROBLEM not in _keys(d)
