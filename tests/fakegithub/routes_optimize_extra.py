"""Git Data API writes, trees, PR reviews and file patches for the optimizer's service tests.

Added beside the fake's own route modules (not inside them) while their author finishes them:
every route here is registered only when no other module already handles that operation, and
the two augmentations (real ``patch`` text in ``pulls/{n}/files``, stored reviews in
``GET pulls/{n}/reviews``) wrap the existing handler only while it still lacks the feature.

Faithful where it matters to a bot: blobs, trees and commits are real git objects in the bare
repo; ``base_tree`` is honoured and ``sha: null`` deletes; a review comment must sit on a line of
the PR diff (RIGHT side, inside a hunk) or GitHub answers 422, which is how a bot that posts a
suggestion on an unchanged line finds out in the tests.
"""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path
from typing import Any

from . import routes_pulls, shapes
from .gitstore import _IDENTITY, GitError
from .routing import ROUTES, Ctx, HTTPError, Reply, not_found, route
from .server import _import_route_modules

_import_route_modules()  # the fake's own routes register first; this module only fills gaps

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def _maybe_route(method: str, template: str):
    """``@route`` unless another module already registered this operation."""

    def register(handler):
        if (method, template) in ROUTES:
            return handler
        return route(method, template)(handler)

    return register


def _store(ctx: Ctx):
    if ctx.repo.git is None:
        raise HTTPError(409, "Git Repository is empty.")
    return ctx.repo.git


def _writable(ctx: Ctx):
    if not ctx.state.can_access(ctx.installation, ctx.repo, write=True):
        raise HTTPError(403, "Resource not accessible by integration")
    return _store(ctx)


def _object_type(store, sha: str) -> str | None:
    try:
        return store.git("cat-file", "-t", "--end-of-options", sha).strip()
    except GitError:
        return None


def _tree_of(store, ref: str) -> str | None:
    """A tree sha from a tree sha, a commit sha or a branch/tag name (as GitHub accepts)."""
    for candidate in (ref, f"refs/heads/{ref}", f"refs/tags/{ref}"):
        try:
            out = store.git(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{candidate}^{{tree}}"
            )
        except GitError:
            continue
        if out.strip():
            return out.strip()
    return None


def _tree_json(ctx: Ctx, store, tree: str, recursive: bool) -> dict[str, Any]:
    base = f"{ctx.api}/repos/{ctx.repo.full_name}/git"
    args = (
        ["ls-tree", "--long", "-z"]
        + (["-r", "-t"] if recursive else [])
        + ["--end-of-options", tree]
    )
    entries = []
    for item in store.git(*args).split("\0"):
        if not item:
            continue
        meta, path = item.split("\t", 1)
        mode, kind, sha, size = meta.split()
        entry: dict[str, Any] = {"path": path, "mode": mode, "type": kind, "sha": sha}
        if kind == "blob":
            entry["size"] = int(size)
        entry["url"] = f"{base}/{'trees' if kind == 'tree' else 'blobs'}/{sha}"
        entries.append(entry)
    return {"sha": tree, "url": f"{base}/trees/{tree}", "tree": entries, "truncated": False}


@_maybe_route("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}")
async def get_tree(ctx: Ctx) -> Reply:
    store = _store(ctx)
    tree = _tree_of(store, ctx.params["tree_sha"])
    if tree is None:
        raise not_found()
    recursive = (ctx.q("recursive") or "").lower() not in ("", "0", "false")
    return Reply(200, _tree_json(ctx, store, tree, recursive))


@_maybe_route("POST", "/repos/{owner}/{repo}/git/blobs")
async def create_blob(ctx: Ctx) -> Reply:
    store = _writable(ctx)
    content, encoding = ctx.body["content"], ctx.body_field("encoding") or "utf-8"
    if encoding == "base64":
        try:
            data = base64.b64decode(content, validate=True)
        except ValueError:
            raise HTTPError(422, "content is not valid Base64") from None
    elif encoding in ("utf-8", "utf8"):
        data = content.encode()
    else:
        raise HTTPError(422, f"encoding must be utf-8 or base64, not {encoding}")
    sha = store.git("hash-object", "-w", "--stdin", input=data).strip()
    url = f"{ctx.api}/repos/{ctx.repo.full_name}/git/blobs/{sha}"
    return Reply(201, {"url": url, "sha": sha}, {"Location": url})


