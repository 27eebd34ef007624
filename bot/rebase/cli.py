"""``pitcrew rebase``: check or update PR branches of a local repository (no push, no GitHub).

Exit codes: 0 all heads clean/up to date/updated; 1 at least one conflicted, moved, missing or
errored head (a head git cannot merge is reported as ``error`` and the others still checked);
2 bad input (hostile or invalid ref, not a repository, unknown base).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.rebase.check import DEFAULT_MAX_FILE_BYTES, check_heads
from bot.rebase.conflicts import format_range
from bot.rebase.git import DEFAULT_PROTOCOLS, Git, GitError, InvalidRef, validate_ref
from bot.rebase.resolution import RESOLVE_STRATEGIES, ResolutionRule
from bot.rebase.update import update_branch

OK_STATUSES = {"clean", "up_to_date", "updated"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "rebase",
        help="check or update PR branches against their base (local repository)",
        description="Check heads against a base with git merge-tree (--check-only) or update "
        "them by rebase/merge in a throw-away work tree. Never pushes.",
    )
    p.add_argument("--repo", default=".", metavar="DIR", help="repository (default: .)")
    p.add_argument("--base", required=True, metavar="BRANCH", help="base branch")
    p.add_argument(
        "--head",
        required=True,
        action="append",
        metavar="BRANCH",
        help="PR branch; repeat for several",
    )
    p.add_argument("--strategy", choices=("rebase", "merge"), default="rebase")
    p.add_argument("--check-only", action="store_true", help="report only, change nothing")
    p.add_argument(
        "--max-file-bytes",
        type=int,
        default=DEFAULT_MAX_FILE_BYTES,
        metavar="N",
        help="--check-only: conflicted files larger than N bytes get path and kind only "
        f"(default {DEFAULT_MAX_FILE_BYTES:,})",
    )
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="GLOB=STRATEGY",
        help=f"opt-in automatic resolution, STRATEGY one of {', '.join(RESOLVE_STRATEGIES)}",
    )
    p.add_argument("--rerere", action="store_true", help="reuse recorded resolutions")
    p.add_argument(
        "--old-base",
        metavar="REV",
        help="rebase: replay only commits after REV (squash-merged parent's old head)",
    )
    p.set_defaults(func=run)


def _rules(specs: list[str]) -> list[ResolutionRule]:
    rules = []
    for spec in specs:
        glob, sep, strategy = spec.rpartition("=")
        if not sep or not glob or strategy not in RESOLVE_STRATEGIES:
            raise ValueError(f"--resolve {spec!r}: expected GLOB=union|ours|theirs")
        rules.append(ResolutionRule(glob, strategy))
    return rules


def run(args: argparse.Namespace) -> int:
    try:
        for name in (args.base, *args.head, *([args.old_base] if args.old_base else [])):
            validate_ref(name)
        rules = _rules(args.resolve)
        repo = Path(args.repo)
        if not repo.is_dir():
            raise ValueError(f"--repo {args.repo}: not a directory")
        git = Git(repo, protocols=(*DEFAULT_PROTOCOLS, "file"))
        git.run("rev-parse", "--git-dir")
        if args.check_only:
            checks = check_heads(git, args.base, args.head, max_file_bytes=args.max_file_bytes)
            results = [r.to_dict() for r in checks]
        else:
            results = [
                update_branch(
                    git,
                    args.base,
                    head,
                    strategy=args.strategy,
                    resolutions=rules,
                    rerere=args.rerere,
                    old_base=args.old_base,
                ).to_dict()
                for head in args.head
            ]
    except (InvalidRef, ValueError, GitError) as exc:
        print(f"pitcrew rebase: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(results[0] if len(results) == 1 else results, indent=2))
    else:
        for r in results:
            print(_text(r))
    return 0 if all(r["status"] in OK_STATUSES for r in results) else 1


def _text(r: dict[str, Any]) -> str:
    before, after = (r.get("head_before") or "")[:12], (r.get("head_after") or "")[:12]
    move = f" {before} -> {after}" if before and after and before != after else f" {before}"
    lines = [f"{r['head']}: {r['status']}{move}".rstrip()]
    if r.get("message") and r["status"] not in OK_STATUSES:
        lines.append(f"  {r['message']}")
    if r.get("error") and r["status"] == "error":
        lines.append(f"  {r['error']}")
    for c in r["conflicts"]:
        base = ", ".join(format_range(tuple(x)) for x in c["base_lines"]) or "-"
        head = ", ".join(format_range(tuple(x)) for x in c["head_lines"]) or "-"
        lines.append(f"  {c['path']} ({c['kind']}): base {base}; head {head}")
    for res in r.get("resolved", []):
        lines.append(f"  resolved {res['path']} with {res['strategy']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.rebase.cli``: the same command without loading the other engines."""
    parser = argparse.ArgumentParser(prog="pitcrew")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["rebase", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
