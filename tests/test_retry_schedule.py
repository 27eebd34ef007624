"""A command's "retrying until HH:MM" names when the queue's last retry is due: computed from
the worker's own retry rules (`bot.retry_schedule`), never an upper bound that can lie."""

from __future__ import annotations

import random
import time

import pytest

from bot.context import Context
from bot.github import RetryLater, TransientGitHubError
from bot.metrics import Metrics
from bot.repo_config import ConfigLoader
from bot.retry_schedule import last_retry_due, retries
from bot.worker import WorkerPool


def settings_with(settings_factory, **env):
    return settings_factory(env={k: str(v) for k, v in env.items()})


def context(settings, *, attempt: int, created_at: float) -> Context:
    ctx = Context(settings=settings, metrics=Metrics(), config_loader=ConfigLoader())
    return ctx.for_delivery("d", attempt=attempt, job_created_at=created_at)


def test_attempts_left_after_the_outage_budget_name_a_time_still_ahead(settings_factory):
    """The old answer was "job created + outage budget": in the past once the budget ran out,
    although the queue still had attempts to spend."""
    settings = settings_with(settings_factory, PITCREW_MAX_ATTEMPTS=3, PITCREW_RETRY_BASE_S=10,
                             PITCREW_OUTAGE_RETRY_S=60)  # fmt: skip
    created = time.time() - 3600
    until = context(settings, attempt=1, created_at=created).will_retry(TransientGitHubError("x"))
    now = time.time()
    assert until is not None and until > now
    assert until == pytest.approx(now + 10 + 20, abs=2)  # retries 2 and 3, at their latest
    last = context(settings, attempt=3, created_at=created).will_retry(TransientGitHubError("x"))
    assert last is None  # out of attempts and of outage budget: the answer is final


def test_a_rate_limit_reset_moves_the_first_retry(settings_factory):
    settings = settings_with(settings_factory, PITCREW_MAX_ATTEMPTS=2, PITCREW_RETRY_BASE_S=1,
                             PITCREW_OUTAGE_RETRY_S=0)  # fmt: skip
    reset = time.time() + 1800
    ctx = context(settings, attempt=1, created_at=time.time())
    assert ctx.will_retry(RetryLater(reset, "rate limited")) == pytest.approx(reset)


def test_an_outage_is_retried_until_the_budget_and_no_later_than_named(settings_factory):
    settings = settings_with(settings_factory, PITCREW_MAX_ATTEMPTS=3, PITCREW_RETRY_BASE_S=2,
                             PITCREW_OUTAGE_RETRY_S=300)  # fmt: skip
    created = now = 1_000_000.0
    due = last_retry_due(settings, attempts=1, created_at=created, now=now, outage=True)
    assert due is not None and created + 300 <= due <= created + 300 + settings.retry_max_s
    # past the budget, only the attempts left count: retries 2 and 3, at their latest
    late = last_retry_due(settings, attempts=1, created_at=created, now=created + 400, outage=True)
    assert late == created + 400 + 2 + 4


@pytest.mark.parametrize("seed", range(40))
def test_the_workers_actual_schedule_never_retries_after_the_named_time(settings_factory, seed):
    """Run the worker's own decisions (`WorkerPool.retry_delay` with its jitter, and
    `retries`) from a failure; the last retry it schedules is never after the named time."""
    rng = random.Random(seed)
    settings = settings_with(
        settings_factory,
        PITCREW_MAX_ATTEMPTS=rng.randint(1, 8),
        PITCREW_RETRY_BASE_S=rng.choice([0.5, 2, 5]),
        PITCREW_OUTAGE_RETRY_S=rng.choice([0, 120, 3600]),
    )
    pool = WorkerPool.__new__(WorkerPool)  # only its retry arithmetic is used here
    pool.ctx = context(settings, attempt=1, created_at=0.0)
    outage = rng.random() < 0.5
    created = 1_000_000.0
    now = created + rng.uniform(0, 200)
    attempts = rng.randint(1, 4)
    due = last_retry_due(settings, attempts=attempts, created_at=created, now=now, outage=outage)
    starts: list[float] = []
    t, k = now, attempts
    while retries(settings, attempts=k, created_at=created, now=t, outage=outage):
        t += pool.retry_delay(k)  # each retry starts when due and fails at once
        starts.append(t)
        k += 1
    if due is None:
        assert starts == []
    else:
        assert starts and max(starts) <= due + 1e-6
