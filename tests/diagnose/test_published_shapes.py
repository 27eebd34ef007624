# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Output shapes from logs public projects published (corpus batch 5, ``b5p_``).

Each test feeds a small input of its own in the shape a tool printed in a published log
and asserts what a maintainer reads: the category, each failing test with its own message
and location. The shapes, not the fixtures' wording, are what the mechanisms key on.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.logreader import LogReader, clean_line
from tests.diagnose.joblogs import actions_job


def _job(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    return actions_job(command, lines, code, shell=False)


def _brief(lines: list[str]) -> list[tuple[str, str | None, str | None]]:
    return [(f.test, f.message, f.location) for f in extract_failures(lines)]


def test_minitest_names_are_any_text_around_hash_test() -> None:
    """Spec-style describe texts (hyphens, spaces) and method names with punctuation."""
    assert _brief(
        [
            "  1) Failure:",
            "price-list#test_0001_rounds half up [/home/runner/work/p/p/test/price_test.rb:9]:",
            "Expected: 3",
            "  Actual: 2",
            "",
            "  2) Error:",
            "LoaderTest#test_fallbacks:_nils_are_ignored,_with_custom_rule:",
            "KeyError: key not found: :many",
            "    /home/runner/work/p/p/lib/loader.rb:4:in `fetch'",
            "    /home/runner/work/p/p/test/loader_test.rb:21:in `block (2 levels) in <class:LoaderTest>'",
            "",
            "2 runs, 2 assertions, 1 failures, 1 errors, 0 skips",
        ]
    ) == [
        # assert_equal's Expected/Actual pair is the message (as in test_failures.py)
        ("price-list#test_0001_rounds half up", "Expected: 3 Actual: 2", "test/price_test.rb:9"),
        (
            "LoaderTest#test_fallbacks:_nils_are_ignored,_with_custom_rule",
            "KeyError: key not found: :many",
            "test/loader_test.rb:21",
        ),
    ]


def test_minitest_bare_error_header_survives_rakes_interleaved_stderr() -> None:
    """A reporter's bare ``Error:`` header, with rake's abort report on stderr landing
    between the header, the test's name and its exception."""
    got = diagnose(
        _job(
            "bundle exec rake",
            [
                "# Running tests with run options --seed 7:",
                "......E....",
                "rake aborted!",
                "Finished tests in 1.2s, 9.1 tests/s, 18.3 assertions/s.",
                "Command failed with status (1)",
                "/Users/runner/work/p/p/vendor/bundle/ruby/3.2.0/gems/rake-13.0.6/exe/rake:27:in `<top (required)>'",
                "Error:",
                "/Users/runner/.rubies/ruby-head/bin/bundle:25:in `<main>'",
                "CacheTest#test_reload_after_error:",
                "Tasks: TOP => default => test",
                "NameError: uninitialized constant Y",
                "(See full trace by running task with --trace)",
                "    /Users/runner/work/p/p/lib/cache.rb:11:in `const_get'",
                "    /Users/runner/work/p/p/test/cache_test.rb:40:in `block in <class:CacheTest>'",
                "",
                "11 tests, 20 assertions, 0 failures, 1 errors, 0 skips",
            ],
        )
    )
    assert got.category == "test_failure"
    assert [(f.test, f.message, f.location) for f in got.failures] == [
        (
            "CacheTest#test_reload_after_error",
            "NameError: uninitialized constant Y",
            "test/cache_test.rb:40",
        )
    ]


def test_a_bare_error_line_alone_names_no_test() -> None:
    assert _brief(["Error:", "could not connect to the database", "exit status 1"]) == []


def test_go_testify_old_layout_gives_the_assertion_and_the_trace_line() -> None:
    """Old testify prints Error Trace / Error under ``--- FAIL`` with no ``x_test.go:N:``
    line; several assertions in one test: the first is the message."""
    assert _brief(
        [
            "--- FAIL: TestParse (0.00s)",
            "        Error Trace:    parse_test.go:18",
            "\tError:  \tNot equal: 3 (expected)",
            "\t\t\t        != 4 (actual)",
            "        Error Trace:    parse_test.go:21",
            "\tError:  \tNot equal: 5 (expected)",
            "--- FAIL: TestFormat (0.00s)",
            "        Error Trace:    format_test.go:7",
            "\tError:      \tShould be true",
            "FAIL",
            "FAIL\tgithub.com/o/r/calc\t0.011s",
        ]
    ) == [
        ("TestParse", "Not equal: 3 (expected)", "calc/parse_test.go:18"),
        ("TestFormat", "Should be true", "calc/format_test.go:7"),
    ]


def test_go_testify_current_layout_prefers_the_assertion_to_the_bare_file_line() -> None:
    [(test, message, location)] = _brief(
        [
            "--- FAIL: TestSum (0.00s)",
            "    sum_test.go:12: ",
            "        \tError Trace:\tsum_test.go:12",
            "        \tError:      \tNot equal: ",
            '        \t            \texpected: "a"',
            "        \tTest:       \tTestSum",
        ]
    )
    # the file line is printed (current layout), so the message joins it to the Error line
    assert (test, message, location) == (
        "TestSum",
        "sum_test.go:12: Error: Not equal:",
        "sum_test.go:12",
    )


def test_go_runtime_fatal_error_belongs_to_the_test_that_was_running() -> None:
    got = diagnose(
        _job(
            "go test -v ./kv/server",
            [
                "=== RUN   TestRawPut",
                "--- PASS: TestRawPut (0.01s)",
                "=== RUN   TestRawGet",
                "fatal error: unexpected signal during runtime execution",
                "[signal SIGSEGV: segmentation violation code=0x1 addr=0xb01dfacedebac1e pc=0x7fff700c570a]",
                "FAIL\tgithub.com/o/r/kv/server\t0.120s",
            ],
        )
    )
    assert got.category == "segfault"
    assert [(f.test, f.message) for f in got.failures] == [
        ("TestRawGet", "fatal error: unexpected signal during runtime execution")
    ]


def test_go_fatal_error_with_no_test_running_names_none() -> None:
    assert (
        _brief(
            [
                "fatal error: unexpected signal during runtime execution",
                "[signal 0xb code=0x1 addr=0x0 pc=0x454141]",
            ]
        )
        == []
    )


def test_rspec_sub_errors_and_a_shortened_rerun_description() -> None:
    """RSpec's ``Got 0 failures and 2 other errors:`` numbers its errors ``1.1)``; the
    re-run line may print a shorter description than the ``Failures:`` header."""
    [(test, message, location)] = _brief(
        [
            "Failures:",
            "",
            "  1) Client.repos when a template is passed creates it and succeeds",
            "     Got 0 failures and 2 other errors:",
            "",
            "     1.1) Failure/Error: raise error",
            "",
            "          Client::Forbidden:",
            "            POST https://api.example.com/user/repos: 403 - Resource not accessible",
            "          # ./lib/client/raise_error.rb:14:in `on_complete'",
            "          # ./spec/client/repos_spec.rb:67:in `block (3 levels) in <top (required)>'",
            "",
            "     1.2) Failure/Error: @client.delete(@repo.name)",
            "",
            "          NoMethodError:",
            "            undefined method `name' for nil:NilClass",
            "          # ./spec/client/repos_spec.rb:71:in `block (3 levels) in <top (required)>'",
            "",
            "Finished in 26.53 seconds (files took 1.26 seconds to load)",
            "854 examples, 1 failure",
            "",
            "Failed examples:",
            "",
            "rspec ./spec/client/repos_spec.rb:75 # Client.repos when a template is passed creates it",
        ]
    )
    assert test == "Client.repos when a template is passed creates it and succeeds"
    assert "Client::Forbidden: POST https://api.example.com/user/repos: 403" in (message or "")
    assert location == "spec/client/repos_spec.rb:67"


def test_rspec_rerun_description_prefix_of_two_headers_stays_as_printed() -> None:
    tests = [
        t
        for t, _, _ in _brief(
            [
                "  1) Cart totals prices",
                "     Failure/Error: expect(total).to eq(3)",
                "       expected: 3",
                "     # ./spec/cart_spec.rb:5:in `block (2 levels) in <top (required)>'",
                "  2) Cart totals taxes",
                "     Failure/Error: expect(tax).to eq(1)",
                "       expected: 1",
                "     # ./spec/cart_spec.rb:9:in `block (2 levels) in <top (required)>'",
                "rspec ./spec/cart_spec.rb:4 # Cart totals",
            ]
        )
    ]
    assert tests == ["Cart totals"]


def test_cargo_resolver_error_as_the_cause_of_a_failed_compile_is_dependency_install() -> None:
    got = diagnose(
        _job(
            "cargo install ripgrep",
            [
                "    Updating crates.io index",
                "error: failed to compile `ripgrep v14.1.0`, intermediate artifacts can be found at `/home/runner/work/_temp/cargo-installXyZ`",
                "",
                "Caused by:",
                '  failed to select a version for the requirement `regex = "^1.10.2"`',
                "  candidate versions found which didn't match: 1.8.4, 1.8.3, 1.8.2, ...",
            ],
            code=101,
        )
    )
    assert got.category == "dependency_install"
    assert any("failed to select a version" in k.text for k in got.key_lines)


def test_gradle_nested_heap_space_cause_is_out_of_memory() -> None:
    got = diagnose(
        _job(
            "./gradlew test",
            [
                "FAILURE: Build failed with an exception.",
                "",
                "* What went wrong:",
                "Execution failed for task ':core:test'.",
                "> Test process encountered an unexpected problem.",
                "   > Could not complete execution for Gradle Test Executor 3.",
                "      > Java heap space",
                "",
                "BUILD FAILED in 2m 3s",
            ],
        )
    )
    assert got.category == "oom_killed"
    assert any(k.text.strip() == "> Java heap space" for k in got.key_lines)


def test_an_unknown_runners_summary_and_assertion_line_say_test_failure() -> None:
    """A test runner no rule knows: a tab-indented 'N failing' summary names the category,
    and the generic scorer ranks an 'Assertion failed' line as the error."""
    got = diagnose(
        _job(
            "bal test",
            [
                "Running tests",
                "\t[fail] testTotal:",
                "\t    Assertion Failed!: expected '7' but found '6' ",
                "\t    \tat ledger.tests:testTotal(tests/ledger_test.bal:14)",
                "\t[pass] testEmpty",
                "\t1 passing",
                "\t1 failing",
            ],
        )
    )
    assert got.category == "test_failure"
    assert any("Assertion Failed!: expected '7' but found '6'" in k.text for k in got.key_lines)


def test_node_error_with_a_code_ranks_as_an_exception_line() -> None:
    got = diagnose(
        _job(
            "node scripts/test.js",
            [
                "  2) Settings",
                "       saves the file:",
                "      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
                "",
                "true !== false",
                "",
                "2 tests failed.",
            ],
        )
    )
    assert got.category == "test_failure"
    assert any(k.text.strip().startswith("AssertionError [ERR_ASSERTION]") for k in got.key_lines)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("<h5>  ● suite › adds", "  ● suite › adds"),
        ("<pre><code>FAIL src/a.test.js", "FAIL src/a.test.js"),
        ("2024-01-01T00:00:00.0000000Z <details>Error: boom", "Error: boom"),
    ],
)
def test_clean_line_drops_an_html_reports_opening_tags(raw: str, want: str) -> None:
    """A CI reporter that posts a tool's output as HTML (one ``<h5>`` per test file)."""
    assert clean_line(raw) == want


