"""Every command of the registry ends with exactly one 🚀 or 😕 and one reply, whatever fails:
the job dead-letters, GitHub refuses a write (403), the repository's config is invalid; a
rejected push gets its own reply saying what happened and what to do. The real app, the fake
GitHub at HTTP level, real git over smart HTTP."""

from __future__ import annotations

import pytest

from bot.appkeys import QUEUE
from bot.features.registry import FEATURES
from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world
from tests.rebase_service_helpers import add_pull, branch_sha, commit
from tests.test_service_flows import bot_comments, deliver

REPO = "octo-org/widgets"
#: one valid invocation per command (the arguments some of them require)
ARGS = {"label-failure": "lint flaky", "rebase": "", "fix": ""}
COMMANDS = sorted(cmd.name for feature in FEATURES for cmd in feature.commands)
#: the writes a 403 is injected on: all but the command's own reply and its reactions
WRITES_BUT_THE_REPLY = (
    r"^/repos/[^/]+/[^/]+/(?!issues/comments/\d+/reactions$|issues/\d+/comments$"
    r"|issues/comments/\d+$).*"
)
ANSWERS = ("rocket", "confused")


def line(name: str) -> str:
    return f"/{name} {ARGS.get(name, '')}".strip()


@pytest.fixture
async def start(app_client, settings_factory, fake_github, app_key):
    world(fake_github, REPO, with_git=True)
    commit(fake_github, REPO, "main", {"app.py": "print('hi')\n"}, "Add app.py")
    add_pull(fake_github, REPO, 1, "feature", {"feature.txt": "hi\n"}, user_login="alice")

    async def starter(config: str | None = None, **env):
        if config is not None:
            commit(fake_github, REPO, "main", {".github/pitcrew.yml": config}, "config")
        settings = pitcrew_settings(settings_factory, fake_github, app_key, **env)
        return await app_client(settings, policy=FAST_POLICY)

    return starter


def answered_once(fake, payload) -> tuple[str, str]:
    """The one reaction that ends the command and the one reply to its comment."""
    reactions = fake.reactions(payload["comment"]["id"])
    finals = [r for r in reactions if r in ANSWERS]
    assert len(finals) == 1, reactions
    marker = f"pitcrew:reply:{payload['comment']['id']}"
    replies = [c for c in bot_comments(fake, 1) if marker in c["body"]]
    assert len(replies) == 1, [c["body"][:80] for c in bot_comments(fake, 1)]
    return finals[0], replies[0]["body"]


def test_the_matrix_covers_every_command():
    assert {"rebase", "retry", "diagnose", "optimize", "status", "help", "fix"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
async def test_a_command_whose_job_dead_letters_is_answered(start, fake_github, name):
    client = await start(
        PITCREW_MAX_ATTEMPTS="2", PITCREW_RETRY_BASE_S="0.05", PITCREW_OUTAGE_RETRY_S="0"
    )
    # the commenter's role cannot be read: the job fails before the command runs, every time
    fake_github.inject("GET", "/repos/*/collaborators/*/permission", status=502, times=None)
    payload = comment_event(fake_github, REPO, 1, line(name))
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    final, reply = answered_once(fake_github, payload)
    assert final == "confused"
    assert f"`{line(name)}` failed" in reply and "gave up after 2 attempt(s)" in reply
    [job] = await client.app[QUEUE].list_jobs()
    assert job.status == "dead"


@pytest.mark.parametrize("name", COMMANDS)
async def test_a_command_whose_writes_github_refuses_is_answered(start, fake_github, name):
    client = await start()
    fake_github.inject("POST", WRITES_BUT_THE_REPLY, status=403, times=None,
                       body={"message": "Resource not accessible by integration"})  # fmt: skip
    for method in ("PATCH", "PUT", "DELETE"):
        fake_github.inject(method, WRITES_BUT_THE_REPLY, status=403, times=None,
                           body={"message": "Resource not accessible by integration"})  # fmt: skip
    payload = comment_event(fake_github, REPO, 1, line(name))
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=60)
    final, reply = answered_once(fake_github, payload)
    if "GitHub answered 403" in reply:
        assert final == "confused" and "GitHub refused the request" in reply


@pytest.mark.parametrize("name", COMMANDS)
async def test_a_command_in_a_repository_with_invalid_config_is_answered(start, fake_github, name):
    client = await start(config="rebase:\n  auto: [not, a, mode\n")  # not even YAML
    payload = comment_event(fake_github, REPO, 1, line(name))
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=60)
    answered_once(fake_github, payload)
    assert all(job.status == "done" for job in await client.app[QUEUE].list_jobs())


async def test_a_rejected_push_gets_its_own_reply_saying_what_to_do(start, fake_github):
    client = await start()
    commit(fake_github, REPO, "main", {"main.txt": "moved\n"}, "main moves")
    hook = fake_github.state.get_repo(REPO).git.path / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = branch_sha(fake_github, REPO, "feature")
    payload = comment_event(fake_github, REPO, 1, "/rebase")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=60)
    final, reply = answered_once(fake_github, payload)
    assert final == "confused"
    assert "GitHub refused the push to `feature`" in reply and "GH006" in reply
    assert "Nothing was changed" in reply and "comment `/rebase` again" in reply
    assert branch_sha(fake_github, REPO, "feature") == before
    assert len(fake_github.pushes(REPO)) == 1  # reported once, never retried in a loop
    assert all(job.status == "done" for job in await client.app[QUEUE].list_jobs())


async def test_a_rejected_fix_push_gets_its_own_reply_not_the_formatters_reason(start, fake_github):
    workflow = (
        "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v2\n"
    )
    add_pull(fake_github, REPO, 9, "wf", {".github/workflows/ci.yml": workflow}, user_login="alice")
    client = await start()
    hook = fake_github.state.get_repo(REPO).git.path / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH013: Repository rule violations found' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = branch_sha(fake_github, REPO, "wf")
    payload = comment_event(fake_github, REPO, 9, "/fix workflows")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=120)
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]
    marker = f"pitcrew:reply:{payload['comment']['id']}"
    [reply] = [c["body"] for c in fake_github.comments(REPO, 9) if marker in c["body"]]
    assert "GitHub refused the push to `wf`" in reply and "GH013" in reply
    assert "comment `/fix workflows` again" in reply
    assert branch_sha(fake_github, REPO, "wf") == before


async def test_a_write_github_finds_invalid_gets_what_to_do(start, fake_github):
    client = await start()
    fake_github.inject("POST", "/repos/*/check-runs", status=422, times=None,
                       body={"message": "Validation Failed"})  # fmt: skip
    fake_github.inject("POST", "/repos/*/issues", status=422, times=None,
                       body={"message": "Validation Failed"})  # fmt: skip
    payload = comment_event(fake_github, REPO, 1, "/status")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=60)
    final, reply = answered_once(fake_github, payload)
    assert final == "confused"
    assert "GitHub answered 422" in reply and "refused the change as invalid" in reply
    assert all(job.status == "dead" for job in await client.app[QUEUE].list_jobs())
