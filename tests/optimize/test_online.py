"""Online mode through the fake GitHub: action.yml read at tags, branches and SHAs, composite
actions one level down, archived repositories, SHA-pin proposals, failures left unjudged, and
the per-commit cache (a second run makes no action lookups)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import pytest
from gidgethub.aiohttp import GitHubAPI

from bot.__main__ import main
from bot.github.actions import ActionSourceAPI
from bot.kvstore import SQLiteKVStore
from bot.optimize.lookup import ActionLookup, refs_in

NODE12 = "name: checkout\nruns:\n  using: node12\n  main: dist/index.js\n"
NODE24 = "name: checkout\ninputs:\n  ref: {}\nruns:\n  using: node24\n  main: dist/index.js\n"


def composite(uses: str) -> str:
    return f"name: c\nruns:\n  using: composite\n  steps:\n    - uses: {uses}\n"


def seed(fake) -> dict[str, str]:
    """actions/checkout (v2 on node12, v5 on node24), acme/setup (composite, archived)."""
    fake.add_installation(7, "me")
    fake.add_repo("actions/checkout", files={"action.yml": NODE12})
    old = fake.add_tag("actions/checkout", "v2.3.4")
    fake.add_tag("actions/checkout", "v2")
    fake.add_file("actions/checkout", "action.yml", NODE24)
    new = fake.add_tag("actions/checkout", "v5.0.0")
    fake.add_tag("actions/checkout", "v5")
    repo = fake.add_repo("acme/setup", files={"action.yml": composite("actions/checkout@v2")})
    fake.add_tag("acme/setup", "v1")
    fake.add_tag("acme/setup", "v1.0.0")
    fake.add_file("acme/setup", "action.yml", composite("actions/checkout@v5"))
    fake.add_tag("acme/setup", "v2.0.0")
    fake.add_tag("acme/setup", "v2")
    repo.json["archived"] = True
    return {"old": old, "new": new}


def workflow(*uses: str) -> str:
    steps = "".join(f"      - uses: {u}\n" for u in uses)
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"


def write_repo(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".git").mkdir()
    wf = tmp_path / ".github" / "workflows" / "ci.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text(text)
    return wf


async def cli(fake, tmp_path: Path, *args: str) -> tuple[int, str]:
    token = fake.issue_token(7)
    out = tmp_path / "out.txt"

    def run() -> int:
        import contextlib
        import io

        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(
                [
                    "optimize",
                    str(tmp_path),
                    "--github-token",
                    token,
                    "--github-api-url",
                    fake.base_url,
                    *args,
                ]
            )
        out.write_text(buffer.getvalue())
        return code

    code = await asyncio.to_thread(run)
    return code, out.read_text()


async def test_cli_online_tags_branches_shas_composite_archived(fake_github, tmp_path):
    shas = seed(fake_github)
    write_repo(
        tmp_path,
        workflow(
            "actions/checkout@v2",
            f"actions/checkout@{shas['old']} # v5",
            "actions/checkout@main",
            "acme/setup@v1",
            "gone/away@v1",
        ),
    )
    code, out = await cli(fake_github, tmp_path, "--rules", "deprecated-action", "--format", "diff")
    assert code == 0
    assert "+      - uses: actions/checkout@v5\n" in out
    # the SHA is v2.3.4 (node12) whatever its comment says; the new pin keeps the style
    assert f"+      - uses: actions/checkout@{shas['new']} # v5.0.0\n" in out
    assert "-      - uses: actions/checkout@main" not in out  # main runs on node24
    assert "+      - uses: acme/setup@v2\n" in out  # composite: checkout@v2 one level down
    code, out = await cli(fake_github, tmp_path, "--rules", "deprecated-action", "--format", "json")
    messages = [f["message"] for f in json.loads(out)]
    assert any("archived" in m and "acme/setup" in m for m in messages)
    assert any("gone/away@v1` not judged" in m and "404" in m for m in messages)
    assert any("acme/setup@v1` runs `actions/checkout@v2` (node12)" in m for m in messages)


async def test_cli_online_pin_sha_uses_the_same_resolver(fake_github, tmp_path):
    seed(fake_github)
    sha = fake_github.state.get_repo("acme/setup").resolve("v2.0.0")
    write_repo(tmp_path, workflow("acme/setup@v2"))
    code, out = await cli(fake_github, tmp_path, "--rules", "pin-sha")
    assert code == 0 and f"+      - uses: acme/setup@{sha} # v2.0.0\n" in out


async def test_rate_limited_lookup_leaves_the_action_unjudged(fake_github, tmp_path):
    seed(fake_github)
    fake_github.inject_primary_rate_limit("GET", "/repos/actions/checkout/tags", times=None)
    write_repo(tmp_path, workflow("actions/checkout@v2"))
    code, out = await cli(fake_github, tmp_path, "--rules", "deprecated-action", "--format", "json")
    (finding,) = json.loads(out)
    assert code == 0
    assert "not judged" in finding["message"] and not finding["fix"]


@pytest.mark.parametrize("store", ["sqlite"])
async def test_second_lookup_makes_no_api_calls(fake_github, tmp_path, store):
    seed(fake_github)
    text = workflow("actions/checkout@v2", "acme/setup@v1", "actions/checkout@main")
    kv = SQLiteKVStore(tmp_path / "kv.sqlite")
    token = fake_github.issue_token(7)
    async with aiohttp.ClientSession() as session:
        gh = GitHubAPI(session, "t", oauth_token=token, base_url=fake_github.base_url)
        first = await ActionLookup(ActionSourceAPI(gh), kv).catalog(refs_in([text]))
        before = len(fake_github.calls)
        lookup = ActionLookup(ActionSourceAPI(gh), kv)
        second = await lookup.catalog(refs_in([text]))
    assert before > 0 and len(fake_github.calls) == before and lookup.stats.calls == 0
    assert second.repos == first.repos
