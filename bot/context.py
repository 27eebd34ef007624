"""What a handler receives besides the event and the GitHub client: the service's parts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.commands import CommandRegistry
from bot.metrics import Metrics
from bot.repo_config import ConfigLoader, RepoConfig
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
        """When the queue gives up retrying this job if ``exc`` fails it now (a time), or None
        when this failure is final (not retryable, or attempts and outage budget used up)."""
        from bot.dispatch import is_outage, is_retryable

        if not is_retryable(exc):
            return None
        settings = self.settings
        started = self.job_created_at or time.time()
        if is_outage(exc) and time.time() < started + settings.outage_retry_s:
            return started + settings.outage_retry_s
        if self.attempt < settings.max_attempts:
            return started + settings.outage_retry_s
        return None

    async def config(self, gh: InstallationAPI | None, payload: dict[str, Any]) -> RepoConfig:
        repo = payload.get("repository") or {}
        owner = (repo.get("owner") or {}).get("login", "")
        return await self.config_loader.load(gh, owner, repo.get("name", ""), None)
