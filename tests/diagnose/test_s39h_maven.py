"""Maven's own failures: the category a maintainer names and the line they read first
(rules ``maven-enforcer-deps``, ``maven-enforcer``, ``jvm-release-unsupported``, new patterns
of ``maven-build`` and ``maven-test-goal-failed``; Maven's ``BUILD FAILURE`` banner no longer
takes a key line's place).

Each message is copied from the tool's source:

- apache/maven-enforcer ``maven-enforcer-plugin/src/main/java/org/apache/maven/plugins/
  enforcer/EnforceMojo.java`` ``createRuleMessage`` (``Rule 0: <class>[(<name>)] failed with
  message:`` and the rule's message on the next line(s); 3.2+ throws it as the goal's
  MojoExecutionException message, 1.x-3.1 log it at WARN above ``Some Enforcer rules have
  failed. Look above for specific messages explaining why the rule failed.``),
  ``enforcer-rules/.../version/AbstractVersionEnforcer.java`` (``Detected Maven Version: 3.6.3
  is not in the allowed range [3.8.1,).``), ``.../version/RequireJavaVersion.java``
  (``Detected JDK /path is version 11.0.21 which is not in the allowed range [17,).``) and
  ``.../dependency/BannedDependencies.java`` (``   group:artifact:jar:1.2 <--- banned via the
  exclude/include list``);
- apache/maven ``maven-core/.../lifecycle/internal/DefaultLifecycleTaskSegmentCalculator`` /
  ``DefaultLifecycleExecutionPlanCalculator`` (``Unknown lifecycle phase "tset". You must
  specify a valid lifecycle phase or a goal in the format …``);
- apache/maven-compiler-plugin ``AbstractCompilerMojo.java`` (``Fatal error compiling: error:
  release version 21 not supported``; javac's ``invalid target release: 21``), plexus-compiler's
  ``path:[line,col] message`` and javac's ``warnings found and -Werror specified``;
- JetBrains/kotlin ``libraries/tools/kotlin-maven-plugin/.../MavenPluginLogMessageCollector``
  (``path: (line, col) message``).
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.logreader import text_source
from tests.diagnose.joblogs import actions_job

FAILURE_BANNER = [
    "[INFO] ------------------------------------------------------------------------",
    "[INFO] BUILD FAILURE",
    "[INFO] ------------------------------------------------------------------------",
    "[INFO] Total time:  3.021 s",
]
HELP_TAIL = [
    "[ERROR] ",
    "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
    "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
]


def _actions(command: str, lines: list[str], code: int = 1) -> Diagnosis:
    log: io.BytesIO = actions_job(command, lines, code)
    return diagnose(log.getvalue())


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


def _has(result: Diagnosis, message: str, within: int = 3) -> None:
    texts = _texts(result)
    assert any(message in t for t in texts[:within]), texts


# --- maven-enforcer-plugin ---------------------------------------------------------------

JAVA_VERSION_MESSAGE = (
    "Detected JDK /usr/lib/jvm/temurin-11-jdk-amd64 is version 11.0.21 which is not in the "
    "allowed range [17,)."
)


def test_enforcer_3x_java_version_is_the_toolchain() -> None:
    """3.2+: the rule and its message are the goal's message, [ERROR] lines under it."""
    result = _actions(
        "mvn -B verify",
        [
            "[INFO] --- maven-enforcer-plugin:3.4.1:enforce (enforce-versions) @ app ---",
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin:"
            "3.4.1:enforce (enforce-versions) on project app: ",
            "[ERROR] Rule 0: org.apache.maven.enforcer.rules.version.RequireJavaVersion failed"
            " with message:",
            f"[ERROR] {JAVA_VERSION_MESSAGE}",
            "[ERROR] -> [Help 1]",
            *HELP_TAIL,
        ],
    )
    assert result.category == "dependency_install", (result.category, _texts(result))
    _has(result, JAVA_VERSION_MESSAGE)
    assert not any(t.endswith("BUILD FAILURE") for t in _texts(result)), _texts(result)


