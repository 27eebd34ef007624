"""What a feature contributes, and the wiring built from the list of features at start-up.

Each feature module declares one module-level ``FEATURE = Feature(...)`` value (Prow's plugin
style); ``bot.features.registry`` lists the modules and calls `wire`. Nothing is registered as a
side effect of importing a module, so what the service routes, filters and answers is exactly
what that list says, whatever the import order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from gidgethub import routing, sansio

from bot.commands import Command, CommandRegistry

#: A cheap check over a delivery's payload (and the wired commands) that keeps deliveries no
#: handler would act on out of the queue. All filters for an event must pass.
IntakeFilter = Callable[[dict[str, Any], CommandRegistry], bool]
LEVELS = {"read": 1, "write": 2, "admin": 3}


@dataclass(frozen=True)
class Feature:
    """One feature's contribution: webhook handlers, intake filters and slash commands."""

    name: str
    router: routing.Router = field(default_factory=routing.Router)
    intake_filters: Mapping[str, Sequence[IntakeFilter]] = field(default_factory=dict)
    commands: Sequence[Command] = ()
    #: what its handlers and commands do on GitHub, e.g. ``{"issues": "write"}``: a job's token
    #: is minted with only the permissions of the features that handle its event
    permissions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Wiring:
    """The merged contributions of every wired feature."""

    features: tuple[Feature, ...]
    router: routing.Router
    intake_filters: Mapping[str, tuple[IntakeFilter, ...]]
    commands: CommandRegistry

    def permissions_for(self, event: sansio.Event) -> dict[str, str]:
        """The union of the permissions of the features that handle ``event``. Slash commands
        are not in it: each command runs with a token of its own feature's permissions."""
        handling = [f for f in self.features if f.router.fetch(event)]
        merged: dict[str, str] = {}
        for feature in handling:
            for name, level in feature.permissions.items():
                if LEVELS.get(level, 0) > LEVELS.get(merged.get(name, ""), 0):
                    merged[name] = level
        return merged


class DuplicateFeature(ValueError):
    """The same feature is listed twice."""


def wire(features: Iterable[Feature]) -> Wiring:
    """Merge features; a duplicate feature or command name raises here, at start-up."""
    listed = tuple(features)
    names = [feature.name for feature in listed]
    if len(set(names)) != len(names):
        raise DuplicateFeature(f"a feature is listed twice: {names}")
    filters: dict[str, tuple[IntakeFilter, ...]] = {}
    for feature in listed:
        for event, checks in feature.intake_filters.items():
            filters[event] = (*filters.get(event, ()), *checks)
    return Wiring(
        features=listed,
        router=routing.Router(*(feature.router for feature in listed)),
        intake_filters=filters,
        commands=CommandRegistry(
            replace(cmd, permissions=dict(feature.permissions)) if feature.permissions else cmd
            for feature in listed
            for cmd in feature.commands
        ),
    )
