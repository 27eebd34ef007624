"""Pull requests: list/get/update, files, commits, update-branch (a real merge in git)."""

from __future__ import annotations

from . import shapes
from .gitstore import GitError
from .routing import Ctx, HTTPError, Reply, not_found, route


def _number(ctx: Ctx) -> int:
    number = ctx.int_param("pull_number")
    if number not in ctx.repo.pulls:
        raise not_found()
    return number


@route("GET", "/repos/{owner}/{repo}/pulls")
async def list_pulls(ctx: Ctx) -> Reply:
    repo = ctx.repo
    state, base, head = ctx.q("state") or "open", ctx.q("base"), ctx.q("head")
    # filter on the stored PRs (state, refs and users do not change in pull_json), then build
    # the JSON of the ones shown: building it runs git, which blocks the fake's event loop
    items = [repo.pulls[n] for n in sorted(repo.pulls, reverse=True)]
    if state != "all":
        items = [p for p in items if p["state"] == state]
    if base:
        items = [p for p in items if p["base"]["ref"] == base]
    if head:
        owner, _, ref = head.rpartition(":")
        items = [
            p
            for p in items
            if p["head"]["ref"] == ref
            and (not owner or p["head"]["user"]["login"].lower() == owner.lower())
        ]
    items = [ctx.state.pull_json(repo, p["number"]) for p in items]
    if ctx.q("direction") == "asc":
        items.reverse()
    return ctx.paginate(items)


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}")
async def get_pull(ctx: Ctx) -> Reply:
    return Reply(200, ctx.state.pull_json(ctx.repo, _number(ctx)))


@route("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}")
async def update_pull(ctx: Ctx) -> Reply:
    repo, number = ctx.repo, _number(ctx)
    pr, issue = repo.pulls[number], repo.issues[number]
    for key in ("title", "body", "state", "maintainer_can_modify"):
        if key in ctx.body:
            pr[key] = ctx.body[key]
            if key in issue:
                issue[key] = ctx.body[key]
    if "base" in ctx.body:
        pr["base"]["ref"] = ctx.body["base"]
    pr["closed_at"] = shapes.now_iso() if pr["state"] == "closed" else None
    return Reply(200, ctx.state.pull_json(repo, number))


def _range(ctx: Ctx, number: int) -> tuple[str, str, object]:
    pr = ctx.state.pull_json(ctx.repo, number)
    repo = ctx.repo
    head_repo = ctx.state.repos.get(pr["head"]["repo"]["full_name"].lower(), repo)
    store = repo.git
    if store is None:
        raise HTTPError(422, "the fake has no git repo behind this PR (add_repo(with_git=True))")
    if head_repo is not repo and head_repo.git is not None:
        store.fetch_from(
            head_repo.git, f"refs/heads/{pr['head']['ref']}", f"refs/pull/{number}/head"
        )
    base = store.merge_base(pr["base"]["sha"], pr["head"]["sha"]) or pr["base"]["sha"]
    return base, pr["head"]["sha"], store


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files")
async def list_files(ctx: Ctx) -> Reply:
    number = _number(ctx)
    base, head, store = _range(ctx, number)
    files = [
        shapes.diff_entry(ctx.api, ctx.repo.full_name, head, c) for c in store.changes(base, head)
    ]  # type: ignore[attr-defined]
    return ctx.paginate(files)


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits")
async def list_commits(ctx: Ctx) -> Reply:
    number = _number(ctx)
    base, head, store = _range(ctx, number)
    shas = store.log(base, head)  # type: ignore[attr-defined]
    return ctx.paginate(
        [
            shapes.commit(ctx.api, ctx.repo.full_name, store.commit_info(s))  # type: ignore[attr-defined]
            for s in shas
        ]
    )


@route("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/update-branch")
async def update_branch(ctx: Ctx) -> Reply:
    """Merge the base branch into the head branch, as GitHub's "Update branch" button."""
    repo, number = ctx.repo, _number(ctx)
    pr = ctx.state.pull_json(repo, number)
    expected = ctx.body_field("expected_head_sha")
    repo.update_branch_calls.append({"number": number, "expected_head_sha": expected})
    if expected and expected != pr["head"]["sha"]:
        raise HTTPError(422, "expected_head_sha does not match the current head of the branch")
    head_repo = ctx.state.repos.get(pr["head"]["repo"]["full_name"].lower(), repo)
    if head_repo is not repo and not pr["maintainer_can_modify"]:
        raise HTTPError(403, "Resource not accessible by integration")
    if repo.git is not None and head_repo.git is not None:
        if head_repo.git.log(pr["head"]["sha"], pr["base"]["sha"]) == []:
            raise HTTPError(422, "There are no new commits on the base branch.")
        theirs = pr["base"]["sha"]
        if head_repo is not repo:
            head_repo.git.fetch_from(repo.git, f"refs/heads/{pr['base']['ref']}", "refs/fake/base")
        try:
            merged = head_repo.git.merge_into(
                pr["head"]["ref"],
                theirs,
                f"Merge branch '{pr['base']['ref']}' into {pr['head']['ref']}",
            )
        except GitError as exc:
            raise HTTPError(422, str(exc)) from None
        if merged is None:
            raise HTTPError(422, "merge conflict between base and head")
    return Reply(202, {"message": "Updating pull request branch.", "url": pr["html_url"]})


@route("POST", "/repos/{owner}/{repo}/pulls")
async def create_pull(ctx: Ctx) -> Reply:
    """Open a PR between existing branches (``head`` may be ``owner:branch`` for a fork)."""
    repo = ctx.repo
    owner, _, ref = ctx.body["head"].rpartition(":")
    fork = bool(owner) and owner.lower() != repo.owner.lower()
    head_repo = ctx.state.repos.get(f"{owner}/{repo.name}".lower()) if fork else repo
    if head_repo is None or head_repo.resolve(ref) is None:
        raise HTTPError(422, "Validation Failed: head does not exist")
    if repo.resolve(ctx.body["base"]) is None:
        raise HTTPError(422, "Validation Failed: base does not exist")
    pr = ctx.state.add_pull(
        repo.full_name,
        head_ref=ref,
        base_ref=ctx.body["base"],
        user_login=owner if fork else f"{ctx.state.app_slug}[bot]",
        fork=fork,
        draft=bool(ctx.body.get("draft")),
        maintainer_can_modify=ctx.body.get("maintainer_can_modify", True),
        title=ctx.body.get("title") or ref,
        body=ctx.body.get("body"),
    )
    return Reply(201, pr, {"Location": pr["url"]})


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
async def list_reviews(ctx: Ctx) -> Reply:
    _number(ctx)
    return ctx.paginate([])  # reviews are not modelled yet
