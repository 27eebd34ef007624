"""Check runs (create, update, get, list for a ref, annotations), check suites, statuses."""

from __future__ import annotations

from . import shapes
from .routing import Ctx, HTTPError, Reply, not_found, route

_SIMPLE = (
    "name",
    "details_url",
    "external_id",
    "status",
    "conclusion",
    "started_at",
    "completed_at",
)


def _apply(ctx: Ctx, run: dict) -> None:
    body = ctx.body or {}
    for key in _SIMPLE:
        if key in body:
            run[key] = body[key]
    if body.get("conclusion") and "status" not in body:
        run["status"] = "completed"
    if run["status"] == "completed":
        run["completed_at"] = run["completed_at"] or shapes.now_iso()
        if not run.get("conclusion"):
            raise HTTPError(422, "conclusion is required when status is completed")
    output = body.get("output")
    if output:
        for key in ("title", "summary", "text"):
            if key in output:
                run["output"][key] = output[key]
        blob = f"{shapes.WEB}/{ctx.repo.full_name}/blob/{run['head_sha']}"
        notes = [
            shapes.annotation(a, blob_href=f"{blob}/{a['path']}")
            for a in output.get("annotations") or []
        ]
        ctx.repo.annotations.setdefault(run["id"], []).extend(notes)
        run["output"]["annotations_count"] = len(ctx.repo.annotations[run["id"]])
    if "actions" in body:
        run["_actions"] = body["actions"]


def _public(run: dict) -> dict:
    return {k: v for k, v in run.items() if not k.startswith("_")}


def _run(ctx: Ctx) -> dict:
    run = ctx.repo.check_runs.get(ctx.int_param("check_run_id"))
    if run is None:
        raise not_found()
    return run


@route("POST", "/repos/{owner}/{repo}/check-runs")
async def create_check_run(ctx: Ctx) -> Reply:
    repo = ctx.repo
    if not ctx.state.can_access(ctx.installation, repo, write=True):
        raise HTTPError(403, "Resource not accessible by integration")
    if repo.git is not None and repo.resolve(ctx.body["head_sha"]) is None:
        raise HTTPError(422, "No commit found for SHA: " + ctx.body["head_sha"])
    run = shapes.check_run(
        ctx.api, repo.full_name, run_id=ctx.state.next_id(), app_json=ctx.state.app_json()
    )
    run["head_sha"] = ctx.body["head_sha"]
    run["pull_requests"] = [
        {
            "url": p["url"],
            "id": p["id"],
            "number": p["number"],
            "head": {
                "ref": p["head"]["ref"],
                "sha": p["head"]["sha"],
                "repo": {
                    "id": p["head"]["repo"]["id"],
                    "url": p["head"]["repo"]["url"],
                    "name": p["head"]["repo"]["name"],
                },
            },
            "base": {
                "ref": p["base"]["ref"],
                "sha": p["base"]["sha"],
                "repo": {"id": repo.json["id"], "url": repo.json["url"], "name": repo.name},
            },
        }
        for n in repo.pulls
        if (p := ctx.state.pull_json(repo, n))["head"]["sha"] == run["head_sha"]
    ]
    repo.check_runs[run["id"]] = run
    _apply(ctx, run)
    return Reply(201, _public(run))


@route("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}")
async def update_check_run(ctx: Ctx) -> Reply:
    run = _run(ctx)
    _apply(ctx, run)
    return Reply(200, _public(run))


@route("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}")
async def get_check_run(ctx: Ctx) -> Reply:
    return Reply(200, _public(_run(ctx)))


@route("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations")
async def list_annotations(ctx: Ctx) -> Reply:
    return ctx.paginate(ctx.repo.annotations.get(_run(ctx)["id"], []))


def _sha(ctx: Ctx) -> str:
    ref = ctx.params["ref"]
    sha = ctx.repo.resolve(ref)
    if sha is None:
        if ctx.repo.git is None and len(ref) == 40:
            return ref
        raise HTTPError(422, f"No commit found for SHA: {ref}")
    return sha


@route("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs")
async def list_for_ref(ctx: Ctx) -> Reply:
    sha = _sha(ctx)
    runs = [_public(r) for r in reversed(ctx.repo.check_runs.values()) if r["head_sha"] == sha]
    if ctx.q("check_name"):
        runs = [r for r in runs if r["name"] == ctx.q("check_name")]
    if ctx.q("status"):
        runs = [r for r in runs if r["status"] == ctx.q("status")]
    if (ctx.q("filter") or "latest") == "latest":
        seen: set[str] = set()
        runs = [r for r in runs if not (r["name"] in seen or seen.add(r["name"]))]
    return ctx.paginate(runs, key="check_runs")


@route("GET", "/repos/{owner}/{repo}/commits/{ref}/check-suites")
async def list_suites_for_ref(ctx: Ctx) -> Reply:
    sha = _sha(ctx)
    suites = {}
    for run in ctx.repo.check_runs.values():
        if run["head_sha"] == sha:
            suite = shapes.example("GET", "/repos/o/r/commits/main/check-suites")["check_suites"][0]
            suite.update(
                id=run["check_suite"]["id"],
                head_sha=sha,
                app=run["app"],
                repository=ctx.repo.json,
                status=run["status"],
                conclusion=run["conclusion"],
                pull_requests=run["pull_requests"],
            )
            suites[suite["id"]] = suite
    return ctx.paginate(list(suites.values()), key="check_suites")


@route("GET", "/repos/{owner}/{repo}/commits/{ref}/status")
async def combined_status(ctx: Ctx) -> Reply:
    sha = _sha(ctx)
    latest: dict[str, dict] = {}
    for status in ctx.repo.statuses:
        if status["_sha"] == sha:
            latest[status["context"]] = {k: v for k, v in status.items() if k != "_sha"}
    states = {s["state"] for s in latest.values()}
    overall = (
        "failure"
        if states & {"failure", "error"}
        else "pending"
        if "pending" in states or not states
        else "success"
    )
    body = shapes.example("GET", "/repos/o/r/commits/main/status")
    per_page, page = ctx.page_window()
    body.update(
        state=overall,
        sha=sha,
        total_count=len(latest),
        repository=ctx.repo.json,
        statuses=list(latest.values())[(page - 1) * per_page : page * per_page],
        commit_url=f"{ctx.api}/repos/{ctx.repo.full_name}/commits/{sha}",
        url=f"{ctx.api}/repos/{ctx.repo.full_name}/commits/{sha}/status",
    )
    return Reply(200, body)
