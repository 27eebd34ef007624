"""Shadow mode scaled out: suppressed writes land in Redis, so `pitcrew jobs --writes` on any
host with the same PITCREW_REDIS_URL and App id lists every replica's writes."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from tests.conftest import delivery_headers
from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world
from tests.test_shadow import writes_received


async def test_shadow_writes_are_shared_through_redis(
    own_redis, fake_github, app_client, settings_factory, app_key, tmp_path
) -> None:
    repo = world(fake_github)
    number = fake_github.add_pull(repo, head_ref="feature")["number"]
    settings = pitcrew_settings(
        settings_factory, fake_github, app_key, PITCREW_MODE="shadow",
        PITCREW_REDIS_URL=own_redis.url,
    )  # fmt: skip
    client = await app_client(settings, policy=FAST_POLICY)
    body = json.dumps(comment_event(fake_github, repo, number, "/help")).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers("issue_comment", body))
    assert resp.status == 202
    await drain(client)
    assert writes_received(fake_github) == []

    env = {
        **os.environ,
        "PITCREW_REDIS_URL": own_redis.url,
        "PITCREW_APP_ID": str(fake_github.app_id),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "jobs", "--writes", "--format", "json",
        "--data-dir", str(tmp_path / "elsewhere"),  # another host: nothing local to read
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    writes = json.loads(out)
    assert {w["repo"] for w in writes} == {repo}
    assert any(w["path"].endswith(f"/issues/{number}/comments") for w in writes), writes
