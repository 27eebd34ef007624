"""Build ``bot/optimize/data/actions.json`` from bare clones of the actions' own repositories.

Every fact in the table is read from the action's repository itself, not typed in by hand:

* ``tags``: every release tag (``v1``, ``v1.2``, ``v1.2.3``, with or without the ``v``) and
  the commit it points to (annotated tags peeled);
* ``runs``: for each action in the repository (the root ``action.yml``/``action.yaml`` and
  those one or two folders down, e.g. ``github/codeql-action/init``) and each tagged commit,
  the ``runs.using`` value read from that commit's ``action.yml``;
* ``inputs``: the input names of the newest release of each major (a proposal that would drop
  an input the step passes is not applied);
* ``composite``: for composite actions, the ``uses:`` of their own steps at that commit (the
  rule looks one level deep);
* ``head``/``branches``: the default branch, ``main``/``master`` and branches named like a
  release (``v1``: some actions keep their majors as branches), so such refs can be judged;
* ``archived``: a README at the default branch that says the repository is archived,
  deprecated or unmaintained (the evidence line is kept). A clone cannot see GitHub's own
  archived flag, so this is a lower bound.

Usage (clones are bare git directories, e.g. what the team's ``fetch`` tool returns)::

    python tools/build_action_table.py --mirrors DIR > bot/optimize/data/actions.json
    python tools/build_action_table.py --mirrors DIR --only actions/checkout,...

The repositories covered are listed in ``tools/action_repos.txt``.

A directory ``<owner>+<repo>/repo`` (or ``…/repo/.git``) under ``--mirrors`` is one repository.
To refresh: fetch newer clones into the same layout and run the command again.

The facts above are gathered per SHA (schema 1) and written in schema 2
(``bot/optimize/table.py``: each commit SHA once per repository, runtimes one character per
commit, equal input lists once) — the same facts in about half the bytes; the loader expands
it back.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.optimize.table import compact

RELEASE_TAG = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
_SKIP_DIR = re.compile(r"(^|/)(\.github|node_modules|__tests__|tests?|test-data|examples?|docs?)/")
_ARCHIVED = re.compile(
    r"this (repository|repo|action|project) (is|has been|is now|is being)[^.]{0,40}"
    r"(archived|deprecated|no longer (actively )?maintained)|"
    r"marked this repository as archived|^\W*archived on\b|repository will remain[^.]*archived",
    re.I,
)


def git(gitdir: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(
        ["git", "--git-dir", str(gitdir), *args], capture_output=True, text=True, check=False
    )
    if check and proc.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout


def release_tags(gitdir: Path) -> dict[str, str]:
    """Release tag → commit SHA (annotated tags peeled)."""
    out = git(
        gitdir,
        "for-each-ref",
        "refs/tags",
        "--format=%(refname:strip=2) %(objectname) %(*objectname)",
    )
    tags: dict[str, str] = {}
    for line in out.splitlines():
        name, obj, peeled = [*line.split(" "), "", ""][:3]
        if RELEASE_TAG.match(name):
            tags[name] = peeled or obj
    return tags


def release_branches(gitdir: Path, default: str) -> dict[str, str]:
    """Branches that workflows reference as refs: majors kept as branches (``v1``), the
    default branch, ``main`` and ``master``."""
    out = git(gitdir, "for-each-ref", "refs/heads", "--format=%(refname:strip=2) %(objectname)")
    branches: dict[str, str] = {}
    for line in out.splitlines():
        name, _, commit = line.partition(" ")
        if RELEASE_TAG.match(name) or name in (default, "main", "master"):
            branches[name] = commit
    return branches


def version_key(tag: str) -> tuple[int, int, int, int]:
    m = RELEASE_TAG.match(tag)
    assert m
    parts = [int(g) if g is not None else -1 for g in m.groups()]
    # a full version sorts above its moving major tag (v4.2.1 > v4.2 > v4)
    return parts[0], parts[1], parts[2], sum(p >= 0 for p in parts)


class BatchReader:
    """``git cat-file --batch``: one process reads every blob of a repository."""

    def __init__(self, gitdir: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "--git-dir", str(gitdir), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def read(self, spec: str) -> bytes | None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(spec.encode() + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None
        size = int(header[2])
        data = self.proc.stdout.read(size)
        self.proc.stdout.read(1)
        return data if header[1] == b"blob" else None

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


def newest_per_major(tags: dict[str, str]) -> list[str]:
    """Commits of the newest release of each major (the releases a proposal can name)."""
    newest: dict[str, str] = {}
    for tag in tags:
        major = RELEASE_TAG.match(tag)
        if major and (
            major.group(1) not in newest or version_key(tag) > version_key(newest[major.group(1)])
        ):
            newest[major.group(1)] = tag
    return sorted({tags[t] for t in newest.values()})


def action_paths(gitdir: Path, commit: str) -> list[str]:
    """'' for a root action plus sub-folders (one or two down) holding an action.yml."""
    listing = git(gitdir, "ls-tree", "-r", "--name-only", commit, check=False).splitlines()
    out = set()
    for path in listing:
        m = re.match(r"^(?:(.+)/)?action\.ya?ml$", path)
        if not m:
            continue
        folder = m.group(1) or ""
        if folder.count("/") > 1 or _SKIP_DIR.search(folder + "/"):
            continue
        out.add(folder)
    return sorted(out)


def action_inputs(blob: bytes) -> list[str]:
    try:
        data = yaml.safe_load(blob.decode("utf-8", "replace"))
    except yaml.YAMLError:
        return []
    inputs = data.get("inputs") if isinstance(data, dict) else None
    return sorted(str(k) for k in inputs) if isinstance(inputs, dict) else []


def parse_action(blob: bytes) -> tuple[str, list[str]] | None:
    """(runs.using, uses of its composite steps) from an action.yml, None when unreadable."""
    try:
        data = yaml.safe_load(blob.decode("utf-8", "replace"))
    except yaml.YAMLError:
        return None
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, dict) or not isinstance(runs.get("using"), str):
        return None
    using = runs["using"].strip().lower()
    uses = []
    if using == "composite":
        for step in runs.get("steps") or []:
            if isinstance(step, dict) and isinstance(step.get("uses"), str):
                uses.append(step["uses"].strip())
    return using, uses


def read_action(reader: BatchReader, commit: str, folder: str) -> tuple[str, list[str]] | None:
    prefix = f"{folder}/" if folder else ""
    for name in ("action.yml", "action.yaml"):
        blob = reader.read(f"{commit}:{prefix}{name}")
        if blob is not None:
            return parse_action(blob)
    return None


def archived_evidence(reader: BatchReader, head: str) -> str:
    for name in ("README.md", "readme.md", "README.rst", "README"):
        blob = reader.read(f"{head}:{name}")
        if blob is None:
            continue
        for line in blob.decode("utf-8", "replace").splitlines()[:25]:
            if _ARCHIVED.search(line) and "badge" not in line.lower():
                return line.strip()[:200]
        return ""
    return ""


def build_repo(gitdir: Path) -> dict[str, Any]:
    tags = release_tags(gitdir)
    branch = git(gitdir, "symbolic-ref", "--short", "HEAD", check=False).strip() or "main"
    head = git(gitdir, "rev-parse", "HEAD", check=False).strip()
    newest = max(tags, key=version_key) if tags else head
    folders = action_paths(gitdir, tags[newest] if tags else head)
    reader = BatchReader(gitdir)
    try:
        runs: dict[str, dict[str, str]] = {f: {} for f in folders}
        composite: dict[str, dict[str, list[str]]] = {}
        branches = release_branches(gitdir, branch)
        for commit in sorted({*tags.values(), *branches.values(), head}):
            for folder in folders:
                parsed = read_action(reader, commit, folder)
                if parsed is None:
                    continue
                runs[folder][commit] = parsed[0]
                if parsed[0] == "composite" and parsed[1]:
                    composite.setdefault(folder, {})[commit] = parsed[1]
        inputs: dict[str, dict[str, list[str]]] = {}
        for commit in newest_per_major(tags):
            for folder in folders:
                prefix = f"{folder}/" if folder else ""
                for name in ("action.yml", "action.yaml"):
                    blob = reader.read(f"{commit}:{prefix}{name}")
                    if blob is not None:
                        inputs.setdefault(folder, {})[commit] = action_inputs(blob)
                        break
        evidence = archived_evidence(reader, head)
    finally:
        reader.close()
    entry: dict[str, Any] = {
        "head": {"branch": branch, "sha": head},
        "branches": branches,
        "tags": dict(sorted(tags.items(), key=lambda kv: version_key(kv[0]))),
        "runs": {f: r for f, r in runs.items() if r},
    }
    if composite:
        entry["composite"] = composite
    if inputs:
        entry["inputs"] = inputs
    if evidence:
        entry["archived"] = evidence
    return entry


def find_gitdirs(mirrors: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for entry in sorted(mirrors.iterdir()):
        if "+" not in entry.name or not entry.is_dir():
            continue
        owner, _, name = entry.name.partition("+")
        for candidate in (entry / "repo" / ".git", entry / "repo"):
            if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
                out[f"{owner}/{name}".lower()] = candidate
                break
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of bare clones")
    parser.add_argument(
        "--list",
        type=Path,
        default=Path(__file__).with_name("action_repos.txt"),
        help="owner/repo per line (default: tools/action_repos.txt)",
    )
    parser.add_argument("--only", help="comma-separated owner/repo list (default: --list)")
    parser.add_argument("--exclude", help="comma-separated owner/repo list to leave out")
    args = parser.parse_args(argv)
    gitdirs = find_gitdirs(args.mirrors)
    if args.only:
        wanted = {r.strip().lower() for r in args.only.split(",") if r.strip()}
    else:
        lines = args.list.read_text(encoding="utf-8").splitlines()
        wanted = {r.strip().lower() for r in lines if r.strip() and not r.startswith("#")}
    missing = sorted(wanted - gitdirs.keys())
    if missing:
        print(f"no clone for: {', '.join(missing)}", file=sys.stderr)
    gitdirs = {k: v for k, v in gitdirs.items() if k in wanted}
    if args.exclude:
        unwanted = {r.strip().lower() for r in args.exclude.split(",")}
        gitdirs = {k: v for k, v in gitdirs.items() if k not in unwanted}
    repos: dict[str, Any] = {}
    for name, gitdir in gitdirs.items():
        try:
            entry = build_repo(gitdir)
        except (RuntimeError, OSError) as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)
            continue
        if not entry["runs"]:
            print(f"skipped {name}: no action.yml at its newest release", file=sys.stderr)
            continue
        repos[name] = entry
    table = {
        "schema": 1,
        "built": datetime.now(UTC).strftime("%Y-%m-%d"),
        "how": "tools/build_action_table.py over bare clones: runs.using read from each "
        "tagged commit's own action.yml",
        "repos": repos,
    }
    # written as schema 2: each SHA once per repository, referred to by position (lossless)
    json.dump(compact(table), sys.stdout, separators=(",", ":"), sort_keys=False)
    sys.stdout.write("\n")
    print(f"{len(repos)} repositories", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
