"""Failure memory on Redis, so every replica of a scaled-out deployment remembers the same.

Same semantics as :class:`bot.memory.sqlite_store.SqliteFailureStore`. Records live once in a
hash; sorted sets (score = time) index them the way the lookups ask, so each lookup is one
bounded range read plus one ``HMGET``. All keys share the hash tag ``{<namespace>}``::

    {ns}:mem:rec                     hash  failure id -> JSON
    {ns}:mem:sig:<repo>\\0<sig>       zset  failure ids by time
    {ns}:mem:sigb:<repo>\\0<sig>\\0<branch>  zset  failure ids by time, one branch
    {ns}:mem:test:<repo>\\0<wf>\\0<job>\\0<test>  zset  failure ids by time
    {ns}:mem:branch:<repo>\0<branch>  zset  failure ids by time, one branch
    {ns}:mem:repo:<repo>             zset  failure ids by time (flaky scans, per repository)
    {ns}:mem:repos                   set   repositories with failures
    {ns}:mem:out                     hash  outcome id -> JSON
    {ns}:mem:osha:<repo>\\0<wf>\\0<job>\\0<sha>  set  outcome ids of one commit
    {ns}:mem:obr:<repo>\\0<wf>\\0<job>\\0<branch>  zset  outcome ids by time
    {ns}:mem:fsha:<repo>\0<sha>      set   failure ids of one commit
    {ns}:mem:pass:<repo>\0<wf>\0<job>  set  commits where that job passed
    {ns}:mem:same:<repo>\0<wf>\0<job>\0<test>  zset  commits that failed and passed, by time
    {ns}:mem:samesig:<repo>\0<sig>   zset  the same, per signature (job-level failures)
    {ns}:mem:samerepo:<repo>         zset  JSON [wf, job, test, sha, sig] by time (flaky scans)
    {ns}:mem:ftime / {ns}:mem:otime  zset  every id by time (pruning)
    {ns}:mem:ovr                     hash  <repo>\\0<sig> -> JSON override
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.memory.model import FailureRecord, JobOutcome, Override, SameCommit, from_row, to_row

_SEP = "\x00"


def _ts(value: datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def _dt(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _failure_json(r: FailureRecord) -> str:
    return json.dumps(to_row(r))


def _failure(raw: bytes | str) -> FailureRecord:
    return from_row(FailureRecord, json.loads(raw))


def _outcome_json(o: JobOutcome) -> str:
    return json.dumps(to_row(o))


def _outcome(raw: bytes | str) -> JobOutcome:
    return from_row(JobOutcome, json.loads(raw))


class RedisFailureStore:
    """The scaled-out failure store (redis-py's client is thread-safe and pools connections)."""

    def __init__(self, url: str, namespace: str) -> None:
        import redis  # the `redis` extra; imported here so the embedded build does not need it

        self._r: Any = redis.Redis.from_url(url)
        self._p = f"{{{namespace}}}:mem:"

    def close(self) -> None:
        self._r.close()

    def _k(self, *parts: str) -> str:
        return self._p + _SEP.join(parts)

    def _failure_keys(self, r: FailureRecord) -> list[str]:
        return [
            self._k("sig", r.repo, r.signature),
            self._k("sigb", r.repo, r.signature, r.branch),
            self._k("branch", r.repo, r.branch),
            self._k("repo", r.repo),
            self._k("ftime"),
        ]

    # -- writes ----------------------------------------------------------------------------

    def record_failures(self, records: list[FailureRecord]) -> int:
        added = 0
        for r in records:
            fid = _SEP.join((r.repo, str(r.run_id), str(r.attempt), r.job, r.signature))
            if not self._r.hsetnx(self._k("rec"), fid, _failure_json(r)):
                continue
            added += 1
            pipe = self._r.pipeline(transaction=True)
            for key in self._failure_keys(r):
                pipe.zadd(key, {fid: _ts(r.at)})
            pipe.sadd(self._k("fsha", r.repo, r.sha), fid)
            pipe.sadd(self._k("repos"), r.repo)
            pipe.execute()
            if self._r.sismember(self._k("pass", r.repo, r.workflow, r.job), r.sha):
                self._same_commit(r)
        return added

    def _same_commit(self, r: FailureRecord) -> None:
        """Flakiness evidence, written when the second of a fail and a pass arrives."""
        pipe = self._r.pipeline(transaction=True)
        pipe.zadd(self._k("same", r.repo, r.workflow, r.job, r.test), {r.sha: _ts(r.at)}, nx=True)
        pipe.zadd(self._k("samesig", r.repo, r.signature), {r.sha: _ts(r.at)}, nx=True)
        member = json.dumps([r.workflow, r.job, r.test, r.sha, r.signature])
        pipe.zadd(self._k("samerepo", r.repo), {member: _ts(r.at)}, nx=True)
        pipe.execute()

    def record_outcomes(self, outcomes: list[JobOutcome]) -> None:
        for outcome in outcomes:
            self.record_outcome(outcome)

    def record_outcome(self, outcome: JobOutcome) -> None:
        o = outcome
        oid = _SEP.join((o.repo, str(o.run_id), str(o.attempt), o.job))
        pipe = self._r.pipeline(transaction=True)
        pipe.hset(self._k("out"), oid, _outcome_json(o))
        pipe.sadd(self._k("osha", o.repo, o.workflow, o.job, o.sha), oid)
        pipe.zadd(self._k("obr", o.repo, o.workflow, o.job, o.branch), {oid: _ts(o.at)})
        pipe.zadd(self._k("otime"), {oid: _ts(o.at)})
        if o.conclusion == "success":
            pipe.sadd(self._k("pass", o.repo, o.workflow, o.job), o.sha)
        pipe.execute()
        if o.conclusion == "success":
            for r in self._failures_of_commit(o.repo, o.sha):
                if r.workflow == o.workflow and r.job == o.job:
                    self._same_commit(r)

    def set_override(self, override: Override) -> None:
        o = override
        value = json.dumps([o.label, o.by, _ts(o.at)])
        self._r.hset(self._k("ovr"), _SEP.join((o.repo, o.signature)), value)

    # -- reads -----------------------------------------------------------------------------

    def override(self, repo: str, signature: str) -> Override | None:
        raw = self._r.hget(self._k("ovr"), _SEP.join((repo, signature)))
        if raw is None:
            return None
        label, by, at = json.loads(raw)
        return Override(repo, signature, label, by, _dt(at))

    def _records(self, ids: list[Any]) -> list[FailureRecord]:
        if not ids:
            return []
        return [_failure(raw) for raw in self._r.hmget(self._k("rec"), ids) if raw is not None]

    def _failures_of_commit(self, repo: str, sha: str) -> list[FailureRecord]:
        return self._records(list(self._r.smembers(self._k("fsha", repo, sha))))

    def failures_of(
        self,
        repo: str,
        signature: str,
        *,
        since: datetime | None = None,
        branch: str | None = None,
        limit: int = 1000,
        newest_first: bool = False,
    ) -> list[FailureRecord]:
        key = (
            self._k("sigb", repo, signature, branch)
            if branch is not None
            else self._k("sig", repo, signature)
        )
        low = _ts(since) if since else "-inf"
        if newest_first:
            ids = self._r.zrevrangebyscore(key, "+inf", low, start=0, num=limit)
        else:
            ids = self._r.zrangebyscore(key, low, "+inf", start=0, num=limit)
        return self._records(ids)

    def failures_on_branch(
        self, repo: str, branch: str, since: datetime, limit: int = 200
    ) -> list[FailureRecord]:
        key = self._k("branch", repo, branch)
        return self._records(self._r.zrevrangebyscore(key, "+inf", _ts(since), start=0, num=limit))

    def flaky_commits(
        self, repo: str, workflow: str, job: str, test: str, signature: str, since: datetime
    ) -> int:
        if test:
            key = self._k("same", repo, workflow, job, test)
        else:
            key = self._k("samesig", repo, signature)
        return int(self._r.zcount(key, _ts(since), "+inf"))

    def last_outcome_before(
        self, repo: str, workflow: str, job: str, branch: str, before: datetime, conclusion: str
    ) -> JobOutcome | None:
        key = self._k("obr", repo, workflow, job, branch)
        high = f"({_ts(before)}"
        offset = 0
        while True:  # newest first, skipping other conclusions a page at a time
            ids = self._r.zrevrangebyscore(key, high, "-inf", start=offset, num=100)
            if not ids:
                return None
            for raw in self._r.hmget(self._k("out"), ids):
                if raw is not None and (found := _outcome(raw)).conclusion == conclusion:
                    return found
            offset += len(ids)

    def _passes(self, repo: str, workflow: str, job: str, sha: str) -> int:
        ids = list(self._r.smembers(self._k("osha", repo, workflow, job, sha)))
        raws = self._r.hmget(self._k("out"), ids) if ids else []
        return sum(_outcome(raw).conclusion == "success" for raw in raws if raw is not None)

    def same_commit_evidence(self, repo: str | None, since: datetime) -> list[SameCommit]:
        repos = [repo] if repo else sorted(m.decode() for m in self._r.smembers(self._k("repos")))
        found: list[SameCommit] = []
        for name in repos:
            found.extend(self._same_commit_in(name, since))
        return found

    def _same_commit_in(self, repo: str, since: datetime) -> list[SameCommit]:
        found = []
        for raw in self._r.zrangebyscore(self._k("samerepo", repo), _ts(since), "+inf"):
            workflow, job, test, sha, _ = json.loads(raw)
            records = [
                r
                for r in self._failures_of_commit(repo, sha)
                if (r.workflow, r.job, r.test) == (workflow, job, test)
            ]
            if not test or not records:
                continue
            found.append(
                SameCommit(
                    repo=repo,
                    workflow=workflow,
                    job=job,
                    test=test,
                    signature=max(r.signature for r in records),
                    sha=sha,
                    fails=len(records),
                    passes=self._passes(repo, workflow, job, sha),
                    first_at=min(r.at for r in records),
                    last_at=max(r.at for r in records),
                    url=max(r.url for r in records),
                )
            )
        return found

    # -- retention -------------------------------------------------------------------------

    def prune(self, older_than: datetime) -> int:
        cutoff = _ts(older_than)
        removed = 0
        while ids := self._r.zrangebyscore(self._k("ftime"), "-inf", f"({cutoff}", 0, 500):
            pipe = self._r.pipeline(transaction=True)
            for fid, raw in zip(ids, self._r.hmget(self._k("rec"), ids), strict=True):
                if raw is not None:
                    record = _failure(raw)
                    for key in self._failure_keys(record):
                        pipe.zrem(key, fid)
                    pipe.srem(self._k("fsha", record.repo, record.sha), fid)
                pipe.zrem(self._k("ftime"), fid)
                pipe.hdel(self._k("rec"), fid)
            pipe.execute()
            removed += len(ids)
        while ids := self._r.zrangebyscore(self._k("otime"), "-inf", f"({cutoff}", 0, 500):
            pipe = self._r.pipeline(transaction=True)
            for oid, raw in zip(ids, self._r.hmget(self._k("out"), ids), strict=True):
                if raw is not None:
                    o = _outcome(raw)
                    pipe.srem(self._k("osha", o.repo, o.workflow, o.job, o.sha), oid)
                    pipe.zrem(self._k("obr", o.repo, o.workflow, o.job, o.branch), oid)
                    pipe.srem(self._k("pass", o.repo, o.workflow, o.job), o.sha)
                pipe.zrem(self._k("otime"), oid)
                pipe.hdel(self._k("out"), oid)
            pipe.execute()
            removed += len(ids)
        for repo in self._r.smembers(self._k("repos")):
            removed += self._prune_same_commit(repo.decode(), cutoff)
        return removed

    def _prune_same_commit(self, repo: str, cutoff: float) -> int:
        key = self._k("samerepo", repo)
        old = self._r.zrangebyscore(key, "-inf", f"({cutoff}")
        pipe = self._r.pipeline(transaction=True)
        for raw in old:
            workflow, job, test, sha, signature = json.loads(raw)
            pipe.zrem(self._k("same", repo, workflow, job, test), sha)
            pipe.zrem(self._k("samesig", repo, signature), sha)
            pipe.zrem(key, raw)
        pipe.execute()
        return len(old)

    def count(self) -> int:
        return int(self._r.hlen(self._k("rec")))
