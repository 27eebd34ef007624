"""Corpus loading shared by the optimizer tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.optimize import OptimizeConfig, OptimizeResult, optimize_text

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
