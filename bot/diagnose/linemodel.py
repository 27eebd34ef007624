"""A learned key-line scorer: which of the failing step's last lines a maintainer reads first.

Why a model and not more patterns: on tools no rule knows, about a third of the key lines
the engine misses say what went wrong in no error word (``No Rakefile found (looking for:
…)``, ``Package size limit has exceeded by 49 B``, ``Task never defined: default``), so the
hand-written generic scorer (:func:`bot.diagnose.scorer.error_score`) gives them nothing,
and word lists written for them stopped generalising. A logistic regression over the
features of one line (its words, its shape, how far it is from the step's end, the hand
scorer's score) trained on the labelled design half of the corpus (``tests/diagnose/corpus/
train_lines.py`` writes ``line_model.json``; it reads design-half logs only, so the held-out
half measures it) finds many of them among the step's last lines.

It reads only lines the engine already holds (the step's tail before its exit line and the
generic scorer's kept lines: no new pass over the log) and only fills places the key lines
left free, after every failing test's message and every rule's line: it adds, never
replaces. A line it adds is marked ``rule: learned``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .guess import LONGEST_TOKEN, TOKEN, shipped_json
from .scorer import echoed, error_score

MODEL_FILE = "line_model.json"
LEARNED = "learned"  # the ``rule`` of a key line the model added
_LOCATED = re.compile(r"[\w./-]+\.[A-Za-z]\w{0,9}[:(]\d+")
_EXCEPTION = re.compile(r"^[\w.$]*[A-Z]\w*(?:Error|Exception|Failure)\b")
_NAMED = re.compile(r"^[\w .'-]{1,40}: \S")
_URL = re.compile(r"https?://")
_QUOTED = re.compile(r"[\"'`‘“][^\"'`’”]+[\"'`’”]")
_TAG = re.compile(r"^\[[^\]]{1,20}\]")
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("located", _LOCATED),
    ("url", _URL),
    ("quoted", _QUOTED),
)


@dataclass(frozen=True)
class Candidate:
    """One line the model may rank: its log line number and text, how many lines before
    the step's exit line it is (None: kept by the generic scorer outside the tail)."""

    number: int
    text: str
    from_end: int | None


def _bucket(value: int, edges: Iterable[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return "more"


def features(candidate: Candidate) -> set[str]:
    """The sparse features of one line: its distinct lower-case words (``w:``) and its
    shape (a source location, an exception name, indent, length, place, hand score)."""
    text = candidate.text
    stripped = text.strip()
    found = {f"w:{t}" for t in TOKEN.findall(stripped.lower()) if len(t) <= LONGEST_TOKEN}
    indent = len(text) - len(text.lstrip(" \t"))
    found.add("indent:" + ("tab" if text.startswith("\t") else _bucket(indent, (0, 1, 3, 7))))
    found.add("len:" + _bucket(len(stripped), (0, 10, 25, 50, 100, 200)))
    place = "kept" if candidate.from_end is None else _bucket(candidate.from_end, (0, 1, 2, 4, 8))
    found.add(f"end:{place}")
    found.add("score:" + _bucket(error_score(text), (0, 1, 3, 5, 7, 9, 12)))
    for name, pattern in _SHAPES:
        if pattern.search(stripped):
            found.add(name)
    if _EXCEPTION.match(stripped):
        found.add("exception")
    elif _NAMED.match(stripped):
        found.add("named")
    if _TAG.match(stripped):
        found.add("tag")
    if stripped.startswith("##["):
        found.add("runner")
    if echoed(stripped):
        found.add("echoed")
    if stripped.endswith(":"):
        found.add("ends_colon")
    if stripped[:1].isupper():
        found.add("capital")
    if not any(c.isalpha() for c in stripped):
        found.add("no_letters")
    return found


class LineModel:
    """Logistic regression over :func:`features`; ``threshold``: the least probability of a
    line the engine adds, ``most``: how many it adds at most."""

    def __init__(
        self, weights: Mapping[str, float], bias: float, threshold: float, most: int
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.most = most

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LineModel:
        return cls(data["weights"], float(data["bias"]), float(data["threshold"]), data["most"])

    def probability(self, candidate: Candidate) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features(candidate))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def shipped_model() -> LineModel | None:
    """The model trained on the corpus' design half, or None when it is not shipped."""
    data = shipped_json(MODEL_FILE)
    return None if data is None else LineModel.from_dict(data)


def learned_lines(
    candidates: list[Candidate],
    shown: set[str],
    room: int,
    model: LineModel | None = None,
) -> list[Candidate]:
    """The candidates the model takes for key lines, best first: at most ``room`` (and the
    model's ``most``), none whose text (spacing aside) is in ``shown``, none below the
    model's threshold; ``model`` defaults to the shipped one."""
    model = model or shipped_model()
    if model is None or room <= 0:
        return []
    seen = set(shown)
    ranked = []
    for candidate in candidates:
        text = " ".join(candidate.text.split())
        if not text or text in seen:
            continue
        seen.add(text)
        p = model.probability(candidate)
        if p >= model.threshold:
            ranked.append((-p, candidate.number, candidate))
    ranked.sort(key=lambda item: item[:2])
    return [c for _, _, c in ranked[: min(room, model.most)]]
