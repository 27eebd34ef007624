"""A position-keeping YAML tree and a workflow model over it.

We build our own small node tree from the parser's *events* (libyaml when available) instead of
using ``yaml.compose``: an alias then stays a node of its own, with the position where it is
written, so the editor can tell "this job is an alias" from "this job is a mapping", and no
edit is ever made through an alias (it would change every user of the anchor). Nothing is ever
constructed, so ``on`` stays the string ``"on"`` and ``3.10`` stays ``"3.10"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


class YamlError(Exception):
    """The text is not valid YAML; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(eq=False)
class Node:
    """Common part: 0-based start/end line and column, as the parser reported them."""

    sl: int
    sc: int
    el: int
    ec: int
    anchor: str | None = None
    tag: str | None = None


@dataclass(eq=False)
class Scalar(Node):
    value: str = ""
    style: str | None = None  # None plain, "'", '"', "|", ">"

    @property
    def is_null(self) -> bool:
        return self.style is None and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(eq=False)
class YamlMapping(Node):
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    flow: bool = False


@dataclass(eq=False)
class YamlSequence(Node):
    items: list[Node] = field(default_factory=list)
    flow: bool = False


@dataclass(eq=False)
class Alias(Node):
    target: Node | None = None


def deref(node: Node | None) -> Node | None:
    """The node an alias stands for (or the node itself)."""
    while isinstance(node, Alias):
        node = node.target
    return node