@_maybe_route("POST", "/repos/{owner}/{repo}/git/trees")
async def create_tree(ctx: Ctx) -> Reply:
    store = _writable(ctx)
    base_tree = ctx.body_field("base_tree")
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if base_tree:
            tree = _tree_of(store, base_tree)
            if tree is None:
                raise HTTPError(422, "base_tree is not a valid tree oid")
            store.git("read-tree", "--end-of-options", tree, env=env)
        for entry in ctx.body["tree"]:
            path = entry.get("path", "").strip("/")
            if not path:
                raise HTTPError(422, "tree.path is required")
            mode = entry.get("mode", "100644")
            if "content" in entry and entry["content"] is not None:
                sha = store.git("hash-object", "-w", "--stdin", input=entry["content"].encode())
                sha = sha.strip()
            elif entry.get("sha") is None:
                store.git("update-index", "--force-remove", "--", path, env=env)
                continue
            else:
                sha = entry["sha"]
                if _object_type(store, sha) != entry.get("type", "blob"):
                    raise HTTPError(422, f"tree.sha {sha} is not a valid {entry.get('type')}")
            store.git("update-index", "--add", "--cacheinfo", f"{mode},{sha},{path}", env=env)
        tree = store.git("write-tree", env=env).strip()
    return Reply(201, _tree_json(ctx, store, tree, recursive=False))


@_maybe_route("POST", "/repos/{owner}/{repo}/git/commits")
async def create_commit(ctx: Ctx) -> Reply:
    store = _writable(ctx)
    tree, parents = ctx.body["tree"], ctx.body_field("parents") or []
    if _object_type(store, tree) != "tree":
        raise HTTPError(422, "Tree SHA does not exist")
    for parent in parents:
        if _object_type(store, parent) != "commit":
            raise HTTPError(422, "Parent SHA does not exist or is not a commit object")
    env = dict(_IDENTITY)
    author = ctx.body_field("author")
    if author:
        env.update(GIT_AUTHOR_NAME=author["name"], GIT_AUTHOR_EMAIL=author["email"])
    else:  # GitHub makes the App's bot account the author
        bot = f"{ctx.state.app_slug}[bot]"
        env.update(GIT_AUTHOR_NAME=bot, GIT_AUTHOR_EMAIL=f"{bot}@users.noreply.github.com")
    args = ["commit-tree", tree, "-m", ctx.body["message"]]
    for parent in parents:
        args += ["-p", parent]
    sha = store.git(*args, env=env).strip()
    info = store.commit_info(sha)
    base = f"{ctx.api}/repos/{ctx.repo.full_name}/git"
    body = {
        "sha": sha,
        "node_id": shapes.node_id("Commit", sha),
        "url": f"{base}/commits/{sha}",
        "html_url": f"{shapes.WEB}/{ctx.repo.full_name}/commit/{sha}",
        "author": shapes.git_user(info.author_name, info.author_email, info.author_date),
        "committer": shapes.git_user(
            info.committer_name, info.committer_email, info.committer_date
        ),
        "message": info.message,
        "tree": {"sha": info.tree, "url": f"{base}/trees/{info.tree}"},
        "parents": [
            {
                "sha": p,
                "url": f"{base}/commits/{p}",
                "html_url": f"{shapes.WEB}/{ctx.repo.full_name}/commit/{p}",
            }
            for p in info.parents
        ],
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "signature": None,
            "payload": None,
            "verified_at": None,
        },
    }
    return Reply(201, body, {"Location": body["url"]})


# ------------------------------------------------------------------------ PR diffs and reviews
def _pr_range(ctx: Ctx, number: int) -> tuple[str, str, Any]:
    return routes_pulls._range(ctx, number)  # type: ignore[return-value]


def file_patch(store, base: str, head: str, path: str) -> str:
    """The ``patch`` GitHub shows for one file: the unified diff from the first hunk on."""
    out = store.git("diff", "--no-renames", "-U3", base, head, "--", path)
    lines = out.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("@@")), len(lines))
    return "\n".join(lines[start:])


