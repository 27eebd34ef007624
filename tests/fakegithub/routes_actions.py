"""GitHub Actions: workflows, runs (filters, pagination), jobs, reruns, logs (302 to a blob)."""

from __future__ import annotations

import secrets

from aiohttp import web

from . import shapes
from .routing import Ctx, HTTPError, Reply, not_found, raw_route, route

_STATUSES = {"queued", "in_progress", "completed", "requested", "waiting", "pending"}


def _run(ctx: Ctx) -> dict:
    run = ctx.repo.runs.get(ctx.int_param("run_id"))
    if run is None:
        raise not_found()
    return run


def _job(ctx: Ctx) -> dict:
    job = ctx.repo.jobs.get(ctx.int_param("job_id"))
    if job is None:
        raise not_found()
    return job


def _created_filter(expr: str):
    """GitHub's date qualifiers: `>=D`, `<=D`, `>D`, `<D`, `D..D`, `D` (prefix match)."""
    if ".." in expr:
        lo, hi = expr.split("..", 1)
        return lambda v: (lo == "*" or v >= lo) and (hi == "*" or v[: len(hi)] <= hi)
    op = next((o for o in (">=", "<=", ">", "<") if expr.startswith(o)), "")
    d = expr[len(op) :]
    tests = {
        ">=": lambda v: v >= d,
        "<=": lambda v: v[: len(d)] <= d,
        ">": lambda v: v[: len(d)] > d,
        "<": lambda v: v < d,
        "": lambda v: v.startswith(d),
    }
    return tests[op]


def _filter_runs(ctx: Ctx, runs: list[dict]) -> list[dict]:
    q = ctx.q
    if q("branch"):
        runs = [r for r in runs if r["head_branch"] == q("branch")]
    if q("event"):
        runs = [r for r in runs if r["event"] == q("event")]
    if q("actor"):
        runs = [r for r in runs if r["actor"]["login"] == q("actor")]
    if q("head_sha"):
        runs = [r for r in runs if r["head_sha"] == q("head_sha")]
    if q("check_suite_id"):
        runs = [r for r in runs if str(r["check_suite_id"]) == q("check_suite_id")]
    if q("status"):
        field = "status" if q("status") in _STATUSES else "conclusion"
        runs = [r for r in runs if r[field] == q("status")]
    if q("created"):
        keep = _created_filter(q("created") or "")
        runs = [r for r in runs if keep(r["created_at"])]
    if q("exclude_pull_requests") == "true":
        runs = [{**r, "pull_requests": []} for r in runs]
    return runs


def _newest_first(runs) -> list[dict]:
    return sorted(runs, key=lambda r: (r["created_at"], r["id"]), reverse=True)


@route("GET", "/repos/{owner}/{repo}/actions/runs")
async def list_runs(ctx: Ctx) -> Reply:
    return ctx.paginate(
        _filter_runs(ctx, _newest_first(ctx.repo.runs.values())), key="workflow_runs"
    )


@route("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}")
async def get_run(ctx: Ctx) -> Reply:
    return Reply(200, _run(ctx))


@route("DELETE", "/repos/{owner}/{repo}/actions/runs/{run_id}")
async def delete_run(ctx: Ctx) -> Reply:
    del ctx.repo.runs[_run(ctx)["id"]]
    return Reply(204)


def _jobs_of(ctx: Ctx, run: dict, attempt: int | None) -> list[dict]:
    jobs = [j for j in ctx.repo.jobs.values() if j["run_id"] == run["id"]]
    if attempt is not None:
        return [j for j in jobs if j["run_attempt"] == attempt]
    return jobs


@route("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs")
async def list_jobs(ctx: Ctx) -> Reply:
    run = _run(ctx)
    latest = (ctx.q("filter") or "latest") == "latest"
    jobs = _jobs_of(ctx, run, run["run_attempt"] if latest else None)
    if latest and not jobs:  # jobs added without an attempt follow the run
        jobs = _jobs_of(ctx, run, None)
    return ctx.paginate(jobs, key="jobs")


@route("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs")
async def list_attempt_jobs(ctx: Ctx) -> Reply:
    run = _run(ctx)
    attempt = ctx.int_param("attempt_number")
    if attempt > run["run_attempt"]:
        raise not_found()
    return ctx.paginate(_jobs_of(ctx, run, attempt), key="jobs")


def _rerun(ctx: Ctx, run: dict, kind: str, ident: int) -> Reply:
    if run["status"] != "completed":
        raise HTTPError(403, "This workflow run is not completed")
    ctx.repo.reruns.append((kind, ident))
    run.update(
        run_attempt=run["run_attempt"] + 1,
        status="queued",
        conclusion=None,
        updated_at=shapes.now_iso(),
        previous_attempt_url=f"{run['url']}/attempts/{run['run_attempt']}",
    )
    return Reply(201, {})


