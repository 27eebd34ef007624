"""Benchmark the rebase engine on a generated repository.

(a) ``pitcrew rebase --check-only`` over all PR heads (one process, batched resolution and
    ancestry, merges in a thread pool, conflict line ranges) against a shell loop of plain
    ``git merge-tree --write-tree`` over the same heads, in the same run. Target ratio <= 1.3.
(b) the mirror cache (one blobless mirror, incremental fetch per event) against a fresh clone
    per PR event: time and disk.

Usage: ``.venv/bin/python bench/rebase.py [--quick] [--commits N] [--prs N] [--events N]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.rebase.check import check_heads  # noqa: E402
from bot.rebase.mirror import MirrorCache, dir_size  # noqa: E402

ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "LC_ALL": "C",
    "HOME": tempfile.gettempdir(),
}
FILES, LINES = 200, 40


def git(repo: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(repo), *args], env=ENV, check=True, capture_output=True, **kw
    )


def _data(lines: list[str]) -> bytes:
    body = "".join(lines).encode()
    return b"data %d\n%s\n" % (len(body), body)


def generate(repo: Path, commits: int, prs: int, seed: int = 7) -> list[str]:
    """A bare repo: ``commits`` on main, ``prs`` PR branches (also as refs/pull/N/head)."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(repo)], env=ENV, check=True)
    files = {
        f"src/mod{i:03d}.py": [f"value_{i}_{j} = {j}\n" for j in range(LINES)] for i in range(FILES)
    }
    out = bytearray()
    ts = 1_600_000_000

    def commit(
        ref: str, mark: int, parent: int | None, msg: str, changes: dict[str, list[str]]
    ) -> None:
        nonlocal ts
        ts += 60
        out.extend(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
        out.extend(b"author Dev <dev@example.com> %d +0000\n" % ts)
        out.extend(b"committer Dev <dev@example.com> %d +0000\n" % ts)
        out.extend(_data([msg]))
        if parent:
            out.extend(b"from :%d\n" % parent)
        for path, lines in changes.items():
            out.extend(b"M 100644 inline %s\n" % path.encode())
            out.extend(_data(lines))

    commit("refs/heads/main", 1, None, "initial", dict(files))
    snapshots: dict[int, dict[str, list[str]]] = {}
    fork_from = range(int(commits * 0.9), commits - 20)
    for n in range(2, commits + 1):
        path = f"src/mod{rng.randrange(FILES):03d}.py"
        lines = list(files[path])
        j = rng.randrange(LINES)
        lines[j] = f"value_main_{n} = {n}\n"
        files[path] = lines
        commit("refs/heads/main", n, n - 1, f"main change {n}", {path: lines})
        if n in fork_from:
            snapshots[n] = {p: files[p] for p in files}
    heads = []
    forks = sorted(
        rng.sample(list(snapshots), min(prs, len(snapshots))) * (prs // len(snapshots) + 1)
    )[:prs]
    for k, at in enumerate(forks):
        mark = commits + 1 + k
        snap = snapshots[at]
        path = f"src/mod{rng.randrange(FILES):03d}.py"
        lines = list(snap[path])
        lines[rng.randrange(LINES)] = f"value_pr_{k} = {k}\n"
        name = f"pr/{k:03d}"
        commit(f"refs/heads/{name}", mark, at, f"PR {k}", {path: lines})
        out.extend(b"reset refs/pull/%d/head\nfrom :%d\n\n" % (k + 1, mark))
        heads.append(name)
    git(repo, "fast-import", "--quiet", input=bytes(out))
    git(repo, "config", "uploadpack.allowFilter", "true")
    git(repo, "gc", "--quiet")
    git(repo, "commit-graph", "write", "--reachable")
    return heads


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def bench_check(repo: Path, heads: list[str], repeat: int) -> None:
    pitcrew = [str(ROOT / ".venv" / "bin" / "pitcrew")]
    if not Path(pitcrew[0]).exists():
        pitcrew = [sys.executable, "-m", "bot"]
    cmd = [
        *pitcrew,
        "rebase",
        "--repo",
        str(repo),
        "--base",
        "main",
        "--check-only",
        "--format",
        "json",
    ]
    for h in heads:
        cmd += ["--head", h]
    loop = 'for h in "$@"; do git merge-tree --write-tree main "$h" >/dev/null; done'
    shell = ["sh", "-c", loop, "sh", *heads]

    def ours() -> None:
        proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, env={**os.environ})
        if proc.returncode not in (0, 1):
            raise SystemExit(proc.stderr.decode())

    def baseline() -> None:
        subprocess.run(shell, env=ENV, cwd=repo, check=True, capture_output=True)

    module = [sys.executable, "-m", "bot.rebase.cli", *cmd[len(pitcrew) + 1 :]]

    def via_module() -> None:
        subprocess.run(module, capture_output=True, cwd=ROOT)

    def inproc() -> None:
        check_heads(repo, "main", heads)

    ours()  # warm caches for all
    baseline()
    # Interleaved, so background load on a shared machine hits every variant alike.
    runs: dict[str, list[float]] = {"base": [], "ours": [], "module": [], "inproc": []}
    for _ in range(repeat):
        for key, fn in (
            ("base", baseline),
            ("ours", ours),
            ("module", via_module),
            ("inproc", inproc),
        ):
            t = time.perf_counter()
            fn()
            runs[key].append(time.perf_counter() - t)
    t_base, t_ours, t_module, t_inproc = (statistics.median(runs[k]) for k in runs)
    results = json.loads(subprocess.run(cmd, capture_output=True, cwd=ROOT).stdout)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"(a) check {len(heads)} heads   verdicts: {counts}")
    print(f"    shell loop of git merge-tree : {t_base:7.3f} s")
    print(
        f"    pitcrew rebase --check-only  : {t_ours:7.3f} s   "
        f"ratio {t_ours / t_base:.2f} (target <= 1.3)"
    )
    print(
        f"    python -m bot.rebase.cli     : {t_module:7.3f} s   ratio {t_module / t_base:.2f}"
        "  (same command, skips loading the other engines' CLIs)"
    )
    print(
        f"    check_heads() in process     : {t_inproc:7.3f} s   ratio {t_inproc / t_base:.2f}"
        "  (what the service calls)"
    )


