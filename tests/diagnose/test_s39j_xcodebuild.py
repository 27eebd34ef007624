"""xcodebuild's failures in CI: category and key line for the linker, code signing,
CocoaPods' manifest check, Swift packages, the simulator, and xcbeautify's / fastlane's
relayed test lines.

Sources: the lines xcodebuild and its tools print —
Apple ld (`ld: framework not found X`, `Undefined symbols for architecture arm64:` /
ld-prime's `ld: Undefined symbols:` and `ld: framework 'X' not found`, Xcode 15 release
notes); Xcode's code-signing errors (developer.apple.com, "Signing & Capabilities";
`error: No signing certificate "…" found`, `"App" requires a provisioning profile`);
CocoaPods `lib/cocoapods/installer/user_project_integrator/target_integrator.rb` (the
`[CP] Check Pods Manifest.lock` phase: `error: The sandbox is not in sync with the
Podfile.lock. …`); swift-package-manager's resolver errors under `xcodebuild: error: Could
not resolve package dependencies:`; CoreSimulator's `Unable to boot the Simulator.`;
cpisciotta/xcbeautify `Sources/XcbeautifyLib/Constants.swift` (`TestStatus.fail = "✖"`,
failed test `    ✖ testName, reason`); fastlane `fastlane_core/lib/fastlane_core/ui/`
(each relayed formatter line behind `[HH:MM:SS]: ▸ `).
"""

from __future__ import annotations

from bot.diagnose import diagnose
from bot.diagnose.extractors import extract_failures, extract_tests

HEAD = [
    "##[group]Run set -o pipefail && xcodebuild -workspace App.xcworkspace -scheme App build",
    "shell: /bin/bash -e {0}",
    "##[endgroup]",
    "Command line invocation:",
    "    /Applications/Xcode_15.2.app/Contents/Developer/usr/bin/xcodebuild"
    " -workspace App.xcworkspace -scheme App build",
    "",
]
TAIL = ["##[error]Process completed with exit code 65."]
LD = (
    "Ld /Users/runner/Library/Developer/Xcode/DerivedData/App-abc/Build/Products/"
    "Debug-iphonesimulator/App.app/App normal (in target 'App' from project 'App')"
)
SUMMARY = [
    "",
    "** BUILD FAILED **",
    "",
    "",
    "The following build commands failed:",
    "\t" + LD,
    "(1 failure)",
]


def run(body: list[str]) -> tuple[str, str | None, list[str]]:
    result = diagnose("\n".join(HEAD + body + TAIL).encode())
    return result.category, result.rule, [k.text.strip() for k in result.key_lines]


def test_linker_framework_not_found_is_the_key_line() -> None:
    for line in ("ld: framework not found Pods_App", "ld: framework 'Pods_App' not found"):
        body = [LD, "    cd /Users/runner/work/App/App", line]
        body += ["clang: error: linker command failed with exit code 1 (use -v to see invocation)"]
        category, rule, keys = run(body + SUMMARY)
        assert (category, rule) == ("build", "xcode-linker-error")
        assert keys[0] == line


def test_linker_undefined_symbol_names_the_symbol() -> None:
    body = [
        LD,
        "ld: Undefined symbols:",
        "  _sqlite3_open, referenced from:",
        "      _openDatabase in Database.o",
        "clang: error: linker command failed with exit code 1 (use -v to see invocation)",
    ]
    category, rule, keys = run(body + SUMMARY)
    assert (category, rule) == ("build", "xcode-linker-error")
    assert "_sqlite3_open, referenced from:" in keys[:3]


def test_code_signing_is_a_build_error_with_its_message() -> None:
    line = (
        '/Users/runner/work/App/App/App.xcodeproj: error: No signing certificate "iOS '
        'Distribution" found: No "iOS Distribution" signing certificate matching team ID '
        "\"ABCDE12345\" with a private key was found. (in target 'App' from project 'App')"
    )
    category, rule, keys = run(["Create build description", line, "** ARCHIVE FAILED **"])
    assert (category, rule) == ("build", "xcode-code-signing")
    assert keys[0] == line


