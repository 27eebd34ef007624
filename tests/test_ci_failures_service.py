"""CI failure diagnosis end to end: the real app, the fake GitHub, real-looking job logs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import delivery_headers
from tests.fakegithub import load_example
from tests.helpers import (
    FAST_POLICY,
    INSTALLATION,
    comment_event,
    drain,
    pitcrew_settings,
    repo_json,
    world,
)

REPO = "octo-org/widgets"
TS = "2026-11-20T10:00:00.0000000Z "


def actions_log(*steps: tuple[str, list[str], int]) -> str:
    """An Actions job log: each step a group, failing ones end with the exit-code error."""
    out = [TS + "##[group]Set up job", TS + "Runner name: 'hosted'", TS + "##[endgroup]"]
    for command, lines, code in steps:
        out.append(TS + f"##[group]Run {command}")
        out.append(TS + command)
        out.append(TS + "##[endgroup]")
        out.extend(TS + line for line in lines)
        if code:
            out.append(TS + f"##[error]Process completed with exit code {code}.")
    out.append(TS + "Cleaning up orphan processes")
    return "\n".join(out) + "\n"


PYTEST_FAILURE = actions_log(
    ("pip install -e .", ["Successfully installed widgets-0.1"], 0),
    (
        "pytest -q",
        [
            "..F.",
            "=================================== FAILURES ===================================",
            "_________________________________ test_total __________________________________",
            "    def test_total():",
            ">       assert total([1, 2]) == 4",
            "E       assert 3 == 4",
            "tests/test_cart.py:7: AssertionError",
            "=========================== short test summary info ============================",
            "FAILED tests/test_cart.py::test_total - assert 3 == 4",
            "1 failed, 3 passed in 0.12s",
        ],
        1,
    ),
)
NETWORK_FLAKE = actions_log(
    (
        "npm ci",
        [
            "npm ERR! code ECONNRESET",
            "npm ERR! network request to https://registry.npmjs.org/left-pad failed, reason: "
            "socket hang up",
            "npm ERR! network This is a problem related to network connectivity.",
        ],
        1,
    ),
)


@pytest.fixture
async def env(app_client, settings_factory, fake_github, app_key):
    world(fake_github)
    pr = fake_github.add_pull(REPO, 1, head_ref="feature", user_login="paula")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    return client, fake_github, pr


def run_for(fake, pr, **fields):
    return fake.add_workflow_run(
        REPO,
        head_sha=pr["head"]["sha"],
        head_branch=pr["head"]["ref"],
        event="pull_request",
        status="completed",
        conclusion=fields.pop("conclusion", "failure"),
        pull_requests=[pr["number"]],
        **fields,
    )


async def send(client, event: str, payload: dict, delivery: str | None = None) -> None:
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers(event, body, delivery))
    assert resp.status in (200, 202), await resp.text()
    await drain(client)


def job_event(fake, job: dict) -> dict:
    payload = load_example("workflow_job", "completed.failure.with-organization.payload.json")
    payload["workflow_job"] = job
    payload["repository"] = repo_json(fake, REPO)
    payload["installation"] = {"id": INSTALLATION}
    return payload


def run_event(fake, run: dict) -> dict:
    payload = load_example("workflow_run", "completed.with-pull-requests.payload.json")
    payload["workflow_run"] = run
    payload["repository"] = repo_json(fake, REPO)
    payload["installation"] = {"id": INSTALLATION}
    return payload


def diagnosis_comments(fake) -> list[dict]:
    return [c for c in fake.comments(REPO, 1) if "<!-- pitcrew:diagnosis -->" in (c["body"] or "")]


async def test_failure_gets_one_sticky_comment_then_turns_green(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    failed = fake.add_job(
        run["id"],
        "test (3.12)",
        "failure",
        steps=["Set up job", ("Run pytest -q", "failure")],
        log=PYTEST_FAILURE,
    )
    fake.add_job(run["id"], "lint", "success")
    await send(client, "workflow_job", job_event(fake, failed), "job-1")
    [comment] = diagnosis_comments(fake)
    body = comment["body"]
    assert "NEW FAILURES" in body
    assert "tests/test_cart.py::test_total" in body
    assert "test_failure" in body
    assert f"/job/{failed['id']}#step:" in body  # deep link to the failing line
    # issue 11: a plain test failure is not offered a re-run (it cannot help)
    assert "gh run rerun" not in body and "/retry` re-runs" not in body
    patches = len(fake.calls_to("PATCH", "/repos/*/issues/comments/*"))

    # redelivery and a second event with nothing new: the comment is not edited
    await send(client, "workflow_job", job_event(fake, failed), "job-1-again")
    assert len(fake.calls_to("PATCH", "/repos/*/issues/comments/*")) == patches
    assert len(fake.calls_to("GET", "/repos/*/actions/jobs/*/logs")) == 1  # log read once

    # re-run passes: same names, new attempt, success → edited (not deleted) to all green
    rerun = run_for(fake, pr, conclusion="success", run_attempt=2)
    fake.add_job(rerun["id"], "test (3.12)", "success")
    fake.add_job(rerun["id"], "lint", "success")
    await send(client, "workflow_run", run_event(fake, rerun))
    [comment] = diagnosis_comments(fake)
    assert "NEW FAILURES" not in comment["body"]
    assert "pass" in comment["body"].lower()


async def test_infra_flake_is_rerun_once_and_said(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    job = fake.add_job(
        run["id"],
        "build",
        "failure",
        steps=["Set up job", ("Run npm ci", "failure")],
        log=NETWORK_FLAKE,
    )
    await send(client, "workflow_run", run_event(fake, run), "run-1")
    assert len(fake.calls_to("POST", f"/repos/{REPO}/actions/runs/*/rerun-failed-jobs")) == 1
    await send(client, "workflow_run", run_event(fake, run), "run-1-redelivered-by-hand")
    assert len(fake.calls_to("POST", f"/repos/{REPO}/actions/runs/*/rerun-failed-jobs")) == 1
    [comment] = diagnosis_comments(fake)
    assert "INFRA" in comment["body"]
    assert "infra_network" in comment["body"]
    assert job["name"] in comment["body"]
    assert f"gh run rerun --job {job['id']}" in comment["body"]  # a re-run can help here


async def test_failing_on_base_too_is_shown_with_evidence(env):
    client, fake, pr = env
    base_run = fake.add_workflow_run(
        REPO, head_branch="main", event="push", status="completed", conclusion="failure"
    )
    base_job = fake.add_job(base_run["id"], "test (3.12)", "failure", log=PYTEST_FAILURE)
    run = run_for(fake, pr)
    failed = fake.add_job(run["id"], "test (3.12)", "failure", log=PYTEST_FAILURE)
    await send(client, "workflow_job", job_event(fake, failed))
    [comment] = diagnosis_comments(fake)
    assert "BROKEN ON BASE" in comment["body"]
    assert base_job["html_url"] in comment["body"]


async def test_non_actions_check_run_uses_its_output(env):
    client, fake, pr = env
    payload = load_example("check_run", "completed.payload.json")
    check = fake.state.add_check_run(
        REPO,
        name="ci/circleci: test",
        head_sha=pr["head"]["sha"],
        conclusion="failure",
        app_slug="circleci",
        output={
            "title": "Tests failed",
            "summary": "FAILED tests/test_api.py::test_login - AssertionError",
            "text": "1 failed, 20 passed",
        },
    )
    payload["check_run"] = fake._out(check)
    payload["repository"] = repo_json(fake, REPO)
    payload["installation"] = {"id": INSTALLATION}
    await send(client, "check_run", payload)
    [comment] = diagnosis_comments(fake)
    assert "tests/test_api.py::test_login" in comment["body"]


async def test_secrets_in_logs_never_reach_the_comment(env):
    client, fake, pr = env
    token = "ghp_" + "Z9" * 18
    log = actions_log(
        (
            "./deploy.sh",
            [f"curl -H 'Authorization: token {token}' failed", "Error: deploy failed"],
            1,
        )
    )
    run = run_for(fake, pr)
    failed = fake.add_job(run["id"], "deploy", "failure", log=log)
    await send(client, "workflow_job", job_event(fake, failed))
    [comment] = diagnosis_comments(fake)
    assert token not in comment["body"]


async def test_retry_command_reruns_failed_runs(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    fake.add_job(run["id"], "test", "failure", log=PYTEST_FAILURE)
    payload = comment_event(fake, REPO, 1, "/retry", login="paula")  # the PR's author
    await send(client, "issue_comment", payload)
    posts = fake.calls_to("POST", f"/repos/{REPO}/actions/runs/{run['id']}/rerun-failed-jobs")
    assert len(posts) == 1
    assert fake.reactions(payload["comment"]["id"]) == ["eyes", "rocket"]


async def test_label_override_moves_the_job(env):
    client, fake, pr = env
    run = run_for(fake, pr)
    failed = fake.add_job(run["id"], "test", "failure", log=PYTEST_FAILURE)
    await send(client, "workflow_job", job_event(fake, failed))
    assert "NEW FAILURES" in diagnosis_comments(fake)[0]["body"]
    await send(
        client,
        "issue_comment",
        comment_event(fake, REPO, 1, "/label-failure test flaky", login="mia"),
    )
    [comment] = diagnosis_comments(fake)
    assert "FLAKY" in comment["body"] and "NEW FAILURES" not in comment["body"]


async def test_pitcrews_own_failing_check_gets_no_diagnosis(env):
    client, fake, pr = env
    payload = load_example("check_run", "completed.payload.json")
    check = fake.state.add_check_run(
        REPO, name="pitcrew/config", head_sha=pr["head"]["sha"], conclusion="failure"
    )
    payload["check_run"] = fake._out(check)
    payload["repository"] = repo_json(fake, REPO)
    payload["installation"] = {"id": INSTALLATION}
    await send(client, "check_run", payload)
    assert diagnosis_comments(fake) == []


async def test_failed_job_finds_its_pr_by_commit_without_listing_every_open_pr(env):
    """A ``workflow_job`` names no PR: one PRs-of-a-commit call finds it (issue 15's soak: the
    listing of every open PR per failed job was the service's main cost)."""
    client, fake, pr = env
    for i in range(3):
        fake.add_pull(REPO, head_ref=f"other-{i}", user_login="paula")
    run = run_for(fake, pr)
    failed = fake.add_job(
        run["id"], "test", "failure", steps=[("Run pytest -q", "failure")], log=PYTEST_FAILURE
    )
    await send(client, "workflow_job", job_event(fake, failed))
    assert len(diagnosis_comments(fake)) == 1
    assert len(fake.calls_to("GET", "/repos/*/commits/*/pulls")) == 1
    assert not fake.calls_to("GET", f"/repos/{REPO}/pulls")


async def test_pr_missing_from_the_commit_list_is_still_found_by_scanning(env):
    """GitHub's PRs-of-a-commit list often leaves out fork PRs: an empty answer falls back to
    listing the open PRs."""
    client, fake, pr = env
    fake.inject("GET", "/repos/*/commits/*/pulls", status=200, body=[])
    run = run_for(fake, pr)
    failed = fake.add_job(
        run["id"], "test", "failure", steps=[("Run pytest -q", "failure")], log=PYTEST_FAILURE
    )
    await send(client, "workflow_job", job_event(fake, failed))
    assert len(diagnosis_comments(fake)) == 1
    assert fake.calls_to("GET", f"/repos/{REPO}/pulls")
