"""The recipe's own last words above GNU make's ``*** [target] Error N`` line (s40i).

Why: make's error line (``job.c``, ``child_error``: ``make: *** [Makefile:12: lint] Error 1``;
before make 4.2 ``make: *** [lint] Error 1`` under ``Makefile:12: recipe for target 'lint'
failed``) says only that a recipe exited non-zero. When no rule knows what the recipe
printed (a project's script: ``src/foo.c is missing the license header``, ``Test unicode
failed``), make's line was the only key line and the reader was shown the wrapper, not the
message. The recipe's last output line above make's own lines is what a maintainer reads
first: it leads the key lines. make's own lines between them (``make[1]: Leaving directory
…``, ``Waiting for unfinished jobs....``, the sub-makes' ``*** … Error 2``) and the
runner's lines are skipped; a line the shell echoed (``+ cmd``) says what ran, not why.
"""

from __future__ import annotations

import re

from .keylines import MAX_KEY_LINES, KeyLine, same_text
from .logline import Step
from .rules import Rule
from .scorer import echoed

MAKE_RULE = "make-recipe-failed"

# make's own lines (main.c, job.c, remake.c): its messages start with its program name
# (``make[2]: …``, ``gmake: …``, ``mingw32-make.exe: …``), or make < 4.2's recipe line
_MAKE_OWN = re.compile(
    r"^(?:g?make|mingw32-make)(?:\.exe)?(?:\[\d+\])?: "
    r"|^\S+:\d+: (?:recipe|commands) for target .* failed$"
)


def with_recipe_output(keys: list[KeyLine], step: Step | None, top: Rule | None) -> list[KeyLine]:
    """``keys`` with the recipe's last output line first, when make's error line leads
    them (no rule knew anything the recipe printed) and that line is not shown yet."""
    if step is None or top is None or top.id != MAKE_RULE or not keys:
        return keys
    if keys[0].rule != MAKE_RULE:
        return keys
    first = keys[0].line
    above = [t for t in step.tail if t.number < first]
    for line in reversed(above):
        text = line.text.strip()
        if not text or text.startswith("##[") or _MAKE_OWN.match(text):
            continue
        shown = any(same_text(k.text) == same_text(line.text) for k in keys)
        if line.header or echoed(text) or shown:
            return keys
        key = KeyLine(line.number, line.text, line.step, line.step_line, "generic")
        return [key, *keys][:MAX_KEY_LINES]
    return keys
