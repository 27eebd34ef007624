"""Stop 39 (s39c): failures of Flutter/Dart, Nix, Jenkins, Julia and sbt that came
out ``unknown``: the knowledge in ``bot/diagnose/knowledge/k10.yml`` and the rules
``julia-pkg-test-errored``, ``flutter-no-pubspec`` and ``nixpkgs-package-refused``.

Each sample is a few lines as a GitHub Actions step prints them, written from the tool's
own source (cited per test); each near miss is a line of a passing run, or another tool's
similar line, that must not name the failure.
"""

from __future__ import annotations

from pathlib import Path

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.knowledge import known_entry


def _step(tmp_path: Path, command: str, *lines: str) -> Diagnosis:
    log = tmp_path / "job.log"
    body = [f"##[group]Run {command}", command, "##[endgroup]", *lines]
    log.write_text("\n".join([*body, "##[error]Process completed with exit code 1."]) + "\n")
    return diagnose(log)


def _is_key_line(got: Diagnosis, text: str) -> bool:
    return any(text in k.text for k in got.key_lines)


def test_flutter_analyze_errors_are_lint(tmp_path: Path) -> None:
    # flutter_tools commands/analyze_once.dart prints `severity • message • file:L:C • code`
    # and `N issues found. (ran in …)`; messages from dart-lang/sdk pkg/analyzer/messages.yaml
    error = "  error • Undefined name 'kPrimaryColor' • lib/theme.dart:10:12 • undefined_identifier"
    summary = "1 issue found. (ran in 4.1s)"
    got = _step(tmp_path, "flutter analyze", "Analyzing app...", error, summary)
    assert got.category == "lint"
    assert _is_key_line(got, "Undefined name 'kPrimaryColor'")


def test_flutter_analyze_clean_run_names_nothing() -> None:
    assert known_entry("No issues found! (ran in 3.2s)") is None


def test_flutter_outside_a_project_is_build(tmp_path: Path) -> None:
    # flutter_tools runner/flutter_command.dart: the ToolExit for a missing pubspec.yaml
    got = _step(
        tmp_path,
        "flutter pub get",
        "Error: No pubspec.yaml file found.",
        "This command should be run from the root of your Flutter project.",
    )
    assert got.category == "build"
    assert _is_key_line(got, "No pubspec.yaml file found")


def test_a_pubspec_mentioned_in_passing_is_no_failure(tmp_path: Path) -> None:
    got = _step(
        tmp_path,
        "flutter pub get",
        "Resolving dependencies in `/home/runner/work/app/app`... (found pubspec.yaml)",
        "Got dependencies!",
    )
    assert got.category != "build"


def test_build_runner_conflicting_outputs_is_build(tmp_path: Path) -> None:
    # dart-lang/build build_runner_core: the NonInteractiveBuildException's severe log
    conflict = (
        "[SEVERE] Conflicting outputs were detected and the build is unable to prompt for "
        "permission to remove them. These outputs must be removed manually or the build can "
        "be run with `--delete-conflicting-outputs`. The outputs are: lib/models/user.g.dart"
    )
    got = _step(tmp_path, "dart run build_runner build", conflict)
    assert got.category == "build"
    assert _is_key_line(got, "Conflicting outputs were detected")


def test_build_runner_success_line_names_nothing() -> None:
    assert known_entry("[INFO] Succeeded after 12.3s with 42 outputs (120 actions)") is None


def test_nixpkgs_refusing_a_package_is_dependency_install(tmp_path: Path) -> None:
    # nixpkgs pkgs/stdenv/generic/check-meta.nix: the broken / unfree / insecure refusals
    for line in (
        "error: Package ‘foo-1.0’ in /nix/store/0b2k-source/pkgs/foo/default.nix:30 "
        "is marked as broken, refusing to evaluate.",
        "error: Package ‘vscode-1.85.0’ in /nix/store/0b2k-source/pkgs/vscode/vscode.nix:60 "
        "has an unfree license (‘unfree’), refusing to evaluate.",
        "error: Refusing to evaluate package 'vscode-1.85.0' in "
        "/nix/store/0b2k-source/pkgs/vscode/vscode.nix:60 because it has an unfree license",
    ):
        got = _step(tmp_path, "nix build .#default", line)
        assert got.category == "dependency_install", line
        assert _is_key_line(got, line[:40])


