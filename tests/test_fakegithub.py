"""Tests of the fake GitHub itself (tests/fakegithub): contract, auth, state, faults, git."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import gidgethub
import pytest
from aiohttp import web
from gidgethub import aiohttp as gh_aiohttp
from gidgethub import sansio

from tests.fakegithub import FakeGitHub, check_payload, load_example, send_webhook
from tests.fakegithub.routing import ROUTES, route
from tests.fakegithub.shared import validate_call

R = "/repos/octo/hello"


@pytest.fixture
async def fake(fake_github: FakeGitHub) -> FakeGitHub:
    """The fixture's fake with an installation, a git-backed repo and one PR."""
    fake_github.add_installation(7, "octo")
    fake_github.add_repo("octo/hello")
    fake_github.add_pull("octo/hello", 1, "feature", user_login="alice")
    return fake_github


@pytest.fixture
async def http(fake: FakeGitHub):
    token = fake.issue_token(7)
    async with aiohttp.ClientSession(
        base_url=fake.base_url, headers={"Authorization": f"token {token}"}
    ) as session:
        yield session


@pytest.fixture
async def gh(fake: FakeGitHub):
    token = fake.issue_token(7)
    async with aiohttp.ClientSession() as session:
        yield gh_aiohttp.GitHubAPI(
            session, "pitcrew-test", oauth_token=token, base_url=fake.base_url
        )


def git(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
    return subprocess.run(["git", *argv], cwd=cwd, capture_output=True, text=True, env=env)


# --------------------------------------------------------------------------- validation
async def test_validation_rejects_bad_call_with_422_and_records_problem(fake, http):
    fake.expect_problems = True  # this test sends bad calls on purpose
    async with http.post(f"{R}/check-runs", json={"name": "x", "headsha": "a" * 40}) as resp:
        assert resp.status == 422
        assert "unknown field 'headsha'" in (await resp.json())["message"]
    async with http.get(f"{R}/git/refs/heads/main") as resp:  # plural is not a GET route
        assert resp.status == 422
    async with http.get(f"{R}/no-such-thing") as resp:
        assert resp.status == 404
    assert {p.split(":")[0] for p in fake.problems} == {
        f"POST {R}/check-runs",
        f"GET {R}/git/refs/heads/main",
        f"GET {R}/no-such-thing",
    }
    assert any("headsha" in p for p in fake.problems)
    assert fake.check_runs("octo/hello") == []  # nothing happened
    assert [c.status for c in fake.calls] == [422, 422, 404]


def test_teardown_fails_a_test_whose_calls_were_rejected(tmp_path):
    test = tmp_path / "test_inner.py"
    test.write_text(
        "async def test_bad(fake_github):\n"
        "    import aiohttp\n"
        "    async with aiohttp.ClientSession() as s:\n"
        "        async with s.get(fake_github.base_url + '/repos/o/r/pulls/abc') as r:\n"
        "            assert r.status == 422\n"
        "async def test_bypassed(fake_github):\n"
        "    fake_github.expect_problems = True\n"
        "    import aiohttp\n"
        "    async with aiohttp.ClientSession() as s:\n"
        "        async with s.get(fake_github.base_url + '/repos/o/r/pulls/abc') as r:\n"
        "            assert r.status == 422\n"
    )
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.fakegithub.fixtures",
            "-o",
            "asyncio_mode=auto",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(test),
        ],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert "2 passed, 1 error" in proc.stdout, proc.stdout[-2000:]
    assert "rejected 1 call" in proc.stdout


def test_routes_exist_only_for_operations_in_the_contract():
    operations = {(m, t) for m, t, _ in validate_call().operations()}
    assert set(ROUTES) <= operations
    with pytest.raises(ValueError, match="not an operation"):
        route("GET", "/repos/{owner}/{repo}/made-up")(
            test_routes_exist_only_for_operations_in_the_contract
        )


