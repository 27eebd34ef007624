"""The workflow optimizer as a service: `/optimize`, scheduled runs, and workflow PR reviews.

The real Pitcrew app runs against the fake GitHub (repositories backed by real bare git repos);
the engine is called directly only to know what the right output is.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

import tests.fakegithub.routes_optimize_extra as fake_extra  # Git Data API + reviews routes
from bot.appkeys import CTX, QUEUE
from bot.optimize import OptimizeConfig, optimize_files, proposal
from bot.optimize import history as run_history
from bot.optimize.actions import ActionRef, bundled_catalog
from bot.report.records import JobRecord, RunRecord
from bot.scheduler import KnownRepo, schedule_payload
from tests.conftest import delivery_headers
from tests.fakegithub import load_example
from tests.helpers import (
    FAST_POLICY,
    INSTALLATION,
    comment_event,
    drain,
    pitcrew_settings,
    repo_json,
    world,
)

REPO = "octo-org/widgets"
CI = ".github/workflows/ci.yml"
CI_TEXT = """\
name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v3
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -r requirements.txt
      - run: pytest
"""
LINT_TEXT = """\
name: Lint
on: [pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo lint
"""
BROKEN_TEXT = "name: Broken\non:\n  push:\njobs:\n  x: [unclosed\n"
INJECTION_TEXT = """\
name: Greet
on:
  pull_request:
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""


def action_yml(using: str) -> str:
    return f"name: a\nruns:\n  using: {using}\n  main: dist/index.js\n"


def seed_actions(fake) -> None:
    """The actions the test workflows use, as public repos whose action.yml the service reads
    at each ref: the same runtimes and newest majors as the bundled table."""
    table = bundled_catalog()
    for repo, old in (("actions/checkout", ("v3", "v4")), ("actions/setup-python", ("v5",))):
        fake.add_repo(repo, files={"README.md": "# action\n"})
        for ref in old:
            _commit, tag = table.resolve(repo, ref)
            using = table.facts(ActionRef(repo, "", ref)).using
            fake.add_file(repo, "action.yml", action_yml(using))
            fake.add_tag(repo, tag)
            fake.add_tag(repo, ref)
        newest = table.newest_current(repo, "")
        fake.add_file(repo, "action.yml", action_yml(newest.using))
        fake.add_tag(repo, newest.tag)
        fake.add_tag(repo, f"v{newest.major}")


@pytest.fixture
async def pitcrew(app_client, settings_factory, fake_github, app_key):
    world(fake_github, with_git=True)
    seed_actions(fake_github)
    fake_github.add_issue(REPO, 2)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    return await app_client(settings, policy=FAST_POLICY)


async def deliver(client, event: str, payload: dict, delivery_id: str | None = None) -> str:
    body = json.dumps(payload).encode()
    resp = await client.post(
        "/webhook", data=body, headers=delivery_headers(event, body, delivery_id)
    )
    assert resp.status in (200, 202), await resp.text()
    return (await resp.json())["status"]


async def optimize_command(client, fake, login: str = "alice", number: int = 2) -> dict:
    payload = comment_event(fake, REPO, number, "/optimize", login=login)
    assert await deliver(client, "issue_comment", payload) == "queued"
    await drain(client)
    return payload


def replies(fake, number: int = 2) -> list[str]:
    return [c["body"] for c in fake.comments(REPO, number) if c["user"]["login"] == "pitcrew[bot]"]


def optimize_prs(fake) -> list[dict]:
    repo = fake.state.get_repo(REPO)
    return [
        fake.pull(REPO, n) for n, pr in repo.pulls.items() if pr["head"]["ref"] == proposal.BRANCH
    ]


def read(fake, ref: str, path: str) -> str | None:
    data = fake.state.get_repo(REPO).read(ref, path)
    return data.decode() if isinstance(data, bytes) else None


def expected(files: dict[str, str], repo_files: list[str]):
    return optimize_files(
        files, repo_files=repo_files, config=OptimizeConfig(default_branch="main", owner="octo-org")
    )


def seed(fake, files: dict[str, str]) -> str:
    sha = ""
    for path, text in files.items():
        sha = fake.add_file(REPO, path, text)
    return sha


# --- /optimize --------------------------------------------------------------------------------


async def test_optimize_opens_one_pr_with_changes_and_table(pitcrew, fake_github):
    head = seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT})
    payload = await optimize_command(pitcrew, fake_github)

    [pr] = optimize_prs(fake_github)
    assert pr["base"]["ref"] == "main" and pr["state"] == "open"
    want = expected({CI: CI_TEXT}, ["README.md", "requirements.txt", CI])
    assert set(want.changes) == {CI, ".github/dependabot.yml"}
    for path, (_old, new) in want.changes.items():
        assert read(fake_github, proposal.BRANCH, path) == new  # byte for byte
    assert read(fake_github, proposal.BRANCH, "README.md") == read(fake_github, "main", "README.md")
    tip = fake_github.state.get_repo(REPO).git.commit_info(pr["head"]["sha"])
    assert tip.parents == [head] and proposal.TRAILER in tip.message

    body = pr["body"]
    assert body.startswith("<!-- pitcrew:optimize -->")
    assert "| rule | file | what changed | why | est. minutes saved / month |" in body
    for rule in ("concurrency", "cache", "timeout", "permissions", "deprecated-action"):
        assert f"| `{rule}` | `{CI}`:" in body
    assert "| n/a |" in body and "**n/a**" in body  # no run history collected yet

    [reply] = replies(fake_github)
    assert f"Opened #{pr['number']}" in reply and pr["html_url"] in reply
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "rocket"]


