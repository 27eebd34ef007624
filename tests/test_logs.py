"""Logs for machines: `PITCREW_LOG_FORMAT=json` from a real `pitcrew serve`, and the text format
showing the same structured fields as key=value."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.logs import ContextFilter, RedactingFilter, TextFormatter, json_formatter, log_context
from tests.conftest import SECRET, delivery_headers
from tests.helpers import comment_event, free_port, world

ROOT = Path(__file__).resolve().parents[1]
REPO = "octo-org/widgets"
TOKEN = "ghs_" + "A1b2C3d4" * 5


def _record(formatter: logging.Formatter, *, exc: bool = False, **extra) -> str:
    logger = logging.getLogger("bot.test.logs")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        with log_context(job_id=7, delivery_id="d-1", repo="octo/hello"):
            if exc:
                try:
                    raise RuntimeError(f"push refused for {TOKEN}")
                except RuntimeError:
                    logger.exception("handler failed", extra=extra)
            else:
                logger.info("job finished", extra=extra)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    (record,) = records
    return formatter.format(record)


def test_text_format_shows_fields_as_key_value() -> None:
    line = _record(TextFormatter(), handler="rebase", duration_ms=12.5, note="two words")
    assert line.endswith(
        "job finished delivery_id=d-1 duration_ms=12.5 handler=rebase job_id=7 "
        'note="two words" repo=octo/hello'
    )
    assert " INFO bot.test.logs: " in line


def test_json_format_is_one_object_with_traceback_inside_and_redacted() -> None:
    line = _record(json_formatter(), exc=True, handler="rebase", token_hint=f"x {TOKEN}")
    assert "\n" not in line
    data = json.loads(line)
    assert data["msg"] == "handler failed" and data["level"] == "ERROR"
    assert data["logger"] == "bot.test.logs" and data["ts"]
    assert (data["job_id"], data["delivery_id"], data["repo"]) == (7, "d-1", "octo/hello")
    assert "Traceback" in data["exc_info"] and "RuntimeError" in data["exc_info"]
    assert TOKEN not in line


@pytest.mark.slow
async def test_serve_json_logs_parse_and_carry_job_fields(fake_github, app_key, tmp_path) -> None:
    world(fake_github)
    number = fake_github.add_pull(REPO, head_ref="feature")["number"]
    port = free_port()
    env = {
        **os.environ,
        "PITCREW_LOG_FORMAT": "json",
        "PITCREW_WEBHOOK_SECRET": SECRET,
        "PITCREW_APP_ID": str(fake_github.app_id),
        "PITCREW_PRIVATE_KEY": app_key,
        "PITCREW_GITHUB_URL": fake_github.base_url,
        "PITCREW_DATA_DIR": str(tmp_path / "data"),
        "PITCREW_WRITE_INTERVAL": "0",
        "PITCREW_SCHEDULER_INTERVAL_S": "0",
        "PITCREW_RECONCILE_INTERVAL_S": "0",
        "PITCREW_MAX_ATTEMPTS": "1",
    }
    argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(url + "/healthz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            for delivery in ("log-ok", "log-fail"):
                if delivery == "log-fail":  # the reply is refused, GitHub's message has a token
                    fake_github.inject(
                        "POST",
                        "/repos/*/issues/*/comments",
                        status=422,
                        times=None,
                        body={"message": f"refused for {TOKEN}", "documentation_url": "x"},
                    )
                payload = comment_event(fake_github, REPO, number, "/help")
                body = json.dumps(payload).encode()
                headers = delivery_headers("issue_comment", body, delivery)
                async with session.post(url + "/webhook", data=body, headers=headers) as resp:
                    assert resp.status == 202
                for _ in range(200):
                    async with session.get(url + "/healthz") as resp:
                        if (await resp.json())["queue_depth"] == 0:
                            break
                    await asyncio.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    lines = err.decode().splitlines()
    assert lines, "serve logged nothing"
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    for record in records:
        assert {"ts", "level", "logger", "msg"} <= set(record), record
    finished = [r for r in records if r["msg"] == "job finished"]
    assert {r["delivery_id"] for r in finished} == {"log-ok", "log-fail"}
    for record in finished:
        assert record["event"] == "issue_comment" and record["repo"] == REPO
        assert record["installation_id"] == 77 and record["job_id"]
        assert record["duration_ms"] >= 0
    (failed,) = [r for r in records if r["msg"] == "handler failed"]
    assert failed["delivery_id"] == "log-fail" and failed["handler"]
    assert "Traceback" in failed["exc_info"]
    assert TOKEN not in err.decode()
