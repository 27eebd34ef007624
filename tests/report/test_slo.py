"""SLO evaluation: pure judging, config validation, failures, and a real Prometheus server."""

from __future__ import annotations

import asyncio
import shutil
import time
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry, Gauge, generate_latest

from bot.report.metrics import observe_job
from bot.report.slo import EXAMPLE_SLOS, SLO, SLOConfigError, evaluate_slos, judge, parse_slos
from tests.helpers import free_port

from .helpers import NOW, job, run

PROMETHEUS = shutil.which("prometheus")


@pytest.mark.parametrize(
    ("op", "threshold", "values", "status", "value"),
    [
        (">=", 0.99, [1.0, 1.0], "ok", 1.0),
        (">=", 0.99, [1.0, 0.5], "breach", 0.5),
        ("<=", 30, [12.0], "ok", 12.0),
        ("<", 30, [30.0], "breach", 30.0),
        ("<=", 30, [], "unknown", None),
        ("<=", 30, [float("nan")], "unknown", None),
    ],
    ids=["ok", "one-series-breaches", "latency-ok", "strict-bound", "no-data", "nan"],
)
def test_judge(op, threshold, values, status, value):
    result = judge(SLO("x", "q", op, threshold), values)
    assert (result.status, result.value) == (status, value)


def test_parse_slos():
    slos = parse_slos(list(EXAMPLE_SLOS))
    assert [s.name for s in slos][:2] == ["availability", "job error rate"]
    assert parse_slos(None) == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "a", "op": "<", "threshold": 1}, "'query' must be"),
        ({"name": "a", "query": "up", "op": "==", "threshold": 1}, "'op' must be one of"),
        ({"name": "a", "query": "up", "threshold": "high"}, "'threshold' must be a number"),
        ("up < 1", "expected a mapping"),
    ],
    ids=["no-query", "bad-op", "bad-threshold", "not-a-mapping"],
)
def test_parse_slos_errors(entry, message):
    with pytest.raises(SLOConfigError, match=message):
        parse_slos([entry])


async def test_unreachable_prometheus_is_unknown_not_an_error():
    slos = [SLO("up", "up", ">=", 1)]
    results = await evaluate_slos(f"http://127.0.0.1:{free_port()}", slos, timeout=2)
    assert results[0].status == "unknown" and results[0].reason
    assert await evaluate_slos("not a url", slos) != []


async def test_non_prometheus_http_server_is_unknown():
    async def bad_gateway(_request):
        return web.Response(status=502, text="<html>bad gateway")

    app = web.Application()
    app.router.add_get("/api/v1/query", bad_gateway)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        (res,) = await evaluate_slos(f"http://127.0.0.1:{port}", [SLO("x", "up", ">=", 1)])
    finally:
        await runner.cleanup()
    assert res.status == "unknown" and "HTTP 502" in res.reason


@pytest.fixture
async def metrics_endpoint():
    """A tiny /metrics endpoint, like Pitcrew's own, with CI metrics and a gauge."""
    registry = CollectorRegistry()
    Gauge("pitcrew_queue_depth", "queue depth", registry=registry).set(3)
    r = run(1, NOW - timedelta(hours=1))
    for i in range(5):
        observe_job(job(i, r, "test", duration=600), registry=registry)

    async def handle(_request):
        return web.Response(body=generate_latest(registry), content_type="text/plain")

    app = web.Application()
    app.router.add_get("/metrics", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def prometheus(tmp_path, metrics_endpoint):
    if not PROMETHEUS:
        pytest.skip("prometheus binary not installed (apt-get install prometheus)")
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n  - job_name: pitcrew\n"
        f"    static_configs:\n      - targets: ['{metrics_endpoint}']\n"
    )
    proc = await asyncio.create_subprocess_exec(
        PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_for_scrape(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def _wait_for_scrape(url: str, proc) -> None:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                err = (await proc.stderr.read()).decode(errors="replace")[-2000:]
                pytest.fail(f"prometheus exited with {proc.returncode}: {err}")
            try:
                params = {"query": 'up{job="pitcrew"} == 1'}
                async with session.get(f"{url}/api/v1/query", params=params) as resp:
                    body = await resp.json()
                    if body["data"]["result"]:
                        return
            except (aiohttp.ClientError, KeyError, ValueError):
                pass
            await asyncio.sleep(0.2)
    pytest.fail("prometheus did not scrape the metrics endpoint within 30 s")


async def test_slos_against_real_prometheus(prometheus):
    slos = parse_slos([
        {"name": "availability", "query": 'up{job="pitcrew"}', "op": ">=", "threshold": 1},
        {"name": "queue depth", "query": "pitcrew_queue_depth", "op": "<=", "threshold": 2},
        {"name": "ci job p50 (s)",
         "query": "histogram_quantile(0.5, sum by (le) (pitcrew_ci_job_duration_seconds_bucket))",
         "op": "<=", "threshold": 900},
        {"name": "no such metric", "query": "pitcrew_nothing_here", "op": "<", "threshold": 1},
        {"name": "bad promql", "query": "sum(rate(", "op": "<", "threshold": 1},
    ])  # fmt: skip
    results = {r.name: r for r in await evaluate_slos(prometheus, slos)}
    assert (results["availability"].status, results["availability"].value) == ("ok", 1.0)
    assert (results["queue depth"].status, results["queue depth"].value) == ("breach", 3.0)
    assert results["ci job p50 (s)"].status == "ok"
    assert 300 < results["ci job p50 (s)"].value <= 600  # interpolated inside the (300, 600] bucket
    assert results["no such metric"].status == "unknown"
    assert results["no such metric"].reason == "query returned no data"
    bad = results["bad promql"]
    assert bad.status == "unknown" and "bad_data" in bad.reason
