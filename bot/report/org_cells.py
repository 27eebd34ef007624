"""What the org report reads from a source: pre-grouped *cells*, never one object per record.

A cell is a group key and its counts (e.g. repository × workflow × day × outcome × duration
bucket → runs, seconds). Every source — exported files in memory, SQLite (``GROUP BY``), Redis
(records streamed in slices) — produces the same cells from the same records, so the engine
(:mod:`bot.report.org`) computes the same report from each, in memory that grows with the number
of groups, not with history.

Windows are half-open on creation time, as in the repository report: window = [window_start,
now), baseline = [baseline_start, window_start). Jobs are placed by their own creation time
(``created_at``, else ``started_at``).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol

from bot.report.records import FAILED, JobRecord, RunRecord
from bot.report.sketch import NO_VALUE, bucket
from bot.report.store import Diagnosis
from bot.report.times import to_epoch

DAY_S = 86400
WINDOW, BASELINE = "w", "b"
#: Outcome codes of a run: success, failed (failure/timed_out/startup_failure), cancelled,
#: other completed (skipped, neutral...), pending (not completed).
SUCCESS, FAILED_, CANCELLED, OTHER, PENDING = "s", "f", "c", "o", "p"
NO_LABELS = "(no labels)"


@dataclass(frozen=True, slots=True)
class OrgSpan:
    """Epoch seconds of the baseline start, window start and end (now)."""

    baseline_start: float
    window_start: float
    now: float

    def period(self, at: float | None) -> str | None:
        if at is None or not self.baseline_start <= at < self.now:
            return None
        return WINDOW if at >= self.window_start else BASELINE


def whole_hours(span: OrgSpan, unit: int = 3600) -> tuple[int, int | None, int]:
    """Units (epoch hours; epoch days with ``unit=DAY_S``) wholly inside the span: [lo, hi) minus
    ``cut``, the unit the window starts inside (None when it starts on a boundary). Stores keep
    rollups per hour (jobs) and per day (runs, Redis) for these."""
    lo = math.ceil(span.baseline_start / unit)
    hi = max(lo, math.floor(span.now / unit))
    cut = math.floor(span.window_start / unit)
    return lo, (cut if cut * unit != span.window_start and lo <= cut < hi else None), hi


def edge_ranges(span: OrgSpan, unit: int = 3600) -> list[tuple[float, float]]:
    """The span's parts outside :func:`whole_hours` (read record by record)."""
    lo, cut, hi = whole_hours(span, unit)
    edges = [
        (span.baseline_start, min(lo * float(unit), span.now)),
        (max(hi * float(unit), span.baseline_start), span.now),
    ]
    if cut is not None:
        edges.append((cut * float(unit), (cut + 1) * float(unit)))
    return [(a, b) for a, b in edges if a < b]


class RunCell(NamedTuple):
    repo_key: str  # see :func:`repo_key`
    workflow: str
    period: str
    day: int  # epoch day (UTC)
    outcome: str
    dur_b: int  # duration bucket, NO_VALUE when not completed
    runs: int
    seconds: float  # summed duration of completed runs


class JobMinutesCell(NamedTuple):
    repo: str
    period: str
    day: int
    jobs: int
    seconds: float  # summed duration of completed jobs


class QueueCell(NamedTuple):
    labels: str  # "self-hosted, gpu"; NO_LABELS when the job had none
    group: str  # runner group name, "" when GitHub did not report one
    period: str
    day: int
    queue_b: int  # queue-time bucket, NO_VALUE when unmeasurable
    jobs: int


class BusyCell(NamedTuple):
    labels: str
    group: str
    weekday: int  # Monday = 0
    hour: int
    jobs: int


class RunnerCell(NamedTuple):
    """Window jobs of one self-hosted runner (see :func:`self_hosted_runner`)."""

    labels: str
    group: str
    runner: str
    jobs: int
    seconds: float  # summed duration of its completed jobs


class BranchEvent(NamedTuple):
    at: float  # updated_at (else created_at) of a decided run
    run_id: int
    workflow: str
    conclusion: str


class RepoIdentity(NamedTuple):
    name: str
    repo_id: int | None
    last_created: float


