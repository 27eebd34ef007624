"""One log line as the diagnosis sees it, the step it belongs to, and a workflow command.

Why a module of its own: the reader (``logreader``) and the Travis framing (``travis``)
both build these records, and every later stage (evidence, scorer, key lines) reads them.
``clean_line`` is the one place that decides what a line's text is: the runner's timestamp,
a wrapper's prefix, colour codes and progress redraws are not the tool's output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .progress import last_redraw
from .safe_regex import MAX_LINE

# A line's prefixes that are not the tool's output: the Actions timestamp, then a BuildKit
# step prefix (``#8 12.34 ``) or a monorepo runner's per-package prefix (``_WRAPPER``) —
# so ``^``-anchored rules and the extractors see the tool's own line inside a ``docker
# build``, a ``pnpm -r`` or a ``turbo run``.
#
# The wrapper shapes, each narrow enough not to eat a tool's own ``word: `` (npm package
# names are lower-case, so ``ERROR:root: `` or ``Error: `` never match):
#   turbo            ``@scope/pkg:task: `` / ``pkg:task: `` / ``@scope/pkg#task: ``
#   pnpm -r/--filter ``packages/pkg script: `` / ``packages/pkg script$ `` (a path: a ``/``)
#   nx/lerna stream  ``@scope/pkg: `` (scoped names only: ``core: `` reads like ``error: ``)
#   docker compose   ``svc-1  | `` / ``svc_1   | `` (a name, spaces, a bar)
#   an HTML report   ``<h5>`` / ``<pre><code>`` (a tool's output pasted into an issue or a
#                    PR comment by a CI reporter, one block per heading)
#   Packer / Vagrant ``==> azure-arm: `` / ``==> amazon-ebs.ubuntu: `` / ``==> default: ``
#                    (HashiCorp's UI: a builder's or machine's name before what it said,
#                    a provisioner's stderr among it; its stdout's ``    name: `` stays,
#                    the shape of a YAML key)
#   act              ``[CI/build]   | `` (nektos/act runs a workflow locally and prints each
#                    step's output under ``[<workflow>/<job>]`` and a bar; its own status
#                    lines, ``[CI/build] ⭐ Run …``, have no bar and stay)
#   citgm            ``verbose: <module> npm-test:| `` (Node's citgm runs a module's tests
#                    and logs each output line through winston, its level, then a tag
#                    column at least 20 wide and a bar; a line that goes on shows the
#                    level and a blank column: ``verbose:            | ``)
_NPM = r"[a-z0-9][a-z0-9._-]*"
# the monorepo runners' prefixes name the package whose task printed the line
_PACKAGE = (
    rf"(?:@{_NPM}/)?{_NPM}[:#][a-z][\w:.-]*: "
    rf"|(?:\.|[\w@.-]+(?:/[\w@.-]+)+) [a-z][\w:.-]*[:$] "
    rf"|@{_NPM}/{_NPM}: "
)
_WRAPPER = (
    _PACKAGE + r"|[a-z][a-z0-9_.-]* +\| "
    r"|(?:<(?:h[1-6]|pre|code|p|li|td|details|summary|b|strong)>)+"
    r"|==> [a-z][\w.-]*: "
    r"|\[[^\]\n/]{1,80}/[^\]\n]{1,80}\] +\| "
    r"|(?:silly|verbose|info|warn|error):(?: [\w@./-]{1,214} [\w-]{1,40}:? *| {20,})\| "
)
# the Actions runner's ISO stamp, or the Jenkins Timestamper plugin's ``10:27:45 `` (a time
# of day without fraction, then one space: what a Jenkins console shows and people paste;
# a tool's own clock, lager's ``13:24:47.349 [info]``, has a fraction and stays)
# TeamCity's build log as its web view shows it (and people copy it), the time and the
# build step glued, ``[17:57:11][Step 3/4] ``, then the step's output. (The downloaded
# log's ``[17:57:11]E:\t [Step 3/4] `` stays: its level and step read as part of the line.)
# The Timestamper plugin on a Pipeline job shows the stamp as an ISO time in brackets,
# ``[2022-04-01T10:25:15.666Z] `` (one space: the step's own output follows).
# GitLab's runner with job log timestamps (``FF_TIMESTAMPS``) writes the ISO stamp, then the
# stream (``00O `` stdout, ``01E `` stderr; ``+`` for a line that continues the one before);
# Bazel's ``--show_timestamps`` (set on many CI configurations) puts the time of day in
# parentheses before its own messages, ``(15:04:12) ERROR: /src/BUILD.bazel:9:18: …``.
# Buildkite's agent starts each line of its raw log with ``ESC _bk;t=<ms> BEL`` (the ESC and
# BEL lost in a paste). Then, on any of these, GitLab's collapsible section marker
# (``section_start:1560896352:step_script`` and a CR: what follows is the line's text) and
# colour codes whose ESC a paste lost (``[0K[31;1mERROR: Job failed``).
# (d25A) The Open Build Service's build log (openSUSE's and others' package builds) puts the
# seconds since the build began, right-aligned in five places, before each line: ``[   45s] ``.
# (d30A) AppVeyor's console puts the build's elapsed time in brackets before each line,
# ``[00:01:59] ERROR: Missing prebuilt package …`` (gulp's and prove --timer's own clock have
# the same shape: a clock, never the tool's message).
_STAMP = (
    r"(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z(?: [0-9a-f]{2}[OE][ +]| ?)"
    r"|\d\d:\d\d:\d\d "
    r"|\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\] "
    r"|\[\d\d:\d\d:\d\d\](?:\[Step \d+/\d+\])? "
    r"|\(\d\d:\d\d:\d\d\) "
    r"|\x1b?_bk;t=\d+\x07?"
    r"|\[(?: {4}\d| {3}\d\d| {2}\d{3}| \d{4}|\d{5,})s\] )?"
    r"(?:section_(?:start|end):\d+:[\w.-]+(?:\[[\w=,]*\])?\r)*"
    r"(?:\[\d[\d;]*m|\[0K)*"
)
TS_PREFIX = (_STAMP + r"(?:#\d+ \d+\.\d+ |" + _WRAPPER + ")?").encode()
_TS_RE = re.compile(r"^\ufeff?" + _STAMP + r"(?:#\d+ \d+\.\d+ |(?:" + _WRAPPER + "))?")
_PACKAGE_RE = re.compile(r"^\ufeff?" + _STAMP + "(" + _PACKAGE + ")")
# the reset that ends a line whose colour codes lost their ESC (``… exit code 1[0;m``)
_ORPHAN_RESET = re.compile(r"(?:\[\d[\d;]*m)+$")
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][AB012]|\x1b[=>]")


@dataclass
class LogLine:
    """One cleaned log line: 1-based ``number`` in the log, step and step-relative line."""

    number: int
    text: str
    step: int
    step_line: int
    follow: bool = False  # yielded because it follows a "follow" trigger, not for a match
    header: bool = False  # inside a step's ``##[group]Run`` header (command, with:, env:)
    # printed by a Travis after_failure/after_script command attached to the failed one:
    # it cannot undo (``recovered_by``) that command's failure
    after: bool = False


@dataclass
class Step:
    number: int
    title: str
    kind: str  # setup | run | post | complete
    start_line: int
    end_line: int = 0
    exit_code: int | None = None
    errors: list[LogLine] = field(default_factory=list)
    tail: list[LogLine] = field(default_factory=list)  # lines before the exit-code error
    # the last step of a log with no Actions markers cut off before any exit line (a paste):
    # its last lines (the tail stays empty: the key
    # lines' fallbacks and the category guess read a step's tail as what led to its exit)
    cut_end: list[LogLine] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors) or (self.exit_code not in (None, 0))


@dataclass
class Annotation:
    level: str
    message: str
    file: str | None = None
    line: int | None = None
    title: str | None = None
    log_line: int | None = None

    @property
    def location(self) -> str | None:
        if not self.file:
            return None
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "title": self.title,
            "location": self.location,
        }


# (d29A) a heading that opens and closes on its line (``<h1>Error: Server Error</h1>``) is
# an HTML page's own line (a server's error page a tool printed), not a reporter's heading
# over a tool's output: its tag stays
_HEADING = re.compile(r"<h([1-6])>")


def _whole_heading(text: str, cut: int) -> int:
    """Where the line's own text starts: ``cut``, or before a lone ``<hN>`` the prefix
    ended in when the line closes it."""
    m = _HEADING.match(text, cut - 4) if cut >= 4 else None
    if m is None or m.end() != cut or text[cut - 5 : cut - 4] == ">":
        return cut
    return cut - 4 if text.rstrip().endswith(f"</h{m.group(1)}>") else cut


def clean_line(raw: bytes | str, max_line: int = MAX_LINE) -> str:
    """Decode (invalid UTF-8 replaced), drop timestamp, ANSI codes and CR; truncate."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = text.rstrip("\r\n")
    if text.endswith("\r"):
        text = text.rstrip("\r")
    cut = _TS_RE.match(text).end()  # type: ignore[union-attr]  # all optional: always matches
    text = text[_whole_heading(text, cut) :]
    if "\x1b" in text:
        text = _ANSI_RE.sub("", text)
    if "\r" in text:  # progress bars: keep what the terminal finally showed
        text = last_redraw(text)
    if text.endswith("m") and "[" in text[-16:]:
        text = text[:-16] + _ORPHAN_RESET.sub("", text[-16:])
    if len(text) > max_line:
        text = text[:max_line] + "…"
    return text


def package_prefix(raw: bytes | str) -> str:
    """The monorepo runner's package prefix (``@scope/pkg: ``, ``pkg:build: ``, ``packages/pkg
    build: ``) that ``clean_line`` drops from a line: it names where the line came from, so a
    key line shows it again (``@packages/net-stubbing: Killed``). ``""`` without one."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    m = _PACKAGE_RE.match(text)
    return m.group(1) if m else ""
