"""The corpus itself: every log labelled, labels complete, no machine paths, a fixed split;
and accuracy on the design half does not fall below the recorded floor."""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

CORPUS = Path(__file__).parent / "corpus"
LOGS = CORPUS / "logs"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS / "expected.yml").read_text(encoding="utf-8")
)
sys.path.insert(0, str(CORPUS))

import accuracy  # noqa: E402

CATEGORIES = {
    "test_failure",
    "lint",
    "format",
    "type_check",
    "build",
    "dependency_install",
    "infra_network",
    "infra_runner",
    "oom_killed",
    "timeout",
    "disk_full",
    "segfault",
    "cancelled",
    "unknown",
}
REQUIRED = ("category", "step", "failing_tests", "tool", "provenance")
# a path from the machine that generated the log: anything under /root or /tmp, or a home
# directory other than the runner's (the generator rewrites those to the runner's paths)
MACHINE_PATH = re.compile(r"(?<![\w./-])(?:/root(?:/|\b)|/tmp/|/home/(?!runner/))")
# a secret printed in clear by a published log (``export GITHUB_TOKEN=<40 hex>``, a
# ``ghp_…``-style token, a ``set -x`` trace of ``SAUCE_ACCESS_KEY=<uuid>`` or another
# ``…_ACCESS_KEY``/``…SECRET…``): redacted to ``[REDACTED]`` when the log is added
GITHUB_TOKEN = re.compile(
    r"\b\w*TOKEN=['\"]?[0-9a-f]{40}\b|\bgh[pousr]_[A-Za-z0-9]{36}"
    r"|\b\w*(?:ACCESS_KEY|SECRET\w*)=['\"]?[0-9A-Za-z][0-9A-Za-z+/-]{19,}"
)
# The design half as main's engine scored it at 569 logs (batch 8, issue 11: category,
# key line and unknown each 99.5 %, step and recall 100 %), less a point of slack for the
# next batch's design logs while their rules are written: no change may score worse. The
# lead raises these as the engine improves. The test half is reported by accuracy.py, never
# asserted (asserting it would invite tuning on it).
# The floor holds the design logs of batches up to FLOOR_THROUGH_BATCH (1,205 logs, as they
# stood at stop 35); every design log, later batches' too, is held by ``design_right.yml``:
# none may lose a metric it got right when the lead last recorded it.
DESIGN_FLOOR = {"category": 0.985, "step": 0.99, "key_line": 0.985, "test_recall": 0.99}
DESIGN_CEILING = {"spurious": 0.01, "unknown": 0.01}
FLOOR_THROUGH_BATCH = 31


