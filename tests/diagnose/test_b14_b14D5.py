# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 14, helper b14D5 (whole Travis CI job logs): the Scala compiler's
``partest`` under sbt (a failed test's ``!!`` status line, its log or diff, sbt's one
``partest`` suite for the whole run, and a neg test whose compiler error *is* the test's
result, not a build failure), and a minitest error whose message carries a subprocess's
unindented trace (``rails aborted!``), where only the frame running the test says where.

Each snippet is written in the shape the tool prints; the near misses keep what was right
before (the first test-file frame of an indented backtrace, sbt's suites without partest,
a test binary that does not compile).
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import actions_job, travis_one_command

# ---- partest --------------------------------------------------------------------------

_OK = "\x1b[1m\x1b[32mok\x1b[0m\x1b[0m"
_FAIL = "\x1b[1m\x1b[31m!!\x1b[0m\x1b[0m"

_SBT_PARTEST_SUITE = [
    "\x1b[0m[\x1b[31merror\x1b[0m] \x1b[0mFailed: Total 2579, Failed 1, Errors 0, Passed 2578\x1b[0m",
    "\x1b[0m[\x1b[31merror\x1b[0m] \x1b[0mFailed tests:\x1b[0m",
    "\x1b[0m[\x1b[31merror\x1b[0m] \x1b[0m\tpartest\x1b[0m",
]

_PARTEST_NEG_CRASH = [
    "Selected 1015 tests drawn from 1 named test categories",
    "",
    "\x1b[35m# starting 1015 tests in neg\x1b[0m",
    f"{_OK}  753 - neg/t7369.scala                         ",
    f"{_FAIL}  754 - neg/t742.scala                            [compilation failed]",
    "\x1b[1m\x1b[36m##### Log file '/home/runner/build/scala/scala/test/files/neg/t742-neg.log' from failed test #####",
    "\x1b[0m\x1b[0m",
    "error: head of empty list",
    "",
    f"{_OK}  755 - neg/t7473.scala                         ",
    "\x1b[35m# 1014/1015 passed, \x1b[1m\x1b[31m1\x1b[0m\x1b[0m failed in neg\x1b[0m",
    "",
    "# Failed test paths (this command will update checkfiles)",
    "partest --update-check \\",
    "  /home/runner/build/scala/scala/test/files/neg/t742.scala",
    "",
    *_SBT_PARTEST_SUITE,
    "\x1b[0m[\x1b[31merror\x1b[0m] \x1b[0m1 of 13 test tasks failed:\x1b[0m",
    "\x1b[0m[\x1b[31merror\x1b[0m] \x1b[0m- partest pos neg jvm\x1b[0m",
    "\x1b[0m[\x1b[31merror\x1b[0m] \x1b[0m(root/*:\x1b[31mtestAll\x1b[0m) java.lang.RuntimeException\x1b[0m",
]


def test_partest_neg_test_whose_compiler_crashed() -> None:
    """scala/scala's testAll: one neg test fails `[compilation failed]` and its log says
    `error: head of empty list`. The test is partest's ident, not sbt's `partest` suite,
    and the compiler error is the test's result: test_failure, not build."""
    diagnosis = diagnose(
        travis_one_command(
            "sbt -Dstarr.version=$STARR -warn setupValidateTest test:compile info testAll",
            _PARTEST_NEG_CRASH,
        )
    )
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "partest-failed"
    assert diagnosis.failing_tests == ["neg/t742.scala"]
    assert diagnosis.failures[0].message == "error: head of empty list"
    assert diagnosis.failures[0].location is None
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert texts[0] == "error: head of empty list"
    assert any(t.endswith("[compilation failed]") for t in texts)


def test_partest_run_test_whose_output_differs() -> None:
    """`--show-diff`: the check file's diff follows the status line; the first line the
    diff adds or removes is the message (the `---`/`+++` file lines are not)."""
    failures = extract_failures(
        [
            "# starting 1903 tests in run",
            "!!    12 - run/t8610.scala                        [output differs]",
            "% diff /home/runner/build/scala/scala/test/files/run/t8610-run.log /home/runner/build/scala/scala/test/files/run/t8610.check",
            "--- a/t8610-run.log",
            "+++ b/t8610.check",
            "@@ -1,2 +1,2 @@",
            "-Hello, Some(42)",
            "+Hello, None",
            "ok    13 - run/t8611a.scala                       ",
            "# 1902/1903 passed, 1 failed in run",
        ]
    )
    assert [f.test for f in failures] == ["run/t8610.scala"]
    assert failures[0].message == "-Hello, Some(42)"
    assert failures[0].line == 7


