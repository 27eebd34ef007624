"""Webhook intake: verify, parse, dedupe, commit to the queue, reply. No GitHub call, no git.

Order matters: the signature is checked over the raw bytes before anything is parsed, so a
forged body never reaches the JSON parser; the job is committed before the 202, so an
acknowledged delivery survives a crash. When the queue cannot store the job (Redis down, disk
full) the answer is 503: GitHub marks the delivery failed and the reconciler asks for it again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

import orjson
from aiohttp import web
from gidgethub import sansio

from bot.appkeys import METRICS, QUEUE, SETTINGS, WIRING, WORKERS
from bot.dispatch import job_key, wants

log = logging.getLogger(__name__)


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """GitHub's X-Hub-Signature-256, compared in constant time. SHA-1 is not accepted."""
    return matching_secret((secret,), body, header) is not None


def matching_secret(secrets: tuple[str, ...], body: bytes, header: str | None) -> int | None:
    """Which of the accepted secrets signed the body (0 = the newest), or None.

    Every secret is tried, even after a match, so the time taken does not tell an attacker
    which one matched.
    """
    if not header or not header.startswith("sha256="):
        return None
    given = header.strip().encode()
    found = None
    for index, secret in enumerate(secrets):
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected.encode(), given) and found is None:
            found = index
    return found


def _reply(status: int, outcome: str, **extra: object) -> web.Response:
    return web.json_response({"status": outcome, **extra}, status=status)


async def handle_webhook(request: web.Request) -> web.Response:
    app = request.app
    settings, metrics = app[SETTINGS], app[METRICS]
    if request.content_length is not None and request.content_length > settings.max_body_bytes:
        metrics.deliveries.labels("-", "too_large").inc()
        return _reply(413, "too_large", error="payload over 25 MiB")
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        metrics.deliveries.labels("-", "too_large").inc()
        return _reply(413, "too_large", error="payload over 25 MiB")
    matched = matching_secret(
        settings.webhook_secrets, body, request.headers.get("X-Hub-Signature-256")
    )
    if matched is None:
        metrics.deliveries.labels("-", "bad_signature").inc()
        return _reply(401, "unauthorized", error="missing or invalid X-Hub-Signature-256")
    metrics.webhook_secret_matches.labels(str(matched)).inc()
    event_name = request.headers.get("X-GitHub-Event", "").strip()
    delivery_id = request.headers.get("X-GitHub-Delivery", "").strip()
    if not event_name or not delivery_id or len(delivery_id) > 200 or len(event_name) > 100:
        metrics.deliveries.labels("-", "bad_request").inc()
        return _reply(400, "bad_request", error="X-GitHub-Event and X-GitHub-Delivery are required")
    try:
        payload = orjson.loads(body)  # ~3x faster than json on webhook-sized payloads
    except (orjson.JSONDecodeError, RecursionError):
        payload = None
    if not isinstance(payload, dict):
        metrics.deliveries.labels(event_name, "bad_request").inc()
        return _reply(400, "bad_request", error="body must be a JSON object")
    if event_name == "ping":
        metrics.deliveries.labels("ping", "pong").inc()
        return _reply(200, "pong", zen=payload.get("zen"))
    event = sansio.Event(payload, event=event_name, delivery_id=delivery_id)
    if not wants(app[WIRING], event):
        metrics.deliveries.labels(event_name, "ignored").inc()
        return _reply(202, "ignored")
    action = payload.get("action") if isinstance(payload.get("action"), str) else None
    try:
        accepted = await app[QUEUE].enqueue(
            delivery_id=delivery_id,
            event=event_name,
            action=action,
            key=job_key(event_name, payload),
            body=body,
        )
    except Exception as exc:  # Redis down, disk full, ...: never acknowledge what is not stored
        metrics.deliveries.labels(event_name, "unavailable").inc()
        log.warning(
            "queue unavailable; delivery refused with 503 (GitHub records it as failed)",
            extra={"delivery_id": delivery_id, "error": f"{type(exc).__name__}: {exc}"[:300]},
        )
        return web.json_response(
            {"status": "unavailable", "error": "the job queue cannot store this delivery now"},
            status=503,
            headers={"Retry-After": "30"},
        )
    if not accepted:
        metrics.deliveries.labels(event_name, "duplicate").inc()
        return _reply(200, "duplicate")
    metrics.deliveries.labels(event_name, "queued").inc()
    pool = app.get(WORKERS)
    if pool is not None:
        pool.wake()
    return _reply(202, "queued")
