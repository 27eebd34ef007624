# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 26, helper d26A (pasted CI output): Qt Test's and CppUTest's failure
reports (extractors), a result line whose message goes on over the next lines as one key
line, MSVC's position-less errors, the GitHub API refusing the job's token, TestCafe's
selector errors, Storybook's test-runner, flutter_test's hit-test warning, tools broken by
pip's internals, danger-kotlin's kotlinc run, OCaml/dune error locations and ppxlib's
unknown compiler, TeamCity's failed-test count, GHC that cannot run its own linker, an
installer's bare ``error:`` line (``xpm install``); and, for older design misses, Rollup's
``Could not load``, sbt-sonatype's staging failure, pyodide-build's build error and the
statement Windows PowerShell's error view names as the failing command.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_qtest import CppUTest, QtTest
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import TopLines
from bot.diagnose.shellwords import names_an_argument_path
from tests.diagnose.joblogs import actions_job, fed

RULES = load_rules()


def _ids(text: str) -> list[str]:
    return [r.id for r in RULES.match(text)]


# ---- Qt Test ---------------------------------------------------------------------------

_QTEST = [
    "********* Start testing of TstModel *********",
    "Config: Using QtTest library 5.15.2, Qt 5.15.2 (x86_64-little_endian-lp64 shared (dynamic) release build; by GCC 9.3.0)",
    "PASS   : TstModel::initTestCase()",
    "FAIL!  : TstModel::testAdd() Compared values are not the same",
    "   Actual   (spy.count()): 0",
    "   Expected (1)         : 1",
    "   Loc: [/home/runner/work/app/app/tests/tst_model.cpp(88)]",
    "QWARN  : TstModel::testRoles(KindRole) QVariant::load: unknown user type",
    "FAIL!  : TstModel::testRoles(KindRole) Compared values are not the same",
    "   Actual   (m->data(i, role)): QVariant()",
    "   Expected (value)           : QVariant(uint,2)",
    "   Loc: [tests/tst_model.cpp(190)]",
    "XPASS  : TstModel::testKnownBug() 'ok' returned TRUE unexpectedly. ()",
    "   Loc: [tests/tst_model.cpp(201)]",
    "PASS   : TstModel::cleanupTestCase()",
    "Totals: 2 passed, 3 failed, 0 skipped, 0 blacklisted, 12ms",
    "********* Finished testing of TstModel *********",
]


def test_qtest_names_each_failing_function_with_its_data_tag_message_and_loc() -> None:
    failures = {f.test: f for f in fed(QtTest(), _QTEST).failures()}
    assert list(failures) == [
        "TstModel::testAdd()",
        "TstModel::testRoles(KindRole)",
        "TstModel::testKnownBug()",
    ]
    add = failures["TstModel::testAdd()"]
    assert (
        add.message == "Compared values are not the same Actual (spy.count()): 0 Expected (1) : 1"
    )
    assert add.location == "tests/tst_model.cpp:88"
    assert add.line == 4
    assert failures["TstModel::testRoles(KindRole)"].location == "tests/tst_model.cpp:190"
    assert failures["TstModel::testKnownBug()"].message == "'ok' returned TRUE unexpectedly. ()"


def test_qtest_under_ctest_verbose_keeps_the_test_number_out_of_the_name() -> None:
    lines = [f"3: {line}" for line in _QTEST[3:7]]
    (failure,) = fed(QtTest(), lines).failures()
    assert failure.test == "TstModel::testAdd()"
    assert failure.location == "tests/tst_model.cpp:88"
    assert "Actual (spy.count()): 0" in (failure.message or "")


@pytest.mark.parametrize(
    "line",
    [
        "PASS   : TstModel::testAdd()",
        "SKIP   : TstModel::testNet() no network",
        "QWARN  : TstModel::testAdd() a warning",
        "BFAIL  : TstModel::testFlaky() Compared values are not the same",
        "FAIL! -- 4 Passed | 1 Failed | 0 Pending | 0 Skipped",
        "FAIL!: something else",
    ],
)
def test_qtest_other_result_lines_and_other_tools_fail_nothing(line: str) -> None:
    assert fed(QtTest(), [line, "   Loc: [x.cpp(1)]"]).failures() == []


def test_qtest_key_line_is_the_result_line_with_the_values_under_it() -> None:
    diagnosis = diagnose(actions_job("./tst_model", _QTEST))
    assert diagnosis.category == "test_failure"
    first = diagnosis.key_lines[0].text
    assert first.startswith("FAIL! : TstModel::testAdd() Compared values are not the same")
    assert "Actual (spy.count()): 0" in first


# ---- CppUTest --------------------------------------------------------------------------

