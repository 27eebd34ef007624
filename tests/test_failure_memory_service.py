"""Failure memory end to end: the real app, the fake GitHub, each verdict with its evidence.

Each scenario is a history of job runs (events the way GitHub sends them) followed by one
failing PR job; the sticky diagnosis comment must say what memory knows, with the link.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

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


def pytest_log(test: str, message: str) -> str:
    lines = [
        "##[group]Run pytest -q",
        "pytest -q",
        "##[endgroup]",
        "=================================== FAILURES ===================================",
        f"_________________________________ {test} __________________________________",
        f"E       {message}",
        "tests/test_cart.py:7: AssertionError",
        "=========================== short test summary info ============================",
        f"FAILED tests/test_cart.py::{test} - {message}",
        "1 failed, 3 passed in 0.12s",
        "##[error]Process completed with exit code 1.",
    ]
    return "".join(TS + line + "\n" for line in lines)


BOOM = pytest_log("test_total", "assert 3 == 4")
CLOCK = iter(range(10_000))
START = datetime.now(UTC) - timedelta(days=1)


@pytest.fixture
async def env(app_client, settings_factory, fake_github, app_key):
    world(fake_github)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    return client, fake_github


async def send(client, event: str, payload: dict) -> None:
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers(event, body))
    assert resp.status in (200, 202), await resp.text()
    await drain(client)


def job_event(fake, job: dict) -> dict:
    name = "success" if job["conclusion"] == "success" else "failure"
    payload = load_example("workflow_job", f"completed.{name}.with-organization.payload.json")
    payload["workflow_job"] = job
    payload["repository"] = repo_json(fake, REPO)
    payload["installation"] = {"id": INSTALLATION}
    return payload


async def run_job(
    client,
    fake,
    *,
    sha: str,
    branch: str,
    pr: int | None,
    log: str | None,
    attempt: int = 1,
    run: dict | None = None,
    name: str = "test",
) -> dict:
    """One job of one run finishing: failed with ``log``, or passed when ``log`` is None."""
    conclusion = "failure" if log is not None else "success"
    if run is None:
        run = fake.add_workflow_run(
            REPO,
            head_sha=sha,
            head_branch=branch,
            status="completed",
            conclusion=conclusion,
            event="pull_request" if pr else "push",
            pull_requests=[pr] if pr else [],
            run_attempt=attempt,
        )
    job = fake.add_job(
        run["id"],
        name,
        conclusion,
        log=log or "",
        run_attempt=attempt,
        steps=["Set up job", ("Run pytest -q", conclusion)],
    )
    # GitHub's clock moves between jobs; the fake stamps them all in the same second.
    stamp = START + timedelta(minutes=next(CLOCK))
    job["completed_at"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    fake.state.find_run(run["id"])[0].jobs[job["id"]]["completed_at"] = job["completed_at"]
    await send(client, "workflow_job", job_event(fake, job))
    return job


def diagnosis(fake, number: int) -> str:
    [comment] = [
        c for c in fake.comments(REPO, number) if "<!-- pitcrew:diagnosis -->" in (c["body"] or "")
    ]
    return comment["body"]


def default_sha(fake) -> str:
    return fake.state.get_repo(REPO).resolve("main") or "0" * 40


async def test_new_in_this_pr(env):
    client, fake = env
    pr = fake.add_pull(REPO, 1, head_ref="feature", user_login="paula")
    await run_job(client, fake, sha=pr["head"]["sha"], branch="feature", pr=1, log=BOOM)
    body = diagnosis(fake, 1)
    assert "NEW FAILURES" in body
    assert "`test_total`: **NEW**: new in this PR" in body or "**NEW**: new in this PR" in body


async def test_broken_on_base_since_first_failing_commit(env):
    client, fake = env
    green = await run_job(client, fake, sha="a" * 40, branch="main", pr=None, log=None)
    first = await run_job(client, fake, sha="b" * 40, branch="main", pr=None, log=BOOM)
    await run_job(client, fake, sha="c" * 40, branch="main", pr=None, log=None)  # passed by chance
    pr = fake.add_pull(REPO, 2, head_ref="feature-2", user_login="paula")
    await run_job(client, fake, sha=pr["head"]["sha"], branch="feature-2", pr=2, log=BOOM)
    body = diagnosis(fake, 2)
    assert "BROKEN ON BASE" in body
    assert "also failing on `main` since [`bbbbbbb`](" + first["html_url"] + ")" in body
    assert green["html_url"] in body  # the last passing run before it


async def test_seen_in_other_prs_with_links(env):
    client, fake = env
    one = fake.add_pull(REPO, 3, head_ref="f3", user_login="paula")
    first = await run_job(client, fake, sha=one["head"]["sha"], branch="f3", pr=3, log=BOOM)
    two = fake.add_pull(REPO, 4, head_ref="f4", user_login="paula")
    await run_job(client, fake, sha=two["head"]["sha"], branch="f4", pr=4, log=BOOM)
    body = diagnosis(fake, 4)
    assert "seen in 1 other PR in the last 7 days" in body
    assert f"[#3]({first['html_url']})" in body


async def test_flaky_when_the_same_commit_passed_and_failed(env):
    client, fake = env
    one = fake.add_pull(REPO, 5, head_ref="f5", user_login="paula")
    sha = one["head"]["sha"]
    await run_job(client, fake, sha=sha, branch="f5", pr=5, log=BOOM)
    await run_job(client, fake, sha=sha, branch="f5", pr=5, log=None, attempt=2)
    two = fake.add_pull(REPO, 6, head_ref="f6", user_login="paula")
    await run_job(client, fake, sha=two["head"]["sha"], branch="f6", pr=6, log=BOOM)
    body = diagnosis(fake, 6)
    assert "FLAKY" in body
    assert "flaky: passed and failed on the same commit once in 30 days" in body


async def test_a_different_assertion_is_new(env):
    client, fake = env
    await run_job(client, fake, sha="b" * 40, branch="main", pr=None, log=BOOM)
    await run_job(client, fake, sha="c" * 40, branch="main", pr=None, log=None)
    pr = fake.add_pull(REPO, 7, head_ref="f7", user_login="paula")
    other = pytest_log("test_total", "assert total is None")
    await run_job(client, fake, sha=pr["head"]["sha"], branch="f7", pr=7, log=other)
    body = diagnosis(fake, 7)
    assert "BROKEN ON BASE" not in body and "new in this PR" in body


async def test_label_override_is_carried_to_another_pr(env):
    client, fake = env
    one = fake.add_pull(REPO, 8, head_ref="f8", user_login="paula")
    await run_job(client, fake, sha=one["head"]["sha"], branch="f8", pr=8, log=BOOM)
    await send(
        client,
        "issue_comment",
        comment_event(fake, REPO, 8, "/label-failure test infra", login="mia"),
    )
    two = fake.add_pull(REPO, 9, head_ref="f9", user_login="paula")
    await run_job(client, fake, sha=two["head"]["sha"], branch="f9", pr=9, log=BOOM)
    body = diagnosis(fake, 9)
    assert "INFRA" in body
    assert "labelled `infra` by @mia" in body


async def test_merge_queue_failure_comments_on_the_queued_pr(env):
    client, fake = env
    pr = fake.add_pull(REPO, 10, head_ref="f10", user_login="paula")
    queue_sha = "d" * 40
    branch = f"gh-readonly-queue/main/pr-10-{'e' * 40}"
    await run_job(client, fake, sha=queue_sha, branch=branch, pr=None, log=BOOM)
    body = diagnosis(fake, 10)
    assert "Failed in the merge queue." in body
    assert "test_total" in body
    assert pr["number"] == 10


async def test_first_broken_commit_blamed_on_its_pr_when_opted_in(env):
    client, fake = env
    fake.add_file(REPO, ".github/pitcrew.yml", "diagnose:\n  blame_comment: true\n")
    good = fake.add_file(REPO, "cart.py", "total = sum\n")
    bad = fake.add_file(REPO, "cart.py", "total = len\n")
    culprit = fake.add_pull(REPO, 11, head_ref="f11", user_login="paula")
    fake.state.get_repo(REPO).pulls[11].update(
        state="closed", merged_at="2026-11-20T10:00:00Z", merge_commit_sha=bad
    )
    green = await run_job(client, fake, sha=good, branch="main", pr=None, log=None)
    red = await run_job(client, fake, sha=bad, branch="main", pr=None, log=BOOM)
    [comment] = [c for c in fake.comments(REPO, 11) if "pitcrew:blame:" in c["body"]]
    body = comment["body"]
    assert "`test` started failing on `main` with this PR" in body
    assert f"red since [`{bad[:7]}`]({red['html_url']})" in body
    assert f"last green [`{good[:7]}`]({green['html_url']})" in body
    assert culprit["number"] == 11
    # a later failure with the same signature does not comment again
    await run_job(client, fake, sha=bad, branch="main", pr=None, log=BOOM, attempt=2)
    assert len([c for c in fake.comments(REPO, 11) if "pitcrew:blame:" in c["body"]]) == 1


async def test_no_blame_comment_without_the_opt_in(env):
    client, fake = env
    good = fake.add_file(REPO, "cart.py", "total = sum\n")
    bad = fake.add_file(REPO, "cart.py", "total = len\n")
    fake.add_pull(REPO, 12, head_ref="f12", user_login="paula")
    fake.state.get_repo(REPO).pulls[12].update(state="closed", merge_commit_sha=bad)
    await run_job(client, fake, sha=good, branch="main", pr=None, log=None)
    await run_job(client, fake, sha=bad, branch="main", pr=None, log=BOOM)
    assert not [c for c in fake.comments(REPO, 12) if "pitcrew:blame:" in c["body"]]
    assert not fake.calls_to("GET", "/repos/*/commits/*/pulls")


async def test_status_report_names_where_main_turned_red_and_the_flaky_tests(env):
    client, fake = env
    green = await run_job(client, fake, sha="1" * 40, branch="main", pr=None, log=None)
    red = await run_job(client, fake, sha="2" * 40, branch="main", pr=None, log=BOOM)
    pr = fake.add_pull(REPO, 30, head_ref="f30", user_login="paula")
    flaky_log = pytest_log("test_retry", "assert 'ok' == 'timeout'")
    await run_job(client, fake, sha=pr["head"]["sha"], branch="f30", pr=30, log=flaky_log)
    await run_job(client, fake, sha=pr["head"]["sha"], branch="f30", pr=30, log=None, attempt=2)
    await send(client, "issue_comment", comment_event(fake, REPO, 30, "/status", login="mia"))
    issues = fake.state.get_repo(REPO).issues.values()
    [report] = [i for i in issues if "## Failure memory" in (i.get("body") or "")]
    body = report["body"]
    assert f"`main` red since [`2222222`]({red['html_url']})" in body
    assert f"last green [`1111111`]({green['html_url']})" in body
    assert "| `tests/test_cart.py::test_retry` | CI / test | 1 | 1 | 50% |" in body
    assert "New since the last report: `tests/test_cart.py::test_retry`" in body