async def test_second_optimize_updates_the_same_pr(pitcrew, fake_github):
    seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT})
    await optimize_command(pitcrew, fake_github)
    [first] = optimize_prs(fake_github)

    head = seed(fake_github, {".github/workflows/lint.yml": LINT_TEXT})  # main moves on
    await optimize_command(pitcrew, fake_github)
    [pr] = optimize_prs(fake_github)  # still one PR
    assert pr["number"] == first["number"]
    assert (
        fake_github.calls_to("POST", "/repos/*/pulls")
        and len(fake_github.calls_to("POST", "/repos/*/pulls")) == 1
    )
    assert fake_github.calls_to("PATCH", f"/repos/{REPO}/pulls/{pr['number']}")
    lint = read(fake_github, proposal.BRANCH, ".github/workflows/lint.yml")
    assert lint != LINT_TEXT and "timeout-minutes" in lint
    assert "`.github/workflows/lint.yml`" in pr["body"]
    tip = fake_github.state.get_repo(REPO).git.commit_info(pr["head"]["sha"])
    assert tip.parents == [head]  # recreated from the default branch head: one clean commit
    assert f"Updated #{pr['number']}" in replies(fake_github)[-1]

    # nothing new: no new commit, no edit
    patches = len(fake_github.calls_to("PATCH", "/repos/*/pulls/*"))
    await optimize_command(pitcrew, fake_github)
    assert optimize_prs(fake_github)[0]["head"]["sha"] == pr["head"]["sha"]
    assert len(fake_github.calls_to("PATCH", "/repos/*/pulls/*")) == patches


async def test_branch_with_someone_elses_commit_is_not_overwritten(pitcrew, fake_github):
    seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT})
    await optimize_command(pitcrew, fake_github)
    theirs = fake_github.add_file(REPO, "NOTES.md", "mine\n", ref=proposal.BRANCH)
    seed(fake_github, {".github/workflows/lint.yml": LINT_TEXT})
    await optimize_command(pitcrew, fake_github)
    assert fake_github.state.get_repo(REPO).git.resolve(proposal.BRANCH) == theirs
    assert "Not updated" in replies(fake_github)[-1]
    assert "commits Pitcrew did not make" in replies(fake_github)[-1]


async def test_nothing_to_optimize_replies_without_pr(pitcrew, fake_github):
    seed(fake_github, {"docs/index.md": "# docs\n"})
    await optimize_command(pitcrew, fake_github)
    [reply] = replies(fake_github)
    assert "Nothing to optimize" in reply
    assert optimize_prs(fake_github) == []
    assert not fake_github.calls_to("POST", "/repos/*/git/*")
    assert not fake_github.calls_to("POST", "/repos/*/pulls")


