# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 30, helper d30A (pasted CI output): AppVeyor's bracketed clock, a CLI
logger's lower-case ``error`` level, static-site builds in the command table, a file Windows
kept locked, an installed tool's version refused, Conan's and conda's broken caches, a tool
binary that did not download, Octokit's 404, fastlane's unknown action, gitleaks' leaks and
kubeconform's verdicts.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.logline import clean_line
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import STRONG_SCORE, error_score
from tests.diagnose.joblogs import actions_job
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids

RULES = load_rules()


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            'C:\\Users\\RUNNER~1\\AppData\\Local\\Temp\\ghcC097.o: DeleteFile "\\\\\\\\?\\\\C:\\\\Users\\\\RUNNER~1\\\\AppData\\\\Local\\\\Temp\\\\ghcC097.o": permission denied (Access is denied.)',
            "windows-file-locked",
        ),
        (
            'dist-newstyle\\tmp: removeDirectoryRecursive:removeContentsRecursive:RemoveDirectory "\\\\\\\\?\\\\D:\\\\a\\\\x\\\\dist-newstyle\\\\tmp": permission denied (Access is denied.)',
            "windows-file-locked",
        ),
        (
            "System.IO.IOException: The process cannot access the file 'D:\\a\\app\\bin\\App.dll' because it is being used by another process.",
            "windows-file-locked",
        ),
        (
            "The process cannot access the file because it is being used by another process.",
            "windows-file-locked",
        ),
        (
            "You have installed Ansible 1.9.6, but CIBox requires 1.9.4. Visit http://docs.cibox.tools/en/latest/Requirements for more information.",
            "installed-version-mismatch",
        ),
        (
            "You have node 14.21.3 installed, but app requires version 18",
            "installed-version-mismatch",
        ),
        (
            "mylib-waf/1.0@user/channel: WARN: Package is corrupted, removing folder: C:\\Users\\runneradmin\\.conan\\data\\mylib-waf\\1.0\\user\\channel\\package\\3fb49604f9c2",
            "conan-package-corrupted",
        ),
        (
            '      InvalidArchiveError("Error with archive /home/runner/conda_pkgs_dir/libstdcxx-ng-13.2.0-hc0a3c3a_7.conda.  You probably need to delete and re-download or re-create this file.  Message was:\\n\\nfailed with error: [Errno 2] No such file or directory")',
            "conda-invalid-archive",
        ),
        ("    Failed to create Conda environment", "conda-env-create-failed"),
        ("CreateCondaEnvironmentException:", "conda-env-create-failed"),
        (
            "Could not create conda environment from /home/runner/work/p/p/workflow/envs/qc.yaml:",
            "conda-env-create-failed",
        ),
        ("Failed to download coveralls binary or checksum (Linux).", "tool-binary-download-failed"),
        ("Failed to download codecov binary", "tool-binary-download-failed"),
        ("HttpError: Not Found", "github-api-not-found"),
        ("RequestError [HttpError]: Not Found", "github-api-not-found"),
        (
            "/home/runner/.rubies/ruby-2.4.1/lib/ruby/gems/2.4.0/gems/fastlane-2.58.0/fastlane_core/lib/fastlane_core/ui/interface.rb:131:in `user_error!': [!] Could not find action, lane or variable 'esc'. Check out the documentation for more details: https://docs.fastlane.tools/actions (FastlaneCore::Interface::FastlaneError)",
            "fastlane-unknown-action",
        ),
        (
            "[!] Could not find lane 'ios beta'. Available lanes: ios test, ios release",
            "fastlane-unknown-action",
        ),
        ("🛑 STOP! Gitleaks encountered leaks", "secret-scan-leaks"),
        ("🛑 Leaks detected, see job summary for details", "secret-scan-leaks"),
        ("11:13AM WRN leaks found: 2", "secret-scan-leaks"),
        ('      "status": "statusError",', "kubeconform-invalid"),
        ('      "status": "statusInvalid",', "kubeconform-invalid"),
        (
            "manifests/web.yaml - Deployment web is invalid: problem validating schema. Check JSON formatting: jsonschema: '/spec/replicas' does not validate",
            "kubeconform-invalid",
        ),
        (
            "stdin - Service api failed validation: could not find schema for Service",
            "kubeconform-invalid",
        ),
    ],
)
def test_rule_matches(line: str, rule: str) -> None:
    assert rule in _ids(clean_line(line))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("permission denied (Access is denied.)", "windows-file-locked"),
        ("rm: cannot remove 'build/x.o': Permission denied", "windows-file-locked"),
        ("You have installed Ansible 1.9.4.", "installed-version-mismatch"),
        ("CIBox requires Ansible 1.9.4 or later.", "installed-version-mismatch"),
        ("WARN: Package is not installed", "conan-package-corrupted"),
        ("InvalidArchiveError handling was improved in conda 23.1", "conda-invalid-archive"),
        ("Creating Conda environment", "conda-env-create-failed"),
        ("Failed to download dependency 'left-pad'", "tool-binary-download-failed"),
        ("Downloaded coveralls binary", "tool-binary-download-failed"),
        ("HttpError: Bad credentials", "github-api-not-found"),
        ("Error: Not Found", "github-api-not-found"),
        (
            "[!] Could not find option 'foo' in the list of available options",
            "fastlane-unknown-action",
        ),
        ("no leaks found", "secret-scan-leaks"),
        ("11:13AM INF leaks found: 0", "secret-scan-leaks"),
        ('      "status": "statusValid",', "kubeconform-invalid"),
        (
            "Summary: 3 resources found in 1 file - Valid: 3, Invalid: 0, Errors: 0, Skipped: 0",
            "kubeconform-invalid",
        ),
    ],
)
def test_near_misses(line: str, rule: str) -> None:
    assert rule not in _ids(clean_line(line))


