# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 10, helper b10H5 (whole Travis CI job logs): standard (the JavaScript
linter on standard-engine), a YAML document Ruby's Psych cannot parse, and busted's
googletest-style end-of-run lists (busted's own ``gtest`` handler and Neovim's derived one).

The standard and busted snippets are the tools' real output (standard 17.1 run on two small
files; busted 2.1.1 ``-o gtest`` with and without ``--defer-print`` on one spec), with the
paths made the runner's; the Psych message is the format of ``Psych::SyntaxError``
(``(<file>): <problem> <context> at line L column C``) with libyaml's problem texts.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job, travis_job

# ---- standard ---------------------------------------------------------------------------

_STANDARD_17 = [
    "standard: Use JavaScript Standard Style (https://standardjs.com)",
    "standard: Some warnings are present which will be errors in the next version (https://standardjs.com)",
    "  /home/runner/work/proj/proj/a.js:1:1: Unexpected var, use let or const instead. (no-var) (warning)",
    "  /home/runner/work/proj/proj/a.js:1:9: Strings must use singlequote. (quotes)",
    "  /home/runner/work/proj/proj/a.js:1:12: Extra semicolon. (semi)",
    "  /home/runner/work/proj/proj/b.js:2:1: Parsing error: Unexpected token (null)",
    "standard: Run `standard --fix` to automatically fix some problems.",
]


def test_standard_errors_are_lint_and_the_first_error_is_the_key_line() -> None:
    diagnosis = diagnose(actions_job("npx standard", _STANDARD_17))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "standard-js"
    texts = [k.text for k in diagnosis.key_lines if k.rule == "standard-js"]
    assert texts[0].endswith("a.js:1:9: Strings must use singlequote. (quotes)")
    # a warning (``(rule) (warning)``) does not fail the run: not a finding
    assert not any(t.endswith("(warning)") for t in texts)
    assert any("Parsing error: Unexpected token (null)" in t for t in texts)


def test_standard_warnings_alone_are_not_standards_findings() -> None:
    """standard exits 0 on warnings; when the step failed for another reason, the
    warnings must not be read as the lint failure."""
    lines = [
        *_STANDARD_17[:3],
        "node scripts/check.js",
        "Error: config/site.json: missing key 'title'",
    ]
    diagnosis = diagnose(actions_job("npx standard && node scripts/check.js", lines))
    assert diagnosis.rule != "standard-js"
    assert not any(k.rule == "standard-js" for k in diagnosis.key_lines)


def test_old_standard_whose_parser_cannot_load_on_the_node_in_use_travis() -> None:
    """standard 8 with the babel-eslint parser on node 0.12: every file fails at 0:0 with
    the parser's own source line (a template literal) and ``Unexpected token ILLEGAL``;
    no rule id (standard printed it only with --verbose). npm names the failing script."""
    lines = [
        "> git-it-electron@4.2.2 test-style /home/runner/build/jlord/git-it-electron",
        "> standard lib/*.js main.js",
        "",
        "standard: Use JavaScript Standard Style (https://github.com/feross/standard) ",
        "  /home/runner/build/jlord/git-it-electron/lib/helpers.js:0:0: /home/runner/build/jlord/git-it-electron/node_modules/babel-eslint/babylon-to-espree/toToken.js:56",
        "    token.value = `/${value.pattern}/${value.flags}`;",
        "                  ^",
        "Unexpected token ILLEGAL",
        "  /home/runner/build/jlord/git-it-electron/main.js:0:0: /home/runner/build/jlord/git-it-electron/node_modules/babel-eslint/babylon-to-espree/toToken.js:56",
        "    token.value = `/${value.pattern}/${value.flags}`;",
        "                  ^",
        "Unexpected token ILLEGAL",
        "",
        "npm ERR! Failed at the git-it-electron@4.2.2 test-style script 'standard lib/*.js main.js'.",
        "npm ERR! Test failed.  See above for more details.",
    ]
    diagnosis = diagnose(travis_job("npm test", lines))
    assert diagnosis.category == "lint"  # npm test alone reads as a test failure
    assert diagnosis.rule == "standard-js"
    assert "lib/helpers.js:0:0:" in diagnosis.key_lines[0].text
    assert "babylon-to-espree/toToken.js:56" in diagnosis.key_lines[0].text


