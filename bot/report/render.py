"""Markdown rendering of a Report: a pure function, so golden files pin the output.

Order matters to the reader: the one-line verdict, then anomalies (what changed and why we
think so), then the tables, then Mermaid ``xychart-beta`` trend charts (GitHub renders them).
The hidden marker lets the service find and edit its own comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.markdown import table_cell as _cell
from bot.report.anomaly import fmt_seconds
from bot.report.model import DailyPoint, Report, WorkflowStats

MARKER = "<!-- pitcrew:report -->"
MAX_WORKFLOWS = 20
MAX_JOBS = 10
MAX_CHARTS = 3


def _secs(value: float | None) -> str:
    return fmt_seconds(value) if value is not None else "–"


def _pct(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "–"


def _was(now: str, before: str) -> str:
    return now if before in ("–", now) else f"{now} ({before})"


def _day(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d")


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: Report) -> str:
    """The full report as GitHub-flavoured Markdown, starting with the hidden marker."""
    icon = "🟢" if report.healthy else "🔴"
    days_w = (report.window_end - report.window_start).days
    days_b = (report.window_start - report.baseline_start).days
    out = [
        MARKER,
        f"## CI health report — {report.repo}",
        "",
        f"{icon} **{report.verdict}**",
        "",
        f"_Window {_day(report.window_start)} → {_day(report.window_end)} ({days_w} days), "
        f"baseline the {days_b} days before. Generated {report.generated_at:%Y-%m-%d %H:%M} UTC._",
        "",
    ]
    out += _anomalies(report)
    out += _branch(report)
    out += _workflows(report)
    out += _jobs(report)
    out += _failures(report)
    out += _slos(report)
    out += _prs(report)
    out += _charts(report)
    return "\n".join(out).rstrip() + "\n"


def _anomalies(report: Report) -> list[str]:
    out = ["### Anomalies", ""]
    if not report.anomalies:
        return [*out, "None: every metric is within its baseline's normal range.", ""]
    out += [f"- ⚠️ {a.message}" for a in report.anomalies]
    out += [
        "",
        "<sub>Flagged only when the robust z-score (median/MAD of daily values) or the "
        "proportion test is significant, the change is at least the configured minimum, and "
        "both periods have enough runs.</sub>",
        "",
    ]
    return out


def _branch(report: Report) -> list[str]:
    h = report.default_branch
    if h is None:
        return []
    if h.green is None:
        state = "no completed runs yet"
    elif h.green:
        state = "🟢 green"
    else:
        since = h.red_since.strftime("%Y-%m-%d %H:%M") if h.red_since else "?"
        state = (
            f"🔴 red for {_secs(h.red_for_s)} (since {since} UTC; failing: "
            f"{', '.join(h.failing_workflows)})"
        )
    return [
        "### Default branch",
        "",
        f"`{h.branch}` is {state}. Red for {_secs(h.red_in_window_s)} in total this window.",
        "",
    ]


def _wf_row(w: WorkflowStats) -> list[object]:
    b = w.baseline
    return [
        w.name,
        w.runs,
        _was(_pct(w.success_rate), _pct(b.success_rate) if b else "–"),
        _was(_secs(w.p50_duration_s), _secs(b.p50_duration_s) if b else "–"),
        _was(_secs(w.p95_duration_s), _secs(b.p95_duration_s) if b else "–"),
        _was(_secs(w.p50_queue_s), _secs(b.p50_queue_s) if b else "–"),
        _pct(w.rerun_rate),
        f"{w.ci_minutes:,.0f}",
        f"{w.cancelled_minutes:,.0f}",
        f"{w.superseded_minutes:,.0f}",
    ]


def _workflows(report: Report) -> list[str]:
    if not report.workflows:
        return ["### Workflows", "", "No workflow runs in the window.", ""]
    header = [
        "Workflow", "Runs", "Success", "p50 duration", "p95 duration", "p50 queue",
        "Re-runs", "CI min", "Cancelled min", "Superseded min",
    ]  # fmt: skip
    rows = [_wf_row(w) for w in report.workflows[:MAX_WORKFLOWS]]
    rows.append(["**all**", *_wf_row(report.totals)[1:]])
    out = ["### Workflows", "", "_Baseline values in parentheses when different._", ""]
    out += _table(header, rows)
    hidden = len(report.workflows) - MAX_WORKFLOWS
    if hidden > 0:
        out.append(f"\n_{hidden} smaller workflows not shown._")
    return [*out, ""]


def _jobs(report: Report) -> list[str]:
    jobs = sorted(report.jobs, key=lambda j: -(j.p95_duration_s or 0))[:MAX_JOBS]
    if not jobs:
        return []
    rows = [
        [j.workflow, j.name, j.runs, _pct(j.success_rate), _secs(j.p50_duration_s),
         _secs(j.p95_duration_s), _secs(j.p50_queue_s), ", ".join(j.labels)]
        for j in jobs
    ]  # fmt: skip
    header = ["Workflow", "Job", "Runs", "Success", "p50", "p95", "p50 queue", "Runner"]
    return ["### Slowest jobs (p95)", "", *_table(header, rows), ""]


def _failures(report: Report) -> list[str]:
    out: list[str] = []
    if report.failure_categories:
        rows = [[c["category"], c["count"], f"{c['share']:.0%}"] for c in report.failure_categories]
        out += ["### Failure categories", "", *_table(["Category", "Failed jobs", "Share"], rows)]
        out.append("")
    f = report.flaky
    if f.current or f.resolved:
        out += ["### Flaky tests", ""]
        since = f" since report {f.previous_report}" if f.previous_report else ""
        out.append(f"{len(f.current)} flaky this window; new{since}: {len(f.new)}, "
                   f"resolved: {len(f.resolved)}.")  # fmt: skip
        out += [f"- 🆕 `{t}`" for t in f.new[:20]]
        out += [f"- ✅ `{t}` (resolved)" for t in f.resolved[:20]]
        out.append("")
    r = report.retries
    if r.get("total"):
        rules = ", ".join(f"`{x['rule']}` ×{x['count']}" for x in r["by_rule"])
        runs = "re-run" if r["total"] == 1 else "re-runs"
        out += [
            "### Retries",
            "",
            f"{r['total']} automatic {runs} ({r['passed']} passed): {rules}.",
        ]
        out.append("")
    return out


def _slos(report: Report) -> list[str]:
    if not report.slos:
        return []
    icons = {"ok": "🟢", "breach": "🔴", "unknown": "⚪"}
    rows = []
    for s in report.slos:
        value = f"{s.value:.4g}" if s.value is not None else "–"
        note = s.reason or ""
        rows.append([f"{icons.get(s.status, '')} {s.status}", s.name, value,
                     f"{s.op} {s.threshold:g}", note])  # fmt: skip
    header = ["Status", "SLO", "Value", "Objective", "Note"]
    return ["### Infrastructure SLOs", "", *_table(header, rows), ""]


def _prs(report: Report) -> list[str]:
    p = report.pull_requests
    if not p:
        return []
    rebase = ", ".join(f"#{n}" for n in p["needing_rebase"][:20]) or "none"
    age = (
        f"median age {p['age_p50_days']} days, oldest #{p['oldest']} ({p['age_max_days']} days)"
        if p["open"]
        else "none open"
    )
    return [
        "### Pull requests",
        "",
        f"{p['open']} open, {age}. Needing a rebase: {rebase}.",
        "",
    ]


# --- Mermaid charts ---------------------------------------------------------------------------
def _chart_workflows(report: Report) -> list[WorkflowStats]:
    flagged = {a.workflow for a in report.anomalies}
    ordered = [w for w in report.workflows if w.name in flagged]
    ordered += [w for w in report.workflows if w.name not in flagged]
    return ordered[:MAX_CHARTS]


def _title(text: str) -> str:
    return text.replace('"', "'")


def xychart(title: str, points: Sequence[tuple[str, float]], y_label: str) -> list[str]:
    """A Mermaid ``xychart-beta`` line chart; empty when there is nothing to draw."""
    if not points:
        return []
    top = max(v for _, v in points)
    top = 1.0 if top <= 0 else top * 1.15
    xs = ", ".join(f'"{x}"' for x, _ in points)
    ys = ", ".join(f"{v:.2f}".rstrip("0").rstrip(".") for _, v in points)
    return [
        "```mermaid",
        "xychart-beta",
        f'    title "{_title(title)}"',
        f"    x-axis [{xs}]",
        f'    y-axis "{y_label}" 0 --> {top:.4g}',
        f"    line [{ys}]",
        "```",
    ]


def _series(daily: Sequence[DailyPoint], attr: str, scale: float) -> list[tuple[str, float]]:
    return [
        (p.day.strftime("%m-%d"), getattr(p, attr) * scale)
        for p in daily
        if getattr(p, attr) is not None
    ]


def _charts(report: Report) -> list[str]:
    out: list[str] = []
    for w in _chart_workflows(report):
        dur = xychart(f"{w.name}: daily p50 duration", _series(w.daily, "p50_duration_s", 1 / 60),
                      "minutes")  # fmt: skip
        fail = xychart(f"{w.name}: daily failure rate", _series(w.daily, "failure_rate", 100), "%")
        out += [*dur, "", *fail, ""] if dur or fail else []
    if not out:
        return []
    return ["### Trends", "", "_Days without runs are left out._", "", *out]