@pytest.mark.parametrize(
    "line", ["<div>not a report tag", "    <p>indented markup</p>", "-<h5>diff line", "x <pre> y"]
)
def test_clean_line_keeps_other_markup(line: str) -> None:
    assert clean_line(line) == line


def test_html_wrapped_jest_report_names_each_test() -> None:
    text = "\n".join(
        [
            "<h5>  ● cart › totals",
            "",
            "    expect(received).toBe(expected) // Object.is equality",
            "",
            "      at Object.<anonymous> (tests/cart.test.js:4:23)",
            "</h5>",
            "<h5>  ● tax › rounds",
            "",
            "    expect(received).toEqual(expected) // deep equality",
            "",
            "      at Object.<anonymous> (tests/tax.test.js:9:5)",
            "</h5>",
        ]
    )
    got = diagnose(io.BytesIO(text.encode()))
    assert [(f.test, f.location) for f in got.failures] == [
        ("cart › totals", "tests/cart.test.js:4"),
        ("tax › rounds", "tests/tax.test.js:9"),
    ]


def test_prefilter_lets_an_html_wrapped_line_reach_anchored_patterns() -> None:
    reader = LogReader(watch=[("^FAIL ", False)])
    text = "<pre>FAIL src/x.test.ts\nnoise\n"
    assert [line.text for line in reader.lines(io.BytesIO(text.encode()))] == ["FAIL src/x.test.ts"]


