"""The four verdicts (and overrides) from stored history, on both store backends."""

from __future__ import annotations

from datetime import timedelta

from bot.memory.model import FailureStore, Override
from bot.memory.query import FailureAt, first_broken, judge
from bot.memory.render import render_first_broken, render_verdict
from bot.memory.signature import failure_signature
from tests.memory.history import History

BOOM = ("tests/test_api.py::test_login", "AssertionError: assert 401 == 200")


def _at(h: History, sha: str, pr: int | None, failure: tuple[str, str] = BOOM) -> FailureAt:
    return FailureAt(
        h.repo, h.workflow, "test", failure[0], failure_signature(*failure), sha, pr, "main"
    )


def test_new_in_this_pr(store: FailureStore) -> None:
    h = History(store)
    h.run("test", "base1")
    h.run("test", "pr7a", branch="feature", pr=7, failures=[BOOM])
    verdict = judge(store, _at(h, "pr7a", 7), h.tick())
    assert verdict.kind == "new"
    assert render_verdict(verdict) == "**NEW**: new in this PR"


def test_broken_on_base_even_when_the_latest_base_run_passed(store: FailureStore) -> None:
    h = History(store)
    good = h.run("test", "aaaaaaa1")
    first = h.run(
        "test",
        "bbbbbbb2",
        failures=[("tests/test_api.py::test_login", "AssertionError: assert 401 == 200")],
    )
    h.run("test", "ccccccc3", failures=[BOOM])
    h.run("test", "ddddddd4")  # passed by chance (or another job fixed nothing)
    h.run("test", "pr9", branch="feature", pr=9, failures=[BOOM])
    verdict = judge(store, _at(h, "pr9", 9), h.tick())
    assert verdict.kind == "broken_on_base"
    assert verdict.since is not None and verdict.since.sha == "bbbbbbb2"
    assert verdict.since.url == first.url
    assert verdict.last_pass is not None and verdict.last_pass.sha == "aaaaaaa1"
    line = render_verdict(verdict)
    assert line.startswith("**BROKEN ON BASE**: also failing on `main` since [`bbbbbbb`](")
    assert good.url in line and first.url in line


def test_broken_on_base_ignores_another_failure_of_the_same_job(store: FailureStore) -> None:
    h = History(store)
    h.run("test", "base1", failures=[("tests/test_db.py::test_migrate", "OperationalError: x")])
    h.run("test", "pr3", branch="feature", pr=3, failures=[BOOM])
    assert judge(store, _at(h, "pr3", 3), h.tick()).kind == "new"


def test_seen_in_other_prs_links_three(store: FailureStore) -> None:
    h = History(store)
    runs = {
        pr: h.run("test", f"sha{pr}", branch=f"b{pr}", pr=pr, failures=[BOOM])
        for pr in (11, 12, 13, 14)
    }
    h.run("test", "sha20", branch="b20", pr=20, failures=[BOOM])
    verdict = judge(store, _at(h, "sha20", 20), h.tick())
    assert verdict.kind == "seen_elsewhere"
    assert verdict.other_prs == 4
    assert [e.pr for e in verdict.others] == [14, 13, 12]
    line = render_verdict(verdict)
    assert "seen in 4 other PRs in the last 7 days" in line
    assert f"[#14]({runs[14].url})" in line and "#11" not in line


def test_other_prs_older_than_a_week_do_not_count(store: FailureStore) -> None:
    h = History(store)
    h.run("test", "old", branch="b1", pr=1, failures=[BOOM])
    h.tick(minutes=8 * 24 * 60)
    h.run("test", "new", branch="b2", pr=2, failures=[BOOM])
    assert judge(store, _at(h, "new", 2), h.tick()).kind == "new"


def test_flaky_when_the_same_commit_failed_and_passed(store: FailureStore) -> None:
    h = History(store)
    run = h.run("test", "pr5a", branch="f", pr=5, failures=[BOOM])
    h.run("test", "pr5a", branch="f", pr=5, run_id=run.run_id, attempt=2)  # re-run passed
    h.run("test", "pr6a", branch="g", pr=6, failures=[BOOM])
    verdict = judge(store, _at(h, "pr6a", 6), h.tick())
    assert verdict.kind == "flaky"
    assert verdict.flaky_commits == 1
    assert "passed and failed on the same commit once in 30 days" in render_verdict(verdict)


def test_override_applies_to_later_prs(store: FailureStore) -> None:
    h = History(store)
    h.run("test", "pr1", branch="a", pr=1, failures=[BOOM])
    sig = failure_signature(*BOOM)
    store.set_override(Override(h.repo, sig, "infra", "mia", h.tick()))
    h.run("test", "pr2", branch="b", pr=2, failures=[BOOM])
    verdict = judge(store, _at(h, "pr2", 2), h.tick())
    assert verdict.kind == "infra" and verdict.overridden_by == "mia"
    assert render_verdict(verdict) == "**INFRA**: labelled `infra` by @mia"


def test_first_broken_commit(store: FailureStore) -> None:
    h = History(store)
    h.run("test", "1111111a")
    green = h.run("test", "2222222b")
    red = h.run("test", "3333333c", failures=[BOOM])
    h.run("test", "4444444d", failures=[BOOM])
    found = first_broken(
        store,
        repo=h.repo,
        branch="main",
        workflow="CI",
        job="test",
        signature=failure_signature(*BOOM),
        now=h.tick(),
    )
    assert found is not None
    assert found.first_fail.sha == "3333333c" and found.first_fail.url == red.url
    assert found.last_pass is not None and found.last_pass.sha == "2222222b"
    assert found.last_pass.url == green.url
    line = render_first_broken(found)
    assert line.startswith("`main` red since [`3333333`](") and "last green [`2222222`]" in line


def test_redelivery_records_nothing_twice(store: FailureStore) -> None:
    h = History(store)
    run = h.run("test", "s1", failures=[BOOM])
    from bot.memory.records import records_for

    again = records_for(run, {"failures": [{"test": BOOM[0], "message": BOOM[1]}]}).records
    assert store.record_failures(again) == 0
    assert store.count() == 1


def test_prune_drops_old_history(store: FailureStore) -> None:
    h = History(store)
    h.run("test", "s1", failures=[BOOM])
    cutoff = h.tick(60 * 24)
    h.run("test", "s2", pr=4, branch="x", failures=[BOOM])
    assert store.prune(cutoff) >= 1
    assert store.count() == 1
    assert [r.sha for r in store.failures_of(h.repo, failure_signature(*BOOM))] == ["s2"]
    assert judge(store, _at(h, "s3", 5), h.tick() + timedelta(minutes=1)).kind == "seen_elsewhere"
