"""Hostile input and a hostile repository: nothing runs, no secret leaks."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.rebase.check import check_heads
from bot.rebase.git import Git, GitError, HostileRef, InvalidRef, github_auth_header, validate_ref
from bot.rebase.mirror import MirrorCache
from bot.rebase.update import push_update, update_branch

from .conftest import ENV, Repo

TOKEN = "ghs_" + "S3cr3tT0kenValue" * 2  # fake installation token


@pytest.mark.parametrize(
    "name",
    [
        "main",
        "feature/x",
        "release-1.2",
        "user@host",
        "v1.0_rc",
        "a+b",
        "fix#123",
        "refs/pull/12/head",
        "dependabot/npm_and_yarn/lodash-4.17.21",
        "ünïcode",
    ],
)
def test_valid_names(name):
    assert validate_ref(name) == name


@pytest.mark.parametrize(
    ("name", "error"),
    [
        pytest.param("--upload-pack=touch /tmp/x", HostileRef, id="upload-pack"),
        pytest.param("-oProxyCommand=touch /tmp/x", HostileRef, id="proxy-command"),
        pytest.param("$(id)", HostileRef, id="command-substitution"),
        pytest.param(";rm -rf ~", HostileRef, id="semicolon"),
        pytest.param("`id`", HostileRef, id="backticks"),
        pytest.param("a|b", HostileRef, id="pipe"),
        pytest.param("a&&b", HostileRef, id="and"),
        pytest.param("x\nmain", HostileRef, id="newline"),
        pytest.param("a\x7fb", HostileRef, id="del"),
        pytest.param("a..b", InvalidRef, id="dotdot"),
        pytest.param("a b", InvalidRef, id="space"),
        pytest.param("a~1", InvalidRef, id="tilde"),
        pytest.param("a^", InvalidRef, id="caret"),
        pytest.param("a:b", InvalidRef, id="colon"),
        pytest.param("a*", InvalidRef, id="glob"),
        pytest.param("@{-1}", InvalidRef, id="reflog-syntax"),
        pytest.param("@", InvalidRef, id="at"),
        pytest.param("HEAD", InvalidRef, id="HEAD"),
        pytest.param(".hidden", InvalidRef, id="leading-dot"),
        pytest.param("a/.b", InvalidRef, id="component-dot"),
        pytest.param("a.lock", InvalidRef, id="lock"),
        pytest.param("a/", InvalidRef, id="trailing-slash"),
        pytest.param("a//b", InvalidRef, id="double-slash"),
        pytest.param("a.", InvalidRef, id="trailing-dot"),
        pytest.param("", InvalidRef, id="empty"),
        pytest.param("x" * 300, InvalidRef, id="too-long"),
    ],
)
def test_invalid_names(name, error):
    with pytest.raises(error):
        validate_ref(name)


HOSTILE = [
    "--upload-pack=touch {m}",
    "-oProxyCommand=touch {m}",
    "$(touch {m})",
    ";touch {m}",
    "`touch {m}`",
    "x|touch {m}",
]


@pytest.mark.parametrize("template", HOSTILE)
@pytest.mark.parametrize("where", ["head", "base"])
@pytest.mark.parametrize("mode", [[], ["--check-only"]], ids=["update", "check-only"])
def test_cli_refuses_hostile_names(repo: Repo, tmp_path, capsys, template, where, mode):
    marker = tmp_path / "pwned"
    hostile = template.format(m=marker)
    base, head = ("main", hostile) if where == "head" else (hostile, "main")
    rc = main(
        [
            "rebase",
            "--repo",
            str(repo.path),
            f"--base={base}",
            f"--head={head}",
            "--format",
            "json",
            *mode,
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2
    assert "refusing ref name" in err and "Traceback" not in err
    assert not marker.exists()


def _armed_repo(repo: Repo, marker: Path) -> None:
    """Hooks everywhere git could look, and an fsmonitor command, all touching ``marker``."""
    script = f'#!/bin/sh\necho "$0" >> {marker}\n'
    hookdirs = [repo.path / ".git" / "hooks", repo.path / "myhooks"]
    for d in hookdirs:
        d.mkdir(exist_ok=True)
        for hook in (
            "pre-commit",
            "commit-msg",
            "post-commit",
            "post-checkout",
            "pre-rebase",
            "post-rewrite",
            "post-merge",
            "pre-push",
            "reference-transaction",
            "prepare-commit-msg",
            "pre-merge-commit",
            "pre-auto-gc",
        ):
            f = d / hook
            f.write_text(script)
            f.chmod(f.stat().st_mode | stat.S_IXUSR)
    fsmon = repo.path / "fsmonitor.sh"
    fsmon.write_text(script)
    fsmon.chmod(0o755)
    repo.git("config", "core.fsmonitor", str(fsmon))
    repo.git("config", "core.hooksPath", str(repo.path / "myhooks"))


def test_hooks_and_fsmonitor_never_run(repo: Repo, tmp_path):
    repo.branch("feature")
    repo.commit("f", {"f.txt": "f\n"})
    repo.switch("main")
    repo.commit("m", {"m.txt": "m\n"})
    marker = tmp_path / "ran"
    _armed_repo(repo, marker)
    # Sanity: plain git does run them, so the assertion below can fail.
    repo.git("status")
    assert marker.exists()
    marker.unlink()
    remote = tmp_path / "remote.git"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(repo.path), str(remote)], env=ENV, check=True
    )
    check_heads(repo.path, "main", ["feature"])
    merged = update_branch(repo.path, "main", "feature", strategy="merge", update_ref=False)
    rebased = update_branch(repo.path, "main", "feature")
    assert merged.status == rebased.status == "updated"
    push_update(
        repo.path,
        remote.as_uri(),
        "feature",
        rebased.head_after,
        repo.git("rev-parse", "feature@{1}"),
        protocols=("file",),
    )
    assert not marker.exists(), marker.read_text()


@pytest.fixture
def git_argv_log(tmp_path, monkeypatch) -> Path:
    """A ``git`` wrapper first on PATH recording every argv (what /proc/*/cmdline shows)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "argv.log"
    real = subprocess.run(
        ["sh", "-c", "command -v git"], capture_output=True, text=True
    ).stdout.strip()
    wrapper = bindir / "git"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return log


def test_token_never_in_argv_config_or_errors(repo: Repo, tmp_path, git_argv_log):
    header = github_auth_header(TOKEN)
    origin = repo.path
    repo.git("config", "uploadpack.allowFilter", "true")
    repo.branch("feature")
    repo.commit("f", {"f.txt": "f\n"})
    repo.switch("main")
    repo.commit("m", {"m.txt": "m\n"})
    cache = MirrorCache(tmp_path / "cache", 10**9, protocols=("file",))
    with cache.open_sync(
        "o/r", origin.as_uri(), branches=["main", "feature"], auth_header=header
    ) as git:
        assert git.run("config", "--get", "http.extraHeader").stdout.strip() == header  # delivered
        lease = git.out("rev-parse", "refs/heads/feature")
        result = update_branch(git, "main", "feature", update_ref=False)
        remote = tmp_path / "remote.git"
        subprocess.run(
            ["git", "clone", "-q", "--bare", str(origin), str(remote)], env=ENV, check=True
        )
        pushed = push_update(
            git,
            remote.as_uri(),
            "feature",
            result.head_after,
            lease,
            auth_header=header,
            protocols=("file",),
        )
        assert pushed.status == "pushed"
        with pytest.raises(GitError) as err:
            push_update(
                git,
                (tmp_path / "missing.git").as_uri(),
                "feature",
                result.head_after,
                lease,
                auth_header=header,
                protocols=("file",),
            )
    logged = git_argv_log.read_text()
    assert "push" in logged and "clone" in logged  # the wrapper saw our processes
    b64 = header.split()[-1]
    for secret in (TOKEN, b64):
        assert secret not in logged
        assert secret not in str(err.value)
        for cfg in tmp_path.rglob("config"):
            if cfg.is_file():
                assert secret not in cfg.read_text(errors="replace"), cfg
    assert Git(tmp_path).argv("push").count(header) == 0


def test_error_messages_are_redacted(tmp_path):
    header = github_auth_header(TOKEN)
    git = Git(tmp_path, auth_header=header)
    proc = subprocess.CompletedProcess(["git"], 128, "", f"fatal: bad header {header} {TOKEN}")
    message = str(git.error(["fetch"], proc))
    assert TOKEN not in message and header.split()[-1] not in message
    assert "fetch" in message


def test_protocols_outside_allow_list_refused(repo: Repo, tmp_path):
    marker = tmp_path / "ext-ran"
    git = Git(repo.path)  # default: https only
    proc = git.run("ls-remote", "--end-of-options", f"ext::sh -c touch% {marker}", check=False)
    assert proc.returncode != 0 and not marker.exists()
    proc = git.run("ls-remote", "--end-of-options", repo.path.as_uri(), check=False)
    assert proc.returncode != 0 and "not allowed" in proc.stderr