def bench_mirror(origin: Path, events: int, work: Path) -> None:
    url = origin.as_uri()
    cache = MirrorCache(work / "cache", 10**11, protocols=("file",))
    t = time.perf_counter()
    with cache.open_sync("bench/repo", url, branches=["main"]):
        pass
    t_create = time.perf_counter() - t
    t = time.perf_counter()
    for n in range(1, events + 1):
        with cache.open_sync("bench/repo", url, branches=["main"], pulls=[n]) as g:
            check_heads(g, "main", [f"refs/pull/{n}/head"])
    t_mirror = time.perf_counter() - t
    mirror_disk = cache.usage()

    t = time.perf_counter()
    clone_disk = 0
    for n in range(1, events + 1):
        dest = work / f"clone-{n}"
        subprocess.run(["git", "clone", "-q", "--no-local", url, str(dest)], env=ENV, check=True)
        git(dest, "fetch", "-q", "origin", f"refs/pull/{n}/head")
        subprocess.run(
            ["git", "-C", str(dest), "merge-tree", "--write-tree", "origin/main", "FETCH_HEAD"],
            env=ENV,
            capture_output=True,
        )
        clone_disk = max(clone_disk, dir_size(dest))
        shutil.rmtree(dest)
    t_clone = time.perf_counter() - t
    print(f"(b) {events} PR events")
    print(
        f"    fresh clone per event        : {t_clone:7.3f} s  "
        f"({t_clone / events * 1000:.0f} ms/event), "
        f"{clone_disk / 1e6:.1f} MB per clone"
    )
    print(
        f"    mirror cache (incremental)   : {t_mirror:7.3f} s  "
        f"({t_mirror / events * 1000:.0f} ms/event), "
        f"one-time creation {t_create:.2f} s, {mirror_disk / 1e6:.1f} MB total"
    )
    print(
        f"    time ratio mirror/clone      : {t_mirror / t_clone:.2f}   "
        f"disk ratio {mirror_disk / clone_disk:.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small run (1,000 commits, 40 PRs)")
    ap.add_argument("--commits", type=int)
    ap.add_argument("--prs", type=int)
    ap.add_argument("--events", type=int)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    commits = a.commits or (1000 if a.quick else 5000)
    prs = a.prs or (40 if a.quick else 200)
    events = a.events or (5 if a.quick else 20)
    with tempfile.TemporaryDirectory(prefix="pitcrew-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        heads = generate(work / "origin.git", commits, prs)
        print(
            f"generated {commits} commits, {len(heads)} PR branches "
            f"in {time.perf_counter() - t:.1f} s"
            f" (cores: {os.cpu_count()})"
        )
        bench_check(work / "origin.git", heads, a.repeat)
        bench_mirror(work / "origin.git", events, work)


if __name__ == "__main__":
    main()
