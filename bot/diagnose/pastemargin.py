"""Margins a paste of CI output carries that are not the tool's output (see
``logreader.excerpt_margin``, which decides once, on the log's first block).

* BuildKit's error summary re-prints the failed step's last lines with the step's elapsed
  time only (``85.28 error[E0308]: …``; the progress view's ``#12 85.28 `` loses its
  ``#12``): a paste of that summary has the time on every line, never decreasing.
* A copy from GitHub's log view may keep each line's number as a line of its own, a link
  (``viewer_links``).
* A line copied from a web log viewer (AppVeyor, Azure Pipelines, GitHub's log view) keeps
  the viewer's line number glued to it (``34397% tests passed`` is line 343): every line
  of the paste starts with its own number, one more than the line before.
* A Jenkins console copied with Timestamper's clock column keeps the gap the page put
  after the clock on every line (``21:51:15  Started by user …``; ``clock_margin``).
"""

from __future__ import annotations

import re

_ELAPSED = re.compile(rb"^(\d+\.\d{1,3})(?: |\r?$)")
# a Jenkins console's clock (Timestamper's time of day, or its ISO time in brackets), then
# the gap before the line's text (or the end of a blank line)
_CLOCK_GAP = re.compile(
    rb"^(?:\d\d:\d\d:\d\d|\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\])( +|(?=\r?$))"
)
_DIGITS = re.compile(rb"^\d{1,6}")
MIN_LINES = 3


def elapsed_margin(sample: list[bytes]) -> bool:
    """Every (non-blank) sampled line starts with an elapsed time, in order."""
    last = -1.0
    for line in sample:
        m = _ELAPSED.match(line)
        if m is None or float(m.group(1)) < last:
            return False
        last = float(m.group(1))
    return len(sample) >= MIN_LINES


def clock_margin(sample: list[bytes]) -> int:
    """The width of the gap after a Jenkins console's clock when the sampled lines start
    with one (Timestamper's ``21:51:15  Started by user …``: the time, then as many spaces
    as the page put between the two columns, the same on every line; a tool's own indent
    goes on after it). A few lines without a clock (the reporter's ``...``, a line the
    page wrapped) keep their text; 0 when most lines have none or the gap is one space
    (the stamp ``logline`` drops anyway)."""
    gap = clocked = 0
    for line in sample:
        m = _CLOCK_GAP.match(line)
        if m is None:
            continue
        clocked += 1
        if m.end() < len(line.rstrip(b"\r")):  # a line with text after the gap
            width = len(m.group(1))
            gap = width if not gap else min(gap, width)
    if clocked < MIN_LINES or clocked * 3 < len(sample) * 2:
        return 0
    return gap if gap > 1 else 0


def viewer_numbers(region: bytes, sample_size: int = 40) -> int | None:
    """The viewer's number of the paste's first line when every sampled line (after the
    leading blank ones) starts with its own consecutive number; else None."""
    lines = region.split(b"\n")[:sample_size]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    first = _DIGITS.match(lines[0]) if len(lines) >= MIN_LINES else None
    if first is None:
        return None
    digits = first.group(0)
    for width in range(1, len(digits) + 1):
        start = int(digits[:width])
        if start and all(ln.startswith(b"%d" % (start + i)) for i, ln in enumerate(lines)):
            # the lines' own text rarely goes on with a digit (``10 tests``, ``20 tests``
            # are a tool's counts, not lines 1 and 2 saying ``0 tests``)
            rest = [ln[len(b"%d" % (start + i)) :] for i, ln in enumerate(lines)]
            if sum(r[:1].isdigit() for r in rest) * 2 < len(rest):
                return start
    return None


def strip_viewer_numbers(region: bytes, number: int) -> tuple[bytes, int]:
    """Drop the glued number ``number``, ``number + 1``, … from the lines that carry it (a
    blank line before the paste carries none); the next number to expect."""
    out = []
    for line in region.split(b"\n"):
        tag = b"%d" % number
        if line.startswith(tag):
            line = line[len(tag) :]
            number += 1
        out.append(line)
    return b"\n".join(out), number


# The Actions log view's line-number anchors as a copy from the web page keeps them (a
# paste in an issue): a line that is only ``[4940](https://github.com/o/r/runs/1…#step:8:4940)``
# is the view's margin (possibly cut where the paste ends: ``[4947](http``).
_VIEWER_MARGIN = re.compile(rb"(?m)^\[\d+\]\(h[^\s)]*\)?[ \t]*(\r?)$")
# The same link spliced into a line where its digits were (``TS2[3](…#step:7:3)06:``,
# ``waiting 1[2](…#step:7:2)0000ms``): the digits stay and the link goes, so that the
# line reads, and rules match it, as the tool printed it.
_VIEWER_SPLICE = re.compile(rb"\[(\d+)\]\(https?://[^\s)]*#step:\d+:\d+\)")


def viewer_links(region: bytes) -> bytes:
    """Lines copied from the Actions log view without its line-number links: a margin
    line becomes blank (the line numbers of the rest stay), a link spliced into a line
    becomes its digits again."""
    if b"#step:" not in region:
        return region
    return _VIEWER_SPLICE.sub(rb"\1", _VIEWER_MARGIN.sub(rb"\1", region))
