"""Access to ../shared/github: the OpenAPI validator, webhook examples and the webhook schema.

Why here: every piece of the fake (server, builders, webhook helpers) needs the same reference
data, found the same way (relative to the repository, overridable with PITCREW_SHARED_DIR).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


class SharedDataMissing(RuntimeError):
    """../shared is not where the tests expect it."""


def shared_dir() -> Path:
    """The shared reference folder: $PITCREW_SHARED_DIR or <repo>/../shared."""
    path = Path(os.environ.get("PITCREW_SHARED_DIR") or REPO_ROOT / ".." / "shared").resolve()
    if not (path / "github" / "validate_call.py").is_file():
        raise SharedDataMissing(
            f"shared reference data not found at {path} (expected github/validate_call.py): "
            "put ../shared/ beside the repository or set PITCREW_SHARED_DIR"
        )
    return path


def github_dir() -> Path:
    return shared_dir() / "github"


@cache
def validate_call() -> ModuleType:
    """shared/github/validate_call.py, imported by path (it is not a package)."""
    path = github_dir() / "validate_call.py"
    spec = importlib.util.spec_from_file_location("pitcrew_shared_validate_call", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _example_file(event: str, filename: str) -> dict[str, Any]:
    path = github_dir() / "webhooks" / event / filename
    if not path.is_file():
        raise FileNotFoundError(f"no webhook example {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def _default_example(event: str) -> str:
    folder = github_dir() / "webhooks" / event
    if not folder.is_dir():
        raise FileNotFoundError(f"no webhook examples for event {event!r} in {folder.parent}")
    names = sorted(p.name for p in folder.glob("*.json"))
    for preferred in ("opened.payload.json", "created.payload.json", "payload.json"):
        if preferred in names:
            return preferred
    return names[0]


def deep_merge(base: Any, overrides: Any) -> Any:
    """Dicts merge key by key (recursively); anything else in `overrides` replaces."""
    if isinstance(base, dict) and isinstance(overrides, dict):
        out = dict(base)
        for key, value in overrides.items():
            out[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(overrides)


def load_example(
    event: str, filename: str | None = None, *, installation_id: int = 1, **overrides: Any
) -> dict[str, Any]:
    """A webhook payload from shared/github/webhooks/<event>/ with `overrides` deep-merged.

    An ``installation: {id, node_id}`` is added when the example has none (GitHub always sends
    one to an App). Without `filename`, ``opened``/``created``/``payload`` is preferred.
    """
    payload = copy.deepcopy(_example_file(event, filename or _default_example(event)))
    payload = deep_merge(payload, overrides)
    if "installation" not in payload:
        payload["installation"] = {"id": installation_id, "node_id": "MDIzOkluc3RhbGxhdGlvbjE="}
    return payload


def example_object(event: str, filename: str, key: str) -> dict[str, Any]:
    """A deep copy of one object (e.g. ``pull_request``) out of a webhook example."""
    return copy.deepcopy(_example_file(event, filename)[key])


@cache
def _webhook_schema() -> dict[str, Any]:
    return json.loads((github_dir() / "webhooks" / "schema.json").read_text(encoding="utf-8"))


@cache
def _payload_validator(name: str):
    from jsonschema import Draft7Validator

    definitions = _webhook_schema()["definitions"]
    return Draft7Validator({"$ref": f"#/definitions/{name}", "definitions": definitions})


def check_payload(event: str, payload: dict[str, Any]) -> list[str]:
    """Problems with a webhook payload against webhooks/schema.json ([] = fits GitHub's shape)."""
    definitions = _webhook_schema()["definitions"]
    action = payload.get("action")
    for name in (f"{event}${action}", f"{event}_event", f"{event}$event"):
        if name in definitions:
            break
    else:
        return [f"no schema definition for event {event!r}"]
    errors = _payload_validator(name).iter_errors(payload)
    return [f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]
