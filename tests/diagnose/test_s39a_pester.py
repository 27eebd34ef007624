"""Pester 5's failed tests as its CI formats print them, and the Pester lines that look
like a failure but name no failed test.

Source: Pester ``src/functions/Output.ps1`` (``Get-WriteScreenPlugin``: ``EachTestTeardownEnd``
prints ``$margin[-] $out $humanTime`` and, with ``Output.CIFormat`` GithubActions/AzureDevops,
hands it to ``Write-CIErrorToScreen``; ``Format-CIErrorMessage`` writes
``::error::<header>`` then the message lines inside ``::group::Message`` for GitHub Actions,
``##vso[task.logissue type=error] <header>`` then ``##[error] <line>`` for Azure DevOps;
``EachBlockTeardownEnd`` prints ``[-] Describe <path> failed``; ``ContainerRunEnd``
``[-] Discovery in … failed with:``; skipped ``[!]``, inconclusive ``[?]``;
``Write-PesterReport`` the ``Tests Passed: …`` and ``BeforeAll \\ AfterAll failed: N`` lists).
At ``Normal`` verbosity ``$out`` is the test's ``ExpandedPath`` (``Describe.Context.It``).
"""

from __future__ import annotations

from bot.diagnose.extractors import extract_failures

# a GitHub Actions job's raw log: the runner shows ``::error::`` as ``##[error]``; the
# ``##[group]Message`` / ``##[endgroup]`` lines are the group around the message
GITHUB = [
    "Starting discovery in 1 files.",
    "Discovery found 4 tests in 25ms.",
    "Running tests.",
    "##[error][-] Calculator.Adds two numbers 37ms (29ms|8ms)",
    "##[group]Message",
    "Expected 3, but got 4.",
    "at $r | Should -Be 3, /home/runner/work/proj/proj/tests/Calc.Tests.ps1:7",
    "at <ScriptBlock>, /home/runner/work/proj/proj/tests/Calc.Tests.ps1:7",
    "##[endgroup]",
    "##[error][-] Describe Calculator.Subtraction failed",
    "##[group]Message",
    "RuntimeException: boom",
    "at <ScriptBlock>, /home/runner/work/proj/proj/tests/Calc.Tests.ps1:12",
    "##[endgroup]",
    "Tests completed in 233ms",
    "Tests Passed: 1, Failed: 2, Skipped: 1, Inconclusive: 0, NotRun: 0",
    "BeforeAll \\ AfterAll failed: 1",
    "  - Calculator.Subtraction",
]

AZURE = [
    "##vso[task.logissue type=error] [-] Calculator.Handles errors when it fails 1.2s",
    "##[error] Expected an exception to be thrown, but no exception was thrown.",
    "##[error] at { Get-Thing } | Should -Throw, D:\\a\\1\\s\\tests\\Calc.Tests.ps1:21",
    "##[error] at <ScriptBlock>, D:\\a\\1\\s\\tests\\Calc.Tests.ps1:21",
    "Tests completed in 2.1s",
]

# Detailed verbosity: skipped, inconclusive and passed tests whose names say "fail"/"error"
NEAR_MISSES = [
    "Describing Calculator",
    " Context when the input fails validation",
    "   [+] reports the error 12ms (10ms|2ms)",
    "   [!] fails on negative numbers 0ms (0ms|0ms)",
    "   [?] Inconclusive test is inconclusive, because we want it to be inconclusive 35ms",
    "   [!] Skipped test is skipped, because we want it to be skipped 3ms",
    "[-] Discovery in /home/runner/work/proj/proj/tests/Broken.Tests.ps1 failed with:",
    "Tests completed in 233ms",
    "Tests Passed: 1, Failed: 0, Skipped: 2, Inconclusive: 1, NotRun: 0",
]


def test_github_actions_ci_format_names_the_test_by_its_printed_path() -> None:
    failures = extract_failures(GITHUB)
    assert [(f.test, f.message, f.location) for f in failures] == [
        ("Calculator.Adds two numbers", "Expected 3, but got 4.", "tests/Calc.Tests.ps1:7")
    ]


def test_raw_workflow_command_form_reads_the_same() -> None:
    lines = [line.replace("##[error]", "::error::", 1) for line in GITHUB]
    assert [f.test for f in extract_failures(lines)] == ["Calculator.Adds two numbers"]


def test_azure_devops_ci_format_reads_the_error_lines() -> None:
    failures = extract_failures(AZURE)
    assert [(f.test, f.message, f.location) for f in failures] == [
        (
            "Calculator.Handles errors when it fails",
            "Expected an exception to be thrown, but no exception was thrown.",
            "tests/Calc.Tests.ps1:21",
        )
    ]


def test_skipped_inconclusive_and_block_lines_are_no_failed_tests() -> None:
    assert extract_failures(NEAR_MISSES) == []
