"""Job logs framed the way CI services frame them, for tests that feed a tool's own output
to the engine: a GitHub Actions step (``##[group]Run …`` with time stamps and the runner's
exit line) or a Travis CI job (``$ command`` and Travis' ``The command "…" exited with N.``).

One helper instead of a copy per test file, so a change to how a service frames its logs is
made once.
"""

from __future__ import annotations

import io


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
