"""Diagnose a failed CI job log: failing step, category, tests, key lines, retryable.

Pure: takes a path / file object / lines / text and returns a ``Diagnosis``. How the
answer is chosen (documented in docs/diagnose.md):

1. One streaming pass (``LogReader``) yields only lines that matter: step structure,
   ``##[error]``, workflow commands, rule matches and test-report lines.
2. Evidence is collected per step. A step that ends without an error is dropped as soon
   as the next step starts — errors printed and then recovered from in a step that
   succeeded (a retried download, a ``continue-on-error`` that passed) never count, and
   memory stays bounded however many steps there are.
3. Candidate steps are those that ended with ``##[error]Process completed with exit code
   N``; failing otherwise (cancelled, timed out) next; post-job cleanup steps last.
   Among candidates the last one with the strongest evidence class wins: with
   ``continue-on-error`` the later failure is the one that failed the job, while an
   ``if: always()`` step failing after the real failure has weaker evidence — or is an
   infrastructure failure, which never hides an earlier genuine one.
4. Within the step the highest-priority rule wins; a rule with ``recovered_by`` whose
   recovery line appears later in the step (``Successfully installed``) is discarded;
   lines in the rules' ``ignore`` list (warnings, ``npm WARN``, DeprecationWarning) never
   match unless the rule opts in.
5. The cause, not the symptom (``judge``): tests whose own messages are network errors are
   infrastructure (``alternative`` names the other reading); tests that could not load are
   a build failure; a ``generic`` shape yields to the step's command among the static
   checks; with no rule and no tests the step's command (or action) names the category,
   else the best error lines' own words may (:mod:`bot.diagnose.fallback`).
6. Key lines (:mod:`bot.diagnose.keylines`): each failing test's own message first, then
   rule lines (two per rule, then the rest), then the generic scorer's most error-like
   lines in the room left.

See docs/diagnose.md for the whole procedure.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.memory.signature import failure_signature, job_signature

from .causeline import with_cause_line
from .evidence import WATCH_MARKERS, StepEvidence
from .extractors import Failure, follow_patterns, trigger_patterns
from .guess import guess_category
from .hints import step_command
from .keylines import (
    PASTE_END,
    other_commands_lines,
    select_key_lines,
    summary_line,
    with_announced_action,
    with_learned_lines,
    with_package_prefixes,
    with_paste_end,
    with_paste_tail,
    with_thrown_frames,
)
from .keylines import KeyLine as KeyLine  # re-exported: part of Diagnosis
from .knownlines import known_category, known_lines, with_known_lines
from .logreader import Annotation, LogLine, LogReader, Step, text_source
from .pastestart import PASTE_START, with_list_start, with_paste_start
from .recipeoutput import with_recipe_output
from .rules import STRONG_PRIORITY, Rule, RuleSet, load_rules
from .scorer import GENERIC_PATTERNS, POWERSHELL_AT, WRAPPED_HEADS
from .verdict import WEAK_PRIORITY, judge, live_rules

log = logging.getLogger(__name__)

# Candidate lines per step that are matched against rules and extractors. Past it only
# ``##[`` lines count: a log flooded with matching lines costs bounded work.
MAX_CANDIDATES_PER_STEP = 50_000
# Travis's shell functions complaining about an after_failure/after_script command
# (``/home/travis/.travis/functions: eval: line 105: syntax error: unexpected end of file``:
# that command's quoting is broken); the job had failed before it ran
_TRAVIS_SHELL = re.compile(r"^/\S+/\.travis/functions: (?:eval: )?line \d+: ")


@dataclass
class Diagnosis:
    """The result for one job log. ``to_dict()`` is the CLI's JSON object."""

    file: str
    category: str
    failing_step: str | None
    failing_step_number: int | None
    failing_tests: list[str]
    key_lines: list[KeyLine]
    retryable: bool
    confidence: float
    rule: str | None
    hint: str | None
    annotations: list[dict[str, Any]] = field(default_factory=list)
    summary: str | None = None  # the one line that best shows the cause
    failed_steps: list[dict[str, Any]] = field(default_factory=list)
    total_lines: int = 0
    # each failing test with its own message, ``path:line`` and log line (same order as
    # ``failing_tests``)
    failures: list[Failure] = field(default_factory=list)
    # the other candidate cause when the evidence is split ({category, rule, summary}),
    # e.g. tests that failed on network errors: infra_network, alternative test_failure
    alternative: dict[str, Any] | None = None
    # set when no evidence named the category and :mod:`bot.diagnose.guess` guessed it from
    # the key lines' words ({probability, words}); None when evidence named it
    guess: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["key_lines"] = [asdict(k) for k in self.key_lines]
        # Failure memory's signatures (bot.memory): the same failure in two runs hashes the same.
        data["failures"] = [
            {**f.as_dict(), "signature": failure_signature(f.test, f.message)}
            for f in self.failures
        ]
        data["signature"] = job_signature(self.file, self.category, self.summary)
        return data

    @property
    def deep_link_anchor(self) -> str | None:
        """``#step:<n>:<line>`` for the first key line, to append to the job URL."""
        for key in self.key_lines:
            if key.step and key.step_line:
                return f"#step:{key.step}:{key.step_line}"
        if self.failing_step_number:
            return f"#step:{self.failing_step_number}:1"
        return None


