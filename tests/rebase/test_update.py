"""update_branch / push_update on real repositories."""

from __future__ import annotations

import subprocess

import pytest

from bot.rebase import update as update_mod
from bot.rebase.git import BranchMoved, Git, RebaseConflict
from bot.rebase.resolution import ResolutionRule, rules_from_config
from bot.rebase.update import (
    detect_squashed_parent,
    push_update,
    update_branch,
)

from .conftest import ENV, Repo, git_merge_markers, lines


def _state(repo: Repo) -> tuple[str, str, str, str]:
    """Everything a failed update must leave alone: refs, HEAD, index, work tree."""
    return (
        repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
        repo.git("symbolic-ref", "HEAD"),
        repo.git("ls-files", "-s"),
        repo.git("status", "--porcelain=v1", "--untracked-files=all"),
    )


def _diverge(repo: Repo) -> None:
    repo.branch("feature")
    repo.commit("feat: one", {"feature.txt": "one\n"}, author="Fay")
    repo.commit("feat: two", {"feature.txt": "one\ntwo\n"}, author="Fay")
    repo.switch("main")
    repo.commit("main moves", {"main.txt": "main\n"})


def test_clean_rebase_keeps_authorship_and_messages(repo: Repo):
    _diverge(repo)
    before = repo.sha("feature")
    result = update_branch(repo.path, "main", "feature")
    assert result.status == "updated" and result.ref_updated
    assert result.head_before == before and result.head_after == repo.sha("feature")
    assert repo.git("merge-base", "--is-ancestor", "main", "feature") == ""
    log = repo.git("log", "--format=%an|%ae|%s", "main..feature").splitlines()
    assert log == ["Fay|fay@example.com|feat: two", "Fay|fay@example.com|feat: one"]
    assert result.replayed == 2 and result.dropped == 0
    assert repo.git("worktree", "list", "--porcelain").count("worktree ") == 1


def test_clean_merge(repo: Repo):
    _diverge(repo)
    before = repo.sha("feature")
    result = update_branch(repo.path, "main", "feature", strategy="merge")
    assert result.status == "updated"
    parents = repo.git("log", "-1", "--format=%P", "feature").split()
    assert parents == [before, repo.sha("main")]
    assert repo.git("log", "-1", "--format=%s", "feature") == "Merge branch 'main' into feature"


def test_up_to_date_changes_nothing(repo: Repo):
    repo.branch("feature")
    repo.commit("f", {"f.txt": "f\n"})
    result = update_branch(repo.path, "main", "feature")
    assert result.status == "up_to_date" and result.head_after == result.head_before


def test_commit_already_upstream_is_dropped(repo: Repo):
    repo.branch("feature")
    repo.commit("fix typo", {"app.txt": lines(20).replace("line 4", "line four")})
    repo.commit("more", {"more.txt": "more\n"})
    repo.switch("main")
    repo.commit("main moves", {"main.txt": "main\n"})
    repo.git("cherry-pick", "feature~1")
    result = update_branch(repo.path, "main", "feature")
    assert result.status == "updated"
    assert result.replayed == 1 and result.dropped == 1
    assert repo.git("log", "--format=%s", "main..feature") == "more"


@pytest.mark.parametrize("strategy", ["rebase", "merge"])
def test_conflict_leaves_everything_as_it_was(repo: Repo, strategy: str):
    repo.branch("feature")
    repo.commit("pr edit", {"app.txt": lines(20).replace("line 7\n", "pr seven\n")})
    repo.write("untracked.txt", "keep me\n")
    repo.write("CHANGELOG.md", "local uncommitted edit\n")  # dirty work tree on the PR branch
    repo.git("stash", "-q")  # keep the index clean for the switch below
    repo.switch("main")
    repo.commit("main edit", {"app.txt": lines(20).replace("line 7\n", "main seven\n")})
    repo.switch("feature")
    repo.git("stash", "pop", "-q")
    before = _state(repo)
    result = update_branch(repo.path, "main", "feature", strategy=strategy)
    assert result.status == "conflicted"
    assert _state(repo) == before
    assert (repo.path / "untracked.txt").read_text() == "keep me\n"
    assert not (repo.path / ".git" / "rebase-merge").exists()
    assert not (repo.path / ".git" / "MERGE_HEAD").exists()
    # the ranges are the sections of the file git wrote: rebase replays the PR onto the base
    # (base side first); merge merges the base into the PR (PR side first)
    if strategy == "rebase":
        base_lines, head_lines = git_merge_markers(repo, "main", "feature", ["app.txt"])["app.txt"]
    else:
        head_lines, base_lines = git_merge_markers(repo, "feature", "main", ["app.txt"])["app.txt"]
    assert [(c.path, c.base_lines, c.head_lines) for c in result.conflicts] == [
        ("app.txt", base_lines, head_lines)
    ]
    with pytest.raises(RebaseConflict) as err:
        result.raise_for_status()
    assert err.value.conflicts == result.conflicts


