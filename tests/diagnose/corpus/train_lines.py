"""Train the learned key-line scorer (``bot/diagnose/linemodel.py``) on the design half.

    python tests/diagnose/corpus/train_lines.py        # writes bot/diagnose/line_model.json
    python tests/diagnose/corpus/train_lines.py --cv   # grouped 10-fold CV, writes nothing

Only design-half logs are read (``accuracy.split_of``), so the held-out half measures the
model as it measures the rules. Each log is diagnosed with the model off, and the lines the
engine would offer it (the failing step's tail and the generic scorer's kept lines, the
places left free among the key lines) are recorded; a line is a positive when it holds a
labelled key line, a negative otherwise. Training reads the logs diagnosed with every
shipped rule off (the way the engine meets a tool no rule knows). Words seen in fewer than
``MIN_DOCUMENTS`` logs are dropped: a project's own names must not become evidence.

``--cv`` trains on nine tenths of the logs and scores the tenth, fold by fold (a log's
lines never split across folds; then again with a project's logs never split, a stricter
figure: one project's jobs print the same lines), and prints the key-line figure without
and with the model, rules off and on, for each threshold and cap, and how many lines the
model added that hold no labelled key line (the noise it adds). ``THRESHOLD`` and ``MOST``
are the point chosen from it: lower, the project-grouped noise outgrows the gain.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

import accuracy  # noqa: E402

from bot.diagnose import keylines  # noqa: E402
from bot.diagnose.engine import diagnose  # noqa: E402
from bot.diagnose.linemodel import (  # noqa: E402
    MODEL_FILE,
    Candidate,
    LineModel,
    features,
    learned_lines,
)
from bot.diagnose.rules import load_rules  # noqa: E402

MIN_DOCUMENTS = 3
FOLDS = 10
EPOCHS = 12
RATE = 0.2
L2 = 1e-4
# decided by --cv (the grid below): the least probability of a line the engine adds, and
# how many it adds at most
THRESHOLD = 0.8
MOST = 1
GRID_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
GRID_MOST = (1, 2, 3, 8)
MODEL_PATH = HERE.parents[2] / "bot" / "diagnose" / MODEL_FILE


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Example:
    """One design-half log as the model meets it."""

    name: str
    wanted: list[str]  # its labelled key lines
    shown: list[str]  # the key lines the engine gives without the model
    candidates: list[Candidate]
    room: int
    features: list[set[str]]

    def positive(self, candidate: Candidate) -> bool:
        text = squash(candidate.text)
        return any(squash(w) in text for w in self.wanted)

    def hit(self, added: list[Candidate]) -> bool:
        texts = [squash(t) for t in self.shown] + [squash(c.text) for c in added]
        return all(any(squash(w) in t for t in texts) for w in self.wanted)


@contextmanager
def recording() -> Iterator[dict[str, Any]]:
    """While open, the engine asks no model and records what it would have offered one."""
    seen: dict[str, Any] = {}
    original = keylines.learned_lines

    def record(
        candidates: list[Candidate], shown: set[str], room: int, model: Any = None
    ) -> list[Candidate]:
        seen.update(candidates=candidates, shown=shown, room=room)
        return []

    keylines.learned_lines = record
    try:
        yield seen
    finally:
        keylines.learned_lines = original


def examples(rules_off: bool) -> list[Example]:
    """Every labelled design-half log, diagnosed with the model off."""
    rules = [{"id": r.id, "enabled": False} for r in load_rules().rules] if rules_off else None
    out = []
    with recording() as seen:
        for name, label in sorted(accuracy.load_expected().items()):
            if accuracy.split_of(f"{name}.log") != "design" or not label.get("key_lines"):
                continue
            seen.clear()
            got = diagnose(accuracy.LOGS / f"{name}.log", name=name, rules=rules)
            candidates = seen.get("candidates", [])
            out.append(
                Example(
                    name,
                    list(label["key_lines"]),
                    [k.text for k in got.key_lines],
                    candidates,
                    seen.get("room", 0),
                    [features(c) for c in candidates],
                )
            )
    return out


def train(data: list[Example]) -> dict[str, Any]:
    """Logistic regression by AdaGrad over the logs' candidate lines (fixed order)."""
    seen_in: Counter[str] = Counter()
    for example in data:
        seen_in.update(set().union(*example.features) if example.features else set())
    keep = {f for f, n in seen_in.items() if n >= MIN_DOCUMENTS or not f.startswith("w:")}
    rows = [
        (sorted(fs & keep), example.positive(c))
        for example in data
        for c, fs in zip(example.candidates, example.features, strict=True)
    ]
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    bias = bias_squares = 0.0
    order = list(range(len(rows)))
    shuffle = random.Random(7)
    for _ in range(EPOCHS):
        shuffle.shuffle(order)
        for i in order:
            fs, label = rows[i]
            z = bias + sum(weights.get(f, 0.0) for f in fs)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - float(label)
            bias_squares += g * g
            bias -= RATE * g / math.sqrt(bias_squares)
            for f in fs:
                w = weights.get(f, 0.0)
                gf = g + L2 * w
                squares[f] = squares.get(f, 0.0) + gf * gf
                weights[f] = w - RATE * gf / math.sqrt(squares[f])
    return {
        "bias": round(bias, 4),
        "weights": {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 1e-3},
    }


