"""Benchmark `pitcrew diagnose` against `grep -E` with the same rule patterns.

Generates a GitHub Actions-style job log (default 200 MB, ``--quick`` 20 MB, ``--size-mb``
to choose), then in the same run measures, each as a child process:

* ``pitcrew diagnose FILE --format json`` — wall time → MB/s, peak RSS (``os.wait4``);
* ``grep -E -c -f PATTERNS FILE`` — the reader's whole watch list (rule patterns, test-report
  triggers, the generic scorer's words, lint-finding shapes) translated to POSIX ERE
  (case-insensitive ones spelled ``[eE]…``; untranslatable ones skipped and counted),
  ``LC_ALL=C`` (grep's fastest mode);
* the lint-findings pass (``scan_log_against_diff``) over the same log, reported on its own
  (the service runs it only for lint/format/type-check failures).

Prints both, the throughput ratio (target ≥ 1/3 of grep) and pitcrew's peak RSS (target
< 100 MB). Finally a pathological pattern/log pair: the classic ReDoS rule is refused at
load, and an accepted worst-case-shaped rule over 4 KB adversarial lines finishes well
under a second (RE2: linear time).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.diagnose import safe_regex  # noqa: E402
from bot.diagnose.engine import diagnose  # noqa: E402
from bot.diagnose.extractors import follow_patterns, trigger_patterns  # noqa: E402
from bot.diagnose.findings import WATCH as FINDING_WATCH  # noqa: E402
from bot.diagnose.rules import RuleError, load_rules  # noqa: E402
from bot.diagnose.scorer import GENERIC_PATTERNS  # noqa: E402

FINDINGS_SNIPPET = (
    "import sys; from bot.diagnose.findings import scan_log_against_diff as s; "
    "r = s(sys.argv[1], {'src/file_7.c': {7}}); print(len(r.inside), '+', r.outside)"
)

NOISE = [
    "   Compiling serde_json v1.0.{n}",
    "tests/test_module_{n}.py::test_case_{n} PASSED                     [ {p}%]",
    "[INFO] Building jar: /home/runner/work/app/target/app-{n}.jar",
    "npm WARN deprecated package-{n}@1.0.{n}: this version is no longer supported",
    "gcc -O2 -Wall -c src/file_{n}.c -o build/file_{n}.o",
    "src/file_{n}.c:{n}:5: warning: unused variable 'tmp' [-Wunused-variable]",
    "\x1b[32m✓\x1b[39m renders component {n} \x1b[2m(3 ms)\x1b[22m",
    "Downloading https://files.pythonhosted.org/packages/{n}/pkg-{n}.whl (120 kB)",
    "ok {n} - handles input number {n}",
    "    Finished dev [unoptimized + debuginfo] target(s) in {n}.2s",
    "Collecting dependency-{n}>=2.0",
    "DEBUG: cache hit for key linux-build-{n}",
]


DENSE = [
    "npm ERR! code ECONNRESET",
    "src/file.c:10:5: error: expected ';' before '}' token",
    "FAILED tests/test_flaky.py::test_retry - ConnectionResetError",
]


def generate(path: Path, size_mb: int, dense: int = 0) -> int:
    """Write a realistic job log of ~size_mb with a real failure near the end.

    ``dense``: every ``dense``-th line is one that rules match (in steps that succeed),
    to measure the cost of candidate lines; 0 = none."""
    target = size_mb << 20
    written = 0
    n = 0
    with path.open("wb") as fh:

        def emit(line: str) -> None:
            nonlocal written, n
            n += 1
            data = f"2024-05-01T12:{(n // 60) % 60:02d}:{n % 60:02d}.{n % 10_000_000:07d}Z {line}\n"
            raw = data.encode()
            fh.write(raw)
            written += len(raw)

        emit("Current runner version: '2.316.1'")
        step = 0
        while written < target - 4096:
            step += 1
            emit(f"##[group]Run make step-{step}")
            emit(f"make step-{step}")
            emit("shell: /usr/bin/bash -e {0}")
            emit("##[endgroup]")
            block = []
            for i in range(20_000):
                block.append(NOISE[i % len(NOISE)].format(n=i + step, p=i % 100))
            for i, line in enumerate(block):
                emit(DENSE[i % len(DENSE)] if dense and i % dense == 0 else line)
                if written >= target - 4096:
                    break
        emit("##[group]Run python -m pytest -q")
        emit("##[endgroup]")
        emit("FAILED tests/test_api.py::test_create_user - AssertionError: assert 500 == 201")
        emit("=========== 1 failed, 4812 passed in 312.40s ===========")
        emit("##[error]Process completed with exit code 1.")
        emit("Post job cleanup.")
        emit("Cleaning up orphan processes")
    return written


_ERE_SUBS = [
    (r"\d", "[0-9]"),
    (r"\S", "[^[:space:]]"),
    (r"\s", "[[:space:]]"),
    (r"\w", "[[:alnum:]_]"),
    (r"\W", "[^[:alnum:]_]"),
    ("(?:", "("),
]
_TS_ERE = "([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z )?"


def _fold_case(pattern: str) -> str:
    """``error`` → ``[eE][rR][rR][oO][rR]`` outside escapes and bracket expressions (grep
    -E has no per-pattern case-insensitive flag)."""
    out, i, depth = [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        if ch.isascii() and ch.isalpha() and not depth:
            out.append(f"[{ch.lower()}{ch.upper()}]")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def to_ere(pattern: str, ignore_case: bool = False) -> str | None:
    """Translate a rule pattern (Python/RE2 syntax) to POSIX ERE, or None if we cannot."""
    if pattern.startswith("(?i)"):
        pattern, ignore_case = pattern[4:], True
    if "(?i" in pattern or "(?P" in pattern:
        return None
    if ignore_case:
        pattern = _fold_case(pattern)
    if re.search(r"\\[dDsSwW]", pattern.split("[", 1)[-1]) and "[" in pattern:
        # \d inside a bracket expression has no ERE spelling we can substitute blindly
        inside = re.findall(r"\[[^\]]*\]", pattern)
        if any(re.search(r"\\[dDsSwW]", part) for part in inside):
            return None
    out = pattern
    for a, b in _ERE_SUBS:
        out = out.replace(a, b)
    if "{" in out and re.search(r"\{\d+\}", out) is None and "\\{" not in out:
        return None
    if out.startswith("^"):
        out = "^" + _TS_ERE + out[1:]
    return out


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, bytes]:
    """Wall seconds, peak RSS (KiB) of that child alone, and its stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {err[-500:]}")
    return elapsed, usage.ru_maxrss, out


