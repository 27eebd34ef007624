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

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import actions_job, travis_job


def _travis(
    commands: list[tuple[str, list[str], int | None]], after: list[str] | None = None
) -> io.BytesIO:
    """A Travis job framed as travis-build frames it: ``travis_time:start:<id>`` then ``$ cmd``,
    the command's output, ``The command "cmd" exited with N.``; then an after_failure fold."""
    out = ["travis_fold:start:worker_info", "Worker information", "travis_fold:end:worker_info"]
    for i, (command, lines, code) in enumerate(commands):
        out += [f"travis_time:start:{i:08x}\r\x1b[0K$ {command}", *lines]
        out += [f"travis_time:end:{i:08x}:start=1,finish=2,duration=1"]
        if code is not None:
            out += [f'The command "{command}" exited with {code}.', ""]
    if after:
        out += ["travis_fold:start:after_failure\rtravis_time:start:0000ffff\r$ after.sh", *after]
        out += [
            "travis_time:end:0000ffff:start=1,finish=2,duration=1",
            "travis_fold:end:after_failure",
        ]
    out += ["", "Done. Your build exited with 1."]
    return io.BytesIO("".join(f"{line}\n" for line in out).encode())


def _sbt_attempt(suite: str, test: str, message: str) -> list[str]:
    return [
        f"[info] {suite}:",
        "[info] - a passing test",
        f"[info] - {test} *** FAILED ***",
        f"[info]   {message}",
        "[info] Tests: succeeded 723, failed 1, canceled 0, ignored 162, pending 0",
        "[info] *** 1 TEST FAILED ***",
        "[error] Failed: Total 735, Failed 1, Errors 0, Passed 734, Ignored 162",
        "[error] Failed tests:",
        f"[error] \tcom.twitter.finagle.http.{suite}",
        "[error] (finagle-http / Test / test) sbt.TestsFailedException: Tests unsuccessful",
        "[error] Total time: 93 s, completed Jul 30, 2019 5:22:02 PM",
    ]


SBT = "./sbt ++2.11.12 coverage finagle-http/test coverageReport"
WRAPPED = 'travis_retry ./sbt ++$TRAVIS_SCALA_VERSION coverage "$PROJECT/test" coverageReport'


def test_travis_retry_reports_the_last_attempts_failures_only() -> None:
    """Each attempt failed a different flaky test: the job failed on the last one's."""
    lines = [
        *_sbt_attempt(
            "ClientFailHttp2UpgradeTest",
            "aggregates trailers",
            "com.twitter.util.TimeoutException: 30.seconds",
        ),
        "",
        f'The command "{SBT}" failed. Retrying, 2 of 3.',
        "",
        *_sbt_attempt(
            "Http2PriorKnowledgeTest",
            "stream via ResponseProxy class",
            "java.lang.IllegalStateException: closed",
        ),
        "",
        f'The command "{SBT}" failed. Retrying, 3 of 3.',
        "",
        *_sbt_attempt(
            "Http2PriorKnowledgeTest",
            "stream via ResponseProxy filter",
            "com.twitter.finagle.netty4.transport.ChannelTransport$NoStackTraceChannelClosedException: ChannelException at remote address: localhost/127.0.0.1:37080. Remote Info: Not Available",
        ),
        "",
        f'The command "{SBT}" failed 3 times.',
    ]
    d = diagnose(_travis([(WRAPPED, lines, 1)]))
    assert d.category == "test_failure"
    assert d.failing_tests == ["com.twitter.finagle.http.Http2PriorKnowledgeTest"]
    assert d.failures[0].message is not None
    assert d.failures[0].message.startswith(
        "com.twitter.finagle.netty4.transport.ChannelTransport$NoStackTraceChannelClosedException"
    )
    texts = [k.text for k in d.key_lines]
    assert "[info] - stream via ResponseProxy filter *** FAILED ***" in texts
    assert not any("ResponseProxy class" in t or "aggregates trailers" in t for t in texts)