# --------------------------------------------------------------------------- response shapes
async def test_every_served_response_fits_the_spec(fake, http):
    """Drive most routes with check_responses on: each 2xx/3xx body must validate."""
    fake.check_responses = True
    fake.add_pull("octo/hello", 2, "fix", user_login="bob", fork=True)
    fake.set_permission("octo/hello", "alice", "maintain")
    fake.add_file("octo/hello", ".github/pitcrew.yml", "a: 1\n")
    run = fake.add_workflow_run("octo/hello", conclusion="failure", pull_requests=[1])
    job = fake.add_job(run["id"], "test", "failure", steps=["a", ("b", "failure")], log="boom")
    sha = fake.pull("octo/hello", 1)["head"]["sha"]
    fake.add_status("octo/hello", sha, "success")
    jwt_h = {"Authorization": f"Bearer {fake.app_jwt()}"}
    statuses = []

    async def call(method, path, body=None, headers=None):
        async with http.request(
            method, path, json=body, headers=headers, allow_redirects=False
        ) as resp:
            statuses.append((method, path, resp.status))
            is_json = resp.content_type == "application/json"
            return await resp.json() if is_json else None

    for path in (
        "/app",
        "/app/installations",
        f"{R}/installation",
        "/orgs/octo/installation",
        "/app/hook/deliveries",
    ):
        await call("GET", path, headers=jwt_h)
    await call("POST", "/app/installations/7/access_tokens", {}, headers=jwt_h)
    comment = await call("POST", f"{R}/issues/1/comments", {"body": "hi"})
    check = await call(
        "POST", f"{R}/check-runs", {"name": "p", "head_sha": sha, "status": "in_progress"}
    )
    annotation = {
        "path": "a.py",
        "start_line": 1,
        "end_line": 1,
        "annotation_level": "failure",
        "message": "m",
    }
    cid, rid, jid = comment["id"], run["id"], job["id"]
    for method, path, body in [
        ("GET", "/installation/repositories", None),
        ("GET", "/rate_limit", None),
        ("GET", R, None),
        ("GET", f"{R}/pulls?state=all&per_page=1", None),
        ("GET", f"{R}/pulls/2", None),
        ("PATCH", f"{R}/pulls/2", {"title": "t"}),
        ("GET", f"{R}/pulls/1/files", None),
        ("GET", f"{R}/pulls/1/commits", None),
        ("GET", f"{R}/issues/1", None),
        ("GET", f"{R}/issues/1/comments", None),
        ("PATCH", f"{R}/issues/comments/{cid}", {"body": "x"}),
        ("GET", f"{R}/issues/comments/{cid}", None),
        ("POST", f"{R}/issues/comments/{cid}/reactions", {"content": "eyes"}),
        ("GET", f"{R}/issues/comments/{cid}/reactions", None),
        ("POST", f"{R}/issues/1/labels", {"labels": ["a", "b"]}),
        ("PUT", f"{R}/issues/1/labels", {"labels": ["c"]}),
        ("GET", f"{R}/issues/1/labels", None),
        ("DELETE", f"{R}/issues/1/labels/c", None),
        ("DELETE", f"{R}/issues/1/labels", None),
        ("POST", f"{R}/labels", {"name": "new", "color": "ff0000"}),
        ("GET", f"{R}/labels", None),
        ("DELETE", f"{R}/issues/comments/{cid}", None),
        ("GET", f"{R}/collaborators/alice/permission", None),
        ("GET", f"{R}/contents/README.md", None),
        ("GET", f"{R}/contents/.github?ref=main", None),
        (
            "PATCH",
            f"{R}/check-runs/{check['id']}",
            {
                "conclusion": "failure",
                "output": {"title": "t", "summary": "s", "annotations": [annotation]},
            },
        ),
        ("GET", f"{R}/check-runs/{check['id']}", None),
        ("GET", f"{R}/check-runs/{check['id']}/annotations", None),
        ("GET", f"{R}/commits/{sha}/check-runs", None),
        ("GET", f"{R}/commits/{sha}/check-suites", None),
        ("GET", f"{R}/commits/{sha}/status", None),
        ("GET", f"{R}/actions/runs", None),
        ("GET", f"{R}/actions/runs/{rid}", None),
        ("GET", f"{R}/actions/runs/{rid}/jobs", None),
        ("GET", f"{R}/actions/runs/{rid}/attempts/1/jobs", None),
        ("GET", f"{R}/actions/jobs/{jid}", None),
        ("GET", f"{R}/actions/jobs/{jid}/logs", None),
        ("GET", f"{R}/actions/runs/{rid}/timing", None),
        ("GET", f"{R}/actions/workflows", None),
        ("GET", f"{R}/actions/workflows/ci.yml", None),
        ("GET", f"{R}/actions/workflows/ci.yml/runs", None),
        ("GET", f"{R}/actions/workflows/ci.yml/timing", None),
        ("POST", f"{R}/actions/runs/{rid}/rerun-failed-jobs", None),
        ("GET", f"{R}/git/ref/heads/main", None),
        ("GET", f"{R}/branches/main", None),
        ("GET", f"{R}/commits/main", None),
        ("GET", f"{R}/compare/main...feature", None),
        ("POST", f"{R}/git/refs", {"ref": "refs/heads/copy", "sha": sha}),
        ("PATCH", f"{R}/git/refs/heads/copy", {"sha": sha, "force": True}),
        ("DELETE", f"{R}/git/refs/heads/copy", None),
        ("GET", f"{R}/issues?state=all&labels=a", None),
        ("POST", f"{R}/issues", {"title": "Weekly report", "body": "b", "labels": ["report"]}),
        ("PATCH", f"{R}/issues/1", {"title": "new", "labels": ["z"]}),
        ("POST", f"{R}/pulls", {"head": "feature", "base": "main", "title": "again"}),
        ("GET", f"{R}/pulls/1/reviews", None),
        ("GET", "/orgs/octo/repos", None),
        ("POST", f"{R}/dispatches", {"event_type": "go"}),
        ("GET", f"{R}/actions/caches", None),
        ("GET", f"{R}/actions/cache/usage", None),
    ]:
        await call(method, path, body)
    await call("GET", f"{R}/pulls/1")
    bad = [s for s in statuses if s[2] >= 400]
    assert bad == []
    assert fake.response_problems == []
    assert fake.problems == []


