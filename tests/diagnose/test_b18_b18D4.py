# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 18, helper b18D4 (CI output pasted into GitHub issues): Maven's levels
as a GitHub Actions runner prints them (``Error:  …``), Surefire/Failsafe's goal line as the
only trace of failing tests, Gradle's ``Could not GET`` of an I/O failure, BuildKit's
registry status after the URL, the runner's ``Build container for action use`` step, and
Cucumber's failing-scenario list with the error above it.

Each snippet is in the shape the tool prints; the near misses keep what must not change.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_cucumber import Cucumber
from bot.diagnose.logreader import tool_levels
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job, fed, travis_one_command


def _paste(lines: list[str]) -> io.BytesIO:
    """Output pasted into an issue: no step framing, no runner exit line."""
    return io.BytesIO("".join(f"{line}\n" for line in lines).encode())


def _rules_of(text: str) -> list[str]:
    return [rule.id for rule in load_rules().match(text)]


# ---- Maven's levels on a GitHub Actions runner -----------------------------------------


def test_actions_levels_read_as_maven_levels() -> None:
    assert (
        tool_levels(b"Error:  Failed to execute goal x\n") == b"[ERROR] Failed to execute goal x\n"
    )
    assert tool_levels(b"Warning:  Some problems were encountered\nError:  Failed x\n") == (
        b"[WARNING] Some problems were encountered\n[ERROR] Failed x\n"
    )
    # a block of warnings alone is left as printed: one scan per block is all a runner's own
    # log of hundreds of megabytes pays for these (bench/diagnose.py), and a warning names
    # no failure either way
    assert tool_levels(b"Warning:  Some problems were encountered\n") == (
        b"Warning:  Some problems were encountered\n"
    )
    stamped = b"2024-01-01T00:00:01.0000000Z Error:  /a/B.java:[4,26] cannot find symbol\n"
    assert tool_levels(stamped) == (
        b"2024-01-01T00:00:01.0000000Z [ERROR] /a/B.java:[4,26] cannot find symbol\n"
    )
    # a tool's own `[ERROR]` block shown as an annotation (PHPStan's summary): one level
    assert tool_levels(b"Error:  [ERROR] Found 112 errors   \n") == b"[ERROR] Found 112 errors   \n"


def test_actions_levels_near_misses_stay() -> None:
    for line in (
        b"Error: Process failed\n",  # one space: a tool's own message
        b"Error: Cannot find module 'x'\n",  # a tool's own message
        b"  Error:  indented is another tool's text\n",
        b"SomeError:  two spaces inside a word\n",
    ):
        assert tool_levels(line) == line


def test_log_view_exit_line_is_the_runners() -> None:
    assert tool_levels(b"Error: Process completed with exit code 137.\n") == (
        b"##[error]Process completed with exit code 137.\n"
    )
    stamped = b"2024-01-01T00:00:09.0000000Z Error: Process completed with exit code 2.\r\n"
    assert tool_levels(stamped) == (
        b"2024-01-01T00:00:09.0000000Z ##[error]Process completed with exit code 2.\r\n"
    )
    # a tool's own sentence that only starts the same way
    line = b"Error: Process completed with exit code 1. Retrying in 5s\n"
    assert tool_levels(line) == line


def test_pasted_step_output_names_no_step() -> None:
    lines = [
        "Inspecting 5 files",
        "....W",
        "Offenses:",
        "scripts/x.rb:23:25: W: Lint/UselessAssignment: Useless assignment to variable - e.",
        "5 files inspected, 1 offense detected",
        "Error: Process completed with exit code 1.",
    ]
    d = diagnose(_paste(lines))
    assert d.category == "lint"
    assert d.failing_step is None
    assert not any("Process completed" in k.text for k in d.key_lines)


def test_surefire_on_actions_names_the_failing_test() -> None:
    lines = [
        "[INFO] Running com.acme.CalcTest",
        "Error:  Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s <<< FAILURE! - in com.acme.CalcTest",
        "Error:  com.acme.CalcTest.adds  Time elapsed: 0.01 s  <<< FAILURE!",
        "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
        "\tat com.acme.CalcTest.adds(CalcTest.java:12)",
        "[INFO] ",
        "[INFO] Results:",
        "[INFO] ",
        "Error:  Failures: ",
        "Error:    CalcTest.adds:12 expected: <4> but was: <5>",
        "[INFO] ",
        "Error:  Tests run: 2, Failures: 1, Errors: 0, Skipped: 0",
        "Error:  Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project calc: There are test failures.",
    ]
    d = diagnose(actions_job("mvn -B test", lines))
    assert d.category == "test_failure"
    assert d.failing_step == "Run mvn -B test"
    assert any("CalcTest" in t and "adds" in t for t in d.failing_tests)


