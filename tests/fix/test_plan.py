"""Pure parts of the fix engine: version pins and check → fix command translation."""

from __future__ import annotations

import pytest

from bot.fix import Refusal
from bot.fix.pins import find_pin
from bot.fix.tools import TOOLS, find_invocations, normalize_path, rule_codes, translate


def reader(files: dict[str, str]):
    return lambda path: files[path].encode() if path in files else None


PRE_COMMIT = """
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.4.4
    hooks: [{id: ruff-format}]
  - repo: https://github.com/psf/black
    rev: main
    hooks: [{id: black}]
"""


@pytest.mark.parametrize(
    "files, package, expected",
    [
        ({".pre-commit-config.yaml": PRE_COMMIT}, "ruff", ("0.4.4", ".pre-commit-config.yaml")),
        (
            {"uv.lock": '[[package]]\nname = "black"\nversion = "24.3.0"\n'},
            "black",
            ("24.3.0", "uv.lock"),
        ),
        (
            {"requirements-dev.txt": "isort[colors] == 5.13.2  # lint\n"},
            "isort",
            ("5.13.2", "requirements-dev.txt"),
        ),
        (
            {"package-lock.json": '{"packages": {"node_modules/prettier": {"version": "3.2.5"}}}'},
            "prettier",
            ("3.2.5", "package-lock.json"),
        ),
        (
            {"pyproject.toml": '[dependency-groups]\nlint = ["ruff==0.5.0"]\n'},
            "ruff",
            ("0.5.0", "pyproject.toml"),
        ),
        (
            {"pyproject.toml": '[tool.poetry.group.dev.dependencies]\nblack = "23.1.0"\n'},
            "black",
            ("23.1.0", "pyproject.toml"),
        ),
    ],
)
def test_pins_are_found_where_repositories_keep_them(files, package, expected):
    pin = find_pin(package, reader(files))
    assert (pin.version, (pin.source or "").split(" ")[0]) == expected


@pytest.mark.parametrize("rev", ["main", "0.4.4rc1", "a1b2c3d4e5", "1.0; rm -rf /"])
def test_a_pin_that_is_not_a_plain_release_falls_back_and_says_so(rev):
    pin = find_pin("ruff", reader({".pre-commit-config.yaml": PRE_COMMIT.replace("v0.4.4", rev)}))
    assert pin.version is None
    assert "not a plain release version" in (pin.note or "")


def test_no_pin_at_all():
    pin = find_pin("black", reader({"requirements.txt": "black>=23\n"}))
    assert pin.version is None and pin.note == "no pinned black version found"


@pytest.mark.parametrize(
    "script, tool",
    [
        ("uv run --frozen ruff format --check", "ruff-format"),
        ("poetry run python -m black --check .", "black"),
        ("cargo fmt --all -- --check", "rustfmt"),
        ("find . -name '*.c' | xargs clang-format --dry-run -Werror", "clang-format"),
        ("pip install isort && isort --check-only --diff .", "isort"),
        ("taplo fmt --check", "taplo"),
        ("FORCE_COLOR=1 npx prettier --check .", "prettier"),
        ("ruff check --output-format=github .", "ruff-check"),
    ],
)
def test_tools_are_found_behind_wrappers(script, tool):
    assert [name for name, _a, _s in find_invocations([script])] == [tool]


def test_no_formatter_in_a_test_script():
    assert find_invocations(["pytest -q", "echo ruff"]) == []


def test_paths_outside_the_repository_are_never_targets():
    assert normalize_path("/home/runner/work/w/w/src/a.py") == "src/a.py"
    assert normalize_path("./src/a.py") == "src/a.py"
    for bad in ("/etc/passwd", "../x.py", "src/../../x.py", "-rf.py", ".git/config"):
        assert normalize_path(bad) is None


def test_check_flags_dropped_known_options_kept():
    plan = translate(TOOLS["black"], ["--check", "--diff", "-l", "100", "-S", "src"], [], "black")
    assert plan.argv == ["black", "-l", "100", "-S", "src"]
    assert plan.roots == ["src"] and plan.targets == []


def test_ruff_check_selects_only_the_named_rules():
    out = [
        "F401 [*] `os` imported but unused",
        " --> src/a.py:1:8",
        "src/b.py:3:1: E711 comparison",
    ]
    plan = translate(TOOLS["ruff-check"], ["--select", "ALL", "--fix", "src"], out, "ruff check")
    assert plan.argv == [
        *("ruff", "check", "--no-cache", "--fix", "--select", "F401,E711"),
        *("src/a.py", "src/b.py"),
    ]
    assert plan.targets == ["src/a.py", "src/b.py"]
    assert rule_codes(["Found 2 errors."]) == []


def test_ruff_config_outside_the_repository_is_refused():
    with pytest.raises(Refusal) as err:
        translate(TOOLS["ruff-format"], ["--check", "--config", "/etc/ruff.toml"], [], "ruff")
    assert err.value.status == "refused"


def test_pre_commit_action_step_is_read_from_the_failed_hook(tmp_path):
    from bot.fix import plan_from_log, read_log
    from tests.fix.test_engine import PRE_COMMIT_OUTPUT

    lines = ["##[group]Run pre-commit/action@v3.0.1", "with:", "  extra_args: --all-files"]
    lines += ["##[endgroup]", *PRE_COMMIT_OUTPUT, "##[error]Process completed with exit code 1."]
    log = tmp_path / "job.log"
    log.write_text("".join(f"2024-05-01T10:00:00.0000000Z {line}\n" for line in lines))
    plan = plan_from_log(read_log(log))
    assert (plan.tool, plan.targets, plan.argv) == ("black", ["src/a.py"], ["black", "src/a.py"])
    assert plan.source_command == "pre-commit hook `black`"
