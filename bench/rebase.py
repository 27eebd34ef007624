"""Benchmark the rebase engine on a generated repository.

(a) ``pitcrew rebase --check-only`` over all PR heads (one process, batched resolution and
    ancestry, merges in a thread pool, conflict line ranges) against a shell loop of plain
    ``git merge-tree --write-tree`` over the same heads, in the same run. Target ratio <= 1.3.
(b) the mirror cache (one blobless mirror, incremental fetch per event) against a fresh clone
    per PR event: time and disk.

(c) ``--real DIR…``: the same check against the newest N pull-request heads
    (``refs/pull/<n>/head``, highest numbers first) of real bare clones, per repository: the
    verdict counts, git's per-head ``merge-tree`` loop, Pitcrew's time, the ratio (target
    <= 1.0; the median of per-round ratios, each round's two runs side by side in time), CPU
    seconds of each, and peak RSS (Pitcrew's own process, and the largest git
    process it ran). Verdicts are checked against the loop's exit codes.

Usage: ``.venv/bin/python bench/rebase.py [--quick] [--commits N] [--prs N] [--events N]``
       ``.venv/bin/python bench/rebase.py --real DIR [DIR …] [--heads N] [--repeat N]``
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


RSS_PROBE = """
import json, resource, sys
from bot.__main__ import main
sys.stdout = open(sys.argv[1], "w")
rc = main(sys.argv[2:])
sys.stdout.flush()
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "self_kb": own, "children_kb": kids}), file=sys.stderr)
"""


def pr_heads(repo: Path, n: int) -> list[str]:
    """The newest ``n`` pull-request head refs (highest PR numbers first)."""
    out = git(repo, "for-each-ref", "--format=%(refname)", "refs/pull/*/head", text=True).stdout
    refs = [r for r in out.split() if r.split("/")[2].isdigit()]
    return sorted(refs, key=lambda r: -int(r.split("/")[2]))[:n]


def _run_timed(
    argv: list[str], cwd: Path, stdout: Path, env: dict[str, str] | None = None
) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (process and its children) and exit code of one run."""
    t = time.perf_counter()
    with stdout.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def bench_real(repo: Path, n: int, repeat: int, work: Path) -> dict[str, object]:
    """One real repository: git's loop against ``pitcrew rebase --check-only``, interleaved."""
    base = git(repo, "symbolic-ref", "--short", "HEAD", text=True).stdout.strip()
    base_sha = git(repo, "rev-parse", base, text=True).stdout.strip()
    heads = pr_heads(repo, n)
    loop = (
        'b="$1"; shift; for h in "$@"; do '
        'git merge-tree --write-tree "$b" "$h" >/dev/null 2>&1; echo $?; done'
    )
    baseline = ["sh", "-c", loop, "sh", base, *heads]
    cli = ["rebase", "--repo", str(repo), "--base", base, "--check-only", "--format", "json"]
    for h in heads:
        cli += ["--head", h]
    pitcrew = [sys.executable, "-m", "bot", *cli]
    runs: dict[str, list[float]] = {"git": [], "pitcrew": [], "git_cpu": [], "pitcrew_cpu": []}
    codes_file, json_file = work / "codes.txt", work / "pitcrew.json"
    order = [("git", baseline), ("pitcrew", pitcrew)]
    for i in range(repeat + 1):  # the first round warms caches and writes the merged objects
        for key, argv in order if i % 2 else order[::-1]:  # alternate who goes first
            if key == "git":
                wall, cpu, rc = _run_timed(argv, repo, codes_file, ENV)
            else:
                wall, cpu, rc = _run_timed(argv, ROOT, json_file)
            if key == "pitcrew" and rc not in (0, 1):
                raise SystemExit(f"pitcrew failed on {repo} (exit {rc})")
            if i:
                runs[key].append(wall)
                runs[f"{key}_cpu"].append(cpu)
    results = json.loads(json_file.read_text())
    results = results if isinstance(results, list) else [results]
    codes = [int(c) for c in codes_file.read_text().split()]
    expected = {"clean": 0, "up_to_date": 0, "conflicted": 1}
    disagree = [
        r["head"]
        for r, code in zip(results, codes, strict=True)
        if expected.get(r["status"], 2) != (code if code in (0, 1) else 2)
    ]
    probe = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(work / "probe.json"), *cli],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    rss = json.loads(probe.stderr.strip().splitlines()[-1])
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    t_git, t_ours = statistics.median(runs["git"]), statistics.median(runs["pitcrew"])
    # each round's two runs share the machine's load of the moment: the median of the
    # per-round ratios is steadier than the ratio of medians on a noisy machine
    paired = statistics.median(o / g for o, g in zip(runs["pitcrew"], runs["git"], strict=True))
    return {
        "repo": repo,
        "base": base,
        "commit": base_sha,
        "heads": len(heads),
        "counts": counts,
        "disagree": disagree,
        "git_s": t_git,
        "pitcrew_s": t_ours,
        "ratio": paired,
        "ratio_of_medians": t_ours / t_git,
        "git_cpu": statistics.median(runs["git_cpu"]),
        "pitcrew_cpu": statistics.median(runs["pitcrew_cpu"]),
        "rss_self_mb": rss["self_kb"] / 1024,
        "rss_git_mb": rss["children_kb"] / 1024,
    }


def _repo_name(repo: Path) -> str:
    """``owner/name`` for a ``<mirrors>/owner+name/repo`` snapshot, else the path."""
    parent = repo.resolve().parent.name if repo.name in ("repo", ".git") else repo.name
    return parent.replace("+", "/") if "+" in parent else str(repo)


def print_real(rows: list[dict[str, object]]) -> None:
    print(
        "| repository | base @ commit | heads | verdicts | git loop s | pitcrew s "
        "| ratio (paired / of medians) | CPU s git / pitcrew "
        "| peak RSS MB pitcrew / largest git | disagreements |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r["counts"].items()))  # type: ignore[attr-defined]
        print(
            f"| {_repo_name(r['repo'])} | {r['base']} @ {str(r['commit'])[:12]} | {r['heads']} "  # type: ignore[arg-type]
            f"| {counts} | {r['git_s']:.2f} | {r['pitcrew_s']:.2f} "
            f"| {r['ratio']:.2f} / {r['ratio_of_medians']:.2f} "
            f"| {r['git_cpu']:.2f} / {r['pitcrew_cpu']:.2f} "
            f"| {r['rss_self_mb']:.0f} / {r['rss_git_mb']:.0f} | {len(r['disagree'])} |"  # type: ignore[arg-type]
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", nargs="+", type=Path, metavar="DIR", help="real bare clones")
    ap.add_argument("--heads", type=int, default=150, help="--real: newest N PR heads")
    ap.add_argument("--quick", action="store_true", help="small run (1,000 commits, 40 PRs)")
    ap.add_argument("--commits", type=int)
    ap.add_argument("--prs", type=int)
    ap.add_argument("--events", type=int)
    ap.add_argument("--repeat", type=int, default=5, help="timed rounds (interleaved)")
    a = ap.parse_args()
    if a.real:
        with tempfile.TemporaryDirectory(prefix="pitcrew-bench-") as tmp:
            rows = []
            for repo in a.real:
                rows.append(bench_real(repo, a.heads, a.repeat, Path(tmp)))
                print_real(rows[-1:])
            print(f"\nall repositories (cores: {os.cpu_count()}, median of {a.repeat}):")
            print_real(rows)
        return
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
