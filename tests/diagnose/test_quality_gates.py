# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Quality gates that fail a job after the code built and the tests passed: a coverage
minimum (pytest-cov, coverage.py, Jest, nyc/c8/Vitest, JaCoCo, Kover, SimpleCov), license
headers (Apache RAT, license-maven-plugin), SpotBugs/PMD findings and Maven Enforcer's
dependency convergence. Without rules of their own the plugin's ``Failed to execute goal``
line read as a build failure, or a passing suite read as one that could not load.

Each snippet is written in the shape the tool prints.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import RuleError, load_rules
from tests.diagnose.joblogs import actions_job


def _keys(got) -> list[str]:
    return [k.text for k in got.key_lines]


_MAVEN_TAIL = [
    "[INFO] ------------------------------------------------------------------------",
    "[INFO] BUILD FAILURE",
    "[INFO] ------------------------------------------------------------------------",
    "[INFO] Total time:  4.210 s",
]

COVERAGE = [
    (
        "pytest --cov=app --cov-fail-under=80",
        [
            "tests/test_core.py ............                                          [100%]",
            "---------- coverage: platform linux, python 3.12.3-final-0 -----------",
            "TOTAL            40     12    70%",
            "FAIL Required test coverage of 80% not reached. Total coverage: 70.00%",
            "============================== 12 passed in 0.31s ==============================",
        ],
        "FAIL Required test coverage of 80% not reached",
    ),
    (
        "coverage report --fail-under=90",
        [
            "Name          Stmts   Miss  Cover",
            "TOTAL            40     12    70%",
            "Coverage failure: total of 70 is less than fail-under=90",
        ],
        "Coverage failure: total of 70 is less than fail-under=90",
    ),
    (
        "npx jest --coverage",
        [
            "Test Suites: 3 passed, 3 total",
            "Tests:       14 passed, 14 total",
            "Snapshots:   0 total",
            "Time:        2.1 s",
            'Jest: "global" coverage threshold for lines (80%) not met: 71.42%',
        ],
        "coverage threshold for lines (80%) not met: 71.42%",
    ),
    (
        "npx vitest run --coverage",
        [
            " ✓ test/a.test.ts (3 tests) 4ms",
            " Test Files  1 passed (1)",
            "      Tests  3 passed (3)",
            "ERROR: Coverage for lines (71.42%) does not meet global threshold (80%)",
        ],
        "ERROR: Coverage for lines (71.42%) does not meet global threshold (80%)",
    ),
    (
        "mvn -B verify",
        [
            "[INFO] --- jacoco-maven-plugin:0.8.11:check (check) @ demo ---",
            "[INFO] Analyzed bundle 'demo' with 12 classes",
            "[WARNING] Rule violated for bundle demo: lines covered ratio is 0.71, but expected minimum is 0.80",
            *_MAVEN_TAIL,
            "[ERROR] Failed to execute goal org.jacoco:jacoco-maven-plugin:0.8.11:check (check) on project demo: Coverage checks have not been met. See log for details. -> [Help 1]",
        ],
        "lines covered ratio is 0.71, but expected minimum is 0.80",
    ),
    (
        "./gradlew koverVerify",
        [
            "> Task :koverVerify FAILED",
            "FAILURE: Build failed with an exception.",
            "* What went wrong:",
            "Execution failed for task ':koverVerify'.",
            "> Rule violated: lines covered percentage is 70.000000, but expected minimum is 80",
        ],
        "lines covered percentage is 70.000000, but expected minimum is 80",
    ),
    (
        "bundle exec rake spec",
        [
            "14 examples, 0 failures",
            "Coverage report generated for RSpec to /home/runner/work/app/app/coverage. 40 / 56 LOC (71.43%) covered.",
            "Line coverage (71.43%) is below the expected minimum coverage (80.00%).",
            "SimpleCov failed with exit 2 due to a coverage related error",
        ],
        "Line coverage (71.43%) is below the expected minimum coverage (80.00%).",
    ),
]


@pytest.mark.parametrize(("command", "lines", "key"), COVERAGE, ids=lambda v: str(v)[:24])
def test_a_coverage_minimum_not_met_is_a_test_failure_with_no_failing_test(command, lines, key):
    got = diagnose(actions_job(command, lines))
    assert got.category == "test_failure"
    assert got.rule == "coverage-below-threshold"
    assert got.failing_tests == []
    assert any(key in text for text in _keys(got))