def test_maven_compile_error_on_actions_is_build() -> None:
    lines = [
        "[INFO] BUILD FAILURE",
        "Error:  Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project app: Compilation failure",
        "Error:  /home/runner/work/app/app/src/main/java/com/acme/Foo.java:[4,26] cannot find symbol",
        "Error:    symbol:   class DatabasePlatform",
        "Error:    location: package com.acme",
        "Error:  -> [Help 1]",
    ]
    d = diagnose(actions_job("mvn -B verify", lines))
    assert d.category == "build"
    assert any("Foo.java:[4,26] cannot find symbol" in k.text for k in d.key_lines)


def test_maven_warnings_on_actions_are_not_the_cause() -> None:
    lines = [
        "Warning:  Some problems were encountered while building the effective model",
        "Warning:  'build.plugins.plugin.version' for maven-jar-plugin is missing.",
        "Error:  Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project app: Compilation failure",
        "Error:  /home/runner/work/app/app/src/main/java/Foo.java:[9,5] ';' expected",
    ]
    d = diagnose(actions_job("mvn -B package", lines))
    assert d.category == "build"
    assert not any("effective model" in k.text for k in d.key_lines)


# ---- Surefire / Failsafe: the goal line is all the paste keeps --------------------------

_FAILSAFE_PASTE = [
    "Error:  Failed to execute goal org.apache.maven.plugins:maven-failsafe-plugin:3.0.0-M5:verify (default) on project screenplay: There are test failures.",
    "Error:  ",
    "Error:  Please refer to /home/runner/work/ui-test/ui-test/target/failsafe-reports for the individual test results.",
    "Error:  -> [Help 1]",
    "Error: Process completed with exit code 1.",
]


def test_failsafe_goal_line_is_a_test_failure() -> None:
    d = diagnose(_paste(_FAILSAFE_PASTE))
    assert d.category == "test_failure"
    assert any("There are test failures." in k.text for k in d.key_lines)


def test_surefire_goal_line_on_travis_is_a_test_failure() -> None:
    lines = [
        "[INFO] BUILD FAILURE",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test (default-test) on project core: There are test failures.",
        "[ERROR] ",
        "[ERROR] Please refer to /home/travis/build/acme/core/target/surefire-reports for the individual test results.",
    ]
    d = diagnose(travis_one_command("mvn test -B", lines))
    assert d.category == "test_failure"


def test_goal_line_near_misses() -> None:
    assert "maven-test-goal-failed" not in _rules_of(
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:testCompile (default-testCompile) on project app: Compilation failure"
    )
    # the fork died: not a verdict on tests that ran
    assert "maven-test-goal-failed" not in _rules_of(
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project app: There was a timeout or other error in the fork"
    )


# ---- Gradle: an HTTP request that failed on I/O -----------------------------------------

_GRADLE_UNKNOWN_HOST = [
    "Could not determine the dependencies of task ':api:spotlessCheck'.",
    "> Could not create task ':api:spotlessJava'.",
    "   > Could not resolve all files for configuration ':api:spotless865455342'.",
    "      > Could not resolve com.google.googlejavaformat:google-java-format:1.15.0.",
    "        Required by:",
    "            project :api",
    "         > Could not resolve com.google.googlejavaformat:google-java-format:1.15.0.",
    "            > Could not get resource 'https://repo.maven.apache.org/maven2/com/google/googlejavaformat/google-java-format/1.15.0/google-java-format-1.15.0.pom'.",
    "               > Could not GET 'https://repo.maven.apache.org/maven2/com/google/googlejavaformat/google-java-format/1.15.0/google-java-format-1.15.0.pom'.",
    "                  > repo.maven.apache.org",
]