def test_cargo_old_panic_with_a_multi_line_message_is_located_at_its_end() -> None:
    """Before Rust 1.73 assert_eq!'s panic quoted a multi-line message and put the
    location after the closing quote, two lines down."""
    got = diagnose(
        _job(
            "cargo test",
            [
                "---- parse::tests::units stdout ----",
                "thread 'parse::tests::units' panicked at 'assertion failed: `(left == right)`",
                '  left: `"9000 g"`,',
                ' right: `"5004 g"`\', src/parse.rs:57:9',
                "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
                "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
            ],
            code=101,
        )
    )
    [failure] = got.failures
    assert (failure.test, failure.message, failure.location) == (
        "parse::tests::units",
        "assertion failed: `(left == right)`",
        "src/parse.rs:57",
    )
    assert any("panicked at 'assertion failed" in k.text for k in got.key_lines)


def test_surefire_summary_line_is_the_key_line_with_or_without_a_message() -> None:
    got = diagnose(
        _job(
            "mvn -B test",
            [
                "[INFO] Results:",
                "[INFO]",
                "[ERROR] Failures:",
                "[ERROR]   ParserTest.readsImages:433",
                "[ERROR]   ParserTest.rejectsEmpty:68 IllegalStateException should be thrown.",
                "[INFO]",
                "[ERROR] Tests run: 128, Failures: 2, Errors: 0, Skipped: 0",
                "[INFO] BUILD FAILURE",
            ],
        )
    )
    texts = [k.text for k in got.key_lines]
    assert "[ERROR]   ParserTest.readsImages:433" in texts
    assert "[ERROR]   ParserTest.rejectsEmpty:68 IllegalStateException should be thrown." in texts
    assert [f.message for f in got.failures] == [None, "IllegalStateException should be thrown."]


