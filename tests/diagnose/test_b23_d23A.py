# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 23's design half, helper d23A (pasted CI output): hadolint's findings
(``hadolint``), a Julia child process killed by a signal (``julia-process-signaled``), the
setup-swift action's failure (``setup-swift-failed``), npm's ``Test failed`` verdict
(``npm-test-failed``), and new shapes in known rules: npm's ERESOLVE conflicting ``peer``
line and old npm's registry 404 (``npm-install``), Maven's help link naming a resolution
exception (``maven-resolve``), Rollup's import errors (``node-build``) and CMake's missing
link target (``c-compile-error``).

Each snippet is written in the shape the tool prints; the near misses are lines that look
alike but are not the tool's verdict (a config file listing rule codes, ShellCheck's own
format, a signal that is not a crash, an indented ``peer`` line of the found tree).
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job, travis_one_command

RULES = load_rules()


def _ids(line: str) -> list[str]:
    return [r.id for r in RULES.match(line)]


# ---- hadolint ------------------------------------------------------------------------


def test_hadolint_findings_in_every_format_are_lint() -> None:
    """hadolint 1.17+'s tty format (file, level), stdin's `/dev/stdin` and `-` names, and
    the pre-1.x `L4 DL3008 …` (no file), ShellCheck codes relayed for RUN lines."""
    for line in (
        "Dockerfile:4 DL3008 warning: Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
        "compose/local/django/Dockerfile:38 DL3009 info: Delete the apt-get lists after installing something",
        "/dev/stdin:10 DL3020 Use COPY instead of ADD for files and folders",
        "-:6 DL3018 warning: Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
        "L4 DL3008 Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
        "Dockerfile:12 SC2086 info: Double quote to prevent globbing and word splitting.",
        "Dockerfile:1 DL3006 error: Always tag the version of an image explicitly",
    ):
        assert "hadolint" in _ids(line), line


def test_hadolint_near_misses() -> None:
    """A .hadolint.yaml listing codes, a changelog bullet, ShellCheck's own gcc format."""
    for line in (
        "- DL3008 # https://github.com/hadolint/hadolint/wiki/DL3008 (Pin versions in apt get install)",
        "- [DL3003] Use WORKDIR to switch to a directory.",
        "script.sh:3:5: note: Double quote to prevent globbing and word splitting. [SC2086]",
        "  ignored: DL3008 DL3009",
    ):
        assert "hadolint" not in _ids(line), line


def test_hadolint_in_a_gitlab_job_names_lint_and_each_finding() -> None:
    lines = [
        "$ hadolint ./Dockerfile",
        "L4 DL3008 Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
        "L4 DL3009 Delete the apt-get lists after installing something",
        "L20 DL3003 Use WORKDIR to switch to a directory",
        "ERROR: Job failed: exit code 1",
    ]
    diagnosis = diagnose(actions_job("hadolint Dockerfile", lines[1:4]))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "hadolint"
    texts = [k.text for k in diagnosis.key_lines]
    assert any("DL3008" in t for t in texts) and any("DL3009" in t for t in texts)


# ---- Julia: a child process killed by a signal ------------------------------------------

_JULIA_PKG_TEST = [
    "INFO: Testing Example",
    "================================[ ERROR: Example ]=================================",
    "",
    "failed process: Process(`/opt/julia-0.5.2/bin/julia -Cx86-64 --check-bounds=yes --code-coverage=user /home/runner/.julia/v0.5/Example/test/runtests.jl`, ProcessSignaled(6)) [0]",
    "",
    "================================================================================",
    "ERROR: Example had test errors",
    " in #test#61(::Bool, ::Function, ::Array{AbstractString,1}) at ./pkg/entry.jl:748",
]


def test_julia_test_process_killed_by_sigabrt_is_a_crash() -> None:
    diagnosis = diagnose(actions_job("julia -e 'Pkg.test(\"Example\")'", _JULIA_PKG_TEST))
    assert diagnosis.category == "segfault"
    assert diagnosis.rule == "julia-process-signaled"
    assert any("ProcessSignaled(6)" in k.text for k in diagnosis.key_lines)


