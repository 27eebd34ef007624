"""Send webhook deliveries the way GitHub does: exact body bytes, HMAC-SHA256, headers."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

import aiohttp

HOOK_ID = "424242"
USER_AGENT = "GitHub-Hookshot/fake0001"


def sign(body: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode(payload: dict[str, Any] | bytes) -> bytes:
    if isinstance(payload, bytes):
        return payload
    return json.dumps(payload, separators=(",", ":")).encode()


def delivery_headers(
    event: str,
    body: bytes,
    *,
    secret: str,
    delivery_id: str | None = None,
    installation_id: int | None = None,
) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": HOOK_ID,
        "X-GitHub-Hook-Installation-Target-Type": "integration",
        "X-GitHub-Hook-Installation-Target-ID": str(installation_id or 0),
        "X-Hub-Signature-256": sign(body, secret),
    }
    return headers


async def send_webhook(
    url: str,
    event: str,
    payload: dict[str, Any] | bytes,
    *,
    secret: str,
    delivery_id: str | None = None,
    session: aiohttp.ClientSession | None = None,
) -> tuple[int, str]:
    """POST a signed delivery; returns (status, response text). `payload` may be raw bytes."""
    body = encode(payload)
    inst = payload.get("installation", {}).get("id") if isinstance(payload, dict) else None
    headers = delivery_headers(
        event, body, secret=secret, delivery_id=delivery_id, installation_id=inst
    )
    own = session is None
    session = session or aiohttp.ClientSession()
    try:
        async with session.post(url, data=body, headers=headers) as resp:
            return resp.status, await resp.text()
    finally:
        if own:
            await session.close()
