"""Markdown for the sticky CI-diagnosis comment (pure: inputs in, string out).

Shape: hidden marker, one-line verdict with counts, "as of commit X (merge base Y)", then
sections NEW FAILURES / BROKEN ON BASE / FLAKY / INFRA with **one entry per job** (issue
11: each job said once): what failed (category, step), each failing test with its own
error message and a link to ``path#Lline`` at the head commit when that path exists in the
repository (``known_paths``), or the one line that shows the cause with a deep link into
the log; the hint; the key lines collapsed in ``<details>``. A summary table only when
more than :data:`TABLE_AFTER_JOBS` jobs failed. A re-run is offered only where it can
help: infrastructure problems and flaky jobs.

The section a job lands in is decided by :func:`classify_job` from evidence the service
gathered, never guessed: FLAKY needs ``passed_on_rerun_url`` (a re-run of the same commit
passed), BROKEN ON BASE needs ``failed_on_base_url`` (the same job failed on the merge
base or the base branch's latest run), INFRA needs a matched retryable rule. Both links
are shown. A maintainer's ``label_override`` wins and is shown as such.

Every piece of text from a log goes through ``bot.redact.redact`` and is rendered inside
code spans (no mentions, no HTML, no broken tables); the whole body is redacted again.

Job dict keys (all optional except ``name`` and ``diagnosis``):
``name``, ``diagnosis`` (Diagnosis or its ``to_dict()``), ``job_url``, ``job_id``,
``run_id``, ``failed_on_base_url``, ``passed_on_rerun_url``, ``failed_run_url``,
``auto_retried`` (int: automatic re-runs already requested), ``label_override``
(new|broken_on_base|flaky|infra), ``override_by`` (login), ``source`` (where the failing
tests came from when not the log, e.g. ``JUnit report``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, is_dataclass
from typing import Any
from urllib.parse import quote

from bot.markdown import table_cell as _cell
from bot.redact import redact

MARKER = "<!-- pitcrew:diagnosis -->"
SECTIONS = (
    ("new", "NEW FAILURES", "caused by this PR as far as the evidence shows"),
    ("broken_on_base", "BROKEN ON BASE", "also failing on the base branch"),
    ("flaky", "FLAKY", "failed, then passed on a re-run of the same commit"),
    ("infra", "INFRA", "infrastructure problem, not the code"),
)
_LABELS = {key for key, _, _ in SECTIONS}
MAX_TEXT = 200
MAX_TESTS_SHOWN = 5
TABLE_AFTER_JOBS = 3  # a summary table only when more jobs than this failed
LOW_CONFIDENCE = 0.6
RETRYABLE_LABELS = ("infra", "flaky")  # where a re-run can help


def _diag(job: dict[str, Any]) -> dict[str, Any]:
    diag: Any = job.get("diagnosis") or {}
    if is_dataclass(diag) and not isinstance(diag, type):
        return asdict(diag)
    return dict(diag) if isinstance(diag, dict) else {}


def classify_job(job: dict[str, Any]) -> str:
    """new | broken_on_base | flaky | infra — only with evidence (see module doc)."""
    override = job.get("label_override")
    if override in _LABELS:
        return str(override)
    diag = _diag(job)
    if diag.get("retryable"):
        return "infra"
    if job.get("passed_on_rerun_url"):
        return "flaky"
    if job.get("failed_on_base_url"):
        return "broken_on_base"
    if job.get("memory_kind") in _LABELS:  # failure memory explains every failure shown
        return str(job["memory_kind"])
    return "new"


def _code(text: Any, limit: int = MAX_TEXT) -> str:
    """Inline code span that cannot break out (backticks, newlines, length)."""
    value = redact(str(text)).replace("\r", " ").replace("\n", " ")
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    fence = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _link(label: str, url: str | None) -> str:
    safe = label.replace("[", "\\[").replace("]", "\\]")
    return f"[{safe}]({url})" if url else safe


def _anchor(job: dict[str, Any], diag: dict[str, Any], key: dict[str, Any] | None) -> str | None:
    url = job.get("job_url")
    if not isinstance(url, str) or not url:
        return None
    if key and key.get("step") and key.get("step_line"):
        return f"{url}#step:{key['step']}:{key['step_line']}"
    if diag.get("failing_step_number"):
        return f"{url}#step:{diag['failing_step_number']}:1"
    return url


def _first_key(diag: dict[str, Any]) -> dict[str, Any] | None:
    keys: list[dict[str, Any]] = diag.get("key_lines") or []
    summary = diag.get("summary")
    for key in keys:
        if summary and key.get("text") == summary:
            return key
    return keys[0] if keys else None


def rerun_command(job: dict[str, Any], repo: str | None = None) -> str:
    """The command that re-runs this job (``gh``), or the slash command as a fallback."""
    suffix = f" -R {repo}" if repo else ""
    if job.get("job_id"):
        return f"gh run rerun --job {job['job_id']}{suffix}"
    if job.get("run_id"):
        return f"gh run rerun {job['run_id']} --failed{suffix}"
    return "/retry"


def resolve_path(
    location: str | None, known_paths: Collection[str] | None
) -> tuple[str, int] | None:
    """(repository path, line) of ``path:line`` when that file exists at the head commit:
    the exact path, else the only known path ending with it (Go and JVM tools print a
    file name or a package-relative path)."""
    if not location or not known_paths:
        return None
    path, _, line = location.rpartition(":")
    if not path or not line.isdigit():
        return None
    if path in known_paths:
        return path, int(line)
    suffix = "/" + path.lstrip("/")
    matches = [p for p in known_paths if p.endswith(suffix)]
    if len(matches) == 1:
        return matches[0], int(line)
    return None


def _source_link(
    location: str | None, known: Collection[str] | None, repo: str | None, sha: str | None
) -> str:
    found = resolve_path(location, known)
    if found is None or not repo or not sha:
        return f" ({_code(location, 100)})" if location else ""
    path, line = found
    url = f"https://github.com/{repo}/blob/{sha}/{quote(path)}#L{line}"
    return f" ({_link(f'{path}:{line}', url)})"


def _failure_lines(
    diag: dict[str, Any],
    known: Collection[str] | None,
    repo: str | None,
    sha: str | None,
) -> list[str]:
    failures = [f if isinstance(f, dict) else asdict(f) for f in diag.get("failures") or []]
    if not failures:
        failures = [{"test": t} for t in diag.get("failing_tests") or []]
    out = []
    for failure in failures[:MAX_TESTS_SHOWN]:
        text = f"- {_code(failure.get('test'), 120)}"
        if failure.get("message"):
            text += f": {_code(failure['message'], 160)}"
        text += _source_link(failure.get("location"), known, repo, sha)
        out.append(text)
    more = len(failures) - MAX_TESTS_SHOWN
    if more > 0:
        out.append(f"- … and {more} more")
    return out


def _finding_lines(
    diag: dict[str, Any],
    known: Collection[str] | None,
    repo: str | None,
    sha: str | None,
) -> list[str]:
    """The first lint/type-check findings the service attached (``findings``), linked."""
    findings = [f for f in diag.get("findings") or [] if isinstance(f, dict)]
    if not findings:
        return []
    out = [f"{len(findings)} finding{'s' if len(findings) != 1 else ''}:"]
    for finding in findings[:MAX_TESTS_SHOWN]:
        location = f"{finding.get('path')}:{finding.get('line')}"
        code = f"{finding['code']} " if finding.get("code") else ""
        out.append(
            f"- {_code(code + str(finding.get('message') or ''), 140)}"
            + _source_link(location, known, repo, sha)
        )
    if len(findings) > MAX_TESTS_SHOWN:
        out.append(f"- … and {len(findings) - MAX_TESTS_SHOWN} more")
    return out


def _headline(job: dict[str, Any], diag: dict[str, Any]) -> str:
    name = redact(str(job.get("name") or diag.get("file") or "job"))
    category = f"`{diag.get('category') or 'unknown'}`"
    if isinstance(diag.get("guess"), dict):
        # a guess is right about half the time on tools no rule knows: said as a maybe
        category = f"maybe {category}"
    parts = [f"**{_link(name, job.get('job_url'))}**", category]
    if diag.get("failing_step"):
        number = diag.get("failing_step_number") or "?"
        parts.append(f"step {number} {_code(diag['failing_step'], 80)}")
    confidence = diag.get("confidence")
    guess = diag.get("guess")
    if isinstance(guess, dict):
        said = ", ".join(f"`{redact(str(w))}`" for w in guess.get("words") or [])
        parts.append(f"a guess from the words {said}" if said else "a guess")
    elif isinstance(confidence, int | float) and confidence < LOW_CONFIDENCE:
        parts.append("low confidence")
    return " · ".join(parts)


def render_job_section(
    job: dict[str, Any],
    repo: str | None = None,
    *,
    head_sha: str | None = None,
    known_paths: Collection[str] | None = None,
) -> str:
    """One job, said once: what failed, each failing test's message (linked to its line
    when the path exists at ``head_sha``) or the cause line, hint, key lines collapsed,
    and a re-run offer only for infrastructure and flaky failures."""
    diag = _diag(job)
    label = classify_job(job)
    lines = [_headline(job, diag)]
    if diag.get("failures") or diag.get("failing_tests"):
        source = f" (from the {redact(str(job['source']))})" if job.get("source") else ""
        count = len(diag.get("failing_tests") or diag.get("failures") or [])
        lines.append(f"{count} failing test{'s' if count != 1 else ''}{source}:")
        lines.extend(_failure_lines(diag, known_paths, repo, head_sha))
    else:
        key = _first_key(diag)
        quote_text = diag.get("summary") or (key or {}).get("text")
        if quote_text:
            anchor = _anchor(job, diag, key)
            where = f" ({_link('log line ' + str(key['line']), anchor)})" if key else ""
            lines.append(f"> {_code(quote_text)}{where}")
        lines.extend(_finding_lines(diag, known_paths, repo, head_sha))
    alternative = diag.get("alternative")
    if isinstance(alternative, dict) and alternative.get("category"):
        also = f"`{alternative['category']}`"
        if alternative.get("summary"):
            also += f": {_code(alternative['summary'], 120)}"
        lines.append(f"Evidence is split; it may also be {also}.")
    if diag.get("hint"):
        lines.append(f"Hint: {redact(str(diag['hint']))}")
    lines.extend(_evidence(job, label))
    if label in RETRYABLE_LABELS:
        command = rerun_command(job, repo)
        if command == "/retry":
            lines.append("Re-run: comment `/retry`")
        else:
            lines.append(f"Re-run: `{command}` or comment `/retry`")
    lines.append(_key_details(job, diag))
    return "\n\n".join(_join_lists(lines)) + "\n"


def _join_lists(lines: list[str]) -> list[str]:
    """Consecutive list items stay one Markdown list (one blank line between blocks)."""
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if line.startswith("- ") and (
            previous.split("\n")[-1].startswith("- ") or previous.endswith(":")
        ):
            out[-1] += "\n" + line
        elif line:
            out.append(line)
    return out


def _key_details(job: dict[str, Any], diag: dict[str, Any]) -> str:
    keys = diag.get("key_lines") or []
    if not keys:
        return ""
    out = ["<details><summary>Key log lines</summary>", ""]
    for key in keys:
        label = f"L{key.get('line')}"
        out.append(f"- {_link(label, _anchor(job, diag, key))} {_code(key.get('text', ''))}")
    out.extend(["", "</details>"])
    return "\n".join(out)


def _evidence(job: dict[str, Any], label: str) -> list[str]:
    out = []
    if job.get("label_override") in _LABELS:
        who = f" by @{job['override_by']}" if job.get("override_by") else ""
        out.append(f"Label set{who} (maintainer override).")
    if label == "flaky" and job.get("passed_on_rerun_url"):
        failed = job.get("failed_run_url") or job.get("job_url")
        out.append(
            f"Evidence: {_link('failed', failed)}, then "
            f"{_link('passed on a re-run of the same commit', job['passed_on_rerun_url'])}."
        )
    if label == "broken_on_base" and job.get("failed_on_base_url"):
        out.append(
            f"Evidence: {_link('failing on the base branch too', job['failed_on_base_url'])}."
        )
    if label == "infra":
        retried = int(job.get("auto_retried") or 0)
        if retried:
            out.append(f"Re-run automatically ({retried}×).")
    if job.get("merge_queue"):
        out.append("Failed in the merge queue.")
    out.extend(f"- {redact(str(line))}" for line in job.get("memory") or ())
    return out


def _verdict(groups: dict[str, list[dict[str, Any]]], total_jobs: int | None) -> str:
    failed = sum(len(v) for v in groups.values())
    counts = []
    names = {
        "new": "new failure",
        "broken_on_base": "broken on base",
        "flaky": "flaky",
        "infra": "infra",
    }
    for key, _, _ in SECTIONS:
        n = len(groups[key])
        if n:
            counts.append(f"{n} {names[key]}{'s' if key == 'new' and n != 1 else ''}")
    of = f" of {total_jobs}" if total_jobs else ""
    plural = "job" if failed == 1 and not total_jobs else "jobs"
    icon = "❌" if groups["new"] else "⚠️"
    text = f"{icon} **{failed}{of} {plural} failed**: " + ", ".join(counts) + "."
    if not groups["new"]:
        text += " None of them look caused by this PR (see the evidence below)."
    return text


def _commit(sha: str | None, repo: str | None) -> str:
    if not sha:
        return "?"
    short = sha[:10]
    return f"[`{short}`](https://github.com/{repo}/commit/{sha})" if repo else f"`{short}`"


def _as_of(head_sha: str, merge_base_sha: str | None, repo: str | None) -> str:
    base = f" (merge base {_commit(merge_base_sha, repo)})" if merge_base_sha else ""
    return f"As of commit {_commit(head_sha, repo)}{base}:"


def render_comment(
    jobs: list[dict[str, Any]],
    head_sha: str,
    merge_base_sha: str | None = None,
    *,
    repo: str | None = None,
    total_jobs: int | None = None,
    previously_failed: int = 0,
    known_paths: Collection[str] | None = None,
    skipped_jobs: list[str] | None = None,
) -> str:
    """The whole sticky comment. ``jobs``: the failing jobs of the head commit (see module
    doc for keys); ``known_paths``: files that exist at ``head_sha`` (test locations are
    linked only to those); ``skipped_jobs``: jobs of the run that did not run because a job
    they need failed (named once, so a reader knows why they have no result). With no jobs
    it renders the "all green now" form."""
    if not jobs:
        return render_all_green(
            head_sha, merge_base_sha, repo=repo, previously_failed=previously_failed
        )
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in SECTIONS}
    for job in jobs:
        groups[classify_job(job)].append(job)
    out = [
        MARKER,
        "## CI failure diagnosis",
        "",
        _verdict(groups, total_jobs),
        "",
        _as_of(head_sha, merge_base_sha, repo),
        "",
    ]
    if skipped_jobs:
        names = ", ".join(_code(n, 60) for n in skipped_jobs[:MAX_TESTS_SHOWN])
        more = len(skipped_jobs) - MAX_TESTS_SHOWN
        out.append(
            f"Did not run (skipped after the failures below): {names}"
            + (f" and {more} more" if more > 0 else "")
            + "."
        )
        out.append("")
    if len(jobs) > TABLE_AFTER_JOBS:
        out.append(_table(jobs))
    for key, title, blurb in SECTIONS:
        if not groups[key]:
            continue
        out.append(f"### {title} ({len(groups[key])})")
        out.append(f"_{blurb}_")
        out.append("")
        for job in groups[key]:
            out.append(render_job_section(job, repo, head_sha=head_sha, known_paths=known_paths))
    retry = any(classify_job(job) in RETRYABLE_LABELS for job in jobs)
    commands = "`/retry` re-runs failed jobs · " if retry else ""
    out.append(
        f"<sub>Commands: {commands}`/diagnose` re-runs this diagnosis. "
        "Wrong label? A maintainer can override it: "
        "`/label-failure JOB new|flaky|infra|broken_on_base`.</sub>"
    )
    return redact("\n".join(out).rstrip() + "\n")


def _table(jobs: list[dict[str, Any]]) -> str:
    rows = ["| Job | Category | Cause |", "|---|---|---|"]
    for job in jobs:
        diag = _diag(job)
        name = _link(redact(str(job.get("name") or "job")), job.get("job_url"))
        cause = _code(diag.get("summary"), 80) if diag.get("summary") else "–"
        rows.append(
            "| "
            + " | ".join(_cell(c) for c in (name, f"`{diag.get('category') or 'unknown'}`", cause))
            + " |"
        )
    return "\n".join(rows) + "\n"


def render_all_green(
    head_sha: str,
    merge_base_sha: str | None = None,
    *,
    repo: str | None = None,
    previously_failed: int = 0,
) -> str:
    """The comment after the checks pass: edited in place, never deleted."""
    before = (
        f" The {previously_failed} failing job{'s' if previously_failed != 1 else ''} reported "
        "earlier now pass."
        if previously_failed
        else ""
    )
    as_of = _as_of(head_sha, merge_base_sha, repo).rstrip(":")
    body = f"✅ **All checks pass** {as_of[0].lower()}{as_of[1:]}.{before}"
    return redact(f"{MARKER}\n## CI failure diagnosis\n\n{body}\n")
