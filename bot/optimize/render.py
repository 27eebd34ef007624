"""Pure renderers: the PR body table and GitHub review suggestions (no I/O)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from bot.markdown import table_cell

from .results import Finding, OptimizeResult

MARKER = "<!-- pitcrew:optimize -->"


def _cell(value: str) -> str:
    return table_cell(value).strip()


def render_markdown(result: OptimizeResult, *, marker: bool = True) -> str:
    """PR body: a table of applied changes (rule · file · what changed · why · minutes saved
    per month), then findings that need a human (security first), then a total."""
    fixes = [f for f in result.findings if f.fix]
    others = [f for f in result.findings if not f.fix]
    out = [MARKER] if marker else []
    out.append("## Pitcrew: workflow optimizations\n")
    if fixes:
        out.append("| rule | file | what changed | why | est. minutes saved / month |")
        out.append("| --- | --- | --- | --- | ---: |")
        for f in fixes:
            saved = f"{f.minutes_saved:g}" if f.minutes_saved is not None else "–"
            out.append(
                f"| `{f.rule}` | `{_cell(f.file)}`:{f.line} | {_cell(f.message)} | "
                f"{_cell(f.rationale)} | {saved} |"
            )
        total = sum(f.minutes_saved or 0 for f in fixes)
        if total:
            out.append(f"\nEstimated total: **{total:g} CI minutes per month**.")
    else:
        out.append("No changes to propose.")
    if others:
        out.append("\n### Needs a human\n")
        for f in sorted(others, key=lambda f: (not f.security, f.file, f.line)):
            tag = "**security** " if f.security else ""
            out.append(f"- {tag}`{f.rule}` `{f.file}`:{f.line} — {f.message}. {f.rationale}")
    if result.errors:
        out.append("\n### Files that could not be read\n")
        out += [f"- `{e.file}`:{e.line} — {e.message}" for e in result.errors]
    return "\n".join(out) + "\n"


def _fence(lines: list[str]) -> str:
    fence = "```"
    while any(fence in line for line in lines):
        fence += "`"
    return fence


def review_suggestions(
    path: str,
    old_text: str,
    new_text: str,
    changed_lines: Iterable[int],
    findings: Iterable[Finding] = (),
) -> list[dict[str, Any]]:
    """Review comments with ```suggestion blocks turning ``old_text`` into ``new_text``.

    ``changed_lines`` are the 1-based lines of ``old_text`` (the PR head, RIGHT side) that
    the PR diff shows, i.e. that GitHub accepts comments on. A change that touches any other
    line is left out (the PR body/`/optimize` covers it). An insertion is suggested as a
    replacement of the line above it (or below, at the top of the file). Each comment is
    ``{path, line, side, body}`` plus ``start_line``/``start_side`` for multi-line ranges.
    """
    commentable = set(changed_lines)
    old = old_text.splitlines()
    new = new_text.splitlines()
    notes = [f for f in findings if f.fix and f.file == path]
    out: list[dict[str, Any]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        replacement = new[j1:j2]
        if i1 == i2:  # pure insertion: carry a neighbouring line
            if i1 > 0:
                i1 -= 1
                replacement = [old[i1], *replacement]
            elif old:
                i2 = 1
                replacement = [*replacement, old[0]]
            else:
                continue
        start, end = i1 + 1, i2
        if not all(n in commentable for n in range(start, end + 1)):
            continue
        why = [
            f"**{f.rule}**: {f.message}. {f.rationale}"
            for f in notes
            if start - 3 <= f.line <= end + 3
        ]
        fence = _fence(replacement)
        body = "\n".join([*why, f"{fence}suggestion", *replacement, fence])
        comment: dict[str, Any] = {"path": path, "line": end, "side": "RIGHT", "body": body}
        if end > start:
            comment["start_line"] = start
            comment["start_side"] = "RIGHT"
        out.append(comment)
    return out


def security_comments(
    findings: Iterable[Finding], changed_lines: Iterable[int]
) -> list[dict[str, Any]]:
    """Plain review comments for security findings on commentable lines."""
    lines = set(changed_lines)
    return [
        {
            "path": f.file,
            "line": f.line,
            "side": "RIGHT",
            "body": f"**{f.rule}**: {f.message}. {f.rationale}",
        }
        for f in findings
        if f.security and f.line in lines
    ]
