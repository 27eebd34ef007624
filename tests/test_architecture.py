"""The layering rules of docs/architecture.md, enforced on the import graph.

Imports are read with `ast` from the source (module-level, function-level and
``TYPE_CHECKING`` imports all count), so a lazy import cannot dodge a rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ENGINES = ("bot.rebase", "bot.diagnose", "bot.optimize", "bot.report", "bot.fix")
GITHUB = "bot.github"
FEATURES = "bot.features"
#: The composition roots: they list the features and start the service.
ROOTS = {"bot.app", "bot.service_cli", "bot.__main__", "bot.features.registry"}
#: What an engine must not reach: GitHub, features, and the service shell around them.
SHELL = (
    GITHUB,
    "gidgethub",
    FEATURES,
    "bot.feature",
    "bot.app",
    "bot.commands",
    "bot.context",
    "bot.dispatch",
    "bot.reconciler",
    "bot.scheduler",
    "bot.webhook",
    "bot.worker",
)
#: One home for a helper every layer needs (engines too): they import nothing from bot.
SHARED = ("bot.markdown", "bot.timeparse", "bot.roles", "bot.sqlite_thread")
#: gidgethub's HTTP clients and the JWT library: only bot.github holds tokens and talks HTTP.
GITHUB_CLIENTS = ("gidgethub.aiohttp", "gidgethub.apps", "gidgethub.abc", "gidgethub.httpx", "jwt")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in the file; ``from a import b`` gives a and a.b."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path) -> list[str]:
    """Every broken rule in the ``bot`` package under ``root``, as readable lines."""
    found: list[str] = []
    for path in sorted((root / "bot").rglob("*.py")):
        module = module_name(path, root)
        for name in set(imports_of(path, module)):
            found += [f"{module} imports {name}: {why}" for why in broken(module, name)]
    return sorted(found)


def broken(module: str, name: str) -> list[str]:
    rules = []
    if any(within(module, e) for e in ENGINES) and any(within(name, s) for s in SHELL):
        rules.append("engines import no GitHub code, no feature and no service shell")
    if within(module, FEATURES) and module not in ROOTS and within(name, FEATURES):
        own = module.split(".")[:3]
        if name.split(".")[:3] != own and name != FEATURES:
            rules.append("features import no other feature")
    if (
        not within(module, FEATURES)
        and module not in ROOTS
        and within(name, FEATURES)
        and not any(within(module, e) for e in ENGINES)  # reported above
    ):
        rules.append("only the composition roots import features")
    if not within(module, GITHUB) and any(within(name, c) for c in GITHUB_CLIENTS):
        rules.append("only bot.github talks to GitHub")
    if module in SHARED and within(name, "bot"):
        rules.append("shared helpers import nothing from bot")
    return rules


def test_the_bot_package_keeps_the_layering_rules():
    assert violations(ROOT) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    "files, expected",
    [
        pytest.param(
            {"bot/report/x.py": "def f():\n    from bot.github import paginate\n"},
            "bot.report.x imports bot.github: engines import no GitHub code",
            id="engine-lazy-github-import",
        ),
        pytest.param(
            {"bot/rebase/x.py": "from ..features import rebase\n"},
            "bot.rebase.x imports bot.features: engines import no GitHub code",
            id="engine-relative-feature-import",
        ),
        pytest.param(
            {"bot/features/a.py": "def f():\n    import bot.features.b\n"},
            "bot.features.a imports bot.features.b: features import no other feature",
            id="feature-imports-feature",
        ),
        pytest.param(
            {"bot/scheduler.py": "from bot.features.reports import store_of\n"},
            "bot.scheduler imports bot.features.reports: only the composition roots",
            id="core-imports-feature",
        ),
        pytest.param(
            {"bot/dispatch.py": "from bot import features\n"},
            "bot.dispatch imports bot.features: only the composition roots",
            id="core-imports-feature-package",
        ),
        pytest.param(
            {"bot/worker.py": "from gidgethub.aiohttp import GitHubAPI\n"},
            "bot.worker imports gidgethub.aiohttp: only bot.github talks to GitHub",
            id="github-client-outside-github",
        ),
        pytest.param(
            {"bot/timeparse.py": "from bot.report.records import parse_ts\n"},
            "bot.timeparse imports bot.report.records: shared helpers import nothing from bot",
            id="shared-helper-imports-bot",
        ),
    ],
)
def test_each_rule_fails_on_a_tree_that_breaks_it(tmp_path, files, expected):
    found = violations(_tree(tmp_path, files))
    assert any(line.startswith(expected) for line in found), found


def test_allowed_imports_pass(tmp_path):
    files = {
        "bot/features/registry.py": "from bot.features import rebase, reports\n",
        "bot/app.py": "from bot.features.registry import build_wiring\n",
        "bot/features/rebase.py": "from bot import github\nfrom bot.rebase import targets\n",
        "bot/rebase/targets.py": "from bot.rebase.git import validate_ref\n",
        "bot/github/client.py": "from gidgethub import aiohttp\n",
        "bot/github/rest.py": "from bot.roles import ROLES\n",
        "bot/report/render.py": "from bot.markdown import table_cell\n",
    }
    assert violations(_tree(tmp_path, files)) == []
