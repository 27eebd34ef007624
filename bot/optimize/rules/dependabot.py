"""``dependabot``: keep action versions current, including local composite actions.

Repository-level: it reads ``.github/dependabot.yml`` (when present) and the file list, and
proposes a new file or a minimal extension of the ``github-actions`` entry.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from ..edits import Edit, append_to_sequence, doc_unit, emit, seq_flush
from ..model import Doc, YamlError, YamlMapping, YamlSequence, deref, get, own_pair, plain, text
from ..results import Finding

PATHS = (".github/dependabot.yml", ".github/dependabot.yaml")
_LOCAL_ACTION = re.compile(r"^\.github/actions/(.+)/action\.ya?ml$")
WHY = (
    "Dependabot keeps action versions (and SHA pins) current, but it only reads the "
    "directories it is told about: composite actions under .github/actions/ are skipped "
    "unless listed."
)


def local_action_dirs(repo_files: frozenset[str]) -> list[str]:
    return sorted("/" + f.rsplit("/", 1)[0] for f in repo_files if _LOCAL_ACTION.match(f))


def dependabot(
    repo_files: frozenset[str], texts: dict[str, str]
) -> tuple[list[Finding], dict[str, tuple[str | None, str]]]:
    if not any(f.startswith(".github/workflows/") for f in repo_files):
        return [], {}
    dirs = ["/", *local_action_dirs(repo_files)]
    existing = next((p for p in PATHS if p in repo_files or p in texts), None)
    if existing is None:
        entry: dict[str, Any] = {"package-ecosystem": "github-actions"}
        if len(dirs) == 1:
            entry["directory"] = '"/"'
        else:
            entry["directories"] = [f'"{d}"' for d in dirs]
        entry["schedule"] = {"interval": "weekly"}
        body = "\n".join(["version: 2", "updates:", *emit([entry], 2, 2, False)]) + "\n"
        message = "add .github/dependabot.yml for the github-actions ecosystem"
        return [Finding(PATHS[0], "dependabot", 1, message, True, WHY)], {PATHS[0]: (None, body)}
    if existing not in texts:
        return [], {}
    old = texts[existing]
    try:
        doc = Doc(existing, old)
    except YamlError:
        return [], {}  # reported by whoever reads it as a workflow-like file; not ours to fix
    updates = get(doc.root, "updates")
    listed = deref(updates)
    entries = listed.items if isinstance(listed, YamlSequence) else []
    gha = next((e for e in entries if text(get(e, "package-ecosystem")) == "github-actions"), None)
    edit: Edit | None
    if gha is None:
        entry = {"package-ecosystem": "github-actions", "directories": [f'"{d}"' for d in dirs]}
        entry["schedule"] = {"interval": "weekly"}
        if len(dirs) == 1:
            entry.pop("directories")
            entry = {"package-ecosystem": "github-actions", "directory": '"/"', **entry}
        edit = append_to_sequence(doc, updates, [entry])
        line, message = (updates.sl + 1) if updates else 1, "add a github-actions entry"
    else:
        have = plain(get(gha, "directories")) or []
        single = plain(get(gha, "directory"))
        have = [*(have if isinstance(have, list) else [have]), *([single] if single else [])]
        missing = [
            d
            for d in dirs
            if not any(
                isinstance(h, str) and fnmatch.fnmatchcase(d, h.rstrip("/") or "/") for h in have
            )
        ]
        if not missing:
            return [], {}
        line = gha.sl + 1
        message = "list local composite actions: " + ", ".join(missing)
        dirs_node = own_pair(gha, "directories")
        dir_pair = own_pair(gha, "directory")
        if dirs_node is not None:
            edit = append_to_sequence(doc, dirs_node[1], [f'"{d}"' for d in missing])
        elif dir_pair is not None and isinstance(gha, YamlMapping) and doc.editable_node(gha):
            key, value = dir_pair
            items = [doc.raw(value), *[f'"{d}"' for d in missing]]
            unit = doc_unit(doc)
            col = key.sc if seq_flush(doc) else key.sc + unit
            lines = emit(items, col, unit, False)
            new = "directories:" + "".join(doc.nl + line for line in lines)
            edit = Edit(doc.offset(key.sl, key.sc), doc.offset(value.el, value.ec), new)
        else:
            edit = None
    if edit is None:
        return [Finding(existing, "dependabot", line, message + " (not applied)", False, WHY)], {}
    from ..edits import apply_edits

    new_text, _, _ = apply_edits(old, [edit])
    return [Finding(existing, "dependabot", line, message, True, WHY)], {existing: (old, new_text)}
