"""Shipped Grafana dashboard and Prometheus alert rules are valid and match the metric names."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from bot.metrics import Metrics
from bot.report.metrics import ci_metrics
from bot.report.org_metrics import org_metrics

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "pitcrew-dashboard.json"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
SUFFIXES = ("_bucket", "_sum", "_count", "_total")


def _known_series() -> set[str]:
    reg = CollectorRegistry()
    ci_metrics(reg)
    org_metrics(reg)
    Metrics(registry=reg)
    names: set[str] = set()
    for family in reg.collect():
        names.add(family.name)
        names.update(family.name + s for s in SUFFIXES)
    return names


def _used(text: str) -> set[str]:
    return set(re.findall(r"\bpitcrew_[a-z0-9_]*[a-z0-9]\b", text))


def test_dashboard_is_valid_grafana_json():
    dash = json.loads(DASHBOARD.read_text())
    assert dash["uid"] and dash["title"] and dash["schemaVersion"] >= 30
    panels = [p for p in dash["panels"] if p["type"] != "row"]
    assert len(panels) >= 8
    assert len({p["id"] for p in dash["panels"]}) == len(dash["panels"])
    for p in panels:
        assert p["targets"] and all(t["expr"] for t in p["targets"]), p["title"]
        grid = p["gridPos"]
        assert grid["x"] + grid["w"] <= 24


def test_dashboard_and_alerts_use_existing_metrics():
    known = _known_series()
    exprs = " ".join(
        t["expr"] for p in json.loads(DASHBOARD.read_text())["panels"] for t in p.get("targets", [])
    )
    used = _used(exprs) | _used(ALERTS.read_text())
    assert any(n.startswith("pitcrew_ci_") for n in used)
    assert used - known == set()


@pytest.mark.skipif(not shutil.which("promtool"), reason="promtool not installed")
def test_promtool_accepts_alert_rules():
    proc = subprocess.run(
        ["promtool", "check", "rules", str(ALERTS)], capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout


def test_dashboard_has_the_organisation_row():
    panels = json.loads(DASHBOARD.read_text())["panels"]
    rows = [p["title"] for p in panels if p["type"] == "row"]
    assert "Organisation" in rows
    start = next(i for i, p in enumerate(panels) if p["title"] == "Organisation")
    exprs = " ".join(t["expr"] for p in panels[start + 1 :] for t in p.get("targets", []))
    assert {"pitcrew_ci_repo_minutes", "pitcrew_ci_runner_queue_p95_seconds"} <= _used(exprs)
