"""The bundled action table's compact file format loses nothing."""

from __future__ import annotations

import json
from importlib import resources

from bot.optimize.actions import ActionRef, bundled_catalog
from bot.optimize.table import SCHEMA, compact, expand

A, B, C, D = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)
SCHEMA_1 = {
    "schema": 1,
    "built": "2026-12-04",
    "how": "test",
    "repos": {
        "o/act": {
            "head": {"branch": "trunk", "sha": D},  # the default branch is not listed
            "branches": {"v1": A},
            "tags": {"v1.0.0": A, "v2.0.0": B, "v2": C},
            "runs": {"": {A: "node12", B: "node20", C: "composite"}, "sub": {B: "node16"}},
            "composite": {"": {C: ["actions/checkout@v4"]}},
            "inputs": {"": {A: ["token"], B: ["path", "token"], C: ["token"]}},
            "archived": "This repository is archived.",
        },
        "o/plain": {
            "head": {"branch": "main", "sha": A},
            "branches": {"main": A},
            "tags": {},
            "runs": {"": {A: "docker"}},
        },
    },
}


def in_memory(table: dict) -> dict:
    """What schema 1 was read as: the default branch's head folded into ``branches``."""
    repos = {}
    for name, entry in table["repos"].items():
        entry = {k: v for k, v in entry.items() if k != "head"}
        head = table["repos"][name]["head"]
        entry["branches"] = {**entry["branches"], head["branch"]: head["sha"]}
        repos[name] = entry
    return repos


def test_compact_then_expand_gives_back_every_fact():
    written = json.loads(json.dumps(compact(SCHEMA_1)))  # through JSON, as on disk
    assert written["schema"] == SCHEMA and written["built"] == "2026-12-04"
    assert written["repos"]["o/act"]["input_sets"] == [["token"], ["path", "token"]]
    assert expand(written)["repos"] == in_memory(SCHEMA_1)


def test_each_sha_is_written_once_per_repository():
    text = json.dumps(compact(SCHEMA_1))
    assert text.count(A) == 2 and text.count(B) == 1  # A is in both repositories


def test_bundled_table_is_the_compact_form_and_reads_as_before():
    raw = resources.files("bot.optimize").joinpath("data/actions.json").read_bytes()
    assert json.loads(raw)["schema"] == SCHEMA
    assert len(raw) < 1_000_000
    catalog = bundled_catalog()
    assert len(catalog.repos) >= 150
    facts = catalog.facts(ActionRef("actions/checkout", "", "v3"))
    assert facts is not None and facts.using == "node16" and facts.tag
    assert catalog.facts(ActionRef("actions/checkout", "", facts.commit or "")).using == "node16"
    assert catalog.inputs(
        "actions/checkout", "", catalog.resolve("actions/checkout", "v4")[0] or ""
    )
