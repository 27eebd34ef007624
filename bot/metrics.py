"""Prometheus metrics of the service. One registry per app so tests can run several apps."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # type: ignore[no-untyped-call]  # untyped in prometheus_client; the *_created series double the output and nobody charts them

JOB_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.deliveries = Counter(
            "pitcrew_webhook_deliveries",
            "Webhook deliveries received, by event and outcome",
            ["event", "outcome"],
            registry=r,
        )
        self.queue_depth = Gauge("pitcrew_queue_depth", "Jobs queued or running", registry=r)
        self.job_duration = Histogram(
            "pitcrew_job_duration_seconds",
            "Time spent processing one job attempt",
            ["event"],
            buckets=JOB_BUCKETS,
            registry=r,
        )
        self.job_outcomes = Counter(
            "pitcrew_job_outcomes", "Job attempts by outcome", ["event", "outcome"], registry=r
        )
        self.github_calls = Counter(
            "pitcrew_github_api_calls",
            "GitHub API calls by endpoint group and status",
            ["endpoint", "status"],
            registry=r,
        )
        self.rate_limit_remaining = Gauge(
            "pitcrew_github_rate_limit_remaining",
            "Remaining GitHub API requests in the current window, per installation",
            ["installation"],
            registry=r,
        )
        self.workers_busy = Gauge("pitcrew_workers_busy", "Workers processing a job", registry=r)
        self.shadow_writes = Counter(
            "pitcrew_shadow_writes",
            "GitHub writes (API calls and pushes) suppressed by shadow mode, by feature",
            ["feature"],
            registry=r,
        )
        self.token_permissions_missing = Counter(
            "pitcrew_token_permissions_missing",
            "Installation tokens minted without a permission Pitcrew asked for, because the "
            "installation has not accepted it yet (the features needing it are skipped)",
            ["permission"],
            registry=r,
        )
        self.webhook_secret_matches = Counter(
            "pitcrew_webhook_secret_matches",
            "Deliveries accepted, by which configured webhook secret signed them (0 = newest): "
            "an old secret can be removed once its count stays at zero",
            ["secret"],
            registry=r,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