def test_gradle_could_not_get_is_the_network() -> None:
    d = diagnose(_paste(_GRADLE_UNKNOWN_HOST))
    assert d.category == "infra_network"
    assert any("> Could not GET 'https://repo.maven.apache.org" in k.text for k in d.key_lines)
    assert "network-error" in _rules_of(
        "      > Could not HEAD 'https://plugins.gradle.org/m2/com/x/x.pom'."
    )


def test_gradle_could_not_get_near_misses() -> None:
    # a status the server chose: 401/403 is the credentials, a 5xx has its own pattern
    assert "network-error" not in _rules_of(
        "   > Could not GET 'https://maven.pkg.github.com/acme/x/x.pom'. Received status code 401 from server: Unauthorized"
    )
    # a 404 is `Could not find`, the dependency's problem
    d = diagnose(
        _paste(
            [
                "> Could not resolve all artifacts for configuration ':classpath'.",
                "   > Could not find org.ajoberstar:grgit:2.3.0.",
                "     Searched in the following locations:",
                "       - https://jcenter.bintray.com/org/ajoberstar/grgit/2.3.0/grgit-2.3.0.pom",
            ]
        )
    )
    assert d.category == "dependency_install"


# ---- Docker: a registry's status after the URL ------------------------------------------

_BUILD_ACTION = [
    "##[group]Build container for action use: '/home/runner/work/_actions/acme/comment-action/v3/Dockerfile'.",
    '##[command]/usr/bin/docker build -t a3a522:fdfacc91 -f "/home/runner/work/_actions/acme/comment-action/v3/Dockerfile" "/home/runner/work/_actions/acme/comment-action/v3"',
    '#0 building with "default" instance using docker driver',
    "#3 [internal] load metadata for docker.io/acme/comment-action-base:v6",
    "#3 ERROR: failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/acme/comment-action-base/manifests/sha256:9007: 429 Too Many Requests - Server message: toomanyrequests",
]


def test_buildkit_registry_429_after_url_is_the_network() -> None:
    assert "docker-pull-limit" in _rules_of(
        "#3 ERROR: failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/a/b/manifests/sha256:90: 429 T"
    )
    assert "docker-pull-limit" in _rules_of(
        "ERROR: failed to do request: unexpected status code https://ghcr.io/v2/a/b/blobs/sha256:1: 503 Service Unavailable"
    )


def test_buildkit_status_near_misses() -> None:
    for line in (
        "ERROR: failed to authorize: unexpected status code https://auth.docker.io/token: 401 Unauthorized",
        "ERROR: unexpected status code https://registry-1.docker.io/v2/a/b/manifests/v9: 404 Not Found",
    ):
        assert "docker-pull-limit" not in _rules_of(line)


def test_build_container_for_action_is_its_own_step() -> None:
    stamped = [
        "Current runner version: '2.320.0'",
        "##[group]Operating System",
        "Ubuntu",
        "##[endgroup]",
        *_BUILD_ACTION,
        "##[endgroup]",
        "##[error]Docker build failed with exit code 1",
    ]
    text = "".join(f"2024-10-14T16:27:{i:02d}.0000000Z {line}\n" for i, line in enumerate(stamped))
    d = diagnose(io.BytesIO(text.encode()))
    assert d.category == "infra_network"
    assert d.failing_step is not None
    assert d.failing_step.startswith("Build container for action use: ")


def test_steps_after_a_built_action_still_split() -> None:
    lines = [
        *_BUILD_ACTION[:3],
        "#3 DONE 1.2s",
        "##[endgroup]",
        "##[group]Run pytest -q",
        "pytest -q",
        "##[endgroup]",
        "FAILED tests/test_x.py::test_y - assert 1 == 2",
        "##[error]Process completed with exit code 1.",
    ]
    d = diagnose(_paste(lines))
    assert d.failing_step == "Run pytest -q"
    assert d.category == "test_failure"


# ---- Cucumber ---------------------------------------------------------------------------