# --------------------------------------------------------------------------- pagination, ETag
async def test_pagination_link_header_and_getiter(fake, http, gh):
    for i in range(5):
        fake.add_comment("octo/hello", 1, f"comment {i}")
    async with http.get(f"{R}/issues/1/comments?per_page=2") as resp:
        assert [c["body"] for c in await resp.json()] == ["comment 0", "comment 1"]
        link = resp.headers["Link"]
    assert 'page=2>; rel="next"' in link and 'page=3>; rel="last"' in link
    assert "per_page=2" in link
    async with http.get(f"{R}/issues/1/comments?per_page=2&page=3") as resp:
        assert [c["body"] for c in await resp.json()] == ["comment 4"]
        assert 'rel="prev"' in resp.headers["Link"] and 'rel="next"' not in resp.headers["Link"]
    bodies = [c["body"] async for c in gh.getiter(f"{R}/issues/1/comments?per_page=2")]
    assert bodies == [f"comment {i}" for i in range(5)]


async def test_etag_gives_304_that_does_not_count_against_the_rate_limit(fake, http):
    fake.add_workflow_run("octo/hello", conclusion="success")
    async with http.get(f"{R}/actions/runs") as resp:
        etag = resp.headers["ETag"]
        remaining = int(resp.headers["x-ratelimit-remaining"])
    used = fake.rate_limited_calls[7]
    async with http.get(f"{R}/actions/runs", headers={"If-None-Match": etag}) as resp:
        assert resp.status == 304
        assert await resp.read() == b""
        assert int(resp.headers["x-ratelimit-remaining"]) == remaining
    assert fake.rate_limited_calls[7] == used
    fake.add_workflow_run("octo/hello", conclusion="failure")
    async with http.get(f"{R}/actions/runs", headers={"If-None-Match": etag}) as resp:
        assert resp.status == 200 and resp.headers["ETag"] != etag
        assert (await resp.json())["total_count"] == 2
    assert fake.rate_limited_calls[7] == used + 1


