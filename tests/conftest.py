"""Shared fixtures: the shared reference data, signed deliveries, a running Pitcrew app."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PITCREW_SHARED_DIR", ROOT / ".." / "shared")).resolve()
SECRET = "test-secret"

if not (SHARED / "github" / "webhooks").is_dir():
    raise pytest.UsageError(
        f"shared reference data not found at {SHARED}: the tests need ../shared/ beside the "
        "repository (or PITCREW_SHARED_DIR pointing at it)"
    )

WEBHOOKS = SHARED / "github" / "webhooks"

pytest_plugins = ["tests.fakegithub.fixtures"]  # fake_github, app_key


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_headers(event: str, body: bytes, delivery_id: str | None = None) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(body),
        "User-Agent": "GitHub-Hookshot/test",
    }


def example(event: str, name: str) -> dict:
    return json.loads((WEBHOOKS / event / name).read_text())


@pytest.fixture
def settings_factory(tmp_path):
    from bot.settings import load_settings

    def make(**overrides):
        env = {"PITCREW_WEBHOOK_SECRET": SECRET, "PITCREW_DATA_DIR": str(tmp_path / "data")}
        env.update({k: str(v) for k, v in overrides.pop("env", {}).items()})
        return load_settings(env, **overrides)

    return make


@pytest.fixture
async def app_client(settings_factory):
    """Start Pitcrew's real aiohttp app; yields a factory so tests can pick settings."""
    from bot.app import make_app

    clients: list[TestClient] = []

    async def start(settings=None, **kwargs) -> TestClient:
        app = make_app(settings or settings_factory(), **kwargs)
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()
