"""Accuracy of the diagnosis engine over the committed corpus, per half, per metric, per tool.

``python tests/diagnose/corpus/accuracy.py [--half design|test|all] [--batch N]
[--source ran|published|framed] [--json] [-v]``

The corpus is split once, by a fixed rule decided before any rule was tuned on it: a log
belongs to the *design* half when the first byte of ``sha256(<log file name>)`` is even,
else to the *test* half (``split_of()``). Rules may be written from the design half; the
test half is only ever measured, so its figures say how well the engine generalises.

Metrics (each over the cases where the label says something about it):

- ``category``: the diagnosis' category equals the label's.
- ``step``: the failing step's title equals the label's ``step``.
- ``key_line``: every ``key_lines`` substring of the label occurs in some key line's text
  (the line a maintainer reads first is shown).
- ``test_recall``: expected failing tests reported / expected failing tests.
- ``recall_per_log``: the same per log, averaged over logs that name failing tests, so
  one log of fifty failing tests weighs what a log of one does (``test_recall`` counts
  tests, and a single suite that breaks at its root can dominate it).
- ``spurious``: reported failing tests that the label does not name / reported tests.
- ``unknown``: the engine said ``unknown`` where the label names a cause.
- ``message``: per expected failing test with a ``message``, the engine's ``failures`` entry
  for that test contains the message (whitespace-collapsed); ``location`` likewise for
  ``path:line``. ``n/a`` while the engine has no ``failures`` field.
- ``exact``: category, step and every expected failing test right (the old single score).
- ``claimed``: over the logs whose comment states the category without a hedge (not
  ``unknown``, not a guess, confidence at least the comment's ``LOW_CONFIDENCE``), the
  category is right: how often what Pitcrew asserts is so. Not a target of the issue; it
  says how far a reader may trust the plain claims while ``category`` is below target.

Importable: ``split_of()``, ``load_expected()``, ``score_case()``, ``evaluate()``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LOGS = HERE / "logs"
sys.path.insert(0, str(HERE.parents[2]))

from bot.diagnose.engine import diagnose  # noqa: E402
from bot.diagnose.pastemargin import viewer_links  # noqa: E402
from bot.diagnose.render import LOW_CONFIDENCE  # noqa: E402
from bot.diagnose.rules import load_rules  # noqa: E402

HALVES = ("design", "test")
METRICS = (
    "exact",
    "category",
    "step",
    "key_line",
    "test_recall",
    "recall_per_log",
    "spurious",
    "unknown",
    "message",
    "location",
    "claimed",
)


def split_of(log_name: str) -> str:
    """The fixed split rule: first byte of sha256(log file name) even → design, odd → test."""
    return "design" if hashlib.sha256(log_name.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def load_expected() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(
        (HERE / "expected.yml").read_text(encoding="utf-8")
    )
    return data


def batch_of(label: Mapping[str, Any]) -> int:
    """The collection round a log was added in (``batch:`` in its label; 1 when absent).

    A later batch's test-half logs were never seen by anyone writing rules before that
    round, so ``--batch N --half test`` is the cleanest generalisation figure there is.
    """
    return int(label.get("batch", 1))


SOURCES = ("ran", "published", "framed")


def source_of(label: Mapping[str, Any]) -> str:
    """Where a log's text came from, by its ``provenance``: a public URL is ``published`` (what
    a project posted in an issue or committed as a fixture: the closest thing to the logs a
    user brings), ``framed`` a runner-side message written into a job log, else ``ran`` here."""
    provenance = str(label.get("provenance", ""))
    if provenance.startswith(("https://", "http://")):  # a few blogs have no TLS
        return "published"
    return "framed" if provenance.startswith("framed") else "ran"


def cases_in(
    half: str,
    expected: Mapping[str, Any] | None = None,
    batch: int | None = None,
    source: str | None = None,
) -> list[str]:
    labels = expected if expected is not None else load_expected()
    return [
        n
        for n in sorted(labels)
        if (half == "all" or split_of(f"{n}.log") == half)
        and (batch is None or batch_of(labels[n]) == batch)
        and (source is None or source_of(labels[n]) == source)
    ]


@dataclass
class Tally:
    """Hits over trials for one metric; ``None`` ratio when nothing was measured."""

    hits: float = 0
    trials: float = 0

    def add(self, hit: float, trials: float = 1) -> None:
        self.hits += hit
        self.trials += trials

    @property
    def ratio(self) -> float | None:
        return self.hits / self.trials if self.trials else None


@dataclass
class CaseScore:
    name: str
    tool: str
    category: str
    got_category: str
    problems: list[str] = field(default_factory=list)
    marks: dict[str, tuple[float, float]] = field(default_factory=dict)


def _squash(text: str) -> str:
    # a line-number link of the Actions web view spliced into a pasted line
    # (``1[2](…#step:7:2)0``): the engine reads the line without it (``viewer_links``), a
    # label may quote it as the page showed it
    return " ".join(viewer_links(text.encode()).decode().split())


def _field(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


def _engine_failures(got: Any) -> list[Any] | None:
    """The diagnosis' ``failures`` list, or None while the engine does not produce one."""
    failures = getattr(got, "failures", None)
    return None if failures is None else list(failures)


