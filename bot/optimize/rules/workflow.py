"""Workflow-level rules: concurrency, permissions, timeout, paths-ignore, merge-group."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from ..edits import (
    Edit,
    append_to_sequence,
    emit,
    indent_unit,
    insert_in_mapping,
    insert_lines,
    replace_in_scalar,
    replace_scalar,
    seq_flush,
)
from ..model import (
    Scalar,
    WorkflowJob,
    YamlMapping,
    YamlSequence,
    deref,
    get,
    has,
    own_pair,
    plain,
    text,
)
from ..results import RuleContext
from .common import event_hits_branches, is_release_like

GROUP = "${{ github.workflow }}-${{ github.ref }}"
CANCEL_PR_ONLY = "${{ github.event_name == 'pull_request' }}"
#: For workflows that also publish or deploy: pull-request runs share a group per ref (and
#: cancel each other); every other run gets a group of its own, so a release, tag, schedule
#: or deployment run is never cancelled — not even while pending, which a shared group with
#: ``cancel-in-progress: false`` would still do.
GROUP_PR_ONLY = (
    "${{ github.workflow }}-${{ github.event_name == 'pull_request' && github.ref "
    "|| github.run_id }}"
)


def _group(ctx: RuleContext, group: str) -> tuple[str, str]:
    """The group for this file, and what the rationale must add.

    A workflow that can also be called (``workflow_call``) sees the *caller's* name in
    ``github.workflow``: a group built from it alone equals the caller's own group, which
    GitHub reports as a deadlock and cancels. Such a file's group also names the file.
    """
    if "workflow_call" not in ctx.wf.triggers():
        return group, ""
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", ctx.wf.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    named = group.replace("${{ github.workflow }}", "${{ github.workflow }}-" + stem, 1)
    return named, (
        f" The group also names this file (`{stem}`): it can be called (`workflow_call`), "
        "and a called workflow sees its caller's name in `github.workflow`, so a group of "
        "that name alone would equal the caller's and GitHub would cancel it as a deadlock."
    )


def _jobs_line(ctx: RuleContext) -> int:
    pair = own_pair(ctx.wf.root, "jobs")
    return pair[0].sl + 1 if pair else 1


def _insert_top(ctx: RuleContext, value: dict[str, Any]) -> Edit | None:
    """A new top-level key, placed before ``jobs:`` (after its comments) like a human would."""
    return insert_in_mapping(ctx.doc, ctx.wf.root, value, before=("jobs",), blank_line=True)


# ------------------------------------------------------------------ concurrency
def concurrency(ctx: RuleContext) -> None:
    wf = ctx.wf
    if wf.kind != "workflow" or wf.root is None:
        return
    trig = wf.triggers()
    if not ({"pull_request", "push"} & trig.keys()):
        return
    if has(wf.root, "concurrency") or any(has(j.node, "concurrency") for j in wf.jobs):
        return
    if is_release_like(wf):
        if "pull_request" in trig:
            _mixed_concurrency(ctx)
        return
    defaults = ctx.config.default_branches()
    push_default = "push" in trig and event_hits_branches(trig["push"], defaults)
    other_default = bool({"schedule", "workflow_dispatch", "repository_dispatch"} & trig.keys())
    if "pull_request" not in trig and push_default:
        return  # only default-branch pushes: nothing that may safely be cancelled
    pr_only = push_default or other_default
    cancel = CANCEL_PR_ONLY if pr_only else "true"
    saving = None
    if ctx.history:
        minutes = (
            ctx.history.superseded_pr_minutes.get(wf.path)
            if pr_only and wf.path in ctx.history.superseded_pr_minutes
            else ctx.history.superseded_minutes.get(wf.path)
        )
        saving = ctx.history.per_month(minutes) if minutes else None
    why = (
        "A new push to a pull request makes the running CI for the previous commit worthless; "
        "a concurrency group per workflow and ref cancels it."
    )
    if pr_only:
        why += (
            " The workflow also runs on the default branch, so only pull-request runs are "
            "cancelled: every default-branch commit keeps its result."
        )
    group, called = _group(ctx, GROUP)
    ctx.report(
        "concurrency",
        _jobs_line(ctx),
        "cancel superseded runs with a concurrency group"
        + (" (pull requests only)" if pr_only else ""),
        why + called,
        edits=[_insert_top(ctx, {"concurrency": {"group": group, "cancel-in-progress": cancel}})],
        saving=saving,
    )


def _mixed_concurrency(ctx: RuleContext) -> None:
    """CI on pull requests plus a publish/deploy path: cancel superseded PR runs only."""
    wf = ctx.wf
    saving = None
    if ctx.history and wf.path in ctx.history.superseded_pr_minutes:
        saving = ctx.history.per_month(ctx.history.superseded_pr_minutes[wf.path]) or None
    group, called = _group(ctx, GROUP_PR_ONLY)
    ctx.report(
        "concurrency",
        _jobs_line(ctx),
        "cancel superseded pull-request runs only (this workflow also publishes or deploys)",
        "A new push to a pull request makes the running CI for the previous commit worthless. "
        "This workflow also releases, publishes or deploys, so only pull-request runs share a "
        "group and are cancelled; every release, tag, schedule or deployment run gets a group "
        "of its own (`github.run_id`) and is never cancelled or replaced while pending." + called,
        edits=[
            _insert_top(
                ctx, {"concurrency": {"group": group, "cancel-in-progress": CANCEL_PR_ONLY}}
            )
        ],
        saving=saving,
    )


# ------------------------------------------------------------------ permissions
_GRANTS: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (
        re.compile(
            r"^(softprops/action-gh-release|ncipollo/release-action|actions/create-release|"
            r"actions/upload-release-asset|svenstaro/upload-release-action|"
            r"stefanzweifel/git-auto-commit-action|endbug/add-and-commit|goreleaser/)"
        ),
        {"contents": "write"},
    ),
    (
        re.compile(r"^(peter-evans/create-pull-request|googleapis/release-please-action)"),
        {"contents": "write", "pull-requests": "write"},
    ),
    (
        re.compile(
            r"^(marocchino/sticky-pull-request-comment|thollander/actions-comment-pull-request|"
            r"actions/labeler)"
        ),
        {"pull-requests": "write"},
    ),
    (
        re.compile(r"^(peter-evans/create-or-update-comment|actions/stale)"),
        {"issues": "write", "pull-requests": "write"},
    ),
    (re.compile(r"^actions/deploy-pages"), {"pages": "write", "id-token": "write"}),
    (
        re.compile(
            r"^(aws-actions/configure-aws-credentials|google-github-actions/auth|azure/login|"
            r"pypa/gh-action-pypi-publish|sigstore/)"
        ),
        {"id-token": "write"},
    ),
    (
        re.compile(r"^actions/attest-build-provenance"),
        {"id-token": "write", "attestations": "write"},
    ),
    (re.compile(r"^github/codeql-action/(analyze|upload-sarif)"), {"security-events": "write"}),
    (
        re.compile(
            r"^(dorny/test-reporter|enricomi/publish-unit-test-result-action|"
            r"mikepenz/action-junit-report)"
        ),
        {"checks": "write"},
    ),
]
_RUN_GRANTS: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(r"\bgh release (create|upload)\b|\bgit push\b"), {"contents": "write"}),
    (re.compile(r"\bgh pr (comment|review|edit|merge)\b"), {"pull-requests": "write"}),
    (re.compile(r"\bgh issue (comment|edit|create|close)\b|\bgh label\b"), {"issues": "write"}),
    (re.compile(r"\bdocker push ghcr\.io\b"), {"packages": "write"}),
]
_ORDER = ("actions", "attestations", "checks", "contents", "id-token", "issues", "packages")


def job_grants(job: WorkflowJob) -> dict[str, str]:
    """Permissions a job visibly needs beyond ``contents: read`` (empty when none)."""
    grants: dict[str, str] = {}
    for step in job.steps:
        for pattern, perms in _GRANTS:
            if pattern.search(step.action):
                grants.update(perms)
        if step.action.startswith("docker/login-action") and "ghcr.io" in str(
            plain(get(step.node, "with"))
        ):
            grants["packages"] = "write"
        if step.action.startswith("actions/github-script"):
            script = text(get(get(step.node, "with"), "script")) or ""
            if re.search(r"createComment|\.issues\.|addLabels", script):
                grants.update({"issues": "write", "pull-requests": "write"})
            if re.search(r"\.pulls\.", script):
                grants["pull-requests"] = "write"
        if step.run:
            for pattern, perms in _RUN_GRANTS:
                if pattern.search(step.run):
                    grants.update(perms)
    if not grants:
        return {}
    grants.setdefault("contents", "read")
    return dict(sorted(grants.items(), key=lambda kv: (kv[0] != "contents", kv[0])))


def permissions(ctx: RuleContext) -> None:
    wf = ctx.wf
    if wf.kind != "workflow" or wf.root is None or has(wf.root, "permissions") or not wf.jobs:
        return
    line = _jobs_line(ctx)
    why = (
        "Without `permissions:` the GITHUB_TOKEN gets the repository default, often write access "
        "to everything; a read-only default limits what a compromised step can do."
    )
    callers = [j.id for j in wf.jobs if j.uses and not has(j.node, "permissions")]
    if callers:
        ctx.report(
            "permissions",
            line,
            "set a read-only default `permissions:` for the GITHUB_TOKEN",
            why + " Jobs " + ", ".join(callers) + " call reusable workflows whose needs are "
            "not visible here: add their permissions by hand.",
            edits=[None],
            blocked="reusable workflow callers",
        )
        return
    edits = [_insert_top(ctx, {"permissions": {"contents": "read"}})]
    granted = []
    for job in wf.jobs:
        grants = job_grants(job)
        if grants and not has(job.node, "permissions"):
            granted.append(f"{job.id}: " + ", ".join(f"{k}: {v}" for k, v in grants.items()))
            edits.append(
                insert_in_mapping(
                    ctx.doc,
                    deref(job.node) if job.node is deref(job.node) else None,
                    {"permissions": grants},
                    after=("runs-on", "environment", "needs", "if", "name"),
                    before=("steps",),
                    parent_col=job.key.sc,
                )
            )
    message = "set `permissions: contents: read` for the GITHUB_TOKEN"
    declared = [j.id for j in wf.jobs if has(j.node, "permissions")]
    if declared:
        why += (
            " Jobs " + ", ".join(declared) + " declare their own `permissions:` and keep them; "
            "the default only applies to the jobs that do not."
        )
    if granted:
        message += "; job grants: " + "; ".join(granted)
        why += (
            " Jobs that visibly need more (releases, comments, pages, OIDC) get job-level grants."
        )
    ctx.report("permissions", line, message, why, edits=edits)


# ------------------------------------------------------------------ timeout
def timeout(ctx: RuleContext) -> None:
    wf = ctx.wf
    if wf.kind != "workflow":
        return
    for job in wf.jobs:
        if (
            job.uses
            or not isinstance(deref(job.node), YamlMapping)
            or has(job.node, "timeout-minutes")
        ):
            continue
        durations = ctx.history.durations(wf.path, job.id, job.name) if ctx.history else []
        if durations:
            p99 = ctx.history.p99(durations) if ctx.history else 0.0
            minutes = max(1, math.ceil(p99 * 1.5))
            source = f"p99 of {len(durations)} runs is {p99:g} min; ×1.5 rounded up"
        else:
            minutes = ctx.config.timeout_default
            source = "no run history: the configured default"
        if minutes >= 360:
            continue
        node = job.node if isinstance(job.node, YamlMapping) else None
        ctx.report(
            "timeout",
            job.key.sl + 1,
            f"job `{job.id}`: add `timeout-minutes: {minutes}`",
            "A hung job holds its runner for the 360-minute default before GitHub kills it. "
            f"Limit: {source}.",
            edits=[
                insert_in_mapping(
                    ctx.doc,
                    node,
                    {"timeout-minutes": minutes},
                    after=("runs-on",),
                    before=("steps",),
                    parent_col=job.key.sc,
                )
            ],
        )


# ------------------------------------------------------------------ paths-ignore
_DOCS_TOOLS = re.compile(
    r"mkdocs|sphinx|markdownlint|docusaurus|\bvale\b|lychee|cspell|codespell|markdown-link|"
    r"jekyll|hugo|prettier|doctest|mdbook|linkcheck|pre-commit|gitleaks|trufflehog|"
    r"detect-secrets|\btypos\b|towncrier|semantic-pull-request|label-merge-conflict|labeler",
    re.I,
)
_CHANGE_DETECTION = ("dorny/paths-filter", "tj-actions/changed-files")
#: Workflows for which a Markdown change matters: docs, links, spelling, changelog entries,
#: secrets, pre-commit hooks, and checks of the pull request itself (title, labels, conflicts).
_DOCS_NAMES = re.compile(
    r"doc|site|pages|spell|link|markdown|prettier|format|readme|changelog|changes|news|"
    r"\burls?\b|conflict|label|semantic|title|typo|secret-?scan|leak|pre-?commit",
    re.I,
)
#: A step that names a Markdown file, and a workflow that reads the pull request's own title,
#: body or labels: a docs-only change does not leave these idle.
_MARKDOWN_FILE = re.compile(r"\.md\b|\bmarkdown\b", re.I)
_PR_METADATA = re.compile(r"github\.event\.pull_request\.(title|body|labels)")
#: A job, or a matrix/list value, that builds the docs (``tox_env: docs``, ``- docs``).
_DOCS_VALUE = re.compile(r"(?m)(?:[:,\[-]\s*)docs?\s*(?:[,\]}#]|$)")
_DOCS_JOB = re.compile(r"\bdocs?\b|documentation|sphinx|mkdocs", re.I)
#: Pull-request activity that is not a new commit: a path filter would hide these runs.
_METADATA_TYPES = frozenset(
    {
        "edited",
        "labeled",
        "unlabeled",
        "assigned",
        "unassigned",
        "review_requested",
        "review_request_removed",
        "milestoned",
        "demilestoned",
        "locked",
        "unlocked",
        "auto_merge_enabled",
        "auto_merge_disabled",
    }
)


def _docs_workflow(ctx: RuleContext) -> bool:
    """Does a Markdown-only change matter to this workflow (so ``paths-ignore`` is wrong)?"""
    wf = ctx.wf
    if _DOCS_NAMES.search(wf.path.rsplit("/", 1)[-1]) or _DOCS_NAMES.search(wf.name):
        return True
    code = "\n".join(ln for ln in ctx.doc.text.splitlines() if not ln.lstrip().startswith("#"))
    if _PR_METADATA.search(code) or _DOCS_VALUE.search(code):
        return True
    if any(_DOCS_JOB.search(f"{job.id} {job.name or ''}") for job in wf.jobs):
        return True
    pull = wf.triggers().get("pull_request")
    types = pull.get("types") if isinstance(pull, dict) else None
    if isinstance(types, list | str) and _METADATA_TYPES & set(
        [types] if isinstance(types, str) else map(str, types)
    ):
        return True
    return any(
        _DOCS_TOOLS.search((step.run or "") + " " + step.action)
        or _MARKDOWN_FILE.search(step.run or "")
        for _, step in wf.all_steps()
    )


def _docs_only_saving(
    ctx: RuleContext, events: Iterable[str], patterns: list[str]
) -> tuple[float | None, str]:
    """Minutes per month of the past runs these patterns would have skipped, and the basis.

    Only runs whose changed files are known count (the rest are stated, never extrapolated),
    so the figure is a lower bound for the window.
    """
    history = ctx.history
    if history is None:
        return None, ""
    minutes, known, total = history.skippable(ctx.wf.path, events, patterns)
    if total == 0:
        legacy = history.docs_only_minutes.get(ctx.wf.path)
        return (history.per_month(legacy), "") if legacy else (None, "")
    days = round(history.window_days, 1)
    if known == 0:
        return None, (
            f" No saving estimate: the changed files of all {total} push/pull-request runs in "
            f"the last {days} day(s) are unknown (recorded from push events and PR reviews)."
        )
    unknown = f"; changed files unknown for {total - known}" if known < total else ""
    return history.per_month(minutes), (
        f" Saving based on {known} of {total} push/pull-request runs in the last {days} "
        f"day(s) whose changed files are known{unknown}: runs whose every changed file "
        "matches these patterns, scaled to a month."
    )


def paths_ignore(ctx: RuleContext) -> None:
    wf = ctx.wf
    if wf.kind != "workflow" or wf.root is None:
        return
    trig = wf.triggers()
    events = [e for e in ("pull_request", "push") if e in trig]
    if not events or is_release_like(wf) or _docs_workflow(ctx):
        return
    if any(s.action.startswith(_CHANGE_DETECTION) for _, s in wf.all_steps()):
        return  # already path-aware per job; a workflow-level filter would hide its gate job
    if any(
        isinstance(trig[e], dict) and ("paths" in trig[e] or "paths-ignore" in trig[e])
        for e in events
    ):
        return
    patterns = ["'**.md'"]
    if any(f.startswith("docs/") for f in ctx.repo_files):
        patterns.append("'docs/**'")
    why = (
        "A change that only touches Markdown or docs/ cannot change what this workflow tests. "
        "Note: README content that packaging reads (long_description) is then not re-checked."
    )
    line = (ctx.wf.on_key.sl + 1) if ctx.wf.on_key else 1
    saving, basis = _docs_only_saving(ctx, events, [p.strip("'") for p in patterns])
    why += basis
    names = {j.id for j in wf.jobs} | {j.name for j in wf.jobs if j.name}
    required = ctx.config.required_checks
    message = f"skip runs for docs-only changes (`paths-ignore: {', '.join(patterns)}`)"
    if required is not None:
        hit = sorted(r for r in required if any(r == n or r.startswith(n + " (") for n in names))
        if hit:
            ctx.report(
                "paths-ignore",
                line,
                message,
                why + f" Not applied: {', '.join(hit)} is a required status check, so a "
                "docs-only pull request would wait forever for a check that never reports.",
                edits=[None],
                blocked="required status checks",
            )
            return
    else:
        why += (
            " If a job here is a required status check, do not apply this: a docs-only pull "
            "request would wait forever for a check that never reports."
        )
    on = deref(ctx.wf.on)
    edits: list[Edit | None] = []
    if not isinstance(on, YamlMapping) or on.flow or not ctx.doc.editable_node(on):
        edits = [None]
        blocked = "`on:` is not a block mapping; write it as one to add path filters"
    else:
        blocked = ""
        unit = indent_unit(ctx.doc, on, ctx.wf.on_key.sc if ctx.wf.on_key else 0)
        for event in events:
            pair = own_pair(on, event)
            if pair is None:
                edits.append(None)
                continue
            key, value = pair
            filters = trig[event]
            if isinstance(filters, dict) and "tags" in filters and "branches" not in filters:
                continue
            block = {"paths-ignore": patterns}
            if isinstance(value, Scalar) and value.is_null and not value.value:
                lines = emit(block, key.sc + unit, unit, seq_flush(ctx.doc))
                edits.append(insert_lines(ctx.doc, key.sl + 1, lines))
            else:
                edits.append(insert_in_mapping(ctx.doc, value, block, parent_col=key.sc))
    ctx.report("paths-ignore", line, message, why, edits=edits, saving=saving, blocked=blocked)


# ------------------------------------------------------------------ merge-group
def merge_group(ctx: RuleContext) -> None:
    wf = ctx.wf
    if wf.kind != "workflow" or wf.root is None:
        return
    trig = wf.triggers()
    queue = ctx.config.merge_queue_branches
    has_mg = "merge_group" in trig
    line = (wf.on_key.sl + 1) if wf.on_key else 1
    if (
        not has_mg
        and queue
        and "pull_request" in trig
        and event_hits_branches(trig["pull_request"], set(queue))
    ):
        on = deref(wf.on)
        edit: Edit | None = None
        if isinstance(on, YamlMapping):
            edit = insert_in_mapping(ctx.doc, on, {"merge_group": None}, after=("pull_request",))
        elif isinstance(on, YamlSequence):
            edit = append_to_sequence(ctx.doc, on, ["merge_group"])
        elif isinstance(on, Scalar) and on.style is None:
            edit = replace_scalar(ctx.doc, on, f"[{on.value}, merge_group]")
        ctx.report(
            "merge-group",
            line,
            "also run on `merge_group`",
            f"{', '.join(sorted(queue))} is protected by a merge queue; a required check that "
            "never runs on `merge_group` leaves every queued pull request waiting (the usual "
            "reason a merge queue stalls).",
            edits=[edit],
        )
        has_mg = True
    if not has_mg:
        return
    for owner in [wf.root, *[j.node for j in wf.jobs]]:
        conc = get(owner, "concurrency")
        group = get(conc, "group") if isinstance(deref(conc), YamlMapping) else conc
        value = text(group) or ""
        if "github.head_ref" in value and not re.search(r"github\.head_ref\s*\|\|", value):
            ctx.report(
                "merge-group",
                (group.sl + 1) if group else line,
                "concurrency group keyed on `github.head_ref` collapses in the merge queue",
                "`github.head_ref` is empty for merge_group (and push) events, so every queued "
                "run shares one group and cancels the others; fall back to `github.ref`.",
                edits=[
                    replace_in_scalar(
                        ctx.doc,
                        group,
                        "${{ github.head_ref }}",
                        "${{ github.head_ref || github.ref }}",
                    )
                ],
            )
