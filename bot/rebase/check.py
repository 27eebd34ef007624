"""Check many PR heads against a base without a work tree (``git merge-tree --write-tree``).

One pass, batched where git lets us:

1. every name resolved to a commit id by a single ``cat-file --batch-check`` (names on stdin);
2. ancestry ("is the base already in the head?") for all heads that are refs by two
   ``for-each-ref --contains/--no-contains`` calls (commit-graph generation numbers make this
   cheap); only heads given as raw revisions fall back to ``merge-base --is-ancestor``;
3. the merges themselves, one ``merge-tree`` per head that is behind, in a small thread pool
   (each is an independent process, so threads give real parallelism);
4. the stage blobs of every conflicted path of every head fetched by one ``cat-file --batch``,
   then the line ranges computed in Python (:mod:`bot.rebase.conflicts`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bot.rebase.conflicts import Conflict, conflict_ranges, is_binary
from bot.rebase.git import Git, GitError, resolve_commits, validate_ref

log = logging.getLogger(__name__)

CLEAN = "clean"
CONFLICTED = "conflicted"
UP_TO_DATE = "up_to_date"
MISSING = "missing"


@dataclass
class HeadCheck:
    """The verdict for one head: ``clean``, ``conflicted``, ``up_to_date`` or ``missing``."""

    head: str
    status: str
    head_sha: str | None
    base_sha: str
    tree: str | None = None  # merged tree id when clean
    conflicts: list[Conflict] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "head": self.head,
            "status": self.status,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "head_before": self.head_sha,
            "head_after": self.head_sha,
            "base_sha": self.base_sha,
            **({"error": self.error} if self.error else {}),
        }


@dataclass
class _Stages:
    entries: dict[str, dict[int, str]] = field(default_factory=dict)  # path -> stage -> oid
    kinds: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)


def _as_git(repo: Path | Git) -> Git:
    return repo if isinstance(repo, Git) else Git(Path(repo))


def _dwim_patterns(name: str) -> list[str]:
    if name.startswith("refs/"):
        return [name]
    return [f"refs/heads/{name}", f"refs/remotes/{name}", f"refs/tags/{name}", f"refs/{name}"]


def _ancestry(git: Git, base_sha: str, heads: dict[str, str]) -> dict[str, bool]:
    """head name -> "head contains base", batched over refs; raw revisions checked one by one."""
    patterns = [p for name in heads for p in _dwim_patterns(name)]
    fmt = "--format=%(objectname)"
    yes = set(
        git.out(
            "for-each-ref", fmt, f"--contains={base_sha}", "--end-of-options", *patterns
        ).split()
    )
    no = set(
        git.out(
            "for-each-ref", fmt, f"--no-contains={base_sha}", "--end-of-options", *patterns
        ).split()
    )
    result: dict[str, bool] = {}
    for name, sha in heads.items():
        if sha in yes or sha == base_sha:
            result[name] = True
        elif sha in no:
            result[name] = False
        else:
            rc = git.run("merge-base", "--is-ancestor", base_sha, sha, check=False).returncode
            if rc not in (0, 1):
                raise GitError(f"cannot compute ancestry of {name!a}")
            result[name] = rc == 0
    return result


def parse_merge_tree(output: str) -> tuple[str, _Stages]:
    """Parse ``merge-tree --write-tree -z`` output: tree id, stage entries, conflict messages."""
    fields = output.split("\0")
    tree = fields[0]
    stages = _Stages()
    i = 1
    while i < len(fields) and fields[i]:
        meta, _, path = fields[i].partition("\t")
        _mode, oid, stage = meta.split(" ")
        stages.entries.setdefault(path, {})[int(stage)] = oid
        i += 1
    i += 1  # the empty field ending the conflicted-file section
    while i < len(fields) and fields[i]:
        count = int(fields[i])
        paths = fields[i + 1 : i + 1 + count]
        kind, message = fields[i + 1 + count], fields[i + 2 + count]
        i += count + 3
        if not kind.startswith("CONFLICT"):
            continue
        label = kind[kind.find("(") + 1 : kind.rfind(")")] if "(" in kind else kind
        for path in paths:
            if label != "contents" or path not in stages.kinds:
                stages.kinds[path] = "content" if label == "contents" else label
            stages.messages[path] = message.strip()
    return tree, stages


def _merge_one(git: Git, base_sha: str, head_sha: str) -> tuple[int, str, _Stages]:
    proc = git.run(
        "merge-tree", "--write-tree", "-z", "--messages", base_sha, head_sha, ok_codes=(0, 1)
    )
    tree, stages = parse_merge_tree(proc.stdout)
    return proc.returncode, tree, stages


def read_blobs(git: Git, oids: Sequence[str]) -> dict[str, bytes]:
    """Read many blobs in one ``cat-file --batch``; missing objects are skipped."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    proc = git.run("cat-file", "--batch", input="".join(f"{o}\n" for o in unique), text=False)
    data, pos, blobs = proc.stdout, 0, {}
    for oid in unique:
        end = data.index(b"\n", pos)
        header = data[pos:end].split(b" ")
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        blobs[oid] = data[pos : pos + size]
        pos += size + 1
    return blobs


