"""Key-line agreement with LogChunks, a third party's labels of the same kind of logs.

``python tests/diagnose/corpus/logchunks.py --repo GIT_DIR [--labels YML] [--json] [-v]``

``GIT_DIR`` is a clone of https://github.com/lacinoire/master-thesis (``git clone --bare``
is enough). That repository holds the LogChunks data set (Brandt et al., "LogChunks: A Data
Set for Build Log Analysis", MSR 2020): 797 failed Travis CI job logs from 80 projects in 29
languages, and for each log the chunk of text a person chose as *the reason the build failed*
(``tool/example-sets/BuildFailureReason/<Lang>/<owner>@<repo>.xml``, ``<Output>``).

Our corpus samples its ``b6q_``–``b12q_`` logs from the same files and labels them by hand;
the rest of the 797 have never been opened by anyone writing rules. This script runs the
engine over all of them and asks one question per log: **is a line of the LogChunks chunk
among the engine's key lines?** It needs no label of ours, so it measures the key line on
hundreds of logs no rule was written from, against labels no one on this project wrote.

Groups: ``design`` and ``test`` (the log is in our corpus, in that half) and ``unsampled``
(not in our corpus: the cleanest figure). Only aggregates are printed for ``test`` and
``unsampled``; ``-v`` lists misses of the design group alone, so that looking at misses can
never turn held-out logs into design material.

A key line *agrees* when it contains a chunk line or a chunk line contains it (both without
ANSI codes, whitespace collapsed, at least 8 characters and one letter). ``first`` counts
only the engine's first key line. ``unknown`` is the share of logs the engine calls
``unknown``: every one of these logs has a chunk, so a person could say why it failed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped,unused-ignore]

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bot.diagnose.engine import diagnose

sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy

COMMIT = "647916a705a9c52fabd957e69d7893c07140ca12"
EXAMPLES = "tool/example-sets/BuildFailureReason"
ANSI = re.compile(r"[\x1b\u241b]\[[0-9;]*[A-Za-z]|[\x1b\u241b]\(B")
# XML 1.0 forbids most control characters, but the example sets hold the logs' raw ESC bytes
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MIN_CHARS = 8


@dataclass(frozen=True)
class Example:
    """One labelled log: its path under ``tool/samples/`` and the chunk a person chose."""

    path: str
    chunk: str


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True
    ).stdout


def examples(repo: Path, commit: str = COMMIT) -> Iterator[Example]:
    """Every (log, chunk) pair of the BuildFailureReason example sets."""
    listing = _git(repo, "ls-tree", "-r", "--name-only", commit, EXAMPLES).decode()
    for xml_path in sorted(p for p in listing.splitlines() if p.endswith(".xml")):
        xml = _git(repo, "show", f"{commit}:{xml_path}").decode("utf-8", "replace")
        root = fromstring(CONTROL.sub(lambda m: "\u241b" if m[0] == "\x1b" else "", xml))
        for item in root.iter("ExampleDataOfString"):
            path, chunk = item.findtext("InputPath"), item.findtext("Output")
            if path and chunk:
                yield Example(path, chunk)


def clean(text: str) -> str:
    """A line as a reader sees it: no colour codes, no carriage-return overdraw, one space."""
    text = ANSI.sub("", text).rstrip("\r")
    text = text.rsplit("\r", 1)[-1]
    return " ".join(text.split())


def chunk_lines(chunk: str) -> list[str]:
    lines = (clean(line) for line in chunk.splitlines())
    return [ln for ln in lines if len(ln) >= MIN_CHARS and re.search(r"[A-Za-z]", ln)]


def agrees(key_line: str, wanted: list[str]) -> bool:
    key = clean(key_line)
    if len(key) < MIN_CHARS:
        return False
    return any(w in key or key in w for w in wanted)


def corpus_groups(labels: Path | None) -> dict[str, str]:
    """``tool/samples/…`` path → ``design`` or ``test`` for logs already in our corpus.

    ``labels``: another expected.yml to group by (to compare two versions of the engine on
    the same groups while a batch is being added); the checkout's own when None.
    """
    expected = (
        yaml.safe_load(labels.read_text(encoding="utf-8")) if labels else accuracy.load_expected()
    )
    groups = {}
    for name, label in expected.items():
        provenance = str(label.get("provenance", ""))
        if "/tool/samples/" in provenance:
            path = unquote(provenance.split("/tool/samples/", 1)[1])
            groups[path] = accuracy.split_of(f"{name}.log")
    return groups


def score(
    repo: Path, labels: Path | None, verbose: bool = False, commit: str = COMMIT
) -> dict[str, dict[str, Any]]:
    groups = corpus_groups(labels)
    tally: dict[str, dict[str, Any]] = {}
    for example in examples(repo, commit):
        group = groups.get(example.path, "unsampled")
        wanted = chunk_lines(example.chunk)
        if not wanted:
            continue  # a chunk of only short or symbol lines says nothing to match
        log = _git(repo, "show", f"{commit}:tool/samples/{example.path}")
        got = diagnose(log, name=example.path)
        keys = [k.text for k in got.key_lines]
        cell = tally.setdefault(group, {"logs": 0, "any": 0, "first": 0, "unknown": 0})
        cell["logs"] += 1
        hit = any(agrees(k, wanted) for k in keys)
        cell["any"] += hit
        cell["first"] += bool(keys) and agrees(keys[0], wanted)
        cell["unknown"] += got.category == "unknown"
        if verbose and group == "design" and not hit:
            print(f"miss {example.path}: chunk {wanted[0]!r}; keys {keys[:2]!r}", file=sys.stderr)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="git dir of master-thesis")
    parser.add_argument("--labels", type=Path, help="group by this expected.yml instead")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="design-group misses")
    args = parser.parse_args(argv)
    tally = score(args.repo, args.labels, args.verbose)
    if args.json:
        json.dump(tally, sys.stdout, indent=2)
        return 0
    print("| group | logs | a key line agrees | first key line agrees | unknown |")
    print("| --- | --- | --- | --- | --- |")
    for group in ("design", "test", "unsampled"):
        cell = tally.get(group)
        if cell:
            n = cell["logs"]
            cells = [f"{100 * cell[k] / n:.1f} %" for k in ("any", "first", "unknown")]
            print(f"| {group} | {n} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