def test_a_failing_test_outranks_the_coverage_minimum_it_also_missed():
    lines = [
        "FAILED tests/test_core.py::test_total - assert 3 == 4",
        "FAIL Required test coverage of 80% not reached. Total coverage: 70.00%",
        "========================= 1 failed, 11 passed in 0.40s =========================",
    ]
    got = diagnose(actions_job("pytest --cov=app --cov-fail-under=80", lines))
    assert got.category == "test_failure" and got.rule == "pytest-failed"
    assert got.failing_tests == ["tests/test_core.py::test_total"]


def test_tests_ran_must_be_a_boolean():
    with pytest.raises(RuleError, match="tests_ran must be true or false"):
        load_rules(
            [{"id": "x", "category": "test_failure", "patterns": ["boom"], "tests_ran": "yes"}]
        )


GATES = [
    (
        [
            "[INFO] --- apache-rat-plugin:0.15:check (default) @ demo ---",
            "[INFO] Rat check: Summary over all files. Unapproved: 2, unknown: 2, generated: 0, approved: 40 licenses.",
            *_MAVEN_TAIL,
            "[ERROR] Failed to execute goal org.apache.rat:apache-rat-plugin:0.15:check (default) on project demo: Too many files with unapproved license: 2 See RAT report in: /home/runner/work/demo/demo/target/rat.txt -> [Help 1]",
        ],
        "lint",
        "Too many files with unapproved license: 2",
    ),
    (
        [
            "[INFO] --- license-maven-plugin:4.3:check (default) @ demo ---",
            "[WARNING] Missing header in: /home/runner/work/demo/demo/src/main/java/com/example/App.java",
            *_MAVEN_TAIL,
            "[ERROR] Failed to execute goal com.mycila:license-maven-plugin:4.3:check (default) on project demo: Some files do not have the expected license header. Run license:format to update them. -> [Help 1]",
        ],
        "lint",
        "Some files do not have the expected license header",
    ),
    (
        [
            "[INFO] --- spotbugs-maven-plugin:4.8.2.0:check (default) @ demo ---",
            "[INFO] BugInstance size is 1",
            "[ERROR] Medium: com.example.App.getItems() may expose internal representation by returning App.items [com.example.App] At App.java:[line 20] EI_EXPOSE_REP",
            *_MAVEN_TAIL,
            "[ERROR] Failed to execute goal com.github.spotbugs:spotbugs-maven-plugin:4.8.2.0:check (default) on project demo: failed with 1 bugs and 0 errors -> [Help 1]",
        ],
        "lint",
        "At App.java:[line 20] EI_EXPOSE_REP",
    ),
    (
        [
            "[INFO] --- maven-pmd-plugin:3.21.2:check (default) @ demo ---",
            "[INFO] PMD Failure: com.example.App:14 Rule:UnusedLocalVariable Priority:3 Avoid unused local variables such as 'x'..",
            *_MAVEN_TAIL,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-pmd-plugin:3.21.2:check (default) on project demo: You have 1 PMD violation. -> [Help 1]",
        ],
        "lint",
        "PMD Failure: com.example.App:14 Rule:UnusedLocalVariable",
    ),
    (
        [
            "[INFO] --- maven-enforcer-plugin:3.4.1:enforce (enforce) @ demo ---",
            "[WARNING] Rule 0: org.apache.maven.enforcer.rules.dependency.DependencyConvergence failed with message:",
            "Dependency convergence error for com.google.guava:guava:jar:32.1.2-jre paths to dependency are:",
            "+-com.example:demo:jar:1.0",
            "  +-com.google.guava:guava:jar:32.1.2-jre",
            *_MAVEN_TAIL,
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin:3.4.1:enforce (enforce) on project demo: ",
            "[ERROR] Rule 0: org.apache.maven.enforcer.rules.dependency.DependencyConvergence failed with message:",
        ],
        "dependency_install",
        "Dependency convergence error for com.google.guava:guava:jar:32.1.2-jre",
    ),
]


@pytest.mark.parametrize(
    ("lines", "category", "key"), GATES, ids=["rat", "license", "spotbugs", "pmd", "enforcer"]
)
def test_a_maven_plugin_gate_is_named_for_what_it_checks_not_as_a_build_failure(
    lines, category, key
):
    got = diagnose(actions_job("mvn -B verify", lines))
    assert got.category == category
    assert any(key in text for text in _keys(got))
