"""Markdown rendering, pinned by golden files (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from bot.report.model import OpenPR
from bot.report.records import jobs_from_api, runs_from_api
from bot.report.render import MARKER, render_markdown, xychart
from bot.report.slo import SLOResult
from bot.report.stats import analyze
from bot.report.store import Diagnosis, Retry
from bot.report.synthetic import Regression, WorkflowSpec, generate

from .helpers import NOW

REPO = "octo-org/octo-repo"
GOLDEN = Path(__file__).parent / "golden"
SPECS = [
    WorkflowSpec("CI", runs_per_day=12),
    WorkflowSpec("Docs | site", runs_per_day=3, duration_s=120, jobs=(("build docs", 1.0),)),
]


def _healthy():
    h = generate(SPECS, NOW - timedelta(days=35), NOW, seed=11)
    return analyze(runs_from_api(h.runs), jobs_from_api(h.jobs), now=NOW, repo="octo-org/octo-repo")


def _degraded():
    regs = [
        Regression("CI", "duration", NOW - timedelta(days=7), factor=1.7),
        Regression("CI", "failure_rate", NOW - timedelta(days=7), rate=0.4),
    ]
    h = generate(SPECS, NOW - timedelta(days=35), NOW, seed=11, regressions=regs)
    runs = runs_from_api(h.runs)
    failed = [r for r in runs if r.conclusion == "failure" and r.created_at >= NOW - timedelta(2)]
    cats = ["test-failure", "infra", "dependency"] * 9
    diagnoses = [
        Diagnosis(REPO, 1000 + i, r.run_id, cat, "rule", (f"tests/t.py::test_{i % 3}",),
                  flaky=i % 2 == 0)
        for i, (r, cat) in enumerate(zip(failed, cats, strict=False))
    ]  # fmt: skip
    retries = [
        Retry(
            "octo-org/octo-repo", failed[0].run_id, 2, "infra-retry", created_at=NOW - timedelta(1)
        )
    ]
    slos = [
        SLOResult("availability", "ok", 1.0, 0.99, ">=", "up"),
        SLOResult("p95 latency", "breach", 42.0, 30, "<=", "histogram_quantile(...)"),
        SLOResult("disk free", "unknown", None, 0.1, ">=", "fs", reason="query returned no data"),
    ]  # fmt: skip
    prs = [OpenPR(12, NOW - timedelta(days=9), True), OpenPR(15, NOW - timedelta(days=1))]
    return analyze(
        runs, jobs_from_api(h.jobs), now=NOW, repo="octo-org/octo-repo", diagnoses=diagnoses,
        retries=retries, previous_flaky={"tests/t.py::test_1", "tests/t.py::test_old"},
        previous_report="4711", open_prs=prs, slos=slos,
    )  # fmt: skip


@pytest.mark.parametrize("name", ["healthy", "degraded"])
def test_golden(name):
    report = {"healthy": _healthy, "degraded": _degraded}[name]()
    text = render_markdown(report)
    path = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_structure_of_degraded_report():
    text = render_markdown(_degraded())
    assert text.startswith(MARKER + "\n")
    lines = text.splitlines()
    verdict = next(line for line in lines if line.startswith("🔴"))
    assert "degraded" in verdict and "CI" in verdict
    # Anomalies come before every table and chart.
    assert text.index("### Anomalies") < text.index("### Workflows") < text.index("```mermaid")
    assert "Docs \\| site" in text  # pipes in names do not break tables
    assert text.count("xychart-beta") == 4


def test_healthy_report_says_so():
    report = _healthy()
    assert report.healthy, report.verdict
    text = render_markdown(report)
    assert "🟢 **healthy" in text and "None: every metric" in text


def test_xychart_syntax():
    chart = xychart('A "quoted" title', [("05-01", 1.5), ("05-02", 0.0)], "minutes")
    assert chart[0] == "```mermaid" and chart[1] == "xychart-beta"
    assert chart[2] == "    title \"A 'quoted' title\""
    assert chart[3] == '    x-axis ["05-01", "05-02"]'
    assert chart[4] == '    y-axis "minutes" 0 --> 1.725'
    assert chart[5] == "    line [1.5, 0]"
    assert xychart("empty", [], "x") == []
