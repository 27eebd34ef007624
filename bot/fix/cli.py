"""``pitcrew fix --repo DIR LOG [--format json|text] [--base REV]``: apply a formatter's fix.

Runs the formatter the failed job's LOG names on DIR's ``HEAD`` commit in a temporary tree,
then writes the changed files into DIR's work tree — only where DIR's copy still equals
``HEAD`` (a local edit is never overwritten). No commit, no push. Exit 0: fixed or nothing to
fix; 1: refused, unsupported or failed; 2: bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bot.rebase.git import Git, GitError

from .engine import fix_commit
from .model import BadInput, FixResult
from .toolcache import ToolCache
from .tree import read_file


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "fix",
        help="apply the formatter fix a failed CI job asks for (no commit, no push)",
        description="Work out the formatter from a failed job's log and apply its fix to DIR.",
    )
    parser.add_argument("log", metavar="LOG", help="the failed job's log file")
    parser.add_argument("--repo", required=True, metavar="DIR", help="git work tree to fix")
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument(
        "--base", metavar="REV", help="the PR's base: refuse if the PR deletes the tool's config"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="formatter time limit (s)")
    parser.add_argument("--tools-dir", metavar="DIR", help="tool cache (default ~/.cache/…)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = fix_worktree(
            Path(args.repo),
            Path(args.log),
            base=args.base,
            timeout=args.timeout,
            cache=ToolCache(Path(args.tools_dir) if args.tools_dir else None),
        )
    except BadInput as exc:
        print(f"pitcrew fix: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(result))
    return result.exit_code


def fix_worktree(
    repo: Path, log: Path, *, base: str | None, timeout: float, cache: ToolCache
) -> FixResult:
    if not log.is_file():
        raise BadInput(f"{log}: no such log file")
    if not (repo / ".git").exists():
        raise BadInput(f"{repo}: not a git work tree")
    git = Git(repo, protocols=("file",))
    try:
        head = git.out("rev-parse", "--verify", "HEAD^{commit}")
        base_sha = (
            git.out("rev-parse", "--verify", "--end-of-options", f"{base}^{{commit}}")
            if base
            else None
        )
    except GitError as exc:
        raise BadInput(f"{repo}: {exc}") from exc
    outcome = fix_commit(git, head, log, base=base_sha, cache=cache, timeout=timeout)
    result = outcome.result
    if result.status != "fixed":
        return result
    dirty = [p for p in outcome.changes if not _unchanged(repo, git, head, p)]
    if dirty:
        result.status = "failed"
        result.reason = f"`{dirty[0]}` has local changes in {repo}; nothing was written"
        return result
    for path, data in outcome.changes.items():
        _write(repo, path, data)
    return result


def _unchanged(repo: Path, git: Git, head: str, rel: str) -> bool:
    target = repo / rel
    if _has_symlink(repo, rel) or not target.is_file():
        return False
    return target.read_bytes() == read_file(git, head, rel)


def _has_symlink(repo: Path, rel: str) -> bool:
    path = repo
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            return True
    return False


def _write(repo: Path, rel: str, data: bytes) -> None:
    target = repo / rel
    mode = target.stat().st_mode & 0o777
    tmp = target.with_name(f".{target.name}.pitcrew-fix")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)


def format_text(result: FixResult) -> str:
    lines = [f"{result.status}: {result.reason}"]
    if result.tool:
        lines.append(f"  tool: {result.tool} {result.version or ''}".rstrip())
    if result.command:
        lines.append(f"  command: {result.command}")
    lines += [f"  changed: {f}" for f in result.files]
    lines += [f"  note: {n}" for n in result.notes]
    return "\n".join(lines) + "\n"
