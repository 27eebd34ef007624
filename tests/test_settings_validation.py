"""Settings from the environment are checked in one place: a bad value is one line and exit 2.

Also webhook secret rotation: several secrets (new first), any accepted, the match counted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.webhook import matching_secret
from tests.conftest import delivery_headers, sign

ROOT = Path(__file__).resolve().parents[1]
BASE = {"PITCREW_WEBHOOK_SECRET": "s"}

BAD = [
    ("PITCREW_SQLITE_SYNC", "OFF; DROP TABLE jobs", "PITCREW_SQLITE_SYNC must be one of"),
    ("PITCREW_SQLITE_SYNC", "sometimes", "NORMAL, FULL, EXTRA"),
    ("PITCREW_RETRY_BASE_S", "fast", "PITCREW_RETRY_BASE_S must be a number, got 'fast'"),
    ("PITCREW_WRITE_INTERVAL", "-1", "PITCREW_WRITE_INTERVAL must be a finite number"),
    ("PITCREW_SCHEDULER_INTERVAL_S", "nan", "PITCREW_SCHEDULER_INTERVAL_S must be a finite"),
    ("PITCREW_RECONCILE_INTERVAL_S", "inf", "PITCREW_RECONCILE_INTERVAL_S must be a finite"),
    ("PITCREW_WORKERS", "0", "PITCREW_WORKERS must be at least 1"),
    ("PITCREW_WORKERS", "four", "PITCREW_WORKERS must be an integer"),
    ("PITCREW_MAX_ATTEMPTS", "0", "PITCREW_MAX_ATTEMPTS must be at least 1"),
    ("PITCREW_RETENTION_DAYS", "-3", "PITCREW_RETENTION_DAYS must be at least 1"),
    ("PITCREW_PORT", "70000", "PITCREW_PORT must be at most 65535"),
    ("PITCREW_MIRROR_MAX_BYTES", "lots", "PITCREW_MIRROR_MAX_BYTES must be an integer"),
]


@pytest.mark.parametrize(("var", "value", "message"), BAD, ids=[f"{v}={x}" for v, x, _ in BAD])
def test_a_bad_value_is_a_clear_error(var: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        load_settings({**BASE, var: value})


def test_good_values_are_read() -> None:
    settings = load_settings(
        {
            **BASE,
            "PITCREW_SQLITE_SYNC": "full",
            "PITCREW_RETRY_BASE_S": "0.5",
            "PITCREW_SCHEDULER_INTERVAL_S": "0",
            "PITCREW_MIRROR_MAX_BYTES": "1048576",
        }
    )
    assert settings.sqlite_sync == "FULL"
    assert settings.retry_base_s == 0.5
    assert settings.scheduler_interval_s == 0
    assert settings.mirror_max_bytes == 1048576


def test_serve_with_a_bad_value_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PITCREW_WEBHOOK_SECRET": "s", "PITCREW_SQLITE_SYNC": "OFF"}
    env["PITCREW_DATA_DIR"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "PITCREW_SQLITE_SYNC must be one of" in lines[0]
    assert "Traceback" not in proc.stderr


def test_secrets_are_split_on_commas_newest_first() -> None:
    settings = load_settings({"PITCREW_WEBHOOK_SECRET": " new-secret , old-secret ,"})
    assert settings.webhook_secrets == ("new-secret", "old-secret")
    with pytest.raises(SettingsError):
        load_settings({"PITCREW_WEBHOOK_SECRET": " , "})


def test_matching_secret_says_which() -> None:
    body = b'{"zen": "x"}'
    secrets = ("new", "old")
    assert matching_secret(secrets, body, sign(body, "new")) == 0
    assert matching_secret(secrets, body, sign(body, "old")) == 1
    assert matching_secret(secrets, body, sign(body, "other")) is None
    assert matching_secret(secrets, body, None) is None


async def test_rotation_accepts_both_and_counts_the_match(app_client, settings_factory) -> None:
    settings = settings_factory(webhook_secret="new-secret,old-secret")
    client = await app_client(settings, start_workers=False)
    body = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()
    for secret, status in (("new-secret", 200), ("old-secret", 200), ("wrong", 401)):
        headers = delivery_headers("ping", body)
        headers["X-Hub-Signature-256"] = sign(body, secret)
        resp = await client.post("/webhook", data=body, headers=headers)
        assert resp.status == status, secret
    metrics = await (await client.get("/metrics")).text()
    assert 'pitcrew_webhook_secret_matches_total{secret="0"} 1.0' in metrics
    assert 'pitcrew_webhook_secret_matches_total{secret="1"} 1.0' in metrics
