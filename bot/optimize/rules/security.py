"""Security findings, reported and never auto-fixed: script-injection, pwn-request,
secrets-inherit. A safe fix needs a human (moving a value to ``env:``, splitting a workflow)."""

from __future__ import annotations

import re

from ..model import Node, Scalar, get, text
from ..results import RuleContext

_UNTRUSTED = re.compile(
    r"github\.event\.(issue|pull_request|discussion)\.(title|body)"
    r"|github\.event\.(comment|review|review_comment)\.body"
    r"|github\.event\.pages\.[^.\s}]+\.page_name"
    r"|github\.event\.(commits\.[^.\s}]+|head_commit)\.(message|author\.(email|name))"
    r"|github\.event\.pull_request\.head\.(ref|label|repo\.default_branch)"
    r"|github\.head_ref"
    r"|github\.event\.workflow_run\.(head_branch|display_title|head_commit\.(message|author\.(email|name)))"
    r"|github\.event\.[\w.*\[\]-]*\.(title|body|message)\b"
)
_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
_HEAD_REF = re.compile(
    r"github\.event\.pull_request\.head\.(sha|ref|repo\.full_name)|github\.head_ref"
    r"|github\.event\.workflow_run\.head_(sha|branch)|refs/pull/|github\.event\.number"
)
_HEAD_RUN = re.compile(r"gh pr checkout|git fetch\b.*\bpull/|git checkout .*pull_request\.head")


def _lines_of(ctx: RuleContext, node: Node, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(1-based line, matched text) of every expression in ``node`` whose body matches."""
    if not isinstance(node, Scalar):
        return []
    doc = ctx.doc
    start = doc.offset(node.sl, node.sc)
    raw = doc.raw(node)
    out = []
    for m in _EXPR.finditer(raw):
        hit = pattern.search(m.group(1))
        if hit:
            out.append((node.sl + raw[: m.start()].count("\n") + 1, hit.group(0)))
    return out if start >= 0 else []


def script_injection(ctx: RuleContext) -> None:
    for job, step in ctx.wf.all_steps():
        targets = [get(step.node, "run")]
        if step.action.startswith("actions/github-script"):
            targets.append(get(get(step.node, "with"), "script"))
        for node in targets:
            if node is None:
                continue
            for line, expr in _lines_of(ctx, node, _UNTRUSTED):
                ctx.report(
                    "script-injection",
                    line,
                    f"job `{job.id}`: untrusted `{expr}` expanded into a script",
                    "`${{ }}` is pasted into the script before the shell runs, so a crafted "
                    "title, body or branch name runs as code. Pass it through `env:` and use "
                    '"$VAR" in the script instead.',
                )


def pwn_request(ctx: RuleContext) -> None:
    trig = ctx.wf.triggers()
    events = [e for e in ("pull_request_target", "workflow_run") if e in trig]
    if not events:
        return
    for job, step in ctx.wf.all_steps():
        risky = False
        if step.action == "actions/checkout":
            inputs = get(step.node, "with")
            for key in ("ref", "repository"):
                if _HEAD_REF.search(text(get(inputs, key)) or ""):
                    risky = True
        if step.run and _HEAD_RUN.search(step.run):
            risky = True
        if step.run and re.search(
            r"git (checkout|fetch|switch)\b[^\n]*\$\{\{[^}]*(" + _HEAD_REF.pattern + ")", step.run
        ):
            risky = True
        if risky:
            ctx.report(
                "pwn-request",
                step.node.sl + 1,
                f"job `{job.id}`: checks out pull-request code under `{events[0]}`",
                f"`{events[0]}` runs with a write token and secrets; building or running code "
                "from the PR head lets any fork author take them. Split it: an unprivileged "
                "`pull_request` workflow builds, a privileged one only consumes its artifacts.",
            )


def secrets_inherit(ctx: RuleContext) -> None:
    owner = (ctx.config.owner or "").lower()
    for job in ctx.wf.jobs:
        uses = job.uses or ""
        if not uses or uses.startswith("./") or text(get(job.node, "secrets")) != "inherit":
            continue
        if owner and uses.split("/")[0].lower() == owner:
            continue
        ctx.report(
            "secrets-inherit",
            job.key.sl + 1,
            f"job `{job.id}`: `secrets: inherit` to third-party `{uses}`",
            "Every secret of this repository is handed to code someone else controls; pass "
            "only the secrets that workflow needs under `secrets:`.",
        )
