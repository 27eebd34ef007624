"""The optimize pull request and reviews: names, markers and Markdown, as plain functions.

Everything here is pure (engine results and JSON in, strings and dicts out); the workflows
feature (`bot.features.workflows`) reads the repository and writes these to GitHub.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.optimize.render import render_markdown, review_suggestions, security_comments
from bot.optimize.results import OptimizeResult, RunHistory

BRANCH = "pitcrew/optimize-workflows"
TRAILER = "Pitcrew-Optimize: workflows"
PR_TITLE = "ci: optimize GitHub Actions workflows"
_WORKFLOW = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_LOCAL_ACTION = re.compile(r"^\.github/actions/(?:[^/]+/)+action\.ya?ml$")
_DEPENDABOT = re.compile(r"^\.github/dependabot\.ya?ml$")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_REVIEW_IDS = re.compile(r"<!-- pitcrew:optimize-review ids=([0-9a-f,]*) -->")


def is_workflow(path: str) -> bool:
    """A workflow file (what a PR review looks at)."""
    return bool(_WORKFLOW.match(path))


def wanted_path(path: str) -> bool:
    """Files the optimizer reads: workflows, local composite actions, the Dependabot config."""
    return bool(_WORKFLOW.match(path) or _LOCAL_ACTION.match(path) or _DEPENDABOT.match(path))


def commentable_lines(patch: str | None) -> set[int]:
    """RIGHT-side lines inside a patch's hunks: the lines GitHub accepts review comments on."""
    lines: set[int] = set()
    current: int | None = None
    for line in (patch or "").splitlines():
        match = _HUNK.match(line)
        if match:
            current = int(match.group(1))
        elif current is not None and not line.startswith(("-", "\\")):
            lines.add(current)
            current += 1
    return lines


def fingerprint(comment: Mapping[str, Any]) -> str:
    """Identity of a review comment that survives line shifts: file and text."""
    return hashlib.sha256(f"{comment['path']}\0{comment['body']}".encode()).hexdigest()[:12]


def review_marker(ids: Iterable[str]) -> str:
    return f"<!-- pitcrew:optimize-review ids={','.join(sorted(set(ids)))} -->"


def posted_ids(reviews: Iterable[Mapping[str, Any]], bot_login: str) -> set[str]:
    """Fingerprints already posted in our earlier reviews of this PR."""
    out: set[str] = set()
    for review in reviews:
        if (review.get("user") or {}).get("login", "").lower() != bot_login.lower():
            continue
        for match in _REVIEW_IDS.finditer(review.get("body") or ""):
            out.update(i for i in match.group(1).split(",") if i)
    return out


def changes_id(result: OptimizeResult) -> str:
    """Identity of a proposal: the files it writes and their new content."""
    digest = hashlib.sha256()
    for path, (_old, new) in sorted(result.changes.items()):
        digest.update(f"{path}\0{new}\0".encode())
    return digest.hexdigest()[:16]


def changes_marker(result: OptimizeResult) -> str:
    return f"<!-- pitcrew:optimize-changes id={changes_id(result)} -->"


def unreadable_lines(unreadable: Mapping[str, str]) -> list[str]:
    """One line per workflow file that could not be read, so it is never silently skipped."""
    return [
        f"- `{path}`: could not be read ({why}); not checked"
        for path, why in sorted(unreadable.items())
    ]


def pr_body(
    result: OptimizeResult,
    history: RunHistory | None,
    source: str,
    unreadable: Mapping[str, str] | None = None,
) -> str:
    """The optimize PR's description: the engine's table, savings stated or marked n/a, and
    the workflow files that could not be read."""
    body = render_markdown(result)
    if unreadable:
        body += "\n**Not checked** (the contents API did not give them as text):\n"
        body += "\n".join(unreadable_lines(unreadable)) + "\n"
    if history is None:
        body = re.sub(r"\| – \|$", "| n/a |", body, flags=re.M)
        note = (
            "Estimated minutes saved: **n/a** — Pitcrew has no run history for this "
            "repository yet (it collects `workflow_run`/`workflow_job` events)."
        )
    else:
        note = (
            f"Savings estimated from {history.window_days:g} day(s) of run history, scaled "
            "to a month (`–`: no estimate for that rule from the history Pitcrew keeps)."
        )
    return (
        f"{body}\n{note}\n\n{changes_marker(result)}\n"
        f"<sub>Opened by Pitcrew ({source}). Re-run `/optimize` to refresh this PR; Pitcrew "
        f"rewrites `{BRANCH}` only while every commit on it is its own. Editing workflow "
        "files needs the App's `workflows` permission.</sub>\n"
    )