REPEAT = 2


def best_of(n: int, argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, bytes]:
    """Fastest of n runs (page cache warm), with the highest peak RSS seen."""
    runs = [run_measured(argv, env) for _ in range(n)]
    fastest = min(runs, key=lambda r: r[0])
    return fastest[0], max(r[1] for r in runs), fastest[2]


def report(mb: float, size: int, grep_run: tuple, ours: tuple) -> None:
    g_time, g_rss, g_out = grep_run
    p_time, p_rss, p_out = ours
    print(f"\ngrep -E (LC_ALL=C): {mb / g_time:8.1f} MB/s  {g_time:6.2f} s", end="")
    print(f"  peak RSS {g_rss / 1024:6.1f} MB  ({g_out.decode().strip()} matching lines)")
    print(f"pitcrew diagnose:   {mb / p_time:8.1f} MB/s  {p_time:6.2f} s", end="")
    print(f"  peak RSS {p_rss / 1024:6.1f} MB")
    ratio = g_time / p_time
    verdict = "OK" if ratio >= 1 / 3 else "MISSED"
    print(f"throughput ratio pitcrew/grep: {ratio:.2f}  (target >= 0.33: {verdict})")
    if size < 100:
        print("(small log: interpreter start-up, ~0.15 s, dominates; use the default size)")
    verdict = "OK" if p_rss < 100 * 1024 else "MISSED"
    print(f"pitcrew peak RSS: {p_rss / 1024:.1f} MB  (target < 100 MB: {verdict})")
    result = json.loads(p_out)
    print(f"diagnosis: {result['category']} step={result['failing_step']!r}", end="")
    print(f" tests={result['failing_tests']}")


def pathological() -> None:
    print("\n== pathological pattern / log ==")
    evil = r"^(\w+\s?)*$"
    t = time.perf_counter()
    try:
        load_rules([{"id": "evil", "category": "lint", "patterns": [evil]}])
        print("  !! catastrophic pattern was accepted")
    except RuleError as exc:
        print(f"  refused at load in {1000 * (time.perf_counter() - t):.2f} ms: {exc}")
    n = 22
    t = time.perf_counter()
    re.match(evil, "a" * n + "!")
    print(f"  (for scale: Python re needs {time.perf_counter() - t:.2f} s on a {n + 1}-char line)")
    # The worst shape each engine accepts: 3 broad repeats with RE2, 1 without (fallback).
    accepted = r"^\S+a\S+a\S+b$" if safe_regex.HAVE_RE2 else r"\S+ab$"
    rules = load_rules([{"id": "worst", "category": "lint", "patterns": [accepted]}])
    line = "a" * 4000 + "!"
    log = "##[group]Run x\n##[endgroup]\n" + (line + "\n") * 2000
    log += "##[error]Process completed with exit code 1.\n"
    t = time.perf_counter()
    result = diagnose(log.encode(), rules=rules)
    elapsed = time.perf_counter() - t
    verdict = "OK" if elapsed < 1 else "TOO SLOW"
    print(
        f"  accepted worst-case rule {accepted!r} over 2000 adversarial 4 KB lines (8 MB): "
        f"{elapsed:.3f} s [{verdict}] (engine {safe_regex.ENGINE}, category {result.category})"
    )


CORPUS_LOGS = ROOT / "tests" / "diagnose" / "corpus" / "logs"


