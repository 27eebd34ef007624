# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Pester's own self-tests run by its minimal ``P`` framework (p.psm1), as a Travis job log
prints them (batch 11 design log ``b11q_powershell_pester_pester_555401307``): colour codes
whose escape byte was lost lead each line."""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import travis_job

LINES = [
    "| - Generating tests",
    "[39;49m[32m[39;49m[32m[+] - generating simple tests from foreach without external Id[39;49m[39;49m",
    "[39;49m[31m[39;49m[31mERROR: - generating simple tests from foreach with external Id -> The property"
    " 'Blocks' cannot be found on this object. Verify that the property exists.[39;49m[39;49m",
    "[39;49m[31m[39;49m[31m[-] - Running without any params runs all files -> Expected and actual"
    " values differ![39;49m[39;49m",
    "passed 10, failed 2, total 12",
]


def test_p_failures_are_named_with_their_messages() -> None:
    failures = extract_failures(LINES)
    assert [(f.test, f.message) for f in failures] == [
        (
            "generating simple tests from foreach with external Id",
            "The property 'Blocks' cannot be found on this object. Verify that the property exists.",
        ),
        ("Running without any params runs all files", "Expected and actual values differ!"),
    ]


def test_a_p_run_with_failures_is_a_test_failure() -> None:
    diagnosis = diagnose(travis_job("pwsh -c ./test.ps1", LINES))
    assert (diagnosis.category, diagnosis.rule) == ("test_failure", "pester-failed")
    assert len(diagnosis.failing_tests) == 2
    assert "The property 'Blocks' cannot be found" in diagnosis.key_lines[0].text


def test_a_passed_p_test_and_a_clean_summary_name_nothing() -> None:
    lines = [
        "[39;49m[32m[+] - given null it returns null[39;49m",
        "passed 3, failed 0, total 3",
    ]
    assert extract_failures(lines) == []
    assert diagnose(travis_job("pwsh -c ./test.ps1", lines, 0)).failing_tests == []
