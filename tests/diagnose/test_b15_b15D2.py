# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 15, helper b15D2 (whole Travis CI job logs): Common Test's raw
``suite.log`` (``=case`` / ``=result failed:`` records) printed by an after_failure
command, which names the case a console failure left unnamed (its last function was a
helper), and a failed configuration function beside a failed case; Gradle's stack of a test
that failed inside a helper method of its own class (the test method's frame is the
location).

Each snippet is written in the shape the tool prints; the near misses keep what must not
change: a helper's failure with no ``suite.log`` names no case, a configuration function
that is the only failure stays the failing test, a record that passed names nothing.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_jvm import Gradle
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import fed, travis_timed_job

_RULE = "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"


def travis_job(command: str, lines: list[str], after: list[str], code: int = 1) -> io.BytesIO:
    """A Travis CI job: the timed failing command, then an ``after_failure`` command that
    prints the test logs (its lines join the failed command's step)."""
    suite_logs = "find logs -name suite.log -exec cat '{}' ';'"
    return travis_timed_job([(command, lines, code)], after=(suite_logs, after))


# ---- Common Test: the console's unnamed case, named by suite.log ----------------------

_CONSOLE = [
    "Testcase 'queue_limit_master' starting",
    _RULE,
    "suite:get_event failed on line 939",
    "Reason: timetrap_timeout",
    _RULE,
    "",
    "Testing acme.chat: *** FAILED test case 49 of 1470 ***",
    _RULE,
    "chat_SUITE:init_per_group failed",
    "Reason: {test_case_failed,{failed_to_create_sql_tables,pgsql}}",
    _RULE,
    "",
    "Testing acme.chat: *** FAILED {chat_SUITE,init_per_group} ***",
    "Testing acme.chat: TEST COMPLETE, 1082 ok, 1 failed, 387 skipped of 1470 test cases",
    "",
    "ERROR: One or more tests failed",
    "ERROR: ct failed while processing /home/runner/build/acme/chat: rebar_abort",
]

_SUITE_LOG = [
    "=== Suite started at 2019-07-14 13:24:43",
    "=case          chat_SUITE:queue_limit_slave",
    "=logfile       chat_suite.queue_limit_slave.2259.html",
    "=started       2019-07-14 13:24:52",
    "=result        ok",
    "=elapsed       0.001847",
    "=case          chat_SUITE:queue_limit_master",
    "=logfile       chat_suite.queue_limit_master.2418.html",
    "=started       2019-07-14 13:24:52",
    "=ended         2019-07-14 13:26:52",
    "=result        failed: timeout, [{suite,get_event,939},",
    "                                 {sm_tests,queue_limit_master,147},",
    "                                 {test_server,run_test_case_eval,995}]",
    "=== *** FAILED test case 49 of 1470 ***",
    "=case          chat_SUITE:init_per_group",
    "=group_props   [{name,pgsql},sequence]",
    "=result        failed: {test_case_failed,{failed_to_create_sql_tables,pgsql}}, [{chat_SUITE,do_init_per_group,111}]",
    "=== *** FAILED {chat_SUITE,init_per_group} ***",
    "=case          chat_SUITE:test_register",
    "=result        auto_skipped: init_per_group failed",
    "=== *** Skipping test case #824 {chat_SUITE,test_register} ***",
    "=== TEST COMPLETE, 1082 ok, 1 failed, 387 skipped of 1470 test cases",
]


def test_suite_log_names_the_case_a_helper_failure_left_unnamed() -> None:
    diagnosis = diagnose(travis_job("escript ./rebar skip_deps=true ct -v", _CONSOLE, _SUITE_LOG))
    assert diagnosis.category == "test_failure"
    # the failed case, not the configuration function CT counts apart
    assert diagnosis.failing_tests == ["chat_SUITE:queue_limit_master"]
    failure = diagnosis.failures[0]
    assert failure.message == "Reason: timetrap_timeout"  # the console's reason for case 49
    assert "suite:get_event failed on line 939" in [k.text for k in diagnosis.key_lines]


