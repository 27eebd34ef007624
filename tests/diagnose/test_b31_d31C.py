# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 31, helper d31C (pasted CI output): a program Node could not start,
a remote host or service that refused the job's credentials, tee writing into a directory
that does not exist, GitHub's artifact service failing a download, and Coveralls given a
file that is not LCOV.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.keylines import GENERIC_MIN_SCORE
from bot.diagnose.logline import clean_line
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import error_score
from bot.diagnose.syserrors import CREDENTIALS_REFUSED, MISSING_PROGRAM
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids

NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _bare(lines: list[str]) -> Diagnosis:
    """The paste diagnosed with every shipped rule off: the scorer and the fallback alone."""
    return diagnose(io.BytesIO("\n".join(lines).encode()), rules=NO_RULES)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("spawn gh ENOENT", "node-program-not-found"),
        ("Error: spawn node-gyp ENOENT", "node-program-not-found"),
        ("Error: spawnSync /usr/local/bin/docker ENOENT", "node-program-not-found"),
        (
            "Error: Command failed with ENOENT: gh auth login --with-token --hostname github.com",
            "node-program-not-found",
        ),
        ("not found: electron-builder", "node-program-not-found"),
        ("command not found: @vue/cli", "node-program-not-found"),
        ("runner@51.38.47.237: Permission denied (publickey,password).", "remote-login-refused"),
        ("git@github.com: Permission denied (publickey).", "remote-login-refused"),
        (
            "deploy@host: Permission denied (publickey,gssapi-keyex,gssapi-with-mic,password).",
            "remote-login-refused",
        ),
        ("[sandbox] < Permission denied, please try again.", "remote-login-refused"),
        (
            "Error: Az CLI Login failed. Please check the credentials. For more information refer https://aka.ms/create-secrets-for-GitHub-workflows",
            "remote-login-refused",
        ),
        (
            "tee: 'ink-waterfall::ink::bug/doesnt-revert-on-error::sizes.csv': No such file or directory",
            "tee-path-missing",
        ),
        ("tee: build/logs/test.log: No such file or directory", "tee-path-missing"),
        (
            "##[warning]Fail to download 'tmppilot.tar.gz/tmppilot.tar.gz', error: Response status code does not indicate success: 404 (Not Found). (Downloader 0)",
            "actions-artifact-download-failed",
        ),
        (
            "##[debug]Failed to download artifact after 5 retries due to Not a valid zip file. Retrying in 5 seconds...",
            "actions-artifact-download-failed",
        ),
        (
            "Warning: Failed to download artifact after 5 retries due to read ECONNRESET. Retrying in 5 seconds...",
            "actions-artifact-download-failed",
        ),
        ("Error: Artifact download failed after 5 retries.", "actions-artifact-download-failed"),
    ],
)
def test_rule_matches(line: str, rule: str) -> None:
    assert rule in _ids(clean_line(line))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # a file Node could not open is no program it could not start
        (
            "Error: ENOENT: no such file or directory, open '/w/package.json'",
            "node-program-not-found",
        ),
        ("spawn gh EACCES", "node-program-not-found"),
        ("Module not found: electron-builder", "node-program-not-found"),
        ("Test not found: test_x", "node-program-not-found"),
        # a file the job cannot write locally is no remote refusal
        ("cp: cannot create regular file '/usr/x': Permission denied", "remote-login-refused"),
        ("./gradlew: Permission denied", "remote-login-refused"),
        ("Login failed for user 'sa'.", "remote-login-refused"),
        # a file tee reads is not there, or tee is fine and the command before it failed
        ("cat: sizes.csv: No such file or directory", "tee-path-missing"),
        ("tee: /dev/stderr: Permission denied", "tee-path-missing"),
        # an earlier retry of the toolkit's five, and an artifact never uploaded
        (
            "##[debug]Failed to download artifact after 2 retries due to Not a valid zip file. Retrying in 5 seconds...",
            "actions-artifact-download-failed",
        ),
        ("Artifact download completed successfully.", "actions-artifact-download-failed"),
    ],
)
def test_near_misses(line: str, rule: str) -> None:
    assert rule not in _ids(clean_line(line))


def test_spawn_enoent_is_a_missing_program() -> None:
    got = _paste(
        [
            "Run actions4gh/setup-gh@v1.0.2",
            "  with:",
            "    gh-version: latest",
            "node:internal/child_process:286",
            "      const err = new ErrnoException(exitCode, syscall);",
            "                  ^",
            "",
            "Error: Command failed with ENOENT: gh auth login --with-token --hostname github.com",
            "spawn gh ENOENT",
            "    at ChildProcess._handle.onexit (node:internal/child_process:286:19)",
            "  errno: -2,",
            "  code: 'ENOENT',",
        ]
    )
    assert got.category == "dependency_install"
    texts = [k.text for k in got.key_lines]
    assert "spawn gh ENOENT" in texts
    assert any(t.startswith("Error: Command failed with ENOENT:") for t in texts)


def test_npx_no_install_not_found() -> None:
    got = _paste(
        [
            "Building and releasing the Electron app…",
            "not found: electron-builder",
            "/home/runner/work/_actions/o/a/v1/index.js:144",
            "\t\t\t\tthrow err;",
            "",
            "Error: Command failed: npx --no-install electron-builder --linux --publish always ",
            "    at checkExecSyncError (child_process.js:621:11)",
            "  status: 127,",
            "}",
        ]
    )
    assert got.category == "dependency_install"
    texts = [k.text for k in got.key_lines]
    assert "not found: electron-builder" in texts
    assert any(t.startswith("Error: Command failed: npx") for t in texts)


