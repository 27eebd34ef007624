"""Issue 11 in the service: JUnit artifacts, the pitcrew/lint check run, links to source.

The real app against the fake GitHub (every call validated against the REST description).
"""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.helpers import FAST_POLICY, pitcrew_settings, world
from tests.test_ci_failures_service import (
    PYTEST_FAILURE,
    REPO,
    actions_log,
    diagnosis_comments,
    job_event,
    run_for,
    send,
)

APP_PY = "".join(f"value_{n} = {n}\n" for n in range(1, 31))
RUFF_FAILURE = actions_log(
    (
        "ruff check .",
        [
            "src/app.py:3:1: F401 [*] `os` imported but unused",
            "src/app.py:12:80: E501 Line too long (120 > 79)",
            "README.md:1:1: E999 not in the diff",
            "Found 3 errors.",
        ],
        1,
    ),
)
JUNIT = b"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4" failures="1">
<testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py" line="7">
<failure message="AssertionError: total([1, 2]) is 3, expected 4">tests/test_cart.py:7:
</failure></testcase></testsuite></testsuites>
"""


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
async def env(app_client, settings_factory, fake_github, app_key):
    world(fake_github, with_git=True)
    pr = fake_github.add_pull(
        REPO,
        1,
        head_ref="feature",
        user_login="paula",
        files={"src/app.py": APP_PY, "tests/test_cart.py": "def test_total():\n    pass\n"},
    )
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    return client, fake_github, pr


def lint_runs(fake) -> list[dict]:
    return [r for r in fake.check_runs(REPO) if r["name"] == "pitcrew/lint"]


async def test_junit_report_message_wins_and_the_test_links_to_its_line(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "test",
        "failure",
        steps=["Set up job", ("Run pytest -q", "failure")],
        log=PYTEST_FAILURE,
    )
    fake.add_artifact(run["id"], "junit-results", _zip({"reports/junit.xml": JUNIT}))
    fake.add_artifact(run["id"], "coverage", _zip({"coverage.txt": b"83%"}))
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    [comment] = diagnosis_comments(fake)
    body = comment["body"]
    assert "`AssertionError: total([1, 2]) is 3, expected 4`" in body  # the report's message
    assert "(from the JUnit report)" in body
    sha = pr["head"]["sha"]
    assert f"/{REPO}/blob/{sha}/tests/test_cart.py#L7)" in body  # the file exists at head
    assert len(fake.calls_to("GET", f"/repos/{REPO}/actions/runs/*/artifacts")) == 1
    assert all(
        "authorization" not in (b["authorization"] or "").lower() and not b["authorization"]
        for b in fake.blob_requests
    )  # the pre-signed download URL never gets our token


async def test_a_malformed_artifact_is_skipped_and_the_log_still_explains(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "test",
        "failure",
        steps=["Set up job", ("Run pytest -q", "failure")],
        log=PYTEST_FAILURE,
    )
    fake.add_artifact(run["id"], "junit", b"PK\x03\x04 not really a zip")
    fake.add_artifact(run["id"], "junit2", _zip({"a.xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>"}))
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    [comment] = diagnosis_comments(fake)
    assert "`tests/test_cart.py::test_total`: `assert 3 == 4`" in comment["body"]
    assert "JUnit" not in comment["body"]


async def test_lint_findings_on_changed_lines_become_one_check_run(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "lint",
        "failure",
        steps=["Set up job", ("Run ruff check .", "failure")],
        log=RUFF_FAILURE,
    )
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    [check] = lint_runs(fake)
    assert check["head_sha"] == pr["head"]["sha"] and check["conclusion"] == "failure"
    assert "2 findings on changed lines" in check["output"]["title"]
    assert "1 more outside the diff" in check["output"]["summary"]
    notes = fake.state.get_repo(REPO).annotations[check["id"]]
    assert sorted((n["path"], n["start_line"]) for n in notes) == [
        ("src/app.py", 3),
        ("src/app.py", 12),
    ]

    # the same failure reported again (a second event, a re-run of the diagnosis): the
    # same check run is updated, no annotation is sent twice
    await send(client, "workflow_job", job_event(fake, job), "job-1-again")
    await send(client, "workflow_run", _run_event(fake, run), "run-1")
    assert len(lint_runs(fake)) == 1
    assert len(fake.state.get_repo(REPO).annotations[check["id"]]) == 2


async def test_more_than_fifty_annotations_go_in_batches(env):
    client, fake, pr = env
    lines = [f"src/app.py:{n}:1: E101 finding {n}" for n in range(1, 31)]
    lines += [f"src/app.py:{n}:5: W291 trailing {n}" for n in range(1, 31)]
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "lint",
        "failure",
        steps=["Set up job", ("Run ruff check .", "failure")],
        log=actions_log(("ruff check .", [*lines, "Found 60 errors."], 1)),
    )
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    [check] = lint_runs(fake)
    assert len(fake.state.get_repo(REPO).annotations[check["id"]]) == 60
    writes = [
        c
        for c in fake.calls_to("POST", f"/repos/{REPO}/check-runs")
        + fake.calls_to("PATCH", f"/repos/{REPO}/check-runs/*")
    ]
    sizes = sorted(
        len(((c.body or {}).get("output") or {}).get("annotations") or []) for c in writes
    )
    assert sizes == [10, 50]


async def test_annotations_can_be_turned_off(env):
    client, fake, pr = env
    fake.add_file(REPO, ".github/pitcrew.yml", "diagnose:\n  annotations: false\n")
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "lint",
        "failure",
        steps=["Set up job", ("Run ruff check .", "failure")],
        log=RUFF_FAILURE,
    )
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    assert lint_runs(fake) == []
    assert diagnosis_comments(fake)  # the comment itself is still written


def _run_event(fake, run):
    from tests.test_ci_failures_service import run_event

    return run_event(fake, run)


async def test_jobs_skipped_after_a_failure_are_named(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "test",
        "failure",
        steps=["Set up job", ("Run pytest -q", "failure")],
        log=PYTEST_FAILURE,
    )
    fake.add_job(run["id"], "deploy", "skipped")
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    [comment] = diagnosis_comments(fake)
    assert "Did not run (skipped after the failures below): `deploy`." in comment["body"]


async def test_a_silent_log_with_a_report_is_a_test_failure_with_its_tests(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "test",
        "failure",
        steps=["Set up job", ("Run ./ci/check.sh", "failure")],
        log=actions_log(("./ci/check.sh", ["done."], 1)),
    )
    fake.add_artifact(run["id"], "reports", _zip({"junit.xml": JUNIT}))
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    [comment] = diagnosis_comments(fake)
    body = comment["body"]
    assert "`test_failure`" in body and "(from the JUnit report)" in body
    assert "`tests.test_cart.test_total`: `AssertionError: total([1, 2]) is 3, expected 4`" in body


async def test_a_report_of_failed_tests_does_not_overrule_a_lint_rule(env):
    """The report decides only where the log named no cause: ruff's own findings keep the
    job `lint` although another job of the run uploaded a report with a failed test."""
    client, fake, pr = env
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "lint",
        "failure",
        steps=["Set up job", ("Run ruff check .", "failure")],
        log=RUFF_FAILURE,
    )
    fake.add_artifact(run["id"], "reports", _zip({"junit.xml": JUNIT}))
    await send(client, "workflow_job", job_event(fake, job), "job-1")
    [comment] = diagnosis_comments(fake)
    assert "`lint`" in comment["body"] and "(from the JUnit report)" not in comment["body"]
