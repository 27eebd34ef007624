"""The optimizer over real public workflows: every safety property on every output.

Reads ``.github/workflows/*.yml`` at the default branch of bare clones (the action
repositories ``tools/build_action_table.py`` reads; none of their files is committed here) and
splits them by repository into a development half and a held-out half (a hash of the
repository name decides, so the split is stable). For every file: the output parses, keeps
triggers, jobs and steps, changes no line a rule may not rewrite, is idempotent, and (with
actionlint installed) adds no actionlint finding. Prints per-half counts and findings per rule.

    .venv/bin/python bench/real_workflows.py --mirrors DIR [--half held-out|dev|all]
        [--list tools/action_repos.txt | bench/fresh_repos.txt]

``--list bench/fresh_repos.txt``: 30 application repositories (CI + release, SHA pins,
matrices, reusable workflows) first measured on 2026-12-04 before any rule was changed for
them; only their dev half's misses were used for fixes.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.optimize import OptimizeConfig, optimize_text  # noqa: E402
from bot.optimize.actions import bundled_catalog  # noqa: E402
from bot.optimize.lookup import refs_in  # noqa: E402
from tests.optimize.helpers import changed_line_problems, structure  # noqa: E402
from tests.optimize.lint import actionlint, actionlint_binary  # noqa: E402


@dataclass
class Sample:
    repo: str
    path: str
    text: str


@dataclass
class Report:
    refs: int = 0  # step `uses:` of actions (distinct per file)
    judged: int = 0  # ... whose runtime the bundled table knows at that ref
    unknown_repo: int = 0  # ... of repositories the bundled table does not cover
    files: int = 0
    changed: int = 0
    broken_input: int = 0
    problems: list[str] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)
    fixes: Counter[str] = field(default_factory=Counter)


def half_of(repo: str) -> str:
    return "held-out" if hashlib.sha256(repo.lower().encode()).digest()[0] % 2 else "dev"


def _git(gitdir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(gitdir), *args], capture_output=True, check=False
    ).stdout


def samples(mirrors: Path, repos: list[str] | None = None) -> list[Sample]:
    out = []
    for entry in sorted(mirrors.iterdir()):
        if "+" not in entry.name:
            continue
        repo = entry.name.replace("+", "/", 1)
        if repos is not None and repo.lower() not in repos:
            continue
        candidates = (entry / "repo" / ".git", entry / "repo")
        gitdir = next((d for d in candidates if (d / "HEAD").is_file()), None)
        if gitdir is None:
            continue
        listing = _git(gitdir, "ls-tree", "--name-only", "HEAD:.github/workflows/").split()
        for raw in listing:
            name = raw.decode("utf-8", "replace")
            if not name.endswith((".yml", ".yaml")):
                continue
            blob = _git(gitdir, "show", f"HEAD:.github/workflows/{name}")
            try:
                out.append(Sample(repo, f".github/workflows/{name}", blob.decode("utf-8")))
            except UnicodeDecodeError:
                continue
    return out


def check(batch: list[Sample], lint: bool) -> Report:
    report = Report()
    pairs: list[tuple[Sample, str]] = []
    catalog = bundled_catalog()
    for sample in batch:
        report.files += 1
        for ref in refs_in([sample.text]):
            report.refs += 1
            facts = catalog.facts(ref)
            report.judged += bool(facts and facts.using)
            report.unknown_repo += ref.repo not in catalog.repos
        result = optimize_text(sample.path, sample.text, config=OptimizeConfig())
        if result.errors:
            report.broken_input += 1
            continue
        for f in result.findings:
            report.rules[f.rule] += 1
            report.fixes[f.rule] += f.fix
        new = result.changes.get(sample.path, (sample.text, sample.text))[1]
        if new == sample.text:
            continue
        report.changed += 1
        where = f"{sample.repo}:{sample.path}"
        try:
            if structure(new) != structure(sample.text):
                report.problems.append(f"{where}: triggers/jobs/steps changed")
        except Exception as exc:  # the output must parse
            report.problems.append(f"{where}: output does not parse: {exc}")
            continue
        report.problems += [f"{where}: {p}" for p in changed_line_problems(sample.text, new)]
        again = optimize_text(sample.path, new, config=OptimizeConfig())
        if again.changes:
            report.problems.append(f"{where}: not idempotent")
        pairs.append((sample, new))
    if lint and pairs and actionlint_binary():
        report.problems += _lint(pairs)
    return report


def _lint(pairs: list[tuple[Sample, str]]) -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, (sample, new) in enumerate(pairs):
            before, after = Path(tmp) / f"{i}-before.yml", Path(tmp) / f"{i}-after.yml"
            before.write_text(sample.text, encoding="utf-8")
            after.write_text(new, encoding="utf-8")
            files.append((sample, before, after))
        found = actionlint([p for _, a, b in files for p in (a, b)])
        for sample, before, after in files:
            extra = found[str(after.resolve())] - found[str(before.resolve())]
            if extra:
                problems.append(f"{sample.repo}:{sample.path}: new actionlint {dict(extra)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mirrors", type=Path, required=True, help="a folder of bare clones (owner+name/…)"
    )
    parser.add_argument("--half", choices=("dev", "held-out", "all"), default="all")
    parser.add_argument("--no-lint", action="store_true")
    parser.add_argument(
        "--list", type=Path, default=ROOT / "tools" / "action_repos.txt", help="repositories"
    )
    args = parser.parse_args()
    wanted = [
        r.strip().lower()
        for r in args.list.read_text().splitlines()
        if r.strip() and not r.startswith("#")
    ]
    everything = samples(args.mirrors, wanted)
    status = 0
    for half in ("dev", "held-out"):
        if args.half not in (half, "all"):
            continue
        batch = [s for s in everything if half_of(s.repo) == half]
        report = check(batch, not args.no_lint)
        repos = len({s.repo for s in batch})
        print(
            f"{half}: {report.files} workflows from {repos} repositories, "
            f"{report.changed} changed, {report.broken_input} unreadable, "
            f"{len(report.problems)} safety problems"
        )
        print(
            f"    offline coverage: {report.judged} of {report.refs} action refs judged by the "
            f"bundled table; {report.unknown_repo} in repositories it does not cover, "
            f"{report.refs - report.judged - report.unknown_repo} at refs it does not know"
        )
        for rule, n in sorted(report.rules.items()):
            print(f"    {rule:18} {n:5} findings, {report.fixes[rule]:5} fixes")
        for problem in report.problems[:50]:
            print("    PROBLEM", problem)
        status |= bool(report.problems)
    return status


if __name__ == "__main__":
    sys.exit(main())
