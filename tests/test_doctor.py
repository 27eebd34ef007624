"""`pitcrew doctor`: every check passes on a healthy setup, and each failing case is produced for
real (a wrong key, a skewed clock, a bad webhook config, an old git, …) against the fake GitHub."""

from __future__ import annotations

import asyncio
import email.utils
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.doctor import Check, deliveries_check, run_checks
from bot.setup.manifest import load_app_yml
from tests.helpers import free_port, world


def healthy(fake, app_key: str, tmp_path: Path) -> dict[str, str]:
    """A fake App granted what app.yml asks, installed on one org; the env that matches it."""
    manifest = load_app_yml()
    fake.state.app_permissions = dict(manifest["default_permissions"])
    fake.state.app_events = list(manifest["default_events"])
    world(fake)
    return {
        "PITCREW_WEBHOOK_SECRET": "s3cret-value",
        "PITCREW_APP_ID": str(fake.app_id),
        "PITCREW_PRIVATE_KEY": app_key,
        "PITCREW_GITHUB_URL": fake.base_url,
        "PITCREW_DATA_DIR": str(tmp_path / "data"),
    }


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


EXPECTED = [
    "webhook_secret",
    "private_key",
    "app_auth",
    "clock",
    "installations",
    "webhook_config",
    "deliveries",
    "permissions",
    "events",
    "git",
    "data_dir",
    "redis",
    "redis_extra",
]


async def test_healthy_installation_passes_every_check(fake_github, app_key, tmp_path) -> None:
    checks = await run_checks(healthy(fake_github, app_key, tmp_path))
    assert [c.name for c in checks] == EXPECTED
    assert {c.name: c.status for c in checks} == dict.fromkeys(EXPECTED, "ok"), checks
    found = by_name(checks)
    assert "octo-org: 1 repositories (all)" in found["installations"].detail
    assert fake_github.calls_to("GET", "/app/hook/config")
    assert fake_github.calls_to("GET", "/app/hook/deliveries")


def _one(checks: list[Check], name: str) -> Check:
    check = by_name(checks)[name]
    assert check.status == "fail", check
    assert check.fix, f"a failing check says how to fix it: {check}"
    return check


async def test_missing_webhook_secret_fails(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    del env["PITCREW_WEBHOOK_SECRET"]
    checks = await run_checks(env)
    assert "not set" in _one(checks, "webhook_secret").detail
    assert by_name(checks)["webhook_config"].status == "warn"  # GitHub has one, we do not


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----\n", "parse"),
        ("/nonexistent/pitcrew.pem", "neither PEM text nor a readable file"),
        ("", "not set"),
    ],
    ids=["garbage-pem", "missing-file", "unset"],
)
async def test_unusable_private_key_fails(fake_github, app_key, tmp_path, value, expected) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    env["PITCREW_PRIVATE_KEY"] = value
    checks = await run_checks(env)
    assert expected in _one(checks, "private_key").detail
    assert [c.name for c in checks] == EXPECTED  # every check is reported, checked or not
    assert by_name(checks)["app_auth"].status == "warn"  # not checked, not failed twice
    assert not fake_github.calls_to("GET", "/app")


async def test_key_file_readable_by_others_warns(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    key_file = tmp_path / "app.pem"
    key_file.write_text(app_key)
    key_file.chmod(0o644)
    env["PITCREW_PRIVATE_KEY"] = str(key_file)
    check = by_name(await run_checks(env))["private_key"]
    assert check.status == "warn" and check.fix == f"chmod 600 {key_file}"
    key_file.chmod(0o600)
    assert by_name(await run_checks(env))["private_key"].status == "ok"


async def test_jwt_of_another_app_is_refused(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    env["PITCREW_APP_ID"] = "999"  # the key belongs to another App
    checks = await run_checks(env)
    assert "GitHub refused the App's JWT (GET /app): HTTP 401" in _one(checks, "app_auth").detail
    assert by_name(checks)["clock"].status == "ok"  # the 401's Date header still tells the skew
    assert [c.name for c in checks] == EXPECTED


async def test_clock_skew_fails(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    github_time = email.utils.formatdate(time.time() - 300, usegmt=True)  # we are 5 min ahead
    fake_github.inject(
        "GET", "/app", status=200, body=fake_github.state.app_json(), headers={"Date": github_time}
    )
    check = _one(await run_checks(env), "clock")
    assert "ahead of GitHub's" in check.detail and "NTP" in check.fix


async def test_no_installation_warns_with_install_link(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    fake_github.state.installations.clear()
    check = by_name(await run_checks(env))["installations"]
    assert check.status == "warn" and "installations/new" in check.fix


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"content_type": "form"}, "content type is 'form', not json"),
        ({"secret": None}, "no secret"),
        ({"insecure_ssl": "1"}, "SSL verification is off"),
        ({"url": ""}, "no webhook URL"),
    ],
    ids=["form-content", "no-secret", "ssl-off", "no-url"],
)
async def test_bad_webhook_config_fails(fake_github, app_key, tmp_path, config, expected) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    fake_github.state.hook_config.update(config)
    assert expected in _one(await run_checks(env), "webhook_config").detail


