"""What a handler receives besides the event and the GitHub client: the service's parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.metrics import Metrics
from bot.repo_config import ConfigLoader, RepoConfig
from bot.settings import Settings


@dataclass
class Context:
    settings: Settings
    metrics: Metrics
    config_loader: ConfigLoader
    github: Any = None  # bot.github.GitHubApp, None without App credentials
    delivery_id: str = ""
    services: dict[str, Any] = field(default_factory=dict)

    @property
    def data_dir(self):
        return self.settings.data_dir

    def for_delivery(self, delivery_id: str) -> Context:
        return Context(
            settings=self.settings,
            metrics=self.metrics,
            config_loader=self.config_loader,
            github=self.github,
            delivery_id=delivery_id,
            services=self.services,
        )

    async def config(self, gh: Any, payload: dict[str, Any]) -> RepoConfig:
        repo = payload.get("repository") or {}
        owner = (repo.get("owner") or {}).get("login", "")
        return await self.config_loader.load(gh, owner, repo.get("name", ""), None)
