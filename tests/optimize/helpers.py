"""Corpus loading shared by the optimizer tests and the benchmark."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.optimize import OptimizeConfig, OptimizeResult, optimize_text
from bot.optimize.rules.runners import RETIRED_IMAGES

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
GOLDEN = HERE / "golden"


@dataclass
class Case:
    name: str
    path: str  # the path the engine sees
    text: str
    repo_files: set[str]
    config: OptimizeConfig


def load_case(file: Path) -> Case:
    text = file.read_bytes().decode("utf-8")
    header = text.splitlines()[0].removeprefix("# corpus:").strip()
    fields = dict(part.strip().split("=", 1) for part in header.split(";") if "=" in part)
    files = set(fields.get("files", "").split())
    facts = {}
    if fields.get("merge_queue"):
        facts["merge_queue_branches"] = frozenset(fields["merge_queue"].split())
    if fields.get("required"):
        facts["required_checks"] = frozenset(fields["required"].split())
    is_action = "runs:\n" in text and "using: composite" in text
    path = (
        f".github/actions/{file.stem}/action.yml" if is_action else f".github/workflows/{file.name}"
    )
    return Case(file.stem, path, text, files, OptimizeConfig(**facts))


def cases() -> list[Case]:
    return [load_case(f) for f in sorted(CORPUS.glob("*.yml"))]


def run_case(case: Case, text: str | None = None) -> OptimizeResult:
    return optimize_text(
        case.path,
        case.text if text is None else text,
        repo_files=case.repo_files,
        config=case.config,
    )


# Lines a rule may rewrite in place (everything else is insert-only).
REWRITABLE = re.compile(
    r"uses:|::(set-output|save-state|set-env|add-path)|head_ref|^on:|"
    + "|".join(re.escape(label) for label in RETIRED_IMAGES)
)


def structure(text: str) -> tuple[Any, ...]:
    """Triggers and, per job, the steps (action or run): what no rule may change."""
    data = yaml.safe_load(text) or {}
    on = data.get("on", data.get(True))
    if isinstance(on, str):
        on = [on]
    triggers = sorted(set(on or []) - {"merge_group"})
    jobs = data.get("jobs") or {"(action)": (data.get("runs") or {})}
    shape = {
        job_id: [
            (str(s.get("uses", "")).split("@")[0], "run" in s)
            for s in ((job or {}).get("steps") or [])
            if isinstance(s, dict)
        ]
        for job_id, job in jobs.items()
        if isinstance(job, dict) or job is None
    }
    return triggers, shape


def changed_line_problems(old: str, new: str) -> list[str]:
    """Lines of ``old`` that ``new`` rewrites although no rule may rewrite them in place."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    problems = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            for line in old_lines[i1:i2]:
                unterminated_last = line is old_lines[-1] and not line.endswith("\n")
                if not (REWRITABLE.search(line) or unterminated_last):
                    problems.append(f"{tag}: {line!r}")
    all_crlf = bool(old_lines) and all(line.endswith("\r\n") for line in old_lines)
    if all_crlf and not all(line.endswith("\r\n") for line in new_lines):
        problems.append("CRLF line breaks lost")
    if new.endswith("\n") != old.endswith("\n"):
        problems.append("final newline changed")
    return problems
