"""Markdown for failure memory: one verdict line per failure, the flaky-test table."""

from __future__ import annotations

from bot.memory.model import Evidence, FirstBroken, FlakyTest, Verdict

VERDICT_LABELS = {
    "broken_on_base": "BROKEN ON BASE",
    "flaky": "FLAKY",
    "seen_elsewhere": "SEEN IN OTHER PRS",
    "infra": "INFRA",
    "new": "NEW",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _link(evidence: Evidence, text: str) -> str:
    return f"[{text}]({evidence.url})" if evidence.url else text


def render_verdict(verdict: Verdict) -> str:
    """``**BROKEN ON BASE**: also failing on `main` since [`abc1234`](…) (last pass …)``."""
    label = VERDICT_LABELS[verdict.kind]
    text = verdict.text
    if verdict.since is not None:
        sha = f"`{verdict.since.sha[:7]}`"
        text = text.replace(sha, _link(verdict.since, sha))
        if verdict.last_pass is not None:
            text += f"; last passed at {_link(verdict.last_pass, f'`{verdict.last_pass.sha[:7]}`')}"
    if verdict.others:
        links = ", ".join(
            _link(e, f"#{e.pr}" if e.pr is not None else e.sha[:7]) for e in verdict.others
        )
        text += f" ({links})"
    return f"**{label}**: {text}"


def render_first_broken(found: FirstBroken) -> str:
    """The default-branch section's line: where it turned red and what came in between."""
    first = _link(found.first_fail, f"`{found.first_fail.sha[:7]}`")
    line = f"`{found.branch}` red since {first} ({_cell(found.workflow)} / {_cell(found.job)})"
    if found.last_pass is not None:
        line += f"; last green {_link(found.last_pass, f'`{found.last_pass.sha[:7]}`')}"
    if found.commits_between:
        shas = ", ".join(f"`{sha[:7]}`" for sha in found.commits_between[:10])
        more = len(found.commits_between) - 10
        line += f"; commits in between: {shas}" + (f" and {more} more" if more > 0 else "")
    return line


def render_flaky_table(tests: list[FlakyTest]) -> str:
    """`pitcrew flaky --format markdown` and the status report's flaky section."""
    if not tests:
        return "No flaky tests in the window."
    rows = [
        "| test | job | fails | passes | score | last seen | example |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for t in tests:
        example = f"[run]({t.examples[0]})" if t.examples else ""
        rows.append(
            f"| `{_cell(t.test)}` | {_cell(t.workflow)} / {_cell(t.job)} | {t.fails} | "
            f"{t.passes} | {t.score:.0%} | {t.last_seen:%Y-%m-%d} | {example} |"
        )
    return "\n".join(rows)