_CUCUMBER_PROGRESS = [
    "....F--",
    "",
    "(::) failed steps (::)",
    "",
    "expected: /1\\ example,\\ 0\\ failures/",
    '     got: "" (using =~)',
    "Diff:",
    "@@ -1,2 +1,2 @@",
    "-/1\\ example,\\ 0\\ failures/",
    '+""',
    " (RSpec::Expectations::ExpectationNotMetError)",
    './features/step_definitions/additional_cli_steps.rb:5:in `/^the file "([^"]*)" should contain "([^"]*)"$/\'',
    'features/configuration/output_stream.feature:24:in `Then the file "saved_output" should contain "1 example, 0 failures"\'',
    "",
    "Failing Scenarios:",
    "cucumber features/configuration/output_stream.feature:13 # Scenario: redirecting output",
    "",
    "3 scenarios (1 failed, 2 passed)",
    "14 steps (1 failed, 2 skipped, 11 passed)",
]


def test_cucumber_progress_names_the_scenario_and_its_error() -> None:
    d = diagnose(travis_one_command("bundle exec cucumber", _CUCUMBER_PROGRESS))
    assert d.category == "test_failure"
    assert d.failing_tests == ["features/configuration/output_stream.feature:13"]
    failure = d.failures[0]
    assert failure.message is not None and failure.message.startswith("expected: /1\\ example")
    assert failure.location == "features/configuration/output_stream.feature:24"
    texts = [k.text for k in d.key_lines]
    assert any(t.startswith("expected: /1") for t in texts)
    assert any('got: "" (using =~)' in t for t in texts)


def test_cucumber_pretty_errors_go_to_their_scenarios() -> None:
    lines = [
        "  Scenario: adds two numbers        # features/calc.feature:3",
        "    Given a calculator              # features/step_definitions/calc_steps.rb:1",
        "    Then the result is 5            # features/step_definitions/calc_steps.rb:9",
        "      expected: 5",
        "           got: 4",
        "      ",
        "      (compared using ==)",
        "       (RSpec::Expectations::ExpectationNotMetError)",
        "      ./features/step_definitions/calc_steps.rb:10:in `/^the result is (\\d+)$/'",
        "      features/calc.feature:5:in `Then the result is 5'",
        "",
        "  Scenario: divides by zero         # features/calc.feature:8",
        "    When I divide 1 by 0            # features/step_definitions/calc_steps.rb:5",
        "      divided by 0 (ZeroDivisionError)",
        "      ./features/step_definitions/calc_steps.rb:6:in `/`'",
        "      features/calc.feature:9:in `When I divide 1 by 0'",
        "",
        "Failing Scenarios:",
        "cucumber -p ci features/calc.feature:3 # Scenario: adds two numbers",
        "cucumber -p ci features/calc.feature:8 # Scenario: divides by zero",
        "",
        "2 scenarios (2 failed)",
    ]
    got = {f.test: f for f in fed(Cucumber(), lines).failures()}
    assert list(got) == ["features/calc.feature:3", "features/calc.feature:8"]
    assert got["features/calc.feature:3"].message == "expected: 5 got: 4 (compared using ==)"
    assert got["features/calc.feature:3"].location == "features/calc.feature:5"
    assert got["features/calc.feature:8"].message == "divided by 0"
    assert got["features/calc.feature:8"].location == "features/calc.feature:9"


def test_cucumber_jvm_failed_scenarios_list() -> None:
    lines = [
        "Failed scenarios:",
        "classpath:features/login.feature:10 # Successful login",
        "file:src/test/resources/features/cart.feature:4 # Add to cart",
        "",
        "2 Scenarios (2 failed)",
    ]
    ex = fed(Cucumber(), lines)
    assert ex.tests() == [
        "classpath:features/login.feature:10",
        "file:src/test/resources/features/cart.feature:4",
    ]
    assert "cucumber-failed" in _rules_of("2 Scenarios (2 failed)")
    assert "cucumber-failed" in _rules_of("classpath:features/login.feature:10 # Successful login")


def test_cucumber_near_misses() -> None:
    # an exception class line and a frame without the failing-scenario list: no test
    lines = [
        "boom (RuntimeError)",
        "features/a.feature:4:in `Given boom'",
        "3 scenarios (3 passed)",
    ]
    assert fed(Cucumber(), lines).tests() == []
    assert "cucumber-failed" not in _rules_of("3 scenarios (3 passed)")
    assert "cucumber-failed" not in _rules_of("12 steps (1 failed, 11 passed)")
    # a list ends at its first line that is no scenario
    ex = fed(
        Cucumber(), ["Failing Scenarios:", "Done.", "cucumber features/x.feature:2 # Scenario: x"]
    )
    assert ex.tests() == []
