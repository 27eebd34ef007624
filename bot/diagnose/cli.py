"""``pitcrew diagnose FILE [FILE …] [--format json|markdown|text] [--rules RULES.yml]``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import yaml

from .engine import Diagnosis, diagnose
from .rules import RuleError, load_rules


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diagnose",
        help="diagnose failed CI job logs (GitHub Actions or plain text)",
        description="Name the failing step, cause, failing tests and key lines of CI logs.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="job log file, or - for stdin")
    parser.add_argument(
        "--format", choices=("json", "markdown", "text"), default="text", help="output format"
    )
    parser.add_argument(
        "--rules",
        metavar="YAML",
        help="extra rules (a YAML list, or a mapping with a `rules` list) merged over shipped ones",
    )
    parser.set_defaults(func=run)


def _load_extra(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if isinstance(data, dict):
        data = data.get("rules", data.get("diagnose", {}).get("rules"))
    if not isinstance(data, list):
        raise RuleError(f"{path}: expected a list of rules")
    return data


def run(args: argparse.Namespace) -> int:
    try:
        ruleset = load_rules(_load_extra(args.rules) if args.rules else None)
    except (OSError, yaml.YAMLError, RuleError) as exc:
        print(f"pitcrew diagnose: rules: {exc}", file=sys.stderr)
        return 2
    results: list[Diagnosis | dict[str, str]] = []
    status = 0
    for path in args.files:
        try:
            if path == "-":
                results.append(diagnose(sys.stdin.buffer, name="-", rules=ruleset))
            else:
                results.append(diagnose(path, name=path, rules=ruleset))
        except OSError as exc:
            message = f"{path}: {exc.strerror or exc}"
            print(f"pitcrew diagnose: {message}", file=sys.stderr)
            results.append({"file": path, "error": exc.strerror or str(exc)})
            status = 1
    _emit(results, args.format, several=len(args.files) > 1)
    return status


def _emit(results: list[Diagnosis | dict[str, str]], fmt: str, several: bool) -> None:
    """JSON keeps one entry per FILE in order (``{"file", "error"}`` for unreadable ones)."""
    if fmt == "json":
        objs = [r if isinstance(r, dict) else r.to_dict() for r in results]
        json.dump(objs if several else (objs[0] if objs else None), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif fmt == "markdown":
        from .render import render_job_section

        for result in results:
            if not isinstance(result, dict):
                sys.stdout.write(render_job_section({"name": result.file, "diagnosis": result}))
                sys.stdout.write("\n")
    else:
        for result in results:
            if not isinstance(result, dict):
                sys.stdout.write(format_text(result))


def format_text(d: Diagnosis) -> str:
    lines = [
        f"{d.file}: {d.category} (confidence {d.confidence:.2f}"
        + (f", rule {d.rule}" if d.rule else "")
        + (", retryable" if d.retryable else "")
        + ")"
    ]
    if d.failing_step:
        lines.append(f"  step {d.failing_step_number}: {d.failing_step}")
    if d.hint:
        lines.append(f"  hint: {d.hint}")
    for failure in d.failures[:20]:
        where = f" ({failure.location})" if failure.location else ""
        message = f": {failure.message}" if failure.message else ""
        lines.append(f"  failing: {failure.test}{message}{where}")
    if d.alternative:
        lines.append(f"  evidence is split; may also be {d.alternative.get('category')}")
    for key in d.key_lines:
        where = f" (step {key.step} line {key.step_line})" if key.step else ""
        lines.append(f"  {key.line:>7}{where}: {key.text}")
    return "\n".join(lines) + "\n"
