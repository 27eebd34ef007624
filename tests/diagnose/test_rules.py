"""Rule knowledge base: validation (linear-time safety), merging, matching."""

from __future__ import annotations

import pytest

from bot.diagnose import safe_regex
from bot.diagnose.engine import diagnose
from bot.diagnose.rules import CATEGORIES, RuleError, _shipped, _shipped_data, load_rules
from bot.diagnose.safe_regex import UnsafePattern, check_pattern


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param(r"(a+)+$", id="nested-plus"),
        pytest.param(r"(a*)*b", id="nested-star"),
        pytest.param(r"(?:\w+\s?)*$", id="nested-word-space"),
        pytest.param(r"(a|aa)+", id="quantified-alternation"),
        pytest.param(r"(x+x+)+y", id="nested-double"),
        pytest.param(r"(\w)\1", id="backreference"),
        pytest.param(r"foo(?=bar)", id="lookahead"),
        pytest.param(r"(?<!x)foo", id="lookbehind"),
        pytest.param(r"(?>a+)b", id="atomic"),
        pytest.param(r"a++b", id="possessive"),
        pytest.param(r".*a.*b.*c.*d", id="too-many-broad-repeats"),
        pytest.param(r"(?m)^x", id="inline-multiline-flag"),
        pytest.param(r"([a-z]", id="invalid"),
        pytest.param("", id="empty"),
        pytest.param("a" * 600, id="too-long"),
    ],
)
def test_unsafe_patterns_rejected(pattern):
    with pytest.raises(UnsafePattern):
        check_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^FAILED (\S+)::(\S+)",
        r"(?i)connection reset",
        r"x(?i:y)z",
        r"^\S+:\d+:\d+: (?:fatal )?error: ",
        r"(?:ab)+c",
        r"^Tests run: \d+, Failures: \d+, Errors: \d+",
    ],
)
def test_safe_patterns_accepted(pattern):
    check_pattern(pattern)


def test_shipped_rules_cover_all_categories():
    rules = load_rules()
    assert {r.category for r in rules.rules} >= set(CATEGORIES) - {"unknown"}
    assert len({r.id for r in rules.rules}) == len(rules.rules)
    assert all(r.hint for r in rules.rules)


def test_every_shipped_pattern_passes_the_safety_check():
    """The shipped rules skip the linear-time check at start-up (``vetted``); this is where
    they get it instead, so an unsafe pattern in rules.yml still fails CI."""
    shipped, ignore = _shipped()
    checked = 0
    for raw in shipped:
        for key in ("patterns", "recovered_by", "after", "requires", "cause_below"):
            value = raw.get(key) or []
            for pattern in [value] if isinstance(value, str) else value:
                check_pattern(pattern)
                checked += 1
    for pattern in ignore:
        check_pattern(pattern)
    commands = _shipped_data().get("commands") or {}
    assert commands
    for patterns in commands.values():
        for pattern in patterns:
            check_pattern(pattern)
            checked += 1
    assert checked > 1000


def test_a_repo_rule_reusing_a_shipped_id_is_still_checked():
    shipped_id = _shipped()[0][0]["id"]
    with pytest.raises(RuleError, match="nested quantifier"):
        load_rules([{"id": shipped_id, "patterns": [r"(a+)+$"]}])


def test_engine_prefers_re2_when_installed():
    rule = load_rules().rules[0]
    if safe_regex.HAVE_RE2:
        assert type(rule.compiled[0]).__module__.startswith("re2")
    else:  # pragma: no cover
        assert safe_regex.ENGINE == "re"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(
            [{"id": "mine", "category": "lint", "patterns": ["(a+)+$"]}], "'mine'", id="unsafe"
        ),
        pytest.param(
            [{"id": "mine", "category": "nope", "patterns": ["x"]}],
            "'mine': category",
            id="category",
        ),
        pytest.param(
            [{"id": "mine", "category": "lint"}], "'mine': at least one", id="no-patterns"
        ),
        pytest.param(
            [{"id": "mine", "category": "lint", "patterns": ["x"], "prio": 3}],
            "unknown keys",
            id="typo",
        ),
        pytest.param(
            [{"id": "mine", "category": "lint", "patterns": ["x"], "priority": "hi"}],
            "priority",
            id="prio",
        ),
        pytest.param([{"category": "lint"}], "rule #1", id="no-id"),
        pytest.param(
            [{"id": "pytest-failed", "patterns": ["(x|xy)*z"]}],
            "'pytest-failed'",
            id="override-unsafe",
        ),
    ],
)
def test_repo_rule_errors_name_the_rule(extra, message):
    with pytest.raises(RuleError, match=message):
        load_rules(extra)


