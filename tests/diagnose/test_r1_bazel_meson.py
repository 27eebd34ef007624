"""``bazel test`` and ``meson test`` result lines, from their sources.

* Bazel, src/main/java/com/google/devtools/build/lib/runtime/TestSummaryPrinter.java:
  ``print`` pads the label and adds the status (``FAILED in 0.4s``, ``(cached) FAILED``,
  ``FAILED in 2 out of 4 in 0.5s``, ``TIMEOUT``, ``FLAKY, failed in 1 out of 2``, ``NO STATUS``,
  ``FAILED TO BUILD``); ``printCachedOutput`` prints ``FAIL: //pkg:t (see …/test.log)`` (as
  Bazel's own tests expect: ``expect_log "FAIL: //macos:SmallUnitTest"``).
* Meson, mesonbuild/mtest.py: ``TestHarness.format`` prints ``N/M name  RESULT  0.02s
  details``; ``get_pretty_suite`` names a test ``prj:suite / name`` before 1.10 (several
  suites) and ``suite - prj:name`` since (commit 1d12e526c); before 0.56 the duration read
  ``0.01 s``.
"""

from bot.diagnose.extractors import extract_failures, extract_tests

BAZEL = """\
FAIL: //calc:calc_test (see /home/runner/.cache/bazel/out/testlogs/calc/calc_test/test.log)
INFO: Elapsed time: 3.1s, Critical Path: 1.2s
//calc:calc_test                                                         FAILED in 0.4s
  /home/runner/.cache/bazel/out/testlogs/calc/calc_test/test.log
//calc:ok_test                                                  (cached) PASSED in 0.1s
//calc:retry_test                              FLAKY, failed in 1 out of 2 in 0.4s
//net:slow_test                                                         TIMEOUT in 60.0s
//net:broken_test                                                       FAILED TO BUILD
@ext//io:shard_test                                   FAILED in 2 out of 4 in 0.5s

Executed 4 out of 5 tests: 1 test passes and 3 fail locally.
"""


def test_bazel_summary_and_attempts() -> None:
    failures = {f.test: f for f in extract_failures(BAZEL)}
    assert list(failures) == ["//calc:calc_test", "//net:slow_test", "@ext//io:shard_test"]
    assert failures["//net:slow_test"].message == "TIMEOUT in 60.0s"


def test_bazel_near_misses() -> None:
    log = (
        "ERROR: /home/runner/work/ws/ws/calc/BUILD:3:8: Compiling calc/calc.cc failed\n"
        "//calc:ok_test                                                   PASSED in 0.1s\n"
        "Target //calc:app up-to-date:\n"
    )
    assert extract_tests(log) == []


def test_meson_names_with_suites_and_spaces() -> None:
    log = (
        " 1/4 calc:unit / test add        FAIL            0.02s   exit status 1\n"
        " 2/4 unit - calc:test_sub        OK              0.01s\n"
        " 3/4 unit - calc:test_mul        TIMEOUT        30.01s   killed by signal 15 SIGTERM\n"
        " 4/4 parse                       FAIL     0.01 s (exit status 1)\n"
        "\nOk:                 1   \nFail:                3   \n"
    )
    assert extract_tests(log) == ["calc:unit / test add", "unit - calc:test_mul", "parse"]


def test_meson_near_misses() -> None:
    # a passing meson line is no failure; a formatter run as a meson test failed a style
    # check (its output is black's), not a test
    assert extract_tests(" 2/4 calc:test_ok   OK   0.01s\n") == []
    log = "6/6 piper / python-black-check    FAIL            0.78s   exit status 1\n"
    assert extract_tests(log) == []
