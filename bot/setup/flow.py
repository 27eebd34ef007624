"""The local page of `pitcrew setup`: one button that posts the manifest, one callback.

Plain HTML served by aiohttp: the button is an HTML form, so the page works without JavaScript.
The redirect GitHub sends the browser to is built from the address the browser used for this
page, so it works both on ``http://127.0.0.1:PORT`` and behind ``--url`` when setup runs on the
server itself. One callback ends the flow: success or a clear error, and the exit code with it.
"""

from __future__ import annotations

import asyncio
import html
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.envfile import EnvFileError, format_env, write_secret_file
from bot.github.admin import AppCallError, convert_manifest
from bot.setup.manifest import (
    CALLBACK_PATH,
    GITHUB_API,
    build_manifest,
    install_url,
    new_app_url,
)

EXIT_OK = 0
EXIT_FAILED = 1


@dataclass
class SetupOptions:
    github_url: str
    api_url: str
    env_file: Path
    key_file: Path | None
    public_url: str | None
    org: str | None
    name: str | None
    force: bool
    template: dict[str, Any]


@dataclass
class Outcome:
    exit_code: int
    message: str


@dataclass
class SetupFlow:
    options: SetupOptions
    state: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    done: asyncio.Future[Outcome] | None = None

    def finish(self, outcome: Outcome) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(outcome)


FLOW_KEY = web.AppKey("setup_flow", SetupFlow)


def _page(title: str, body: str, status: int = 200) -> web.Response:
    text = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font:16px system-ui;max-width:42em;"
        "margin:3em auto}}code{{background:#eee;padding:0 .2em}}.error{{color:#b00}}</style>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return web.Response(status=status, text=text, content_type="text/html")


def _error_page(flow: SetupFlow, message: str, status: int) -> web.Response:
    flow.finish(Outcome(EXIT_FAILED, message))
    body = (
        f"<p class='error' id='error'>{html.escape(message)}</p>"
        "<p>Nothing was written. Fix the cause and run <code>pitcrew setup</code> again.</p>"
    )
    return _page("Pitcrew setup failed", body, status)


async def index(request: web.Request) -> web.Response:
    flow = request.app[FLOW_KEY]
    opts = flow.options
    origin = f"{request.scheme}://{request.host}"
    public_url = opts.public_url or origin
    manifest = build_manifest(
        opts.template, public_url=public_url, redirect_base=origin, name=opts.name
    )
    action = new_app_url(opts.github_url, flow.state, opts.org)
    where = f"the organisation <b>{html.escape(opts.org)}</b>" if opts.org else "your account"
    warning = ""
    if not opts.public_url:
        warning = (
            "<p><b>No --url given:</b> the webhook URL is this page's address, which GitHub "
            "cannot reach. Change it later in the App's settings (pitcrew doctor checks it).</p>"
        )
    body = (
        f"<p>This registers a GitHub App named <b>{html.escape(str(manifest['name']))}</b> "
        f"for {where} with the permissions and events in <code>app.yml</code>. Webhooks go to "
        f"<code>{html.escape(manifest['hook_attributes']['url'])}</code>.</p>{warning}"
        f"<form method='post' action='{html.escape(action, quote=True)}'>"
        f"<input type='hidden' name='manifest' "
        f"value='{html.escape(json.dumps(manifest), quote=True)}'>"
        "<button id='register' type='submit'>Register the GitHub App</button></form>"
        f"<p>The App's id, webhook secret and key path go to "
        f"<code>{html.escape(str(opts.env_file))}</code>.</p>"
    )
    return _page("Set up Pitcrew", body)


def _explain(exc: AppCallError) -> str:
    if exc.status == 404:
        return (
            "GitHub did not accept the code: it has expired or was already used (a code works "
            "once, within an hour). Run pitcrew setup again."
        )
    if exc.status == 422:
        return f"GitHub refused to create the App: {exc.message}"
    if exc.status == 0:
        return f"GitHub could not be reached to finish the registration: {exc.message}"
    return f"GitHub answered HTTP {exc.status} to the registration: {exc.message}"


