# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 21, helper b21D2 (dependency installs and build tools pasted into
issues): the innermost line of a nested report (``cause_below``: Gradle's ``* What went
wrong:`` chain, bundler's ``… which depends on`` requirement), composer's ``- Conclusion:``,
Poetry's installer, npm's EINTEGRITY in its verbose stack, JSON.parse given an HTML page
(``json-got-html-page``) and a missing or non-executable build wrapper
(``build-wrapper-missing``).

Each snippet is written in the shape the tool prints; the near misses keep other tools'
lines and other causes where they were.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.evidence import BELOW_LINES, Below
from bot.diagnose.logreader import LogLine
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job


def _paste(lines: list[str]) -> io.BytesIO:
    """Output pasted into an issue: no step framing, no exit line."""
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def _texts(diagnosis) -> list[str]:
    return [k.text.strip() for k in diagnosis.key_lines]


# ---- Gradle: the innermost cause under `* What went wrong:` ---------------------------

_GRADLE_AGP = [
    "> Task :lib:prepareLintJarForPublish FAILED",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':lib:prepareLintJarForPublish'.",
    "> A failure occurred while executing com.android.build.gradle.internal.tasks.Workers$ActionFacade",
    "   > Found more than one jar in the 'lintPublish' configuration. Only one file is supported. If using a separate Gradle project, make sure compilation dependencies are using compileOnly",
    "",
    "* Try:",
    "Run with --stacktrace option to get the stack trace. Run with --info or --debug option to get more log output.",
    "",
    "BUILD FAILED in 41s",
]


def test_gradle_innermost_cause_under_what_went_wrong_is_a_key_line() -> None:
    diagnosis = diagnose(actions_job("./gradlew build", _GRADLE_AGP))
    assert diagnosis.category == "build"
    texts = _texts(diagnosis)
    assert any(t.startswith("> Found more than one jar in the 'lintPublish'") for t in texts)
    assert "Execution failed for task ':lib:prepareLintJarForPublish'." in texts
    # the wrapper's own words say nothing: not taken as the cause
    assert not any(t.startswith("> A failure occurred while executing") for t in texts)


def test_gradle_cause_continuation_lines_do_not_outrank_the_marked_cause() -> None:
    """Unmarked lines under the innermost ``> `` line continue it (``Required by:``),
    however deep they are indented."""
    lines = [
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':app:compileDebugJavaWithJavac'.",
        "> Could not resolve all task dependencies for configuration ':app:debugCompileClasspath'.",
        "   > Could not find com.example:widgets:1.4.2.",
        "     Required by:",
        "         project :app",
        "",
        "* Try:",
    ]
    texts = _texts(diagnose(actions_job("./gradlew assembleDebug", lines)))
    assert "> Could not find com.example:widgets:1.4.2." in texts
    assert "project :app" not in texts


def test_gradle_chain_pasted_without_its_markers_takes_the_most_indented_line() -> None:
    """A blog's markdown ate the ``>`` markers: the indentation still nests the chain."""
    lines = [
        "FAILURE: Build failed with an exception.",
        "* What went wrong:",
        "Execution failed for task ':sdk:prepareLintJarForPublish'.",
        "  A failure occurred while executing com.android.build.gradle.internal.tasks.Workers$ActionFacade",
        "    Found more than one jar in the 'lintPublish' configuration. Only one file is supported. If using",
        "    a separate Gradle project, make sure compilation dependencies are using compileOnly",
        "...",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "build"
    texts = _texts(diagnosis)
    assert any(t.startswith("Found more than one jar") for t in texts)
    assert not any(t.startswith("a separate Gradle project") for t in texts)


def test_what_went_wrong_followed_by_a_blank_line_adds_nothing() -> None:
    lines = ["* What went wrong:", "", "BUILD FAILED in 3s"]
    texts = _texts(diagnose(actions_job("./gradlew check", lines)))
    assert texts == ["* What went wrong:", "BUILD FAILED in 3s"]


# ---- the nested report reader itself -------------------------------------------------


def _line(number: int, text: str) -> LogLine:
    return LogLine(number=number, text=text, step=1, step_line=number)


def test_below_ends_at_a_blank_line_a_gap_or_its_length() -> None:
    rule = load_rules().by_id("gradle-build")
    assert rule is not None
    below = Below(rule, 10)
    assert below.feed(_line(11, "Execution failed for task ':a'."))
    assert below.feed(_line(12, "> boom"))
    assert not below.feed(_line(13, "   "))
    assert below.best is not None and below.best.text == "> boom"
    gap = Below(rule, 10)
    assert not gap.feed(_line(12, "> not right after the head"))
    long = Below(rule, 0)
    assert all(long.feed(_line(n, f"line {n}")) for n in range(1, BELOW_LINES + 1))
    assert not long.feed(_line(BELOW_LINES + 1, "one too many"))


def test_cause_below_is_a_rule_key_checked_like_patterns() -> None:
    with pytest.raises(Exception, match="cause_below"):
        load_rules([{"id": "x", "category": "build", "patterns": ["^boom"], "cause_below": 3}])
    rules = load_rules(
        [{"id": "x", "category": "build", "patterns": ["^boom:$"], "cause_below": ["^boom:$"]}]
    )
    assert ("^boom:$", False) in rules.below_heads()


# ---- bundler (Molinillo): the requirement under `… which depends on` -------------------

_BUNDLER_CONFLICT = [
    "Fetching gem metadata from https://rubygems.org/.........",
    "Resolving dependencies...",
    'Bundler could not find compatible versions for gem "railties":',
    "  In Gemfile:",
    "    quiet_assets was resolved to 1.0.1, which depends on",
    "      railties (~> 3.1)",
    "",
    "    rails (~> 5.0.0) was resolved to 5.0.0, which depends on",
    "      railties (= 5.0.0)",
]


def test_bundler_conflicting_requirements_are_key_lines() -> None:
    diagnosis = diagnose(actions_job("bundle install", _BUNDLER_CONFLICT))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "ruby-bundler"
    texts = _texts(diagnosis)
    assert "railties (~> 3.1)" in texts
    assert "railties (= 5.0.0)" in texts
    assert diagnosis.summary == 'Bundler could not find compatible versions for gem "railties":'


def test_bundler_gemfile_section_alone_is_not_a_cause() -> None:
    """``In Gemfile:`` lists what the Gemfile asks for, not a conflict: no head."""
    lines = [
        'Bundler could not find compatible versions for gem "rails":',
        "  In Gemfile:",
        "    rails (~> 5.0.0)",
        "",
        "Could not find gem 'rails (~> 5.0.0)' in any of the sources.",
    ]
    texts = _texts(diagnose(actions_job("bundle install", lines)))
    assert "rails (~> 5.0.0)" not in texts


# ---- composer: the solver's conclusion ------------------------------------------------


def test_composer_conclusion_line_is_a_key_line() -> None:
    lines = [
        "Loading composer repositories with package information",
        "Installing dependencies (including require-dev)",
        "Your requirements could not be resolved to an installable set of packages.",
        "",
        "  Problem 1",
        "    - satooshi/php-coveralls dev-master requires psr/log 1.0.0 -> satisfiable by psr/log[1.0.0].",
        "    - Conclusion: don't install psr/log 1.0.0",
        "    - Installation request for satooshi/php-coveralls dev-master -> satisfiable by satooshi/php-coveralls[dev-master].",
    ]
    diagnosis = diagnose(actions_job("composer install", lines))
    assert diagnosis.category == "dependency_install"
    assert "- Conclusion: don't install psr/log 1.0.0" in _texts(diagnosis)


def test_conclusion_in_prose_is_not_composers() -> None:
    rules = load_rules()
    assert rules.by_id("php-composer") not in rules.match("Conclusion: remove the cache step")
    assert rules.by_id("php-composer") in rules.match(
        "  - Conclusion: remove laravel/framework v5.5.0"
    )


# ---- Poetry's installer -----------------------------------------------------------------

_POETRY_INSTALLER = [
    "Retrieving Poetry metadata",
    "",
    "# Welcome to Poetry!",
    "",
    "Installing Poetry (2.3.1)",
    "Installing Poetry (2.3.1): Creating environment",
    "Installing Poetry (2.3.1): Installing Poetry",
    "Installing Poetry (2.3.1): An error occurred. Removing partial environment.",
    "Poetry installation failed.",
    "See /home/runner/work/app/app/poetry-installer-error-8841z44u.log for error logs.",
]


def test_poetry_installer_failure_is_a_dependency_install() -> None:
    diagnosis = diagnose(
        actions_job("curl -sSL https://install.python-poetry.org | python3 -", _POETRY_INSTALLER)
    )
    assert diagnosis.category == "dependency_install"
    texts = _texts(diagnosis)
    assert "Installing Poetry (2.3.1): An error occurred. Removing partial environment." in texts
    assert "Poetry installation failed." in texts


def test_a_scripts_own_poetry_message_is_not_the_installers() -> None:
    rules = load_rules()
    pip = rules.by_id("pip-resolution")
    assert pip not in rules.match("❌ Poetry installation failed. Please install manually.")
    assert pip not in rules.match("Installing Poetry (2.3.1): Creating environment")


# ---- npm: EINTEGRITY, also in the verbose log's stack ---------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "npm verb stack Error: Integrity checksum failed when using sha1: wanted sha1-23hhKSU8tujq5UwvsF+HCvZnW64= but got sha1-23hhKSU8tujq5UwvsF+HCvZnW64=",
        "npm verbose stack Error: Integrity checksum failed when using sha512: wanted sha512-Egb0oFEga6f== but got sha512-AAAA==",
        "npm ERR! Integrity checksum failed when using sha512: wanted sha512-Egb0oFEga6f== but got sha512-AAAA==. (1234 bytes)",
        "npm error Integrity checksum failed when using sha512: wanted sha512-x but got sha512-y",
    ],
)
def test_npm_integrity_failure_is_a_dependency_install(line: str) -> None:
    lines = [
        line,
        "npm verb stack     at RegistryFetcher.manifest (/usr/lib/node_modules/npm/node_modules/pacote/lib/registry.js:152:35)",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "npm-install"


def test_another_tools_integrity_words_are_not_npms() -> None:
    rules = load_rules()
    assert rules.by_id("npm-install") not in rules.match(
        "Error: Integrity check failed for left-pad@1.3.0"
    )


# ---- JSON.parse given an HTML page -----------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [
            "Error: SyntaxError: Unexpected token '<', \"<html>",
            '<he"... is not valid JSON',
            "    at JSON.parse (<anonymous>)",
            "    at httpGetGradleVersions (/home/runner/work/_actions/gradle/actions/v4/dist/setup-gradle/main/index.js:159204:17)",
        ],
        [
            "Error: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
            "    at JSON.parse (<anonymous>)",
        ],
        ["##[error]Unexpected token < in JSON at position 0"],
    ],
)
def test_json_parse_of_an_html_page_is_the_service(lines: list[str]) -> None:
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule == "json-got-html-page"


