"""zizmor's findings next to Pitcrew's own security findings.

`zizmor <https://docs.zizmor.sh>`_ (MIT, a static binary in a PyPI wheel) audits workflows
far more thoroughly than Pitcrew's three security rules. Where it is installed, its offline
audits run over the same files and its findings join Pitcrew's, deduplicated by file, line and
kind (zizmor's ``template-injection`` is Pitcrew's ``script-injection``, and so on), each with
its audit id and documentation link. When it is missing, times out or prints something
unexpected, the result says so (``unavailable``) and nothing fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .results import Finding

#: zizmor audit id -> the Pitcrew rule that reports the same kind of problem
SAME_KIND = {
    "template-injection": "script-injection",
    "dangerous-triggers": "pwn-request",
    "secrets-inherit": "secrets-inherit",
    "unpinned-uses": "pin-sha",
    "excessive-permissions": "permissions",
}
TIMEOUT_S = 60.0


@dataclass
class ZizmorResult:
    findings: list[Finding] = field(default_factory=list)
    unavailable: str = ""  # why zizmor's audits are missing ('' when they ran)
    version: str = ""


def zizmor_binary() -> str | None:
    """The zizmor executable: next to this Python (a venv) or on PATH."""
    local = Path(sys.executable).parent / "zizmor"
    return str(local) if local.exists() else shutil.which("zizmor")


def run_zizmor(files: Mapping[str, str], *, binary: str | None = None) -> ZizmorResult:
    """zizmor's offline audits over ``files`` (repository path -> text). Never raises."""
    binary = binary or zizmor_binary()
    if not binary:
        return ZizmorResult(unavailable="zizmor is not installed")
    wanted = {p: t for p, t in files.items() if _safe_path(p)}
    if not wanted:
        return ZizmorResult()
    with tempfile.TemporaryDirectory(prefix="pitcrew-zizmor-") as tmp:
        root = Path(tmp)
        for path, text in wanted.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        try:
            proc = subprocess.run(
                [binary, "--offline", "--format", "json", "--no-progress", "."],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                env={**os.environ, "NO_COLOR": "1"},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return ZizmorResult(unavailable=f"zizmor could not run: {type(exc).__name__}")
    try:
        data = json.loads(proc.stdout or "null")
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, list):
        reason = (proc.stderr or "").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return ZizmorResult(unavailable=f"zizmor gave no JSON: {reason[0][:200]}")
    return ZizmorResult(findings=[f for f in map(_finding, data) if f is not None])


def _safe_path(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts


def _finding(item: Any) -> Finding | None:
    """One zizmor JSON (v1) finding as a Pitcrew finding; None when its shape is unknown."""
    if not isinstance(item, dict) or not isinstance(item.get("ident"), str):
        return None
    primary = next(
        (
            loc
            for loc in item.get("locations") or []
            if isinstance(loc, dict) and (loc.get("symbolic") or {}).get("kind") == "Primary"
        ),
        None,
    )
    if primary is None:
        return None
    key = (primary["symbolic"].get("key") or {}).get("Local") or {}
    path = str(key.get("verbatim_path") or key.get("given_path") or "").removeprefix("./")
    point = ((primary.get("concrete") or {}).get("location") or {}).get("start_point") or {}
    if not path or not isinstance(point.get("row"), int):
        return None
    ident = item["ident"]
    severity = str((item.get("determinations") or {}).get("severity") or "").lower()
    annotation = str(primary["symbolic"].get("annotation") or "")
    url = str(item.get("url") or f"https://docs.zizmor.sh/audits/#{ident}")
    desc = str(item.get("desc") or ident)
    return Finding(
        file=path,
        rule="zizmor",
        line=point["row"] + 1,
        message=f"zizmor `{ident}`: {desc}" + (f" ({annotation})" if annotation else ""),
        rationale=f"Severity {severity or 'unknown'}; see [{ident}]({url}).",
        audit=ident,
        doc_url=url,
    )


def merge(own: Iterable[Finding], theirs: Iterable[Finding]) -> list[Finding]:
    """Pitcrew's findings plus zizmor's, one per (file, line, kind): where both report the
    same kind at the same place, Pitcrew's finding stays and names zizmor's audit."""
    out = list(own)
    index = {(f.file, f.line, f.rule): f for f in out}
    seen: set[tuple[str, int, str]] = set()
    for finding in theirs:
        kind = SAME_KIND.get(finding.audit, f"zizmor:{finding.audit}")
        key = (finding.file, finding.line, kind)
        if key in seen:
            continue
        seen.add(key)
        mine = index.get(key)
        if mine is not None:
            if finding.doc_url and finding.doc_url not in mine.rationale:
                mine.rationale += f" (also zizmor [{finding.audit}]({finding.doc_url}))"
            continue
        out.append(finding)
    return out
