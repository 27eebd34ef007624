"""`paths-ignore` savings from the changed files of past runs, and both stores keeping them.

Engine-level: plain records in, the finding's estimate out. Store-level: the SQLite file and a
real redis-server keep the changed paths (and the step timings `cache` reads) the same way.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.optimize import OptimizeConfig, RunHistory, optimize_text
from bot.optimize.history import history_from_records
from bot.optimize.results import ChangedRun
from bot.report.backend import ReportStorage
from bot.report.changed_paths import MAX_PATHS, RETENTION, ChangedPaths, bounded, from_push
from bot.report.records import JobRecord, RunRecord
from bot.report.store import ReportStore
from tests.fakegithub import load_example
from tests.scaleout.conftest import namespace, redis_server  # noqa: F401  (fixtures)

WF = ".github/workflows/ci.yml"
CI = """\
name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: make test
"""
NOW = datetime(2026, 12, 1, tzinfo=UTC)
MD = ["**.md"]


def run(run_id: int, event: str, minutes: float, *, day: float = 1.0) -> RunRecord:
    start = NOW - timedelta(days=day)
    return RunRecord(
        repo="o/r",
        run_id=run_id,
        workflow="CI",
        status="completed",
        conclusion="success",
        event=event,
        branch="main" if event == "push" else "feature",
        head_sha=f"{run_id:040x}",
        attempt=1,
        created_at=start,
        run_started_at=start,
        updated_at=start + timedelta(minutes=minutes),
        duration_s=minutes * 60,
        queue_s=0.0,
    )


def job(job_id: int, run_id: int, minutes: float) -> JobRecord:
    start = NOW - timedelta(days=1)
    return JobRecord(
        repo="o/r",
        job_id=job_id,
        run_id=run_id,
        attempt=1,
        name="test",
        workflow="CI",
        status="completed",
        conclusion="success",
        created_at=start,
        started_at=start,
        completed_at=start + timedelta(minutes=minutes),
        duration_s=minutes * 60,
        queue_s=0.0,
        steps=(("Set up job", 5.0), ("Install dependencies", 120.0), ("make test", 60.0)),
    )


def change(run_id: int, event: str, *paths: str, truncated: bool = False) -> ChangedPaths:
    return ChangedPaths(event, f"{run_id:040x}", paths, truncated)


def paths_finding(history: RunHistory):
    result = optimize_text(WF, CI, rules=["paths-ignore"], history=history, config=OptimizeConfig())
    (finding,) = result.findings
    return finding


# --- engine -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "truncated", "skipped"),
    [
        (("README.md", "docs/a.md"), False, True),
        (("README.md", "src/app.py"), False, False),
        (("README.md",), True, None),  # more files changed than were kept: cannot tell
        (("src/app.py",), True, False),  # one kept file already runs it
        ((), False, None),
        (None, False, None),
    ],
)
def test_a_run_is_skipped_only_when_every_changed_file_is_ignored(paths, truncated, skipped):
    assert ChangedRun("push", 5.0, paths, truncated).skipped_by(MD) is skipped


def test_github_pattern_semantics_decide_what_is_ignored():
    # `*` does not cross `/`: `*.md` ignores README.md but not docs/guide.md
    assert ChangedRun("push", 1.0, ("docs/guide.md",)).skipped_by(["*.md"]) is False
    assert ChangedRun("push", 1.0, ("docs/guide.md",)).skipped_by(["**.md"]) is True
    assert ChangedRun("push", 1.0, ("docs/x.md",)).skipped_by(["**.md", "!docs/**"]) is False


def test_saving_counts_docs_only_runs_and_states_the_basis():
    runs = [run(1, "push", 10), run(2, "pull_request", 6), run(3, "push", 8), run(4, "push", 4)]
    jobs = [job(21, 2, 3.0), job(22, 2, 2.0)]  # run 2 billed by its jobs: 5 min, not 6
    changes = [
        change(1, "push", "README.md"),
        change(2, "pull_request", "docs/index.md", "CHANGELOG.md"),
        change(3, "push", "README.md", "src/main.c"),
        # run 4 has no record (pushed before collection started)
        change(4, "pull_request", "README.md"),  # same commit as a PR head: not this push
    ]
    history = history_from_records(runs, jobs, {"CI": WF}, NOW, changes)
    assert history is not None
    assert history.skippable(WF, ["push", "pull_request"], MD) == (15.0, 3, 4)
    finding = paths_finding(history)
    # 15 skippable minutes over the 1-day window, scaled to 30 days
    assert finding.minutes_saved == history.per_month(15.0) == 450.0
    assert "based on 3 of 4 push/pull-request runs" in finding.rationale
    assert "unknown for 1" in finding.rationale


def test_no_known_changes_means_no_estimate_and_says_why():
    history = history_from_records([run(1, "push", 10), run(2, "push", 10)], [], {"CI": WF}, NOW)
    assert history is not None
    finding = paths_finding(history)
    assert finding.minutes_saved is None
    assert "changed files of all 2 push/pull-request runs" in finding.rationale


def test_runs_of_other_events_do_not_count():
    runs = [run(1, "schedule", 30), run(2, "push", 10)]
    history = history_from_records(runs, [], {"CI": WF}, NOW, [change(2, "push", "a.md")])
    assert history is not None
    assert history.skippable(WF, ["push", "pull_request"], MD) == (10.0, 1, 1)


def test_changed_runs_round_trip_through_the_cli_history_json():
    history = RunHistory.from_dict(
        {
            "window_days": 30,
            "changed_runs": {
                WF: [
                    {"event": "push", "minutes": 12, "paths": ["README.md"]},
                    {"event": "push", "minutes": 7, "paths": None},
                ]
            },
        }
    )
    assert history.skippable(WF, ["push"], MD) == (12.0, 1, 2)
    assert paths_finding(history).minutes_saved == 12.0


# --- what is recorded --------------------------------------------------------------------------


def test_push_payload_gives_the_union_of_its_commits_files():
    payload = load_example("push", "with-new-branch.payload.json")
    first = payload["commits"][0]
    second = copy.deepcopy(first)
    second.update(added=[], modified=["README.md", "docs/a.md"], removed=["old.txt"])
    payload.update(created=False, commits=[first, second])
    recorded = from_push(payload)
    assert recorded is not None
    assert (recorded.event, recorded.sha) == ("push", payload["after"])
    assert recorded.paths == ("README.md", "docs/a.md", "old.txt")
    assert not recorded.truncated


@pytest.mark.parametrize(
    "change_",
    [
        {"forced": True},
        {"deleted": True},
        {"commits": []},
        {"ref": "refs/tags/v1.0"},
    ],
)
def test_pushes_without_a_usable_diff_are_not_recorded(change_):
    payload = load_example("push", "with-new-branch.payload.json")
    payload.update(change_)
    assert from_push(payload) is None


def test_paths_are_bounded_and_marked_truncated():
    many = bounded("pull_request", "f" * 40, (f"f{i}.md" for i in range(MAX_PATHS + 50)))
    assert len(many.paths) == MAX_PATHS and many.truncated
    exact = bounded("push", "f" * 40, ["a", "a", "b"])
    assert exact.paths == ("a", "b") and not exact.truncated


# --- both stores --------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path, namespace: str) -> Iterator[ReportStorage]:  # noqa: F811
    if request.param == "sqlite":
        backend: ReportStorage = ReportStore(tmp_path / "state.sqlite3")
    else:
        from bot.report.redis_store import RedisReportStore

        backend = RedisReportStore(request.getfixturevalue("redis_server").url, namespace)
    yield backend
    backend.close()


def test_store_keeps_changed_paths_per_event_and_head(store: ReportStorage):
    since = datetime.now(UTC) - timedelta(days=1)
    store.record_changed_paths("o/r", change(1, "push", "README.md"))
    store.record_changed_paths("o/r", change(1, "pull_request", "README.md", "src/a.py"))
    store.record_changed_paths("o/r", change(2, "push", "x.md", truncated=True))
    store.record_changed_paths("o/r", change(1, "push", "CHANGES.md"))  # redelivery replaces
    store.record_changed_paths("other/repo", change(3, "push", "y.md"))
    loaded = {(c.event, c.sha): c for c in store.load_changed_paths("o/r", since)}
    assert loaded == {
        ("push", f"{1:040x}"): change(1, "push", "CHANGES.md"),
        ("pull_request", f"{1:040x}"): change(1, "pull_request", "README.md", "src/a.py"),
        ("push", f"{2:040x}"): change(2, "push", "x.md", truncated=True),
    }
    assert store.load_changed_paths("o/r", datetime.now(UTC) + timedelta(minutes=1)) == []


def test_store_drops_changed_paths_past_retention(store: ReportStorage, monkeypatch):
    import bot.report.store as sqlite_module

    old = datetime.now(UTC) - RETENTION - timedelta(days=1)
    monkeypatch.setattr(sqlite_module, "_now", lambda: old)
    if not isinstance(store, ReportStore):
        import bot.report.redis_store as redis_module

        monkeypatch.setattr(redis_module, "_now", lambda: old)
    store.record_changed_paths("o/r", change(1, "push", "a.md"))
    monkeypatch.undo()
    store.record_changed_paths("o/r", change(2, "push", "b.md"))
    shas = [c.sha for c in store.load_changed_paths("o/r", old - timedelta(days=1))]
    assert shas == [f"{2:040x}"]


def test_cache_saving_from_step_timings_kept_by_the_store(store: ReportStorage):
    runs = [run(i, "pull_request", 10) for i in (1, 2)]
    store.upsert_runs(runs)
    store.upsert_jobs([job(10 + i, i, 9.0) for i in (1, 2)])
    history = history_from_records(store.load_runs("o/r"), store.load_jobs("o/r"), {"CI": WF}, NOW)
    assert history is not None
    assert history.install_for(WF, "test", None) == 4.0  # 2 jobs × 2-minute install step
    text = CI.replace("- run: make test", "- uses: actions/setup-node@v5\n      - run: npm ci")
    result = optimize_text(
        WF,
        text,
        repo_files={"package-lock.json"},
        rules=["cache"],
        history=history,
        config=OptimizeConfig(),
    )
    (finding,) = result.findings
    assert finding.minutes_saved == history.per_month(2.0)