@pytest.mark.parametrize(
    "line",
    [
        "SyntaxError: Unexpected token '<'",  # JSX through plain node: a source file
        "SyntaxError: Unexpected token '<', \"<svg width=\"... is not valid JSON",
        "SyntaxError: Unexpected token < in JSON at position 17",
    ],
)
def test_other_unexpected_tokens_are_not_an_html_page(line: str) -> None:
    rules = load_rules()
    assert rules.by_id("json-got-html-page") not in rules.match(line)


# ---- the build tool's wrapper is missing -----------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "bash: ./gradlew: No such file or directory",
        "chmod: cannot access './gradlew': No such file or directory",
        "/home/runner/work/_temp/1b2c.sh: line 1: ./gradlew: No such file or directory",
        "/bin/sh: 1: ./mvnw: not found",
        "'gradlew' is not recognized as an internal or external command,",
        "Error: Could not find or load main class org.gradle.wrapper.GradleWrapperMain",
    ],
)
def test_a_missing_build_wrapper_is_a_build_failure(line: str) -> None:
    diagnosis = diagnose(actions_job("./gradlew assembleDebug", [line], code=127))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "build-wrapper-missing"


def test_docker_action_paste_without_the_wrapper_is_a_build_failure() -> None:
    lines = [
        " setup-android1s",
        "##[error]Docker run failed with exit code 127",
        "Run msfjarvis/setup-android@0.2",
        "/usr/bin/docker run --name e6e1 --workdir /github/workspace --rm -e INPUT_GRADLETASKS msfjarvis/setup-android",
        "chmod: cannot access './gradlew': No such file or directory",
        "bash: ./gradlew: No such file or directory",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "build"
    assert "bash: ./gradlew: No such file or directory" in _texts(diagnosis)


@pytest.mark.parametrize(
    "line",
    [
        "bash: ./build.sh: No such file or directory",
        "bash: line 1: gradle: command not found",
        "> Task :app:gradlew FAILED",
    ],
)
def test_other_missing_commands_are_not_the_wrapper(line: str) -> None:
    rules = load_rules()
    assert rules.by_id("build-wrapper-missing") not in rules.match(line)
