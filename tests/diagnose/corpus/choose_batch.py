"""Choose the next collection round of sampled Travis CI logs, by the corpus's fixed rule.

``python tests/diagnose/corpus/choose_batch.py --repo GIT_DIR --batch N [--unused-batch M ...]``

``GIT_DIR`` is a clone of https://github.com/lacinoire/master-thesis. The rule (batches
6-14): for each language under ``tool/samples/<Lang>/<owner>@<repo>/failed/*.log``, sort
the logs by ``sha256(path)`` and take the first 2 whose path no label's provenance names.
Each is named ``b<N>q_<lang>_<owner>_<repo>_<job id>`` (lower case; ``c++`` → ``cpp``, ``c#``
→ ``csharp``, ``objective-c`` → ``objc``, other characters → ``_``) and falls in the half
:func:`accuracy.split_of` gives its file name. ``--unused-batch M`` counts the logs of
``batch: M`` labels as unused, to rebuild a round that was only partly labelled (batch 14's
test half went in before its design half). Prints a JSON list of ``{name, path, half}``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy

COMMIT = "647916a705a9c52fabd957e69d7893c07140ca12"
SAMPLES = "tool/samples/"
PER_LANGUAGE = 2
_SAMPLE = re.compile(r"tool/samples/([^/]+)/([^/@]+)@([^/]+)/failed/([^/]+)\.log$")
_LANGUAGE_NAMES = {"c++": "cpp", "c#": "csharp", "objective-c": "objc"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "_", text.lower())


def log_name(path: str, batch: int) -> str:
    """``tool/samples/C++/electron@electron/failed/303.log`` →
    ``b<batch>q_cpp_electron_electron_303``."""
    match = _SAMPLE.match(path)
    if match is None:
        raise ValueError(f"not a sampled failed log: {path}")
    language, owner, repo, job = match.groups()
    language = _LANGUAGE_NAMES.get(language.lower(), language)
    return f"b{batch}q_{_slug(language)}_{_slug(owner)}_{_slug(repo)}_{job}"


def used_paths(labels: dict[str, dict[str, Any]], unused_batches: set[int]) -> set[str]:
    """The sample paths (``tool/samples/…``) that labels already name."""
    used = set()
    for label in labels.values():
        if accuracy.batch_of(label) in unused_batches:
            continue
        provenance = str(label.get("provenance", ""))
        if "/" + SAMPLES in provenance:
            used.add(SAMPLES + unquote(provenance.split("/" + SAMPLES, 1)[1]))
    return used


def choose(paths: list[str], used: set[str], batch: int) -> list[dict[str, str]]:
    by_language: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        if _SAMPLE.match(path):
            by_language[path[len(SAMPLES) :].split("/", 1)[0]].append(path)
    chosen = []
    for language in sorted(by_language):
        ranked = sorted(by_language[language], key=lambda p: hashlib.sha256(p.encode()).hexdigest())
        for path in [p for p in ranked if p not in used][:PER_LANGUAGE]:
            name = log_name(path, batch)
            chosen.append({"name": name, "path": path, "half": accuracy.split_of(f"{name}.log")})
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="git dir of master-thesis")
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--unused-batch", type=int, action="append", default=[])
    parser.add_argument("--commit", default=COMMIT)
    args = parser.parse_args(argv)
    listing = subprocess.run(
        ["git", "--git-dir", str(args.repo), "ls-tree", "-r", "--name-only", args.commit, SAMPLES],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    used = used_paths(accuracy.load_expected(), set(args.unused_batch))
    json.dump(choose(listing, used, args.batch), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
