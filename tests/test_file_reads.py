"""Config and file reads never stop a feature: every way the contents API can hand back
something that is not a readable text file, against the fake GitHub.

The broken answers (bad Base64, binary, symlink and submodule entries) are GitHub's own shapes
served through the fake's fault switch with status 200; the > 1 MB file is a real file the fake
answers with an empty ``content`` and ``encoding: none``, as GitHub does.
"""

from __future__ import annotations

import base64
import json

import pytest

from bot import github
from bot.appkeys import CTX
from tests.conftest import delivery_headers
from tests.helpers import FAST_POLICY, INSTALLATION, comment_event, drain, pitcrew_settings, world
from tests.test_config_reach import push_config

REPO = "octo-org/widgets"
CONFIG = "/repos/octo-org/widgets/contents/.github/pitcrew.yml"


def entry(**fields) -> dict:
    base = {
        "name": "pitcrew.yml",
        "path": ".github/pitcrew.yml",
        "sha": "3d21ec53a331a6f037a91c368710b99387d012c1",
        "size": 20,
        "url": "https://api.github.com/repos/octo-org/widgets/contents/.github/pitcrew.yml",
        "html_url": None,
        "git_url": None,
        "download_url": None,
        "_links": {"self": "x", "git": None, "html": None},
    }
    return {**base, **fields}


BROKEN = {
    "bad base64": entry(type="file", encoding="base64", content="!!not base64!!"),
    "binary": entry(
        type="file", encoding="base64", content=base64.b64encode(b"\x89PNG\r\n\x1a\n\0\0").decode()
    ),
    "not utf-8": entry(
        type="file", encoding="base64", content=base64.b64encode(b"\xff\xfe").decode()
    ),
    "symlink": entry(type="symlink", target="../elsewhere.yml"),
    "submodule": entry(type="submodule", submodule_git_url="git://example.com/x.git"),
}


@pytest.fixture
async def pitcrew(app_client, settings_factory, fake_github, app_key):
    world(fake_github)
    fake_github.add_pull(REPO, 1, head_ref="feature")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    return await app_client(settings, policy=FAST_POLICY)


@pytest.mark.parametrize("case", sorted(BROKEN))
async def test_an_unreadable_config_counts_as_missing_and_is_reported(pitcrew, fake_github, case):
    fake_github.inject("GET", CONFIG, status=200, body=BROKEN[case], times=None)
    gh = pitcrew.app[CTX].github.for_installation(INSTALLATION)
    config = await pitcrew.app[CTX].config_loader.load(gh, "octo-org", "widgets")
    assert config["rebase"]["label"] == "autorebase"  # the built-in defaults
    [problem] = config.problems
    assert "cannot be read" in problem.message
    # a feature that reads the config still runs: /help answers
    payload = comment_event(fake_github, REPO, 1, "/help")
    body = json.dumps(payload).encode()
    resp = await pitcrew.post(
        "/webhook", data=body, headers=delivery_headers("issue_comment", body)
    )
    assert resp.status == 202
    await drain(pitcrew)
    assert await pitcrew.app[queue_key()].list_jobs("dead") == []
    assert any(c["user"]["login"] == "pitcrew[bot]" for c in fake_github.comments(REPO, 1))


def queue_key():
    from bot.appkeys import QUEUE

    return QUEUE


async def test_the_config_check_run_says_the_file_is_unreadable(pitcrew, fake_github):
    fake_github.inject("GET", "/repos/octo-org/widgets/contents/*", status=200,
                       body=BROKEN["symlink"], times=None)  # fmt: skip
    run = await push_config(pitcrew, fake_github, REPO, "rebase: {}\n")
    assert run["conclusion"] == "failure"
    assert "symlink entry" in run["output"]["summary"]


async def test_a_config_over_1_mb_is_read_through_the_raw_media_type(pitcrew, fake_github):
    text = "rebase:\n  label: big-label\n" + "# padding\n" * 120_000  # ~1.2 MB
    fake_github.add_file(REPO, ".github/pitcrew.yml", text)
    gh = pitcrew.app[CTX].github.for_installation(INSTALLATION)
    assert await github.get_file(gh, "octo-org", "widgets", ".github/pitcrew.yml") == text
    [_plain, raw] = fake_github.calls_to("GET", CONFIG)
    assert "vnd.github.raw" in raw.headers.get("Accept", "")
    config = await pitcrew.app[CTX].config_loader.load(gh, "octo-org", "widgets")
    assert config["rebase"]["label"] == "big-label" and config.problems == []


async def test_a_missing_file_is_none_and_a_directory_is_unreadable(pitcrew, fake_github):
    gh = pitcrew.app[CTX].github.for_installation(INSTALLATION)
    assert await github.get_file(gh, "octo-org", "widgets", "nope.yml") is None
    fake_github.add_file(REPO, "docs/a.md", "a")
    with pytest.raises(github.FileUnreadable, match="directory"):
        await github.get_file(gh, "octo-org", "widgets", "docs")


async def test_an_unreadable_workflow_file_is_reported_not_fatal(pitcrew, fake_github):
    from bot.features.workflows import read_files

    fake_github.add_file(REPO, ".github/workflows/ci.yml", "on: push\n")
    fake_github.add_file(REPO, ".github/workflows/logo.yml", b"\0\x01binary")
    gh = pitcrew.app[CTX].github.for_installation(INSTALLATION)
    unreadable: dict[str, str] = {}
    files = await read_files(gh, "octo-org", "widgets",
                             [".github/workflows/ci.yml", ".github/workflows/logo.yml"], "main",
                             unreadable)  # fmt: skip
    assert files == {".github/workflows/ci.yml": "on: push\n"}
    assert "binary" in unreadable[".github/workflows/logo.yml"]
