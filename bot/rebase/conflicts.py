"""Conflict model, and conflicting line ranges read from the markers git itself wrote.

``git merge-tree --write-tree`` (and ``git merge``/``git rebase`` in a work tree) write every
conflicted text file with git's conflict markers::

    <<<<<<< <label of side 1>
    side 1's lines
    =======
    side 2's lines
    >>>>>>> <label of side 2>

Reading those regions gives exactly the line numbers a user sees after ``git merge``: no
re-diffing in Python (a quadratic ``difflib`` pass over a lockfile took longer than git's whole
merge), no second opinion that could disagree with git's xdiff. The scan is linear and runs at C
speed: ``bytes.find`` jumps from marker to marker and ``bytes.count`` numbers the lines in
between, so a multi-megabyte lockfile costs milliseconds.

Markers are recognised by their labels. :mod:`bot.rebase.check` passes full commit ids to
``merge-tree``, so a line of content that merely looks like a marker (a file documenting
conflict markers, a test fixture) is never mistaken for one: it would have to name a commit
id that did not exist when the content was written. The separator ``=======`` carries no
label; when a region holds more than one candidate, the region is reported as ambiguous and
the caller asks git for longer markers (``conflict-marker-size``), which moves no line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Range = tuple[int, int]
"""1-based inclusive ``(start, end)``; ``end == start - 1`` means "no lines, before line start"."""

MARKER_SIZE = 7
"""git's default conflict marker length."""


@dataclass
class Conflict:
    """One conflicting path, with the line ranges of each side's section in git's marker file."""

    path: str
    kind: str = "content"
    base_lines: list[Range] = field(default_factory=list)
    head_lines: list[Range] = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "kind": self.kind,
            "base_lines": [list(r) for r in self.base_lines],
            "head_lines": [list(r) for r in self.head_lines],
            "message": self.message,
        }


@dataclass
class MarkerRegions:
    """The conflict regions of one marker file, in file order.

    ``first``/``second`` are the line ranges of the section before and after ``=======``
    (git's "ours" and "theirs"); ``ambiguous`` is set when some region had several lines that
    could be its separator, so its split could not be told from the text alone.
    """

    first: list[Range] = field(default_factory=list)
    second: list[Range] = field(default_factory=list)
    ambiguous: bool = False


def is_binary(data: bytes) -> bool:
    """git's heuristic: a NUL byte in the first 8000 bytes."""
    return b"\0" in data[:8000]


def _line_end(text: bytes, pos: int) -> int:
    """Index just past the line that contains ``pos`` (past its ``\\n``, or the end)."""
    nl = text.find(b"\n", pos)
    return len(text) if nl < 0 else nl + 1


def _label_ok(text: bytes, pos: int, label: bytes | None, size: int) -> bool:
    """Is the marker at ``pos`` (its ``<<<``/``>>>`` run already matched) followed by ``label``?

    git writes ``<marker> <label>`` or, for a renamed path, ``<marker> <label>:<path>``;
    with ``label=None`` any label (or none) is accepted — for work-tree files whose labels
    (``HEAD``, ``abc123 (subject)``) the caller does not know.
    """
    after = pos + size
    if label is None:
        return after >= len(text) or text[after : after + 1] in (b" ", b"\n", b"\r")
    if text[after : after + 1 + len(label)] != b" " + label:
        return False
    end = after + 1 + len(label)
    return end >= len(text) or text[end : end + 1] in (b"\n", b"\r", b":")


def _find_marker(text: bytes, char: bytes, label: bytes | None, start: int, size: int) -> int:
    """Start of the first marker line of ``char`` at or after ``start``, or -1."""
    token = b"\n" + char * size
    pos = start - 1
    while True:
        if pos < 0:  # a marker on the very first line has no preceding newline
            if text.startswith(char * size) and _label_ok(text, 0, label, size):
                return 0
            pos = 0
        pos = text.find(token, pos)
        if pos < 0:
            return -1
        if _label_ok(text, pos + 1, label, size):
            return pos + 1
        pos += 1


def _separators(text: bytes, start: int, stop: int, size: int) -> list[int]:
    """Starts of the lines in ``text[start:stop]`` that are exactly ``=======`` (LF or CRLF)."""
    token = b"\n" + b"=" * size
    found = []
    pos = text.find(token, start - 1, stop)
    while pos >= 0:
        after = pos + 1 + size
        if text[after : after + 1] == b"\n" or text[after : after + 2] == b"\r\n":
            found.append(pos + 1)
        pos = text.find(token, pos + 1, stop)
    return found


def marker_regions(
    text: bytes,
    first_label: bytes | None = None,
    second_label: bytes | None = None,
    *,
    marker_size: int = MARKER_SIZE,
) -> MarkerRegions:
    """Line ranges of every conflict region git wrote into ``text``, in one linear scan.

    Lines are counted as git counts them: separated by ``\\n`` (a CRLF line is one line, a lone
    ``\\r`` is not a line break), the last line counts even without a final newline.
    """
    out = MarkerRegions()
    line, counted = 1, 0  # line number of offset ``counted``
    pos = 0
    while True:
        opening = _find_marker(text, b"<", first_label, pos, marker_size)
        if opening < 0:
            return out
        body = _line_end(text, opening)
        closing = _find_marker(text, b">", second_label, body, marker_size)
        if closing < 0:
            return out
        seps = _separators(text, body, closing, marker_size)
        if len(seps) != 1:
            out.ambiguous = out.ambiguous or len(seps) > 1
            pos = _line_end(text, closing)
            continue
        line += text.count(b"\n", counted, opening)
        open_line = line
        sep_line = open_line + text.count(b"\n", opening, seps[0])
        close_line = sep_line + text.count(b"\n", seps[0], closing)
        out.first.append((open_line + 1, sep_line - 1))
        out.second.append((sep_line + 1, close_line - 1))
        line, counted = close_line, closing
        pos = _line_end(text, closing)


def format_range(r: Range) -> str:
    """``L3``, ``L3-7`` or ``before L3`` (an empty range)."""
    start, end = r
    if end < start:
        return f"before L{start}" if start > 1 else "at start"
    return f"L{start}" if start == end else f"L{start}-{end}"