def test_appveyor_clock_is_dropped() -> None:
    assert clean_line("[00:01:59] ERROR: Missing prebuilt package for 'zlib/1.2.11'") == (
        "ERROR: Missing prebuilt package for 'zlib/1.2.11'"
    )
    # TeamCity's web view keeps working, and a clock without its space is the line's text
    assert clean_line("[17:57:11][Step 3/4] make all") == "make all"
    assert clean_line("[00:01:59]x") == "[00:01:59]x"


def test_lower_case_error_level_is_an_error_line() -> None:
    assert error_score("error gatsby build") >= STRONG_SCORE
    assert error_score("error Command failed with exit code 1.") >= STRONG_SCORE
    # prose or an identifier that starts with the word is not a level
    assert error_score("errors: 0") < STRONG_SCORE
    assert error_score("error_handler registered") < STRONG_SCORE


def test_static_site_build_commands_are_builds() -> None:
    for command in ("gatsby build", "npx next build", "bundle exec jekyll build", "nuxt generate"):
        assert RULES.command_category(command) == "build", command


def test_windows_lock_outranks_cabal_summary() -> None:
    got = _paste(
        [
            "Failed to build Only-0.1. The failure occurred during the configure step.",
            "cabal.exe: Failed to build Only-0.1 (which is required by criterion-1.5.9.0).",
            "Configuring library for Only-0.1..",
            "",
            'C:\\Users\\RUNNER~1\\AppData\\Local\\Temp\\ghcC097.o: DeleteFile "\\\\\\\\?\\\\C:\\\\Users\\\\RUNNER~1\\\\AppData\\\\Local\\\\Temp\\\\ghcC097.o": permission denied (Access is denied.)',
            "Error: Process completed with exit code 1.",
        ]
    )
    assert got.category == "infra_runner"
    assert got.retryable
    texts = [k.text for k in got.key_lines]
    assert any("permission denied (Access is denied.)" in t for t in texts)
    assert any("cabal.exe: Failed to build Only-0.1" in t for t in texts)


def test_conan_under_appveyor_clock() -> None:
    got = _paste(
        [
            "[00:01:59] mylib/1.0@user/channel: WARN: Package is corrupted, removing folder: C:\\Users\\runneradmin\\.conan\\data\\mylib\\1.0\\user\\channel\\package\\3fb4",
            "[00:01:59] mylib/1.0@user/channel: WARN: Can't find a 'mylib/1.0@user/channel' package for the specified settings, options and dependencies:",
            "[00:01:59] - Package ID: 3fb49604f9c2f729b85ba3115852006824e72cab",
            "[00:01:59] ",
            "[00:01:59] ERROR: Missing prebuilt package for 'mylib/1.0@user/channel'",
            '[00:01:59] Try to build it from sources with "--build mylib"',
        ]
    )
    assert got.category == "dependency_install"
    texts = [k.text for k in got.key_lines]
    assert "ERROR: Missing prebuilt package for 'mylib/1.0@user/channel'" in texts
    assert any("WARN: Package is corrupted, removing folder" in t for t in texts)


def test_conan_corrupted_alone_is_weak() -> None:
    # the warning beside tests that failed does not make the job a dependency failure
    got = diagnose_job(
        "pytest -q",
        [
            "pkg/1.0: WARN: Package is corrupted, removing folder: /home/runner/.conan/data/pkg/1.0/_/_/package/ab12",
            "pkg/1.0: Retrieving package ab12 from remote 'conancenter'",
            "FAILED tests/test_a.py::test_x - assert 1 == 2",
            "1 failed, 3 passed in 0.20s",
        ],
    )
    assert got.category == "test_failure"


