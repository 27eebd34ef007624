"""The service with one PR git cannot merge: the others get their verdicts, that one no comment.

Real app, fake GitHub over HTTP, real git: after a push to ``main`` every open PR is checked in
one pass; a PR whose head shares no history with ``main`` must not stop the others' checks,
must get no conflict comment or label (there is nothing true to say about its lines), and is
logged once.
"""

from __future__ import annotations

import logging

import pytest

from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world
from tests.rebase_service_helpers import (
    add_pull,
    bot_comments,
    branch_sha,
    commit,
    deliver,
    push_event,
    sync_pull_refs,
)

REPO = "octo-org/widgets"
BASE_TEXT = "".join(f"line {i}\n" for i in range(1, 21))


def _edit(line: int, new: str) -> str:
    return BASE_TEXT.replace(f"line {line}\n", f"{new}\n")


def _orphan_pr(fake_github, number: int, branch: str) -> None:
    add_pull(fake_github, REPO, number, branch, {"alone.txt": "x\n"}, user_login="olga")
    store = fake_github.state.get_repo(REPO).git
    store.commit_files(branch, {"alone.txt": "alone\n"}, "no shared history", parent=None)
    sync_pull_refs(fake_github, REPO)


@pytest.mark.slow
async def test_unrelated_pr_is_logged_once_and_never_blocks_the_others(
    app_client, settings_factory, fake_github, app_key, caplog
):
    caplog.set_level(logging.INFO)
    world(fake_github, REPO, with_git=True)
    commit(fake_github, REPO, "main", {"app.py": BASE_TEXT}, "Add app.py")
    add_pull(fake_github, REPO, 3, "tweak", {"app.py": _edit(5, "pr 5")}, user_login="paula")
    _orphan_pr(fake_github, 4, "orphan")
    add_pull(fake_github, REPO, 5, "docs", {"docs.md": "docs\n"}, user_login="dora")
    client = await app_client(
        pitcrew_settings(settings_factory, fake_github, app_key), policy=FAST_POLICY
    )
    before = branch_sha(fake_github, REPO, "main")
    after = commit(fake_github, REPO, "main", {"app.py": _edit(5, "main 5")}, "main moves")
    await deliver(client, "push", push_event(fake_github, REPO, "main", before, after))
    await drain(client, timeout=30)

    assert "needs-rebase" in fake_github.labels(REPO, 3)  # the others got their verdicts
    [comment] = bot_comments(fake_github, REPO, 3)
    assert "| `app.py` | L6 | L8 |" in comment["body"]
    assert bot_comments(fake_github, REPO, 5) == []  # clean: nothing to say
    assert bot_comments(fake_github, REPO, 4) == [] and fake_github.comments(REPO, 4) == []
    assert "needs-rebase" not in fake_github.labels(REPO, 4)
    assert fake_github.pushes(REPO) == []
    about = [r for r in caplog.records if getattr(r, "pull", None) == 4]
    assert len(about) == 1, [r.getMessage() for r in about]
    assert "unrelated histories" in str(getattr(about[0], "error", ""))
    assert about[0].levelno == logging.WARNING


@pytest.mark.slow
async def test_rebase_command_on_unrelated_pr_changes_nothing_and_says_why(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github, REPO, with_git=True)
    commit(fake_github, REPO, "main", {"app.py": BASE_TEXT}, "Add app.py")
    _orphan_pr(fake_github, 6, "orphan")
    before = branch_sha(fake_github, REPO, "orphan")
    client = await app_client(
        pitcrew_settings(settings_factory, fake_github, app_key), policy=FAST_POLICY
    )
    payload = comment_event(fake_github, REPO, 6, "/rebase", login="alice")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    assert branch_sha(fake_github, REPO, "orphan") == before and fake_github.pushes() == []
    [status] = bot_comments(fake_github, REPO, 6)
    assert "Git cannot merge this branch with `main`" in status["body"]
    assert "unrelated histories" in status["body"] and "Nothing was changed" in status["body"]
    assert "git rebase" not in status["body"]  # no recipe that cannot work
    assert "needs-rebase" not in fake_github.labels(REPO, 6)