def test_julia_process_signals_that_are_crashes_and_those_that_are_not() -> None:
    for crash in (
        "  failed process: Process(`./worker --serve`, ProcessSignaled(11)) [0]",
        "ERROR: Package ClangCompiler errored during testing (received signal: 6)",
        "ERROR: Package Foo errored during testing (received signal: SEGV)",
    ):
        assert "julia-process-signaled" in _ids(crash), crash
    for line in (
        # SIGKILL (the OOM killer, a `kill -9`) and SIGTERM are not a crash
        "  failed process: Process(`/tmp/julia/bin/julia -e 'clone()'`, ProcessSignaled(9)) [0]",
        "failed process: Process(`sleep 100`, ProcessSignaled(15)) [0]",
        "ERROR: Package Tullio errored during testing (received signal: KILL)",
        "ERROR: Package Foo errored during testing",
        # an exit status is no signal
        "ERROR: LoadError: failed process: Process(`kill -s KILL 328`, ProcessExited(1)) [1]",
    ):
        assert "julia-process-signaled" not in _ids(line), line


# ---- setup-swift ---------------------------------------------------------------------


def test_setup_swift_failure_is_the_toolchain_install() -> None:
    lines = [
        "##[error]Unexpected error, unable to continue. Please report at https://github.com/swift-actions/setup-swift/issues",
        'Version "24.04" of Ubuntu is not supported',
        "Stacktrace:",
        'Error: Version "24.04" of Ubuntu is not supported',
        "    at Object.<anonymous> (/home/runner/work/_actions/swift-actions/setup-swift/v1/dist/index.js:7541:19)",
    ]
    diagnosis = diagnose(actions_job("swift-actions/setup-swift@v1", lines, echo=False))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "setup-swift-failed"
    assert any("is not supported" in k.text for k in diagnosis.key_lines)


def test_other_actions_unexpected_error_is_not_setup_swift() -> None:
    line = "##[error]Unexpected error, unable to continue. Please report at https://github.com/acme/deploy-action/issues"
    assert "setup-swift-failed" not in _ids(line)


# ---- npm -----------------------------------------------------------------------------


def test_npm_test_failed_under_make_is_a_test_failure() -> None:
    """npm 1-6 ran `npm test` -> `make test` -> mocha; make's exit line is the wrapper
    (the tail of the job, as pasted: the test runner's output is above it)."""
    lines = [
        "make: *** [test] Error 1",
        "npm ERR! Test failed.  See above for more details.",
        "npm ERR! not ok code 0",
    ]
    diagnosis = diagnose(travis_one_command("npm test", lines))
    assert diagnosis.category == "test_failure"


def test_npm_test_failed_beside_a_compile_error_stays_a_build() -> None:
    """Near miss: the test script compiled first and the compiler failed."""
    lines = [
        "src/index.c:3:10: error: expected ';' before 'return'",
        "make: *** [test] Error 1",
        "npm ERR! Test failed.  See above for more details.",
    ]
    diagnosis = diagnose(travis_one_command("npm test", lines))
    assert diagnosis.category == "build"


def test_npm_eresolve_names_the_conflicting_peer_requirement() -> None:
    lines = [
        "npm error code ERESOLVE",
        "npm error ERESOLVE could not resolve",
        "npm error",
        "npm error While resolving: @vitest/coverage-v8@4.0.10",
        "npm error Found: vitest@4.0.17",
        "npm error node_modules/vitest",
        'npm error   dev vitest@"^4.0.17" from the root project',
        'npm error   peer vitest@"4.0.17" from @vitest/ui@4.0.17',
        "npm error",
        "npm error Could not resolve dependency:",
        'npm error peer vitest@"4.0.10" from @vitest/coverage-v8@4.0.10',
        "npm error node_modules/@vitest/coverage-v8",
    ]
    diagnosis = diagnose(actions_job("npm ci", lines))
    assert diagnosis.category == "dependency_install"
    texts = [k.text for k in diagnosis.key_lines]
    assert 'npm error peer vitest@"4.0.10" from @vitest/coverage-v8@4.0.10' in texts
    # the found tree's indented peer line is context, not the conflict
    assert 'npm error   peer vitest@"4.0.17" from @vitest/ui@4.0.17' not in texts
    assert "npm-install" in _ids('npm ERR! peerOptional react@"^16.8.0" from @mui/x@5.0.0')


