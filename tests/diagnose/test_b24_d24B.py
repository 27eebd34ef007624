# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 24, helper d24B (pasted CI output): golangci-lint's formatter findings
(``golangci-lint-format``), SwiftLint's violations in xcodebuild's closing summary
(``swiftlint-violation``), ansible-lint (``ansible-lint``), Bazel's loading and analysis
errors (``bazel-build-error``), Julia's Test (``julia-test-failed``), a Nix builder that
failed (``nix-builder-failed``) with a Test::Harness summary quoted indented under it, and
ctest's ``MemCheck #N:`` result lines.

Each snippet is written in the shape the tool prints; the near misses keep what a
maintainer would still name as the cause.
"""

from __future__ import annotations

import io

from bot.diagnose import extract_perl
from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.extract_other import CTest
from tests.diagnose.joblogs import actions_job, fed, travis_one_command


def _paste(lines: list[str]) -> Diagnosis:
    return diagnose(io.BytesIO("".join(f"{line}\n" for line in lines).encode()))


def _texts(diagnosis: Diagnosis) -> list[str]:
    return [k.text.strip() for k in diagnosis.key_lines]


# ---- golangci-lint: a formatter linter ------------------------------------------------


def test_golangci_goimports_finding_is_format() -> None:
    lines = [
        "golangci-lint run --config ./golangci.yml",
        "pkg/store/layout.go:9: File is not `goimports`-ed (goimports)",
        '\t"github.com/acme/tool/pkg/store"',
        "make: *** [lint] Error 1",
    ]
    diagnosis = diagnose(travis_one_command("make lint", lines, 2))
    assert diagnosis.category == "format"
    assert diagnosis.rule == "golangci-lint-format"
    assert "pkg/store/layout.go:9: File is not `goimports`-ed (goimports)" in _texts(diagnosis)


def test_golangci_gofmt_with_simplify_and_v2_wording_are_format() -> None:
    for line in (
        "cmd/main.go:12: File is not `gofmt`-ed with `-s` (gofmt)",
        "internal/x.go:3:1: File is not properly formatted (gofumpt)",
    ):
        diagnosis = diagnose(actions_job("golangci-lint run ./...", [line]))
        assert diagnosis.category == "format", line


def test_golangci_other_linter_stays_lint() -> None:
    """Near miss: a finding of a checking linter is lint."""
    diagnosis = diagnose(
        actions_job(
            "golangci-lint run ./...",
            ["pkg/a.go:14:2: Error return value of `f.Close` is not checked (errcheck)"],
        )
    )
    assert diagnosis.category == "lint"


# ---- SwiftLint in xcodebuild's summary ---------------------------------------------------


def test_swiftlint_violation_in_xcodebuild_summary_is_lint() -> None:
    diagnosis = _paste(
        [
            "Testing failed:",
            "\tForce Cast Violation: Force casts should be avoided. (force_cast)",
            "\tLine Length Violation: Line should be 120 characters or less; currently it has 134 characters (line_length)",
            "** TEST FAILED **",
            "",
            "The following build commands failed:",
            "\tPhaseScriptExecution Run\\ Script /Users/runner/Library/Developer/Xcode/DerivedData/App-abc/Build/Intermediates.noindex/App.build/Debug-iphonesimulator/App.build/Script-1234.sh",
            "(1 failure)",
        ]
    )
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "swiftlint-violation"
    assert "Force Cast Violation: Force casts should be avoided. (force_cast)" in _texts(diagnosis)


def test_xcodebuild_compile_error_summary_is_not_swiftlint() -> None:
    """Near miss: a compiler error in the summary has no `Violation:` and no rule id."""
    diagnosis = _paste(
        [
            "Build failed:",
            "\tCannot find 'Foo' in scope",
            "** BUILD FAILED **",
            "",
            "The following build commands failed:",
            "\tCompileSwift normal arm64 /Users/runner/work/app/App/View.swift (in target 'App' from project 'App')",
            "(1 failure)",
        ]
    )
    assert diagnosis.rule != "swiftlint-violation"
    assert diagnosis.category != "lint"


# ---- ansible-lint ----------------------------------------------------------------------


def test_ansible_lint_rule_finding_and_summary() -> None:
    diagnosis = _paste(
        [
            "yaml[line-length]: Line too long (167 > 160 characters)",
            "playbook.yml:6",
            "",
            "no-changed-when: Commands should not change things if nothing needs doing.",
            "roles/web/tasks/main.yml:12 Task/Handler: run migrations",
            "",
            "Failed after min profile: 2 failure(s), 0 warning(s) on 3 files.",
        ]
    )
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "ansible-lint"
    assert _texts(diagnosis)[0] == "yaml[line-length]: Line too long (167 > 160 characters)"


def test_ansible_lint_pep8_format() -> None:
    diagnosis = diagnose(
        actions_job(
            "ansible-lint -p",
            [
                "site.yml:4: fqcn[action-core]: Use FQCN for builtin module actions (command).",
                "Failed: 1 failure(s), 0 warning(s) on 2 files.",
            ],
        )
    )
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "ansible-lint"


def test_yaml_key_with_brackets_is_not_ansible_lint() -> None:
    """Near miss: a word and brackets before a colon in other output (a lowercase message)."""
    diagnosis = _paste(["name[0]: value is set", "Error: something else broke"])
    assert diagnosis.rule != "ansible-lint"


# ---- Bazel -------------------------------------------------------------------------------


def test_bazel_loading_error_is_build() -> None:
    diagnosis = _paste(
        [
            "INFO: Invocation ID: a996b627-34ec-48a8-a6f7-6efcf78c72fe",
            "ERROR: /src/examples/c/compile.bzl:18:1: file '@bazel_tools//tools/build_defs/cc:action_names.bzl' does not contain symbol 'ACTION_NAMES'",
            "ERROR: error loading package 'examples/c': Extension file 'examples/c/compile.bzl' has errors",
            "INFO: Elapsed time: 1.2s",
            "FAILED: Build did NOT complete successfully (0 packages loaded)",
        ]
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "bazel-build-error"
    assert any("does not contain symbol" in t for t in _texts(diagnosis))


def test_bazel_analysis_failure_is_build() -> None:
    diagnosis = diagnose(
        actions_job(
            "bazel build //...",
            [
                "ERROR: /home/runner/work/x/x/app/BUILD.bazel:3:11: no such target '//lib:util': target 'util' not declared in package 'lib'",
                "ERROR: Analysis of target '//app:main' failed; build aborted: Analysis failed",
                "ERROR: Build did NOT complete successfully",
            ],
        )
    )
    assert diagnosis.category == "build"


def test_bazel_info_lines_are_not_errors() -> None:
    """Near miss: INFO lines naming BUILD files are progress."""
    diagnosis = _paste(
        [
            "INFO: Analyzed target //app:main (12 packages loaded, 80 targets configured).",
            "INFO: From Compiling app/main.cc:",
        ]
    )
    assert diagnosis.rule != "bazel-build-error"


# ---- Julia's Test ------------------------------------------------------------------------


def test_julia_base_test_failure_of_old_julia() -> None:
    diagnosis = _paste(
        [
            "INFO: Installing RunTests v0.0.1",
            "ERROR: test failed: :((result==deserialize(f)))",
            " in error at error.jl:21",
            " in default_handler at test.jl:19",
        ]
    )
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "julia-test-failed"


def test_julia_test_failed_at_and_summary() -> None:
    diagnosis = diagnose(
        actions_job(
            "julia --project -e 'using Pkg; Pkg.test()'",
            [
                "arith: Test Failed at /home/runner/work/P.jl/P.jl/test/runtests.jl:5",
                "  Expression: 1 + 1 == 3",
                "   Evaluated: 2 == 3",
                "Test Summary: | Pass  Fail  Total",
                "arith         |    1     1      2",
                "ERROR: LoadError: Some tests did not pass: 1 passed, 1 failed, 0 errored, 0 broken.",
            ],
        )
    )
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "julia-test-failed"


def test_julia_error_that_is_not_a_test() -> None:
    """Near miss: a load error names no failed test."""
    diagnosis = _paste(["ERROR: LoadError: UndefVarError: foo not defined"])
    assert diagnosis.rule != "julia-test-failed"


# ---- Nix, with a Test::Harness summary quoted under it ----------------------------------

_NIX_PERL = [
    "builder for '/nix/store/sq79dx4d7kbnvqi9xk1jyhn164n10fz6-perl5.32.0-libwww-perl-6.47.drv' failed with exit code 2; last 10 log lines:",
    "  ",
    "  Test Summary Report",
    "  -------------------",
    "  t/redirect.t                 (Wstat: 512 Tests: 4 Failed: 2)",
    "    Failed tests:  2, 4",
    "    Non-zero exit status: 2",
]


def test_nix_builder_with_failing_check_phase() -> None:
    diagnosis = _paste(_NIX_PERL)
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["t/redirect.t"]
    texts = _texts(diagnosis)
    assert "t/redirect.t                 (Wstat: 512 Tests: 4 Failed: 2)" in texts
    assert any(t.startswith("builder for '/nix/store/") for t in texts)


def test_nix_builder_alone_is_build() -> None:
    diagnosis = _paste(
        [
            "error: builder for '/nix/store/abc-hello-2.12.drv' failed with exit code 1;",
            "error: 1 dependencies of derivation '/nix/store/def-env.drv' failed to build",
        ]
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "nix-builder-failed"


def test_harness_summary_entry_indented() -> None:
    harness = fed(extract_perl.TestHarness(), _NIX_PERL[2:])
    assert harness.tests() == ["t/redirect.t"]
    # no diagnostic of the file's own: the summary's counts are its message
    assert harness.failures()[0].message == "(Wstat: 512 Tests: 4 Failed: 2)"


def test_harness_diagnostic_wins_over_summary_counts() -> None:
    harness = fed(
        extract_perl.TestHarness(),
        [
            "t/api.t .. ",
            "#   Failed test 'returns 200'",
            "#   at t/api.t line 12.",
            "t/api.t .. Dubious, test returned 1 (wstat 256, 0x100)",
            "Test Summary Report",
            "-------------------",
            "t/api.t (Wstat: 256 Tests: 3 Failed: 1)",
        ],
    )
    assert harness.failures()[0].message == "Failed test 'returns 200'"


# ---- ctest memcheck ------------------------------------------------------------------------


def test_ctest_memcheck_result_line_names_the_test() -> None:
    lines = [
        "Memory check project /home/runner/build/acme/build",
        "    Start 1: AllTests",
        "1/1 MemCheck #1: AllTests .........................***Failed   21.70 sec",
        "",
        "0% tests passed, 1 tests failed out of 1",
    ]
    ctest = fed(CTest(), lines)
    assert ctest.tests() == ["AllTests"]
    diagnosis = diagnose(travis_one_command("ctest -D ExperimentalMemCheck", lines, 8))
    assert diagnosis.category == "test_failure"
    assert any(t.startswith("1/1 MemCheck #1: AllTests") for t in _texts(diagnosis))


def test_ctest_result_followed_by_blank_keeps_its_own_line() -> None:
    """A plain ``Test #N`` result with nothing printed under it: the result line is the
    failure's line, not the blank one after it."""
    ctest = fed(
        CTest(),
        [
            "1/2 Test #1: unit ....***Failed    0.02 sec",
            "",
            "50% tests passed, 1 tests failed out of 2",
        ],
    )
    failure = ctest.failures()[0]
    assert failure.line == 1
    assert failure.message == "1/2 Test #1: unit ....***Failed"


