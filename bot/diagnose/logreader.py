"""Streaming, memory-bounded reader for GitHub Actions job logs.

Why chunks and a prefilter: a job log can be a gigabyte and nearly all of it is noise.
The reader reads fixed-size binary blocks, runs the watched patterns combined into a few
regular expressions (RE2 when installed: DFAs, linear time; ``prefilter.py`` says why a few,
not one) over each block to find the few interesting lines, and does
Python work only for those lines. Memory is bounded by the block size plus the longest
line kept (``max_line`` characters; longer lines are truncated, and a line without a
newline is never buffered beyond ``MAX_PENDING`` bytes).

Step model (how GitHub renders a job log; used for ``#step:<n>:<line>`` deep links):

* step 1 is "Set up job": everything before the first step header;
* every top-level ``##[group]Run <name>`` (depth 0: not inside another group) starts the
  next step — GitHub writes that header for both ``run:`` and ``uses:`` steps, and the
  header group closes (``##[endgroup]``) before the step's output, so the step lasts until
  the next header;
* a top-level ``Post job cleanup.`` line starts a post step (one per action with a post
  hook) and ``Cleaning up orphan processes`` starts "Complete job";
* ``step_line`` is 1 on the step's first line (its header), matching the line numbers
  GitHub shows in the step's log view.

A tool printing ``::group::Run something`` at the top level would be taken for a step;
that is rare and only shifts the step number of the deep link.

Travis CI job logs have their own framing (``$ cmd`` … ``exited with N``): ``travis.py``.
The records the reader yields (``LogLine``, ``Step``) and line cleaning live in ``logline.py``.
"""

from __future__ import annotations

import bisect
import io
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any

from .logline import (
    Annotation,
    LogLine,
    Step,
    clean_line,
    package_prefix,
)
from .pastemargin import (
    clock_margin,
    elapsed_margin,
    strip_viewer_numbers,
    viewer_links,
    viewer_numbers,
)
from .prefilter import first_start_finder, prefilter_parts, prefilter_pattern
from .progress import line_slice
from .safe_regex import (
    FALLBACK_MAX_LINE,
    HAVE_RE2,
    MAX_LINE,
    compile_pattern,
    required_literal,
)
from .scorer import POWERSHELL_AT
from .travis import TravisFraming

CHUNK_SIZE = 1 << 20
MARGIN_SAMPLE = 40  # lines of the first block that decide a pasted excerpt's margin
MAX_PENDING = 1 << 20  # bytes of one unterminated line kept before truncating it
TAIL_LINES = 20
TAIL_BYTES = 64 << 10
HEAD_BYTES = 4 << 10  # the first bytes kept: a paste cut inside a diagnostic (pastestart)
# Candidate lines yielded per log before the reader watches only the Actions markers: a log
# made of nothing but matching lines (gigabytes of "error: x") costs bounded Python work.
MAX_CANDIDATES = 100_000
MAX_PREFIXES = 100_000  # package prefixes kept for key lines (a flood of prefixed lines)

