"""From a queued job to feature handlers (the router is merged in `bot.feature.wire`).

Each handler runs isolated (Prow's per-plugin isolation): its exception is logged with the
delivery id and does not stop the others. A handler that succeeded is remembered on the job, so
a retry re-runs only the ones that failed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from gidgethub import BadRequest, GitHubBroken, RateLimitExceeded, routing, sansio

from bot.context import Context
from bot.feature import Wiring
from bot.github import InstallationAPI, RetryLater, TransientGitHubError
from bot.logs import log_context
from bot.shadow import feature_scope

log = logging.getLogger(__name__)


def wants(wiring: Wiring, event: sansio.Event) -> bool:
    """Would any feature act on this delivery? Decides 202-queued versus 202-ignored."""
    try:
        if not isinstance(event.data, dict) or not wiring.router.fetch(event):
            return False
        checks = wiring.intake_filters.get(event.event, ())
        return all(check(event.data, wiring.commands) for check in checks)
    except (TypeError, KeyError, AttributeError, ValueError):
        return False  # a payload of the wrong shape: nothing here can act on it


def job_key(event: str, payload: dict[str, Any]) -> str:
    """Jobs with the same key never run at once: one key per `owner/repo#number`."""
    try:
        return _job_key(event, payload)
    except (AttributeError, TypeError, IndexError):
        return f"-:{event}"


def _job_key(event: str, payload: dict[str, Any]) -> str:
    repo = (payload.get("repository") or {}).get("full_name") or "-"
    number = None
    for field_name in ("pull_request", "issue"):
        obj = payload.get(field_name)
        if isinstance(obj, dict) and obj.get("number"):
            number = obj["number"]
            break
    if number is None:
        for field_name in ("check_run", "check_suite", "workflow_run"):
            obj = payload.get(field_name) or {}
            prs = obj.get("pull_requests") if isinstance(obj, dict) else None
            if prs:
                number = prs[0].get("number")
                break
    if number is not None:
        return f"{repo}#{number}"
    if event == "push":
        return f"{repo}@{payload.get('ref', '')}"
    sha = (payload.get("workflow_job") or payload.get("workflow_run") or {}).get("head_sha")
    return f"{repo}@{sha}" if sha else f"{repo}:{event}"


def is_outage(exc: BaseException) -> bool:
    """GitHub unreachable, answering 5xx or rate limiting: not the job's fault, and a retry
    after the outage will succeed (so it does not use up the job's attempts)."""
    return isinstance(
        exc,
        TransientGitHubError
        | RetryLater
        | GitHubBroken
        | RateLimitExceeded
        | aiohttp.ClientError
        | TimeoutError
        | ConnectionError,
    )


def is_retryable(exc: BaseException) -> bool:
    return isinstance(
        exc,
        RetryLater
        | TransientGitHubError
        | GitHubBroken
        | RateLimitExceeded
        | TimeoutError
        | aiohttp.ClientError
        | ConnectionError,
    )


def _missing_permissions(exc: BaseException, gh: InstallationAPI | None) -> str:
    """GitHub's "not accessible by integration" while the installation is known to lack a
    permission Pitcrew asked for: the missing ones (else ""), so the handler is skipped with
    that reason instead of failing the job until it dead-letters."""
    if gh is None or not isinstance(exc, BadRequest) or exc.status_code != 403:
        return ""
    if "not accessible by integration" not in str(exc).lower():
        return ""
    return ", ".join(f"{name}: {level}" for name, level in sorted(gh.missing_permissions().items()))


def handler_name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


@dataclass
class DispatchOutcome:
    failed: dict[str, BaseException] = field(default_factory=dict)

    @property
    def retryable(self) -> bool:
        return bool(self.failed) and all(is_retryable(exc) for exc in self.failed.values())

    @property
    def retry_at(self) -> float | None:
        times = [exc.at for exc in self.failed.values() if isinstance(exc, RetryLater)]
        return max(times) if times else None

    def summary(self) -> str:
        return "; ".join(
            f"{name}: {type(exc).__name__}: {exc}" for name, exc in self.failed.items()
        )


async def dispatch(
    router: routing.Router,
    event: sansio.Event,
    gh: InstallationAPI | None,
    *,
    ctx: Context,
    done: list[str],
    on_done: Callable[[str], Any] | None = None,
    timeout: float = 900.0,
) -> DispatchOutcome:
    """Run every handler for ``event`` not already in ``done``; collect failures."""
    outcome = DispatchOutcome()
    pending = [cb for cb in sorted(router.fetch(event), key=handler_name)
               if handler_name(cb) not in done]  # fmt: skip
    for index, callback in enumerate(pending):
        name = handler_name(callback)
        try:
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation
            async with asyncio.timeout(timeout):
                with log_context(handler=name), feature_scope(name):
                    await callback(event, gh, ctx=ctx)
        except Exception as exc:
            missing = _missing_permissions(exc, gh)
            if missing:  # degrade: the feature cannot work here until the owner accepts
                log.info(
                    "handler skipped: the installation has not accepted permissions it needs",
                    extra={"delivery_id": event.delivery_id, "handler": name, "missing": missing},
                )
                done.append(name)
                continue
            outcome.failed[name] = exc
            log.warning(
                "handler failed",
                exc_info=not is_retryable(exc),
                extra={"delivery_id": event.delivery_id, "handler": name, "event": event.event},
            )
            continue
        done.append(name)
        # The last handler's success is recorded by the job's completion itself.
        if on_done is not None and index < len(pending) - 1:
            await on_done(name)
    return outcome