async def test_primary_rate_limit_exhaustion(fake, http):
    fake.rate_limit = fake.rate_limited_calls[7] + 2
    statuses = []
    for _ in range(3):
        async with http.get(R) as resp:
            statuses.append((resp.status, resp.headers["x-ratelimit-remaining"]))
    assert statuses == [(200, "1"), (200, "0"), (403, "0")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=failure", ["bad-main"]),
        ("status=completed", ["bad-main", "ok-dev", "ok-main"]),
        ("status=in_progress", ["running"]),
        ("branch=dev", ["ok-dev"]),
        ("event=push", ["ok-main"]),
        ("created=>=2024-03-01", ["bad-main", "running"]),
        ("created=2024-01-01..2024-02-28", ["ok-dev", "ok-main"]),
        ("head_sha=" + "d" * 40, ["ok-dev"]),
    ],
    ids=[
        "conclusion",
        "status",
        "in-progress",
        "branch",
        "event",
        "created-gte",
        "created-range",
        "head-sha",
    ],
)
async def test_workflow_run_filters(fake, http, query, expected):
    fake.state.create_branch("octo/hello", "dev")
    runs = [
        ("ok-main", "main", "push", "completed", "success", "2024-01-10T00:00:00Z"),
        ("ok-dev", "dev", "pull_request", "completed", "success", "2024-02-10T00:00:00Z"),
        ("bad-main", "main", "pull_request", "completed", "failure", "2024-03-10T00:00:00Z"),
        ("running", "main", "pull_request", "in_progress", None, "2024-04-10T00:00:00Z"),
    ]
    for title, branch, event, status, conclusion, created in runs:
        fake.add_workflow_run(
            "octo/hello",
            display_title=title,
            head_branch=branch,
            event=event,
            status=status,
            conclusion=conclusion,
            created_at=created,
            **({"head_sha": "d" * 40} if branch == "dev" else {}),
        )
    async with http.get(f"{R}/actions/runs?{query}") as resp:
        got = sorted(r["display_title"] for r in (await resp.json())["workflow_runs"])
    assert got == sorted(expected)


# --------------------------------------------------------------------------- auth
async def test_jwt_and_installation_token_flow(fake, app_key):
    other_key = FakeGitHub().private_key
    url = f"{fake.base_url}/app/installations/7/access_tokens"
    now = int(time.time())
    async with aiohttp.ClientSession() as s:

        async def post(jwt):
            async with s.post(url, json={}, headers={"Authorization": f"Bearer {jwt}"}) as r:
                return r.status, await r.json()

        assert (await post(fake.app_jwt(key=other_key)))[0] == 401
        assert (await post(fake.app_jwt(iat=now - 700, exp=now - 100)))[0] == 401
        assert (await post(fake.app_jwt(iat=now, exp=now + 3600)))[0] == 401  # > 10 minutes
        assert (await post("not.a.jwt"))[0] == 401
        before = fake.token_requests(7)
        status, body = await post(fake.app_jwt())
        assert status == 201 and body["token"].startswith("ghs_")
        assert fake.token_requests(7) == before + 1
        token = body["token"]
        async with s.get(f"{fake.base_url}{R}", headers={"Authorization": f"Bearer {token}"}) as r:
            assert r.status == 200
        for header in (
            {},
            {"Authorization": "token ghs_unknown"},
            {"Authorization": f"Bearer {fake.app_jwt()}"},
        ):
            async with s.get(f"{fake.base_url}{R}", headers=header) as r:
                assert r.status == 401, header
        async with s.get(f"{fake.base_url}/app", headers={"Authorization": f"token {token}"}) as r:
            assert r.status == 401  # /app needs the JWT
        fake.state.tokens[token].expires_at = time.time() - 1
        async with s.get(f"{fake.base_url}{R}", headers={"Authorization": f"token {token}"}) as r:
            assert r.status == 401


