"""What the terminal finally showed of an over-long line.

A progress display redraws one line with carriage returns (``Tests complete: 1 of
1549\\rTests complete: 2 of 1549\\r…``) and often ends it with the result that matters:
xUnit.net v1 writes a failed test's name after the last ``\\r``, a download bar its error.
The reader keeps a bounded slice of each line; for such a line the slice must be the last
redraw, not the first tens of kilobytes of progress, or the result is lost.
"""

from __future__ import annotations

import re

_WORDY = re.compile(r"[^\W_]{2}")  # two letters or digits in a row: some text


def line_slice(data: bytes, start: int, end: int, limit: int) -> bytes:
    """At most ``limit`` bytes of the line ``data[start:end]``: all of it when it fits;
    else what follows its last carriage return (a redrawn progress line), else its head."""
    if end - start <= limit:
        return data[start:end]
    stop = end
    while stop > start and data[stop - 1] == 0x0D:  # CR before the newline (CRLF, CRCRLF)
        stop -= 1
    cr = data.rfind(b"\r", start, stop)
    if cr < 0:
        return data[start : start + limit]
    return data[cr + 1 : min(stop, cr + 1 + limit)]


def last_redraw(text: str) -> str:
    """What a terminal finally showed of a decoded line holding carriage returns: the text
    after the last CR (a progress bar's last redraw), unless that is no redraw: a bare CR
    inside printed text (a repr'd ``'<html>\\r\\n'`` in an assertion leaves ``\\n'`` after the
    last one) shows the whole line, and so does a line ending in CR."""
    last = text.rsplit("\r", 1)[-1]
    if not last or (last.strip() and not _WORDY.search(last)):
        return text.replace("\r", "")
    return last
