"""CMake's configure-time failures: the category a maintainer names and the message line
below CMake's ``CMake Error at file:L (command):`` head (rules ``cmake-toolchain-missing``,
``cmake-notfound-variable``, ``cmake-download-network``, ``ctest-executable-missing`` and new
patterns of ``cmake-find-package`` and ``c-compile-error``).

The messages are CMake's own (Kitware/CMake; cmMessenger.cxx indents a message two spaces
under its head and a pre-indented item four):

- ``Source/cmGlobalGenerator.cxx`` EnableLanguage: ``No CMAKE_CXX_COMPILER could be found.``,
  ``The CMAKE_CXX_COMPILER:`` / ``clang++-17`` / ``is not a full path and was not found in
  the PATH.``, ``CMake was unable to find a build program corresponding to "Ninja".
  CMAKE_MAKE_PROGRAM is not set.``, ``CMAKE_C_COMPILER not set, after EnableLanguage``;
  CheckTargetProperties: ``The following variables are used in this project, but they are
  set to NOTFOUND.`` over each variable and ``linked by target "…" in directory …``;
- ``Source/cmGlobalVisualStudioVersionedGenerator.cxx``: ``Generator`` / ``Visual Studio 16
  2019`` / ``could not find any instance of Visual Studio.``;
- ``Source/cmCMakeMinimumRequired.cxx``: ``CMake 3.28 or higher is required.  You are
  running version 3.22.1``;
- ``Modules/CMakeTestCCompiler.cmake``: ``The C compiler`` / ``"/usr/bin/cc"`` / ``is not
  able to compile a simple test program.``;
- ``Source/cmAddSubDirectoryCommand.cxx``: ``The source directory`` / ``<dir>`` / ``does not
  contain a CMakeLists.txt file.``; ``Source/cmake.cxx``: ``Error: generator : Ninja`` /
  ``Does not match the generator used previously: Unix Makefiles``;
- ``Source/cmFileCommand.cxx`` (file DOWNLOAD): ``DOWNLOAD cannot compute hash on failed
  download`` / ``status: [6;"Couldn't resolve host name"]`` (libcurl's code and string);
  ``Modules/ExternalProject/download.cmake.in``: ``Each download failed!`` / ``error:
  downloading '…' failed`` / ``status_code: 28`` / ``status_string: "Timeout was reached"``;
- ``Source/CTest/cmCTestTestHandler.cxx`` FindTheExecutable / ``cmCTestRunTest.cxx``:
  ``Could not find executable <exe>``, ``Unable to find executable: <exe>``, ``***Not Run``.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.logreader import text_source
from tests.diagnose.joblogs import actions_job

DETECTED = [
    "-- The C compiler identification is GNU 11.4.0",
    "-- The CXX compiler identification is GNU 11.4.0",
    "-- Detecting C compiler ABI info - done",
    "-- Detecting CXX compiler ABI info - done",
]
INCOMPLETE = [
    "",
    "",
    "-- Configuring incomplete, errors occurred!",
    'See also "/home/runner/work/app/app/build/CMakeFiles/CMakeOutput.log".',
]

NO_CXX = [
    "-- The CXX compiler identification is unknown",
    "CMake Error at CMakeLists.txt:2 (project):",
    "  No CMAKE_CXX_COMPILER could be found.",
    "",
    "  Tell CMake where to find the compiler by setting either the environment",
    '  variable "CXX" or the CMake cache entry CMAKE_CXX_COMPILER to the full path',
    "  to the compiler, or to the compiler name if it is in the PATH.",
    *INCOMPLETE,
]
NOT_FULL_PATH = [
    "CMake Error at CMakeLists.txt:3 (project):",
    "  The CMAKE_CXX_COMPILER:",
    "",
    "    clang++-17",
    "",
    "  is not a full path and was not found in the PATH.",
    *INCOMPLETE,
]
NO_NINJA = [
    'CMake Error: CMake was unable to find a build program corresponding to "Ninja".  '
    "CMAKE_MAKE_PROGRAM is not set.  You probably need to select a different build tool.",
    "CMake Error: CMAKE_C_COMPILER not set, after EnableLanguage",
    "CMake Error: CMAKE_CXX_COMPILER not set, after EnableLanguage",
    "-- Configuring incomplete, errors occurred!",
]
NO_VISUAL_STUDIO = [
    "CMake Error at CMakeLists.txt:2 (project):",
    "  Generator",
    "",
    "    Visual Studio 16 2019",
    "",
    "  could not find any instance of Visual Studio.",
    *INCOMPLETE,
]
TOO_OLD = [
    "CMake Error at CMakeLists.txt:1 (cmake_minimum_required):",
    "  CMake 3.28 or higher is required.  You are running version 3.22.1",
    *INCOMPLETE,
]
NOTFOUND_VARIABLES = [
    *DETECTED,
    "CMake Error: The following variables are used in this project, but they are set to NOTFOUND.",
    "Please set them or make sure they are set and tested correctly in the CMake files:",
    "UNBOUND_LIBRARIES",
    '    linked by target "unit_tests" in directory /home/runner/work/app/app/tests',
    "",
    "-- Configuring incomplete, errors occurred!",
]


def _actions(command: str, lines: list[str]) -> Diagnosis:
    log: io.BytesIO = actions_job(command, lines)
    return diagnose(log.getvalue())


def _plain(lines: list[str]) -> Diagnosis:
    return diagnose(text_source("\n".join(lines) + "\n"))


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (NO_CXX, "No CMAKE_CXX_COMPILER could be found."),
        (NOT_FULL_PATH, "is not a full path and was not found in the PATH."),
        (NO_NINJA, 'unable to find a build program corresponding to "Ninja"'),
        (NO_VISUAL_STUDIO, "could not find any instance of Visual Studio."),
        (TOO_OLD, "CMake 3.28 or higher is required.  You are running version 3.22.1"),
        (NOTFOUND_VARIABLES, "but they are set to NOTFOUND."),
        (NOTFOUND_VARIABLES, "UNBOUND_LIBRARIES"),
    ],
)
def test_a_missing_tool_or_library_is_dependency_install(lines: list[str], message: str) -> None:
    for result in (_actions("cmake -S . -B build -G Ninja", lines), _plain(lines)):
        texts = _texts(result)
        assert result.category == "dependency_install", (result.category, result.rule, texts)
        assert any(message in t for t in texts[:3]), texts


SIMPLE_TEST = [
    "-- Check for working C compiler: /usr/bin/cc - broken",
    "CMake Error at /usr/share/cmake-3.22/Modules/CMakeTestCCompiler.cmake:69 (message):",
    "  The C compiler",
    "",
    '    "/usr/bin/cc"',
    "",
    "  is not able to compile a simple test program.",
    "",
    "  It fails with the following output:",
    "",
    "    Change Dir: /home/runner/work/app/app/build/CMakeFiles/CMakeTmp",
    "    cc: error: unrecognized command-line option '-mfoo'",
    "",
    "  CMake will not be able to correctly generate this project.",
    "Call Stack (most recent call first):",
    "  CMakeLists.txt:2 (project)",
    *INCOMPLETE,
]
NO_SUBMODULE = [
    *DETECTED,
    "CMake Error at CMakeLists.txt:30 (add_subdirectory):",
    "  The source directory",
    "",
    "    /home/runner/work/app/app/extern/googletest",
    "",
    "  does not contain a CMakeLists.txt file.",
    *INCOMPLETE,
]
GENERATOR_MISMATCH = [
    "CMake Error: Error: generator : Ninja",
    "Does not match the generator used previously: Unix Makefiles",
    "Either remove the CMakeCache.txt file and CMakeFiles directory or choose a different "
    "binary directory.",
]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (SIMPLE_TEST, "is not able to compile a simple test program."),
        (NO_SUBMODULE, "does not contain a CMakeLists.txt file."),
        (GENERATOR_MISMATCH, "Does not match the generator used previously: Unix Makefiles"),
    ],
)
def test_the_verdict_a_paragraph_below_the_head_is_a_key_line(
    lines: list[str], message: str
) -> None:
    for result in (_actions("cmake -S . -B build", lines), _plain(lines)):
        texts = _texts(result)
        assert result.category == "build", (result.category, result.rule, texts)
        assert any(message in t for t in texts[:3]), texts


FILE_DOWNLOAD_DNS = [
    *DETECTED,
    "CMake Error at cmake/Download.cmake:22 (file):",
    "  file DOWNLOAD cannot compute hash on failed download",
    "",
    '    status: [6;"Couldn\'t resolve host name"]',
    "Call Stack (most recent call first):",
    "  CMakeLists.txt:40 (download_file)",
    *INCOMPLETE,
]
EXTERNAL_PROJECT_TIMEOUT = [
    "-- Using src='https://zlib.net/zlib-1.3.tar.gz'",
    "-- Retrying...",
    "CMake Error at zlib-prefix/src/zlib-stamp/download-zlib.cmake:170 (message):",
    "  Each download failed!",
    "",
    "    error: downloading 'https://zlib.net/zlib-1.3.tar.gz' failed",
    "          status_code: 28",
    '          status_string: "Timeout was reached"',
    "          log:",
    "          --- LOG BEGIN ---",
    "          --- LOG END ---",
    "",
    "gmake[2]: *** [CMakeFiles/zlib.dir/build.make:100: zlib-prefix/src/zlib-stamp/"
    "zlib-download] Error 1",
    "gmake: *** [Makefile:91: all] Error 2",
]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (FILE_DOWNLOAD_DNS, 'status: [6;"Couldn\'t resolve host name"]'),
        (EXTERNAL_PROJECT_TIMEOUT, "status_code: 28"),
    ],
)
def test_a_download_that_failed_on_the_network_is_infra_network(
    lines: list[str], message: str
) -> None:
    result = _actions("cmake -S . -B build && cmake --build build", lines)
    texts = _texts(result)
    assert result.category == "infra_network", (result.category, result.rule, texts)
    assert result.retryable
    assert any(message in t for t in texts), texts


def test_a_download_refused_with_an_http_error_is_not_the_network() -> None:
    lines = [*FILE_DOWNLOAD_DNS]
    lines[lines.index('    status: [6;"Couldn\'t resolve host name"]')] = (
        '    status: [22;"HTTP response code said error"]'
    )
    result = _actions("cmake -S . -B build", lines)
    assert result.category == "build", (result.category, result.rule)
    assert "file DOWNLOAD cannot compute hash on failed download" in _texts(result)


CTEST_NOT_BUILT = [
    "Test project /home/runner/work/app/app/build",
    "    Start 1: unit_tests",
    "Could not find executable /home/runner/work/app/app/build/tests/unit_tests",
    "Looked in the following places:",
    "/home/runner/work/app/app/build/tests/unit_tests",
    "Unable to find executable: /home/runner/work/app/app/build/tests/unit_tests",
    "1/1 Test #1: unit_tests .......................***Not Run   0.00 sec",
    "",
    "0% tests passed, 1 tests failed out of 1",
    "",
    "The following tests FAILED:",
    "\t  1 - unit_tests (Not Run)",
    "Errors while running CTest",
]


def test_a_test_whose_executable_was_not_built_is_build() -> None:
    result = _actions("ctest --test-dir build --output-on-failure", CTEST_NOT_BUILT)
    texts = _texts(result)
    assert result.category == "build", (result.category, result.rule, texts)
    assert any(t.startswith("Could not find executable ") for t in texts[:2]), texts


def test_a_failed_ctest_test_stays_a_test_failure() -> None:
    lines = [
        "Test project /home/runner/work/app/app/build",
        "    Start 1: parser_test",
        "1/1 Test #1: parser_test ......................***Failed    0.02 sec",
        "",
        "0% tests passed, 1 tests failed out of 1",
        "",
        "The following tests FAILED:",
        "\t  1 - parser_test (Failed)",
        "Errors while running CTest",
    ]
    result = _actions("ctest --test-dir build", lines)
    assert result.category == "test_failure", (result.category, result.rule)
    assert result.failing_tests == ["parser_test"]


def test_near_misses_are_not_read_as_cmake_errors() -> None:
    passing = [
        *DETECTED,
        "-- Could NOT find Doxygen (missing: DOXYGEN_EXECUTABLE)",
        "CMake Deprecation Warning at CMakeLists.txt:1 (cmake_minimum_required):",
        "  Compatibility with CMake < 3.5 will be removed from a future version of",
        "  CMake.",
        "-- Configuring done (0.4s)",
        "-- Generating done (0.0s)",
        "-- Build files have been written to: /home/runner/work/app/app/build",
        "[1/2] Building CXX object CMakeFiles/app.dir/src/util.cpp.o",
        "FAILED: CMakeFiles/app.dir/src/util.cpp.o",
        "/home/runner/work/app/app/src/util.cpp:7:13: error: expected ';' before 'return'",
        "ninja: build stopped: subcommand failed.",
    ]
    result = _actions("cmake -S . -B build -G Ninja && cmake --build build", passing)
    texts = _texts(result)
    assert result.category == "build", (result.category, result.rule, texts)
    assert any("expected ';' before 'return'" in t for t in texts[:2]), texts
    # an all-caps word alone on a line outside CMake's NOTFOUND report names nothing
    result = _actions("./configure.sh", ["Checking options", "USE_SYSTEM_ZLIB", "done"])
    assert result.rule != "cmake-notfound-variable"
    # a download status that is not a transfer failure
    result = _actions("cmake -P fetch.cmake", ['-- status: [0;"No error"]', "done"])
    assert result.category != "infra_network"


VCPKG_PORT_FAILED = [
    "Building libedit:x64-linux@2024-08-08...",
    "error: building libedit:x64-linux failed with: BUILD_FAILED",
    "-- Running vcpkg install - failed",
    "CMake Error at /usr/local/share/vcpkg/scripts/buildsystems/vcpkg.cmake:899 (message):",
    "  vcpkg install failed.  See logs for more information:",
    "  /home/runner/work/app/app/build/vcpkg-manifest-install.log",
    "Call Stack (most recent call first):",
    "  /usr/share/cmake-3.28/Modules/CMakeDetermineSystem.cmake:170 (include)",
    "  CMakeLists.txt:2 (project)",
    "",
    "",
    *NO_NINJA,
]


def test_a_vcpkg_port_that_failed_outranks_the_errors_it_leaves_behind() -> None:
    """vcpkg ``src/vcpkg/commands.build.cpp`` (``building <spec> failed with: BUILD_FAILED``)
    and ``scripts/buildsystems/vcpkg.cmake`` (``vcpkg install failed.  See logs for more
    information:``); project() stops there and CMake then reports no build program."""
    result = _actions("cmake --preset ci", VCPKG_PORT_FAILED)
    texts = _texts(result)
    assert result.category == "dependency_install", (result.category, result.rule, texts)
    assert result.rule == "vcpkg-install-failed"
    assert texts[0] == "error: building libedit:x64-linux failed with: BUILD_FAILED", texts
