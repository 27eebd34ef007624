"""Hints that fit the failure: a formatter check says the exact command that fixes it."""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.hints import formatter_fix_command
from tests.diagnose.joblogs import actions_job


@pytest.mark.parametrize(
    ("check", "fix"),
    [
        ("black --check --diff .", "black ."),
        ("isort --check-only --diff --profile black .", "isort --profile black ."),
        ("ruff format --check .", "ruff format ."),
        ("npx prettier --check 'src/**/*.ts'", "npx prettier --write 'src/**/*.ts'"),
        ("gofmt -l .", "gofmt -w ."),
        ("cargo fmt --all -- --check", "cargo fmt --all"),
        ("clang-format --dry-run --Werror src/a.c", "clang-format -i src/a.c"),
        ("mix format --check-formatted", "mix format"),
        ("./gradlew spotlessCheck", "./gradlew spotlessApply"),
        ("./gradlew :app:spotlessCheck --no-daemon", "./gradlew :app:spotlessApply --no-daemon"),
        ("./gradlew app:ktlintCheck", "./gradlew app:ktlintFormat"),
        ("mvn -B spotless:check", "mvn -B spotless:apply"),
        ("mvn -B fmt:check", "mvn -B fmt:format"),
        ("sbt scalafmtCheckAll scalafmtSbtCheck", "sbt scalafmtAll scalafmtSbt"),
        ("terraform fmt -check -recursive", "terraform fmt -recursive"),
        ("deno fmt --check", "deno fmt"),
        ("dart format --output=none --set-exit-if-changed .", "dart format ."),
        ("zig fmt --check src", "zig fmt src"),
        ("yapf --diff -r .", "yapf -i -r ."),
        ("vendor/bin/php-cs-fixer fix --dry-run --diff", "vendor/bin/php-cs-fixer fix"),
        ("swiftformat --lint .", "swiftformat ."),
        ("pip install black && black --check .", "black ."),
    ],
)
def test_a_formatter_check_command_gives_its_fixing_form(check: str, fix: str) -> None:
    assert formatter_fix_command(check) == fix


@pytest.mark.parametrize(
    "command",
    [
        "pytest -q",
        "terraform plan -out tfplan",  # not the fmt sub-command
        "terraform validate -check",
        "deno test --check",
        "black --version",  # no check flag: nothing to turn into a fix
        "./gradlew check",
        "mvn -B verify",
    ],
)
def test_a_command_that_is_not_a_formatter_check_has_no_fixing_form(command: str) -> None:
    assert formatter_fix_command(command) is None


SPOTLESS_GRADLE = [
    "> Task :spotlessJava",
    "> Task :spotlessJavaCheck FAILED",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':spotlessJavaCheck'.",
    "> The following files had format violations:",
    "      src/main/java/com/acme/Foo.java",
    "          @@ -1,3 +1,3 @@",
    "          -import java.util.*;\\n",
    "          +import java.util.List;\\n",
    "  Run './gradlew :spotlessApply' to fix these violations.",
    "",
    "BUILD FAILED in 12s",
]
SPOTLESS_MAVEN = [
    "[INFO] --- spotless-maven-plugin:2.43.0:check (default-cli) @ demo ---",
    "[ERROR] Failed to execute goal com.diffplug.spotless:spotless-maven-plugin:2.43.0:check"
    " (default-cli) on project demo: The following files had format violations:",
    "[ERROR]     src/main/java/com/acme/Foo.java",
    "[ERROR]         @@ -1,3 +1,3 @@",
    "[ERROR] Run 'mvn spotless:apply' to fix these violations.",
    "[ERROR] -> [Help 1]",
]


@pytest.mark.parametrize(
    ("command", "lines", "fix"),
    [
        ("./gradlew build", SPOTLESS_GRADLE, "./gradlew :spotlessApply"),
        ("mvn -B verify", SPOTLESS_MAVEN, "mvn spotless:apply"),
    ],
)
def test_a_formatter_inside_a_build_gives_the_fix_it_advises(
    command: str, lines: list[str], fix: str
) -> None:
    """The step ran the whole build, so its command line cannot be turned into a fix; the
    formatter printed the one to run, and the hint quotes it rather than ``./gradlew build``."""
    diagnosis = diagnose(actions_job(command, lines))
    assert diagnosis.category == "format"
    assert diagnosis.hint == f"Run `{fix}` locally and commit the result."


def test_advice_to_fix_counts_only_for_a_format_failure() -> None:
    lines = [
        "FAIL src/sum.test.js",
        "  ● sum › adds",
        "    expect(received).toBe(expected) // Object.is equality",
        "Run 'npm run fix' to apply the suggested changes.",
        "Tests:       1 failed, 1 total",
    ]
    diagnosis = diagnose(actions_job("npx jest", lines))
    assert diagnosis.category == "test_failure"
    assert "npm run fix" not in (diagnosis.hint or "")
