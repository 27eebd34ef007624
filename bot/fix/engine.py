"""Work out the formatter from a failed job's log, run it safely on a commit, report the change.

Pure orchestration over plain inputs (a git repository, a commit id, a log file): no GitHub.
The steps, each of which can end the fix with a clear status and reason:

1. ``plan_from_log``: the diagnosis must be a formatting (or ruff lint) failure; the failing
   step's script names an allow-listed tool (or its output does); its check command becomes
   the fix command, aimed at the files the output named.
2. ``check_config``: a configuration that can load code is refused (prettier's JS configs and
   plugins); so is a PR that deletes the tool's configuration (reformatting with defaults is
   not a fix), and a command naming a config file the commit does not have.
3. The pinned version (``pins``), installed once into the tool cache (``toolcache``).
4. A temporary tree with only the targets and the tool's config files (``tree``), the tool run
   without network, time- and output-bounded (``sandbox``), and every change checked.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.rebase.git import Git, GitError

from . import pins, tools, tree
from .logscan import LogFacts, read_log
from .model import FixPlan, FixResult, Refusal
from .sandbox import DEFAULT_TIMEOUT, ISOLATION_NOTES, run_bounded
from .toolcache import ToolCache

FIXABLE_CATEGORIES = ("format", "lint")
# Categories the diagnosis gives a formatter's bare output (``gofmt -l`` lists files; clang-format
# words its findings as compiler errors): fixable when the failing step ran a formatter check.
CHECK_STEP_CATEGORIES = ("unknown", "build")
_JS_CONFIG_EXT = (".js", ".cjs", ".mjs", ".ts", ".cts", ".mts")
_PRETTIER_JS_CONFIGS = tuple(
    f"{stem}{ext}" for stem in (".prettierrc", "prettier.config") for ext in _JS_CONFIG_EXT
)


@dataclass
class FixOutcome:
    """The result plus the new bytes of every changed file (empty unless ``fixed``)."""

    result: FixResult
    changes: dict[str, bytes] = field(default_factory=dict)


def plan_from_log(facts: LogFacts) -> FixPlan:
    """The fix command for the failing step (Refusal when there is none to run)."""
    step = facts.step
    output = step.output if step else []
    invocations = _pre_commit_hooks(tools.find_invocations(step.script if step else []), output)
    if step and step.uses_action and step.title.startswith("Run pre-commit/action@"):
        invocations = _pre_commit_hooks([(tools.PRE_COMMIT, [], step.title[4:])], output)
    name, args, source = _choose(facts.diagnosis.category, invocations, output)
    spec = tools.TOOLS[name]
    if source.startswith(tools.PRE_COMMIT):
        args = []  # the hook's own args come from .pre-commit-config.yaml (pre_commit_args)
    if name == "prettier":
        _refuse_prettier_code(args)
    try:
        return tools.translate(spec, args, output, source)
    except Refusal as refusal:
        refusal.plan = refusal.plan or FixPlan(tool=name, argv=[spec.exe], source_command=source)
        raise


def _choose(
    category: str, invocations: list[tuple[str, list[str], str]], output: list[str]
) -> tuple[str, list[str], str]:
    """The invocation to fix: the formatter whose own words are in the output, else the only
    one; a bare ``gofmt -l``/clang-format check counts even when the category is unknown."""
    checking = any(
        tools.is_check_mode(name, args) or src.startswith(tools.PRE_COMMIT)
        for name, args, src in invocations
    )
    if category not in FIXABLE_CATEGORIES and not (checking and category in CHECK_STEP_CATEGORIES):
        raise Refusal("unsupported", f"the job failed with category `{category}`, not formatting")
    if category == "lint":  # ruff check, or a pre-commit formatting hook that changed files
        invocations = [
            i for i in invocations if i[0] == "ruff-check" or i[2].startswith(tools.PRE_COMMIT)
        ]
        if not invocations:
            raise Refusal("unsupported", "only `ruff check` lint failures can be fixed")
    by_output = tools.tool_from_output(output)
    chosen = next((i for i in invocations if i[0] == by_output), None)
    if chosen is None and invocations and (len(invocations) == 1 or by_output is None):
        chosen = invocations[-1]
    if chosen is None and by_output is not None and not invocations:
        chosen = (by_output, [], f"(inferred from the {by_output} output)")
    if chosen is None:
        known = ", ".join(sorted(tools.TOOLS))
        raise Refusal(
            "unsupported", f"the failing step runs no formatter Pitcrew knows (allow-list: {known})"
        )
    return chosen


def _refuse_prettier_code(args: list[str]) -> None:
    for i, arg in enumerate(args):
        key, _, value = arg.partition("=")
        if key in ("--plugin", "--plugin-search-dir"):
            raise Refusal("refused", "prettier plugins are code; Pitcrew does not run them")
        if key == "--config":
            value = value or (args[i + 1] if i + 1 < len(args) else "")
            if value.endswith(_JS_CONFIG_EXT):
                raise Refusal("refused", f"prettier config `{value}` is JavaScript (code)")


def _pre_commit_hooks(
    invocations: list[tuple[str, list[str], str]], output: list[str]
) -> list[tuple[str, list[str], str]]:
    """``pre-commit run`` → the allow-listed tools of the hooks it reported as failed."""
    out = []
    for name, args, source in invocations:
        if name != tools.PRE_COMMIT:
            out.append((name, args, source))
            continue
        for hook in tools.failed_hooks(output):
            tool = tools.PRE_COMMIT_HOOKS.get(hook)
            if tool:
                out.append((tool, [], f"{tools.PRE_COMMIT} hook `{hook}`"))
                break
    return out


def pre_commit_args(plan: FixPlan, git: Git, head: str) -> None:
    """Merge the failed hook's ``args`` from ``.pre-commit-config.yaml`` into the plan, with
    the same rules as a command line; ``additional_dependencies`` of prettier are plugins."""
    if not plan.source_command.startswith(tools.PRE_COMMIT):
        return
    hook_id = plan.source_command.split("`")[1] if "`" in plan.source_command else ""
    data = tree.read_file(git, head, ".pre-commit-config.yaml")
    try:
        config = yaml.safe_load(data.decode("utf-8", "replace")) if data else None
    except yaml.YAMLError:
        config = None
    hooks = [
        h
        for repo in (config or {}).get("repos") or []
        if isinstance(repo, dict)
        for h in repo.get("hooks") or []
        if isinstance(h, dict) and h.get("id") == hook_id
    ]
    if not hooks:
        return
    hook = hooks[0]
    if plan.tool == "prettier" and hook.get("additional_dependencies"):
        raise Refusal("refused", "the prettier hook installs additional packages (plugins: code)")
    args = [str(a) for a in hook.get("args") or []]
    if not args:
        return
    spec = tools.TOOLS[plan.tool]
    options, _paths = tools.parse_args(spec, args, plan.source_command)
    cut = 1 + len(spec.fix_prefix)
    plan.argv = [*plan.argv[:cut], *options, *plan.argv[cut:]]


def rust_edition(plan: FixPlan, git: Git, head: str) -> None:
    """``cargo fmt`` passes the crate's edition; a bare ``rustfmt`` would assume 2015."""
    if plan.tool != "rustfmt" or any(a.startswith("--edition") for a in plan.argv):
        return
    data = tree.read_file(git, head, "Cargo.toml")
    try:
        manifest = tomllib.loads(data.decode("utf-8", "replace")) if data else {}
    except tomllib.TOMLDecodeError:
        return
    package = manifest.get("package") or manifest.get("workspace", {}).get("package") or {}
    edition = package.get("edition") if isinstance(package, dict) else None
    if isinstance(edition, str) and edition.isdigit():
        plan.argv[1:1] = ["--edition", edition]