def test_enforcer_1x_banned_dependency_logged_at_warning() -> None:
    """1.x-3.1: the failed rule is logged at WARN (a named rule: ``Class(name)``) above the
    goal's ``Some Enforcer rules have failed``; the banned artifact is the cause."""
    result = _actions(
        "mvn -B verify",
        [
            "[INFO] --- maven-enforcer-plugin:3.0.0:enforce (ban) @ app ---",
            "[WARNING] Rule 1: org.apache.maven.plugins.enforcer.BannedDependencies"
            "(no-commons-logging) failed with message:",
            "Found Banned Dependency: commons-logging:commons-logging:jar:1.2",
            "Use 'mvn dependency:tree' to locate the source of the banned dependencies.",
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin:"
            "3.0.0:enforce (ban) on project app: Some Enforcer rules have failed. Look above for"
            " specific messages explaining why the rule failed. -> [Help 1]",
        ],
    )
    assert result.category == "dependency_install", (result.category, _texts(result))
    _has(result, "Found Banned Dependency: commons-logging:commons-logging:jar:1.2")


def test_enforcer_other_rule_is_the_build_and_its_message_below_is_key() -> None:
    """A rule on the build's own files: build, and the message under the head is shown."""
    result = _actions(
        "mvn -B verify",
        [
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin:"
            "3.4.1:enforce (files) on project app: ",
            "[ERROR] Rule 0: org.apache.maven.enforcer.rules.files.RequireFilesExist failed"
            " with message:",
            "[ERROR] Some required files are missing:",
            "[ERROR] /home/runner/work/app/app/src/main/resources/app.properties",
            "[ERROR] -> [Help 1]",
        ],
    )
    assert result.category == "build", (result.category, _texts(result))
    _has(result, "Some required files are missing:")


def test_enforcer_warned_rule_does_not_fail() -> None:
    """Near miss: a rule at WARN level (``warned with message``) does not fail the build;
    the compile error after it does."""
    result = _actions(
        "mvn -B verify",
        [
            "[WARNING] Rule 0: org.apache.maven.enforcer.rules.version.RequireMavenVersion"
            " warned with message:",
            "[WARNING] Detected Maven Version: 3.6.3 is not in the allowed range [3.8.1,).",
            "[ERROR] COMPILATION ERROR : ",
            "[ERROR] /home/runner/work/app/app/src/main/java/com/example/App.java:[12,8]"
            " cannot find symbol",
            "  symbol:   class Foo",
            *FAILURE_BANNER,
        ],
    )
    assert result.category == "build", (result.category, _texts(result))
    assert result.rule == "maven-build", result.rule
    _has(result, "App.java:[12,8] cannot find symbol")


# --- the JDK's release ----------------------------------------------------------------------


def test_release_not_supported_is_the_toolchain() -> None:
    result = _actions(
        "mvn -B package",
        [
            "[INFO] --- maven-compiler-plugin:3.11.0:compile (default-compile) @ app ---",
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:"
            "3.11.0:compile (default-compile) on project app: Fatal error compiling: error:"
            " release version 21 not supported -> [Help 1]",
            *HELP_TAIL,
        ],
    )
    assert result.category == "dependency_install", (result.category, _texts(result))
    _has(result, "release version 21 not supported", within=1)


def test_invalid_target_release_from_older_javac() -> None:
    result = _actions(
        "mvn -B package",
        [
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:"
            "3.8.1:compile (default-compile) on project app: Fatal error compiling: invalid"
            " target release: 17 -> [Help 1]",
        ],
    )
    assert result.category == "dependency_install", (result.category, _texts(result))


def test_a_compile_error_mentioning_release_stays_build() -> None:
    """Near miss: a source error that only mentions a release is the code's."""
    result = _actions(
        "mvn -B package",
        [
            "[ERROR] COMPILATION ERROR : ",
            "[ERROR] /home/runner/work/app/app/src/main/java/com/example/Release.java:[4,8]"
            " class Release version 21 is public, should be declared in a file named X.java",
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:"
            "3.11.0:compile (default-compile) on project app: Compilation failure",
        ],
    )
    assert result.category == "build", (result.category, _texts(result))


# --- Maven could not start the build ----------------------------------------------------------


def test_unknown_lifecycle_phase_is_the_key_line() -> None:
    message = (
        'Unknown lifecycle phase "tset". You must specify a valid lifecycle phase or a goal in'
        " the format <plugin-prefix>:<goal> or <plugin-group-id>:<plugin-artifact-id>"
        "[:<plugin-version>]:<goal>. Available lifecycle phases are: validate, initialize,"
        " compile, test, package, verify, install, deploy. -> [Help 1]"
    )
    result = _actions(
        "mvn -B tset",
        [
            "[INFO] Scanning for projects...",
            *FAILURE_BANNER,
            f"[ERROR] {message}",
            *HELP_TAIL,
            "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/"
            "LifecyclePhaseNotFoundException",
        ],
    )
    assert result.category == "build", (result.category, _texts(result))
    _has(result, 'Unknown lifecycle phase "tset"', within=1)