async def test_token_ttl_is_configurable_and_gidgethub_can_mint(fake):
    fake.state.token_ttl = 90
    async with aiohttp.ClientSession() as s:
        gh = gh_aiohttp.GitHubAPI(s, "pitcrew-test", base_url=fake.base_url)
        from gidgethub import apps

        data = await apps.get_installation_access_token(
            gh, installation_id="7", app_id=str(fake.app_id), private_key=fake.private_key
        )
    from bot.timeparse import timestamp_seconds

    assert 30 < timestamp_seconds(data["expires_at"]) - time.time() <= 90


async def test_token_cannot_reach_a_private_repo_of_another_installation(fake, http):
    fake.add_installation(8, "other")
    fake.add_repo("other/secret", private=True)
    fake.add_repo("other/public")
    async with http.get("/repos/other/secret") as resp:
        assert resp.status == 404
    async with http.get("/repos/other/public") as resp:
        assert resp.status == 200
    async with http.post("/repos/other/public/issues/1/comments", json={"body": "x"}) as resp:
        assert resp.status == 404  # no issue there; writes to it would be 403


# --------------------------------------------------------------------------- state behaviour
@pytest.mark.parametrize(
    ("role", "permission"),
    [
        ("admin", "admin"),
        ("maintain", "write"),
        ("write", "write"),
        ("triage", "read"),
        ("read", "read"),
        ("none", "none"),
    ],
)
async def test_collaborator_permission_roles(fake, http, role, permission):
    fake.set_permission("octo/hello", "carol", role)
    async with http.get(f"{R}/collaborators/carol/permission") as resp:
        body = await resp.json()
    assert (body["role_name"], body["permission"]) == (role, permission)


async def test_unknown_collaborator_is_404(fake, http):
    async with http.get(f"{R}/collaborators/nobody/permission") as resp:
        assert resp.status == 404


async def test_comments_reactions_labels_are_recorded(fake, http):
    async with http.post(f"{R}/issues/1/comments", json={"body": "<!-- pitcrew:x -->hi"}) as r:
        comment = await r.json()
    assert comment["user"]["type"] == "Bot" and comment["user"]["login"] == "pitcrew[bot]"
    async with http.post(
        f"{R}/issues/comments/{comment['id']}/reactions", json={"content": "eyes"}
    ) as r:
        assert r.status == 201
    async with http.post(
        f"{R}/issues/comments/{comment['id']}/reactions", json={"content": "eyes"}
    ) as r:
        assert r.status == 200  # same reaction again: existing one
    async with http.post(f"{R}/issues/1/labels", json={"labels": ["needs rebase"]}) as r:
        assert r.status == 200
    async with http.delete(f"{R}/issues/1/labels/missing") as r:
        assert r.status == 404
    assert [c["body"] for c in fake.comments("octo/hello", 1)] == ["<!-- pitcrew:x -->hi"]
    assert fake.reactions(comment["id"]) == ["eyes"]
    assert fake.labels("octo/hello", 1) == ["needs rebase"]
    assert fake.pull("octo/hello", 1)["labels"][0]["name"] == "needs rebase"


