"""What an action runs on, read from the action itself: a catalog of facts per repository.

One data shape serves both modes. Offline, the catalog is the bundled table
``data/actions.json`` (built by ``tools/build_action_table.py`` from each action's own
``action.yml`` at every release tag). Online, the service fills an entry of the same shape per
repository through the GitHub API (:mod:`bot.optimize.lookup`) and hands it to the engine, so
the rules never do I/O. An entry::

    {"tags": {"v4.2.2": "<commit>", ...},          # release tag -> commit
     "branches": {"main": "<commit>"},              # branch -> commit (when known)
     "runs": {"": {"<commit>": "node20"}, "restore": {...}},   # action folder -> commit -> using
     "composite": {"": {"<commit>": ["actions/checkout@v3", ...]}},
     "inputs": {"": {"<commit>": ["fetch-depth", ...]}},  # releases a proposal can name
     "archived": "evidence ('' / absent: not known to be archived)",
     "failed": "why the lookup failed (online only)"}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from . import table

SHA = re.compile(r"^[0-9a-f]{40}$")
_RELEASE = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
#: ``runs.using`` values GitHub no longer runs (Node 12 and 16 were forced to newer Node, then
#: removed from the runners).
RETIRED_RUNTIMES = frozenset({"node10", "node12", "node16"})


def version_key(tag: str) -> tuple[int, int, int, int]:
    """Sort key of a release tag; a full version sorts above its moving major tag."""
    m = _RELEASE.match(tag)
    if not m:
        return (-1, -1, -1, -1)
    parts = [int(g) if g is not None else -1 for g in m.groups()]
    return parts[0], parts[1], parts[2], sum(p >= 0 for p in parts)


def release_major(tag: str) -> int | None:
    m = _RELEASE.match(tag)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class ActionRef:
    """``owner/repo[/path]@ref`` split up; ``repo`` is lower-cased, ``path`` has no slashes
    at either end."""

    repo: str
    path: str
    ref: str

    @classmethod
    def parse(cls, uses: str) -> ActionRef | None:
        """None for local (``./``), ``docker://`` and malformed references."""
        if not uses or uses.startswith(("./", "docker://", ".\\")) or "@" not in uses:
            return None
        name, ref = uses.split("@", 1)
        parts = name.strip().split("/")
        if len(parts) < 2 or not all(parts[:2]) or not ref.strip():
            return None
        return cls("/".join(parts[:2]).lower(), "/".join(p for p in parts[2:] if p), ref.strip())

    @property
    def action(self) -> str:
        return f"{self.repo}/{self.path}" if self.path else self.repo

    @property
    def is_reusable_workflow(self) -> bool:
        return self.path.startswith(".github/workflows/")


@dataclass(frozen=True)
class Release:
    """A release tag, the commit it points to and what the action runs on there."""

    tag: str
    commit: str
    using: str

    @property
    def major(self) -> int:
        return release_major(self.tag) or 0


@dataclass(frozen=True)
class ActionFacts:
    """What a reference runs on. ``using`` is None when the action could not be judged
    (``unjudged`` says why)."""

    ref: ActionRef
    using: str | None = None
    commit: str | None = None
    tag: str | None = None  # the most specific release tag pointing at ``commit``
    inner_uses: tuple[str, ...] = ()
    archived: str = ""
    source: str = ""
    unjudged: str = ""

    @property
    def retired(self) -> bool:
        return self.using in RETIRED_RUNTIMES