def commentable_lines(patch: str) -> set[int]:
    """RIGHT-side line numbers inside the hunks of a patch (added and context lines)."""
    lines: set[int] = set()
    current = None
    for line in patch.splitlines():
        match = _HUNK.match(line)
        if match:
            current = int(match.group(1))
            continue
        if current is None or line.startswith("\\"):
            continue
        if line.startswith("-"):
            continue
        lines.add(current)
        current += 1
    return lines


def _augment(method: str, template: str, wrapper) -> None:
    existing = ROUTES.get((method, template))
    if existing is None or getattr(existing.handler, "_optimize_extra", False):
        return
    original = existing.handler

    async def handler(ctx: Ctx) -> Reply:
        return await wrapper(ctx, original)

    handler._optimize_extra = True  # type: ignore[attr-defined]
    existing.handler = handler


async def _files_with_patches(ctx: Ctx, original) -> Reply:
    reply = await original(ctx)
    if reply.status != 200 or not isinstance(reply.body, list):
        return reply
    if not any(item.get("patch") == "" for item in reply.body):
        return reply  # the fake serves patches itself now
    base, head, store = _pr_range(ctx, ctx.int_param("pull_number"))
    for item in reply.body:
        if item.get("patch") == "":
            item["patch"] = file_patch(store, base, head, item["filename"])
    return reply


def _reviews(repo) -> dict[int, list[dict[str, Any]]]:
    return repo.__dict__.setdefault("optimize_reviews", {})


async def _list_stored_reviews(ctx: Ctx, original) -> Reply:
    reply = await original(ctx)
    stored = _reviews(ctx.repo).get(ctx.int_param("pull_number"), [])
    if reply.status != 200 or reply.body or not stored:
        return reply
    return ctx.paginate([{k: v for k, v in r.items() if k != "comments"} for r in stored])


_SERVES_REVIEWS = ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews") in ROUTES


@_maybe_route("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
async def create_review(ctx: Ctx) -> Reply:
    repo, number = ctx.repo, ctx.int_param("pull_number")
    if number not in repo.pulls:
        raise not_found()
    pr = ctx.state.pull_json(repo, number)
    commit = ctx.body_field("commit_id") or pr["head"]["sha"]
    event = ctx.body_field("event")
    comments = ctx.body_field("comments") or []
    if event in ("REQUEST_CHANGES", "COMMENT") and not (ctx.body_field("body") or comments):
        raise HTTPError(422, "Unprocessable Entity: body is required for this event")
    base, _head, store = _pr_range(ctx, number)
    for comment in comments:
        if "position" in comment and "line" not in comment:
            continue  # the legacy diff-position form is not modelled
        path, line = comment["path"], comment["line"]
        try:
            allowed = commentable_lines(file_patch(store, base, commit, path))
        except GitError:
            allowed = set()
        start = comment.get("start_line", line)
        if comment.get("side", "RIGHT") != "RIGHT" or start > line:
            raise HTTPError(422, "Pull request review thread line must be part of the diff")
        if not all(n in allowed for n in range(start, line + 1)):
            raise HTTPError(
                422,
                f"Pull request review thread line must be part of the diff ({path}:{line})",
            )
    review = shapes.example("POST", "/repos/o/r/pulls/1/reviews")
    review_id = ctx.state.next_id()
    html = f"{pr['html_url']}#pullrequestreview-{review_id}"
    review.update(
        id=review_id,
        node_id=shapes.node_id("PullRequestReview", review_id),
        user=ctx.state.bot_user(),
        body=ctx.body_field("body") or "",
        state={
            "COMMENT": "COMMENTED",
            "APPROVE": "APPROVED",
            "REQUEST_CHANGES": "CHANGES_REQUESTED",
        }.get(event or "", "PENDING"),
        html_url=html,
        pull_request_url=pr["url"],
        _links={"html": {"href": html}, "pull_request": {"href": pr["url"]}},
        submitted_at=shapes.now_iso() if event else None,
        commit_id=commit,
    )
    if review["submitted_at"] is None:
        review.pop("submitted_at")
    _reviews(repo).setdefault(number, []).append({**review, "comments": list(comments)})
    return Reply(200, review)


def reviews(fake, repo: str, number: int) -> list[dict[str, Any]]:
    """Reviews stored by this module (with their ``comments``), oldest first."""
    return list(_reviews(fake.state.get_repo(repo)).get(number, []))


_augment("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", _files_with_patches)
if not _SERVES_REVIEWS:
    _augment("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", _list_stored_reviews)
