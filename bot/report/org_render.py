"""Markdown of the org report: verdict, the two charts people look at, then the evidence.

Mermaid ``xychart-beta`` has no legend, so each chart is followed by the order of its series.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.markdown import table_cell as _cell
from bot.report.anomaly import fmt_seconds
from bot.report.org_model import OrgReport, RepoStats, RunnerStats
from bot.report.render import _pct, _secs, _table, _title

ORG_MARKER = "<!-- pitcrew:org-report -->"
MAX_REPOS = 25
MAX_RUNNERS = 15
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEAT = " ░▒▓█"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _chart(
    title: str, xs: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], y_label: str
) -> list[str]:
    """A Mermaid chart: the first series as bars when ``kind`` is bar, the others as lines."""
    if not xs or not series:
        return []
    top = max((v for _, values in series for v in values), default=0.0)
    top = 1.0 if top <= 0 else top * 1.15
    lines = [
        "```mermaid",
        "xychart-beta",
        f'    title "{_title(title)}"',
        "    x-axis [" + ", ".join(f'"{_title(x)}"' for x in xs) + "]",
        f'    y-axis "{y_label}" 0 --> {top:.4g}',
    ]
    lines += [f"    {kind} [{', '.join(_num(v) for v in values)}]" for kind, values in series]
    return [*lines, "```"]


def minutes_chart(report: OrgReport, top: int) -> list[str]:
    """CI minutes per week of the repositories that spend the most."""
    repos = [r for r in report.repositories if r.weekly_minutes][:top]
    weeks = sorted({w for r in repos for w in r.weekly_minutes})
    if not repos or not weeks:
        return []
    series = [("line", [r.weekly_minutes.get(w, 0.0) for w in weeks]) for r in repos]
    chart = _chart("CI minutes per week (top repositories)", [w[5:] for w in weeks], series,
                   "minutes")  # fmt: skip
    order = ", ".join(f"{i}. `{r.repo}`" for i, r in enumerate(repos, 1))
    return [*chart, f"<sub>Lines, in order: {order}. Weeks start on Monday (UTC).</sub>", ""]


def queue_chart(report: OrgReport) -> list[str]:
    """p95 queue time per runner pool: window (bars) against baseline (line)."""
    runners = [r for r in report.runners if r.p95_queue_s is not None][:MAX_RUNNERS]
    if not runners:
        return []
    chart = _chart(
        "p95 queue time per runner label (seconds)",
        [_pool(r) for r in runners],
        [
            ("bar", [r.p95_queue_s or 0.0 for r in runners]),
            ("line", [r.baseline_p95_queue_s or 0.0 for r in runners]),
        ],
        "seconds",
    )
    return [*chart, "<sub>Bars: this window; line: the baseline.</sub>", ""]


def _pool(r: RunnerStats) -> str:
    return f"{r.label} ({r.group})" if r.group else r.label


def render_org_markdown(report: OrgReport, chart_repos: int = 5) -> str:
    icon = "🟢" if report.healthy else "🔴"
    days_w = (report.window_end - report.window_start).days
    days_b = (report.window_start - report.baseline_start).days
    t = report.totals
    out = [
        ORG_MARKER,
        "## CI platform report — all repositories",
        "",
        f"{icon} **{report.verdict}**",
        "",
        f"_{t['repositories']} repositories, {t['runs']:,} runs, {t['ci_minutes']:,.0f} CI minutes"
        f" and {t['jobs']:,} jobs in the window {report.window_start:%Y-%m-%d} → "
        f"{report.window_end:%Y-%m-%d} ({days_w} days); baseline the {days_b} days before._",
        "",
        *minutes_chart(report, chart_repos),
        *queue_chart(report),
    ]
    out += _red(report.repositories)
    out += _runner_section(report)
    out += _regressions(report)
    out += _repos(report.repositories)
    out += _quality(report)
    return "\n".join(out).rstrip() + "\n"


def _red(repos: Sequence[RepoStats]) -> list[str]:
    red = sorted(
        (r for r in repos if r.default_branch_red_s), key=lambda r: -(r.default_branch_red_s or 0)
    )
    if not red:
        return ["### Default branches", "", "🟢 Every default branch is green.", ""]
    rows = [
        [
            f"`{r.repo}`",
            f"`{r.default_branch}`",
            fmt_seconds(r.default_branch_red_s or 0),
            f"{r.default_branch_red_since:%Y-%m-%d %H:%M} UTC"
            if r.default_branch_red_since
            else "?",
            ", ".join(r.failing_workflows),
        ]
        for r in red
    ]
    return ["### 🔴 Red default branches", "", *_table(
        ["repository", "branch", "red for", "since", "failing workflows"], rows), ""]  # fmt: skip


def _heat(busy: list[list[int]]) -> list[str]:
    top = max((n for row in busy for n in row), default=0)
    if top == 0:
        return []
    axis = "".join(f"{h:<6d}" for h in range(0, 24, 6))
    lines = ["```text", f"UTC   {axis}"]
    for wd, row in enumerate(busy):
        cells = "".join(HEAT[min(4, -(-n * 4 // top))] for n in row)
        lines.append(f"{WEEKDAYS[wd]}   {cells}")
    return [*lines, "```"]


def _runner_section(report: OrgReport) -> list[str]:
    if not report.runners:
        return []
    out = ["### Runner capacity", ""]
    starved = [a for a in report.anomalies if a.runner_label is not None]
    out += [f"- ⚠️ {a.message}" for a in starved]
    if starved:
        out.append("")
    rows = [
        [
            f"`{r.label}`",
            r.group or "–",
            r.jobs,
            _secs(r.p50_queue_s),
            _secs(r.p95_queue_s),
            _secs(r.baseline_p95_queue_s),
            f"{WEEKDAYS[r.peak['weekday']]} {r.peak['hour']:02d}:00 ({r.peak['jobs']})"
            if r.peak
            else "–",
        ]
        for r in report.runners[:MAX_RUNNERS]
    ]
    out += _table(["runner labels", "group", "jobs", "p50 queue", "p95 queue", "p95 baseline",
                   "busiest hour (UTC)"], rows)  # fmt: skip
    out.append("")
    for r in report.runners[:MAX_RUNNERS]:
        if r.runner_names:
            more = r.runner_names_total - len(r.runner_names)
            out += [
                f"<details><summary>Self-hosted runners of <code>{_cell(_pool(r))}</code> "
                f"({r.runner_names_total})</summary>",
                "",
                *_table(
                    ["runner", "jobs", "busy minutes"],
                    [
                        [f"`{n['name']}`", n["jobs"], f"{n['busy_minutes']:,.1f}"]
                        for n in r.runner_names
                    ],
                ),
                *(["", f"…and {more} more."] if more else []),
                "",
                "</details>",
                "",
            ]
        if any(a.runner_label == r.label for a in starved):
            out += [
                f"<details><summary>Queued jobs by hour × weekday: <code>{_cell(_pool(r))}</code>"
                "</summary>",
                "",
                *_heat(r.busy_hours),
                "",
                "</details>",
                "",
            ]
    return out


def _regressions(report: OrgReport) -> list[str]:
    out = ["### Top regressions by CI minutes lost", ""]
    if not report.regressions:
        return [*out, "None: no workflow's duration or failure rate regressed.", ""]
    rows = [
        [f"`{g.repo}`", g.workflow, g.metric.replace("_", " "), f"{g.minutes_lost:,.0f}",
         f"{g.change_pct:+.0f}%" if g.change_pct is not None else "new"]
        for g in report.regressions
    ]  # fmt: skip
    out += _table(["repository", "workflow", "metric", "minutes lost", "change"], rows)
    details = [f"- {g.repo}: {g.message}" for g in report.regressions]
    return [*out, "", "<details><summary>Evidence</summary>", "", *details, "", "</details>", ""]


def _repos(repos: Sequence[RepoStats]) -> list[str]:
    rows = [
        [
            f"`{r.repo}`" + (" (deleted)" if r.deleted else "")
            + (f" (was {', '.join(r.former_names)})" if r.former_names else ""),
            r.runs,
            _pct(r.success_rate),
            _secs(r.p95_duration_s),
            f"{r.ci_minutes:,.0f}",
            f"{r.ci_minutes_change_pct:+.0f}%" if r.ci_minutes_change_pct is not None else "–",
            "🔴" if r.default_branch_red_s else ("🟢" if r.default_branch_red_s == 0 else "–"),
            r.flaky_tests,
            ", ".join(f"{c['category']} ({c['count']})" for c in r.failure_categories) or "–",
        ]
        for r in repos[:MAX_REPOS]
    ]  # fmt: skip
    more = len(repos) - MAX_REPOS
    tail = [f"_… and {more} more (JSON has all)._", ""] if more > 0 else []
    header = ["repository", "runs", "success", "p95 duration", "CI minutes", "vs baseline",
              "default branch", "flaky tests", "top failure categories"]  # fmt: skip
    return ["### Repositories by CI minutes", "", *_table(header, rows), "", *tail]


def _quality(report: OrgReport) -> list[str]:
    odd = {k: v for k, v in report.data_quality.items() if v}
    if not odd:
        return []
    items = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(odd.items()))
    return ["<sub>Data quality — counted, not fatal: " + items + ".</sub>", ""]