async def test_broken_yaml_is_reported_and_the_rest_optimized(pitcrew, fake_github):
    seed(
        fake_github,
        {"requirements.txt": "x\n", CI: CI_TEXT, ".github/workflows/broken.yml": BROKEN_TEXT},
    )
    await optimize_command(pitcrew, fake_github)
    [pr] = optimize_prs(fake_github)
    assert read(fake_github, proposal.BRANCH, CI) != CI_TEXT
    assert read(fake_github, proposal.BRANCH, ".github/workflows/broken.yml") == BROKEN_TEXT
    want = expected({CI: CI_TEXT, ".github/workflows/broken.yml": BROKEN_TEXT}, [])
    [error] = want.errors
    assert f"`{error.file}`:{error.line}" in pr["body"]
    assert f"`{error.file}:{error.line}`" in replies(fake_github)[-1]


@pytest.mark.parametrize(
    "login, allowed",
    [("adam", True), ("alice", True), ("tara", False), ("rita", False), ("stranger", False)],
)
async def test_optimize_authorisation(pitcrew, fake_github, login, allowed):
    seed(fake_github, {CI: CI_TEXT})
    await optimize_command(pitcrew, fake_github, login=login)
    [reply] = replies(fake_github)
    if allowed:
        assert len(optimize_prs(fake_github)) == 1
    else:
        assert "needs write access" in reply and "Nothing was run" in reply
        assert optimize_prs(fake_github) == []
        assert not fake_github.calls_to("POST", "/repos/*/git/*")


async def test_disabled_in_config(pitcrew, fake_github):
    seed(fake_github, {CI: CI_TEXT, ".github/pitcrew.yml": "optimize:\n  enabled: false\n"})
    await optimize_command(pitcrew, fake_github)
    assert "disabled" in replies(fake_github)[0]
    assert optimize_prs(fake_github) == []


async def test_scheduled_optimize_opens_pr_without_reply(pitcrew, fake_github):
    seed(fake_github, {CI: CI_TEXT})
    await schedule(pitcrew, "schedule:test")
    [pr] = optimize_prs(fake_github)
    assert "schedule" in pr["body"]
    assert replies(fake_github) == []


async def schedule(client, delivery_id: str) -> None:
    payload = schedule_payload(KnownRepo("octo-org", "widgets", INSTALLATION), "optimize", 0)
    assert await client.app[QUEUE].enqueue(
        delivery_id=delivery_id,
        event="pitcrew_schedule",
        action="optimize",
        key=f"{REPO}:optimize",
        body=json.dumps(payload).encode(),
    )
    await drain(client)


async def test_schedule_does_not_reopen_a_declined_proposal(pitcrew, fake_github):
    seed(fake_github, {CI: CI_TEXT})
    await schedule(pitcrew, "schedule:1")
    [pr] = optimize_prs(fake_github)
    fake_github.state.get_repo(REPO).pulls[pr["number"]]["state"] = "closed"  # maintainer: no
    await schedule(pitcrew, "schedule:2")
    assert len(optimize_prs(fake_github)) == 1  # not reopened for the same changes
    seed(fake_github, {".github/workflows/lint.yml": LINT_TEXT})
    await schedule(pitcrew, "schedule:3")
    states = {p["number"]: p["state"] for p in optimize_prs(fake_github)}
    assert sorted(states.values()) == ["closed", "open"]  # new changes: a new proposal
    for number in states:
        fake_github.state.get_repo(REPO).pulls[number]["state"] = "closed"
    await optimize_command(pitcrew, fake_github)  # asked for explicitly: always proposes
    assert sorted(p["state"] for p in optimize_prs(fake_github)) == ["closed", "closed", "open"]


async def test_missing_workflows_permission_is_explained(pitcrew, fake_github):
    seed(fake_github, {CI: CI_TEXT})
    fake_github.inject(
        "POST",
        "/repos/*/git/refs",
        status=422,
        body={
            "message": "refusing to allow a GitHub App to create or update workflow "
            "`.github/workflows/ci.yml` without `workflows` permission",
            "documentation_url": "https://docs.github.com/rest",
        },
    )
    payload = await optimize_command(pitcrew, fake_github)
    assert "needs the App's `workflows` permission" in replies(fake_github)[-1]
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]
    assert optimize_prs(fake_github) == []


