"""Markdown for the fix: the offer in the diagnosis comment and the sticky report after a fix."""

from __future__ import annotations

from .model import FixResult


def render_offer(tool_command: str) -> str:
    """The line the diagnosis comment carries when ``/fix`` applies."""
    return f"🔧 Pitcrew can apply `{tool_command}` for you: comment `/fix`."


def render_report(
    result: FixResult,
    *,
    pushed_sha: str | None = None,
    branch: str = "",
    head_sha: str = "",
    not_pushed_reason: str | None = None,
    trigger: str = "",
) -> str:
    """The sticky ``fix`` comment: what was pushed (files, tool, version) or why nothing was."""
    tool = f"`{result.tool}` {result.version or ''}".strip() if result.tool else "—"
    if pushed_sha:
        title = f"### 🔧 Pitcrew applied {tool}"
        intro = (
            f"Pushed {pushed_sha} to `{branch}` on top of {head_sha[:12]} ({trigger}); CI runs "
            "again on it."  # bare SHAs: GitHub links them to the commits
        )
    else:
        title = "### 🔧 Pitcrew did not push a fix"
        intro = f"**Why:** {not_pushed_reason or result.reason}" + (
            f" ({trigger})" if trigger else ""
        )
    rows = ["| | |", "| --- | --- |", f"| tool | {tool} |", f"| status | `{result.status}` |"]
    if result.command:
        rows.append(f"| command | `{result.command}` |")
    if result.files:
        shown = ", ".join(f"`{f}`" for f in result.files[:20])
        more = f" and {len(result.files) - 20} more" if len(result.files) > 20 else ""
        rows.append(f"| files ({len(result.files)}) | {shown}{more} |")
    parts = [title, "", intro, "", *rows]
    if not pushed_sha and result.command and result.status in ("refused", "unsupported", "failed"):
        parts += [
            "",
            "To fix it locally, run the formatter and commit:",
            "",
            "```sh",
            result.command,
            "```",
        ]
    if result.notes:
        notes = "\n".join(f"- {n}" for n in result.notes[:30])
        parts += ["", "<details><summary>Notes</summary>", "", notes, "", "</details>"]
    return "\n".join(parts) + "\n"
