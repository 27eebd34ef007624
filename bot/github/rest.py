"""REST helpers the features share: each one GitHub operation over an `InstallationAPI`.

The client (`bot.github.client`) owns tokens, retries and rate limits; these helpers only
name the endpoints and shape the data.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

from gidgethub import BadRequest, sansio

from bot.github.client import (
    USER_AGENT,
    GitHubError,
    InstallationAPI,
    endpoint_group,
)
from bot.redact import redact
from bot.roles import ROLES

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 2**20  # larger text files are not read at all
RAW = "application/vnd.github.raw"


class FileUnreadable(GitHubError):
    """The path exists but is not a readable text file: a symlink, a submodule, a directory,
    binary, undecodable, or too large. Callers report it; it never stops a feature."""


async def paginate(
    gh: InstallationAPI, url: str, url_vars: Mapping[str, Any] | None = None, *, key: str | None
) -> AsyncIterator[dict[str, Any]]:
    """Every item of a paginated list; ``key`` names the array for Actions/Checks lists."""
    async for item in gh.getiter(url, url_vars or {}, iterable_key=key):
        yield item


async def get_conditional(
    gh: InstallationAPI, url: str, etag: str | None
) -> tuple[int, Mapping[str, str], Any]:
    """A GET conditional on an ETag the caller persisted (gidgethub's cache lives in memory
    only): ``(304, headers, None)`` when nothing changed, else ``(200, headers, json)``."""
    headers = sansio.create_headers(USER_AGENT, accept="application/vnd.github+json")
    if etag:
        headers["if-none-match"] = etag
    status, resp_headers, body = await gh._request("GET", f"{gh.base_url}{url}", headers, b"")
    if status == 304:
        return status, resp_headers, None
    if status >= 400:
        raise GitHubError(f"GET {endpoint_group(url)}: HTTP {status}")
    return status, resp_headers, json.loads(body or b"{}")


async def open_pulls(
    gh: InstallationAPI, owner: str, repo: str, *, base: str | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Every open pull request (optionally only those based on ``base``), 100 a page."""
    url = "/repos/{owner}/{repo}/pulls?state=open&per_page=100"
    url_vars = {"owner": owner, "repo": repo}
    if base is not None:
        url += "&base={base}"
        url_vars["base"] = base
    async for pr in paginate(gh, url, url_vars, key=None):
        yield pr


async def get_pull(gh: InstallationAPI, owner: str, repo: str, number: int) -> dict[str, Any]:
    """One pull request as the REST API returns it (head/base SHAs, state, labels, fork)."""
    pr: dict[str, Any] = await gh.getitem(
        "/repos/{owner}/{repo}/pulls/{number}",
        url_vars={"owner": owner, "repo": repo, "number": str(number)},
    )
    return pr


def marker(kind: str) -> str:
    return f"<!-- pitcrew:{kind} -->"


async def find_comment(
    gh: InstallationAPI, owner: str, repo: str, number: int, kind: str
) -> dict[str, Any] | None:
    tag = marker(kind)
    found = None
    async for comment in paginate(
        gh,
        "/repos/{owner}/{repo}/issues/{number}/comments?per_page=100",
        {"owner": owner, "repo": repo, "number": str(number)},
        key=None,
    ):
        if tag in (comment.get("body") or "") and await is_own(gh, comment.get("user")):
            found = comment  # the newest one wins
    return found


async def is_own(gh: InstallationAPI, user: Any) -> bool:
    """Written by this App's bot account: not by a person who copied the marker, and not by
    another bot (a workflow's ``github-actions[bot]``), whose comments we could not edit."""
    if not isinstance(user, dict):
        return False
    login = await gh.hub.bot_login()
    if login is None:  # a static token (CLI): no App identity to compare with
        return user.get("type") == "Bot"
    return str(user.get("login", "")).lower() == login.lower()


