"""Shadow mode end to end: the engines run and read, the fake GitHub receives no write at all,
and `pitcrew jobs --writes` lists what would have been written."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world
from tests.rebase_service_helpers import add_pull, branch_sha, commit, deliver, push_event

REPO = "octo-org/widgets"
WRITES = ("POST", "PATCH", "PUT", "DELETE")


def writes_received(fake) -> list[str]:
    """Every write GitHub got, minus minting installation tokens (not visible to anyone)."""
    return [
        f"{c.method} {c.path}"
        for c in fake.calls
        if c.method in WRITES and not c.path.endswith("/access_tokens")
    ]


async def jobs_writes(data_dir) -> list[dict]:
    """`pitcrew jobs --writes --format json`, run as the operator would."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "jobs", "--writes", "--format", "json",
        "--data-dir", str(data_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    return json.loads(out)


@pytest.fixture
def repo_with_labelled_pr(fake_github):
    world(fake_github, REPO, with_git=True)
    commit(fake_github, REPO, "main", {"app.py": "one\n"}, "Add app.py")
    add_pull(fake_github, REPO, 1, "feature", {"feature.txt": "hi\n"}, labels=["autorebase"])
    return REPO


async def move_main_and_ask_for_help(client, fake) -> None:
    before = branch_sha(fake, REPO, "main")
    after = commit(fake, REPO, "main", {"main.txt": "new\n"}, "main moves")
    await deliver(client, "push", push_event(fake, REPO, "main", before, after))
    await drain(client, timeout=30)
    await deliver(client, "issue_comment", comment_event(fake, REPO, 1, "/help"))
    await drain(client, timeout=30)


async def test_service_wide_shadow_sends_no_write_and_lists_them(
    repo_with_labelled_pr, fake_github, app_client, settings_factory, app_key, tmp_path
) -> None:
    head_before = branch_sha(fake_github, REPO, "feature")
    settings = pitcrew_settings(settings_factory, fake_github, app_key, PITCREW_MODE="shadow")
    client = await app_client(settings, policy=FAST_POLICY)
    await move_main_and_ask_for_help(client, fake_github)

    assert writes_received(fake_github) == []
    assert fake_github.pushes() == []
    assert branch_sha(fake_github, REPO, "feature") == head_before
    assert fake_github.calls_to("GET", "/repos/*/pulls")  # the reads still happened

    writes = await jobs_writes(tmp_path / "data")
    assert {"job_id", "delivery_id", "repo", "method", "path", "summary", "at"} <= set(writes[0])
    by_method = {(w["method"], w["path"]) for w in writes}
    assert ("PUSH", "refs/heads/feature") in by_method  # the rebase that would have happened
    assert ("POST", f"/repos/{REPO}/issues/1/comments") in by_method  # its comment and /help's
    assert any(m == "POST" and p.endswith("/reactions") for m, p in by_method)
    assert {w["repo"] for w in writes} == {REPO}
    help_job = {w["job_id"] for w in writes if w["method"] == "PUSH"} ^ {
        w["job_id"] for w in writes
    }
    help_writes = [w for w in writes if w["job_id"] in help_job]
    assert any(w["path"].endswith("/comments") and w["summary"].startswith("body: ")
               for w in help_writes), help_writes  # fmt: skip

    metrics = await (await client.get("/metrics")).text()
    counted = [line for line in metrics.splitlines() if line.startswith("pitcrew_shadow_writes")]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in counted) == len(writes)
    assert any('feature="rebase"' in line for line in counted), counted


@pytest.mark.parametrize("where", ["repo", "org"])
async def test_repo_or_org_config_shadow_then_live_without_restart(
    repo_with_labelled_pr, fake_github, app_client, settings_factory, app_key, tmp_path,
    where,
) -> None:  # fmt: skip
    if where == "org":
        fake_github.add_repo("octo-org/.github", with_git=True)
        commit(fake_github, "octo-org/.github", "main", {".github/pitcrew.yml": "mode: shadow\n"})
    else:
        commit(fake_github, REPO, "main", {".github/pitcrew.yml": "mode: shadow\n"})
    client = await app_client(
        pitcrew_settings(settings_factory, fake_github, app_key), policy=FAST_POLICY
    )
    await deliver(client, "issue_comment", comment_event(fake_github, REPO, 1, "/help"))
    await drain(client)
    assert writes_received(fake_github) == []
    assert len(await jobs_writes(tmp_path / "data")) >= 2  # reactions and the reply

    # the repository goes live (over the org's shadow default, too): its config changes on the
    # default branch, the service stays up
    before = branch_sha(fake_github, REPO, "main")
    after = commit(fake_github, REPO, "main", {".github/pitcrew.yml": "mode: live\n"}, "go live")
    push = push_event(fake_github, REPO, "main", before, after)
    change = {"id": after, "message": "go live", "added": [], "removed": []}
    push["commits"] = [{**change, "modified": [".github/pitcrew.yml"]}]  # as GitHub lists it
    await deliver(client, "push", push)
    await drain(client)
    await deliver(client, "issue_comment", comment_event(fake_github, REPO, 1, "/help"))
    await drain(client)
    replies = [c for c in fake_github.comments(REPO, 1) if "/rebase" in c["body"]]
    assert len(replies) == 1
    assert writes_received(fake_github)


async def test_live_by_default_records_nothing(
    repo_with_labelled_pr, fake_github, app_client, settings_factory, app_key, tmp_path
) -> None:
    client = await app_client(
        pitcrew_settings(settings_factory, fake_github, app_key), policy=FAST_POLICY
    )
    await deliver(client, "issue_comment", comment_event(fake_github, REPO, 1, "/help"))
    await drain(client)
    assert writes_received(fake_github)
    assert await jobs_writes(tmp_path / "data") == []
