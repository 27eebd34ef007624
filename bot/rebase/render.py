"""Markdown for the sticky rebase comment on a PR (pure functions, no I/O).

The comment always starts with :data:`MARKER` so the service can find and upsert it. It says
what happened, which path was taken and why, and — whenever the bot could not finish — the
exact commands to finish by hand. Branch names are validated before they get here
(:func:`bot.rebase.git.validate_ref` refuses shell metacharacters), so the commands are safe
to copy.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.markdown import table_cell as _cell
from bot.rebase.conflicts import Conflict, format_range
from bot.redact import redact

MARKER = "<!-- pitcrew:rebase -->"
COLLAPSE_AFTER = 10  # conflict rows shown before the table goes into <details>
RANGES_NOTE = (
    "<sub>Line numbers are those of the file as `git merge` leaves it, conflict markers "
    "included: each side's lines between `<<<<<<<`, `=======` and `>>>>>>>`.</sub>"
)

PATHS = {
    "rebase": "rebased the branch onto its base",
    "merge": "merged the base branch into the PR branch",
    "update-branch": "used GitHub's update-branch API (a merge made by GitHub)",
    "none": "did not update the branch",
}


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def _ranges(ranges: Sequence[tuple[int, int]], kind: str) -> str:
    if not ranges:
        return f"whole file ({kind})" if kind != "content" else "—"
    return ", ".join(format_range(r) for r in ranges)


def conflicts_table(conflicts: Sequence[Conflict], *, base: str, head: str) -> str:
    """The conflicts as a Markdown table, inside ``<details>`` when long."""
    rows = [
        f"| {_code(c.path).replace('|', '&#124;')} | {_cell(_ranges(c.base_lines, c.kind))} "
        f"| {_cell(_ranges(c.head_lines, c.kind))} |"
        for c in conflicts
    ]
    table = "\n".join(
        [f"| File | `{base}`'s side | `{head}`'s side |", "| --- | --- | --- |", *rows]
    )
    if any(c.base_lines or c.head_lines for c in conflicts):
        table += f"\n\n{RANGES_NOTE}"
    if len(conflicts) > COLLAPSE_AFTER:
        return (
            f"<details><summary>{len(conflicts)} conflicting files</summary>\n\n{table}\n\n"
            "</details>"
        )
    return table


def manual_commands(
    *,
    base: str,
    head: str,
    strategy: str = "rebase",
    remote: str = "origin",
    head_remote: str | None = None,
    paths: Sequence[str] = (),
) -> str:
    """The shell commands that finish the update locally."""
    head_remote = head_remote or remote
    add = "git add " + " ".join(_shell_path(p) for p in paths) if paths else "git add <files>"
    lines = [f"git fetch {remote} {base}", f"git switch {head}"]
    if head_remote != remote:
        lines.insert(1, f"git fetch {head_remote} {head}")
    if strategy == "merge":
        lines += [
            f"git merge {remote}/{base}",
            "# resolve the conflicts in the files listed above, then:",
            f"{add} && git commit --no-edit",
            f"git push {head_remote} {head}",
        ]
    else:
        lines += [
            f"git rebase {remote}/{base}",
            "# resolve the conflicts in the files listed above, then for each stop:",
            f"{add} && git rebase --continue",
            f"git push --force-with-lease {head_remote} {head}",
        ]
    return "```sh\n" + "\n".join(lines) + "\n```"


def _shell_path(path: str) -> str:
    if all(c.isalnum() or c in "._-/+@%=," for c in path):
        return path
    return "'" + path.replace("'", "'\\''") + "'"


def render_conflict(
    *,
    base: str,
    head: str,
    conflicts: Sequence[Conflict],
    strategy: str = "rebase",
    path_taken: str = "none",
    reason: str = "",
    remote: str = "origin",
    head_remote: str | None = None,
    conflict_commit: str | None = None,
) -> str:
    """The comment for a PR that conflicts with its base (check or failed update)."""
    parts = [
        MARKER,
        f"### :warning: This branch conflicts with `{base}`",
        "",
        f"{len(conflicts)} file(s) conflict between `{head}` and `{base}`"
        + (f" (while replaying commit `{conflict_commit[:12]}`)." if conflict_commit else "."),
        "",
        conflicts_table(conflicts, base=base, head=head),
        "",
        f"**What Pitcrew did:** {PATHS.get(path_taken, path_taken)}"
        + (f" — {reason}" if reason else "."),
        "",
        "**To resolve locally:**",
        "",
        manual_commands(
            base=base,
            head=head,
            strategy=strategy,
            remote=remote,
            head_remote=head_remote,
            paths=[c.path for c in conflicts],
        ),
        "",
        "Comment `/rebase` (or `/rebase merge`) to let Pitcrew try again.",
    ]
    return "\n".join(parts) + "\n"


def render_updated(
    *,
    base: str,
    head: str,
    path_taken: str,
    reason: str = "",
    head_before: str | None = None,
    head_after: str | None = None,
    resolved: Sequence[tuple[str, str]] = (),
    dropped: int = 0,
    stacked: bool = False,
) -> str:
    """The comment after a successful update; ``resolved`` lists (path, strategy)."""
    parts = [MARKER, f"### :white_check_mark: Branch updated with `{base}`", ""]
    move = f" (`{head_before[:12]}` → `{head_after[:12]}`)" if head_before and head_after else ""
    parts.append(
        f"Pitcrew {PATHS.get(path_taken, path_taken)}{move}" + (f" — {reason}" if reason else ".")
    )
    if stacked:
        parts.append("\nThe parent PR was squash-merged: only the commits after it were replayed.")
    if dropped:
        parts.append(f"\n{dropped} commit(s) already in `{base}` were dropped.")
    if resolved:
        parts += ["", "Resolved automatically by the repository's opt-in rules:", ""]
        parts += [f"- {_code(p)}: `{s}`" for p, s in resolved]
    return "\n".join(parts) + "\n"


def render_resolved(*, base: str, head: str, reason: str = "") -> str:
    """The sticky comment once the conflict is gone (edited in place of the conflict form)."""
    text = f"~~This branch conflicted with `{base}`.~~ The conflict is resolved"
    return f"{MARKER}\n### :white_check_mark: No conflicts with `{base}`\n\n{text}" + (
        f" — {reason}.\n" if reason else ".\n"
    )


def render_failure(
    *,
    base: str,
    head: str,
    strategy: str,
    status: str,
    message: str,
    remote: str = "origin",
    head_remote: str | None = None,
) -> str:
    """The comment when an update could not be pushed (branch moved, rejected, not allowed)."""
    titles = {
        "branch_moved": "The branch moved while Pitcrew was updating it; nothing was overwritten",
        "rejected": "The push was rejected",
        "not_allowed": "Pitcrew may not push to this branch",
        "cannot_merge": f"Git cannot merge this branch with `{base}`",
    }
    parts = [
        MARKER,
        f"### :x: {titles.get(status, 'The update did not complete')}",
        "",
        redact(message),
    ]
    if status != "cannot_merge":  # no history in common: a rebase command would mislead
        commands = manual_commands(
            base=base, head=head, strategy=strategy, remote=remote, head_remote=head_remote
        )
        parts += ["", "**To update locally:**", "", commands]
    return "\n".join(parts) + "\n"