_ANSI_BYTES = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Travis CI's macOS jobs print a stray ``nl`` before many lines of a command's output
# (``nl      AssertionError: …``, a bare ``nl``): dropped where blank or indented output
# follows, so a framework's own indentation survives, and where it is glued to a capitalised
# word or a marker (``nlFailing tests:``, ``nl** TEST FAILED **``, ``nltravis_fold:``). Not
# before a lower-case word (``nlohmann``).
_TRAVIS_NL = re.compile(rb"(?m)^nl(?=[ \t\r\n]|\*\* |travis_|[A-Z][a-z])")
# per-block tests for it and for ``Error: `` (RE2 finds a literal faster than ``in`` does)
_LINE_NL = compile_pattern(rb"\nnl")
_ERROR_WORD = compile_pattern(rb"Error: ")
# Maven on a GitHub Actions runner prints its levels as the runner's annotation words,
# ``Error:  Failed to execute goal …`` / ``Warning:  …`` (the level, then Maven's own space),
# and a pasted Actions log shows a tool's ``[ERROR]`` block line the same way (PHPStan's
# ``Error:  [ERROR] Found 112 errors``): read as the tool's ``[ERROR] ``/``[WARNING] `` so
# the rules and extractors written for Maven's plain output read it. Two spaces: the
# runner's own ``Error: Process completed …`` (below) and a tool's ``Error: message`` differ.
_ACTIONS_LEVEL = re.compile(
    rb"(?m)^((?:\xef\xbb\xbf)?(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?)?)"
    rb"(Error|Warning):  (?:\[(?:ERROR|WARNING)\] ?)?"
)
# The runner's exit line as GitHub's log view shows it (and a paste from it keeps it):
# ``Error: Process completed with exit code 1.`` for the raw ``##[error]Process …``.
_VIEWED_EXIT = re.compile(
    rb"(?m)^((?:\xef\xbb\xbf)?(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?)?)"
    rb"Error: (Process completed with exit code -?\d+\.?\r?)$"
)
# A Docker container action the runner builds before the job's steps run: the UI lists it as
# a step of its own (``Build owner/action@v3``), and the raw log opens its ``docker build``
# output (inside the group: no header to skip) with this group at the top level.
_BUILD_ACTION = "##[group]Build container for action use: "
_EXIT_RE = re.compile(r"^##\[error\]Process completed with exit code (-?\d+)\.?")
# a group's title in the Actions log viewer (see ``_group_margin``): no ``: `` in it
_GROUP_TITLE = re.compile(
    rb"^(?:(?:Run|run|Running|Installing|Preparing|Prepare|Restoring|Restore|Setting up|Set up)"
    rb" [^:]+|\.{3}|\xe2\x80\xa6)$"
)
_CMD_RE = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")
# Windows PowerShell's error view: the error's message on a line of its own (a native
# command's stderr as ``npm : keywords if/then/else require v5 option``, a cmdlet's as
# ``Get-Item : Cannot find path …``), then where the script stood, ``At line:16 char:1`` (``At
# C:\ci\build.ps1:16 char:1``), the statement and ``+ CategoryInfo``: the reader yields the
# message with its position line (the scorer reads the pair)
_PS_AT = re.compile(POWERSHELL_AT)
# how the lines ``_structure`` reads as more than text begin (markers, steps, Travis)
_STRUCTURE_FIRST = frozenset({"#", ":", "P", "C", "t", ""})

# Lines the reader itself must always see (step structure and errors).
MARKERS = (
    r"^##\[(?:group|endgroup|error)\]",
    r"^::(?:error|warning|notice)\b",
    r"^Post job cleanup\.",
    r"^Cleaning up orphan processes",
    r"^travis_(?:fold|time):",
    r'" (?:failed and )?exited with -?\d+',
)


def parse_workflow_command(text: str) -> Annotation | None:
    """``::error file=F,line=L,title=T::msg`` → Annotation (None if not a command)."""
    m = _CMD_RE.match(text)
    if not m:
        return None
    props: dict[str, str] = {}
    for part in (m.group(2) or "").split(","):
        key, sep, value = part.partition("=")
        if sep:
            props[key.strip()] = value.strip()
    line = props.get("line")
    return Annotation(
        level=m.group(1),
        message=_unescape(m.group(3)),
        file=props.get("file") or None,
        line=int(line) if line and line.isdigit() else None,
        title=props.get("title"),
    )


