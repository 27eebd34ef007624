"""Benchmark of the report engine on a large exported run history.

    .venv/bin/python bench/report.py            # 100,000 runs
    .venv/bin/python bench/report.py --quick    # 10,000 runs
    .venv/bin/python bench/report.py --runs 250000 --jobs

Generates a realistic history (bot/report/synthetic.py) written the way ``gh api --paginate``
writes it (100-run pages back to back), then measures in a *fresh* child process, so peak RSS
is the analysis's own:

* baseline: decoding the JSON documents only (the floor any analysis pays);
* parsing into RunRecords, ``analyze`` (stats + anomaly detection), Markdown rendering;
* the store path: upserting every run into SQLite and ``build_report_from_store``.

The back-fill half of the issue's benchmark (10,000 runs from the fake GitHub: API calls used,
time) needs tests/fakegithub and bot/github/; see ``bench_backfill`` below.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.report.synthetic import (  # noqa: E402  (after sys.path)
    Regression,
    WorkflowSpec,
    concatenated,
    generate,
    pages,
)

NOW = datetime(2024, 5, 1, tzinfo=UTC)
DAYS = 35  # 7-day window + 28-day baseline


def _specs(total_runs: int) -> list[WorkflowSpec]:
    names = ["CI", "Lint", "Docs", "E2E", "Release", "CodeQL", "Nightly", "Bench"]
    # Weekends run at 35 %: 5 + 2·0.35 = 5.7 "full" days per week.
    per_day = total_runs / (DAYS * 5.7 / 7) / len(names)
    return [
        WorkflowSpec(
            name, runs_per_day=per_day * (1.05 if i % 2 else 0.95), duration_s=120 + 90 * i
        )
        for i, name in enumerate(names)
    ]


def write_export(path: Path, total: int, with_jobs: bool) -> tuple[int, int]:
    regs = [Regression("CI", "duration", NOW - timedelta(days=7), factor=1.5)]
    h = generate(_specs(total * 1.03), NOW - timedelta(days=DAYS), NOW, seed=7,
                 regressions=regs, with_jobs=with_jobs)  # fmt: skip
    runs = h.runs[-total:]
    path.write_text(concatenated(pages(runs, "workflow_runs")), encoding="utf-8")
    if with_jobs:
        keep = {r["id"] for r in runs}
        jobs = [j for j in h.jobs if j["run_id"] in keep]
        path.with_suffix(".jobs.json").write_text(concatenated(pages(jobs, "jobs")))
        return len(runs), len(jobs)
    return len(runs), 0


def _rss_mib() -> float:
    """Peak RSS of this process (VmHWM: reset at exec, unlike ru_maxrss which a fork inherits)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def analyse_child(path: Path, with_jobs: bool) -> dict[str, float]:
    """Runs in a fresh process: every timing plus the peak RSS of the analysis itself."""
    from bot.report.api import build_report_from_store
    from bot.report.records import iter_json_documents, load_jobs_file, load_runs_file
    from bot.report.render import render_markdown
    from bot.report.stats import analyze
    from bot.report.store import ReportStore

    out: dict[str, float] = {"rss_start_mib": _rss_mib()}
    t = time.perf_counter()
    runs = load_runs_file(path)
    jobs = load_jobs_file(path.with_suffix(".jobs.json")) if with_jobs else []
    out["parse_s"] = time.perf_counter() - t
    t = time.perf_counter()
    report = analyze(runs, jobs, now=NOW)
    out["analyze_s"] = time.perf_counter() - t
    t = time.perf_counter()
    markdown = render_markdown(report)
    out["render_s"] = time.perf_counter() - t
    out["rss_peak_mib"] = _rss_mib()
    out["anomalies"] = len(report.anomalies)
    out["markdown_kib"] = len(markdown.encode()) / 1024
    # Baseline after the analysis so its memory does not count in the analysis's peak.
    t = time.perf_counter()
    docs = list(iter_json_documents(path.read_text(encoding="utf-8")))
    out["json_decode_s"] = time.perf_counter() - t
    del docs
    with tempfile.TemporaryDirectory() as tmp, ReportStore(Path(tmp) / "state.db") as store:
        t = time.perf_counter()
        store.upsert_runs(runs)
        store.upsert_jobs(jobs)
        out["store_upsert_s"] = time.perf_counter() - t
        t = time.perf_counter()
        store.upsert_runs(runs)  # idempotent second pass (a re-delivered back-fill)
        out["store_upsert_again_s"] = time.perf_counter() - t
        t = time.perf_counter()
        build_report_from_store(store, "octo-org/octo-repo", now=NOW)
        out["store_report_s"] = time.perf_counter() - t
    out["rss_peak_with_store_mib"] = _rss_mib()
    return out


