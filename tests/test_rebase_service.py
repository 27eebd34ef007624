"""The rebase service end to end: Pitcrew's real app, the fake GitHub, real git over smart HTTP.

Every test starts the real aiohttp app (queue, workers, dispatch) against the fake, whose
repositories are bare git repos served by ``git http-backend``; the bot's mirror fetches and
pushes over HTTP with the installation token exactly as it would against github.com.
"""

from __future__ import annotations

import logging

import pytest

from bot.appkeys import QUEUE
from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world
from tests.rebase_service_helpers import (
    add_pull,
    bot_comments,
    branch_sha,
    commit,
    deliver,
    label,
    log_of,
    pr_event,
    push_event,
    sync_pull_refs,
)

REPO = "octo-org/widgets"
BASE_FILE = "app.py"
BASE_TEXT = "".join(f"line {i}\n" for i in range(1, 21))


def edit(text: str, line: int, new: str) -> str:
    lines = text.splitlines(keepends=True)
    lines[line - 1] = new + "\n"
    return "".join(lines)


@pytest.fixture
async def setup(app_client, settings_factory, fake_github, app_key):
    """A git-backed repo with ``app.py`` on main; returns a starter for the app."""
    world(fake_github, REPO, with_git=True)
    commit(fake_github, REPO, "main", {BASE_FILE: BASE_TEXT}, "Add app.py")

    async def start(config: str | None = None):
        if config is not None:
            commit(fake_github, REPO, "main", {".github/pitcrew.yml": config}, "config")
        settings = pitcrew_settings(settings_factory, fake_github, app_key)
        return await app_client(settings, policy=FAST_POLICY)

    return start


async def move_main(client, fake, files: dict[str, str], message: str = "main moves") -> str:
    before = branch_sha(fake, REPO, "main")
    after = commit(fake, REPO, "main", files, message)
    await deliver(client, "push", push_event(fake, REPO, "main", before, after))
    await drain(client, timeout=30)
    return after


def tokens_seen(fake) -> set[str]:
    return {t.value for t in fake.state.tokens.values()}