def test_npm_errors_indented_by_an_actions_install_script_are_dependency_install() -> None:
    got = diagnose(
        _job(
            "reviewdog/action-eslint@v1",
            [
                " Running `npm install` to install eslint ...",
                "  npm ERR! code ERESOLVE",
                "  npm ERR! ERESOLVE unable to resolve dependency tree",
                "  npm ERR! Could not resolve dependency:",
                '  npm ERR! peer jest@"26.x" from vue-jest@4.0.1',
                "eslint version:",
            ],
        )
    )
    assert got.category == "dependency_install"


def test_ctest_summary_line_as_printed_is_the_key_line() -> None:
    got = diagnose(
        _job(
            "ctest --test-dir build",
            [
                "96% tests passed, 1 tests failed out of 26",
                "",
                "The following tests FAILED:",
                "\t 16 - qa_tracking (Failed)",
                "Errors while running CTest",
            ],
            code=8,
        )
    )
    assert got.failing_tests == ["qa_tracking"]
    assert "16 - qa_tracking (Failed)" in [k.text for k in got.key_lines]


def test_ctest_summary_retyped_in_lower_case_is_still_a_test_failure() -> None:
    text = "93% test passed, 2 test failed out of 27\n\nError while running Ctest\n"
    assert diagnose(io.BytesIO(text.encode())).category == "test_failure"


def test_an_openssl_reason_code_is_a_network_failure() -> None:
    text = "\n".join(
        [
            "Collecting requests",
            "  Could not fetch URL https://pypi.org/simple/requests/: ",
            "    There was a problem confirming the ssl certificate: ",
            "      [SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (_ssl.c:661) - skipping",
            "No matching distribution found for requests",
        ]
    )
    got = diagnose(io.BytesIO(text.encode()))
    assert got.category == "infra_network"
    assert any("[SSL: TLSV1_ALERT_PROTOCOL_VERSION]" in k.text for k in got.key_lines)


