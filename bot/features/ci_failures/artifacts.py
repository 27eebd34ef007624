"""Test reports (JUnit artifacts), lint annotations on the diff, links to source (issue 11)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from gidgethub import BadRequest

from bot import github
from bot.context import Context
from bot.diagnose.extractors import Failure
from bot.diagnose.findings import (
    LINT_CHECK_NAME,
    DiffScan,
    Finding,
    batches,
    changed_lines,
    check_run_output,
    split_by_diff,
    to_annotations,
)
from bot.diagnose.junit import MAX_ARCHIVE_BYTES, JUnitReport, failures_from_zip, prefer_junit
from bot.github import InstallationAPI
from bot.kvstore import kv_of
from bot.report.records import FAILED

from .common import DIAG_TTL, LINT_CATEGORIES, MAX_ARTIFACTS, _is_ours, _run_id

log = logging.getLogger(__name__)


# --- test reports, lint annotations, links to source (issue 11) --------------------------


async def _apply_junit(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    check: dict[str, Any],
    diag: dict[str, Any],
    log_failures: list[Failure],
) -> None:
    """Prefer the run's JUnit XML reports (exact test names and messages) to the log.

    A category no rule gave (``rule`` is None: only the step's command named it, as a
    ``./ci/check.sh`` counts as a lint script) yields to a report of failed tests."""
    guessed = diag.get("rule") is None
    if diag.get("category") not in ("test_failure", "unknown") and not guessed:
        return
    run_id = _run_id(check)
    if run_id is None:
        return
    report = await junit_report_for_run(gh, ctx, owner, name, run_id)
    if report is None or not report.failures:
        return
    whole_run = not log_failures and await _only_failed_job(gh, owner, name, run_id)
    failures, used = prefer_junit(log_failures, report, whole_run=whole_run)
    if used:
        diag["failures"] = [f.as_dict() for f in failures]
        diag["failing_tests"] = [f.test for f in failures]
        diag["failures_source"] = "JUnit report"
        if diag.get("category") == "unknown" or guessed:  # the log said nothing; the report does
            diag["category"] = "test_failure"


async def junit_report_for_run(
    gh: InstallationAPI, ctx: Context, owner: str, name: str, run_id: int
) -> JUnitReport | None:
    """Failing tests from the run's artifacts (each a zip; only its ``*.xml`` JUnit files
    are read, in memory, under size caps), cached per run; None when it has none."""
    kv = kv_of(ctx)
    key = f"{owner}/{name}:{run_id}"
    cached = await asyncio.to_thread(kv.get, "junit", key)
    if cached is not None:
        return _report_from_cache(cached)
    try:
        artifacts = [
            a
            async for a in github.paginate(
                gh,
                "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts?per_page=100",
                {"owner": owner, "repo": name, "run_id": str(run_id)},
                key="artifacts",
            )
        ]
    except github.GitHubError as exc:
        log.warning("artifacts unavailable", extra={"run": run_id, "error": str(exc)})
        return None
    report = JUnitReport()
    usable = [a for a in artifacts if not a.get("expired")]
    for art in usable[:MAX_ARTIFACTS]:
        if int(art.get("size_in_bytes") or 0) > MAX_ARCHIVE_BYTES:
            report.skipped.append(f"artifact {art.get('name')!r}: over the size cap")
            continue
        try:
            data = await github.download_artifact(
                gh, owner, name, int(art["id"]), max_bytes=MAX_ARCHIVE_BYTES
            )
        except github.GitHubError as exc:
            report.skipped.append(f"artifact {art.get('name')!r}: {exc}")
            continue
        await asyncio.to_thread(failures_from_zip, data, report=report)
    if report.skipped:
        log.info("junit artifacts skipped", extra={"run": run_id, "skipped": report.skipped[:10]})
    await asyncio.to_thread(kv.put, "junit", key, report.as_dict(), DIAG_TTL)
    return report


def _report_from_cache(data: dict[str, Any]) -> JUnitReport:
    return JUnitReport(
        failures=[
            Failure(f["test"], f.get("message"), f.get("location"), f.get("line"))
            for f in data.get("failures") or []
        ],
        files=int(data.get("files") or 0),
        tests=int(data.get("tests") or 0),
        skipped=list(data.get("skipped") or []),
    )


async def _only_failed_job(gh: InstallationAPI, owner: str, name: str, run_id: int) -> bool:
    failed = 0
    async for job in github.paginate(
        gh,
        "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs?per_page=100",
        {"owner": owner, "repo": name, "run_id": str(run_id)},
        key="jobs",
    ):
        failed += job.get("conclusion") in FAILED
    return failed == 1


async def _known_paths(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    sha: str,
    failing: list[dict[str, Any]],
) -> set[str] | None:
    """Files at the head commit (one recursive tree read, cached), only when a failing
    test has a location to link."""
    if not any(
        f.get("location") for job in failing for f in (job["diagnosis"].get("failures") or [])
    ):
        return None
    kv = kv_of(ctx)
    cached = await asyncio.to_thread(kv.get, "tree", f"{owner}/{name}:{sha}")
    if cached is not None:
        return set(cached)
    try:
        tree = await gh.getitem(
            "/repos/{owner}/{repo}/git/trees/{tree_sha}?recursive=1",
            url_vars={"owner": owner, "repo": name, "tree_sha": sha},
        )
    except BadRequest:
        return None
    paths = [e["path"] for e in tree.get("tree") or [] if e.get("type") == "blob"]
    await asyncio.to_thread(kv.put, "tree", f"{owner}/{name}:{sha}", paths, DIAG_TTL)
    return set(paths)


async def publish_lint_annotations(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    pr: dict[str, Any],
    sha: str,
    failing: list[dict[str, Any]],
    runs: list[dict[str, Any]],
) -> str:
    """One ``pitcrew/lint`` check run on the head commit: the findings of the failing
    lint/type-check/format jobs that fall on lines the PR changed, as annotations (50 per
    request); the summary counts the rest. A later refresh updates the same check run and
    sends only annotations it has not sent yet."""
    lint_jobs = [j for j in failing if j["diagnosis"].get("category") in LINT_CATEGORIES]
    findings = [Finding(**f) for job in lint_jobs for f in (job["diagnosis"].get("findings") or [])]
    if not findings:
        return "none"
    files = [
        f
        async for f in github.paginate(
            gh,
            "/repos/{owner}/{repo}/pulls/{pull_number}/files?per_page=100",
            {"owner": owner, "repo": name, "pull_number": str(pr["number"])},
            key=None,
        )
    ]
    inside, outside = split_by_diff(dict.fromkeys(findings), changed_lines(files))
    scan = DiffScan(inside, len(outside))
    jobs_named = ", ".join(j["name"] for j in lint_jobs)
    output = check_run_output(scan, job=jobs_named)
    annotations = to_annotations(inside)
    kv = kv_of(ctx)
    sent_key = f"{owner}/{name}:{sha}"
    sent = set(await asyncio.to_thread(kv.get, "lint-sent", sent_key, []) or [])
    fresh = [a for a in annotations if _annotation_key(a) not in sent]
    conclusion = "failure" if any(f.level == "failure" for f in inside) else "neutral"
    ours = [r for r in runs if r.get("name") == LINT_CHECK_NAME and _is_ours(r, ctx)]
    chunks = batches(fresh) or [[]]
    body: dict[str, Any] = {
        "name": LINT_CHECK_NAME,
        "status": "completed",
        "conclusion": conclusion,
        "output": {**output, "annotations": chunks[0]},
    }
    if ours:
        check_id = ours[-1]["id"]
        await gh.patch(
            "/repos/{owner}/{repo}/check-runs/{check_run_id}",
            url_vars={"owner": owner, "repo": name, "check_run_id": str(check_id)},
            data=body,
        )
        state = "updated"
    else:
        created = await gh.post(
            "/repos/{owner}/{repo}/check-runs",
            url_vars={"owner": owner, "repo": name},
            data={**body, "head_sha": sha},
        )
        check_id = created["id"]
        runs.append(created)
        state = "created"
    for chunk in chunks[1:]:  # the API takes at most 50 annotations per request
        await gh.patch(
            "/repos/{owner}/{repo}/check-runs/{check_run_id}",
            url_vars={"owner": owner, "repo": name, "check_run_id": str(check_id)},
            data={"output": {**output, "annotations": chunk}},
        )
    sent.update(_annotation_key(a) for a in fresh)
    await asyncio.to_thread(kv.put, "lint-sent", sent_key, sorted(sent), DIAG_TTL)
    return state


def _annotation_key(annotation: dict[str, Any]) -> str:
    return f"{annotation['path']}:{annotation['start_line']}:{annotation['message']}"
