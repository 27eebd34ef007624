"""Job logs framed the way CI services frame them, for tests that feed a tool's own output
to the engine: a GitHub Actions step (``##[group]Run …`` with time stamps and the runner's
exit line) or a Travis CI job (``$ command`` and Travis' ``The command "…" exited with N.``).

One helper instead of a copy per test file, so a change to how a service frames its logs is
made once; :func:`fed` is the same for a framework's output read by one extractor alone.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TypeVar

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.extract_core import Extractor
from bot.diagnose.rules import load_rules

E = TypeVar("E", bound=Extractor)


def actions_job(
    command: str,
    lines: list[str],
    code: int = 1,
    *,
    echo: bool = True,
    shell: bool = True,
    stamped: bool = True,
) -> io.BytesIO:
    """One failed ``run:`` step: the step header, the command echoed (``echo``) and the
    ``shell:`` line as the runner prints them, the tool's ``lines``, the exit line."""
    out = ["Current runner version: '2.316.1'", f"##[group]Run {command}"]
    out += [command] if echo else []
    out += ["shell: /usr/bin/bash -e {0}"] if shell else []
    out += ["##[endgroup]", *lines, f"##[error]Process completed with exit code {code}."]
    if not stamped:
        return io.BytesIO("\n".join(out).encode())
    out.append("Post job cleanup.")
    text = "".join(f"2024-01-01T00:00:{i % 60:02d}.0000000Z {line}\n" for i, line in enumerate(out))
    return io.BytesIO(text.encode())


def travis_job(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    """A Travis CI job: no step framing; the failing command is named by Travis' exit line."""
    out = [
        "travis_fold:start:worker_info",
        "Worker information",
        "travis_fold:end:worker_info",
        f"$ {command}",
        *lines,
        f'The command "{command}" exited with {code}.',
        "",
        "Done. Your build exited with 1.",
    ]
    return io.BytesIO("".join(f"{line}\n" for line in out).encode())


TravisCommand = tuple[str, list[str], int]  # (command, its output lines, its exit code)


def travis_timed_job(
    commands: list[TravisCommand],
    *,
    after: tuple[str, list[str]] | None = None,
    split: bool = False,
) -> io.BytesIO:
    """A Travis CI job as travis-build prints it, CRLF line ends: each script command timed
    (``travis_time:start:…`` then ``$ command``), its output, the timing end marker and the
    coloured ``The command "…" exited with N.``; Travis runs the next command even after one
    failed. ``after``: an ``after_failure`` command and its output, in its fold. ``split``:
    the macOS form, where each timing marker ends its own line (else the marker, a CR and an
    erase-line code precede the ``$ command`` or the exit line on one line, as on Linux)."""
    out = [
        "travis_fold:start:worker_info\r\x1b[0K\x1b[33;1mWorker information\x1b[0m",
        "travis_fold:end:worker_info\r\x1b[0K",
    ]
    for i, (command, lines, code) in enumerate(commands):
        start, end = f"travis_time:start:0a1b2c{i:02x}", f"travis_time:end:0a1b2c{i:02x}"
        exit_line = (
            f'\x1b[{31 if code else 32};1mThe command "{command}" exited with {code}.\x1b[0m'
        )
        end += ":start=1,finish=2,duration=1"
        if split:
            out += [start, f"\x1b[0K$ {command}", *lines, end, "\x1b[0K", exit_line, ""]
        else:
            out += [f"{start}\r\x1b[0K$ {command}", *lines, f"{end}\r\x1b[0K{exit_line}", ""]
    if after is not None:
        after_command, after_lines = after
        out += [
            "travis_fold:start:after_failure.1\r\x1b[0Ktravis_time:start:0b1c2d3e\r\x1b[0K"
            f"$ {after_command}",
            *after_lines,
            "travis_time:end:0b1c2d3e:start=3,finish=4,duration=1\r\x1b[0K"
            "travis_fold:end:after_failure.1\r\x1b[0K",
            "",
        ]
    failed = any(code for _, _, code in commands)
    out.append(f"Done. Your build exited with {1 if failed else 0}.")
    return io.BytesIO("".join(f"{line}\r\n" for line in out).encode())


def travis_one_command(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    """A Travis CI job of one timed script command (see :func:`travis_timed_job`)."""
    return travis_timed_job([(command, lines, code)])


def fed(extractor: E, lines: Iterable[str]) -> E:
    """``extractor`` after reading ``lines`` as log lines 1, 2, … (a framework's output on
    its own, for tests of one extractor without the engine around it)."""
    for number, line in enumerate(lines, 1):
        extractor.feed(line, number)
    return extractor


def diagnose_paste(lines: Iterable[str]) -> Diagnosis:
    """The diagnosis of ``lines`` pasted as they stand: no framing, no final newline (an
    excerpt copied into an issue)."""
    return diagnose(io.BytesIO("\n".join(lines).encode()))


def rule_ids(text: str) -> list[str]:
    """The ids of the shipped rules that match one log line, by priority."""
    return [r.id for r in load_rules().match(text)]
