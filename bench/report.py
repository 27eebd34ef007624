"""Benchmark of the report engine on a large exported run history.

    .venv/bin/python bench/report.py            # 100,000 runs
    .venv/bin/python bench/report.py --quick    # 10,000 runs
    .venv/bin/python bench/report.py --runs 250000 --jobs

The org report (issue 18)::

    .venv/bin/python bench/report.py --org                  # 10k, 100k, 1M runs; SQLite + Redis
    .venv/bin/python bench/report.py --org --sizes 10000 --stores sqlite

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
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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


# --- the org report: bounded memory at 10k, 100k, 1M runs on SQLite and Redis -----------------
ORG_REPOS = 200
ORG_WORKFLOWS = ("CI", "Lint", "Docs", "E2E", "Release", "CodeQL", "Nightly", "Bench")
#: Runner pools: (labels, share of jobs, median queue seconds).
ORG_POOLS = (
    (("ubuntu-latest",), 0.70, 8.0),
    (("self-hosted", "linux"), 0.18, 20.0),
    (("self-hosted", "gpu"), 0.05, 60.0),
    (("macos-14",), 0.07, 30.0),
)


def org_records(total_runs: int, jobs_per_run: int, chunk: int = 20_000, seed: int = 1) -> Any:
    """Yield (runs, jobs) chunks: ``total_runs`` runs over the 35-day span, ``ORG_REPOS``
    repositories, ``jobs_per_run`` jobs each (pooled runners; the gpu pool starved in the
    window). Streamed so the generator's memory stays small at 1M runs / 5M jobs."""
    import random

    from bot.report.records import JobRecord, RunRecord

    rng = random.Random(seed)
    start = (NOW - timedelta(days=DAYS)).timestamp()
    window_start = (NOW - timedelta(days=7)).timestamp()
    span = DAYS * 86400
    cumulative = []
    acc = 0.0
    for pool in ORG_POOLS:
        acc += pool[1]
        cumulative.append(acc)
    runs: list[RunRecord] = []
    jobs: list[JobRecord] = []
    for i in range(total_runs):
        repo_index = int(rng.paretovariate(1.2)) % ORG_REPOS  # a few repositories dominate
        repo = f"org/repo-{repo_index:03d}"
        created_s = start + rng.random() * span
        created = datetime.fromtimestamp(round(created_s), UTC)
        queue = round(rng.lognormvariate(2, 0.7))
        duration = round(rng.lognormvariate(5.5 + 0.1 * (i % 8), 0.4))
        started = created + timedelta(seconds=queue)
        updated = started + timedelta(seconds=duration)
        conclusion = "failure" if rng.random() < 0.07 else "success"
        on_main = rng.random() < 0.3
        run_id = 10_000_000 + i
        runs.append(RunRecord(
            repo=repo, run_id=run_id, workflow=ORG_WORKFLOWS[i % 8], status="completed",
            conclusion=conclusion, event="push" if on_main else "pull_request",
            branch="main" if on_main else f"feature-{i % 50}", head_sha=f"{i:040x}", attempt=1,
            created_at=created, run_started_at=started, updated_at=updated,
            duration_s=float(duration), queue_s=float(queue), repo_id=1000 + repo_index,
        ))  # fmt: skip
        for k in range(jobs_per_run):
            pick = rng.random()
            labels, _, median_queue = next(
                p for p, c in zip(ORG_POOLS, cumulative, strict=True) if pick <= c
            )
            if labels[-1] == "gpu" and created_s >= window_start:
                median_queue *= 15
            wait = round(rng.lognormvariate(math.log(median_queue), 0.8))
            job_start = started + timedelta(seconds=wait)
            job_s = max(1, duration // jobs_per_run)
            jobs.append(JobRecord(
                repo=repo, run_id=run_id, job_id=run_id * 10 + k, name=f"job-{k}",
                workflow=ORG_WORKFLOWS[i % 8], status="completed", conclusion=conclusion,
                attempt=1, created_at=started, started_at=job_start,
                completed_at=job_start + timedelta(seconds=job_s), duration_s=float(job_s),
                queue_s=float(wait), labels=labels,
                runner_group_name="gpu-farm" if labels[-1] == "gpu" else None,
            ))  # fmt: skip
        if len(runs) >= chunk:
            yield runs, jobs
            runs, jobs = [], []
    if runs:
        yield runs, jobs


def _org_store(kind: str, where: str) -> Any:
    if kind == "sqlite":
        from bot.report.store import ReportStore

        return ReportStore(where)
    from bot.report.redis_store import RedisReportStore

    url, namespace = where.split("#", 1)
    return RedisReportStore(url, namespace)


def org_ingest_child(kind: str, where: str, runs: int, jobs_per_run: int) -> dict[str, float]:
    t = time.perf_counter()
    n_jobs = 0
    if kind == "redis":  # the memory figure is this size's alone
        import redis

        redis.Redis.from_url(where.split("#", 1)[0]).flushdb()
    with _org_store(kind, where) as store:
        for run_chunk, job_chunk in org_records(runs, jobs_per_run):
            n_jobs += store.ingest_many(run_chunk, job_chunk)[1]
        out: dict[str, float] = {"ingest_s": time.perf_counter() - t, "jobs": n_jobs}
        out["ingest_cpu_s"] = time.process_time()
        if kind == "redis":  # what the history costs the server
            info = store._redis.info("memory")
            out["redis_used_mib"] = info["used_memory"] / 2**20
            out["redis_keys"] = store._redis.dbsize()
    return out


def org_report_child(kind: str, where: str) -> dict[str, Any]:
    """Fresh process: peak RSS of the org report alone (plus the floor: imports + open)."""
    from bot.report.org import build_org_report
    from bot.report.org_render import render_org_markdown

    out: dict[str, Any] = {}
    if kind == "sqlite":
        from bot.report.org_sqlite import SqliteOrgSource

        source: Any = SqliteOrgSource(where)
        # Baseline: one indexed pass that only counts and sums the span (no grouping).
        t = time.perf_counter()
        source._conn.execute(
            "SELECT COUNT(*), TOTAL(duration_s) FROM runs WHERE created_at >= ?",
            ((NOW - timedelta(days=DAYS)).timestamp(),),
        ).fetchall()
        source._conn.execute(
            "SELECT COUNT(*), TOTAL(queue_s) FROM jobs "
            "WHERE COALESCE(created_at, started_at, 0) >= ?",
            ((NOW - timedelta(days=DAYS)).timestamp(),),
        ).fetchall()
        out["baseline_s"] = time.perf_counter() - t
    else:
        store = _org_store(kind, where)
        source = store.org_source()
        out["baseline_s"] = None
    out["rss_floor_mib"] = _rss_mib()
    server = store._redis if kind == "redis" else None
    server_cpu = _server_cpu(server)
    t, cpu = time.perf_counter(), time.process_time()
    report = build_org_report(source, now=NOW)
    render_org_markdown(report)
    out["report_s"] = time.perf_counter() - t
    # CPU of this process (SQLite works in-process) plus, on Redis, the server's: the figure a
    # busy shared machine cannot inflate.
    out["report_cpu_s"] = time.process_time() - cpu + _server_cpu(server) - server_cpu
    # Mid-day: the span starts and ends inside days and hours, so the partial days (runs) and
    # hours (jobs) at its edges are read record by record — the service's usual case.
    server_cpu = _server_cpu(server)
    t, cpu = time.perf_counter(), time.process_time()
    build_org_report(source, now=NOW - timedelta(hours=7, minutes=37))
    out["midday_s"] = time.perf_counter() - t
    out["midday_cpu_s"] = time.process_time() - cpu + _server_cpu(server) - server_cpu
    out["rss_peak_mib"] = _rss_mib()
    out["runs_in_report"] = report.totals["runs"]
    out["repos"] = report.totals["repositories"]
    out["starved"] = [a.runner_label for a in report.anomalies if a.runner_label]
    return out


def _server_cpu(client: Any) -> float:
    """CPU seconds the Redis server has used (0 for SQLite: its work is in our process)."""
    if client is None:
        return 0.0
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _child(*argv: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True,
                          check=False, env={**os.environ, "PYTHONHASHSEED": "0"})  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    result: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    return result


def bench_org(sizes: list[int], stores: list[str], redis_max: int, jobs_per_run: int) -> None:
    print(f"org report benchmark: {ORG_REPOS} repositories, {jobs_per_run} jobs per run, "
          f"{DAYS}-day span (all window + baseline); each step in a fresh process")  # fmt: skip
    print(f"{'store':7} {'runs':>9} {'jobs':>10} {'ingest s':>9} {'report s':>9} "
          f"{'(cpu s)':>8} {'mid-day s':>9} {'(cpu s)':>8} {'baseline s':>10} "
          f"{'peak RSS MiB':>12} {'floor MiB':>9}  {'ingest cpu s':>12} {'redis MiB':>9}  "
          "starved pools")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        redis = None
        if "redis" in stores:
            redis = _start_redis(Path(tmp))
        try:
            for kind in stores:
                for size in sizes:
                    if kind == "redis" and size > redis_max:
                        print(f"{kind:7} {size:>9,} (skipped: above --redis-max {redis_max:,})")
                        continue
                    where = (str(Path(tmp) / f"org-{size}.sqlite3") if kind == "sqlite"
                             else f"{redis}#bench:{size}")  # fmt: skip
                    ing = _child("--_org_ingest", kind, where, str(size), str(jobs_per_run))
                    rep = _child("--_org_report", kind, where)
                    base = f"{rep['baseline_s']:10.2f}" if rep["baseline_s"] is not None else (
                        f"{'–':>10}")  # fmt: skip
                    print(f"{kind:7} {size:>9,} {int(ing['jobs']):>10,} {ing['ingest_s']:9.1f} "
                          f"{rep['report_s']:9.2f} {rep['report_cpu_s']:8.2f} "
                          f"{rep['midday_s']:9.2f} {rep['midday_cpu_s']:8.2f} {base} "
                          f"{rep['rss_peak_mib']:12.0f} "
                          f"{rep['rss_floor_mib']:9.0f}  {ing['ingest_cpu_s']:12.1f} "
                          f"{ing.get('redis_used_mib', 0):9.0f}  "
                          f"{', '.join(rep['starved']) or '–'}  load {_load()}",
                          flush=True)  # fmt: skip
        finally:
            if redis is not None:
                _stop_redis()


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


_REDIS: list[subprocess.Popen[bytes]] = []


def _start_redis(tmp: Path) -> str:
    import socket

    from tests.helpers import free_port

    port = free_port()
    _REDIS.append(subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ))  # fmt: skip
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def _stop_redis() -> None:
    for proc in _REDIS:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--org", action="store_true", help="org report: time and peak RSS at --sizes on each store"
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--stores", default="sqlite,redis")
    parser.add_argument(
        "--redis-max",
        type=int,
        default=1_000_000,
        help="largest size run on Redis (its ingest is the slow part)",
    )
    parser.add_argument("--jobs-per-run", type=int, default=5)
    parser.add_argument("--_org_ingest", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--_org_report", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="10,000 runs")
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--jobs", action="store_true", help="also export and analyse jobs")
    parser.add_argument("--_child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._org_ingest:
        kind, where, runs, per_run = args._org_ingest
        print(json.dumps(org_ingest_child(kind, where, int(runs), int(per_run))))
        return 0
    if args._org_report:
        print(json.dumps(org_report_child(*args._org_report)))
        return 0
    if args.org:
        sizes = [int(x) for x in args.sizes.split(",")]
        bench_org(sizes, args.stores.split(","), args.redis_max, args.jobs_per_run)
        return 0
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
