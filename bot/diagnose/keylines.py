"""Key lines: the few log lines a maintainer should read first, and the likely cause.

Split from :mod:`bot.diagnose.engine` so the choice of *which step and category* stays
apart from the choice of *which lines to show*: failing tests' own messages first, then
rule lines (two per rule, then the rest), then the generic scorer's most error-like lines
in the room left, else the step's tail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .evidence import PER_RULE_LINES, StepEvidence
from .extractors import Failure
from .logreader import Step
from .rules import Rule
from .scorer import echoed, error_score

MAX_KEY_LINES = 8
MAX_FAILURE_KEY_LINES = 4
GENERIC_MIN_SCORE = 5
FIRST_PASS_PER_RULE = 2


@dataclass
class KeyLine:
    """One log line worth reading: its log and in-step line numbers and the rule (or
    ``failure`` / ``generic``) that picked it."""

    line: int
    text: str
    step: int | None
    step_line: int | None
    rule: str | None = None


_WARNING_LINE = re.compile(r"(?i)\bwarn(?:ing)?s?\b|deprecat")
_ERRORISH = re.compile(r"(?i)(?:error|exception)\b|\b(?:fatal|panic|failed|failure)\b")
# the CI's own verdict on a command or the job, not the command's output: the runner's
# ``##[error]Process completed …``, Travis' ``The command "…" exited with N.`` and ``Done.
# Your build exited with 1.``
_CI_VERDICT = re.compile(
    r'^(?:##\[|The command ".*" (?:failed and )?exited with |Done\. Your build exited with )'
)


def likely_cause(key_lines: list[KeyLine]) -> str | None:
    """Without a matching rule, the last error-looking line (a traceback's exception line, say)
    says more than the first line of the tail; without one, the tail's first line that the
    command itself printed, not the CI's verdict on it."""
    own = [k for k in key_lines if not _CI_VERDICT.match(k.text.strip())]
    for key in reversed(own):
        if _ERRORISH.search(key.text):
            return key.text
    return own[0].text if own else None


def _failure_key_lines(failures: list[Failure], step: Step | None) -> list[KeyLine]:
    """The failing tests' own messages: what a maintainer reads first (or, without one,
    the line that reported the test when an extractor kept it as ``raw``)."""
    out: list[KeyLine] = []
    seen: set[int] = set()
    for failure in failures:
        if len(out) >= MAX_FAILURE_KEY_LINES:
            break
        if not (failure.message or failure.raw) or failure.line is None or failure.line in seen:
            continue
        seen.add(failure.line)
        start = step.start_line if step is not None else 1
        out.append(
            KeyLine(
                failure.line,
                (failure.raw or failure.message or "").strip(),
                step.number if step is not None else None,
                failure.line - start + 1,
                "failure",
            )
        )
    return out


def select_key_lines(
    ev: StepEvidence | None,
    live: list[Rule],
    step: Step | None,
    failures: list[Failure] | None = None,
) -> list[KeyLine]:
    """Failing tests' messages first, then rule lines (in log order), else the step tail."""
    lead = _failure_key_lines(failures or [], step)
    taken = {k.line for k in lead}
    rest = [k for k in _rule_key_lines(ev, live, MAX_KEY_LINES - len(lead)) if k.line not in taken]
    room = MAX_KEY_LINES - len(lead) - len(rest)
    if ev is not None and room > 0:
        have = taken | {k.line for k in rest}
        threshold = 2 if not (lead or rest) else GENERIC_MIN_SCORE
        for number, text in ev.generic.best(room + len(have)):
            if room <= 0:
                break
            if number in have or error_score(text) < threshold:
                continue
            rest.append(_key_at(number, text, step, "generic"))
            have.add(number)
            room -= 1
    if not (lead or rest) and step is not None:
        rest = _tail_key_lines(step)
    return lead + sorted(rest, key=lambda k: k.line)


def _key_at(number: int, text: str, step: Step | None, rule: str | None) -> KeyLine:
    if step is None:
        return KeyLine(number, text, None, None, rule)
    return KeyLine(number, text, step.number, number - step.start_line + 1, rule)


def _tail_key_lines(step: Step) -> list[KeyLine]:
    """The step's last output lines; in a short step the tail reaches back into the step's
    header, whose echoed command and ``shell:`` line say what ran, not what went wrong."""
    picked: dict[int, KeyLine] = {}
    command = step.title.removeprefix("Run ").strip()
    travis = step.kind == "travis"  # Travis echoes ``$ cmd``: a ``Run …`` line is output
    for line in step.tail[-4:]:
        text = line.text.strip()
        if (echoed(text) and not (travis and text.startswith("Run "))) or text == command:
            continue
        if text and not text.startswith("##[") and not _WARNING_LINE.search(text):
            picked[line.number] = KeyLine(line.number, line.text, line.step, line.step_line)
    for line in step.errors[:2]:
        picked.setdefault(line.number, KeyLine(line.number, line.text, line.step, line.step_line))
    return [picked[n] for n in sorted(picked)]


def _rule_key_lines(ev: StepEvidence | None, live: list[Rule], limit: int) -> list[KeyLine]:
    """Up to two lines of each live rule first (by priority), then the rest: a rule that
    matched many lines (``-D warnings`` notes) does not crowd out the others."""
    picked: dict[int, KeyLine] = {}
    if ev:
        for per_rule in (FIRST_PASS_PER_RULE, PER_RULE_LINES):
            for rule in live:
                taken = sum(1 for k in picked.values() if k.rule == rule.id)
                for line in ev.matches.get(rule.id, []):
                    if len(picked) >= limit or taken >= per_rule:
                        break
                    if line.number in picked or line.text.startswith("##[error]Process"):
                        continue
                    picked[line.number] = KeyLine(
                        line.number, line.text, line.step, line.step_line, rule.id
                    )
                    taken += 1
    return [picked[n] for n in sorted(picked)]
