"""What one step's lines showed, gathered during the single streaming pass.

Its own module because both the verdict (in :mod:`bot.diagnose.engine`) and the key-line
selection (:mod:`bot.diagnose.keylines`) read it; neither needs the other to do so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .extractors import TestCollector
from .hints import HintCollector
from .logreader import LogLine
from .rules import Rule
from .scorer import TopLines

# matched lines kept per rule and step (key lines show at most this many of one rule)
PER_RULE_LINES = 5


@dataclass
class StepEvidence:
    """Per-step evidence: rule matches (and where a rule was recovered from), failing
    tests, the generic scorer's best lines and hints, kept only while the step may matter."""

    step: int
    matches: dict[str, list[LogLine]] = field(default_factory=dict)
    last_match: dict[str, int] = field(default_factory=dict)
    recovered_at: dict[str, int] = field(default_factory=dict)
    tests: TestCollector = field(default_factory=TestCollector)
    generic: TopLines = field(default_factory=TopLines)
    hints: HintCollector = field(default_factory=HintCollector)
    seen: int = 0
    # rules with ``after`` whose report section has started in this step
    opened: set[str] = field(default_factory=set)

    def add(self, rule: Rule, line: LogLine) -> None:
        kept = self.matches.setdefault(rule.id, [])
        if len(kept) < PER_RULE_LINES:
            kept.append(line)
        self.last_match[rule.id] = line.number

    def recover(self, line: LogLine, by_id: Callable[[str], Rule | None]) -> None:
        """A rule's ``recovered_by`` line after its last match cancels it (retried, then
        succeeded) — when the same command printed it: a Travis ``after_script`` command's
        output, attached to the failed command's step, cannot undo that command's failure."""
        if line.after:
            return
        for rule_id, last in self.last_match.items():
            known = by_id(rule_id)
            if (
                known is not None
                and known.compiled_recovery
                and line.number > last
                and known.recovered(line.text)
            ):
                self.recovered_at[rule_id] = line.number
