"""Step-level rules: cache, deprecated-action, pin-sha."""

from __future__ import annotations

import re

from ..edits import Edit, insert_in_mapping, replace_in_scalar
from ..model import Job, Mapping, Scalar, Step, get, own_pair, text
from ..results import Context
from .common import SHA, job_shell, major

# ------------------------------------------------------------------ cache
_OTHER_CACHE = re.compile(r"^actions/cache|-cache$|/cache(/|$)|setup-gradle|gradle-build-action")
_SETUP = {
    "actions/setup-python": "python",
    "actions/setup-node": "node",
    "actions/setup-java": "java",
}
_REQ = re.compile(r"(^|/)requirements[^/]*\.txt$|(^|/)requirements/[^/]+\.txt$")


def _find(files: frozenset[str], name: str) -> list[str]:
    return sorted(f for f in files if f == name or f.endswith("/" + name))


def _earlier(job: Job, step: Step, pattern: str) -> bool:
    rx = re.compile(pattern)
    return any(rx.search((s.run or "") + " " + s.action) for s in job.steps[: step.index])


def _choose(
    kind: str, files: frozenset[str], job: Job, step: Step
) -> tuple[dict, str] | str | None:
    """(inputs to add, why) — or a reason string when a cache cannot be set up here."""
    if kind == "python":
        reqs = sorted(f for f in files if _REQ.search(f))
        if _find(files, "requirements.txt"):
            return {"cache": "pip"}, "requirements.txt"
        if reqs:
            path = reqs[0] if len(reqs) == 1 else "'**/requirements*.txt'"
            return {"cache": "pip", "cache-dependency-path": path}, ", ".join(reqs[:3])
        if _find(files, "Pipfile.lock"):
            return {"cache": "pipenv"}, "Pipfile.lock"
        if _find(files, "poetry.lock"):
            if _earlier(
                job, step, r"pipx install poetry|pip install poetry|install-poetry|actions-poetry"
            ):
                return {"cache": "poetry"}, "poetry.lock"
            return "`cache: poetry` needs poetry installed before setup-python"
        return None
    if kind == "node":
        kinds = {"package-lock.json": "npm", "npm-shrinkwrap.json": "npm", "yarn.lock": "yarn"}
        kinds["pnpm-lock.yaml"] = "pnpm"
        root = {kinds[f] for f in files if f in kinds}
        if len(root) > 1:
            return "several lockfile kinds at the repository root"
        workdir = text(get(get(get(job.node, "defaults"), "run"), "working-directory"))
        choice: tuple[dict, str] | None = None
        if root:
            manager = root.pop()
            choice = {"cache": manager}, next(f for f in files if kinds.get(f) == manager)
        else:
            nested = {name: _find(files, name) for name in kinds}
            found = {kinds[n]: p for n, p in nested.items() if p}
            if len(found) == 1:
                manager, paths = next(iter(found.items()))
                local = [p for p in paths if workdir and p.startswith(workdir.strip("./") + "/")]
                if len(local) == 1:
                    dep = local[0]
                elif len(paths) == 1:
                    dep = paths[0]
                else:
                    dep = "'**/" + paths[0].rsplit("/", 1)[-1] + "'"
                choice = {"cache": manager, "cache-dependency-path": dep}, ", ".join(paths[:3])
            elif found:
                return "lockfiles of several package managers"
        if (
            choice
            and choice[0]["cache"] == "pnpm"
            and not _earlier(job, step, r"pnpm/action-setup")
        ):
            return "`cache: pnpm` needs pnpm installed (pnpm/action-setup) before setup-node"
        return choice
    if kind == "java":
        found = []
        if _find(files, "pom.xml"):
            found.append(("maven", "pom.xml"))
        gradle = [n for n in ("build.gradle", "build.gradle.kts", "gradlew") if _find(files, n)]
        if gradle:
            found.append(("gradle", gradle[0]))
        if _find(files, "build.sbt"):
            found.append(("sbt", "build.sbt"))
        if len(found) > 1:
            return "several build tools (" + ", ".join(k for k, _ in found) + ")"
        return ({"cache": found[0][0]}, found[0][1]) if found else None
    return None


