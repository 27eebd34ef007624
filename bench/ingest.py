"""Webhook intake benchmark: `pitcrew serve` (durable queue on, workers running) against a bare
aiohttp handler that only answers 202, same machine, same load generator, one run.

    python bench/ingest.py            # full run
    python bench/ingest.py --quick    # smaller, for a smoke check
    python bench/ingest.py --redis    # scale-out: 1, 2, 3 replicas on Redis vs SQLite

Prints deliveries/s (closed loop, fixed concurrency) and p50/p99 acknowledgement latency at a
fixed open-loop rate (default 500/s), for both, and the ratios. With ``--redis`` the load is
spread round-robin over the replicas (as a load balancer would) and a throwaway
``redis-server`` (appendonly, everysec) is started in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"
BARE_SERVER = textwrap.dedent(
    """
    import sys
    from aiohttp import web
    async def hook(request):
        await request.read()
        return web.json_response({"status": "queued"}, status=202)
    app = web.Application(client_max_size=25 * 1024 * 1024)
    app.router.add_post("/webhook", hook)
    app.router.add_get("/healthz", lambda r: web.json_response({"status": "ok"}))
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def payload(number: int = 1) -> bytes:
    shared = ROOT.parent / "shared" / "github" / "webhooks" / "issue_comment"
    data = json.loads((shared / "created.with-installation.payload.json").read_text())
    data["comment"]["body"] = "/help"
    data["issue"]["number"] = number
    data["issue"]["pull_request"] = {"url": f"https://api.github.com/repos/o/r/pulls/{number}"}
    return json.dumps(data).encode()


def payloads(prs: int) -> list[bytes]:
    """Comments spread over ``prs`` pull requests (jobs of one PR run one at a time)."""
    return [payload(n) for n in range(1, prs + 1)]


def _pick(bodies: bytes | list[bytes], i: int) -> bytes:
    return bodies if isinstance(bodies, bytes) else bodies[i % len(bodies)]


def headers(body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-GitHub-Event": "issue_comment",
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": "sha256="
        + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
    }


def spawn(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start a server whose log goes to a file nobody has to read: an unread pipe fills at
    64 KiB (``pitcrew serve`` logs a line per delivery) and then blocks the server mid-run."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the process below
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    proc.stderr_log = log  # type: ignore[attr-defined]
    return proc


def log_tail(proc: subprocess.Popen, limit: int = 3000) -> str:
    log = proc.stderr_log  # type: ignore[attr-defined]
    log.seek(0)
    return log.read().decode(errors="replace")[-limit:]


async def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}:\n{log_tail(proc)}")
            try:
                async with session.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not become healthy")


