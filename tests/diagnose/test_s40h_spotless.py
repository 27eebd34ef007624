"""Spotless's failures in a Gradle or Maven step: format violations and lint findings.

Sources (diffplug/spotless):

- ``plugin-gradle/src/main/java/com/diffplug/gradle/spotless/SpotlessCheck.java`` and
  ``lib/src/main/java/com/diffplug/spotless/extra/integration/DiffMessageFormatter.java``:
  ``The following files had format violations:``, each file and its diff indented below,
  ``Run './gradlew :app:spotlessApply' to fix these violations.``;
- ``plugin-maven/src/main/java/com/diffplug/spotless/maven/SpotlessCheckMojo.java``: the same
  message inside ``Failed to execute goal com.diffplug.spotless:spotless-maven-plugin:…``,
  and ``Run 'mvn spotless:apply' to fix these violations.``;
- ``plugin-gradle/src/main/java/com/diffplug/gradle/spotless/SpotlessCheck.java`` (Spotless
  6.23+/7, lints): ``There were 1 lint error(s), they must be fixed or suppressed.``, each
  finding ``  path:L12 step(rule) message`` below, ``Resolve these lints or suppress with
  `suppressLintsFor``` (Maven: ``<lintSuppressions>``), as its ``SpotlessCheckTest``
  expects them;
- ``lib/src/main/java/com/diffplug/spotless/Formatter.java`` (before lints): ``Step '{}' found
  problem in '{}':`` with the step's exception message below (google-java-format's
  ``77:27: error: : or -> expected``).
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from tests.diagnose.joblogs import actions_job


def _actions(command: str, lines: list[str], code: int = 1) -> Diagnosis:
    log: io.BytesIO = actions_job(command, lines, code)
    return diagnose(log.getvalue())


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


GRADLE_VIOLATIONS = [
    "> Task :app:spotlessJava",
    "> Task :app:spotlessJavaCheck FAILED",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':app:spotlessJavaCheck'.",
    "> The following files had format violations:",
    "      src/main/java/com/example/App.java",
    "          @@ -3,7 +3,7 @@",
    "          -public·class·App{",
    "          +public·class·App·{",
    "  Run './gradlew :app:spotlessApply' to fix these violations.",
    "",
    "BUILD FAILED in 12s",
]

MAVEN_VIOLATIONS = [
    "[INFO] --- spotless-maven-plugin:2.43.0:check (default-cli) @ demo ---",
    "[INFO] BUILD FAILURE",
    "[ERROR] Failed to execute goal com.diffplug.spotless:spotless-maven-plugin:2.43.0:check "
    "(default-cli) on project demo: The following files had format violations:",
    "[ERROR]     src/main/java/com/example/Foo.java",
    "[ERROR]         @@ -10,7 +10,7 @@",
    "[ERROR]         -····return·a+b;",
    "[ERROR]         +····return·a·+·b;",
    "[ERROR] Run 'mvn spotless:apply' to fix these violations.",
    "[ERROR] -> [Help 1]",
]

GRADLE_LINTS = [
    "> Task :spotlessKotlin FAILED",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':spotlessKotlin'.",
    "> There were 1 lint error(s), they must be fixed or suppressed.",
    "  src/main/kotlin/Foo.kt:L12 ktlint(standard:no-wildcard-imports) Wildcard import",
    "  Resolve these lints or suppress with `suppressLintsFor`",
    "",
    "BUILD FAILED in 12s",
]

MAVEN_LINTS = [
    "[INFO] BUILD FAILURE",
    "[ERROR] Failed to execute goal com.diffplug.spotless:spotless-maven-plugin:3.0.0:check "
    "(default-cli) on project demo: There were 1 lint error(s), they must be fixed or "
    "suppressed.",
    "[ERROR] src/main/java/test.java:L1 forbidWildcardImports(import java.util.*;) Do not use "
    "wildcard imports",
    "[ERROR] Resolve these lints or suppress with `<lintSuppressions>`",
    "[ERROR] -> [Help 1]",
]

STEP_PROBLEM = [
    "> Task :spotlessJava FAILED",
    "Step 'google-java-format' found problem in 'src/main/java/org/example/Game.java':",
    "77:27: error: : or -> expected",
    "com.google.googlejavaformat.java.FormatterException: 77:27: error: : or -> expected",
    "\tat com.google.googlejavaformat.java.FormatterException.fromJavacDiagnostics"
    "(FormatterException.java:51)",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':spotlessJava'.",
    "> 77:27: error: : or -> expected",
    "",
    "BUILD FAILED in 12s",
]


def test_gradle_format_violations_are_format() -> None:
    result = _actions("./gradlew spotlessCheck", GRADLE_VIOLATIONS)
    assert result.category == "format", (result.category, _texts(result))
    assert any("The following files had format violations:" in t for t in _texts(result))


def test_maven_format_violations_are_format() -> None:
    result = _actions("mvn -B spotless:check", MAVEN_VIOLATIONS)
    assert result.category == "format", (result.category, _texts(result))
    assert any("The following files had format violations:" in t for t in _texts(result))


def test_gradle_lints_are_format_with_the_finding_as_key_line() -> None:
    result = _actions("./gradlew spotlessCheck", GRADLE_LINTS)
    texts = _texts(result)
    assert result.category == "format", (result.category, texts)
    assert result.rule == "spotless-lint"
    finding = "Foo.kt:L12 ktlint(standard:no-wildcard-imports) Wildcard import"
    assert any(finding in t for t in texts), texts


def test_maven_lints_are_format() -> None:
    result = _actions("mvn -B spotless:check", MAVEN_LINTS)
    texts = _texts(result)
    assert result.category == "format", (result.category, texts)
    assert any("test.java:L1 forbidWildcardImports" in t for t in texts), texts


def test_a_step_problem_is_format_with_its_message_below() -> None:
    # the step's name is not in the command: `./gradlew check` runs spotlessCheck too
    result = _actions("./gradlew check", STEP_PROBLEM)
    texts = _texts(result)
    assert result.category == "format", (result.category, texts)
    assert "77:27: error: : or -> expected" in texts[:3], texts


def test_near_miss_a_passing_spotless_run_is_not_a_failure() -> None:
    passing = [
        "> Task :spotlessJava",
        "> Task :spotlessJavaCheck",
        "> Task :spotlessCheck",
        "> Task :compileJava FAILED",
        "src/main/java/App.java:5: error: cannot find symbol",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':compileJava'.",
        "> Compilation failed; see the compiler error output for details.",
    ]
    result = _actions("./gradlew build", passing)
    assert result.category == "build", (result.category, _texts(result))
    assert result.rule != "spotless-lint"


def test_near_miss_another_tools_lint_summary_is_not_spotless() -> None:
    other = [
        "> Task :app:lintDebug FAILED",
        "Lint found 3 errors and 2 warnings. There were 3 errors in the report.",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':app:lintDebug'.",
        "> Lint found errors in the project; aborting build.",
    ]
    result = _actions("./gradlew lintDebug", other)
    assert result.rule != "spotless-lint"
    assert result.category == "lint", (result.category, _texts(result))