def model_data(data: list[Example], threshold: float = THRESHOLD, most: int = MOST) -> Any:
    fitted = train(data)
    return {
        "about": "logistic key-line scorer; written by tests/diagnose/corpus/train_lines.py",
        "min_documents": MIN_DOCUMENTS,
        "threshold": threshold,
        "most": most,
        **fitted,
        "trained_on": sorted(e.name for e in data),
    }


def added_lines(model: LineModel, example: Example) -> list[Candidate]:
    """What the engine would add to this log's key lines (as ``keylines`` asks)."""
    return learned_lines(
        example.candidates, {squash(t) for t in example.shown}, example.room, model
    )


def tally(data: list[Example], model_for: Callable[[Example], LineModel]) -> dict[str, int]:
    """The key-line hits without and with the model, the logs it changed and the lines it
    added that hold no labelled key line."""
    out = Counter[str]()
    for example in data:
        added = added_lines(model_for(example), example)
        before, after = example.hit([]), example.hit(added)
        out["logs"] += 1
        out["before"] += before
        out["after"] += after
        out["gained"] += after and not before
        out["changed"] += bool(added)
        out["added"] += len(added)
        out["noise"] += sum(not example.positive(c) for c in added)
    return dict(out)


def project(name: str) -> str:
    """A log's project, as its name says (``b12q_clojure_technomancy_leiningen_24310`` →
    ``clojure_technomancy_leiningen``): one project's jobs print one project's lines."""
    return re.sub(r"_\d+$", "", re.sub(r"^b\d+[a-z]*_", "", name))


def cross_validate(
    off: list[Example], on: list[Example], group: Callable[[str], str] = str
) -> list[dict[str, Any]]:
    """Fold by fold (grouped by log, or by ``group`` of its name), a model trained on the
    rest scores the held-out logs' lines; each grid point's figures, rules off and on."""
    keys = sorted({group(e.name) for e in off})
    random.Random(1).shuffle(keys)
    fold_of_key = {key: i % FOLDS for i, key in enumerate(keys)}
    fold_of = {e.name: fold_of_key[group(e.name)] for e in off}
    fitted = [train([e for e in off if fold_of[e.name] != fold]) for fold in range(FOLDS)]
    rows = []
    for threshold in GRID_THRESHOLDS:
        for most in GRID_MOST:
            models = [LineModel(f["weights"], f["bias"], threshold, most) for f in fitted]

            def model_for(example: Example, models: list[LineModel] = models) -> LineModel:
                return models[fold_of.get(example.name, 0)]

            rows.append(
                {
                    "grouped": "log" if group is str else group.__name__,
                    "threshold": threshold,
                    "most": most,
                    "off": tally(off, model_for),
                    "on": tally([e for e in on if e.name in fold_of], model_for),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate, write nothing")
    args = parser.parse_args(argv)
    off = examples(rules_off=True)
    if args.cv:
        on = examples(rules_off=False)
        for group in (str, project):
            for row in cross_validate(off, on, group):
                print(json.dumps(row))
        return 0
    data = model_data(off)
    MODEL_PATH.write_text(json.dumps(data, indent=0) + "\n")
    model = LineModel.from_dict(data)
    print(f"wrote {MODEL_PATH.name}: {len(off)} design-half logs; in-sample, rules off:")
    print(json.dumps(tally(off, lambda _: model)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