class OrgSource(Protocol):
    """A place the org report reads from (files in memory, SQLite, Redis)."""

    def identities(self, span: OrgSpan) -> Iterable[RepoIdentity]: ...

    def run_cells(self, span: OrgSpan) -> Iterable[RunCell]:
        """Ordered by (repo_key, workflow, period, day)."""
        ...

    def job_minute_cells(self, span: OrgSpan) -> Iterable[JobMinutesCell]: ...

    def queue_cells(self, span: OrgSpan) -> Iterable[QueueCell]: ...

    def busy_cells(self, span: OrgSpan) -> Iterable[BusyCell]:
        """Window jobs only."""
        ...

    def push_counts(self, span: OrgSpan) -> Iterable[tuple[str, str, int]]:
        """(repo, branch, push runs) over the whole span."""
        ...

    def branch_events(self, span: OrgSpan, repo: str, branch: str) -> Iterable[BranchEvent]:
        """Decided non-PR runs of ``branch`` created in the span, by (at, run_id), at ≤ now."""
        ...

    def flaky_tests(self, span: OrgSpan) -> Iterable[tuple[str, str]]:
        """Distinct (repo, test) diagnosed flaky, or failing in a run that passed, in the window."""
        ...

    def quality(self, span: OrgSpan) -> dict[str, int]:
        """Counts of odd records in the span (see :data:`QUALITY_KEYS`)."""
        ...

    def failure_categories(self, span: OrgSpan) -> Iterable[tuple[str, str, int]]:
        """(repo, category, diagnosed failed jobs) in the window."""
        ...

    def runner_cells(self, span: OrgSpan) -> Iterable[RunnerCell]:
        """Window jobs per self-hosted runner name."""
        ...

    def undiagnosed_failures(self, span: OrgSpan) -> Iterable[tuple[str, int]]:
        """(repo, failed jobs in the window with no diagnosis made in the window)."""
        ...


class OrgSourceHandle(OrgSource, Protocol):
    """A store's source: used as a context manager (SQLite holds a read connection)."""

    def __enter__(self) -> OrgSourceHandle: ...

    def __exit__(self, *exc: object) -> None: ...


#: Bad input the org report counts and reports (never a crash, never a negative duration).
QUALITY_KEYS = (
    "runs_without_repository",
    "runs_without_start",
    "runs_clock_skew",
    "jobs_without_labels",
    "jobs_clock_skew",
)


# --- one record → its cell key (the Python definition every source must match) -----------
def outcome(run: RunRecord) -> str:
    if not run.completed:
        return PENDING
    if run.conclusion == "success":
        return SUCCESS
    if run.conclusion in FAILED:
        return FAILED_
    if run.conclusion == "cancelled":
        return CANCELLED
    return OTHER


def repo_key(name: str, repo_id: int | None) -> str:
    """Runs group by repository id (stable across renames), by name when the id is unknown.
    SQL spells it ``CASE WHEN repo_id IS NULL THEN 'name:' || repo ELSE 'id:' || repo_id END``."""
    return f"name:{name}" if repo_id is None else f"id:{repo_id}"


def label_key(labels: Sequence[str]) -> str:
    return ", ".join(labels) if labels else NO_LABELS


def labels_from_json(text: str | None) -> str:
    return label_key(json.loads(text) if text else [])


def job_time(job: JobRecord) -> float | None:
    return to_epoch(job.created_at or job.started_at)


