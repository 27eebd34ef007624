# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 8, collection J (whole Travis CI job logs of C, C++, C# and Scala
projects): MiMa's binary-compatibility report through sbt, ``dotnet run`` refusing to run
a project that does not build, Pester's failed ``It`` blocks, and Bitcoin Core's
functional-test runner.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import travis_job

# ---- MiMa (sbt-mima-plugin) ---------------------------------------------------------------

MIMA_0 = [
    "[info] Compiling 12 Scala sources to /home/runner/build/acme/core/core/target/scala-2.12/classes ...",
    "[info] Done compiling.",
    "[info] core: found 2 potential binary incompatibilities while checking against com.acme:core_2.12:1.0.0  (filtered 3)",
    "[error]  * method size()Int in class com.acme.Queue does not have a correspondent in current version",
    '[error]    filter with: ProblemFilters.exclude[DirectMissingMethodProblem]("com.acme.Queue.size")',
    "[error]  * the type hierarchy of class com.acme.Node is different in current version. Missing types {com.acme.Base}",
    '[error]    filter with: ProblemFilters.exclude[MissingTypesProblem]("com.acme.Node")',
    "[error] (core/*:mimaReportBinaryIssues) core: Binary compatibility check failed!",
    "[error] Total time: 41 s, completed Aug 3, 2019 2:28:02 AM",
]

MIMA_1 = [
    "[error] core: Failed binary compatibility check against com.acme:core_2.13:1.0.0! Found 1 potential problems (filtered 4)",
    "[error]  * method push(java.lang.Object)Unit in class com.acme.Stack's type is different in current version, where it is (Int)Unit instead of (java.lang.Object)Unit",
    '[error]    filter with: ProblemFilters.exclude[IncompatibleMethTypeProblem]("com.acme.Stack.push")',
    "[error] stack trace is suppressed; run last core / mimaReportBinaryIssues for the full output",
    "[error] (core / mimaReportBinaryIssues) Failed binary compatibility check against com.acme:core_2.13:1.0.0! Found 1 potential problems (filtered 4)",
    "[error] Total time: 9 s, completed 3 Jan 2024, 10:00:00",
]


@pytest.mark.parametrize(
    ("lines", "first"),
    [
        (
            MIMA_0,
            "method size()Int in class com.acme.Queue does not have a correspondent in current version",
        ),
        (MIMA_1, "Failed binary compatibility check against com.acme:core_2.13:1.0.0!"),
    ],
)
def test_mima_report_is_a_static_check_not_a_test(lines: list[str], first: str) -> None:
    diagnosis = diagnose(travis_job("sbt ++2.13.12 test mimaReportBinaryIssues", lines))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "mima-binary-incompatible"
    assert diagnosis.failing_tests == []
    assert first in diagnosis.key_lines[0].text


def test_mima_key_lines_name_each_incompatibility() -> None:
    texts = [k.text for k in diagnose(travis_job("sbt mimaReportBinaryIssues", MIMA_0)).key_lines]
    assert any("com.acme.Queue does not have a correspondent" in t for t in texts)
    assert any("com.acme.Node is different in current version" in t for t in texts)


def test_mima_finding_nothing_does_not_hide_failing_tests() -> None:
    lines = [
        "[info] core: found 0 potential binary incompatibilities while checking against com.acme:core_2.12:1.0.0  (filtered 3)",
        "[info] QueueSpec:",
        "[info] - pops in order *** FAILED ***",
        "[info]   1 did not equal 2 (QueueSpec.scala:14)",
        "[error] Failed: Total 3, Failed 1, Errors 0, Passed 2",
        "[error] Failed tests:",
        "[error] \tcom.acme.QueueSpec",
        "[error] (core / Test / test) sbt.TestsFailedException: Tests unsuccessful",
    ]
    diagnosis = diagnose(travis_job("sbt mimaReportBinaryIssues test", lines))
    assert diagnosis.category == "test_failure"


