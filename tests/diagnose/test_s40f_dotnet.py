# ruff: noqa: E501  (real tool lines read better unwrapped)
"""(s40f) .NET: dotnet build/test/restore/format and the test frameworks.

Formats and their sources:

- Microsoft.Testing.Platform's terminal reporter (``failed Adds (12ms)``, the message
  indented two spaces, ``Expected``/``Actual``, frames ``    at X in path:42``, ``Test run
  summary: Failed! - …``): microsoft/testfx
  ``src/Platform/Microsoft.Testing.Platform/OutputDevice/Terminal/TerminalTestReporter.TestCompletion.cs``
  (``RenderTestCompleted``), ``TerminalTestReporter.Formatting.cs``,
  ``HumanReadableDurationFormatter.cs``, ``SimpleTerminalBase.cs`` (``AppendLink``: ``path:line``).
- VSTest 15's console logger, ``Failed   Name`` with ``Error Message:`` / ``Stack Trace:`` at
  the margin: microsoft/vstest ``src/vstest.console/Internal/ConsoleLogger.cs``.
- VSTest's blame collector's hang (``The specified inactivity time of {0} {1} has elapsed.
  Collecting hang dumps from testhost and its child processes``): microsoft/vstest
  ``src/Microsoft.TestPlatform.Extensions.BlameDataCollector/Resources/Resources.resx``.
- The SDK's NETSDK1045/NETSDK1147/NETSDK1004 and MSBuild's MSB3644/MSB4236: dotnet/sdk
  ``src/Tasks/Common/Resources/Strings.resx``, learn.microsoft.com/dotnet/core/tools/sdk-errors,
  learn.microsoft.com/visualstudio/msbuild/errors; hostfxr's ``A compatible .NET SDK was not
  found.`` (learn.microsoft.com/dotnet/core/tools/global-json).
- NuGet's NU1100/NU1107/NU1202/NU1004 and audit NU1901-NU1904: NuGet/NuGet.Client
  ``NuGetLogCode.cs``, learn.microsoft.com/nuget/reference/errors-and-warnings.
- dotnet format's ``error WHITESPACE: Fix whitespace formatting.`` / ``IMPORTS`` /
  ``FINALNEWLINE``: dotnet/format ``src/Formatters/*Formatter.cs``; Roslyn analyzers' ``CA1822`` /
  StyleCop's ``SA1101`` as build errors (learn.microsoft.com/dotnet/fundamentals/code-analysis).
- The dotnet host's missing tool (``Could not execute because the specified command or file
  was not found.``): dotnet/sdk ``src/Cli/dotnet/CommandFactory/CommandResolution``
  (learn.microsoft.com/dotnet/core/tools/troubleshoot-usage-issues).
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_dotnet import MicrosoftTestingPlatform
from bot.diagnose.extract_other import OtherRunners
from tests.diagnose.joblogs import actions_job, fed
from tests.diagnose.joblogs import rule_ids as _ids

_MTP = [
    "MSTest v3.6.0 (UTC 10/09/2024) [linux-x64 - .NET 8.0.8]",
    "passed Subtracts (3ms)",
    "skipped Ignored (0ms)",
    "failed Adds (12ms)",
    "  Assert.AreEqual failed. Expected:<5>. Actual:<4>.",
    "  Expected",
    "    5",
    "  Actual",
    "    4",
    "    at App.Tests.CalculatorTests.Adds() in /home/runner/work/app/app/tests/App.Tests/CalculatorTests.cs:42",
    "",
    "failed (try 2) App.Tests.Other.Divides(x: 1) (1s 023ms)",
    "  System.DivideByZeroException: Attempted to divide by zero.",
    "    at App.Tests.Other.Divides(Int32 x) in /home/runner/work/app/app/tests/App.Tests/OtherTests.cs:9",
    "",
    "failed (cancelled) App.Tests.Slow.Waits_for_the_error_handler (1m 02s 003ms)",
    "",
    "Test run summary: Failed! - /home/runner/work/app/app/tests/App.Tests/bin/Debug/net8.0/App.Tests.dll (net8.0|x64)",
    "  total: 13",
    "  failed: 3",
    "  succeeded: 9",
    "  skipped: 1",
    "  duration: 1s 523ms",
]


def test_mtp_failed_tests_named_as_printed_with_message_and_location() -> None:
    ext = fed(MicrosoftTestingPlatform(), _MTP)
    failures = {f.test: f for f in ext.failures()}
    assert list(failures) == [
        "Adds",
        "App.Tests.Other.Divides(x: 1)",
        "App.Tests.Slow.Waits_for_the_error_handler",
    ]
    assert failures["Adds"].message == "Assert.AreEqual failed. Expected:<5>. Actual:<4>."
    assert failures["Adds"].location == "tests/App.Tests/CalculatorTests.cs:42"
    divides = failures["App.Tests.Other.Divides(x: 1)"]
    assert divides.message == "System.DivideByZeroException: Attempted to divide by zero."
    assert divides.location == "tests/App.Tests/OtherTests.cs:9"
    # the passed/skipped lines and the summary's ``  failed: 3`` name no failing test
    assert "Subtracts" not in failures and "Ignored" not in failures


def test_mtp_in_a_job() -> None:
    d = diagnose(actions_job("dotnet test", _MTP))
    assert d.category == "test_failure"
    assert d.failing_tests[:2] == ["Adds", "App.Tests.Other.Divides(x: 1)"]
    assert any("Assert.AreEqual failed" in k.text for k in d.key_lines)


def test_mtp_line_of_another_tool_is_no_test() -> None:
    # no MTP summary and no stack frame under it: another tool's timing line
    ext = fed(MicrosoftTestingPlatform(), ["failed to fetch index (120ms)", "  retrying", "done"])
    assert ext.failures() == []


def test_vstest_15_error_message_at_the_margin() -> None:
    lines = [
        "Passed   App.Tests.CalculatorTests.Subtracts",
        "Failed   App.Tests.CalculatorTests.Adds",
        "Error Message:",
        " Assert.AreEqual failed. Expected:<5>. Actual:<4>. ",
        "Stack Trace:",
        "   at App.Tests.CalculatorTests.Adds() in /home/runner/work/app/app/tests/CalculatorTests.cs:line 17",
        "",
        "Total tests: 10. Passed: 9. Failed: 1. Skipped: 0.",
        "Test Run Failed.",
    ]
    d = diagnose(actions_job("dotnet test", lines))
    assert d.category == "test_failure"
    assert d.failing_tests == ["App.Tests.CalculatorTests.Adds"]
    f = d.failures[0]
    assert f.message == "Assert.AreEqual failed. Expected:<5>. Actual:<4>."
    assert f.location == "tests/CalculatorTests.cs:17"
    # a test whose name says error, passed or skipped, is not a failure
    ext = fed(
        OtherRunners(),
        [
            "  Passed App.Tests.ErrorTests.Error_Message_is_shown [3 ms]",
            "  Skipped App.Tests.Slow [1 ms]",
        ],
    )
    assert ext.failures() == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("A compatible .NET SDK was not found.", "dotnet-sdk-missing"),
        ("It was not possible to find any compatible framework version", "dotnet-sdk-missing"),
        (
            "/usr/share/dotnet/sdk/7.0.410/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.TargetFrameworkInference.targets(160,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 8.0.  Either target .NET 7.0 or lower, or use a version of the .NET SDK that supports .NET 8.0. [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-sdk-missing",
        ),
        (
            "/usr/share/dotnet/sdk/8.0.100/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET.Sdk.ImportWorkloads.targets(38,5): error NETSDK1147: To build this project, the following workloads must be installed: maui-android [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-sdk-missing",
        ),
        (
            "/usr/share/dotnet/sdk/8.0.100/Sdks/Microsoft.NET.Sdk/targets/Microsoft.PackageDependencyResolution.targets(266,5): error NETSDK1004: Assets file '/home/runner/work/app/app/src/App/obj/project.assets.json' not found. Run a NuGet package restore to generate this file. [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-sdk-missing",
        ),
        (
            "C:\\Program Files\\Microsoft Visual Studio\\2022\\Enterprise\\MSBuild\\Current\\Bin\\Microsoft.Common.CurrentVersion.targets(1229,5): error MSB3644: The reference assemblies for .NETFramework,Version=v4.5 were not found. [D:\\a\\app\\app\\src\\App\\App.csproj]",
            "dotnet-sdk-missing",
        ),
        (
            "/home/runner/work/app/app/src/App/App.csproj : error MSB4236: The SDK 'Microsoft.NET.Sdk.WindowsDesktop' specified could not be found.",
            "dotnet-sdk-missing",
        ),
        (
            "/home/runner/work/app/app/src/App/Program.cs(31,9): error CA1822: Member 'Total' does not access instance data and can be marked as static [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-analyzer-error",
        ),
        (
            "/home/runner/work/app/app/src/App/Program.cs(12,9): error SA1101: Prefix local calls with this [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-analyzer-error",
        ),
        (
            "/home/runner/work/app/app/src/App/Program.cs(5,2): error WHITESPACE: Fix whitespace formatting. Replace 5 characters with '\\n\\s\\s\\s\\s'. [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-format-check",
        ),
        (
            "/home/runner/work/app/app/src/App/Program.cs(1,1): error IMPORTS: Fix imports ordering. [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-format-check",
        ),
        (
            "/home/runner/work/app/app/src/App/Program.cs(5,1): error IDE0055: Fix formatting [/home/runner/work/app/app/src/App/App.csproj]",
            "dotnet-format-check",
        ),
        (
            "/home/runner/work/app/app/src/App/App.csproj : error NU1100: Unable to resolve 'Contoso.Utils (>= 1.2.0)' for 'net8.0'.",
            "nuget-restore-error",
        ),
        (
            "/home/runner/work/app/app/src/App/App.csproj : error NU1202: Package Foo 2.0.0 is not compatible with net6.0 (.NETCoreApp,Version=v6.0). Package Foo 2.0.0 supports: net8.0 (.NETCoreApp,Version=v8.0)",
            "nuget-restore-error",
        ),
        (
            "/home/runner/work/app/app/src/App/App.csproj : error NU1903: Warning As Error: Package 'System.Text.Json' 8.0.0 has a known high severity vulnerability, https://github.com/advisories/GHSA-hh2w-p6rv-4g7w",
            "nuget-audit-vulnerability",
        ),
        (
            "Could not execute because the specified command or file was not found.",
            "dotnet-tool-missing",
        ),
        (
            'Run "dotnet tool restore" to make the "dotnet-format" command available.',
            "dotnet-tool-missing",
        ),
        (
            "Data collector 'Blame' message: The specified inactivity time of 10 minutes has elapsed. Collecting hang dumps from testhost and its child processes.",
            "vstest-blame-hang",
        ),
        (
            "The active test run was aborted. Reason: Test host process exited with error: Process is terminating due to StackOverflowException.",
            "segfault",
        ),
    ],
)
def test_rules(line: str, rule: str) -> None:
    assert _ids(line)[:1] == [rule]


@pytest.mark.parametrize(
    "line",
    [
        # warnings, passing summaries and a compiler error are none of the new rules'
        "/home/runner/work/app/app/src/App/Program.cs(31,9): warning CA1822: Member 'Total' does not access instance data and can be marked as static [/home/runner/work/app/app/src/App/App.csproj]",
        "/home/runner/work/app/app/src/App/App.csproj : warning NU1903: Package 'System.Text.Json' 8.0.0 has a known high severity vulnerability, https://github.com/advisories/GHSA-hh2w-p6rv-4g7w",
        "/home/runner/work/app/app/src/App/App.csproj : warning NU1603: App depends on Foo (>= 1.0.0) but Foo 1.0.0 was not found. An approximate best match of Foo 1.0.1 was resolved.",
        "/home/runner/work/app/app/src/App/Program.cs(12,5): warning CS0168: The variable 'e' is declared but never used [/home/runner/work/app/app/src/App/App.csproj]",
        "    0 Error(s)",
        "Passed!  - Failed:     0, Passed:    10, Skipped:     0, Total:    10, Duration: 25 ms - App.Tests.dll (net8.0)",
        "Installed SDKs:",
    ],
)
def test_near_misses(line: str) -> None:
    new = {
        "dotnet-sdk-missing",
        "dotnet-analyzer-error",
        "dotnet-format-check",
        "nuget-restore-error",
        "nuget-audit-vulnerability",
        "dotnet-tool-missing",
        "vstest-blame-hang",
    }
    assert not new & set(_ids(line))


def test_compiler_error_stays_build_beside_the_analyzer_rule() -> None:
    line = "/home/runner/work/app/app/src/App/Program.cs(12,5): error CS0103: The name 'foo' does not exist in the current context [/home/runner/work/app/app/src/App/App.csproj]"
    assert "dotnet-analyzer-error" not in _ids(line)
    d = diagnose(
        actions_job("dotnet build", [line, "Build FAILED.", "    0 Warning(s)", "    1 Error(s)"])
    )
    assert d.category == "build"
    assert "error CS0103" in d.key_lines[0].text


@pytest.mark.parametrize(
    ("command", "lines", "category"),
    [
        (
            "dotnet build",
            [
                "The command could not be loaded, possibly because:",
                "  * You intended to execute a .NET application:",
                "      The application 'build' does not exist.",
                "  * You intended to execute a .NET SDK command:",
                "      A compatible .NET SDK was not found.",
                "",
                "Requested SDK version: 8.0.100",
                "global.json file: /home/runner/work/app/app/global.json",
            ],
            "dependency_install",
        ),
        (
            "dotnet test --blame-hang-timeout 10m",
            [
                "Data collector 'Blame' message: The specified inactivity time of 10 minutes has elapsed. Collecting hang dumps from testhost and its child processes.",
                "The active test run was aborted. Reason: Test host process crashed",
                "Test Run Aborted.",
            ],
            "timeout",
        ),
        (
            "dotnet build -warnaserror",
            [
                "/home/runner/work/app/app/src/App/Program.cs(31,9): error CA1822: Member 'Total' does not access instance data and can be marked as static [/home/runner/work/app/app/src/App/App.csproj]",
                "Build FAILED.",
            ],
            "lint",
        ),
    ],
)
def test_categories_in_a_job(command: str, lines: list[str], category: str) -> None:
    assert diagnose(actions_job(command, lines)).category == category
