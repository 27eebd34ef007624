"""The failure-rule knowledge base: load, validate, merge per-repo rules, match lines.

Shipped rules live in ``rules.yml`` next to this module. A repository extends them with
``load_rules(extra=[...])`` (from ``.github/pitcrew.yml``): a rule with a known id replaces
the shipped one field by field, a new id is added, ``enabled: false`` removes a rule.
Every pattern a repository brings goes through :func:`bot.diagnose.safe_regex.check_pattern`
when it is loaded; errors name the rule and the pattern so a maintainer can fix their config.
The shipped patterns (rules, ``ignore``, ``commands``) get the same check in the test suite
rather than on every start.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .safe_regex import (
    FALLBACK_MAX_LINE,
    HAVE_RE2,
    UnsafePattern,
    check_pattern,
    compile_pattern,
    compile_set,
    required_literal,
)
from .shellwords import names_an_argument_path

log = logging.getLogger(__name__)

RULES_PATH = Path(__file__).with_name("rules.yml")
# a rule of this priority or above names a cause by itself (not only an exit status)
STRONG_PRIORITY = 50

# a command's option words (``--bare``, ``-v``, ``--log-level=info``; not their values)
_OPTIONS = re.compile(r"(?<=\s)--?[A-Za-z][\w-]*(?:=\S*)?(?:\s+|$)")
CATEGORIES = (
    "test_failure",
    "lint",
    "format",
    "type_check",
    "build",
    "dependency_install",
    "infra_network",
    "infra_runner",
    "oom_killed",
    "timeout",
    "disk_full",
    "segfault",
    "cancelled",
    "unknown",
)
_KNOWN_KEYS = {
    "id",
    "category",
    "patterns",
    "priority",
    "retryable",
    "hint",
    "ignore_case",
    "match_ignored",
    "recovered_by",
    "confidence",
    "enabled",
    "generic",
    "after",
    "requires",
    "tests_ran",
    "cause_below",
    "wraps_at",
}


class RuleError(ValueError):
    """A rule definition is invalid; the message names the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    patterns: tuple[str, ...]
    priority: int = 50
    retryable: bool = False
    hint: str = ""
    ignore_case: bool = False
    match_ignored: bool = False
    recovered_by: tuple[str, ...] = ()
    confidence: float | None = None
    # a tool-agnostic shape (``file:L:C: error:``): the failing step's command decides
    # between build, lint, format and type_check
    generic: bool = False
    # a tool's report section: the rule's lines count only from the first line matching
    # one of these on, in the same step (awesome_bot lists its white-listed links in the
    # same shape as the failing ones, before ``Issues :-(``)
    after: tuple[str, ...] = ()
    # the tool's own banner: the rule's lines count only in a step that also prints a line
    # matching one of these, before or after them (standard prints its tagline on stderr,
    # so it may come on either side of the problems on stdout)
    requires: tuple[str, ...] = ()
    # a verdict on a test run that finished (a coverage minimum): with no failing test it
    # still means the tests ran, not that the suite could not load
    tests_ran: bool = False
    # a line of the rule that also matches one of these heads a nested report whose
    # innermost line is the cause (Gradle's ``* What went wrong:`` chain of ``> `` causes,
    # bundler's ``… was resolved to 4.2, which depends on`` over the requirement): that
    # line joins the rule's lines (:class:`bot.diagnose.evidence.Below`)
    cause_below: tuple[str, ...] = ()
    # (d33Y4) the width at which the tool breaks its output lines (TeX: 79): a line of the
    # rule that long goes on on the next line, which joins the rule's lines
    wraps_at: int | None = None
    # per pattern: a literal every match contains (None: unknown); lets the no-RE2 path
    # skip most regex calls with a cheap substring test
    literals: tuple[tuple[str | None, bool], ...] = field(default=(), compare=False, repr=False)

    # compiled on first use: a diagnosis consults the few rules its candidate lines hit, and
    # compiling all ~1,300 shipped patterns up front was a tenth of a second on every start
    @cached_property
    def compiled(self) -> tuple[Any, ...]:
        return self._compile(self.patterns)

    @cached_property
    def compiled_recovery(self) -> tuple[Any, ...]:
        return self._compile(self.recovered_by)

    @cached_property
    def compiled_after(self) -> tuple[Any, ...]:
        return self._compile(self.after + self.requires)

    @cached_property
    def compiled_below(self) -> tuple[Any, ...]:
        return self._compile(self.cause_below)

    def _compile(self, patterns: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(compile_pattern(p, self.ignore_case) for p in patterns)

    def matches(self, text: str) -> bool:
        if self.literals:
            lower = text.lower()
            return any(
                (lit is None or lit in (lower if fold else text)) and p.search(text)
                for p, (lit, fold) in zip(self.compiled, self.literals, strict=True)
            )
        return any(p.search(text) for p in self.compiled)

    def recovered(self, text: str) -> bool:
        return any(p.search(text) for p in self.compiled_recovery)

    def opens(self, text: str) -> bool:
        """``text`` starts the report section the rule's lines belong to (``after``), or is
        the banner it ``requires``."""
        return any(p.search(text) for p in self.compiled_after)

    def heads_cause_below(self, text: str) -> bool:
        """``text`` (a line of the rule) heads a nested report whose innermost line is the
        cause (``cause_below``)."""
        return any(p.search(text) for p in self.compiled_below)


@dataclass(frozen=True)
class RuleSet:
    """Validated, compiled rules ordered by priority (highest first)."""

    rules: tuple[Rule, ...]
    ignore: tuple[str, ...]
    compiled_ignore: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    rule_set: Any = field(default=None, compare=False, repr=False)  # RE2 set, all patterns
    set_owner: tuple[int, ...] = field(default=(), compare=False, repr=False)
    ignore_set: Any = field(default=None, compare=False, repr=False)
    # (category, compiled pattern) over a step's command line; see ``command_category``
    commands: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)
    # rules whose lines count only inside a report section (``after``)
    sectioned: tuple[Rule, ...] = field(default=(), compare=False, repr=False)

    def command_category(self, command: str | None) -> str | None:
        """The category of the tool a step's command runs (the last one named wins); a
        command the table knows only without its options (``pipenv --bare install --dev``)
        is read again without them."""
        if not command:
            return None
        found = self._named_category(command)
        if found is None and (bare := _OPTIONS.sub("", command)) != command:
            found = self._named_category(bare)
        return found

    def _named_category(self, command: str) -> str | None:
        best: tuple[int, str] | None = None
        for category, pattern in self.commands:
            for m in pattern.finditer(command):
                if names_an_argument_path(command, m.start(), m.end()):
                    continue  # ``cd …/work/mypy/mypy``: a path, not the program
                if best is None or m.start() > best[0]:
                    best = (m.start(), category)
        return best[1] if best else None

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def is_ignored(self, text: str) -> bool:
        if self.ignore_set is not None:
            return self.ignore_set.Match(text) is not None
        return any(p.search(text) for p in self.compiled_ignore)

    def _candidates(self, text: str) -> list[Rule]:
        if self.rule_set is not None:
            hits = self.rule_set.Match(text)
            if not hits:
                return []
            owners = sorted({self.set_owner[i] for i in hits})
            return [self.rules[i] for i in owners]
        text = text[:FALLBACK_MAX_LINE]
        lower = text.lower()
        hit: set[int] = set()
        for index, rule in enumerate(self.rules):
            for pattern, (lit, fold) in zip(rule.compiled, rule.literals, strict=True):
                if lit is not None and lit not in (lower if fold else text):
                    continue
                if pattern.search(text):
                    hit.add(index)
                    break
        return [self.rules[i] for i in sorted(hit)]

    def match(self, text: str) -> list[Rule]:
        """Rules matching one cleaned line, highest priority first."""
        ignored: bool | None = None
        out = []
        for rule in self._candidates(text):
            if not rule.match_ignored:
                if ignored is None:
                    ignored = self.is_ignored(text)
                if ignored:
                    continue
            out.append(rule)
        return out

    def all_patterns(self) -> list[tuple[str, bool]]:
        """(pattern, ignore_case) for every rule pattern — the reader's prefilter."""
        out: list[tuple[str, bool]] = []
        for rule in self.rules:
            out.extend((p, rule.ignore_case) for p in rule.patterns)
            out.extend((p, rule.ignore_case) for p in rule.recovered_by)
            out.extend((p, rule.ignore_case) for p in rule.after + rule.requires)
        return out

    def below_heads(self) -> list[tuple[str, bool]]:
        """(pattern, ignore_case) for every ``cause_below`` head: the reader follows them,
        so the nested lines under a head are read whatever words they use."""
        return [(p, r.ignore_case) for r in self.rules for p in r.cause_below]

    def wrapping(self) -> list[tuple[str, bool]]:
        """(pattern, ignore_case) of every rule whose tool wraps its lines (``wraps_at``):
        the reader follows them, so a message's continuation line is read."""
        return [(p, r.ignore_case) for r in self.rules if r.wraps_at for p in r.patterns]


