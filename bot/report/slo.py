"""Infrastructure SLOs: PromQL queries against a Prometheus HTTP API, judged against thresholds.

Optional and best-effort by design: a report must never fail because Prometheus is down, so
every problem (network, HTTP status, PromQL error, empty result, NaN) becomes status
``unknown`` with a reason, and ``evaluate_slos`` never raises.

Config (``slos:`` in the report config) — a list of::

    - name: availability
      query: avg_over_time(up{job="pitcrew"}[5m])
      op: ">="            # the objective: value op threshold is OK
      threshold: 0.99
      description: Pitcrew is scraped and up

When the query returns several series, each must meet the objective; the worst one is reported.
"""

from __future__ import annotations

import asyncio
import logging
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class SLOConfigError(ValueError):
    """An SLO entry in the config is malformed; the message says which and why."""


@dataclass(frozen=True, slots=True)
class SLO:
    name: str
    query: str
    op: str
    threshold: float
    description: str = ""


@dataclass(frozen=True, slots=True)
class SLOResult:
    name: str
    status: str  # ok | breach | unknown
    value: float | None
    threshold: float
    op: str
    query: str
    reason: str = ""
    series: int = 0


#: Starting points for the service's own SLOs (metric names from bot/metrics.py and the
#: process collector of prometheus_client); copy into config and adjust.
EXAMPLE_SLOS: tuple[dict[str, Any], ...] = (
    {"name": "availability", "query": 'avg_over_time(up{job="pitcrew"}[1h])',
     "op": ">=", "threshold": 0.99},
    {"name": "job error rate",
     "query": 'sum(rate(pitcrew_job_outcomes_total{outcome="dead"}[1h])) '
              "/ clamp_min(sum(rate(pitcrew_job_outcomes_total[1h])), 1e-9)",
     "op": "<=", "threshold": 0.05},
    {"name": "p95 job latency (s)",
     "query": "histogram_quantile(0.95, "
              "sum by (le) (rate(pitcrew_job_duration_seconds_bucket[1h])))",
     "op": "<=", "threshold": 30},
    {"name": "CPU (cores)", "query": 'rate(process_cpu_seconds_total{job="pitcrew"}[5m])',
     "op": "<=", "threshold": 1.5},
    {"name": "memory (bytes)", "query": 'process_resident_memory_bytes{job="pitcrew"}',
     "op": "<=", "threshold": 1.5e9},
    {"name": "disk free (ratio)",
     "query": 'node_filesystem_avail_bytes{mountpoint="/"} '
              '/ node_filesystem_size_bytes{mountpoint="/"}',
     "op": ">=", "threshold": 0.1},
)  # fmt: skip


def parse_slos(entries: Sequence[dict[str, Any]] | None) -> list[SLO]:
    """Validate SLO config entries; raises SLOConfigError naming the entry."""
    out: list[SLO] = []
    for i, entry in enumerate(entries or ()):
        where = f"slos[{i}]"
        if not isinstance(entry, dict):
            raise SLOConfigError(f"{where}: expected a mapping")
        name = entry.get("name") or where
        query = entry.get("query")
        op = entry.get("op", "<=")
        if not isinstance(query, str) or not query.strip():
            raise SLOConfigError(f"{where} ({name}): 'query' must be a non-empty PromQL string")
        if op not in OPS:
            raise SLOConfigError(f"{where} ({name}): 'op' must be one of {', '.join(OPS)}")
        try:
            threshold = float(entry["threshold"])
        except (KeyError, TypeError, ValueError):
            raise SLOConfigError(f"{where} ({name}): 'threshold' must be a number") from None
        out.append(SLO(str(name), query, op, threshold, str(entry.get("description", ""))))
    return out


def judge(slo: SLO, values: Sequence[float]) -> SLOResult:
    """Status of one SLO from the sample values its query returned."""
    finite = [v for v in values if math.isfinite(v)]
    if not values:
        return _result(slo, "unknown", None, reason="query returned no data")
    if not finite:
        return _result(slo, "unknown", None, reason="query returned NaN")
    ok = OPS[slo.op]
    # Worst = the value furthest on the wrong side of the objective.
    worst = min(finite) if slo.op in (">", ">=") else max(finite)
    status = "ok" if all(ok(v, slo.threshold) for v in finite) else "breach"
    return _result(slo, status, worst, series=len(finite))


def _result(
    slo: SLO, status: str, value: float | None, *, reason: str = "", series: int = 0
) -> SLOResult:
    return SLOResult(
        name=slo.name, threshold=slo.threshold, op=slo.op, query=slo.query,
        status=status, value=value, reason=reason, series=series,
    )  # fmt: skip


def _values(data: dict[str, Any]) -> list[float]:
    result_type = data.get("resultType")
    result = data.get("result")
    if result_type in ("scalar", "string"):
        return [float(result[1])] if result else []
    if result_type == "vector":
        return [float(item["value"][1]) for item in result or ()]
    raise ValueError(f"unsupported result type {result_type!r} (use an instant query)")


async def query_prometheus(
    session: aiohttp.ClientSession, base_url: str, query: str, timeout: float = 5.0
) -> list[float]:
    """Run one instant query; raises on any failure (``evaluate_slos`` turns that into unknown)."""
    url = base_url.rstrip("/") + "/api/v1/query"
    async with session.get(
        url, params={"query": query}, timeout=aiohttp.ClientTimeout(total=timeout)
    ) as resp:
        try:
            body = await resp.json(content_type=None)
        except ValueError:
            raise RuntimeError(f"HTTP {resp.status}: response is not JSON") from None
        if not isinstance(body, dict):
            raise RuntimeError(f"HTTP {resp.status}: unexpected response")
        if body.get("status") != "success":
            raise RuntimeError(
                f"HTTP {resp.status}: {body.get('errorType', 'error')}: {body.get('error', '')}"
            )
        return _values(body.get("data") or {})


async def evaluate_slo(
    session: aiohttp.ClientSession, base_url: str, slo: SLO, timeout: float = 5.0
) -> SLOResult:
    try:
        values = await query_prometheus(session, base_url, slo.query, timeout)
    except asyncio.CancelledError:
        raise
    except TimeoutError:
        reason = f"timed out after {timeout:g}s"
    except Exception as exc:  # never let monitoring break the report
        reason = str(exc) or type(exc).__name__
    else:
        return judge(slo, values)
    log.warning("SLO query failed", extra={"slo": slo.name, "reason": reason})
    return SLOResult(
        name=slo.name, status="unknown", value=None, threshold=slo.threshold, op=slo.op,
        query=slo.query, reason=reason[:300],
    )  # fmt: skip


async def evaluate_slos(
    base_url: str,
    slos: Sequence[SLO],
    *,
    session: aiohttp.ClientSession | None = None,
    timeout: float = 5.0,
) -> list[SLOResult]:
    """Evaluate every SLO concurrently; never raises (failures are ``unknown`` results)."""
    if not slos:
        return []
    own = session is None
    sess = session or aiohttp.ClientSession()
    try:
        return list(await asyncio.gather(*(evaluate_slo(sess, base_url, s, timeout) for s in slos)))
    finally:
        if own:
            await sess.close()