def test_suite_log_alone_gives_the_record_result_as_message() -> None:
    failures = extract_failures(_SUITE_LOG)
    assert [f.test for f in failures] == ["chat_SUITE:queue_limit_master"]
    assert failures[0].message == "failed: timeout, [{suite,get_event,939},"


def test_near_miss_helper_failure_without_suite_log_names_no_case() -> None:
    failures = extract_failures(_CONSOLE[:7])
    assert failures == []


def test_near_miss_configuration_function_alone_stays_the_failing_test() -> None:
    failures = extract_failures(_CONSOLE[7:])
    assert [(f.test, f.message) for f in failures] == [
        (
            "chat_SUITE:init_per_group",
            "Reason: {test_case_failed,{failed_to_create_sql_tables,pgsql}}",
        )
    ]


def test_near_miss_records_that_passed_or_were_skipped_name_nothing() -> None:
    lines = [
        "=case          chat_SUITE:queue_limit_slave",
        "=result        ok",
        "=case          chat_SUITE:test_register",
        "=result        auto_skipped: init_per_group failed",
        "=== *** Skipping test case #824 {chat_SUITE,test_register} ***",
        "=== TEST COMPLETE, 1 ok, 0 failed, 1 skipped of 2 test cases",
    ]
    assert extract_failures(lines) == []


# ---- Gradle: a helper of the test class fails; the test method's frame is the location ----


def test_gradle_location_is_the_test_methods_frame_below_its_helpers() -> None:
    extractor = fed(
        Gradle(),
        [
            "io.reactivex.validators.TooManyEmptyNewLines > tooManyEmptyNewLines2 FAILED",
            "    java.lang.AssertionError: The following code pattern was found: \\R\\R\\R",
            "    FlowableTakeUntilPredicateTest.java#L33",
            "    Found 1 instances",
            "        at io.reactivex.validators.TooManyEmptyNewLines.findPattern(TooManyEmptyNewLines.java:131)",
            "        at io.reactivex.validators.TooManyEmptyNewLines.tooManyEmptyNewLines2(TooManyEmptyNewLines.java:30)",
            "",
            "11410 tests completed, 1 failed, 451 skipped",
        ],
    )
    (failure,) = extractor.failures()
    assert failure.location == "TooManyEmptyNewLines.java:30"
    assert (
        failure.message
        == "java.lang.AssertionError: The following code pattern was found: \\R\\R\\R"
    )


def test_gradle_parameterised_test_matches_its_method_frame() -> None:
    extractor = fed(
        Gradle(),
        [
            "demo.CalcTest > adds[1] FAILED",
            "    java.lang.AssertionError: expected:<3> but was:<4>",
            "        at demo.CalcTest.check(CalcTest.java:40)",
            "        at demo.CalcTest.adds(CalcTest.java:12)",
        ],
    )
    assert extractor.failures()[0].location == "CalcTest.java:12"


def test_near_miss_helper_frame_alone_is_still_the_location() -> None:
    # a truncated stack: the helper's frame is all the test class shows
    extractor = fed(
        Gradle(),
        [
            "demo.CalcTest > adds FAILED",
            "    java.lang.AssertionError: expected:<3> but was:<4>",
            "        at demo.CalcTest.check(CalcTest.java:40)",
            "",
        ],
    )
    assert extractor.failures()[0].location == "CalcTest.java:40"


def test_near_miss_test_named_in_words_takes_the_first_frame_of_its_class() -> None:
    # Spock / JUnit 5 display names name no method: the first frame in the class wins
    extractor = fed(
        Gradle(),
        [
            "demo.CalcSpec > adds two numbers FAILED",
            "    org.spockframework.runtime.ConditionNotSatisfiedError at CalcSpec.groovy:9",
        ],
    )
    assert extractor.failures()[0].location == "CalcSpec.groovy:9"
