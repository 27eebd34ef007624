"""Git data read from the real bare repo: refs, branches, commits, compare; ref writes."""

from __future__ import annotations

from functools import partial

from . import shapes
from .gitstore import CommitInfo, GitError
from .routing import Ctx, HTTPError, Reply, not_found, route
from .state import Repo, fake_sha


def _store(ctx: Ctx):
    if ctx.repo.git is None:
        raise HTTPError(409, "Git Repository is empty.")  # repos without git behave as empty
    return ctx.repo.git


def _ref_json(ctx: Ctx, full_ref: str, sha: str) -> dict:
    base = f"{ctx.api}/repos/{ctx.repo.full_name}"
    return {
        "ref": full_ref,
        "node_id": shapes.node_id("Ref", full_ref),
        "url": f"{base}/git/{full_ref}",
        "object": {"type": "commit", "sha": sha, "url": f"{base}/git/commits/{sha}"},
    }


@route("GET", "/repos/{owner}/{repo}/git/ref/{ref}")
async def get_ref(ctx: Ctx) -> Reply:
    full = "refs/" + ctx.params["ref"]
    sha = _store(ctx).refs(full).get(full)
    if sha is None:
        raise not_found()
    return Reply(200, _ref_json(ctx, full, sha))


def _writable(ctx: Ctx) -> Repo:
    if not ctx.state.can_access(ctx.installation, ctx.repo, write=True):
        raise HTTPError(403, "Resource not accessible by integration")
    return ctx.repo


@route("POST", "/repos/{owner}/{repo}/git/refs")
async def create_ref(ctx: Ctx) -> Reply:
    _writable(ctx)
    store = _store(ctx)
    ref, sha = ctx.body["ref"], ctx.body["sha"]
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise HTTPError(422, "Reference name must start with 'refs/' and have two slashes")
    if ref in store.refs(ref):
        raise HTTPError(422, "Reference already exists")
    try:
        store.set_ref(ref, sha)
    except GitError:
        raise HTTPError(422, "Object does not exist") from None
    return Reply(201, _ref_json(ctx, ref, sha))


@route("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}")
async def update_ref(ctx: Ctx) -> Reply:
    _writable(ctx)
    store = _store(ctx)
    full = "refs/" + ctx.params["ref"]
    old = store.refs(full).get(full)
    if old is None:
        raise HTTPError(422, "Reference does not exist")
    new = ctx.body["sha"]
    if not ctx.body.get("force") and store.merge_base(old, new) != old:
        raise HTTPError(422, "Update is not a fast forward")
    try:
        store.set_ref(full, new, old)
    except GitError:
        raise HTTPError(422, "Object does not exist") from None
    return Reply(200, _ref_json(ctx, full, new))


@route("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}")
async def delete_ref(ctx: Ctx) -> Reply:
    _writable(ctx)
    store = _store(ctx)
    full = "refs/" + ctx.params["ref"]
    if full not in store.refs(full):
        raise HTTPError(422, "Reference does not exist")
    store.delete_ref(full)
    return Reply(204)


@route("GET", "/repos/{owner}/{repo}/branches/{branch}")
async def get_branch(ctx: Ctx) -> Reply:
    repo = ctx.repo
    name = ctx.params["branch"]
    sha = repo.branches().get(name)
    if sha is None:
        raise not_found("Branch not found")
    body = shapes.example("GET", "/repos/o/r/branches/main")
    base = f"{ctx.api}/repos/{repo.full_name}"
    commit = (
        shapes.commit(ctx.api, repo.full_name, repo.git.commit_info(sha))
        if repo.git
        else {**body["commit"], "sha": sha}
    )
    body.update(
        name=name,
        commit=commit,
        protected=False,
        _links={
            "self": f"{base}/branches/{name}",
            "html": f"{shapes.WEB}/{repo.full_name}/tree/{name}",
        },
        protection_url=f"{base}/branches/{name}/protection",
    )
    body["protection"] = {
        "enabled": False,
        "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
    }
    return Reply(200, body)


def _no_changes(_base: str, _head: str) -> list:
    return []


def _mem_info(repo: Repo, sha: str) -> CommitInfo:
    """A synthetic commit for repos without git (their history is only parents)."""
    when = "2024-01-01T00:00:00Z"
    return CommitInfo(
        sha,
        fake_sha("tree", sha),
        repo.mem_parents.get(sha, []),
        "Fake GitHub",
        "noreply@github.com",
        when,
        "GitHub",
        "noreply@github.com",
        when,
        f"commit {sha[:7]}",
    )


