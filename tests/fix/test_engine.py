"""The fix engine and `pitcrew fix` on real git repositories with real formatters."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.fix import ToolCache, commit_changes, fix_commit
from bot.rebase.git import Git
from bot.rebase.update import push_update
from tests.fix.gitrepo import (
    BLACK,
    RUFF,
    commit,
    fast_import_repo,
    git,
    job_log,
    make_repo,
    tool_cache,
    write,
)

UGLY = 'x = {  "a":1 }\n'
PRETTY = 'x = {"a": 1}\n'
RUFF_LOG = ["Would reformat: src/a.py", "1 file would be reformatted, 1 file already formatted"]


def run_cli(
    capsys: pytest.CaptureFixture[str], repo: Path, log: Path, *extra: str
) -> tuple[int, dict]:
    cache = str(tool_cache().root)
    code = main(
        ["fix", "--repo", str(repo), str(log), "--format", "json", "--tools-dir", cache, *extra]
    )
    out = capsys.readouterr().out
    return code, json.loads(out)


def write_log(tmp_path: Path, script: str, output: list[str], **kw: str) -> Path:
    log = tmp_path / "job.log"
    log.write_text(job_log(script, output, **kw))
    return log


def ruff_repo(tmp_path: Path, **extra: str) -> Path:
    files = {
        "src/a.py": UGLY,
        "src/b.py": "y = 2\n",
        "pyproject.toml": '[project]\nname = "w"\n[project.optional-dependencies]\n'
        f'dev = ["ruff=={RUFF}"]\n[tool.ruff]\nline-length = 100\n',
        **extra,
    }
    return make_repo(tmp_path / "repo", files)


def test_ruff_format_fixes_the_named_files_at_the_pinned_version(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    log = write_log(tmp_path, "ruff format --check --diff src", RUFF_LOG)
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert result["status"] == "fixed"
    assert (result["tool"], result["version"], result["files"]) == ("ruff", RUFF, ["src/a.py"])
    assert result["command"] == "ruff format --no-cache src/a.py"
    assert any("pinned in pyproject.toml" in n for n in result["notes"])
    assert (repo / "src/a.py").read_text() == PRETTY
    assert git(repo, "status", "--porcelain") == "M src/a.py"  # no commit, nothing else


def test_black_from_pre_commit_rev(tmp_path, capsys):
    files = {
        "a.py": "def f( x ):\n  return x\n",
        "pyproject.toml": "[tool.black]\nline-length = 88\n",
        ".pre-commit-config.yaml": "repos:\n- repo: https://github.com/psf/black-pre-commit-mirror\n"
        f"  rev: {BLACK}\n  hooks: [{{id: black}}]\n",
    }
    repo = make_repo(tmp_path / "repo", files)
    log = write_log(
        tmp_path,
        "python -m black --check --diff -l 88 .",
        [
            "would reformat /home/runner/work/widgets/widgets/a.py",
            "",
            "Oh no! 💥 💔 💥",
            "1 file would be reformatted.",
        ],
    )
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert (result["tool"], result["version"], result["files"]) == ("black", BLACK, ["a.py"])
    assert "-l 88" in result["command"]
    assert (repo / "a.py").read_text() == "def f(x):\n    return x\n"


def test_ruff_check_fixes_only_the_rules_the_output_named(tmp_path, capsys):
    source = "import sys\nimport os\n\nprint( 1 )\n"  # F401 ×2, and I001 (unsorted), format issues
    repo = ruff_repo(tmp_path, **{"src/a.py": source})
    log = write_log(
        tmp_path,
        "pip install ruff\nruff check --output-format concise src",
        [
            "src/a.py:1:8: F401 [*] `sys` imported but unused",
            "src/a.py:2:8: F401 [*] `os` imported but unused",
            "Found 2 errors.",
        ],
    )
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert "--fix --select F401" in result["command"]
    assert (repo / "src/a.py").read_text() == "\nprint( 1 )\n"  # imports gone, formatting untouched


@pytest.mark.skipif(shutil.which("gofmt") is None, reason="no Go toolchain")
def test_gofmt_from_a_shell_test(tmp_path, capsys):
    repo = make_repo(
        tmp_path / "repo",
        {"main.go": "package main\nfunc main() {\nprintln(1)\n}\n", "ok.go": "package main\n"},
    )
    log = write_log(tmp_path, 'test -z "$(gofmt -l .)"', ["main.go"])
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert result["tool"] == "gofmt" and result["files"] == ["main.go"]
    assert (repo / "main.go").read_text() == "package main\n\nfunc main() {\n\tprintln(1)\n}\n"


@pytest.mark.skipif(shutil.which("clang-format") is None, reason="clang-format not installed")
def test_clang_format_with_style_file(tmp_path, capsys):
    repo = make_repo(
        tmp_path / "repo",
        {"src/a.c": "int  main( ){return 0;}\n", ".clang-format": "BasedOnStyle: LLVM\n"},
    )
    log = write_log(
        tmp_path,
        "clang-format --dry-run -Werror --style=file src/a.c",
        [
            "src/a.c:1:4: error: code should be clang-formatted [-Wclang-format-violations]",
            "int  main( ){return 0;}",
        ],
    )
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert result["tool"] == "clang-format" and result["files"] == ["src/a.c"]
    assert (repo / "src/a.c").read_text() == "int main() { return 0; }\n"


def test_already_formatted_is_nothing_to_fix(tmp_path, capsys):
    repo = ruff_repo(tmp_path, **{"src/a.py": PRETTY})
    code, result = run_cli(capsys, repo, write_log(tmp_path, "ruff format --check", RUFF_LOG))
    assert (code, result["status"]) == (0, "nothing_to_fix")
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    "files, why",
    [
        ({".prettierrc.js": "module.exports = {}\n"}, "is JavaScript"),
        ({"package.json": '{"prettier": {"plugins": ["prettier-plugin-x"]}}'}, "plugins"),
        ({"package.json": '{"prettier": "@acme/prettier-config"}'}, "shared config"),
    ],
)
def test_prettier_config_that_loads_code_is_refused(tmp_path, capsys, files, why):
    repo = make_repo(tmp_path / "repo", {"web/a.js": "x =  1\n", **files})
    log = write_log(
        tmp_path,
        "npx prettier --check web",
        [
            "Checking formatting...",
            "[warn] web/a.js",
            "[warn] Code style issues found in the above file. Run Prettier with --write to fix.",
        ],
    )
    code, result = run_cli(capsys, repo, log)
    assert (code, result["status"]) == (1, "refused")
    assert why in result["reason"]
    assert result["command"] == "prettier --write web/a.js"  # what to run locally
    assert git(repo, "status", "--porcelain") == ""


def test_a_test_failure_is_unsupported(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    log = write_log(
        tmp_path,
        "pytest -q",
        ["FAILED tests/test_a.py::test_x - assert 1 == 2", "1 failed in 0.1s"],
    )
    code, result = run_cli(capsys, repo, log)
    assert (code, result["status"]) == (1, "unsupported")


def test_unknown_option_is_unsupported_not_guessed(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    code, result = run_cli(
        capsys, repo, write_log(tmp_path, "ruff format --check --frobnicate src", RUFF_LOG)
    )
    assert (code, result["status"]) == (1, "unsupported")
    assert "--frobnicate" in result["reason"]


def test_bad_input_exits_2(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    assert main(["fix", "--repo", str(repo), str(tmp_path / "missing.log")]) == 2
    log = write_log(tmp_path, "ruff format --check", RUFF_LOG)
    assert main(["fix", "--repo", str(tmp_path), str(log)]) == 2
    assert "not a git work tree" in capsys.readouterr().err


def test_pr_deleting_the_formatter_config_is_refused(tmp_path, capsys):
    repo = make_repo(
        tmp_path / "repo", {"src/a.c": "int  x;\n", ".clang-format": "BasedOnStyle: Google\n"}
    )
    base = git(repo, "rev-parse", "HEAD")
    (repo / ".clang-format").unlink()
    commit(repo, "drop the style")
    log = write_log(
        tmp_path,
        "clang-format --dry-run -Werror src/a.c",
        ["src/a.c:1:4: error: code should be clang-formatted [-Wclang-format-violations]"],
    )
    code, result = run_cli(capsys, repo, log, "--base", base)
    assert (code, result["status"]) == (1, "refused")
    assert "deletes `.clang-format`" in result["reason"]


def test_pr_deleting_the_pyproject_table_is_refused(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    base = git(repo, "rev-parse", "HEAD")
    write(repo, {"pyproject.toml": '[project]\nname = "w"\n'})
    commit(repo, "drop ruff config")
    code, result = run_cli(
        capsys, repo, write_log(tmp_path, "ruff format --check", RUFF_LOG), "--base", base
    )
    assert (code, result["status"]) == (1, "refused")
    assert "[tool.ruff]" in result["reason"]


def test_a_binary_file_the_formatter_chokes_on_fails_and_writes_nothing(tmp_path, capsys):
    repo = ruff_repo(tmp_path, **{"src/bin.py": b"\x00\xff\xfe binary \x00 data (\n"})
    log = write_log(
        tmp_path,
        "ruff format --check src",
        [
            "Would reformat: src/a.py",
            "error: Failed to parse src/bin.py:1:1: Got unexpected token",
            "Would reformat: src/bin.py",
        ],
    )
    code, result = run_cli(capsys, repo, log)
    assert (code, result["status"]) == (1, "failed")
    assert "exited 2" in result["reason"]
    assert git(repo, "status", "--porcelain") == ""  # not even the file ruff could format


def fake_tool(tmp_path: Path, name: str, body: str) -> ToolCache:
    script = tmp_path / "bin" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return ToolCache(tmp_path / "tools", overrides={name: str(script)})


def black_log(tmp_path: Path) -> Path:
    return write_log(tmp_path, "black --check .", ["would reformat a.py", "Oh no! 💥 💔 💥"])


def test_a_formatter_that_hangs_is_killed_at_the_time_limit(tmp_path):
    repo = make_repo(tmp_path / "repo", {"a.py": "x=1\n"})
    cache = fake_tool(tmp_path, "black", "sleep 600\n")  # past pytest-timeout if not killed
    outcome = fix_commit(
        Git(repo), git(repo, "rev-parse", "HEAD"), black_log(tmp_path), cache=cache, timeout=1
    )
    assert outcome.result.status == "failed"
    assert "did not finish within 1 s" in outcome.result.reason
    assert outcome.changes == {}


def test_a_change_outside_the_targets_aborts(tmp_path):
    repo = make_repo(tmp_path / "repo", {"a.py": "x=1\n", "pyproject.toml": "[tool.black]\n"})
    cache = fake_tool(tmp_path, "black", 'echo "x = 1" > a.py; echo hacked >> pyproject.toml\n')
    outcome = fix_commit(
        Git(repo), git(repo, "rev-parse", "HEAD"), black_log(tmp_path), cache=cache
    )
    assert outcome.result.status == "failed"
    assert "changed `pyproject.toml`, which it was not asked to touch" in outcome.result.reason
    assert outcome.changes == {}


def test_a_formatter_that_creates_files_aborts(tmp_path):
    repo = make_repo(tmp_path / "repo", {"a.py": "x=1\n"})
    cache = fake_tool(tmp_path, "black", "echo x > new.py\n")
    outcome = fix_commit(
        Git(repo), git(repo, "rev-parse", "HEAD"), black_log(tmp_path), cache=cache
    )
    assert (outcome.result.status, outcome.changes) == ("failed", {})
    assert "created `new.py`" in outcome.result.reason


def test_the_formatter_has_no_network(tmp_path):
    repo = make_repo(tmp_path / "repo", {"a.py": "x=1\n"})
    cache = fake_tool(
        tmp_path,
        "black",
        "tail -n +3 /proc/net/dev | cut -d: -f1 > a.py\n",
    )
    outcome = fix_commit(
        Git(repo), git(repo, "rev-parse", "HEAD"), black_log(tmp_path), cache=cache
    )
    if any("sandbox unavailable" in n for n in outcome.result.notes):
        pytest.skip("neither bubblewrap nor unshare works here")
    assert outcome.changes["a.py"].split() == [b"lo"]  # a fresh namespace has loopback only


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_the_formatter_cannot_write_outside_its_tree(tmp_path):
    repo = make_repo(tmp_path / "repo", {"a.py": "x=1\n"})
    outside = tmp_path / "outside.txt"
    cache = fake_tool(tmp_path, "black", f"echo x = 1 > a.py; echo pwned > {outside}\n")
    outcome = fix_commit(
        Git(repo), git(repo, "rev-parse", "HEAD"), black_log(tmp_path), cache=cache
    )
    assert "sandbox: bubblewrap (read-only filesystem except the work tree, no network)" in (
        outcome.result.notes
    )
    assert not outside.exists()
    assert outcome.result.status == "failed" and "Read-only file system" in outcome.result.reason


def test_symlinks_to_etc_are_never_followed(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    (repo / "src/passwd.py").symlink_to("/etc/passwd")
    (repo / "etc").symlink_to("/etc")
    commit(repo, "links")
    before = Path("/etc/passwd").read_bytes()
    log = write_log(
        tmp_path,
        "ruff format --check .",
        ["Would reformat: src/a.py", "Would reformat: src/passwd.py"],
    )
    code, result = run_cli(capsys, repo, log)
    assert (code, result["status"], result["files"]) == (0, "fixed", ["src/a.py"])
    assert "passwd" not in result["command"]
    assert Path("/etc/passwd").read_bytes() == before
    # walking the whole tree: the links are skipped, not followed
    (repo / "src/a.py").write_text(UGLY)
    black = write_log(
        tmp_path, "black --check .", ["Oh no! 💥 💔 💥", "2 files would be reformatted."]
    )
    code, result = run_cli(capsys, repo, black)
    assert any("skipped symlink `etc`" in n for n in result["notes"]), result
    assert Path("/etc/passwd").read_bytes() == before


def test_local_changes_are_never_overwritten(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    (repo / "src/a.py").write_text("x = {  'mine':1 }\n")
    code, result = run_cli(capsys, repo, write_log(tmp_path, "ruff format --check", RUFF_LOG))
    assert (code, result["status"]) == (1, "failed")
    assert "local changes" in result["reason"]
    assert (repo / "src/a.py").read_text() == "x = {  'mine':1 }\n"


def test_a_50000_file_repository_stays_bounded(tmp_path):
    repo = fast_import_repo(tmp_path / "big", 50_000)
    head = git(repo, "rev-parse", "main")
    log = write_log(tmp_path, "ruff format --check .", ["Would reformat: pkg7/m7001.py"])
    outcome = fix_commit(Git(repo), head, log, cache=tool_cache())
    assert outcome.result.status == "nothing_to_fix", outcome.result  # x = 1 is formatted
    # bounded by construction: the tree holds the named file (+ configs), not 50,000
    assert "work tree: 1 file(s) written from" in " ".join(outcome.result.notes)
    walk = write_log(
        tmp_path, "black --check .", ["Oh no! 💥 💔 💥", "3 files would be reformatted."]
    )
    outcome = fix_commit(Git(repo), head, walk, cache=tool_cache())
    assert outcome.result.status == "refused"
    assert "more than 20,000 files" in outcome.result.reason


def test_a_branch_that_moved_during_the_fix_is_not_overwritten(tmp_path):
    remote = tmp_path / "remote.git"
    repo = ruff_repo(tmp_path)
    subprocess_git = git
    subprocess_git(tmp_path, "clone", "-q", "--bare", str(repo), str(remote))
    head = subprocess_git(repo, "rev-parse", "HEAD")
    outcome = fix_commit(
        Git(repo), head, write_log(tmp_path, "ruff format --check", RUFF_LOG), cache=tool_cache()
    )
    assert outcome.result.status == "fixed"
    new = commit_changes(Git(repo), head, outcome.changes, "Apply ruff formatting")
    assert subprocess_git(repo, "rev-parse", f"{new}^") == head
    assert subprocess_git(repo, "show", f"{new}:src/a.py") + "\n" == PRETTY
    # the author pushes meanwhile
    write(repo, {"src/c.py": "z = 3\n"})
    authors = commit(repo, "author's new commit")
    subprocess_git(repo, "push", "-q", str(remote), "HEAD:main")
    pushed = push_update(
        Git(repo, protocols=("file",)), f"file://{remote}", "main", new, head, protocols=("file",)
    )
    assert pushed.status == "branch_moved"
    assert subprocess_git(remote, "rev-parse", "main") == authors


OLD_WORKFLOW = """name: ci
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v2
      - run: echo "::set-output name=x::1"