def _resolve_rules(rules: RuleSet | list[dict[str, Any]] | None) -> RuleSet:
    if isinstance(rules, RuleSet):
        return rules
    return load_rules(rules)


def reader_patterns(ruleset: RuleSet) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The reader's (watch, follow) patterns for ``ruleset`` (``bench/prefilter.py`` times
    them)."""
    watch = [*ruleset.all_patterns(), *trigger_patterns(), *GENERIC_PATTERNS, *WATCH_MARKERS]
    follow = [
        *follow_patterns(),
        *WRAPPED_HEADS,
        *ruleset.below_heads(),
        *ruleset.wrapping(),
        (POWERSHELL_AT, False),
    ]
    return watch, follow


def make_reader(ruleset: RuleSet) -> LogReader:
    watch, follow = reader_patterns(ruleset)
    return LogReader(watch=watch, follow=follow)


def diagnose(
    source: Any,
    *,
    name: str = "-",
    rules: RuleSet | list[dict[str, Any]] | None = None,
) -> Diagnosis:
    """Diagnose one job log.

    ``source``: a path, a binary or text file object, bytes, or an iterable of lines.
    ``rules``: a RuleSet, a list of repo rule dicts merged over the shipped ones, or None.
    """
    ruleset = _resolve_rules(rules)
    reader = make_reader(ruleset)
    evidence: dict[int, StepEvidence] = {}
    current: StepEvidence | None = None
    for line in reader.lines(source):
        if current is None or current.step != line.step:
            if current is not None:
                _maybe_drop(evidence, reader.steps[current.step - 1], current)
            current = evidence.setdefault(line.step, StepEvidence(line.step))
        _observe(ruleset, current, line)
    if current is not None:
        _maybe_drop(evidence, reader.steps[current.step - 1], current, last=True)
    return _conclude(name, ruleset, reader, evidence)


def diagnose_text(
    text: str,
    *,
    name: str = "-",
    rules: RuleSet | list[dict[str, Any]] | None = None,
    annotations: list[dict[str, Any]] | None = None,
) -> Diagnosis:
    """Diagnose a non-Actions check run: its ``output.summary``/``output.text`` and the
    check-run annotations (GitHub's dicts: path, start_line, annotation_level, message,
    title). Annotation messages are diagnosed like log lines."""
    extra = []
    anns: list[Annotation] = []
    for raw in annotations or []:
        level = str(raw.get("annotation_level") or raw.get("level") or "failure")
        ann = Annotation(
            level={"failure": "error"}.get(level, level),
            message=str(raw.get("message") or ""),
            file=raw.get("path") or raw.get("file"),
            line=raw.get("start_line") or raw.get("line"),
            title=raw.get("title"),
        )
        anns.append(ann)
        if ann.level == "error":
            extra.extend(ann.message.splitlines())
    body = text or ""
    if extra:
        body = body.rstrip("\n") + "\n" + "\n".join(extra) + "\n"
    result = diagnose(text_source(body), name=name, rules=rules)
    result.annotations = [a.as_dict() for a in anns] + result.annotations
    return result


def _observe(ruleset: RuleSet, ev: StepEvidence, line: LogLine) -> None:
    text = line.text
    if line.header or text.startswith(("##[group]", "##[endgroup]")) or ev.retried(line):
        if not line.header and text.startswith(("##[group]FAIL ", "##[group]PASS ")):
            # a test runner's own group of a failed test's output (gotestsum --format
            # github-actions: ``::group::FAIL pkg.TestX (0.00s)``): the test's name
            ev.tests.feed(text, line.number)
        return  # a retry marker: the evidence before it is forgotten
    ev.seen += 1
    if ev.seen > MAX_CANDIDATES_PER_STEP and not text.startswith("##["):
        return
    if ev.below is not None:
        ev.read_below(line)
    ev.tests.feed(text, line.number)
    ev.thrown.feed(line)
    ev.hints.feed(text)
    if not ruleset.is_ignored(text) and not (line.after and _TRAVIS_SHELL.match(text)):
        ev.generic.offer(line.number, text)
    for rule in ruleset.sectioned:
        if rule.id not in ev.opened and rule.opens(text):
            ev.opened.add(rule.id)
    wrapped = ev.continue_wrapped(line)
    matched = ruleset.match(text)
    if text.startswith("##[error]") and not matched:
        matched = ruleset.match(text[len("##[error]") :])
    for rule in matched:
        if not rule.after or rule.id in ev.opened:
            if rule is not wrapped:
                ev.add(rule, line)
            ev.wrap_from(rule, line)
            if rule.cause_below and rule.heads_cause_below(text):
                ev.open_below(rule, line)
    ev.recover(line, ruleset.by_id)


def _maybe_drop(
    evidence: dict[int, StepEvidence], step: Step, ev: StepEvidence, last: bool = False
) -> None:
    """Forget evidence of steps that ended without errors (bounded memory; no noise). A
    Travis command with no exit line (install phases print none) is kept: it may be the
    one that failed the job when no command says it failed (a time-out, a killed job)."""
    ev.end_below()  # a nested report the step (or the paste) ended in
    if step.kind == "travis" and step.exit_code is None:
        return
    if not step.errors and not last:
        evidence.pop(ev.step, None)


def _strength(ruleset: RuleSet, ev: StepEvidence | None) -> int:
    if ev is None:
        return 0
    top = live_rules(ruleset, ev)
    if ev.tests.tests() or (top and top[0].priority >= STRONG_PRIORITY):
        return 2
    return 1 if top else 0


def _candidates(reader: LogReader, evidence: dict[int, StepEvidence]) -> list[Step]:
    steps = reader.steps
    main = [s for s in steps if s.kind not in ("post", "complete")]
    for pool in (
        [s for s in main if s.exit_code not in (None, 0)],
        [s for s in main if s.errors],
        [s for s in steps if s.failed],
    ):
        if pool:
            return pool
    # No Actions failure markers at all: plain text or a truncated log.
    return [steps[n - 1] for n in sorted(evidence)]


def _choose_step(
    ruleset: RuleSet, candidates: list[Step], evidence: dict[int, StepEvidence]
) -> Step | None:
    """The last candidate with the strongest evidence class (with ``continue-on-error`` the
    later failure is the one that failed the job) — except that a later infrastructure
    failure (an ``if: always()`` upload that could not reach its host) does not hide an
    earlier genuine one: the first genuine failure is the cause. Travis runs every script
    command even after one failed, so there the first of the strongest is the cause and
    later ones its consequences (a ``docker run`` of the image that did not build, a
    ``./script`` not found in the directory an earlier failed command left)."""
    if candidates and all(s.kind == "travis" and s.failed for s in candidates):
        strengths = [_strength(ruleset, evidence.get(s.number)) for s in candidates]
        pick = strengths.index(max(strengths))
        ev = evidence.get(candidates[pick].number)
        if pick and strengths[pick] < 2 and ev is not None:
            status = [r.id for r in live_rules(ruleset, ev) if r.priority <= WEAK_PRIORITY]
            pick = 0 if ev.only_own_script_missing(status) else pick
        return candidates[pick]
    chosen: Step | None = None
    best = -1
    genuine: Step | None = None
    genuine_best = -1
    for step in candidates:
        ev = evidence.get(step.number)
        strength = _strength(ruleset, ev)
        if strength >= best:
            chosen, best = step, strength
        live = live_rules(ruleset, ev) if ev else []
        infra = bool(live) and live[0].retryable and not (ev and ev.tests.tests())
        if not infra and strength >= genuine_best and strength > 0:
            genuine, genuine_best = step, strength
    if chosen is not None and genuine is not None and genuine_best >= best:
        return genuine
    return chosen


def _travis_unreported(
    ruleset: RuleSet, steps: list[Step], evidence: dict[int, StepEvidence], failed: Step
) -> Step:
    """An install-phase Travis command prints no exit line, and a multi-line one whose last
    line succeeded hides a failed clone or download; the command that then fails without
    strong evidence of its own (``test/run: No such file or directory``) is its consequence."""
    for n in sorted(evidence):
        if n >= failed.number or _strength(ruleset, evidence[n]) < 2:
            continue
        if judge(ruleset, evidence[n], steps[n - 1]).category in (
            "infra_network",
            "dependency_install",
        ):
            return steps[n - 1]
    return failed


def _conclude(
    name: str, ruleset: RuleSet, reader: LogReader, evidence: dict[int, StepEvidence]
) -> Diagnosis:
    candidates = _candidates(reader, evidence)
    chosen = _choose_step(ruleset, candidates, evidence)
    if chosen and chosen.kind == "travis" and _strength(ruleset, evidence.get(chosen.number)) < 2:
        chosen = _travis_unreported(ruleset, reader.steps, evidence, chosen)
    ev = evidence.get(chosen.number) if chosen else None
    if ev is not None and chosen is not None:
        for tail in chosen.tail:
            if not ruleset.is_ignored(tail.text):
                ev.generic.offer(tail.number, tail.text)
    verdict = judge(ruleset, ev, chosen)
    live = live_rules(ruleset, ev) if ev else []
    if verdict.top is not None and live and live[0] is not verdict.top:
        live = [verdict.top, *[r for r in live if r is not verdict.top]]
    category, top, failures = verdict.category, verdict.top, verdict.failures
    has_markers = reader.saw_actions_markers
    step_failed = bool(chosen and chosen.failed)
    key_lines = select_key_lines(ev, live, chosen, failures, verdict.load_errors)
    if chosen is not None and chosen.kind == "travis" and top is not None:
        later = [s for s in candidates if s.number > chosen.number and s.kind == "travis"]
        judged = [(e, judge(ruleset, e, s)) for s in later if (e := evidence.get(s.number))]
        same = [(e, v.top) for e, v in judged if v.category == category and v.top]
        key_lines += other_commands_lines(key_lines, top, same)
    key_lines = with_learned_lines(key_lines, ev, chosen)
    key_lines = with_paste_end(key_lines, chosen)
    key_lines = with_paste_tail(key_lines, chosen)
    key_lines = with_paste_start(key_lines, reader.head, chosen)
    key_lines = with_list_start(key_lines, reader.head, chosen)
    key_lines = with_package_prefixes(key_lines, reader.prefixes)
    key_lines = with_cause_line(key_lines, ev, chosen, category, top, failures)
    key_lines = with_recipe_output(key_lines, chosen, top)
    confidence = _confidence(
        top, failures, category, step_failed, has_markers, candidates, ruleset, evidence
    )
    if verdict.split:
        confidence = round(max(0.0, confidence - 0.25), 2)
    elif top is None and not failures and verdict.command_category:
        confidence = min(confidence, 0.45)
    # a process's exit line before any step header: a paste of one step's output (the
    # runner's "Set up job" runs no process), so no step is named
    pasted = chosen is not None and chosen.kind == "setup" and chosen.exit_code is not None
    failing_step = chosen.title if chosen and has_markers and not pasted else None
    guess = None
    known = known_lines(ev) if ev is not None and chosen is not None else []
    if category == "unknown" and top is None and not failures:
        # a rule that says "unknown" (a crashed worker, no cause named) means it
        category = known_category(known) or category
    if category == "unknown" and top is None and not failures:
        guess = guess_category(guess_texts(key_lines), failing_step)
        if guess is not None:
            category = guess.category
    summary = summary_line(ev, top, failures, key_lines)
    command = step_command(chosen.title if chosen else None)
    hint = ev.hints.hint(category, command, [f.test for f in failures]) if ev else None
    if guess is not None:
        hint = GUESS_HINT  # a guessed category's hints could send the reader the wrong way
    elif hint is None:
        hint = top.hint if top and category == top.category else _default_hint(category)
    key_lines = with_thrown_frames(key_lines, ev)
    key_lines = with_announced_action(key_lines, chosen)
    key_lines = with_known_lines(key_lines, known, chosen)
    return Diagnosis(
        file=name,
        category=category,
        failing_step=failing_step,
        failing_step_number=chosen.number if chosen and has_markers and not pasted else None,
        failing_tests=[f.test for f in failures],
        key_lines=key_lines,
        retryable=bool(top and top.retryable and category == top.category),
        confidence=confidence,
        rule=top.id if top else None,
        hint=hint,
        annotations=[a.as_dict() for a in reader.annotations[:50]],
        summary=summary,
        failed_steps=_failed_steps(ruleset, reader, evidence, chosen, category),
        total_lines=reader.total_lines,
        failures=failures,
        alternative=verdict.alternative,
        guess=guess.as_dict() if guess else None,
    )


def _failed_steps(
    ruleset: RuleSet,
    reader: LogReader,
    evidence: dict[int, StepEvidence],
    chosen: Step | None,
    category: str,
) -> list[dict[str, Any]]:
    """Every step that failed, each with its own category (the chosen one: the cause)."""
    out = []
    for step in reader.steps:
        if not step.failed:
            continue
        if chosen is not None and step.number == chosen.number:
            own = category
        else:
            own = judge(ruleset, evidence.get(step.number), step).category
        out.append(
            {
                "number": step.number,
                "title": step.title,
                "exit_code": step.exit_code,
                "category": own,
                "cause": chosen is not None and step.number == chosen.number,
            }
        )
    return out


def guess_texts(key_lines: list[KeyLine]) -> list[str]:
    """The key lines whose words the category guess reads (and is trained on): not a cut
    paste's last line, which is where the reporter stopped copying, not what failed, nor
    the source line a paste cut inside a diagnostic begins with (code, not words)."""
    return [k.text for k in key_lines if k.rule not in (PASTE_END, PASTE_START)]


GUESS_HINT = "No known failure pattern matched; the category is a guess from the key lines' words."


def _default_hint(category: str) -> str | None:
    return {
        "test_failure": "Tests failed; re-run the listed tests locally.",
        "unknown": "No known failure pattern matched; see the key lines.",
    }.get(category)


def _confidence(
    top: Rule | None,
    tests: list[Failure],
    category: str,
    step_failed: bool,
    has_markers: bool,
    candidates: list[Step],
    ruleset: RuleSet,
    evidence: dict[int, StepEvidence],
) -> float:
    if top is None:
        value = 0.75 if tests else (0.3 if step_failed else 0.1)
    elif top.confidence is not None:
        value = top.confidence
    elif category == "test_failure" and tests:
        value = 0.95
    elif top.priority >= 70:
        value = 0.9
    elif top.priority >= STRONG_PRIORITY:
        value = 0.8
    else:
        value = 0.5
    if not (has_markers and step_failed):
        value *= 0.8
    strong = [s for s in candidates if _strength(ruleset, evidence.get(s.number)) == 2]
    if len(strong) > 1:
        value -= 0.1  # several steps failed with strong evidence: the pick may be wrong
    return round(max(0.0, min(1.0, value)), 2)