def test_no_plugin_found_for_prefix() -> None:
    result = _actions(
        "mvn -B spotles:check",
        [
            *FAILURE_BANNER,
            "[ERROR] No plugin found for prefix 'spotles' in the current project and in the"
            " plugin groups [org.apache.maven.plugins, org.codehaus.mojo] available from the"
            " repositories [local (/home/runner/.m2/repository), central"
            " (https://repo.maven.apache.org/maven2)] -> [Help 1]",
        ],
    )
    assert result.category == "build", (result.category, _texts(result))
    _has(result, "No plugin found for prefix 'spotles'", within=1)


# --- compiler output ------------------------------------------------------------------------


def test_werror_verdict_is_a_key_line() -> None:
    result = _actions(
        "mvn -B compile",
        [
            "[WARNING] /home/runner/work/app/app/src/main/java/com/example/App.java:[30,12]"
            " [deprecation] getFoo() in com.example.Bar has been deprecated",
            "[ERROR] COMPILATION ERROR : ",
            "[ERROR] warnings found and -Werror specified",
            "[INFO] 1 error",
            *FAILURE_BANNER,
        ],
    )
    assert result.category == "build", (result.category, _texts(result))
    _has(result, "warnings found and -Werror specified")


def test_kotlin_maven_plugin_error_position() -> None:
    result = _actions(
        "mvn -B package",
        [
            "[INFO] --- kotlin-maven-plugin:1.9.22:compile (compile) @ app ---",
            "[ERROR] /home/runner/work/app/app/src/main/kotlin/com/example/App.kt: (12, 5)"
            " Unresolved reference: foo",
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal org.jetbrains.kotlin:kotlin-maven-plugin:1.9.22:"
            "compile (compile) on project app: Compilation failure",
        ],
    )
    assert result.category == "build", (result.category, _texts(result))
    assert result.rule == "maven-build", result.rule
    _has(result, "App.kt: (12, 5) Unresolved reference: foo", within=1)


def test_pasted_compile_error_without_level_tags() -> None:
    result = diagnose(
        text_source(
            "When I run mvn clean install I get:\n\n"
            "Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:"
            "compile (default-compile) on project demo: Compilation failure\n"
            "/Users/me/demo/src/main/java/com/demo/DemoApplication.java:[5,1] package"
            " org.springframework.boot does not exist\n\nany idea?\n"
        )
    )
    assert result.category == "build", (result.category, _texts(result))
    _has(result, "package org.springframework.boot does not exist")


def test_pasted_surefire_goal_without_level_tag_is_tests() -> None:
    """Near miss of the unprefixed paste: Surefire's goal line still names failed tests."""
    result = diagnose(
        text_source(
            "Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test"
            " (default-test) on project demo: There are test failures.\n\n"
            "Please refer to /Users/me/demo/target/surefire-reports for the individual test"
            " results.\n"
        )
    )
    assert result.category == "test_failure", (result.category, _texts(result))


# --- the banner ---------------------------------------------------------------------------


def test_build_failure_banner_is_never_a_key_line() -> None:
    result = _actions(
        "mvn -B package",
        [
            *FAILURE_BANNER,
            "[ERROR] Failed to execute goal on project app: Could not resolve dependencies for"
            " project com.example:app:jar:1.0-SNAPSHOT: The following artifacts could not be"
            " resolved: com.example:lib:jar:2.0 (absent): Could not find artifact"
            " com.example:lib:jar:2.0 in central (https://repo.maven.apache.org/maven2)"
            " -> [Help 1]",
        ],
    )
    assert result.category == "dependency_install", (result.category, _texts(result))
    _has(result, "Could not find artifact com.example:lib:jar:2.0", within=1)
    assert not any(t.endswith("BUILD FAILURE") for t in _texts(result)), _texts(result)


def test_passing_run_names_no_failure() -> None:
    """Near miss: a passing Maven run (its summary lines) names no test and no rule."""
    result = _actions(
        "mvn -B verify",
        [
            "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.045 s"
            " -- in com.example.CalculatorTest",
            "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0",
            "[INFO] BUILD SUCCESS",
        ],
        code=0,
    )
    assert result.failing_tests == []
    assert result.rule not in {"maven-build", "maven-enforcer", "maven-enforcer-deps"}
