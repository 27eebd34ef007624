"""Go's failure shapes from its own sources (s40d).

Sources: src/testing/testing.go (``=== RUN``/``=== CONT`` (Go 1.14-1.19)/``=== NAME`` (Go
1.20+) name the test whose ``-v`` output follows; ``--- FAIL``/``--- PASS``; testing's own
``testing.go:1446: race detected during execution of test``), src/testing/example.go (a
failed example: ``--- FAIL: %s (%s)\\ngot:\\n%s\\nwant:\\n%s\\n``),
golang.org/x/tools/go/analysis/passes/* (go vet's reports), cmd/gofmt with CI scripts
around ``gofmt -l``, and onsi/ginkgo reporters/default_reporter.go (v2 ``• [FAILED]``, ``In
[It] at:``) and v1 reporters/stenographer (``• Failure``, the failure's place after the
matcher's message).
"""

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures

PARALLEL = """\
=== RUN   TestA
=== PAUSE TestA
=== RUN   TestB
=== PAUSE TestB
=== RUN   TestOK
    ok_test.go:9: FAIL is only a word in this passing test's log line
--- PASS: TestOK (0.00s)
=== CONT  TestA
=== CONT  TestB
=== NAME  TestA
    a_test.go:10: got 1, want 2
=== NAME  TestB
    b_test.go:20: got 3, want 4
--- FAIL: TestB (0.00s)
--- FAIL: TestA (0.00s)
--- SKIP: TestC (0.00s)
FAIL
FAIL\texample.com/m/pkg\t0.012s
ok  \texample.com/m/other\t(cached)
"""


def test_parallel_tests_keep_their_own_messages() -> None:
    failures = {f.test: f for f in extract_failures(PARALLEL)}
    assert list(failures) == ["TestB", "TestA"]  # not the passing or skipped test
    assert failures["TestA"].message == "a_test.go:10: got 1, want 2"
    assert failures["TestA"].location == "pkg/a_test.go:10"
    assert failures["TestB"].message == "b_test.go:20: got 3, want 4"


RACE_V = """\
=== RUN   TestRacy
==================
WARNING: DATA RACE
==================
    testing.go:1446: race detected during execution of test
--- FAIL: TestRacy (0.00s)
FAIL\texample.com/m/pkg\t0.012s
"""


def test_race_message_streamed_before_the_result_under_v() -> None:
    (failure,) = extract_failures(RACE_V)
    assert failure.test == "TestRacy"
    assert failure.message == "race detected during execution of test"
    assert failure.location is None  # testing.go is not the test's file


EXAMPLE = """\
--- FAIL: ExampleHello (0.00s)
got:
hello
want:
hi
FAIL
FAIL\texample.com/m/pkg\t0.012s
"""


def test_failed_example_got_and_want() -> None:
    (failure,) = extract_failures(EXAMPLE)
    assert failure.test == "ExampleHello"
    assert failure.message == "got: hello want: hi"


def test_passing_example_is_not_read() -> None:
    assert extract_failures("--- PASS: ExampleHello (0.00s)\ngot:\nhello\n") == []


GINKGO_V2 = """\
• [FAILED] [0.001 seconds]
Calculator when adding [It] adds two numbers
/home/runner/work/calc/calc/calc/calc_test.go:15

  Timeline >>
  [FAILED] in [It] - /home/runner/work/calc/calc/calc/calc_test.go:17 @ 01/02/24 10:00:00
  << Timeline

  [FAILED] Expected
      <int>: 5
  to equal
      <int>: 4
  In [It] at: /home/runner/work/calc/calc/calc/calc_test.go:17 @ 01/02/24 10:00:00.000
------------------------------
•

Summarizing 1 Failure:
  [FAIL] Calculator when adding [It] adds two numbers
  /home/runner/work/calc/calc/calc/calc_test.go:17

Ran 3 of 3 Specs in 0.002 seconds
FAIL! -- 2 Passed | 1 Failed | 0 Pending | 0 Skipped
--- FAIL: TestCalc (0.00s)
FAIL
FAIL\texample.com/calc/calc\t0.012s
"""

GINKGO_V1 = """\
• Failure [0.001 seconds]
Calculator
/home/runner/work/calc/calc/calc/calc_test.go:10
  when adding
  /home/runner/work/calc/calc/calc/calc_test.go:12
    adds two numbers [It]
    /home/runner/work/calc/calc/calc/calc_test.go:15

    Expected
        <int>: 5
    to equal
        <int>: 4

    /home/runner/work/calc/calc/calc/calc_test.go:17
------------------------------
Ran 3 of 3 Specs in 0.002 seconds
FAIL! -- 2 Passed | 1 Failed | 0 Pending | 0 Skipped
--- FAIL: TestCalc (0.00s)
FAIL
"""


