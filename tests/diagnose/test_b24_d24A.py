# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 24, helper d24A (pastes of CI and local tool output): tools the engine
knew only by the shape of their lines (esbuild's transform errors, a Rollup plugin's error,
staticcheck's ``(compile)`` findings, a Go test binary's panic, rustup's proxy missing a
tool, ktlint crashing, Sphinx's linkcheck, Gradle's resolution stack), and lines a
maintainer reads first that no rule ranked (pytest's traceback location, PHPUnit's progress
line, javac's argument mismatch, a pre-commit fixer's file, a type checker's second kind of
finding).

Each snippet is written in the shape the tool prints; the near misses keep other tools'
look-alikes with the rules that own them.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from tests.diagnose.joblogs import actions_job, travis_one_command


def _paste(lines: list[str]) -> Diagnosis:
    return diagnose(io.BytesIO(("\n".join(lines) + "\n").encode()))


def _texts(diagnosis: Diagnosis) -> list[str]:
    return [k.text.strip() for k in diagnosis.key_lines]


# ---- esbuild / Rollup -------------------------------------------------------------------


def test_esbuild_transform_failure_is_a_build_error() -> None:
    d = _paste(
        [
            "vite v4.5.0 building SSR bundle for production...",
            "Error: Transform failed with 1 error:",
            'src/routes/index.tsx:12:4: ERROR: Expected ">" but found "class"',
            "    at failureErrorWithLog (/app/node_modules/esbuild/lib/main.js:1649:15)",
        ]
    )
    assert d.category == "build"
    assert d.rule == "esbuild-error"
    assert 'src/routes/index.tsx:12:4: ERROR: Expected ">" but found "class"' in _texts(d)


def test_esbuild_stdin_errors_in_a_github_step() -> None:
    d = diagnose(
        actions_job(
            "npm run build",
            [
                "Error: Transform failed with 2 errors:",
                '<stdin>:3:9: ERROR: The symbol "x" has already been declared',
                '<stdin>:3:9: ERROR: Multiple exports with the same name "x"',
            ],
        )
    )
    assert d.category == "build"
    assert '<stdin>:3:9: ERROR: The symbol "x" has already been declared' in _texts(d)


def test_other_upper_case_error_lines_are_not_esbuild() -> None:
    # docutils' `file:L: ERROR:` (no column) stays sphinx-docs'
    d = _paste(['docs/index.rst:12: ERROR: Unknown directive type "foo".'])
    assert d.rule != "esbuild-error"


def test_rollup_plugin_error_is_a_build_error() -> None:
    d = _paste(
        [
            "src/main.ts → dist/bundle.js...",
            "[!] (plugin commonjs) SyntaxError: Unexpected token (12:7) in /app/node_modules/x/index.js",
            "/app/node_modules/x/index.js (12:7)",
        ]
    )
    assert d.category == "build"
    assert d.rule == "rollup-plugin-error"


def test_rollup_plugin_prefix_needs_the_cli_marker() -> None:
    d = _paste(["(plugin babel) Error: something went wrong"])
    assert d.rule != "rollup-plugin-error"


# ---- Go: staticcheck's compile findings, a test binary's panic -----------------------------


def test_staticcheck_compile_findings_are_lint_and_show_each_kind() -> None:
    lines = ["staticcheck 2023.1.7 (v0.4.7)"]
    lines += [
        f"/usr/local/go/src/runtime/m{i}.go:{i + 10}:7: undefined: min (compile)" for i in range(8)
    ]
    lines += [
        "/usr/local/go/src/runtime/time.go:189:17: cannot range over 3 (untyped int constant) (compile)"
    ]
    lines += ["make: *** [Makefile:73: staticcheck] Error 1"]
    d = _paste(lines)
    assert d.category == "lint"
    assert d.rule == "staticcheck-compile"
    assert lines[-2] in _texts(d)


def test_a_go_compile_error_without_the_check_name_stays_build() -> None:
    d = _paste(["# example.com/x", "./main.go:12:7: undefined: min"])
    assert d.category == "build"
    assert d.rule != "staticcheck-compile"


