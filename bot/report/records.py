"""Run and job records, and parsers from GitHub's REST JSON.

The engine works on these flat records, never on raw API objects, so the same analysis runs on
webhook payloads, back-filled pages, exported files and the state store.

Exports come in several shapes and all of them are accepted:

* one response of "list workflow runs for a repository" (``{"total_count", "workflow_runs"}``)
  or of "list jobs for a workflow run" (``{"total_count", "jobs"}``);
* ``gh api --paginate`` output: several such objects written back to back in one file;
* ``gh api --paginate --slurp`` output: a JSON list of pages;
* a plain JSON list of run (or job) objects, or NDJSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.report.times import parse_ts

__all__ = [
    "JobRecord",
    "ParseError",
    "RunRecord",
    "iter_json_documents",
    "job_from_api",
    "jobs_from_api",
    "load_jobs_file",
    "load_runs_file",
    "parse_ts",
    "run_from_api",
    "runs_from_api",
]

#: Conclusions that say the code (or the infrastructure) was judged: the denominator of rates.
DECIDED = frozenset({"success", "failure", "timed_out", "startup_failure"})
#: Conclusions counted as failures.
FAILED = frozenset({"failure", "timed_out", "startup_failure"})

_R = TypeVar("_R")

_REPO_IN_URL = re.compile(r"/repos/([^/]+/[^/]+)/actions/")


class ParseError(ValueError):
    """Input that is not a GitHub runs/jobs export; the message names the source and line."""


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    delta = (end - start).total_seconds()
    return delta if delta >= 0 else None


@dataclass(slots=True)
class RunRecord:
    """One workflow run (its latest attempt, as GitHub lists it)."""

    repo: str
    run_id: int
    workflow: str
    status: str
    conclusion: str | None
    event: str
    branch: str | None
    head_sha: str
    attempt: int
    created_at: datetime
    run_started_at: datetime | None
    updated_at: datetime | None
    #: ``updated_at − run_started_at`` for completed runs (wall clock of the latest attempt).
    duration_s: float | None
    #: ``run_started_at − created_at`` for first attempts; None for re-runs, whose
    #: ``created_at`` is the original run's and would count the whole first attempt as queue.
    queue_s: float | None
    workflow_id: int | None = None
    run_number: int | None = None
    pull_requests: tuple[int, ...] = ()
    #: ``repository.id``: stable across renames (the org report keys repositories by it).
    repo_id: int | None = None

    @property
    def completed(self) -> bool:
        return self.status == "completed"


@dataclass(slots=True)
class JobRecord:
    """One job of one run attempt."""

    repo: str
    run_id: int
    job_id: int
    name: str
    workflow: str
    status: str
    conclusion: str | None
    attempt: int
    created_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    duration_s: float | None
    #: ``started_at − created_at``: time waiting for a runner.
    queue_s: float | None
    labels: tuple[str, ...] = ()
    runner_name: str | None = None
    head_branch: str | None = None
    head_sha: str | None = None
    #: Failure category from the diagnosis engine, when the job was diagnosed.
    category: str | None = None
    failing_tests: tuple[str, ...] = field(default=())
    #: (step name, seconds) of each completed step, from the ``steps`` that ``workflow_job``
    #: events and the jobs API carry: the optimizer estimates cache savings from them.
    steps: tuple[tuple[str, float], ...] = field(default=())
    #: Self-hosted runner group (GitHub reports it once a runner picked the job up).
    runner_group_name: str | None = None


def _repo_of(obj: dict[str, Any], fallback: str | None) -> str:
    repo = obj.get("repository")
    if isinstance(repo, dict) and repo.get("full_name"):
        return str(repo["full_name"])
    for key in ("run_url", "url", "html_url"):
        match = _REPO_IN_URL.search(str(obj.get(key) or ""))
        if match:
            return match.group(1)
    return fallback or ""


def _repo_id(obj: dict[str, Any]) -> int | None:
    repo = obj.get("repository")
    if isinstance(repo, dict) and isinstance(repo.get("id"), int):
        return int(repo["id"])
    return None


def _int(obj: dict[str, Any], key: str, default: int | None = None) -> int | None:
    value = obj.get(key)
    if value is None:
        return default
    return int(value)


def run_from_api(obj: dict[str, Any], repo: str | None = None) -> RunRecord:
    """A RunRecord from one workflow-run object (REST list item or webhook ``workflow_run``)."""
    if not isinstance(obj, dict) or "id" not in obj:
        raise ValueError("workflow run object without an 'id'")
    created = parse_ts(obj.get("created_at"))
    if created is None:
        raise ValueError(f"workflow run {obj.get('id')} has no created_at")
    started = parse_ts(obj.get("run_started_at"))
    updated = parse_ts(obj.get("updated_at"))
    status = str(obj.get("status") or "")
    attempt = _int(obj, "run_attempt", 1) or 1
    duration = _seconds(started or created, updated) if status == "completed" else None
    queue = _seconds(created, started) if attempt == 1 else None
    prs = tuple(
        int(pr["number"])
        for pr in obj.get("pull_requests") or ()
        if isinstance(pr, dict) and pr.get("number") is not None
    )
    return RunRecord(
        repo=repo or _repo_of(obj, None),
        run_id=int(obj["id"]),
        workflow=str(obj.get("name") or obj.get("path") or obj.get("workflow_id") or "?"),
        status=status,
        conclusion=obj.get("conclusion"),
        event=str(obj.get("event") or ""),
        branch=obj.get("head_branch"),
        head_sha=str(obj.get("head_sha") or ""),
        attempt=attempt,
        created_at=created,
        run_started_at=started,
        updated_at=updated,
        duration_s=duration,
        queue_s=queue,
        workflow_id=_int(obj, "workflow_id"),
        run_number=_int(obj, "run_number"),
        pull_requests=prs,
        repo_id=_repo_id(obj),
    )


def job_from_api(obj: dict[str, Any], repo: str | None = None) -> JobRecord:
    """Build a JobRecord from one job object (REST list item or webhook ``workflow_job``)."""
    if not isinstance(obj, dict) or "id" not in obj or "run_id" not in obj:
        raise ValueError("job object without 'id' and 'run_id'")
    created = parse_ts(obj.get("created_at"))
    started = parse_ts(obj.get("started_at"))
    completed = parse_ts(obj.get("completed_at"))
    status = str(obj.get("status") or "")
    return JobRecord(
        repo=repo or _repo_of(obj, None),
        run_id=int(obj["run_id"]),
        job_id=int(obj["id"]),
        name=str(obj.get("name") or "?"),
        workflow=str(obj.get("workflow_name") or ""),
        status=status,
        conclusion=obj.get("conclusion"),
        attempt=_int(obj, "run_attempt", 1) or 1,
        created_at=created,
        started_at=started,
        completed_at=completed,
        duration_s=_seconds(started, completed) if status == "completed" else None,
        queue_s=_seconds(created, started),
        labels=tuple(str(label) for label in obj.get("labels") or ()),
        runner_name=obj.get("runner_name"),
        runner_group_name=obj.get("runner_group_name"),
        head_branch=obj.get("head_branch"),
        head_sha=obj.get("head_sha"),
        steps=step_timings(obj.get("steps")),
    )


def step_timings(steps: Any) -> tuple[tuple[str, float], ...]:
    """(name, seconds) of each step that has both ``started_at`` and ``completed_at``."""
    out: list[tuple[str, float]] = []
    for step in steps if isinstance(steps, list) else ():
        if not isinstance(step, dict):
            continue
        seconds = _seconds(parse_ts(step.get("started_at")), parse_ts(step.get("completed_at")))
        if seconds is not None:
            out.append((str(step.get("name") or "?"), seconds))
    return tuple(out)


def _items(obj: Any, key: str) -> Iterator[dict[str, Any]]:
    """Yield list items from a page, a list of pages, or a plain list."""
    if isinstance(obj, dict):
        if key in obj:
            items = obj[key]
            if not isinstance(items, list):
                raise ValueError(f"'{key}' is not a list")
            yield from items
        elif "id" in obj:
            yield obj  # a single object (e.g. GET /runs/{id})
        else:
            raise ValueError(f"object has neither '{key}' nor 'id'")
    elif isinstance(obj, list):
        for item in obj:
            if (isinstance(item, dict) and key in item) or isinstance(item, list):
                yield from _items(item, key)
            else:
                yield item
    else:
        raise ValueError(f"expected a JSON object or list, got {type(obj).__name__}")


def _dedupe_runs(records: Iterable[RunRecord]) -> list[RunRecord]:
    """Keep one record per (repo, run id): the latest attempt, then the latest update."""
    best: dict[tuple[str, int], RunRecord] = {}
    for rec in records:
        key = (rec.repo, rec.run_id)
        old = best.get(key)
        if old is None or _newer(rec, old):
            best[key] = rec
    return sorted(best.values(), key=lambda r: (r.created_at, r.run_id))


def _newer(a: RunRecord, b: RunRecord) -> bool:
    if a.attempt != b.attempt:
        return a.attempt > b.attempt
    epoch = datetime.min.replace(tzinfo=UTC)
    return (a.updated_at or epoch) >= (b.updated_at or epoch)


def runs_from_api(obj: Any, repo: str | None = None) -> list[RunRecord]:
    """Parse runs from a page, a list of pages, a list of runs, or JSON text (even concatenated)."""
    if isinstance(obj, str | bytes):
        docs = list(iter_json_documents(obj.decode() if isinstance(obj, bytes) else obj))
        obj = docs
    return _dedupe_runs(run_from_api(item, repo) for item in _items(obj, "workflow_runs"))


def jobs_from_api(obj: Any, repo: str | None = None) -> list[JobRecord]:
    """Parse jobs from a page, a list of pages, a list of jobs, or JSON text (even concatenated)."""
    if isinstance(obj, str | bytes):
        obj = list(iter_json_documents(obj.decode() if isinstance(obj, bytes) else obj))
    best: dict[tuple[str, int], JobRecord] = {}
    for item in _items(obj, "jobs"):
        rec = job_from_api(item, repo)
        best[(rec.repo, rec.job_id)] = rec
    return sorted(best.values(), key=lambda j: (j.run_id, j.job_id))


_WS = re.compile(r"\s*")


def iter_json_documents(text: str, source: str = "<input>") -> Iterator[Any]:
    """Yield every top-level JSON value of ``text``, written back to back (``gh --paginate``).

    Raises ParseError naming ``source`` and the line/column of the first malformed document.
    """
    decoder = json.JSONDecoder()
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]  # _WS matches the empty string, so never None
    if pos == len(text):
        raise ParseError(f"{source}: empty input, expected JSON")
    while pos < len(text):
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"{source}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
            ) from None
        yield value
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]  # _WS matches the empty string, so never None


def _load(path: Path | str, key: str, parse: Callable[[list[Any]], list[_R]]) -> list[_R]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ParseError(f"{path}: not UTF-8 text") from None
    out: list[_R] = []
    # Parse page by page so only one decoded page is alive at a time (exports can be big).
    for index, doc in enumerate(iter_json_documents(text, str(path)), 1):
        try:
            out.extend(parse([doc]))
        except (ValueError, TypeError, KeyError) as exc:
            where = f" (document {index})" if index > 1 else ""
            raise ParseError(f"{path}{where}: not a GitHub '{key}' export: {exc}") from None
    return out


def load_runs_file(path: Path | str, repo: str | None = None) -> list[RunRecord]:
    """Read a file of run pages (any shape accepted by :func:`runs_from_api`)."""
    return _dedupe_runs(_load(path, "workflow_runs", lambda docs: runs_from_api(docs, repo)))


def load_jobs_file(path: Path | str, repo: str | None = None) -> list[JobRecord]:
    """Read a file of job pages (any shape accepted by :func:`jobs_from_api`)."""
    jobs = {(j.repo, j.job_id): j for j in _load(path, "jobs", lambda d: jobs_from_api(d, repo))}
    return sorted(jobs.values(), key=lambda j: (j.run_id, j.job_id))