def test_checked_out_clean_branch_follows(repo: Repo):
    _diverge(repo)
    repo.switch("feature")
    result = update_branch(repo.path, "main", "feature")
    assert result.status == "updated"
    assert repo.sha("HEAD") == result.head_after
    assert repo.git("status", "--porcelain") == ""
    assert (repo.path / "main.txt").exists()


def test_branch_moved_during_update_is_not_overwritten(repo: Repo, monkeypatch):
    _diverge(repo)
    real = update_mod._rebase

    def racing(git, wt, result, *args):
        real(git, wt, result, *args)
        repo.git("update-ref", "refs/heads/feature", repo.sha("main"))  # "author pushes"

    monkeypatch.setattr(update_mod, "_rebase", racing)
    result = update_branch(repo.path, "main", "feature")
    assert result.status == "branch_moved" and not result.ref_updated
    assert repo.sha("feature") == repo.sha("main")  # the concurrent update survived
    with pytest.raises(BranchMoved):
        result.raise_for_status()


def _squash_stack(repo: Repo) -> tuple[str, str]:
    repo.branch("parent")
    repo.commit("parent 1", {"lib.txt": "a\n"})
    repo.commit("parent 2", {"lib.txt": "a\nb\n"})
    parent_head = repo.sha("parent")
    repo.branch("child", "parent")
    repo.commit("child 1", {"lib.txt": "a\nb\nc\n"})
    repo.commit("child 2", {"child.txt": "child\n"})
    repo.switch("main")
    repo.git("merge", "-q", "--squash", "parent")
    repo.git("commit", "-q", "-m", "Parent PR (#1)")
    repo.commit("unrelated", {"other.txt": "o\n"})
    return parent_head, repo.sha("child")


@pytest.mark.parametrize("hint", [True, False], ids=["old-base-hint", "auto-detected"])
def test_stacked_pr_after_parent_squash_merge(repo: Repo, hint: bool):
    parent_head, _ = _squash_stack(repo)
    result = update_branch(repo.path, "main", "child", old_base=parent_head if hint else None)
    assert result.status == "updated", result.message
    assert result.stacked and result.upstream == parent_head
    assert repo.git("log", "--format=%s", "main..child").splitlines() == ["child 2", "child 1"]
    assert (repo.git("show", "child:lib.txt") + "\n") == "a\nb\nc\n"


def test_squash_detection_finds_nothing_on_plain_branch(repo: Repo):
    _diverge(repo)
    git = Git(repo.path)
    assert detect_squashed_parent(git, repo.sha("main"), repo.sha("feature")) is None


def _changelog_conflict(repo: Repo) -> None:
    head = "# Changes\n\n- initial\n"
    repo.branch("feature")
    repo.commit(
        "pr",
        {
            "CHANGELOG.md": head + "- pr entry\n",
            "app.txt": lines(20).replace("line 2\n", "pr two\n"),
        },
    )
    repo.switch("main")
    repo.commit(
        "main",
        {
            "CHANGELOG.md": head + "- main entry\n",
            "app.txt": lines(20).replace("line 19\n", "main nineteen\n"),
        },
    )


@pytest.mark.parametrize("strategy", ["rebase", "merge"])
def test_union_resolution_of_changelog(repo: Repo, strategy: str):
    _changelog_conflict(repo)
    rules = rules_from_config([{"paths": ["CHANGELOG.md"], "strategy": "union"}])
    result = update_branch(repo.path, "main", "feature", strategy=strategy, resolutions=rules)
    assert result.status == "updated", result.message
    assert [(r.path, r.strategy) for r in result.resolved] == [("CHANGELOG.md", "union")]
    text = repo.git("show", "feature:CHANGELOG.md")
    assert text == "# Changes\n\n- initial\n- main entry\n- pr entry"
    assert "pr two" in repo.git("show", "feature:app.txt")


@pytest.mark.parametrize(
    ("strategy", "rule", "expected"),
    [
        pytest.param("rebase", "ours", "- main entry", id="rebase-ours-is-base"),
        pytest.param("rebase", "theirs", "- pr entry", id="rebase-theirs-is-pr"),
        pytest.param("merge", "ours", "- main entry", id="merge-ours-is-base"),
        pytest.param("merge", "theirs", "- pr entry", id="merge-theirs-is-pr"),
    ],
)
def test_ours_theirs_mean_base_and_pr(repo: Repo, strategy, rule, expected):
    _changelog_conflict(repo)
    rules = [ResolutionRule("*.md", rule)]
    result = update_branch(repo.path, "main", "feature", strategy=strategy, resolutions=rules)
    assert result.status == "updated"
    assert repo.git("show", "feature:CHANGELOG.md").splitlines()[-1] == expected


