"""Helpers shared by the rules: trigger filters, release-like workflows, action versions."""

from __future__ import annotations

import re
from typing import Any

from ..filters import ignored, included
from ..model import Step, Workflow, WorkflowJob, get, has, plain, text

_RELEASE_WORDS = re.compile(r"(^|[^a-z])(release|deploy|publish|cd|delivery|pages)([^a-z]|$)", re.I)
_RELEASE_ACTIONS = (
    "pypa/gh-action-pypi-publish",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "actions/create-release",
    "actions/deploy-pages",
    "goreleaser/goreleaser-action",
    "docker/build-push-action",
)
_RELEASE_COMMANDS = re.compile(
    r"\b(npm publish|yarn publish|pnpm publish|twine upload|cargo publish|gh release create|"
    r"docker push|kubectl apply|helm upgrade|terraform apply|poetry publish|uv publish)\b"
)
_VERSION = re.compile(r"^v?(\d+)(?:\.\d+)*$")
SHA = re.compile(r"^[0-9a-f]{40}$")


def event_hits_branches(filters: Any, branches: set[str]) -> bool:
    """Does a push/pull_request trigger (with its filters) fire for one of ``branches``?"""
    if not isinstance(filters, dict):
        return True
    if "branches" in filters:
        return any(included(filters["branches"], b) for b in branches)
    if "branches-ignore" in filters:
        return not all(ignored(filters["branches-ignore"], b) for b in branches)
    return "tags" not in filters and "tags-ignore" not in filters


def is_release_like(wf: Workflow) -> bool:
    """Release, deploy or publish workflows: never cancel or skip their runs."""
    trig = wf.triggers()
    stem = wf.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if _RELEASE_WORDS.search(stem) or _RELEASE_WORDS.search(wf.name):
        return True
    if "release" in trig or "registry_package" in trig or "deployment" in trig:
        return True
    push = trig.get("push")
    if isinstance(push, dict) and ("tags" in push) and "branches" not in push:
        return True
    for job in wf.jobs:
        if has(job.node, "environment"):
            return True
        for step in job.steps:
            if step.action.startswith(_RELEASE_ACTIONS):
                return True
            if step.run and _RELEASE_COMMANDS.search(step.run):
                return True
    return False


def major(step: Step, doc_line: str = "") -> int | None:
    """Major version of an action reference (``v3``, ``v3.1.0``; a SHA with a ``# v3`` comment)."""
    ref = step.ref
    m = _VERSION.match(ref)
    if m:
        return int(m.group(1))
    if SHA.match(ref) and doc_line:
        c = re.search(r"#\s*v?(\d+)", doc_line)
        if c:
            return int(c.group(1))
    return None


def job_shell(wf: Workflow, job: WorkflowJob, step: Step) -> str:
    """The shell a run step uses: explicit, job/workflow default, else from the runner OS."""
    for source in (
        get(step.node, "shell"),
        get(get(get(job.node, "defaults"), "run"), "shell"),
        get(get(get(wf.root, "defaults"), "run"), "shell"),
    ):
        if text(source):
            return text(source) or ""
    runs_on = str(plain(get(job.node, "runs-on")) or "")
    return "pwsh" if "windows" in runs_on.lower() else "bash"
