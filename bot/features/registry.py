"""The one list of features the service runs. Add a feature here (and nowhere else)."""

from __future__ import annotations

from bot.feature import Feature, Wiring, wire
from bot.features import (
    ci_failures,
    commands,
    config_check,
    fix,
    help,
    merge_queue,
    rebase,
    reports,
    workflows,
)

FEATURES: tuple[Feature, ...] = (
    commands.FEATURE,
    config_check.FEATURE,
    help.FEATURE,
    rebase.FEATURE,
    merge_queue.FEATURE,
    ci_failures.FEATURE,
    workflows.FEATURE,
    fix.FEATURE,
    reports.FEATURE,
)


def build_wiring(features: tuple[Feature, ...] = FEATURES) -> Wiring:
    """Router, intake filters and command registry of ``features`` (default: all of them)."""
    return wire(features)