def test_travis_retry_pytest_flake_then_a_real_failure() -> None:
    first = [
        "FAILED tests/test_net.py::test_fetch - ConnectionResetError: [Errno 104] Connection reset by peer",
        "=================== 1 failed, 41 passed in 3.10s ===================",
    ]
    last = [
        "FAILED tests/test_calc.py::test_add - assert 5 == 4",
        "=================== 1 failed, 41 passed in 3.02s ===================",
    ]
    lines = [*first, "", 'The command "python -m pytest" failed. Retrying, 2 of 3.', "", *last]
    d = diagnose(_travis([("travis_retry python -m pytest", lines, 1)]))
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests/test_calc.py::test_add"]
    assert d.alternative is None  # the first attempt's network error is gone


def test_a_download_that_failed_then_a_compile_error_is_a_build_failure() -> None:
    """The first attempt's network error was got past: the last attempt failed to compile."""
    lines = [
        "curl: (6) Could not resolve host: github.com",
        'The command "make" failed. Retrying, 2 of 3.',
        "src/main.c:12:5: error: unknown type name 'foo_t'",
        "make: *** [Makefile:3: main.o] Error 1",
    ]
    d = diagnose(_travis([("travis_retry make", lines, 2)]))
    assert d.category == "build"
    assert d.retryable is False
    assert all("Could not resolve host" not in k.text for k in d.key_lines)


def test_every_attempt_failing_the_same_way_is_reported_once() -> None:
    attempt = _sbt_attempt(
        "ConcurrencyEndToEndTest",
        "dropped requests",
        "10.0 was not greater than 10 (ConcurrencyEndToEndTest.scala:73)",
    )
    lines = [*attempt, f'The command "{SBT}" failed. Retrying, 2 of 3.', *attempt]
    d = diagnose(_travis([(WRAPPED, lines, 1)]))
    assert d.failing_tests == ["com.twitter.finagle.http.ConcurrencyEndToEndTest"]
    assert d.failures[0].message == "10.0 was not greater than 10"
    assert d.failures[0].location == "ConcurrencyEndToEndTest.scala:73"


def test_nick_fields_retry_action_attempts() -> None:
    """The action prints each attempt in a ``::group::Attempt N`` and, between attempts,
    ``Attempt N failed. Reason: …`` (a warning annotation with ``warning_on_retry``)."""
    lines = [
        "##[group]Attempt 1",
        "--- FAIL: TestFlaky (0.01s)",
        "    flaky_test.go:12: got 1, want 2",
        "FAIL",
        "##[endgroup]",
        "##[warning]Attempt 1 failed. Reason: Child_process exited with error code 1",
        "##[group]Attempt 2",
        "--- FAIL: TestParse (0.00s)",
        "    parse_test.go:30: unexpected EOF",
        "FAIL",
        "FAIL\texample.com/pkg\t0.012s",
        "##[endgroup]",
        "##[error]Final attempt failed. Child_process exited with error code 1",
    ]
    d = diagnose(actions_job("nick-fields/retry@v3", lines, 1, echo=False, shell=False))
    assert d.category == "test_failure"
    assert d.failing_tests == ["TestParse"]


def test_kadwanev_retry_between_attempts() -> None:
    lines = [
        "npm ERR! code ECONNRESET",
        "npm ERR! network aborted",
        "Before retry #1: sleeping 0.3 seconds",
        "npm ERR! code E404",
        "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found",
    ]
    d = diagnose(actions_job("retry -- npm install left-padd", lines, 1))
    assert d.category == "dependency_install"
    assert not d.retryable


@pytest.mark.parametrize(
    "line",
    [
        'The command "npm test" failed 3 times.',  # after the last attempt: not between two
        'The command "npm test" failed and exited with 1 during .',
        "Attempt 1 failed",  # no reason: not the action's line
        "Retrying, 2 of 3.",
        "    Before retry #1: sleeping 0.3 seconds",  # not at the line start
    ],
)
def test_lines_that_are_not_retry_markers_keep_the_evidence(line: str) -> None:
    lines = [
        "FAILED tests/test_calc.py::test_add - assert 5 == 4",
        line,
        "1 failed, 3 passed in 0.12s",
    ]
    d = diagnose(travis_job("python -m pytest", lines, 1))
    assert d.failing_tests == ["tests/test_calc.py::test_add"]