def check_config(plan: FixPlan, git: Git, head: str, base: str | None) -> None:
    """Refuse configurations that can load code, and PRs that delete the tool's config."""
    spec = tools.TOOLS[plan.tool]
    dirs = {d for p in plan.targets or [f"{r}/x" for r in plan.roots] for d in tree.ancestors(p)}
    dirs = {"" if d == "." else d for d in dirs}
    names = list(spec.configs) + (list(_PRETTIER_JS_CONFIGS) if plan.tool == "prettier" else [])
    candidates = [f"{d}/{n}" if d else n for d in dirs for n in names]
    present = {e.path for e in tree.list_entries(git, head, candidates, 10_000)}
    explicit = tools.config_arg(plan)
    if explicit and tools.normalize_path(explicit) not in present:
        explicit_present = tree.list_entries(git, head, [explicit], 1)
        if not explicit_present:
            raise Refusal("refused", f"the command names `{explicit}`, which this commit lacks")
    if plan.tool == "prettier":
        _check_prettier(git, head, sorted(present))
    if base:
        _check_not_deleted(plan, git, head, base, candidates, present)


def _check_prettier(git: Git, head: str, present: list[str]) -> None:
    for path in present:
        name = path.rsplit("/", 1)[-1]
        if name.endswith(_JS_CONFIG_EXT):
            raise Refusal("refused", f"prettier's config `{path}` is JavaScript and can run code")
        if name in (".editorconfig", ".prettierignore"):
            continue
        data = tree.read_file(git, head, path)
        if data is None:
            continue
        config = _parse_data(name, data)
        if name == "package.json":
            config = config.get("prettier") if isinstance(config, dict) else None
            if isinstance(config, str):
                raise Refusal(
                    "refused",
                    f"`{path}` points prettier at the shared config `{config}`, a JS module",
                )
        if isinstance(config, dict) and config.get("plugins"):
            raise Refusal("refused", f"`{path}` loads prettier plugins, which are code")
        if config is _UNPARSEABLE:
            raise Refusal("refused", f"prettier config `{path}` is not plain JSON/YAML/TOML")