# ---- dotnet run ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "The build failed. Please fix the build errors and run again.",  # SDK 2.x
        "The build failed. Fix the build errors and run again.",  # SDK 3 and later
    ],
)
def test_dotnet_run_that_cannot_build_is_a_build_failure(message: str) -> None:
    lines = [
        "Run ResGen (generating C# bindings for resx files)",
        "",
        message,
        "Execution of { dotnet run } by build.psm1: line 1885 failed with exit code 1",
    ]
    diagnosis = diagnose(travis_job("pwsh -File tools/ci.ps1", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "dotnet-run-build-failed"
    assert message in diagnosis.key_lines[0].text


def test_dotnet_run_names_the_compiler_error_when_it_is_printed() -> None:
    lines = [
        "/home/runner/build/acme/tool/src/Gen/Program.cs(12,31): error CS1002: ; expected [/home/runner/build/acme/tool/src/Gen/Gen.csproj]",
        "",
        "The build failed. Fix the build errors and run again.",
    ]
    diagnosis = diagnose(travis_job("dotnet run --project src/Gen", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "dotnet-build-error"
    assert "error CS1002: ; expected" in diagnosis.key_lines[0].text


# ---- Pester --------------------------------------------------------------------------------

PESTER_4 = [
    "  Describing Basic ThreadJob Tests",
    "    [+] ThreadJob with ScriptBlock 210ms",
    "    [-] ThreadJob with ScriptBlock and Using variables 315ms",
    "      Expected {1 2 3 4 5}, but got {GlobalVar}.",
    "      137:         $results[4] | Should -Be $Var4",
    "      at Invoke-Assertion, /home/runner/build/acme/ps/src/bin/Modules/Pester/4.2.0/Functions/Assertions/Should.ps1: line 206",
    "      at <ScriptBlock>, /home/runner/build/acme/ps/test/Modules/ThreadJob.Tests.ps1: line 137",
    "    [+] ThreadJob with ScriptFile 96ms",
    "    [-] ThreadJob with ScriptFile and Using variables 279ms",
    "      Expected {1 2 3}, but got {}.",
    "      196:         $results[2] | Should -Be $Array1",
    "      at Invoke-Assertion, /home/runner/build/acme/ps/src/bin/Modules/Pester/4.2.0/Functions/Assertions/Should.ps1: line 206",
    "      at <ScriptBlock>, /home/runner/build/acme/ps/test/Modules/ThreadJob.Tests.ps1: line 196",
    "Tests completed in 4.05s",
    "Tests Passed: 5, Failed: 2, Skipped: 0, Pending: 0, Inconclusive: 0 ",
]


def test_pester_4_failed_its_with_message_and_test_file_line() -> None:
    diagnosis = diagnose(travis_job("pwsh -c Invoke-Pester -EnableExit", PESTER_4, code=2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == [
        "ThreadJob with ScriptBlock and Using variables",
        "ThreadJob with ScriptFile and Using variables",
    ]
    first, second = diagnosis.failures
    assert first.message == "Expected {1 2 3 4 5}, but got {GlobalVar}."
    # the test script's frame, not Pester's own Should.ps1
    assert first.location == "test/Modules/ThreadJob.Tests.ps1:137"
    assert second.message == "Expected {1 2 3}, but got {}."
    assert second.location == "test/Modules/ThreadJob.Tests.ps1:196"
    assert "Expected {1 2 3 4 5}, but got {GlobalVar}." in diagnosis.key_lines[0].text


def test_pester_5_failed_it_with_setup_split_duration() -> None:
    lines = [
        "Starting discovery in 1 files.",
        "Discovery found 2 tests in 32ms.",
        "Running tests.",
        "[-] Math.adds numbers 12ms (9ms|3ms)",
        " Expected 5, but got 4.",
        " at 2 + 2 | Should -Be 5, /home/runner/work/calc/calc/tests/Math.Tests.ps1:4",
        " at <ScriptBlock>, /home/runner/work/calc/calc/tests/Math.Tests.ps1:4",
        "Tests completed in 150ms",
        "Tests Passed: 1, Failed: 1, Skipped: 0 NotRun: 0",
    ]
    diagnosis = diagnose(travis_job("pwsh -c Invoke-Pester -CI", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["Math.adds numbers"]
    assert diagnosis.failures[0].message == "Expected 5, but got 4."
    assert diagnosis.failures[0].location == "tests/Math.Tests.ps1:4"


def test_pester_3_expected_but_was() -> None:
    lines = [
        "Describing Math",
        "   [+] subtracts 5ms",
        "   [-] adds numbers 21ms",
        "     Expected: {5}",
        "     But was:  {4}",
        "     at line: 4 in /home/runner/build/acme/calc/tests/Math.Tests.ps1",
        "     4:         2 + 2 | Should Be 5",
        "Tests completed in 26ms",
        "Passed: 1 Failed: 1 Skipped: 0 Pending: 0 Inconclusive: 0",
    ]
    diagnosis = diagnose(travis_job("powershell -c Invoke-Pester -EnableExit", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["adds numbers"]
    assert diagnosis.failures[0].message == "Expected: {5}"
    assert diagnosis.failures[0].location == "tests/Math.Tests.ps1:4"


def test_pester_passing_its_are_not_failures() -> None:
    lines = [
        "  Describing Math",
        "    [+] adds numbers 12ms",
        "    [+] subtracts 3ms",
        "Tests completed in 40ms",
        "Tests Passed: 2, Failed: 0, Skipped: 0, Pending: 0, Inconclusive: 0 ",
        "bash: ./publish.sh: Permission denied",
    ]
    diagnosis = diagnose(travis_job("pwsh -c ./ci.ps1", lines, code=126))
    assert diagnosis.failing_tests == []
    assert diagnosis.category != "test_failure"


# ---- Bitcoin Core's functional tests -----------------------------------------------------

FUNCTIONAL = [
    "1/3 - wallet_basic.py passed, Duration: 20 s",
    "2/3 - feature_fee.py failed, Duration: 12 s",
    "",
    "stdout:",
    "2024-01-01T00:00:01.000000Z TestFramework (INFO): Initializing test directory /var/tmp/test_runner_20240101/feature_fee_1",
    "2024-01-01T00:00:05.000000Z TestFramework (ERROR): Assertion failed",
    "Traceback (most recent call last):",
    '  File "/home/runner/build/acme/coin/test/functional/test_framework/test_framework.py", line 131, in main',
    "    self.run_test()",
    '  File "/home/runner/build/acme/coin/test/functional/feature_fee.py", line 40, in run_test',
    "    assert_equal(fee, expected)",
    '  File "/home/runner/build/acme/coin/test/functional/test_framework/util.py", line 50, in assert_equal',
    '    raise AssertionError("not(%s)" % " == ".join(str(arg) for arg in (thing1, thing2) + args))',
    "AssertionError: not(0.0001 == 0.0002)",
    "2024-01-01T00:00:05.100000Z TestFramework (INFO): Stopping nodes",
    "",
    "stderr:",
    "",
    "Combine the logs and print the last 4000 lines ...",
    " test  2024-01-01T00:00:05.000000Z TestFramework (ERROR): Assertion failed ",
    "                                   AssertionError: not(0.0001 == 0.0002)",
    "3/3 - wallet_hd.py passed, Duration: 8 s",
    "",
    "TEST                  | STATUS    | DURATION",
    "",
    "wallet_basic.py       | ✓ Passed  | 20 s",
    "wallet_hd.py          | ✓ Passed  | 8 s",
    "feature_fee.py        | ✖ Failed  | 12 s",
    "",
    "ALL                   | ✖ Failed  | 40 s (accumulated) ",
    "Runtime: 20 s",
]


def test_bitcoin_functional_test_with_traceback() -> None:
    diagnosis = diagnose(
        travis_job("test/functional/test_runner.py --combinedlogslen=4000", FUNCTIONAL)
    )
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["feature_fee.py"]
    failure = diagnosis.failures[0]
    assert failure.message == "AssertionError: not(0.0001 == 0.0002)"
    # the script's own frame, not the framework's assert_equal
    assert failure.location == "test/functional/feature_fee.py:40"
    assert "AssertionError: not(0.0001 == 0.0002)" in diagnosis.key_lines[0].text


def test_bitcoin_functional_script_with_arguments_and_no_counter() -> None:
    lines = [
        "wallet_basic.py --descriptors failed, Duration: 31 s",
        "",
        "stdout:",
        "Traceback (most recent call last):",
        '  File "/home/runner/build/acme/coin/test/functional/wallet_basic.py", line 88, in run_test',
        "    self.nodes[0].sendtoaddress(addr, 1)",
        "test_framework.authproxy.JSONRPCException: Insufficient funds (-6)",
        "",
        "stderr:",
    ]
    diagnosis = diagnose(travis_job("test/functional/test_runner.py", lines))
    assert diagnosis.failing_tests == ["wallet_basic.py --descriptors"]
    assert (
        diagnosis.failures[0].message
        == "test_framework.authproxy.JSONRPCException: Insufficient funds (-6)"
    )
    assert diagnosis.failures[0].location == "test/functional/wallet_basic.py:88"


def test_bitcoin_functional_passed_scripts_are_not_failures() -> None:
    lines = [
        "1/2 - wallet_basic.py passed, Duration: 20 s",
        "2/2 - feature_fee.py passed, Duration: 12 s",
        "wallet_basic.py       | ✓ Passed  | 20 s",
        "feature_fee.py        | ✓ Passed  | 12 s",
        "ALL                   | ✓ Passed  | 32 s (accumulated) ",
        "test/lint/lint-files.sh: line 3: ./lint.py: Permission denied",
    ]
    diagnosis = diagnose(travis_job("ci/test.sh", lines))
    assert diagnosis.failing_tests == []
    assert diagnosis.category != "test_failure"
