"""Parsing GitHub run/job exports in every shape people actually save."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.report.records import (
    ParseError,
    iter_json_documents,
    job_from_api,
    jobs_from_api,
    load_jobs_file,
    load_runs_file,
    parse_ts,
    run_from_api,
    runs_from_api,
)
from tests.conftest import SHARED as SHARED_DIR

SHARED = SHARED_DIR / "github"


def _run(run_id: int, **over) -> dict:
    base = {
        "id": run_id,
        "name": "CI",
        "head_branch": "main",
        "head_sha": "a" * 40,
        "event": "push",
        "status": "completed",
        "conclusion": "success",
        "run_attempt": 1,
        "created_at": "2024-05-01T10:00:00Z",
        "run_started_at": "2024-05-01T10:00:30Z",
        "updated_at": "2024-05-01T10:10:30Z",
        "repository": {"full_name": "o/r"},
    }
    return {**base, **over}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-04-25T20:42:10Z", datetime(2018, 4, 25, 20, 42, 10, tzinfo=UTC)),
        ("2018-04-25 20:42:10", datetime(2018, 4, 25, 20, 42, 10, tzinfo=UTC)),
        ("2020-01-20T09:42:40.000-08:00", datetime(2020, 1, 20, 17, 42, 40, tzinfo=UTC)),
        ("2021-08-05T10:26:08.000Z", datetime(2021, 8, 5, 10, 26, 8, tzinfo=UTC)),
        (None, None),
        ("", None),
    ],
    ids=["iso-z", "space-naive", "offset-fraction", "fraction-z", "none", "empty"],
)
def test_parse_ts(text, expected):
    assert parse_ts(text) == expected


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01T00:00:00Z", "12:00"], ids=str)
def test_parse_ts_rejects_garbage(bad):
    with pytest.raises(ValueError, match="not a timestamp"):
        parse_ts(bad)


def test_run_durations_and_queue():
    rec = run_from_api(_run(1))
    assert rec.repo == "o/r"
    assert rec.queue_s == 30
    assert rec.duration_s == 600
    assert rec.completed


def test_rerun_has_no_queue_time_and_in_progress_no_duration():
    rerun = run_from_api(_run(1, run_attempt=2, run_started_at="2024-05-01T11:00:00Z"))
    assert rerun.queue_s is None  # created_at belongs to attempt 1
    assert rerun.attempt == 2
    running = run_from_api(_run(2, status="in_progress", conclusion=None))
    assert running.duration_s is None


PAGE1 = {"total_count": 3, "workflow_runs": [_run(3), _run(2)]}
PAGE2 = {"total_count": 3, "workflow_runs": [_run(1)]}


@pytest.mark.parametrize(
    "payload",
    [
        [PAGE1, PAGE2],
        json.dumps(PAGE1) + json.dumps(PAGE2),
        json.dumps(PAGE1, indent=2) + "\n" + json.dumps(PAGE2, indent=2) + "\n",
        "\n".join(json.dumps(r) for r in [_run(3), _run(2), _run(1)]),
        [_run(3), _run(2), _run(1)],
        json.dumps([PAGE1, PAGE2]),
    ],
    ids=["list-of-pages", "gh-paginate-concatenated", "pretty-concatenated", "ndjson",
         "plain-list", "slurped"],
)  # fmt: skip
def test_runs_from_api_shapes(payload):
    runs = runs_from_api(payload)
    assert [r.run_id for r in runs] == [1, 2, 3]


def test_runs_are_deduplicated_keeping_latest_attempt():
    pages = [
        {"workflow_runs": [_run(7, run_attempt=2, conclusion="success")]},
        {"workflow_runs": [_run(7, run_attempt=1, conclusion="failure")]},
    ]
    (run,) = runs_from_api(pages)
    assert (run.attempt, run.conclusion) == (2, "success")


def test_openapi_examples_parse():
    spec = json.loads((SHARED / "openapi-subset.json").read_text())
    examples = spec["components"]["examples"]
    (run,) = runs_from_api(examples["workflow-run-paginated"]["value"])
    assert run.run_id == 30433642 and run.repo == "octocat/Hello-World"
    (job,) = jobs_from_api(examples["job-paginated"]["value"])
    assert job.repo == "octo-org/octo-repo"  # from run_url
    assert job.duration_s == 119
    assert job.labels == ("self-hosted", "foo", "bar")
    assert job.workflow == "CI"


def test_webhook_payloads_parse():
    run_payload = json.loads((SHARED / "webhooks/workflow_run/completed.payload.json").read_text())
    run = run_from_api(run_payload["workflow_run"])
    assert run.completed and run.run_id == run_payload["workflow_run"]["id"]
    job_payload = json.loads(
        (
            SHARED / "webhooks/workflow_job/completed.failure.with-organization.payload.json"
        ).read_text()
    )
    job = job_from_api(job_payload["workflow_job"], repo=job_payload["repository"]["full_name"])
    assert job.conclusion == "failure"
    assert job.queue_s == 60  # started_at − created_at
    assert job.repo == job_payload["repository"]["full_name"]


def test_iter_json_documents_reports_line_of_error():
    text = '{"a": 1}\n{"b": 2}\n{"c": }\n'
    with pytest.raises(ParseError, match=r"runs\.json:3:7: invalid JSON"):
        list(iter_json_documents(text, "runs.json"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty input"),
        ('{"total_count": 1, "workflow_runs": [', "invalid JSON"),
        ('{"foo": 1}', "not a GitHub 'workflow_runs' export"),
        ('{"workflow_runs": [{"id": 1}]}', "has no created_at"),
        ("[1, 2]", "not a GitHub 'workflow_runs' export"),
    ],
    ids=["empty", "truncated", "wrong-object", "missing-timestamp", "numbers"],
)
def test_load_runs_file_errors_name_the_file(tmp_path, content, message):
    path = tmp_path / "runs.json"
    path.write_text(content)
    with pytest.raises(ParseError, match=message) as info:
        load_runs_file(path)
    assert str(path) in str(info.value)


def test_load_missing_file(tmp_path):
    with pytest.raises(ParseError, match="cannot read"):
        load_jobs_file(tmp_path / "nope.json")