async def test_labelled_clean_pr_is_rebased_and_pushed_with_the_installation_token(
    setup, fake_github, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    add_pull(
        fake_github,
        REPO,
        1,
        "feature",
        {"feature.txt": "hi\n"},
        user_login="paula",
        labels=["autorebase"],
    )
    add_pull(fake_github, REPO, 2, "other", {"other.txt": "x\n"}, user_login="olga")
    old_head = branch_sha(fake_github, REPO, "feature")
    client = await setup()
    new_main = await move_main(client, fake_github, {"main.txt": "new\n"})

    new_head = branch_sha(fake_github, REPO, "feature")
    assert new_head != old_head
    repo_git = fake_github.state.get_repo(REPO).git
    assert repo_git.merge_base(new_head, new_main) == new_main  # rebased onto the new main
    assert repo_git.commit_info(new_head).parents == [new_main]
    assert log_of(fake_github, REPO, "feature", 1) == ["Add feature.txt"]
    assert branch_sha(fake_github, REPO, "other") != new_head  # unlabelled: left alone

    [push] = fake_github.pushes(REPO)
    assert push.username == "x-access-token" and push.token in tokens_seen(fake_github)
    assert push.installation_id == 77
    [comment] = bot_comments(fake_github, REPO, 1)
    assert "rebased the branch onto its base" in comment["body"]
    assert "`autorebase` label" in comment["body"] and "installation token" in comment["body"]
    assert bot_comments(fake_github, REPO, 2) == []

    # the token is nowhere it must not be
    token = push.token
    mirror_config = tmp_path / "data" / "mirrors" / "octo-org" / "widgets.git" / "config"
    assert mirror_config.exists() and token not in mirror_config.read_text()
    assert all(token not in c["body"] for c in fake_github.comments(REPO, 1))
    assert token not in caplog.text
    assert push.authorization and push.authorization.split()[-1] not in caplog.text


async def test_conflict_is_labelled_and_explained_then_marked_resolved(setup, fake_github):
    add_pull(
        fake_github,
        REPO,
        3,
        "tweak",
        {BASE_FILE: edit(BASE_TEXT, 5, "pr line 5")},
        user_login="paula",
    )
    client = await setup()
    main_text = edit(BASE_TEXT, 5, "main line 5")
    await move_main(client, fake_github, {BASE_FILE: main_text})

    assert "needs-rebase" in fake_github.labels(REPO, 3)
    [comment] = bot_comments(fake_github, REPO, 3)
    body = comment["body"]
    assert "conflicts with `main`" in body
    # the file and each side's lines in git's marker file: `<<<<<<<` takes line 5, main's line
    # follows, then `=======`, then the PR's line
    assert "| `app.py` | L6 | L8 |" in body
    assert "git rebase origin/main" in body and "git push --force-with-lease origin tweak" in body
    assert "did not update the branch" in body  # which path was taken, and why
    assert fake_github.pushes(REPO) == []  # unlabelled: reported, never touched

    # main moves again, same conflict: still one comment, one label, and no edit call
    edits = len(fake_github.calls_to("PATCH", "/repos/*/issues/comments/*"))
    await move_main(client, fake_github, {"unrelated.txt": "x\n"})
    assert len(bot_comments(fake_github, REPO, 3)) == 1
    assert len(fake_github.calls_to("PATCH", "/repos/*/issues/comments/*")) == edits
    assert fake_github.labels(REPO, 3).count("needs-rebase") == 1

    # the author fixes the branch (takes main's line): the conflict is gone
    commit(fake_github, REPO, "tweak", {BASE_FILE: main_text}, "resolve")
    await deliver(client, "pull_request", pr_event(fake_github, REPO, 3, "synchronize"))
    await drain(client, timeout=30)
    assert "needs-rebase" not in fake_github.labels(REPO, 3)
    [edited] = bot_comments(fake_github, REPO, 3)
    assert edited["id"] == comment["id"]  # edited in place, not a new comment
    assert "No conflicts with `main`" in edited["body"] and "~~" in edited["body"]


async def test_author_push_during_rebase_is_never_overwritten(setup, fake_github, monkeypatch):
    """The author's push lands between Pitcrew's read of the head and its push: the lease
    refuses, the author's commit stays, and the comment says so."""
    from tests.fakegithub import githttp

    add_pull(
        fake_github,
        REPO,
        4,
        "racy",
        {"racy.txt": "v1\n"},
        user_login="paula",
        labels=["autorebase"],
    )
    read_head = branch_sha(fake_github, REPO, "racy")
    client = await setup()
    real_backend = githttp._run_backend
    moved: list[str] = []

    async def author_pushes_first(request, path, tail, record):
        if record.service == "git-receive-pack" and not moved:
            assert any(c.status == 200 for c in fake_github.calls_to("GET", "/repos/*/pulls/4"))
            moved.append(commit(fake_github, REPO, "racy", {"racy.txt": "v2\n"}, "author's work"))
        return await real_backend(request, path, tail, record)

    monkeypatch.setattr(githttp, "_run_backend", author_pushes_first)
    await move_main(client, fake_github, {"main.txt": "new\n"})

    assert moved, "Pitcrew never tried to push"
    assert branch_sha(fake_github, REPO, "racy") == moved[0]  # the author's commit survived
    assert fake_github.state.get_repo(REPO).git.commit_info(moved[0]).parents == [read_head]
    assert fake_github.pushes(REPO) == []  # the lease refused before anything was sent
    [comment] = bot_comments(fake_github, REPO, 4)
    assert "nothing was overwritten" in comment["body"]
    assert f"`{read_head[:12]}`" in comment["body"]  # the head Pitcrew had read
    assert "git push --force-with-lease origin racy" in comment["body"]  # finish by hand
    jobs = await client.app[QUEUE].list_jobs()
    assert all(j.status == "done" for j in jobs), [(j.event, j.status) for j in jobs]


async def test_rebase_command_by_author_works_and_read_only_stranger_is_refused(setup, fake_github):
    add_pull(fake_github, REPO, 5, "mine", {"mine.txt": "x\n"}, user_login="paula")
    client = await setup()
    before = branch_sha(fake_github, REPO, "mine")
    commit(fake_github, REPO, "main", {"main.txt": "new\n"})  # main moved, no push event

    refused = comment_event(fake_github, REPO, 5, "/rebase", login="rita")  # read, not author
    await deliver(client, "issue_comment", refused)
    await drain(client, timeout=30)
    assert branch_sha(fake_github, REPO, "mine") == before
    assert fake_github.pushes(REPO) == []
    assert any("needs write access" in c["body"] for c in fake_github.comments(REPO, 5))

    ok = comment_event(fake_github, REPO, 5, "/rebase", login="paula")  # the PR's author
    await deliver(client, "issue_comment", ok)
    await drain(client, timeout=30)
    after = branch_sha(fake_github, REPO, "mine")
    assert after != before
    assert fake_github.state.get_repo(REPO).git.commit_info(after).parents == [
        branch_sha(fake_github, REPO, "main")
    ]
    assert fake_github.reactions(ok["comment"]["id"]) == ["eyes", "rocket"]
    [status] = bot_comments(fake_github, REPO, 5)
    assert "requested by @paula with `/rebase`" in status["body"]
    assert len(fake_github.pushes(REPO)) == 1


async def test_rebase_merge_uses_update_branch_api_with_expected_head(setup, fake_github):
    add_pull(fake_github, REPO, 6, "merge-me", {"m.txt": "x\n"}, user_login="paula")
    client = await setup()
    head = branch_sha(fake_github, REPO, "merge-me")
    main = commit(fake_github, REPO, "main", {"main.txt": "new\n"})

    payload = comment_event(fake_github, REPO, 6, "/rebase merge", login="alice")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    calls = fake_github.state.get_repo(REPO).update_branch_calls
    assert calls == [{"number": 6, "expected_head_sha": head}]
    merged = fake_github.state.get_repo(REPO).git.commit_info(
        branch_sha(fake_github, REPO, "merge-me")
    )
    assert merged.parents == [head, main]
    [status] = bot_comments(fake_github, REPO, 6)
    assert "update-branch API" in status["body"] and "expected_head_sha" in status["body"]
    assert fake_github.pushes(REPO) == []  # GitHub did the merge, not a git push


async def test_fork_without_maintainer_edits_is_explained_and_not_pushed(setup, fake_github):
    add_pull(
        fake_github,
        REPO,
        7,
        "fork-work",
        {"f.txt": "x\n"},
        user_login="fred",
        fork=True,
        maintainer_can_modify=False,
    )
    client = await setup()
    commit(fake_github, REPO, "main", {"main.txt": "new\n"})
    payload = comment_event(fake_github, REPO, 7, "/rebase", login="fred")  # author, no access
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    assert fake_github.pushes() == []
    [status] = bot_comments(fake_github, REPO, 7)
    assert "does not allow edits by maintainers" in status["body"]
    assert "fred/widgets" in status["body"] and "Allow edits by maintainers" in status["body"]
    assert "git fetch upstream main" in status["body"]  # commands for the fork's clone
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]