def cache(ctx: Context) -> None:
    files = ctx.repo_files
    for job in ctx.wf.jobs:
        if any(_OTHER_CACHE.search(s.action) for s in job.steps):
            continue
        for step in job.steps:
            kind = _SETUP.get(step.action)
            if not kind:
                continue
            version = major(step, ctx.doc.line_text(step.node.sl))
            if version is not None and version < 2:
                continue  # no cache input; deprecated-action upgrades it
            with_pair = own_pair(step.node, "with")
            if with_pair and isinstance(with_pair[1], Mapping) and own_pair(with_pair[1], "cache"):
                continue
            if get(get(step.node, "with"), "cache") is not None:
                continue
            chosen = _choose(kind, files, job, step)
            if chosen is None:
                continue
            line = step.node.sl + 1
            label = step.action.split("/")[-1]
            if isinstance(chosen, str):
                ctx.report(
                    "cache",
                    line,
                    f"job `{job.id}`: {label} without dependency cache",
                    f"No cache proposed: {chosen}.",
                    edits=[None],
                    blocked=chosen,
                )
                continue
            inputs, lockfile = chosen
            if with_pair is None:
                edit = insert_in_mapping(ctx.doc, step.node, {"with": inputs}, after=("uses",))
            elif isinstance(with_pair[1], Mapping):
                edit = insert_in_mapping(ctx.doc, with_pair[1], inputs, parent_col=with_pair[0].sc)
            else:
                edit = None
            saving = None
            if ctx.history:
                mins = ctx.history.install_minutes.get(ctx.wf.path, {}).get(job.id)
                saving = ctx.history.per_month(mins * 0.5) if mins else None
            ctx.report(
                "cache",
                line,
                f"job `{job.id}`: {label} `cache: {inputs['cache']}`",
                f"Dependencies are downloaded again on every run; {label} can cache them keyed "
                f"on {lockfile}. The estimate assumes a warm cache halves install time.",
                edits=[edit],
                saving=saving,
            )


# ------------------------------------------------------------------ deprecated-action
#: action -> (first major not on a retired runtime, major to propose). Targets are the
#: Node 24 majors: proposing a Node 20 major would trade one deprecation for the next.
UPGRADES: dict[str, tuple[int, int]] = {
    "actions/checkout": (4, 5),
    "actions/setup-node": (4, 5),
    "actions/setup-python": (5, 6),
    "actions/setup-go": (5, 6),
    "actions/setup-java": (4, 5),
    "actions/setup-dotnet": (4, 5),
    "actions/cache": (4, 5),
    "actions/cache/restore": (4, 5),
    "actions/cache/save": (4, 5),
    "actions/upload-artifact": (4, 6),
    "actions/download-artifact": (4, 7),
    "actions/github-script": (7, 8),
    "github/codeql-action/init": (3, 4),
    "github/codeql-action/analyze": (3, 4),
    "github/codeql-action/autobuild": (3, 4),
    "github/codeql-action/upload-sarif": (3, 4),
}
_ARTIFACTS = ("actions/upload-artifact", "actions/download-artifact")
_COMMAND = re.compile(
    r"""echo\s+(?P<q>["']?)::(?P<cmd>set-output|save-state|set-env)\s+name=(?P<name>[\w-]+)::"""
    r"""(?P<value>.*?)(?P=q)\s*$"""
)
_ADD_PATH = re.compile(r"""echo\s+(?P<q>["']?)::add-path::(?P<value>.*?)(?P=q)\s*$""")
_FILES = {"set-output": "GITHUB_OUTPUT", "save-state": "GITHUB_STATE", "set-env": "GITHUB_ENV"}


def _artifact_guard(ctx: Context) -> str:
    """Why upload/download-artifact v4 would break this workflow ('' when it would not)."""
    names: list[str] = []
    uploads = downloads = 0
    for job, step in ctx.wf.all_steps():
        if step.action == "actions/upload-artifact":
            uploads += 1
            name = text(get(get(step.node, "with"), "name")) or "artifact"
            matrix = get(get(job.node, "strategy"), "matrix") is not None
            if matrix and "${{" not in name:
                return f"`{name}` is uploaded by every matrix job; v4 needs unique names"
            names.append(name)
        elif step.action == "actions/download-artifact":
            downloads += 1
    if len(set(names)) != len(names):
        return "the same artifact name is uploaded twice; v4 needs unique names"
    if downloads and not uploads:
        return "artifacts come from another workflow; v4 cannot download v3 artifacts"
    return ""


