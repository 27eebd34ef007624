"""Builders shared by service tests: events shaped like GitHub's, a Pitcrew wired to the fake."""

from __future__ import annotations

import asyncio
import copy
import random
import socket
from pathlib import Path
from typing import Any

from bot.appkeys import QUEUE
from bot.github import RetryPolicy
from tests.fakegithub import load_example

INSTALLATION = 77

FAST_POLICY = RetryPolicy(
    attempts=4,
    base_delay=0.01,
    max_delay=0.05,
    max_inline_wait=3.0,
    default_rate_wait=0.2,
    request_timeout=5.0,
    write_interval=0.0,
)


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for servers a test starts as processes).

    Taken from *below* the kernel's ephemeral range, never from ``bind(0)``: every in-process
    test server (aiohttp's ``TestServer``) gets its port from ``bind(0)``, i.e. from that range,
    so a port freed here can no longer be handed to another xdist worker's ``TestServer`` in
    the moment before this test's process or container binds it.
    """
    low, _ = _ephemeral_range()
    for _ in range(500):
        port = random.randrange(max(1024, low - 12000), low)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free TCP port below the ephemeral range")


def issue_json(fake, repo: str, number: int) -> dict[str, Any]:
    return fake._out(copy.deepcopy(fake.state.get_repo(repo).issues[number]))


def repo_json(fake, repo: str) -> dict[str, Any]:
    return fake._out(copy.deepcopy(fake.state.get_repo(repo).json))


def comment_event(fake, repo: str, number: int, body: str, login: str = "alice", **user):
    """`issue_comment` `created` as GitHub sends it, for a comment the fake now holds."""
    comment = fake.add_comment(repo, number, body, user_login=login)
    comment["user"].update(user)
    payload = load_example("issue_comment", "created.with-installation.payload.json")
    payload["repository"] = repo_json(fake, repo)
    payload["issue"] = issue_json(fake, repo, number)
    payload["comment"] = comment
    payload["sender"] = comment["user"]
    payload["installation"] = {"id": INSTALLATION, "node_id": "x"}
    return payload


def world(fake, repo: str = "octo-org/widgets", *, with_git: bool = False):
    """An installation with one repository and a few collaborators of every role."""
    fake.add_installation(INSTALLATION, repo.split("/")[0])
    fake.add_repo(repo, with_git=with_git)
    for login, role in {
        "alice": "write",
        "adam": "admin",
        "mia": "maintain",
        "tara": "triage",
        "rita": "read",
    }.items():
        fake.set_permission(repo, login, role)
    return repo


def pitcrew_settings(settings_factory, fake, app_key: str, **env):
    return settings_factory(
        env={
            "PITCREW_APP_ID": str(fake.app_id),
            "PITCREW_PRIVATE_KEY": app_key,
            "PITCREW_GITHUB_URL": fake.base_url,
            # background loops off unless a test turns them on: they would add GitHub calls
            "PITCREW_SCHEDULER_INTERVAL_S": "0",
            "PITCREW_RECONCILE_INTERVAL_S": "0",
            **env,
        }
    )


async def drain(client, timeout: float = 20.0) -> None:
    """Wait until the app's queue has nothing queued or running."""
    queue = client.app[QUEUE]
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await queue.depth() == 0:
            return
        await asyncio.sleep(0.02)
    jobs = [(j.event, j.status, j.last_error) for j in await queue.list_jobs()]
    raise AssertionError(f"queue not drained: {jobs}")