@route("GET", "/repos/{owner}/{repo}/commits/{ref}")
async def get_commit(ctx: Ctx) -> Reply:
    if ctx.repo.git is None:
        sha = ctx.repo.resolve(ctx.params["ref"]) or ctx.params["ref"]
        if sha not in ctx.repo.mem_parents:
            raise HTTPError(422, f"No commit found for SHA: {ctx.params['ref']}")
        return Reply(200, shapes.commit(ctx.api, ctx.repo.full_name, _mem_info(ctx.repo, sha), []))
    store = _store(ctx)
    sha = store.resolve(ctx.params["ref"])
    if sha is None:
        raise HTTPError(422, f"No commit found for SHA: {ctx.params['ref']}")
    info = store.commit_info(sha)
    parent = info.parents[0] if info.parents else None
    changes = store.changes(parent, sha) if parent else []
    files = [shapes.diff_entry(ctx.api, ctx.repo.full_name, sha, c) for c in changes]
    return Reply(200, shapes.commit(ctx.api, ctx.repo.full_name, info, files))


@route("GET", "/repos/{owner}/{repo}/compare/{basehead}")
async def compare(ctx: Ctx) -> Reply:
    """`base...head` (three dots; two dots accepted too), ahead/behind from the merge base."""
    repo = ctx.repo
    spec = ctx.params["basehead"]
    sep = "..." if "..." in spec else ".."
    base_ref, _, head_ref = spec.partition(sep)
    if repo.git is None:  # history from the parents the builders recorded; no files
        known = repo.mem_parents
        base, head = (repo.resolve(r) or (r if r in known else None) for r in (base_ref, head_ref))
        merge_base = repo.mem_merge_base(base, head) if base and head else None
        log, info, changes = repo.mem_log, partial(_mem_info, repo), _no_changes
    else:
        store = repo.git
        base, head = store.resolve(base_ref), store.resolve(head_ref)
        merge_base = store.merge_base(base, head) if base and head else None
        log, info, changes = store.log, store.commit_info, store.changes
    if base is None or head is None:
        raise not_found()
    if merge_base is None:
        raise not_found("No common ancestor between base and head")
    ahead, behind = log(base, head), log(head, base)
    status = (
        "identical"
        if not ahead and not behind
        else "ahead"
        if not behind
        else "behind"
        if not ahead
        else "diverged"
    )
    full = ctx.repo.full_name
    per_page, page = ctx.page_window()
    commits = [shapes.commit(ctx.api, full, info(s)) for s in ahead]
    files = [shapes.diff_entry(ctx.api, full, head, c) for c in changes(merge_base, head)]
    body = {
        "url": f"{ctx.api}/repos/{full}/compare/{spec}",
        "html_url": f"{shapes.WEB}/{full}/compare/{spec}",
        "permalink_url": f"{shapes.WEB}/{full}/compare/{base}...{head}",
        "diff_url": f"{shapes.WEB}/{full}/compare/{spec}.diff",
        "patch_url": f"{shapes.WEB}/{full}/compare/{spec}.patch",
        "base_commit": shapes.commit(ctx.api, full, info(base)),
        "merge_base_commit": shapes.commit(ctx.api, full, info(merge_base)),
        "status": status,
        "ahead_by": len(ahead),
        "behind_by": len(behind),
        "total_commits": len(ahead),
        "commits": commits[(page - 1) * per_page : page * per_page],
        "files": files,
    }
    return Reply(200, body)


@route("GET", "/repos/{owner}/{repo}/tags")
async def list_tags(ctx: Ctx) -> Reply:
    """Tags newest first by name (GitHub sorts by version-ish name), each with its commit."""
    store = _store(ctx)
    refs = store.refs("refs/tags/")
    tags = []
    for full in sorted(refs, reverse=True):
        name = full.removeprefix("refs/tags/")
        sha = store.resolve(full) or refs[full]
        base = f"{ctx.api}/repos/{ctx.repo.full_name}"
        tags.append(
            {
                "name": name,
                "commit": {"sha": sha, "url": f"{base}/commits/{sha}"},
                "zipball_url": f"{base}/zipball/refs/tags/{name}",
                "tarball_url": f"{base}/tarball/refs/tags/{name}",
                "node_id": f"REF_{name}",
            }
        )
    return ctx.paginate(tags)
