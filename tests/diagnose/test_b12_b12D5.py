# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 12, helper b12D5 (whole Travis CI job logs).

1. A command re-run by a retry wrapper: each attempt runs the whole command again, so the
   last attempt is what failed the job; what earlier attempts printed (a flaky test that
   then passed, a download that then worked) is superseded. The wrappers' markers are
   travis-build's ``travis_retry`` (``The command "…" failed. Retrying, 2 of 3.``), the
   nick-fields/retry action (``Attempt 1 failed. Reason: …``, a ``##[warning]`` with
   ``warning_on_retry``) and kadwanev/retry (``Before retry #1: sleeping 0.3 seconds``).
2. sbt/ScalaTest: a failed test whose message is an exception without ``(File.scala:N)``
   is attributed to its suite by ScalaTest's ``[info] SuiteName:`` header.
3. A finding on a Markdown document (``README.md:2186:Line longer than 80 characters.``,
   gomali; mdl, proselint, misspell print the same compiler-style shape) is lint.
"""

from __future__ import annotations

from bot.diagnose.extractors import extract_failures

# ---- sbt/ScalaTest: the suite header names the suite of a message without file:line ----


def test_scalatest_exception_is_attributed_by_the_suite_header() -> None:
    lines = [
        "[info] ServerSideDecodingTest:",
        "[info] - decodes gzip",
        "[info] Http2PriorKnowledgeTest:",
        "[info] - prior knowledge http/2 (streaming): stream",
        "[info] - prior knowledge http/2 (streaming): stream via ResponseProxy filter *** FAILED ***",
        "[info]   com.twitter.finagle.ChannelClosedException: ChannelException at remote address: localhost/127.0.0.1:37080. Remote Info: Not Available",
        "[info]   ...",
        "[info] LoggingFilterTest:",
        "[info] - log",
        "[error] Failed tests:",
        "[error] \tcom.twitter.finagle.http.Http2PriorKnowledgeTest",
    ]
    (failure,) = extract_failures(lines)
    assert failure.test == "com.twitter.finagle.http.Http2PriorKnowledgeTest"
    assert (
        failure.message
        == "com.twitter.finagle.ChannelClosedException: ChannelException at remote address: localhost/127.0.0.1:37080. Remote Info: Not Available"
    )
    assert failure.location is None


def test_scalatest_file_line_still_wins_over_the_header() -> None:
    lines = [
        "[info] EndToEndTest:",
        "[info] - a *** FAILED ***",
        "[info]   1 did not equal 2 (EndToEndTest.scala:40)",
        "[info] ConcurrencyEndToEndTest:",
        "[info] - b *** FAILED ***",
        "[info]   10.0 was not greater than 10 (ConcurrencyEndToEndTest.scala:73)",
        "[error] Failed tests:",
        "[error] \tcom.twitter.finagle.exp.ConcurrencyEndToEndTest",
        "[error] \tcom.twitter.finagle.exp.EndToEndTest",
    ]
    failures = {f.test: f for f in extract_failures(lines)}
    assert (
        failures["com.twitter.finagle.exp.ConcurrencyEndToEndTest"].message
        == "10.0 was not greater than 10"
    )
    assert failures["com.twitter.finagle.exp.EndToEndTest"].message == "1 did not equal 2"
    assert failures["com.twitter.finagle.exp.EndToEndTest"].location == "EndToEndTest.scala:40"


def test_a_message_under_another_suites_header_is_not_borrowed() -> None:
    """Near miss: the failed test printed under OtherTest's header is not ListedTest's."""
    lines = [
        "[info] OtherTest:",
        "[info] - x *** FAILED ***",
        "[info]   java.lang.IllegalStateException: boom",
        "[error] Failed tests:",
        "[error] \tcom.example.ListedTest",
    ]
    (failure,) = extract_failures(lines)
    assert failure.test == "com.example.ListedTest"
    assert failure.message is None
