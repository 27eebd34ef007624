"""The merge queue: PRs in it are left alone by the rebase pass; queue branches parse."""

from __future__ import annotations

import pytest

from bot.appkeys import CTX
from bot.kvstore import SQLiteKVStore
from bot.merge_queue import clear_queued, mark_queued, parse_queue_branch, queued_numbers
from tests.fakegithub import load_example
from tests.helpers import FAST_POLICY, INSTALLATION, drain, pitcrew_settings, repo_json, world
from tests.rebase_service_helpers import (
    add_pull,
    bot_comments,
    branch_sha,
    commit,
    deliver,
    pr_event,
    push_event,
)

REPO = "octo-org/widgets"
SHA = "929f8209d40f77f4abc622a499c93a83babdbe64"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (f"refs/heads/gh-readonly-queue/main/pr-104-{SHA}", ("main", 104)),
        (f"gh-readonly-queue/release/2.x/pr-7-{SHA}", ("release/2.x", 7)),
        ("gh-readonly-queue/main/pr-7", None),
        ("feature/pr-7-" + SHA, None),
        ("", None),
        (None, None),
    ],
)
def test_queue_branch_names(ref, expected):
    found = parse_queue_branch(ref)
    assert (None if found is None else (found.base, found.number)) == expected


def test_marks_are_per_pr_not_prefixes(tmp_path):
    kv = SQLiteKVStore(tmp_path / "kv.sqlite3")
    mark_queued(kv, "o/r", 12)
    mark_queued(kv, "o/r", 123)
    mark_queued(kv, "o/other", 5)
    clear_queued(kv, "o/r", 12)
    assert queued_numbers(kv, "o/r") == {123}
    assert queued_numbers(kv, "o/other") == {5}


def merge_group_event(fake, action: str, number: int) -> dict:
    payload = load_example("merge_group", "checks_requested.payload.json")
    payload["action"] = action
    payload["merge_group"]["head_ref"] = f"refs/heads/gh-readonly-queue/main/pr-{number}-{SHA}"
    if action == "destroyed":
        payload["reason"] = "dequeued"
    payload["repository"] = repo_json(fake, REPO)
    payload["installation"] = {"id": INSTALLATION}
    return payload


async def test_queued_pr_is_left_alone_then_checked_once_it_leaves(
    app_client, settings_factory, fake_github, app_key
):
    fake = fake_github
    world(fake, REPO, with_git=True)
    commit(fake, REPO, "main", {"app.py": "one\ntwo\n"}, "base")
    add_pull(fake, REPO, 3, "tweak", {"app.py": "one\nPR\n"}, user_login="paula")
    client = await app_client(pitcrew_settings(settings_factory, fake, app_key), policy=FAST_POLICY)

    await deliver(client, "merge_group", merge_group_event(fake, "checks_requested", 3))
    before = branch_sha(fake, REPO, "main")
    after = commit(fake, REPO, "main", {"app.py": "one\nmain\n"}, "main moves")
    await deliver(client, "push", push_event(fake, REPO, "main", before, after))
    await drain(client, timeout=30)
    assert bot_comments(fake, REPO, 3) == []  # in the queue: no label, no comment, no push
    assert "needs-rebase" not in fake.labels(REPO, 3)
    assert fake.pushes(REPO) == []

    await deliver(client, "merge_group", merge_group_event(fake, "destroyed", 3))
    await deliver(client, "pull_request", pr_event(fake, REPO, 3, "synchronize"))
    await drain(client, timeout=30)
    assert "needs-rebase" in fake.labels(REPO, 3)  # out of the queue: checked as usual


async def test_enqueued_and_dequeued_pull_request_actions(
    app_client, settings_factory, fake_github, app_key
):
    fake = fake_github
    world(fake, REPO, with_git=True)
    commit(fake, REPO, "main", {"app.py": "one\n"}, "base")
    add_pull(fake, REPO, 4, "tweak", {"app.py": "two\n"}, user_login="paula")
    client = await app_client(pitcrew_settings(settings_factory, fake, app_key), policy=FAST_POLICY)
    await deliver(client, "pull_request", pr_event(fake, REPO, 4, "enqueued"))
    await drain(client)
    kv = client.app[CTX].services.kv
    assert kv is not None and queued_numbers(kv, REPO) == {4}
    await deliver(client, "pull_request", pr_event(fake, REPO, 4, "dequeued"))
    await drain(client)
    assert queued_numbers(kv, REPO) == set()
