"""``pitcrew optimize [PATH …] [--format diff|json|text] [--write] [--rules id,…]``.

PATH is a repository root (default ``.``) or workflow files; for files the repository root
(for lockfile detection) is the nearest parent holding ``.git`` or ``.github``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .actions import ActionCatalog, ActionRef, bundled_catalog
from .edits import unified_diff
from .engine import (
    is_optimizable_path,
    list_repo_files,
    optimize_repository,
    read_texts,
    resolve_rules,
)
from .lookup import LookupStats, refs_in
from .results import RULE_IDS, OptimizeConfig, OptimizeResult, RunHistory


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "optimize",
        help="propose faster, safer GitHub Actions workflows as minimal diffs",
        description="Find CI waste and risky patterns in GitHub Actions workflows; print the "
        "fixes as a diff (or write them), every untouched line kept byte for byte.",
    )
    add_arguments(parser)
    parser.set_defaults(func=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="repository root or workflow files"
    )
    parser.add_argument("--format", choices=("diff", "json", "text"), default="diff")
    parser.add_argument("--write", action="store_true", help="apply the fixes to the files")
    parser.add_argument("--rules", metavar="ID,…", help="rules to run: " + ", ".join(RULE_IDS))
    parser.add_argument("--history", metavar="JSON", help="run history (RunHistory fields)")
    parser.add_argument("--timeout-default", type=int, metavar="MIN", help="default timeout")
    parser.add_argument("--default-branch", metavar="BRANCH", help="default: main or master")
    parser.add_argument(
        "--merge-queue", action="append", metavar="BRANCH", help="branch gated by a merge queue"
    )
    parser.add_argument(
        "--github-token",
        metavar="TOKEN",
        default=os.environ.get("GITHUB_TOKEN"),
        help="read each action's action.yml at the ref used through the GitHub API "
        "(default: $GITHUB_TOKEN; without one, the bundled table is used)",
    )
    parser.add_argument(
        "--github-api-url",
        metavar="URL",
        default=os.environ.get("GITHUB_API_URL", "https://api.github.com"),
        help="GitHub API base URL (default: $GITHUB_API_URL or api.github.com)",
    )


def find_root(path: Path) -> Path:
    for parent in [path.parent, *path.parent.parents]:
        if (parent / ".git").exists() or (parent / ".github").is_dir():
            return parent
    return path.parent


def _repo_config(root: Path, args: argparse.Namespace) -> OptimizeConfig:
    data: dict[str, Any] = {}
    try:
        loaded = yaml.safe_load((root / ".github" / "pitcrew.yml").read_text(encoding="utf-8"))
        if isinstance(loaded, dict) and isinstance(loaded.get("optimize"), dict):
            data = loaded["optimize"]
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        pass
    facts: dict[str, Any] = {"default_branch": args.default_branch}
    if args.merge_queue:
        facts["merge_queue_branches"] = frozenset(args.merge_queue)
    try:
        config = OptimizeConfig.from_mapping(data, **facts)
    except (TypeError, ValueError):
        config = OptimizeConfig(**facts)
    if args.timeout_default:
        config.timeout_default = args.timeout_default
    return config


def _display(root: Path, rel: str) -> str:
    return os.path.normpath(os.path.join(str(root), rel)) if str(root) != "." else rel


def run(args: argparse.Namespace) -> int:
    try:
        rules = [r.strip() for r in args.rules.split(",") if r.strip()] if args.rules else None
        if rules:
            resolve_rules(rules)
        history = None
        if args.history:
            with open(args.history, encoding="utf-8") as fh:
                history = RunHistory.from_dict(json.load(fh))
    except (ValueError, OSError, TypeError) as exc:
        print(f"pitcrew optimize: {exc}", file=sys.stderr)
        return 2
    groups: dict[Path, list[str] | None] = {}
    for raw in args.paths or ["."]:
        path = Path(raw)
        if path.is_dir():
            groups[path] = None
        elif path.is_file():
            root = find_root(path.resolve())
            rel = path.resolve().relative_to(root).as_posix()
            shown = Path(os.path.relpath(root)) if not path.is_absolute() else root
            if groups.get(shown, []) is not None:
                groups.setdefault(shown, []).append(rel)  # type: ignore[union-attr]  # not None: checked on the line above
        else:
            print(f"pitcrew optimize: {raw}: no such file or directory", file=sys.stderr)
            return 2
    findings: list[dict[str, Any]] = []
    texts: list[str] = []
    status = 0
    for root, only in groups.items():
        config = _repo_config(root, args)
        lookup: OnlineLookup | None = getattr(args, "online_lookup", None)
        if args.github_token and lookup is None:
            print("pitcrew optimize: online lookups unavailable; bundled table", file=sys.stderr)
        elif args.github_token and lookup is not None:
            config.actions, note = online_catalog(
                root, only, args.github_token, args.github_api_url, lookup
            )
            if note:
                print(f"pitcrew optimize: {note}", file=sys.stderr)
        result = optimize_repository(root, rules=rules, history=history, config=config, only=only)
        for err in result.errors:
            print(
                f"pitcrew optimize: {_display(root, err.file)}:{err.line}: {err.message}",
                file=sys.stderr,
            )
            status = 1
        findings += [{**f.to_json(), "file": _display(root, f.file)} for f in result.findings]
        if args.format == "diff":
            texts += [
                unified_diff(_display(root, p), old or "", new)
                for p, (old, new) in result.changes.items()
            ]
        elif args.format == "text":
            texts.append(_text(root, result))
        if args.write:
            _write(root, result)
    if args.format == "json":
        print(json.dumps(findings, indent=2))
    else:
        sys.stdout.write("".join(texts))
    return status


#: (refs, token, API URL) -> (catalog, stats): the GitHub side of online mode. The engine
#: imports no GitHub code; the ``pitcrew`` entry point passes ``bot.github.actions``'s.
OnlineLookup = Callable[[list[ActionRef], str, str], tuple[ActionCatalog, LookupStats]]


def online_catalog(
    root: Path, only: list[str] | None, token: str, api_url: str, lookup: OnlineLookup
) -> tuple[ActionCatalog, str]:
    """The bundled table overlaid with what the API says about the actions these files use."""
    paths = only or [p for p in list_repo_files(root) if is_optimizable_path(p)]
    texts: list[str] = []
    for rel in paths:
        try:
            texts += read_texts(root, [rel]).values()
        except (OSError, UnicodeDecodeError):
            continue
    online, stats = lookup(refs_in(texts), token, api_url)
    note = ""
    if stats.failures:
        note = "action lookups failed (those actions are not judged): " + "; ".join(
            stats.failures[:5]
        )
    return bundled_catalog().merged(online), note


def _text(root: Path, result: OptimizeResult) -> str:
    lines = []
    for f in result.findings:
        state = "fix" if f.fix else "report"
        saved = f" [~{f.minutes_saved:g} min/month]" if f.minutes_saved else ""
        lines.append(f"{_display(root, f.file)}:{f.line}: {f.rule} ({state}): {f.message}{saved}")
        if f.rationale:
            lines.append(f"    {f.rationale}")
    return "".join(line + "\n" for line in lines)


def _write(root: Path, result: OptimizeResult) -> None:
    for rel, (_, new) in result.changes.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.write(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pitcrew optimize")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
