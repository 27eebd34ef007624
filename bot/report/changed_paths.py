"""Changed paths per pushed commit or pull-request head: what a ``paths-ignore`` filter sees.

The optimizer's ``paths-ignore`` estimate needs, for each past run, the files its trigger
changed. Runs and jobs do not carry them, but the ``push`` webhook does
(``commits[].added/modified/removed``, no API call) and the PR review already lists a pull
request's files (``GET /pulls/{n}/files``). Both are recorded here, keyed by
``(event, head sha)`` — a push and a pull request with the same head commit change different
sets of files — bounded to ``MAX_PATHS`` paths (GitHub itself evaluates path filters on at
most 300 changed files) with a ``truncated`` mark.

Kept apart from runs and jobs (own SQLite table, own Redis keys) so the report store's
aggregation never has to know about it; the two store classes only delegate here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

__all__ = ["MAX_PATHS", "ChangedPaths", "bounded", "from_push"]

#: Paths kept per head commit (GitHub's own limit for path filters).
MAX_PATHS = 300
#: A push payload lists at most this many commits; a full list may have been cut.
_MAX_PUSH_COMMITS = 2048
#: Records older than this are dropped on the next write (the optimizer reads 30 days).
RETENTION = timedelta(days=45)


@dataclass(frozen=True, slots=True)
class ChangedPaths:
    """The files one push or one pull-request head changed (``truncated``: more existed)."""

    event: str  # "push" | "pull_request"
    sha: str
    paths: tuple[str, ...]
    truncated: bool = False

    def to_json(self) -> str:
        return json.dumps({"paths": list(self.paths), "truncated": self.truncated})

    @classmethod
    def from_json(cls, event: str, sha: str, text: str | bytes) -> ChangedPaths:
        data = json.loads(text)
        return cls(event, sha, tuple(str(p) for p in data["paths"]), bool(data["truncated"]))


def bounded(event: str, sha: str, paths: Iterable[str], *, truncated: bool = False) -> ChangedPaths:
    """At most ``MAX_PATHS`` distinct paths in first-seen order; more marks it truncated."""
    kept: dict[str, None] = {}
    for path in paths:
        if path in kept:
            continue
        if len(kept) == MAX_PATHS:
            truncated = True
            break
        kept[path] = None
    return ChangedPaths(event, sha, tuple(kept), truncated)


def from_push(payload: Mapping[str, Any]) -> ChangedPaths | None:
    """The union of the pushed commits' files (None: nothing usable was pushed).

    The union is a superset of the two-dot diff GitHub filters a push on (a file changed and
    changed back counts), so a docs-only verdict from it is never too optimistic. Forced pushes
    are skipped: their diff is against a commit that is no longer an ancestor.
    """
    ref = str(payload.get("ref") or "")
    commits = payload.get("commits")
    sha = str(payload.get("after") or "")
    if (
        not ref.startswith("refs/heads/")
        or payload.get("deleted")
        or payload.get("forced")
        or not isinstance(commits, list)
        or not commits
        or len(sha) != 40
    ):
        return None
    paths = (
        str(path)
        for commit in commits
        if isinstance(commit, dict)
        for key in ("added", "modified", "removed")
        for path in commit.get(key) or ()
    )
    return bounded("push", sha, paths, truncated=len(commits) >= _MAX_PUSH_COMMITS)


# --- SQLite (bot.report.store.ReportStore delegates here) --------------------------------------

SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS changed_paths (
    repo TEXT NOT NULL, event TEXT NOT NULL, sha TEXT NOT NULL, body TEXT NOT NULL,
    recorded_at REAL NOT NULL, PRIMARY KEY (repo, event, sha)
);
CREATE INDEX IF NOT EXISTS changed_paths_time ON changed_paths (repo, recorded_at);
"""
SQLITE_UPSERT = "INSERT OR REPLACE INTO changed_paths VALUES (?, ?, ?, ?, ?)"
SQLITE_PRUNE = "DELETE FROM changed_paths WHERE recorded_at < ?"
SQLITE_SELECT = (
    "SELECT event, sha, body FROM changed_paths WHERE repo = ? AND recorded_at >= ?"
    " ORDER BY recorded_at"
)


def sqlite_row(repo: str, change: ChangedPaths, now: datetime) -> tuple[Any, ...]:
    return (repo, change.event, change.sha, change.to_json(), now.timestamp())


def from_sqlite(rows: Iterable[tuple[Any, ...]]) -> list[ChangedPaths]:
    return [ChangedPaths.from_json(event, sha, body) for event, sha, body in rows]


# --- Redis (bot.report.redis_store.RedisReportStore delegates here) ----------------------------
# {ns}:report:changed:<repo>    hash  "<event>:<sha>" -> JSON (paths, truncated)
# {ns}:report:changed_t:<repo>  zset  "<event>:<sha>" by recorded_at


def redis_record(redis: Any, keys: tuple[str, str], change: ChangedPaths, now: datetime) -> None:
    """Write one record and drop those older than ``RETENTION`` (one pipeline)."""
    body, times = keys
    member = f"{change.event}:{change.sha}"
    cutoff = (now - RETENTION).timestamp()
    old = [m for m in redis.zrangebyscore(times, "-inf", f"({cutoff}") if m != member.encode()]
    pipe = redis.pipeline(transaction=True)
    pipe.hset(body, member, change.to_json())
    pipe.zadd(times, {member: now.timestamp()})
    if old:
        pipe.hdel(body, *old)
        pipe.zrem(times, *old)
    pipe.execute()


def redis_load(redis: Any, keys: tuple[str, str], since: datetime) -> list[ChangedPaths]:
    body, times = keys
    members = redis.zrangebyscore(times, since.timestamp(), "+inf")
    if not members:
        return []
    out = []
    for member, text in zip(members, redis.hmget(body, members), strict=True):
        if text is None:
            continue
        event, _, sha = member.decode().partition(":")
        out.append(ChangedPaths.from_json(event, sha, text))
    return out
