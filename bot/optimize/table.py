"""The bundled action table's file format (schema 2): the same facts, about half the bytes.

In memory (and in what the service looks up online) an entry maps names to full commit SHAs::

    {"branches": {name: sha}, "tags": {tag: sha}, "runs": {path: {sha: using}},
     "inputs": {path: {sha: [names]}}, "composite": {path: {sha: [uses]}}, "archived": str}

Schema 1 wrote exactly that, so every SHA appeared once per tag and once per action path, and
every input list once per major. Schema 2 writes each SHA once per repository (``commits``,
the 40-hex SHAs concatenated) and refers to it by position; ``runs`` is one character per
commit (an index into the top-level ``runtimes`` list, ``.`` where that commit has no
``action.yml`` at that path); equal input lists are written once (``input_sets``). Nothing is
dropped: :func:`expand` gives back schema 1's in-memory form, :func:`compact` is its inverse
(``tests/optimize/test_table.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCHEMA = 2
_SHA = 40
_NONE = "."


def compact(table: Mapping[str, Any]) -> dict[str, Any]:
    """Schema 1 (``head``, ``branches``, ``tags``, ``runs``, … by SHA) → schema 2."""
    runtimes: list[str] = sorted(
        {u for e in table["repos"].values() for r in e.get("runs", {}).values() for u in r.values()}
    )
    repos = {name: _compact_entry(entry, runtimes) for name, entry in table["repos"].items()}
    meta = {k: v for k, v in table.items() if k not in ("repos", "schema")}
    return {"schema": SCHEMA, **meta, "runtimes": runtimes, "repos": repos}


def _compact_entry(entry: Mapping[str, Any], runtimes: list[str]) -> dict[str, Any]:
    commits: dict[str, int] = {}

    def at(sha: str) -> int:
        return commits.setdefault(sha, len(commits))

    out: dict[str, Any] = {}
    head = entry.get("head")
    if head:
        out["default"] = head["branch"]
        out["head"] = at(head["sha"])
    out["branches"] = {b: at(s) for b, s in entry.get("branches", {}).items()}
    out["tags"] = {t: at(s) for t, s in entry.get("tags", {}).items()}
    for by_sha in entry.get("runs", {}).values():
        for sha in by_sha:
            at(sha)
    for key in ("inputs", "composite"):
        for by_sha in entry.get(key, {}).values():
            for sha in by_sha:
                at(sha)
    order = list(commits)
    out["runs"] = {
        path: "".join(
            str(runtimes.index(by_sha[s])) if s in by_sha else _NONE for s in order
        ).rstrip(_NONE)
        for path, by_sha in entry.get("runs", {}).items()
    }
    if entry.get("inputs"):
        sets: list[list[str]] = []
        out["inputs"] = {
            path: {str(at(s)): _index_of(sets, names) for s, names in by_sha.items()}
            for path, by_sha in entry["inputs"].items()
        }
        out["input_sets"] = sets
    if entry.get("composite"):
        out["composite"] = {
            path: {str(at(s)): uses for s, uses in by_sha.items()}
            for path, by_sha in entry["composite"].items()
        }
    if entry.get("archived"):
        out["archived"] = entry["archived"]
    out["commits"] = "".join(order)
    return out


def _index_of(sets: list[list[str]], names: list[str]) -> int:
    if names not in sets:
        sets.append(names)
    return sets.index(names)


def expand(data: Mapping[str, Any]) -> dict[str, Any]:
    """Schema 2 → the in-memory form (the default branch's head folded into ``branches``)."""
    runtimes: list[str] = data["runtimes"]
    repos = {name: _expand_entry(entry, runtimes) for name, entry in data["repos"].items()}
    return {**{k: v for k, v in data.items() if k not in ("repos", "runtimes")}, "repos": repos}


def _expand_entry(entry: Mapping[str, Any], runtimes: list[str]) -> dict[str, Any]:
    joined: str = entry["commits"]
    shas = [joined[i : i + _SHA] for i in range(0, len(joined), _SHA)]
    out: dict[str, Any] = {
        "branches": {b: shas[i] for b, i in entry.get("branches", {}).items()},
        "tags": {t: shas[i] for t, i in entry.get("tags", {}).items()},
        "runs": {
            path: {shas[i]: runtimes[int(c)] for i, c in enumerate(codes) if c != _NONE}
            for path, codes in entry.get("runs", {}).items()
        },
    }
    if "default" in entry:
        out["branches"][entry["default"]] = shas[entry["head"]]
    sets = entry.get("input_sets", [])
    if "inputs" in entry:
        out["inputs"] = {
            path: {shas[int(i)]: list(sets[k]) for i, k in by_index.items()}
            for path, by_index in entry["inputs"].items()
        }
    if "composite" in entry:
        out["composite"] = {
            path: {shas[int(i)]: uses for i, uses in by_index.items()}
            for path, by_index in entry["composite"].items()
        }
    if entry.get("archived"):
        out["archived"] = entry["archived"]
    return out