def _as_patterns(
    rule_id: str, value: Any, key: str, strict: bool = False, vetted: bool = False
) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise RuleError(f"rule {rule_id!r}: {key} must be a list of strings")
    for pattern in () if vetted else value:
        try:
            check_pattern(pattern, strict=strict)
        except UnsafePattern as exc:
            raise RuleError(f"rule {rule_id!r}: {key} pattern {pattern!r}: {exc}") from None
    return tuple(value)


def build_rule(raw: dict[str, Any], *, strict: bool = False, vetted: bool = False) -> Rule:
    """Validate one rule mapping and compile it; raise RuleError naming the rule.

    ``strict``: the stricter fallback check (repository rules without RE2). ``vetted``:
    the patterns are the shipped ones, whose linear-time check runs in the test suite
    (``test_every_shipped_pattern_passes_the_safety_check``) rather than on every start:
    parsing ~1,300 patterns with ``re``'s parser was a tenth of a 200 MB diagnosis."""
    if not isinstance(raw, dict):
        raise RuleError(f"rule must be a mapping, got {type(raw).__name__}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise RuleError(f"rule without an id: {raw!r:.80}")
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise RuleError(f"rule {rule_id!r}: unknown keys {sorted(unknown)}")
    category = raw.get("category")
    if category not in CATEGORIES:
        raise RuleError(f"rule {rule_id!r}: category {category!r} not one of {CATEGORIES}")
    patterns = _as_patterns(rule_id, raw.get("patterns"), "patterns", strict, vetted)
    if not patterns:
        raise RuleError(f"rule {rule_id!r}: at least one pattern is required")
    priority = raw.get("priority", 50)
    if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 1000:
        raise RuleError(f"rule {rule_id!r}: priority must be an integer 0..1000")
    confidence = raw.get("confidence")
    if confidence is not None and not (
        isinstance(confidence, int | float) and 0 <= confidence <= 1
    ):
        raise RuleError(f"rule {rule_id!r}: confidence must be a number in 0..1")
    for key in ("retryable", "ignore_case", "match_ignored", "generic", "tests_ran"):
        if key in raw and not isinstance(raw[key], bool):
            raise RuleError(f"rule {rule_id!r}: {key} must be true or false")
    hint = raw.get("hint", "")
    if not isinstance(hint, str):
        raise RuleError(f"rule {rule_id!r}: hint must be a string")
    recovered = _as_patterns(rule_id, raw.get("recovered_by"), "recovered_by", strict, vetted)
    after = _as_patterns(rule_id, raw.get("after"), "after", strict, vetted)
    requires = _as_patterns(rule_id, raw.get("requires"), "requires", strict, vetted)
    below = _as_patterns(rule_id, raw.get("cause_below"), "cause_below", strict, vetted)
    if after and requires:
        raise RuleError(f"rule {rule_id!r}: use after or requires, not both")
    wraps_at = raw.get("wraps_at")
    if wraps_at is not None and (
        not isinstance(wraps_at, int) or isinstance(wraps_at, bool) or not 20 <= wraps_at <= 1000
    ):
        raise RuleError(f"rule {rule_id!r}: wraps_at must be an integer 20..1000")
    ignore_case = bool(raw.get("ignore_case", False))
    rule = Rule(
        id=rule_id,
        category=category,
        patterns=patterns,
        priority=priority,
        retryable=bool(raw.get("retryable", False)),
        hint=hint.strip(),
        ignore_case=ignore_case,
        match_ignored=bool(raw.get("match_ignored", False)),
        recovered_by=recovered,
        confidence=None if confidence is None else float(confidence),
        generic=bool(raw.get("generic", False)),
        tests_ran=bool(raw.get("tests_ran", False)),
        after=after,
        requires=requires,
        cause_below=below,
        wraps_at=wraps_at,
        literals=() if HAVE_RE2 else tuple(_literal(p, ignore_case) for p in patterns),
    )
    if not vetted:  # a repository's patterns: compile now, so a bad one fails at load
        _ = rule.compiled, rule.compiled_recovery, rule.compiled_after, rule.compiled_below
    return rule


def _literal(pattern: str, ignore_case: bool) -> tuple[str | None, bool]:
    lit = required_literal(pattern, min_len=2)
    fold = ignore_case or pattern.startswith("(?i)")
    return (lit.lower() if lit is not None and fold else lit), fold


@lru_cache(maxsize=1)
def _shipped_data() -> dict[str, Any]:
    """rules.yml, parsed once, by libyaml's safe loader when PyYAML was built with it: the
    pure-Python parser takes about a second over the ~2,000 lines, most of a CLI run's
    start-up."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(RULES_PATH.read_text(encoding="utf-8"), Loader=loader)
    return data


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[dict[str, Any], ...], tuple[str, ...]]:
    data = _shipped_data()
    return tuple(data["rules"]), tuple(data.get("ignore", ()))


@lru_cache(maxsize=1)
def _command_patterns() -> tuple[tuple[str, Any], ...]:
    data = _shipped_data()
    out: list[tuple[str, Any]] = []
    for category, patterns in (data.get("commands") or {}).items():
        if category not in CATEGORIES:
            raise RuleError(f"commands: unknown category {category!r}")
        # shipped only: vetted in the test suite like the rules' patterns, not on every start
        out.extend((category, compile_pattern(pattern)) for pattern in patterns)
    # the knowledge files' literal commands come after: on a tie the table's own pattern wins
    from .knowledge import command_categories  # it reads CATEGORIES from here

    out.extend((category, compile_pattern(pattern)) for category, pattern in command_categories())
    return tuple(out)


def load_rules(extra: list[dict[str, Any]] | None = None) -> RuleSet:
    """Shipped rules with ``extra`` (repo config) merged over them by id.

    A repo rule with a shipped id overrides only the keys it sets; ``enabled: false``
    drops the rule. Raises RuleError naming the first invalid rule.
    """
    if extra is None:
        return _default_ruleset()
    if not isinstance(extra, list):
        raise RuleError("diagnose rules must be a list of mappings")
    shipped, ignore = _shipped()
    merged: dict[str, dict[str, Any]] = {r["id"]: dict(r) for r in shipped}
    from_repo: set[str] = set()
    for index, raw in enumerate(extra):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise RuleError(f"rule #{index + 1}: must be a mapping with a string id")
        base = merged.get(raw["id"], {})
        merged[raw["id"]] = {**base, **raw}
        if {"patterns", "recovered_by", "after", "requires", "cause_below"} & set(raw):
            from_repo.add(raw["id"])
    strict = not HAVE_RE2
    rules = [
        build_rule(r, strict=strict and r["id"] in from_repo, vetted=r["id"] not in from_repo)
        for r in merged.values()
        if r.get("enabled", True) is not False
    ]
    return _ruleset(rules, ignore)


@lru_cache(maxsize=1)
def _default_ruleset() -> RuleSet:
    shipped, ignore = _shipped()
    return _ruleset([build_rule(dict(r), vetted=True) for r in shipped], ignore)


def _ruleset(rules: list[Rule], ignore: tuple[str, ...]) -> RuleSet:
    # ``ignore`` is rules.yml's own list (repositories cannot extend it): vetted in the
    # test suite (``test_every_shipped_pattern_passes_the_safety_check``)
    ordered = tuple(sorted(rules, key=lambda r: -r.priority))
    flat = [(p, r.ignore_case) for r in ordered for p in r.patterns]
    owners = tuple(i for i, r in enumerate(ordered) for _ in r.patterns)
    return RuleSet(
        rules=ordered,
        ignore=ignore,
        compiled_ignore=tuple(compile_pattern(p) for p in ignore),
        rule_set=compile_set(flat),
        set_owner=owners,
        ignore_set=compile_set([(p, False) for p in ignore]),
        commands=_command_patterns(),
        sectioned=tuple(r for r in ordered if r.after or r.requires),
    )
