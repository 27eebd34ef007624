"""The SQLite store's org-report structures: covering indexes and trigger-kept job rollups.

Kept apart from :mod:`bot.report.store` (plain SQL text, no Python state): the store executes
them when it opens, after its schema migration.
"""

from __future__ import annotations

#: Indexes of the org report's range scans over every repository (after the v2 migration);
#: covering, so a scan of the span never reads the table itself.
ORG_INDEXES = """
CREATE INDEX IF NOT EXISTS runs_org ON runs (
    created_at, repo, repo_id, workflow, status, conclusion, dur_b, duration_s, event, branch,
    run_started_at);
CREATE INDEX IF NOT EXISTS runs_branch ON runs (
    repo, branch, created_at, event, status, conclusion, updated_at, run_id, workflow);
CREATE INDEX IF NOT EXISTS jobs_when ON jobs (COALESCE(created_at, started_at, 0));
CREATE INDEX IF NOT EXISTS jobs_failed ON jobs (COALESCE(created_at, started_at, 0), repo, job_id)
    WHERE conclusion IN ('failure', 'startup_failure', 'timed_out');
CREATE INDEX IF NOT EXISTS jobs_runners ON jobs (
    COALESCE(created_at, started_at, 0), repo, labels, runner_group, runner_name, status,
    duration_s) WHERE runner_name IS NOT NULL AND runner_name != '';
"""

_JOB_HOUR = "CAST(COALESCE({r}.created_at, {r}.started_at) / 3600 AS INTEGER)"


def _rollup(r: str, sign: str) -> str:
    """Statements adding (sign +) or removing (sign -) job ``r``'s counts in the hour rollups."""
    hour = _JOB_HOUR.format(r=r)
    return f"""
  INSERT INTO job_pool_hours VALUES (
    substr({r}.repo, 1, instr({r}.repo, '/') - 1), {r}.labels, COALESCE({r}.runner_group, ''),
    {hour}, COALESCE({r}.queue_b, -1), {sign}1)
  ON CONFLICT DO UPDATE SET jobs = jobs + excluded.jobs;
  INSERT INTO job_repo_hours VALUES (
    {r}.repo, {hour}, {sign}1,
    {sign}(CASE WHEN {r}.status = 'completed' THEN COALESCE({r}.duration_s, 0) ELSE 0 END),
    {sign}({r}.labels = '[]'), {sign}COALESCE({r}.started_at < {r}.created_at, 0))
  ON CONFLICT DO UPDATE SET jobs = jobs + excluded.jobs, seconds = seconds + excluded.seconds,
    no_labels = no_labels + excluded.no_labels, skew = skew + excluded.skew;"""


#: Jobs per hour, kept by triggers in the jobs' own transaction (so always exact): the org
#: report reads these instead of millions of jobs, and only the few partial hours at the edges
#: of its span from the jobs table.
JOB_ROLLUPS = f"""
CREATE TABLE IF NOT EXISTS job_pool_hours (
    owner TEXT NOT NULL, labels TEXT NOT NULL, grp TEXT NOT NULL, hour INTEGER NOT NULL,
    queue_b INTEGER NOT NULL, jobs INTEGER NOT NULL,
    PRIMARY KEY (hour, owner, labels, grp, queue_b)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job_repo_hours (
    repo TEXT NOT NULL, hour INTEGER NOT NULL, jobs INTEGER NOT NULL, seconds REAL NOT NULL,
    no_labels INTEGER NOT NULL, skew INTEGER NOT NULL,
    PRIMARY KEY (hour, repo)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS jobs_rollup_insert AFTER INSERT ON jobs
WHEN COALESCE(NEW.created_at, NEW.started_at) IS NOT NULL BEGIN {_rollup("NEW", "+")}
END;
CREATE TRIGGER IF NOT EXISTS jobs_rollup_delete AFTER DELETE ON jobs
WHEN COALESCE(OLD.created_at, OLD.started_at) IS NOT NULL BEGIN {_rollup("OLD", "-")}
END;
CREATE TRIGGER IF NOT EXISTS jobs_rollup_update_old AFTER UPDATE ON jobs
WHEN COALESCE(OLD.created_at, OLD.started_at) IS NOT NULL BEGIN {_rollup("OLD", "-")}
END;
CREATE TRIGGER IF NOT EXISTS jobs_rollup_update_new AFTER UPDATE ON jobs
WHEN COALESCE(NEW.created_at, NEW.started_at) IS NOT NULL BEGIN {_rollup("NEW", "+")}
END;
"""

BACKFILL_ROLLUPS = f"""
INSERT INTO job_pool_hours
SELECT substr(repo, 1, instr(repo, '/') - 1), labels, COALESCE(runner_group, ''), h,
       COALESCE(queue_b, -1), COUNT(*)
FROM (SELECT *, {_JOB_HOUR.format(r="jobs")} AS h FROM jobs
      WHERE COALESCE(created_at, started_at) IS NOT NULL)
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO job_repo_hours
SELECT repo, h, COUNT(*), TOTAL(CASE WHEN status = 'completed' THEN duration_s END),
       TOTAL(labels = '[]'), TOTAL(COALESCE(started_at < created_at, 0))
FROM (SELECT *, {_JOB_HOUR.format(r="jobs")} AS h FROM jobs
      WHERE COALESCE(created_at, started_at) IS NOT NULL)
GROUP BY repo, h;
"""
