"""Conflict ranges equal the markers ``git merge`` writes in a real work tree, case by case.

Every expected value is computed by running ``git merge`` in a work tree and reading the
file it leaves (see ``conftest.git_merge_markers``), never written down by hand.
"""

from __future__ import annotations

import pytest

from bot.rebase.check import check_heads

from .conftest import Repo, git_merge_markers


def _commit_bytes(repo: Repo, message: str, files: dict[str, bytes | None]) -> None:
    for name, data in files.items():
        if data is None:
            repo.git("rm", "-q", "--", name)
            continue
        target = repo.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        repo.git("add", "--", name)
    repo.git("commit", "-q", "-m", message)


def _diverge(
    repo: Repo,
    base: dict[str, bytes | None],
    main: dict[str, bytes | None],
    pr: dict[str, bytes | None],
) -> None:
    """``base`` on main, then ``pr`` on branch pr and ``main`` on main."""
    _commit_bytes(repo, "base", base)
    repo.branch("pr")
    _commit_bytes(repo, "pr", pr)
    repo.switch("main")
    _commit_bytes(repo, "main", main)


def _text(lines: list[str], *, eol: str = "\n", final_newline: bool = True) -> bytes:
    body = eol.join(lines) + (eol if final_newline else "")
    return body.encode()


def _numbered(n: int, prefix: str = "line") -> list[str]:
    return [f"{prefix} {i}" for i in range(1, n + 1)]


def _replace(lines: list[str], changes: dict[int, str]) -> list[str]:
    out = list(lines)
    for number, new in changes.items():
        out[number - 1] = new
    return out


def _lockfile(packages: int, bumped: dict[int, str] | None = None) -> list[str]:
    """A yarn.lock-shaped file: five lines per package."""
    bumped = bumped or {}
    out = []
    for i in range(packages):
        version = bumped.get(i, f"1.0.{i}")
        out += [
            f'"pkg-{i}@^1.0.0":',
            f'  version "{version}"',
            f'  resolved "https://registry.example/pkg-{i}/-/pkg-{i}-{version}.tgz"',
            f"  integrity sha512-{i:040d}{version}",
            "",
        ]
    return out


def _assert_same_as_git(repo: Repo, paths: list[str], **kwargs: int) -> None:
    (result,) = check_heads(repo.path, "main", ["pr"])
    assert result.status == "conflicted"
    expected = git_merge_markers(repo, "main", "pr", paths, **kwargs)
    got = {c.path: (c.base_lines, c.head_lines) for c in result.conflicts if c.path in paths}
    assert got == expected
    assert all(first for first, _ in expected.values()), "each case must really conflict"


