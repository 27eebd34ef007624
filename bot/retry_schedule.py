"""When a failed job is retried, and when its last retry is due: one place for both.

The worker decides with :func:`retries` and :func:`delay_ceiling`; a command's "retrying until
HH:MM" is :func:`last_retry_due`, computed from the same rules, so the time it names is the one
the queue actually keeps to (not an upper bound that can lie).
"""

from __future__ import annotations

from bot.settings import Settings

#: a safety stop for the simulation below (the settings bound it long before)
_MAX_STEPS = 100_000


def delay_ceiling(settings: Settings, attempts: int) -> float:
    """The longest wait before retry number ``attempts`` + 1 (the worker jitters below it)."""
    return float(min(settings.retry_max_s, settings.retry_base_s * 2 ** max(0, attempts - 1)))


def retries(
    settings: Settings, *, attempts: int, created_at: float, now: float, outage: bool
) -> bool:
    """Whether a job whose attempt number ``attempts`` just failed at ``now`` is retried: while
    attempts are left, and for an outage (GitHub down, rate limit) also while the job is younger
    than ``PITCREW_OUTAGE_RETRY_S``."""
    if attempts < settings.max_attempts:
        return True
    return outage and now < created_at + settings.outage_retry_s


def last_retry_due(
    settings: Settings,
    *,
    attempts: int,
    created_at: float,
    now: float,
    outage: bool,
    first_retry_at: float | None = None,
) -> float | None:
    """The latest time the last retry of this job can be due if every retry fails like this
    one, or None when this failure is final. It holds for every jittered delay the worker can
    pick (each is at most `delay_ceiling`); a busy queue may start a retry later than it is
    due, but none is ever scheduled after this time."""
    if not retries(settings, attempts=attempts, created_at=created_at, now=now, outage=outage):
        return None
    if first_retry_at is not None:  # GitHub named the time (a rate limit's reset)
        later = last_retry_due(
            settings, attempts=attempts + 1, created_at=created_at, now=first_retry_at,
            outage=outage,
        )  # fmt: skip
        return first_retry_at if later is None else max(first_retry_at, later)
    budget_end = created_at + settings.outage_retry_s
    if not (outage and now < budget_end):  # attempts left only: one retry per attempt
        return now + _tail(settings, attempts)
    # An outage inside the budget is retried until a failure lands after `budget_end`, at
    # whatever attempt the jitter reached by then (at the most with the shortest delays,
    # half a ceiling each); then the attempts still left run out. Take the worst case.
    latest, due = budget_end, now
    for _ in range(_MAX_STEPS):
        if due >= budget_end:
            break
        latest = max(latest, budget_end + _tail(settings, attempts))
        if attempts >= settings.max_attempts and delay_ceiling(settings, attempts) >= (
            settings.retry_max_s
        ):
            break  # the ceiling cannot grow any more
        due += delay_ceiling(settings, attempts) / 2
        attempts += 1
    return latest


def _tail(settings: Settings, attempts: int) -> float:
    """The longest wait from a failure at attempt ``attempts`` to the last retry it leads to
    when no outage budget is left: one retry while attempts are left, at least the next one."""
    last = max(attempts, settings.max_attempts - 1)
    return sum(delay_ceiling(settings, k) for k in range(attempts, last + 1))
