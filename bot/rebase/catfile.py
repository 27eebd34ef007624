"""Reading objects through ``git cat-file``: a one-shot ``--batch`` stream and the shared,
long-lived ``--batch-command`` reader the merge workers use for conflicted files.

Apart from :mod:`bot.rebase.check` because this is pipe plumbing (chunking so git never
blocks, size caps, restarting after git dies) that the merge logic should not have to
read around; :mod:`bot.rebase.update` uses :func:`read_blobs` too.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Iterator, Sequence
from typing import IO

from bot.rebase.git import Git, GitError


def _feed(stream: IO[bytes], data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except (BrokenPipeError, ValueError):  # the reader died; its exit code tells why
        pass


def iter_objects(git: Git, names: Sequence[str]) -> Iterator[tuple[str, str, int, bytes | None]]:
    """``(name, oid, size, data)`` for each name, streamed from one ``cat-file --batch``.

    Names go NUL-separated on stdin (a path may hold any byte but NUL); one object at a time
    is in memory. A missing object yields ``("name", "", -1, None)``. If git dies part-way,
    :class:`GitError` is raised.
    """
    if not names:
        return
    argv = git.argv("cat-file", "--batch=%(objectname) %(objecttype) %(objectsize)", "-z")
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git.env()
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    stderr: list[bytes] = []
    writer = threading.Thread(
        target=_feed, args=(proc.stdin, b"".join(n.encode() + b"\0" for n in names)), daemon=True
    )
    drain = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]  # stderr=PIPE above, so never None
    writer.start()
    drain.start()
    try:
        for name in names:
            header = proc.stdout.readline()
            if not header.endswith(b"\n"):
                break
            oid, _, rest = header.rstrip(b"\n").partition(b" ")
            if rest.endswith(b"missing") or rest.endswith(b"ambiguous"):
                yield name, "", -1, None
                continue
            size = int(rest.rsplit(b" ", 1)[-1])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after the contents
            yield name, oid.decode(), size, data
        else:
            return
    finally:
        proc.stdout.close()
        proc.wait()
        writer.join()
        drain.join()
    stderr_text = git.redact(b"".join(stderr).decode(errors="replace").strip())
    raise GitError(
        f"git cat-file failed (exit {proc.returncode}): {stderr_text[-2000:]}",
        returncode=proc.returncode,
        stderr=stderr_text,
    )


def read_blobs(git: Git, oids: Sequence[str]) -> dict[str, bytes]:
    """Read many blobs in one ``cat-file --batch``; missing objects are skipped."""
    return {
        name: data
        for name, _oid, _size, data in iter_objects(git, list(dict.fromkeys(oids)))
        if data is not None
    }


READ_CHUNK_FILES = 256
"""Commands written before reading answers: far below a pipe buffer, so git never blocks."""

READ_CHUNK_BYTES = 32 * 2**20
"""Contents requested per round trip, so one head's files never all sit in memory at once."""


class MarkerReader:
    """One long-lived ``cat-file --batch-command --buffer`` shared by the merge workers.

    Each worker, right after its ``merge-tree``, asks for all of its head's conflicted files in
    two round trips: the sizes (``info``), then the contents of those under the cap — so
    reading overlaps the other heads' merges, oversized files are never read, and the
    workers hold the shared process only briefly. Names go NUL-separated (a path may hold any
    byte but NUL). If git dies (a corrupt object), the request fails with :class:`GitError`
    and the next one starts a fresh process.
    """

    def __init__(self, git: Git) -> None:
        self.git = git
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None

    def _process(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            fmt = "--batch-command=%(objectname) %(objecttype) %(objectsize)"
            self.proc = subprocess.Popen(
                self.git.argv("cat-file", fmt, "--buffer", "-z"),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self.git.env(),
            )
        return self.proc

    @staticmethod
    def _send(proc: subprocess.Popen[bytes], commands: Sequence[str]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(b"".join(c.encode() + b"\0" for c in (*commands, "flush")))
        proc.stdin.flush()

    @staticmethod
    def _header(proc: subprocess.Popen[bytes]) -> tuple[str, int]:
        """``(oid, size)`` from one answer line; size -1 when the object is missing."""
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.endswith(b"\n"):
            raise BrokenPipeError("git cat-file stopped answering")
        line = line[:-1]
        if line.endswith((b" missing", b" ambiguous")):
            return "", -1
        oid, _type, size = line.split(b" ")
        return oid.decode(), int(size)

    def read(self, names: Sequence[str], max_bytes: int) -> list[tuple[int, bytes | None]]:
        """``(size, data)`` per name; data is None when missing (size -1) or over the cap."""
        out: list[tuple[int, bytes | None]] = []
        for start in range(0, len(names), READ_CHUNK_FILES):
            out += self._read_chunk(names[start : start + READ_CHUNK_FILES], max_bytes)
        return out

    def _read_chunk(self, names: Sequence[str], max_bytes: int) -> list[tuple[int, bytes | None]]:
        with self.lock:
            proc = self._process()
            try:
                self._send(proc, [f"info {n}" for n in names])
                infos = [self._header(proc) for _ in names]
                sizes: list[tuple[int, bytes | None]] = [(size, None) for _oid, size in infos]
                wanted = [i for i, (_oid, size) in enumerate(infos) if 0 <= size <= max_bytes]
                while wanted:
                    batch: list[int] = []
                    total = 0
                    while wanted and (not batch or total + infos[wanted[0]][1] <= READ_CHUNK_BYTES):
                        total += infos[wanted[0]][1]
                        batch.append(wanted.pop(0))
                    self._send(proc, [f"contents {infos[i][0]}" for i in batch])
                    for i in batch:
                        _oid, size = self._header(proc)
                        assert proc.stdout is not None
                        data = proc.stdout.read(size + 1)[:-1]  # contents, then a newline
                        if len(data) != size:
                            raise BrokenPipeError("git cat-file stopped answering")
                        sizes[i] = (size, data)
                return sizes
            except (OSError, ValueError) as exc:
                self.close()
                raise GitError(f"git cat-file could not read the merged files: {exc}") from exc

    def close(self) -> None:
        if self.proc is not None:
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            self.proc.wait()
            self.proc = None