async def test_contents_read_and_write_through_git(fake, http):
    fake.add_file("octo/hello", ".github/pitcrew.yml", "rebase: true\n")
    async with http.get(f"{R}/contents/.github/pitcrew.yml?ref=main") as r:
        data = await r.json()
    assert base64.b64decode(data["content"]) == b"rebase: true\n"
    async with http.get(f"{R}/contents/missing.txt") as r:
        assert r.status == 404
    new = base64.b64encode(b"rebase: false\n").decode()
    async with http.put(
        f"{R}/contents/.github/pitcrew.yml", json={"message": "m", "content": new, "sha": "0" * 40}
    ) as r:
        assert r.status == 409  # stale blob sha
    async with http.put(
        f"{R}/contents/.github/pitcrew.yml",
        json={"message": "m", "content": new, "sha": data["sha"]},
    ) as r:
        assert r.status == 200
    repo = fake.state.get_repo("octo/hello")
    assert repo.git.read("main", ".github/pitcrew.yml") == b"rebase: false\n"


async def test_pull_filters_and_head_sha_follows_the_branch(fake, http):
    fake.add_pull("octo/hello", 2, "other", base_ref="main", user_login="bob")
    async with http.get(f"{R}/pulls?head=octo:other") as r:
        assert [p["number"] for p in await r.json()] == [2]
    async with http.get(f"{R}/pulls?base=nope") as r:
        assert await r.json() == []
    new_sha = fake.add_file("octo/hello", "more.txt", "x", ref="feature")
    async with http.get(f"{R}/pulls/1") as r:
        assert (await r.json())["head"]["sha"] == new_sha


async def test_update_branch_merges_base_into_head(fake, http):
    pr = fake.pull("octo/hello", 1)
    async with http.put(f"{R}/pulls/1/update-branch", json={"expected_head_sha": "f" * 40}) as r:
        assert r.status == 422
    async with http.put(f"{R}/pulls/1/update-branch", json={}) as r:
        assert r.status == 422  # nothing new on base
    base_sha = fake.add_file("octo/hello", "base.txt", "b")
    async with http.put(
        f"{R}/pulls/1/update-branch", json={"expected_head_sha": pr["head"]["sha"]}
    ) as r:
        assert r.status == 202
    head = fake.pull("octo/hello", 1)["head"]["sha"]
    info = fake.state.get_repo("octo/hello").git.commit_info(head)
    assert info.parents == [pr["head"]["sha"], base_sha]


async def test_update_branch_conflict_is_422(fake, http):
    fake.add_pull("octo/hello", 2, "clash", files={"same.txt": "head\n"})
    fake.add_file("octo/hello", "same.txt", "base\n")
    async with http.put(f"{R}/pulls/2/update-branch", json={}) as r:
        assert r.status == 422
        assert "conflict" in (await r.json())["message"]
    assert fake.pull("octo/hello", 2)["mergeable_state"] == "dirty"


# --------------------------------------------------------------------------- faults
async def test_fault_injection_statuses_headers_and_recording(fake, http):
    fake.inject("GET", f"{R}/pulls/*", status=502, times=1)
    fake.inject_secondary_rate_limit("POST", "*/comments", retry_after=7)
    fake.inject("GET", r"^/repos/octo/hello/issues/\d+$", status=429, headers={"retry-after": "1"})
    fake.inject_primary_rate_limit("GET", R, reset_in=30)
    async with http.get(f"{R}/pulls/1") as r:
        assert r.status == 502
    async with http.get(f"{R}/pulls/1") as r:
        assert r.status == 200  # times=1: the fault is used up
    async with http.post(f"{R}/issues/1/comments", json={"body": "x"}) as r:
        assert r.status == 403 and r.headers["retry-after"] == "7"
        assert "secondary rate limit" in (await r.json())["message"]
    async with http.get(f"{R}/issues/1") as r:
        assert r.status == 429
    async with http.get(R) as r:
        assert r.status == 403 and r.headers["x-ratelimit-remaining"] == "0"
        assert int(r.headers["x-ratelimit-reset"]) > time.time()
    assert [(c.status, c.fault) for c in fake.calls] == [
        (502, True),
        (200, False),
        (403, True),
        (429, True),
        (403, True),
    ]
    assert fake.comments("octo/hello", 1) == []


