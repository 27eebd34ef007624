"""The org report's cells from the Redis store: compact facts streamed in slices.

Redis cannot group like SQL, so the store keeps, per repository, a sorted set of compact *facts*
(one short string per run or job, scored by creation time; written by the same Lua upsert as
the record, replaced when the record changes). A report reads each repository's span in slices of
:data:`SLICE` members with ``ZRANGEBYSCORE … LIMIT`` and folds them with the very functions the
in-memory source uses (:mod:`bot.report.org_cells`), so Python holds one slice and one
repository's cells at a time. Runs of a renamed repository (same id, several names) are read
together so their cells stay contiguous.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from bot.report.org_cells import (
    BASELINE,
    QUALITY_KEYS,
    SEP,
    WINDOW,
    BranchEvent,
    BusyCell,
    JobMinutesCell,
    OrgSpan,
    QueueCell,
    RepoIdentity,
    RunCell,
    RunFact,
    _JobAggregates,
    add_job_cells,
    add_run_quality,
    branch_events_of,
    categories_of,
    decode_job_fact,
    decode_run_fact,
    edge_ranges,
    flaky_of,
    repo_key,
    run_cells_of,
    whole_hours,
)
from bot.report.store import Diagnosis
from bot.report.times import from_epoch

#: Members read per round trip.
SLICE = 5000

#: KEYS: facts zset, id → fact hash. ARGV: cutoff. Facts scored below it go.
PRUNE_FACTS = """
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], string.match(m, '^[^\\31]*'))
end
return #members
"""

#: Adds (sign 1) or removes (-1) one job fact's counts in the hour rollups: KEYS[3] the owner's
#: pool hash ("labels␟group␟hour␟queue bucket" → jobs), KEYS[4] the repository's hash
#: (j<hour> jobs, s<hour> seconds, n<hour> without labels, k<hour> clock skew).
_ROLL = """
local function roll(fact, score, sign)
  local f = {}
  for part in string.gmatch(fact .. '\\31', '([^\\31]*)\\31') do f[#f + 1] = part end
  local hour = string.format('%d', math.floor(tonumber(score) / 3600))
  redis.call('HINCRBY', KEYS[3], f[2] .. '\\31' .. f[3] .. '\\31' .. hour .. '\\31' .. f[4], sign)
  redis.call('HINCRBY', KEYS[4], 'j' .. hour, sign)
  if f[5] ~= '' then redis.call('HINCRBYFLOAT', KEYS[4], 's' .. hour, sign * tonumber(f[5])) end
  if f[6] == '1' then redis.call('HINCRBY', KEYS[4], 'n' .. hour, sign) end
  if f[7] == '1' then redis.call('HINCRBY', KEYS[4], 'k' .. hour, sign) end
end
"""

#: KEYS: job facts zset, id → fact hash, pool rollup, repository rollup. ARGV: id, score, fact.
UPSERT_JOB_FACT = (
    _ROLL
    + """
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then
  local score = redis.call('ZSCORE', KEYS[1], old)
  if old == ARGV[3] and score and tonumber(score) == tonumber(ARGV[2]) then return 0 end
  if score then roll(old, score, -1) end
  redis.call('ZREM', KEYS[1], old)
end
roll(ARGV[3], ARGV[2], 1)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
"""
)

#: As PRUNE_FACTS, for job facts: their rollup counts go too.
PRUNE_JOB_FACTS = (
    _ROLL
    + """
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'WITHSCORES')
for i = 1, #members, 2 do
  roll(members[i], members[i + 1], -1)
  redis.call('ZREM', KEYS[1], members[i])
  redis.call('HDEL', KEYS[2], string.match(members[i], '^[^\\31]*'))
