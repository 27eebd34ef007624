"""Shapes from batch 17, helper b17D2 (whole Travis CI job logs): R's condition message
wrapped onto a second line (``Error in <call> : `` then the message indented by two
spaces), whose message line the generic scorer now ranks as its head (one more), so that
it is a key line whatever words it uses.

Each snippet is written in the shape R prints; the near misses keep a one-line ``Error in``
message, a message line that is not the next log line, and a line that only follows a
head without R's two-space indent from borrowing the head's score.
"""

from __future__ import annotations

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.scorer import TopLines, error_score
from tests.diagnose.joblogs import travis_one_command

_R_CHECK_EXAMPLES = [
    "* checking for unstated dependencies in examples ... OK",
    "* checking examples ... ERROR",
    "Running examples in ‘AnomalyDetection-Ex.R’ failed",
    "The error most likely occurred in:",
    "",
    "> ### Name: AnomalyDetectionTs",
    "> data(raw_data)",
    "> AnomalyDetectionTs(raw_data, max_anoms=0.02, direction='both', plot=TRUE)",
    "Error in format_timestamp(data_decomp) : ",
    '  could not find function "str_detect"',
    "Calls: AnomalyDetectionTs -> detect_anoms -> format_timestamp",
    "Execution halted",
]


def _texts(result: Diagnosis) -> list[str]:
    return [k.text for k in result.key_lines]


def test_r_check_example_wrapped_message_is_a_key_line() -> None:
    result = diagnose(travis_one_command("./travis-tool.sh run_tests", _R_CHECK_EXAMPLES), name="r")
    assert result.category == "test_failure"
    texts = _texts(result)
    assert any('could not find function "str_detect"' in t for t in texts)
    assert any(t.startswith("Error in format_timestamp(data_decomp) :") for t in texts)


def test_wrapped_message_without_error_words_is_read() -> None:
    # the message line has no error word the prefilter knows: the reader follows the head
    lines = [
        "Error in seq.int(0, to0 - from, by) : ",
        "  'to' must be a finite number",
        "Calls: run -> seq -> seq.default",
        "Execution halted",
    ]
    result = diagnose(travis_one_command("Rscript run.R", lines), name="r")
    assert any("'to' must be a finite number" in t for t in _texts(result))


def test_top_lines_message_scores_as_its_head() -> None:
    top = TopLines()
    head = "Error in format_timestamp(data_decomp) : "
    top.offer(10, head)
    top.offer(11, '  could not find function "str_detect"')
    assert top.score(11, '  could not find function "str_detect"') == error_score(head) + 1
    assert top.best(1) == [(11, '  could not find function "str_detect"')]


def test_one_line_r_error_does_not_lend_its_score() -> None:
    top = TopLines()
    top.offer(10, 'Error in library("testthat") : there is no package called ‘testthat’')
    top.offer(11, "  Execution halted soon")
    assert top.score(11, "  Execution halted soon") == error_score("  Execution halted soon")


def test_message_must_be_the_next_line() -> None:
    top = TopLines()
    top.offer(10, "Error in f(x) : ")
    top.offer(12, '  could not find function "g"')
    assert top.score(12, '  could not find function "g"') == error_score(
        '  could not find function "g"'
    )


def test_unindented_or_deeper_next_line_is_not_the_message() -> None:
    for line in [
        "Calls: f -> g",
        "    at Object.<anonymous> (x.js:1:1)",
        'could not find function "g"',
    ]:
        top = TopLines()
        top.offer(10, "Error in f(x) : ")
        top.offer(11, line)
        assert top.score(11, line) == error_score(line)