def test_mocha_entry_without_the_failing_count_is_taken_in_its_whole_shape() -> None:
    """An excerpt of mocha's report without 'N failing' (its margin lost in the paste):
    suite, deeper title lines ending in ':', then the error line."""
    assert _brief(
        [
            "1) Search",
            "     search results",
            "       should display the title:",
            "   AssertionError: Timed out retrying: Expected to find content: 'Results'",
            "    at Context.eval (http://localhost:9000/__cypress/tests?p=src/spec/search.spec.js:47:29)",
        ]
    ) == [
        (
            "Search search results should display the title",
            "AssertionError: Timed out retrying: Expected to find content: 'Results'",
            "src/spec/search.spec.js:47",
        )
    ]


def test_other_numbered_lists_are_not_taken_for_mocha_entries() -> None:
    assert _brief(["  1) Failure:", "     something:", "     SomeError: x"]) == []
    rspec = _brief(
        ["  1) Cart totals", "     Failure/Error: expect(total).to eq(3):", "     NoMethodError:"]
    )
    assert not any("Failure/Error" in test for test, _, _ in rspec)
    assert _brief(["  1) Build steps", "     compile the sources:", "     then link them"]) == []
    assert [
        t
        for t, _, _ in _brief(
            ["1) Tests\\CalcTest::testAdd", "Failed asserting that 4 is identical to 5."]
        )
    ] == ["Tests\\CalcTest::testAdd"]


def test_a_browser_runners_own_bundle_is_not_a_location() -> None:
    assert _brief(
        [
            "  1 failing",
            "",
            "  1) code view can be closed:",
            "     CypressError: Timed out retrying: Expected to find element: '#tabs'",
            "      at Object.cypressErr (http://localhost:9000/__cypress/runner/cypress_runner.js:65283:11)",
        ]
    ) == [
        (
            "code view can be closed",
            "CypressError: Timed out retrying: Expected to find element: '#tabs'",
            None,
        )
    ]


def test_unittest_location_outside_the_workspace_is_the_modules_path() -> None:
    lines = [
        "FAIL: test_adds (pkg.tests.test_calc.CalcTest)",
        "----------------------------------------------------------------------",
        "Traceback (most recent call last):",
        '  File "/srv/build/checkout/pkg/tests/test_calc.py", line 50, in test_adds',
        "    self.assertEqual(add(2, 2), 5)",
        "AssertionError: 4 != 5",
    ]
    assert _brief(lines) == [
        (
            "pkg.tests.test_calc.CalcTest.test_adds",
            "AssertionError: 4 != 5",
            "pkg/tests/test_calc.py:50",
        )
    ]
    # a flat module name says nothing about the directories: the path stays as printed
    flat = [line.replace("pkg.tests.test_calc", "test_calc") for line in lines]
    assert _brief(flat)[0][2] == "/srv/build/checkout/pkg/tests/test_calc.py:50"


def test_cmake_config_file_that_rejects_the_install_is_a_dependency_problem() -> None:
    got = diagnose(
        _job(
            "cmake -S . -B build",
            [
                "CMake Error at CMakeLists.txt:9 (find_package):",
                "  Found package configuration file:",
                "",
                "    /usr/lib/cmake/Foo/FooConfig.cmake",
                "",
                '  but it set Foo_FOUND to FALSE so package "Foo" is considered to be NOT',
                "  FOUND.  Reason given by package:",
                "-- Configuring incomplete, errors occurred!",
            ],
        )
    )
    assert got.category == "dependency_install"


def test_yarn1_unknown_version_is_dependency_install() -> None:
    got = diagnose(
        _job(
            "yarn install --frozen-lockfile",
            [
                "[1/4] Resolving packages...",
                'error Couldn\'t find any versions for "left-pad" that matches "^9.9.9"',
                "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.",
            ],
        )
    )
    assert got.category == "dependency_install"


def test_poetry_resolver_explanation_is_a_key_line() -> None:
    got = diagnose(
        _job(
            "poetry install",
            [
                "Updating dependencies",
                "Resolving dependencies...",
                "",
                "  SolverProblemError",
                "",
                "  Because app depends on both requests (2.0.0) and httpx (0.27.0), version solving failed.",
                "  Because httpx (0.27.0) depends on sniffio (>=1.3)",
            ],
        )
    )
    assert got.category == "dependency_install"
    assert any("Because httpx (0.27.0) depends on sniffio" in k.text for k in got.key_lines)