@dataclass
class ActionCatalog:
    """Facts about action repositories: the bundled table, or what the service looked up."""

    repos: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = "bundled table"

    # ----------------------------------------------------------------- reading
    def facts(self, ref: ActionRef) -> ActionFacts | None:
        """Facts for ``ref``; None when the repository is not in the catalog at all."""
        entry = self.repos.get(ref.repo)
        if entry is None:
            return None
        if entry.get("failed"):
            return ActionFacts(ref, unjudged=str(entry["failed"]))
        # The bundled table knows release tags and a few branches only: a ref it lacks (a
        # commit between releases, a feature branch) is simply not judged offline. Entries the
        # service looked up online ("looked_up") name every ref of this workflow, so a gap
        # there is a failed lookup and is reported.
        online = bool(entry.get("looked_up"))
        commit, tag = self.resolve(ref.repo, ref.ref)
        if commit is None:
            if not online:
                return None
            return ActionFacts(
                ref, unjudged=f"`{ref.ref}` is not a known tag, branch or release commit"
            )
        runs = (entry.get("runs") or {}).get(ref.path) or {}
        using = runs.get(commit)
        where = f"{ref.action}@{tag or commit[:12]}: action.yml ({self.source})"
        if using is None:
            if not online:
                return None
            return ActionFacts(
                ref,
                commit=commit,
                tag=tag,
                unjudged=f"no action.yml read at {ref.action}@{tag or commit[:12]}",
            )
        inner = ((entry.get("composite") or {}).get(ref.path) or {}).get(commit) or []
        return ActionFacts(
            ref,
            using=using,
            commit=commit,
            tag=tag,
            inner_uses=tuple(inner),
            archived=str(entry.get("archived") or ""),
            source=where,
        )

    def resolve(self, repo: str, ref: str) -> tuple[str | None, str | None]:
        """(commit, most specific release tag at that commit) for a tag, branch or SHA."""
        entry = self.repos.get(repo.lower()) or {}
        tags: dict[str, str] = entry.get("tags") or {}
        branches: dict[str, str] = entry.get("branches") or {}
        if SHA.match(ref.lower()):
            commit = ref.lower()
            known = commit in tags.values() or any(
                commit in runs for runs in (entry.get("runs") or {}).values()
            )
            return (commit, self.tag_of(repo, commit)) if known else (None, None)
        if ref in tags:
            commit = tags[ref]
            return commit, self.tag_of(repo, commit) or ref
        if ref in branches:
            return branches[ref], None
        return None, None

    def tag_of(self, repo: str, commit: str) -> str | None:
        """The most specific release tag at ``commit`` (``v4.2.2`` over ``v4``)."""
        tags: dict[str, str] = (self.repos.get(repo.lower()) or {}).get("tags") or {}
        at = [t for t, c in tags.items() if c == commit]
        return max(at, key=version_key) if at else None

    def newest_current(self, repo: str, path: str) -> Release | None:
        """The newest major whose latest release runs on a supported runtime."""
        entry = self.repos.get(repo.lower()) or {}
        tags: dict[str, str] = entry.get("tags") or {}
        runs = (entry.get("runs") or {}).get(path) or {}
        newest: dict[int, str] = {}
        for tag in tags:
            major = release_major(tag)
            if major is None:
                continue
            if major not in newest or version_key(tag) > version_key(newest[major]):
                newest[major] = tag
        for major in sorted(newest, reverse=True):
            tag = newest[major]
            using = runs.get(tags[tag])
            if using is None:
                continue
            if using not in RETIRED_RUNTIMES:
                return Release(tag, tags[tag], using)
        return None

    def inputs(self, repo: str, path: str, commit: str) -> frozenset[str] | None:
        """Input names of the action at ``commit`` (None: not known)."""
        entry = self.repos.get(repo.lower()) or {}
        names = ((entry.get("inputs") or {}).get(path) or {}).get(commit)
        return frozenset(names) if names is not None else None

    def merged(self, other: ActionCatalog) -> ActionCatalog:
        """This catalog with ``other``'s repositories taking precedence."""
        return ActionCatalog({**self.repos, **other.repos}, other.source)


@cache
def _bundled_data() -> dict[str, Any]:
    with resources.files("bot.optimize").joinpath("data/actions.json").open("rb") as fh:
        data: dict[str, Any] = json.load(fh)
    if data.get("schema") == table.SCHEMA:
        return table.expand(data)
    for entry in data.get("repos", {}).values():  # schema 1: SHAs written out everywhere
        head = entry.pop("head", None)
        if head and head.get("branch"):
            entry.setdefault("branches", {})[head["branch"]] = head["sha"]
    return data


def bundled_catalog() -> ActionCatalog:
    """The table shipped with Pitcrew (read once per process)."""
    data = _bundled_data()
    return ActionCatalog(data["repos"], f"bundled table built {data.get('built', '?')}")
