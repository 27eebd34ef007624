"""Soak: minutes of mixed events at a steady rate against a GitHub that fails now and then.

    .venv/bin/python bench/soak.py                  # 10 minutes, 2 events/s over 200 PRs
    .venv/bin/python bench/soak.py --minutes 2 --rate 3

A real ``pitcrew serve`` process runs against the fake GitHub of the tests, which answers 5 % of
API calls with a 5xx, 1 % of writes with a secondary rate limit, and every call after 100 ms.
Writes are spaced 0.2 s per installation (``PITCREW_WRITE_INTERVAL``; the default 1 s would cap
one installation at about one delivery a second, which is the point of that setting).
Events cycle through the kinds a busy repository sends: `/help` comments, failed jobs to
diagnose (each a new run whose log names another test, so the sticky comment really changes),
and PR updates the rebase feature checks. Printed:

* RSS of the service over time, and its growth after warm-up (the first fifth): must stay < 10 %;
* queue depth over time and dead letters at the end;
* per event kind, the time from delivery to the first GitHub write that it caused (p50/p99),
  found by the PR number the write names, and deliveries that caused none;
* GitHub calls per delivery.

Not a test (it runs for minutes); its output goes in the issue's closing note.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import SECRET, delivery_headers  # noqa: E402
from tests.fakegithub import FakeGitHub, load_example  # noqa: E402
from tests.fakegithub.server import generate_private_key  # noqa: E402
from tests.helpers import INSTALLATION, comment_event, free_port, repo_json, world  # noqa: E402
from tests.rebase_service_helpers import sync_pull_refs  # noqa: E402

REPO = "octo-org/widgets"
TS = "2026-11-20T10:00:00.0000000Z "
WRITES = {"POST", "PATCH", "PUT", "DELETE"}
_PR_IN_PATH = re.compile(r"/(?:issues|pulls)/(\d+)(?:/|$)")


def failing_log(test: str) -> str:
    lines = [
        "##[group]Run pytest -q",
        "pytest -q",
        "##[endgroup]",
        "=================================== FAILURES ===================================",
        f"_________________________________ {test} __________________________________",
        f"E       assert {len(test)} == 4",
        "tests/test_cart.py:7: AssertionError",
        f"FAILED tests/test_cart.py::{test} - assert {len(test)} == 4",
        "1 failed, 3 passed in 0.12s",
        "##[error]Process completed with exit code 1.",
    ]
    return "".join(TS + line + "\n" for line in lines)


@dataclass
class Sent:
    kind: str
    pr: int
    at: float
    comment_id: int | None = None


class Soak:
    def __init__(self, fake: FakeGitHub, url: str, prs: list[dict[str, Any]]) -> None:
        self.fake, self.url, self.prs = fake, url, prs
        self.sent: list[Sent] = []
        self.counter = 0

    def next_event(self) -> tuple[str, dict[str, Any], Sent]:
        self.counter += 1
        pr = self.prs[self.counter % len(self.prs)]
        kind = ("help", "job_failed", "pr_synchronize")[self.counter % 3]
        sent = Sent(kind, pr["number"], 0.0)
        if kind == "help":
            payload = comment_event(self.fake, REPO, pr["number"], "/help", login="alice")
            sent.comment_id = payload["comment"]["id"]
            return "issue_comment", payload, sent
        if kind == "job_failed":
            run = self.fake.add_workflow_run(
                REPO,
                head_sha=pr["head"]["sha"],
                head_branch=pr["head"]["ref"],
                event="pull_request",
                status="completed",
                conclusion="failure",
                pull_requests=[pr["number"]],
            )
            job = self.fake.add_job(
                run["id"],
                "test",
                "failure",
                steps=["Set up job", ("Run pytest -q", "failure")],
                log=failing_log(f"test_case_{self.counter}"),
            )
            payload = load_example(
                "workflow_job", "completed.failure.with-organization.payload.json"
            )
            payload["workflow_job"] = job
            payload["repository"] = repo_json(self.fake, REPO)
            payload["installation"] = {"id": INSTALLATION}
            return "workflow_job", payload, sent
        payload = load_example("pull_request", "synchronize.payload.json")
        payload["pull_request"] = self.fake.pull(REPO, pr["number"])
        payload["number"] = pr["number"]
        payload["repository"] = repo_json(self.fake, REPO)
        payload["installation"] = {"id": INSTALLATION}
        return "pull_request", payload, sent

    async def send(self, session: aiohttp.ClientSession) -> None:
        event, payload, sent = self.next_event()
        body = json.dumps(payload).encode()
        sent.at = time.time()
        async with session.post(
            self.url + "/webhook", data=body, headers=delivery_headers(event, body)
        ) as resp:
            await resp.read()
        self.sent.append(sent)


@dataclass
class Sample:
    """One look at the service: RSS, queue, and CPU seconds used so far by it and by us."""

    at: float
    rss_kib: int
    depth: int
    service_cpu_s: float
    bench_cpu_s: float
    load1: float


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children (``git`` runs)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def take_sample(at: float, pid: int, depth: int) -> Sample:
    load1 = float(Path("/proc/loadavg").read_text().split()[0])
    return Sample(at, rss_kib(pid), depth, cpu_seconds(pid), time.process_time(), load1)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def health(session: aiohttp.ClientSession, url: str) -> dict[str, Any] | None:
    try:
        async with session.get(url + "/healthz") as resp:
            return dict(await resp.json())
    except (aiohttp.ClientError, ValueError):
        return None


def start_serve(
    fake: FakeGitHub,
    key: str,
    data_dir: Path,
    port: int,
    task_profile: Path | None = None,
    tracemalloc_at: str = "",
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PITCREW_WEBHOOK_SECRET": SECRET,
        "PITCREW_APP_ID": str(fake.app_id),
        "PITCREW_PRIVATE_KEY": key,
        "PITCREW_GITHUB_URL": fake.base_url,
        "PITCREW_DATA_DIR": str(data_dir),
        "PITCREW_RETRY_BASE_S": "0.5",
        # GitHub's guidance is one content-creating call a second per installation; the soak
        # sends more than one installation's worth, so the spacing is shortened (said above).
        "PITCREW_WRITE_INTERVAL": "0.2",
        "PITCREW_SCHEDULER_INTERVAL_S": "0",
        "PITCREW_RECONCILE_INTERVAL_S": "0",
    }
    argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if task_profile is not None:  # where jobs wait: bench/task_sampler.py
        argv[1:3] = [str(ROOT / "bench" / "task_sampler.py"), str(task_profile)]
        if tracemalloc_at:
            argv[3:3] = ["--tracemalloc", tracemalloc_at]
    return subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def first_writes(fake: FakeGitHub, sent: list[Sent]) -> dict[str, list[float]]:
    """Per kind: seconds from each delivery to the first write naming its PR (or comment)."""
    comment_pr = {s.comment_id: s.pr for s in sent if s.comment_id is not None}
    writes: dict[int, list[float]] = defaultdict(list)
    for call in fake.calls:
        if call.method not in WRITES or not 200 <= call.status < 300:
            continue
        match = _PR_IN_PATH.search(call.path)
        if match:
            writes[int(match.group(1))].append(call.at)
        elif (m := re.search(r"/issues/comments/(\d+)/reactions", call.path)) and int(
            m.group(1)
        ) in comment_pr:
            writes[comment_pr[int(m.group(1))]].append(call.at)
    by_pr: dict[int, list[Sent]] = defaultdict(list)
    for s in sent:
        by_pr[s.pr].append(s)
    latencies: dict[str, list[float]] = defaultdict(list)
    for pr, deliveries in by_pr.items():
        times = sorted(writes.get(pr, []))
        for i, s in enumerate(deliveries):
            until = deliveries[i + 1].at if i + 1 < len(deliveries) else float("inf")
            first = next((t for t in times if s.at <= t < until), None)
            latencies[s.kind].append(first - s.at if first is not None else float("nan"))
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


async def soak(
    minutes: float,
    rate: float,
    prs: int,
    sample_s: float,
    task_profile: Path | None = None,
    tracemalloc_at: str = "",
) -> int:
    key = generate_private_key()
    fake = FakeGitHub(private_key=key, check_responses=False)
    await fake.start()
    world(fake, with_git=True)
    pulls = [fake.add_pull(REPO, head_ref=f"feature-{i}", user_login="paula") for i in range(prs)]
    sync_pull_refs(fake, REPO)  # refs/pull/N/head, as GitHub keeps them (the rebase fetches them)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_serve(fake, key, Path(tmp), port, task_profile, tracemalloc_at)
        try:
            return await _drive(fake, proc, url, pulls, minutes, rate, sample_s)
        finally:
            proc.terminate()  # serve gives running jobs up to ~19 s (PITCREW_SHUTDOWN_S)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            await fake.close()


async def _drive(
    fake: FakeGitHub,
    proc: subprocess.Popen[bytes],
    url: str,
    pulls: list[dict[str, Any]],
    minutes: float,
    rate: float,
    sample_s: float,
) -> int:
    async with aiohttp.ClientSession() as session:
        for _ in range(1200):  # start-up on a loaded machine (or under tracemalloc) is slow
            if await health(session, url):
                break
            if proc.poll() is not None:
                raise SystemExit(f"pitcrew serve exited with {proc.returncode}")
            await asyncio.sleep(0.1)
        else:
            raise SystemExit("pitcrew serve did not answer /healthz within 120 s")
        fake.latency = 0.1
        fake.inject("*", "^/(repos|app|installation)", status=502, times=None, probability=0.05)
        fake.inject_secondary_rate_limit("POST", "/repos/*", times=None, probability=0.01)
        fake.inject_secondary_rate_limit("PATCH", "/repos/*", times=None, probability=0.01)
        driver = Soak(fake, url, pulls)
        samples: list[Sample] = []
        start = time.monotonic()
        next_sample = start
        n = 0
        while (elapsed := time.monotonic() - start) < minutes * 60:
            await driver.send(session)
            n += 1
            if time.monotonic() >= next_sample:
                h = await health(session, url) or {}
                samples.append(take_sample(elapsed, proc.pid, int(h.get("queue_depth", -1))))
                next_sample += sample_s
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
        drain_start = time.monotonic()
        while time.monotonic() - drain_start < 300:
            h = await health(session, url) or {}
            if h.get("queue_depth") == 0:
                break
            await asyncio.sleep(0.5)
        samples.append(
            take_sample(time.monotonic() - start, proc.pid, int(h.get("queue_depth", -1)))
        )
        dead = await dead_letters(url, proc)
    report(fake, driver.sent, samples, dead, time.monotonic() - drain_start)
    return 0


async def dead_letters(url: str, proc: subprocess.Popen[bytes]) -> str:
    """Job outcomes from /metrics: "dead" first (the figure the issue asks for), then all."""
    async with aiohttp.ClientSession() as session, session.get(url + "/metrics") as resp:
        text = await resp.text()
    totals: dict[str, float] = defaultdict(float)
    for line in text.splitlines():
        if line.startswith("pitcrew_job_outcomes_total"):
            outcome = line.split('outcome="', 1)[1].split('"', 1)[0]
            totals[outcome] += float(line.rsplit(" ", 1)[1])
    others = ", ".join(f"{k} {v:.0f}" for k, v in sorted(totals.items()))
    return f"{totals['dead']:.0f} (job outcomes: {others})"


def report(
    fake: FakeGitHub,
    sent: list[Sent],
    samples: list[Sample],
    dead: str,
    drain_s: float,
) -> None:
    print(f"deliveries: {len(sent)}; dead letters: {dead}; drained {drain_s:.1f} s after the load")
    print("\n  t (s)   RSS (MiB)   queue depth   service CPU %   bench CPU %   load 1 min")
    previous = None
    for x in samples:
        span = x.at - previous.at if previous else 0.0
        service = (x.service_cpu_s - previous.service_cpu_s) / span * 100 if previous else 0.0
        bench = (x.bench_cpu_s - previous.bench_cpu_s) / span * 100 if previous else 0.0
        print(
            f"{x.at:7.0f}   {x.rss_kib / 1024:9.1f}   {x.depth:11d}"
            f"   {service:13.0f}   {bench:11.0f}   {x.load1:10.2f}"
        )
        previous = x
    warm = [x.rss_kib for x in samples if x.at >= samples[-1].at / 5]
    if warm:
        growth = (max(warm) - warm[0]) / warm[0] * 100 if warm[0] else float("nan")
        print(f"RSS growth after warm-up: {growth:.1f} % (target < 10 %)")
    print("\nkind              deliveries  first write p50 (s)  p99 (s)  no write")
    for kind, values in sorted(first_writes(fake, sent).items()):
        done = [v for v in values if v == v]
        median = statistics.median(done) if done else float("nan")
        print(
            f"{kind:17} {len(values):10d}  {median:19.2f}"
            f"  {pct(done, 0.99):7.2f}  {len(values) - len(done):8d}"
        )
    faults = sum(1 for c in fake.calls if c.fault)
    print(
        f"\nGitHub calls: {len(fake.calls)} ({faults} faulted) = "
        f"{len(fake.calls) / max(1, len(sent)):.1f} per delivery"
    )
    writes = [c for c in fake.calls if c.method in WRITES and "/access_tokens" not in c.path]
    if writes:
        span = max(c.at for c in writes) - min(c.at for c in writes)
        print(
            f"writes: {len(writes)} = {len(writes) / max(1, len(sent)):.1f} per delivery, "
            f"{len(writes) / max(span, 1e-9):.2f}/s over {span:.0f} s "
            f"(PITCREW_WRITE_INTERVAL 0.2 s caps one installation at 5/s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=2.0, help="deliveries per second")
    parser.add_argument("--prs", type=int, default=200, help="pull requests the events spread over")
    parser.add_argument("--sample", type=float, default=15.0, help="seconds between samples")
    parser.add_argument(
        "--task-profile",
        type=Path,
        help="write where the service's jobs wait (bench/task_sampler.py) to this file",
    )
    parser.add_argument(
        "--tracemalloc",
        default="",
        metavar="A,B",
        help="with --task-profile: allocations alive at B s and not at A s (TASK_PROFILE"
        ".tracemalloc.txt)",
    )
    args = parser.parse_args()
    return asyncio.run(
        soak(args.minutes, args.rate, args.prs, args.sample, args.task_profile, args.tracemalloc)
    )


if __name__ == "__main__":
    sys.exit(main())
