"""Builders for the rebase service tests: GitHub-side effects the fake leaves to the test.

GitHub keeps ``refs/pull/<n>/head`` in the base repository pointing at every PR's head (forks
included) and updates it on each push; :func:`sync_pull_refs` does the same for the fake's bare
repositories, and :func:`author_pushes` is "a contributor pushed a commit to their branch".
"""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import delivery_headers
from tests.fakegithub import load_example
from tests.fakegithub import shapes as fake_shapes
from tests.helpers import INSTALLATION, repo_json


def sync_pull_refs(fake, repo: str) -> None:
    """Point ``refs/pull/<n>/head`` at each open PR's head branch, as GitHub does."""
    r = fake.state.get_repo(repo)
    for number, pr in r.pulls.items():
        if pr["state"] != "open":
            continue
        head_repo = fake.state.repos.get(pr["head"]["repo"]["full_name"].lower(), r)
        if head_repo is r:
            sha = r.git.resolve(pr["head"]["ref"])
            r.git.set_ref(f"refs/pull/{number}/head", sha)
        else:
            r.git.fetch_from(
                head_repo.git, f"refs/heads/{pr['head']['ref']}", f"refs/pull/{number}/head"
            )


def add_pull(fake, repo: str, number: int, head: str, files: dict[str, str], **kw: Any) -> dict:
    labels = kw.pop("labels", ())
    pr = fake.add_pull(repo, number, head_ref=head, files=files, **kw)
    for name in labels:
        label(fake, repo, number, name)
    sync_pull_refs(fake, repo)
    return pr


def label(fake, repo: str, number: int, name: str) -> None:
    r = fake.state.get_repo(repo)
    r.issues[number]["labels"].append(
        fake_shapes.label(fake.base_url, r.full_name, name, label_id=fake.state.next_id())
    )


def commit(fake, repo: str, branch: str, files: dict[str, str], message: str = "") -> str:
    """A push to ``branch`` (GitHub also moves the PR refs)."""
    sha = fake.state.get_repo(repo).git.commit_files(branch, files, message or "change")
    sync_pull_refs(fake, repo)
    return sha


def push_event(fake, repo: str, branch: str, before: str, after: str) -> dict[str, Any]:
    payload = load_example("push", "with-installation.payload.json")
    payload.update(
        ref=f"refs/heads/{branch}",
        before=before,
        after=after,
        created=False,
        deleted=False,
        forced=False,
        commits=[],
        repository=repo_json(fake, repo),
        installation={"id": INSTALLATION, "node_id": "x"},
    )
    return payload


def pr_event(fake, repo: str, number: int, action: str, sender: str = "paula") -> dict:
    payload = load_example("pull_request", "synchronize.payload.json")
    payload["action"] = action
    payload["number"] = number
    payload["pull_request"] = fake.pull(repo, number)
    payload["repository"] = repo_json(fake, repo)
    payload["installation"] = {"id": INSTALLATION, "node_id": "x"}
    payload["sender"] = copy.deepcopy(payload["pull_request"]["user"])
    payload["sender"]["login"] = sender
    if sender.endswith("[bot]"):
        payload["sender"]["type"] = "Bot"
    return payload


async def deliver(client, event: str, payload: dict) -> str:
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers(event, body))
    assert resp.status in (200, 202), await resp.text()
    return (await resp.json())["status"]


def bot_comments(fake, repo: str, number: int, kind: str = "rebase") -> list[dict]:
    marker = f"<!-- pitcrew:{kind} -->"
    return [
        c
        for c in fake.comments(repo, number)
        if c["user"]["login"] == "pitcrew[bot]" and marker in c["body"]
    ]


def branch_sha(fake, repo: str, branch: str) -> str:
    return fake.state.get_repo(repo).git.resolve(branch)


def log_of(fake, repo: str, ref: str, n: int = 20) -> list[str]:
    return fake.state.get_repo(repo).git.git("log", f"-n{n}", "--format=%s", ref).split("\n")[:-1]