def deprecated_action(ctx: Context) -> None:
    guard = None
    for job, step in ctx.wf.all_steps():
        retired_below, target = UPGRADES.get(step.action, (0, 0))
        uses_node = get(step.node, "uses")
        if target and step.uses:
            version = major(step)
            if version is not None and version < retired_below:
                blocked = ""
                if step.action.startswith(_ARTIFACTS):
                    guard = _artifact_guard(ctx) if guard is None else guard
                    blocked = guard
                if step.action == "actions/github-script" and version < 5:
                    blocked = (
                        "github-script v5 moved REST calls to `github.rest.*`; port the script"
                    )
                ctx.report(
                    "deprecated-action",
                    step.node.sl + 1,
                    f"`{step.uses}` → `{step.action}@v{target}`",
                    f"v{version} runs on a Node.js version GitHub has retired (or a deprecated "
                    f"backend); v{target} is the maintained major."
                    + (
                        " setup-go v4+ also caches modules by default."
                        if "setup-go" in step.action
                        else ""
                    ),
                    edits=[replace_in_scalar(ctx.doc, uses_node, "@" + step.ref, f"@v{target}")],
                    blocked=blocked,
                )
        if step.run:
            _commands(ctx, job, step)


def _commands(ctx: Context, job: Job, step: Step) -> None:
    if not re.search(r"::(set-output|save-state|set-env|add-path)", step.run or ""):
        return
    node = get(step.node, "run")
    doc = ctx.doc
    shell = job_shell(ctx.wf, job, step)
    blocked = ""
    if not isinstance(node, Scalar) or node.style not in (None, "|") or not doc.editable_node(node):
        blocked = "the script is quoted, folded or shared through an alias"
    elif shell not in ("bash", "sh") and not shell.startswith(("bash ", "sh ")):
        blocked = f"shell `{shell}` writes to the files differently"
    edits: list[Edit | None] = []
    first = node.sl if isinstance(node, Scalar) else step.node.sl
    if not blocked and isinstance(node, Scalar):
        lines = range(node.sl + (1 if node.style == "|" else 0), doc.last_line(node) + 1)
        for line in lines:
            content = doc.line_text(line)
            if "::" not in content:
                continue
            m = _COMMAND.search(content) or _ADD_PATH.search(content)
            if not m or (not m.group("q") and re.search(r"[;&|<>`]", m.group("value"))):
                edits.append(None)
                continue
            q = m.group("q")
            if "cmd" in m.groupdict() and m.groupdict().get("cmd"):
                payload, target = f"{m.group('name')}={m.group('value')}", _FILES[m.group("cmd")]
            else:
                payload, target = m.group("value"), "GITHUB_PATH"
            new = f'echo {q}{payload}{q} >> "${target}"'
            start = doc.line_starts[line] + m.start()
            if not any(e is not None for e in edits):
                first = line
            edits.append(Edit(start, doc.line_starts[line] + m.end(), new))
    if not edits or None in edits:
        edits = edits or [None]
        blocked = blocked or "a command is not in a form that can be rewritten safely"
    ctx.report(
        "deprecated-action",
        first + 1,
        f"job `{job.id}`: deprecated workflow command (`::set-output`/`::save-state`/…) → "
        "environment files",
        "GitHub disabled/deprecated these stdout commands; write to $GITHUB_OUTPUT, "
        "$GITHUB_STATE, $GITHUB_ENV or $GITHUB_PATH instead.",
        edits=edits,
        blocked=blocked,
    )


# ------------------------------------------------------------------ pin-sha
def pin_sha(ctx: Context) -> None:
    resolver = ctx.config.pin_resolver
    for job, step in ctx.wf.all_steps():
        uses = step.uses or ""
        if not uses or uses.startswith(("./", "docker://")) or "@" not in uses:
            continue
        owner = step.action.split("/")[0]
        if owner in ("actions", "github") or SHA.match(step.ref):
            continue
        repo = "/".join(uses.split("@")[0].split("/")[:2])
        resolved = resolver(repo, step.ref) if resolver else None
        line = step.node.sl
        why = (
            "A tag can be moved to other code at any time (tj-actions/changed-files, 2025); a "
            "full commit SHA cannot. Dependabot keeps SHA pins and their comments up to date."
        )
        message = f"job `{job.id}`: pin `{uses}` to a commit SHA"
        if not resolved:
            ctx.report(
                "pin-sha",
                line + 1,
                message,
                why,
                edits=[None],
                blocked="tag not resolved (offline or unknown tag)",
            )
            continue
        sha, tag = resolved
        node = get(step.node, "uses")
        edits: list[Edit | None] = [replace_in_scalar(ctx.doc, node, "@" + step.ref, "@" + sha)]
        if isinstance(node, Scalar):
            rest = ctx.doc.line_text(node.el)[node.ec :]
            if "#" not in rest:
                end = ctx.doc.offset(node.el, len(ctx.doc.line_text(node.el).rstrip()))
                edits.append(Edit(end, end, f" # {tag}"))
        ctx.report("pin-sha", line + 1, message + f" ({tag})", why, edits=edits)
