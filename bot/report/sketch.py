"""Log-bucket histograms: quantiles of millions of durations in bounded memory.

The org report summarises every run and job of an installation; keeping each value would make
memory grow with history. Instead a value ``x > 0`` is counted in bucket
``ceil(log(x) / log(γ)) + OFFSET`` (γ = 1.02), which covers ``(γ^(k-1), γ^k]``; the bucket's
representative ``2γ^k / (1 + γ)`` is within ±1 % of every value in it (DDSketch's relative-error
guarantee). ``x = 0`` has its own bucket 0 (exact). A histogram is a ``{bucket: count}`` map whose
size depends on the spread of the values, never on their number.

The bucket is computed once, in Python, when a record is stored (a column in SQLite, a field in
Redis), so the database can group by it and every store reports the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

__all__ = ["GAMMA", "NO_VALUE", "bucket", "bucket_value", "mad", "quantile"]

GAMMA = 1.02
_LOG_GAMMA = math.log(GAMMA)
#: Buckets are shifted so values down to 1 ms get a positive index.
_OFFSET = 400
#: The bucket of "no value" (e.g. a queue time that could not be measured).
NO_VALUE = -1


def bucket(value: float | None) -> int:
    """The bucket of ``value``; :data:`NO_VALUE` for None or negative values."""
    if value is None or value < 0 or math.isnan(value):
        return NO_VALUE
    if value == 0:
        return 0
    return max(1, math.ceil(math.log(value) / _LOG_GAMMA) + _OFFSET)


def bucket_value(index: int) -> float:
    """The representative value of a bucket (0.0 for bucket 0)."""
    if index <= 0:
        return 0.0
    return 2 * GAMMA ** (index - _OFFSET) / (1 + GAMMA)


def _ordered(hist: Mapping[int, int]) -> list[tuple[int, int]]:
    return sorted((b, n) for b, n in hist.items() if b != NO_VALUE and n > 0)


def quantile(
    hist: Mapping[int, int], q: float, transform: Callable[[float], float] | None = None
) -> float | None:
    """Linear-interpolated quantile (as :func:`bot.report.stats.quantile`) of the histogram's
    representatives, optionally of ``transform(representative)`` (monotone, e.g. ``log1p``)."""
    items = _ordered(hist)
    total = sum(n for _, n in items)
    if total == 0:
        return None
    pos = (total - 1) * q
    lo_rank = math.floor(pos)
    hi_rank = min(lo_rank + 1, total - 1)
    lo = hi = None
    seen = 0
    for index, count in items:
        if lo is None and lo_rank < seen + count:
            lo = index
        if hi_rank < seen + count:
            hi = index
            break
        seen += count
    assert lo is not None and hi is not None
    f = transform or (lambda x: x)
    lo_v, hi_v = f(bucket_value(lo)), f(bucket_value(hi))
    return lo_v + (hi_v - lo_v) * (pos - lo_rank)


def mad(hist: Mapping[int, int], center: float, transform: Callable[[float], float]) -> float:
    """Median absolute deviation of ``transform(representative)`` around ``center``."""
    deviations: dict[float, int] = {}
    for index, count in _ordered(hist):
        dev = abs(transform(bucket_value(index)) - center)
        deviations[dev] = deviations.get(dev, 0) + count
    total = sum(deviations.values())
    if total == 0:
        return 0.0
    ordered = sorted(deviations.items())
    pos = (total - 1) * 0.5
    lo_rank, hi_rank = math.floor(pos), math.ceil(pos)
    values: list[float] = []
    seen = 0
    for dev, count in ordered:
        while len(values) < 2 and (lo_rank if not values else hi_rank) < seen + count:
            values.append(dev)
        if len(values) == 2:
            break
        seen += count
    return (values[0] + values[1]) / 2


def merge(into: dict[int, int], other: Iterable[tuple[int, int]]) -> None:
    """Add ``other``'s (bucket, count) pairs to ``into``."""
    for index, count in other:
        into[index] = into.get(index, 0) + count
