"""App-level routes (JWT): /app, installations, access tokens, hook deliveries; plus
/installation/repositories (token) and /rate_limit."""

from __future__ import annotations

import copy
import time

from . import scopes, shapes
from .routing import Ctx, HTTPError, Reply, not_found, route


@route("GET", "/app")
async def get_app(ctx: Ctx) -> Reply:
    return Reply(200, ctx.state.app_json())


@route("GET", "/app/installations")
async def list_installations(ctx: Ctx) -> Reply:
    return ctx.paginate([i.json for i in ctx.state.installations.values()])


@route("POST", "/app/installations/{installation_id}/access_tokens")
async def create_token(ctx: Ctx) -> Reply:
    inst = ctx.state.installations.get(ctx.int_param("installation_id"))
    if inst is None:
        raise not_found()
    repositories, permissions = scopes.narrow(
        ctx.state, inst, ctx.body if isinstance(ctx.body, dict) else {}
    )
    token = ctx.state.issue_token(inst.id, repositories, permissions)
    body = shapes.example("POST", "/app/installations/1/access_tokens")
    body.update(
        token=token.value,
        expires_at=shapes.now_iso(token.expires_at),
        permissions=permissions or inst.json["permissions"],
        repository_selection="selected"
        if repositories is not None
        else inst.json["repository_selection"],
    )
    if repositories is None:
        body.pop("repositories", None)
    else:
        body["repositories"] = [
            ctx.fake._out(ctx.state.repos[name].json) for name in sorted(repositories)
        ]
    return Reply(201, body)


@route("GET", "/repos/{owner}/{repo}/installation")
async def repo_installation(ctx: Ctx) -> Reply:
    repo = ctx.state.repos.get(f"{ctx.params['owner']}/{ctx.params['repo']}".lower())
    inst = ctx.state.installation_for(repo) if repo else None
    if inst is None:
        raise not_found()
    return Reply(200, inst.json)


@route("GET", "/orgs/{org}/installation")
async def org_installation(ctx: Ctx) -> Reply:
    for inst in ctx.state.installations.values():
        if inst.account_login.lower() == ctx.params["org"].lower():
            return Reply(200, inst.json)
    raise not_found()


@route("GET", "/installation/repositories")
async def installation_repositories(ctx: Ctx) -> Reply:
    assert ctx.installation is not None
    # a token minted for some repositories lists only those (as on GitHub)
    credential = ctx.request.headers.get("Authorization", "").partition(" ")[2]
    token = ctx.state.tokens.get(credential)
    scope = token.repositories if token is not None else None
    repos = [
        r.json
        for r in ctx.state.repos.values()
        if (owner := ctx.state.installation_for(r)) is not None
        and owner.id == ctx.installation.id
        and r.parent is None
        and (scope is None or r.full_name.lower() in scope)
    ]
    reply = ctx.paginate(repos, key="repositories")
    reply.body["repository_selection"] = ctx.installation.json["repository_selection"]
    return reply


@route("GET", "/rate_limit")
async def rate_limit(ctx: Ctx) -> Reply:
    body = shapes.example("GET", "/rate_limit")
    used = ctx.fake.rate_limited_calls[ctx.installation.id if ctx.installation else "anon"]
    core = {
        "limit": ctx.fake.rate_limit,
        "used": used,
        "remaining": max(0, ctx.fake.rate_limit - used),
        "reset": ctx.fake.rate_reset_at,
    }
    body["resources"]["core"] = core
    body["rate"] = dict(core)
    return Reply(200, body)


# --------------------------------------------------------------------------- hook deliveries
def _summary(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("request", "response", "url")}


@route("GET", "/app/hook/deliveries")
async def list_deliveries(ctx: Ctx) -> Reply:
    """Newest first, cursor pagination as GitHub does it (Link with ?cursor=)."""
    items = list(reversed(ctx.state.deliveries))
    status = ctx.q("status")
    if status == "success":
        items = [d for d in items if 200 <= d["status_code"] < 300]
    elif status == "failure":
        items = [d for d in items if not 200 <= d["status_code"] < 300]
    per_page = max(1, min(100, int(ctx.q("per_page") or 30)))
    start = int(ctx.q("cursor") or 0)
    chunk = items[start : start + per_page]
    headers = {}
    if start + per_page < len(items):
        query = f"per_page={per_page}&cursor={start + per_page}" + (
            f"&status={status}" if status else ""
        )
        headers["Link"] = f'<{ctx.fake.base_url}/app/hook/deliveries?{query}>; rel="next"'
    return Reply(200, [_summary(d) for d in chunk], headers)


def _delivery(ctx: Ctx) -> dict:
    wanted = ctx.int_param("delivery_id")
    for record in ctx.state.deliveries:
        if record["id"] == wanted:
            return record
    raise not_found()


@route("GET", "/app/hook/deliveries/{delivery_id}")
async def get_delivery(ctx: Ctx) -> Reply:
    return Reply(200, _delivery(ctx))


@route("POST", "/app/hook/deliveries/{delivery_id}/attempts")
async def redeliver(ctx: Ctx) -> Reply:
    """Record a redelivery (same guid); actually POST it when the fake knows the hook URL."""
    record = _delivery(ctx)
    fake = ctx.fake
    status, text = 0, ""
    if fake.hook_url and fake.hook_secret:
        from .webhooks import send_webhook

        payload = copy.deepcopy(record["request"]["payload"])
        try:
            status, text = await send_webhook(
                fake.hook_url,
                record["event"],
                payload,
                secret=fake.hook_secret,
                delivery_id=record["guid"],
            )
        except OSError as exc:
            raise HTTPError(422, f"redelivery failed: {exc}") from None
    ctx.state.add_delivery(
        record["event"],
        record["request"]["payload"],
        guid=record["guid"],
        status_code=status or 202,
        url=record["url"],
        redelivery=True,
        response_body=text,
    )
    return Reply(202, {"at": int(time.time())})
