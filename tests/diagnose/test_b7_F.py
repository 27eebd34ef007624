# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 7, collection F (whole Travis CI job logs of PHP, JavaScript,
TypeScript, C and C++ projects): make's ``*** [target] Error N`` as an exit status rather
than a compile error, a download that answered 404, markdownlint's old output, TSLint,
php-src's ``run-tests.php``, PHP's fatal run-time errors, PHPStan's unmatched ignore
pattern, PHPUnit diffs that print paths, and mocha entries under an empty root title.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_js import Mocha
from bot.diagnose.extract_ruby_php import PhpRunTests, PHPUnit
from tests.diagnose.joblogs import actions_job


def _travis(lines: list[str]) -> io.BytesIO:
    """A Travis CI job log: no step framing, the failing command named at the end."""
    out = [
        "travis_fold:start:worker_info",
        "Worker information",
        "travis_fold:end:worker_info",
        "$ make travis",
        *lines,
        'The command "make travis" exited with 2.',
        "",
        "Done. Your build exited with 1.",
    ]
    return io.BytesIO("".join(f"{line}\n" for line in out).encode())


def _feed(extractor: PhpRunTests | PHPUnit | Mocha, lines: list[str]) -> None:
    for number, line in enumerate(lines, 1):
        extractor.feed(line, number)


# ---- make's wrapper line is an exit status, not a compile error ----------------------


def test_a_make_recipe_that_failed_alone_is_still_a_build_failure() -> None:
    d = diagnose(_travis(["cc -o app main.o util.o", "make: *** [app] Error 1"]))
    assert d.category == "build"
    assert any("make: *** [app] Error 1" in k.text for k in d.key_lines)


def test_a_compile_error_under_make_is_a_build_failure() -> None:
    d = diagnose(
        _travis(
            [
                "src/io.c:12:5: error: 'fd' undeclared (first use in this function)",
                "make[1]: *** [src/io.o] Error 1",
                "make: *** [all] Error 2",
            ]
        )
    )
    assert d.category == "build"
    assert "src/io.c:12:5: error: 'fd' undeclared" in d.key_lines[0].text


def test_a_make_recipe_whose_download_got_404_is_a_dependency_failure() -> None:
    # Redox's pkgutils fetches each package listed; one is not published
    d = diagnose(
        _travis(
            [
                "Installing package shellstorm",
                "* Requesting https://static.redox-os.org/pkg/x86_64-unknown-redox/shellstorm.sig",
                "* Failure 404 Not Found",
                "thread 'main' panicked at 'called `Result::unwrap()` on an `Err` value: Custom { kind: NotFound, error: StringError(\"https://static.redox-os.org/pkg/x86_64-unknown-redox/shellstorm.sig not found\") }', libcore/result.rs:945:5",
                "make[1]: *** [build/filesystem.bin] Error 101",
                "make: *** [travis] Error 2",
            ]
        )
    )
    assert d.category == "dependency_install"
    assert d.key_lines[0].text == "* Failure 404 Not Found"


def test_wget_404_under_make_is_a_dependency_failure() -> None:
    d = diagnose(
        _travis(
            [
                "wget https://example.org/releases/tool-1.2.3.tar.gz",
                "--2019-07-01 10:00:00--  https://example.org/releases/tool-1.2.3.tar.gz",
                "HTTP request sent, awaiting response... 404 Not Found",
                "2019-07-01 10:00:00 ERROR 404: Not Found.",
                "make: *** [deps] Error 8",
            ]
        )
    )
    assert d.category == "dependency_install"


def test_failing_tests_under_make_are_test_failures() -> None:
    # vim's test report, then make's wrappers
    d = diagnose(
        _travis(
            [
                "Found errors in Test_popup_with_mask():",
                'function RunTheTest[40]..Test_popup_with_mask[53]..VerifyScreenDump line 55: See dump file difference: call term_dumpdiff("a", "b")',
                "TEST FAILURE",
                "make[2]: *** [report] Error 1",
                "make[1]: *** [scripttests] Error 2",
                "make: *** [test] Error 2",
            ]
        )
    )
    assert d.category == "test_failure"
    assert d.failing_tests == ["Test_popup_with_mask"]


