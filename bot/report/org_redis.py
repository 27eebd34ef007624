"""The org report's cells from the Redis store: day and hour rollups kept at ingest.

Redis cannot group like SQL, so the store's upsert scripts (:mod:`bot.report.redis_lua`) keep
the groups themselves, per repository: run counts and milliseconds per (repository id, workflow,
day, outcome, duration bucket), push counts per (branch, day), odd-record counts per day; job
counts per hour (repository) and per (runner pool, hour, queue bucket) (owner). A report reads
those rollups — O(repositories × workflows × days × buckets + pools × hours × buckets) fields,
never one member per run — plus, record by record, only the *edges* of the span: the partial
days (runs) and hours (jobs) the span starts and ends inside and the one the window starts
inside. The default-branch timeline reads a per-repository set holding only decided non-PR runs.

Every cell equals what :class:`bot.report.org_cells.MemorySource` computes from the same records
(the edges are folded by the very same functions), so the report is the same from every store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from bot.report.org_cells import (
    BASELINE,
    DAY_S,
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
    RunnerCell,
    _JobAggregates,
    add_run_quality,
    categories_of,
    decode_job_fact,
    decode_run_fact,
    diagnosed_failed,
    edge_ranges,
    flaky_of,
    push_counts_of,
    repo_key,
    run_cells_of,
    whole_hours,
)
from bot.report.sketch import NO_VALUE
from bot.report.store import Diagnosis
from bot.report.times import from_epoch

#: Members read per round trip.
SLICE = 5000
#: Repositories whose rollups are read in one pipelined round trip.
BATCH = 20

_CellKey = tuple[str, str, str, int, str, int]


def _period(day: int, span: OrgSpan) -> str:
    """The period of a whole day (never the day the window starts inside)."""
    return WINDOW if day * DAY_S >= span.window_start else BASELINE


def owner_of(repo: str) -> str:
    return repo.split("/", 1)[0]


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
        self._fetched: dict[tuple[str, str], dict[bytes, bytes]] = {}

    def close(self) -> None:
        """Nothing to release: the store owns the connection pool."""

    def __enter__(self) -> RedisOrgSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _repos(self) -> list[str]:
        return [r for r in self._all() if r.startswith(self._prefix)]

    # --- reading ------------------------------------------------------------------------------
    def _members(self, zset: str, repo: str, lo: float, hi: float) -> Iterator[list[Any]]:
        """Slices of (member, score) of ``zset`` scored in [lo, hi)."""
        offset = 0
        while True:
            chunk = self._redis.zrangebyscore(
                self._key(zset, repo), repr(lo), f"({hi!r}", start=offset, num=SLICE,
                withscores=True,
            )  # fmt: skip
            if chunk:
                yield chunk
            if len(chunk) < SLICE:
                return
            offset += SLICE

    def _facts(self, kind: str, repo: str, span: OrgSpan) -> Iterator[tuple[str, float]]:
        """(fact, time) of the records of ``repo`` timed in the span: the time zset gives ids,
        the fact hash (``org_<kind>_m``) their facts."""
        for chunk in self._members(f"{kind}_t", repo, span.baseline_start, span.now):
            facts = self._redis.hmget(self._key(f"org_{kind}_m", repo), [m for m, _ in chunk])
            for fact, (_, score) in zip(facts, chunk, strict=True):
                if fact is not None:
                    yield fact.decode(), score

    def _run_facts(self, repo: str, span: OrgSpan) -> Iterator[RunFact]:
        for text, created in self._facts("runs", repo, span):
            yield decode_run_fact(repo, created, text)

    def _prefetch(self, kind: str, repos: list[str]) -> None:
        """Read the ``kind`` hashes of a batch of repositories in one round trip (rollups:
        bounded by groups, never by records); :meth:`_items` hands each out once."""
        pipe = self._redis.pipeline(transaction=False)
        for repo in repos:
            pipe.hgetall(self._key(kind, repo))
        for repo, found in zip(repos, pipe.execute() if repos else [], strict=True):
            self._fetched[(kind, repo)] = found

    def _items(self, kind: str, repo: str) -> Iterable[tuple[bytes, bytes]]:
        found = self._fetched.pop((kind, repo), None)
        if found is not None:
            return found.items()
        scanned: Iterable[tuple[bytes, bytes]] = self._redis.hscan_iter(
            self._key(kind, repo), count=SLICE
        )
        return scanned

    def identities(self, span: OrgSpan) -> list[RepoIdentity]:
        repos = [r for r in self._repos() if r]  # runs without a repository: never a row
        self._prefetch("org_ids", repos)
        out = []
        for repo in repos:
            for rid, last in self._items("org_ids", repo):
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

    # --- runs: day rollups for whole days, facts for the edges --------------------------------
    def run_cells(self, span: OrgSpan) -> Iterator[RunCell]:
        pushes: Counter[tuple[str, str]] = Counter()
        quality: Counter[str] = Counter()
        components = self._components(span)
        for index, names in enumerate(components):
            if index % BATCH == 0:
                batch = components[index : index + BATCH]
                self._prefetch("org_run_days", [n for group in batch for n in group])
            cells: dict[_CellKey, list[float]] = {}
            for name in names:
                self._add_run_days(name, span, cells, pushes, quality)
                for edge in self._run_edges(span):
                    facts = list(self._run_facts(name, edge))
                    for cell in run_cells_of(facts, edge):
                        found = cells.setdefault(cell[:6], [0, 0.0])
                        found[0] += cell.runs
                        found[1] += cell.seconds
                    pushes.update(push_counts_of(facts, edge))
                    add_run_quality(facts, edge, quality)
            yield from (RunCell(*k, int(v[0]), v[1]) for k, v in sorted(cells.items()))
        if "" in self._repos():  # runs without a repository: counted, never a row
            unnamed: dict[_CellKey, list[float]] = {}
            self._add_run_days("", span, unnamed, Counter(), quality)
            quality["runs_without_repository"] += sum(int(v[0]) for v in unnamed.values())
            for edge in self._run_edges(span):
                add_run_quality(self._run_facts("", edge), edge, quality)
        self._runs_done = (span, pushes, quality)

    @staticmethod
    def _run_edges(span: OrgSpan) -> list[OrgSpan]:
        return [OrgSpan(lo, span.window_start, hi) for lo, hi in edge_ranges(span, DAY_S)]

    def _add_run_days(
        self,
        repo: str,
        span: OrgSpan,
        cells: dict[_CellKey, list[float]],
        pushes: Counter[tuple[str, str]],
        quality: Counter[str],
    ) -> None:
        """Fold the whole days of ``repo``'s day rollup into ``cells``. Milliseconds are kept per
        (…, outcome, has a duration) and land on that group's first cell: the report only sums
        seconds per group, never per duration bucket."""
        lo, cut, hi = whole_hours(span, DAY_S)
        millis: list[tuple[str, str, int, str, str, int]] = []
        first: dict[tuple[str, str, int, str, str], int] = {}  # lowest bucket of each group
        for raw, value in self._items("org_run_days", repo):
            field = raw.decode().split(SEP)
            day = int(field[3] if field[0] in "cm" else field[-1])
            if not lo <= day < hi or day == cut:
                continue
            if field[0] == "c":
                _, rid, workflow, _, code, b_text = field
                b = int(b_text)
                key = repo_key(repo, int(rid) if rid else None)
                cell = cells.setdefault((key, workflow, _period(day, span), day, code, b), [0, 0.0])
                cell[0] += int(value)
                group = (rid, workflow, day, code, "0" if b == NO_VALUE else "1")
                first[group] = min(first.get(group, b), b)
            elif field[0] == "m":
                _, rid, workflow, _, code, has = field
                millis.append((rid, workflow, day, code, has, int(value)))
            elif field[0] == "p" and repo:
                pushes[(repo, field[1])] += int(value)
            elif field[0] == "q":
                quality["runs_without_start"] += int(value)
            elif field[0] == "k":
                quality["runs_clock_skew"] += int(value)
        for rid, workflow, day, code, has, ms in millis:
            lowest = first.get((rid, workflow, day, code, has))
            if lowest is not None:
                key = repo_key(repo, int(rid) if rid else None)
                cells[(key, workflow, _period(day, span), day, code, lowest)][1] += ms / 1000

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
        """From the set of decided non-PR runs (by creation time), not from every run."""
        out = []
        for chunk in self._members("org_pushes", repo, span.baseline_start, span.now):
            for member, _ in chunk:
                run_id, run_branch, workflow, conclusion, at = member.decode().split(SEP)
                if run_branch == branch and float(at) <= span.now:
                    out.append(BranchEvent(float(at), int(run_id), workflow, conclusion))
        return sorted(out)

    # --- jobs: one pass for the four job aggregates ------------------------------------------
    def _job_pass(self, span: OrgSpan) -> _JobAggregates:
        """Whole hours from the rollups the upsert script keeps; the edges from the facts."""
        if self._jobs_done is None or self._jobs_done[0] != span:
            agg = _JobAggregates()
            repos = self._repos()
            for owner in sorted({owner_of(r) for r in repos}):
                self._add_pool_hours(owner, span, agg)
                self._add_runner_hours(owner, span, agg)
            for index, repo in enumerate(repos):
                if index % BATCH == 0:
                    self._prefetch("org_repo_hours", repos[index : index + BATCH])
                self._add_repo_hours(repo, span, agg)
                for lo, hi in edge_ranges(span):
                    edge = OrgSpan(lo, span.window_start, hi)
                    facts = (
                        decode_job_fact(repo, score, text)
                        for text, score in self._facts("jobs", repo, edge)
                    )
                    agg.add(facts, edge)
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

    def _add_runner_hours(self, owner: str, span: OrgSpan, agg: _JobAggregates) -> None:
        """Self-hosted runners' window hours (an owner's runners serve all its repositories)."""
        lo, cut, hi = whole_hours(span)
        key = self._key("org_runner_hours", owner)
        for field, value in self._redis.hscan_iter(key, count=SLICE):
            kind, labels, group, runner, hour_text = field.decode().split(SEP)
            hour = int(hour_text)
            if not lo <= hour < hi or hour == cut or hour * 3600 < span.window_start:
                continue
            cell = agg.runners.setdefault((labels, group, runner), [0, 0.0])
            cell[0 if kind == "c" else 1] += int(value) if kind == "c" else float(value)

    def runner_cells(self, span: OrgSpan) -> list[RunnerCell]:
        return self._job_pass(span).runner_cells()

    def undiagnosed_failures(self, span: OrgSpan) -> list[tuple[str, int]]:
        """Failed window jobs (rollups + edges) less those diagnosed in the window."""
        failed = Counter(self._job_pass(span).failed)
        by_repo: dict[str, list[int]] = {}
        for repo, job_id in diagnosed_failed(self._window_diagnoses(span), span):
            by_repo.setdefault(repo, []).append(job_id)
        for repo, ids in sorted(by_repo.items()):
            pipe = self._redis.pipeline(transaction=False)
            pipe.hmget(self._key("org_jobs_m", repo), ids)
            pipe.zmscore(self._key("jobs_t", repo), ids)
            facts, scores = pipe.execute()
            for raw, at in zip(facts, scores, strict=True):
                if raw is None or at is None or span.period(at) != WINDOW:
                    continue
                failed[repo] -= decode_job_fact(repo, at, raw.decode()).failed
        return sorted((repo, n) for repo, n in failed.items() if n > 0)

    def _add_repo_hours(self, repo: str, span: OrgSpan, agg: _JobAggregates) -> None:
        lo, cut, hi = whole_hours(span)
        seconds: dict[int, float] = {}
        jobs: dict[int, int] = {}
        for field, value in self._items("org_repo_hours", repo):
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
            elif kind == b"f" and hour * 3600 >= span.window_start:
                agg.failed[repo] += int(value)
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
