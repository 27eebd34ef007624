"""Repository configuration: layers, validation with file/line/hint, never a crash."""

from __future__ import annotations

import pytest

from bot.repo_config import DEFAULTS, resolve_config


def test_defaults_without_files():
    config = resolve_config(None)
    assert config.values == DEFAULTS
    assert config.problems == []


def test_org_defaults_merge_under_repo_file():
    org = "rebase:\n  auto: all\n  label: org-label\ndiagnose:\n  auto_retry: 2\n"
    repo = "rebase:\n  label: repo-label\n"
    config = resolve_config(repo, org)
    assert config.values["rebase"]["auto"] == "all"  # from org
    assert config.values["rebase"]["label"] == "repo-label"  # repo wins
    assert config.values["rebase"]["strategy"] == "rebase"  # built-in
    assert config.values["diagnose"]["auto_retry"] == 2
    assert config.sources[-1] == ".github/pitcrew.yml"


def test_yaml_off_means_off():
    assert resolve_config("rebase:\n  auto: off\n").values["rebase"]["auto"] == "off"


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        pytest.param("rebase:\n  auto: [\n", 3, "invalid YAML", id="broken-yaml"),
        pytest.param("rebase:\n  strategy: squash\n", 2, "is not one of", id="bad-enum"),
        pytest.param("rebase: {}\nrebsae:\n  auto: all\n", 1, "rebsae", id="unknown-key"),
        pytest.param("diagnose:\n  auto_retry: many\n", 2, "not of type", id="wrong-type"),
        pytest.param("- just\n- a list\n", 1, "must be a mapping", id="not-a-mapping"),
        pytest.param("report:\n  schedule: every monday\n", 2, "schedule", id="bad-cron"),
    ],
)
def test_invalid_files_fall_back_and_report(text, line, fragment):
    config = resolve_config(text, "rebase:\n  auto: all\n")
    assert config.values["rebase"]["auto"] == "all"  # org layer still applies
    assert config.problems, "a problem must be reported"
    problem = config.problems[0]
    assert problem.file == ".github/pitcrew.yml"
    assert problem.line == line
    assert fragment in problem.message
    assert problem.hint


def test_schema_ships_in_package():
    from importlib import resources

    assert resources.files("bot").joinpath("config_schema.json").is_file()