def test_faulthandler_dump_glued_to_pytests_progress_is_a_crash() -> None:
    for line in (
        "tests/test_ui.py ....FFatal Python error: Aborted",
        "tests/test_ui.py::test_window Fatal Python error: Aborted",
    ):
        got = diagnose(
            _job(
                "python -m pytest",
                [
                    "collected 12 items",
                    "",
                    line,
                    "",
                    "Current thread 0x00007fa8ab035740 (most recent call first):",
                    '  File "/home/runner/work/p/p/app/window.py", line 28 in __init__',
                ],
                code=134,
            )
        )
        assert got.category == "segfault", line
        assert any("Fatal Python error: Aborted" in k.text for k in got.key_lines)


def test_ctest_failed_list_after_the_summary_without_its_header() -> None:
    """An excerpt (or an old ctest) lists the failed tests right under the summary line,
    lowercase ``(failed)``, without ``The following tests FAILED:``."""
    got = _brief(
        [
            "93% tests passed, 2 tests failed out of 27",
            "",
            "  5 - qa_cfar (failed)",
            " 17 - qa_tracking (failed)",
            "",
            "Error while running Ctest",
        ]
    )
    assert [test for test, _, _ in got] == ["qa_cfar", "qa_tracking"]


def test_ctest_summary_then_the_usual_header_names_each_test_once() -> None:
    got = _brief(
        [
            "95% tests passed, 1 tests failed out of 20",
            "",
            "Total Test time (real) =   1.20 sec",
            "",
            "The following tests FAILED:",
            "\t  7 - parser_roundtrip (Failed)",
            "Errors while running CTest",
        ]
    )
    assert [test for test, _, _ in got] == ["parser_roundtrip"]


def test_rails_rerun_commands_do_not_add_tests_the_report_already_named() -> None:
    """Rails prints ``rails test path:line`` under each failure it already reported by
    name: the named test counts once, the re-run command is not a second test."""
    got = _brief(
        [
            "Failure:",
            "UserTest#test_rejects_blank_email [test/models/user_test.rb:14]:",
            "Expected true to be nil or false",
            "",
            "rails test test/models/user_test.rb:12",
            "",
            "2 runs, 2 assertions, 1 failures, 0 errors, 0 skips",
        ]
    )
    assert [test for test, _, _ in got] == ["UserTest#test_rejects_blank_email"]


def test_rails_rerun_commands_name_the_tests_when_nothing_else_does() -> None:
    got = _brief(
        ["Failed tests:", "", "rails test test/a_test.rb:3", "rails test test/b_test.rb:9"]
    )
    assert [test for test, _, _ in got] == ["test/a_test.rb:3", "test/b_test.rb:9"]


_JEST_UNLOADABLE = [
    " FAIL  test/a.test.js",
    "  ● Test suite failed to run",
    "",
    "    TypeError: Cannot assign to read only property 'x' of object '#<process>'",
    "",
    "      at _default (node_modules/jest-util/build/createProcessObject.js:85:34)",
    "",
]


def test_jest_suites_that_all_fail_to_load_are_a_build_failure_with_their_error() -> None:
    """Every suite failed to run (no test ran): not failing tests; the suite's own error
    (here a jest-util crash on a newer node, which no build rule knows) is the key line."""
    got = diagnose(
        _job(
            "yarn test",
            [
                *_JEST_UNLOADABLE,
                " FAIL  test/b.test.js",
                "  ● Test suite failed to run",
                "",
                "    TypeError: Cannot assign to read only property 'x' of object '#<process>'",
                "",
                "Test Suites: 2 failed, 2 total",
                "Tests:       0 total",
            ],
        )
    )
    assert got.category == "build"
    assert got.failing_tests == []
    assert any("TypeError: Cannot assign" in k.text for k in got.key_lines)


def test_jest_suite_that_fails_to_load_beside_a_failing_test_stays_a_test_failure() -> None:
    got = diagnose(
        _job(
            "yarn test",
            [
                *_JEST_UNLOADABLE,
                " FAIL  test/c.test.js",
                "  ● sums › adds two numbers",
                "",
                "    expect(received).toBe(expected) // Object.is equality",
                "",
                "    Expected: 3",
                "    Received: 4",
                "",
                "Test Suites: 2 failed, 2 total",
                "Tests:       1 failed, 1 total",
            ],
        )
    )
    assert got.category == "test_failure"
    assert "sums › adds two numbers" in got.failing_tests
