"""Event wiring: one gidgethub router per feature, merged by `bot.dispatch.build_router`."""

from __future__ import annotations

import importlib

from gidgethub import routing

# Feature modules; each exposes `router`. Missing optional ones are skipped.
FEATURE_MODULES = (
    "bot.features.commands",
    "bot.features.config_check",
    "bot.features.help",
    "bot.features.rebase",
    "bot.features.ci_failures",
    "bot.features.workflows",
    "bot.features.reports",
)


def _load() -> list[routing.Router]:
    routers = []
    for name in FEATURE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        routers.append(module.router)
    return routers


ROUTERS = _load()
