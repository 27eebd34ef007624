"""What a handler receives besides the event and the GitHub client: the service's parts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.commands import CommandRegistry
from bot.metrics import Metrics
from bot.repo_config import ConfigLoader, RepoConfig
from bot.retry_schedule import last_retry_due
from bot.services import Services
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.github import GitHubApp, InstallationAPI


@dataclass
class Context:
    settings: Settings
    metrics: Metrics
    config_loader: ConfigLoader
    commands: CommandRegistry = field(default_factory=CommandRegistry)
    github: GitHubApp | None = None  # None without App credentials
    delivery_id: str = ""
    services: Services = field(default_factory=Services)
    attempt: int = 1  # which attempt at this delivery's job this is
    job_created_at: float = 0.0  # when the job was queued (the outage retry budget runs from it)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def for_delivery(
        self, delivery_id: str, *, attempt: int = 1, job_created_at: float = 0.0
    ) -> Context:
        """A copy for one delivery; settings, registry and services stay shared."""
        return replace(
            self, delivery_id=delivery_id, attempt=attempt, job_created_at=job_created_at
        )

    def will_retry(self, exc: BaseException) -> float | None:
        """When the last retry of this job is due if ``exc`` fails it now and every retry fails
        the same way (`bot.retry_schedule`, the worker's own rules), or None when this failure
        is final (not retryable, or attempts and outage budget used up)."""
        from bot.dispatch import is_outage, is_retryable
        from bot.github import RetryLater

        if not is_retryable(exc):
            return None
        now = time.time()
        return last_retry_due(
            self.settings,
            attempts=self.attempt,
            created_at=self.job_created_at or now,
            now=now,
            outage=is_outage(exc),
            first_retry_at=exc.at if isinstance(exc, RetryLater) else None,
        )

    async def config(self, gh: InstallationAPI | None, payload: dict[str, Any]) -> RepoConfig:
        repo = payload.get("repository") or {}
        owner = (repo.get("owner") or {}).get("login", "")
        return await self.config_loader.load(gh, owner, repo.get("name", ""), None)
