"""Per-repository configuration: `.github/pitcrew.yml` over org defaults over built-ins.

The org layer follows the Probot convention (the `<org>/.github` repository). A broken file
never stops the bot: the repository runs on the layers below, and the problems (file, line,
hint) are returned so the `pitcrew/config` check run can show them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import cachetools
import jsonschema
import yaml

CONFIG_PATH = ".github/pitcrew.yml"

DEFAULTS: dict[str, Any] = {
    "mode": "live",
    "rebase": {
        "auto": "label",
        "label": "autorebase",
        "conflict_label": "needs-rebase",
        "strategy": "rebase",
        "drafts": False,
        "use_update_branch_api": True,
        "rerere": False,
        "resolve": [],
    },
    "diagnose": {"enabled": True, "auto_retry": 1, "rules": [], "annotations": True, "junit": True},
    "fix": {"auto": False},
    "optimize": {
        "enabled": True,
        "review": True,
        "rules": [],
        "exclude": [],
        "timeout_default": 30,
        "schedule": None,
    },
    "report": {
        "enabled": True,
        "schedule": None,
        "repository": None,
        "issue_title": "Pitcrew CI status report",
        "window": "7d",
        "baseline": "28d",
        "retention_days": 90,
        "prometheus": None,  # a Prometheus endpoint named in the service settings
        "prometheus_url": None,  # refused: URLs never come from config (see _policy_problems)
        "slos": [],
        "org": {
            "enabled": True,
            "schedule": None,
            "repository": None,
            "issue_title": "Pitcrew CI platform report",
            "window": "7d",
            "baseline": "28d",
            "metrics_top_repos": 20,
            "metrics_top_runners": 10,
        },
    },
    "commands": {},
}


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files("bot").joinpath("config_schema.json").read_text()
    )
    return loaded


_VALIDATOR = jsonschema.Draft7Validator(schema())


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    line: int
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} ({self.hint})"


@dataclass
class RepoConfig:
    values: dict[str, Any]
    problems: list[ConfigProblem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; anything else (lists included) is replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _line_of(text: str, path: list[Any]) -> int:
    """The 1-based line of the YAML node at ``path`` (closest existing ancestor)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1
    line = node.start_mark.line + 1 if node is not None else 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _hint(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum" and isinstance(error.validator_value, list):
        return "use one of: " + ", ".join(map(str, error.validator_value))
    if error.validator == "additionalProperties":
        return "remove the key or fix its spelling; see the schema in the README"
    if error.validator == "type":
        return f"expected {error.validator_value}"
    if error.validator == "pattern":
        return f"must match {error.validator_value}"
    return "see the configuration reference in the README"


def _policy_problems(
    data: dict[str, Any], text: str, file: str, *, org: bool, repo: str | None
) -> list[ConfigProblem]:
    """What a schema cannot say: config must not reach outside its repository.

    Anyone who can push to a default branch writes its config, so no URL in it is ever fetched
    (server-side request forgery), and only the org's `.github` config, which org owners
    control, may send the report to another repository.
    """
    report = data.get("report")
    if not isinstance(report, dict):
        return []
    problems = []
    if report.get("prometheus_url"):
        problems.append(
            ConfigProblem(
                file,
                _line_of(text, ["report", "prometheus_url"]),
                "report/prometheus_url: Pitcrew does not fetch URLs from configuration",
                "ask the operator to set PITCREW_PROMETHEUS_URL (or a named endpoint in "
                "PITCREW_PROMETHEUS_ENDPOINTS) and write `prometheus: NAME` instead",
            )
        )
    target = report.get("repository")
    if target and not org and (repo is None or str(target).lower() != repo.lower()):
        problems.append(
            ConfigProblem(
                file,
                _line_of(text, ["report", "repository"]),
                f"report/repository: a repository's config may post its report only to itself,"
                f" not to {target}",
                "set report.repository in the org's .github repository config instead",
            )
        )
    return problems


def parse_layer(
    text: str, file: str, *, org: bool = False, repo: str | None = None
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """One config file: its values (empty when broken) and every problem found.

    ``org`` is True for the org's `.github` layer; ``repo`` (owner/name) is the repository
    the layer configures (a repository layer may name only itself as the report's target).
    """
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [
            ConfigProblem(file, line, f"invalid YAML: {problem}", "check indentation and quoting")
        ]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, [
            ConfigProblem(file, 1, "the file must be a mapping", "start with e.g. `rebase:`")
        ]
    rebase = data.get("rebase")
    if isinstance(rebase, dict) and rebase.get("auto") is False:
        rebase["auto"] = "off"  # YAML 1.1 reads a bare `off` as false
    problems = [
        ConfigProblem(
            file,
            _line_of(text, list(error.absolute_path)),
            (("/".join(map(str, error.absolute_path)) + ": ") if error.absolute_path else "")
            + error.message,
            _hint(error),
        )
        for error in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    problems += _policy_problems(data, text, file, org=org, repo=repo)
    if problems:
        return {}, problems
    return data, []


def resolve_config(
    repo_text: str | None, org_text: str | None = None, *, repo: str | None = None
) -> RepoConfig:
    """Merge built-ins ← org defaults ← repo file, skipping any layer with problems."""
    values = copy.deepcopy(DEFAULTS)
    problems: list[ConfigProblem] = []
    sources = ["built-in defaults"]
    org_repo = repo is not None and repo.lower().endswith("/.github")
    layers = ((org_text, f"<org>/.github/{CONFIG_PATH}", True), (repo_text, CONFIG_PATH, org_repo))
    for text, name, org in layers:
        if text is None:
            continue
        layer, layer_problems = parse_layer(text, name, org=org, repo=repo)
        problems.extend(layer_problems)
        if not layer_problems:
            values = deep_merge(values, layer)
            sources.append(name)
    return RepoConfig(values=values, problems=problems, sources=sources)


def unreadable_problem(file: str, exc: Exception) -> ConfigProblem:
    return ConfigProblem(
        file,
        1,
        f"the file cannot be read: {exc}",
        "commit it as a regular UTF-8 text file under 1 MiB (not a symlink or submodule)",
    )


class ConfigLoader:
    """Fetches and caches config per (repository, commit) through the GitHub module."""

    def __init__(self, maxsize: int = 2048, ttl: float = 300.0) -> None:
        self._cache: cachetools.TTLCache[tuple[str, str, str], RepoConfig] = cachetools.TTLCache(
            maxsize=maxsize, ttl=ttl
        )

    def invalidate(self, owner: str, repo: str) -> None:
        """Forget a repository's cached config (its file just changed on a push)."""
        for key in [k for k in self._cache if k[:2] == (owner.lower(), repo.lower())]:
            self._cache.pop(key, None)

    async def load(self, gh: Any, owner: str, repo: str, ref: str | None = None) -> RepoConfig:
        from bot import github

        key = (owner.lower(), repo.lower(), ref or "")
        if key in self._cache:
            return self._cache[key]
        if gh is None:
            return resolve_config(None)
        unreadable = None
        try:
            repo_text = await github.get_file(gh, owner, repo, CONFIG_PATH, ref)
        except github.FileUnreadable as exc:  # counts as missing; the problem is reported
            repo_text, unreadable = None, unreadable_problem(CONFIG_PATH, exc)
        org_text = None
        if repo != ".github":
            try:
                # its own read-only token: the job's token is scoped to its one repository
                reader = gh.org_reader() if hasattr(gh, "org_reader") else gh
                org_text = await github.get_file(reader, owner, ".github", CONFIG_PATH)
            except Exception:  # the org repo may be private to the app: defaults then
                org_text = None
        config = resolve_config(repo_text, org_text, repo=f"{owner}/{repo}")
        if unreadable is not None:
            config.problems.insert(0, unreadable)
        self._cache[key] = config
        return config
