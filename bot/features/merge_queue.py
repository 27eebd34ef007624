"""GitHub's merge queue: remember which PRs sit in it, so the rebase pass leaves them alone.

A PR enters the queue (``pull_request`` ``enqueued``, or a ``merge_group`` ``checks_requested``
whose branch names it) and leaves it (``dequeued``, ``closed``, or the group ``destroyed``).
A failed queue run is diagnosed by the CI-failures feature, which finds the PR from the
queue branch's name.
"""

from __future__ import annotations

import asyncio
import logging

from gidgethub import routing, sansio

from bot.context import Context
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.kvstore import kv_of
from bot.merge_queue import clear_queued, mark_queued, parse_queue_branch

log = logging.getLogger(__name__)
router = routing.Router()


@router.register("pull_request", action="enqueued")
async def on_pr_enqueued(event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context) -> None:
    repo = event.data["repository"]["full_name"]
    await asyncio.to_thread(mark_queued, kv_of(ctx), repo, int(event.data["number"]))


@router.register("pull_request", action="dequeued")
@router.register("pull_request", action="closed")
async def on_pr_dequeued(event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context) -> None:
    repo = event.data["repository"]["full_name"]
    await asyncio.to_thread(clear_queued, kv_of(ctx), repo, int(event.data["number"]))


@router.register("merge_group", action="checks_requested")
async def on_merge_group_requested(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    branch = parse_queue_branch(event.data["merge_group"].get("head_ref"))
    if branch is not None:
        repo = event.data["repository"]["full_name"]
        await asyncio.to_thread(mark_queued, kv_of(ctx), repo, branch.number)


@router.register("merge_group", action="destroyed")
async def on_merge_group_destroyed(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    branch = parse_queue_branch(event.data["merge_group"].get("head_ref"))
    if branch is not None:
        repo = event.data["repository"]["full_name"]
        await asyncio.to_thread(clear_queued, kv_of(ctx), repo, branch.number)


FEATURE = Feature(name="merge_queue", router=router)