def test_rules_never_guess_on_other_files(repo: Repo):
    repo.branch("feature")
    repo.commit("pr", {"CHANGELOG.md": "pr\n", "app.txt": "pr app\n"})
    repo.switch("main")
    repo.commit("main", {"CHANGELOG.md": "main\n", "app.txt": "main app\n"})
    before = repo.sha("feature")
    result = update_branch(
        repo.path, "main", "feature", resolutions=[ResolutionRule("CHANGELOG.md", "union")]
    )
    assert result.status == "conflicted"
    assert [c.path for c in result.conflicts] == ["app.txt"]
    assert repo.sha("feature") == before


def test_rerere_reuses_a_recorded_resolution(repo: Repo):
    repo.branch("feature")
    repo.commit("pr", {"app.txt": lines(20).replace("line 7\n", "pr seven\n")})
    repo.switch("main")
    repo.commit("main", {"app.txt": lines(20).replace("line 7\n", "main seven\n")})
    # A maintainer resolves the same conflict once by hand, with rerere on: it is recorded.
    repo.git("config", "rerere.enabled", "true")
    repo.git("switch", "-q", "--detach", "feature")
    subprocess.run(
        ["git", "-C", str(repo.path), "merge", "-q", "main"],
        env=ENV,
        capture_output=True,
        check=False,
    )
    repo.write("app.txt", lines(20).replace("line 7\n", "both seven\n"))
    repo.git("add", "app.txt")
    repo.git("commit", "-q", "--no-edit")
    repo.switch("main")
    result = update_branch(repo.path, "main", "feature", strategy="merge", rerere=True)
    assert result.status == "updated", result.message
    assert [(r.path, r.strategy) for r in result.resolved] == [("app.txt", "rerere")]
    assert "both seven" in repo.git("show", "feature:app.txt")


# --------------------------------------------------------------------------- push


@pytest.fixture
def remote(repo: Repo, tmp_path):
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], env=ENV, check=True)
    return bare


def _remote_sha(bare, branch):
    return subprocess.run(
        ["git", "-C", str(bare), "rev-parse", branch], env=ENV, capture_output=True, text=True
    ).stdout.strip()


def test_push_with_lease_then_refused_when_branch_moved(repo: Repo, tmp_path):
    _diverge(repo)
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], env=ENV, check=True)
    lease = repo.sha("feature")
    result = update_branch(repo.path, "main", "feature", update_ref=False)
    assert repo.sha("feature") == lease  # not moved locally
    url = bare.as_uri()
    # The author pushes meanwhile.
    repo.git("push", "-q", url, "main:refs/heads/feature", "--force")
    moved_to = _remote_sha(bare, "feature")
    push = push_update(
        repo.path,
        url,
        "feature",
        result.head_after,
        lease,
        protocols=("file",),
        auth_header="Authorization: Basic c2VjcmV0LXRva2Vu",
    )
    assert push.status == "branch_moved"
    assert _remote_sha(bare, "feature") == moved_to  # nothing lost
    with pytest.raises(BranchMoved):
        push.raise_for_status()
    # Retried with the right lease it goes through.
    ok = push_update(repo.path, url, "feature", result.head_after, moved_to, protocols=("file",))
    assert ok.status == "pushed" and _remote_sha(bare, "feature") == result.head_after


def test_plain_push_for_merge_refuses_non_fast_forward(repo: Repo, remote):
    _diverge(repo)
    url = remote.as_uri()
    subprocess.run(["git", "-C", str(repo.path), "push", "-q", url, "feature"], env=ENV, check=True)
    result = update_branch(repo.path, "main", "feature", strategy="merge", update_ref=False)
    ok = push_update(repo.path, url, "feature", result.head_after, None, protocols=("file",))
    assert ok.status == "pushed"
    again = push_update(repo.path, url, "feature", repo.sha("main"), None, protocols=("file",))
    assert again.status == "branch_moved"
    assert _remote_sha(remote, "feature") == result.head_after


def test_push_rejects_credentials_in_url(repo: Repo):
    with pytest.raises(ValueError, match="credentials"):
        push_update(
            repo.path,
            "https://x-access-token:ghs_abc@github.com/o/r.git",
            "main",
            "a" * 40,
            "b" * 40,
        )