def test_an_indented_path_line_without_standards_tagline_is_not_standard() -> None:
    lines = [
        "checking sources",
        "  /home/runner/work/proj/proj/a.js:1:9: Strings must use singlequote.",
        "Error: 1 file failed",
    ]
    diagnosis = diagnose(actions_job("node tools/check-sources.js", lines))
    assert diagnosis.rule != "standard-js"


# ---- YAML that does not parse (Psych) ---------------------------------------------------


def test_a_repository_check_that_cannot_parse_a_documents_yaml_header_is_lint_travis() -> None:
    lines = [
        "/home/runner/.rvm/rubies/ruby-2.2.7/bin/ruby tests/encoding.rb",
        "Success. All 672 files passed UTF-8 validity checks.",
        "/home/runner/.rvm/rubies/ruby-2.2.7/bin/ruby tests/yaml.rb",
        "(./fr-fr/go-fr.html.markdown): did not find expected key while parsing a block mapping at line 2 column 1",
        "FAILURE!!! 1 files were unable to be parsed!",
        "Please check the YAML headers for the documents that failed!",
        "rake aborted!",
        "Failed 1 tests!!",
    ]
    diagnosis = diagnose(travis_job("bundle exec rake", lines))
    assert diagnosis.category == "lint"  # a content check; without the rule: unknown
    assert diagnosis.rule == "yaml-syntax-error"
    assert diagnosis.key_lines[0].text.startswith("(./fr-fr/go-fr.html.markdown): did not find")


def test_psych_error_inside_a_ruby_exception_line() -> None:
    lines = [
        "/home/runner/work/site/site/check.rb:7:in `load_file': (_data/nav.yml): mapping values are not allowed in this context at line 4 column 9 (Psych::SyntaxError)",
        "\tfrom check.rb:7:in `<main>'",
    ]
    diagnosis = diagnose(actions_job("ruby check.rb", lines))
    assert diagnosis.rule == "yaml-syntax-error"
    assert diagnosis.category == "lint"


def test_a_sentence_with_line_and_column_is_not_a_yaml_error() -> None:
    lines = ["(cache): restored 3 files at line 2 column 1 of the manifest", "Error: deploy failed"]
    diagnosis = diagnose(actions_job("./deploy.sh", lines))
    assert diagnosis.rule != "yaml-syntax-error"


# ---- busted ------------------------------------------------------------------------------

_BUSTED_RUN = [
    "[==========] Running tests from scanned files.",
    "[----------] Global test environment setup.",
    "[----------] Running tests from spec/calc_spec.lua",
    "[ RUN      ] spec/calc_spec.lua @ 2: calc adds",
    "spec/calc_spec.lua:3: Expected objects to be the same.",
    "Passed in:",
    "(number) 5",
    "Expected:",
    "(number) 4",
    "[  FAILED  ] spec/calc_spec.lua @ 2: calc adds (0.12 ms)",
    "[ RUN      ] spec/calc_spec.lua @ 5: calc subtracts",
    "[       OK ] spec/calc_spec.lua @ 5: calc subtracts (0.03 ms)",
    "[ RUN      ] spec/calc_spec.lua @ 8: calc divides",
    "spec/calc_spec.lua:9: boom",
    "[  ERROR   ] spec/calc_spec.lua @ 8: calc divides (0.07 ms)",
    "[ RUN      ] spec/calc_spec.lua @ 11: calc multiplies",
    "[ SKIPPED  ] spec/calc_spec.lua @ 11: calc multiplies (0.01 ms)",
    "[ RUN      ] spec/calc_spec.lua @ 17: hooks runs",
    "[       OK ] spec/calc_spec.lua @ 17: hooks runs (0.03 ms)",
    "spec/calc_spec.lua:15: assertion failed!",
    "[----------] 5 tests from spec/calc_spec.lua (1.11 ms total)",
    "",
    "[----------] Global test environment teardown.",
    "[==========] 5 tests from 1 test file ran. (1.20 ms total)",
    "[  PASSED  ] 2 tests.",
    "[ SKIPPED  ] 1 test, listed below:",
    "[ SKIPPED  ] spec/calc_spec.lua @ 11: calc multiplies",
    "[  FAILED  ] 1 test, listed below:",
    "[  FAILED  ] spec/calc_spec.lua @ 2: calc adds",
    "[  ERROR   ] 2 errors, listed below:",
    "[  ERROR   ] spec/calc_spec.lua @ 8: calc divides",
    "[  ERROR   ] spec/calc_spec.lua @ 14: hooks after_each",
    "",
    " 1 SKIPPED TEST",
    " 1 FAILED TEST",
    " 2 ERRORS",
]