def test_make_under_actions_keeps_its_compile_error_as_the_cause() -> None:
    d = diagnose(
        actions_job(
            "make",
            [
                "main.c:3:10: error: implicit declaration of function 'parse' [-Werror=implicit-function-declaration]",
                "cc1: all warnings being treated as errors",
                "make: *** [Makefile:4: main.o] Error 1",
            ],
            code=2,
        )
    )
    assert d.category == "build"
    assert "implicit declaration of function 'parse'" in d.key_lines[0].text


# ---- lint and static analysis shapes --------------------------------------------------


def test_markdownlint_cli_before_0_19_is_lint() -> None:
    d = diagnose(
        actions_job(
            "npm run lint",
            [
                "> markdownlint --config linters/.markdownlint.json README.md */README.md",
                "react/README.md: 29: MD012/no-multiple-blanks Multiple consecutive blank lines [Expected: 1; Actual: 2]",
                'react/README.md: 751: MD034/no-bare-urls Bare URL used [Context: "https://reactjs.org/blog/2017/..."]',
                "npm ERR! code ELIFECYCLE",
            ],
        )
    )
    assert d.category == "lint"
    assert d.key_lines[0].text.startswith("react/README.md: 29: MD012/no-multiple-blanks")


def test_tslint_formats_are_lint() -> None:
    for line in (
        "ERROR: /home/runner/work/ts/ts/src/compiler/checker.ts:20269:48 boolean-trivia Tag argument with parameter name",
        "ERROR: src/app.ts[12, 5]: Missing semicolon",
        "ERROR: (semicolon) src/app.ts[12, 5]: Missing semicolon",
        "ERROR: 12:5  semicolon  Missing semicolon",
    ):
        d = diagnose(
            actions_job(
                "gulp lint",
                ["Linting: tslint --project src", line, "Error: Process exited with code: 2"],
            )
        )
        assert d.category == "lint", line
        assert d.key_lines[0].text == line


def test_phpstan_unmatched_ignore_pattern_is_a_key_line() -> None:
    d = diagnose(
        actions_job(
            "vendor/bin/phpstan analyse src tests",
            [
                " ------------------------------------------------------------------------ ",
                "  Error                                                                   ",
                " ------------------------------------------------------------------------ ",
                "  Ignored error pattern ~^Anonymous function has an unused use \\$fileName\\.$~ was not matched in reported errors.  ",
                " ------------------------------------------------------------------------ ",
                "",
                " [ERROR] Found 1 error",
            ],
        )
    )
    assert d.category == "type_check"
    assert any("was not matched in reported errors." in k.text for k in d.key_lines)


# ---- PHP: php-src's run-tests.php, fatal errors, PHPUnit diffs ---------------------------

RUN_TESTS = [
    "TEST 9596/13942 [2/2 concurrent test workers running]",
    "========DIFF========",
    "012+ Warning: unlink(): open_basedir restriction in effect.",
    "012- Warning: unlink(): open_basedir restriction in effect. File(%s) is not within",
    "========DONE========",
    "XFAIL Test open_basedir configuration [tests/security/open_basedir_linkinfo.phpt]  XFAIL REASON: BUG",
    "========DIFF========",
    "005+     Parameter #1 [ <optional> $flags ]",
    "005-     Parameter #1 [ <optional> $ar_flags ]",
    "========DONE========",
    "FAIL Bug#71412 ArrayIterator reflection parameter info [ext/spl/tests/bug71412.phpt] ",
    "TEST 9895/13942 [2/2 concurrent test workers running]",
    "FAIL Bug #60120 (proc_open hangs) [ext/standard/tests/file/bug60120.phpt] (reason: timed out)",
]


def test_php_run_tests_names_the_phpt_and_its_diff() -> None:
    ex = PhpRunTests()
    _feed(ex, RUN_TESTS)
    failures = ex.failures()
    assert [f.test for f in failures] == [
        "ext/spl/tests/bug71412.phpt",
        "ext/standard/tests/file/bug60120.phpt",
    ]
    assert failures[0].message == "Parameter #1 [ <optional> $flags ]"
    assert failures[0].line == 8
    assert failures[1].message is None  # no diff printed right before it


