"""What one step's lines showed, gathered during the single streaming pass.

Its own module because both the verdict (in :mod:`bot.diagnose.engine`) and the key-line
selection (:mod:`bot.diagnose.keylines`) read it; neither needs the other to do so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields

from .extractors import TestCollector
from .hints import HintCollector
from .logreader import LogLine
from .rules import Rule
from .scorer import TopLines

# matched lines kept per rule and step (key lines show at most this many of one rule)
PER_RULE_LINES = 5

# A wrapper that re-runs a failed command prints a marker between two attempts. Each
# attempt runs the whole command again, so the last one is what failed the job: what the
# earlier ones printed (tests that failed and then passed or were not reached, an error a
# later attempt got past) is superseded. travis_retry (travis-build's bash function):
# ``The command "…" failed. Retrying, 2 of 3.``; the nick-fields/retry action: ``Attempt 1
# failed. Reason: …`` (a ``##[warning]`` with ``warning_on_retry``); kadwanev/retry:
# ``Before retry #1: sleeping 0.3 seconds``. The reader always lets these lines through.
RETRY_MARKERS: tuple[tuple[str, bool], ...] = (
    (r'^The command ".*" failed\. Retrying, \d+ of \d+\.$', False),
    (r"^(?:##\[warning\])?Attempt \d+ failed\. Reason: ", False),
    (r"^Before retry #\d+: sleeping \d+(?:\.\d+)? seconds$", False),
)
_RETRY = re.compile("|".join(f"(?:{pattern})" for pattern, _ in RETRY_MARKERS))
# a shell that cannot find a script named relative to the working directory
# (``job_stages: line 98: ./run.pl: No such file or directory``, exit 127)
_OWN_SCRIPT_MISSING = re.compile(r"(?:^|: )\.\.?/[^\s:]+: No such file or directory$")


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

    def only_own_script_missing(self, besides: Collection[str] = ()) -> bool:
        """Every rule match of the step (but those of the rules ``besides``: its exit
        status) is a shell not finding ``./script``, and no test failed: the working
        directory is not what the command expected, which an earlier failed command (a
        ``cd``, a checkout, a build that makes the script) explains."""
        lines = [line for r, kept in self.matches.items() if r not in besides for line in kept]
        return (
            bool(lines)
            and not self.tests.tests()
            and all(_OWN_SCRIPT_MISSING.search(line.text) for line in lines)
        )

    def retried(self, line: LogLine) -> bool:
        """``line`` is a retry wrapper's marker between two attempts of the step's command:
        the evidence so far belonged to an attempt that was superseded and is forgotten.
        Not in a Travis ``after_failure``/``after_script`` command's output attached to the
        failed step (its own ``travis_retry`` re-runs that command, not the failed one)."""
        if line.after or not _RETRY.match(line.text):
            return False
        fresh = StepEvidence(self.step)
        for f in fields(self):
            setattr(self, f.name, getattr(fresh, f.name))
        return True

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