# the rules the engine runs with: None = the shipped ones; ``--without-rules`` disables every
# shipped rule, so what is left (extractors, generic scorer, fallback) is measured alone
RULES: list[dict[str, Any]] | None = None


def claimed(got: Any) -> bool:
    """Whether the comment states ``got``'s category plainly: not ``unknown``, not a guess
    (said as "maybe"), not below ``LOW_CONFIDENCE`` (said with "low confidence")."""
    return bool(got.category != "unknown" and not got.guess and got.confidence >= LOW_CONFIDENCE)


def score_case(name: str, want: Mapping[str, Any]) -> CaseScore:
    got = diagnose(LOGS / f"{name}.log", name=name, rules=RULES)
    score = CaseScore(name, want.get("tool", "?"), want["category"], got.category)
    marks = score.marks
    problems = score.problems

    marks["category"] = (float(got.category == want["category"]), 1)
    if got.category != want["category"]:
        problems.append(f"category {got.category} != {want['category']}")
    if want["category"] != "unknown":
        marks["unknown"] = (float(got.category == "unknown"), 1)
    if claimed(got):
        marks["claimed"] = (float(got.category == want["category"]), 1)
    if want.get("step"):
        marks["step"] = (float(got.failing_step == want["step"]), 1)
        if got.failing_step != want["step"]:
            problems.append(f"step {got.failing_step!r} != {want['step']!r}")

    texts = [_squash(k.text) for k in got.key_lines]
    wanted_keys = want.get("key_lines") or []
    if wanted_keys:
        absent = [k for k in wanted_keys if not any(_squash(k) in t for t in texts)]
        marks["key_line"] = (float(not absent), 1)
        if absent:
            problems.append(f"key lines without {absent}")

    expected_tests = list(want.get("failing_tests") or [])
    reported = list(got.failing_tests)
    missing = [t for t in expected_tests if t not in reported]
    if expected_tests:
        marks["test_recall"] = (len(expected_tests) - len(missing), len(expected_tests))
        marks["recall_per_log"] = (1 - len(missing) / len(expected_tests), 1)
    if missing:
        problems.append(f"missing tests {missing}")
    if reported:
        extra = [t for t in reported if t not in expected_tests]
        marks["spurious"] = (len(extra), len(reported))
        if extra:
            problems.append(f"spurious tests {extra}")
    step_ok = marks["step"][0] if "step" in marks else 1.0
    marks["exact"] = (float(bool(marks["category"][0] and step_ok and not missing)), 1)

    _score_messages(want, _engine_failures(got), marks, problems)
    return score


def _score_messages(
    want: Mapping[str, Any],
    failures: list[Any] | None,
    marks: dict[str, tuple[float, float]],
    problems: list[str],
) -> None:
    labelled = [f for f in want.get("failures") or [] if f.get("message")]
    if failures is None or not labelled:
        return
    by_test = {str(_field(f, "test")): f for f in failures}
    msg_hits = loc_hits = loc_trials = 0
    for label in labelled:
        found = by_test.get(label["test"])
        message = _squash(str(_field(found, "message") or "")) if found is not None else ""
        if _squash(label["message"]) in message:
            msg_hits += 1
        else:
            problems.append(f"message of {label['test']!r}: {message[:80]!r}")
        if label.get("location"):
            loc_trials += 1
            location = _field(found, "location") if found is not None else None
            loc_hits += int(location == label["location"])
    marks["message"] = (msg_hits, len(labelled))
    if loc_trials:
        marks["location"] = (loc_hits, loc_trials)


def evaluate(
    half: str = "all", batch: int | None = None, source: str | None = None
) -> dict[str, Any]:
    """Per-metric ratios (and per tool) for one half; ``cases`` lists each case's problems."""
    expected = load_expected()
    scores = [score_case(n, expected[n]) for n in cases_in(half, expected, batch, source)]
    result = summarise(scores, half)
    result["batch"] = batch
    result["source"] = source
    return result


