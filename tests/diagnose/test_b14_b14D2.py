# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 14, helper b14D2 (whole Travis CI job logs): a downloaded file whose
checksum does not match (``download-checksum-mismatch``: a download script's verdict,
coreutils' ``sha256sum -c``, nvm), a script's ``+ ERROR! …`` bullet that is not a ``set -x``
trace, and the last line of Travis's exit line for a multi-line command (``" exited with
255.``), which is the runner's framing and never a key line.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep a test's own assertion, Go's checksum mismatch,
nvm's matching checksums and real ``set -x`` traces where they were.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import echoed, error_score
from tests.diagnose.joblogs import actions_job, travis_one_command


def travis_multiline_job(command_lines: list[str], lines: list[str], code: int) -> io.BytesIO:
    """A Travis CI job whose command spans several lines (a ``\\``-continued ``docker run``):
    Travis echoes it as ``$ first line`` and the continuation lines, and its exit line
    ``The command "first line`` … ``last line" exited with N.`` spans them too."""
    first, *rest = command_lines
    out = [
        "travis_fold:start:worker_info\r\x1b[0K\x1b[33;1mWorker information\x1b[0m",
        "travis_fold:end:worker_info\r\x1b[0K",
        f"travis_time:start:0a1b2c3d\r\x1b[0K$ {first}",
        *rest,
        "",
        *lines,
        "",
        "travis_time:end:0a1b2c3d:start=1,finish=2,duration=1\r\x1b[0K",
        f'\x1b[31;1mThe command "{first}',
        *rest,
        f'" exited with {code}.\x1b[0m',
        "",
        "Done. Your build exited with 1.",
    ]
    return io.BytesIO("".join(f"{line}\r\n" for line in out).encode())


def _rule_ids(text: str) -> list[str]:
    return [r.id for r in load_rules().match(text)]


# ---- a download script's checksum verdict ----------------------------------------------

_DOCKER_RUN = [
    "docker run -v $PWD:/home/runner/src/proj acme/proj \\",
    "       /bin/bash -l -c \\",
    '       "cd /home/runner/src/proj; \\',
    "       ./models/get-models.sh && \\",
    '       ./run-tests.sh"',
]

_GET_MODELS = [
    "stdin: is not a tty",
    "====================================================",
    "Downloading models, which are licensed under the Apache 2.0 License.",
    "====================================================",
    "WARNING: no certificate subject alternative name matches",
    "\trequested host name 'models.example.org'.",
    '2017-02-07 16:47:27 URL:http://www.example.org/~owner/ [3417/3417] -> "proj/model.v1.t7" [1]',
    "====================================================",
    "Verifying checksums.",
    "====================================================",
    "",
    "+ dlib/shape_predictor_68_face_landmarks.dat: successfully checked",
    "",
    "+ ERROR! proj/classifier.v1.pkl md5sum did not match.",
    "  + Expected: 199a2c0d32fd0f22f14ad2d248280475",
    "  + Actual: 390264772e075a0aa5c907e4ed0c2561",
    "  + Please manually delete this file and try re-running this script.",
]


def test_download_script_checksum_verdict_is_the_download() -> None:
    """A script that fetches model files checks their md5 sums; the host served a web
    page instead, the check fails and the docker command exits 255 before any test."""
    diagnosis = diagnose(travis_multiline_job(_DOCKER_RUN, _GET_MODELS, 255))
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule == "download-checksum-mismatch"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert texts[0] == "+ ERROR! proj/classifier.v1.pkl md5sum did not match."
    # the end of Travis's multi-line exit line is framing, not a cause
    assert '" exited with 255.' not in texts


def test_checksum_verdict_shapes() -> None:
    for line in (
        "+ ERROR! proj/classifier.v1.pkl md5sum did not match.",
        "ERROR: dist/tool-1.2.tar.gz sha256sum does not match",
        "vendor/protoc-3.5.zip sha256 does not match",
        "sha256sum: WARNING: 1 computed checksum did NOT match",
        "md5sum: WARNING: 2 computed checksums did NOT match",
        "Checksums do not match: 'e3b0c44298fc1c149afbf4c8996fb924' found, '0c7ae8fbb67eb0e8a14e1b3d26a2e1b5' expected.",
    ):
        assert "download-checksum-mismatch" in _rule_ids(line), line