async def test_fork_allowing_maintainer_edits_is_pushed_to_the_fork(setup, fake_github):
    add_pull(
        fake_github,
        REPO,
        8,
        "fork-ok",
        {"f.txt": "x\n"},
        user_login="fred",
        fork=True,
        maintainer_can_modify=True,
        labels=["autorebase"],
    )
    client = await setup()
    before = fake_github.state.get_repo("fred/widgets").git.resolve("fork-ok")
    await move_main(client, fake_github, {"main.txt": "new\n"})
    [push] = fake_github.pushes("fred/widgets")
    assert push.installation_id == 77
    assert fake_github.state.get_repo("fred/widgets").git.resolve("fork-ok") != before
    assert fake_github.pushes(REPO) == []


async def test_rejected_push_is_reported_once_without_retry_loop(setup, fake_github):
    add_pull(
        fake_github, REPO, 9, "guarded", {"g.txt": "x\n"}, user_login="paula", labels=["autorebase"]
    )
    hook = fake_github.state.get_repo(REPO).git.path / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = branch_sha(fake_github, REPO, "guarded")
    client = await setup()
    await move_main(client, fake_github, {"main.txt": "new\n"})
    assert branch_sha(fake_github, REPO, "guarded") == before
    assert len(fake_github.pushes(REPO)) == 1  # one attempt, no retry loop
    [status] = bot_comments(fake_github, REPO, 9)
    assert "The push was rejected" in status["body"] and "will not retry" in status["body"]
    assert "git rebase origin/main" in status["body"]
    jobs = await client.app[QUEUE].list_jobs()
    assert all(j.status == "done" and j.attempts == 1 for j in jobs)


async def test_own_synchronize_is_checked_but_never_updated_again(setup, fake_github):
    add_pull(
        fake_github, REPO, 10, "loop", {"l.txt": "x\n"}, user_login="paula", labels=["autorebase"]
    )
    client = await setup()
    await move_main(client, fake_github, {"main.txt": "one\n"})
    assert len(fake_github.pushes(REPO)) == 1
    commit(fake_github, REPO, "main", {"main.txt": "two\n"})  # behind again
    await deliver(
        client,
        "pull_request",
        pr_event(fake_github, REPO, 10, "synchronize", sender="pitcrew[bot]"),
    )
    await drain(client, timeout=30)
    assert len(fake_github.pushes(REPO)) == 1  # our own push does not trigger another