def summarise(scores: Iterable[CaseScore], half: str) -> dict[str, Any]:
    overall = {m: Tally() for m in METRICS}
    per_tool: dict[str, dict[str, Tally]] = defaultdict(lambda: {m: Tally() for m in METRICS})
    per_category: dict[str, dict[str, Tally]] = defaultdict(lambda: {m: Tally() for m in METRICS})
    cases = []
    for score in scores:
        for metric, (hit, trials) in score.marks.items():
            overall[metric].add(hit, trials)
            per_tool[score.tool][metric].add(hit, trials)
            per_category[score.category][metric].add(hit, trials)
        cases.append(asdict(score))

    def table(tallies: Mapping[str, Tally]) -> dict[str, Any]:
        return {m: {"hits": t.hits, "of": t.trials, "ratio": t.ratio} for m, t in tallies.items()}

    return {
        "half": half,
        "count": len(cases),
        "metrics": table(overall),
        "per_tool": {k: table(v) for k, v in sorted(per_tool.items())},
        "per_category": {k: table(v) for k, v in sorted(per_category.items())},
        "cases": cases,
    }


# What each design log gets right, recorded when the lead lands a change (``--record-right``):
# ``test_corpus`` asserts that no design log loses a metric it had. This holds every design
# log, including a new batch's, whose logs the percentage floor would otherwise force a
# helper to fit all at once (the way rules are written for one paste).
RIGHT_FILE = HERE / "design_right.yml"
# right = every trial a hit; for these two a hit is bad, so right = no hit
BAD_METRICS = ("spurious", "unknown")
RIGHT_METRICS = ("category", "step", "key_line", "test_recall", "message", "location")


def right_metrics(marks: Mapping[str, Any]) -> set[str]:
    """The metrics one case gets right, from its ``marks`` (``{metric: (hits, trials)}``)."""
    right = {m for m in RIGHT_METRICS if m in marks and marks[m][0] == marks[m][1]}
    return right | {m for m in BAD_METRICS if m in marks and marks[m][0] == 0}


def record_right(result: Mapping[str, Any]) -> dict[str, list[str]]:
    """``{metric: sorted names}`` of the cases that get each metric right."""
    names: dict[str, list[str]] = {m: [] for m in (*RIGHT_METRICS, *BAD_METRICS)}
    for case in result["cases"]:
        for metric in right_metrics(case["marks"]):
            names[metric].append(case["name"])
    return {m: sorted(v) for m, v in names.items()}


def _pct(cell: Mapping[str, Any]) -> str:
    ratio = cell["ratio"]
    return "  n/a" if ratio is None else f"{100 * ratio:5.1f}"


def print_report(result: Mapping[str, Any], verbose: bool) -> None:
    metrics = result["metrics"]
    batch = f", batch {result['batch']}" if result.get("batch") is not None else ""
    source = f", {result['source']} logs only" if result.get("source") else ""
    print(f"== {result['half']} half{batch}{source}: {result['count']} logs ==")
    print(f"{'metric':14} {'%':>6}  hits/of")
    for metric in METRICS:
        cell = metrics[metric]
        print(f"{metric:14} {_pct(cell):>6}  {round(cell['hits'], 1):g}/{cell['of']:g}")
    for title, key in (("category", "per_category"), ("tool", "per_tool")):
        print(f"\n{'per ' + title:22} {'n':>3} {'cat%':>6} {'step%':>6} {'key%':>6} {'tests%':>6}")
        for name, cells in result[key].items():
            n = cells["category"]["of"]
            row = " ".join(
                f"{_pct(cells[m]):>6}" for m in ("category", "step", "key_line", "test_recall")
            )
            print(f"{name:22} {n:3g} {row}")
    if verbose:
        print()
        for case in result["cases"]:
            if case["problems"]:
                print(f"MISS {case['name']} [{case['tool']}]: {'; '.join(case['problems'])}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=(*HALVES, "all", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each miss")
    parser.add_argument(
        "--batch", type=int, default=None, help="only logs of this collection round (label `batch`)"
    )
    parser.add_argument(
        "--source",
        choices=SOURCES,
        default=None,
        help="only logs of this provenance: ran here, published by a project (a URL), framed",
    )
    parser.add_argument(
        "--without-rules",
        action="store_true",
        help="disable every shipped rule: how the engine does on tools no rule knows",
    )
    parser.add_argument(
        "--record-right",
        action="store_true",
        help=f"evaluate the design half and write what each log gets right to {RIGHT_FILE.name}",
    )
    args = parser.parse_args(argv)
    if args.record_right:
        right = record_right(evaluate("design"))
        RIGHT_FILE.write_text(yaml.safe_dump(right, width=100), encoding="utf-8")
        print(f"wrote {RIGHT_FILE.name}: " + ", ".join(f"{m} {len(v)}" for m, v in right.items()))
        return 0
    if args.without_rules:
        global RULES
        RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]
    halves = list(HALVES) if args.half == "both" else [args.half]
    results = [evaluate(h, args.batch, args.source) for h in halves]
    if args.json:
        print(json.dumps(results if len(results) > 1 else results[0], indent=1))
    else:
        for result in results:
            print_report(result, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
