"""The org report as Prometheus gauges: ``pitcrew_ci_repo_*`` by repository and
``pitcrew_ci_runner_*`` by runner label, for Grafana's "Organisation" row.

Cardinality is capped by configuration: the ``top_repos`` repositories by CI minutes (and the
``top_runners`` pools by jobs) get their own series, everything else is summed into ``other``.
Series of repositories that dropped out are removed on the next publish.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence

from prometheus_client import REGISTRY, CollectorRegistry, Gauge

from bot.report.org_model import OrgReport, RepoStats, RunnerStats

OTHER = "other"


class OrgMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        def gauge(name: str, doc: str, label: str) -> Gauge:
            return Gauge(name, doc, [label], registry=registry)

        self.repo_minutes = gauge("pitcrew_ci_repo_minutes", "CI minutes in the report window",
                                  "repository")  # fmt: skip
        self.repo_runs = gauge("pitcrew_ci_repo_runs", "Workflow runs in the report window",
                               "repository")  # fmt: skip
        self.repo_red = gauge("pitcrew_ci_repo_default_branch_red_seconds",
                              "How long the default branch has been red (0 = green)",
                              "repository")  # fmt: skip
        self.runner_jobs = gauge("pitcrew_ci_runner_jobs", "Jobs in the report window",
                                 "runner_label")  # fmt: skip
        self.runner_p95 = gauge("pitcrew_ci_runner_queue_p95_seconds",
                                "p95 time jobs waited for a runner, report window",
                                "runner_label")  # fmt: skip
        self.runner_base = gauge("pitcrew_ci_runner_queue_baseline_p95_seconds",
                                 "p95 time jobs waited for a runner, baseline",
                                 "runner_label")  # fmt: skip


_by_registry: weakref.WeakKeyDictionary[CollectorRegistry, OrgMetrics] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def org_metrics(registry: CollectorRegistry | None = None) -> OrgMetrics:
    reg = registry if registry is not None else REGISTRY
    with _lock:
        found = _by_registry.get(reg)
        if found is None:
            found = _by_registry[reg] = OrgMetrics(reg)
        return found


def _capped_repos(repos: Sequence[RepoStats], top: int) -> dict[str, tuple[float, int, float]]:
    ranked = sorted(repos, key=lambda r: (-r.ci_minutes, r.repo))
    out = {r.repo: (r.ci_minutes, r.runs, r.default_branch_red_s or 0.0) for r in ranked[:top]}
    rest = ranked[top:]
    if rest:
        out[OTHER] = (
            sum(r.ci_minutes for r in rest),
            sum(r.runs for r in rest),
            max(r.default_branch_red_s or 0.0 for r in rest),
        )
    return out


def _capped_runners(
    runners: Sequence[RunnerStats], top: int
) -> dict[str, tuple[int, float | None, float | None]]:
    ranked = sorted(runners, key=lambda r: (-r.jobs, r.label))
    out: dict[str, tuple[int, float | None, float | None]] = {}
    for r in ranked[:top]:
        name = f"{r.label} ({r.group})" if r.group else r.label
        out[name] = (r.jobs, r.p95_queue_s, r.baseline_p95_queue_s)
    rest = ranked[top:]
    if rest:
        worst = [r.p95_queue_s for r in rest if r.p95_queue_s is not None]
        base = [r.baseline_p95_queue_s for r in rest if r.baseline_p95_queue_s is not None]
        out[OTHER] = (sum(r.jobs for r in rest), max(worst, default=None), max(base, default=None))
    return out


def publish_org_metrics(
    report: OrgReport,
    registry: CollectorRegistry | None = None,
    *,
    top_repos: int = 20,
    top_runners: int = 10,
) -> None:
    """Replace the org gauges with ``report``'s numbers (at most top + 1 series each)."""
    m = org_metrics(registry)
    for g in (m.repo_minutes, m.repo_runs, m.repo_red, m.runner_jobs, m.runner_p95,
              m.runner_base):  # fmt: skip
        g.clear()
    for repo, (minutes, runs, red) in _capped_repos(report.repositories, top_repos).items():
        m.repo_minutes.labels(repo).set(minutes)
        m.repo_runs.labels(repo).set(runs)
        m.repo_red.labels(repo).set(red)
    for label, (jobs, p95, base) in _capped_runners(report.runners, top_runners).items():
        m.runner_jobs.labels(label).set(jobs)
        if p95 is not None:
            m.runner_p95.labels(label).set(p95)
        if base is not None:
            m.runner_base.labels(label).set(base)