CASES = {
    "crlf": (
        {"win.txt": _text(_numbered(30), eol="\r\n")},
        {"win.txt": _text(_replace(_numbered(30), {2: "main 2", 20: "main 20"}), eol="\r\n")},
        {
            "win.txt": _text(
                ["pr top", *_replace(_numbered(30), {2: "pr 2", 20: "pr 20", 21: "pr 21"})],
                eol="\r\n",
            )
        },
    ),
    "no-final-newline-last-line": (
        {"tail.txt": _text(_numbered(12), final_newline=False)},
        {"tail.txt": _text(_replace(_numbered(12), {12: "main last"}), final_newline=False)},
        {"tail.txt": _text(_replace(_numbered(12), {12: "pr last"}), final_newline=False)},
    ),
    "first-and-last-line": (
        {"edges.txt": _text(_numbered(15))},
        {"edges.txt": _text(_replace(_numbered(15), {1: "main first", 15: "main last"}))},
        {"edges.txt": _text(["pr first", *_numbered(15)[1:14], "pr last", "pr extra"])},
    ),
    "marker-like-content": (
        {"doc.md": _text(["# Conflicts", "", "<<<<<<< HEAD", "mine", "=======", *_numbered(8)])},
        {
            "doc.md": _text(
                ["# Conflicts", "", "<<<<<<< HEAD", "main says", ">>>>>>> theirs", *_numbered(8)]
            )
        },
        {
            "doc.md": _text(
                ["# Conflicts", "", "<<<<<<< ours", "pr says", ">>>>>>> other", *_numbered(8)]
            )
        },
    ),
    "add-add": (
        {"keep.txt": b"keep\n"},
        {"both.txt": _text(["same", "main 2", "same 3"])},
        {"both.txt": _text(["same", "pr 2", "same 3", "pr 4"])},
    ),
    "cr-only-line-breaks": (
        {"mac.txt": _text(_numbered(6), eol="\r")},
        {"mac.txt": _text(_replace(_numbered(6), {3: "main 3"}), eol="\r")},
        {"mac.txt": _text(_replace(_numbered(6), {3: "pr 3"}), eol="\r")},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_ranges_equal_git_merge_markers(repo: Repo, case: str):
    base, main, pr = CASES[case]
    _diverge(repo, base, main, pr)
    _assert_same_as_git(repo, sorted(set(main) & set(pr)))


def test_large_lockfile_ranges_equal_git(repo: Repo):
    """A 2 MB lockfile, clean edits on both sides shifting lines, three conflicting bumps."""
    packages = 8000
    main = _lockfile(packages, {10: "2.0.0", 4000: "2.1.0", 7990: "3.0.0", 500: "1.9.9"})
    pr = _lockfile(packages, {10: "2.0.1", 4000: "2.2.0", 7990: "3.0.1", 6000: "1.8.8"})
    pr[2500:2500] = ['"inserted@^1.0.0":', '  version "0.1.0"', ""]  # shifts the PR's lines
    _diverge(
        repo,
        {"yarn.lock": _text(_lockfile(packages))},
        {"yarn.lock": _text(main)},
        {"yarn.lock": _text(pr)},
    )
    assert (repo.path / "yarn.lock").stat().st_size > 1_000_000
    _assert_same_as_git(repo, ["yarn.lock"])


def test_separator_lines_in_the_content_are_told_apart(repo: Repo):
    """A conflict whose own text holds ``=======`` lines: git is asked for longer markers."""
    heading = ["Title", "=======", ""]
    _diverge(
        repo,
        {"doc.rst": _text([*heading, *_numbered(10)])},
        {"doc.rst": _text([*heading, "Main", "=======", "main text", *_numbered(10)[1:]])},
        {"doc.rst": _text([*heading, "PR", "=======", "pr text", "more", *_numbered(10)[1:]])},
    )
    (result,) = check_heads(repo.path, "main", ["pr"])
    (conflict,) = result.conflicts
    expected = git_merge_markers(repo, "main", "pr", ["doc.rst"], marker_size=20)["doc.rst"]
    assert expected[0]
    assert (conflict.base_lines, conflict.head_lines) == expected
    assert "could not be located" not in conflict.message


def test_rename_with_conflicting_edit_uses_the_merged_path(repo: Repo):
    text = _numbered(20)
    _diverge(
        repo,
        {"old.txt": _text(text)},
        {"old.txt": _text(_replace(text, {5: "main 5"}))},
        {"old.txt": None, "new.txt": _text(_replace(text, {5: "pr 5", 19: "pr 19"}))},
    )
    _assert_same_as_git(repo, ["new.txt"])


def test_rename_delete_has_path_and_kind_only(repo: Repo):
    _diverge(
        repo,
        {"gone.txt": _text(_numbered(10))},
        {"gone.txt": None},
        {"gone.txt": None, "moved.txt": _text(_numbered(10))},
    )
    (result,) = check_heads(repo.path, "main", ["pr"])
    kinds = {c.path: c.kind for c in result.conflicts}
    assert kinds["moved.txt"] == "rename/delete" and set(kinds.values()) == {"rename/delete"}
    expected = git_merge_markers(repo, "main", "pr", sorted(kinds))
    assert all(v == ([], []) for v in expected.values())  # git writes no markers either
    assert {c.path: (c.base_lines, c.head_lines) for c in result.conflicts} == expected


def test_oversized_and_binary_files_get_path_and_kind_only(repo: Repo):
    big = _numbered(5000)
    _diverge(
        repo,
        {"big.txt": _text(big), "logo.png": b"\x89PNG\0base"},
        {"big.txt": _text(_replace(big, {9: "main"})), "logo.png": b"\x89PNG\0main"},
        {"big.txt": _text(_replace(big, {9: "pr"})), "logo.png": b"\x89PNG\0pr"},
    )
    (result,) = check_heads(repo.path, "main", ["pr"], max_file_bytes=10_000)
    by_path = {c.path: c for c in result.conflicts}
    assert set(by_path) == {"big.txt", "logo.png"}
    big_conflict, logo = by_path["big.txt"], by_path["logo.png"]
    assert (big_conflict.kind, big_conflict.base_lines, big_conflict.head_lines) == (
        "content",
        [],
        [],
    )
    assert "10,000-byte cap" in big_conflict.message and "no line ranges" in big_conflict.message
    assert (logo.kind, logo.base_lines, logo.head_lines) == ("binary", [], [])
    assert "binary file" in logo.message
    (uncapped,) = check_heads(repo.path, "main", ["pr"])
    ranges = {c.path: (c.base_lines, c.head_lines) for c in uncapped.conflicts}
    assert ranges["big.txt"] == git_merge_markers(repo, "main", "pr", ["big.txt"])["big.txt"]
