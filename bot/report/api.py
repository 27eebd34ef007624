"""The service-facing entry point: build a report of one repository from the state store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.report.backend import ReportStorage
from bot.report.model import OpenPR, Report, ReportConfig
from bot.report.stats import analyze


def build_report_from_store(
    store: ReportStorage,
    repo: str,
    *,
    now: datetime | None = None,
    config: ReportConfig = ReportConfig(),
    open_prs: Sequence[OpenPR] | None = None,
    slos: Sequence[Any] = (),
) -> Report:
    """Load the window + baseline of ``repo`` from ``store`` and analyse it (sync: run in a thread).

    Flaky tests are compared with the flaky set of the last report saved before ``now``
    (``store.save_report``); after posting, the service should save the new one.
    """
    now = now or datetime.now(UTC)
    since = now - config.window - config.baseline
    previous = store.last_report(repo, before=now)
    return analyze(
        store.load_runs(repo, since),
        store.load_jobs(repo, since),
        now=now,
        config=config,
        repo=repo,
        diagnoses=store.load_diagnoses(repo, since),
        retries=store.load_retries(repo, since),
        previous_flaky=previous.flaky if previous else None,
        previous_report=previous.report_id if previous else None,
        open_prs=open_prs,
        slos=slos,
    )
