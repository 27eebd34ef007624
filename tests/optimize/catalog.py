"""A small, fixed action catalog for rule tests (the bundled table changes when refreshed)."""

from __future__ import annotations

from bot.optimize.actions import ActionCatalog


def sha(label: str) -> str:
    """A fake 40-hex commit id, recognisable in failures."""
    return (label.encode().hex() + "0" * 40)[:40]


def _entry(releases: dict[str, str], **extra: object) -> dict[str, object]:
    """releases: tag -> using; moving major tags point at the newest release of their major."""
    tags: dict[str, str] = {}
    runs: dict[str, str] = {}
    for tag, using in releases.items():
        tags[tag] = sha(tag)
        runs[sha(tag)] = using
        major = tag.split(".")[0]
        tags[major] = sha(tag)  # releases are listed oldest first
    return {"tags": tags, "runs": {"": runs}, **extra}


CHECKOUT = {
    "v2.3.4": "node12",
    "v3.5.2": "node16",
    "v4.2.2": "node20",
    "v5.0.0": "node24",
}
FAKE = ActionCatalog(
    {
        "actions/checkout": _entry(CHECKOUT, branches={"main": sha("main")}),
        "actions/setup-node": _entry(
            {"v2.5.2": "node12", "v3.8.0": "node16", "v4.4.0": "node20", "v5.0.0": "node24"}
        ),
        "actions/cache": _entry({"v3.4.0": "node16", "v4.2.0": "node20", "v5.0.1": "node24"}),
        "old/archived-action": _entry({"v1.0.0": "node12"}, archived="This repo is archived."),
        "some/composite": _entry({"v1.0.0": "composite", "v2.0.0": "composite"}),
        "other/docker": _entry({"v1.0.0": "docker"}),
    },
    "test catalog",
)
FAKE.repos["actions/checkout"]["runs"][""][sha("main")] = "node24"
# some/composite v1 runs checkout v2 (node12) one level down; v2 runs checkout v5.
FAKE.repos["some/composite"]["composite"] = {
    "": {sha("v1.0.0"): ["actions/checkout@v2"], sha("v2.0.0"): ["actions/checkout@v5"]}
}
