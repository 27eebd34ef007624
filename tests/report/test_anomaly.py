"""Anomaly detection: finds real regressions, stays quiet on noisy-but-normal series."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest

from bot.report.anomaly import (
    AnomalyConfig,
    check_continuous,
    check_rate,
    continuous_shift,
    dispersion,
    fisher_greater,
    normal_sf,
    rate_increase,
)
from bot.report.records import jobs_from_api, runs_from_api
from bot.report.stats import analyze
from bot.report.synthetic import Regression, WorkflowSpec, generate

from .helpers import NOW, SPECS

START = NOW - timedelta(days=35)
WINDOW_START = NOW - timedelta(days=7)


def _analyze(seed: int, regressions=(), specs=SPECS):
    h = generate(specs, START, NOW, seed=seed, regressions=regressions)
    return analyze(runs_from_api(h.runs), jobs_from_api(h.jobs), now=NOW)


@pytest.mark.parametrize("seed", range(12))
def test_noisy_but_normal_history_is_not_flagged(seed):
    report = _analyze(seed)
    assert report.anomalies == [], [a.message for a in report.anomalies]


W = WINDOW_START
REGRESSIONS = [
    pytest.param(Regression("CI", "duration", W, factor=1.6), "duration", id="ci-slower-60pct"),
    pytest.param(Regression("Lint", "duration", W, factor=2.0), "duration", id="lint-2x"),
    pytest.param(Regression("CI", "failure_rate", W, rate=0.35), "failure_rate", id="ci-35pct"),
    pytest.param(Regression("Lint", "failure_rate", W, rate=0.3), "failure_rate", id="lint-30pct"),
    pytest.param(Regression("CI", "queue_time", W, factor=5.0), "queue_time", id="ci-queue-5x"),
    pytest.param(Regression("Noisy", "duration", W, factor=3.0), "duration", id="noisy-3x"),
]  # fmt: skip


@pytest.mark.parametrize(("regression", "metric"), REGRESSIONS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_real_regressions_are_flagged(seed, regression, metric):
    report = _analyze(seed, [regression])
    found = [a for a in report.anomalies if a.job is None]
    assert [(a.workflow, a.metric) for a in found] == [(regression.workflow, metric)]
    a = found[0]
    assert a.window_value > a.baseline_value
    assert a.change_pct is None or a.change_pct >= 25
    assert a.evidence["window_n"] >= 10 and a.evidence["baseline_n"] >= 20
    assert regression.workflow in a.message and "baseline" in a.message


def test_job_level_regression_names_the_job():
    reg = Regression("CI", "duration", WINDOW_START, factor=1.8)
    report = _analyze(5, [reg], specs=SPECS[:1])
    jobs = {a.job for a in report.anomalies if a.job is not None and a.metric == "duration"}
    assert jobs == {"build", "test (ubuntu-latest)"}


def test_improvements_are_not_anomalies():
    reg = Regression("CI", "duration", WINDOW_START, factor=0.4)
    report = _analyze(1, [reg], specs=SPECS[:1])
    assert report.anomalies == []


def test_too_few_runs_are_never_flagged():
    spec = WorkflowSpec("Rare", runs_per_day=0.8, weekend_factor=1.0)
    reg = Regression("Rare", "duration", WINDOW_START, factor=3.0)
    report = _analyze(1, [reg], specs=[spec])
    window_runs = report.workflows[0].runs
    assert window_runs < 10
    assert report.anomalies == []


def test_regression_below_min_change_is_not_flagged():
    # Lint has ~200 runs a week: +15 % is statistically clear but below the 25 % bar.
    reg = Regression("Lint", "duration", WINDOW_START, factor=1.15)
    spec = WorkflowSpec("Lint", duration_s=60, runs_per_day=30, day_sigma=0.02, jobs=(("lint", 1),))
    report = _analyze(1, [reg], specs=[spec])
    shift_z = [a for a in report.anomalies if a.metric == "duration"]
    assert shift_z == []
    lowered = analyze(
        runs_from_api(generate([spec], START, NOW, seed=1, regressions=[reg]).runs),
        now=NOW,
        config=__import__("bot.report.stats", fromlist=["ReportConfig"]).ReportConfig(
            anomaly=AnomalyConfig(min_change=0.1, min_seconds_change=1)
        ),
    )
    assert [a.metric for a in lowered.anomalies] == ["duration"]


def _series(rng, days, per_day, center, sigma, day_sigma, start):
    out = []
    for d in range(days):
        effect = math.exp(rng.gauss(0, day_sigma))
        for _ in range(per_day):
            ts = start + timedelta(days=d, seconds=rng.randrange(86400))
            out.append((ts, center * effect * math.exp(rng.gauss(0, sigma))))
    return out


def test_weekday_aware_baseline_when_data_allows():
    rng = random.Random(3)
    base = _series(rng, 28, 10, 300, 0.2, 0.05, START)
    win = _series(rng, 7, 10, 300, 0.2, 0.05, WINDOW_START)
    shift = continuous_shift(win, base)
    assert shift is not None and shift.method == "daily-median-mad-weekday"
    assert abs(shift.z) < 3.5
    short = continuous_shift(win, base[: 10 * 5])  # 5 baseline days: per-run fallback
    assert short is not None and short.method == "run-median-mad"


def test_constant_baseline_uses_resolution_floor():
    # Identical durations (MAD = 0) must not make a 1-second wobble infinitely significant.
    base = [(START + timedelta(days=d, hours=h), 100.0) for d in range(28) for h in range(3)]
    win = [(WINDOW_START + timedelta(days=d, hours=h), 101.0) for d in range(7) for h in range(3)]
    shift = continuous_shift(win, base)
    assert shift is not None and math.isfinite(shift.z)
    assert check_continuous("CI", "duration", win, base) is None


def test_min_sample_sizes():
    base = [(START + timedelta(days=d), 100.0) for d in range(19)]
    win = [(WINDOW_START + timedelta(hours=h), 500.0) for h in range(30)]
    assert continuous_shift(win, base) is None
    assert continuous_shift(win[:9], base * 2) is None
    assert rate_increase(9, 9, 0, 100) is None
    assert rate_increase(9, 10, 0, 19) is None


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ((3, 4, 1, 4), 0.24286),  # Fisher's tea tasting, one-sided
        ((10, 10, 0, 10), 5.41e-6),
        ((0, 10, 5, 10), 1.0),
        ((1, 20, 1, 20), 0.7564),
    ],
    ids=["tea", "extreme", "opposite", "equal"],
)
def test_fisher_exact_matches_reference_values(table, expected):
    assert fisher_greater(*table) == pytest.approx(expected, rel=1e-3)


def test_two_proportion_test_and_dispersion():
    test = rate_increase(30, 100, 50, 500)
    assert test is not None and test.method == "two-proportion-z"
    assert test.z == pytest.approx(5.371, abs=0.005)  # 0.2 / √(0.1333·0.8667·0.012)
    assert test.p_value == pytest.approx(normal_sf(test.z))
    inflated = rate_increase(30, 100, 50, 500, phi=4.0)
    assert inflated.z == pytest.approx(test.z / 2)
    assert dispersion([(5, 50)] * 10) == 1.0  # perfectly even days: no over-dispersion
    assert dispersion([(0, 50), (25, 50)] * 5) > 10  # wild days


def test_small_counts_use_fisher():
    test = rate_increase(4, 10, 0, 30)
    assert test is not None and test.method == "fisher-exact" and test.z is None


def test_rate_anomaly_evidence_and_message():
    a = check_rate("CI", "failure_rate", (40, 100), (25, 500))
    assert a is not None
    assert a.evidence["window_events"] == 40 and a.evidence["baseline_n"] == 500
    assert a.window_value == 0.4 and a.baseline_value == 0.05
    assert "40/100 runs vs 25/500" in a.message
    assert a.p_value is not None and a.p_value < 1e-6


def test_rate_below_absolute_floor_is_not_flagged():
    # 0.5 % → 2 %: +300 % and significant with huge n, but 1.5 points is not worth a page.
    assert check_rate("CI", "failure_rate", (200, 10000), (250, 50000)) is None
    cfg = AnomalyConfig(min_rate_change=0.01)
    assert check_rate("CI", "failure_rate", (200, 10000), (250, 50000), cfg=cfg) is not None