def test_ginkgo_failure_message_and_place() -> None:
    for log in (GINKGO_V2, GINKGO_V1):
        # the go test hosting the suite (RunSpecs) is not a failure of its own
        (failure,) = extract_failures(log)
        assert failure.test == "Calculator when adding [It] adds two numbers"
        assert " ".join(failure.message.split()) == "Expected <int>: 5 to equal <int>: 4"
        assert failure.location is not None and failure.location.endswith("calc_test.go:17")


def test_plain_go_test_after_passing_ginkgo_suite_stays() -> None:
    log = "SUCCESS! -- 3 Passed | 0 Failed\n--- FAIL: TestOther (0.00s)\n    o_test.go:3: bad\n"
    assert [f.test for f in extract_failures(log)] == ["TestOther"]


def _category(lines: list[str]) -> str:
    return diagnose([line + "\n" for line in lines]).category


def test_go_vet_analyzers_are_lint() -> None:
    for finding in (
        "store/s.go:21:9: range var s copies lock: example.com/m/store.Store contains sync.Mutex",
        "api/h.go:52:2: the cancel function is not used on all paths (possible context leak)",
        "cfg/c.go:14:12: example.com/m/cfg.Config struct literal uses unkeyed fields",
        "cfg/c_test.go:22:3: call to (*T).Fatalf from a non-test goroutine",
        "api/h.go:40:9: using resp before checking for errors",
        "main.go:12: arg n for printf verb %s of wrong type: int",  # vet before Go 1.10
    ):
        assert _category(["# example.com/m/store", finding]) == "lint", finding
    # near miss: a compile error in the same shape is the build's
    assert _category(["# example.com/m", "./main.go:9:6: undefined: y"]) == "build"


def test_gofmt_ci_messages_are_format() -> None:
    assert _category(["The following files are not gofmt-ed:", "main.go"]) == "format"
    assert _category(["Go code is not formatted:", "main.go"]) == "format"
    assert _category(["Please run gofmt -s -w ."]) == "format"


# gotestsum --format github-actions (gotestyourself/gotestsum
# testjson/testdata/format/github-actions.out): a result with output opens a group, which
# the runner's log shows as ``##[group]``; one without is indented by two
GOTESTSUM_GHA = """\
##[group]Run gotestsum --format github-actions ./...
gotestsum --format github-actions ./...
shell: /usr/bin/bash -e {0}
##[endgroup]
  PASS example.com/m/good.TestPassed (0.00s)
##[group]FAIL example.com/m/withfails.TestFailed (0.00s)
    fails_test.go:34: this failed
##[endgroup]
##[group]PASS example.com/m/withfails.TestPassedWithLog (0.00s)
    fails_test.go:18: a passing test's log saying FAIL and expected
##[endgroup]
##[group]FAIL example.com/m/withfails.TestNested/c (0.00s)
    fails_test.go:65: failed c
    --- FAIL: TestNested/c (0.00s)
##[endgroup]
  FAIL example.com/m/withfails.TestNested (0.00s)
  FAIL Package example.com/m/withfails (20ms)
##[error]Process completed with exit code 1.
"""


def test_gotestsum_github_actions_groups() -> None:
    got = diagnose(GOTESTSUM_GHA.splitlines(keepends=True))
    failures = {f.test: f for f in got.failures}
    assert list(failures) == ["TestFailed", "TestNested/c", "TestNested"]
    assert failures["TestFailed"].message == "fails_test.go:34: this failed"
    # a full import path names no directory of the repository for certain (as
    # test_framework_shapes' gotestsum case): the file name stays as printed
    assert failures["TestFailed"].location == "fails_test.go:34"
    assert failures["TestNested/c"].message == "fails_test.go:65: failed c"


# gocheck (go-check/check reporter.go renderCallHeader, check.go logCaller, run.go's
# ``OOPS:`` tally): the suite's problems, not go's ``--- FAIL: Test`` that hosts them
GOCHECK = """\
----------------------------------------------------------------------
FAIL: store_test.go:40: StoreSuite.TestGet

store_test.go:45:
    c.Assert(got, Equals, 2)
... obtained int = 1
... expected int = 2

----------------------------------------------------------------------
PANIC: store_test.go:50: StoreSuite.TestPut

... Panic: runtime error: invalid memory address or nil pointer dereference (PC=0x45F1A1)

PASS: store_test.go:60: StoreSuite.TestList\t0.001s
OOPS: 3 passed, 1 FAILED, 1 PANICKED
--- FAIL: Test (0.00s)
FAIL
"""


def test_gocheck_problems() -> None:
    failures = {f.test: f for f in extract_failures(GOCHECK)}
    assert list(failures) == ["StoreSuite.TestGet", "StoreSuite.TestPut"]
    assert failures["StoreSuite.TestGet"].message == "obtained int = 1 expected int = 2"
    assert failures["StoreSuite.TestGet"].location == "store_test.go:45"
    put = failures["StoreSuite.TestPut"]
    assert put.message is not None and put.message.startswith("Panic: runtime error")
    assert put.location == "store_test.go:50"  # no check's place: the method's own