def test_checksum_near_misses_do_not_match() -> None:
    for line in (
        "Checksums matched!",
        "+ dlib/shape_predictor_68_face_landmarks.dat: successfully checked",
        "  + Expected: 199a2c0d32fd0f22f14ad2d248280475",
        "tool.tar.gz: OK",
        "E       AssertionError: archive.tar.gz md5sum did not match.",
        "FAILED tests/test_dl.py::test_verify - AssertionError: archive.tar.gz md5sum did not match.",
        "verifying github.com/acme/lib@v1.2.0: checksum mismatch",
        "W: Failed to fetch http://archive.ubuntu.com/ubuntu/dists/focal/InRelease  Hash Sum mismatch",
        "the passwords did not match",
    ):
        assert "download-checksum-mismatch" not in _rule_ids(line), line


def test_coreutils_sha256sum_check_failure() -> None:
    diagnosis = diagnose(
        travis_one_command(
            "curl -fsSLO https://example.org/tool.tar.gz && sha256sum -c tool.tar.gz.sha256",
            ["tool.tar.gz: FAILED", "sha256sum: WARNING: 1 computed checksum did NOT match"],
        )
    )
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule == "download-checksum-mismatch"
    assert any("computed checksum did NOT match" in k.text for k in diagnosis.key_lines)


def test_nvm_checksum_mismatch() -> None:
    diagnosis = diagnose(
        travis_one_command(
            "nvm install 8",
            [
                "Downloading https://nodejs.org/dist/v8.17.0/node-v8.17.0-linux-x64.tar.xz...",
                "Computing checksum with sha256sum",
                "Checksums do not match: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' found, '0c7ae8fbb67eb0e8a14e1b3d26a2e1b5f1b0f2f6f35bf4d0f0dc0e0c5ee4b5bc' expected.",
                "nvm: install v8.17.0 failed!",
            ],
        )
    )
    assert diagnosis.category == "infra_network"
    assert diagnosis.rule == "download-checksum-mismatch"


_PYTEST_CHECKSUM_ASSERTION = [
    "============================= test session starts ==============================",
    "collected 3 items",
    "",
    "tests/test_dl.py ..F                                                      [100%]",
    "",
    "=================================== FAILURES ===================================",
    "________________________________ test_verify _________________________________",
    "",
    "    def test_verify():",
    ">       raise AssertionError('archive.tar.gz md5sum did not match.')",
    "E       AssertionError: archive.tar.gz md5sum did not match.",
    "",
    "tests/test_dl.py:9: AssertionError",
    "=========================== short test summary info ============================",
    "FAILED tests/test_dl.py::test_verify - AssertionError: archive.tar.gz md5sum did not match.",
    "========================= 1 failed, 2 passed in 0.12s ==========================",
]


def test_a_tests_own_checksum_assertion_stays_a_test_failure() -> None:
    """Near miss: a test of the project's own checksum code fails with that wording; no
    download failed, the test did."""
    diagnosis = diagnose(actions_job("python -m pytest -q", _PYTEST_CHECKSUM_ASSERTION))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["tests/test_dl.py::test_verify"]


def test_go_checksum_mismatch_stays_go_modules() -> None:
    diagnosis = diagnose(
        travis_one_command(
            "go build ./...",
            [
                "go: downloading github.com/acme/lib v1.2.0",
                "verifying github.com/acme/lib@v1.2.0: checksum mismatch",
                "\tdownloaded: h1:abc=",
                "\tgo.sum:     h1:def=",
                "",
                "SECURITY ERROR",
            ],
        )
    )
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "go-modules"


# ---- `+ ` bullets and traces; Travis's multi-line exit line -------------------------------


def test_plus_bullet_with_an_error_word_is_output_not_a_trace() -> None:
    assert not echoed("+ ERROR! proj/classifier.v1.pkl md5sum did not match.")
    assert not echoed("+ ERROR: could not fetch the model index")
    assert not echoed("+ FATAL: no space left for the models")
    assert error_score("+ ERROR! proj/classifier.v1.pkl md5sum did not match.") > 0
    # near misses: real `set -x` traces stay echoed commands
    assert echoed("+ make test")
    assert echoed("+ echo 'ERROR: tests failed'")
    assert echoed("++ ERRORS=3")
    assert echoed("+ ERROR_LOG=build/errors.log")
    assert error_score("+ echo 'ERROR: tests failed'") == 0


def test_end_of_a_multiline_travis_exit_line_is_framing() -> None:
    assert error_score('" exited with 255.') == 1
    assert error_score('" failed and exited with 1 during .') == 1
    assert error_score('The command "make" exited with 2.') == 1
    # near miss: a tool's own quoted error that ends the same way keeps its score
    assert error_score('error: process "cc" exited with 1') > 1


def test_multiline_command_with_a_generic_error_keys_the_error() -> None:
    """A multi-line docker command whose output has an unknown tool's error line: the
    error is the key line, the exit line's last line is not."""
    diagnosis = diagnose(
        travis_multiline_job(
            _DOCKER_RUN,
            ["Preparing the data set", "fatal: the data set index is empty"],
            1,
        )
    )
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "fatal: the data set index is empty" in texts
    assert '" exited with 1.' not in texts