def test_php_run_tests_failure_is_a_test_failure() -> None:
    d = diagnose(
        actions_job("./sapi/cli/php run-tests.php -P", [*RUN_TESTS, "FAILED TEST SUMMARY"])
    )
    assert d.category == "test_failure"
    assert "ext/spl/tests/bug71412.phpt" in d.failing_tests
    assert any(k.text.startswith("FAIL Bug#71412") for k in d.key_lines)


def test_php_fatal_error_in_a_test_run_is_a_test_failure() -> None:
    d = diagnose(
        _travis(
            [
                "PHPUnit 4.8.36 by Sebastian Bergmann and contributors.",
                ".PHP Fatal error:  Call to undefined method SymfonyAlteredTestCase::expectException() in /home/runner/build/s/s/vendor/symfony/phpunit-bridge/Legacy/ForwardCompatTestTraitForV5.php on line 162",
                "",
                "Fatal error: Call to undefined method SymfonyAlteredTestCase::expectException() in /home/runner/build/s/s/vendor/symfony/phpunit-bridge/Legacy/ForwardCompatTestTraitForV5.php on line 162",
                "KO src/Symfony/Bundle/TwigBundle",
            ]
        )
    )
    assert d.category == "test_failure"
    assert (
        "Call to undefined method SymfonyAlteredTestCase::expectException()" in d.key_lines[0].text
    )


def test_phpunit_paths_inside_a_diff_are_not_the_location() -> None:
    ex = PHPUnit()
    _feed(
        ex,
        [
            "1) Symfony\\Component\\VarDumper\\Tests\\CasterExceptionCasterTest::testNoSrcContext",
            "Failed asserting that format description matches text.",
            "--- Expected",
            "+++ Actual",
            "@@ @@",
            "-    %s%eTests%eCaster%eExceptionCasterTest.php:30",
            "+    ./src/Symfony/Component/VarDumper/Tests/Caster/ExceptionCasterTest.php:28",
            "     ./src/Symfony/Component/VarDumper/Tests/Caster/ExceptionCasterTest.php:109",
            "",
            "/home/runner/build/symfony/symfony/src/Symfony/Component/VarDumper/Test/VarDumperTestTrait.php:41",
            "/home/runner/build/symfony/symfony/src/Symfony/Component/VarDumper/Tests/Caster/ExceptionCasterTest.php:124",
        ],
    )
    (failure,) = ex.failures()
    assert failure.message == "Failed asserting that format description matches text."
    assert (
        failure.location
        == "src/Symfony/Component/VarDumper/Tests/Caster/ExceptionCasterTest.php:124"
    )


# ---- mocha: an entry whose first title is empty ----------------------------------------


def test_mocha_entry_under_an_empty_root_title() -> None:
    ex = Mocha()
    _feed(
        ex,
        [
            "  65890 passing (11m)",
            "  1 failing",
            "",
            "  1) ",
            "",
            "         fourslash tests",
            "           tests/cases/fourslash/importNameCodeFixNewImportExportEqualsESNext.ts",
            "             fourslash test importNameCodeFixNewImportExportEqualsESNext.ts runs correctly:",
            "     Error: At line 1, col 3: Should find at least 1 codefix(es), but 0 found.",
            "      at TestState.raiseError (src/harness/fourslash.ts:475:19)",
        ],
    )
    (failure,) = ex.failures()
    assert failure.test == (
        "fourslash tests tests/cases/fourslash/importNameCodeFixNewImportExportEqualsESNext.ts"
        " fourslash test importNameCodeFixNewImportExportEqualsESNext.ts runs correctly"
    )
    assert (
        failure.message
        == "Error: At line 1, col 3: Should find at least 1 codefix(es), but 0 found."
    )


def test_mocha_entry_followed_by_a_blank_line_is_still_not_a_title() -> None:
    ex = Mocha()
    _feed(ex, ["  1 failing", "", "  1) suite", "", "some other output"])
    assert ex.failures() == []
