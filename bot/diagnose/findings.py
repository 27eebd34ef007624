"""Lint/type-check findings (``path:line``) from a job log, and the ones on changed lines.

Pure functions, so the service (the ``pitcrew/lint`` check run), the CLI and tests share
them: :func:`extract_findings` over cleaned log lines, :func:`findings_from_log` over a
whole log (streamed, prefiltered, bounded), :func:`changed_lines` from a unified diff or
the pull-request files API's ``patch`` fields, :func:`split_by_diff` to keep the findings
on lines the PR changed, :func:`to_annotations` for the Checks API.

Formats: ``path:L:C: CODE msg`` (ruff concise, flake8, pycodestyle, pylint), ruff/rustc/
clippy ``--> path:L:C`` under a message line, mypy ``path:L: error: msg [code]``, pyright
``path:L:C - error: msg``, tsc ``path(L,C): error TSn: msg`` and ``path:L:C - error TSn``,
ESLint/stylelint "stylish" (a file line, then ``L:C  error  msg  rule``), golangci-lint /
staticcheck / go vet ``path.go:L:C: msg (linter)``, RuboCop ``path:L:C: C: Cop: msg``,
ShellCheck gcc (``path:L:C: error: msg [SCnnnn]``) and tty (``In path line L:``), hadolint
``path:L DLnnnn``, Checkstyle ``[ERROR] path:[L,C] (group) Rule: msg``, compiler-style
``path:L:C: error|warning: msg``, and ``::error file=F,line=L::msg`` workflow commands.
A path is kept only when it is repository-relative (the runner's checkout prefix is
dropped; anything else absolute, or with ``..``, is not a file of the PR).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from .extractors import relative_path
from .logreader import LogReader, parse_workflow_command

MAX_FINDINGS = 2000
MAX_FINDING_CANDIDATES = 2_000_000  # lines read as possible findings per log (bounded time)
MAX_MESSAGE = 500
ANNOTATIONS_PER_CALL = 50  # the Checks API's limit per request

_LEVELS = {
    "error": "failure",
    "fatal": "failure",
    "failure": "failure",
    "e": "failure",
    "f": "failure",
    "warning": "warning",
    "warn": "warning",
    "w": "warning",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int | None
    level: str  # failure | warning | notice (the Checks API's annotation levels)
    message: str
    code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _level(word: str | None) -> str:
    return _LEVELS.get((word or "error").lower(), "notice")


# a path ``relative_path`` leaves as it is: no checkout prefix, quote, space, ``:``, ``\``,
# leading ``/`` or ``./`` (the common case, told by one match instead of its rewrites)
_PLAIN_PATH = re.compile(r"[\w@+-][\w.@+/-]*")
_DRIVE = re.compile(r"^[A-Za-z]:")


def _clean_path(raw: str) -> str | None:
    if _PLAIN_PATH.fullmatch(raw):
        return None if ".." in raw.split("/") else raw
    path = relative_path(raw)
    if not path or path.startswith("/") or ".." in path.split("/") or " " in path:
        return None
    if _DRIVE.match(path) or "://" in path:
        return None
    return path


_CODE_FIRST = re.compile(
    r"^(?P<p>[^\s:()]+):(?P<l>\d+):(?P<c>\d+): (?P<code>[A-Z]{1,4}\d{2,5})\b:? (?P<m>.+)$"
)
_RUBOCOP = re.compile(
    r"^(?P<p>[^\s:]+\.rb):(?P<l>\d+):(?P<c>\d+): (?P<sev>[CWERF]): (?P<m>(?:\[Correctable\] )?(?P<code>[\w/]+): .+)$"  # noqa: E501
)
_MYPY = re.compile(
    r"^(?P<p>[^\s:]+\.pyi?):(?P<l>\d+)(?::(?P<c>\d+))?: (?P<sev>error|warning|note): (?P<m>.+?)(?:  \[(?P<code>[\w-]+)\])?$"  # noqa: E501
)
_PYRIGHT = re.compile(
    r"^\s+(?P<p>\S+?):(?P<l>\d+):(?P<c>\d+) - (?P<sev>error|warning|information): (?P<m>.+?)(?: \((?P<code>report\w+)\))?$"  # noqa: E501
)
_TSC_PAREN = re.compile(
    r"^(?P<p>[^\s(]+)\((?P<l>\d+),(?P<c>\d+)\): (?P<sev>error|warning) (?P<code>TS\d+): (?P<m>.+)$"
)
_TSC_PRETTY = re.compile(
    r"^(?P<p>[^\s:]+):(?P<l>\d+):(?P<c>\d+) - (?P<sev>error|warning) (?P<code>TS\d+): (?P<m>.+)$"
)
_SHELLCHECK = re.compile(
    r"^(?P<p>[^\s:]+):(?P<l>\d+):(?P<c>\d+): (?P<sev>error|warning|note|style|info): (?P<m>.+?) \[(?P<code>SC\d+)\]$"  # noqa: E501
)
_GO_LINTER = re.compile(
    r"^(?P<p>[^\s:]+\.go):(?P<l>\d+)(?::(?P<c>\d+))?: (?P<m>.+?) \((?P<code>[\w-]+)\)$"
)
_COMPILER = re.compile(
    r"^(?P<p>[^\s:]+\.\w+):(?P<l>\d+):(?P<c>\d+): (?P<sev>error|warning|fatal error): (?P<m>.+)$"
)
_GO_VET = re.compile(r"^(?P<p>(?:\./)?[^\s:]+\.go):(?P<l>\d+):(?P<c>\d+): (?P<m>.+)$")
_HADOLINT = re.compile(
    r"^(?P<p>[^\s:]+):(?P<l>\d+) (?P<code>DL\d{4}|SC\d{4}) (?P<sev>error|warning|info|style): (?P<m>.+)$"  # noqa: E501
)
_CHECKSTYLE = re.compile(
    r"^\[(?P<sev>ERROR|WARN|WARNING)\] (?P<p>\S+?):\[(?P<l>\d+)(?:,(?P<c>\d+))?\] \((?P<g>\w+)\) (?P<code>\w+): (?P<m>.+)$"  # noqa: E501
)
_ARROW = re.compile(r"^\s*--> (?P<p>[^\s:]+):(?P<l>\d+):(?P<c>\d+)$")
_ARROW_HEAD = re.compile(
    r"^(?:(?P<sev>error|warning)(?:\[(?P<ecode>\w+)\])?: (?P<m>.+)|(?P<code>[A-Z]{1,4}\d{2,5})(?: \[\*\])? (?P<rm>.+))$"  # noqa: E501
)
_STYLISH_FILE = re.compile(r"^(?P<p>(?:/|\./)?[\w.@/-]+\.\w+)$")
_STYLISH_ROW = re.compile(
    r"^\s+(?P<l>\d+):(?P<c>\d+)\s+(?P<sev>error|warning|✖|⚠)\s+(?P<m>.+?)(?:\s{2,}(?P<code>[\w@/-]+))?$"
)
_SC_TTY_HEAD = re.compile(r"^In (?P<p>\S+) line (?P<l>\d+):$")
_SC_TTY_NOTE = re.compile(r"^\s*\^[-^]* ?(?P<code>SC\d+) \((?P<sev>\w+)\): (?P<m>.+)$")

# The reader's prefilter: what any of the formats above can start with.
WATCH = (
    r"^\S+:\d+:\d+:? ",
    r"^\S+:\d+: (?:error|warning|note): ",
    r"^\s+\S+:\d+:\d+ - ",
    r"^\S+\(\d+,\d+\): ",
    r"^\s*--> \S+:\d+:\d+",
    r"^(?:error|warning)(?:\[\w+\])?: ",
    r"^[A-Z]{1,4}\d{2,5} ",
    r"^(?:/|\./)?[\w.@/-]+\.\w+$",
    r"^\s+\d+:\d+\s+(?:error|warning|✖|⚠)\s",
    r"^In \S+ line \d+:$",
    r"^\s*\^[-^]* ?SC\d+ ",
    r"^\S+:\d+ (?:DL|SC)\d{4} ",
    r"^\[(?:ERROR|WARN|WARNING)\] \S+:\[\d+",
    r"^::(?:error|warning|notice) ",
)


class FindingParser:
    """Stateful line parser (stylish, rustc/ruff arrows, ShellCheck tty need context)."""

    def __init__(self) -> None:
        self.file: str | None = None  # stylish: the current file
        self.head: tuple[str, str | None, str] | None = None  # arrow: (level, code, msg)
        self.sc_file: tuple[str, int] | None = None

    def feed(self, text: str) -> Finding | None:
        finding = self._one_line(text)
        if finding is not None:
            self.head = None
            return finding
        return self._stateful(text)

    def _one_line(self, text: str) -> Finding | None:
        if text.startswith("::"):
            ann = parse_workflow_command(text)
            if ann is None or not ann.file or not ann.line:
                return None
            path = _clean_path(ann.file)
            level = {"error": "failure", "warning": "warning"}.get(ann.level, "notice")
            return _make(path, ann.line, None, level, ann.message, ann.title)
        # In order of precedence, each format's regex only where a literal that any line it
        # matches has is on the line (an ``in`` test costs far less than a failed match).
        # ``_CODE_FIRST``'s code follows the line's first ": " (its path has no colon).
        colon = text.find(": ")
        m = (
            (" [SC" in text and _SHELLCHECK.match(text))
            or (".rb:" in text and _RUBOCOP.match(text))
            or (" TS" in text and (_TSC_PAREN.match(text) or _TSC_PRETTY.match(text)))
            or (" - " in text and _PYRIGHT.match(text))
            or ((".py:" in text or ".pyi:" in text) and _MYPY.match(text))
            or ("] (" in text and _CHECKSTYLE.match(text))
            or ((" DL" in text or " SC" in text) and _HADOLINT.match(text))
            or ("A" <= text[colon + 2 : colon + 3] <= "Z" and _CODE_FIRST.match(text))
            or (".go:" in text and _GO_LINTER.match(text))
            or (
                (": error: " in text or ": warning: " in text or ": fatal error: " in text)
                and _COMPILER.match(text)
            )
        )
        if isinstance(m, re.Match):
            return _from_match(m)
        if ".go:" not in text:
            return None
        m = _GO_VET.match(text)
        if m and not m.group("m").startswith(("warning:", "note:")):
            return _make(
                _clean_path(m.group("p")),
                int(m.group("l")),
                int(m.group("c")),
                "failure",
                m.group("m"),
                None,
            )
        return None

    def _stateful(self, text: str) -> Finding | None:
        # each regex only where its required start or literal is there (see _one_line)
        first = text[:1]
        m = _ARROW_HEAD.match(text) if "A" <= first <= "Z" or first in "ew" else None
        if m:
            if m.group("code"):
                self.head = ("failure", m.group("code"), m.group("rm"))
            else:
                self.head = (_level(m.group("sev")), m.group("ecode"), m.group("m"))
            return None
        m = _ARROW.match(text) if self.head and "--> " in text else None
        if m and self.head:
            level, code, message = self.head
            self.head = None
            return _make(
                _clean_path(m.group("p")),
                int(m.group("l")),
                int(m.group("c")),
                level,
                message,
                code,
            )
        m = _STYLISH_ROW.match(text) if self.file and first.isspace() else None
        if m and self.file:
            sev = {"✖": "error", "⚠": "warning"}.get(m.group("sev"), m.group("sev"))
            return _make(
                _clean_path(self.file),
                int(m.group("l")),
                int(m.group("c")),
                _level(sev),
                m.group("m"),
                m.group("code"),
            )
        m = _SC_TTY_HEAD.match(text) if first == "I" else None
        if m:
            self.sc_file = (m.group("p"), int(m.group("l")))
            return None
        m = _SC_TTY_NOTE.match(text) if self.sc_file and "^" in text else None
        if m and self.sc_file:
            path, line = self.sc_file
            return _make(
                _clean_path(path), line, None, _level(m.group("sev")), m.group("m"), m.group("code")
            )
        if "." in text and not text.startswith(" "):
            m = _STYLISH_FILE.match(text.strip())
            if m:
                self.file = m.group("p")
        return None


def _from_match(m: re.Match[str]) -> Finding | None:
    # ``_make``, inlined: this runs for every finding of a log
    groups = m.groupdict()
    path = _clean_path(groups["p"])
    line = int(groups["l"])
    if path is None or line <= 0:
        return None
    column = groups.get("c")
    sev = groups.get("sev")
    if sev in ("C", "R"):
        sev = "convention"
    elif sev == "information":
        sev = "info"
    return Finding(
        path,
        line,
        int(column) if column else None,
        _LEVELS.get((sev or "error").lower(), "notice"),
        " ".join(groups["m"].split())[:MAX_MESSAGE],
        groups.get("code"),
    )


def _make(
    path: str | None, line: int, column: int | None, level: str, message: str, code: str | None
) -> Finding | None:
    if path is None or line <= 0:
        return None
    message = " ".join(message.split())[:MAX_MESSAGE]
    return Finding(path, line, column, level, message, code)


def extract_findings(lines: Iterable[str]) -> list[Finding]:
    """Findings in cleaned log lines, de-duplicated, in order (at most MAX_FINDINGS)."""
    parser = FindingParser()
    seen: set[tuple[str, int, int | None, str]] = set()
    out: list[Finding] = []
    for text in lines:
        finding = parser.feed(text)
        if finding is None:
            continue
        key = (finding.path, finding.line, finding.column, finding.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
        if len(out) >= MAX_FINDINGS:
            break
    return out


def _reader() -> LogReader:
    # a larger candidate budget than the diagnosis: every finding-shaped line is a candidate
    return LogReader(
        watch=[(p, False) for p in WATCH],
        max_candidates=MAX_FINDING_CANDIDATES,
        package_prefixes=False,  # a finding names its file, not the package's prefix
    )


def _log_lines(source: Any, step: int | None) -> Iterator[str]:
    for line in _reader().lines(source):
        if line.header or (step is not None and line.step != step):
            continue
        yield line.text


def findings_from_log(source: Any, *, step: int | None = None) -> list[Finding]:
    """Findings in a whole job log (path, file object, bytes or lines), streamed with a
    prefilter; ``step`` keeps only that step's lines (the failing lint step). At most
    MAX_FINDINGS: reading stops there."""
    return extract_findings(_log_lines(source, step))


@dataclass
class DiffScan:
    """Findings on changed lines (at most MAX_FINDINGS) and how many fell elsewhere."""

    inside: list[Finding]
    outside: int


def scan_log_against_diff(
    source: Any, changed: dict[str, set[int]], *, step: int | None = None
) -> DiffScan:
    """One pass over the whole log: findings on the PR's changed lines are kept, the
    others only counted (so a log with thousands of findings elsewhere cannot crowd out
    the ones on the diff, and memory stays bounded)."""
    parser = FindingParser()
    seen: set[tuple[str, int, int | None, str]] = set()
    scan = DiffScan([], 0)
    for line in _reader().lines(source):  # (``_log_lines``, inlined)
        if line.header or (step is not None and line.step != step):
            continue
        finding = parser.feed(line.text)
        if finding is None:
            continue
        key = (finding.path, finding.line, finding.column, finding.message)
        if key in seen:
            continue
        if finding.line in changed.get(finding.path, ()) and len(scan.inside) < MAX_FINDINGS:
            seen.add(key)
            scan.inside.append(finding)
        else:
            if len(seen) < MAX_FINDINGS * 4:
                seen.add(key)
            scan.outside += 1
    return scan


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def _patch_lines(patch: str) -> set[int]:
    added: set[int] = set()
    line = 0
    for text in patch.splitlines():
        m = _HUNK.match(text)
        if m:
            line = int(m.group(1))
            continue
        if not line or text.startswith("\\"):
            continue
        if text.startswith("+"):
            added.add(line)
            line += 1
        elif text.startswith("-"):
            continue
        else:
            line += 1
    return added


def changed_lines(diff: str | Iterable[dict[str, Any]]) -> dict[str, set[int]]:
    """Added/modified line numbers (new side) per path: from a unified diff (``git diff``
    output) or the pull-request files API's entries (``filename`` + ``patch``)."""
    out: dict[str, set[int]] = {}
    if isinstance(diff, str):
        path: str | None = None
        chunk: list[str] = []
        for text in diff.splitlines():
            if text.startswith("+++ "):
                if path is not None:
                    out.setdefault(path, set()).update(_patch_lines("\n".join(chunk)))
                target = text[4:].split("\t")[0]
                path = None if target == "/dev/null" else target.removeprefix("b/")
                chunk = []
            elif text.startswith("diff --git "):
                if path is not None:
                    out.setdefault(path, set()).update(_patch_lines("\n".join(chunk)))
                path, chunk = None, []
            elif path is not None:
                chunk.append(text)
        if path is not None:
            out.setdefault(path, set()).update(_patch_lines("\n".join(chunk)))
        return out
    for entry in diff:
        name, patch = entry.get("filename"), entry.get("patch")
        if isinstance(name, str) and isinstance(patch, str) and entry.get("status") != "removed":
            out.setdefault(name, set()).update(_patch_lines(patch))
    return out


