"""A real Prometheus scrapes Pitcrew's own /metrics; SLOs are evaluated against it."""

from __future__ import annotations

import asyncio
import json
import shutil
import time

import aiohttp
import pytest

from bot.report.slo import evaluate_slos, parse_slos
from tests.conftest import delivery_headers
from tests.helpers import free_port

PROMETHEUS = shutil.which("prometheus")


async def query(session: aiohttp.ClientSession, url: str, promql: str) -> list:
    async with session.get(f"{url}/api/v1/query", params={"query": promql}) as resp:
        return (await resp.json())["data"]["result"]


@pytest.mark.skipif(not PROMETHEUS, reason="prometheus not installed (apt-get install prometheus)")
async def test_prometheus_scrapes_pitcrew_and_slos_evaluate(app_client, tmp_path):
    client = await app_client()
    for _ in range(3):
        body = json.dumps({"pages": []}).encode()
        await client.post("/webhook", data=body, headers=delivery_headers("gollum", body))
    target = f"{client.server.host}:{client.server.port}"
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n"
        "scrape_configs:\n  - job_name: pitcrew\n"
        f"    static_configs:\n      - targets: ['{target}']\n"
    )
    proc = await asyncio.create_subprocess_exec(
        PROMETHEUS,
        f"--config.file={config}",
        f"--storage.tsdb.path={tmp_path / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--log.level=warn",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 40
            series: list = []
            while time.monotonic() < deadline and not series:
                try:
                    series = await query(
                        session, url, 'pitcrew_webhook_deliveries_total{outcome="ignored"}'
                    )
                except (aiohttp.ClientError, KeyError, ValueError):
                    pass
                await asyncio.sleep(0.3)
            assert series, "prometheus never scraped pitcrew's /metrics"
            assert float(series[0]["value"][1]) == 3.0
        slos = parse_slos(
            [
                {"name": "up", "query": 'up{job="pitcrew"}', "op": ">=", "threshold": 1},
                {"name": "queue", "query": "pitcrew_queue_depth", "op": "<=", "threshold": 100},
            ]
        )
        results = {r.name: r.status for r in await evaluate_slos(url, slos)}
        assert results == {"up": "ok", "queue": "ok"}
    finally:
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()
