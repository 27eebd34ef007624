"""README's "Running it as a GitHub App", step by step, against the fake GitHub.

`pip install` into a fresh virtualenv, `pitcrew setup` (its page clicked through over HTTP, the
browser version is in test_setup.py), installing the App, `pitcrew serve`, `pitcrew doctor`,
then a PR comment that gets Pitcrew's first reply. Each step's time is printed (`-s` shows it):
the closing note of issue 16 quotes them.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.helpers import comment_event, free_port
from tests.test_setup import forms_of

ROOT = Path(__file__).resolve().parents[1]
ORG = "octo-org"
REPO = f"{ORG}/widgets"
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]  # pip install from PyPI


def clean_env(**extra: str) -> dict[str, str]:
    """What a new user's shell has: no PITCREW_* settings, no test variables."""
    keep = ("PATH", "HOME", "LANG", "PIP_CERT", "PIP_FIND_LINKS", "PIP_DEFAULT_TIMEOUT",
            "SSL_CERT_FILE", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "TMPDIR")  # fmt: skip
    return {**{k: v for k, v in os.environ.items() if k in keep}, **extra}


async def run(*argv: str, cwd: Path, timeout: float = 300) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode or 0, out.decode(), err.decode()


async def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def test_quickstart_to_first_pr_comment(fake_github, tmp_path) -> None:
    times: dict[str, float] = {}
    home = tmp_path / "pitcrew"
    home.mkdir()

    # 1. pip install (a fresh virtualenv, as a new user would)
    started = time.monotonic()
    code, _, err = await run(sys.executable, "-m", "venv", str(tmp_path / "venv"), cwd=home)
    assert code == 0, err
    python = tmp_path / "venv" / "bin" / "python"
    code, _, err = await run(str(python), "-m", "pip", "install", "-q", str(ROOT), cwd=home,
                             timeout=600)  # fmt: skip
    assert code == 0, err[-3000:]
    pitcrew = str(tmp_path / "venv" / "bin" / "pitcrew")
    times["pip install"] = time.monotonic() - started

    # 2. pitcrew setup: the page, GitHub's "new App" page, the redirect back
    serve_port, setup_port = free_port(), free_port()
    started = time.monotonic()
    setup = await asyncio.create_subprocess_exec(
        pitcrew, "setup", "--org", ORG, "--url", f"http://127.0.0.1:{serve_port}",
        "--github-url", fake_github.base_url, "--api-url", fake_github.base_url,
        "--port", str(setup_port),
        cwd=home, env=clean_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    page_url = f"http://127.0.0.1:{setup_port}/"
    await wait_for(page_url)
    async with aiohttp.ClientSession() as session:
        async with session.get(page_url) as resp:
            (form,) = forms_of(await resp.text())
        async with session.post(form["action"], data=form["in"]) as resp:
            (confirm,) = forms_of(await resp.text())
        async with session.get(confirm["action"], params=confirm["in"]) as resp:
            assert "is registered" in await resp.text()
    out, err = await asyncio.wait_for(setup.communicate(), 30)
    assert setup.returncode == 0, err.decode()
    assert (home / ".env").is_file()
    times["pitcrew setup"] = time.monotonic() - started

    # the user follows the install link: the App is installed on the org
    fake_github.add_installation(77, ORG)
    fake_github.add_repo(REPO, with_git=False)
    fake_github.set_permission(REPO, "alice", "write")
    number = fake_github.add_pull(REPO, head_ref="feature", user_login="alice")["number"]

    # 3. pitcrew serve (reads .env)
    started = time.monotonic()
    serve = await asyncio.create_subprocess_exec(
        pitcrew, "serve", "--port", str(serve_port), "--host", "127.0.0.1",
        cwd=home, env=clean_env(), stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await wait_for(f"http://127.0.0.1:{serve_port}/healthz")
        times["pitcrew serve (to healthy)"] = time.monotonic() - started

        # 4. pitcrew doctor
        started = time.monotonic()
        code, out, err = await run(pitcrew, "doctor", "--format", "json", cwd=home)
        times["pitcrew doctor"] = time.monotonic() - started
        report = json.loads(out)
        assert code == 0, out + err
        statuses = {c["name"]: c["status"] for c in report["checks"]}
        assert statuses["app_auth"] == statuses["permissions"] == statuses["events"] == "ok"
        assert statuses["installations"] == "ok"

        # the first event: a maintainer asks for /help on a PR, Pitcrew answers on it
        started = time.monotonic()
        payload = comment_event(fake_github, REPO, number, "/help")
        status, _ = await fake_github.send_webhook(
            f"http://127.0.0.1:{serve_port}/webhook",
            "issue_comment",
            payload,
            secret=fake_github.hook_secret or "",
        )
        assert status == 202
        deadline = time.monotonic() + 30
        while not [c for c in fake_github.comments(REPO, number) if "/rebase" in c["body"]]:
            assert time.monotonic() < deadline, "no first comment from Pitcrew"
            await asyncio.sleep(0.1)
        times["first PR comment"] = time.monotonic() - started
    finally:
        serve.send_signal(signal.SIGTERM)
        await asyncio.wait_for(serve.communicate(), 20)
    print("\nquickstart step times: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
