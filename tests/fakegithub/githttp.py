"""Git smart HTTP for the fake's bare repos: ``<base>/git/<owner>/<repo>.git/...``.

Why a real ``git http-backend``: clones, fetches and pushes by the bot then behave exactly as
against github.com, and every request's credentials are recorded (``fake.git_requests``) so a
test can assert that a push used the installation token. Like GitHub: push, and any access to a
private repo, need ``x-access-token:<installation token>`` Basic credentials (401 challenge
otherwise); public repos can be cloned anonymously.
"""

from __future__ import annotations

import asyncio
import os

from aiohttp import web

from . import scopes
from .routing import raw_route
from .server import GitRequest, basic_credentials

RECEIVE = "git-receive-pack"


@raw_route("*", "/git/{owner}/{name}/{tail:.*}")
async def smart_http(fake, request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"].removesuffix(".git")
    full = f"{request.match_info['owner']}/{name}"
    tail = request.match_info["tail"]
    repo = fake.state.repos.get(full.lower())
    service = request.query.get("service") or next(
        (s for s in ("git-upload-pack", RECEIVE) if tail.endswith(s)), None
    )
    header = request.headers.get("Authorization")
    username, token = basic_credentials(header)
    inst = fake.state.token_installation(token) if token else None
    record = GitRequest(
        request.method,
        full,
        request.path,
        service,
        header,
        username,
        token,
        inst.id if inst else None,
        0,
    )
    fake.git_requests.append(record)

    def deny(status: int, text: str) -> web.Response:
        record.status = status
        headers = {"WWW-Authenticate": 'Basic realm="GitHub"'} if status == 401 else {}
        return web.Response(status=status, text=text + "\n", headers=headers)

    if repo is None or repo.git is None:
        return deny(404, "Repository not found.")
    write = service == RECEIVE
    if write or repo.private or header:
        if not header:
            return deny(401, "Authentication required.")
        if inst is None:
            return deny(401, "Invalid username or password.")
        scoped = fake.state.tokens.get(token)
        forks = fake.state.scoped_tokens_reach_forks
        if not fake.state.can_access(inst, repo, write=write) or not scopes.git_allowed(
            scoped, repo, write, forks=forks
        ):
            return deny(403, f"Permission to {full}.git denied to {fake.state.app_slug}[bot].")
    return await _run_backend(request, repo.git.path, tail, record)


async def _run_backend(request: web.Request, path, tail: str, record: GitRequest):
    body = await request.read()
    env = {
        **os.environ,
        "GIT_PROJECT_ROOT": str(path.parent),
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": f"/{path.name}/{tail}",
        "REQUEST_METHOD": request.method,
        "QUERY_STRING": request.query_string,
        "CONTENT_TYPE": request.headers.get("Content-Type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_USER": record.username or "",
        # like github.com: partial clones (--filter=blob:none) and lazy fetches of blobs by id
        "GIT_CONFIG_COUNT": "3",
        "GIT_CONFIG_KEY_0": "http.receivepack",
        "GIT_CONFIG_VALUE_0": "true",
        "GIT_CONFIG_KEY_1": "uploadpack.allowFilter",
        "GIT_CONFIG_VALUE_1": "true",
        "GIT_CONFIG_KEY_2": "uploadpack.allowAnySHA1InWant",
        "GIT_CONFIG_VALUE_2": "true",
    }
    # No HTTP_CONTENT_ENCODING: aiohttp already inflated a gzip request body (git gzips any
    # request over 1 KiB, e.g. a fetch of many refs), and http-backend would inflate it again.
    if request.headers.get("Git-Protocol"):
        env["GIT_PROTOCOL"] = request.headers["Git-Protocol"]
    proc = await asyncio.create_subprocess_exec(
        "git",
        "http-backend",
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdin and proc.stdout
    feeder = asyncio.create_task(_feed(proc.stdin, body))
    head = b""
    while b"\r\n\r\n" not in head and b"\n\n" not in head:
        chunk = await proc.stdout.read(4096)
        if not chunk:
            break
        head += chunk
    if b"\r\n\r\n" not in head and b"\n\n" not in head:  # http-backend failed early
        await proc.wait()
        await feeder
        record.status = 500
        stderr = (await proc.stderr.read()).decode(errors="replace") if proc.stderr else ""
        return web.Response(status=500, text=f"git http-backend failed: {stderr}\n")
    sep = b"\r\n\r\n" if b"\r\n\r\n" in head else b"\n\n"
    raw_headers, _, rest = head.partition(sep)
    status, headers = 200, {}
    for line in raw_headers.decode("latin-1").splitlines():
        key, _, value = line.partition(":")
        if key.lower() == "status":
            status = int(value.split()[0])
        elif key:
            headers[key.strip()] = value.strip()
    response = web.StreamResponse(status=status, headers=headers)
    await response.prepare(request)
    await response.write(rest)
    while chunk := await proc.stdout.read(65536):
        await response.write(chunk)
    await proc.wait()
    await feeder
    record.status = status
    await response.write_eof()
    return response


async def _feed(stdin: asyncio.StreamWriter, body: bytes) -> None:
    """Write the request body; http-backend may exit without reading it (GET info/refs)."""
    try:
        if body:
            stdin.write(body)
            await stdin.drain()
        stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        pass
