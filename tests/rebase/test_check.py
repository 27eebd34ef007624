"""check_heads: merge-tree verdicts, exact conflicting paths and line ranges, batches."""

from __future__ import annotations

import pytest

from bot.rebase.check import check_heads, parse_merge_tree
from bot.rebase.git import Git, GitError, HostileRef

from .conftest import Repo, broken_heads, git_merge_markers, lines


def _edit(text: str, changes: dict[int, str]) -> str:
    out = text.splitlines(keepends=True)
    for n, new in changes.items():
        out[n - 1] = new
    return "".join(out)


def test_parse_merge_tree_rejects_nothing_on_clean_output():
    tree, stages = parse_merge_tree("a" * 40 + "\0\0")
    assert tree == "a" * 40 and stages.entries == {} and stages.kinds == {}


def _scenario(repo: Repo) -> None:
    base_text = lines(20)
    repo.branch("clean")
    repo.commit("clean change", {"other.txt": "new\n"})
    repo.branch("conflict", "main")
    repo.commit("pr edits", {"app.txt": _edit(base_text, {3: "pr three\n", 10: "pr ten\n"})})
    repo.branch("behind-but-contains", "main")
    repo.switch("main")
    repo.commit(
        "main edits",
        {"app.txt": _edit(base_text, {3: "main three\n", 10: "main ten\n", 18: "main eighteen\n"})},
    )
    repo.branch("ahead", "main")
    repo.commit("ahead", {"x.txt": "x\n"})
    repo.switch("main")


def test_statuses_paths_and_ranges(repo: Repo):
    _scenario(repo)
    results = check_heads(repo.path, "main", ["clean", "conflict", "ahead", "main"])
    assert [r.status for r in results] == ["clean", "conflicted", "up_to_date", "up_to_date"]
    conflict = results[1]
    assert [c.path for c in conflict.conflicts] == ["app.txt"]
    c = conflict.conflicts[0]
    assert c.kind == "content"
    expected = git_merge_markers(repo, "main", "conflict", ["app.txt"])["app.txt"]
    assert len(expected[0]) == 2  # lines 3 and 10 conflict separately
    assert (c.base_lines, c.head_lines) == expected
    assert conflict.head_sha == repo.sha("conflict")
    assert "conflict" in c.message and repo.sha("main") not in c.message
    assert results[0].tree  # merged tree id for clean heads


def test_modify_delete_and_add_add(repo: Repo):
    repo.branch("pr")
    repo.commit("pr", {"app.txt": None, "new.txt": "pr side\n"})
    repo.switch("main")
    repo.commit("main", {"app.txt": lines(21), "new.txt": "main side\n"})
    (result,) = check_heads(repo.path, "main", ["pr"])
    kinds = {c.path: c.kind for c in result.conflicts}
    assert kinds == {"app.txt": "modify/delete", "new.txt": "add/add"}
    new = next(c for c in result.conflicts if c.path == "new.txt")
    expected = git_merge_markers(repo, "main", "pr", ["new.txt"])["new.txt"]
    assert expected == ([(2, 2)], [(4, 4)])  # the whole one-line file on each side
    assert (new.base_lines, new.head_lines) == expected


def test_unknown_head_is_missing_not_fatal(repo: Repo):
    results = check_heads(repo.path, "main", ["nope", "main"])
    assert [r.status for r in results] == ["missing", "up_to_date"]


def test_unknown_base_raises(repo: Repo):
    with pytest.raises(GitError, match="unknown base"):
        check_heads(repo.path, "nope", ["main"])


def test_hostile_head_refused_before_any_git(repo: Repo, tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(HostileRef):
        check_heads(repo.path, "main", ["main", f"--upload-pack=touch {marker}"])
    assert not marker.exists()


def test_raw_revision_heads_use_fallback_ancestry(repo: Repo):
    first = repo.sha("main")
    repo.commit("second", {"b.txt": "b\n"})
    results = check_heads(Git(repo.path), first, [repo.sha("main"), first])
    assert [r.status for r in results] == ["up_to_date", "up_to_date"]
    (behind,) = check_heads(repo.path, "main", [first])
    assert behind.status == "clean"


def test_hundred_heads_in_one_pass(repo: Repo):
    """100 PR branches, a third of them conflicting: every verdict right, order kept."""
    base_text = lines(200)
    repo.commit("big file", {"app.txt": base_text})
    fixed = repo.sha("main")
    # Build the branches with plumbing so the test stays fast.
    expected = {}
    for i in range(100):
        name = f"pr/{i:03d}"
        conflicting = i % 3 == 0
        line = 5 if conflicting else 20 + i
        blob_text = _edit(base_text, {line: f"pr {i}\n"})
        repo.write("app.txt", blob_text)
        repo.git("add", "app.txt")
        tree = repo.git("write-tree")
        commit = repo.git("commit-tree", tree, "-p", fixed, "-m", f"pr {i}")
        repo.git("update-ref", f"refs/heads/{name}", commit)
        expected[name] = "conflicted" if conflicting else "clean"
    repo.git("checkout", "-q", "--", ".")
    repo.git("reset", "-q", "--hard", fixed)
    repo.commit("main moves", {"app.txt": _edit(base_text, {5: "main five\n"})})
    heads = list(expected)
    results = check_heads(repo.path, "main", heads)
    markers = git_merge_markers(repo, "main", "pr/000", ["app.txt"])["app.txt"]
    assert [r.head for r in results] == heads
    assert {r.head: r.status for r in results} == expected
    for r in results:
        if r.status == "conflicted":
            assert [(c.path, c.base_lines, c.head_lines) for c in r.conflicts] == [
                ("app.txt", *markers)
            ]


def test_one_broken_head_never_sinks_the_batch(repo: Repo):
    broken = broken_heads(repo)
    heads = ["ok-conflict", *broken, "ok-clean", "nope"]
    results = {r.head: r for r in check_heads(repo.path, "main", heads)}
    assert [r.head for r in results.values()] == heads
    assert results["ok-conflict"].status == "conflicted"
    assert [c.path for c in results["ok-conflict"].conflicts] == ["app.txt"]
    assert results["ok-clean"].status == "clean"
    assert results["nope"].status == "missing"
    for head, says in broken.items():
        r = results[head]
        assert (r.status, r.conflicts) == ("error", []), head
        assert r.error and says in r.error.lower(), (head, r.error)
        assert r.to_dict()["error"] == r.error and r.to_dict()["status"] == "error"