async def upsert_comment(
    gh: InstallationAPI,
    owner: str,
    repo: str,
    number: int,
    kind: str,
    body: str,
    *,
    secrets: list[str] | tuple[str, ...] = (),
    only_if: Callable[[dict[str, Any] | None], bool] | None = None,
) -> tuple[str, dict[str, Any] | None]:
    """Create or edit the one comment of ``kind`` on a PR; unchanged text makes no call.

    Returns ("created" | "updated" | "unchanged" | "skipped", comment). Keyed by a hidden
    marker, so a redelivered event edits the comment it posted before instead of adding
    another. ``only_if(existing)`` lets a caller write only over a comment in some state
    (e.g. "edit to resolved, never create") with the one listing this already does.
    """
    tag = marker(kind)
    text = redact(body if tag in body else f"{tag}\n{body}", [*secrets, *gh.hub.known_tokens()])
    existing = await find_comment(gh, owner, repo, number, kind)
    if only_if is not None and not only_if(existing):
        return "skipped", existing
    if existing is None:
        created = await gh.post(
            "/repos/{owner}/{repo}/issues/{number}/comments",
            url_vars={"owner": owner, "repo": repo, "number": str(number)},
            data={"body": text},
        )
        return "created", created
    if (existing.get("body") or "").strip() == text.strip():
        return "unchanged", existing
    updated = await gh.patch(
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
        url_vars={"owner": owner, "repo": repo, "comment_id": str(existing["id"])},
        data={"body": text},
    )
    return "updated", updated


async def add_labels(gh: InstallationAPI, owner: str, repo: str, number: int, *labels: str) -> None:
    await gh.post(
        "/repos/{owner}/{repo}/issues/{number}/labels",
        url_vars={"owner": owner, "repo": repo, "number": str(number)},
        data={"labels": list(labels)},
    )


async def remove_label(gh: InstallationAPI, owner: str, repo: str, number: int, label: str) -> bool:
    """Remove a label; False when it was not there (GitHub answers 404)."""
    try:
        await gh.delete(
            "/repos/{owner}/{repo}/issues/{number}/labels/{name}",
            url_vars={"owner": owner, "repo": repo, "number": str(number), "name": label},
        )
    except BadRequest as exc:
        if exc.status_code == 404:
            return False
        raise
    return True


async def react(gh: InstallationAPI, owner: str, repo: str, comment_id: int, content: str) -> None:
    await gh.post(
        "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
        url_vars={"owner": owner, "repo": repo, "comment_id": str(comment_id)},
        data={"content": content},
    )


async def permission_of(gh: InstallationAPI, owner: str, repo: str, username: str) -> str:
    """The commenter's role: admin, maintain, write, triage, read or none."""
    try:
        data = await gh.getitem(
            "/repos/{owner}/{repo}/collaborators/{username}/permission",
            url_vars={"owner": owner, "repo": repo, "username": username},
        )
    except BadRequest as exc:
        if exc.status_code == 404:
            return "none"
        raise
    role = data.get("role_name") or data.get("permission") or "none"
    # role_name may be a custom role; `permission` is then one of the base levels
    return role if role in ROLES else (data.get("permission") or "none")


async def create_check_run(
    gh: InstallationAPI, owner: str, repo: str, *, name: str, head_sha: str, **fields: Any
) -> dict[str, Any]:
    run: dict[str, Any] = await gh.post(
        "/repos/{owner}/{repo}/check-runs",
        url_vars={"owner": owner, "repo": repo},
        data={"name": name, "head_sha": head_sha, **fields},
    )
    return run


async def update_check_run(
    gh: InstallationAPI, owner: str, repo: str, check_run_id: int, **fields: Any
) -> dict[str, Any]:
    run: dict[str, Any] = await gh.patch(
        "/repos/{owner}/{repo}/check-runs/{check_run_id}",
        url_vars={"owner": owner, "repo": repo, "check_run_id": str(check_run_id)},
        data=fields,
    )
    return run