def test_repo_rules_merge_override_and_disable():
    rules = load_rules(
        [
            {
                "id": "company-flaky-db",
                "category": "infra_network",
                "retryable": True,
                "priority": 99,
                "patterns": ["^DB pool exhausted"],
                "hint": "Known flaky DB.",
            },
            {"id": "network-error", "retryable": False},
            {"id": "segfault", "enabled": False},
        ]
    )
    assert rules.rules[0].id in {"company-flaky-db", "actions-cancelled", "actions-job-timeout"}
    assert rules.by_id("company-flaky-db").retryable
    assert rules.by_id("network-error").retryable is False
    assert rules.by_id("network-error").patterns  # other fields kept
    assert rules.by_id("segfault") is None
    assert [r.id for r in rules.match("DB pool exhausted after 30s")] == ["company-flaky-db"]


@pytest.mark.parametrize(
    ("line", "rule_id"),
    [
        ("FAILED tests/a.py::b - x", "pytest-failed"),
        ("npm WARN deprecated x: ECONNRESET", "network-error"),  # opt-in: match_ignored
        ("src/a.c:1:2: error: expected ';'", "c-compile-error"),
        ("dd: error writing '/dev/full': No space left on device", "disk-full"),
        ("##[error]The operation was canceled.", "actions-cancelled"),
    ],
)
def test_line_matches(line, rule_id):
    assert rule_id in [r.id for r in load_rules().match(line)]


@pytest.mark.parametrize(
    "line",
    [
        "npm WARN deprecated glob@7.2.3: Glob versions prior to v9",
        "tests/x.py:3: DeprecationWarning: error handling is deprecated",
        "##[warning]Node.js 16 actions are deprecated. Segmentation fault",
        "src/a.c:1:2: warning: unused variable 'x' [-Wunused-variable]",
        "WARNING: FAILED tests/x.py::y - only a warning",
    ],
)
def test_warnings_do_not_match(line):
    assert load_rules().match(line) == []


def test_pathological_log_line_cannot_backtrack():
    """A repo rule that is accepted is, by construction, linear (RE2) or star-height 1 over
    a bounded line; the classic catastrophic one is refused at load. No timing here."""
    with pytest.raises(RuleError):
        load_rules([{"id": "evil", "category": "lint", "patterns": ["^(a+)+$"]}])
    rules = load_rules([{"id": "ok", "category": "lint", "patterns": ["^a+b$"]}])
    line = "a" * 100_000 + "!"
    log = f"##[group]Run x\n##[endgroup]\n{line}\n##[error]Process completed with exit code 1.\n"
    result = diagnose(log.encode(), rules=rules)
    assert result.rule is None and result.category == "unknown"


def test_the_documented_rule_table_lists_every_shipped_rule_as_shipped() -> None:
    """docs/diagnose.md is where a maintainer looks up a rule id from a comment: every shipped
    rule has its row, with the category, priority and retryable flag it ships with."""
    import re
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "diagnose.md").read_text(encoding="utf-8")
    rows = {
        m["id"]: (m["category"], int(m["priority"]), m["retryable"] == "yes")
        for m in re.finditer(
            r"^\| `(?P<id>[\w-]+)` \| (?P<category>\w+) \| (?P<priority>\d+)"
            r" \| (?P<retryable>yes)? *\|$",
            docs,
            re.M,
        )
    }
    shipped = {r.id: (r.category, r.priority, r.retryable) for r in load_rules().rules}
    assert {i: v for i, v in shipped.items() if rows.get(i) != v} == {}
    assert set(rows) - set(shipped) == set()


def test_a_rule_required_banner_counts_on_either_side_of_its_lines() -> None:
    """``requires``: the tool's banner, printed on stderr, may come before or after the
    problems on stdout; without it the lines are not that tool's."""
    from tests.diagnose.joblogs import actions_job

    rule = {
        "id": "acme-lint",
        "category": "lint",
        "priority": 90,
        "requires": ["^acme-lint: found problems$"],
        "patterns": [r"^  \S+\.acme:\d+: "],
    }
    problem = "  src/a.acme:3: tabs are not allowed"
    for lines in ([problem, "acme-lint: found problems"], ["acme-lint: found problems", problem]):
        diagnosis = diagnose(actions_job("make check", lines), rules=[rule])
        assert diagnosis.rule == "acme-lint"
        assert diagnosis.key_lines[0].text == problem
    assert diagnose(actions_job("make check", [problem]), rules=[rule]).rule != "acme-lint"
    with pytest.raises(RuleError, match="after or requires"):
        load_rules([{**rule, "after": ["^acme-lint:"]}])