end
return #members / 2
"""
)


def owner_of(repo: str) -> str:
    return repo.split("/", 1)[0]


def _tee_runs(
    facts: Iterable[RunFact],
    span: OrgSpan,
    pushes: Counter[tuple[str, str]],
    quality: Counter[str],
) -> Iterator[RunFact]:
    """Pass facts through, counting pushes and odd records on the way."""
    for f in facts:
        if span.period(f.created) is not None:
            if f.event == "push" and f.branch and f.repo:
                pushes[(f.repo, f.branch)] += 1
            quality["runs_without_start"] += f.no_start
            quality["runs_clock_skew"] += f.skew
        yield f


class RedisOrgSource:
    """:class:`~bot.report.org_cells.OrgSource` over :class:`RedisReportStore`'s fact sets."""

    def __init__(
        self,
        redis: Any,
        key: Callable[[str, str | None], str],
        repos: Callable[[], list[str]],
        diagnoses: Callable[[str | None, datetime | None], list[Diagnosis]],
        owner: str | None = None,
    ) -> None:
        self._redis = redis
        self._key = key
        self._all = repos
        self._prefix = f"{owner}/" if owner else ""
        self._diagnoses = diagnoses
        self._runs_done: tuple[OrgSpan, Counter[tuple[str, str]], Counter[str]] | None = None
        self._jobs_done: tuple[OrgSpan, _JobAggregates] | None = None

    def close(self) -> None:
        """Nothing to release: the store owns the connection pool."""

    def __enter__(self) -> RedisOrgSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _repos(self) -> list[str]:
        return [r for r in self._all() if r.startswith(self._prefix)]

    # --- reading ------------------------------------------------------------------------------
    def _facts(self, kind: str, repo: str, span: OrgSpan) -> Iterator[tuple[bytes, float]]:
        offset = 0
        while True:
            chunk = self._redis.zrangebyscore(
                self._key(kind, repo), repr(span.baseline_start), f"({span.now!r}",
                start=offset, num=SLICE, withscores=True,
            )  # fmt: skip
            yield from chunk
            if len(chunk) < SLICE:
                return
            offset += SLICE

    def _run_facts(self, repo: str, span: OrgSpan) -> Iterator[RunFact]:
        for member, score in self._facts("org_runs", repo, span):
            yield decode_run_fact(repo, score, member.decode())

    def identities(self, span: OrgSpan) -> list[RepoIdentity]:
        out = []
        for repo in self._repos():
            if not repo:
                continue  # runs without a repository: counted in quality, never a row
            for rid, last in self._redis.hgetall(self._key("org_ids", repo)).items():
                out.append(RepoIdentity(repo, int(rid) if rid else None, float(last)))
        return sorted(out, key=str)

    def _components(self, span: OrgSpan) -> list[list[str]]:
        """Names that share a repository id (renames) are read together."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        for ident in self.identities(span):
            parent[find(f"n:{ident.name}")] = find(repo_key(ident.name, ident.repo_id))
        groups: dict[str, list[str]] = {}
        for node in list(parent):
            if node.startswith("n:"):
                groups.setdefault(find(node), []).append(node[2:])
        return [sorted(names) for _, names in sorted(groups.items())]

    # --- runs: one pass yields cells and fills push counts and quality -----------------------
    def run_cells(self, span: OrgSpan) -> Iterator[RunCell]:
        pushes: Counter[tuple[str, str]] = Counter()
        quality: Counter[str] = Counter()
        for names in self._components(span):
            # One streamed pass per repository: its facts are never all in memory at once.
            facts = (f for name in names for f in self._run_facts(name, span))
            yield from run_cells_of(_tee_runs(facts, span, pushes, quality), span)
        if "" in self._repos():
            add_run_quality(self._run_facts("", span), span, quality)
        self._runs_done = (span, pushes, quality)

    def _run_pass(self, span: OrgSpan) -> tuple[Counter[tuple[str, str]], Counter[str]]:
        if self._runs_done is None or self._runs_done[0] != span:
            for _ in self.run_cells(span):
                pass
        assert self._runs_done is not None
        return self._runs_done[1], self._runs_done[2]

    def push_counts(self, span: OrgSpan) -> list[tuple[str, str, int]]:
        pushes, _ = self._run_pass(span)
        return [(r, b, n) for (r, b), n in sorted(pushes.items())]

    def branch_events(self, span: OrgSpan, repo: str, branch: str) -> list[BranchEvent]:
        return branch_events_of(self._run_facts(repo, span), span, branch)

    # --- jobs: one pass for the four job aggregates ------------------------------------------
    def _job_pass(self, span: OrgSpan) -> _JobAggregates:
        """Whole hours from the rollups the upsert script keeps; the edges from the facts."""
        if self._jobs_done is None or self._jobs_done[0] != span:
            agg = _JobAggregates()
            repos = self._repos()
            for owner in sorted({owner_of(r) for r in repos}):
                self._add_pool_hours(owner, span, agg)
            for repo in repos:
                self._add_repo_hours(repo, span, agg)
                for lo, hi in edge_ranges(span):
                    edge = OrgSpan(lo, span.window_start, hi)
                    facts = (
                        decode_job_fact(repo, score, member.decode())
                        for member, score in self._facts("org_jobs", repo, edge)
                    )
                    add_job_cells(facts, edge, agg.minutes, agg.queue, agg.busy, agg.quality)
            self._jobs_done = (span, agg)
        return self._jobs_done[1]

    def _add_pool_hours(self, owner: str, span: OrgSpan, agg: _JobAggregates) -> None:
        lo, cut, hi = whole_hours(span)
        key = self._key("org_pool_hours", owner)
        for field, count in self._redis.hscan_iter(key, count=SLICE):
            jobs = int(count)
            labels, group, hour_text, queue_b = field.decode().split(SEP)
            hour = int(hour_text)
            if jobs <= 0 or not lo <= hour < hi or hour == cut:
                continue
            period = WINDOW if hour * 3600 >= span.window_start else BASELINE
            agg.queue[(labels, group, period, hour // 24, int(queue_b))] += jobs
            if period == WINDOW:
                agg.busy[(labels, group, (hour // 24 + 3) % 7, hour % 24)] += jobs

    def _add_repo_hours(self, repo: str, span: OrgSpan, agg: _JobAggregates) -> None:
        lo, cut, hi = whole_hours(span)
        seconds: dict[int, float] = {}
        jobs: dict[int, int] = {}
        for field, value in self._redis.hscan_iter(self._key("org_repo_hours", repo), count=SLICE):
            kind, hour = field[:1], int(field[1:])
            if not lo <= hour < hi or hour == cut:
                continue
            if kind == b"j":
                jobs[hour] = int(value)
            elif kind == b"s":
                seconds[hour] = float(value)
            elif kind == b"n":
                agg.quality["jobs_without_labels"] += int(value)
            elif kind == b"k":
                agg.quality["jobs_clock_skew"] += int(value)
        for hour, n in jobs.items():
            if n <= 0:
                continue
            period = WINDOW if hour * 3600 >= span.window_start else BASELINE
            cell = agg.minutes.setdefault((repo, period, hour // 24), [0, 0.0])
            cell[0] += n
            cell[1] += seconds.get(hour, 0.0)

    def job_minute_cells(self, span: OrgSpan) -> list[JobMinutesCell]:
        return self._job_pass(span).minute_cells()

    def queue_cells(self, span: OrgSpan) -> list[QueueCell]:
        return [QueueCell(*k, n) for k, n in sorted(self._job_pass(span).queue.items())]

    def busy_cells(self, span: OrgSpan) -> list[BusyCell]:
        return [BusyCell(*k, n) for k, n in sorted(self._job_pass(span).busy.items())]

    # --- the rest -------------------------------------------------------------------------------
    def _window_diagnoses(self, span: OrgSpan) -> list[Diagnosis]:
        mine = set(self._repos())
        since = from_epoch(span.window_start)
        return [d for d in self._diagnoses(None, since) if d.repo in mine]

    def failure_categories(self, span: OrgSpan) -> list[tuple[str, str, int]]:
        return categories_of(self._window_diagnoses(span), span)

    def flaky_tests(self, span: OrgSpan) -> list[tuple[str, str]]:
        diagnoses = self._window_diagnoses(span)
        passed: set[tuple[str, int]] = set()
        by_repo: dict[str, list[int]] = {}
        for d in diagnoses:
            by_repo.setdefault(d.repo, []).append(d.run_id)
        for repo, ids in by_repo.items():
            facts = self._redis.hmget(self._key("org_runs_m", repo), [str(i) for i in ids])
            for run_id, raw in zip(ids, facts, strict=True):
                if (
                    raw is not None
                    and decode_run_fact(repo, 0.0, raw.decode()).conclusion == "success"
                ):
                    passed.add((repo, run_id))
        return flaky_of(diagnoses, span, passed)

    def quality(self, span: OrgSpan) -> dict[str, int]:
        _, runs = self._run_pass(span)
        counts = runs + self._job_pass(span).quality
        return {k: counts[k] for k in QUALITY_KEYS}
