"""Framework output shapes added in issue 11 round 5 (p11t5): each mechanism on a small
input of its own — project labels in jest/vitest, gotestsum's relative packages, Result
tests in cargo, minitest's expected/actual pair, pytest's strict XPASS, node:test spec
parents, and the ava reporter."""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import Failure, extract_failures


def _one(text: str) -> Failure:
    failures = extract_failures(text)
    assert len(failures) == 1, failures
    return failures[0]


def test_vitest_workspace_project_label_is_not_part_of_the_test() -> None:
    text = (
        " FAIL |server|  src/routes.test.ts > routes > lists users\n"
        "AssertionError: expected 404 to be 200 // Object.is equality\n"
        " ❯ src/routes.test.ts:14:22\n"
    )
    got = _one(text)
    assert got.test == "src/routes.test.ts > routes > lists users"
    assert got.message == "AssertionError: expected 404 to be 200 // Object.is equality"
    assert got.location == "src/routes.test.ts:14"


def test_jest_project_frames_resolve_to_the_suite_file() -> None:
    text = (
        "FAIL billing apps/billing/src/invoice.test.js\n"
        "  ● invoice › totals\n"
        "\n"
        "    expect(received).toBe(expected) // Object.is equality\n"
        "\n"
        "      at Object.toBe (src/invoice.test.js:21:18)\n"
    )
    got = _one(text)
    assert got.test == "invoice › totals"
    assert got.location == "apps/billing/src/invoice.test.js:21"


def test_jest_frame_in_another_file_is_kept() -> None:
    text = (
        "FAIL billing apps/billing/src/invoice.test.js\n"
        "  ● invoice › totals\n"
        "\n"
        "    TypeError: x is not a function\n"
        "\n"
        "      at sum (lib/math.js:3:10)\n"
    )
    assert _one(text).location == "lib/math.js:3"


def test_gotestsum_package_column_gives_the_directory() -> None:
    text = (
        "=== Failed\n"
        "=== FAIL: internal/store TestOpen (0.00s)\n"
        "    store_test.go:31: open: permission denied\n"
        "=== FAIL: . TestMain (0.00s)\n"
        "    main_test.go:9: exit code 2, want 0\n"
    )
    got = {f.test: f.location for f in extract_failures(text)}
    assert got == {"TestOpen": "internal/store/store_test.go:31", "TestMain": "main_test.go:9"}


def test_gotestsum_full_import_path_is_not_a_directory() -> None:
    text = "=== FAIL: example.org/app/db TestPing (0.00s)\n    db_test.go:4: ping failed\n"
    assert _one(text).location == "db_test.go:4"


def test_cargo_result_test_error_is_the_message() -> None:
    text = (
        "test parse::tests::reads_header ... FAILED\n"
        "\n"
        "failures:\n"
        "\n"
        "---- parse::tests::reads_header stdout ----\n"
        'Error: ParseError { line: 3, reason: "missing version" }\n'
        "\n"
        "failures:\n"
        "    parse::tests::reads_header\n"
    )
    got = _one(text)
    assert got.test == "parse::tests::reads_header"
    assert got.message == 'Error: ParseError { line: 3, reason: "missing version" }'


def test_cargo_error_line_after_a_panic_does_not_replace_it() -> None:
    text = (
        "test io::tests::writes ... FAILED\n"
        "---- io::tests::writes stdout ----\n"
        "thread 'io::tests::writes' panicked at src/io.rs:40:9:\n"
        "disk full\n"
        "\n"
        "Error: later output\n"
    )
    assert _one(text).message == "disk full"


def test_minitest_actual_line_joins_expected() -> None:
    text = (
        "  1) Failure:\nParserTest#test_depth [test/parser_test.rb:18]:\nExpected: 3\n  Actual: 4\n"
    )
    assert _one(text).message == "Expected: 3 Actual: 4"


def test_minitest_actual_without_expected_is_not_joined() -> None:
    text = "  1) Failure:\nParserTest#test_ok [test/parser_test.rb:5]:\nboom\n  Actual: 4\n"
    assert _one(text).message == "boom"


