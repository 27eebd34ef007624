"""Workflow optimizer engine: propose faster, safer GitHub Actions YAML as minimal diffs.

The engine never re-serialises YAML: it parses to locate things (with positions) and applies
small textual edits to the original text, so every line no rule meant to change stays
byte-identical. Public entry points live in :mod:`bot.optimize.engine`.
"""

from .engine import (
    RULE_IDS,
    Finding,
    OptimizeConfig,
    OptimizeError,
    OptimizeResult,
    RunHistory,
    optimize_files,
    optimize_repository,
    optimize_text,
)
from .render import render_markdown, review_suggestions

__all__ = [
    "RULE_IDS",
    "Finding",
    "OptimizeConfig",
    "OptimizeError",
    "OptimizeResult",
    "RunHistory",
    "optimize_files",
    "optimize_repository",
    "optimize_text",
    "render_markdown",
    "review_suggestions",
]