def test_partest_failure_without_output_keeps_its_reason() -> None:
    """A failure partest printed nothing more for (a long ident runs into its reason,
    a duration follows it): the bracketed reason is the message."""
    failures = extract_failures(
        [
            "!!  3 - jvm/a-very-long-test-name-that-fills-the-column.scala[test timed out][duration 300.01s]",
            "ok  4 - jvm/bigints.scala                       ",
            "!!  5 - pos/t1                                  [compilation failed]",
            "# 3/5 passed, 2 failed in jvm",
        ]
    )
    assert [(f.test, f.message) for f in failures] == [
        ("jvm/a-very-long-test-name-that-fills-the-column.scala", "test timed out"),
        ("pos/t1", "compilation failed"),
    ]


def test_passing_partest_and_a_failing_scalatest_suite() -> None:
    """Near miss: partest only passed (`ok` lines); sbt's failed suite is a ScalaTest one
    and stays the failing test, with sbt's rule."""
    lines = [
        f"{_OK}    1 - neg/abstract-class-2.scala              ",
        f"{_OK}    2 - neg/abstract-class-error                ",
        "[info] - adds *** FAILED ***",
        "[info]   3 did not equal 4 (CalcSpec.scala:12)",
        "[error] Failed: Total 3, Failed 1, Errors 0, Passed 2",
        "[error] Failed tests:",
        "[error] \tdemo.CalcSpec",
        "[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful",
    ]
    diagnosis = diagnose(travis_one_command("sbt test", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "sbt-tests-failed"
    assert diagnosis.failing_tests == ["demo.CalcSpec"]


def test_sbt_partest_suite_without_partest_output_is_kept() -> None:
    """Near miss: sbt names `partest` but no `!!` status line was printed (quiet mode,
    a trimmed log): sbt's suite is all the log says, so it stays."""
    diagnosis = diagnose(travis_one_command("sbt partest", _SBT_PARTEST_SUITE))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["partest"]


def test_not_a_partest_status_line() -> None:
    """Near misses: `!!` that is not partest's `!! N - ident` (a shell's history, a
    banner) names no test."""
    assert extract_failures(["!! warning: something odd", "!!  - neg/t1.scala", "!!1 - x"]) == []


def test_test_binary_that_does_not_compile_is_still_build() -> None:
    """Near miss for the compile-test exemption: a cargo test target that does not
    compile is a build failure as before (its errors are not a test's result)."""
    lines = [
        "   Compiling demo v0.1.0 (/home/runner/work/demo/demo)",
        "error[E0425]: cannot find value `y` in this scope",
        " --> tests/cli.rs:4:13",
        'error: could not compile `demo` (test "cli") due to 1 previous error',
    ]
    diagnosis = diagnose(actions_job("cargo test", lines, 101))
    assert diagnosis.category == "build"
    assert diagnosis.failing_tests == []


# ---- minitest: a subprocess's trace inside the error message ---------------------------

# as the reader hands it to the extractors (colour codes removed)
_RAILS_SUBPROCESS_ERROR = [
    "Error:",
    "ApplicationTests::RakeTests::RakeDbsTest#test_db:create_works_when_schema_cache_exists_and_database_does_not_exist:",
    "RuntimeError: rails command failed (1): bin/rails db:create db:migrate db:schema:cache:dump 2>&1",
    "Database 'railties_test' already exists",
    "rails aborted!",
    "NameError: undefined local variable or method `type_metadata' for #<ActiveRecord::ConnectionAdapters::PostgreSQLTypeMetadata:0x00007f35759f68c8>",
    "Did you mean?  @type_metadata",
    "/home/runner/build/rails/rails/activerecord/lib/active_record/connection_adapters/postgresql/type_metadata.rb:22:in `deduplicated'",
    "/home/runner/build/rails/rails/activerecord/lib/active_record/migration.rb:1019:in `migrate'",
    "/home/runner/build/rails/rails/railties/lib/rails/commands/rake/rake_command.rb:23:in `block in perform'",
    "/home/runner/build/rails/rails/railties/test/isolation/abstract_unit.rb:351:in `block in rails'",
    "/home/runner/build/rails/rails/railties/test/isolation/abstract_unit.rb:325:in `fork'",
    "test/application/rake/dbs_test.rb:164:in `block in <class:RakeDbsTest>'",
    "/home/runner/.rvm/gems/ruby-2.5.3/gems/minitest-5.11.3/lib/minitest/test.rb:98:in `block (3 levels) in run'",
    "Tasks: TOP => db:migrate",
    "(See full trace by running task with --trace)",
    "",
    "    testapplication/rake/dbs_test.rb:164:in `block in <class:RakeDbsTest>'",
    "",
    "",
    "rails test test/application/rake/dbs_test.rb:160",
    "",
    "34 runs, 140 assertions, 0 failures, 1 errors, 0 skips",
]


def test_minitest_error_carrying_a_subprocess_trace() -> None:
    """Rails' railties test runs `bin/rails db:migrate` in a fork; its `rails aborted!`
    trace is part of the RuntimeError's message, unindented. The location is the frame
    running the test (`block in <class:RakeDbsTest>`), not the first frame under test/
    (the isolation helper), nor the backtrace's mangled `testapplication/` line."""
    failures = extract_failures(_RAILS_SUBPROCESS_ERROR)
    assert [f.test for f in failures] == [
        "ApplicationTests::RakeTests::RakeDbsTest#test_db:create_works_when_schema_cache_exists_and_database_does_not_exist"
    ]
    assert failures[0].message is not None
    assert failures[0].message.startswith("RuntimeError: rails command failed (1)")
    assert failures[0].location == "test/application/rake/dbs_test.rb:164"


def test_minitest_carried_frame_in_the_test_method() -> None:
    """A `def test_…` method: the carried frame names the method (`block in test_x`)."""
    failures = extract_failures(
        [
            "Error:",
            "GeneratorsTest#test_app_generates:",
            "RuntimeError: command failed: bin/rails g scaffold post",
            "/home/runner/build/acme/app/lib/generators/post.rb:9:in `create'",
            "test/generators_test.rb:31:in `block in test_app_generates'",
            "",
            "1 runs, 0 assertions, 0 failures, 1 errors, 0 skips",
        ]
    )
    assert failures[0].location == "test/generators_test.rb:31"


def test_minitest_carried_frames_that_do_not_run_the_test() -> None:
    """Near miss: unindented frames none of which runs the test (a helper under test/,
    library code) give no location."""
    failures = extract_failures(
        [
            "Error:",
            "GeneratorsTest#test_app_generates:",
            "RuntimeError: command failed: bin/rails g scaffold post",
            "/home/runner/build/acme/app/lib/generators/post.rb:9:in `create'",
            "test/isolation/abstract_unit.rb:351:in `block in rails'",
            "",
            "1 runs, 0 assertions, 0 failures, 1 errors, 0 skips",
        ]
    )
    assert failures[0].location is None


def test_minitest_indented_backtrace_keeps_the_first_test_file_frame() -> None:
    """Near miss: an ordinary (indented) backtrace keeps its convention, the first frame
    in the test file (a helper the test called), even though a later frame names the
    test method."""
    failures = extract_failures(
        [
            "Error:",
            "ClientTest#test_unsubscribe_client:",
            "RuntimeError: 1 messages unprocessed",
            "    /home/runner/build/rails/rails/actioncable/test/client_test.rb:170:in `close'",
            "    /home/runner/build/rails/rails/actioncable/test/client_test.rb:276:in `block in test_unsubscribe_client'",
            "    /home/runner/build/rails/rails/actioncable/test/client_test.rb:261:in `test_unsubscribe_client'",
            "",
            "bin/rails test actioncable/test/client_test.rb:260",
        ]
    )
    assert failures[0].location == "actioncable/test/client_test.rb:170"