_BUSTED_DEFERRED_SUMMARY = [
    "[==========] 5 tests from 1 test file ran. (0.94 ms total)",
    "[  PASSED  ] 2 tests.",
    "[ SKIPPED  ] 1 test, listed below:",
    "[ SKIPPED  ] spec/calc_spec.lua @ 11: calc multiplies",
    "[  FAILED  ] 1 test, listed below:",
    "[  FAILED  ] spec/calc_spec.lua @ 2: calc adds",
    "spec/calc_spec.lua:3: Expected objects to be the same.",
    "Passed in:",
    "(number) 5",
    "Expected:",
    "(number) 4",
    "[  ERROR   ] 2 errors, listed below:",
    "[  ERROR   ] spec/calc_spec.lua @ 8: calc divides",
    "spec/calc_spec.lua:9: boom",
    "[  ERROR   ] spec/calc_spec.lua @ 14: hooks after_each",
    "spec/calc_spec.lua:15: assertion failed!",
    "",
    " 1 SKIPPED TEST",
    " 1 FAILED TEST",
    " 2 ERRORS",
]

_FAILED = [
    "spec/calc_spec.lua @ 2: calc adds",
    "spec/calc_spec.lua @ 8: calc divides",
    "spec/calc_spec.lua @ 14: hooks after_each",
]


def test_busted_gtest_handler_names_failures_and_errors_with_messages_from_the_run() -> None:
    diagnosis = diagnose(actions_job("busted -o gtest spec", _BUSTED_RUN))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == _FAILED  # not the skipped test
    by_test = {f.test: f for f in diagnosis.failures}
    adds = by_test["spec/calc_spec.lua @ 2: calc adds"]
    assert adds.message == "spec/calc_spec.lua:3: Expected objects to be the same."
    assert adds.location == "spec/calc_spec.lua:3"  # the assertion, not the it() line
    assert by_test["spec/calc_spec.lua @ 8: calc divides"].message == "spec/calc_spec.lua:9: boom"
    # a hook's error is printed after the test's OK line: no message, the entry's place
    assert by_test["spec/calc_spec.lua @ 14: hooks after_each"].location == "spec/calc_spec.lua:14"


def test_busted_defer_print_descriptions_follow_each_entry() -> None:
    diagnosis = diagnose(
        actions_job("busted -o gtest --defer-print spec", _BUSTED_DEFERRED_SUMMARY)
    )
    assert diagnosis.failing_tests == _FAILED
    by_test = {f.test: f for f in diagnosis.failures}
    hook = by_test["spec/calc_spec.lua @ 14: hooks after_each"]
    assert hook.message == "spec/calc_spec.lua:15: assertion failed!"
    assert hook.location == "spec/calc_spec.lua:15"


