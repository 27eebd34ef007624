# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 23, helper d23B (pasted CI output): a type checker run by tox (tox 3's
``InvocationError``, tox 4's ``exit N (… seconds)``), pip's PEP 668 diagnostic, npm's own
internal failures during an install, Jest's pre-0.9 worker pool quitting, a self-hosted
Actions runner whose worker process crashed (``actions-runner-worker-crash``), Conan
(``conan-install``), a gem's native extension that cannot load its system library
(``ruby-native-ext-load``), a package Node cannot find by its bare name
(``node-package-missing``) and Packer's / Vagrant's ``==> name: `` prefix, read through.

Each snippet is in the shape the tool prints; the near misses keep what other rules say.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.logline import clean_line
from tests.diagnose.joblogs import actions_job, travis_one_command


def _paste(lines: list[str]) -> io.BytesIO:
    return io.BytesIO("\n".join(lines).encode() + b"\n")


def _keys(d: object) -> list[str]:
    return [k.text for k in d.key_lines]  # type: ignore[attr-defined]


# ---- type checkers under tox -----------------------------------------------------------

_TOX3_PYRIGHT = [
    "typecheck run-test: commands[0] | pyright src",
    "No configuration file found.",
    "0 errors, 0 warnings, 0 informations ",
    "ERROR: InvocationError for command /home/runner/work/app/app/.tox/typecheck/bin/pyright src (exited with code 3)",
    "___________________________________ summary ____________________________________",
    "ERROR:   typecheck: commands failed",
]

_TOX4_MYPY = [
    "type: commands[0]> mypy src",
    "type: exit 2 (0.41 seconds) /home/runner/work/app/app> mypy src pid=2211",
    "  type: FAIL code 2 (3.02=setup[2.61]+cmd[0.41] seconds)",
    "  evaluation failed :( (3.10 seconds)",
]

_TOX3_PYTEST = [
    "py311 run-test: commands[0] | pytest -q",
    "1 failed, 3 passed in 0.12s",
    "ERROR: InvocationError for command /home/runner/work/app/app/.tox/py311/bin/pytest -q (exited with code 1)",
    "ERROR:   py311: commands failed",
]


def test_tox_running_pyright_is_a_type_check() -> None:
    d = diagnose(_paste(_TOX3_PYRIGHT))
    assert (d.category, d.rule) == ("type_check", "pyright")
    assert any("InvocationError" in k for k in _keys(d))


def test_tox4_running_mypy_is_a_type_check() -> None:
    d = diagnose(_paste(_TOX4_MYPY))
    assert (d.category, d.rule) == ("type_check", "mypy")


def test_tox_running_pytest_is_not_a_type_check() -> None:
    assert diagnose(_paste(_TOX3_PYTEST)).category == "test_failure"


# ---- pip: PEP 668 --------------------------------------------------------------------------

_PEP668 = [
    "error: externally-managed-environment",
    "",
    "× This environment is externally managed",
    "╰─> To install Python packages system-wide, try apt install",
    "    python3-xyz, where xyz is the package you are trying to",
    "    install.",
    "note: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.",
    "hint: See PEP 668 for the detailed specification.",
]


def test_pip_pep668_shows_the_reference_and_the_diagnostic() -> None:
    d = diagnose(actions_job("pip install -r requirements.txt", _PEP668))
    assert (d.category, d.rule) == ("dependency_install", "pip-resolution")
    keys = _keys(d)
    assert "error: externally-managed-environment" in keys
    assert "× This environment is externally managed" in keys


# ---- npm's own failures --------------------------------------------------------------------

_NPM_CB = [
    "npm ERR! cb() never called!",
    "",
    "npm ERR! This is an error with npm itself. Please report this error at:",
    "npm ERR!     <https://npm.community>",
    "",
    "npm ERR! A complete log of this run can be found in:",
    "npm ERR!     /home/runner/.npm/_logs/2021-06-10T14_22_37_476Z-debug.log",
]

_NPM_GIT_DEP = [
    "npm ERR! prepareGitDep npm ERR! cb() never called!",
    "npm ERR! prepareGitDep ",
    "npm ERR! premature close",
]


def test_npm_cb_never_called_is_an_install_failure() -> None:
    d = diagnose(actions_job("npm ci", _NPM_CB))
    assert (d.category, d.rule) == ("dependency_install", "npm-install")


def test_npm_premature_close_under_a_git_dependency() -> None:
    d = diagnose(_paste(_NPM_GIT_DEP))
    assert d.category == "dependency_install"
    assert "npm ERR! premature close" in _keys(d)


def test_a_stream_closed_early_in_a_test_is_not_npm() -> None:
    d = diagnose(
        _paste(
            [
                "Error: premature close",
                "    at onclosenexttick (node_modules/end-of-stream/index.js:54:86)",
            ]
        )
    )
    assert d.rule != "npm-install"