async def test_gidgethub_sees_rate_limit_exceeded(fake, gh):
    fake.inject_primary_rate_limit("GET", R)
    with pytest.raises(gidgethub.RateLimitExceeded):
        await gh.getitem(R)


async def test_slow_reply_and_dropped_connection(fake, http):
    fake.inject("GET", R, delay=0.5)
    with pytest.raises(asyncio.TimeoutError):
        async with http.get(R, timeout=aiohttp.ClientTimeout(total=0.05)):
            pass
    fake.inject("POST", "*/comments", drop=True)
    with pytest.raises(aiohttp.ClientError):
        async with http.post(f"{R}/issues/1/comments", json={"body": "x"}):
            pass
    assert fake.calls[-1].status == 0 and fake.calls[-1].fault
    assert fake.comments("octo/hello", 1) == []


# --------------------------------------------------------------------------- git smart HTTP
async def test_git_clone_and_push_over_http_record_the_token(fake, tmp_path):
    token = fake.issue_token(7)
    clone_url = fake.state.get_repo("octo/hello").json["clone_url"]
    clone_url = clone_url.replace("http://fake-github.invalid", fake.base_url)
    assert clone_url == f"{fake.base_url}/git/octo/hello.git"
    work = tmp_path / "w"
    done = await asyncio.to_thread(git, "clone", "--quiet", clone_url, str(work))
    assert done.returncode == 0, done.stderr
    assert (work / "README.md").exists()
    (work / "new.txt").write_text("n\n")
    await asyncio.to_thread(git, "add", "new.txt", cwd=work)
    await asyncio.to_thread(
        git, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "n", cwd=work
    )
    anonymous = await asyncio.to_thread(git, "push", clone_url, "HEAD:refs/heads/pushed", cwd=work)
    assert anonymous.returncode != 0
    bad = clone_url.replace("http://", "http://x-access-token:ghs_wrong@")
    assert (
        await asyncio.to_thread(git, "push", bad, "HEAD:refs/heads/pushed", cwd=work)
    ).returncode
    good = clone_url.replace("http://", f"http://x-access-token:{token}@")
    pushed = await asyncio.to_thread(git, "push", good, "HEAD:refs/heads/pushed", cwd=work)
    assert pushed.returncode == 0, pushed.stderr
    repo = fake.state.get_repo("octo/hello")
    assert repo.git.read("pushed", "new.txt") == b"n\n"
    pushes = fake.pushes("octo/hello")
    assert [(p.username, p.token, p.installation_id) for p in pushes] == [
        ("x-access-token", token, 7)
    ]
    assert any(g.status == 401 for g in fake.git_requests)


async def test_private_repo_clone_needs_a_token(fake, tmp_path):
    fake.add_repo("octo/private", private=True)
    url = f"{fake.base_url}/git/octo/private.git"
    denied = await asyncio.to_thread(git, "clone", "--quiet", url, str(tmp_path / "a"))
    assert denied.returncode != 0
    token = fake.issue_token(7)
    authed = url.replace("http://", f"http://x-access-token:{token}@")
    ok = await asyncio.to_thread(git, "clone", "--quiet", authed, str(tmp_path / "b"))
    assert ok.returncode == 0, ok.stderr


# --------------------------------------------------------------------------- job logs
async def test_job_logs_redirect_to_blob_after_not_ready_period(fake, http):
    run = fake.add_workflow_run("octo/hello", conclusion="failure")
    job = fake.add_job(
        run["id"], "test", "failure", log="FAILED test_x\n", log_not_ready=2, blob_not_ready=1
    )
    url = f"{R}/actions/jobs/{job['id']}/logs"
    statuses = []
    for _ in range(3):
        async with http.get(url, allow_redirects=False) as r:
            statuses.append(r.status)
            location = r.headers.get("Location")
    assert statuses == [404, 404, 302]
    assert location.startswith(f"{fake.base_url}/_blobs/") and "/repos/" not in location
    async with aiohttp.ClientSession() as plain:
        async with plain.get(location) as r:
            assert r.status == 404
        async with plain.get(location) as r:
            assert r.status == 200 and await r.text() == "FAILED test_x\n"
    assert all(b["authorization"] is None for b in fake.blob_requests)


