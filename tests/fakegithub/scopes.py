"""Installation-token scopes, as GitHub enforces them.

`POST /app/installations/{id}/access_tokens` may narrow a token to some repositories
(`repositories` names, `repository_ids`) and some permissions (`permissions`). A scoped token
used on another repository gets 404 (403 for a write to a public one), and one used for a
permission it lacks gets 403 "Resource not accessible by integration". `metadata: read` is
always granted, as on GitHub.
"""

from __future__ import annotations

from typing import Any

from .routing import HTTPError

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
LEVELS = {"read": 1, "write": 2, "admin": 3}

#: the first path segment after /repos/{owner}/{repo}/ → the permission it needs
_BY_SEGMENT = {
    "issues": ("issues", "pull_requests"),  # PR comments/labels: either permission will do
    "labels": ("issues", "pull_requests"),
    "pulls": ("pull_requests",),
    "contents": ("contents",),
    "git": ("contents",),
    "branches": ("contents",),
    "commits": ("contents",),
    "compare": ("contents",),
    "merges": ("contents",),
    "tags": ("contents",),
    "releases": ("contents",),
    "dispatches": ("contents",),
    "check-runs": ("checks",),
    "check-suites": ("checks",),
    "actions": ("actions",),
    "statuses": ("statuses",),
}


def permissions_for(template: str) -> tuple[str, ...]:
    """Which permissions (any one of them) a repository route needs."""
    parts = template.split("/")
    if len(parts) < 5 or parts[1] != "repos":
        return ("metadata",)
    if "status" in parts or "statuses" in parts:
        return ("statuses",)
    return _BY_SEGMENT.get(parts[4], ("metadata",))


def grants(permissions: dict[str, str] | None, needed: tuple[str, ...], write: bool) -> bool:
    if permissions is None:
        return True
    want = LEVELS["write" if write else "read"]
    granted = {"metadata": "read", **permissions}
    return any(LEVELS.get(granted.get(name, ""), 0) >= want for name in needed)


def check_api(state: Any, token: Any, method: str, template: str, params: dict[str, str]) -> None:
    """Raise GitHub's answer when ``token`` may not make this call."""
    if token is None:
        return
    write = method in WRITE_METHODS
    if token.repositories is not None and "owner" in params and "repo" in params:
        full = f"{params['owner']}/{params['repo']}".lower()
        if full not in token.repositories:
            repo = state.repos.get(full)
            if repo is None or repo.private:
                raise HTTPError(404, "Not Found")
            if write:
                raise HTTPError(403, "Resource not accessible by integration")
            return  # a public repository: any token may read it
    if not grants(token.permissions, permissions_for(template), write):
        raise HTTPError(403, "Resource not accessible by integration")


def git_allowed(token: Any, repo: Any, write: bool, *, forks: bool = True) -> bool:
    """Smart HTTP: a scoped token pushes/pulls only its repositories, with `contents` — and,
    with ``forks``, a fork of one of them (a PR head whose author allows edits from
    maintainers). Without ``forks`` (`State.scoped_tokens_reach_forks` off) a token scoped to
    the base repository cannot push to the fork: GitHub does not document either way for a
    repository-scoped installation token, so the tests try both."""
    if token is None:
        return True
    scope = token.repositories
    fork_of_scoped = forks and bool(repo.parent) and str(repo.parent).lower() in (scope or ())
    if scope is not None and repo.full_name.lower() not in scope and not fork_of_scoped:
        return False
    return grants(token.permissions, ("contents",), write)


def narrow(state: Any, inst: Any, body: dict[str, Any]) -> tuple[frozenset[str] | None, Any]:
    """The scope a token request asks for, validated against the installation (422 if not)."""
    names = body.get("repositories")
    ids = body.get("repository_ids")
    repositories: set[str] | None = None
    if names is not None or ids is not None:
        repositories = set()
        visible = [r for r in state.repos.values() if state.installation_for(r) is inst]
        for name in names or []:
            match = [r for r in visible if r.full_name.split("/")[1].lower() == str(name).lower()]
            if not match:
                raise HTTPError(
                    422,
                    "There is at least one repository that does not exist or is not accessible "
                    "to the parent installation.",
                )
            repositories.add(match[0].full_name.lower())
        for repo_id in ids or []:
            match = [r for r in visible if r.json.get("id") == repo_id]
            if not match:
                raise HTTPError(
                    422,
                    "There is at least one repository that does not exist or is not accessible "
                    "to the parent installation.",
                )
            repositories.add(match[0].full_name.lower())
    permissions = body.get("permissions")
    if permissions is not None:
        granted = inst.json.get("permissions") or {}
        for name, level in permissions.items():
            if LEVELS.get(granted.get(name, ""), 0) < LEVELS.get(level, 9):
                raise HTTPError(
                    422, "The permissions requested are not granted to this installation."
                )
        permissions = dict(permissions)
    return (frozenset(repositories) if repositories is not None else None), permissions