def _compose(text: str) -> tuple[Node | None, set[int]]:
    """Build the tree; return (root, ids of aliased subtrees)."""
    anchors: dict[str, Node] = {}
    aliased: set[int] = set()
    stack: list[Node] = []
    pending_key: list[Node | None] = []
    root: Node | None = None
    docs = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, YamlSequence):
            parent.items.append(node)
        elif isinstance(parent, YamlMapping):
            if pending_key[-1] is None:
                pending_key[-1] = node
            else:
                parent.pairs.append((pending_key[-1], node))
                pending_key[-1] = None

    try:
        for event in yaml.parse(text, Loader=_Loader):
            ev: Any = event  # libyaml and PyYAML events: attributes differ by kind
            kind = type(ev).__name__
            sm: Any = ev.start_mark
            em: Any = ev.end_mark
            if kind == "ScalarEvent":
                node: Node = Scalar(
                    sm.line,
                    sm.column,
                    em.line,
                    em.column,
                    ev.anchor,
                    ev.tag,
                    ev.value,
                    ev.style or None,
                )
                if ev.anchor:
                    anchors[ev.anchor] = node
                attach(node)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                cls = YamlMapping if kind == "MappingStartEvent" else YamlSequence
                node = cls(sm.line, sm.column, em.line, em.column, ev.anchor, ev.tag)
                node.flow = bool(ev.flow_style)
                if ev.anchor:
                    anchors[ev.anchor] = node
                attach(node)
                stack.append(node)
                pending_key.append(None)
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                done = stack.pop()
                pending_key.pop()
                done.el, done.ec = em.line, em.column
            elif kind == "AliasEvent":
                target = anchors.get(ev.anchor)
                if target is None:
                    raise YamlError(f"found undefined alias {ev.anchor!r}", sm.line + 1)
                aliased.add(id(target))
                attach(Alias(sm.line, sm.column, em.line, em.column, None, None, target))
            elif kind == "DocumentStartEvent":
                docs += 1
                if docs > 1:
                    raise YamlError("expected a single YAML document", sm.line + 1)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(f"{exc.context + ', ' if exc.context else ''}{exc.problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), 1) from None
    return root, aliased


def _taint(node: Node | None, out: set[int]) -> None:
    """Mark a subtree (an anchor that some alias refers to) as not editable."""
    if node is None or id(node) in out:
        return
    out.add(id(node))
    if isinstance(node, YamlMapping):
        for k, v in node.pairs:
            _taint(k, out)
            _taint(v, out)
    elif isinstance(node, YamlSequence):
        for item in node.items:
            _taint(item, out)
    elif isinstance(node, Alias):
        _taint(node.target, out)


class Doc:
    """One YAML file: its text, line table, tree and what may not be edited."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        root, aliased = _compose(text)
        self.root = root
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.line_starts = [0]
        for m in re.finditer("\n", text):
            self.line_starts.append(m.end())
        self.nlines = len(self.line_starts) - (1 if text.endswith("\n") else 0)
        self.editable = not _ODD_BREAKS.search(text)
        self.tainted: set[int] = set()
        self._find_aliased(root, aliased)
        self.duplicates: list[tuple[int, str]] = []
        self._find_duplicates(root, set())
        #: why nothing in this file may be edited ('' when edits are fine)
        self.frozen = ""
        if self.duplicates:
            self.frozen = "the file has duplicate keys"
        elif not self.editable:
            self.frozen = "the file uses Unicode or lone-CR line breaks"
        self.editable = not self.frozen

    # ---------------------------------------------------------------- structure checks
    def _find_aliased(self, node: Node | None, aliased: set[int]) -> None:
        if node is None or isinstance(node, Alias):
            return
        if id(node) in aliased:
            _taint(node, self.tainted)
            return
        children: list[Node] = []
        if isinstance(node, YamlMapping):
            for k, v in node.pairs:
                children += [k, v]
        elif isinstance(node, YamlSequence):
            children = node.items
        for child in children:
            self._find_aliased(child, aliased)

    def _find_duplicates(self, node: Node | None, seen: set[int]) -> None:
        if node is None or isinstance(node, Alias) or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, YamlMapping):
            keys: set[str] = set()
            for k, v in node.pairs:
                if isinstance(k, Scalar) and k.value != "<<":
                    if k.value in keys:
                        self.duplicates.append((k.sl + 1, k.value))
                    keys.add(k.value)
                self._find_duplicates(v, seen)
        elif isinstance(node, YamlSequence):
            for item in node.items:
                self._find_duplicates(item, seen)

    # ---------------------------------------------------------------- positions
    def offset(self, line: int, col: int) -> int:
        return self.line_starts[line] + col if line < len(self.line_starts) else len(self.text)

    def line_text(self, line: int) -> str:
        """Line content without its line break."""
        if line >= len(self.line_starts):
            return ""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def last_line(self, node: Node) -> int:
        """Last line holding content of ``node`` (block ends overshoot into later lines)."""
        if isinstance(node, YamlMapping) and not node.flow and node.pairs:
            return max(self.last_line(node.pairs[-1][0]), self.last_line(node.pairs[-1][1]))
        if isinstance(node, YamlSequence) and not node.flow and node.items:
            return self.last_line(node.items[-1])
        if isinstance(node, Scalar) and node.style in ("|", ">"):
            line = node.el - 1 if node.ec == 0 else node.el
            while line > node.sl and not self.line_text(line).strip():
                line -= 1
            return line
        if isinstance(node, Scalar) and node.is_null:
            return node.sl
        return node.el if node.ec > 0 or node.el == node.sl else node.el - 1

    def editable_node(self, node: Node | None) -> bool:
        """Can text inside ``node`` be changed without changing something else too?"""
        return (
            self.editable
            and node is not None
            and not isinstance(node, Alias)
            and id(node) not in self.tainted
            and not getattr(node, "flow", False)
        )

    def raw(self, node: Node) -> str:
        return self.text[self.offset(node.sl, node.sc) : self.offset(node.el, node.ec)]


# -------------------------------------------------------------------- mapping helpers
def pairs(node: Node | None) -> list[tuple[Node, Node]]:
    """Effective key/value pairs of a mapping: merge keys (``<<``) expanded, own keys first."""
    node = deref(node)
    if not isinstance(node, YamlMapping):
        return []
    own = [(k, v) for k, v in node.pairs if not (isinstance(k, Scalar) and k.value == "<<")]
    merged: list[tuple[Node, Node]] = []
    for k, v in node.pairs:
        if isinstance(k, Scalar) and k.value == "<<" and k.style is None:
            sources = deref(v)
            srcs = sources.items if isinstance(sources, YamlSequence) else [v]
            for src in srcs:
                merged.extend(pairs(src))
    names = {k.value for k, _ in own if isinstance(k, Scalar)}
    return own + [(k, v) for k, v in merged if not (isinstance(k, Scalar) and k.value in names)]


def get(node: Node | None, key: str) -> Node | None:
    """Value node for ``key`` (following aliases and merge keys), or None."""
    for k, v in pairs(node):
        if isinstance(k, Scalar) and k.value == key:
            return v
    return None


def has(node: Node | None, key: str) -> bool:
    return any(isinstance(k, Scalar) and k.value == key for k, _ in pairs(node))


def own_pair(node: Node | None, key: str) -> tuple[Node, Node] | None:
    """The pair written in this mapping itself (not merged in)."""
    if isinstance(node, YamlMapping):
        for k, v in node.pairs:
            if isinstance(k, Scalar) and k.value == key:
                return k, v
    return None


def text(node: Node | None) -> str | None:
    node = deref(node)
    return node.value if isinstance(node, Scalar) else None


def plain(node: Node | None) -> Any:
    """A plain Python view (strings only, no YAML 1.1 typing) for reading values."""
    node = deref(node)
    if isinstance(node, Scalar):
        return None if node.is_null else node.value
    if isinstance(node, YamlSequence):
        return [plain(i) for i in node.items]
    if isinstance(node, YamlMapping):
        return {text(k): plain(v) for k, v in pairs(node)}
    return None


# -------------------------------------------------------------------- workflow model
@dataclass
class Step:
    node: Node
    index: int
    uses: str | None
    run: str | None

    @property
    def action(self) -> str:
        """``owner/repo[/path]`` without the ref, lower-cased; '' for run steps."""
        if not self.uses or "@" not in self.uses:
            return (self.uses or "").lower()
        return self.uses.split("@", 1)[0].lower()

    @property
    def ref(self) -> str:
        return self.uses.split("@", 1)[1] if self.uses and "@" in self.uses else ""


@dataclass
class WorkflowJob:
    id: str
    key: Node
    node: Node
    steps: list[Step]

    @property
    def uses(self) -> str | None:
        return text(get(self.node, "uses"))

    @property
    def name(self) -> str | None:
        return text(get(self.node, "name"))


def _steps(seq: Node | None) -> list[Step]:
    seq = deref(seq)
    if not isinstance(seq, YamlSequence):
        return []
    out = []
    for i, item in enumerate(seq.items):
        out.append(Step(item, i, text(get(item, "uses")), text(get(item, "run"))))
    return out


class Workflow:
    """A workflow file or a composite action, read through :class:`Doc`."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.path = doc.path
        root = deref(doc.root)
        self.root = root if isinstance(root, YamlMapping) else None
        runs = get(self.root, "runs")
        self.kind = "action" if runs is not None else "workflow"
        self.on_key: Node | None = None
        self.on: Node | None = None
        for k, v in self.root.pairs if self.root else []:
            if isinstance(k, Scalar) and k.value == "on":
                self.on_key, self.on = k, v
        self.jobs: list[WorkflowJob] = []
        if self.kind == "action" and runs is not None:
            self.jobs.append(WorkflowJob("(action)", runs, runs, _steps(get(runs, "steps"))))
        else:
            for k, v in pairs(get(self.root, "jobs")):
                self.jobs.append(WorkflowJob(text(k) or "", k, v, _steps(get(v, "steps"))))

    @property
    def name(self) -> str:
        return text(get(self.root, "name")) or ""

    def triggers(self) -> dict[str, Any]:
        """Event name → filter config (None when written without filters)."""
        on = deref(self.on)
        if isinstance(on, Scalar):
            return {on.value: None} if not on.is_null else {}
        if isinstance(on, YamlSequence):
            return {text(i) or "": None for i in on.items}
        if isinstance(on, YamlMapping):
            return {text(k) or "": plain(v) for k, v in pairs(on)}
        return {}

    def all_steps(self) -> list[tuple[WorkflowJob, Step]]:
        return [(job, step) for job in self.jobs for step in job.steps]
