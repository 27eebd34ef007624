"""Failure memory on SQLite (the embedded default): one file, WAL, indexed for the lookups.

Every lookup the verdicts need is an index range scan bounded by ``LIMIT`` or by the window, so
a lookup costs the same with a thousand or a million stored failures (``bench/signatures.py``).
Writes are idempotent upserts keyed by (repo, run, attempt, job, signature): a redelivered event
records nothing twice.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.memory.model import FailureRecord, JobOutcome, Override, SameCommit, from_row, to_row

SCHEMA = """
CREATE TABLE IF NOT EXISTS failures (
    repo TEXT NOT NULL, run_id INTEGER NOT NULL, attempt INTEGER NOT NULL, job TEXT NOT NULL,
    signature TEXT NOT NULL, workflow TEXT NOT NULL, test TEXT NOT NULL, sha TEXT NOT NULL,
    branch TEXT NOT NULL, pr INTEGER, at REAL NOT NULL, message TEXT NOT NULL, url TEXT NOT NULL,
    PRIMARY KEY (repo, run_id, attempt, job, signature)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS failures_signature ON failures (repo, signature, at);
CREATE INDEX IF NOT EXISTS failures_signature_branch ON failures (repo, signature, branch, at);
CREATE INDEX IF NOT EXISTS failures_commit ON failures (repo, sha);
CREATE INDEX IF NOT EXISTS failures_branch ON failures (repo, branch, at);
CREATE INDEX IF NOT EXISTS failures_time ON failures (at);
CREATE TABLE IF NOT EXISTS outcomes (
    repo TEXT NOT NULL, run_id INTEGER NOT NULL, attempt INTEGER NOT NULL, job TEXT NOT NULL,
    workflow TEXT NOT NULL, sha TEXT NOT NULL, branch TEXT NOT NULL, pr INTEGER,
    conclusion TEXT NOT NULL, at REAL NOT NULL, url TEXT NOT NULL,
    PRIMARY KEY (repo, run_id, attempt, job)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outcomes_commit ON outcomes (repo, workflow, job, sha);
CREATE INDEX IF NOT EXISTS outcomes_branch ON outcomes (repo, workflow, job, branch, at);
CREATE INDEX IF NOT EXISTS outcomes_time ON outcomes (at);
-- A failure on a commit whose same job also passed there: written when the second of the two
-- arrives, so flakiness is one small index read at lookup time, whatever the history's size.
CREATE TABLE IF NOT EXISTS same_commit (
    repo TEXT NOT NULL, workflow TEXT NOT NULL, job TEXT NOT NULL, test TEXT NOT NULL,
    sha TEXT NOT NULL, signature TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (repo, workflow, job, test, sha)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS same_commit_test ON same_commit (repo, workflow, job, test, at);
CREATE INDEX IF NOT EXISTS same_commit_signature ON same_commit (repo, signature, at);
CREATE INDEX IF NOT EXISTS same_commit_time ON same_commit (at);
CREATE TABLE IF NOT EXISTS overrides (
    repo TEXT NOT NULL, signature TEXT NOT NULL, label TEXT NOT NULL, by TEXT NOT NULL,
    at REAL NOT NULL, PRIMARY KEY (repo, signature)
) WITHOUT ROWID;
"""

_FAILURE_COLUMNS = (
    "signature, repo, workflow, job, test, sha, branch, pr, run_id, attempt, at, message, url"
)
_OUTCOME_COLUMNS = "repo, workflow, job, sha, branch, pr, run_id, attempt, conclusion, at, url"


def _ts(value: datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _dt(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _failure(row: tuple[Any, ...]) -> FailureRecord:
    return from_row(FailureRecord, row)


def _outcome(row: tuple[Any, ...]) -> JobOutcome:
    return from_row(JobOutcome, row)


class SqliteFailureStore:
    """The embedded failure store; one connection guarded by a lock, called from threads."""

    def __init__(self, path: Path | str) -> None:
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        # The signature and commit indexes take inserts at random places: a page cache of
        # 32 MiB keeps them from re-reading the disk on every insert past ~100k rows, and
        # bounds memory all the same.
        self._conn.execute("PRAGMA cache_size=-32768")
        self._conn.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._conn.executemany(sql, rows)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return int(cursor.rowcount)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def record_failures(self, records: list[FailureRecord]) -> int:
        rows = [to_row(r) for r in records]
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                added = self._conn.executemany(
                    f"INSERT OR IGNORE INTO failures ({_FAILURE_COLUMNS}) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                ).rowcount
                self._conn.executemany(
                    "INSERT OR IGNORE INTO same_commit SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS"
                    " (SELECT 1 FROM outcomes WHERE repo=? AND workflow=? AND job=? AND sha=?"
                    "  AND conclusion='success')",
                    (
                        (
                            r.repo,
                            r.workflow,
                            r.job,
                            r.test,
                            r.sha,
                            r.signature,
                            _ts(r.at),
                            r.repo,
                            r.workflow,
                            r.job,
                            r.sha,
                        )
                        for r in records
                    ),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return int(added)

    def record_outcome(self, outcome: JobOutcome) -> None:
        self.record_outcomes([outcome])

    def record_outcomes(self, outcomes: list[JobOutcome]) -> None:
        """Job attempts that ended; a success links the failures of its commit as flaky."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for o in outcomes:
                    self._conn.execute(
                        f"INSERT OR REPLACE INTO outcomes ({_OUTCOME_COLUMNS}) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        to_row(o),
                    )
                    if o.conclusion == "success":
                        self._conn.execute(
                            "INSERT OR IGNORE INTO same_commit"
                            " SELECT repo, workflow, job, test, sha, signature, at FROM failures"
                            " WHERE repo=? AND sha=? AND workflow=? AND job=?",
                            (o.repo, o.sha, o.workflow, o.job),
                        )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def set_override(self, override: Override) -> None:
        o = override
        self._write(
            "INSERT OR REPLACE INTO overrides (repo, signature, label, by, at) VALUES (?,?,?,?,?)",
            [(o.repo, o.signature, o.label, o.by, _ts(o.at))],
        )

    def override(self, repo: str, signature: str) -> Override | None:
        rows = self._read(
            "SELECT label, by, at FROM overrides WHERE repo=? AND signature=?", (repo, signature)
        )
        if not rows:
            return None
        label, by, at = rows[0]
        return Override(repo, signature, label, by, _dt(at))

    def failures_of(
        self,
        repo: str,
        signature: str,
        *,
        since: datetime | None = None,
        branch: str | None = None,
        limit: int = 1000,
        newest_first: bool = False,
    ) -> list[FailureRecord]:
        """Oldest first (where this failure was first seen), or newest first."""
        sql = f"SELECT {_FAILURE_COLUMNS} FROM failures WHERE repo=? AND signature=?"
        params: list[Any] = [repo, signature]
        if branch is not None:
            sql += " AND branch=?"
            params.append(branch)
        if since is not None:
            sql += " AND at>=?"
            params.append(_ts(since))
        sql += " ORDER BY at DESC LIMIT ?" if newest_first else " ORDER BY at LIMIT ?"
        params.append(limit)
        return [_failure(row) for row in self._read(sql, tuple(params))]

    def failures_on_branch(
        self, repo: str, branch: str, since: datetime, limit: int = 200
    ) -> list[FailureRecord]:
        """Newest first: what failed on ``branch`` lately (the report's default-branch section)."""
        rows = self._read(
            f"SELECT {_FAILURE_COLUMNS} FROM failures WHERE repo=? AND branch=? AND at>=?"
            " ORDER BY at DESC LIMIT ?",
            (repo, branch, _ts(since), limit),
        )
        return [_failure(row) for row in rows]

    def flaky_commits(
        self, repo: str, workflow: str, job: str, test: str, signature: str, since: datetime
    ) -> int:
        """Commits where this test (or, job-level, this signature) both failed and passed."""
        if test:
            sql = (
                "SELECT COUNT(*) FROM same_commit WHERE repo=? AND workflow=? AND job=?"
                " AND test=? AND at>=?"
            )
            params: tuple[Any, ...] = (repo, workflow, job, test, _ts(since))
        else:
            sql = "SELECT COUNT(*) FROM same_commit WHERE repo=? AND signature=? AND at>=?"
            params = (repo, signature, _ts(since))
        return int(self._read(sql, params)[0][0])

    def last_outcome_before(
        self, repo: str, workflow: str, job: str, branch: str, before: datetime, conclusion: str
    ) -> JobOutcome | None:
        rows = self._read(
            f"SELECT {_OUTCOME_COLUMNS} FROM outcomes WHERE repo=? AND workflow=? AND job=? "
            "AND branch=? AND at<? AND conclusion=? ORDER BY at DESC LIMIT 1",
            (repo, workflow, job, branch, _ts(before), conclusion),
        )
        return _outcome(rows[0]) if rows else None

    def same_commit_evidence(self, repo: str | None, since: datetime) -> list[SameCommit]:
        """Per (test, commit): its failures there and the passes of the same job on that commit."""
        sql = (
            "SELECT s.repo, s.workflow, s.job, s.test, s.sha,"
            " (SELECT COUNT(*) FROM failures f WHERE f.repo=s.repo AND f.sha=s.sha"
            "  AND f.workflow=s.workflow AND f.job=s.job AND f.test=s.test),"
            " (SELECT MIN(at) || ' ' || MAX(at) || ' ' || MAX(signature) || ' ' || MAX(url)"
            "  FROM failures f WHERE f.repo=s.repo AND f.sha=s.sha AND f.workflow=s.workflow"
            "  AND f.job=s.job AND f.test=s.test),"
            " (SELECT COUNT(*) FROM outcomes o WHERE o.repo=s.repo AND o.workflow=s.workflow"
            "  AND o.job=s.job AND o.sha=s.sha AND o.conclusion='success')"
            " FROM same_commit s WHERE s.at>=? AND s.test!=''"
        )
        params: list[Any] = [_ts(since)]
        if repo is not None:
            sql += " AND s.repo=?"
            params.append(repo)
        found = []
        for r in self._read(sql, tuple(params)):
            first, last, signature, url = (r[6] or "0 0  ").split(" ", 3)
            found.append(
                SameCommit(
                    repo=r[0],
                    workflow=r[1],
                    job=r[2],
                    test=r[3],
                    signature=signature,
                    sha=r[4],
                    fails=r[5],
                    passes=r[7],
                    first_at=_dt(float(first)),
                    last_at=_dt(float(last)),
                    url=url,
                )
            )
        return found

    def prune(self, older_than: datetime) -> int:
        cutoff = _ts(older_than)
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            removed = 0
            for table in ("failures", "outcomes", "same_commit"):
                removed += self._conn.execute(f"DELETE FROM {table} WHERE at<?", (cutoff,)).rowcount
            self._conn.execute("COMMIT")
        return removed

    def count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM failures")[0][0])