_UNPARSEABLE = object()


def _parse_data(name: str, data: bytes) -> object:
    text = data.decode("utf-8", "replace")
    try:
        if name.endswith(".toml"):
            return tomllib.loads(text)
        if name.endswith((".json", ".json5")) or name == "package.json":
            return json.loads(text)
        return yaml.safe_load(text)  # .prettierrc (JSON or YAML), .yaml, .yml
    except (ValueError, yaml.YAMLError):
        return _UNPARSEABLE


def _check_not_deleted(
    plan: FixPlan, git: Git, head: str, base: str, candidates: list[str], present: set[str]
) -> None:
    spec = tools.TOOLS[plan.tool]
    at_base = {e.path for e in tree.list_entries(git, base, candidates, 10_000)}
    gone = sorted(at_base - present)
    if gone:
        raise Refusal(
            "refused",
            f"this PR deletes `{gone[0]}`, the {spec.exe} configuration; reformatting with "
            "the defaults would rewrite code the project formats differently",
        )
    table = spec.pyproject_table
    if table and "pyproject.toml" in at_base and "pyproject.toml" in present:
        before = _tool_table(tree.read_file(git, base, "pyproject.toml"), table)
        after = _tool_table(tree.read_file(git, head, "pyproject.toml"), table)
        if before and not after:
            raise Refusal(
                "refused",
                f"this PR deletes `[tool.{table}]` from pyproject.toml; reformatting with "
                "the defaults would rewrite code the project formats differently",
            )


def _tool_table(data: bytes | None, table: str) -> bool:
    if data is None:
        return False
    try:
        parsed = tomllib.loads(data.decode("utf-8", "replace"))
    except tomllib.TOMLDecodeError:
        return False
    return bool(parsed.get("tool", {}).get(table))


