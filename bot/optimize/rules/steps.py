"""Step-level rules: cache, deprecated-action, pin-sha."""

from __future__ import annotations

import re

from ..actions import ActionCatalog, ActionFacts, ActionRef, Release, release_major
from ..edits import Edit, insert_in_mapping, replace_in_scalar
from ..model import Node, Scalar, Step, WorkflowJob, YamlMapping, get, own_pair, pairs, text
from ..results import RuleContext
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


def _earlier(job: WorkflowJob, step: Step, pattern: str) -> bool:
    rx = re.compile(pattern)
    return any(rx.search((s.run or "") + " " + s.action) for s in job.steps[: step.index])


def _choose(
    kind: str, files: frozenset[str], job: WorkflowJob, step: Step
) -> tuple[dict[str, str], str] | str | None:
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
        choice: tuple[dict[str, str], str] | None = None
        if root:
            manager = root.pop()
            choice = {"cache": manager}, next(f for f in files if kinds.get(f) == manager)
        else:
            nested = {name: _find(files, name) for name in kinds}
            by_manager = {kinds[n]: p for n, p in nested.items() if p}
            if len(by_manager) == 1:
                manager, paths = next(iter(by_manager.items()))
                local = [p for p in paths if workdir and p.startswith(workdir.strip("./") + "/")]
                if len(local) == 1:
                    dep = local[0]
                elif len(paths) == 1:
                    dep = paths[0]
                else:
                    dep = "'**/" + paths[0].rsplit("/", 1)[-1] + "'"
                choice = {"cache": manager, "cache-dependency-path": dep}, ", ".join(paths[:3])
            elif by_manager:
                return "lockfiles of several package managers"
        if (
            choice
            and choice[0]["cache"] == "pnpm"
            and not _earlier(job, step, r"pnpm/action-setup")
        ):
            return "`cache: pnpm` needs pnpm installed (pnpm/action-setup) before setup-node"
        return choice
    if kind == "java":
        found: list[tuple[str, str]] = []
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


def cache(ctx: RuleContext) -> None:
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
            if (
                with_pair
                and isinstance(with_pair[1], YamlMapping)
                and own_pair(with_pair[1], "cache")
            ):
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
            elif isinstance(with_pair[1], YamlMapping):
                edit = insert_in_mapping(ctx.doc, with_pair[1], inputs, parent_col=with_pair[0].sc)
            else:
                edit = None
            saving = None
            if ctx.history:
                mins = ctx.history.install_for(ctx.wf.path, job.id, job.name)
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
_ARTIFACTS = ("actions/upload-artifact", "actions/download-artifact")
_COMMAND = re.compile(
    r"""echo\s+(?P<q>["']?)::(?P<cmd>set-output|save-state|set-env)\s+name=(?P<name>[\w-]+)::"""
    r"""(?P<value>.*?)(?P=q)\s*$"""
)
_ADD_PATH = re.compile(r"""echo\s+(?P<q>["']?)::add-path::(?P<value>.*?)(?P=q)\s*$""")
_FILES = {"set-output": "GITHUB_OUTPUT", "save-state": "GITHUB_STATE", "set-env": "GITHUB_ENV"}


def _artifact_guard(ctx: RuleContext) -> str:
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


def deprecated_action(ctx: RuleContext) -> None:
    """Actions whose own action.yml (at the ref used) runs on a retired Node.js runtime, archived
    actions, composite actions that run such actions one level down, retired stdout commands."""
    catalog = ctx.config.action_catalog()
    guard: list[str] = []
    for job, step in ctx.wf.all_steps():
        if step.uses:
            _judge_action(ctx, catalog, step, guard)
        if step.run:
            _commands(ctx, job, step)


def _inner_retired(catalog: ActionCatalog, facts: ActionFacts) -> list[str]:
    """``uses`` of a composite action's own steps that run on a retired runtime."""
    out = []
    for uses in facts.inner_uses:
        inner_ref = ActionRef.parse(uses)
        inner = catalog.facts(inner_ref) if inner_ref else None
        if inner is not None and inner.retired:
            out.append(f"`{uses}` ({inner.using})")
    return out


def _new_ref(catalog: ActionCatalog, ref: ActionRef, target: Release) -> str:
    """The new ref in the file's style: a moving major stays a moving major (``v5``)."""
    if re.fullmatch(r"v?\d+", ref.ref):
        major = ("v" if ref.ref.startswith("v") else "") + str(target.major)
        tags = (catalog.repos.get(ref.repo) or {}).get("tags") or {}
        if tags.get(major) == target.commit or major in tags:
            return major
    return target.tag


