"""(Y2) A paste that begins inside a compiler's diagnostic: its head was cut away.

A job log's excerpt (Jenkins' ``[...truncated 179 lines...]`` over a build's last lines, an
issue's quote of a log's end) may begin on the source line a C-family compiler quotes under
its ``file:L:C: error: …`` head, with the caret under it::

    [...truncated 179 lines...]
        class _LIBCPP_TYPE_VIS_ONLY basic_ifstream;
                                    ^
    1 error generated.
    make: *** [bin/cmdstan/print.o] Error 1

The head that said what went wrong is gone; the quoted source line is the nearest thing to
it the paste still holds (as a paste cut off at its end shows its last line,
``keylines.with_paste_end``), and it leads the key lines. gcc 9+ numbers the quoted line
(``  110 |   foo();`` over ``      |   ^~~``). The head, when it is there, is a located line
the scorer reads itself: a source line under it is no cut.
"""

from __future__ import annotations

import re

from .keylines import MAX_KEY_LINES, KeyLine, same_text
from .listhead import shape
from .logline import Step, clean_line

PASTE_START = "paste-start"
HEAD_LINES = 6  # the paste's first lines looked at
# a cut's mark before the first kept line: Jenkins' ``[...truncated 179 lines...]``, a bare
# ellipsis, ``[...]``
_CUT_MARK = re.compile(r"^\s*(?:\[\.\.\.truncated\b[^\]]*\]|\.{3,}|…|\[(?:\.\.\.|…)\])\s*$")
# the caret line under a quoted source line (clang's ``    ^~~~``, gcc's ``   |   ^~~``)
_CARET = re.compile(r"^\s*(?:\|\s*)?~*\^~*\s*$")
# a diagnostic's own head or note (``x.cc:3:5: error: …``, ``In file included from …``)
_HEAD = re.compile(r":\d+(?::\d+)?: |^\s*In file included from ")


def with_paste_start(keys: list[KeyLine], head: bytes, step: Step | None) -> list[KeyLine]:
    """``head``: the log's first bytes as the reader saw them. When the log begins (after a
    cut's mark) with a quoted source line and its caret, that line leads the key lines;
    only in the log's first step (a paste's only one)."""
    if step is None or step.number != 1 or len(keys) >= MAX_KEY_LINES or not head:
        return keys
    lines = head.split(b"\n")[:HEAD_LINES]
    for i, raw in enumerate(lines[:-1]):
        text = clean_line(raw)
        if not text.strip() or _CUT_MARK.match(text):
            continue
        if _CARET.match(text) or _HEAD.search(text) or not _CARET.match(clean_line(lines[i + 1])):
            return keys
        number = i + 1
        if any(k.line == number or same_text(k.text) == same_text(text) for k in keys):
            return keys
        return [
            KeyLine(number, text, step.number, number - step.start_line + 1, PASTE_START),
            *keys,
        ]
    return keys


def with_list_start(keys: list[KeyLine], head: bytes, step: Step | None) -> list[KeyLine]:
    """(g36) A paste that begins with a list of findings (``Category 'build/header_guard'
    errors found: 32`` over more of them): the reader takes its first line for the step's
    start, never its output, so the list's head (``listhead``) begins on the second line.
    The first line, in the same shape, is the list's first item and leads the key lines."""
    if step is None or step.number != 1 or not keys or len(keys) >= MAX_KEY_LINES or not head:
        return keys
    second = step.start_line + 1
    if step.start_line != 1 or min(k.line for k in keys) != second:
        return keys
    items = [k for k in keys if k.rule is None]
    if not items or items[0].line != second or shape(items[0].text) is None:
        return keys
    if any(shape(k.text) != shape(items[0].text) for k in items):
        return keys
    first = clean_line(head.split(b"\n", 1)[0])
    if shape(first) != shape(items[0].text) or any(k.line == 1 for k in keys):
        return keys
    return [KeyLine(1, first, step.number, 1, None), *keys]
