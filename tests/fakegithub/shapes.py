"""Realistic JSON shapes, started from GitHub's own examples and filled in.

Why: the bot must be tested against the fields GitHub really returns (including the nullable
ones), so every object the fake serves starts from an example in openapi-subset.json or in the
webhook payloads, gets our values, and (in the fake's own tests) passes ``validate_response``.
Every function here is pure: plain values in, a fresh dict out.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

from .shared import example_object, validate_call

WEB = "https://github.com"
_EXAMPLE_API = "https://api.github.com"


def now_iso(at: float | None = None) -> str:
    return datetime.fromtimestamp(at if at is not None else time.time(), UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def stable_id(*parts: object, bits: int = 31) -> int:
    """A deterministic positive id for a name (users, repos), so tests can predict it."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") % (2**bits - 1) + 1


def node_id(kind: str, ident: object) -> str:
    return base64.b64encode(f"0:{kind}{ident}".encode()).decode().rstrip("=")


@cache
def _example(method: str, path: str, status: int | None = None) -> Any:
    vc = validate_call()
    value = vc.example_response(method, path, status)
    if isinstance(value, dict) and set(value) == {"$ref"}:
        spec, _ = vc._load()
        value = copy.deepcopy(vc._deref(spec, value).get("value"))
    return value


def example(method: str, path: str, status: int | None = None) -> Any:
    """A fresh copy of GitHub's example response for an operation."""
    return copy.deepcopy(_example(method, path, status))


def relocate(obj: Any, replacements: list[tuple[str, str]]) -> Any:
    """Rewrite URL prefixes in every string of `obj` (examples point at octocat/Hello-World)."""
    if isinstance(obj, dict):
        return {k: relocate(v, replacements) for k, v in obj.items()}
    if isinstance(obj, list):
        return [relocate(v, replacements) for v in obj]
    if isinstance(obj, str):
        for old, new in replacements:
            if old in obj:
                obj = obj.replace(old, new)
        return obj
    return obj


# ------------------------------------------------------------------------- users and apps
def user(api: str, login: str, *, kind: str | None = None) -> dict[str, Any]:
    is_bot = login.endswith("[bot]")
    kind = kind or ("Bot" if is_bot else "User")
    uid = stable_id("user", login)
    template = example_object("pull_request", "opened.payload.json", "sender")
    out = relocate(
        template,
        [
            (f"{_EXAMPLE_API}/users/Codertocat", f"{api}/users/{login}"),
            (f"{WEB}/Codertocat", f"{WEB}/{login}"),
        ],
    )
    out.update(
        login=login,
        id=uid,
        node_id=node_id("User", uid),
        avatar_url=f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        type=kind,
        site_admin=False,
    )
    if kind == "Organization":
        out["url"] = f"{api}/orgs/{login}"
    return out


def app(api: str, app_id: int, slug: str, owner_login: str) -> dict[str, Any]:
    out = example("GET", "/app")
    out.update(
        id=app_id,
        slug=slug,
        name=slug.capitalize(),
        node_id=node_id("Integration", app_id),
        client_id=f"Iv1.{app_id:016x}",
        html_url=f"{WEB}/apps/{slug}",
        owner=user(api, owner_login, kind="Organization"),
        permissions={
            "checks": "write",
            "contents": "write",
            "issues": "write",
            "metadata": "read",
            "pull_requests": "write",
            "actions": "write",
            "workflows": "write",  # as app.yml asks
            "statuses": "read",
        },
        events=["check_run", "issue_comment", "pull_request", "push", "workflow_run"],
    )
    return out


def installation(
    api: str, inst_id: int, account_login: str, account_type: str, app_id: int, slug: str
) -> dict[str, Any]:
    out = example("GET", "/repos/o/r/installation")
    acct = user(api, account_login, kind=account_type)
    # the spec's account is simple-user AND enterprise (allOf), so carry both sets of fields
    acct.update(
        name=account_login,
        slug=account_login.lower(),
        created_at="2020-01-01T00:00:00Z",
        updated_at="2020-01-01T00:00:00Z",
    )
    out.update(
        id=inst_id,
        account=acct,
        app_id=app_id,
        app_slug=slug,
        target_id=acct["id"],
        target_type=account_type,
        access_tokens_url=f"{api}/app/installations/{inst_id}/access_tokens",
        repositories_url=f"{api}/installation/repositories",
        html_url=f"{WEB}/organizations/{account_login}/settings/installations/{inst_id}",
        repository_selection="all",
        single_file_name=None,
        single_file_paths=[],
        has_multiple_single_files=False,
        permissions=app(api, app_id, slug, account_login)["permissions"],
    )
    return out