def fix_commit(
    git: Git,
    head: str,
    log_path: Path,
    *,
    base: str | None = None,
    cache: ToolCache | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> FixOutcome:
    """Plan, check, install, run on ``head`` and return the changes (nothing is written to
    the repository)."""
    plan: FixPlan | None = None
    version: str | None = None
    try:
        plan = plan_from_log(read_log(log_path))
        pre_commit_args(plan, git, head)
        rust_edition(plan, git, head)
        check_config(plan, git, head, base)
        spec = tools.TOOLS[plan.tool]
        pin = pins.find_pin(spec.package, lambda p: tree.read_file(git, head, p))
        if spec.install == "system" or (spec.name == "clang-format" and pin.version is None):
            pin.note = pin.note if pin.version is None else None
            pin.version = None
        installed = (cache or ToolCache()).ensure(spec, pin.version)
        version = installed.version
        if pin.version is None:
            plan.notes.append(
                f"{pin.note or 'no pin'}; used {spec.exe} {version} (the default version)"
            )
        else:
            plan.notes.append(f"{spec.exe} {version} as pinned in {pin.source}")
        return _run(git, head, plan, installed.executable, version, timeout)
    except Refusal as refusal:
        plan = plan or refusal.plan
        return FixOutcome(_result(refusal.status, refusal.reason, plan, version))
    except GitError as exc:
        return FixOutcome(_result("failed", f"git: {exc}", plan, version))


def _result(
    status: str,
    reason: str,
    plan: FixPlan | None,
    version: str | None,
    files: list[str] | None = None,
) -> FixResult:
    return FixResult(
        status=status,
        reason=reason,
        tool=tools.TOOLS[plan.tool].exe if plan else None,
        version=version,
        command=plan.command if plan else None,
        files=files or [],
        notes=list(plan.notes) if plan else [],
    )


def _run(
    git: Git, head: str, plan: FixPlan, executable: str, version: str, timeout: float
) -> FixOutcome:
    spec = tools.TOOLS[plan.tool]
    entries, allowed = _select(git, head, plan)
    if not plan.targets and not plan.roots:
        return FixOutcome(
            _result("nothing_to_fix", "none of the files the log named is here", plan, version)
        )
    changes = _execute(git, head, plan, [executable, *plan.argv[1:]], entries, allowed, timeout)
    if not changes:
        return FixOutcome(
            _result("nothing_to_fix", f"{spec.exe} changed nothing at {head[:12]}", plan, version)
        )
    files = sorted(changes)
    reason = f"{spec.exe} {version} reformatted {len(files)} file{'s' * (len(files) != 1)}"
    return FixOutcome(_result("fixed", reason, plan, version, files), changes)


def _under(path: str, root: str) -> bool:
    return root == "." or path == root or path.startswith(root.rstrip("/") + "/")


def _select(git: Git, head: str, plan: FixPlan) -> tuple[list[tree.Entry], set[str]]:
    """The tree entries to write (targets or roots, plus the tool's config files) and the files
    the formatter may change. Named files that are missing or symlinks leave the plan."""
    spec = tools.TOOLS[plan.tool]
    dirs = {d for p in plan.targets or [f"{r}/x" for r in plan.roots] for d in tree.ancestors(p)}
    configs = [f"{d}/{n}" if d else n for d in dirs - {"."} for n in spec.configs]
    entries = tree.list_entries(git, head, [*plan.targets, *plan.roots, *configs], tree.MAX_FILES)
    present = {e.path: e for e in entries}
    targets = [t for t in plan.targets if t in present and present[t].mode != "120000"]
    plan.notes += [
        f"`{t}` is not in this commit; skipped" for t in plan.targets if t not in present
    ]
    plan.notes += [
        f"`{t}` is a symlink; not formatted"
        for t in plan.targets
        if t in present and t not in targets
    ]
    if plan.targets:
        dropped = set(plan.targets) - set(targets)
        plan.argv = [a for a in plan.argv if a not in dropped]
        plan.targets = targets
        return entries, set(targets)
    allowed = {
        e.path
        for e in entries
        if e.path.endswith(spec.extensions)
        and e.mode != "120000"
        and any(_under(e.path, r) for r in plan.roots)
    }
    return entries, allowed


def _execute(
    git: Git,
    head: str,
    plan: FixPlan,
    argv: list[str],
    entries: list[tree.Entry],
    allowed: set[str],
    timeout: float,
) -> dict[str, bytes]:
    """Write the temporary tree, run the formatter in the sandbox, return the checked changes."""
    exe = tools.TOOLS[plan.tool].exe
    scratch = Path(tempfile.mkdtemp(prefix="pitcrew-fix-"))
    try:
        work, home = scratch / "tree", scratch / "home"
        work.mkdir()
        home.mkdir()
        wt = tree.materialize(git, head, entries, work)
        plan.notes.extend(wt.notes)
        plan.notes.append(f"work tree: {len(wt.written)} file(s) written from `{head[:12]}`")
        outcome = run_bounded(argv, work, home, timeout=timeout)
        plan.notes.append(ISOLATION_NOTES[outcome.isolation])
        if outcome.returncode is None:
            raise Refusal("failed", f"{exe} did not finish within {timeout:g} s; killed")
        if outcome.returncode not in plan.ok_exit_codes:
            tail = " / ".join(outcome.output.strip().splitlines()[-3:])[-400:]
            raise Refusal("failed", f"{exe} exited {outcome.returncode}: {tail}")
        return wt.changes(allowed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


_DISPLAY = {"ruff-format": "ruff format", "ruff-check": "ruff check --fix"}


def offer_for_log(log_path: Path) -> str | None:
    """What ``/fix`` would run for this failed job (``ruff format``), or None if nothing."""
    try:
        plan = plan_from_log(read_log(log_path))
    except Refusal:
        return None
    return _DISPLAY.get(plan.tool, tools.TOOLS[plan.tool].exe)
