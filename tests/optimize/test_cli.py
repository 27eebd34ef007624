"""``pitcrew optimize``: formats, --write, --rules, broken files, repository root detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.optimize.actions import bundled_catalog

CI = """on:
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v3
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: npm ci
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    wf = tmp_path / ".github" / "workflows"
    wf.mkdir(parents=True)
    (wf / "ci.yml").write_text(CI)
    (tmp_path / "package-lock.json").write_text("{}")
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_json_findings_have_exactly_the_public_fields(repo, capsys):
    assert main(["optimize", str(repo), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert findings and all(set(f) == {"file", "rule", "line", "message", "fix"} for f in findings)
    rules = {f["rule"] for f in findings}
    assert {"cache", "timeout", "concurrency", "permissions", "dependabot"} <= rules
    assert all(f["fix"] is True for f in findings if f["rule"] == "cache")


def test_diff_default_and_rules_filter(repo, capsys):
    assert main(["optimize", str(repo), "--rules", "cache"]) == 0
    out = capsys.readouterr().out
    assert "+          cache: npm\n" in out
    assert "timeout-minutes" not in out and "dependabot" not in out
    assert (repo / ".github/workflows/ci.yml").read_text() == CI  # no --write: untouched


def test_write_applies_and_second_run_is_clean(repo, capsys):
    assert main(["optimize", str(repo), "--write"]) == 0
    text = (repo / ".github/workflows/ci.yml").read_text()
    newest = bundled_catalog().newest_current("actions/checkout", "")
    assert newest is not None
    assert "cache: npm" in text and f"actions/checkout@v{newest.major}\n" in text
    assert (repo / ".github/dependabot.yml").exists()
    capsys.readouterr()
    assert main(["optimize", str(repo)]) == 0
    assert capsys.readouterr().out == ""


def test_workflow_file_path_finds_repository_root_for_lockfiles(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo)
    assert main(["optimize", ".github/workflows/ci.yml", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert ".github/workflows/ci.yml:8: cache (fix)" in out
    assert "dependabot" not in out  # files given: repository-level rules stay off


def test_broken_yaml_named_on_stderr_and_others_processed(repo, capsys):
    (repo / ".github/workflows/bad.yml").write_text("on: push\njobs:\n  a: [\n")
    assert main(["optimize", str(repo), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "bad.yml:4:" in captured.err and "Traceback" not in captured.err
    assert any(f["rule"] == "cache" for f in json.loads(captured.out))


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--rules", "cache,bogus"], "bogus"), (["/nonexistent/x.yml"], "no such file")],
    ids=["unknown-rule", "missing-path"],
)
def test_bad_input_exit_2(repo, capsys, argv, message):
    assert main(["optimize", str(repo), *argv]) == 2
    assert message in capsys.readouterr().err