# ------------------------------------------------------------------------- repositories
def repository(
    api: str,
    full_name: str,
    *,
    repo_id: int,
    default_branch: str,
    private: bool,
    fork: bool,
    clone_url: str,
    owner_type: str = "Organization",
) -> dict[str, Any]:
    owner, name = full_name.split("/", 1)
    out = example("GET", "/repos/o/r")
    for drop in ("parent", "source", "template_repository", "organization", "temp_clone_token"):
        out.pop(drop, None)
    out = relocate(
        out,
        [
            (f"{_EXAMPLE_API}/repos/octocat/Hello-World", f"{api}/repos/{full_name}"),
            (f"{WEB}/octocat/Hello-World", f"{WEB}/{full_name}"),
            ("git:github.com/octocat/Hello-World.git", f"git://github.com/{full_name}.git"),
            ("git@github.com:octocat/Hello-World.git", f"git@github.com:{full_name}.git"),
            ("https://svn.github.com/octocat/Hello-World", f"https://svn.github.com/{full_name}"),
        ],
    )
    out.update(
        id=repo_id,
        node_id=node_id("Repository", repo_id),
        name=name,
        full_name=full_name,
        owner=user(api, owner, kind=owner_type),
        private=private,
        visibility="private" if private else "public",
        fork=fork,
        default_branch=default_branch,
        clone_url=clone_url,
        language="Python",
        has_discussions=False,
        homepage=None,
        mirror_url=None,
        license=None,
        description=f"{name} (fake)",
        permissions={"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
    )
    return out


def minimal_repository(full: dict[str, Any]) -> dict[str, Any]:
    """The shorter repository object that nests in workflow runs."""
    keys = example("GET", "/repos/o/r/actions/runs/1")["repository"].keys()
    return {k: copy.deepcopy(full[k]) for k in keys if k in full}


# ------------------------------------------------------------------------- pulls and issues
_PR_TEMPLATE = ("pull_request", "opened.payload.json")


def pull_request(
    api: str,
    repo: dict[str, Any],
    head_repo: dict[str, Any],
    *,
    pr_id: int,
    number: int,
    title: str,
    body: str | None,
    user_login: str,
    head_ref: str,
    head_sha: str,
    base_ref: str,
    base_sha: str,
    draft: bool,
    maintainer_can_modify: bool,
    created_at: str,
) -> dict[str, Any]:
    full = repo["full_name"]
    pr = example_object(*_PR_TEMPLATE, "pull_request")
    old_full = pr["base"]["repo"]["full_name"]
    pr = relocate(
        pr,
        [
            (f"{_EXAMPLE_API}/repos/{old_full}", f"{api}/repos/{full}"),
            (f"{WEB}/{old_full}", f"{WEB}/{full}"),
            (_EXAMPLE_API, api),
        ],
    )
    author = user(api, user_login)
    pr.update(
        id=pr_id,
        node_id=node_id("PullRequest", pr_id),
        number=number,
        title=title,
        body=body,
        user=author,
        draft=draft,
        state="open",
        locked=False,
        created_at=created_at,
        updated_at=created_at,
        closed_at=None,
        merged_at=None,
        merge_commit_sha=None,
        merged=False,
        mergeable=None,
        rebaseable=None,
        mergeable_state="unknown",
        maintainer_can_modify=maintainer_can_modify,
        labels=[],
        assignee=None,
        assignees=[],
        requested_reviewers=[],
        requested_teams=[],
        milestone=None,
        auto_merge=None,
        comments=0,
        review_comments=0,
        author_association="CONTRIBUTOR",
        url=f"{api}/repos/{full}/pulls/{number}",
        html_url=f"{WEB}/{full}/pull/{number}",
        diff_url=f"{WEB}/{full}/pull/{number}.diff",
        patch_url=f"{WEB}/{full}/pull/{number}.patch",
        issue_url=f"{api}/repos/{full}/issues/{number}",
        commits_url=f"{api}/repos/{full}/pulls/{number}/commits",
        review_comments_url=f"{api}/repos/{full}/pulls/{number}/comments",
        comments_url=f"{api}/repos/{full}/issues/{number}/comments",
        statuses_url=f"{api}/repos/{full}/statuses/{head_sha}",
    )
    pr["_links"] = {
        "self": {"href": pr["url"]},
        "html": {"href": pr["html_url"]},
        "issue": {"href": pr["issue_url"]},
        "comments": {"href": pr["comments_url"]},
        "review_comments": {"href": pr["review_comments_url"]},
        "review_comment": {"href": f"{api}/repos/{full}/pulls/comments{{/number}}"},
        "commits": {"href": pr["commits_url"]},
        "statuses": {"href": pr["statuses_url"]},
    }
    pr["head"] = _pr_ref(head_repo, head_ref, head_sha)
    pr["base"] = _pr_ref(repo, base_ref, base_sha)
    return pr


def _pr_ref(repo: dict[str, Any], ref: str, sha: str) -> dict[str, Any]:
    owner = repo["owner"]
    return {
        "label": f"{owner['login']}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": copy.deepcopy(owner),
        "repo": copy.deepcopy(repo),
    }


def issue(
    api: str,
    repo: dict[str, Any],
    *,
    issue_id: int,
    number: int,
    title: str,
    body: str | None,
    user_login: str,
    created_at: str,
    pull: dict[str, Any] | None = None,
) -> dict[str, Any]:
    full = repo["full_name"]
    out = example_object("issues", "opened.payload.json", "issue")
    out = relocate(out, [(_EXAMPLE_API, api)])
    out.update(
        id=issue_id,
        node_id=node_id("Issue", issue_id),
        number=number,
        title=title,
        body=body,
        user=user(api, user_login),
        labels=[],
        state="open",
        locked=False,
        assignee=None,
        assignees=[],
        milestone=None,
        comments=0,
        created_at=created_at,
        updated_at=created_at,
        closed_at=None,
        author_association="CONTRIBUTOR",
        url=f"{api}/repos/{full}/issues/{number}",
        repository_url=f"{api}/repos/{full}",
        labels_url=f"{api}/repos/{full}/issues/{number}/labels{{/name}}",
        comments_url=f"{api}/repos/{full}/issues/{number}/comments",
        events_url=f"{api}/repos/{full}/issues/{number}/events",
        html_url=f"{WEB}/{full}/{'pull' if pull else 'issues'}/{number}",
    )
    out.pop("performed_via_github_app", None)
    if pull is not None:
        out["pull_request"] = {
            "url": pull["url"],
            "html_url": pull["html_url"],
            "diff_url": pull["diff_url"],
            "patch_url": pull["patch_url"],
            "merged_at": None,
        }
    return out


def comment(
    api: str, full: str, number: int, *, comment_id: int, body: str, author: dict[str, Any]
) -> dict[str, Any]:
    out = example("POST", "/repos/o/r/issues/1/comments")
    stamp = now_iso()
    out.update(
        id=comment_id,
        node_id=node_id("IssueComment", comment_id),
        url=f"{api}/repos/{full}/issues/comments/{comment_id}",
        html_url=f"{WEB}/{full}/pull/{number}#issuecomment-{comment_id}",
        issue_url=f"{api}/repos/{full}/issues/{number}",
        body=body,
        user=author,
        created_at=stamp,
        updated_at=stamp,
        author_association="NONE" if author["type"] == "Bot" else "MEMBER",
    )
    out.pop("performed_via_github_app", None)
    return out


def reaction(reaction_id: int, content: str, author: dict[str, Any]) -> dict[str, Any]:
    out = example("POST", "/repos/o/r/issues/comments/1/reactions")
    out.update(
        id=reaction_id,
        node_id=node_id("Reaction", reaction_id),
        content=content,
        user=author,
        created_at=now_iso(),
    )
    return out


def label(api: str, full: str, name: str, *, label_id: int, color: str = "ededed") -> dict:
    return {
        "id": label_id,
        "node_id": node_id("Label", label_id),
        "url": f"{api}/repos/{full}/labels/{name}",
        "name": name,
        "description": None,
        "color": color,
        "default": False,
    }


# ------------------------------------------------------------------------- checks and actions
def check_run(api: str, full: str, *, run_id: int, app_json: dict[str, Any]) -> dict[str, Any]:
    out = example("GET", "/repos/o/r/check-runs/1")
    out = relocate(out, [(f"{_EXAMPLE_API}/repos/github/hello-world", f"{api}/repos/{full}")])
    out.update(
        id=run_id,
        node_id=node_id("CheckRun", run_id),
        url=f"{api}/repos/{full}/check-runs/{run_id}",
        html_url=f"{WEB}/{full}/runs/{run_id}",
        details_url=None,
        external_id="",
        status="queued",
        conclusion=None,
        started_at=now_iso(),
        completed_at=None,
        output={
            "title": None,
            "summary": None,
            "text": None,
            "annotations_count": 0,
            "annotations_url": f"{api}/repos/{full}/check-runs/{run_id}/annotations",
        },
        check_suite={"id": stable_id("suite", full, run_id)},
        app=app_json,
        pull_requests=[],
    )
    return out


def annotation(raw: dict[str, Any], *, blob_href: str) -> dict[str, Any]:
    return {
        "path": raw["path"],
        "start_line": raw["start_line"],
        "end_line": raw["end_line"],
        "start_column": raw.get("start_column"),
        "end_column": raw.get("end_column"),
        "annotation_level": raw.get("annotation_level"),
        "title": raw.get("title"),
        "message": raw.get("message"),
        "raw_details": raw.get("raw_details"),
        "blob_href": blob_href,
    }


def workflow(api: str, full: str, *, workflow_id: int, name: str, path: str) -> dict:
    out = example("GET", "/repos/o/r/actions/workflows")["workflows"][0]
    out.update(
        id=workflow_id,
        node_id=node_id("Workflow", workflow_id),
        name=name,
        path=path,
        state="active",
        url=f"{api}/repos/{full}/actions/workflows/{workflow_id}",
        html_url=f"{WEB}/{full}/blob/main/{path}",
        badge_url=f"{WEB}/{full}/workflows/{name}/badge.svg",
    )
    return out


def workflow_run(
    api: str, repo: dict[str, Any], *, run_id: int, wf: dict[str, Any], actor: dict[str, Any]
) -> dict[str, Any]:
    full = repo["full_name"]
    out = example("GET", "/repos/o/r/actions/runs/1")
    out = relocate(out, [(f"{_EXAMPLE_API}/repos/octo-org/octo-repo", f"{api}/repos/{full}")])
    stamp = now_iso()
    base = f"{api}/repos/{full}/actions/runs/{run_id}"
    out.update(
        id=run_id,
        node_id=node_id("WorkflowRun", run_id),
        name=wf["name"],
        path=wf["path"],
        workflow_id=wf["id"],
        workflow_url=wf["url"],
        check_suite_id=stable_id("suite-run", run_id),
        run_number=run_id % 10_000,
        run_attempt=1,
        status="completed",
        conclusion="success",
        event="pull_request",
        head_branch=repo["default_branch"],
        display_title=wf["name"],
        pull_requests=[],
        created_at=stamp,
        updated_at=stamp,
        run_started_at=stamp,
        actor=actor,
        triggering_actor=actor,
        url=base,
        html_url=f"{WEB}/{full}/actions/runs/{run_id}",
        jobs_url=f"{base}/jobs",
        logs_url=f"{base}/logs",
        cancel_url=f"{base}/cancel",
        rerun_url=f"{base}/rerun",
        artifacts_url=f"{base}/artifacts",
        previous_attempt_url=None,
        repository=minimal_repository(repo),
        head_repository=minimal_repository(repo),
        referenced_workflows=[],
    )
    return out


def job(
    api: str,
    full: str,
    *,
    job_id: int,
    run: dict[str, Any],
    name: str,
    conclusion: str | None,
    steps: list[dict[str, Any]],
) -> dict[str, Any]:
    out = example("GET", "/repos/o/r/actions/jobs/1")
    stamp = now_iso()
    out.update(
        id=job_id,
        run_id=run["id"],
        run_url=run["url"],
        run_attempt=run.get("run_attempt", 1),
        node_id=node_id("Job", job_id),
        head_sha=run["head_sha"],
        head_branch=run["head_branch"],
        workflow_name=run["name"],
        url=f"{api}/repos/{full}/actions/jobs/{job_id}",
        html_url=f"{WEB}/{full}/actions/runs/{run['id']}/job/{job_id}",
        check_run_url=f"{api}/repos/{full}/check-runs/{job_id}",
        status="completed" if conclusion else "in_progress",
        conclusion=conclusion,
        name=name,
        created_at=stamp,
        started_at=stamp,
        completed_at=stamp if conclusion else None,
        steps=steps,
    )
    return out


def step(number: int, name: str, conclusion: str | None = "success") -> dict[str, Any]:
    stamp = now_iso()
    return {
        "name": name,
        "status": "completed" if conclusion else "in_progress",
        "conclusion": conclusion,
        "number": number,
        "started_at": stamp,
        "completed_at": stamp if conclusion else None,
    }


# ------------------------------------------------------------------------- git objects
def git_user(name: str, email: str, date: str) -> dict[str, str]:
    return {"name": name, "email": email, "date": date}


def commit(api: str, full: str, info: Any, files: list[dict] | None = None) -> dict[str, Any]:
    """`info` is a gitstore.CommitInfo; the shape of GET /commits/{ref}."""
    sha = info.sha
    out = {
        "url": f"{api}/repos/{full}/commits/{sha}",
        "sha": sha,
        "node_id": node_id("Commit", sha),
        "html_url": f"{WEB}/{full}/commit/{sha}",
        "comments_url": f"{api}/repos/{full}/commits/{sha}/comments",
        "commit": {
            "url": f"{api}/repos/{full}/git/commits/{sha}",
            "author": git_user(info.author_name, info.author_email, info.author_date),
            "committer": git_user(info.committer_name, info.committer_email, info.committer_date),
            "message": info.message,
            "comment_count": 0,
            "tree": {"sha": info.tree, "url": f"{api}/repos/{full}/git/trees/{info.tree}"},
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "author": None,
        "committer": None,
        "parents": [
            {
                "sha": p,
                "url": f"{api}/repos/{full}/commits/{p}",
                "html_url": f"{WEB}/{full}/commit/{p}",
            }
            for p in info.parents
        ],
    }
    if files is not None:
        out["files"] = files
        adds = sum(f["additions"] for f in files)
        dels = sum(f["deletions"] for f in files)
        out["stats"] = {"additions": adds, "deletions": dels, "total": adds + dels}
    return out


def diff_entry(api: str, full: str, ref: str, change: Any) -> dict[str, Any]:
    """`change` is a gitstore.FileChange; the shape of pulls/files and compare files."""
    return {
        "sha": change.blob_sha,
        "filename": change.path,
        "status": change.status,
        "additions": change.additions,
        "deletions": change.deletions,
        "changes": change.additions + change.deletions,
        "blob_url": f"{WEB}/{full}/blob/{ref}/{change.path}",
        "raw_url": f"{WEB}/{full}/raw/{ref}/{change.path}",
        "contents_url": f"{api}/repos/{full}/contents/{change.path}?ref={ref}",
        "patch": "",
    }


def content_file(api: str, full: str, path: str, data: bytes, sha: str, ref: str) -> dict:
    name = path.rsplit("/", 1)[-1]
    big = len(data) > 2**20  # GitHub: 1–100 MB files come with empty content, encoding "none"
    encoded = "" if big else base64.encodebytes(data).decode()
    url = f"{api}/repos/{full}/contents/{path}?ref={ref}"
    html = f"{WEB}/{full}/blob/{ref}/{path}"
    git_url = f"{api}/repos/{full}/git/blobs/{sha}"
    return {
        "type": "file",
        "encoding": "none" if big else "base64",
        "size": len(data),
        "name": name,
        "path": path,
        "content": encoded,
        "sha": sha,
        "url": url,
        "git_url": git_url,
        "html_url": html,
        "download_url": f"https://raw.githubusercontent.com/{full}/{ref}/{path}",
        "_links": {"self": url, "git": git_url, "html": html},
    }


def content_entry(api: str, full: str, kind: str, path: str, sha: str, ref: str) -> dict:
    url = f"{api}/repos/{full}/contents/{path}?ref={ref}"
    git_url = f"{api}/repos/{full}/git/{'trees' if kind == 'dir' else 'blobs'}/{sha}"
    html = f"{WEB}/{full}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{path}"
    return {
        "type": kind,
        "size": 0,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": url,
        "git_url": git_url,
        "html_url": html,
        "download_url": None
        if kind == "dir"
        else f"https://raw.githubusercontent.com/{full}/{ref}/{path}",
        "_links": {"self": url, "git": git_url, "html": html},
    }
