"""The storage interface the report engine reads and writes, and the service's opener.

`ReportStorage` is what both backends implement: `bot.report.store.ReportStore` (SQLite, the
default) and `bot.report.redis_store.RedisReportStore` (replicas share run history).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.report.changed_paths import ChangedPaths
from bot.report.org_cells import OrgSourceHandle
from bot.report.records import JobRecord, RunRecord
from bot.report.store import Checkpoint, Diagnosis, ReportEntry, ReportStore, Retry

if TYPE_CHECKING:
    from bot.services import HasServices
    from bot.settings import Settings


class ReportStorage(Protocol):
    def close(self) -> None: ...
    def upsert_runs(self, runs: Iterable[RunRecord]) -> int: ...
    def upsert_run(self, run: RunRecord) -> None: ...
    def load_runs(
        self, repo: str | None = None, since: datetime | None = None
    ) -> list[RunRecord]: ...
    def repos(self) -> list[str]: ...
    def upsert_jobs(self, jobs: Iterable[JobRecord]) -> int: ...
    def ingest_many(
        self, runs: Iterable[RunRecord], jobs: Iterable[JobRecord]
    ) -> tuple[int, int]: ...
    def upsert_job(self, job: JobRecord) -> None: ...
    def load_jobs(
        self, repo: str | None = None, since: datetime | None = None
    ) -> list[JobRecord]: ...
    def upsert_diagnosis(self, diag: Diagnosis) -> None: ...
    def load_diagnoses(
        self, repo: str | None = None, since: datetime | None = None
    ) -> list[Diagnosis]: ...
    def record_retry(self, retry: Retry) -> bool: ...
    def load_retries(
        self, repo: str | None = None, since: datetime | None = None
    ) -> list[Retry]: ...
    def save_report(
        self,
        repo: str,
        report_id: str,
        *,
        flaky: Iterable[str] = (),
        verdict: str = "",
        created_at: datetime | None = None,
    ) -> None: ...
    def last_report(self, repo: str, before: datetime | None = None) -> ReportEntry | None: ...
    def get_checkpoint(self, repo: str) -> Checkpoint | None: ...
    def set_checkpoint(
        self,
        repo: str,
        *,
        last_run_id: int | None,
        etag: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None: ...
    def prune(self, older_than: datetime) -> dict[str, int]: ...
    def counts(self) -> dict[str, int]: ...
    def org_source(self, owner: str | None = None) -> OrgSourceHandle: ...
    def record_changed_paths(self, repo: str, change: ChangedPaths) -> None: ...
    def load_changed_paths(self, repo: str, since: datetime) -> list[ChangedPaths]: ...


def open_report_storage(settings: Settings) -> ReportStorage:
    """Redis when ``redis_url`` is set (replicas share run history), else SQLite."""
    if settings.redis_url:
        from bot.report.redis_store import RedisReportStore

        return RedisReportStore(settings.redis_url, f"pitcrew:{settings.app_id or 'dev'}")
    return ReportStore(settings.data_dir / "state.sqlite3")


def store_of(ctx: HasServices) -> ReportStorage:
    """The process's report store, opened on first use."""
    services = ctx.services
    if services.report_store is None:
        services.report_store = open_report_storage(ctx.settings)
    return services.report_store
