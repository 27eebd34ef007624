"""Opt-in automatic resolution of conflicted paths (``rebase.resolve``) and git's rerere.

Split from :mod:`bot.rebase.update`: which paths a repository lets Pitcrew resolve, and how
(``ours``/``theirs``/``union``), is policy over git's index stages, independent of how the
branch is then moved and pushed.
"""

from __future__ import annotations

import fnmatch
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.rebase.check import _Stages, read_blobs
from bot.rebase.git import Git

RESOLVE_STRATEGIES = ("union", "ours", "theirs")


@dataclass(frozen=True)
class ResolutionRule:
    """Opt-in automatic resolution for paths matching ``pattern``.

    ``ours`` keeps the base branch's version, ``theirs`` the PR's version (the same meaning
    for both strategies), ``union`` keeps both sides' lines (base branch first).
    A pattern without ``/`` also matches the file name in any directory.
    """

    pattern: str
    strategy: str

    def __post_init__(self) -> None:
        if self.strategy not in RESOLVE_STRATEGIES:
            raise ValueError(f"unknown resolution strategy {self.strategy!r}")

    def matches(self, path: str) -> bool:
        if fnmatch.fnmatchcase(path, self.pattern):
            return True
        return "/" not in self.pattern and fnmatch.fnmatchcase(
            path.rsplit("/", 1)[-1], self.pattern
        )


def rules_from_config(entries: Sequence[dict[str, Any]]) -> list[ResolutionRule]:
    """``rebase.resolve`` config entries (``{paths: [...], strategy: ...}``) to rules."""
    return [ResolutionRule(p, e["strategy"]) for e in entries for p in e["paths"]]


@dataclass
class Resolution:
    """A path resolved automatically, and how (``union``/``ours``/``theirs``/``rerere``)."""

    path: str
    strategy: str


def _unmerged(git: Git) -> _Stages:
    stages = _Stages()
    for rec in git.run("ls-files", "-u", "-z").stdout.split("\0"):
        if rec:
            meta, _, path = rec.partition("\t")
            _mode, oid, stage = meta.split(" ")
            stages.entries.setdefault(path, {})[int(stage)] = oid
    return stages


def _union(git: Git, wt: Path, path: str, entry: dict[int, str], order: tuple[int, int]) -> bool:
    """Union-merge one path from its stage blobs; False if git cannot (binary, missing side)."""
    if order[0] not in entry or order[1] not in entry:
        return False
    blobs = read_blobs(git, [o for o in entry.values()])
    with tempfile.TemporaryDirectory(prefix="pitcrew-union-") as tmp:
        files = []
        for name, stage in (("ours", order[0]), ("base", 1), ("theirs", order[1])):
            f = Path(tmp) / name
            f.write_bytes(blobs.get(entry.get(stage, ""), b""))
            files.append(str(f))
        proc = git.run("merge-file", "--union", "-p", *files, check=False, text=False)
    if proc.returncode < 0 or proc.returncode >= 128:
        return False
    target = wt / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(proc.stdout)
    git.run("add", "--", path)
    return True


def resolve_paths(
    git: Git, wt: Path, rules: Sequence[ResolutionRule], stage_of: dict[str, int]
) -> tuple[list[Resolution], _Stages]:
    """Apply opt-in rules to the unmerged paths; return what was resolved and what remains."""
    stages = _unmerged(git)
    done: list[Resolution] = []
    for path, entry in list(stages.entries.items()):
        rule = next((r for r in rules if r.matches(path)), None)
        if rule is None:
            continue
        if rule.strategy == "union":
            ok = _union(git, wt, path, entry, (stage_of["ours"], stage_of["theirs"]))
        else:
            stage = stage_of[rule.strategy]
            if stage in entry:
                git.run("checkout-index", "-f", f"--stage={stage}", "--", path)
                git.run("add", "--", path)
            else:
                git.run("rm", "-q", "--", path)
            ok = True
        if ok:
            done.append(Resolution(path, rule.strategy))
            del stages.entries[path]
    return done, stages


def rerere_resolved(output: str) -> list[Resolution]:
    found = []
    for line in output.splitlines():
        for prefix in ("Resolved '", "Staged '"):
            if line.startswith(prefix) and "using previous resolution" in line:
                found.append(Resolution(line[len(prefix) :].split("'", 1)[0], "rerere"))
    return found