_CPPUTEST = [
    "",
    "/home/runner/work/fw/fw/tests/src/test_concat.cpp:20: error: Failure in TEST(TestConcat, concat_12)",
    "\texpected <onetwo>",
    "\tbut was  <oneone>",
    "\tdifference starts at position 3 at: <       oneone       >",
    "\t                                               ^",
    "",
    "..",
    "Errors (1 failures, 2 tests, 2 ran, 3 checks, 0 ignored, 0 filtered out, 0 ms)",
]


def test_cpputest_names_the_test_its_assertion_and_location() -> None:
    (failure,) = fed(CppUTest(), _CPPUTEST).failures()
    assert failure.test == "TEST(TestConcat, concat_12)"
    assert (
        failure.message
        == "Failure in TEST(TestConcat, concat_12) expected <onetwo> but was <oneone>"
    )
    assert failure.location == "tests/src/test_concat.cpp:20"


def test_cpputest_visual_studio_form() -> None:
    lines = [
        r"C:\a\fw\fw\tests\AllTests.cpp(42): error: Failure in TEST(Buffer, wraps)",
        "\tCHECK(buffer.full()) failed",
    ]
    (failure,) = fed(CppUTest(), lines).failures()
    assert failure.test == "TEST(Buffer, wraps)"
    assert failure.location == "tests/AllTests.cpp:42"
    assert failure.message == "Failure in TEST(Buffer, wraps) CHECK(buffer.full()) failed"


@pytest.mark.parametrize(
    "line",
    [
        "src/concat.cpp:20: error: expected ';' before 'return'",
        "src/concat.cpp:20:3: error: Failure in TEST(TestConcat, x)",
        "tests/x_test.cc:12: Failure",
    ],
)
def test_cpputest_compiler_errors_are_not_tests(line: str) -> None:
    assert fed(CppUTest(), [line, "\texpected <1>"]).failures() == []


def test_cpputest_job_is_a_test_failure_with_the_values_in_its_key_line() -> None:
    diagnosis = diagnose(actions_job("make -C tests run", _CPPUTEST, 2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["TEST(TestConcat, concat_12)"]
    first = diagnosis.key_lines[0].text
    assert "error: Failure in TEST(TestConcat, concat_12)" in first
    assert "expected <onetwo>" in first


# ---- rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            "fatal error C1900: Il mismatch between 'P1' version '20220421' and 'P2' version '20211117'",
            "msvc-error",
        ),
        ("LINK : fatal error LNK1104: cannot open file 'glbinding.lib'", "msvc-error"),
        (
            "main.obj : error LNK2019: unresolved external symbol foo referenced in function main [D:\\a\\p\\build\\app.vcxproj]",
            "msvc-error",
        ),
        (
            "c1xx: fatal error C1083: Cannot open source file: 'x.cpp': No such file or directory",
            "msvc-error",
        ),
        ("Error: Resource not accessible by integration", "github-token-permission"),
        ("##[error]Resource not accessible by integration", "github-token-permission"),
        (
            "RequestError [HttpError]: Resource not accessible by integration",
            "github-token-permission",
        ),
        (
            "   1) Cannot obtain information about the node because the specified selector does not match any node in the DOM tree.",
            "testcafe-selector",
        ),
        ("The specified selector does not match any element in the DOM tree.", "testcafe-selector"),
        (
            "      The element that matches the specified selector is not visible.",
            "testcafe-selector",
        ),
        (
            "     The test runner could not access the Storybook channel. Are you sure the Storybook is running correctly in that URL?",
            "storybook-test-runner",
        ),
        (
            "page.evaluate: StorybookTestRunnerError: An error occurred in the following story. Access the link for full output:",
            "storybook-test-runner",
        ),
        (
            'Warning: A call to tap() with finder "Found 1 widget" derived an Offset (Offset(215.0, 627.0)) that would not hit test on the specified widget.',
            "flutter-test-hit-test-warning",
        ),
        (
            "ImportError: cannot import name 'RequirementInformation' from 'pip._vendor.resolvelib.structs' (/x/structs.py)",
            "pip-internals-import",
        ),
        (
            "ModuleNotFoundError: No module named 'pip._internal.req.req_tracker'",
            "pip-internals-import",
        ),
        (
            "AttributeError: module 'pip._internal.utils.misc' has no attribute 'get_installed_distributions'",
            "pip-internals-import",
        ),
        (
            "Uncaught Kotlin exception: kotlin.Exception: Command kotlinc -script-templates systems.danger.kts.DangerFileScript -cp /usr/local/lib/danger/danger-kotlin.jar -script Dangerfile.df.kts /tmp/dsl.json out.json exited with code 256",
            "danger-kotlin-kotlinc",
        ),
        ('File "src/parser.ml", line 12, characters 4-10:', "ocaml-error-location"),
        ('File "lib/dune", lines 10-13, characters 0-94:', "ocaml-error-location"),
        ("Unknown OCaml version 5.4.0", "ppxlib-unknown-ocaml-version"),
        ("[14:37:01]E: 1 failed test detected", "teamcity-failed-tests"),
        ("3 failed tests detected", "teamcity-failed-tests"),
        (
            "ghc.exe: could not execute: C:/GitLabRunner/builds/2WeHDSFP/0/ghc/ghc/inplace/mingw/bin/ld.exe",
            "haskell-build-failed",
        ),
        ("ghc-9.4.7: could not execute: clang", "haskell-build-failed"),
        ("Error: Could not load null: path must be a string", "node-build"),
        (
            "[!] Error: Could not load src/util.js (imported by src/main.js): ENOENT: no such file or directory, open 'src/util.js'",
            "node-build",
        ),
        (
            "[error] Failed: sources-staging, failureMessage:Missing: no sources jar found in folder '/org/x/x_2.13/1.0'",
            "sbt-sonatype-staging-failed",
        ),
        (
            "[error] java.lang.Exception: Failed to close the repository",
            "sbt-sonatype-staging-failed",
        ),
        (
            "[error] xerial.sbt.sonatype.SonatypeException: Failed to close the repository. [400]: bad request",
            "sbt-sonatype-staging-failed",
        ),
        ("Error building mypy. Printing build logs.", "pyodide-build-failed"),
    ],
)
def test_tool_lines_match_their_rule(line: str, rule: str) -> None:
    assert rule in _ids(line)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("NMAKE : fatal error U1077: 'cmake.exe' : return code '0x1'", "msvc-error"),
        ("error: C1900 is the code", "msvc-error"),
        ("Error: Resource not accessible", "github-token-permission"),
        ("The selector does not match", "testcafe-selector"),
        ("ImportError: cannot import name 'x' from 'pipeline.stages'", "pip-internals-import"),
        ("ImportError: cannot import name 'x' from 'mypkg._internal'", "pip-internals-import"),
        ("Uncaught Kotlin exception: kotlin.IllegalStateException: boom", "danger-kotlin-kotlinc"),
        ('  File "setup.py", line 3, in <module>', "ocaml-error-location"),
        ("0 failed tests detected so far, continuing", "teamcity-failed-tests"),
        ("ghc: could not find module Foo", "haskell-build-failed"),
        ("warning: could not load plugin foo", "node-build"),
        ("[error] Failed to close the repository lock channel.", "sbt-sonatype-staging-failed"),
        ("Error building wheel for mypy", "pyodide-build-failed"),
    ],
)
def test_near_misses_do_not_match(line: str, rule: str) -> None:
    assert rule not in _ids(line)


