"""Commits → pull requests (`GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls`)."""

from __future__ import annotations

from .routing import Ctx, Reply, route


@route("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls")
async def pulls_of_commit(ctx: Ctx) -> Reply:
    """PRs whose head is the commit, or that were merged as it (``merge_commit_sha``)."""
    sha = ctx.params["commit_sha"]
    repo = ctx.repo
    items = [ctx.state.pull_json(repo, n) for n in sorted(repo.pulls)]
    return ctx.paginate([p for p in items if sha in (p["head"]["sha"], p.get("merge_commit_sha"))])
