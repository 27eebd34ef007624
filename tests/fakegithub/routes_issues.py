"""Issues, issue comments, reactions and labels."""

from __future__ import annotations

import copy

from . import shapes
from .routing import Ctx, HTTPError, Reply, not_found, route
from .state import Repo


def _issue(ctx: Ctx) -> dict:
    issue = ctx.repo.issues.get(ctx.int_param("issue_number"))
    if issue is None:
        raise not_found()
    return issue


def _comment(ctx: Ctx) -> dict:
    comment = ctx.repo.comments.get(ctx.int_param("comment_id"))
    if comment is None:
        raise not_found()
    return comment


def _writable(ctx: Ctx) -> Repo:
    if not ctx.state.can_access(ctx.installation, ctx.repo, write=True):
        raise HTTPError(403, "Resource not accessible by integration")
    return ctx.repo


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}")
async def get_issue(ctx: Ctx) -> Reply:
    return Reply(200, _issue(ctx))


# --------------------------------------------------------------------------- comments
@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
async def list_comments(ctx: Ctx) -> Reply:
    number = _issue(ctx)["number"]
    repo = ctx.repo
    since = ctx.q("since")
    items = [c for cid, c in repo.comments.items() if repo.comment_issue[cid] == number]
    if since:
        items = [c for c in items if c["updated_at"] >= since]
    return ctx.paginate(items)


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
async def create_comment(ctx: Ctx) -> Reply:
    issue = _issue(ctx)
    repo = _writable(ctx)
    cid = ctx.state.next_id()
    data = shapes.comment(
        ctx.api,
        repo.full_name,
        issue["number"],
        comment_id=cid,
        body=ctx.body["body"],
        author=ctx.state.bot_user(),
    )
    repo.comments[cid] = data
    repo.comment_issue[cid] = issue["number"]
    issue["comments"] += 1
    return Reply(201, data, {"Location": data["url"]})


@route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
async def get_comment(ctx: Ctx) -> Reply:
    return Reply(200, _comment(ctx))