async def test_auto_all_updates_unlabelled_prs_but_not_drafts(setup, fake_github):
    add_pull(fake_github, REPO, 11, "plain", {"p.txt": "x\n"}, user_login="paula")
    add_pull(fake_github, REPO, 12, "drafty", {"d.txt": "x\n"}, user_login="paula", draft=True)
    client = await setup("rebase:\n  auto: all\n")
    draft_head = branch_sha(fake_github, REPO, "drafty")
    await move_main(client, fake_github, {"main.txt": "new\n"})
    assert len(fake_github.pushes(REPO)) == 1
    assert branch_sha(fake_github, REPO, "drafty") == draft_head
    [status] = bot_comments(fake_github, REPO, 11)
    assert "`rebase.auto` is `all`" in status["body"]


async def test_hundred_open_prs_are_checked_in_one_pass(setup, fake_github):
    conflicting = {17, 42, 99}
    for n in range(1, 101):
        files = (
            {BASE_FILE: edit(BASE_TEXT, 3, f"pr {n}")}
            if n in conflicting
            else {f"f{n}.txt": f"{n}\n"}
        )
        fake_github.add_pull(REPO, n, head_ref=f"topic-{n}", files=files, user_login="paula")
    label(fake_github, REPO, 50, "autorebase")
    sync_pull_refs(fake_github, REPO)
    client = await setup()
    start = len(fake_github.calls)
    await move_main(client, fake_github, {BASE_FILE: edit(BASE_TEXT, 3, "main 3")})

    calls = fake_github.calls[start:]
    lists = [c for c in calls if c.method == "GET" and c.path == f"/repos/{REPO}/pulls"]
    assert 1 <= len(lists) <= 2
    assert lists[0].query.get("base") == "main" and lists[0].query.get("state") == "open"
    assert {
        n for n in range(1, 101) if "needs-rebase" in fake_github.labels(REPO, n)
    } == conflicting
    for n in conflicting:
        assert len(bot_comments(fake_github, REPO, n)) == 1
    assert len(fake_github.pushes(REPO)) == 1  # only the labelled PR was updated
    fetches = [
        g for g in fake_github.git_requests if g.service == "git-upload-pack" and g.method == "POST"
    ]
    # the feature's own API calls (config loading and the App's start-up calls are shared):
    # ≤ 2 list pages; per conflicted PR a label, a comment lookup and a post; for the labelled
    # PR a fresh GET, a comment lookup and a post. The check itself costs no API call.
    ours = [
        c for c in calls if c.path.startswith((f"/repos/{REPO}/pulls", f"/repos/{REPO}/issues"))
    ]
    assert len(ours) <= 2 + 3 * len(conflicting) + 3, [(c.method, c.path) for c in ours]
    per_pr_reads = {c.path for c in ours if c.method == "GET" and "/pulls/" in c.path}
    assert per_pr_reads == {f"/repos/{REPO}/pulls/50"}  # only the PR about to be updated
    # one clone + one fetch for all 100 heads (+ a few batched lazy blob fetches): O(1), not O(PRs)
    assert len(fetches) <= 10


async def test_stale_view_is_never_acted_on(setup, fake_github):
    """GitHub's PR ref lags the branch: the head read from the API is not what the mirror
    holds, so nothing is pushed."""
    add_pull(
        fake_github,
        REPO,
        13,
        "lagging",
        {"x.txt": "1\n"},
        user_login="paula",
        labels=["autorebase"],
    )
    client = await setup()
    # the author pushes, but refs/pull/13/head is not updated yet
    git = fake_github.state.get_repo(REPO).git
    moved = git.commit_files("lagging", {"x.txt": "2\n"}, "new")
    before = branch_sha(fake_github, REPO, "main")
    after = git.commit_files("main", {"main.txt": "new\n"}, "main moves")
    await deliver(client, "push", push_event(fake_github, REPO, "main", before, after))
    await drain(client, timeout=30)
    assert branch_sha(fake_github, REPO, "lagging") == moved
    assert fake_github.pushes(REPO) == []
    [status] = bot_comments(fake_github, REPO, 13)
    assert (
        "nothing was overwritten" in status["body"].lower()
        or "Nothing was changed" in status["body"]
    )


async def test_pr_opened_is_checked_and_conflicts_reported(setup, fake_github):
    add_pull(
        fake_github, REPO, 14, "fresh", {BASE_FILE: edit(BASE_TEXT, 9, "pr 9")}, user_login="paula"
    )
    commit(fake_github, REPO, "main", {BASE_FILE: edit(BASE_TEXT, 9, "main 9")})
    client = await setup()
    await deliver(client, "pull_request", pr_event(fake_github, REPO, 14, "opened"))
    await drain(client, timeout=30)
    assert "needs-rebase" in fake_github.labels(REPO, 14)
    [status] = bot_comments(fake_github, REPO, 14)
    assert "| `app.py` | L10 | L12 |" in status["body"]  # line 9 conflicts: see above