def error_lines(result: OptimizeResult) -> list[str]:
    return [f"- `{e.file}:{e.line}`: {e.message}" for e in result.errors]


def commit_message(result: OptimizeResult) -> str:
    rules = sorted({f.rule for f in result.findings if f.fix})
    files = "\n".join(f"- {path}" for path in sorted(result.changes))
    return f"{PR_TITLE}\n\nRules: {', '.join(rules)}\n\n{files}\n\n{TRAILER}\n"


@dataclass
class RepoSnapshot:
    default_branch: str
    head_sha: str
    tree_sha: str
    paths: list[str]
    files: dict[str, str] = field(default_factory=dict)
    required_checks: frozenset[str] | None = None
    unreadable: dict[str, str] = field(default_factory=dict)  # path → why it was not read


def required_checks(branch: Mapping[str, Any]) -> frozenset[str] | None:
    """Required status checks of the default branch when GitHub shows them, else unknown."""
    if branch.get("protected") is False:
        return frozenset()
    checks = ((branch.get("protection") or {}).get("required_status_checks")) or {}
    if not checks:
        return None
    names = set(checks.get("contexts") or ())
    names.update(c.get("context", "") for c in checks.get("checks") or ())
    return frozenset(n for n in names if n)


@dataclass
class OptimizeOutcome:
    """What one optimize run did, for the reply."""

    result: OptimizeResult
    files: int
    pr: dict[str, Any] | None = None
    action: str = "none"  # opened | updated | unchanged | none | blocked
    note: str = ""
    unreadable: dict[str, str] = field(default_factory=dict)  # path → why it was not read


def render_reply(outcome: OptimizeOutcome) -> str:
    result, pr = outcome.result, outcome.pr
    fixes = sum(1 for f in result.findings if f.fix)
    human = [f for f in result.findings if not f.fix]
    security = sum(1 for f in human if f.security)
    lines: list[str] = []
    if not result.changes:
        lines.append(f"Nothing to optimize in {outcome.files} workflow file(s).")
        if pr is not None:
            lines.append(f"The optimize PR #{pr['number']} is still open: {pr['html_url']}")
    elif outcome.action == "blocked":
        lines.append(f"Not updated: {outcome.note}")
    elif pr is not None:
        verb = {"opened": "Opened", "updated": "Updated"}.get(outcome.action, "Unchanged:")
        lines.append(
            f"{verb} #{pr['number']} with {fixes} change(s) in {len(result.changes)} "
            f"file(s): {pr['html_url']}"
        )
    if human:
        lines.append(
            f"{len(human)} finding(s) need a human"
            + (f", {security} of them security" if security else "")
            + (" (listed in the PR)." if result.changes else ":")
        )
        if not result.changes:
            lines += [f"- `{f.rule}` `{f.file}:{f.line}`: {f.message}" for f in human[:20]]
    if result.errors or outcome.unreadable:
        lines.append("Could not read:")
        lines += error_lines(result) + unreadable_lines(outcome.unreadable)
    return "\n".join(lines)


def review_comments(
    result: OptimizeResult, files: Mapping[str, str], lines: Mapping[str, set[int]]
) -> list[dict[str, Any]]:
    """Suggestion blocks (changed lines only) and security findings, in file order."""
    out: list[dict[str, Any]] = []
    for path in sorted(files):
        findings = [f for f in result.findings if f.file == path]
        if path in result.changes:
            old, new = result.changes[path]
            out += review_suggestions(path, old or "", new, lines.get(path, ()), findings)
        out += security_comments(findings, lines.get(path, ()))
    return out


def review_body(
    fresh: list[dict[str, Any]], errors: list[str], outside: int, ids: Iterable[str]
) -> str:
    suggestions = sum(1 for c in fresh if "```suggestion" in c["body"])
    security = len(fresh) - suggestions
    parts = [review_marker(ids), "**Pitcrew reviewed the workflow changes.**"]
    if suggestions:
        parts.append(
            f"{suggestions} suggestion(s) that make CI faster or safer: each applies in one click."
        )
    if security:
        parts.append(f"{security} security finding(s) to look at (not changed automatically).")
    if outside:
        parts.append(
            "Some proposals touch lines this PR does not change; comment `/optimize` to get "
            "them as a separate PR."
        )
    if errors:
        parts.append("Could not read:\n" + "\n".join(errors))
    return "\n\n".join(parts)