async def get_file(
    gh: InstallationAPI, owner: str, repo: str, path: str, ref: str | None = None
) -> str | None:
    """A text file's content at ``ref``; None when it does not exist.

    Raises `FileUnreadable` for anything else that is not UTF-8 text: a symlink or submodule
    entry, a directory, content that is not valid Base64, binary data, or a file over
    `MAX_FILE_BYTES`. Files over 1 MB (which the contents API returns with an empty
    ``content`` and ``encoding: none``) are read again with the raw media type.
    """
    import base64
    import binascii

    url = "/repos/{owner}/{repo}/contents/{path}" + ("?ref={ref}" if ref else "")
    url_vars = {"owner": owner, "repo": repo, "path": path, "ref": ref or ""}
    try:
        data = await gh.getitem(url, url_vars=url_vars)
    except BadRequest as exc:
        if exc.status_code == 404:
            return None
        raise
    if not isinstance(data, dict):
        raise FileUnreadable(f"{path} is a directory, not a file")
    if data.get("type") != "file":
        raise FileUnreadable(f"{path} is a {data.get('type')} entry, not a file")
    if int(data.get("size") or 0) > MAX_FILE_BYTES:
        raise FileUnreadable(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    content = data.get("content") or ""
    if data.get("encoding") == "none" or (not content and data.get("size")):
        raw = await _get_raw(gh, url, url_vars)
    else:
        try:
            raw = base64.b64decode("".join(str(content).split()), validate=True)
        except (binascii.Error, ValueError):
            raise FileUnreadable(f"{path}: the content is not valid Base64") from None
    if b"\0" in raw:
        raise FileUnreadable(f"{path} is binary, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FileUnreadable(f"{path} is not UTF-8 text") from None


async def _get_raw(gh: InstallationAPI, url: str, url_vars: Mapping[str, str]) -> bytes:
    """The file's bytes through the raw media type (the contents API's route for > 1 MB)."""
    full = sansio.format_url(url, url_vars, base_url=gh.base_url)
    status, _headers, body = await gh._request(
        "GET", full, {"accept": RAW, "user-agent": USER_AGENT}
    )
    if status != 200:
        raise FileUnreadable(f"the raw content was refused (HTTP {status})")
    if len(body) > MAX_FILE_BYTES:
        raise FileUnreadable(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
    return body


async def download_job_log(
    gh: InstallationAPI,
    owner: str,
    repo: str,
    job_id: int,
    dest: Path,
    *,
    max_bytes: int = 2 * 1024**3,
    not_ready_retries: int = 5,
    not_ready_delay: float = 2.0,
) -> Path:
    """Stream a job's log to ``dest``; the API answers 302 to a short-lived URL, followed at once.

    Just after a job completes the log may 404 for a few seconds: retried briefly.
    """
    url = f"{gh.base_url}/repos/{owner}/{repo}/actions/jobs/{job_id}/logs"
    for attempt in range(not_ready_retries + 1):
        headers = {"authorization": await gh._authorization() or "", "user-agent": USER_AGENT}
        async with gh._session.get(url, headers=headers, allow_redirects=False) as resp:
            gh.hub.metrics.github_calls.labels("actions/jobs/logs", str(resp.status)).inc()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.headers["Location"]
            elif resp.status == 404 and attempt < not_ready_retries:
                await asyncio.sleep(not_ready_delay * (attempt + 1))
                continue
            elif resp.status >= 500 and attempt < not_ready_retries:
                await asyncio.sleep(not_ready_delay)
                continue
            else:
                raise GitHubError(f"job {job_id} log: HTTP {resp.status}")
        # the redirect target is pre-signed: never send our token to it
        async with gh._session.get(location, headers={"user-agent": USER_AGENT}) as blob:
            if blob.status != 200:
                raise GitHubError(f"job {job_id} log download: HTTP {blob.status}")
            written = 0
            with dest.open("wb") as out:
                async for chunk in blob.content.iter_chunked(1 << 16):
                    written += len(chunk)
                    if written > max_bytes:
                        break  # keep the head; the diagnosis notes truncation
                    out.write(chunk)
        return dest
    raise GitHubError(f"job {job_id} log not available")


class TooLarge(GitHubError):
    """A download went over the caller's byte cap (it was stopped, not truncated)."""


async def download_artifact(
    gh: InstallationAPI, owner: str, repo: str, artifact_id: int, *, max_bytes: int
) -> bytes:
    """An artifact's zip archive in memory (never on disk), at most ``max_bytes``.

    The API answers 302 to a short-lived pre-signed URL (our token is never sent there);
    the body is read in chunks and the download stops with :class:`TooLarge` past the cap,
    whatever ``Content-Length`` claimed."""
    url = f"{gh.base_url}/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip"
    headers = {"authorization": await gh._authorization() or "", "user-agent": USER_AGENT}
    async with gh._session.get(url, headers=headers, allow_redirects=False) as resp:
        gh.hub.metrics.github_calls.labels("actions/artifacts/zip", str(resp.status)).inc()
        if resp.status not in (301, 302, 303, 307, 308):
            raise GitHubError(f"artifact {artifact_id}: HTTP {resp.status}")
        location = resp.headers["Location"]
    async with gh._session.get(location, headers={"user-agent": USER_AGENT}) as blob:
        if blob.status != 200:
            raise GitHubError(f"artifact {artifact_id} download: HTTP {blob.status}")
        declared = blob.content_length
        if declared is not None and declared > max_bytes:
            raise TooLarge(f"artifact {artifact_id}: {declared} bytes is over {max_bytes}")
        chunks: list[bytes] = []
        size = 0
        async for chunk in blob.content.iter_chunked(1 << 16):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"artifact {artifact_id}: over {max_bytes} bytes")
            chunks.append(chunk)
    return b"".join(chunks)
