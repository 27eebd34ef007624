"""What a handler receives besides the event and the GitHub client: the service's parts."""

from __future__ import annotations

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

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def for_delivery(self, delivery_id: str) -> Context:
        """A copy for one delivery; settings, registry and services stay shared."""
        return replace(self, delivery_id=delivery_id)

    async def config(self, gh: InstallationAPI | None, payload: dict[str, Any]) -> RepoConfig:
        repo = payload.get("repository") or {}
        owner = (repo.get("owner") or {}).get("login", "")
        return await self.config_loader.load(gh, owner, repo.get("name", ""), None)