def test_ssh_refused_key_is_the_remote() -> None:
    got = _paste(
        [
            "Run dep deploy sandbox -vvv",
            "➤ Executing task deploy:prepare",
            "[sandbox] > echo $0",
            "[sandbox] < ssh multiplexing initialization",
            "[sandbox] < Permission denied, please try again.",
            "[sandbox] < Permission denied, please try again.",
            "[sandbox] < runner@192.0.2.7: Permission denied (publickey,password).",
        ]
    )
    assert got.category == "infra_network"
    assert not got.retryable
    assert any("Permission denied (publickey,password)." in k.text for k in got.key_lines)


def test_tee_into_a_missing_directory_is_the_script() -> None:
    got = _paste(
        [
            "$ redis-cli -u $REDIS_URI --raw lrange $KEY 0 -1 | tee $KEY.csv",
            "tee: 'app::feature/x::sizes.csv': No such file or directory",
            "contract-terminate, 19.86, 1.532",
        ]
    )
    assert got.category == "build"


def test_artifact_download_retries_are_the_service() -> None:
    got = _paste(
        [
            "Artifact download completed successfully.",
            *(
                f"##[debug]Failed to download artifact after {n} retries due to Not a valid zip file. Retrying in 5 seconds..."
                for n in (1, 2, 3, 4, 5)
            ),
        ]
    )
    assert got.category == "infra_network"
    assert got.retryable
    assert any("after 5 retries" in k.text for k in got.key_lines)


def test_coveralls_lcov_parse_error_names_the_file() -> None:
    got = _paste(
        [
            "Run coverallsapp/github-action@master",
            "  with:",
            "    path-to-lcov: ./coverage/lcov.info",
            "Using lcov file: ./coverage/lcov.info",
            """Error:  "2021-11-02T18:50:47.405Z"  'error from lcovParse: ' 'Failed to parse string'""",
            """Error:  "2021-11-02T18:50:47.405Z"  'input: ' '{"commit_sha": "5de684f", "source_files": [""",
        ]
    )
    assert got.category == "build"
    texts = [k.text for k in got.key_lines]
    assert "Using lcov file: ./coverage/lcov.info" in texts
    assert any("'error from lcovParse: '" in t for t in texts)


def test_using_lcov_file_alone_says_nothing() -> None:
    assert "coveralls-lcov-parse-error" not in [
        k.rule
        for k in _paste(
            [
                "Using lcov file: ./coverage/lcov.info",
                "Error: Bad response: 422 Couldn't find a repository matching this job.",
            ]
        ).key_lines
    ]


# ---- the scorer and the no-rule fallback (bot.diagnose.syserrors) ----------------------


@pytest.mark.parametrize(
    "line",
    [
        "spawn gh ENOENT",
        "spawnSync /usr/bin/git EACCES",
        "connect ECONNREFUSED 127.0.0.1:5432",
        "getaddrinfo ENOTFOUND registry.npmjs.org",
        "read ECONNRESET",
        "listen EADDRINUSE: address already in use :::3000",
    ],
)
def test_node_system_error_is_an_error_line(line: str) -> None:
    assert error_score(line) >= GENERIC_MIN_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "  code: 'ENOENT',",
        "  syscall: 'spawn gh',",
        "ENOENT handling is covered by test_spawn.js",
        "read the ENOENT section of the docs",
    ],
)
def test_node_error_fields_are_not(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


def test_bad_credentials_name_a_cause() -> None:
    assert error_score("[ERROR] create commit record: bad project credentials") >= 5
    assert error_score("[ERROR] create commit record: good") < 5


@pytest.mark.parametrize(
    ("lines", "category"),
    [
        (
            ["Error: spawn node-gyp ENOENT", "error Command failed with exit code 1."],
            "dependency_install",
        ),
        (
            [
                "Error: Command failed with ENOENT: gh auth login --with-token",
                "spawn gh ENOENT",
                "    at ChildProcess._handle.onexit (node:internal/child_process:286:19)",
            ],
            "dependency_install",
        ),
        (
            [
                "Error:  create commit record: bad project credentials",
                "Error:  Failed to create commit record",
                "Error: Failed to generate report",
            ],
            "infra_network",
        ),
        (
            [
                "Run dep deploy production",
                "[prod] < deploy@192.0.2.7: Permission denied (publickey).",
                "Error: Process completed with exit code 255.",
            ],
            "infra_network",
        ),
        (
            [
                "Unable to find image 'appropriate/curl:latest' locally",
                'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": EOF.',
                "See 'docker run --help'.",
            ],
            "infra_network",
        ),
    ],
)
def test_fallback_reads_the_cause(lines: list[str], category: str) -> None:
    assert _bare(lines).category == category


@pytest.mark.parametrize(
    ("line", "missing", "refused"),
    [
        ("Error: spawn node-gyp ENOENT", True, False),
        ("not found: electron-builder", True, False),
        ("Error: spawn /usr/bin/git EACCES", False, False),
        ("Error: ENOENT: no such file or directory, open 'x.json'", False, False),
        ("Module not found: electron-builder", False, False),
        ("git@github.com: Permission denied (publickey).", False, True),
        ("Error: Bad credentials", False, True),
        ("cp: cannot open 'x': Permission denied", False, False),
        ("Login failed for user 'sa'.", False, False),
        ("test_login_with_invalid_password PASSED", False, False),
    ],
)
def test_shapes(line: str, missing: bool, refused: bool) -> None:
    assert bool(MISSING_PROGRAM.search(line)) is missing
    assert bool(CREDENTIALS_REFUSED.search(line)) is refused