# ---- Cypress: the server under test answered with an error status ----------------------


def test_cypress_visit_error_status_is_a_failing_test() -> None:
    diagnosis = _paste(
        [
            "CypressError: `cy.visit()` failed trying to load:",
            "",
            "http://localhost:3000/",
            "",
            "The response we received from your web server was:",
            "",
            "  > 429: Too Many Requests",
            "",
            "This was considered a failure because the status code was not `2xx`.",
            "",
            "If you do not want status codes to cause failures pass the option: `failOnStatusCode: false`",
        ]
    )
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "cypress-status-code"
    assert "This was considered a failure because the status code was not `2xx`." in _texts(
        diagnosis
    )


def test_registry_429_without_cypress_stays_network() -> None:
    """Near miss: a package registry's 429 is the network, not a test."""
    diagnosis = diagnose(
        actions_job(
            "npm ci",
            ["npm ERR! 429 Too Many Requests - GET https://registry.npmjs.org/left-pad"],
        )
    )
    assert diagnosis.category != "test_failure"


# ---- conda-build: an exception of its own ----------------------------------------------


def test_conda_build_traceback_is_build() -> None:
    diagnosis = _paste(
        [
            '  File "/usr/share/miniconda3/envs/test/lib/python3.11/site-packages/conda_build/build.py", line 2049, in build',
            "    output_metas = expand_outputs([(m, need_source_download, need_reparse_in_env)])",
            '  File "/usr/share/miniconda3/envs/test/lib/python3.11/site-packages/conda_build/render.py", line 780, in expand_outputs',
            "    for (output_dict, m) in deepcopy(_m).get_output_metadata_set(permit_unsatisfiable_variants=False):",
        ]
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "conda-build-crashed"


def test_conda_build_traceback_ending_in_a_solver_error_keeps_it() -> None:
    """Near miss: the exception under the frames (the solver's) is the cause."""
    diagnosis = _paste(
        [
            "Traceback (most recent call last):",
            '  File "/opt/conda/lib/python3.11/site-packages/conda_build/environ.py", line 797, in get_install_actions',
            "    actions = install_actions(prefix, index, specs, force=True)",
            "conda.exceptions.PackagesNotFoundError: The following packages are not available from current channels:",
            "  - libfoo=9.9",
        ]
    )
    assert diagnosis.rule != "conda-build-crashed"


def test_ansible_lint_finished_with_summary_of_early_6x() -> None:
    diagnosis = _paste(
        [
            "risky-shell-pipe: Shells that use pipes should set the pipefail option.",
            "tasks/main.yml:14 Task/Handler: collect facts",
            "Finished with 1 failure(s), 0 warning(s) on 18 files.",
        ]
    )
    assert diagnosis.rule == "ansible-lint"
    assert diagnosis.category == "lint"


def test_docker_pull_and_yaml_keys_are_not_ansible_lint() -> None:
    """Near miss: `latest: Pulling from …` (docker pull) and a YAML key at column 0 share
    the `word: Capital` shape; ids that are everyday words count only with their tag."""
    for line in ("latest: Pulling from library/node", "name: CI", "Sanity: Checking inputs"):
        diagnosis = _paste([line, "Error: something else broke"])
        assert diagnosis.rule != "ansible-lint", line