def _judge_action(ctx: RuleContext, catalog: ActionCatalog, step: Step, guard: list[str]) -> None:
    ref = ActionRef.parse(step.uses or "")
    if ref is None or ref.is_reusable_workflow:
        return
    facts = catalog.facts(ref)
    if facts is None:
        return
    line = step.node.sl + 1
    if facts.unjudged:
        ctx.report(
            "deprecated-action",
            line,
            f"`{step.uses}` not judged: {facts.unjudged}",
            "The runtime of this action could not be read from its action.yml, so whether it "
            "runs on a retired Node.js version is unknown.",
        )
        return
    inner = _inner_retired(catalog, facts) if facts.using == "composite" else []
    if facts.archived:
        ctx.report(
            "deprecated-action",
            line,
            f"`{ref.action}` is archived or deprecated by its maintainers",
            f"Its README says: “{facts.archived}”. It gets no fixes, including security "
            "fixes; move to a maintained alternative.",
        )
    if not facts.retired and not inner:
        return
    what = f"runs on {facts.using}" if facts.retired else "runs " + ", ".join(inner)
    pinned = bool(SHA.match(ref.ref))
    resolved = f" (`{ref.ref[:12]}` is {facts.tag or 'an untagged commit'})" if pinned else ""
    target = catalog.newest_current(ref.repo, ref.path)
    if target is not None and facts.using == "composite":
        after = catalog.facts(ActionRef(ref.repo, ref.path, target.tag))
        if after is None or _inner_retired(catalog, after):
            target = None
    why = (
        f"`{ref.action}@{facts.tag or ref.ref}` {what}{resolved}, read from {facts.source}. "
        "GitHub's runners no longer run Node.js 12/16 actions as written."
    )
    if target is None or target.commit == facts.commit:
        ctx.report(
            "deprecated-action",
            line,
            f"`{step.uses}` {what}",
            why + " No release of it runs on a current runtime: replace it.",
            edits=[None],
            blocked="no release on a current runtime",
        )
        return
    blocked = ""
    if ref.action.startswith(_ARTIFACTS):
        if not guard:
            guard.append(_artifact_guard(ctx))
        blocked = guard[0]
    old_major = release_major(facts.tag or "") or 0
    if ref.action == "actions/github-script" and old_major < 5:
        blocked = "github-script v5 moved REST calls to `github.rest.*`; port the script"
    accepted = catalog.inputs(ref.repo, ref.path, target.commit)
    given = get(step.node, "with")
    passed = [text(k) or "" for k, _ in pairs(given)] if isinstance(given, YamlMapping) else []
    dropped = sorted(k for k in passed if accepted is not None and k not in accepted)
    if dropped and not blocked:
        names = ", ".join(f"`{k}`" for k in dropped)
        blocked = f"{target.tag} has no input {names}; port the step's `with:` by hand"
    uses_node = get(step.node, "uses")
    edits: list[Edit | None]
    if pinned:
        edits = [replace_in_scalar(ctx.doc, uses_node, "@" + ref.ref, "@" + target.commit)]
        edits.append(_version_comment(ctx, uses_node, target.tag))
        shown = f"{ref.action}@{target.commit[:12]} # {target.tag}"
    else:
        new = _new_ref(catalog, ref, target)
        edits = [replace_in_scalar(ctx.doc, uses_node, "@" + ref.ref, "@" + new)]
        shown = f"{ref.action}@{new}"
    ctx.report(
        "deprecated-action",
        line,
        f"`{step.uses}` {what} → `{shown}` ({target.using})",
        why
        + f" {target.tag} is the newest major on a current runtime ({target.using})."
        + (" setup-go v4+ also caches modules by default." if "setup-go" in ref.action else ""),
        edits=edits,
        blocked=blocked,
    )


def _version_comment(ctx: RuleContext, node: Node | None, tag: str) -> Edit | None:
    """Write (or rewrite) the ``# vN.M.K`` comment after a SHA-pinned ``uses:`` value."""
    if not isinstance(node, Scalar) or node.sl != node.el:
        return None
    line = ctx.doc.line_text(node.el)
    rest = line[node.ec :]
    hash_at = rest.find("#")
    if hash_at < 0:
        end = ctx.doc.offset(node.el, len(line.rstrip()))
        return Edit(end, end, f" # {tag}")
    start = ctx.doc.offset(node.el, node.ec + hash_at)
    return Edit(start, ctx.doc.offset(node.el, len(line.rstrip())), f"# {tag}")


def _commands(ctx: RuleContext, job: WorkflowJob, step: Step) -> None:
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
#: Referenced by tag on purpose: the SLSA generator verifies its own tag-pinned reference
#: (builders must be called as ``@vX.Y.Z``; a SHA breaks provenance generation).
TAG_PINNED = ("slsa-framework/slsa-github-generator",)


def pin_sha(ctx: RuleContext) -> None:
    resolver = ctx.config.pin_resolver
    catalog = ctx.config.action_catalog()
    for job, step in ctx.wf.all_steps():
        uses = step.uses or ""
        ref = ActionRef.parse(uses)
        if ref is None:
            continue
        owner = ref.repo.split("/")[0]
        if owner in ("actions", "github") or SHA.match(ref.ref) or ref.repo in TAG_PINNED:
            continue
        resolved = resolver(ref.repo, ref.ref) if resolver else None
        if resolved is None:
            commit, tag = catalog.resolve(ref.repo, ref.ref)
            resolved = (commit, tag or ref.ref) if commit else None
        line = step.node.sl
        why = (
            "A tag can be moved to other code at any time (tj-actions/changed-files, 2025); a "
            "full commit SHA cannot. Dependabot keeps SHA pins and their comments up to date."
        )
        message = f"job `{job.id}`: pin `{uses}` to a commit SHA"
        if not resolved:
            facts = catalog.facts(ref)
            reason = facts.unjudged if facts and facts.unjudged else "unknown tag"
            ctx.report(
                "pin-sha",
                line + 1,
                message,
                why,
                edits=[None],
                blocked=f"tag not resolved ({reason})",
            )
            continue
        sha, tag = resolved
        node = get(step.node, "uses")
        edits: list[Edit | None] = [replace_in_scalar(ctx.doc, node, "@" + ref.ref, "@" + sha)]
        if isinstance(node, Scalar):
            rest = ctx.doc.line_text(node.el)[node.ec :]
            if "#" not in rest:
                end = ctx.doc.offset(node.el, len(ctx.doc.line_text(node.el).rstrip()))
                edits.append(Edit(end, end, f" # {tag}"))
        ctx.report("pin-sha", line + 1, message + f" ({tag})", why, edits=edits)
