"""A tool's own failure message, recognised from the knowledge files
(:mod:`bot.diagnose.knowledge`) among the generic scorer's best lines.

Why: a line that holds a known tool's message format (``was not found in any of the
following sources``, ``these packages do not match the hashes from the requirements
file``) is the line a maintainer reads first, even where no rule knows the tool and the
scorer ranked a wrapper's ``exit code 1`` above it; and when nothing else named the
category, the entry that knows the message does (a tool's author's knowledge, not a guess
from words, so it comes before the guess). Only the best lines are read: a message quoted in
the middle of a long log (a retried download, a passing test's expected output) is not the
failure.
"""

from __future__ import annotations

from .causes import distinct_best
from .evidence import StepEvidence
from .keylines import MAX_KEY_LINES, KeyLine, same_text
from .knowledge import ToolKnowledge, known_entry
from .logreader import Step

KNOWN = "knowledge"  # the ``rule`` of a key line a knowledge file's message picked


def known_lines(ev: StepEvidence) -> list[tuple[int, str, ToolKnowledge]]:
    """``(number, text, entry)`` of each best line that holds a known message, best first."""
    found = []
    for number, text in distinct_best(ev.generic, ev.generic.size):
        if number < ev.retried_at:
            continue  # an attempt a retry wrapper ran again: superseded
        known = known_entry(text)
        if known is not None:
            found.append((number, text, known[1]))
    return found


def known_category(known: list[tuple[int, str, ToolKnowledge]]) -> str | None:
    """The category of the known messages (:func:`known_lines`) when they all name one, else
    None (two tools' messages that disagree say nothing)."""
    categories = {entry.category for _, _, entry in known}
    return categories.pop() if len(categories) == 1 else None


def with_known_lines(
    keys: list[KeyLine], known: list[tuple[int, str, ToolKnowledge]], step: Step | None
) -> list[KeyLine]:
    """``keys`` with each known message (:func:`known_lines`) not shown yet, in log order,
    while there is room: it takes no other line's place (a tool's message on a best line
    is often a consequence the shown lines already explain)."""
    if step is None:
        return keys
    for number, text, _entry in known:
        if any(k.line == number or same_text(k.text) == same_text(text) for k in keys):
            continue
        if len(keys) >= MAX_KEY_LINES:
            return keys
        key = KeyLine(number, text, step.number, number - step.start_line + 1, KNOWN)
        # after the failing tests' own messages, which lead
        lead = next((i for i, k in enumerate(keys) if k.rule != "failure"), len(keys))
        at = next((i for i, k in enumerate(keys) if i >= lead and k.line > number), len(keys))
        keys = [*keys[:at], key, *keys[at:]]
    return keys
