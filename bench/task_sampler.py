"""Where do the service's jobs spend their wall time? Run ``pitcrew`` with an await sampler.

    python bench/task_sampler.py OUT.txt serve --host 127.0.0.1 --port 8000

A CPU profiler (py-spy, cProfile) sees only the thread that runs; a job that waits on a lock,
a semaphore, a sleep or a thread shows up nowhere. This wrapper starts the ``pitcrew`` command
line with one extra task on its event loop that, every ``SAMPLE_S``, walks the await chain of
every job task (``WorkerPool._run_and_release``) and counts the innermost frames of our code.
Samples × interval ≈ job-seconds spent there. The table is rewritten to ``OUT.txt`` every
10 s, so it survives the service being killed. Used by ``bench/soak.py --task-profile``.
"""

from __future__ import annotations

import asyncio
import collections
import runpy
import sys
import time
import tracemalloc
from pathlib import Path
from types import FrameType
from typing import Any

SAMPLE_S = 0.05
DEPTH = 4  # innermost frames of our own code that name a waiting place


def _frames(task: asyncio.Task[Any]) -> list[FrameType]:
    """The task's await chain, outermost first (coroutines, generators, async generators)."""
    frames: list[FrameType] = []
    obj: Any = task.get_coro()
    while obj is not None:
        frame = getattr(obj, "cr_frame", None) or getattr(obj, "gi_frame", None)
        frame = frame or getattr(obj, "ag_frame", None)
        if frame is not None:
            frames.append(frame)
        obj = (
            getattr(obj, "cr_await", None)
            or getattr(obj, "gi_yieldfrom", None)
            or getattr(obj, "ag_await", None)
        )
    return frames


def _where(frame: FrameType) -> str:
    path = frame.f_code.co_filename
    for marker in ("/bot/", "/asyncio/", "/gidgethub/", "/aiohttp/"):
        if marker in path:
            path = marker.strip("/") + "/" + path.split(marker, 1)[1]
            break
    return f"{path}:{frame.f_lineno} {frame.f_code.co_name}"


class Sampler:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.stacks: collections.Counter[tuple[str, ...]] = collections.Counter()
        self.leaves: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self.job_samples = 0
        self.started = time.monotonic()
        self.calls: collections.defaultdict[str, list[tuple[float, int]]] = collections.defaultdict(
            list
        )
        self.tracemalloc_at: tuple[float, ...] = ()
        self.first: tracemalloc.Snapshot | None = None
        self.first_s = 0.0

    def sample(self) -> None:
        self.samples += 1
        for task in asyncio.all_tasks():
            frames = _frames(task)
            if not frames or frames[0].f_code.co_name != "_run_and_release":
                continue
            self.job_samples += 1
            names = [_where(f) for f in frames]
            ours = [n for n in names if n.startswith("bot/")]
            tail = tuple(ours[-DEPTH:]) + tuple(n for n in names[-1:] if not n.startswith("bot/"))
            self.stacks[tail] += 1
            self.leaves[ours[-1] if ours else names[-1]] += 1

    def write(self) -> None:
        elapsed = time.monotonic() - self.started
        lines = [
            f"elapsed {elapsed:.0f} s, {self.samples} samples every {SAMPLE_S} s, "
            f"{self.job_samples} job-samples = {self.job_samples * SAMPLE_S:.0f} job-seconds",
            "",
            "job-seconds  innermost frame of our code",
        ]
        lines += [f"{n * SAMPLE_S:11.1f}  {leaf}" for leaf, n in self.leaves.most_common(40)]
        lines += ["", "job-seconds  await chain (innermost frames)"]
        for stack, n in self.stacks.most_common(40):
            lines.append(f"{n * SAMPLE_S:11.1f}  " + "\n             ".join(stack))
        lines += ["", "HTTP calls to GitHub: count, mean/p50/p90/max wall s, mean bytes"]
        for key, values in sorted(self.calls.items(), key=lambda kv: -sum(v for v, _ in kv[1])):
            walls = sorted(v for v, _ in values)
            mean = sum(walls) / len(walls)
            p50, p90 = walls[len(walls) // 2], walls[int(len(walls) * 0.9)]
            size = sum(b for _, b in values) / len(values)
            lines.append(
                f"{len(walls):6d} {mean:6.3f} {p50:6.3f} {p90:6.3f} {walls[-1]:6.3f}"
                f" {size:9.0f}  {key}"
            )
        self.out.write_text("\n".join(lines) + "\n")

    async def run(self) -> None:
        last_write = time.monotonic()
        while True:
            await asyncio.sleep(SAMPLE_S)
            self.sample()
            if time.monotonic() - last_write > 10:
                self.write()
                self.snapshot()
                last_write = time.monotonic()

    def snapshot(self) -> None:
        """With ``--tracemalloc A,B`` (seconds): allocations alive at B and not at A, by line."""
        if not self.tracemalloc_at or not tracemalloc.is_tracing():
            return
        elapsed = time.monotonic() - self.started
        if self.first is None and elapsed >= self.tracemalloc_at[0]:
            self.first = tracemalloc.take_snapshot()
        elif self.first is not None and elapsed >= self.tracemalloc_at[1]:
            second = tracemalloc.take_snapshot()
            self.tracemalloc_at = ()
            lines = [f"tracemalloc: growth between {self.first_s} s and {elapsed:.0f} s"]
            for stat in second.compare_to(self.first, "traceback")[:25]:
                lines.append(f"{stat.size_diff / 1024:9.1f} KiB {stat.count_diff:+7d} blocks")
                lines += ["      " + line for line in stat.traceback.format()[-12:]]
            total = sum(s.size_diff for s in second.compare_to(self.first, "filename"))
            lines.append(f"total traced growth: {total / 1024:.1f} KiB")
            self.out.with_suffix(".tracemalloc.txt").write_text("\n".join(lines) + "\n")


def _time_http_calls(sampler: Sampler) -> None:
    """Wall time of each raw HTTP call to GitHub (after the in-flight bound), by endpoint."""
    from gidgethub import aiohttp as gh_aiohttp

    from bot.github.client import endpoint_group

    raw = gh_aiohttp.GitHubAPI._request

    async def timed(self: Any, method: str, url: str, headers: Any, body: bytes = b"") -> Any:
        started = time.monotonic()
        result = await raw(self, method, url, headers, body)
        key = f"{method} {endpoint_group(url)}"
        sampler.calls[key].append((time.monotonic() - started, len(result[2])))
        return result

    gh_aiohttp.GitHubAPI._request = timed  # type: ignore[method-assign]


def main() -> None:
    out = Path(sys.argv[1])
    sampler = Sampler(out)
    if len(sys.argv) > 3 and sys.argv[2] == "--tracemalloc":
        sampler.tracemalloc_at = tuple(float(x) for x in sys.argv[3].split(","))
        sampler.first_s = sampler.tracemalloc_at[0]
        del sys.argv[2:4]
        tracemalloc.start(8)
    from bot import worker

    original_start = worker.WorkerPool.start

    def start(self: worker.WorkerPool) -> None:
        original_start(self)
        sampler.task = asyncio.get_running_loop().create_task(sampler.run())  # type: ignore[attr-defined]

    worker.WorkerPool.start = start  # type: ignore[method-assign]
    _time_http_calls(sampler)
    sys.argv = ["pitcrew", *sys.argv[2:]]
    try:
        runpy.run_module("bot", run_name="__main__", alter_sys=True)
    finally:
        sampler.write()


if __name__ == "__main__":
    main()
