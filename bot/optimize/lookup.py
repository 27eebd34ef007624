"""Online action facts: read each action's ``action.yml`` at the ref a workflow uses.

The service (and ``pitcrew optimize --github-token``) fills an :class:`ActionCatalog` entry per
action repository before the engine runs, so the rules stay pure. What is read, through an
:class:`ActionSource` (the GitHub REST API in production, the fake GitHub in tests):

* the repository (``GET /repos/{owner}/{repo}``: archived or not) and its tags
  (``GET /repos/{owner}/{repo}/tags``), cached per repository for :data:`TAGS_TTL_S`;
* a branch or tag that is not in the tag list: ``GET /repos/{owner}/{repo}/commits/{ref}``,
  cached for :data:`BRANCH_TTL_S`;
* ``action.yml``/``action.yaml`` at a commit (``GET …/contents/{path}?ref=<sha>``): cached per
  repository, folder and commit for good (a commit never changes) — so a second ``/optimize``
  makes no action lookups at all;
* for a composite action, the actions its own steps use (one level down);
* when a ref runs on a retired runtime, the newest major's release, read the same way.

A lookup that fails (404, rate limit, network) leaves that repository or ref unjudged, and the
rule says so; it never fails the run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from .actions import (
    RETIRED_RUNTIMES,
    SHA,
    ActionCatalog,
    ActionRef,
    release_major,
    version_key,
)

log = logging.getLogger(__name__)

NAMESPACE = "optimize-actions"
TAGS_TTL_S = 24 * 3600.0
BRANCH_TTL_S = 3600.0
MAX_REPOS = 100  # per run: a workflow set using more actions is judged for the first 100
MAX_MAJORS_TRIED = 4  # newest majors read when looking for one on a current runtime


class LookupFailed(Exception):
    """The API could not answer (rate limit, network, server error): say why, judge nothing."""


class ActionSource(Protocol):
    """What the lookup needs from GitHub. ``None``/empty answers mean "does not exist" (404);
    anything else that goes wrong raises :class:`LookupFailed`."""

    async def repository(self, repo: str) -> dict[str, Any] | None: ...

    async def tags(self, repo: str) -> list[tuple[str, str]]: ...

    async def commit_of(self, repo: str, ref: str) -> str | None: ...

    async def file_at(self, repo: str, path: str, commit: str) -> str | None: ...


class KeyValue(Protocol):
    """The subset of :mod:`bot.kvstore` used here (SQLite or Redis, shared by replicas)."""

    def get(self, ns: str, key: str, default: Any = None) -> Any: ...

    def put(self, ns: str, key: str, value: Any, ttl: float | None = None) -> None: ...


class MemoryKV:
    """A process-local :class:`KeyValue` (the CLI's cache; TTLs are ignored)."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], Any] = {}

    def get(self, ns: str, key: str, default: Any = None) -> Any:
        return self.data.get((ns, key), default)

    def put(self, ns: str, key: str, value: Any, ttl: float | None = None) -> None:
        self.data[(ns, key)] = value


@dataclass
class LookupStats:
    """API calls made (cache hits make none)."""

    calls: int = 0
    failures: list[str] = field(default_factory=list)


def parse_action_yml(text: str) -> dict[str, Any] | None:
    """``{"using": …, "uses": [...]}`` from an action.yml; None when it has no ``runs.using``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, dict) or not isinstance(runs.get("using"), str):
        return None
    using = runs["using"].strip().lower()
    inputs = data.get("inputs") if isinstance(data, dict) else None
    uses: list[str] = []
    if using == "composite":
        for step in runs.get("steps") or []:
            if isinstance(step, dict) and isinstance(step.get("uses"), str):
                uses.append(step["uses"].strip())
    names = sorted(str(k) for k in inputs) if isinstance(inputs, dict) else []
    return {"using": using, "uses": uses, "inputs": names}


def refs_in(texts: Iterable[str]) -> list[ActionRef]:
    """Every ``uses: owner/repo[/path]@ref`` of steps in these workflow/action texts."""
    from .model import Doc, Workflow, YamlError

    out: dict[tuple[str, str, str], ActionRef] = {}
    for text in texts:
        try:
            wf = Workflow(Doc("-", text))
        except YamlError:
            continue
        for _, step in wf.all_steps():
            ref = ActionRef.parse(step.uses or "")
            if ref is not None and not ref.is_reusable_workflow:
                out[(ref.repo, ref.path, ref.ref)] = ref
    return list(out.values())


class ActionLookup:
    """Fill catalog entries for a set of refs through an :class:`ActionSource`, with a cache."""

    def __init__(self, source: ActionSource, kv: KeyValue | None = None) -> None:
        self.source = source
        self.kv: KeyValue = kv if kv is not None else MemoryKV()
        self.stats = LookupStats()

    async def catalog(self, refs: Iterable[ActionRef]) -> ActionCatalog:
        """Entries for the refs' repositories, and one level down for composite actions."""
        by_repo: dict[str, list[ActionRef]] = {}
        for ref in refs:
            by_repo.setdefault(ref.repo, []).append(ref)
        repos: dict[str, dict[str, Any]] = {}
        for repo in list(by_repo)[:MAX_REPOS]:
            repos[repo] = await self._entry(repo, by_repo[repo])
        inner: dict[str, list[ActionRef]] = {}
        for entry in repos.values():
            for per_commit in (entry.get("composite") or {}).values():
                for uses_list in per_commit.values():
                    for uses in uses_list:
                        inner_ref = ActionRef.parse(uses)
                        if inner_ref is not None:
                            inner.setdefault(inner_ref.repo, []).append(inner_ref)
        for repo, inner_refs in inner.items():
            if len(repos) >= MAX_REPOS:
                break
            if repo in repos:
                extra = await self._entry(repo, inner_refs, composite=False)
                _merge_entry(repos[repo], extra)
            else:
                repos[repo] = await self._entry(repo, inner_refs, composite=False)
        return ActionCatalog(repos, "GitHub API")

    # ----------------------------------------------------------------- one repository
    async def _entry(
        self, repo: str, refs: list[ActionRef], *, composite: bool = True
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "looked_up": True,
            "tags": {},
            "branches": {},
            "runs": {},
            "composite": {},
        }
        try:
            meta = await self._repo_meta(repo)
            if meta is None:
                return {"looked_up": True, "failed": f"repository {repo} not found (404)"}
            if meta.get("archived"):
                entry["archived"] = "GitHub marks this repository as archived"
            entry["tags"] = dict(meta.get("tags") or {})
            read: list[tuple[str, str]] = []
            for ref in refs:
                commit = await self._commit(repo, ref.ref, entry)
                if commit is None:
                    continue
                await self._read(repo, ref.path, commit, entry)
                read.append((ref.path, commit))
            needs_target = {
                path
                for path, commit in read
                if entry["runs"].get(path, {}).get(commit) in RETIRED_RUNTIMES
                or entry["composite"].get(path, {}).get(commit)
            }
            if composite:
                for path in sorted(needs_target):
                    await self._newest_majors(repo, path, entry)
        except LookupFailed as exc:
            self.stats.failures.append(f"{repo}: {exc}")
            return {"looked_up": True, "failed": f"lookup failed ({exc})"}
        return entry

    async def _call(self, coro: Any) -> Any:
        self.stats.calls += 1
        return await coro

    async def _repo_meta(self, repo: str) -> dict[str, Any] | None:
        cached = await asyncio.to_thread(self.kv.get, NAMESPACE, f"repo:{repo}")
        if cached is not None:
            return dict(cached) if cached else None
        info = await self._call(self.source.repository(repo))
        if info is None:
            return None
        tags = {name: sha for name, sha in await self._call(self.source.tags(repo))}
        meta = {"archived": bool(info.get("archived")), "tags": tags}
        await asyncio.to_thread(self.kv.put, NAMESPACE, f"repo:{repo}", meta, TAGS_TTL_S)
        return meta

    async def _commit(self, repo: str, ref: str, entry: dict[str, Any]) -> str | None:
        if SHA.match(ref.lower()):
            return ref.lower()
        if ref in entry["tags"]:
            return str(entry["tags"][ref])
        key = f"ref:{repo}:{ref}"
        commit = await asyncio.to_thread(self.kv.get, NAMESPACE, key)
        if commit is None:
            commit = await self._call(self.source.commit_of(repo, ref)) or ""
            await asyncio.to_thread(self.kv.put, NAMESPACE, key, commit, BRANCH_TTL_S)
        if commit:
            entry["branches"][ref] = commit
        return commit or None

    async def _read(self, repo: str, path: str, commit: str, entry: dict[str, Any]) -> None:
        """runs.using (and composite uses) of the action at ``commit``, cached for good."""
        key = f"action:{repo}:{path}:{commit}"
        facts = await asyncio.to_thread(self.kv.get, NAMESPACE, key)
        if facts is None:
            facts = {}
            prefix = f"{path}/" if path else ""
            for name in ("action.yml", "action.yaml"):
                text = await self._call(self.source.file_at(repo, prefix + name, commit))
                if text is not None:
                    facts = parse_action_yml(text) or {}
                    break
            await asyncio.to_thread(self.kv.put, NAMESPACE, key, facts, None)
        if facts.get("using"):
            entry["runs"].setdefault(path, {})[commit] = facts["using"]
            if facts.get("uses"):
                entry["composite"].setdefault(path, {})[commit] = list(facts["uses"])
            if "inputs" in facts:
                entry.setdefault("inputs", {}).setdefault(path, {})[commit] = facts["inputs"]

    async def _newest_majors(self, repo: str, path: str, entry: dict[str, Any]) -> None:
        """Read the newest majors' releases until one runs on a current runtime."""
        newest: dict[int, str] = {}
        for tag in entry["tags"]:
            major = release_major(tag)
            if major is not None and (
                major not in newest or version_key(tag) > version_key(newest[major])
            ):
                newest[major] = tag
        for major in sorted(newest, reverse=True)[:MAX_MAJORS_TRIED]:
            commit = entry["tags"][newest[major]]
            await self._read(repo, path, commit, entry)
            using = entry["runs"].get(path, {}).get(commit)
            if using and using not in RETIRED_RUNTIMES:
                return


def _merge_entry(into: dict[str, Any], extra: dict[str, Any]) -> None:
    if extra.get("failed"):
        return
    for key in ("tags", "branches"):
        into.setdefault(key, {}).update(extra.get(key) or {})
    for key in ("runs", "composite", "inputs"):
        for path, per_commit in (extra.get(key) or {}).items():
            into.setdefault(key, {}).setdefault(path, {}).update(per_commit)