def test_a_retry_in_an_after_failure_command_does_not_undo_the_failure() -> None:
    """after_failure's own travis_retry (uploading logs) re-runs that command, not the
    failed one: the failed command's tests stay."""
    failing = ["FAILED tests/test_calc.py::test_add - assert 5 == 4", "1 failed, 3 passed in 0.12s"]
    after = [
        "curl: (7) Failed to connect to logs.example.com port 443: Connection refused",
        'The command "curl -T log.txt https://logs.example.com" failed. Retrying, 2 of 3.',
        "uploaded",
    ]
    d = diagnose(_travis([("python -m pytest", failing, 1)], after=after))
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests/test_calc.py::test_add"]


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


# ---- Markdown findings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "line"),
    [
        ("gomali *.md", "README.md:2186:Line longer than 80 characters."),
        ("gomali *.md", "docs/guide.md:12:Header must be surrounded by blank lines."),
        ("gomali *.md", "README.md:40:No reason for consecutive blank lines."),
        ("mdl .", "README.md:3: MD013 Line length"),
        (
            "proselint README.md",
            "README.md:12:5: typography.symbols.ellipsis '...' is an approximation, use the ellipsis symbol '…'.",
        ),
        ("misspell -error .", 'README.md:7:10: "recieve" is a misspelling of "receive"'),
        (
            "vale --output=line docs",
            "docs/index.mdx:4:1:Vale.Spelling:Did you really mean 'pitcrew'?",
        ),
    ],
)
def test_a_finding_on_a_markdown_document_is_lint(command: str, line: str) -> None:
    d = diagnose(travis_job(command, [line], 1))
    assert d.category == "lint"
    assert d.key_lines[0].text == line


def test_on_an_actions_runner_too() -> None:
    line = "README.md:2186:Line longer than 80 characters."
    d = diagnose(actions_job("gomali *.md", [line], 1))
    assert d.category == "lint"
    assert d.rule == "markdown-finding"
    assert d.summary == line


@pytest.mark.parametrize(
    "line",
    [
        "README.md:12:    pip install pitcrew",  # grep -n of an indented code line
        "README.md:12:# Installation",  # grep -n of a heading
        "src/main.c:12: undefined reference to `foo'",  # not a Markdown file
        "README.md",  # a file name alone
        "Updated README.md:12 lines",
    ],
)
def test_near_misses_are_not_markdown_findings(line: str) -> None:
    d = diagnose(travis_job("./check.sh", [line], 1))
    assert d.rule != "markdown-finding"


def test_a_docs_build_warning_on_a_markdown_page_stays_the_builds() -> None:
    """Sphinx (MyST) prints ``page.md:3: WARNING: …``: sphinx-docs outranks the weak rule."""
    lines = [
        "docs/usage.md:3: WARNING: undefined label: 'install'",
        "Warning, treated as error:",
    ]
    d = diagnose(actions_job("sphinx-build -W docs build", lines, 1))
    assert d.category == "build"
    assert d.rule == "sphinx-docs"


def test_a_failing_markdown_doctest_stays_a_test_failure() -> None:
    lines = [
        "____________________________ [doctest] README.md ____________________________",
        "012 >>> add(2, 2)",
        "Expected:",
        "    5",
        "Got:",
        "    4",
        "",
        "/home/runner/work/calc/calc/README.md:12: DocTestFailure",
        "=========================== short test summary info ============================",
        "FAILED README.md::README.md",
        "========================= 1 failed, 3 passed in 0.12s ==========================",
    ]
    d = diagnose(actions_job("python -m pytest --doctest-glob='*.md'", lines, 1))
    assert d.category == "test_failure"
