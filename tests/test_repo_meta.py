"""The repository keeps its promises: README commands, manifest events, permissions, commands."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.features.registry import build_wiring

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
ALWAYS_SENT = {"installation", "installation_repositories", "ping"}
INTERNAL = {
    "pitcrew_schedule",
    "pitcrew_fix",
}  # synthetic events from the scheduler, never from GitHub


def readme_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block, "README must open with a sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_commands_and_ci_runs_the_test_one():
    first_block_start = README.index("```sh")
    assert README[:first_block_start].count("\n") <= 2, "the commands come first"
    run, test = readme_commands()
    assert "pitcrew serve" in run
    assert "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text().splitlines()


def test_manifest_subscribes_every_routed_event():
    manifest = yaml.safe_load((ROOT / "app.yml").read_text())
    router = build_wiring().router
    routed = set(router._shallow_routes) | set(router._deep_routes)
    missing = routed - set(manifest["default_events"]) - ALWAYS_SENT - INTERNAL
    assert not missing, f"handlers listen to events app.yml does not subscribe: {missing}"


def test_readme_justifies_every_permission():
    manifest = yaml.safe_load((ROOT / "app.yml").read_text())
    section = README.split("## Permissions", 1)[1].split("\n## ", 1)[0]
    for permission, level in manifest["default_permissions"].items():
        assert re.search(rf"\| `{permission}` \| {level} \| \S", section), permission


def test_readme_command_table_is_generated_from_the_registry():
    section = README.split("<!-- commands:start -->", 1)[1].split("<!-- commands:end -->", 1)[0]
    assert section.strip() == build_wiring().commands.table().strip(), (
        "README command table is stale: regenerate it with `python -m tests.update_readme`"
    )