async def test_github_client_error_becomes_a_reply(pitcrew, fake_github):
    seed(fake_github, {CI: CI_TEXT})
    fake_github.inject("GET", "/repos/*/git/trees/*", status=404)
    payload = await optimize_command(pitcrew, fake_github)
    assert "GitHub answered 404" in replies(fake_github)[-1]
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]


async def test_savings_come_from_collected_run_history(pitcrew, fake_github):
    seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT})
    store = workflows_store(pitcrew)
    now = datetime.now(UTC)
    runs = []
    for i in range(6):  # pushes to a PR every 5 minutes; each run takes 12 minutes
        start = now - timedelta(days=1, minutes=60 - 5 * i)
        runs.append(run_record(100 + i, start, start + timedelta(minutes=12)))
    store.upsert_runs(runs)
    await optimize_command(pitcrew, fake_github)
    [pr] = optimize_prs(fake_github)
    row = next(line for line in pr["body"].splitlines() if line.startswith("| `concurrency`"))
    assert not row.endswith("| – |") and not row.endswith("| n/a |")
    assert float(row.rsplit("|", 2)[1]) > 0
    assert "day(s) of run history" in pr["body"]


def workflows_store(client):
    from bot.report.backend import store_of

    return store_of(client.app[CTX])


def run_record(run_id: int, start: datetime, end: datetime, **kw) -> RunRecord:
    fields = dict(
        repo=REPO,
        run_id=run_id,
        workflow="CI",
        status="completed",
        conclusion="success",
        event="pull_request",
        branch="feature",
        head_sha=f"{run_id:040x}",
        attempt=1,
        created_at=start,
        run_started_at=start,
        updated_at=end,
        duration_s=(end - start).total_seconds(),
        queue_s=0.0,
    )
    fields.update(kw)
    return RunRecord(**fields)


# --- reviews of workflow PRs ---------------------------------------------------------------------


def pr_event(fake, number: int, action: str = "opened") -> dict:
    payload = load_example("pull_request", "synchronize.payload.json")
    payload.update(
        action=action,
        number=number,
        pull_request=fake.pull(REPO, number),
        repository=repo_json(fake, REPO),
        installation={"id": INSTALLATION, "node_id": "x"},
    )
    payload["sender"]["login"] = "paula"
    return payload


def apply_suggestions(text: str, comments: list[dict]) -> str:
    """What clicking "Commit suggestion" on every comment does to the file."""
    lines = text.splitlines()
    edits = []
    for c in comments:
        body = c["body"].splitlines()
        if "```suggestion" not in body:
            continue
        start = body.index("```suggestion")
        end = len(body) - 1 - body[::-1].index("```")
        edits.append((c.get("start_line", c["line"]), c["line"], body[start + 1 : end]))
    for first, last, new in sorted(edits, reverse=True):
        lines[first - 1 : last] = new
    return "\n".join(lines) + "\n"


async def test_workflow_pr_gets_one_review_with_suggestions(pitcrew, fake_github):
    seed(fake_github, {"requirements.txt": "pytest\n"})
    fake_github.add_pull(
        REPO,
        5,
        head_ref="add-ci",
        files={CI: CI_TEXT, ".github/workflows/greet.yml": INJECTION_TEXT},
    )
    payload = pr_event(fake_github, 5)
    assert await deliver(pitcrew, "pull_request", payload) == "queued"
    await drain(pitcrew)

    [review] = fake_extra.reviews(fake_github, REPO, 5)
    assert (
        review["state"] == "COMMENTED"
        and review["commit_id"] == payload["pull_request"]["head"]["sha"]
    )
    assert "<!-- pitcrew:optimize-review ids=" in review["body"]
    comments = review["comments"]
    ci_comments = [c for c in comments if c["path"] == CI and "```suggestion" in c["body"]]
    assert ci_comments
    # besides suggestions, only security findings: zizmor's audits, each with its doc link
    others = [c for c in comments if c["path"] == CI and "```suggestion" not in c["body"]]
    assert all("https://docs.zizmor.sh/audits/#" in c["body"] for c in others)
    # a new file: every line is in the diff, so the suggestions rebuild the engine's output
    want = expected({CI: CI_TEXT}, ["README.md", "requirements.txt", CI])
    assert apply_suggestions(CI_TEXT, ci_comments) == want.changes[CI][1]

    greet = [c for c in comments if c["path"] == ".github/workflows/greet.yml"]
    [security] = [c for c in greet if "script-injection" in c["body"]]
    assert "```suggestion" not in security["body"]
    # zizmor reports the same injection: merged into Pitcrew's finding, not posted twice
    assert (
        "zizmor [template-injection](https://docs.zizmor.sh/audits/#template-injection)"
        in (security["body"])
    )
    assert not [c for c in greet if c["line"] == security["line"] and c is not security]
    assert INJECTION_TEXT.splitlines()[security["line"] - 1].strip().startswith("- run: echo")