async def drained(url: str, timeout: float = 120) -> None:
    """Wait until the workers have processed everything (pitcrew reports queue_depth)."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            async with session.get(url + "/healthz") as resp:
                if (await resp.json()).get("queue_depth", 0) == 0:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url}: queue not drained within {timeout:.0f} s")


async def closed_loop(
    urls: str | list[str], body: bytes | list[bytes], total: int, concurrency: int
) -> float:
    urls = [urls] if isinstance(urls, str) else urls
    done = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as s:

        async def worker() -> None:
            nonlocal done
            while done < total:
                done += 1
                url = urls[done % len(urls)]
                data = _pick(body, done)
                async with s.post(url + "/webhook", data=data, headers=headers(data)) as resp:
                    assert resp.status == 202, resp.status
                    await resp.read()

        start = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(concurrency)])
        return total / (time.perf_counter() - start)


async def open_loop(
    urls: str | list[str], body: bytes | list[bytes], rate: float, seconds: float
) -> list[float]:
    urls = [urls] if isinstance(urls, str) else urls
    latencies: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as s:

        async def one(url: str, data: bytes) -> None:
            h = headers(data)
            start = time.perf_counter()
            async with s.post(url + "/webhook", data=data, headers=h) as resp:
                await resp.read()
                assert resp.status == 202, resp.status
            latencies.append(time.perf_counter() - start)

        tasks = []
        begin = time.perf_counter()
        n = int(rate * seconds)
        for i in range(n):
            target = begin + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(urls[i % len(urls)], _pick(body, i))))
        await asyncio.gather(*tasks)
    return latencies


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


async def measure(name: str, cmd: list[str], env: dict[str, str], port: int, args) -> dict:
    return await measure_many(name, [(cmd, env, port)], args)


async def measure_many(
    name: str, servers: list[tuple[list[str], dict[str, str], int]], args
) -> dict:
    """Start every server, load them round-robin, stop them."""
    procs = [spawn(cmd, env) for cmd, env, _ in servers]
    urls = [f"http://127.0.0.1:{port}" for _, _, port in servers]
    try:
        for url, proc in zip(urls, procs, strict=True):
            await wait_healthy(url, proc)
        body = payloads(args.prs)
        await closed_loop(urls, body, 200, 8)  # warm-up
        rates = [await closed_loop(urls, body, args.requests, args.concurrency) for _ in range(2)]
        for url in urls:
            await drained(url)  # steady state: latency at the target rate, not backlog drain
        lat = await open_loop(urls, body, args.rate, args.seconds)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)
    return {
        "name": name,
        "throughput": statistics.median(rates),
        "p50_ms": pct(lat, 0.50),
        "p99_ms": pct(lat, 0.99),
    }


async def run(args) -> None:
    """Both servers up at once; closed-loop rounds alternate between them, so a noisy moment
    of the machine hits both; the ratio is the median of the per-round ratios."""
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PITCREW_WEBHOOK_SECRET": SECRET, "PITCREW_DATA_DIR": data}
        env.pop("PITCREW_APP_ID", None)
        bare_port, pit_port = free_port(), free_port()
        servers = {
            "bare aiohttp 202": ([sys.executable, "-c", BARE_SERVER, str(bare_port)], bare_port),
            "pitcrew serve": (
                [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1",
                 "--port", str(pit_port)],
                pit_port,
            ),
        }  # fmt: skip
        procs = {name: spawn(cmd, env) for name, (cmd, _port) in servers.items()}
        urls = {name: f"http://127.0.0.1:{port}" for name, (_cmd, port) in servers.items()}
        body = payloads(args.prs)
        rates: dict[str, list[float]] = {name: [] for name in servers}
        latency: dict[str, list[float]] = {}
        try:
            for name in servers:
                await wait_healthy(urls[name], procs[name])
                await closed_loop(urls[name], body, 200, 8)  # warm-up
            for _ in range(args.rounds):
                for name in servers:
                    rates[name].append(
                        await closed_loop(urls[name], body, args.requests, args.concurrency)
                    )
                await drained(urls["pitcrew serve"])
            for name in servers:  # steady state: latency at the target rate, not backlog drain
                latency[name] = await open_loop(urls[name], body, args.rate, args.seconds)
                await drained(urls["pitcrew serve"])
        finally:
            for proc in procs.values():
                proc.terminate()
                proc.wait(10)
    header = f"{'server':<18} {'deliveries/s':>13} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{header}  (open loop {args.rate:.0f}/s; deliveries over {args.prs} PRs)")
    for name in servers:
        print(
            f"{name:<18} {statistics.median(rates[name]):>13.0f} "
            f"{pct(latency[name], 0.50):>8.2f} {pct(latency[name], 0.99):>8.2f}"
        )
    ratios = [p / b for p, b in zip(rates["pitcrew serve"], rates["bare aiohttp 202"],
                                    strict=True)]  # fmt: skip
    print(
        f"throughput ratio pitcrew/bare: {statistics.median(ratios):.2f} "
        f"(median of {len(ratios)} alternating rounds: "
        f"{', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.5)"
    )
    p99 = pct(latency["pitcrew serve"], 0.99)
    print(f"p99 at {args.rate:.0f}/s: {p99:.1f} ms (target < 20 ms)")


def start_redis(directory: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            directory,
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def serve_cmd(port: int) -> list[str]:
    return [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]


async def run_redis(args) -> None:
    """SQLite (one process, the default) against 1, 2 and 3 replicas sharing one Redis."""
    results = []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PITCREW_WEBHOOK_SECRET": SECRET, "PITCREW_DATA_DIR": data}
        for name in ("PITCREW_APP_ID", "PITCREW_REDIS_URL", "PITCREW_PRIVATE_KEY"):
            env.pop(name, None)
        port = free_port()
        results.append(await measure("sqlite x1", serve_cmd(port), env, port, args))
        redis_proc, url = start_redis(data)
        try:
            for n in args.replicas:
                servers = []
                for i in range(n):
                    port = free_port()
                    renv = {
                        **env,
                        "PITCREW_REDIS_URL": url,
                        "PITCREW_APP_ID": f"bench{n}",  # a fresh namespace per run
                        "PITCREW_DATA_DIR": os.path.join(data, f"r{n}-{i}"),
                    }
                    servers.append((serve_cmd(port), renv, port))
                results.append(await measure_many(f"redis x{n}", servers, args))
        finally:
            redis_proc.terminate()
            redis_proc.wait(10)
    header = f"{'setup':<12} {'deliveries/s':>13} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{header}  (open loop {args.rate:.0f}/s, {os.cpu_count()} cores)")
    for r in results:
        print(f"{r['name']:<12} {r['throughput']:>13.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}")
    sqlite, redis_runs = results[0], results[1:]
    one = redis_runs[0]["throughput"]
    for r in redis_runs:
        print(
            f"{r['name']}: {r['throughput'] / sqlite['throughput']:.2f}x sqlite, "
            f"{r['throughput'] / one:.2f}x redis x1"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5, help="alternating closed-loop rounds")
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--prs",
        type=int,
        default=20,
        help="spread the comments over this many PRs (1 = worst case: every job on one key)",
    )
    parser.add_argument(
        "--redis", action="store_true", help="1, 2, 3 replicas on Redis against SQLite"
    )
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    if args.quick:
        args.requests, args.seconds = 500, 2
    asyncio.run(run_redis(args) if args.redis else run(args))


if __name__ == "__main__":
    main()
