"""A workflow file the contents API does not give as text is shown as unreadable in the
optimizer's review and in its PR and reply, never silently skipped: 404 mid-read, bad Base64,
binary, over the size limit, a symlink or a submodule entry (GitHub's own shapes, served by the
fake's fault switch); a file over 1 MB is read through the raw media type and checked."""

from __future__ import annotations

import pytest

import tests.fakegithub.routes_optimize_extra as fake_extra
from tests.helpers import FAST_POLICY, drain, pitcrew_settings, world
from tests.test_file_reads import BROKEN, entry
from tests.test_optimize_service import (
    CI,
    CI_TEXT,
    REPO,
    deliver,
    optimize_command,
    optimize_prs,
    pr_event,
    replies,
    seed,
    seed_actions,
)

ODD = ".github/workflows/odd.yml"
CONTENTS = f"/repos/{REPO}/contents/{ODD}"
ODD_TEXT = (
    "name: Odd\non: [push]\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ok\n"
)


@pytest.fixture
async def pitcrew(app_client, settings_factory, fake_github, app_key):
    world(fake_github, with_git=True)
    seed_actions(fake_github)
    fake_github.add_issue(REPO, 2)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    return await app_client(settings, policy=FAST_POLICY)


def shaped(answer: dict) -> dict:
    return {**answer, "name": "odd.yml", "path": ODD}


#: case → (how the fake answers the contents read, what the text says about it)
CASES = {
    "404 mid-read": (404, None, "GitHub answered 404"),
    "bad base64": (200, shaped(BROKEN["bad base64"]), "not valid Base64"),
    "binary": (200, shaped(BROKEN["binary"]), "binary"),
    "symlink": (200, shaped(BROKEN["symlink"]), "symlink entry"),
    "submodule": (200, shaped(BROKEN["submodule"]), "submodule entry"),
    "over the size limit": (
        200,
        shaped(entry(type="file", encoding="none", content="", size=11 * 2**20)),
        "larger than 10 MiB",
    ),
}


def break_odd(fake, case: str) -> str:
    status, body, says = CASES[case]
    fake.inject("GET", CONTENTS, status=status, body=body, times=None)
    return says


@pytest.mark.parametrize("case", sorted(CASES))
async def test_the_review_shows_an_unreadable_workflow_file(pitcrew, fake_github, case):
    seed(fake_github, {"requirements.txt": "pytest\n"})
    fake_github.add_pull(REPO, 5, head_ref="add-ci", files={CI: CI_TEXT, ODD: ODD_TEXT})
    says = break_odd(fake_github, case)
    assert await deliver(pitcrew, "pull_request", pr_event(fake_github, 5)) == "queued"
    await drain(pitcrew)
    [review] = fake_extra.reviews(fake_github, REPO, 5)
    [line] = [ln for ln in review["body"].splitlines() if f"`{ODD}`" in ln]
    assert "could not be read" in line and says in line and "not checked" in line
    assert any(c["path"] == CI for c in review["comments"])  # the readable file is reviewed
    # a redelivery brings nothing new: the unreadable note is not posted twice
    assert await deliver(pitcrew, "pull_request", pr_event(fake_github, 5)) == "queued"
    await drain(pitcrew)
    assert len(fake_extra.reviews(fake_github, REPO, 5)) == 1


@pytest.mark.parametrize("case", ["binary", "symlink", "404 mid-read"])
async def test_optimize_shows_an_unreadable_workflow_file_in_its_pr_and_reply(
    pitcrew, fake_github, case
):
    seed(fake_github, {"requirements.txt": "pytest\n", CI: CI_TEXT, ODD: ODD_TEXT})
    says = break_odd(fake_github, case)
    await optimize_command(pitcrew, fake_github)
    [pr] = optimize_prs(fake_github)
    assert "**Not checked**" in pr["body"]
    assert f"`{ODD}`: could not be read (" in pr["body"] and says in pr["body"]
    [reply] = replies(fake_github)
    assert "Could not read:" in reply and f"`{ODD}`: could not be read" in reply


async def test_a_workflow_over_1_mb_is_read_raw_and_checked(pitcrew, fake_github):
    big = ODD_TEXT + "# " + "x" * 1_100_000 + "\n"  # > 1 MB: GitHub answers `encoding: none`
    seed(fake_github, {"requirements.txt": "pytest\n"})
    fake_github.add_pull(REPO, 5, head_ref="add-ci", files={CI: CI_TEXT, ODD: big})
    assert await deliver(pitcrew, "pull_request", pr_event(fake_github, 5)) == "queued"
    await drain(pitcrew, timeout=60)
    [review] = fake_extra.reviews(fake_github, REPO, 5)
    assert "could not be read" not in review["body"]
    assert any(c["path"] == ODD for c in review["comments"])  # checked like any other file
