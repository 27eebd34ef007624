"""The optimizer's entry points: files in, findings and minimal text changes out.

Sans-I/O: :func:`optimize_files` works on in-memory texts (the service reads them through the
GitHub API); :func:`optimize_repository` is the same over a checkout. Every output is checked
before it is returned: it must parse and keep the same triggers, jobs and steps; if it does
not, the file's fixes are withdrawn (reported, not applied) rather than risking a broken file.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .edits import apply_edits
from .model import Doc, Workflow, YamlError
from .results import (
    DEFAULT_RULES,
    RULE_IDS,
    Finding,
    OptimizeConfig,
    OptimizeError,
    OptimizeResult,
    RuleContext,
    RunHistory,
)
from .rules import FILE_RULES
from .rules.dependabot import PATHS as DEPENDABOT_PATHS
from .rules.dependabot import dependabot

log = logging.getLogger(__name__)

__all__ = [
    "RULE_IDS",
    "Finding",
    "OptimizeConfig",
    "OptimizeError",
    "OptimizeResult",
    "RunHistory",
    "is_optimizable_path",
    "optimize_files",
    "optimize_repository",
    "optimize_text",
    "resolve_rules",
]

_WORKFLOW = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_ACTION = re.compile(r"(^|/)action\.ya?ml$")
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "target", "dist"}
_MAX_FILES = 50_000


def is_optimizable_path(path: str) -> bool:
    """Workflow files (``.github/workflows/*.yml``) and action metadata (``action.yml``)."""
    return bool(_WORKFLOW.match(path) or _ACTION.search(path))


def resolve_rules(rules: Iterable[str] | None, config: OptimizeConfig | None = None) -> list[str]:
    """Validated rule ids in execution order; raises ValueError naming unknown ids."""
    wanted = list(rules or (config.rules if config else ()) or DEFAULT_RULES)
    unknown = [r for r in wanted if r not in RULE_IDS]
    if unknown:
        raise ValueError(f"unknown rule id(s): {', '.join(unknown)} (known: {', '.join(RULE_IDS)})")
    order = [*DEFAULT_RULES, "pin-sha"]
    return [r for r in order if r in wanted]


def _signature(wf: Workflow) -> tuple[Any, ...]:
    """What must not change: triggers, job ids, and each job's steps (action or run)."""
    jobs = tuple(
        (job.id, tuple((s.action, s.run is not None) for s in job.steps)) for job in wf.jobs
    )
    return tuple(sorted(k for k in wf.triggers() if k != "merge_group")), jobs


def _optimize_one(
    path: str,
    text: str,
    repo_files: frozenset[str],
    rules: list[str],
    history: RunHistory | None,
    config: OptimizeConfig,
) -> tuple[str, list[Finding]]:
    """Raises YamlError for text that does not parse."""
    wf = Workflow(Doc(path, text))
    ctx = RuleContext(wf, repo_files, config, history)
    for line, key in wf.doc.duplicates:
        ctx.report(
            "yaml",
            line,
            f"duplicate key `{key}`",
            "GitHub rejects a workflow with a duplicate key; YAML loaders silently keep the last.",
        )
    if wf.root is None:
        return text, ctx.findings
    for rule in rules:
        fn = FILE_RULES.get(rule)
        if fn is not None:
            fn(ctx)
    edits = ctx.edits
    while True:
        new_text, _, rejected = apply_edits(text, edits)
        if not rejected:
            break
        dropped = {e.owner for e in rejected}
        for owner in dropped:
            ctx.findings[owner].fix = False
            ctx.findings[owner].message += " (not applied: overlaps another change)"
        edits = [e for e in edits if e.owner not in dropped]
    if new_text != text and not _verify(wf, path, new_text):
        log.warning("optimize: withdrawing fixes that fail verification", extra={"file": path})
        for f in ctx.findings:
            if f.fix:
                f.fix = False
                f.message += " (not applied: the edited file failed verification)"
        new_text = text
    return new_text, ctx.findings


def _verify(before: Workflow, path: str, new_text: str) -> bool:
    try:
        after = Workflow(Doc(path, new_text))
    except YamlError:
        return False
    return _signature(before) == _signature(after)


def optimize_text(
    path: str,
    text: str,
    *,
    repo_files: Iterable[str] = (),
    rules: Iterable[str] | None = None,
    history: RunHistory | None = None,
    config: OptimizeConfig | None = None,
) -> OptimizeResult:
    """One workflow (or action.yml) in memory. ``repo_files``: every path in the repository,
    for lockfile detection. Broken YAML is returned in ``errors``, never raised."""
    config = config or OptimizeConfig()
    files = frozenset(repo_files) | {path}
    result = OptimizeResult()
    try:
        new_text, findings = _optimize_one(
            path, text, files, resolve_rules(rules, config), history, config
        )
    except YamlError as exc:
        result.errors.append(OptimizeError(path, exc.line, exc.message))
        return result
    result.findings = findings
    if new_text != text:
        result.changes[path] = (text, new_text)
    return result


def optimize_files(
    files: Mapping[str, str],
    *,
    repo_files: Iterable[str] = (),
    rules: Iterable[str] | None = None,
    history: RunHistory | None = None,
    config: OptimizeConfig | None = None,
    repository: bool = True,
) -> OptimizeResult:
    """Several files of one repository, in memory (path → text).

    Pass every workflow and action file plus ``.github/dependabot.yml`` (if it exists) in
    ``files``, and the full file list in ``repo_files``. With ``repository=False`` the
    repository-level ``dependabot`` rule is skipped (used when only some files were given).
    """
    config = config or OptimizeConfig()
    active = resolve_rules(rules, config)
    all_files = frozenset(repo_files) | frozenset(files)
    result = OptimizeResult()
    for path in sorted(files):
        if path in DEPENDABOT_PATHS or (repository and not is_optimizable_path(path)):
            continue
        if any(fnmatch.fnmatch(path, pattern) for pattern in config.exclude):
            continue
        one = optimize_text(
            path, files[path], repo_files=all_files, rules=active, history=history, config=config
        )
        result.findings += one.findings
        result.changes.update(one.changes)
        result.errors += one.errors
    if repository and "dependabot" in active:
        texts = {p: files[p] for p in DEPENDABOT_PATHS if p in files}
        findings, changes = dependabot(all_files, texts)
        result.findings += findings
        result.changes.update(changes)
    return result


def list_repo_files(root: Path) -> list[str]:
    """Repository-relative paths (``/`` separators), skipping VCS and dependency folders."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        rel = os.path.relpath(dirpath, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        out += [prefix + f for f in filenames]
        if len(out) > _MAX_FILES:
            break
    return out


def read_texts(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """Read files exactly (no newline translation), as UTF-8."""
    texts = {}
    for rel in paths:
        with open(root / rel, encoding="utf-8", newline="") as fh:
            texts[rel] = fh.read()
    return texts


def optimize_repository(
    root: Path,
    *,
    rules: Iterable[str] | None = None,
    history: RunHistory | None = None,
    config: OptimizeConfig | None = None,
    only: Iterable[str] | None = None,
) -> OptimizeResult:
    """A checkout on disk: every workflow and action file (or just ``only``, repo-relative)."""
    root = Path(root)
    repo_files = list_repo_files(root)
    wanted = (
        list(only)
        if only is not None
        else [p for p in repo_files if is_optimizable_path(p) or p in DEPENDABOT_PATHS]
    )
    texts = {}
    errors = []
    for rel in wanted:
        try:
            texts.update(read_texts(root, [rel]))
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(OptimizeError(rel, 1, f"cannot read: {exc}"))
    if only is not None:
        texts.update(
            {p: t for p, t in _try_read(root, DEPENDABOT_PATHS).items() if p in repo_files}
        )
    result = optimize_files(
        texts,
        repo_files=repo_files,
        rules=rules,
        history=history,
        config=config,
        repository=only is None,
    )
    result.errors = errors + result.errors
    return result


def _try_read(root: Path, paths: Iterable[str]) -> dict[str, str]:
    try:
        return read_texts(root, [p for p in paths if (root / p).is_file()])
    except (OSError, UnicodeDecodeError):
        return {}