def build_conflicts(
    stages: _Stages, blobs: dict[str, bytes], *, base_side: int = 2, head_side: int = 3
) -> list[Conflict]:
    """Conflict objects with ranges. ``base_side``/``head_side`` name the stages of each side."""
    out = []
    for path in sorted(set(stages.entries) | set(stages.kinds)):
        entry = stages.entries.get(path, {})
        kind = stages.kinds.get(path, "content")
        if kind == "content" and entry:  # merge-tree calls add/add "contents" too
            kind = _kind_from_stages(entry, base_side, head_side)
        conflict = Conflict(path=path, kind=kind, message=stages.messages.get(path, ""))
        if base_side in entry and head_side in entry:
            sides = [blobs.get(entry[s]) if s in entry else b"" for s in (1, base_side, head_side)]
            if all(x is not None for x in sides) and not any(is_binary(x) for x in sides):
                conflict.base_lines, conflict.head_lines = conflict_ranges(*sides)  # type: ignore[arg-type]
            elif kind == "content":
                conflict.kind = "binary"
        out.append(conflict)
    return out


def _kind_from_stages(entry: dict[int, str], base_side: int, head_side: int) -> str:
    if 1 not in entry:
        return "add/add"
    if base_side not in entry or head_side not in entry:
        return "modify/delete"
    return "content"


def check_heads(
    repo: Path | Git, base: str, heads: Sequence[str], *, max_workers: int | None = None
) -> list[HeadCheck]:
    """Check every head against ``base``; results in the order of ``heads``.

    Raises :class:`~bot.rebase.git.InvalidRef` for a hostile/invalid name and
    :class:`~bot.rebase.git.GitError` if the base cannot be resolved. An unknown head gets
    status ``missing`` instead of failing the whole batch.
    """
    git = _as_git(repo)
    for name in (base, *heads):
        validate_ref(name)
    shas = resolve_commits(git, [base, *heads])
    base_sha = shas.get(base)
    if not base_sha:
        raise GitError(f"unknown base {base!a}")
    known = {h: s for h in heads if (s := shas.get(h))}
    ancestry = _ancestry(git, base_sha, known) if known else {}
    behind = list(dict.fromkeys(h for h in known if not ancestry[h]))
    workers = max(1, min(len(behind), max_workers or (os.cpu_count() or 2)))
    with ThreadPoolExecutor(workers) as pool:
        merged = dict(
            zip(
                behind, pool.map(lambda h: _merge_one(git, base_sha, known[h]), behind), strict=True
            )
        )
    need = [oid for _, _, st in merged.values() for e in st.entries.values() for oid in e.values()]
    blobs = read_blobs(git, need)
    results = []
    for head in heads:
        sha = known.get(head)
        if sha is None:
            results.append(HeadCheck(head, MISSING, None, base_sha, error="unknown revision"))
        elif ancestry[head]:
            results.append(HeadCheck(head, UP_TO_DATE, sha, base_sha))
        else:
            rc, tree, stages = merged[head]
            if rc == 0:
                results.append(HeadCheck(head, CLEAN, sha, base_sha, tree=tree))
            else:
                conflicts = build_conflicts(stages, blobs)
                for c in conflicts:  # merge-tree labels the sides by the ids we passed
                    c.message = c.message.replace(base_sha, base).replace(sha, head)
                results.append(HeadCheck(head, CONFLICTED, sha, base_sha, conflicts=conflicts))
    return results


async def check_heads_async(
    repo: Path | Git, base: str, heads: Sequence[str], *, max_workers: int | None = None
) -> list[HeadCheck]:
    """:func:`check_heads` off the event loop."""
    import asyncio

    return await asyncio.to_thread(check_heads, repo, base, heads, max_workers=max_workers)
