"""CocoaPods' failures in CI: `pod install`'s `[!]` errors, its crash report, a Podfile hook
that raised, and `pod lib lint`'s compile errors.

Sources: CocoaPods `lib/cocoapods/resolver.rb` (`[!] CocoaPods could not find compatible
versions for pod "X":`, `[!] Unable to find a specification for `X` depended upon by `Y``),
Core `lib/cocoapods-core/podfile.rb` (`Invalid `Podfile` file: …`), `lib/cocoapods/
installer.rb` (`An error occurred while processing the post-install hook of the Podfile.`,
then the Ruby message after a blank line and its backtrace), `lib/cocoapods/user_interface/
error_report.rb` (the `### Error` block: `#{exception.class} - #{exception.message}`, then
`[!] Oh no, an error occurred.`), `lib/cocoapods/validator.rb` (`    - ERROR | [iOS]
xcodebuild:  <line>`, `[!] MyLib did not pass validation, due to 1 error.`), CDN source
errors in `lib/cocoapods/sources_manager.rb` / Core `cdn_source.rb` (`CDN: trunk URL couldn't
be downloaded: … Response: Timeout was reached`).
"""

from __future__ import annotations

import pytest

from bot.diagnose import diagnose

HEAD = [
    "##[group]Run cd ios && pod install",
    "cd ios && pod install",
    "shell: /bin/bash -e {0}",
    "##[endgroup]",
    "Analyzing dependencies",
]
TAIL = ["##[error]Process completed with exit code 1."]


def run(body: list[str], head: list[str] = HEAD) -> tuple[str, str | None, list[str]]:
    result = diagnose("\n".join(head + body + TAIL).encode())
    return result.category, result.rule, [k.text.strip() for k in result.key_lines]


def test_incompatible_versions_is_dependency_install() -> None:
    line = '[!] CocoaPods could not find compatible versions for pod "FirebaseCore":'
    body = [
        line,
        "  In snapshot (Podfile.lock):",
        "    FirebaseCore (= 10.18.0)",
        "",
        "  In Podfile:",
        "    Firebase/Core (= 10.22.0) was resolved to 10.22.0, which depends on",
        "      FirebaseCore (= 10.22.0)",
    ]
    category, rule, keys = run(body)
    assert (category, rule) == ("dependency_install", "cocoapods-install-error")
    assert keys[0] == line


def test_missing_specification_names_the_pod() -> None:
    line = (
        "[!] Unable to find a specification for `RNFastImage` depended upon by "
        "`react-native-fast-image`"
    )
    body = [
        line,
        "",
        "You have either:",
        " * out-of-date source repos which you can update with `pod repo update` or with "
        "`pod install --repo-update`.",
    ]
    category, rule, keys = run(body)
    assert (category, rule) == ("dependency_install", "cocoapods-install-error")
    assert keys[0] == line


def test_podfile_syntax_error_is_dependency_install() -> None:
    line = "[!] Invalid `Podfile` file: syntax error, unexpected end-of-input, expecting `end'."
    category, rule, keys = run([line, "", " #  from /Users/runner/work/app/app/ios/Podfile:42"])
    assert (category, rule) == ("dependency_install", "cocoapods-install-error")
    assert keys[0] == line


def test_post_install_hook_error_shows_the_ruby_message() -> None:
    body = [
        "Generating Pods project",
        "[!] An error occurred while processing the post-install hook of the Podfile.",
        "",
        "undefined method `each' for nil:NilClass",
        "",
        "/Users/runner/work/app/app/ios/Podfile:48:in `block (3 levels) in from_ruby'",
    ]
    category, _rule, keys = run(body)
    assert category == "dependency_install"
    assert "undefined method `each' for nil:NilClass" in keys[:3]


CRASH = [
    "### Error",
    "",
    "```",
    "{exception}",
    "/Library/Ruby/Gems/2.6.0/gems/xcodeproj-1.22.0/lib/xcodeproj/project.rb:228:in "
    "`initialize_from_file'",
    "/usr/local/bin/pod:23:in `<main>'",
    "```",
    "",
    "――― TEMPLATE END ――――――――――――――――――――――――――――――――――――――――",
    "",
    "[!] Oh no, an error occurred.",
    "",
    "Search for existing GitHub issues similar to yours:",
    "https://github.com/CocoaPods/CocoaPods/search?q=x&type=Issues",
    "",
    "Looking for related issues on cocoapods/cocoapods...",
    " - Xcode 15 Unknown object version (60)",
    "   https://github.com/CocoaPods/CocoaPods/issues/12065 [closed] [8 comments]",
]


def crash(exception: str) -> list[str]:
    return [line.replace("{exception}", exception) for line in CRASH]


@pytest.mark.parametrize(
    "exception",
    [
        "RuntimeError - [Xcodeproj] Unknown object version (60).",
        "Errno::ENOENT - No such file or directory @ rb_sysopen - Podfile.lock",
    ],
)
def test_crash_report_reads_the_exception_under_error(exception: str) -> None:
    category, rule, keys = run(crash(exception))
    assert (category, rule) == ("dependency_install", "cocoapods-crash-report")
    assert keys[0] == exception


def test_crash_report_on_a_network_exception_stays_infra_network() -> None:
    exception = (
        "Net::OpenTimeout - Failed to open TCP connection to cdn.cocoapods.org:443 "
        "(execution expired)"
    )
    category, _rule, keys = run(crash(exception))
    assert category == "infra_network"
    assert keys[0] == exception


def test_cdn_download_failure_is_infra_network() -> None:
    line = (
        "[!] CDN: trunk URL couldn't be downloaded: https://cdn.cocoapods.org/Specs/0/3/5/"
        "Firebase/10.22.0/Firebase.podspec.json Response: Timeout was reached"
    )
    category, _rule, keys = run([line])
    assert category == "infra_network"
    assert keys[0] == line


def test_lib_lint_compile_error_is_build() -> None:
    head = [
        "##[group]Run pod lib lint --allow-warnings",
        "pod lib lint --allow-warnings",
        "##[endgroup]",
        " -> MyLib (1.2.0)",
    ]
    error = (
        "- ERROR | [iOS] xcodebuild:  MyLib/Classes/Widget.swift:42:17: error: cannot find "
        "'UIColorX' in scope"
    )
    body = [
        "    - ERROR | [iOS] xcodebuild: Returned an unsuccessful exit code. You can use "
        "`--verbose` for more information.",
        "    " + error,
        "",
        "[!] MyLib did not pass validation, due to 1 error.",
    ]
    category, rule, keys = run(body, head)
    assert (category, rule) == ("build", "cocoapods-lint-compile-error")
    assert error in keys[:3]


def test_near_misses() -> None:
    # a Ruby crash outside CocoaPods' report, an exception-shaped line before `### Error`,
    # and a passing install's warning are not CocoaPods failures
    assert diagnose(
        "\n".join(
            [
                *HEAD,
                "Pod installation complete! There are 3 dependencies from the Podfile.",
                "[!] Automatically assigning platform `iOS` with version `13.0` on target "
                "`App` because no platform was specified.",
            ]
        ).encode()
    ).rule not in {"cocoapods-install-error", "cocoapods-crash-report"}
    result = diagnose(
        "\n".join(["RuntimeError - something", "### Stack", "```", "CocoaPods : 1.15.2"]).encode()
    )
    assert result.rule != "cocoapods-crash-report"
    result = diagnose(
        "\n".join(
            [*HEAD, "undefined method `each' for nil:NilClass", "Podfile:3:in `x'", *TAIL]
        ).encode()
    )
    assert result.rule != "cocoapods-hook-error"