# --------------------------------------------------------------------------- webhooks
async def test_send_webhook_signature_verifies_with_gidgethub(fake):
    received: list[sansio.Event] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        received.append(sansio.Event.from_http(request.headers, body, secret="s3cret"))
        with pytest.raises(gidgethub.ValidationFailure):
            sansio.Event.from_http(request.headers, body, secret="wrong")
        assert request.headers["User-Agent"].startswith("GitHub-Hookshot/")
        assert request.headers["X-GitHub-Hook-ID"]
        return web.Response(status=202, text="queued")

    app = web.Application()
    app.router.add_post("/webhook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/webhook"
    try:
        payload = load_example("issue_comment", "created.payload.json", comment={"body": "/rebase"})
        assert await send_webhook(
            url, "issue_comment", payload, secret="s3cret", delivery_id="abc"
        ) == (202, "queued")
        status, _ = await fake.send_webhook(url, "ping", load_example("ping"), secret="s3cret")
        assert status == 202
        assert received[0].delivery_id == "abc" and received[0].event == "issue_comment"
        assert received[0].data["comment"]["body"] == "/rebase"
        assert received[0].data["installation"]["id"] == 1
        # a redelivery through the API posts the same delivery again (same guid)
        jwt_h = {"Authorization": f"Bearer {fake.app_jwt()}"}
        async with aiohttp.ClientSession(base_url=fake.base_url, headers=jwt_h) as s:
            async with s.get("/app/hook/deliveries") as r:
                deliveries = await r.json()
            assert [d["event"] for d in deliveries] == ["ping"]
            async with s.post(f"/app/hook/deliveries/{deliveries[0]['id']}/attempts") as r:
                assert r.status == 202
        assert len(received) == 3 and received[2].delivery_id == received[1].delivery_id
        assert fake.state.deliveries[-1]["redelivery"] is True
    finally:
        await runner.cleanup()


def test_load_example_merges_overrides_and_check_payload():
    payload = load_example(
        "workflow_run",
        "completed.payload.json",
        workflow_run={"conclusion": "failure"},
        installation_id=99,
    )
    assert payload["workflow_run"]["conclusion"] == "failure"
    assert payload["workflow_run"]["id"]  # untouched siblings kept
    assert payload["installation"]["id"] == 99
    assert check_payload("workflow_run", payload) == []
    broken = load_example(
        "workflow_run", "completed.payload.json", workflow_run={"conclusion": "exploded"}
    )
    assert any("exploded" in p for p in check_payload("workflow_run", broken))
    with pytest.raises(FileNotFoundError):
        load_example("no_such_event")


async def test_repo_without_git_still_answers_compare_and_commits(fake, http):
    fake.add_repo("octo/nogit", with_git=False)
    pr = fake.add_pull("octo/nogit", 1, "topic")
    base, head = pr["base"]["sha"], pr["head"]["sha"]
    async with http.get(f"/repos/octo/nogit/compare/{base}...{head}") as r:
        body = await r.json()
    assert (body["status"], body["ahead_by"], body["behind_by"]) == ("ahead", 1, 0)
    fake.add_file("octo/nogit", "x.txt", "x")  # main moves on
    async with http.get(f"/repos/octo/nogit/compare/main...{head}") as r:
        assert (await r.json())["status"] == "diverged"
    async with http.get(f"/repos/octo/nogit/commits/{head}") as r:
        assert (await r.json())["parents"][0]["sha"] == base