@route("POST", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun")
async def rerun(ctx: Ctx) -> Reply:
    run = _run(ctx)
    return _rerun(ctx, run, "run", run["id"])


@route("POST", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs")
async def rerun_failed(ctx: Ctx) -> Reply:
    run = _run(ctx)
    return _rerun(ctx, run, "failed", run["id"])


@route("POST", "/repos/{owner}/{repo}/actions/jobs/{job_id}/rerun")
async def rerun_job(ctx: Ctx) -> Reply:
    job = _job(ctx)
    return _rerun(ctx, ctx.repo.runs[job["run_id"]], "job", job["id"])


@route("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/timing")
async def run_timing(ctx: Ctx) -> Reply:
    _run(ctx)
    return Reply(200, shapes.example("GET", "/repos/o/r/actions/runs/1/timing"))


@route("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}")
async def get_job(ctx: Ctx) -> Reply:
    return Reply(200, _job(ctx))


@route("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs")
async def job_logs(ctx: Ctx) -> Reply:
    """302 to a short-lived blob URL on the fake (outside /repos, no auth needed)."""
    job = _job(ctx)
    repo = ctx.repo
    if repo.log_not_ready.get(job["id"], 0) > 0:
        repo.log_not_ready[job["id"]] -= 1
        raise not_found()
    if job["status"] != "completed":
        raise not_found()
    key = secrets.token_urlsafe(16)
    ctx.state.blobs[key] = (repo.full_name, job["id"])
    location = f"{ctx.fake.base_url}/_blobs/job-logs/{key}?sig={secrets.token_hex(8)}"
    return Reply(302, None, {"Location": location})


@raw_route("GET", "/_blobs/job-logs/{key}")
async def log_blob(fake, request: web.Request) -> web.StreamResponse:
    found = fake.state.blobs.get(request.match_info["key"])
    fake.blob_requests.append(
        {"path": request.path, "authorization": request.headers.get("Authorization")}
    )
    if found is None:
        return web.Response(status=404, text="BlobNotFound")
    repo = fake.state.get_repo(found[0])
    job_id = found[1]
    if repo.blob_not_ready.get(job_id, 0) > 0:
        repo.blob_not_ready[job_id] -= 1
        return web.Response(status=404, text="BlobNotFound")
    return web.Response(text=repo.logs.get(job_id, ""), content_type="text/plain")


# --------------------------------------------------------------------------- artifacts
@route("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts")
async def list_run_artifacts(ctx: Ctx) -> Reply:
    run = _run(ctx)
    arts = [a for a in ctx.repo.artifacts.values() if a["workflow_run"]["id"] == run["id"]]
    if ctx.q("name"):
        arts = [a for a in arts if a["name"] == ctx.q("name")]
    return ctx.paginate(arts, key="artifacts")


@route("GET", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}")
async def download_artifact(ctx: Ctx) -> Reply:
    """302 to a short-lived blob URL, like the job logs (GitHub: zip only, else 404)."""
    art = ctx.repo.artifacts.get(ctx.int_param("artifact_id"))
    if art is None or ctx.params["archive_format"] != "zip" or art["expired"]:
        raise not_found()
    key = secrets.token_urlsafe(16)
    ctx.state.blobs[key] = (ctx.repo.full_name, art["id"])
    location = f"{ctx.fake.base_url}/_blobs/artifacts/{key}?sig={secrets.token_hex(8)}"
    return Reply(302, None, {"Location": location})


@raw_route("GET", "/_blobs/artifacts/{key}")
async def artifact_blob(fake, request: web.Request) -> web.StreamResponse:
    found = fake.state.blobs.get(request.match_info["key"])
    fake.blob_requests.append(
        {"path": request.path, "authorization": request.headers.get("Authorization")}
    )
    if found is None:
        return web.Response(status=404, text="BlobNotFound")
    data = fake.state.get_repo(found[0]).artifact_data.get(found[1])
    if data is None:
        return web.Response(status=404, text="BlobNotFound")
    return web.Response(body=data, content_type="application/zip")


# --------------------------------------------------------------------------- workflows
def _workflow(ctx: Ctx) -> dict:
    wanted = ctx.params["workflow_id"]
    for wf in ctx.repo.workflows.values():
        if str(wf["id"]) == wanted or wf["path"].rsplit("/", 1)[-1] == wanted:
            return wf
    raise not_found()


@route("GET", "/repos/{owner}/{repo}/actions/workflows")
async def list_workflows(ctx: Ctx) -> Reply:
    return ctx.paginate(list(ctx.repo.workflows.values()), key="workflows")


@route("GET", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}")
async def get_workflow(ctx: Ctx) -> Reply:
    return Reply(200, _workflow(ctx))


@route("GET", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs")
async def list_workflow_runs(ctx: Ctx) -> Reply:
    wf = _workflow(ctx)
    runs = [r for r in _newest_first(ctx.repo.runs.values()) if r["workflow_id"] == wf["id"]]
    return ctx.paginate(_filter_runs(ctx, runs), key="workflow_runs")


@route("GET", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/timing")
async def workflow_timing(ctx: Ctx) -> Reply:
    _workflow(ctx)
    return Reply(200, shapes.example("GET", "/repos/o/r/actions/workflows/1/timing"))
