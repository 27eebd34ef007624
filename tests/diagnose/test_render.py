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
        [_job(job_id=6), _job(name="e2e", job_id=7, passed_on_rerun_url="https://gh/rerun")],
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
    # issue 11: a re-run is offered for the flaky job only, not for the new failure
    assert "gh run rerun --job 7 -R o/r" in body and "gh run rerun --job 6" not in body
    assert "[passed on a re-run of the same commit](https://gh/rerun)" in body
    assert "| Job |" not in body  # two jobs: no table
    assert "<details><summary>Key log lines</summary>" in body
    # each job once: its name appears in its own entry only
    assert body.count("**[test](https://gh/r/job/1)**") == 1
    assert "`tests/test_x.py::test_token`" in body


def test_table_only_when_more_than_a_few_jobs_failed():
    jobs = [_job(name=f"job {n}") for n in range(4)]
    body = render_comment(jobs, "a" * 40)
    assert "| Job | Category | Cause |" in body
    assert body.count("**[job 0](https://gh/r/job/1)**") == 1


def test_failing_tests_with_message_and_link_to_the_line_when_the_path_exists():
    log = (
        "##[group]Run pytest\n##[endgroup]\n"
        "___ test_add ___\n"
        "E       assert 5 == 4\n"
        "tests/test_calc.py:11: AssertionError\n"
        "___ test_sub ___\n"
        "E       assert 0 == 1\n"
        "tests/gone.py:3: AssertionError\n"
        "FAILED tests/test_calc.py::test_add - assert 5 == 4\n"
        "FAILED tests/gone.py::test_sub - assert 0 == 1\n"
        "##[error]Process completed with exit code 1.\n"
    )
    job = {"name": "t", "diagnosis": diagnose(log.encode()), "job_url": "https://gh/j/1"}
    body = render_comment(
        [job], "f" * 40, repo="o/r", known_paths={"tests/test_calc.py", "README.md"}
    )
    assert (
        "- `tests/test_calc.py::test_add`: `assert 5 == 4` ([tests/test_calc.py:11]"
        "(https://github.com/o/r/blob/" + "f" * 40 + "/tests/test_calc.py#L11))"
    ) in body
    # a path that does not exist at the head commit is shown, not linked
    assert "- `tests/gone.py::test_sub`: `assert 0 == 1` (`tests/gone.py:3`)" in body
    assert "Re-run: " not in body and "/retry` re-runs" not in body


def test_go_file_name_resolves_to_the_only_matching_path():
    from bot.diagnose.render import resolve_path

    known = {"pkg/parse/parse_test.go", "pkg/other/x_test.go"}
    assert resolve_path("parse_test.go:21", known) == ("pkg/parse/parse_test.go", 21)
    assert resolve_path("x.go:1", {"a/x.go", "b/x.go"}) is None  # ambiguous: no link
    assert resolve_path("nope.go:1", known) is None


def test_split_evidence_names_both():
    diag = diagnose(LOG.encode()).to_dict()
    diag["alternative"] = {
        "category": "infra_network",
        "rule": "network-error",
        "summary": "ConnectionResetError",
    }
    section = render_job_section({"name": "j", "diagnosis": diag})
    assert "may also be `infra_network`: `ConnectionResetError`" in section


def test_log_text_cannot_inject_markup():
    evil = "##[group]Run x\n##[endgroup]\nFAILED t.py::a - `x` | </details> @admin <img src=x>\n"
    evil += "##[error]Process completed with exit code 1.\n"
    section = render_job_section({"name": "j", "diagnosis": diagnose(evil.encode())})
    assert "- `t.py::a`: `` `x` | </details> @admin <img src=x> ``" in section
    assert "@admin" not in section.replace("`` `x` | </details> @admin <img src=x> ``", "")


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


def test_jobs_that_did_not_run_because_another_failed_are_named():
    body = render_comment([_job()], "a" * 40, skipped_jobs=["deploy", "e2e"])
    assert "Did not run (skipped after the failures below): `deploy`, `e2e`." in body
    assert "Did not run" not in render_comment([_job()], "a" * 40)


def test_lint_findings_attached_by_the_service_are_listed_with_links():
    log = (
        "##[group]Run ruff check .\n##[endgroup]\n"
        "src/a.py:3:1: F401 [*] `os` imported but unused\n"
        "Found 1 error.\n##[error]Process completed with exit code 1.\n"
    )
    diag = diagnose(log.encode()).to_dict()
    diag["findings"] = [
        {
            "path": "src/a.py",
            "line": 3,
            "column": 1,
            "level": "failure",
            "message": "[*] `os` imported but unused",
            "code": "F401",
        }
    ]
    body = render_comment(
        [{"name": "lint", "diagnosis": diag}], "e" * 40, repo="o/r", known_paths={"src/a.py"}
    )
    assert "1 finding:\n- ``F401 [*] `os` imported but unused`` ([src/a.py:3](" in body
    assert f"/o/r/blob/{'e' * 40}/src/a.py#L3)" in body