# ---- CMake: an optional package's status line is not the cause ---------------------------

_CMAKE_OPTIONAL_THEN_COMPILE_ERROR = [
    "-- The C compiler identification is GNU 4.8.4",
    "-- Could NOT find Doxygen (missing:  DOXYGEN_EXECUTABLE) ",
    "-- Configuring done",
    "-- Generating done",
    "-- Build files have been written to: /home/runner/build/acme/app/build",
    "Scanning dependencies of target app",
    "[ 50%] Building C object CMakeFiles/app.dir/src/main.c.o",
    "/home/runner/build/acme/app/src/main.c:12:5: error: implicit declaration of function 'frobnicate' [-Werror=implicit-function-declaration]",
    "make[2]: *** [CMakeFiles/app.dir/src/main.c.o] Error 1",
    "make[1]: *** [CMakeFiles/app.dir/all] Error 2",
    "make: *** [all] Error 2",
]

_CMAKE_OPTIONAL_THEN_REQUIRED = [
    '-- Found PythonInterp: /home/runner/venv/bin/python2.7 (found suitable version "2.7.6", minimum required is "2.7") ',
    "-- Could NOT find Doxygen (missing:  DOXYGEN_EXECUTABLE) ",
    "CMake Error at /usr/share/cmake-3.2/Modules/FindPackageHandleStandardArgs.cmake:138 (message):",
    "  Could NOT find Halide (missing: HALIDE_ROOT_DIR HALIDE_LIBRARIES",
    "  HALIDE_INCLUDE_DIR)",
    "Call Stack (most recent call first):",
    "  /usr/share/cmake-3.2/Modules/FindPackageHandleStandardArgs.cmake:374 (_FPHSA_FAILURE_MESSAGE)",
    "  cmake/Modules/FindHalide.cmake:38 (find_package_handle_standard_args)",
    "  CMakeLists.txt:46 (include)",
    "",
    "",
    "-- Configuring incomplete, errors occurred!",
]

_CMAKE_OPTIONAL_THEN_MISSING_SOURCE = [
    "-- Could NOT find Doxygen (missing:  DOXYGEN_EXECUTABLE) ",
    "CMake Error at src/CMakeLists.txt:7 (add_executable):",
    "  Cannot find source file:",
    "",
    "    main.cc",
    "",
    "-- Configuring incomplete, errors occurred!",
]


def test_cmake_optional_package_does_not_outrank_a_compile_error() -> None:
    """Configuring finished without Doxygen (an optional package); the build then fails to
    compile, which is the cause."""
    diagnosis = diagnose(
        travis_one_command(
            "mkdir build && cd build && cmake .. && make", _CMAKE_OPTIONAL_THEN_COMPILE_ERROR, 2
        )
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "c-compile-error"
    assert not any("Doxygen" in k.text for k in diagnosis.key_lines)


def test_cmake_required_package_is_the_summary_not_the_optional_one() -> None:
    """caffe's halide-cmake job: Doxygen's status line comes first, Halide's REQUIRED
    find_package error stops configuring; the summary names Halide."""
    diagnosis = diagnose(
        travis_one_command("./scripts/travis/configure.sh", _CMAKE_OPTIONAL_THEN_REQUIRED)
    )
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "cmake-find-package"
    assert diagnosis.summary is not None and "Could NOT find Halide" in diagnosis.summary
    assert not any("Doxygen" in k.text for k in diagnosis.key_lines)


def test_cmake_optional_package_before_another_cmake_error_is_the_build() -> None:
    diagnosis = diagnose(travis_one_command("cmake ..", _CMAKE_OPTIONAL_THEN_MISSING_SOURCE))
    assert diagnosis.category == "build"


def test_cmake_could_not_find_shapes() -> None:
    for line in (
        "  Could NOT find Halide (missing: HALIDE_ROOT_DIR HALIDE_LIBRARIES",
        "Could NOT find Boost (missing: Boost_INCLUDE_DIR filesystem)",
        "CMake Error: Could NOT find PkgConfig (missing: PKG_CONFIG_EXECUTABLE)",
    ):
        assert "cmake-find-package" in _rule_ids(line), line
    for line in (
        "-- Could NOT find Doxygen (missing:  DOXYGEN_EXECUTABLE) ",
        "-- Could NOT find GTest (missing: GTEST_LIBRARY GTEST_INCLUDE_DIR GTEST_MAIN_LIBRARY) ",
    ):
        assert "cmake-find-package" not in _rule_ids(line), line