def test_neovim_handler_after_each_error_from_a_sanitizer_report_travis() -> None:
    """Neovim's ASan job: an nvim child crashes (AddressSanitizer SEGV), the test helpers'
    after_each finds the sanitizer log and asserts; busted lists the hook's error. The
    crash is the cause; the hook's entry is the failing test busted names."""
    lines = [
        "[ RUN      ] :Man man.lua: highlight_line() clears backspaces from text and adds highlights: 26.57 ms OK",
        "==================== File /home/runner/build/neovim/neovim/build/log/ubsan.16549 ====================",
        "= ==16549==ERROR: AddressSanitizer: SEGV on unknown address 0x000001d741d0 (pc 0x000000455234 bp 0x000000000000 sp 0x7fff2c221390 T0)",
        "=     #4 0x10850a4 in xfree /home/runner/build/neovim/neovim/build/../src/nvim/memory.c:119:3",
        "= ==16549==ABORTING",
        "test/helpers.lua:156: assertion failed!",
        "[==========] 3688 tests from 327 test files ran. (442839.18 ms total)",
        "[  PASSED  ] 3670 tests.",
        "[ SKIPPED  ] 1 test, listed below:",
        "[ SKIPPED  ] test/functional/viml/lang_spec.lua @ 22: viml str2float is not affected by locale",
        "test/functional/viml/lang_spec.lua:24: Locale sv_SE.UTF-8 not supported",
        "[  ERROR   ] 1 error, listed below:",
        "[  ERROR   ] test/functional/helpers.lua @ 857: after_each",
        "test/helpers.lua:156: assertion failed!",
        "",
        "stack traceback:",
        "\ttest/helpers.lua:156: in function 'check_logs'",
        "",
        " 1 SKIPPED TEST",
        " 1 ERROR",
        "-- Tests exited non-zero: 1",
    ]
    diagnosis = diagnose(travis_job("ci/script.sh", lines))
    assert diagnosis.category == "segfault"
    assert diagnosis.failing_tests == ["test/functional/helpers.lua @ 857: after_each"]
    failure = diagnosis.failures[0]
    assert failure.message == "test/helpers.lua:156: assertion failed!"
    assert failure.location == "test/helpers.lua:156"
    assert any("AddressSanitizer: SEGV on unknown address" in k.text for k in diagnosis.key_lines)


def test_googletest_summary_is_not_read_as_busted() -> None:
    lines = [
        "[ RUN      ] Calc.Adds",
        "calc_test.cc:9: Failure",
        "Expected equality of these values:",
        "  add(2, 3)",
        "    Which is: 5",
        "  4",
        "[  FAILED  ] Calc.Adds (0 ms)",
        "[==========] 1 test from 1 test suite ran. (0 ms total)",
        "[  PASSED  ] 0 tests.",
        "[  FAILED  ] 1 test, listed below:",
        "[  FAILED  ] Calc.Adds",
        "",
        " 1 FAILED TEST",
    ]
    diagnosis = diagnose(actions_job("./build/calc_test", lines))
    assert diagnosis.failing_tests == ["Calc.Adds"]


# ---- PHP 5 fatal errors inside a phpunit run ----------------------------------------------