def test_pytest_strict_xpass_section_is_the_message() -> None:
    text = (
        "=================================== FAILURES ===================================\n"
        "_______________________________ test_known_bug ________________________________\n"
        "[XPASS(strict)] issue 12 is not fixed yet\n"
        "=========================== short test summary info ============================\n"
        "FAILED tests/test_bugs.py::test_known_bug\n"
    )
    got = _one(text)
    assert got.test == "tests/test_bugs.py::test_known_bug"
    assert got.message == "[XPASS(strict)] issue 12 is not fixed yet"


def test_node_spec_parent_of_failing_subtests_is_not_a_failure() -> None:
    text = (
        "▶ parser\n"
        "  ✔ reads numbers (0.5ms)\n"
        "  ✖ reads strings (0.4ms)\n"
        "    AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"
        "        at TestContext.<anonymous> (/home/runner/work/p/p/test/parser.test.js:9:12)\n"
        "✖ parser (1.2ms)\n"
        "ℹ tests 3\n"
    )
    failures = extract_failures(text)
    assert [f.test for f in failures] == ["reads strings"]
    assert failures[0].location == "test/parser.test.js:9"


def test_node_spec_parent_with_its_own_error_stays() -> None:
    text = (
        "▶ db\n"
        "✖ db (3ms)\n"
        "  Error: connect ECONNREFUSED 127.0.0.1:5432\n"
        "      at /home/runner/work/p/p/test/db.test.js:4:9\n"
    )
    assert [f.test for f in extract_failures(text)] == ["db"]


AVA = """\
  ✔ parses empty input
  ✘ [fail]: parses one row
  ✘ [fail]: rejects bad quotes Expected an error
  ─

  parses one row

  test/csv.test.js:12

   11: test('parses one row', (t) => {
   12:   t.deepEqual(parse('a,b'), [['a', 'b']]);
   13: });

  Difference (- actual, + expected):

  - []
  + [['a', 'b']]

  › file://test/csv.test.js:12:5

  rejects bad quotes

  test/csv.test.js:17

   16: test('rejects bad quotes', (t) => {
   17:   t.throws(() => parse('"a'));
   18: });

  Expected an error

  Function returned:

  [['"a']]

  › file://test/csv.test.js:17:5

  ─

  2 tests failed
"""


def test_ava_blocks_give_title_message_and_location() -> None:
    got = {f.test: (f.message, f.location) for f in extract_failures(AVA)}
    assert got == {
        "parses one row": ("Difference (- actual, + expected):", "test/csv.test.js:12"),
        "rejects bad quotes": ("Expected an error", "test/csv.test.js:17"),
    }


def test_ava_log_is_a_test_failure() -> None:
    log = "##[group]Run npx ava\nnpx ava\n##[endgroup]\n" + AVA
    log += "##[error]Process completed with exit code 1.\n"
    result = diagnose(log.encode())
    assert result.category == "test_failure"
    assert result.failing_tests == ["parses one row", "rejects bad quotes"]
    assert any("Difference (- actual, + expected):" in k.text for k in result.key_lines)


def test_cargo_old_multiline_panic_takes_its_closing_location() -> None:
    text = (
        "---- tree::tests::balance stdout ----\n"
        "thread 'tree::tests::balance' panicked at 'assertion failed: `(left == right)`\n"
        "  left: `3`,\n"
        " right: `2`', src/tree.rs:88:9\n"
    )
    got = _one(text)
    assert got.message == "assertion failed: `(left == right)`"
    assert got.location == "src/tree.rs:88"
    assert got.raw is not None and got.raw.startswith("thread 'tree::tests::balance' panicked at")


def _key_texts(log: str) -> list[str]:
    framed = "##[group]Run make test\nmake test\n##[endgroup]\n" + log
    framed += "##[error]Process completed with exit code 1.\n"
    return [k.text for k in diagnose(framed.encode()).key_lines]


def test_surefire_summary_entry_without_message_is_a_key_line() -> None:
    log = (
        "[ERROR] Failures: \n"
        "[ERROR]   LedgerTest.balancesAfterRefund:212\n"
        "[INFO] \n"
        "[ERROR] Tests run: 40, Failures: 1, Errors: 0, Skipped: 0\n"
    )
    assert any("LedgerTest.balancesAfterRefund:212" in k for k in _key_texts(log))