def test_every_log_has_a_label_and_every_label_a_log() -> None:
    logs = {p.stem for p in LOGS.glob("*.log")}
    assert logs == set(EXPECTED), (
        f"unlabelled: {sorted(logs - set(EXPECTED))}; no log: {sorted(set(EXPECTED) - logs)}"
    )
    assert not [p.name for p in LOGS.iterdir() if p.suffix != ".log"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_label_is_complete(name: str) -> None:
    label = EXPECTED[name]
    assert [f for f in REQUIRED if f not in label] == []
    assert label["category"] in CATEGORIES
    assert isinstance(label["failing_tests"], list)
    provenance = str(label["provenance"])
    assert provenance.startswith(("ran: ", "https://", "http://")) or provenance == "framed"
    for failure in label.get("failures") or []:
        assert {"test", "message", "location"} <= set(failure)
        assert failure["test"] in label["failing_tests"]
        if failure["location"]:
            assert re.fullmatch(r"\S+:\d+", failure["location"])
    for step in label.get("failed_steps") or []:
        assert set(step) == {"step", "category"} and step["category"] in CATEGORIES
    log = (LOGS / f"{name}.log").read_text(encoding="utf-8")
    squashed = " ".join(re.sub(r"(?m)^\S+Z ", "", log).split())
    for key in label.get("key_lines") or []:
        assert " ".join(key.split()) in squashed, f"key line {key!r} is not in the log"
    if label["step"]:
        assert f"##[group]{label['step']}" in log


@pytest.mark.parametrize("path", sorted(LOGS.glob("*.log")), ids=lambda p: p.name)
def test_log_is_small_framed_and_has_no_machine_paths(path: Path) -> None:
    raw = path.read_bytes()
    assert len(raw) < 200_000
    text = raw.decode("utf-8")
    assert MACHINE_PATH.findall(text) == []
    assert GITHUB_TOKEN.findall(text) == []
    label = EXPECTED[path.stem]
    if accuracy.source_of(label) == "published":
        return  # text a project published (an issue paste, an archived log): kept as published
    stamped = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ")
    assert all(stamped.match(line) for line in text.splitlines())
    assert "##[group]Run " in text


def test_corpus_size_and_spread() -> None:
    # A budget for the clone, not a behaviour: batches 6-8 added 179 whole Travis CI job logs
    # (each < 200 kB, trimmed by line ranges) and took the corpus to 24 MB; batch 9's are kept
    # under 100 kB each and batches 10-17 under 70 kB (about 2.5 MB a batch). 50 MB holds
    # batch 17 with room for two more; the whole repository (history included) packs to
    # about 11 MB.
    total = sum(p.stat().st_size for p in LOGS.glob("*.log"))
    assert total < 50_000_000
    halves = [accuracy.split_of(f"{n}.log") for n in EXPECTED]
    assert halves.count("design") and halves.count("test")


def test_corpus_is_large_varied_and_mostly_real() -> None:
    tools = {label["tool"] for label in EXPECTED.values()}
    framed = [n for n, label in EXPECTED.items() if label["provenance"] == "framed"]
    assert len(EXPECTED) >= 250 and len(tools) >= 60
    assert len(framed) < 0.15 * len(EXPECTED), framed
    assert {label["category"] for label in EXPECTED.values()} == CATEGORIES


def test_split_rule_is_the_documented_one() -> None:
    for name in EXPECTED:
        first = hashlib.sha256(f"{name}.log".encode()).digest()[0]
        assert accuracy.split_of(f"{name}.log") == ("design" if first % 2 == 0 else "test")
    assert accuracy.split_of("pytest_basic.log") == accuracy.split_of("pytest_basic.log")


def test_token_pattern_catches_what_it_should() -> None:
    assert GITHUB_TOKEN.search(
        "$ export PUBLIC_GITHUB_TOKEN=16edc0b78343268fd3e3f3df777dc225405b2477"
    )
    assert GITHUB_TOKEN.search("token ghp_" + "a1B2" * 9)
    assert not GITHUB_TOKEN.search("$ export GITHUB_TOKEN=[secure]")
    assert not GITHUB_TOKEN.search("$ export PUBLIC_GITHUB_TOKEN=[REDACTED]")
    assert GITHUB_TOKEN.search("++ export SAUCE_ACCESS_KEY=78924453-3ea4-4aa8-acbf-8ff434f889b9")
    assert GITHUB_TOKEN.search("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert not GITHUB_TOKEN.search("+ SAUCE_ACCESS_KEY=[REDACTED]")
    assert not GITHUB_TOKEN.search("SAUCE_ACCESS_KEY=$(echo $KEY | rev)")


def test_machine_path_pattern_catches_what_it_should() -> None:
    assert MACHINE_PATH.search('File "/root/.pyenv/x.py"')
    assert MACHINE_PATH.search("cd /tmp/pitcrew-corpus-1/proj")
    assert MACHINE_PATH.search("/home/alice/src")
    assert not MACHINE_PATH.search("/home/runner/work/proj/proj/a.py")
    assert not MACHINE_PATH.search("write /var/lib/docker/tmp/x: no space left")


@functools.cache
def design_result() -> dict[str, Any]:
    """The design half, scored once for the floor and the ratchet."""
    return accuracy.evaluate("design")


def test_accuracy_on_the_design_half_holds_its_floor() -> None:
    result = design_result()
    assert result["count"] == len(accuracy.cases_in("design"))
    floored = [
        case
        for case in result["cases"]
        if accuracy.batch_of(EXPECTED[case["name"]]) <= FLOOR_THROUGH_BATCH
    ]
    assert len(floored) >= 1205
    for metric, floor in DESIGN_FLOOR.items():
        ratio = _ratio(floored, metric)
        assert ratio is not None and ratio >= floor - 1e-9, (metric, ratio, floor)
    for metric, ceiling in DESIGN_CEILING.items():
        ratio = _ratio(floored, metric)
        assert ratio is None or ratio <= ceiling + 1e-9, (metric, ratio, ceiling)


def _ratio(cases: list[dict[str, Any]], metric: str) -> float | None:
    marks = [case["marks"][metric] for case in cases if metric in case["marks"]]
    trials = sum(trials for _hits, trials in marks)
    return sum(hits for hits, _trials in marks) / trials if trials else None


def test_no_design_log_loses_what_it_got_right() -> None:
    recorded: dict[str, list[str]] = yaml.safe_load(accuracy.RIGHT_FILE.read_text(encoding="utf-8"))
    now = {case["name"]: accuracy.right_metrics(case["marks"]) for case in design_result()["cases"]}
    lost = sorted(
        f"{name}: {metric}"
        for metric, names in recorded.items()
        for name in names
        if metric not in now.get(name, set())
    )
    assert not lost, lost
    assert sum(map(len, recorded.values())) > 5000  # the file is the design half's, not empty


def test_right_metrics_reads_hits_and_bad_hits() -> None:
    marks = {"category": (1.0, 1), "key_line": (0.0, 1), "test_recall": (2, 3), "unknown": (0.0, 1)}
    assert accuracy.right_metrics(marks) == {"category", "unknown"}
    assert accuracy.right_metrics({"spurious": (1, 4), "message": (2, 2)}) == {"message"}


def test_claimed_is_what_the_comment_states_without_a_hedge() -> None:
    def got(category: str, confidence: float, guess: object = None) -> SimpleNamespace:
        return SimpleNamespace(category=category, confidence=confidence, guess=guess)

    assert accuracy.claimed(got("build", 0.9))
    assert accuracy.claimed(got("lint", accuracy.LOW_CONFIDENCE))
    assert not accuracy.claimed(got("unknown", 0.9))
    assert not accuracy.claimed(got("build", accuracy.LOW_CONFIDENCE - 0.05))  # "low confidence"
    assert not accuracy.claimed(got("build", 0.9, {"category": "build"}))  # "maybe build"


def test_accuracy_report_prints_both_halves(capsys: pytest.CaptureFixture[str]) -> None:
    # one batch: scoring the whole corpus again would double the floor test's cost
    assert accuracy.main(["--half", "both", "--batch", "33"]) == 0
    out = capsys.readouterr().out
    assert "== design half" in out and "== test half" in out and "per tool" in out


def test_per_test_messages_are_scored_once_the_engine_reports_failures() -> None:
    label = {
        "failures": [
            {"test": "t::a", "message": "assert 5 == 4", "location": "t.py:3"},
            {"test": "t::b", "message": "KeyError: 'x'", "location": None},
        ]
    }
    marks: dict[str, tuple[float, float]] = {}
    problems: list[str] = []
    reported = [
        {"test": "t::a", "message": "E   assert 5 == 4\n  +  where 5 = f()", "location": "t.py:3"},
        {"test": "t::b", "message": "ValueError: x", "location": "t.py:9", "line": 40},
    ]
    accuracy._score_messages(label, reported, marks, problems)
    assert marks["message"] == (1, 2) and marks["location"] == (1, 1)
    assert len(problems) == 1 and "t::b" in problems[0]
    absent: dict[str, tuple[float, float]] = {}
    accuracy._score_messages(label, None, absent, [])
    assert absent == {}


def test_source_filter_partitions_the_corpus_by_provenance() -> None:
    assert accuracy.source_of({"provenance": "https://github.com/o/r/issues/1"}) == "published"
    assert accuracy.source_of({"provenance": "framed: runner lost"}) == "framed"
    assert accuracy.source_of({"provenance": "ran: python -m pytest -q"}) == "ran"
    every = set(accuracy.cases_in("all"))
    parts = [set(accuracy.cases_in("all", source=s)) for s in accuracy.SOURCES]
    assert set().union(*parts) == every
    assert sum(len(p) for p in parts) == len(every)
    assert all(parts), "each provenance has logs"
    published = accuracy.evaluate("test", source="published")
    assert published["source"] == "published"
    assert published["count"] == len(accuracy.cases_in("test", source="published"))