# ---- Jest before 0.9 -----------------------------------------------------------------------


def test_jest_worker_pool_quitting_after_a_sigsegv() -> None:
    lines = [
        "Using Jest CLI v0.4.13",
        " FAIL  src/__tests__/store.spec.js",
        "Error: Worker process exited before responding! exit code: null, exit signal: SIGSEGV",
        "stderr:",
        "",
        "A worker process has quit unexpectedly! This is bad news, shutting down now!",
        "npm ERR! Test failed.  See above for more details.",
    ]
    d = diagnose(_paste(lines))
    assert d.category == "segfault"
    assert "A worker process has quit unexpectedly! This is bad news, shutting down now!" in _keys(
        d
    )


# ---- a self-hosted runner's worker crash ---------------------------------------------------

_LISTENER = [
    "[2024-03-01 10:00:01Z INFO JobDispatcher] Start renew job request 1234 for job 5c6d.",
    "[2024-03-01 10:00:01Z INFO ProcessInvokerWrapper] Process started with process id 4410, waiting for process exit.",
    "[2024-03-01 10:00:03Z INFO ProcessInvokerWrapper] Finished process 4410 with exit code 139, and elapsed time 00:00:02.1051210.",
    "[2024-03-01 10:00:03Z INFO JobDispatcher] Worker finished for job 5c6d. Code: 139",
    "[2024-03-01 10:00:03Z INFO JobDispatcher] Return code 139 indicate worker encounter an unhandled exception or app crash, attach worker stdout/stderr to JobRequest result.",
    "[2024-03-01 10:00:04Z INFO JobDispatcher] finish job request for job 5c6d with result: Failed",
]


def test_runner_worker_crash_is_the_runner() -> None:
    d = diagnose(_paste(_LISTENER))
    assert (d.category, d.rule) == ("infra_runner", "actions-runner-worker-crash")
    keys = _keys(d)
    assert any("Finished process 4410 with exit code 139" in k for k in keys)
    assert any("indicate worker encounter an unhandled exception" in k for k in keys)


def test_a_step_process_exit_in_the_worker_log_is_not_a_runner_crash() -> None:
    lines = [
        "[2024-03-01 10:00:03Z INFO ProcessInvokerWrapper] Finished process 5120 with exit code 1, and elapsed time 00:01:02.1051210.",
        "[2024-03-01 10:00:03Z INFO StepsRunner] Step result: Failed",
    ]
    assert diagnose(_paste(lines)).rule != "actions-runner-worker-crash"


# ---- Conan -----------------------------------------------------------------------------------

_CONAN2_USAGE = [
    "+ conan install . -if=build/conan -of=build --build=missing",
    "usage: conan install [-h] [-f FORMAT] [-v [V]] [--name NAME]",
    "                     [--version VERSION] [--user USER] [--channel CHANNEL]",
    "                     [-of OUTPUT_FOLDER] [--deploy DEPLOY]",
    "                     [path]",
    "conan install: error: unrecognized arguments: -if=build/conan",
    "ERROR: Exiting with code: 2",
]

_CONAN_MISSING_BINARY = [
    "ERROR: Missing binary: zlib/1.3.1:b1d267f77ddd5d10d06d2ecf5a6bc433fbb7eeed",
    "",
    "zlib/1.3.1: WARN: Can't find a 'zlib/1.3.1' package binary 'b1d267f77ddd5d10d06d2ecf5a6bc433fbb7eeed' for the configuration:",
    "ERROR: Missing prebuilt package for 'zlib/1.3.1'. You can try:",
    "    - Try to build locally from sources using the '--build=zlib/1.3.1' argument",
]


def test_conan_usage_error_is_the_dependency_install() -> None:
    d = diagnose(_paste(_CONAN2_USAGE))
    assert (d.category, d.rule) == ("dependency_install", "conan-install")
    keys = _keys(d)
    assert any(k.startswith("usage: conan install [-h]") for k in keys)
    assert "conan install: error: unrecognized arguments: -if=build/conan" in keys


def test_conan_missing_binary() -> None:
    d = diagnose(actions_job("conan install . --output-folder=build", _CONAN_MISSING_BINARY))
    assert (d.category, d.rule) == ("dependency_install", "conan-install")


def test_another_tools_usage_is_not_conan() -> None:
    d = diagnose(
        _paste(
            [
                "usage: cmake [options] <path-to-source>",
                "CMake Error: The source directory does not exist.",
            ]
        )
    )
    assert d.rule != "conan-install"


# ---- a gem's native extension --------------------------------------------------------------