def test_php5_class_not_found_kills_a_phpunit_run_travis() -> None:
    """PHP 5 cannot catch a fatal error: a class the code uses but nobody defined stops
    phpunit mid-run (after its progress dots), no failure list is printed."""
    lines = [
        "Running tests/Composer/Test/Util tests",
        "PHPUnit 4.8.36 by Sebastian Bergmann and contributors.",
        "",
        "...............................................................  63 / 250 ( 25%)",
        "PHP Fatal error:  Class 'Composer\\Util\\Response' not found in /home/runner/build/composer/composer/src/Composer/Util/RemoteFilesystem.php on line 286",
        "..........................................................",
        "Fatal error: Class 'Composer\\Util\\Response' not found in /home/runner/build/composer/composer/src/Composer/Util/RemoteFilesystem.php on line 286",
        "FAILED tests/Composer/Test/Util",
    ]
    diagnosis = diagnose(travis_job("ls -d tests/* | parallel './vendor/bin/phpunit {}'", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "php-fatal-error"
    assert diagnosis.key_lines[0].text.startswith(
        "PHP Fatal error:  Class 'Composer\\Util\\Response' not found"
    )


def test_php_fatal_error_after_progress_characters() -> None:
    lines = [
        "PHPUnit 4.8.36 by Sebastian Bergmann and contributors.",
        "....SS.SPHP Fatal error:  Call to a member function getItem() on a non-object in /home/runner/work/p/p/vendor/cache/integration-tests/src/CachePoolTest.php on line 84",
    ]
    diagnosis = diagnose(actions_job("./phpunit src/Symfony/Component/Cache", lines))
    assert diagnosis.rule == "php-fatal-error"
    assert "Call to a member function getItem() on a non-object" in diagnosis.key_lines[0].text


# ---- R CMD check ------------------------------------------------------------------------

_R_CHECK_HEAD = [
    "* using log directory ‘/home/runner/work/pkg/pkg/pkg.Rcheck’",
    "* checking for file ‘pkg/DESCRIPTION’ ... OK",
    "* checking whether package ‘pkg’ can be installed ... OK",
    "* checking examples ... OK",
]


def test_r_cmd_check_tests_stage_that_fails_without_a_failing_test() -> None:
    lines = [
        *_R_CHECK_HEAD,
        "* checking tests ...",
        "  Running ‘testthat.R’",
        " ERROR",
        "Running the tests in ‘tests/testthat.R’ failed.",
        "Last 13 lines of output:",
        "  > library('testthat')",
        '  > test_check("pkg")',
        "  Loading required package: pkg",
        "  Error: No tests found for pkg",
        "  Execution halted",
    ]
    diagnosis = diagnose(travis_job("R CMD check pkg_1.0.tar.gz --as-cran", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "r-check-tests"
    texts = [k.text for k in diagnosis.key_lines]
    assert "Running the tests in ‘tests/testthat.R’ failed." in texts
    assert any("Error: No tests found for pkg" in t for t in texts)


def test_r_cmd_check_a_test_file_that_does_not_parse_stays_build() -> None:
    lines = [
        *_R_CHECK_HEAD,
        "* checking tests ...",
        "  Running ‘testthat.R’",
        " ERROR",
        "Running the tests in ‘tests/testthat.R’ failed.",
        "Last 13 lines of output:",
        "  Error in parse(text = lines, n = -1, srcfile = srcfile) : ",
        "    test-ts.R:4:1: unexpected '<'",
        "  Execution halted",
    ]
    diagnosis = diagnose(travis_job("R CMD check pkg_1.0.tar.gz", lines))
    assert diagnosis.category == "build"


def test_r_cmd_check_examples_in_ascii_quotes() -> None:
    lines = [
        "* checking examples ... ERROR",
        "Running examples in 'pkg-Ex.R' failed",
        "The error most likely occurred in:",
        "> ### Name: detect",
        "> detect(x)",
        'Error in detect(x) : object "x" not found',
        "Execution halted",
    ]
    diagnosis = diagnose(actions_job("R CMD check --no-manual pkg_1.0.tar.gz", lines))
    assert diagnosis.rule == "r-check-tests"
    assert diagnosis.category == "test_failure"


def test_r_package_that_does_not_compile_is_build() -> None:
    lines = [
        "* checking whether package ‘pkg’ can be installed ... ERROR",
        "Installation failed.",
        "See ‘/home/runner/work/pkg/pkg/pkg.Rcheck/00install.out’ for details.",
    ]
    diagnosis = diagnose(actions_job("R CMD check pkg_1.0.tar.gz", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "r-package-install"


# ---- busted's default (terminal) and TAP handlers -----------------------------------------

_BUSTED_DEFAULT = [
    "-+*.+",
    "2 successes / 1 failure / 2 errors / 1 pending : 0.000989 seconds",
    "",
    "Pending -> spec/calc_spec.lua @ 11",
    "calc multiplies",
    "",
    "Failure -> spec/calc_spec.lua @ 2",
    "calc adds",
    "spec/calc_spec.lua:3: Expected objects to be the same.",
    "Passed in:",
    "(number) 5",
    "Expected:",
    "(number) 4",
    "",
    "Error → spec/calc_spec.lua @ 8",
    "calc divides",
    "spec/calc_spec.lua:9: boom",
    "",
    "Error -> spec/calc_spec.lua @ 14",
    "hooks after_each",
    "spec/calc_spec.lua:15: assertion failed!",
]


def test_busted_default_handler_blocks() -> None:
    diagnosis = diagnose(actions_job("busted spec", _BUSTED_DEFAULT))
    assert diagnosis.category == "test_failure"  # without the extractor and rule: unknown
    assert diagnosis.rule == "busted-failed"
    assert diagnosis.failing_tests == ["calc adds", "calc divides", "hooks after_each"]
    by_test = {f.test: f for f in diagnosis.failures}
    assert by_test["calc adds"].message == "spec/calc_spec.lua:3: Expected objects to be the same."
    assert by_test["calc adds"].location == "spec/calc_spec.lua:3"
    assert by_test["calc divides"].message == "spec/calc_spec.lua:9: boom"  # the UTF-8 arrow


def test_busted_count_line_of_a_passing_run_is_not_a_failure() -> None:
    lines = [
        "++++",
        "4 successes / 0 failures / 0 errors / 0 pending : 0.01 seconds",
        "luacheck: 2 warnings / 1 error in 3 files",
    ]
    diagnosis = diagnose(actions_job("busted && luacheck .", lines))
    assert diagnosis.rule != "busted-failed"
    assert diagnosis.failing_tests == []


def test_busted_tap_handler_messages() -> None:
    lines = [
        "not ok 1 - calc adds",
        "# spec/calc_spec.lua @ 2",
        "# Failure message: spec/calc_spec.lua:3: Expected objects to be the same.",
        "# Passed in:",
        "# (number) 5",
        "ok 2 - calc subtracts",
        "not ok 3 - calc divides",
        "# spec/calc_spec.lua @ 8",
        "# Failure message: spec/calc_spec.lua:9: boom",
        "1..3",
    ]
    diagnosis = diagnose(actions_job("busted -o TAP spec", lines))
    assert diagnosis.failing_tests == ["calc adds", "calc divides"]
    adds = diagnosis.failures[0]
    assert adds.message == "spec/calc_spec.lua:3: Expected objects to be the same."
    assert adds.location == "spec/calc_spec.lua:3"


def test_busted_spec_that_does_not_load_is_build() -> None:
    """busted 2.1 with a Lua syntax error in a spec file: the default handler prints the
    parser's message on the block's header line and the file as the name."""
    lines = [
        "*+",
        "1 success / 0 failures / 1 error / 0 pending : 0.000363 seconds",
        "",
        "Error -> spec/bad_spec.lua:3: <name> expected near '='",
        "spec/bad_spec.lua",
    ]
    diagnosis = diagnose(actions_job("busted spec", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "lua-syntax-error"
    # key lines in log order: busted's count line (``1 error``) comes before the block
    assert any(
        "spec/bad_spec.lua:3: <name> expected near '='" in k.text
        for k in diagnosis.key_lines
        if k.rule == "lua-syntax-error"
    )


def test_lua_interpreter_syntax_error_lua51_quoting() -> None:
    lines = ["lua: src/app.lua:12: 'end' expected (to close 'function' at line 3) near '<eof>'"]
    diagnosis = diagnose(actions_job("lua src/app.lua", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "lua-syntax-error"


def test_semistandard_tagline_opens_the_findings_too() -> None:
    lines = [
        "semistandard: Semicolons For All! (https://github.com/standard/semistandard)",
        "  /home/runner/work/proj/proj/index.js:3:14: Missing semicolon. (semi)",
    ]
    diagnosis = diagnose(actions_job("npx semistandard", lines))
    assert diagnosis.rule == "standard-js"
    assert diagnosis.key_lines[0].text.endswith("index.js:3:14: Missing semicolon. (semi)")
