"""CI metrics for Prometheus (``pitcrew_ci_*``), fed from completed runs and jobs.

The service calls ``observe_job(record, registry=app_metrics.registry)`` from its
``workflow_job.completed`` handler (and ``observe_run`` for ``workflow_run.completed``); the
collectors are created once per registry. Label cardinality is bounded on purpose: matrix
suffixes are stripped from job names (``test (3.11, ubuntu)`` → ``test``) and labels are cut to
a fixed length, so a big matrix cannot blow up the time-series database.
"""

from __future__ import annotations

import re
import threading
import weakref

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram

from bot.report.records import FAILED, JobRecord, RunRecord

#: CI jobs last seconds to hours.
DURATION_BUCKETS = (10, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 14400)
#: Queueing for a runner: seconds to an hour.
QUEUE_BUCKETS = (1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600)
MAX_LABEL = 80

_MATRIX = re.compile(r"\s*\([^()]*\)\s*$")


def job_label(name: str) -> str:
    """A job name without its matrix suffix, cut to a bounded length."""
    return _MATRIX.sub("", name)[:MAX_LABEL] or name[:MAX_LABEL]


class CIMetrics:
    """The pitcrew_ci_* collectors registered in one registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.job_duration = Histogram(
            "pitcrew_ci_job_duration_seconds",
            "Duration of completed CI jobs",
            ["repo", "workflow", "job", "conclusion"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.job_queue = Histogram(
            "pitcrew_ci_job_queue_seconds",
            "Time CI jobs waited for a runner",
            ["repo", "workflow", "runner"],
            buckets=QUEUE_BUCKETS,
            registry=registry,
        )
        self.job_failures = Counter(
            "pitcrew_ci_job_failures",
            "Failed CI jobs by diagnosed category ('undiagnosed' when unknown)",
            ["repo", "workflow", "category"],
            registry=registry,
        )
        self.run_duration = Histogram(
            "pitcrew_ci_run_duration_seconds",
            "Duration of completed workflow runs",
            ["repo", "workflow", "conclusion"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.run_queue = Histogram(
            "pitcrew_ci_run_queue_seconds",
            "Time from workflow run creation to start (first attempts)",
            ["repo", "workflow"],
            buckets=QUEUE_BUCKETS,
            registry=registry,
        )


_by_registry: weakref.WeakKeyDictionary[CollectorRegistry, CIMetrics] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def ci_metrics(registry: CollectorRegistry | None = None) -> CIMetrics:
    """The CIMetrics of ``registry`` (default: prometheus_client's global REGISTRY)."""
    reg = registry if registry is not None else REGISTRY
    with _lock:
        found = _by_registry.get(reg)
        if found is None:
            found = _by_registry[reg] = CIMetrics(reg)
        return found


def _runner(labels: tuple[str, ...]) -> str:
    # "self-hosted" alone says little; prefer the most specific label.
    specific = [lb for lb in labels if lb != "self-hosted"]
    return (specific[0] if specific else labels[0] if labels else "unknown")[:MAX_LABEL]


def observe_job(
    record: JobRecord, registry: CollectorRegistry | None = None, *, count_failure: bool = True
) -> None:
    """Record one completed job (durations, queue time, failure category). No-op otherwise.

    Pass ``count_failure=False`` when the diagnosis comes later and call ``observe_failure``
    with its category then, so each failure is counted once with the right category.
    """
    if record.status != "completed":
        return
    m = ci_metrics(registry)
    workflow = (record.workflow or "?")[:MAX_LABEL]
    conclusion = record.conclusion or "unknown"
    if record.duration_s is not None and conclusion != "skipped":
        m.job_duration.labels(record.repo, workflow, job_label(record.name), conclusion).observe(
            record.duration_s
        )
    if record.queue_s is not None and conclusion != "skipped":
        m.job_queue.labels(record.repo, workflow, _runner(record.labels)).observe(record.queue_s)
    if count_failure and conclusion in FAILED:
        m.job_failures.labels(record.repo, workflow, record.category or "undiagnosed").inc()


def observe_failure(
    repo: str, workflow: str, category: str | None, registry: CollectorRegistry | None = None
) -> None:
    """Count one failed job under its diagnosed category."""
    ci_metrics(registry).job_failures.labels(
        repo, (workflow or "?")[:MAX_LABEL], (category or "undiagnosed")[:MAX_LABEL]
    ).inc()


def observe_run(record: RunRecord, registry: CollectorRegistry | None = None) -> None:
    """Record one completed workflow run. No-op for runs still in progress."""
    if not record.completed:
        return
    m = ci_metrics(registry)
    workflow = record.workflow[:MAX_LABEL]
    if record.duration_s is not None:
        m.run_duration.labels(record.repo, workflow, record.conclusion or "unknown").observe(
            record.duration_s
        )
    if record.queue_s is not None:
        m.run_queue.labels(record.repo, workflow).observe(record.queue_s)