def epoch_day(at: float) -> int:
    return int(at // DAY_S)


def weekday_hour(at: float) -> tuple[int, int]:
    """(weekday with Monday = 0, hour) in UTC; 1970-01-01 was a Thursday (3)."""
    return (int(at // DAY_S) + 3) % 7, int(at // 3600) % 24


def _skewed(start: datetime | None, end: datetime | None) -> bool:
    return start is not None and end is not None and end < start


# --- facts: the few fields of a record the org report reads -----------------------------------
class RunFact(NamedTuple):
    repo: str
    repo_id: int | None
    run_id: int
    workflow: str
    created: float
    outcome: str
    seconds: float | None  # duration of a completed run
    event: str
    branch: str
    at: float  # updated_at, else created_at
    conclusion: str
    no_start: bool  # completed without run_started_at
    skew: bool  # run_started_at before created_at


class JobFact(NamedTuple):
    repo: str
    job_id: int
    at: float | None  # created_at, else started_at
    labels: str
    group: str
    queue_b: int
    seconds: float | None  # duration of a completed job
    no_labels: bool
    skew: bool  # started_at before created_at
    failed: bool = False  # conclusion failure/timed_out/startup_failure
    runner: str = ""  # the self-hosted runner's name, "" otherwise


#: The runner group GitHub reports for its own hosted runners.
HOSTED_GROUP = "GitHub Actions"


def self_hosted_runner(j: JobRecord) -> str:
    """The runner's name when it is self-hosted (GitHub names hosted runners too, one name per
    machine: counting those would only add unbounded rows), else ""."""
    if not j.runner_name:
        return ""
    group = j.runner_group_name or ""
    return j.runner_name if "self-hosted" in j.labels or group not in ("", HOSTED_GROUP) else ""


def run_fact(r: RunRecord) -> RunFact:
    return RunFact(
        repo=r.repo,
        repo_id=r.repo_id,
        run_id=r.run_id,
        workflow=r.workflow,
        created=r.created_at.timestamp(),
        outcome=outcome(r),
        seconds=r.duration_s if r.completed else None,
        event=r.event,
        branch=r.branch or "",
        at=(r.updated_at or r.created_at).timestamp(),
        conclusion=r.conclusion or "",
        no_start=r.completed and r.run_started_at is None,
        skew=_skewed(r.created_at, r.run_started_at),
    )


def job_fact(j: JobRecord) -> JobFact:
    return JobFact(
        repo=j.repo,
        job_id=j.job_id,
        at=job_time(j),
        labels=label_key(j.labels),
        group=j.runner_group_name or "",
        queue_b=bucket(j.queue_s),
        seconds=j.duration_s if j.status == "completed" else None,
        no_labels=not j.labels,
        skew=_skewed(j.created_at, j.started_at),
        failed=j.conclusion in FAILED,
        runner=self_hosted_runner(j),
    )


SEP = "\x1f"  # ASCII unit separator: never in a workflow name, label or repository name


def _num(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _opt(text: str) -> float | None:
    return float(text) if text else None


def encode_run_fact(f: RunFact) -> str:
    """A compact string (a Redis hash value); :func:`decode_run_fact` inverts it. The last field
    is the duration bucket, so the Redis upsert script can keep the day rollups without logs."""
    return SEP.join((
        str(f.run_id), "" if f.repo_id is None else str(f.repo_id), f.workflow, f.outcome,
        _num(f.seconds), f.event, f.branch, repr(f.at), f.conclusion, str(int(f.no_start)),
        str(int(f.skew)), str(bucket(f.seconds)),
    ))  # fmt: skip


def decode_run_fact(repo: str, created: float, text: str) -> RunFact:
    # [:11]: facts written before the bucket field was added decode the same
    run_id, repo_id, workflow, code, secs, event, branch, at, concl, no_start, skew = text.split(
        SEP
    )[:11]
    return RunFact(
        repo, int(repo_id) if repo_id else None, int(run_id), workflow, created, code,
        _opt(secs), event, branch, float(at), concl, no_start == "1", skew == "1",
    )  # fmt: skip


def encode_job_fact(f: JobFact) -> str:
    return SEP.join((
        str(f.job_id), f.labels, f.group, str(f.queue_b), _num(f.seconds),
        str(int(f.no_labels)), str(int(f.skew)), str(int(f.failed)), f.runner,
    ))  # fmt: skip


def decode_job_fact(repo: str, at: float, text: str) -> JobFact:
    # facts of the older layout have no failed/runner fields: read as not failed, no runner
    job_id, labels, group, queue_b, secs, no_labels, skew, failed, runner = (
        [*text.split(SEP), "0", ""]
    )[:9]
    return JobFact(
        repo, int(job_id), at, labels, group, int(queue_b), _opt(secs), no_labels == "1",
        skew == "1", failed == "1", runner,
    )  # fmt: skip


# --- facts → cells (what MemorySource and the Redis source share) ----------------------------
def in_span(facts: Iterable[RunFact], span: OrgSpan) -> Iterator[tuple[RunFact, str]]:
    for f in facts:
        period = span.period(f.created)
        if period is not None:
            yield f, period


def jobs_in_span(facts: Iterable[JobFact], span: OrgSpan) -> Iterator[tuple[JobFact, float, str]]:
    for f in facts:
        period = span.period(f.at)
        if f.at is not None and period is not None:
            yield f, f.at, period


def run_cells_of(facts: Iterable[RunFact], span: OrgSpan) -> list[RunCell]:
    """Sorted by (repo_key, workflow, period, day, outcome, bucket), as SQL orders them."""
    cells: Counter[tuple[str, str, str, int, str, int]] = Counter()
    seconds: dict[tuple[str, str, str, int, str, int], float] = defaultdict(float)
    for f, period in in_span(facts, span):
        if not f.repo:
            continue
        group = repo_key(f.repo, f.repo_id)
        key = (group, f.workflow, period, epoch_day(f.created), f.outcome, bucket(f.seconds))
        cells[key] += 1
        seconds[key] += f.seconds or 0.0
    return [RunCell(*key, cells[key], seconds[key]) for key in sorted(cells)]


def add_job_cells(
    facts: Iterable[JobFact],
    span: OrgSpan,
    minutes: dict[tuple[str, str, int], list[float]],
    queue: Counter[tuple[str, str, str, int, int]],
    busy: Counter[tuple[str, str, int, int]],
    quality: Counter[str],
    runners: dict[tuple[str, str, str], list[float]] | None = None,
    failed: Counter[str] | None = None,
) -> None:
    """Fold job facts into the job aggregates (repositories may arrive one by one)."""
    for f, at, period in jobs_in_span(facts, span):
        cell = minutes.setdefault((f.repo, period, epoch_day(at)), [0, 0.0])
        cell[0] += 1
        cell[1] += f.seconds or 0.0
        queue[(f.labels, f.group, period, epoch_day(at), f.queue_b)] += 1
        if period == WINDOW:
            busy[(f.labels, f.group, *weekday_hour(at))] += 1
            if failed is not None and f.failed:
                failed[f.repo] += 1
            if runners is not None and f.runner:
                cell = runners.setdefault((f.labels, f.group, f.runner), [0, 0.0])
                cell[0] += 1
                cell[1] += f.seconds or 0.0
        quality["jobs_without_labels"] += f.no_labels
        quality["jobs_clock_skew"] += f.skew


def add_run_quality(facts: Iterable[RunFact], span: OrgSpan, quality: Counter[str]) -> None:
    for f, _ in in_span(facts, span):
        quality["runs_without_repository"] += not f.repo
        quality["runs_without_start"] += f.no_start
        quality["runs_clock_skew"] += f.skew


def push_counts_of(facts: Iterable[RunFact], span: OrgSpan) -> Counter[tuple[str, str]]:
    return Counter(
        (f.repo, f.branch)
        for f, _ in in_span(facts, span)
        if f.event == "push" and f.branch and f.repo
    )


def branch_events_of(facts: Iterable[RunFact], span: OrgSpan, branch: str) -> list[BranchEvent]:
    return sorted(
        BranchEvent(f.at, f.run_id, f.workflow, f.conclusion)
        for f, _ in in_span(facts, span)
        if f.branch == branch
        and f.event != "pull_request"
        and f.outcome in (SUCCESS, FAILED_)
        and f.at <= span.now
    )


def identities_of(facts: Iterable[RunFact]) -> dict[tuple[str, int | None], float]:
    """Latest creation time per (name, id) over every run held (not only the span)."""
    last: dict[tuple[str, int | None], float] = {}
    for f in facts:
        if f.repo:
            key = (f.repo, f.repo_id)
            last[key] = max(last.get(key, f.created), f.created)
    return last


def _owned_by(owner: str | None) -> Callable[[str], bool]:
    prefix = f"{owner}/" if owner else ""
    return lambda repo: repo.startswith(prefix)


class MemorySource:
    """Cells computed in Python from records in memory (exported files; the reference the store
    sources are tested against)."""

    def __init__(
        self,
        runs: Iterable[RunRecord],
        jobs: Iterable[JobRecord] = (),
        diagnoses: Iterable[Diagnosis] = (),
        owner: str | None = None,
    ) -> None:
        """``owner``: only that account's repositories (``owner/…``); None: every one."""
        mine = _owned_by(owner)
        self.runs = [run_fact(r) for r in runs if mine(r.repo)]
        self.jobs = [job_fact(j) for j in jobs if mine(j.repo)]
        self.diagnoses = [d for d in diagnoses if mine(d.repo)]
        self._jobs_cache: tuple[OrgSpan, _JobAggregates] | None = None

    def _job_aggregates(self, span: OrgSpan) -> _JobAggregates:
        if self._jobs_cache is None or self._jobs_cache[0] != span:
            agg = _JobAggregates()
            agg.add(self.jobs, span)
            self._jobs_cache = (span, agg)
        return self._jobs_cache[1]

    def identities(self, span: OrgSpan) -> list[RepoIdentity]:
        last = identities_of(self.runs)
        return [RepoIdentity(n, rid, at) for (n, rid), at in sorted(last.items(), key=str)]

    def run_cells(self, span: OrgSpan) -> list[RunCell]:
        return run_cells_of(self.runs, span)

    def job_minute_cells(self, span: OrgSpan) -> list[JobMinutesCell]:
        return self._job_aggregates(span).minute_cells()

    def queue_cells(self, span: OrgSpan) -> list[QueueCell]:
        return [QueueCell(*k, n) for k, n in sorted(self._job_aggregates(span).queue.items())]

    def busy_cells(self, span: OrgSpan) -> list[BusyCell]:
        return [BusyCell(*k, n) for k, n in sorted(self._job_aggregates(span).busy.items())]

    def push_counts(self, span: OrgSpan) -> list[tuple[str, str, int]]:
        return [(r, b, n) for (r, b), n in sorted(push_counts_of(self.runs, span).items())]

    def branch_events(self, span: OrgSpan, repo: str, branch: str) -> list[BranchEvent]:
        return branch_events_of((f for f in self.runs if f.repo == repo), span, branch)

    def flaky_tests(self, span: OrgSpan) -> list[tuple[str, str]]:
        passed = {(f.repo, f.run_id) for f in self.runs if f.conclusion == "success"}
        return flaky_of(self.diagnoses, span, passed)

    def failure_categories(self, span: OrgSpan) -> list[tuple[str, str, int]]:
        return categories_of(self.diagnoses, span)

    def quality(self, span: OrgSpan) -> dict[str, int]:
        counts = Counter(self._job_aggregates(span).quality)
        add_run_quality(self.runs, span, counts)
        return {k: counts[k] for k in QUALITY_KEYS}

    def runner_cells(self, span: OrgSpan) -> list[RunnerCell]:
        return self._job_aggregates(span).runner_cells()

    def undiagnosed_failures(self, span: OrgSpan) -> list[tuple[str, int]]:
        diagnosed = diagnosed_failed(self.diagnoses, span)
        failed = Counter(
            f.repo for f, _, period in jobs_in_span(self.jobs, span)
            if period == WINDOW and f.failed and (f.repo, f.job_id) not in diagnosed
        )  # fmt: skip
        return sorted(failed.items())


def diagnosed_failed(diagnoses: Iterable[Diagnosis], span: OrgSpan) -> set[tuple[str, int]]:
    """(repo, job id) of diagnoses made in the window."""
    return {(d.repo, d.job_id) for d in diagnoses if span.period(to_epoch(d.created_at)) == WINDOW}


def categories_of(diagnoses: Iterable[Diagnosis], span: OrgSpan) -> list[tuple[str, str, int]]:
    counts = Counter(
        (d.repo, d.category) for d in diagnoses if span.period(to_epoch(d.created_at)) == WINDOW
    )
    return [(repo, category, n) for (repo, category), n in sorted(counts.items())]


def flaky_of(
    diagnoses: Iterable[Diagnosis], span: OrgSpan, passed: set[tuple[str, int]]
) -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for d in diagnoses:
        if span.period(to_epoch(d.created_at)) != WINDOW:
            continue
        if d.flaky or (d.repo, d.run_id) in passed:
            found.update((d.repo, test) for test in d.failing_tests)
    return sorted(found)


@dataclass(slots=True)
class _JobAggregates:
    minutes: dict[tuple[str, str, int], list[float]] = field(default_factory=dict)
    queue: Counter[tuple[str, str, str, int, int]] = field(default_factory=Counter)
    busy: Counter[tuple[str, str, int, int]] = field(default_factory=Counter)
    quality: Counter[str] = field(default_factory=Counter)
    runners: dict[tuple[str, str, str], list[float]] = field(default_factory=dict)
    failed: Counter[str] = field(default_factory=Counter)  # window failed jobs per repository

    def add(self, facts: Iterable[JobFact], span: OrgSpan) -> None:
        add_job_cells(facts, span, self.minutes, self.queue, self.busy, self.quality,
                      self.runners, self.failed)  # fmt: skip

    def runner_cells(self) -> list[RunnerCell]:
        return [RunnerCell(*k, int(n), s) for k, (n, s) in sorted(self.runners.items())]

    def minute_cells(self) -> list[JobMinutesCell]:
        return [
            JobMinutesCell(*key, int(n), seconds)
            for key, (n, seconds) in sorted(self.minutes.items())
        ]


__all__ = [
    "NO_LABELS",
    "NO_VALUE",
    "BranchEvent",
    "BusyCell",
    "JobMinutesCell",
    "MemorySource",
    "OrgSource",
    "OrgSpan",
    "QueueCell",
    "RepoIdentity",
    "RunCell",
    "RunnerCell",
]