async def test_review_of_a_modified_workflow_stays_on_changed_lines(pitcrew, fake_github):
    seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT})
    fake_github.add_pull(
        REPO, 9, head_ref="quiet", files={CI: CI_TEXT.replace("run: pytest", "run: pytest -q")}
    )
    await deliver(pitcrew, "pull_request", pr_event(fake_github, 9))
    await drain(pitcrew)
    [review] = fake_extra.reviews(fake_github, REPO, 9)  # GitHub would 422 an off-diff line
    [suggestion] = review["comments"]
    assert "cache: pip" in suggestion["body"] and suggestion["line"] >= 12
    assert "Some proposals touch lines this PR does not change" in review["body"]


async def test_review_not_repeated_on_redelivery_or_empty_push(pitcrew, fake_github):
    fake_github.add_pull(
        REPO, 6, head_ref="add-lint", files={".github/workflows/lint.yml": LINT_TEXT}
    )
    payload = pr_event(fake_github, 6)
    await deliver(pitcrew, "pull_request", payload, "pr-6")
    await drain(pitcrew)
    assert len(fake_extra.reviews(fake_github, REPO, 6)) == 1
    assert await deliver(pitcrew, "pull_request", payload, "pr-6") == "duplicate"
    await deliver(pitcrew, "pull_request", payload)  # GitHub re-sent it under a new id
    fake_github.add_file(REPO, "src/app.py", "print()\n", ref="add-lint")
    await deliver(pitcrew, "pull_request", pr_event(fake_github, 6, "synchronize"))
    await drain(pitcrew)
    assert len(fake_extra.reviews(fake_github, REPO, 6)) == 1

    # a push that brings a new workflow problem gets a review with only the new comments
    more = LINT_TEXT + "  docs:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make docs\n"
    fake_github.add_file(REPO, ".github/workflows/lint.yml", more, ref="add-lint")
    await deliver(pitcrew, "pull_request", pr_event(fake_github, 6, "synchronize"))
    await drain(pitcrew)
    first, second = fake_extra.reviews(fake_github, REPO, 6)
    assert {c["body"] for c in first["comments"]}.isdisjoint(c["body"] for c in second["comments"])
    assert any("timeout-minutes" in c["body"] for c in second["comments"])


async def test_pr_without_workflow_changes_or_with_review_off_gets_no_review(pitcrew, fake_github):
    fake_github.add_pull(REPO, 7, head_ref="code", files={"src/x.py": "x = 1\n"})
    await deliver(pitcrew, "pull_request", pr_event(fake_github, 7))
    seed(fake_github, {".github/pitcrew.yml": "optimize:\n  review: false\n"})
    fake_github.add_pull(REPO, 8, head_ref="wf", files={CI: CI_TEXT})
    await deliver(pitcrew, "pull_request", pr_event(fake_github, 8))
    await drain(pitcrew)
    assert fake_extra.reviews(fake_github, REPO, 7) == []
    assert fake_extra.reviews(fake_github, REPO, 8) == []
    assert not fake_github.calls_to("POST", "/repos/*/pulls/*/reviews")


# --- pure helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "patch, lines",
    [
        ("@@ -0,0 +1,3 @@\n+a\n+b\n+c", {1, 2, 3}),
        ("@@ -4,3 +4,4 @@ jobs:\n ctx\n-old\n+new\n+new2\n ctx", {4, 5, 6, 7}),
        ("@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file", {1}),
        (None, set()),
    ],
    ids=["new-file", "modified-with-context", "no-final-newline", "no-patch"],
)
def test_commentable_lines(patch, lines):
    assert proposal.commentable_lines(patch) == lines


