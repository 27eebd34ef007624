"""Commits → pull requests (`GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls`)."""

from __future__ import annotations

from .routing import Ctx, Reply, route


@route("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls")
async def pulls_of_commit(ctx: Ctx) -> Reply:
    """PRs whose head is the commit, or that were merged as it (``merge_commit_sha``)."""
    sha = ctx.params["commit_sha"]
    repo = ctx.repo
    heads = ctx.state.open_head_shas(repo)
    numbers = [
        n for n in sorted(repo.pulls) if sha in (heads[n], repo.pulls[n].get("merge_commit_sha"))
    ]
    return ctx.paginate([ctx.state.pull_json(repo, n) for n in numbers])