def test_go_test_binary_panic_in_init_is_a_test_failure() -> None:
    d = _paste(
        [
            "panic: open testdata/config.json: no such file or directory",
            "",
            "goroutine 1 [running]:",
            "example.com/app.init.0()",
            "\t/home/runner/work/app/app/config_test.go:31 +0x1a5",
            "FAIL\texample.com/app\t0.012s",
        ]
    )
    assert d.category == "test_failure"
    # go test's own `FAIL pkg` line names the rule when it is there; the frame is read first
    assert d.rule in ("go-test-failed", "go-test-binary-panic")
    assert "/home/runner/work/app/app/config_test.go:31 +0x1a5" in _texts(d)


def test_go_test_binary_panic_without_go_tests_summary() -> None:
    d = _paste(
        [
            "INFO: creating test directory",
            "panic: exit status 1",
            "",
            "goroutine 1 [running, locked to thread]:",
            "example.com/app.init.3()",
            "\t/home/runner/go/src/example.com/app/main_test.go:114 +0x56d",
        ]
    )
    assert d.category == "test_failure"
    assert d.rule == "go-test-binary-panic"


def test_a_panic_outside_test_code_is_not_a_test_panic() -> None:
    d = _paste(
        [
            "panic: runtime error: index out of range [3] with length 3",
            "",
            "goroutine 1 [running]:",
            "main.main()",
            "\t/home/runner/work/app/app/main.go:14 +0x1d",
        ]
    )
    assert d.rule != "go-test-binary-panic"


# ---- rustup: a tool the toolchain does not have ----------------------------------------------


def test_rustup_command_failed_not_found_is_a_missing_tool() -> None:
    d = _paste(
        [
            "rustup run nightly-2022-11-03 wasm-pack test --node",
            "error: command failed: 'wasm-pack': No such file or directory (os error 2)",
            "make: *** [test] Error 1",
        ]
    )
    assert d.category == "dependency_install"
    assert d.rule == "rustup-tool-missing"


def test_rustup_component_not_installed() -> None:
    d = diagnose(
        actions_job(
            "cargo fmt --all -- --check",
            [
                "error: 'cargo-fmt' is not installed for the toolchain 'stable-x86_64-unknown-linux-gnu'",
                "To install, run `rustup component add rustfmt`",
            ],
        )
    )
    assert d.category == "dependency_install"
    assert d.rule == "rustup-tool-missing"


def test_a_rustc_error_is_not_a_missing_tool() -> None:
    d = _paste(["error: could not compile `app` due to 2 previous errors"])
    assert d.rule != "rustup-tool-missing"


# ---- pre-commit fixer's files ----------------------------------------------------------------


def test_pre_commit_fixer_names_the_file_it_fixed() -> None:
    d = _paste(
        [
            "trim trailing whitespace.................................................Failed",
            "- hook id: trailing-whitespace",
            "- exit code: 1",
            "- files were modified by this hook",
            "",
            "Fixing docs/index.md",
            "Fixing src/app.py",
        ]
    )
    assert d.category == "format"
    assert "Fixing docs/index.md" in _texts(d)


def test_fixing_outside_a_pre_commit_report_is_not_the_fixer() -> None:
    d = _paste(["Fixing permissions", "Fixing /app/src"])
    assert d.rule != "pre-commit-fixer-file"


# ---- ktlint crash -----------------------------------------------------------------------------


def test_ktlint_crash_is_the_lint_step() -> None:
    d = _paste(
        [
            'Exception in thread "main" java.lang.IllegalStateException: Unexpected rule set',
            "\tat com.pinterest.ktlint.core.KtLint.format(KtLint.kt:214)",
            "\tat com.pinterest.ktlint.Main.main(Main.kt:61)",
        ]
    )
    assert d.category == "lint"
    assert d.rule == "ktlint-crash"
    assert (
        'Exception in thread "main" java.lang.IllegalStateException: Unexpected rule set'
        in _texts(d)
    )