def corpus() -> None:
    """Every real corpus log diagnosed in one process, against reading and splitting the
    same files into lines in one process: thousands of small logs, where what a diagnosis
    costs per log (the reader, the combined prefilter's automaton) shows, as the one large
    generated log hides it. A pattern that blows up the prefilter's automaton (a counted
    repeat of a negated class at a pattern's start made every scan twelve times slower)
    shows here first. (``grep -E -f`` with the watch list is no baseline on real logs: its
    DFA thrashes on their long, varied lines and it ran for minutes.)"""
    logs = sorted(CORPUS_LOGS.glob("*.log"))
    mb = sum(p.stat().st_size for p in logs) / 1e6
    timed = (
        "import sys, time\n"
        "from bot.diagnose.engine import diagnose\n"
        "def read(p):\n"
        "    with open(p, 'rb') as f: return len(f.read().splitlines())\n"
        "step = {'read': read, 'diagnose': diagnose}[sys.argv[1]]\n"
        "t = time.perf_counter()\n"
        "for p in sys.argv[2:]: step(p)\n"
        "print(time.perf_counter() - t)\n"
    )

    def seconds(step: str) -> float:
        argv = [sys.executable, "-c", timed, step, *map(str, logs)]
        run = subprocess.run(argv, capture_output=True, check=True, cwd=ROOT)
        return float(run.stdout.decode().split()[-1])

    r_time = min(seconds("read") for _ in range(REPEAT))
    p_time = seconds("diagnose")
    print(f"\n== real corpus logs: {len(logs)} logs, {mb:.1f} MB ==")
    print(f"read and split lines:  {mb / r_time:7.1f} MB/s  {r_time:6.2f} s")
    print(
        f"pitcrew diagnose:      {mb / p_time:7.1f} MB/s  {p_time:6.2f} s  "
        f"({1000 * p_time / len(logs):.1f} ms per log)"
    )
    print(f"throughput ratio pitcrew/read on real logs: {r_time / p_time:.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="~20 MB log")
    parser.add_argument("--keep", action="store_true", help="keep the generated log")
    parser.add_argument(
        "--dense", type=int, default=0, metavar="N", help="make every Nth line a rule match"
    )
    parser.add_argument(
        "--corpus",
        action="store_true",
        help="also diagnose every real corpus log (many small logs: per-log costs show)",
    )
    args = parser.parse_args()
    size = 20 if args.quick else args.size_mb
    grep = shutil.which("grep")
    pitcrew = shutil.which("pitcrew", path=str(ROOT / ".venv" / "bin")) or shutil.which("pitcrew")
    if not pitcrew:
        print("pitcrew not installed (pip install -e .)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="pitcrew-bench-"))
    log_path = tmp / "job.log"
    try:
        t = time.perf_counter()
        nbytes = generate(log_path, size, args.dense)
        mb = nbytes / 1e6
        print(f"generated {mb:.1f} MB log in {time.perf_counter() - t:.1f} s -> {log_path}")
        print(f"regex engine: {safe_regex.ENGINE}")

        # the reader's whole watch list: rules, test-report triggers, the generic scorer's
        # error words, lint-finding shapes
        ruleset = load_rules()
        patterns = [
            *ruleset.all_patterns(),
            *trigger_patterns(),
            *follow_patterns(),
            *GENERIC_PATTERNS,
            *((p, False) for p in FINDING_WATCH),
        ]
        ere = [e for e in (to_ere(p, ic) for p, ic in patterns) if e]
        pat_file = tmp / "patterns.ere"
        pat_file.write_text("\n".join(ere) + "\n")
        print(f"watched patterns: {len(patterns)}, translated to ERE for grep: {len(ere)}")

        subprocess.run(["cat", str(log_path)], stdout=subprocess.DEVNULL, check=True)  # warm cache
        # byte-compile the package first, as ``pip install`` does: under
        # PYTHONDONTWRITEBYTECODE (set in many CI images) every run would otherwise compile
        # every module again, a start-up cost no installed Pitcrew pays
        compileall.compile_dir(str(ROOT / "bot"), quiet=1)
        env = {**os.environ, "LC_ALL": "C"}
        g_time, g_rss, g_out = best_of(
            REPEAT, [grep, "-E", "-c", "-f", str(pat_file), str(log_path)], env
        )
        p_time, p_rss, p_out = best_of(
            REPEAT, [pitcrew, "diagnose", str(log_path), "--format", "json"]
        )
        report(mb, size, (g_time, g_rss, g_out), (p_time, p_rss, p_out))
        f_time, f_rss, f_out = best_of(
            REPEAT,
            [sys.executable, "-c", FINDINGS_SNIPPET, str(log_path)],
        )
        print(
            f"lint findings pass:    {mb / f_time:6.1f} MB/s  {f_time:6.2f} s  peak RSS "
            f"{f_rss / 1024:6.1f} MB  ({f_out.decode().strip()} findings; run only for "
            "lint/format/type_check failures)"
        )
        if args.corpus:
            corpus()
        pathological()
    finally:
        if args.keep:
            print(f"kept {log_path}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
