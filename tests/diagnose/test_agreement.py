"""agreement.py and its data: second labels that hold together, and marks that follow them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "corpus"))

import agreement
from accuracy import LOGS, load_expected

from bot.diagnose.rules import CATEGORIES


def test_every_second_label_is_of_a_labelled_log_and_quotes_it():
    expected = load_expected()
    second = agreement.load_second()
    assert len(second) >= 50
    for name, label in second.items():
        assert name in expected, name
        assert label["category"] in CATEGORIES, name
        lines = (LOGS / f"{name}.log").read_text(encoding="utf-8", errors="replace").splitlines()
        for needle in [*label["key_lines"], *label["failing_tests"]]:
            assert any(needle in line for line in lines), (name, needle)


def test_marks_follow_the_labels():
    expected = load_expected()
    name = next(iter(agreement.load_second()))
    first = expected[name]
    same = agreement.compare(name, first, dict(first))
    assert same["first/second category"] == 1
    assert same["first/second key strict"] == same["second/first key strict"] == 1
    other = "unknown" if first["category"] != "unknown" else "build"
    differs = agreement.compare(name, first, {**first, "category": other, "key_lines": []})
    assert differs["first/second category"] == 0
    assert differs["first/second key lenient"] == 0
    assert differs["engine/first category"] + differs["engine/second category"] <= 1


def test_only_aggregates_are_printed(capsys):
    assert agreement.main(["--half", "test"]) == 0
    out = capsys.readouterr().out
    assert "first/second category" in out
    assert not re.search(r"\bb\d+[a-z]*_", out)  # no log name
