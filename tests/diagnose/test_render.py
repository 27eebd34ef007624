"""Rendering: sections only with evidence, redaction, marker, escaping."""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.render import MARKER, classify_job, render_comment, render_job_section

TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
LOG = (
    "##[group]Run pytest\n##[endgroup]\n"
    f"FAILED tests/test_x.py::test_token - AssertionError: {TOKEN} != expected\n"
    "##[error]Process completed with exit code 1.\n"
)


def _job(**kw):
    return {
        "name": "test",
        "diagnosis": diagnose(LOG.encode()),
        "job_url": "https://gh/r/job/1",
        **kw,
    }


@pytest.mark.parametrize(
    ("extra", "retryable", "want"),
    [
        pytest.param({}, False, "new", id="no-evidence-is-new"),
        pytest.param({"failed_on_base_url": "https://gh/base"}, False, "broken_on_base", id="base"),
        pytest.param({"passed_on_rerun_url": "https://gh/rerun"}, False, "flaky", id="flaky"),
        pytest.param({}, True, "infra", id="infra-rule"),
        pytest.param(
            {"passed_on_rerun_url": "u", "label_override": "new"}, False, "new", id="override"
        ),
        pytest.param({"label_override": "bogus"}, False, "new", id="bad-override-ignored"),
    ],
)
def test_classify(extra, retryable, want):
    job = {"name": "j", "diagnosis": {"retryable": retryable, "category": "x"}, **extra}
    assert classify_job(job) == want


def test_comment_shape_and_redaction():
    body = render_comment(
        [_job(job_id=7), _job(name="e2e", passed_on_rerun_url="https://gh/rerun")],
        "a" * 40,
        "b" * 40,
        repo="o/r",
        total_jobs=5,
    )
    assert body.startswith(MARKER)
    assert TOKEN not in body and "***" in body
    assert "2 of 5 jobs failed" in body and "1 new failure" in body and "1 flaky" in body
    assert "As of commit [`aaaaaaaaaa`]" in body and "merge base [`bbbbbbbbbb`]" in body
    assert "### NEW FAILURES (1)" in body and "### FLAKY (1)" in body
    assert "BROKEN ON BASE" not in body and "### INFRA" not in body
    assert "https://gh/r/job/1#step:2:3" in body
    assert "gh run rerun --job 7 -R o/r" in body
    assert "[passed on a re-run of the same commit](https://gh/rerun)" in body
    assert "| Job | Step | Category | Cause | Failing tests |" in body
    assert "<details><summary>Key log lines</summary>" in body
    assert "`tests/test_x.py::test_token`" in body


def test_log_text_cannot_inject_markup():
    evil = "##[group]Run x\n##[endgroup]\nFAILED t.py::a - `x` | </details> @admin <img src=x>\n"
    evil += "##[error]Process completed with exit code 1.\n"
    section = render_job_section({"name": "j", "diagnosis": diagnose(evil.encode())})
    assert "``FAILED t.py::a - `x` | </details> @admin <img src=x>``" in section


def test_all_green_form():
    body = render_comment([], "c" * 40, "d" * 40, previously_failed=3)
    assert body.startswith(MARKER)
    assert "All checks pass" in body and "`cccccccccc`" in body and "3 failing jobs" in body


def test_render_is_deterministic():
    jobs = [_job()]
    assert render_comment(jobs, "a" * 40) == render_comment(jobs, "a" * 40)


def test_accepts_dict_diagnosis():
    job = {"name": "j", "diagnosis": diagnose(LOG.encode()).to_dict()}
    assert "tests/test_x.py::test_token" in render_job_section(job)
