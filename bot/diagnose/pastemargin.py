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
"""

from __future__ import annotations

import re

_ELAPSED = re.compile(rb"^(\d+\.\d{1,3})(?: |\r?$)")
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
# is the view's margin (possibly cut where the paste ends: ``[4947](http``). The same link
# spliced into a line where its digits were (``waiting 1[2](…#step:7:2)0000ms``) stays:
# people quote the line as they see it.
_VIEWER_MARGIN = re.compile(rb"(?m)^\[\d+\]\(h[^\s)]*\)?[ \t]*(\r?)$")


def viewer_links(region: bytes) -> bytes:
    """Lines copied from the Actions log view without its line-number margin: a margin
    line becomes blank (the line numbers of the rest stay)."""
    if b"#step:" not in region:
        return region
    return _VIEWER_MARGIN.sub(rb"\1", region)