"""


def test_fix_workflows_applies_only_safe_edits_to_files_the_pr_changed(tmp_path):
    from bot.fix import fix_workflows

    repo = make_repo(tmp_path / "repo", {".github/workflows/old.yml": OLD_WORKFLOW})
    base = git(repo, "rev-parse", "HEAD")
    write(repo, {".github/workflows/ci.yml": OLD_WORKFLOW.replace("name: ci", "name: pr")})
    head = commit(repo, "add a workflow")
    outcome = fix_workflows(Git(repo), head, base)
    assert outcome.result.status == "fixed"
    assert outcome.result.files == [
        ".github/workflows/ci.yml"
    ]  # not old.yml: the PR didn't touch it
    new = outcome.changes[".github/workflows/ci.yml"].decode()
    major = int(re.search(r"actions/checkout@v(\d+)", new).group(1))  # the optimizer's catalog
    assert major > 2
    assert new == OLD_WORKFLOW.replace("name: ci", "name: pr").replace(
        "checkout@v2", f"checkout@v{major}"
    ).replace('echo "::set-output name=x::1"', 'echo "x=1" >> "$GITHUB_OUTPUT"')
    nothing = fix_workflows(Git(repo), base, base)
    assert nothing.result.status == "nothing_to_fix"


PRE_COMMIT_OUTPUT = [
    "trim trailing whitespace.................................................Passed",
    "black....................................................................Failed",
    "- hook id: black",
    "- files were modified by this hook",
    "",
    "reformatted src/a.py",
    "",
    "All done! ✨ 🍰 ✨",
    "1 file reformatted, 3 files left unchanged.",
    "pre-commit hook(s) made changes.",
    "All changes made by hooks:",
    "diff --git a/src/a.py b/src/a.py",
    "--- a/src/a.py",
    "+++ b/src/a.py",
]


def test_a_failed_pre_commit_hook_runs_with_the_hook_args_and_rev(tmp_path, capsys):
    config = (
        "repos:\n- repo: https://github.com/psf/black-pre-commit-mirror\n"
        f"  rev: {BLACK}\n  hooks:\n  - id: black\n    args: [--line-length=20, --check]\n"
    )
    long_call = "value = compute(alpha, beta)\n"
    files = {"src/a.py": long_call, "src/b.py": long_call, ".pre-commit-config.yaml": config}
    repo = make_repo(tmp_path / "repo", files)
    log = write_log(
        tmp_path, "pre-commit run --show-diff-on-failure --all-files", PRE_COMMIT_OUTPUT
    )
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert (result["tool"], result["version"], result["files"]) == ("black", BLACK, ["src/a.py"])
    assert result["command"] == "black --line-length=20 src/a.py"  # the hook's args, not --check
    assert (repo / "src/a.py").read_text() == "value = compute(\n    alpha, beta\n)\n"
    assert (repo / "src/b.py").read_text() == long_call  # the log did not name it


def test_isort_at_its_requirements_pin(tmp_path, capsys):
    files = {"app.py": "import sys\nimport os\n", "requirements-dev.txt": "isort==5.13.2\n"}
    repo = make_repo(tmp_path / "repo", files)
    log = write_log(
        tmp_path,
        "isort --check-only --diff --profile black .",
        ["ERROR: /home/runner/work/w/w/app.py Imports are incorrectly sorted and/or formatted."],
    )
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert (result["tool"], result["version"]) == ("isort", "5.13.2")
    assert result["command"] == "isort --profile black app.py"
    assert (repo / "app.py").read_text() == "import os\nimport sys\n"


@pytest.mark.skipif(shutil.which("rustfmt") is None, reason="rustfmt not installed")
def test_rustfmt_from_cargo_fmt_check(tmp_path, capsys):
    files = {
        "src/main.rs": 'async fn go(){}\nfn main(){println!("hi");}\n',  # async fn: 2018+
        "Cargo.toml": '[package]\nname = "w"\nversion = "0.1.0"\nedition = "2021"\n',
    }
    repo = make_repo(tmp_path / "repo", files)
    log = write_log(
        tmp_path, "cargo fmt --all -- --check", ["Diff in /home/runner/work/w/w/src/main.rs:1:"]
    )
    code, result = run_cli(capsys, repo, log)
    assert code == 0, result
    assert result["tool"] == "rustfmt" and result["files"] == ["src/main.rs"]
    assert result["command"] == "rustfmt --edition 2021 src/main.rs"
    assert (repo / "src/main.rs").read_text() == (
        'async fn go() {}\nfn main() {\n    println!("hi");\n}\n'
    )


def test_taplo_at_its_pre_commit_rev(tmp_path, capsys):
    config = (
        "repos:\n- repo: https://github.com/ComPWA/mirrors-taplo\n"
        "  rev: v0.9.3\n  hooks: [{id: taplo-format}]\n"
    )
    files = {"conf/a.toml": "x=1\n[t]\ny  =  2\n", ".pre-commit-config.yaml": config}
    repo = make_repo(tmp_path / "repo", files)
    out = [
        "ERROR taplo:format_files: the file is not properly formatted "
        'path="/home/runner/work/w/w/conf/a.toml"'
    ]
    code, result = run_cli(capsys, repo, write_log(tmp_path, "taplo fmt --check", out))
    assert code == 0, result
    assert (result["tool"], result["version"], result["files"]) == (
        "taplo",
        "0.9.3",
        ["conf/a.toml"],
    )
    assert (repo / "conf/a.toml").read_text() == "x = 1\n[t]\ny = 2\n"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed")
def test_prettier_with_a_data_config_from_npm(tmp_path, capsys):
    files = {
        "web/a.js": "const x = {a:1}\n",
        ".prettierrc.json": '{"semi": false}\n',
        "package-lock.json": '{"packages": {"node_modules/prettier": {"version": "3.3.3"}}}\n',
    }
    repo = make_repo(tmp_path / "repo", files)
    out = [
        "Checking formatting...",
        "[warn] web/a.js",
        "[warn] Code style issues found in the above file. Run Prettier with --write to fix.",
    ]
    code, result = run_cli(capsys, repo, write_log(tmp_path, "npx prettier --check web", out))
    assert code == 0, result
    assert (result["tool"], result["version"]) == ("prettier", "3.3.3")
    assert (repo / "web/a.js").read_text() == "const x = { a: 1 }\n"  # no semicolon: the config


def test_text_output_names_status_tool_command_and_files(tmp_path, capsys):
    repo = ruff_repo(tmp_path)
    log = write_log(tmp_path, "ruff format --check", RUFF_LOG)
    code = main(["fix", "--repo", str(repo), str(log), "--tools-dir", str(tool_cache().root)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == f"fixed: ruff {RUFF} reformatted 1 file"
    assert out[1:4] == [
        f"  tool: ruff {RUFF}",
        "  command: ruff format --no-cache src/a.py",
        "  changed: src/a.py",
    ]
