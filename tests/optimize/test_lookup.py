"""Online lookup orchestration over an in-memory source (the fake-GitHub tests cover HTTP)."""

from __future__ import annotations

from typing import Any

from bot.optimize import OptimizeConfig, optimize_text
from bot.optimize.actions import ActionRef
from bot.optimize.lookup import ActionLookup, LookupFailed, MemoryKV, refs_in

from .catalog import sha

WF = ".github/workflows/ci.yml"


def action_yml(using: str, uses: tuple[str, ...] = ()) -> str:
    steps = "".join(f"    - uses: {u}\n" for u in uses)
    return f"name: a\nruns:\n  using: {using}\n" + (f"  steps:\n{steps}" if uses else "")


class Source:
    """Repos: name -> {archived, tags: {tag: commit}, branches, files: {(path, commit): text}}."""

    def __init__(self, repos: dict[str, dict[str, Any]], fail: set[str] = frozenset()) -> None:
        self.repos = repos
        self.fail = fail
        self.calls: list[tuple[str, ...]] = []

    def _repo(self, repo: str) -> dict[str, Any] | None:
        if repo in self.fail:
            raise LookupFailed("HTTP 403 rate limit exceeded")
        return self.repos.get(repo)

    async def repository(self, repo: str) -> dict[str, Any] | None:
        self.calls.append(("repo", repo))
        r = self._repo(repo)
        return {"archived": r.get("archived", False)} if r else None

    async def tags(self, repo: str) -> list[tuple[str, str]]:
        self.calls.append(("tags", repo))
        return list((self._repo(repo) or {}).get("tags", {}).items())

    async def commit_of(self, repo: str, ref: str) -> str | None:
        self.calls.append(("commit", repo, ref))
        return (self._repo(repo) or {}).get("branches", {}).get(ref)

    async def file_at(self, repo: str, path: str, commit: str) -> str | None:
        self.calls.append(("file", repo, path, commit))
        return (self._repo(repo) or {}).get("files", {}).get((path, commit))


def checkout_repo() -> dict[str, Any]:
    return {
        "tags": {
            "v2": sha("v2.3.4"),
            "v2.3.4": sha("v2.3.4"),
            "v5": sha("v5.0.0"),
            "v5.0.0": sha("v5.0.0"),
        },
        "branches": {"main": sha("main")},
        "files": {
            ("action.yml", sha("v2.3.4")): action_yml("node12"),
            ("action.yml", sha("v5.0.0")): action_yml("node24"),
            ("action.yml", sha("main")): action_yml("node24"),
        },
    }


def wf(*uses: str) -> str:
    steps = "".join(f"      - uses: {u}\n" for u in uses)
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"


async def optimize_online(text: str, source: Source, kv: MemoryKV | None = None):
    lookup = ActionLookup(source, kv)
    catalog = await lookup.catalog(refs_in([text]))
    result = optimize_text(
        WF, text, rules=["deprecated-action"], config=OptimizeConfig(actions=catalog)
    )
    return result, result.changes.get(WF, (text, text))[1], lookup


async def test_tag_branch_and_sha_refs_read_from_action_yml():
    source = Source({"actions/checkout": checkout_repo()})
    text = wf("actions/checkout@v2", "actions/checkout@main", f"actions/checkout@{sha('v2.3.4')}")
    result, new, _ = await optimize_online(text, source)
    assert "      - uses: actions/checkout@v5\n" in new
    assert "      - uses: actions/checkout@main\n" in new  # node24: fine
    assert f"      - uses: actions/checkout@{sha('v5.0.0')} # v5.0.0\n" in new
    assert all("GitHub API" in f.rationale for f in result.findings)


async def test_second_run_makes_no_lookups():
    source = Source({"actions/checkout": checkout_repo()})
    kv = MemoryKV()
    text = wf("actions/checkout@v2", "actions/checkout@main")
    await optimize_online(text, source, kv)
    assert source.calls
    source.calls.clear()
    _, new, lookup = await optimize_online(text, source, kv)
    assert source.calls == [] and lookup.stats.calls == 0
    assert "actions/checkout@v5\n" in new


async def test_composite_one_level_down_and_archived():
    repos = {
        "actions/checkout": checkout_repo(),
        "some/composite": {
            "archived": True,
            "tags": {"v1": sha("c1"), "v2": sha("c2")},
            "files": {
                ("action.yml", sha("c1")): action_yml("composite", ("actions/checkout@v2",)),
                ("action.yml", sha("c2")): action_yml("composite", ("actions/checkout@v5",)),
            },
        },
    }
    result, new, _ = await optimize_online(wf("some/composite@v1"), Source(repos))
    assert "      - uses: some/composite@v2\n" in new
    messages = " ".join(f.message for f in result.findings)
    assert "actions/checkout@v2" in messages and "node12" in messages and "archived" in messages


async def test_failed_lookup_leaves_action_unjudged_and_says_so():
    source = Source({"actions/checkout": checkout_repo()}, fail={"actions/checkout"})
    result, new, lookup = await optimize_online(wf("actions/checkout@v2"), source)
    assert new == wf("actions/checkout@v2")
    assert [f.message for f in result.findings] == [
        "`actions/checkout@v2` not judged: lookup failed (HTTP 403 rate limit exceeded)"
    ]
    assert lookup.stats.failures


async def test_missing_repository_and_unknown_ref_are_unjudged():
    source = Source({"actions/checkout": checkout_repo()})
    result, _, _ = await optimize_online(wf("gone/away@v1", "actions/checkout@nope"), source)
    messages = sorted(f.message for f in result.findings)
    assert "not found (404)" in messages[1] and "`nope` is not a known tag" in messages[0]


def test_refs_in_skips_local_docker_and_reusable():
    text = wf("./local", "docker://alpine", "a/b/.github/workflows/x.yml@v1", "a/b/sub@v2")
    assert refs_in([text]) == [ActionRef("a/b", "sub", "v2")]