# ---- an installer's bare error line ------------------------------------------------------


def test_bare_error_line_of_an_install_command_is_dependency_install() -> None:
    lines = ["Installing dependencies...", "error: download failed, quit"]
    diagnosis = diagnose(
        actions_job("xpm install --config native-cmake-clang13-debug --quiet", lines)
    )
    assert diagnosis.category == "dependency_install"


def test_bare_error_line_of_a_build_command_stays_build() -> None:
    lines = ["Compiling app v0.1.0", "error: linking with `cc` failed: exit status: 1"]
    assert diagnose(actions_job("cargo build --release", lines)).category == "build"


def test_a_tool_name_inside_a_hyphenated_argument_is_not_the_program() -> None:
    command = "xpm install --config native-cmake-clang13-debug"
    start = command.index("cmake")
    assert names_an_argument_path(command, start, start + len("cmake"))
    assert RULES.command_category(command) == "dependency_install"
    assert RULES.command_category("cmake --build build") == "build"
    assert RULES.command_category("xpm install && cmake -S . -B build") == "build"


# ---- Windows PowerShell's error view names the failing statement ------------------------

_PS_ERROR = [
    "npm : keywords if/then/else require v5 option",
    "At line:16 char:1",
    "+ npm run build:dev",
    "+ ~~~~~~~~~~~~~~~~~",
    "    + CategoryInfo          : NotSpecified: (keywords if/then/else require v5 option:String) [], RemoteException",
    "    + FullyQualifiedErrorId : NativeCommandError",
]


def test_powershell_statement_under_the_position_line_is_the_command() -> None:
    top = TopLines()
    for number, line in enumerate(_PS_ERROR, 1):
        top.offer(number, line)
    assert list(top.commands) == ["npm run build:dev"]


def test_a_plus_line_elsewhere_is_not_a_command() -> None:
    top = TopLines()
    for number, line in enumerate(
        ["diff --git a/x b/x", "+ npm run build:dev", "At line:3 char:1", "+ ~~~~"], 1
    ):
        top.offer(number, line)
    assert list(top.commands) == []


def test_a_pasted_powershell_error_of_a_build_script_is_build() -> None:
    diagnosis = diagnose(io.BytesIO("\n".join(_PS_ERROR).encode()))
    assert diagnosis.category == "build"
    assert diagnosis.key_lines[0].text == "npm : keywords if/then/else require v5 option"