@route("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
async def update_comment(ctx: Ctx) -> Reply:
    comment = _comment(ctx)
    _writable(ctx)
    author = comment.get("user") or {}
    if author.get("type") == "Bot" and author.get("login") != f"{ctx.state.app_slug}[bot]":
        # what the issue reported: another App's comment cannot be edited by this one
        raise HTTPError(403, "Resource not accessible by integration")
    comment.update(body=ctx.body["body"], updated_at=shapes.now_iso())
    return Reply(200, comment)


@route("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
async def delete_comment(ctx: Ctx) -> Reply:
    comment = _comment(ctx)
    repo = _writable(ctx)
    number = repo.comment_issue.pop(comment["id"])
    del repo.comments[comment["id"]]
    repo.issues[number]["comments"] -= 1
    return Reply(204)


# --------------------------------------------------------------------------- reactions
@route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
async def list_reactions(ctx: Ctx) -> Reply:
    comment = _comment(ctx)
    items = ctx.state.reactions.get(comment["id"], [])
    if ctx.q("content"):
        items = [r for r in items if r["content"] == ctx.q("content")]
    return ctx.paginate(items)


@route("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
async def create_reaction(ctx: Ctx) -> Reply:
    """The same user reacting twice with the same content gets the existing one (200)."""
    comment = _comment(ctx)
    _writable(ctx)
    bot = ctx.state.bot_user()
    existing = ctx.state.reactions.setdefault(comment["id"], [])
    for reaction in existing:
        if reaction["content"] == ctx.body["content"] and reaction["user"]["login"] == bot["login"]:
            return Reply(200, reaction)
    reaction = shapes.reaction(ctx.state.next_id(), ctx.body["content"], bot)
    existing.append(reaction)
    return Reply(201, reaction)


# --------------------------------------------------------------------------- labels
def _repo_label(ctx: Ctx, name: str) -> dict:
    repo = ctx.repo
    label = repo.repo_labels.get(name.lower())
    if label is None:
        label = shapes.label(ctx.api, repo.full_name, name, label_id=ctx.state.next_id())
        repo.repo_labels[name.lower()] = label
    return label


def _add_labels(ctx: Ctx, names: list) -> None:
    issue = _issue(ctx)
    have = {label["name"].lower() for label in issue["labels"]}
    for name in names:
        name = name["name"] if isinstance(name, dict) else str(name)
        if name.lower() not in have:
            issue["labels"].append(copy.deepcopy(_repo_label(ctx, name)))
            have.add(name.lower())


def _label_names(ctx: Ctx) -> list:
    body = ctx.body
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        return body.get("labels") or []
    return []


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
async def list_issue_labels(ctx: Ctx) -> Reply:
    return ctx.paginate(_issue(ctx)["labels"])


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
async def add_labels(ctx: Ctx) -> Reply:
    _writable(ctx)
    _add_labels(ctx, _label_names(ctx))
    return Reply(200, _issue(ctx)["labels"])


@route("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
async def set_labels(ctx: Ctx) -> Reply:
    _writable(ctx)
    _issue(ctx)["labels"] = []
    _add_labels(ctx, _label_names(ctx))
    return Reply(200, _issue(ctx)["labels"])


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
async def remove_all_labels(ctx: Ctx) -> Reply:
    _writable(ctx)
    _issue(ctx)["labels"] = []
    return Reply(204)


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}")
async def remove_label(ctx: Ctx) -> Reply:
    _writable(ctx)
    issue = _issue(ctx)
    name = ctx.params["name"].lower()
    kept = [label for label in issue["labels"] if label["name"].lower() != name]
    if len(kept) == len(issue["labels"]):
        raise not_found("Label does not exist")
    issue["labels"] = kept
    return Reply(200, kept)


@route("GET", "/repos/{owner}/{repo}/labels")
async def list_repo_labels(ctx: Ctx) -> Reply:
    return ctx.paginate(list(ctx.repo.repo_labels.values()))


@route("POST", "/repos/{owner}/{repo}/labels")
async def create_repo_label(ctx: Ctx) -> Reply:
    _writable(ctx)
    name = ctx.body["name"]
    if name.lower() in ctx.repo.repo_labels:
        raise HTTPError(422, "Validation Failed: already_exists")
    label = _repo_label(ctx, name)
    label.update(
        color=ctx.body.get("color", label["color"]), description=ctx.body.get("description")
    )
    return Reply(201, label)


@route("GET", "/repos/{owner}/{repo}/issues")
async def list_issues(ctx: Ctx) -> Reply:
    """Issues and PRs (as GitHub does), newest first; `state` and `labels` filters."""
    state = ctx.q("state") or "open"
    items = [ctx.repo.issues[n] for n in sorted(ctx.repo.issues, reverse=True)]
    if state != "all":
        items = [i for i in items if i["state"] == state]
    if ctx.q("labels"):
        wanted = {name.strip().lower() for name in (ctx.q("labels") or "").split(",")}
        items = [i for i in items if wanted <= {lb["name"].lower() for lb in i["labels"]}]
    return ctx.paginate(items)


@route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")
async def update_issue(ctx: Ctx) -> Reply:
    issue = _issue(ctx)
    repo = _writable(ctx)
    for key in ("title", "body", "state"):
        if key in ctx.body:
            issue[key] = ctx.body[key]
            if issue["number"] in repo.pulls:
                repo.pulls[issue["number"]][key] = ctx.body[key]
    if "labels" in ctx.body:
        issue["labels"] = []
        _add_labels(ctx, ctx.body["labels"])
    issue["closed_at"] = shapes.now_iso() if issue["state"] == "closed" else None
    issue["updated_at"] = shapes.now_iso()
    return Reply(200, issue)


@route("POST", "/repos/{owner}/{repo}/issues")
async def create_issue(ctx: Ctx) -> Reply:
    repo = _writable(ctx)
    number = max(repo.issues, default=0) + 1
    issue = shapes.issue(
        ctx.api,
        repo.json,
        issue_id=ctx.state.next_id(),
        number=number,
        title=str(ctx.body["title"]),
        body=ctx.body.get("body"),
        user_login=f"{ctx.state.app_slug}[bot]",
        created_at=shapes.now_iso(),
    )
    issue["user"] = ctx.state.bot_user()
    repo.issues[number] = issue
    ctx.params["issue_number"] = str(number)
    _add_labels(ctx, ctx.body.get("labels") or [])
    return Reply(201, issue, {"Location": issue["url"]})