async def test_rebase_command_on_conflicted_pr_explains_and_pushes_nothing(setup, fake_github):
    add_pull(
        fake_github, REPO, 19, "clash", {BASE_FILE: edit(BASE_TEXT, 7, "pr 7")}, user_login="paula"
    )
    commit(fake_github, REPO, "main", {BASE_FILE: edit(BASE_TEXT, 7, "main 7")})
    before = branch_sha(fake_github, REPO, "clash")
    client = await setup()
    payload = comment_event(fake_github, REPO, 19, "/rebase", login="alice")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    assert branch_sha(fake_github, REPO, "clash") == before and fake_github.pushes() == []
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]
    assert "needs-rebase" in fake_github.labels(REPO, 19)
    [status] = bot_comments(fake_github, REPO, 19)
    assert "tried to rebase (requested by @alice with `/rebase`)" in status["body"]
    assert "| `app.py` | L8 | L10 |" in status["body"]  # line 7: the rebase stop's markers
    assert "nothing was pushed" in status["body"]


@pytest.mark.parametrize("hostile", ["$(touch${IFS}pwned)", "x;touch${IFS}pwned", "a|b"])
async def test_hostile_head_branch_is_refused_and_nothing_runs(
    setup, fake_github, tmp_path, monkeypatch, hostile
):
    monkeypatch.chdir(tmp_path)
    add_pull(
        fake_github,
        REPO,
        15,
        hostile,
        {BASE_FILE: edit(BASE_TEXT, 2, "pr")},
        user_login="paula",
        labels=["autorebase"],
    )
    add_pull(
        fake_github, REPO, 16, "fine", {BASE_FILE: edit(BASE_TEXT, 2, "pr")}, user_login="paula"
    )
    client = await setup()
    await move_main(client, fake_github, {BASE_FILE: edit(BASE_TEXT, 2, "main")})
    assert not (tmp_path / "pwned").exists()
    assert fake_github.pushes(REPO) == [] and bot_comments(fake_github, REPO, 15) == []
    assert "needs-rebase" in fake_github.labels(REPO, 16)  # the other PRs are still handled
    payload = comment_event(fake_github, REPO, 15, "/rebase", login="paula")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    [reply] = [c for c in fake_github.comments(REPO, 15) if "pitcrew:reply" in c["body"]]
    assert "rename the branch" in reply["body"] and hostile not in reply["body"]
    assert fake_github.pushes(REPO) == [] and not (tmp_path / "pwned").exists()


async def test_opted_in_union_rule_resolves_a_changelog_conflict(setup, fake_github):
    add_pull(
        fake_github,
        REPO,
        17,
        "news",
        {"CHANGELOG.md": "- base\n- from the PR\n"},
        user_login="paula",
        labels=["autorebase"],
    )
    client = await setup(
        "rebase:\n  resolve:\n    - paths: [CHANGELOG.md]\n      strategy: union\n"
    )
    await move_main(client, fake_github, {"CHANGELOG.md": "- base\n- from main\n"})
    text = fake_github.state.get_repo(REPO).git.read("news", "CHANGELOG.md").decode()
    assert "from main" in text and "from the PR" in text
    assert len(fake_github.pushes(REPO)) == 1
    [status] = bot_comments(fake_github, REPO, 17)
    assert "`CHANGELOG.md`: `union`" in status["body"]
    assert "needs-rebase" not in fake_github.labels(REPO, 17)


async def test_adding_the_opt_in_label_updates_now(setup, fake_github):
    add_pull(fake_github, REPO, 18, "later", {"later.txt": "x\n"}, user_login="paula")
    client = await setup()
    commit(fake_github, REPO, "main", {"main.txt": "new\n"})
    label(fake_github, REPO, 18, "autorebase")
    payload = pr_event(fake_github, REPO, 18, "labeled", sender="mia")
    payload["label"] = {
        "name": "autorebase",
        "id": 1,
        "node_id": "x",
        "url": "",
        "color": "ededed",
        "default": False,
        "description": None,
    }
    await deliver(client, "pull_request", payload)
    await drain(client, timeout=30)
    assert len(fake_github.pushes(REPO)) == 1
    [status] = bot_comments(fake_github, REPO, 18)
    assert "the `autorebase` label was added" in status["body"]