async def test_latest_delivery_failed_fails(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    # GitHub tried to deliver while the service was down: nothing listens on this port
    url = f"http://127.0.0.1:{free_port()}/webhook"
    fake_github.state.add_delivery("ping", {"zen": "hi"}, guid="g1", status_code=202, url=url)
    fake_github.state.add_delivery("push", {}, guid="g2", status_code=502, url=url)
    check = _one(await run_checks(env), "deliveries")
    assert "1 of 2 deliveries in the last 24 h failed; latest: push → 502" in check.detail


def test_older_failures_only_warn() -> None:
    now = datetime.now(UTC)
    at = lambda minutes: (now - timedelta(minutes=minutes)).isoformat()  # noqa: E731
    records = [
        {"delivered_at": at(1), "status_code": 202, "event": "push"},
        {"delivered_at": at(5), "status_code": 500, "event": "push"},
        {"delivered_at": at(60 * 30), "status_code": 500, "event": "push"},  # outside 24 h
    ]
    check = deliveries_check(records, now)
    assert check.status == "warn" and check.detail.startswith("1 of 2")


async def test_missing_permission_and_event_fail(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    fake_github.state.app_permissions["workflows"] = "read"
    fake_github.state.app_events.remove("workflow_job")
    checks = await run_checks(env)
    assert "workflows: write (granted read)" in _one(checks, "permissions").detail
    assert "workflow_job" in _one(checks, "events").detail


async def test_old_git_fails(fake_github, app_key, tmp_path) -> None:
    old_git = tmp_path / "git"
    old_git.write_text("#!/bin/sh\necho 'git version 2.30.2'\n")
    old_git.chmod(0o755)
    checks = await run_checks(healthy(fake_github, app_key, tmp_path), git=str(old_git))
    assert "git 2.30.2 lacks `merge-tree --write-tree`" in _one(checks, "git").detail


async def test_unwritable_data_dir_fails(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env["PITCREW_DATA_DIR"] = str(blocker / "data")  # a directory cannot live under a file
    assert "is not writable" in _one(await run_checks(env), "data_dir").detail
    assert not (blocker / "data").exists()


async def test_missing_data_dir_is_fine_and_not_created(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    check = by_name(await run_checks(env))["data_dir"]
    assert check.status == "ok" and "(serve creates it)" in check.detail
    assert not (tmp_path / "data").exists()


async def test_unreachable_redis_fails(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    env["PITCREW_REDIS_URL"] = f"redis://:hunter2-password@127.0.0.1:{free_port()}/0"
    check = _one(await run_checks(env), "redis")
    assert "did not answer PING" in check.detail
    assert "hunter2-password" not in check.detail


# ----------------------------------------------------------------------------- the CLI
HIDE_REDIS = "import sys; sys.modules['redis'] = None; from bot.__main__ import main; "


async def _run(code: str, *args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code + f"sys.exit(main({list(args)!r}))",
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_doctor_cli_json_and_exit_code(fake_github, app_key, tmp_path) -> None:
    env = healthy(fake_github, app_key, tmp_path)
    code, out, err = await _run(
        "import sys; from bot.__main__ import main; ",
        "doctor",
        "--format",
        "json",
        env=env,
        cwd=tmp_path,
    )
    assert code == 0, out + err
    report = json.loads(out)
    assert report["ok"] is True
    assert [c["name"] for c in report["checks"]] == EXPECTED
    assert set(report["checks"][0]) == {"name", "status", "detail", "fix"}

    env["PITCREW_REDIS_URL"] = "redis://127.0.0.1:1/0"
    code, out, _ = await _run(HIDE_REDIS, "doctor", env=env, cwd=tmp_path)
    assert code == 1
    assert "fail  redis_extra" in out and "pip install 'pitcrew[redis]'" in out


async def test_serve_refuses_redis_url_without_redis_module(tmp_path) -> None:
    env = {"PITCREW_WEBHOOK_SECRET": "x", "PITCREW_REDIS_URL": "redis://127.0.0.1:1/0"}
    code, _, err = await _run(HIDE_REDIS, "serve", "--port", "0", env=env, cwd=tmp_path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "pip install 'pitcrew[redis]'" in lines[0], err
    assert "Traceback" not in err
