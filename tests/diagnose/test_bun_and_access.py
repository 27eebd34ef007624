# ruff: noqa: E501  (real tool lines read better unwrapped)
"""``bun test`` (its error printed *above* the ``(fail)`` line), Git refused by the server
(a token problem, not a network flake), a pre-commit hook that rewrote files, and
``terraform fmt -check``.

The bun lines are what bun 1.4.5 printed here for a failing test file, with
``GITHUB_ACTIONS=true`` (annotations and groups) and without.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job

_W = "/home/runner/work/app/app"
_BUN_ADDS = [
    '3 | test("adds", () => {',
    "4 |   expect(2 + 3).toBe(4);",
    "                    ^",
    "error: expect(received).toBe(expected)",
    "",
    "Expected: 4",
    "Received: 5",
    "",
    f"      at <anonymous> ({_W}/test/math.test.ts:4:17)",
    "",
]
_BUN_ANNOTATION = f"::error file=test/math.test.ts,line=4,col=17,title=error: expect(received).toBe(expected)::Expected: 4%0AReceived: 5%0A%0A      at <anonymous> ({_W}/test/math.test.ts:4:17)"
_BUN_REST = [
    "(fail) adds [0.26ms]",
    '9 |     expect("a".toUpperCase()).toEqual("B");',
    "error: expect(received).toEqual(expected)",
    "",
    'Expected: "B"',
    'Received: "A"',
    "",
    f"      at <anonymous> ({_W}/test/math.test.ts:9:31)",
    "",
    "(fail) strings > upper [0.13ms]",
    "(pass) strings > ok [0.03ms]",
    '17 |   throw new TypeError("bad thing happened");',
    "TypeError: bad thing happened",
    f"      at <anonymous> ({_W}/test/math.test.ts:17:43)",
    "",
    "(fail) throws [0.11ms]",
    "",
    " 1 pass",
    " 3 fail",
    " 3 expect() calls",
    "Ran 4 tests across 1 file. [5.00ms]",
]


@pytest.mark.parametrize("annotated", [True, False], ids=["actions", "plain"])
def test_bun_failures_take_the_error_printed_above_them(annotated):
    lines = ["bun test v1.4.5 (a7733435c)", "", "test/math.test.ts:", *_BUN_ADDS]
    lines += [_BUN_ANNOTATION] if annotated else []
    got = diagnose(actions_job("bun test", lines + _BUN_REST))
    assert got.category == "test_failure"
    assert got.failing_tests == ["adds", "strings > upper", "throws"]
    failures = {f["test"]: f for f in got.to_dict()["failures"]}
    assert (
        failures["adds"]["message"]
        == "error: expect(received).toBe(expected) Expected: 4 Received: 5"
    )
    assert failures["adds"]["location"] == "test/math.test.ts:4"
    assert failures["strings > upper"]["message"].startswith(
        "error: expect(received).toEqual(expected)"
    )
    assert failures["strings > upper"]["location"] == "test/math.test.ts:9"
    assert failures["throws"]["message"] == "TypeError: bad thing happened"
    assert failures["throws"]["location"] == "test/math.test.ts:17"
    assert got.key_lines[0].text == "error: expect(received).toBe(expected) Expected: 4 Received: 5"


def test_bun_error_of_a_passing_test_is_not_given_to_the_next_failure():
    lines = [
        "error: connection lost (logged by a passing test)",
        "(pass) reconnects [1.00ms]",
        "(fail) times out [5001.00ms]",
        " 1 pass",
        " 1 fail",
    ]
    got = diagnose(actions_job("bun test", lines))
    assert got.failing_tests == ["times out"]
    assert got.to_dict()["failures"][0]["message"] is None


@pytest.mark.parametrize(
    ("command", "lines"),
    [
        (
            "git push origin HEAD:main",
            [
                "remote: Permission to octo/app.git denied to github-actions[bot].",
                "fatal: unable to access 'https://github.com/octo/app.git/': The requested URL returned error: 403",
            ],
        ),
        (
            "git submodule update --init",
            [
                "Cloning into '/home/runner/work/app/app/vendor/private'...",
                "fatal: could not read Username for 'https://github.com': No such device or address",
                "fatal: clone of 'https://github.com/octo/private.git' into submodule path '/home/runner/work/app/app/vendor/private' failed",
            ],
        ),
    ],
    ids=["push-403", "private-submodule"],
)
def test_git_refused_by_the_server_is_not_a_network_flake(command, lines):
    got = diagnose(actions_job(command, lines, 128))
    assert got.category == "dependency_install" and got.rule == "git-access-denied"
    assert not got.retryable


def test_git_transport_failure_is_still_a_network_flake():
    line = "fatal: unable to access 'https://github.com/octo/app.git/': Recv failure: Connection reset by peer"
    got = diagnose(actions_job("git fetch origin", [line], 128))
    assert got.category == "infra_network" and got.retryable


def test_a_pre_commit_hook_that_rewrote_files_is_a_formatting_failure():
    lines = [
        "black....................................................................Failed",
        "- hook id: black",
        "- files were modified by this hook",
        "",
        "reformatted src/app.py",
        "isort....................................................................Passed",
    ]
    got = diagnose(actions_job("pre-commit run --all-files", lines))
    assert got.category == "format" and got.rule == "pre-commit-fixer"


def test_a_pre_commit_lint_hook_stays_lint():
    lines = [
        "flake8...................................................................Failed",
        "- hook id: flake8",
        "- exit code: 1",
        "",
        "src/app.py:3:1: F401 'os' imported but unused",
    ]
    assert diagnose(actions_job("pre-commit run --all-files", lines)).category == "lint"


def test_terraform_fmt_check_lists_files_and_is_a_formatting_failure():
    got = diagnose(actions_job("terraform fmt -check -recursive", ["modules/network/main.tf"], 3))
    assert got.category == "format"
