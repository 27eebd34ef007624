"""The learned key-line scorer (bot/diagnose/linemodel.py) and where the engine uses it."""

from __future__ import annotations

import json
from pathlib import Path

from bot.diagnose import linemodel
from bot.diagnose.engine import diagnose
from bot.diagnose.keylines import KeyLine, with_learned_lines
from bot.diagnose.linemodel import (
    LEARNED,
    Candidate,
    LineModel,
    features,
    learned_lines,
    shipped_model,
)
from bot.diagnose.logline import LogLine, Step
from bot.diagnose.rules import load_rules
from tests.diagnose.corpus import accuracy

MODEL_PATH = Path(linemodel.__file__).with_name(linemodel.MODEL_FILE)
NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def tiny_model(threshold: float = 0.5, most: int = 2) -> LineModel:
    return LineModel({"w:rakefile": 4.0, "w:downloading": -4.0}, -1.0, threshold, most)


def test_features_are_words_and_the_line_s_shape() -> None:
    found = features(Candidate(3, "  src/app.py:12: NameError: x is not defined", 0))
    assert {"w:src", "w:app", "w:nameerror", "located", "end:0", "indent:3"} <= found
    assert "exception" in features(Candidate(3, "ValueError: bad", None))
    assert "end:kept" in features(Candidate(3, "ValueError: bad", None))
    assert "echoed" in features(Candidate(3, "+ make test", 5))


def test_the_model_takes_the_lines_it_learnt_best_first_within_the_room() -> None:
    lines = [
        Candidate(1, "Downloading x", 2),
        Candidate(2, "No Rakefile found", 1),
        Candidate(3, "rakefile rakefile", 0),
    ]
    taken = learned_lines(lines, set(), 8, tiny_model())
    assert [c.number for c in taken] == [2, 3]  # a tie: the earlier line first
    assert learned_lines(lines, set(), 1, tiny_model())[0].number == 2
    assert learned_lines(lines, set(), 0, tiny_model()) == []
    assert learned_lines(lines, set(), 8, tiny_model(most=1))[0].number == 2
    # a line already shown (spacing aside) is not shown again
    assert [c.number for c in learned_lines(lines, {"No Rakefile found"}, 8, tiny_model())] == [3]
    assert learned_lines(lines, set(), 8, tiny_model(threshold=0.99)) == []


def test_a_line_of_no_error_words_that_the_model_learnt_ranks_in(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        "##[group]Run rake\n"
        "rake\n"
        "##[endgroup]\n"
        "Installing bundler 2.4.0\n"
        "No Rakefile found (looking for: rakefile, Rakefile, rakefile.rb, Rakefile.rb)\n"
        "/usr/lib/ruby/gems/2.7.0/gems/rake-13.0.1/exe/rake:27:in `<top (required)>'\n"
        "/usr/bin/rake:23:in `load'\n"
        "/usr/bin/rake:23:in `<main>'\n"
        "(See full trace by running task with --trace)\n"
        "##[error]Process completed with exit code 1.\n"
    )
    got = diagnose(log, name="job", rules=NO_RULES)
    learned = [k for k in got.key_lines if k.rule == LEARNED]
    assert [k.text for k in learned] == [
        "No Rakefile found (looking for: rakefile, Rakefile, rakefile.rb, Rakefile.rb)"
    ]
    assert learned[0].line == 5 and learned[0].step_line == 5
    assert "Installing bundler 2.4.0" not in [k.text for k in got.key_lines]


def test_a_progress_or_echoed_line_does_not_rank_in() -> None:
    lines = [
        Candidate(1, "Downloading lodash-4.17.21.tgz (45%)", 3),
        Candidate(2, "Receiving objects: 100% (120/120), done.", 2),
        Candidate(3, "+ make test", 1),
        Candidate(4, "$ npm test", 0),
    ]
    assert learned_lines(lines, set(), 8) == []


def test_nothing_is_added_beside_a_rule_s_line_or_a_test_s_message() -> None:
    tail = [LogLine(5, "No Rakefile found (looking for: rakefile)", 2, 5)]
    step = Step(2, "Run rake", "run", 1, tail=tail)
    ruled = [KeyLine(4, "error: something", 2, 4, "some-rule")]
    assert with_learned_lines(list(ruled), None, step) == ruled
    failed = [KeyLine(4, "expected 1 got 2", 2, 4, "failure")]
    assert with_learned_lines(list(failed), None, step) == failed
    generic = [KeyLine(4, "error: something", 2, 4, "generic")]
    added = with_learned_lines(list(generic), None, step)
    assert [k.rule for k in added] == ["generic", LEARNED]


def test_the_shipped_model_learnt_from_the_design_half_only() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    names = data["trained_on"]
    assert len(names) > 500
    assert all(accuracy.split_of(f"{name}.log") == "design" for name in names)
    expected = accuracy.load_expected()
    assert all(name in expected for name in names)
    model = shipped_model()
    assert model is not None and model.threshold == data["threshold"]
