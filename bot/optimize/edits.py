"""Text edit primitives: insert keys/items following the local style, replace spans, apply, diff.

Every edit is a span of the *original* text and its replacement. Edits never re-serialise
anything: a key inserted into a mapping is written at that mapping's key column, nested lines
use the indentation step measured around it, sequences follow the file's list style, and line
breaks follow the file (CRLF stays CRLF, a missing final newline stays missing).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .model import Doc, Node, Scalar, YamlMapping, YamlSequence, deref, own_pair


@dataclass
class Edit:
    start: int
    end: int
    text: str
    owner: int = -1  # index of the finding this edit implements
    seq: int = 0  # tie-breaker: insertion order for edits at the same offset
    depth: int = 0  # column of inserted lines: deeper blocks go first at the same offset


# ------------------------------------------------------------------ local style
def indent_unit(doc: Doc, mapping: YamlMapping, parent_col: int | None = None) -> int:
    """Indentation step used around ``mapping``: its children, else its own offset, else 2."""
    col = mapping.pairs[0][0].sc if mapping.pairs else 0
    for _, child in mapping.pairs:
        v = deref(child)
        if isinstance(v, YamlMapping) and not v.flow and v.pairs and v.pairs[0][0].sc > col:
            return v.pairs[0][0].sc - col
    if parent_col is not None and col > parent_col:
        return col - parent_col
    return doc_unit(doc)


def doc_unit(doc: Doc) -> int:
    """The file's indentation step, from the first nested block mapping (default 2)."""
    root = doc.root
    if isinstance(root, YamlMapping):
        for _, v in root.pairs:
            if isinstance(v, YamlMapping) and not v.flow and v.pairs and v.pairs[0][0].sc > 0:
                return v.pairs[0][0].sc
    return 2


def seq_flush(doc: Doc) -> bool:
    """True when the file writes list items at their key's column (``steps:\\n- run: …``)."""

    def walk(node: Node | None) -> bool | None:
        if isinstance(node, YamlMapping) and not node.flow:
            for k, v in node.pairs:
                if isinstance(v, YamlSequence) and not v.flow and v.items:
                    return v.sc == k.sc
                found = walk(v)
                if found is not None:
                    return found
        return None

    return bool(walk(doc.root))


def emit(value: dict[str, Any] | list[Any], col: int, unit: int, flush: bool) -> list[str]:
    """Block YAML lines for a small structure of pre-rendered scalar strings."""
    pad = " " * col
    out: list[str] = []
    if isinstance(value, dict):
        for key, val in value.items():
            if isinstance(val, dict):
                out.append(f"{pad}{key}:")
                out += emit(val, col + unit, unit, flush)
            elif isinstance(val, list):
                out.append(f"{pad}{key}:")
                out += emit(val, col if flush else col + unit, unit, flush)
            elif val is None:
                out.append(f"{pad}{key}:")
            else:
                out.append(f"{pad}{key}: {val}")
    else:
        for item in value:
            if isinstance(item, dict):
                lines = emit(item, col + 2, unit, flush)
                lines[0] = f"{pad}- {lines[0][col + 2 :]}"
                out += lines
            else:
                out.append(f"{pad}- {item}")
    return out


# ------------------------------------------------------------------ building edits
def insert_lines(doc: Doc, line: int, lines: list[str]) -> Edit:
    """Insert whole lines before 0-based ``line`` (``line`` may be one past the last)."""
    nl = doc.nl
    depth = min((len(s) - len(s.lstrip(" ")) for s in lines if s.strip()), default=0)
    if line >= doc.nlines:
        end = len(doc.text)
        if doc.text and not doc.text.endswith("\n"):
            return Edit(end, end, nl + nl.join(lines), depth=depth)
        return Edit(end, end, "".join(s + nl for s in lines), depth=depth)
    offset = doc.line_starts[line]
    return Edit(offset, offset, "".join(s + nl for s in lines), depth=depth)