def test_history_counts_superseded_time_and_job_durations():
    now = datetime(2026, 11, 1, tzinfo=UTC)
    t0 = now - timedelta(days=10)
    runs = [
        run_record(1, t0, t0 + timedelta(minutes=10)),
        run_record(2, t0 + timedelta(minutes=4), t0 + timedelta(minutes=14)),  # cancels 6 min
        run_record(3, t0 + timedelta(hours=2), t0 + timedelta(hours=2, minutes=10)),  # no overlap
        run_record(4, t0, t0 + timedelta(minutes=9), event="push", branch="main", workflow="CI"),
        run_record(9, t0, t0 + timedelta(minutes=9), workflow="Unknown"),
    ]
    jobs = [
        JobRecord(REPO, 3, 30, "test", "CI", "completed", "success", 1, t0, t0, t0, 300.0, 0.0),
        JobRecord(REPO, 3, 31, "test", "CI", "completed", "failure", 1, t0, t0, t0, 900.0, 0.0),
    ]
    names = run_history.workflow_names({CI: CI_TEXT})
    history = run_history.history_from_records(runs, jobs, names, now)
    assert history is not None and history.window_days == pytest.approx(10)
    assert history.superseded_minutes == {CI: pytest.approx(6)}
    assert history.superseded_pr_minutes == {CI: pytest.approx(6)}
    assert history.job_durations == {CI: {"test": [5.0]}}
    assert run_history.history_from_records([], [], names, now) is None


def test_posted_ids_only_trusts_our_reviews():
    ids = proposal.review_marker(["b", "a"])
    reviews = [
        {"user": {"login": "pitcrew[bot]"}, "body": f"{ids}\ntext"},
        {"user": {"login": "mallory"}, "body": proposal.review_marker(["c"])},
    ]
    assert proposal.posted_ids(reviews, "pitcrew[bot]") == {"a", "b"}


RELEASE_TEXT = """\
name: Build and publish
on:
  pull_request:
  push:
    tags: ["v*"]
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@{old_sha} # v4
      - run: make test
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make dist
      - uses: softprops/action-gh-release@v2
"""


async def test_optimize_mixed_workflow_sha_pins_and_job_grants_through_the_api(
    pitcrew, fake_github
):
    """CI + release in one workflow: PR-only cancellation; a SHA pin resolved through the API
    (its comment says v4, the commit is v3's) gets the new major's SHA; the job without
    permissions gets a job-level grant; a second /optimize makes no action lookups."""
    old_sha = fake_github.state.get_repo("actions/checkout").resolve("v3")
    newest = bundled_catalog().newest_current("actions/checkout", "")
    new_sha = fake_github.state.get_repo("actions/checkout").resolve(newest.tag)
    text = RELEASE_TEXT.replace("{old_sha}", old_sha)
    seed(fake_github, {".github/workflows/release.yml": text})
    await optimize_command(pitcrew, fake_github)
    new = read(fake_github, proposal.BRANCH, ".github/workflows/release.yml")
    assert new is not None
    assert (
        "concurrency:\n  group: ${{ github.workflow }}-${{ github.event_name == 'pull_request' "
        "&& github.ref || github.run_id }}\n  cancel-in-progress: ${{ github.event_name == "
        "'pull_request' }}\n"
    ) in new
    assert f"      - uses: actions/checkout@{new_sha} # {newest.tag}\n" in new
    assert '    tags: ["v*"]\npermissions:\n  contents: read\nconcurrency:\n' in new
    grant = "    permissions:\n      contents: write\n"
    assert "  publish:\n    runs-on: ubuntu-latest\n" + grant in new
    assert new.count("    permissions:\n      contents: read\n") == 1  # test keeps its own
    lookups = len(fake_github.calls_to("GET", "/repos/actions/*"))
    assert lookups > 0
    await optimize_command(pitcrew, fake_github)
    assert len(fake_github.calls_to("GET", "/repos/actions/*")) == lookups  # all cached


# --- paths-ignore savings from recorded changed files ---------------------------------------------