def test_pods_out_of_sync_is_dependency_install() -> None:
    line = (
        "error: The sandbox is not in sync with the Podfile.lock. Run 'pod install' or "
        "update your CocoaPods installation."
    )
    body = [
        "PhaseScriptExecution [CP]\\ Check\\ Pods\\ Manifest.lock /Users/runner/x/Script-1.sh"
        " (in target 'App' from project 'App')",
        "diff: /Users/runner/work/App/App/Pods/Manifest.lock: No such file or directory",
        line,
        "Command PhaseScriptExecution failed with a nonzero exit code",
    ]
    category, rule, keys = run(body + SUMMARY)
    assert (category, rule) == ("dependency_install", "cocoapods-sandbox-out-of-sync")
    assert line in keys[:3]


def test_spm_resolution_names_the_package_below_the_head() -> None:
    reason = (
        "package 'swift-collections' is using Swift tools version 5.9.0 but the installed "
        "version is 5.7.1 in https://github.com/apple/swift-collections"
    )
    body = [
        "Resolve Package Graph",
        "",
        "xcodebuild: error: Could not resolve package dependencies:",
        "  " + reason,
    ]
    category, rule, keys = run(body)
    assert (category, rule) == ("dependency_install", "xcodebuild-spm-resolve")
    assert reason in keys[:2]


def test_spm_clone_on_a_dead_network_stays_infra_network() -> None:
    body = [
        "xcodebuild: error: Could not resolve package dependencies:",
        "  Failed to clone repository https://github.com/Alamofire/Alamofire.git:",
        "    fatal: unable to access 'https://github.com/Alamofire/Alamofire.git/':"
        " Could not resolve host: github.com",
    ]
    assert run(body)[0] == "infra_network"


def test_simulator_that_does_not_boot_is_infra_runner() -> None:
    body = [
        "Testing failed:",
        "\tFailed to prepare device 'iPhone 15' for impending launch. (Underlying Error: Unable "
        "to boot the Simulator. launchd failed to respond.)",
        "",
        "** TEST FAILED **",
    ]
    category, rule, keys = run(body)
    assert (category, rule) == ("infra_runner", "xcode-simulator-boot")
    assert keys[0].startswith("Failed to prepare device 'iPhone 15'")


def test_xcbeautify_failed_test() -> None:
    lines = [
        "Test Suite FooTests started",
        "    ✔ testAdd (0.001 seconds)",
        '    ✖ testBar, XCTAssertEqual failed: ("1") is not equal to ("2")',
        "\t Executed 2 tests, with 1 failure (0 unexpected) in 0.013 (0.015) seconds",
        "** TEST FAILED **",
    ]
    assert [(f.test, f.message) for f in extract_failures(lines)] == [
        ("testBar", 'XCTAssertEqual failed: ("1") is not equal to ("2")')
    ]
    category, _, keys = run(lines)
    assert category == "test_failure"
    assert keys[0].endswith('✖ testBar, XCTAssertEqual failed: ("1") is not equal to ("2")')


def test_fastlane_scan_relaying_xcpretty() -> None:
    lines = [
        "[10:00:00]: ▸ Test Suite FooTests started",
        "[10:00:00]: ▸     ✓ testAdd (0.001 seconds)",
        '[10:00:00]: ▸     ✗ testBar, XCTAssertEqual failed: ("1") is not equal to ("2")',
        "[10:00:02]: ▸ ** TEST FAILED **",
        "[!] Tests have failed",
    ]
    assert extract_tests(lines) == ["testBar"]
    category, rule, keys = run(lines)
    assert (category, rule) == ("test_failure", "xctest-failed")
    assert "testBar, XCTAssertEqual" in keys[0]


def test_near_misses() -> None:
    # another tool's ✖ (mocha's epilogue, eslint) and a passing xcodebuild run name no test
    other = [
        "  ✖ 1 of 10 tests failed:",
        "✖ 2 problems (2 errors, 0 warnings)",
        "    ✖ render, boom",
    ]
    assert extract_tests(other) == []
    passing = [
        "Test Case '-[AppTests.FooTests testAdd]' passed (0.001 seconds).",
        "\t Executed 2 tests, with 0 failures (0 unexpected) in 0.013 (0.015) seconds",
        "** TEST SUCCEEDED **",
    ]
    assert extract_tests(passing) == []
    # a test that names `Undefined symbols` in a log message is not the linker's line
    result = diagnose(
        "\n".join([*HEAD, "note: Undefined symbols are reported by ld", *TAIL]).encode()
    )
    assert result.rule != "xcode-linker-error"