_BUNDLE_EXEC_FFI = [
    "bundler: failed to load command: jekyll (/home/runner/vendor/bundle/ruby/3.0.0/bin/jekyll)",
    "LoadError: libffi.so.7: cannot open shared object file: No such file or directory - /home/runner/vendor/bundle/ruby/3.0.0/gems/ffi-1.15.5/lib/ffi_c.so",
    "  /home/runner/vendor/bundle/ruby/3.0.0/gems/ffi-1.15.5/lib/ffi.rb:5:in `require'",
]

_UNCAUGHT = [
    "/usr/lib/ruby/3.0.0/rubygems/core_ext/kernel_require.rb:85:in `require': libyaml-0.so.2: cannot open shared object file: No such file or directory - /home/runner/work/app/app/vendor/bundle/ruby/3.0.0/gems/psych-5.1.0/lib/psych.so (LoadError)",
]


def test_bundle_exec_of_a_gem_whose_extension_cannot_load() -> None:
    d = diagnose(actions_job('bundle exec jekyll build -d "_site"', _BUNDLE_EXEC_FFI))
    assert (d.category, d.rule) == ("dependency_install", "ruby-native-ext-load")
    keys = _keys(d)
    assert keys[0].startswith("bundler: failed to load command: jekyll")
    assert any(k.startswith("LoadError: libffi.so.7: cannot open shared object file") for k in keys)


def test_uncaught_native_load_error() -> None:
    d = diagnose(travis_one_command("bundle exec rake", _UNCAUGHT))
    assert (d.category, d.rule) == ("dependency_install", "ruby-native-ext-load")


def test_bundler_failing_to_load_a_command_alone_is_not_a_native_extension() -> None:
    lines = [
        "bundler: failed to load command: rspec (/home/runner/work/app/app/vendor/bundle/ruby/3.2.0/bin/rspec)",
        "/home/runner/work/app/app/lib/app.rb:3:in `require': cannot load such file -- app/missing (LoadError)",
    ]
    d = diagnose(_paste(lines))
    assert d.rule != "ruby-native-ext-load"


# ---- Node cannot find a package ------------------------------------------------------------


def _node_missing(spec: str) -> io.BytesIO:
    return _paste(
        [
            "node:internal/modules/cjs/loader:1080",
            "  throw err;",
            "  ^",
            "",
            f"Error: Cannot find module '{spec}'",
            "Require stack:",
            "- /home/runner/work/app/app/node_modules/some-tool/lib/index.js",
        ]
    )


def test_a_bare_package_node_cannot_find_is_the_dependency_set() -> None:
    for spec in ("postcss/lib/input", "fast-deep-equal", "@babel/core", "@scope/pkg/dist/x.js"):
        d = diagnose(_node_missing(spec))
        assert (d.category, d.rule) == ("dependency_install", "node-package-missing"), spec


def test_a_path_or_an_alias_node_cannot_find_stays_a_build() -> None:
    for spec in (
        "./dist/cli",
        "../lib/x",
        "/home/runner/work/app/app/dist/index.js",
        "@/utils",
        "~/x",
    ):
        d = diagnose(_node_missing(spec))
        assert d.rule != "node-package-missing", spec


# ---- Packer / Vagrant prefix -------------------------------------------------------------


def test_packer_prefix_is_read_through() -> None:
    assert clean_line("==> azure-arm: CMake Error at cmake/utilities.cmake:6 (message):") == (
        "CMake Error at cmake/utilities.cmake:6 (message):"
    )
    assert clean_line("==> amazon-ebs.ubuntu: E: Unable to locate package foo") == (
        "E: Unable to locate package foo"
    )
    assert clean_line("==> default: Machine booted and ready!") == "Machine booted and ready!"


def test_packer_near_misses_keep_their_text() -> None:
    for text in (
        "==> Downloading https://ghcr.io/v2/homebrew/core/wget/manifests/1.21.4",
        "==> Installing dependencies for wget: libidn2, openssl@3",
        "    azure-arm: -- Configuring incomplete, errors occurred!",
        "    node-version: 18",
    ):
        assert clean_line(text) == text


def test_cmake_error_under_packer_is_a_build() -> None:
    lines = [
        "==> azure-arm: Provisioning with shell script: /home/runner/work/images/scripts/installers/vcpkg.sh",
        "==> azure-arm: CMake Error at cmake/utilities.cmake:6 (message):",
        "==> azure-arm:   The g++ version picked up is too old; please install a newer compiler such",
        "==> azure-arm:   as g++-7.",
        "    azure-arm: -- Configuring incomplete, errors occurred!",
        "==> azure-arm: Call Stack (most recent call first):",
        "==> azure-arm:   CMakeLists.txt:29 (vcpkg_detect_compiler)",
    ]
    d = diagnose(_paste(lines))
    assert (d.category, d.rule) == ("build", "c-compile-error")