def test_a_java_crash_outside_ktlint_is_not_ktlint() -> None:
    d = _paste(
        [
            'Exception in thread "main" java.lang.NullPointerException',
            "\tat com.example.App.main(App.java:12)",
        ]
    )
    assert d.rule != "ktlint-crash"


# ---- Sphinx linkcheck ---------------------------------------------------------------------------


def test_sphinx_linkcheck_broken_link_is_lint() -> None:
    d = diagnose(
        travis_one_command(
            "sphinx-build -b linkcheck docs docs/_build/linkcheck",
            [
                "Running Sphinx v7.2.6",
                "(           index: line   12) broken    https://example.org/gone - 404 Client Error: Not Found for url: https://example.org/gone",
                "build finished with problems, 1 warning.",
            ],
        )
    )
    assert d.category == "lint"
    assert d.rule == "sphinx-linkcheck"
    assert "build finished with problems, 1 warning." in _texts(d)


def test_sphinx_html_build_with_problems_stays_a_build() -> None:
    d = _paste(
        [
            "Running Sphinx v7.3.7",
            "docs/api.rst:4: WARNING: undefined label: 'setup'",
            "build finished with problems, 1 warning (with warnings treated as errors).",
        ]
    )
    assert d.category == "build"
    assert d.rule == "sphinx-docs"


# ---- Gradle's resolution stack ------------------------------------------------------------------


def test_gradle_resolution_stack_is_a_dependency_failure() -> None:
    d = _paste(
        [
            "\tat org.gradle.api.internal.artifacts.ResolveExceptionMapper.mapFailures(ResolveExceptionMapper.java:62)",
            "\tat org.gradle.api.internal.artifacts.configurations.DefaultConfiguration.rethrowFailure(DefaultConfiguration.java:1500)",
            "\tat org.gradle.api.internal.file.AbstractFileCollection.getFiles(AbstractFileCollection.java:120)",
        ]
    )
    assert d.category == "dependency_install"
    assert d.rule == "gradle-resolve-stacktrace"


def test_other_gradle_frames_are_not_resolution() -> None:
    d = _paste(
        [
            "\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.execute(ExecuteActionsTaskExecuter.java:149)"
        ]
    )
    assert d.rule != "gradle-resolve-stacktrace"


# ---- lines a maintainer reads first ---------------------------------------------------------------


def test_pytest_traceback_location_is_a_key_line() -> None:
    d = _paste(
        [
            ">       assert resp.status == 200",
            "E       AssertionError",
            "",
            "tests/helpers.py:21: AssertionError",
            "========================= 2 failed, 30 passed in 4.10s =========================",
        ]
    )
    assert d.category == "test_failure"
    assert "tests/helpers.py:21: AssertionError" in _texts(d)


def test_phpunit_progress_line_with_a_failure_is_a_key_line() -> None:
    d = _paste(
        [
            "PHPUnit 9.6.13 by Sebastian Bergmann and contributors.",
            "",
            "..E.......                                                        10 / 10 (100%)",
            "",
            "There was 1 error:",
        ]
    )
    assert d.category == "test_failure"
    assert (
        "..E.......                                                        10 / 10 (100%)"
        in _texts(d)
    )


def test_phpunit_progress_line_without_failures_is_no_cause() -> None:
    d = _paste(["..........                                                        10 / 10 (100%)"])
    assert d.rule != "phpunit-failed"


def test_javac_argument_mismatch_is_a_key_line() -> None:
    d = _paste(
        [
            "/app/src/main/java/a/B.java:40: error: no suitable constructor found for Foo(String)",
            "        return new Foo(name);",
            "               ^",
            "    constructor Foo.Foo(int) is not applicable",
            "      (argument mismatch; String cannot be converted to int)",
            "1 error",
        ]
    )
    assert d.category == "build"
    assert "(argument mismatch; String cannot be converted to int)" in _texts(d)
