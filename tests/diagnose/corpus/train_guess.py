"""Train the category guess (``bot/diagnose/guess.py``) on the corpus' design half.

    python tests/diagnose/corpus/train_guess.py          # writes bot/diagnose/guess_model.json
    python tests/diagnose/corpus/train_guess.py --cv     # 10-fold cross-validation, writes nothing

Only design-half logs are read (``accuracy.split_of``), so the held-out half measures the
model as it measures the rules. Each log is diagnosed with every shipped rule off, the way
the engine meets a tool no rule knows, and its key lines and failing step give the words.
Tokens seen in fewer than ``MIN_DOCUMENTS`` logs are dropped: a project's or a test's own
name must not become a word for a category.

Each shipped rule's hint is a document too (``HINT_WEIGHT`` times, with the rule's category):
a hint names its tool and says in plain words what failed ("cppcheck reported an error"),
so a tool a rule's author knew but no design log showed still speaks for its category. On the
leave-batches-out proxy (the design logs of batches 23-29 with every rule written since turned
off and the model trained without them, the hints of the 197 rules older than them added),
category went 114 -> 120 of 165 and ``unknown`` 31 -> 23 of 160 at weight 3 (116 and 28 at
weight 1 or 2, 120 at 4 and 6; the rules' pattern words instead of their hints: 115 and 118).
At weight 3 a word of a single hint (a tool's name) passes the ``MIN_DOCUMENTS`` filter, which
is there for a project's names in logs, not for a tool a hint names on purpose; the command
table's tool names added the same way lowered the proxy (118). ``--cv`` overstates the hints'
effect: the rules were written from the design logs it folds.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

import accuracy  # noqa: E402

from bot.diagnose.engine import diagnose, guess_texts  # noqa: E402
from bot.diagnose.guess import MODEL_FILE, GuessModel, convincing, words  # noqa: E402
from bot.diagnose.rules import load_rules  # noqa: E402

MIN_DOCUMENTS = 3
ALPHA = 0.1
HINT_WEIGHT = 3
FOLDS = 10
MODEL_PATH = HERE.parents[2] / "bot" / "diagnose" / MODEL_FILE

Example = tuple[str, set[str], str, str]  # name, words, label, rule-free category


def examples() -> list[Example]:
    """Every design-half log: its words and label, and the category without rules."""
    off = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]
    out = []
    for name, label in sorted(accuracy.load_expected().items()):
        if accuracy.split_of(f"{name}.log") != "design":
            continue
        got = diagnose(accuracy.LOGS / f"{name}.log", name=name, rules=off)
        features = words(guess_texts(got.key_lines), got.failing_step)
        category = "unknown" if got.guess else got.category
        out.append((name, features, label["category"], category))
    return out


def hint_documents() -> list[Example]:
    """One document per shipped rule with a hint: the hint's words (as a log's key lines
    give them), labelled with the rule's category, ``HINT_WEIGHT`` times."""
    out = []
    for rule in load_rules().rules:
        if rule.hint:
            features = words([rule.hint], None)
            out += [(f"rule:{rule.id}", features, rule.category, rule.category)] * HINT_WEIGHT
    return out


def model_data(training: list[Example]) -> dict[str, Any]:
    seen_in: Counter[str] = Counter()
    for _, features, _, _ in training:
        seen_in.update(features)
    vocabulary = {t for t, n in seen_in.items() if n >= MIN_DOCUMENTS}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for _, features, label, _ in training:
        for token in features & vocabulary:
            counts[token][label] += 1
    return {
        "about": "naive Bayes category guess; written by tests/diagnose/corpus/train_guess.py",
        "alpha": ALPHA,
        "min_documents": MIN_DOCUMENTS,
        "documents": dict(sorted(Counter(label for _, _, label, _ in training).items())),
        "counts": {t: dict(sorted(counts[t].items())) for t in sorted(counts)},
        "trained_on": sorted(name for name, _, _, _ in training if not name.startswith("rule:")),
        "hint_weight": HINT_WEIGHT,
        "hints_of": sorted({name[5:] for name, _, _, _ in training if name.startswith("rule:")}),
    }


def cross_validate(data: list[Example], hints: list[Example]) -> dict[str, int]:
    """What the guess would do, fold by fold, to the logs the rule-free engine calls
    ``unknown``: right guesses gained, right ``unknown`` answers lost, wrong guesses."""
    order = list(range(len(data)))
    random.Random(1).shuffle(order)
    tally = Counter[str]()
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS])
        training = [e for i, e in enumerate(data) if i not in held] + hints
        model = GuessModel.from_dict(model_data(training))
        for i in held:
            _, features, label, category = data[i]
            if category != "unknown":
                continue
            tally["unknown"] += 1
            guess = model.guess(features)
            if not convincing(guess):
                continue
            tally["guessed"] += 1
            tally["right" if guess.category == label else "wrong"] += 1
            tally["lost"] += label == "unknown"
    return dict(tally)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate, write nothing")
    parser.add_argument("--no-hints", action="store_true", help="leave the rules' hints out")
    args = parser.parse_args(argv)
    data = examples()
    if args.cv:
        hints = [] if args.no_hints else hint_documents()
        print(json.dumps({"logs": len(data), **cross_validate(data, hints)}))
        return 0
    training = data + ([] if args.no_hints else hint_documents())
    MODEL_PATH.write_text(json.dumps(model_data(training), indent=0, sort_keys=False) + "\n")
    print(f"wrote {MODEL_PATH.name}: {len(data)} design-half logs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
