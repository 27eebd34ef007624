# ruff: noqa: E501  (real tool lines read better unwrapped)
"""swift-testing's console lines: parameterized tests' issues and ends, and the lines that
look like a failure but name no failed test (a known issue, a suite, the run, a skip).

Source: swift-testing ``Sources/Testing/Events/Recorder/Event.HumanReadableOutputRecorder.swift``
(``recorded \\(subject)\\(atSourceLocation): \\(issue.kind)`` and, for a parameterized test,
``recorded \\(subject) with \\(n) argument(s) \\(labeledArguments)\\(atSourceLocation)``;
``\\(testName) with \\(n) test cases \\(verbed) after …``; ``subject`` is ``a known issue``
under the ``.pass(knownIssueCount:)`` symbol) and ``Event.Symbol.swift`` (``✘`` fail,
``━`` pass with known issues, ``➜`` skip, ``✔`` pass).
"""

from __future__ import annotations

from bot.diagnose.extractors import extract_failures

LINES = [
    "◇ Test run started.",
    "◇ Suite CalcTests started.",
    "✘ Test adds() recorded an issue at CalcTests.swift:12:5: Expectation failed: (sum → 5) == 4",
    "✘ Test adds() failed after 0.002 seconds with 1 issue.",
    "✘ Test halves(value:) recorded an issue with 1 argument value → 3 at CalcTests.swift:20:9: Expectation failed: (value % 2 → 1) == 0",
    "✘ Test halves(value:) with 2 test cases failed after 0.003 seconds with 1 issue.",
    "━ Test knownBug() recorded a known issue at CalcTests.swift:40:5: Expectation failed: false",
    "━ Test knownBug() passed after 0.001 seconds with 1 known issue.",
    '➜ Test skipped() skipped: "not yet"',
    "✔ Test failureIsReported() passed after 0.001 seconds.",
    "✘ Suite CalcTests failed after 0.004 seconds with 2 issues.",
    "✘ Test run with 5 tests in 1 suite failed after 0.005 seconds with 2 issues.",
]


def test_parameterized_issue_has_its_location_and_message() -> None:
    failures = extract_failures(LINES)
    assert [(f.test, f.message, f.location) for f in failures] == [
        ("adds()", "Expectation failed: (sum → 5) == 4", "CalcTests.swift:12"),
        ("halves(value:)", "Expectation failed: (value % 2 → 1) == 0", "CalcTests.swift:20"),
    ]


def test_parameterized_end_line_alone_names_the_test() -> None:
    lines = ["✘ Test halves(value:) with 2 test cases failed after 0.003 seconds with 1 issue."]
    assert [f.test for f in extract_failures(lines)] == ["halves(value:)"]


def test_known_issue_skip_suite_and_run_lines_name_no_test() -> None:
    assert extract_failures(LINES[6:]) == []
