"""GitHub's App-manifest flow: the "new App" form page (web, not API), the code conversion
(`POST /app-manifests/{code}/conversions`) and the App's webhook config (`/app/hook/config`).

The page GitHub shows after the manifest form is posted is reduced to what a browser test needs:
the App's name, the account it is created for, and one "Create GitHub App" button that sends the
browser back to the manifest's ``redirect_url`` with ``code`` and ``state``, as GitHub does.
A code converts once, within ``State.manifest_code_ttl`` seconds (GitHub: one hour).
"""

from __future__ import annotations

import html
import json
import secrets
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import shapes
from .routing import Ctx, HTTPError, Reply, raw_route, route

if TYPE_CHECKING:
    from .server import FakeGitHub

REQUIRED_MANIFEST_KEYS = ("url", "hook_attributes", "redirect_url")


def _page(title: str, body: str, status: int = 200) -> web.Response:
    text = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return web.Response(status=status, text=text, content_type="text/html")


def manifest_problems(manifest: Any) -> list[str]:
    """What GitHub would refuse in a manifest (the checks its form page makes)."""
    if not isinstance(manifest, dict):
        return ["the manifest is not a JSON object"]
    problems = [f"missing {key}" for key in REQUIRED_MANIFEST_KEYS if not manifest.get(key)]
    hook = manifest.get("hook_attributes") or {}
    if not isinstance(hook, dict) or not hook.get("url"):
        problems.append("hook_attributes.url is required")
    perms = manifest.get("default_permissions") or {}
    if not isinstance(perms, dict) or any(v not in ("read", "write") for v in perms.values()):
        problems.append("default_permissions values must be read or write")
    return problems


async def _new_app(fake: FakeGitHub, request: web.Request, owner: str | None) -> web.Response:
    form = await request.post()
    state_param = request.query.get("state", "")
    fake.manifest_posts.append({"owner": owner, "state": state_param, "form": dict(form)})
    try:
        manifest = json.loads(str(form.get("manifest", "")))
    except ValueError:
        return _page("Invalid GitHub App configuration", "<p>manifest is not JSON</p>", 422)
    problems = manifest_problems(manifest)
    if problems:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
        return _page("Invalid GitHub App configuration", f"<ul>{items}</ul>", 422)
    code = secrets.token_hex(10)
    fake.state.manifest_codes[code] = {
        "manifest": manifest,
        "owner": owner,
        "expires_at": time.time() + fake.manifest_code_ttl,
        "used": False,
    }
    hidden = "".join(
        f"<input type='hidden' name='{name}' value='{html.escape(value, quote=True)}'>"
        for name, value in (("code", code), ("state", state_param))
    )
    account = html.escape(owner or "your personal account")
    body = (
        f"<p id='app-name'>{html.escape(str(manifest.get('name', '')))}</p>"
        f"<p>for {account}</p>"
        f"<form method='get' action='{html.escape(manifest['redirect_url'], quote=True)}'>"
        f"{hidden}<button id='create-app' type='submit'>Create GitHub App</button></form>"
    )
    return _page("Create GitHub App", body)


@raw_route("POST", "/settings/apps/new")
async def new_user_app(fake: FakeGitHub, request: web.Request) -> web.StreamResponse:
    return await _new_app(fake, request, None)


@raw_route("POST", "/organizations/{org}/settings/apps/new")
async def new_org_app(fake: FakeGitHub, request: web.Request) -> web.StreamResponse:
    return await _new_app(fake, request, request.match_info["org"])


@route("POST", "/app-manifests/{code}/conversions", auth="any")
async def convert_manifest(ctx: Ctx) -> Reply:
    pending = ctx.state.manifest_codes.get(ctx.params["code"])
    if pending is None or pending["used"] or pending["expires_at"] <= time.time():
        raise HTTPError(404, "Not Found")
    pending["used"] = True
    manifest = pending["manifest"]
    state = ctx.state
    state.app_permissions = dict(manifest.get("default_permissions") or {})
    state.app_events = list(manifest.get("default_events") or [])
    hook = manifest.get("hook_attributes") or {}
    webhook_secret = secrets.token_hex(20)
    ctx.fake.hook_secret = webhook_secret
    state.hook_config = {
        "url": hook.get("url", ""),
        "content_type": "json",
        "insecure_ssl": "0",
        "secret": "********",
    }
    if pending["owner"]:
        state.app_owner = pending["owner"]
    body = state.app_json()
    body.update(
        name=manifest.get("name") or body["name"],
        client_secret=secrets.token_hex(20),
        webhook_secret=webhook_secret,
        pem=ctx.fake.private_key,
    )
    body["html_url"] = f"{shapes.WEB}/apps/{state.app_slug}"
    return Reply(201, body)


@route("GET", "/app/hook/config")
async def get_hook_config(ctx: Ctx) -> Reply:
    return Reply(200, dict(ctx.state.hook_config))


@raw_route("GET", "/favicon.ico")
async def favicon(fake: FakeGitHub, request: web.Request) -> web.StreamResponse:
    """Browsers ask for it on every github.com page they show; GitHub's web has one."""
    return web.Response(status=404)