def test_surefire_summary_entry_with_message_shows_the_whole_line() -> None:
    log = (
        "[ERROR] Failures: \n"
        "[ERROR]   LedgerTest.rounds:9 expected: <10> but was: <9>\n"
        "[INFO] \n"
        "[ERROR] Tests run: 40, Failures: 1, Errors: 0, Skipped: 0\n"
    )
    assert _key_texts(log)[0].endswith("LedgerTest.rounds:9 expected: <10> but was: <9>")


def test_ctest_failed_list_line_is_the_key_line() -> None:
    log = (
        "90% tests passed, 1 tests failed out of 10\n"
        "\n"
        "The following tests FAILED:\n"
        "\t  7 - storage_roundtrip (Failed)\n"
        "Errors while running CTest\n"
    )
    assert "7 - storage_roundtrip (Failed)" in _key_texts(log)


TESTIFY = (
    "    cart_test.go:41: \n"
    "        \tError Trace:\t/home/runner/work/shop/shop/cart/cart_test.go:41\n"
    "        \tError:      \tShould be empty, but was [pen]\n"
    "        \tTest:       \tTestEmptyCart\n"
)


def test_testify_block_error_line_is_the_message() -> None:
    text = "--- FAIL: TestEmptyCart (0.00s)\n" + TESTIFY + "FAIL\n"
    got = _one(text)
    assert got.message == "cart_test.go:41: Error: Should be empty, but was [pen]"
    assert got.location == "cart_test.go:41"


def test_testify_block_before_the_verbose_result_line() -> None:
    text = "=== RUN   TestEmptyCart\n" + TESTIFY + "--- FAIL: TestEmptyCart (0.00s)\n"
    assert _one(text).message == "cart_test.go:41: Error: Should be empty, but was [pen]"


def test_error_line_without_a_testify_header_is_not_taken() -> None:
    text = "--- FAIL: TestX (0.00s)\n    x_test.go:3: boom\n        \tError:      \tlater\n"
    assert _one(text).message == "x_test.go:3: boom"


def test_unittest_unexpected_success_is_a_failing_test() -> None:
    text = (
        "UNEXPECTED SUCCESS: test_overflow (tests.test_int.IntTest.test_overflow)\n"
        "----------------------------------------------------------------------\n"
        "Ran 4 tests in 0.002s\n"
    )
    got = _one(text)
    assert got.test == "tests.test_int.IntTest.test_overflow"
    assert got.message == "unexpected success"


def test_node_spec_quoted_string_failure_is_the_message() -> None:
    text = "✖ waits for both (2ms)\n  'plan expected 3 assertions but received 2'\n"
    assert _one(text).message == "plan expected 3 assertions but received 2"


def test_pytest_missing_fixture_section_location() -> None:
    text = (
        "==================================== ERRORS ====================================\n"
        "_______________________ ERROR at setup of test_connects ________________________\n"
        "file /home/runner/work/app/app/tests/test_net.py, line 12\n"
        "  def test_connects(server):\n"
        "E       fixture 'server' not found\n"
        ">       available fixtures: capsys, tmp_path\n"
        "/home/runner/work/app/app/tests/test_net.py:12\n"
        "=========================== short test summary info ============================\n"
        "ERROR tests/test_net.py::test_connects\n"
    )
    got = _one(text)
    assert got.message == "fixture 'server' not found"
    assert got.location == "tests/test_net.py:12"


def test_gradle_full_exception_format_takes_the_test_class_frame() -> None:
    text = (
        "app.ParserTest > readsDate FAILED\n"
        "    java.lang.AssertionError: expected:<2> but was:<3>\n"
        "        at org.junit.Assert.fail(Assert.java:89)\n"
        "        at app.Parser.month(Parser.java:40)\n"
        "        at app.ParserTest.readsDate(ParserTest.java:17)\n"
    )
    got = _one(text)
    assert got.message == "java.lang.AssertionError: expected:<2> but was:<3>"
    assert got.location == "ParserTest.java:17"


def test_gradle_without_a_test_class_frame_keeps_the_project_frame() -> None:
    text = (
        "app.ParserTest > readsDate FAILED\n"
        "    java.lang.IllegalStateException: closed\n"
        "        at org.junit.Assert.fail(Assert.java:89)\n"
        "        at app.Parser.month(Parser.java:40)\n"
        "\n"
    )
    assert _one(text).location == "Parser.java:40"


