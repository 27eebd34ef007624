"""`pitcrew rebase` CLI and the sticky comment rendering."""

from __future__ import annotations

import json

import pytest

from bot.__main__ import main
from bot.rebase.conflicts import Conflict
from bot.rebase.render import (
    MARKER,
    manual_commands,
    render_conflict,
    render_failure,
    render_resolved,
    render_updated,
)

from .conftest import Repo, broken_heads, git_merge_markers, lines


@pytest.fixture
def scenario(repo: Repo) -> Repo:
    repo.branch("clean")
    repo.commit("clean", {"new.txt": "n\n"})
    repo.branch("conflict", "main")
    repo.commit("c", {"app.txt": lines(20).replace("line 9\n", "pr nine\n")})
    repo.switch("main")
    repo.commit("m", {"app.txt": lines(20).replace("line 9\n", "main nine\n")})
    return repo


def _run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["rebase", *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_check_only_json_one_head_is_an_object(scenario: Repo, capsys):
    before = scenario.sha("conflict")
    rc, out, _ = _run(
        capsys,
        "--repo",
        str(scenario.path),
        "--base",
        "main",
        "--head",
        "conflict",
        "--check-only",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert rc == 1
    assert data["head"] == "conflict" and data["status"] == "conflicted"
    assert data["head_before"] == data["head_after"] == before
    base_lines, head_lines = git_merge_markers(scenario, "main", "conflict", ["app.txt"])["app.txt"]
    assert data["conflicts"] == [
        {
            "path": "app.txt",
            "kind": "content",
            "base_lines": [list(r) for r in base_lines],
            "head_lines": [list(r) for r in head_lines],
            "message": data["conflicts"][0]["message"],
        }
    ]
    assert len(base_lines) == 1
    assert scenario.sha("conflict") == before


def test_several_heads_give_a_list_in_order(scenario: Repo, capsys):
    rc, out, _ = _run(
        capsys,
        "--repo",
        str(scenario.path),
        "--base",
        "main",
        "--head",
        "main",
        "--head",
        "clean",
        "--check-only",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert rc == 0
    assert [(d["head"], d["status"]) for d in data] == [("main", "up_to_date"), ("clean", "clean")]


@pytest.mark.parametrize("strategy", ["rebase", "merge"])
def test_update_moves_local_branches(scenario: Repo, capsys, strategy):
    before = scenario.sha("clean")
    rc, out, _ = _run(
        capsys,
        "--repo",
        str(scenario.path),
        "--base",
        "main",
        "--head",
        "clean",
        "--head",
        "conflict",
        "--strategy",
        strategy,
        "--format",
        "json",
    )
    clean, conflict = json.loads(out)
    assert rc == 1
    assert clean["status"] == "updated" and clean["head_before"] == before
    assert clean["head_after"] == scenario.sha("clean") != before
    assert conflict["status"] == "conflicted" and conflict["conflicts"][0]["path"] == "app.txt"


def test_text_format_and_resolve_option(scenario: Repo, capsys):
    rc, out, _ = _run(
        capsys,
        "--repo",
        str(scenario.path),
        "--base",
        "main",
        "--head",
        "conflict",
        "--resolve",
        "app.txt=theirs",
    )
    assert rc == 0
    assert out.startswith("conflict: updated ")
    assert "resolved app.txt with theirs" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--resolve", "app.txt=magic"], "expected GLOB=", id="bad-resolve"),
        pytest.param(["--base", "nope"], "unknown", id="unknown-base"),
        pytest.param(["--repo", "/nonexistent/dir"], "not a directory", id="no-repo"),
    ],
)
def test_bad_input_is_a_clear_error(scenario: Repo, capsys, args, message):
    base = [] if "--base" in args else ["--base", "main"]
    repo = [] if "--repo" in args else ["--repo", str(scenario.path)]
    rc, _, err = _run(capsys, *repo, *base, "--head", "clean", *args)
    assert rc == 2
    assert message in err and "Traceback" not in err


# --------------------------------------------------------------------------- render


def _conflicts(n: int) -> list[Conflict]:
    return [
        Conflict(f"src/f{i}.py", "content", [(i + 1, i + 3)], [(i + 2, i + 2)]) for i in range(n)
    ]


def test_conflict_comment_has_marker_table_and_commands():
    text = render_conflict(
        base="main",
        head="feature/x",
        conflicts=_conflicts(2),
        path_taken="none",
        reason="the PR is not labelled `autorebase`",
    )
    assert text.splitlines()[0] == MARKER
    assert "| `src/f0.py` | L1-3 | L2 |" in text
    assert "| `src/f1.py` | L2-4 | L3 |" in text
    assert "<details>" not in text
    assert "git fetch origin main\ngit switch feature/x\ngit rebase origin/main" in text
    assert "git add src/f0.py src/f1.py && git rebase --continue" in text
    assert "not labelled" in text


def test_long_conflict_lists_are_collapsed():
    text = render_conflict(base="main", head="f", conflicts=_conflicts(11))
    assert "<details><summary>11 conflicting files</summary>" in text


def test_non_content_conflicts_and_deleted_ranges():
    c = [Conflict("gone.txt", "modify/delete"), Conflict("a.txt", "content", [(5, 4)], [(5, 6)])]
    text = render_conflict(base="main", head="f", conflicts=c, strategy="merge")
    assert "| `gone.txt` | whole file (modify/delete) | whole file (modify/delete) |" in text
    assert "| `a.txt` | before L5 | L5-6 |" in text
    assert "git merge origin/main" in text


def test_commands_for_a_fork_and_odd_paths():
    text = manual_commands(
        base="main", head="patch-1", head_remote="contributor", paths=["docs/it's here.md"]
    )
    assert "git fetch contributor patch-1" in text
    assert "git add 'docs/it'\\''s here.md'" in text
    assert "git push --force-with-lease contributor patch-1" in text


def test_updated_resolved_and_failure_forms():
    up = render_updated(
        base="main",
        head="f",
        path_taken="rebase",
        reason="labelled `autorebase`",
        head_before="a" * 40,
        head_after="b" * 40,
        resolved=[("CHANGELOG.md", "union")],
        dropped=1,
        stacked=True,
    )
    assert up.startswith(MARKER) and "`aaaaaaaaaaaa` → `bbbbbbbbbbbb`" in up
    assert "- `CHANGELOG.md`: `union`" in up and "squash-merged" in up and "1 commit(s)" in up
    done = render_resolved(base="main", head="f")
    assert done.startswith(MARKER) and "resolved" in done
    fail = render_failure(
        base="main",
        head="f",
        strategy="rebase",
        status="branch_moved",
        message="token ghs_" + "x" * 36 + " leaked?",
    )
    assert "nothing was overwritten" in fail and "ghs_" not in fail
    assert "git push --force-with-lease origin f" in fail


def test_check_only_reports_a_broken_head_and_checks_the_rest(repo: Repo, capsys):
    broken = broken_heads(repo)
    args = ["--repo", str(repo.path), "--base", "main", "--check-only", "--format", "json"]
    for head in ["ok-clean", *broken, "ok-conflict"]:
        args += ["--head", head]
    rc, out, err = _run(capsys, *args)
    assert rc == 1 and err == ""
    data = {r["head"]: r for r in json.loads(out)}
    assert data["ok-clean"]["status"] == "clean"
    assert data["ok-conflict"]["status"] == "conflicted"
    for head in broken:
        assert data[head]["status"] == "error" and data[head]["error"]
    rc, out, _ = _run(capsys, *[a if a != "json" else "text" for a in args])
    assert rc == 1
    assert "unrelated: error" in out and "unrelated histories" in out
