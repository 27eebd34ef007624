"""Repository routes: the repo itself, collaborator permission, contents."""

from __future__ import annotations

import base64

from . import shapes
from .gitstore import GitError
from .routing import Ctx, HTTPError, Reply, not_found, route
from .state import LEGACY_PERMISSION, fake_sha


@route("GET", "/repos/{owner}/{repo}")
async def get_repo(ctx: Ctx) -> Reply:
    return Reply(200, ctx.repo.json)


@route("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission")
async def collaborator_permission(ctx: Ctx) -> Reply:
    """`role_name` is the fine-grained role, `permission` the legacy level (maintain → write)."""
    login = ctx.params["username"]
    role = ctx.repo.permissions.get(login.lower())
    if role is None:
        raise not_found(f"{login} is not a user")
    body = shapes.example("GET", "/repos/o/r/collaborators/u/permission")
    body["user"] = {**shapes.user(ctx.api, login), "role_name": role}
    body.update(permission=LEGACY_PERMISSION[role], role_name=role)
    return Reply(200, body)


@route("GET", "/repos/{owner}/{repo}/contents/{path}")
async def get_content(ctx: Ctx) -> Reply:
    repo, path = ctx.repo, ctx.params["path"].strip("/")
    ref = ctx.q("ref") or repo.default_branch
    found = repo.read(ref, path)
    if found is None:
        raise not_found()
    if isinstance(found, list):
        return Reply(
            200,
            [
                shapes.content_entry(ctx.api, repo.full_name, kind, name, sha, ref)
                for kind, name, sha in found
            ],
        )
    if "application/vnd.github.raw" in ctx.request.headers.get("Accept", ""):
        return Reply(200, raw=found)  # the file's bytes, whatever their size (to 100 MB)
    sha = (repo.git.blob_sha(ref, path) if repo.git else None) or fake_sha(found)
    return Reply(200, shapes.content_file(ctx.api, repo.full_name, path, found, sha, ref))


@route("PUT", "/repos/{owner}/{repo}/contents/{path}")
async def put_content(ctx: Ctx) -> Reply:
    """Create/update a file on a branch; `sha` must match the current blob when it exists."""
    repo, path = ctx.repo, ctx.params["path"].strip("/")
    if not ctx.state.can_access(ctx.installation, repo, write=True):
        raise HTTPError(403, "Resource not accessible by integration")
    branch = ctx.body_field("branch") or repo.default_branch
    if repo.resolve(branch) is None:
        raise HTTPError(404, f"Branch {branch} not found")
    current = repo.read(branch, path)
    current_sha = None
    if isinstance(current, bytes):
        current_sha = (repo.git.blob_sha(branch, path) if repo.git else None) or fake_sha(current)
    given = ctx.body_field("sha")
    if current_sha is not None and given != current_sha:
        raise HTTPError(409, f"{path} does not match {given}")
    try:
        data = base64.b64decode(ctx.body_field("content"), validate=True)
    except ValueError:
        raise HTTPError(422, "content is not valid Base64") from None
    author = ctx.body_field("committer") or ctx.body_field("author")
    try:
        if repo.git is not None:
            sha = repo.git.commit_files(
                branch,
                {path: data},
                ctx.body_field("message"),
                author=(author["name"], author["email"]) if author else None,
            )
        else:
            sha = ctx.state.add_file(repo.full_name, path, data, branch)
    except GitError as exc:
        raise HTTPError(409, str(exc)) from None
    blob = (repo.git.blob_sha(sha, path) if repo.git else None) or fake_sha(data)
    body = shapes.example("PUT", "/repos/o/r/contents/a.txt")
    body["content"] = {
        k: v
        for k, v in shapes.content_file(ctx.api, repo.full_name, path, data, blob, branch).items()
        if k not in ("content", "encoding")
    }
    body["commit"].update(
        sha=sha,
        url=f"{ctx.api}/repos/{repo.full_name}/git/commits/{sha}",
        html_url=f"{shapes.WEB}/{repo.full_name}/commit/{sha}",
        message=ctx.body_field("message"),
    )
    return Reply(201 if current_sha is None else 200, body)


@route("GET", "/orgs/{org}/repos")
async def list_org_repos(ctx: Ctx) -> Reply:
    org = ctx.params["org"].lower()
    repos = [
        r.json
        for r in ctx.state.repos.values()
        if r.owner.lower() == org and ctx.state.can_access(ctx.installation, r)
    ]
    return ctx.paginate(repos)


@route("POST", "/repos/{owner}/{repo}/dispatches")
async def dispatch(ctx: Ctx) -> Reply:
    """Recorded in ``repo.dispatches`` (event_type, client_payload)."""
    ctx.repo.dispatches.append(dict(ctx.body))
    return Reply(204)


@route("GET", "/repos/{owner}/{repo}/releases/latest")
async def latest_release(ctx: Ctx) -> Reply:
    _ = ctx.repo
    raise not_found()  # releases are not modelled


@route("GET", "/repos/{owner}/{repo}/actions/caches")
async def list_caches(ctx: Ctx) -> Reply:
    _ = ctx.repo
    return Reply(200, {"total_count": 0, "actions_caches": []})


@route("GET", "/repos/{owner}/{repo}/actions/cache/usage")
async def cache_usage(ctx: Ctx) -> Reply:
    return Reply(
        200,
        {
            "full_name": ctx.repo.full_name,
            "active_caches_size_in_bytes": 0,
            "active_caches_count": 0,
        },
    )