def write_credentials(opts: SetupOptions, app: dict[str, Any]) -> Path:
    """Key file, then env file, both 0600; returns the key file's path."""
    slug = str(app.get("slug") or "pitcrew")
    key_file = opts.key_file or opts.env_file.parent / f"{slug}.private-key.pem"
    key_file = key_file.absolute()
    values = {
        "PITCREW_APP_ID": str(app["id"]),
        "PITCREW_APP_SLUG": slug,
        "PITCREW_WEBHOOK_SECRET": str(app.get("webhook_secret") or ""),
        "PITCREW_PRIVATE_KEY": str(key_file),
    }
    if opts.api_url != GITHUB_API:
        values["PITCREW_GITHUB_URL"] = opts.api_url
    write_secret_file(key_file, str(app["pem"]), force=opts.force)
    header = f"Written by `pitcrew setup` for the GitHub App {slug} (id {app['id']})."
    try:
        write_secret_file(opts.env_file, format_env(values, header), force=opts.force)
    except EnvFileError:
        key_file.unlink(missing_ok=True)  # no half-written setup left behind
        raise
    return key_file


async def callback(request: web.Request) -> web.Response:
    flow = request.app[FLOW_KEY]
    opts = flow.options
    if not secrets.compare_digest(request.query.get("state", ""), flow.state):
        return _error_page(flow, "The state of the redirect does not match this setup.", 400)
    code = request.query.get("code", "")
    if not code:
        return _error_page(flow, "GitHub sent the browser back without a code.", 400)
    try:
        async with aiohttp.ClientSession() as session:
            app = await convert_manifest(session, opts.api_url, code)
    except AppCallError as exc:
        return _error_page(flow, _explain(exc), 502)
    missing = [key for key in ("id", "pem", "webhook_secret") if not app.get(key)]
    if missing:
        return _error_page(flow, f"GitHub's answer lacks {', '.join(missing)}.", 502)
    try:
        key_file = write_credentials(opts, app)
    except EnvFileError as exc:
        return _error_page(flow, str(exc), 409)
    link = install_url(app, opts.github_url)
    name = str(app.get("name") or app.get("slug"))
    flow.finish(
        Outcome(
            EXIT_OK,
            f"registered the GitHub App {app.get('slug')} (id {app['id']}); wrote "
            f"{opts.env_file} and {key_file} (mode 0600). Install it: {link}",
        )
    )
    body = (
        f"<p id='done'>The GitHub App <b>{html.escape(name)}</b> (id {app['id']}) is "
        f"registered. Its settings are in <code>{html.escape(str(opts.env_file))}</code> and its "
        f"private key in <code>{html.escape(str(key_file))}</code> (both readable only by you).</p>"
        f"<p><a id='install' href='{html.escape(link, quote=True)}'>Install it on your "
        "repositories</a>, then run <code>pitcrew serve</code> and <code>pitcrew doctor</code>.</p>"
    )
    return _page("Pitcrew is registered", body)


def make_setup_app(flow: SetupFlow) -> web.Application:
    app = web.Application()
    app[FLOW_KEY] = flow
    app.router.add_get("/", index)
    app.router.add_get(CALLBACK_PATH, callback)
    return app


async def run_flow(flow: SetupFlow, host: str, port: int, announce: Any = print) -> Outcome:
    """Serve the page until one callback has finished the flow."""
    flow.done = asyncio.get_running_loop().create_future()
    runner = web.AppRunner(make_setup_app(flow), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    addresses = runner.addresses
    bound = addresses[0][1] if addresses else port
    announce(f"pitcrew setup: open http://{host}:{bound}/ in a browser to register the App")
    try:
        outcome = await flow.done
        await asyncio.sleep(0.2)  # let the last page reach the browser
    finally:
        await runner.cleanup()
    return outcome