def test_nextflow_conda_env_with_broken_archive() -> None:
    got = _paste(
        [
            "ERROR ~ Error executing process > 'qc:check (1)'",
            "  ",
            "  Caused by:",
            "    Failed to create Conda environment",
            "    command: conda env create --prefix /home/runner/work/p/p/work/conda/env-1b87 --file /home/runner/work/p/p/envs/seqkit.yaml",
            "    status : 1",
            "    message:",
            '      InvalidArchiveError("Error with archive /home/runner/conda_pkgs_dir/libstdcxx-ng-13.2.0-hc0a3c3a_7.conda.  You probably need to delete and re-download or re-create this file.  Message was:\\n\\nfailed with error: [Errno 2] No such file or directory")',
        ]
    )
    assert got.category == "dependency_install"
    assert got.rule == "conda-invalid-archive"
    texts = [k.text for k in got.key_lines]
    assert any("Failed to create Conda environment" in t for t in texts)


def test_gitleaks_report_lines() -> None:
    got = _paste(
        [
            "🛑 STOP! Gitleaks encountered leaks",
            "----------------------------------",
            "{",
            '\t"line": "# aws_access_key_id=\'REDACTED\' ",',
            '\t"lineNumber": 16,',
            '\t"offender": "REDACTED",',
            '\t"rule": "AWS Manager ID",',
            '\t"file": "entrypoint.sh",',
            "}",
        ]
    )
    assert got.category == "lint"
    texts = [k.text for k in got.key_lines]
    assert any("STOP! Gitleaks encountered leaks" in t for t in texts)
    assert any('"rule": "AWS Manager ID",' in t for t in texts)
    # a JSON "rule" key without the scanner's verdict is only data
    assert "secret-scan-finding" not in {
        k.rule for k in _paste(["{", '  "rule": "no-console",', "}"]).key_lines
    }


def test_kubeconform_json_status_and_message() -> None:
    got = _paste(
        [
            "{",
            '  "resources": [',
            "    {",
            '      "filename": "kubeconfigs/",',
            '      "kind": "",',
            '      "status": "statusError",',
            '      "msg": "lstat kubeconfigs/: no such file or directory"',
            "    }",
            "  ],",
        ]
    )
    assert got.category == "lint"
    texts = [k.text for k in got.key_lines]
    assert any('"status": "statusError"' in t for t in texts)
    assert any('"msg": "lstat kubeconfigs/' in t for t in texts)


def test_gatsby_build_through_npm() -> None:
    got = _paste(
        [
            "> site@0.1.0 build /home/runner/work/site/site",
            '> gatsby build ""',
            "",
            "error gatsby build",
            "npm ERR! code ELIFECYCLE",
            "npm ERR! errno 1",
            'npm ERR! site@0.1.0 build: `gatsby build ""`',
            "npm ERR! Exit status 1",
            "npm ERR! Failed at the site@0.1.0 build script.",
            "Error: The process 'npm' failed with exit code 1",
        ]
    )
    assert got.category == "build"
    assert "error gatsby build" in [k.text for k in got.key_lines]


def test_octokit_not_found_and_fastlane() -> None:
    got = _paste(
        [
            "Run gregsdennis/dependencies-action@v1.4.2",
            '  Fetching \'{"owner":"o","repo":"r","pull_number":1}\'',
            "##[error]HttpError: Not Found",
        ]
    )
    assert got.category == "infra_network"
    assert got.rule == "github-api-not-found"
    got = _paste(
        [
            "/home/runner/.rubies/ruby-2.4.1/lib/ruby/gems/2.4.0/gems/fastlane-2.58.0/fastlane_core/lib/fastlane_core/ui/interface.rb:131:in `user_error!': [!] Could not find action, lane or variable 'esc'. Check out the documentation for more details: https://docs.fastlane.tools/actions (FastlaneCore::Interface::FastlaneError)",
            "\tfrom Fastfile:12:in `block in parsing_binding'",
        ]
    )
    assert got.category == "build"


def test_version_mismatch_under_jenkins() -> None:
    got = _paste(
        [
            "+ sudo bash ./repository.sh",
            "You have installed Ansible 1.9.6, but CIBox requires 1.9.4. Visit http://docs.cibox.tools/en/latest/Requirements for more information.",
            "Build step 'Execute shell' marked build as failure",
            "Finished: FAILURE",
        ]
    )
    assert got.category == "dependency_install"
    assert any("You have installed Ansible 1.9.6" in k.text for k in got.key_lines)


def diagnose_job(command: str, lines: list[str]) -> Diagnosis:
    return diagnose(actions_job(command, lines))