def push_event(fake, sha: str, *files: str) -> dict:
    """`push` to main as GitHub sends it: one commit that modified ``files``."""
    payload = load_example("push", "with-new-branch.payload.json")
    [commit] = payload["commits"]
    commit.update(id=sha, added=[], removed=[], modified=list(files))
    payload.update(
        ref="refs/heads/main",
        before="1" * 40,
        after=sha,
        created=False,
        commits=[commit],
        head_commit=commit,
        repository=repo_json(fake, REPO),
        installation={"id": INSTALLATION, "node_id": "x"},
    )
    return payload


async def test_paths_ignore_saving_from_pushes_and_reviewed_prs(pitcrew, fake_github):
    """Push payloads and the PR review's file list record each head's changed files; the
    optimize PR states the docs-only minutes and how many runs they are based on."""
    seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT})
    docs_push, code_push, unknown_push = "d" * 40, "c" * 40, "e" * 40
    await deliver(pitcrew, "push", push_event(fake_github, docs_push, "README.md"))
    await deliver(pitcrew, "push", push_event(fake_github, code_push, "README.md", "src/a.py"))
    fake_github.add_pull(REPO, 7, head_ref="docs", files={"docs/guide.md": "# Guide\n"})
    await deliver(pitcrew, "pull_request", pr_event(fake_github, 7))
    await drain(pitcrew)
    pr_head = fake_github.pull(REPO, 7)["head"]["sha"]

    start = datetime.now(UTC) - timedelta(days=2)
    end = start + timedelta(minutes=10)
    workflows_store(pitcrew).upsert_runs(
        [
            run_record(1, start, end, event="push", branch="main", head_sha=docs_push),
            run_record(2, start, end, event="push", branch="main", head_sha=code_push),
            run_record(3, start, end, event="push", branch="main", head_sha=unknown_push),
            run_record(4, start, end, event="pull_request", branch="docs", head_sha=pr_head),
        ]
    )
    await optimize_command(pitcrew, fake_github)
    [pr] = optimize_prs(fake_github)
    row = next(line for line in pr["body"].splitlines() if line.startswith("| `paths-ignore`"))
    # runs 1 and 4 (10 minutes each) changed only Markdown: 20 minutes over 2 days, per month
    assert float(row.rsplit("|", 2)[1]) == pytest.approx(300.0, rel=0.01)
    assert "based on 3 of 4 push/pull-request runs" in row
    assert "changed files unknown for 1" in row


async def test_cache_saving_from_workflow_job_step_timings(pitcrew, fake_github):
    """`workflow_run` and `workflow_job` webhooks (built from GitHub's examples) are kept by
    the report store; the `cache` estimate comes from the install step's own timing."""
    seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT})
    start = datetime.now(UTC) - timedelta(days=2)

    def at(minutes: float) -> str:
        return (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")

    run = load_example("workflow_run", "completed.payload.json")
    run["workflow_run"].update(
        id=777,
        name="CI",
        event="pull_request",
        head_branch="feature",
        created_at=at(0),
        run_started_at=at(0),
        updated_at=at(10),
    )
    job = load_example("workflow_job", "completed.success.with-organization.payload.json")
    job["workflow_job"].update(
        run_id=777,
        name="test",
        workflow_name="CI",
        created_at=at(0),
        started_at=at(0),
        completed_at=at(10),
        steps=[
            {
                "name": "Set up job",
                "status": "completed",
                "number": 1,
                "started_at": at(0),
                "completed_at": at(0.5),
            },
            {
                "name": "Run pip install -r requirements.txt",
                "status": "completed",
                "number": 2,
                "started_at": at(1),
                "completed_at": at(7),
            },
            {
                "name": "Run pytest",
                "status": "completed",
                "number": 3,
                "started_at": at(7),
                "completed_at": at(10),
            },
        ],
    )
    for event, payload in (("workflow_run", run), ("workflow_job", job)):
        payload.update(
            repository=repo_json(fake_github, REPO),
            installation={"id": INSTALLATION, "node_id": "x"},
        )
        await deliver(pitcrew, event, payload)
    await drain(pitcrew)
    await optimize_command(pitcrew, fake_github)
    [pr] = optimize_prs(fake_github)
    row = next(line for line in pr["body"].splitlines() if line.startswith("| `cache`"))
    # 6 install minutes over a 2-day window, halved by a warm cache, scaled to 30 days
    assert float(row.rsplit("|", 2)[1]) == pytest.approx(45.0, rel=0.02)
