# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 8, collection I (whole Travis CI job logs of Ruby, PHP, JavaScript and
TypeScript projects): a PHPUnit error whose trace reaches the test's file named in another
case than its class, QUnit's failure report as headless-browser harnesses print it, and
the CI's own checkout failing because the ref it was asked to build is gone.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name: the category, the failing tests, each one's message and the test file's line.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job, travis_job


def _job(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    return actions_job(command, lines, code, shell=False, echo=False)


# ---- PHPUnit: the test's file named in another case than its class ---------------------


def _phpunit(blocks: list[str], summary: str) -> io.BytesIO:
    lines = [
        "PHPUnit 4.8.36 by Sebastian Bergmann and contributors.",
        "",
        "..EE..F",
        "",
        "Time: 1.52 seconds, Memory: 12.00MB",
        "",
        *blocks,
        "FAILURES!",
        summary,
    ]
    return travis_job("vendor/bin/phpunit --configuration tests/phpunit.xml", lines)


def test_phpunit_location_is_the_test_file_whatever_its_case() -> None:
    # the error is raised in a shared stub; the setUp of the test file seeds the database
    # through it: the test file (lower case, the class capitalised) is where it failed
    log = _phpunit(
        [
            "There were 2 errors:",
            "",
            "1) Order_test::test_order_ascending",
            "RuntimeException: Undefined property: Pdo_driver::$_conn_id",
            "",
            "/home/runner/build/acme/shop/tests/support/database/stub.php:88",
            "/home/runner/build/acme/shop/tests/support/schema/seed.php:31",
            "/home/runner/build/acme/shop/tests/unit/query/order_test.php:14",
            "/home/runner/build/acme/shop/tests/support/base_case.php:40",
            "",
            "2) Limit_test::test_limit with data set #1 (5, 10)",
            "RuntimeException: Undefined property: Pdo_driver::$_conn_id",
            "",
            "/home/runner/build/acme/shop/tests/support/database/stub.php:88",
            "/home/runner/build/acme/shop/tests/unit/query/LIMIT_TEST.php:12",
            "",
        ],
        "Tests: 7, Assertions: 9, Errors: 2.",
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == [
        "Order_test::test_order_ascending",
        "Limit_test::test_limit with data set #1",
    ]
    assert [(f.message, f.location) for f in diagnosis.failures] == [
        (
            "RuntimeException: Undefined property: Pdo_driver::$_conn_id",
            "tests/unit/query/order_test.php:14",
        ),
        (
            "RuntimeException: Undefined property: Pdo_driver::$_conn_id",
            "tests/unit/query/LIMIT_TEST.php:12",
        ),
    ]


def test_phpunit_trace_without_the_test_file_keeps_its_first_frame() -> None:
    # no frame is the test class's file: the first frame outside vendor/ stays
    log = _phpunit(
        [
            "There was 1 failure:",
            "",
            "1) Tests\\Cache\\StoreTest::testExpiry",
            "Failed asserting that false is true.",
            "",
            "/home/runner/build/acme/shop/tests/Cache/helpers.php:21",
            "/home/runner/build/acme/shop/vendor/phpunit/phpunit/src/TextUI/Command.php:155",
            "",
        ],
        "Tests: 7, Assertions: 9, Failures: 1.",
    )
    diagnosis = diagnose(log)
    assert diagnosis.failing_tests == ["Tests\\Cache\\StoreTest::testExpiry"]
    failure = diagnosis.failures[0]
    assert failure.message == "Failed asserting that false is true."
    assert failure.location == "tests/Cache/helpers.php:21"


# ---- QUnit in a headless browser: failures grouped by module -----------------------------


def _qunit(report: list[str], summary: str) -> io.BytesIO:
    lines = [
        "node test/run-qunit.js http://localhost:3000/qunit 600000",
        'Running: {"hidepassed":"1"}',
        "",
        "Acceptance: Login::shows the form",
        ".",
        "Acceptance: Admin - Badges::creates a badge",
        "TypeError: Cannot read properties of undefined (reading 'id')",
        "    at eval (admin/models/badge:12:7)",
        "F",
        "",
        *report,
        "",
        summary,
        "rake aborted!",
        "Command failed with status (1): [node test/run-qunit.js ...]",
    ]
    return travis_job("bundle exec rake qunit:test", lines)


def test_qunit_report_names_each_failed_test_with_its_first_assertion() -> None:
    log = _qunit(
        [
            "Module Failed: Acceptance: Admin - Badges",
            "  Test Failed: creates a badge",
            "    Assertion Failed: TypeError: Cannot read properties of undefined (reading 'id')",
            "      Expected: true, Actual: false    ",
            '    Assertion Failed: Promise rejected during "creates a badge": Element .badge-form not found.',
            "  Test Failed: lists badges",
            "    Assertion Failed: failed, expected argument to be truthy, was: false",
            "Module Failed: widget:post-menu",
            "  Test Failed: hides the share button",
            "    Assertion Failed: undefined",
        ],
        "Time: 48211ms, Total: 812, Passed: 807, Failed: 4",
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "qunit-failed"
    assert diagnosis.failing_tests == [
        "Acceptance: Admin - Badges::creates a badge",
        "Acceptance: Admin - Badges::lists badges",
        "widget:post-menu::hides the share button",
    ]
    assert [f.message for f in diagnosis.failures] == [
        "TypeError: Cannot read properties of undefined (reading 'id')",
        "failed, expected argument to be truthy, was: false",
        "undefined",
    ]
    assert all(f.location is None for f in diagnosis.failures)  # frames in the bundle
    assert "TypeError: Cannot read properties of undefined" in diagnosis.key_lines[0].text


def test_qunit_assertion_without_a_message_is_told_by_its_values() -> None:
    # ``assert.equal(a, b)`` with no message: the harness prints the values only
    log = _qunit(
        [
            "Module Failed: lib:formatter",
            "  Test Failed: relative age",
            "    Assertion Failed:",
            "      Expected: 2d",
            "        Actual: 3d",
        ],
        "Time: 1200ms, Total: 30, Passed: 29, Failed: 1",
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["lib:formatter::relative age"]
    assert diagnosis.failures[0].message == "Expected: 2d"


def test_qunit_counts_alone_say_tests_failed() -> None:
    # a harness that prints only QUnit.done's counts: the category, without test names
    log = travis_job(
        "node run-qunit.js http://localhost:8000/tests/index.html",
        ["Running tests...", "Time: 5120ms, Total: 120, Passed: 118, Failed: 2"],
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "qunit-failed"


def test_qunit_all_passed_is_not_a_test_failure() -> None:
    log = travis_job(
        "node run-qunit.js http://localhost:8000/tests/index.html",
        [
            "Time: 5120ms, Total: 120, Passed: 120, Failed: 0",
            "Error: ENOSPC: no space left on device, write",
        ],
    )
    diagnosis = diagnose(log)
    assert diagnosis.rule != "qunit-failed"
    assert diagnosis.failing_tests == []


# ---- the CI's checkout cannot find the ref it was asked to build -------------------------


def _travis_clone(lines: list[str]) -> io.BytesIO:
    clone = "git clone --depth=50 --branch=fix-readme https://github.com/acme/shop.git acme/shop"
    out = [
        "travis_fold:start:worker_info",
        "Worker information",
        "travis_fold:end:worker_info",
        f"travis_fold:start:git.checkout\x1b[0Ktravis_time:start:0a1b2c3d\x1b[0K$ {clone}",
        "Cloning into 'acme/shop'...",
        *lines,
        "",
        f'\x1b[31;1mThe command "eval {clone} " failed 3 times.\x1b[0m',
        "",
        "travis_time:end:0a1b2c3d:start=1,finish=2,duration=1\x1b[0K\x1b[31;1mFailed to clone from GitHub.\x1b[0m",
        "Checking GitHub status (https://status.github.com/api/last-message.json):",
    ]
    return io.BytesIO("".join(f"{line}\n" for line in out).encode())


def test_deleted_branch_fails_the_checkout_not_the_code() -> None:
    log = _travis_clone(
        [
            "warning: Could not find remote branch fix-readme to clone.",
            "fatal: Remote branch fix-readme not found in upstream origin",
        ]
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "infra_runner"
    assert diagnosis.rule == "checkout-ref-missing"
    assert not diagnosis.retryable
    assert "Remote branch fix-readme not found" in diagnosis.key_lines[0].text


def test_missing_pull_request_merge_ref_fails_the_checkout() -> None:
    # a pull request whose merge ref is gone (closed, or conflicting with its base)
    log = _job(
        "actions/checkout@v4",
        [
            "/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +refs/pull/42/merge:refs/remotes/pull/42/merge",
            "fatal: couldn't find remote ref refs/pull/42/merge",
            "The process '/usr/bin/git' failed with exit code 128",
        ],
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "infra_runner"
    assert "couldn't find remote ref refs/pull/42/merge" in diagnosis.key_lines[0].text


def test_clone_that_cannot_reach_the_host_is_a_network_failure() -> None:
    log = _travis_clone(
        [
            "fatal: unable to access 'https://github.com/acme/shop.git/': Could not resolve host: github.com",
        ]
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule != "checkout-ref-missing"