def test_old_npm_registry_404_in_console_and_debug_log() -> None:
    for line in (
        "npm http 404 https://registry.npmjs.org/left-padd",
        "18 http 404 http://registry.npmjs.org/scrollreveal",
        "12 http fetch GET 404 https://registry.npmjs.org/@acme%2fmissing 210ms",
        "32 error 404 Not Found: left-padd@latest",
        "40 error code E404",
    ):
        assert "npm-install" in _ids(line), line
    for line in (
        "npm http 200 https://registry.npmjs.org/left-pad",
        "17 http request GET http://registry.npmjs.org/scrollreveal",
        "12 http fetch POST 404 https://registry.npmjs.org/-/npm/v1/security/audits/quick 80ms",
    ):
        assert "npm-install" not in _ids(line), line


def test_npm_debug_log_404_is_a_dependency_install() -> None:
    lines = [
        "0 info it worked if it ends with ok",
        "7 silly fetchPackageMetaData scrollreveal@^2.3.2",
        "17 http request GET http://registry.npmjs.org/scrollreveal",
        "18 http 404 http://registry.npmjs.org/scrollreveal",
        "19 verbose headers { server: 'CouchDB/1.5.0 (Erlang OTP/R16B03)',",
    ]
    diagnosis = diagnose(travis_one_command("cat npm-debug.log", lines))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "npm-install"


# ---- Maven: the footer's help link -------------------------------------------------


def test_maven_help_link_naming_a_resolution_exception() -> None:
    for line in (
        "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException",
        "[2022-04-01T10:25:15.666Z] [ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException",
        "[ERROR] [Help 2] https://cwiki.apache.org/confluence/display/MAVEN/PluginResolutionException",
    ):
        assert "maven-resolve" in _ids(line), line
    for line in (
        "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException",
        "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException",
    ):
        assert "maven-resolve" not in _ids(line), line


# ---- Rollup --------------------------------------------------------------------------


def test_rollup_import_errors_are_a_build() -> None:
    for line in (
        "(node:133) UnhandledPromiseRejectionWarning: Unhandled promise rejection (rejection id: 1): Error: Illegal reassignment to import 'process'",
        '[!] Error: Illegal reassignment of import "count" in "src/main.js".',
        "[!] Error: 'default' is not exported by node_modules/jimp/es/index.js, imported by src/index.ts",
        'Error: "createApp" is not exported by "node_modules/vue/dist/vue.js", imported by "src/main.js".',
    ):
        assert "node-build" in _ids(line), line
    assert "node-build" not in _ids("Illegal reassignment of a constant")
    assert "node-build" not in _ids("The symbol 'x' is not exported by the module")


# ---- CMake: a link target that does not exist ------------------------------------------


def test_cmake_missing_link_target_is_a_key_line() -> None:
    lines = [
        "-- Configuring done (1.7s)",
        "CMake Error at cmake/FindSDL2_gfx.cmake:219 (set_target_properties):",
        '  The link interface of target "SDL2::SDL2_gfx" contains:',
        "",
        "    SDL2::SDL2-static",
        "",
        "  but the target was not found.  Possible reasons include:",
        "",
        "    * There is a typo in the target name.",
    ]
    diagnosis = diagnose(actions_job("cmake -B build", lines))
    assert diagnosis.category == "build"
    assert any("but the target was not found" in k.text for k in diagnosis.key_lines)
    line = '  Target "app" links to target "Foo::Foo" but the target was not found.  Perhaps a find_package() call is missing for an IMPORTED target, or an ALIAS target is missing?'
    assert "c-compile-error" in _ids(line)
    assert "c-compile-error" not in _ids("Looked for the target but it was not found.")
