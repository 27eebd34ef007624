"""The formatter version a repository pins, from the files that pin it.

Sources, first hit wins: ``.pre-commit-config.yaml`` (the hook repository's ``rev:``),
lockfiles (``uv.lock``, ``poetry.lock``, ``package-lock.json``), then exact pins (``==``) in
``requirements*.txt`` and ``pyproject.toml``. A pin is used only if it is a plain release
version (``24.3.0``, ``v0.4.4``); a branch, a commit id or a pre-release falls back to the
tool's default version, and the result says so.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

import yaml

PLAIN_VERSION = re.compile(r"^v?(\d{1,4}(?:\.\d{1,6}){0,3})$")

# pre-commit hook repositories → package (owner/name, lower case, mirrors included)
PRE_COMMIT_REPOS = {
    "astral-sh/ruff-pre-commit": "ruff",
    "charliermarsh/ruff-pre-commit": "ruff",
    "psf/black": "black",
    "psf/black-pre-commit-mirror": "black",
    "pycqa/isort": "isort",
    "timothycrosley/isort": "isort",
    "pre-commit/mirrors-clang-format": "clang-format",
    "pre-commit/mirrors-prettier": "prettier",
    "rbubley/mirrors-prettier": "prettier",
    "comkieffer/pre-commit-taplo": "taplo",
    "compwa/mirrors-taplo": "taplo",
}

ReadFile = Callable[[str], bytes | None]
"""Reads a repository file at the commit being fixed (None if absent)."""


@dataclass
class Pin:
    version: str | None
    source: str | None
    note: str | None = None


def plain(raw: str) -> str | None:
    m = PLAIN_VERSION.match(raw.strip())
    return m.group(1) if m else None


def find_pin(package: str, read: ReadFile) -> Pin:
    """The pinned version of ``package`` or ``Pin(None, …)`` with a note saying why none."""
    rejected: list[str] = []
    for finder in (_pre_commit, _uv_or_poetry_lock, _package_lock, _requirements, _pyproject):
        found = finder(package, read)
        if found is None:
            continue
        raw, source = found
        version = plain(raw)
        if version:
            return Pin(version, source)
        rejected.append(f"{source} pins `{raw}`, not a plain release version")
    note = "; ".join(rejected) if rejected else f"no pinned {package} version found"
    return Pin(None, None, note)


def _text(read: ReadFile, path: str) -> str | None:
    data = read(path)
    if data is None or len(data) > 5_000_000:
        return None
    return data.decode("utf-8", "replace")


def _pre_commit(package: str, read: ReadFile) -> tuple[str, str] | None:
    for name in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        text = _text(read, name)
        if text is None:
            continue
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            return None
        repos = data.get("repos") if isinstance(data, dict) else None
        for repo in repos if isinstance(repos, list) else []:
            if not isinstance(repo, dict):
                continue
            url = str(repo.get("repo", "")).lower().removesuffix(".git").rstrip("/")
            slug = "/".join(url.split("/")[-2:])
            if PRE_COMMIT_REPOS.get(slug) == package and repo.get("rev") is not None:
                return str(repo["rev"]), f"{name} (rev of {slug})"
    return None


def _uv_or_poetry_lock(package: str, read: ReadFile) -> tuple[str, str] | None:
    for name in ("uv.lock", "poetry.lock", "pdm.lock"):
        text = _text(read, name)
        if text is None:
            continue
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue
        for pkg in data.get("package", []):
            if isinstance(pkg, dict) and str(pkg.get("name", "")).lower() == package:
                return str(pkg.get("version", "")), name
    return None


def _package_lock(package: str, read: ReadFile) -> tuple[str, str] | None:
    text = _text(read, "package-lock.json")
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    entry = (data.get("packages") or {}).get(f"node_modules/{package}") or (
        data.get("dependencies") or {}
    ).get(package)
    if isinstance(entry, dict) and entry.get("version"):
        return str(entry["version"]), "package-lock.json"
    return None


_REQ = r"^\s*{name}(?:\[[^\]]*\])?\s*==\s*([^\s;#,]+)"


def _requirements(package: str, read: ReadFile) -> tuple[str, str] | None:
    pattern = re.compile(_REQ.format(name=re.escape(package)), re.I | re.M)
    for name in (
        "requirements-dev.txt",
        "requirements_dev.txt",
        "dev-requirements.txt",
        "requirements/dev.txt",
        "requirements/lint.txt",
        "requirements-lint.txt",
        "requirements.txt",
    ):
        text = _text(read, name)
        m = pattern.search(text) if text else None
        if m:
            return m.group(1), name
    return None


def _pyproject(package: str, read: ReadFile) -> tuple[str, str] | None:
    text = _text(read, "pyproject.toml")
    if text is None:
        return None
    pattern = re.compile(_REQ.format(name=re.escape(package)), re.I)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    for spec in _requirement_strings(data):
        m = pattern.match(spec)
        if m:
            return m.group(1), "pyproject.toml"
    return None


def _requirement_strings(data: dict[str, object]) -> list[str]:
    out: list[str] = []
    project = data.get("project")
    if isinstance(project, dict):
        out += [str(d) for d in project.get("dependencies", []) or []]
        for group in (project.get("optional-dependencies") or {}).values():
            out += [str(d) for d in group or []]
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group in groups.values():
            out += [str(d) for d in group or [] if isinstance(d, str)]
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        tables += [g.get("dependencies") for g in (poetry.get("group") or {}).values()]
        for table in tables:
            for name, value in (table or {}).items():
                if isinstance(value, str):
                    out.append(f"{name}=={value}" if plain(value) else f"{name}{value}")
    return out
