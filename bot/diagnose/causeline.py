"""The line whose words named the category, among the key lines (g36b).

Why: with no rule and no failing test, the no-rule fallback reads the category from a
cause's own words on one of the generic scorer's best lines (:func:`causes.cause_category`:
node-which's ``not found: electron-builder`` under npx's ``Error: Command failed: npx
--no-install electron-builder``, a full disk, a connection refused). A cause line that only
its cause words made an error line scores below the key lines' threshold, so the reader was
told "a program is missing" and shown only the wrapper that reported the failure. The
line that says why is shown too, in log order, in a free place (else in place of the last
of the generic scorer's lines, which said less).
"""

from __future__ import annotations

from .causes import cause_lines
from .evidence import StepEvidence
from .extractors import Failure
from .keylines import MAX_KEY_LINES, KeyLine, same_text
from .logreader import Step
from .rules import Rule

# the key lines that said nothing of their own: the generic scorer's and the step's tail
_GENERIC = ("generic", None)


def cause_line(ev: StepEvidence, category: str) -> tuple[int, str] | None:
    """The first of the best lines whose cause words name ``category``, as the fallback
    reads them (the first cause found names the category), or None."""
    first = cause_lines(ev.generic)[:1]
    return (first[0][0], first[0][1]) if first and first[0][2] == category else None


def with_cause_line(
    keys: list[KeyLine],
    ev: StepEvidence | None,
    step: Step | None,
    category: str,
    top: Rule | None,
    failures: list[Failure],
) -> list[KeyLine]:
    """``keys`` with the line whose cause words named ``category`` when no rule and no
    failing test said it (the fallback's guess), and it is not shown yet."""
    if ev is None or step is None or top is not None or failures:
        return keys
    found = cause_line(ev, category)
    if found is None:
        return keys
    number, text = found
    if any(k.line == number or same_text(k.text) == same_text(text) for k in keys):
        return keys
    key = KeyLine(number, text, step.number, number - step.start_line + 1, "generic")
    if len(keys) >= MAX_KEY_LINES:
        last = max((i for i, k in enumerate(keys) if k.rule in _GENERIC), default=None)
        if last is None:
            return keys
        keys = keys[:last] + keys[last + 1 :]
    at = next((i for i, k in enumerate(keys) if k.line > number), len(keys))
    return [*keys[:at], key, *keys[at:]]
