"""Anomaly detection that does not cry wolf.

CI series are noisy (caches, runner pools, weekday load) and autocorrelated (a bad day is bad for
every run of that day), so the tests below compare against *day-to-day* variation, not against
the per-run variation a naive test would use:

* **Durations and queue times** — on a log scale (they are multiplicative and long-tailed),
  the window's median is compared with a robust baseline: the median of the baseline's *daily*
  medians (per weekday when every weekday seen in the window has
  at least ``weekday_min_days`` baseline days), with a spread of ``1.4826 × MAD`` of those daily
  medians. The window median pools ``k`` days, so its spread is that of a day divided by ``√k``;
  the robust z-score is ``(window − baseline) / (spread / √k)``. With too few baseline days the
  per-run median and MAD are used instead (``z = Δ / (1.2533 · σ̂ / √n)``, the standard error
  of a median).
* **Failure and re-run rates** — a one-sided two-proportion z-test, its variance inflated by the
  baseline's over-dispersion across days (Pearson χ²/df, at least 1), or Fisher's exact test
  when expected counts are small.

Every anomaly needs *all* of: statistical evidence (``z ≥ z_threshold`` or ``p ≤ p_threshold``),
a practically relevant change (relative ≥ ``min_change`` and an absolute floor), and enough data
(``min_window`` samples in the window, ``min_baseline`` in the baseline). Only regressions are
reported (slower, more queueing, more failures); improvements are not anomalies.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

MAD_SCALE = 1.4826  # MAD → σ for normal data
MEDIAN_SE = 1.2533  # √(π/2): SE of the median in units of σ/√n


@dataclass(frozen=True, slots=True)
class AnomalyConfig:
    z_threshold: float = 3.5
    min_change: float = 0.25  # relative change, 0.25 = +25 %
    min_window: int = 10
    min_baseline: int = 20
    p_threshold: float = 0.001  # for rate tests
    min_rate_change: float = 0.05  # absolute floor for rates: +5 percentage points
    min_seconds_change: float = 10.0  # absolute floor for durations and queue times
    min_baseline_days: int = 7  # daily-median method needs this many baseline days
    weekday_min_days: int = 3  # baseline days per weekday for the weekday-aware centre
    resolution_s: float = 1.0  # GitHub timestamps have 1 s resolution: spread floor


@dataclass(slots=True)
class Anomaly:
    """One regression, with the numbers that justify it."""

    workflow: str
    metric: str  # duration | queue_time | failure_rate | rerun_rate
    window_value: float
    baseline_value: float
    change_pct: float | None  # None when the baseline is 0
    z: float | None
    p_value: float | None
    method: str
    job: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    #: Org report only: the repository, or the runner pool (labels), the anomaly is about.
    repo: str | None = None
    runner_label: str | None = None


@dataclass(frozen=True, slots=True)
class Shift:
    """Result of comparing a window of samples with a baseline (whether or not it is flagged)."""

    window_value: float
    baseline_value: float
    z: float
    change: float | None
    method: str
    evidence: dict[str, Any]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def mad(values: Sequence[float], center: float | None = None) -> float:
    c = median(values) if center is None else center
    return median([abs(v - c) for v in values])


def _rel(new: float, old: float) -> float | None:
    if old == 0:
        return None if new == 0 else math.inf
    return (new - old) / abs(old)


def _daily_medians(samples: Sequence[tuple[datetime, float]]) -> dict[date, float]:
    by_day: dict[date, list[float]] = defaultdict(list)
    for ts, value in samples:
        by_day[ts.date()].append(value)
    return {day: median(vals) for day, vals in by_day.items()}


def continuous_shift(
    window: Sequence[tuple[datetime, float]],
    baseline: Sequence[tuple[datetime, float]],
    cfg: AnomalyConfig = AnomalyConfig(),
) -> Shift | None:
    """Compare the window median with a robust baseline; None when there is too little data.

    The z-score is computed on ``log1p`` of the values: CI durations and queue times are
    multiplicative (log-normal-ish, long right tail), and on the log scale a MAD describes their
    spread honestly. Values and the relative change are reported on the original scale.
    """
    if len(window) < cfg.min_window or len(baseline) < cfg.min_baseline:
        return None
    logged = [(ts, math.log1p(max(v, 0.0))) for ts, v in baseline]
    values = [v for _, v in logged]
    center = median(values)
    return shift_from_summary(
        ShiftInputs(
            window_median=median([v for _, v in window]),
            window_n=len(window),
            window_weekdays=Counter(ts.weekday() for ts, _ in window),
            window_days=len({ts.date() for ts, _ in window}),
            baseline_n=len(baseline),
            baseline_daily_log=_daily_medians(logged),
            baseline_log_median=center,
            baseline_log_mad=mad(values, center),
        ),
        cfg,
    )


@dataclass(frozen=True, slots=True)
class ShiftInputs:
    """What :func:`shift_from_summary` needs, computable from raw samples or from histograms.

    The org report summarises millions of jobs per day and group (log-bucket histograms) and
    feeds the same test as the per-repository report, which has the raw samples.
    """

    window_median: float
    window_n: int
    #: Samples per weekday (Monday = 0) in the window: weights of the weekday-aware centre.
    window_weekdays: Mapping[int, int]
    window_days: int
    baseline_n: int
    #: Median of ``log1p(value)`` per baseline day.
    baseline_daily_log: dict[date, float]
    #: Median and MAD of ``log1p(value)`` over every baseline sample (the few-days fallback).
    baseline_log_median: float
    baseline_log_mad: float


def shift_from_summary(inputs: ShiftInputs, cfg: AnomalyConfig = AnomalyConfig()) -> Shift | None:
    """The robust z-test of :func:`continuous_shift` on summarised inputs."""
    if inputs.window_n < cfg.min_window or inputs.baseline_n < cfg.min_baseline:
        return None
    window_value = inputs.window_median
    k = inputs.window_days
    daily = inputs.baseline_daily_log
    evidence: dict[str, Any] = {
        "window_n": inputs.window_n,
        "baseline_n": inputs.baseline_n,
        "window_days": k,
        "baseline_days": len(daily),
    }
    if len(daily) >= cfg.min_baseline_days:
        center, spread, method = _daily_center_spread(daily, inputs.window_weekdays, cfg)
        n_eff = k
        se_factor = 1.0
    else:
        center = inputs.baseline_log_median
        spread = MAD_SCALE * inputs.baseline_log_mad
        method = "run-median-mad"
        n_eff, se_factor = inputs.window_n, MEDIAN_SE
    baseline_value = math.expm1(center)
    # Floors: timestamps have 1 s resolution, and no series is steadier than 1 %.
    floor = max(math.log1p(baseline_value + cfg.resolution_s) - center, 0.01)
    scale = se_factor * max(spread, floor) / math.sqrt(n_eff)
    z = (math.log1p(max(window_value, 0.0)) - center) / scale
    evidence["log_spread"] = round(spread, 4)
    return Shift(
        window_value, baseline_value, z, _rel(window_value, baseline_value), method, evidence
    )


#: Variance of the median of n standard-normal values (exact for n ≤ 5, π/2n beyond).
_MEDIAN_VAR = {1: 1.0, 2: 0.5, 3: 0.4487, 4: 0.3433, 5: 0.2868}


def _median_var(n: int) -> float:
    return _MEDIAN_VAR.get(n, math.pi / (2 * n))


def _daily_center_spread(
    daily: dict[date, float], window_weekdays: Mapping[int, int], cfg: AnomalyConfig
) -> tuple[float, float, str]:
    """Centre and spread of baseline daily medians, weekday-aware when data allows.

    Weekday-aware spread uses leave-one-out residuals (each day against the median of the
    *other* days of its weekday): residuals against a median that includes the day itself are
    far too small with only 4 weeks of data and would make ordinary weeks look significant.
    """
    by_wd: dict[int, list[float]] = defaultdict(list)
    for day, value in daily.items():
        by_wd[day.weekday()].append(value)
    seen = [wd for wd, count in window_weekdays.items() if count > 0]
    if all(len(by_wd.get(wd, ())) >= cfg.weekday_min_days for wd in seen):
        expected = {wd: median(vals) for wd, vals in by_wd.items()}
        scaled: list[float] = []
        for vals in by_wd.values():
            if len(vals) < 3:
                continue
            for i, value in enumerate(vals):
                others = vals[:i] + vals[i + 1 :]
                # Residual variance is σ²(1 + Var(median of the others)); undo the inflation.
                scaled.append(abs(value - median(others)) / math.sqrt(1 + _median_var(len(others))))
        if len(scaled) >= cfg.min_baseline_days:
            spread = MAD_SCALE * median(scaled)
            weights = sum(window_weekdays[wd] for wd in seen)
            center = math.fsum(expected[wd] * window_weekdays[wd] for wd in seen) / weights
            return center, spread, "daily-median-mad-weekday"
    values = list(daily.values())
    center = median(values)
    return center, MAD_SCALE * mad(values, center), "daily-median-mad"


# --- proportions ----------------------------------------------------------------------
def normal_sf(z: float) -> float:
    """P(Z ≥ z) for a standard normal."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_greater(k1: int, n1: int, k0: int, n0: int) -> float:
    """One-sided Fisher exact p-value that group 1's rate exceeds group 0's.

    P(X ≥ k1) for X hypergeometric: k1 + k0 successes drawn into n1 + n0 slots, n1 of them in
    group 1.
    """
    total_k, total_n = k1 + k0, n1 + n0
    denom = _log_comb(total_n, n1)
    hi = min(total_k, n1)
    p = 0.0
    for x in range(k1, hi + 1):
        if total_k - x > n0:
            continue
        p += math.exp(_log_comb(total_k, x) + _log_comb(total_n - total_k, n1 - x) - denom)
    return min(1.0, p)