def test_rspec_message_line_starting_with_hash_is_kept() -> None:
    text = (
        "  1) Cache stores a value\n"
        "     Failure/Error: store.write(:a, 1)\n"
        '       #<Double "redis"> received :set with unexpected arguments\n'
        "     # ./lib/cache.rb:7:in `write'\n"
        "     # ./spec/cache_spec.rb:12:in `block (2 levels) in <top (required)>'\n"
        "\n"
        "rspec ./spec/cache_spec.rb:10 # Cache stores a value\n"
    )
    got = _one(text)
    assert '#<Double "redis"> received :set with unexpected arguments' in (got.message or "")
    assert got.location == "spec/cache_spec.rb:12"


def test_pytest_chained_exception_location_is_the_tests_own_line() -> None:
    text = (
        "=================================== FAILURES ===================================\n"
        "_________________________________ test_reads __________________________________\n"
        "    def read(path):\n"
        ">       return open(path).read()\n"
        "E       FileNotFoundError: [Errno 2] No such file or directory: 'x'\n"
        "tests/test_io.py:4: FileNotFoundError\n"
        "\n"
        "The above exception was the direct cause of the following exception:\n"
        "\n"
        "    def test_reads():\n"
        ">       assert load('x')\n"
        "tests/test_io.py:20: \n"
        "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ \n"
        ">       raise LoadError('cannot load') from exc\n"
        "E       app.LoadError: cannot load\n"
        "src/app.py:9: LoadError\n"
        "=========================== short test summary info ============================\n"
        "FAILED tests/test_io.py::test_reads - app.LoadError: cannot load\n"
    )
    got = _one(text)
    assert got.message == "app.LoadError: cannot load"
    assert got.location == "tests/test_io.py:20"


NODE_TAP_SUBTEST = """\
TAP version 14
# Subtest: test/cart.js
    # Subtest: totals
        ok 1 - should be equal
        not ok 2 - includes shipping
          ---
          stack: |
            Test.<anonymous> (test/cart.js:12:5)
          ...
        1..2
    not ok 1 - totals # time=1.2ms
      ---
      at:
        fileName: test/cart.js
      ...
    1..1
not ok 1 - test/cart.js # time=40ms
"""


def test_node_tap_subtest_is_the_test_and_its_assertion_the_message() -> None:
    got = _one(NODE_TAP_SUBTEST)
    assert (got.test, got.message, got.location) == (
        "totals",
        "includes shipping",
        "test/cart.js:12",
    )


def test_node_test_tap_leaves_stay_the_tests() -> None:
    text = (
        "# Subtest: suite\n"
        "    not ok 1 - leaf\n"
        "      ---\n"
        "      duration_ms: 0.5\n"
        "      error: 'boom'\n"
        "      ...\n"
        "not ok 1 - suite\n"
        "  ---\n"
        "  duration_ms: 1.0\n"
        "  ...\n"
    )
    assert [f.test for f in extract_failures(text)] == ["leaf"]


def test_cargo_did_not_panic_note_gives_the_location() -> None:
    text = (
        "test rejects_empty - should panic ... FAILED\n"
        "---- rejects_empty stdout ----\n"
        "note: test did not panic as expected at tests/api.rs:31:4\n"
    )
    got = _one(text)
    assert got.message == "note: test did not panic as expected at tests/api.rs:31:4"
    assert got.location == "tests/api.rs:31"


def test_unittest_own_failure_beats_an_earlier_cleanup_error() -> None:
    text = (
        "ERROR: test_saves (tests.test_io.IoTest.test_saves)\n"
        "----------------------------------------------------------------------\n"
        "Traceback (most recent call last):\n"
        '  File "/home/runner/work/p/p/tests/test_io.py", line 8, in tearDown\n'
        "    shutil.rmtree(self.dir)\n"
        "FileNotFoundError: [Errno 2] No such file or directory: 'tmp'\n"
        "======================================================================\n"
        "FAIL: test_saves (tests.test_io.IoTest.test_saves)\n"
        "----------------------------------------------------------------------\n"
        "Traceback (most recent call last):\n"
        '  File "/home/runner/work/p/p/tests/test_io.py", line 14, in test_saves\n'
        "    self.assertTrue(saved)\n"
        "AssertionError: False is not true\n"
    )
    got = _one(text)
    assert got.message == "AssertionError: False is not true"
    assert got.location == "tests/test_io.py:14"
