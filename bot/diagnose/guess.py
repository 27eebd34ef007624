"""The last resort for a log that no rule, no test framework and no fallback could name: a
naive Bayes guess of the category from the words of its key lines and failing step.

Why a model and not more rules: on tools no rule knows, the rule-free fallback answers
``unknown`` for about one log in nine, and hand-written word lists for those stopped
generalising (their gains on the design half did not carry over to the held-out half). A
model trained on the labelled design half of the corpus and on the shipped rules' hints
(``tests/diagnose/corpus/train_guess.py`` writes ``guess_model.json``; it reads design-half
logs only, so the held-out half measures it; a hint names its tool and says in words what
failed, so a tool only a rule's author knew speaks for its category too) answers about a
third of those right in cross-validation, about two right for every wrong one. It only
ever replaces ``unknown``, never a category that evidence named, and a guess is marked as
one (``Diagnosis.guess``: the comment says so, confidence stays low, no re-run is offered).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

TOKEN = re.compile(r"[a-z][a-z0-9]+")
# a source file's extension says the language (``.py:12``, ``foo.ts``)
EXTENSION = re.compile(r"\.([a-z]{1,5})(?::\d+|\b)")
KEY_LINES = 8  # the key lines a guess reads, best first
LONGEST_TOKEN = 30  # longer runs are hashes and identifiers, not words
# below this posterior the guess is as likely wrong as right (cross-validated on the design
# half: see train_guess.py --cv): the log stays ``unknown``
LEAST_PROBABILITY = 0.6
# and at least one word must speak for the category e^0.75 (about twice) as much as for
# any other: words every log has ("error", "exit", "code") can add up to a
# confident-looking posterior on their own (train_guess.py --cv on the 1,159-log design
# half, with the stems, of 211 rule-free unknowns: 62 right, 30 wrong guesses at 0.75; 52
# right, 22 wrong at 1.0; 67 right, 40 wrong at 0.5)
LEAST_LIFT = 0.75
# a word speaks for a category only if it was seen with it in this many training logs: a
# small category's one-off word looks characteristic otherwise
LEAST_SUPPORT = 3
WORDS_SHOWN = 3
MODEL_FILE = "guess_model.json"


# word stems that say what kind of work failed, inside whatever a tool is called or however
# a word is inflected (``ktlint``, ``cpplint`` and ``ansible-lint`` all hold ``lint``;
# ``compiling``, ``compilation``, ``compiler`` hold ``compil``): a tool the training logs
# never showed still shares its stem with tools they did (cross-validated on the design
# half, train_guess.py --cv: more right guesses for about as many wrong)
STEMS = (
    "lint", "fmt", "format", "style", "test", "spec", "assert", "compil", "build", "link",
    "syntax", "undefined", "undeclared", "module", "import", "install", "download", "resolv",
    "depend", "package", "timeout", "memory", "heap", "kill", "signal", "segment", "connect",
    "network", "certificat", "space", "disk", "type", "check", "cancel", "runner", "deprecat",
)  # fmt: skip


def words(lines: Iterable[str], step: str | None) -> set[str]:
    """The features of one log: the distinct words of its first key lines and of its
    failing step's title, ``ext_<x>`` for each source-file extension they name and
    ``stem_<s>`` for each of :data:`STEMS` inside a word."""
    text = " ".join(list(lines)[:KEY_LINES]).lower() + " " + (step or "").lower()
    found = {t for t in TOKEN.findall(text) if len(t) <= LONGEST_TOKEN}
    stems = {f"stem_{s}" for t in found for s in STEMS if s in t}
    return found | stems | {f"ext_{e}" for e in EXTENSION.findall(text)}


@dataclass(frozen=True)
class Guess:
    category: str
    probability: float
    words: tuple[str, ...]  # the words that spoke most for it, strongest first
    # how much more the strongest word (seen with it in LEAST_SUPPORT logs) speaks for it
    # than for any other category, in nats
    lift: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"probability": self.probability, "words": list(self.words)}


class GuessModel:
    """Multinomial naive Bayes over word presence, with additive smoothing."""

    def __init__(
        self,
        documents: Mapping[str, int],
        counts: Mapping[str, Mapping[str, int]],
        alpha: float,
    ) -> None:
        self.alpha = alpha
        self.vocabulary = frozenset(counts)
        self._counts = counts
        total = sum(documents.values())
        self.prior = {c: math.log(n / total) for c, n in documents.items()}
        seen = {c: 0 for c in documents}
        for per_category in counts.values():
            for category, n in per_category.items():
                seen[category] += n
        size = len(self.vocabulary)
        self._unseen = {c: math.log(alpha / (seen[c] + alpha * size)) for c in documents}
        self._log = {
            token: {
                c: math.log((per_category.get(c, 0) + alpha) / (seen[c] + alpha * size))
                for c in documents
            }
            for token, per_category in counts.items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GuessModel:
        return cls(data["documents"], data["counts"], float(data["alpha"]))

    def _token_log(self, token: str, category: str) -> float:
        return self._log[token].get(category, self._unseen[category])

    def guess(self, features: set[str]) -> Guess:
        known = sorted(features & self.vocabulary)
        scores = {
            c: prior + sum(self._token_log(t, c) for t in known) for c, prior in self.prior.items()
        }
        best = max(scores, key=lambda c: (scores[c], c))
        top = scores[best]
        probability = 1.0 / sum(math.exp(s - top) for s in scores.values())
        others = [c for c in scores if c != best]

        def lift(token: str) -> float:
            return self._token_log(token, best) - max(self._token_log(token, c) for c in others)

        lifts = {t: lift(t) for t in known if self._counts[t].get(best, 0) >= LEAST_SUPPORT}
        spoke = sorted((t for t in lifts if lifts[t] > 0), key=lambda t: (-lifts[t], t))
        strongest = lifts[spoke[0]] if spoke else 0.0
        return Guess(best, round(probability, 2), tuple(spoke[:WORDS_SHOWN]), strongest)


def shipped_json(name: str) -> Any | None:
    """A model file shipped next to this module (trained on the corpus' design half), or
    None when it is not shipped: the guess and the learned key lines read theirs alike."""
    source = resources.files(__package__).joinpath(name)
    if not source.is_file():
        return None
    return json.loads(source.read_text(encoding="utf-8"))


@cache
def shipped_model() -> GuessModel | None:
    """The model trained on the corpus' design half, or None when it is not shipped."""
    data = shipped_json(MODEL_FILE)
    return None if data is None else GuessModel.from_dict(data)


def guess_category(
    key_lines: Iterable[str], step: str | None, model: GuessModel | None = None
) -> Guess | None:
    """A category for a log the engine calls ``unknown``, when the words say one clearly
    enough (never ``unknown`` itself, never below :data:`LEAST_PROBABILITY`); ``model``
    defaults to the shipped one."""
    model = model or shipped_model()
    if model is None:
        return None
    guess = model.guess(words(key_lines, step))
    return guess if convincing(guess) else None


def convincing(guess: Guess) -> bool:
    """A guess worth saying: a category, likely enough, with a word that speaks for it."""
    return (
        guess.category != "unknown"
        and guess.probability >= LEAST_PROBABILITY
        and guess.lift >= LEAST_LIFT
    )