def split_by_diff(
    findings: Iterable[Finding], changed: dict[str, set[int]]
) -> tuple[list[Finding], list[Finding]]:
    """(findings on changed lines, the others)."""
    inside: list[Finding] = []
    outside: list[Finding] = []
    for finding in findings:
        (inside if finding.line in changed.get(finding.path, ()) else outside).append(finding)
    return inside, outside


def to_annotations(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Check-run annotations (``output.annotations`` items) for the findings."""
    out = []
    for f in findings:
        item: dict[str, Any] = {
            "path": f.path,
            "start_line": f.line,
            "end_line": f.line,
            "annotation_level": f.level,
            "message": f.message,
        }
        if f.code:
            item["title"] = f.code[:255]
        out.append(item)
    return out


def batches(
    items: list[dict[str, Any]], size: int = ANNOTATIONS_PER_CALL
) -> list[list[dict[str, Any]]]:
    """Annotations in the chunks the Checks API accepts per request."""
    return [items[i : i + size] for i in range(0, len(items), size)]


LINT_CHECK_NAME = "pitcrew/lint"


def check_run_output(scan: DiffScan, *, job: str | None = None) -> dict[str, Any]:
    """``output`` for the ``pitcrew/lint`` check run (without annotations, which go in
    batches of :data:`ANNOTATIONS_PER_CALL`): a title and a summary that counts the
    findings on the PR's changed lines and those outside it."""
    on_diff = len(scan.inside)
    where = f" in `{job}`" if job else ""
    title = (
        f"{on_diff} finding{'s' if on_diff != 1 else ''} on changed lines"
        if on_diff
        else "No findings on changed lines"
    )
    summary = (
        f"{on_diff} lint/type-check finding{'s' if on_diff != 1 else ''}{where} on lines this "
        f"pull request changed (annotated inline in Files changed); {scan.outside} more "
        "outside the diff (see the job log)."
    )
    return {"title": title, "summary": summary}