def insert_in_mapping(
    doc: Doc,
    mapping: Node | None,
    value: dict[str, Any],
    *,
    after: tuple[str, ...] = (),
    before: tuple[str, ...] = (),
    parent_col: int | None = None,
    blank_line: bool = False,
) -> Edit | None:
    """Insert ``value``'s keys into a block mapping, after/before a named key or at its end.

    Returns None when the mapping cannot be edited safely (flow style, alias, anchor in use).
    """
    if not isinstance(mapping, YamlMapping) or not doc.editable_node(mapping) or not mapping.pairs:
        return None
    col = mapping.pairs[0][0].sc
    lines = emit(value, col, indent_unit(doc, mapping, parent_col), seq_flush(doc))
    for key in after:
        pair = own_pair(mapping, key)
        if pair:
            end = max(doc.last_line(pair[0]), doc.last_line(pair[1]))
            return insert_lines(doc, end + 1, lines)
    for key in before:
        pair = own_pair(mapping, key)
        if (
            pair
            and pair[0] is not mapping.pairs[0][0]
            and not doc.line_text(pair[0].sl)[:col].strip()
        ):
            line = pair[0].sl
            while line > 0 and doc.line_text(line - 1).strip().startswith("#"):
                if len(doc.line_text(line - 1)) - len(doc.line_text(line - 1).lstrip()) != col:
                    break
                line -= 1
            if blank_line and line > 0 and not doc.line_text(line - 1).strip():
                lines = [*lines, ""]
            return insert_lines(doc, line, lines)
    last_k, last_v = mapping.pairs[-1]
    return insert_lines(doc, max(doc.last_line(last_k), doc.last_line(last_v)) + 1, lines)


def append_to_sequence(doc: Doc, seq: Node | None, items: list[Any]) -> Edit | None:
    """Append items to a block sequence (same dash column) or a one-line flow sequence."""
    if (
        not isinstance(seq, YamlSequence)
        or id(seq) in doc.tainted
        or not doc.editable
        or not seq.items
    ):
        return None
    if seq.flow:
        if seq.sl != seq.el or not all(isinstance(i, str) for i in items):
            return None
        end = doc.offset(seq.el, seq.ec) - 1  # the closing bracket
        if doc.text[end] != "]":
            return None
        return Edit(end, end, "".join(", " + i for i in items))
    first = seq.items[0]
    dash_col = seq.sc
    if not isinstance(first, (YamlMapping, YamlSequence, Scalar)):
        return None
    lines = emit(items, dash_col, doc_unit(doc), seq_flush(doc))
    return insert_lines(doc, doc.last_line(seq.items[-1]) + 1, lines)


def replace_scalar(doc: Doc, node: Node | None, new_raw: str) -> Edit | None:
    """Replace a one-line plain/quoted scalar's written form."""
    if not isinstance(node, Scalar) or not doc.editable_node(node):
        return None
    if node.sl != node.el or node.style not in (None, "'", '"'):
        return None
    return Edit(doc.offset(node.sl, node.sc), doc.offset(node.el, node.ec), new_raw)


def replace_in_scalar(doc: Doc, node: Node | None, old: str, new: str) -> Edit | None:
    """Replace the first ``old`` inside a one-line plain/quoted scalar (no escapes involved)."""
    if not isinstance(node, Scalar) or not doc.editable_node(node) or node.sl != node.el:
        return None
    if node.style not in (None, "'", '"') or "\\" in old + new or "'" in old + new:
        return None
    start = doc.offset(node.sl, node.sc)
    pos = doc.raw(node).find(old)
    if pos < 0:
        return None
    return Edit(start + pos, start + pos + len(old), new)


# ------------------------------------------------------------------ applying
def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[Edit], list[Edit]]:
    """Apply non-overlapping edits; return (new text, applied, rejected-for-overlap)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end, -e.depth, e.seq))
    applied: list[Edit] = []
    rejected: list[Edit] = []
    last_end = -1
    for e in ordered:
        if e.start < last_end:
            rejected.append(e)
            continue
        applied.append(e)
        last_end = max(last_end, e.end)
    parts: list[str] = []
    pos = 0
    for e in applied:
        parts.append(text[pos : e.start])
        parts.append(e.text)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts), applied, rejected


def unified_diff(path: str, old: str, new: str) -> str:
    """A ``git diff``-style unified diff (``a/``/``b/`` prefixes, 3 lines of context)."""
    if old == new:
        return ""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{path}", f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
