"""What one step's lines showed, gathered during the single streaming pass.

Its own module because both the verdict (in :mod:`bot.diagnose.engine`) and the key-line
selection (:mod:`bot.diagnose.keylines`) read it; neither needs the other to do so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields

from .extractors import TestCollector
from .frames import ThrownFrames
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
# bash's report of a child that a signal ended (``compile: line 9:    16 Killed
# cabal build``, ``run.sh: line 3: 812 Segmentation fault (core dumped) ./t``); a ``set -x``
# trace of ``true`` (or ``:``) a few lines below it (``time``'s three lines may come
# between) is the script's ``cmd || true``: it tolerated the kill and went on, so the kill
# is not the failure.
_JOB_STATUS = re.compile(r"\bline \d+: +\d+ [A-Z][a-z]+(?: [a-z]+)*(?: \(core dumped\))? +\S")
_TOLERATED = r"^\+{1,3} (?:true|:)$"
_TOLERATED_RE = re.compile(_TOLERATED)
_TOLERATED_WITHIN = 8
# lines the reader must always let through for this module
WATCH_MARKERS: tuple[tuple[str, bool], ...] = (*RETRY_MARKERS, (_TOLERATED, False))


# a linter finding's check code at the end of its line: staticcheck's ``(U1000)``,
# golangci-lint's ``(errcheck)``, ShellCheck's ``[SC2086]``
_FINDING_CODE = re.compile(r"[(\[]([A-Za-z][\w-]*)[)\]]$")
# a type checker run by a linter gives all its findings one code (staticcheck's
# ``(compile)``, golangci-lint's ``(typecheck)``): the message's first words (``undefined``,
# ``cannot range``) tell its kinds apart
_TYPE_CHECK_CODES = frozenset({"compile", "typecheck"})
_FINDING_MESSAGE = re.compile(r":\d+(?::\d+)?: (\w+(?: \w+)?)")


def _finding_kind(text: str) -> str | None:
    code = _FINDING_CODE.search(text.rstrip())
    if code is None:
        return None
    if code.group(1) in _TYPE_CHECK_CODES:
        message = _FINDING_MESSAGE.search(text)
        if message:
            return f"{code.group(1)} {message.group(1)}"
    return code.group(1)


def make_room_for_new_code(kept: list[LogLine], line: LogLine) -> None:
    """A rule's kept lines are full, and ``line`` is a finding of a check none of them
    shows (after eighteen ``unused (U1000)``, an ``empty branch (SA9003)``): it takes the
    place of the last kept line whose check an earlier kept line already shows, so the
    key lines show each kind of finding once before a second of one kind."""
    code = _finding_kind(line.text)
    if code is None:
        return
    shown = [_finding_kind(k.text) for k in kept]
    if code in shown:
        return
    for i in range(len(kept) - 1, 0, -1):
        if shown[i] is not None and shown[i] in shown[:i]:
            del kept[i]
            kept.append(line)
            return


# the nested report under a ``cause_below`` head ends at a blank line, or after this many
# lines (a paste cut short, a report with no blank line after it)
BELOW_LINES = 30
_NESTED = re.compile(r"^(\s*)(>\s)?")


@dataclass
class Below:
    """The nested report under a rule's ``cause_below`` head, read line by line: its
    innermost line is the cause. Gradle marks each level of its cause chain with ``> `` and
    three more spaces (``Execution failed for task ':a:b'.`` / ``> A failure occurred while
    executing …`` / ``   > Found more than one jar …``): the most indented ``> `` line is the
    root cause, and unmarked lines under it (``Required by:``) continue it; without any
    marker (a paste whose markdown ate them, bundler's requirement under ``… which depends
    on``) the most indented line is. The first of equals wins: the first root cause."""

    rule: Rule
    last: int  # the line number read last: a line not right after it is not in the report
    best: LogLine | None = None
    depth: tuple[bool, int] = (False, -1)
    read: int = 0
    first: LogLine | None = None  # the report's own first line: what failed, in its words

    def feed(self, line: LogLine) -> bool:
        """Read the next line; False once the report has ended (the line is not in it)."""
        text = line.text
        if line.number != self.last + 1 or not text.strip() or self.read >= BELOW_LINES:
            return False
        self.last, self.read = line.number, self.read + 1
        self.first = self.first or line
        m = _NESTED.match(text)
        depth = (m is not None and m.group(2) is not None, len(m.group(1)) if m else 0)
        if depth > self.depth:
            self.best, self.depth = line, depth
        return True


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
    # the retry marker after which the attempt read now began (the step's tail, offered to
    # ``generic`` again at its end, still holds the earlier attempts' lines)
    retried_at: int = 0
    hints: HintCollector = field(default_factory=HintCollector)
    seen: int = 0
    # rules with ``after`` whose report section has started in this step
    opened: set[str] = field(default_factory=set)
    # the last bash job-status line (a signal ended a child) whose fate is not yet known
    killed_at: int | None = None
    # the nested report being read under a ``cause_below`` head, and how many innermost
    # causes each rule got so far
    below: Below | None = None
    causes: dict[str, int] = field(default_factory=dict)
    thrown: ThrownFrames = field(default_factory=ThrownFrames)
    # (d33Y4) the rule line that filled its tool's whole width (``wraps_at``), and its rule
    wrapping: tuple[Rule, LogLine] | None = None

    def wrap_from(self, rule: Rule, line: LogLine) -> None:
        """Note ``line`` of ``rule`` when it is as long as the width its tool breaks lines
        at (TeX's 79): its message goes on on the next line."""
        if rule.wraps_at and len(line.text) == rule.wraps_at:
            self.wrapping = (rule, line)

    def continue_wrapped(self, line: LogLine) -> Rule | None:
        """``line`` joins the rule's lines when it continues a wrapped line of the rule
        (``…/biblatex.sty:2175: Text line`` / ``contains an invalid character.``); the
        rule, or None."""
        wrapping, self.wrapping = self.wrapping, None
        if wrapping is None or line.number != wrapping[1].number + 1 or not line.text.strip():
            return None
        rule = wrapping[0]
        self.add(rule, line)
        self.wrap_from(rule, line)
        return rule

    def read_below(self, line: LogLine) -> None:
        """Feed ``line`` to the nested report being read; when it has ended, its innermost
        line joins its rule's lines."""
        if self.below is not None and not self.below.feed(line):
            self.end_below()

    def open_below(self, rule: Rule, line: LogLine) -> None:
        self.end_below()
        self.below = Below(rule, line.number)

    def end_below(self) -> None:
        """The nested report has ended: its innermost line is the rule's cause, kept right
        after the rule's first line (and earlier causes) so that it is among the rule's key
        lines however many lines the rule matched."""
        below, self.below = self.below, None
        if below is None or below.best is None:
            return
        kept = self.matches.setdefault(below.rule.id, [])
        if any(k.number == below.best.number for k in kept):
            return
        at = min(len(kept), 1 + self.causes.get(below.rule.id, 0))
        kept.insert(at, below.best)
        first = below.first
        if first is not None and all(k.number != first.number for k in kept):
            kept.insert(at + 1, first)
        del kept[PER_RULE_LINES:]
        self.causes[below.rule.id] = self.causes.get(below.rule.id, 0) + 1
        self.last_match[below.rule.id] = max(
            self.last_match.get(below.rule.id, 0), below.best.number
        )

    def add(self, rule: Rule, line: LogLine) -> None:
        kept = self.matches.setdefault(rule.id, [])
        if len(kept) < PER_RULE_LINES:
            kept.append(line)
        else:
            make_room_for_new_code(kept, line)
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
        self.retried_at = line.number
        return True

    def recover(self, line: LogLine, by_id: Callable[[str], Rule | None]) -> None:
        """A rule's ``recovered_by`` line after its last match cancels it (retried, then
        succeeded) — when the same command printed it: a Travis ``after_script`` command's
        output, attached to the failed command's step, cannot undo that command's failure."""
        if line.after:
            return
        self._tolerate(line)
        for rule_id, last in self.last_match.items():
            known = by_id(rule_id)
            if (
                known is not None
                and known.compiled_recovery
                and line.number > last
                and known.recovered(line.text)
            ):
                self.recovered_at[rule_id] = line.number

    def _tolerate(self, line: LogLine) -> None:
        """Forget the rule matches of a job-status line (a killed child) when a ``+ true``
        trace follows it closely: the script tolerated that command's death."""
        if _JOB_STATUS.search(line.text):
            self.killed_at = line.number
            return
        killed = self.killed_at
        if killed is None or not _TOLERATED_RE.match(line.text):
            return
        self.killed_at = None
        if line.number - killed > _TOLERATED_WITHIN:
            return
        for rule_id in [r for r, kept in self.matches.items() if kept[-1].number == killed]:
            kept = [m for m in self.matches[rule_id] if m.number != killed]
            if kept:
                self.matches[rule_id] = kept
                self.last_match[rule_id] = kept[-1].number
            else:
                del self.matches[rule_id]
                del self.last_match[rule_id]
