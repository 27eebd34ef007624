"""`pitcrew report` end to end on files and on a store."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from bot.__main__ import main
from bot.report.records import runs_from_api
from bot.report.store import ReportStore
from bot.report.synthetic import Regression, WorkflowSpec, concatenated, generate, pages

from .helpers import NOW

SPECS = [WorkflowSpec("CI", runs_per_day=15), WorkflowSpec("Lint", runs_per_day=20, duration_s=60)]


@pytest.fixture
def export(tmp_path):
    regs = [Regression("CI", "queue_time", NOW - timedelta(days=7), factor=8.0)]
    h = generate(SPECS, NOW - timedelta(days=35), NOW, seed=4, regressions=regs)
    half = len(h.runs) // 2
    first, second = tmp_path / "runs-1.json", tmp_path / "runs-2.json"
    first.write_text(concatenated(pages(h.runs[:half], "workflow_runs")))  # gh --paginate
    second.write_text(json.dumps(pages(h.runs[half:], "workflow_runs")))  # --slurp
    jobs = tmp_path / "jobs.json"
    jobs.write_text(concatenated(pages(h.jobs, "jobs")))
    return first, second, jobs, h


def _run_cli(capsys, *argv):
    code = main(["report", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_from_files_has_public_fields(capsys, export):
    first, second, jobs, h = export
    code, out, err = _run_cli(capsys, "--runs", first, "--runs", second, "--jobs", jobs,
                              "--now", "2024-05-01T00:00:00Z", "--format", "json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    wf = {w["name"]: w for w in data["workflows"]}
    assert set(wf) == {"CI", "Lint"}
    for key in ("name", "runs", "success_rate", "p50_duration_s", "p95_duration_s", "p50_queue_s"):
        assert key in wf["CI"]
    window_runs = sum(1 for r in runs_from_api(h.runs) if r.created_at >= NOW - timedelta(7))
    assert wf["CI"]["runs"] + wf["Lint"]["runs"] == window_runs
    assert [(a["workflow"], a["metric"]) for a in data["anomalies"] if a["job"] is None] == [
        ("CI", "queue_time")
    ]
    for key in ("window_value", "baseline_value", "change_pct", "z", "evidence", "message"):
        assert key in data["anomalies"][0]


def test_markdown_default_and_options(capsys, export):
    first, *_ = export
    code, out, _ = _run_cli(capsys, "--runs", first, "--window", "3d", "--baseline", "2w")
    assert code == 0
    assert out.startswith("<!-- pitcrew:report -->")
    assert "3 days), baseline the 14 days before" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"workflow_runs": [}', "runs.json:1:"),
        ('{"jobs": []}', "not a GitHub 'workflow_runs' export"),
        ('{"total_count": 0, "workflow_runs": []}', "no workflow runs found"),
    ],
    ids=["bad-json", "wrong-kind", "empty-export"],
)
def test_bad_input_is_a_clear_error(capsys, tmp_path, content, message):
    path = tmp_path / "runs.json"
    path.write_text(content)
    code, out, err = _run_cli(capsys, "--runs", path)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_from_store(capsys, tmp_path, export):
    *_, h = export
    db = tmp_path / "state.db"
    with ReportStore(db) as store:
        store.upsert_runs(runs_from_api(h.runs))
    code, out, err = _run_cli(capsys, "--db", db, "--now", "2024-05-01", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["repo"] == "octo-org/octo-repo"
    code, _, err = _run_cli(capsys, "--db", db, "--repo", "nobody/none", "--now", "2024-05-01")
    assert code == 0  # an empty repository is reported as such, not an error
    code, _, err = _run_cli(capsys, "--db", tmp_path / "missing.db")
    assert code == 2 and "no such store" in err


def test_argument_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--runs", "x.json", "--window", "soon"])
    assert info.value.code == 2
    assert "invalid span" in capsys.readouterr().err


def test_help_through_the_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--help"], capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0
    assert "--runs FILE" in proc.stdout and "--format {markdown,json}" in proc.stdout