def test_nix_insecure_hint_is_known() -> None:
    hint = "a) To temporarily allow all insecure packages, you can use an environment variable"
    hit = known_entry("       " + hint)
    assert hit is not None and hit[1].tool == "nix" and hit[1].category == "dependency_install"


def test_nix_builder_failure_stays_build(tmp_path: Path) -> None:
    # a near miss: a derivation that failed to build is not a refused package
    got = _step(
        tmp_path,
        "nix build .#default",
        "error: builder for '/nix/store/8h2dk7x1v3jw0p6k9m4q5rzsl2cyb0aa-app-1.0.drv' "
        "failed with exit code 2;",
    )
    assert got.category == "build"


def test_jenkins_missing_dsl_step_is_build(tmp_path: Path) -> None:
    # jenkinsci/workflow-cps-plugin DSL.java: a step no installed plugin provides
    line = (
        "java.lang.NoSuchMethodError: No such DSL method 'publishHTML' found among steps "
        "[archive, bat, build]"
    )
    got = _step(tmp_path, "Jenkinsfile", line, "Finished: FAILURE")
    assert got.category == "build"
    assert _is_key_line(got, "No such DSL method 'publishHTML'")


def test_jenkins_script_security_rejection_is_build(tmp_path: Path) -> None:
    # jenkinsci/script-security-plugin RejectedAccessException.java
    line = (
        "org.jenkinsci.plugins.scriptsecurity.sandbox.RejectedAccessException: Scripts not "
        "permitted to use method groovy.json.JsonSlurper parse java.net.URL"
    )
    got = _step(tmp_path, "Jenkinsfile", line, "Finished: FAILURE")
    assert got.category == "build"
    assert _is_key_line(got, "Scripts not permitted to use method")


def test_jenkins_approved_signature_names_nothing() -> None:
    assert known_entry("[Pipeline] echo Approved script signatures: 3") is None


def test_julia_pkg_test_errored_is_test_failure(tmp_path: Path) -> None:
    # Pkg.jl src/Operations.jl: `pkgerror("Package ", …, " errored during testing")`
    got = _step(
        tmp_path,
        "julia --project -e 'using Pkg; Pkg.test()'",
        "ERROR: LoadError: MethodError: no method matching foo(::Int64)",
        "in expression starting at /home/runner/work/App.jl/App.jl/test/runtests.jl:5",
        "ERROR: Package App errored during testing",
    )
    assert got.category == "test_failure"
    assert _is_key_line(got, "Package App errored during testing")


def test_julia_signal_stays_segfault_and_passing_tests_name_nothing(tmp_path: Path) -> None:
    signaled = _step(
        tmp_path,
        "julia --project -e 'using Pkg; Pkg.test()'",
        "ERROR: Package App errored during testing (received signal: 11)",
    )
    assert signaled.category == "segfault"
    passing = _step(
        tmp_path, "julia --project -e 'using Pkg; Pkg.test()'", "     Testing App tests passed"
    )
    assert passing.category != "test_failure"


def test_sbt_conflicting_cross_version_suffixes_is_dependency_install(tmp_path: Path) -> None:
    # sbt/librarymanagement ConflictWarning.scala: crossVersionMismatches
    line = (
        "[error] java.lang.RuntimeException: Conflicting cross-version suffixes in: "
        "org.scala-lang.modules:scala-xml"
    )
    got = _step(
        tmp_path,
        "sbt update",
        "[error] Modules were resolved with conflicting cross-version suffixes in "
        'ProjectRef(uri("file:/home/runner/work/app/app/"), "root"):',
        "[error]    org.scala-lang.modules:scala-xml _2.13, _3",
        line,
    )
    assert got.category == "dependency_install"
    assert _is_key_line(got, "conflicting cross-version suffixes")


def test_sbt_resolved_line_names_nothing() -> None:
    assert known_entry("[info] Resolved root dependencies for cross-version builds") is None