def _unescape(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


class LogReader(TravisFraming):
    """Scan a log once; yield interesting lines; record steps, errors and annotations.

    ``watch``: (pattern, ignore_case) pairs; a line matching any is yielded. ``None``
    yields every line (small inputs, tests). ``follow``: pairs whose match also yields
    the next ``follow_lines`` lines (multi-line test reports such as mocha or ctest).
    After iteration, ``steps``, ``annotations`` and ``total_lines`` describe the log;
    ``prefixes`` the package prefixes cleaned off lines (not kept: ``package_prefixes=False``).
    """

    def __init__(
        self,
        watch: Iterable[tuple[str, bool]] | None = None,
        follow: Iterable[tuple[str, bool]] = (),
        *,
        follow_lines: int = 60,
        max_line: int = MAX_LINE,
        chunk_size: int = CHUNK_SIZE,
        tail_lines: int = TAIL_LINES,
        max_candidates: int = MAX_CANDIDATES,
        package_prefixes: bool = True,
    ) -> None:
        follow = list(follow)
        self._all = watch is None
        self.max_candidates = max_candidates
        self.candidates = 0
        self.budget_exhausted = False  # past max_candidates: only step markers were read
        self._markers_only = (compile_pattern(prefilter_pattern([(m, False) for m in MARKERS])),)
        markers = [(m, False) for m in MARKERS]
        self._literals: list[tuple[bytes, bool]] | None = None
        self._watch: tuple[Any, ...] | None = None
        if not self._all:
            every = [*markers, *(watch or ()), *follow]
            if HAVE_RE2:
                self._watch = tuple(compile_pattern(part) for part in prefilter_parts(every))
            else:
                self._setup_literal_prefilter(every)
                max_line = min(max_line, FALLBACK_MAX_LINE)
        # one combined expression: one search per yielded line, however many triggers
        self._follow = (
            re.compile(
                "|".join(f"(?{'i' if ic else ''}:{p})" if ic else f"(?:{p})" for p, ic in follow)
            )
            if follow
            else None
        )
        self.follow_lines = follow_lines
        self.max_line = max_line
        self.chunk_size = chunk_size
        self.tail_lines = tail_lines
        self.steps: list[Step] = [Step(1, "Set up job", "setup", 1)]
        self.annotations: list[Annotation] = []
        # line number → the monorepo runner's package prefix its text was cleaned of
        self.prefixes: dict[int, str] = {}
        self._max_prefixes = MAX_PREFIXES if package_prefixes else 0
        self.total_lines = 0
        self.total_bytes = 0
        self.saw_actions_markers = False
        self.travis = False  # Travis CI framing seen: ``$ cmd`` … ``The command … exited``
        self._travis_failed: Step | None = None
        self._attach: Step | None = None
        self._depth = 0
        self._in_header = False
        self._prev = b""
        self.head = b""  # the log's first bytes as read (cleaned of a paste's margin)
        self._yielded = 0  # the number of the line yielded last
        self._margin: re.Pattern[bytes] | None = None
        self._margin_known = False
        self._numbered: int | None = None  # the next log-viewer line number glued on a line
        self._viewed = False  # a copy from the web log view (decided on the first block)

    # -- public ------------------------------------------------------------------------

    def lines(self, source: Any) -> Iterator[LogLine]:
        """Yield candidate lines of ``source`` (path, file object or iterable of lines)."""
        line_no = 0
        pending = b""
        skipping = False  # inside an over-long line: drop bytes up to the next newline
        for block in _blocks(source, self.chunk_size):
            self.total_bytes += len(block)
            if skipping:
                nl = block.find(b"\n")
                if nl < 0:
                    continue
                block, skipping = block[nl:], False
                pending += b"\n"  # end the truncated line here
                block = block[1:]
            data = pending + block if pending else block
            last = data.rfind(b"\n")
            if last < 0:
                if len(data) > MAX_PENDING:
                    pending, skipping = data[: self.max_line * 4], True
                else:
                    pending = data
                continue
            region, pending = data[: last + 1], data[last + 1 :]
            if len(pending) > MAX_PENDING:
                pending, skipping = pending[: self.max_line * 4], True
            if b"\x1b" in region:
                region = _ANSI_BYTES.sub(b"", region)
            if region.startswith(b"nl") or _LINE_NL.search(region):  # (a cheap test first)
                region = _TRAVIS_NL.sub(b"", region)
            region = tool_levels(self._unmargin(region))
            self.head = self.head if line_no else region[:HEAD_BYTES]  # (pastestart.py)
            line_no = yield from self._scan(region, line_no)
            self._prev = region[-TAIL_BYTES:]
        ending = self._prev
        if pending:
            rest = tool_levels(self._unmargin(pending + b"\n"))
            line_no = yield from self._scan(rest, line_no)
            ending = (ending + rest)[-TAIL_BYTES:]
        self.total_lines = line_no
        self.steps[-1].end_line = line_no
        if not (self._yielded or self._all or self.saw_actions_markers or self.travis):
            # a paste in which nothing looked like anything (no framing, no candidate line):
            # its last lines are all it says; they are its one step's tail, yielded so that
            # the step is read (the key lines show a step's tail when nothing else speaks)
            step, self._prev = self.steps[-1], b""
            step.tail = self._tail(ending, len(ending), line_no + 1, step)
            yield from step.tail
        elif (
            self._yielded
            and not self.saw_actions_markers
            and not self.steps[-1].tail
            and self.steps[-1].exit_code is None
        ):
            # a paste cut off before any exit line: its last lines (already read), nearest
            # the error that the cut took away
            step, self._prev = self.steps[-1], b""
            step.cut_end = self._tail(ending, len(ending), line_no + 1, step)

    # -- internals ---------------------------------------------------------------------

    def _unmargin(self, region: bytes) -> bytes:
        """Drop the margin a pasted excerpt carries on every line (decided once, on the
        first block): rules anchor at the start of the tool's own line, and a log quoted
        in an issue (`> `) or re-printed indented by a wrapper (tox, an action) hides it.
        A copy from the web log view first loses its line-number anchor lines
        (``viewer_links``); such a paste is short, so a runner's own log of hundreds of
        megabytes is not searched for them block by block."""
        if not self._margin_known:
            self._viewed = b"#step:" in region
        if self._viewed:
            region = viewer_links(region)
        if not self._margin_known:
            self._margin_known = True
            self._margin = excerpt_margin(region)
            self._numbered = viewer_numbers(region) if self._margin is None else None
        if self._numbered is not None:
            region, self._numbered = strip_viewer_numbers(region, self._numbered)
        return self._margin.sub(b"", region) if self._margin is not None else region

    def _setup_literal_prefilter(self, patterns: list[tuple[str, bool]]) -> None:
        """Without RE2: find candidate lines by the literal each pattern requires
        (``bytes.find``, C speed, no backtracking); patterns without one use ``re``."""
        literals: set[tuple[bytes, bool]] = set()
        rest: list[tuple[str, bool]] = []
        for pattern, ignore_case in patterns:
            lit = required_literal(pattern)
            if lit is None:
                rest.append((pattern, ignore_case))
                continue
            fold = ignore_case or pattern.startswith("(?i)")
            raw = lit.lower().encode() if fold else lit.encode()
            literals.add((raw, fold))
        self._literals = sorted(literals)
        self._watch = (compile_pattern(prefilter_pattern(rest)),) if rest else None

    def _candidate_starts(self, data: bytes) -> list[int]:
        starts: set[int] = set()
        lowered: bytes | None = None
        for lit, fold in self._literals or ():
            hay = data
            if fold:
                lowered = lowered if lowered is not None else data.lower()
                hay = lowered
            pos = hay.find(lit)
            while pos >= 0:
                start = data.rfind(b"\n", 0, pos) + 1
                starts.add(start)
                nl = data.find(b"\n", pos)
                if nl < 0:
                    break
                pos = hay.find(lit, nl + 1)
        if self._watch is not None:
            pos = 0
            while True:
                m = self._watch[0].search(data, pos)
                if m is None:
                    break
                start = data.rfind(b"\n", 0, m.start()) + 1
                starts.add(start)
                nl = data.find(b"\n", m.start())
                if nl < 0:
                    break
                pos = nl + 1
        return sorted(starts)

    def _scan(self, data: bytes, line_no: int) -> Generator[LogLine, None, int]:
        """Yield candidates in ``data`` (complete lines); return the new line count."""
        pos, end = 0, len(data)
        follow_left = 0
        starts = None if self._all or self._literals is None else self._candidate_starts(data)
        find: Callable[[bytes, int, int], int] | None = None
        max_line = self.max_line
        max_bytes = max_line * 4
        while pos < end:
            if follow_left or self._all:
                start = pos
            else:
                if starts is not None:
                    i = bisect.bisect_left(starts, pos)
                    found = starts[i] if i < len(starts) else -1
                else:
                    if find is None:  # (again after the budget: a new expression)
                        find = first_start_finder(self._watch or ())
                    found = find(data, pos, end)
                if found < 0:
                    line_no += data.count(b"\n", pos, end)
                    break
                start = data.rfind(b"\n", pos, found) + 1 or pos
                if start < pos:
                    start = pos
                line_no += data.count(b"\n", pos, start)
            nl = data.find(b"\n", start)
            nl = end if nl < 0 else nl
            line_no += 1
            raw = line_slice(data, start, nl, max_bytes)
            pos = nl + 1
            text = clean_line(raw, max_line)
            prefix = package_prefix(raw) if len(self.prefixes) < self._max_prefixes else ""
            if prefix:
                self.prefixes[line_no] = prefix
            is_follow = bool(follow_left)
            if follow_left:
                follow_left -= 1
            if start and self._yielded != line_no - 1 and text[:3] == "At " and _PS_AT.match(text):
                yield self._line_before(data, start, line_no - 1)
            line = self._structure(text, line_no, data, start)
            line.follow = is_follow
            if self._follow is not None and self._follow.search(text):
                follow_left = self.follow_lines
            self._yielded = line_no
            yield line
            if not self._all and not text.startswith(("##[", "::")):
                self.candidates += 1
                if self.candidates > self.max_candidates and not self.budget_exhausted:
                    self._only_markers_from_now()
                    starts, follow_left, find = None, 0, None
        return line_no

    def _line_before(self, data: bytes, start: int, number: int) -> LogLine:
        """Line ``number``, the one that ends just before ``start`` in ``data``."""
        begin = data.rfind(b"\n", 0, start - 1) + 1
        text = clean_line(line_slice(data, begin, start - 1, self.max_line * 4), self.max_line)
        step = self.steps[-1]
        return LogLine(number, text, step.number, number - step.start_line + 1)

    def _only_markers_from_now(self) -> None:
        self.budget_exhausted = True
        self._watch, self._literals, self._follow = self._markers_only, None, None

    def _structure(self, text: str, line_no: int, data: bytes, start: int) -> LogLine:
        if text[:1] not in _STRUCTURE_FIRST and not self.travis:
            # (most lines: no marker, step start or Travis framing can begin this way)
            step = self.steps[-1]
            line = LogLine(line_no, text, step.number, line_no - step.start_line + 1)
            line.header = self._in_header
            return line
        if not self.saw_actions_markers and (
            self.travis or text.startswith(("travis_fold:", "travis_time:"))
        ):
            self.travis = True
            return self._travis(text, line_no, data, start)
        step = self.steps[-1]
        if text.startswith("##[") or text.startswith("::"):
            self.saw_actions_markers = True
        if self._depth == 0 and (
            text.startswith(("##[group]Run ", _BUILD_ACTION))
            or text == "Post job cleanup."
            or text.startswith("Cleaning up orphan processes")
        ):
            step.end_line = line_no - 1
            if text.startswith("##[group]"):
                title = text[len("##[group]") :]
                kind = "build" if text.startswith(_BUILD_ACTION) else "run"
            elif text.startswith("Post"):
                title, kind = "Post job cleanup", "post"
            else:
                title, kind = "Complete job", "complete"
            step = Step(len(self.steps) + 1, title, kind, line_no)
            self.steps.append(step)
            self.saw_actions_markers = True
            self._in_header = kind == "run"
        line = LogLine(line_no, text, step.number, line_no - step.start_line + 1)
        line.header = self._in_header
        if text.startswith("##[group]"):
            self._depth += 1
        elif text.startswith("##[endgroup]"):
            self._depth = max(0, self._depth - 1)
            if self._depth == 0:
                self._in_header = False
        elif text.startswith("##[error]"):
            step.errors.append(line)
            m = _EXIT_RE.match(text)
            if m:
                step.exit_code = int(m.group(1))
                step.tail = self._tail(data, start, line_no, step)
        elif text.startswith("::"):
            ann = parse_workflow_command(text)
            if ann is not None:
                ann.log_line = line_no
                self.annotations.append(ann)
        return line

    def _tail(self, data: bytes, start: int, line_no: int, step: Step) -> list[LogLine]:
        """The last lines of the step before ``start`` (from this block and the last)."""
        limit = min(self.tail_lines, line_no - step.start_line - 1)
        if limit <= 0:
            return []
        window = data[max(0, start - TAIL_BYTES) : start]
        if len(window) < TAIL_BYTES and start < TAIL_BYTES:
            window = self._prev[-(TAIL_BYTES - len(window)) :] + window
        raws = window.split(b"\n")[:-1][-limit:]
        out = []
        first = line_no - len(raws)
        for i, raw in enumerate(raws):
            n = first + i
            out.append(
                LogLine(n, clean_line(raw, self.max_line), step.number, n - step.start_line + 1)
            )
        return out


def tool_levels(region: bytes) -> bytes:
    """``Error:  `` → ``[ERROR] ``, ``Warning:  `` → ``[WARNING] `` (``_ACTIONS_LEVEL``), and
    the log view's ``Error: Process completed …`` → the runner's ``##[error]Process …``."""
    if _ERROR_WORD.search(region) is None:
        # one scan of each block (these are rare in a runner's own log); a block of
        # ``Warning:  `` lines alone keeps them as printed: they name no failure
        return region
    if b"Error: Process completed" in region:
        region = _VIEWED_EXIT.sub(rb"\1##[error]\2", region)
    return _ACTIONS_LEVEL.sub(_tool_level, region)


def _tool_level(m: re.Match[bytes]) -> bytes:
    return m.group(1) + (b"[ERROR] " if m.group(2) == b"Error" else b"[WARNING] ")


def excerpt_margin(region: bytes) -> re.Pattern[bytes] | None:
    """The margin every sampled line of ``region`` shares: a markdown quote, an elapsed time,
    a Jenkins console's clock column, or an indent.

    Only a text whose every non-blank line (of the first ``MARGIN_SAMPLE``) carries it
    counts; a runner's log starts each line with a timestamp, so it never has one.
    """
    sample = [ln for ln in region.split(b"\n")[:MARGIN_SAMPLE] if ln.strip()]
    if len(sample) < 3:
        return None
    if all(ln.startswith(b">") for ln in sample):
        return re.compile(rb"(?m)^> ?")
    if elapsed_margin(sample):
        return re.compile(rb"(?m)^\d+\.\d{1,3}(?: |(?=\r?$))")
    gap = clock_margin(sample)
    if gap:  # a Jenkins console's clock column and the gap after it
        return re.compile(rb"(?m)^(?:\d\d:\d\d:\d\d|\[[\dT:.Z-]+\]) {0,%d}" % gap)
    indent = min(len(ln) - len(ln.lstrip(b" ")) for ln in sample)
    if indent < 2:
        indent = _group_margin(sample)
    return re.compile(rb"(?m)^ {1,%d}" % indent) if indent >= 2 else None


def _group_margin(sample: list[bytes]) -> int:
    """The indent of lines copied from the Actions log viewer's expanded groups: each
    group's title at the left edge, its lines indented under it. A title is a step's
    ``Run <command>`` or an action's own group (golangci-lint-action's ``run
    golangci-lint``, reviewdog's ``Running golangci-lint ...``, ``Installing …``), or the
    reporter's ``...`` elision; it opens the paste, an indented line follows it, and titles
    are few. Any other line at the edge (``X > test FAILED``, ``1) "before all" hook``,
    ``Traceback …:``) is a tool's own, and its indented lines below are its own layout."""
    titles = [i for i, ln in enumerate(sample) if not ln.startswith(b" ")]
    if not titles or titles[0] != 0 or len(titles) * 3 > len(sample):
        return 0
    for i in titles:
        if not _GROUP_TITLE.match(sample[i].rstrip()) or i + 1 >= len(sample):
            return 0
        if not sample[i + 1].startswith(b"  "):
            return 0
    return min(len(ln) - len(ln.lstrip(b" ")) for i, ln in enumerate(sample) if i not in titles)


def _blocks(source: Any, size: int) -> Iterator[bytes]:
    """Bytes blocks from a path, a binary/text file object, bytes/str, or line iterable."""
    if isinstance(source, bytes | bytearray):
        yield from (bytes(source[i : i + size]) for i in range(0, len(source), size))
        return
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            yield from _blocks(fh, size)
        return
    read = getattr(source, "read", None)
    if read is not None:
        while True:
            block = read(size)
            if not block:
                return
            yield block.encode("utf-8", "surrogateescape") if isinstance(block, str) else block
    buf: list[bytes] = []
    have = 0
    for item in source:
        raw = item.encode("utf-8", "surrogateescape") if isinstance(item, str) else bytes(item)
        if not raw.endswith(b"\n"):
            raw += b"\n"
        buf.append(raw)
        have += len(raw)
        if have >= size:
            yield b"".join(buf)
            buf, have = [], 0
    if buf:
        yield b"".join(buf)


def text_source(text: str) -> io.BytesIO:
    """A binary stream over ``text`` (for ``diagnose_text``)."""
    return io.BytesIO(text.encode("utf-8", "surrogateescape"))


__all__ = [
    "Annotation",
    "LogLine",
    "LogReader",
    "Step",
    "clean_line",
    "parse_workflow_command",
    "prefilter_pattern",
    "text_source",
]
