"""Service-facing API: in-memory files, repository, dependabot, suggestions, Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.optimize import (
    RULE_IDS,
    Finding,
    OptimizeConfig,
    OptimizeResult,
    optimize_files,
    optimize_repository,
    optimize_text,
    render_markdown,
    review_suggestions,
)
from bot.optimize.model import Doc, YamlError

from .catalog import FAKE

WF = ".github/workflows/ci.yml"
CI = """on:
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v3
      - run: make
"""


def test_rule_ids_are_stable():
    assert set(RULE_IDS) >= {
        "concurrency",
        "cache",
        "timeout",
        "permissions",
        "paths-ignore",
        "deprecated-action",
        "merge-group",
        "dependabot",
        "pin-sha",
        "script-injection",
        "pwn-request",
        "secrets-inherit",
    }


def test_unknown_rule_is_rejected():
    with pytest.raises(ValueError, match="nope"):
        optimize_text(WF, CI, rules=["nope"])


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("on: push\njobs:\n  a: [\n", 4),
        ("a: 1\n b: 2\n", 2),
        ("a: *missing\n", 1),
        ("a: 1\n---\nb: 2\n", 2),
    ],
    ids=["unclosed-flow", "bad-indent", "undefined-alias", "two-documents"],
)
def test_broken_yaml_is_an_error_with_line(text, line):
    result = optimize_text(WF, text)
    assert [(e.file, e.line) for e in result.errors] == [(WF, line)]
    assert not result.changes
    with pytest.raises(YamlError):
        Doc(WF, text)


def test_on_key_and_values_are_strings_never_yaml11():
    doc = Doc(WF, "on: yes\nenv:\n  V: 3.10\n  N: 007\n")
    keys = [k.value for k, _ in doc.root.pairs]
    assert keys == ["on", "env"]
    env = doc.root.pairs[1][1]
    assert [v.value for _, v in env.pairs] == ["3.10", "007"]


def test_alias_subtrees_are_not_editable():
    doc = Doc(WF, "a: &x\n  k: 1\nb: *x\nc:\n  k: 2\n")
    a, b, c = (v for _, v in doc.root.pairs)
    assert not doc.editable_node(a) and not doc.editable_node(b) and doc.editable_node(c)


def test_duplicate_keys_reported_and_file_left_alone():
    text = CI.replace("    runs-on: ubuntu-latest\n", "    runs-on: a\n    runs-on: b\n")
    result = optimize_text(WF, text)
    dup = [f for f in result.findings if f.rule == "yaml"]
    assert dup and dup[0].line == 6 and "runs-on" in dup[0].message
    assert not result.changes
    assert all(not f.fix for f in result.findings)


def test_optimize_files_in_memory_with_dependabot_and_local_actions():
    files = {
        WF: CI,
        ".github/actions/setup/action.yml": "name: s\nruns:\n  using: composite\n"
        "  steps:\n    - uses: actions/setup-node@v3\n",
    }
    result = optimize_files(
        files, repo_files=set(files) | {"README.md"}, config=OptimizeConfig(actions=FAKE)
    )
    old, new = result.changes[".github/dependabot.yml"]
    assert old is None
    data = yaml.safe_load(new)
    entry = data["updates"][0]
    assert entry["package-ecosystem"] == "github-actions"
    assert entry["directories"] == ["/", "/.github/actions/setup"]
    assert "actions/setup-node@v5" in result.changes[".github/actions/setup/action.yml"][1]


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        pytest.param(
            'version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: "/"\n'
            "    schedule:\n      interval: weekly\n",
            'version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: "/"\n'
            "    schedule:\n      interval: weekly\n  - package-ecosystem: github-actions\n"
            '    directories:\n      - "/"\n      - "/.github/actions/lint"\n'
            "    schedule:\n      interval: weekly\n",
            id="append-entry",
        ),
        pytest.param(
            "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n"
            "    schedule: {interval: daily}  # keep\n",
            "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directories:\n"
            '      - /\n      - "/.github/actions/lint"\n    schedule: {interval: daily}  # keep\n',
            id="directory-to-directories",
        ),
        pytest.param(
            "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directories:\n"
            '      - "/"\n      - "/.github/actions/*"\n    schedule:\n      interval: weekly\n',
            None,
            id="glob-already-covers",
        ),
    ],
)
def test_dependabot_extends_existing_file(existing, expected):
    files = {WF: CI, ".github/dependabot.yml": existing}
    repo = set(files) | {".github/actions/lint/action.yml"}
    result = optimize_files(files, repo_files=repo, rules=["dependabot"])
    if expected is None:
        assert ".github/dependabot.yml" not in result.changes
    else:
        assert result.changes[".github/dependabot.yml"] == (existing, expected)


def test_optimize_repository_reads_checkout(tmp_path: Path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_bytes(CI.replace("\n", "\r\n").encode())
    (tmp_path / ".github" / "workflows" / "bad.yml").write_text("on: [\n")
    (tmp_path / "requirements.txt").write_text("pytest\n")
    result = optimize_repository(tmp_path)
    old, new = result.changes[WF]
    assert "\r\n" in old and new.count("\n") == new.count("\r\n")
    assert [e.file for e in result.errors] == [".github/workflows/bad.yml"]
    assert ".github/dependabot.yml" in result.changes


# ---------------------------------------------------------------- review suggestions
def test_review_suggestions_cover_insertions_and_replacements():
    result = optimize_text(
        WF, CI, rules=["timeout", "deprecated-action"], config=OptimizeConfig(actions=FAKE)
    )
    old, new = result.changes[WF]
    comments = review_suggestions(WF, old, new, range(1, 9), result.findings)
    by_line = {c["line"]: c for c in comments}
    # timeout: inserted after line 5 → suggestion on line 5 keeps it and adds the key
    assert (
        "```suggestion\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n```"
        in by_line[5]["body"]
    )
    assert "```suggestion\n      - uses: actions/checkout@v5\n```" in by_line[7]["body"]
    assert all(c["path"] == WF and c["side"] == "RIGHT" for c in comments)
    assert "**timeout**" in by_line[5]["body"]


def test_review_suggestions_skip_lines_outside_the_pr_diff():
    result = optimize_text(WF, CI, rules=["timeout", "deprecated-action"])
    old, new = result.changes[WF]
    comments = review_suggestions(WF, old, new, {7})
    assert [c["line"] for c in comments] == [7]


def test_review_suggestions_multi_line_range():
    old = "a: 1\nb: 2\nc: 3\n"
    new = "a: 1\nb: 20\nc: 30\n"
    (comment,) = review_suggestions("f.yml", old, new, {1, 2, 3})
    assert comment["start_line"] == 2 and comment["line"] == 3
    assert comment["body"].endswith("```suggestion\nb: 20\nc: 30\n```")


def test_markdown_table_lists_fixes_savings_and_security():
    result = OptimizeResult(
        findings=[
            Finding(WF, "cache", 7, "setup-node `cache: npm`", True, "why | pipes", 12.5),
            Finding(WF, "script-injection", 9, "untrusted title", False, "use env"),
        ]
    )
    body = render_markdown(result)
    assert "| rule | file | what changed | why | est. minutes saved / month |" in body
    assert (
        "| `cache` | `.github/workflows/ci.yml`:7 | setup-node `cache: npm` | "
        "why \\| pipes | 12.5 |" in body
    )
    assert "**security** `script-injection`" in body
    assert "12.5 CI minutes per month" in body
    assert body.startswith("<!-- pitcrew:optimize -->")