async def bench_backfill(runs: int = 10_000) -> dict[str, float]:
    """Back-fill ``runs`` runs from the fake GitHub (tests/fakegithub) into a fresh store.

    Returns API calls and time of the first pass, and the calls of a second pass (which must
    be one conditional request answered 304).
    """
    import aiohttp

    from bot.features.reports import backfill
    from bot.github import GitHubApp, RetryPolicy
    from bot.report.store import ReportStore
    from tests.fakegithub import FakeGitHub

    start = datetime(2026, 1, 1, tzinfo=UTC)
    async with FakeGitHub() as fake:
        fake.add_installation(1, "bench")
        fake.add_repo("bench/repo", with_git=False)
        for i in range(runs):
            created = start + timedelta(minutes=7 * i)
            fake.state.add_workflow_run(
                "bench/repo",
                created_at=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                updated_at=(created + timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                status="completed",
                conclusion="failure" if i % 9 == 0 else "success",
            )
        with tempfile.TemporaryDirectory() as tmp:
            async with aiohttp.ClientSession() as session:
                hub = GitHubApp(
                    session=session,
                    base_url=fake.base_url,
                    app_id=str(fake.app_id),
                    private_key=fake.private_key,
                    policy=RetryPolicy(write_interval=0),
                )
                gh = hub.for_installation(1)
                with ReportStore(Path(tmp) / "state.sqlite3") as store:
                    before = len(fake.calls)
                    t = time.perf_counter()
                    first = await backfill(gh, "bench", "repo", store)
                    seconds = time.perf_counter() - t
                    first_calls = len(fake.calls) - before
                    before = len(fake.calls)
                    await backfill(gh, "bench", "repo", store)
                    second = fake.calls[before:]
                    stored = len(store.load_runs("bench/repo"))
    return {
        "runs": first["runs"],
        "stored": stored,
        "api_calls": first_calls,
        "seconds": seconds,
        "second_pass_calls": len(second),
        "second_pass_304": sum(1 for c in second if c.status == 304),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 runs")
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--jobs", action="store_true", help="also export and analyse jobs")
    parser.add_argument("--_child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        print(json.dumps(analyse_child(args._child, args.jobs)))
        return 0
    total = 10_000 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "runs.json"
        t = time.perf_counter()
        n_runs, n_jobs = write_export(path, total, args.jobs)
        gen_s = time.perf_counter() - t
        size_mib = path.stat().st_size / 2**20
        cmd = [sys.executable, __file__, "--_child", str(path)] + (["--jobs"] if args.jobs else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONHASHSEED": "0"})  # fmt: skip
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        r = json.loads(proc.stdout)
    total_s = r["parse_s"] + r["analyze_s"] + r["render_s"]
    print(f"report benchmark: {n_runs:,} runs" + (f", {n_jobs:,} jobs" if n_jobs else ""))
    print(f"  export            {size_mib:8.1f} MiB  ({1 + (n_runs - 1) // 100} pages "
          f"concatenated; generated in {gen_s:.1f} s)")  # fmt: skip
    print(f"  baseline: JSON decode only   {r['json_decode_s']:7.2f} s")
    print(f"  parse → records              {r['parse_s']:7.2f} s")
    print(f"  analyze (stats + anomalies)  {r['analyze_s']:7.2f} s   "
          f"({r['anomalies']:.0f} anomalies found)")  # fmt: skip
    print(f"  render markdown              {r['render_s']:7.2f} s   ({r['markdown_kib']:.1f} KiB)")
    print(f"  total file → report          {total_s:7.2f} s   = "
          f"{total_s / r['json_decode_s']:.1f}× the JSON-decode baseline; "
          f"{n_runs / total_s:,.0f} runs/s")  # fmt: skip
    print(f"  peak RSS                     {r['rss_peak_mib']:7.0f} MiB "
          f"(interpreter at start {r['rss_start_mib']:.0f} MiB)")  # fmt: skip
    print(f"  store: upsert all runs       {r['store_upsert_s']:7.2f} s   "
          f"(again, idempotent: {r['store_upsert_again_s']:.2f} s)")  # fmt: skip
    print(f"  store: report from SQLite    {r['store_report_s']:7.2f} s   "
          f"(peak RSS {r['rss_peak_with_store_mib']:.0f} MiB)")  # fmt: skip
    n_backfill = 1_000 if args.quick else 10_000
    b = asyncio.run(bench_backfill(n_backfill))
    print(
        f"  back-fill from fake GitHub   {b['runs']:,} runs in {b['seconds']:.2f} s, "
        f"{b['api_calls']} API calls (token + {b['api_calls'] - 1} pages of 100); "
        f"second pass: {b['second_pass_calls']} call(s), {b['second_pass_304']} answered 304"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
