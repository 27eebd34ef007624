"""The App manifest and the URLs of GitHub's manifest flow, as pure functions.

GitHub's flow ("Registering a GitHub App from a manifest"): a form POSTs ``manifest`` (JSON) to
``{github}/settings/apps/new?state=…`` (or ``/organizations/ORG/settings/apps/new``); after the
user confirms, GitHub sends the browser to the manifest's ``redirect_url`` with ``code`` and the
same ``state``; ``POST /app-manifests/{code}/conversions`` then returns the id, key and secret.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import yaml

GITHUB_API = "https://api.github.com"
WEBHOOK_PATH = "/webhook"
CALLBACK_PATH = "/callback"


def load_app_yml() -> dict[str, Any]:
    """The manifest Pitcrew ships (``bot/app.yml``; ``app.yml`` at the root links to it)."""
    text = resources.files("bot").joinpath("app.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("bot/app.yml is not a mapping")
    return data


def api_url_for(github_url: str) -> str:
    """REST base for a GitHub web URL: github.com → api.github.com, GHES → HOST/api/v3."""
    web = github_url.rstrip("/")
    if urlsplit(web).hostname in ("github.com", "www.github.com"):
        return GITHUB_API
    return f"{web}/api/v3"


def build_manifest(
    template: dict[str, Any], *, public_url: str, redirect_base: str, name: str | None = None
) -> dict[str, Any]:
    """``template`` (app.yml) with the webhook and redirect pointing at this deployment."""
    manifest = {key: value for key, value in template.items() if key != "redirect_url"}
    if name:
        manifest["name"] = name
    hook = dict(manifest.get("hook_attributes") or {})
    hook["url"] = public_url.rstrip("/") + WEBHOOK_PATH
    hook.setdefault("active", True)
    manifest["hook_attributes"] = hook
    manifest["redirect_url"] = redirect_base.rstrip("/") + CALLBACK_PATH
    return manifest


def new_app_url(github_url: str, state: str, org: str | None = None) -> str:
    """Where the manifest form posts: the user's or the organisation's "new App" page."""
    web = github_url.rstrip("/")
    where = f"/organizations/{quote(org, safe='')}" if org else ""
    return f"{web}{where}/settings/apps/new?{urlencode({'state': state})}"


def install_url(app: dict[str, Any], github_url: str) -> str:
    """The page that installs the new App on repositories."""
    html_url = str(app.get("html_url") or "")
    if not html_url:
        html_url = f"{github_url.rstrip('/')}/apps/{app.get('slug', '')}"
    return f"{html_url.rstrip('/')}/installations/new"