def dispersion(daily: Sequence[tuple[int, int]]) -> float:
    """Over-dispersion of daily (failures, runs) counts around their pooled rate; at least 1.

    Pearson χ² / (days − 1). Bernoulli-independent runs give about 1; a baseline with bad days
    gives more, which widens the test so one bad day is not a trend.
    """
    days = [(k, n) for k, n in daily if n > 0]
    total_n = sum(n for _, n in days)
    if len(days) < 3 or total_n == 0:
        return 1.0
    p = sum(k for k, _ in days) / total_n
    if p in (0.0, 1.0):
        return 1.0
    chi2 = sum((k - n * p) ** 2 / (n * p * (1 - p)) for k, n in days)
    return min(max(chi2 / (len(days) - 1), 1.0), 20.0)


@dataclass(frozen=True, slots=True)
class RateTest:
    window_rate: float
    baseline_rate: float
    z: float | None
    p_value: float
    method: str
    evidence: dict[str, Any]


def rate_increase(
    k1: int, n1: int, k0: int, n0: int, phi: float = 1.0, cfg: AnomalyConfig = AnomalyConfig()
) -> RateTest | None:
    """Test whether the window rate k1/n1 exceeds the baseline rate k0/n0 (one-sided)."""
    if n1 < cfg.min_window or n0 < cfg.min_baseline:
        return None
    p1, p0 = k1 / n1, k0 / n0
    pooled = (k1 + k0) / (n1 + n0)
    evidence = {
        "window_events": k1,
        "window_n": n1,
        "baseline_events": k0,
        "baseline_n": n0,
        "dispersion": round(phi, 3),
    }
    expected_small = min(n1, n0) * min(pooled, 1 - pooled) < 5
    if pooled in (0.0, 1.0):
        return RateTest(p1, p0, 0.0, 1.0, "two-proportion-z", evidence)
    if expected_small:
        return RateTest(p1, p0, None, fisher_greater(k1, n1, k0, n0), "fisher-exact", evidence)
    se = math.sqrt(phi * pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    z = (p1 - p0) / se
    return RateTest(p1, p0, z, normal_sf(z), "two-proportion-z", evidence)


# --- flagging -------------------------------------------------------------------------
_LABELS = {
    "duration": "duration (median)",
    "queue_time": "queue time (median)",
    "failure_rate": "failure rate",
    "rerun_rate": "re-run rate",
}


def _fmt(metric: str, value: float) -> str:
    if metric.endswith("_rate"):
        return f"{value:.1%}"
    return fmt_seconds(value)


def fmt_seconds(value: float) -> str:
    """Compact human duration: 45s, 3m20s, 1h05m."""
    s = round(value)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


def _message(a: Anomaly) -> str:
    who = f"{a.workflow} / {a.job}" if a.job else a.workflow
    change = "new" if a.change_pct is None or math.isinf(a.change_pct) else f"{a.change_pct:+.0f}%"
    stat = f"z={a.z:.1f}" if a.z is not None else ""
    if a.p_value is not None:
        stat = (stat + ", " if stat else "") + f"p={a.p_value:.2g}"
    ev = a.evidence
    if a.metric.endswith("_rate"):
        counts = (
            f"{ev['window_events']}/{ev['window_n']} runs vs "
            f"{ev['baseline_events']}/{ev['baseline_n']}"
        )
    else:
        counts = f"{ev['window_n']} runs vs {ev['baseline_n']} in baseline"
    return (
        f"{who}: {_LABELS.get(a.metric, a.metric)} {_fmt(a.metric, a.window_value)} vs "
        f"{_fmt(a.metric, a.baseline_value)} baseline ({change}; {stat}; {counts})"
    )


def _pct(change: float | None) -> float | None:
    if change is None or math.isinf(change):
        return None
    return round(change * 100, 1)


def check_continuous(
    workflow: str,
    metric: str,
    window: Sequence[tuple[datetime, float]],
    baseline: Sequence[tuple[datetime, float]],
    cfg: AnomalyConfig = AnomalyConfig(),
    job: str | None = None,
) -> Anomaly | None:
    """An Anomaly when durations/queue times regressed beyond every threshold, else None."""
    return flag_shift(workflow, metric, continuous_shift(window, baseline, cfg), cfg, job=job)


def flag_shift(
    workflow: str,
    metric: str,
    shift: Shift | None,
    cfg: AnomalyConfig = AnomalyConfig(),
    job: str | None = None,
) -> Anomaly | None:
    """An Anomaly when a shift is a regression beyond every threshold, else None."""
    if shift is None:
        return None
    delta = shift.window_value - shift.baseline_value
    if (
        shift.z < cfg.z_threshold
        or delta < cfg.min_seconds_change
        or (shift.change is not None and shift.change < cfg.min_change)
    ):
        return None
    a = Anomaly(
        workflow=workflow,
        job=job,
        metric=metric,
        window_value=round(shift.window_value, 3),
        baseline_value=round(shift.baseline_value, 3),
        change_pct=_pct(shift.change),
        z=round(shift.z, 2),
        p_value=None,
        method=shift.method,
        evidence=shift.evidence,
    )
    a.message = _message(a)
    return a


def check_rate(
    workflow: str,
    metric: str,
    window_counts: tuple[int, int],
    baseline_counts: tuple[int, int],
    baseline_daily: Sequence[tuple[int, int]] = (),
    cfg: AnomalyConfig = AnomalyConfig(),
    job: str | None = None,
) -> Anomaly | None:
    """An Anomaly when a rate (events, trials) rose beyond every threshold, else None."""
    (k1, n1), (k0, n0) = window_counts, baseline_counts
    test = rate_increase(k1, n1, k0, n0, dispersion(baseline_daily), cfg)
    if test is None:
        return None
    change = _rel(test.window_rate, test.baseline_rate)
    if (
        test.p_value > cfg.p_threshold
        or test.window_rate - test.baseline_rate < cfg.min_rate_change
        or (change is not None and change < cfg.min_change)
    ):
        return None
    a = Anomaly(
        workflow=workflow,
        job=job,
        metric=metric,
        window_value=round(test.window_rate, 4),
        baseline_value=round(test.baseline_rate, 4),
        change_pct=_pct(change),
        z=round(test.z, 2) if test.z is not None else None,
        p_value=float(f"{test.p_value:.3g}"),
        method=test.method,
        evidence=test.evidence,
    )
    a.message = _message(a)
    return a
