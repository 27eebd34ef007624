"""`/fix` end to end: the real app, the fake GitHub, real git over smart HTTP, real formatters."""

from __future__ import annotations

import shutil

import pytest

from tests.fix.gitrepo import BLACK, RUFF, job_log, tool_cache
from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world
from tests.rebase_service_helpers import (
    add_pull,
    bot_comments,
    branch_sha,
    commit,
    deliver,
    log_of,
    sync_pull_refs,
)

REPO = "octo-org/widgets"
UGLY = 'x = {  "a":1 }\n'
PRETTY = 'x = {"a": 1}\n'
RUFF_LOG = job_log(
    "ruff format --check src",
    ["Would reformat: src/a.py", "1 file would be reformatted, 2 files already formatted"],
)
PYPROJECT = (
    f'[project]\nname = "w"\n[dependency-groups]\nlint = ["ruff=={RUFF}", "black=={BLACK}"]\n'
)


@pytest.fixture
async def setup(app_client, settings_factory, fake_github, app_key, monkeypatch):
    monkeypatch.setenv("PITCREW_FIX_TOOLS", str(tool_cache().root))  # tools install once per run
    world(fake_github, REPO, with_git=True)
    commit(fake_github, REPO, "main", {"pyproject.toml": PYPROJECT, "src/b.py": "y = 2\n"}, "init")

    async def start(config: str | None = None):
        if config is not None:
            commit(fake_github, REPO, "main", {".github/pitcrew.yml": config}, "config")
        settings = pitcrew_settings(settings_factory, fake_github, app_key)
        return await app_client(settings, policy=FAST_POLICY)

    return start


def failing_job(fake, number: int, log: str, name: str = "lint") -> dict:
    pr = fake.pull(REPO, number)
    run = fake.add_workflow_run(
        REPO,
        head_sha=pr["head"]["sha"],
        head_branch=pr["head"]["ref"],
        event="pull_request",
        status="completed",
        conclusion="failure",
        pull_requests=[number],
    )
    return fake.add_job(
        run["id"], name, "failure", steps=["Set up job", ("Run x", "failure")], log=log
    )


async def fix(client, fake, number: int, body: str = "/fix", login: str = "paula") -> dict:
    payload = comment_event(fake, REPO, number, body, login=login)
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=120)
    return payload


def read(fake, ref: str, path: str) -> str:
    return fake.state.get_repo(REPO).git.git("show", f"{ref}:{path}")


async def test_fix_pushes_ruff_formatting_as_one_commit_on_the_head(setup, fake_github):
    add_pull(fake_github, REPO, 1, "feature", {"src/a.py": UGLY}, user_login="paula")
    head = branch_sha(fake_github, REPO, "feature")
    failing_job(fake_github, 1, RUFF_LOG)
    client = await setup()
    payload = await fix(client, fake_github, 1)
    new = branch_sha(fake_github, REPO, "feature")
    git = fake_github.state.get_repo(REPO).git
    assert git.commit_info(new).parents == [head]  # a fast-forward: one commit on the head
    assert log_of(fake_github, REPO, "feature", 1) == ["Apply ruff formatting"]
    assert read(fake_github, new, "src/a.py") == PRETTY
    assert git.git("diff", "--name-only", head, new).split() == ["src/a.py"]
    [push] = fake_github.pushes(REPO)
    assert push.token and push.installation_id == 77  # the installation token: CI runs again
    [report] = bot_comments(fake_github, REPO, 1, kind="fix")
    body = report["body"]
    assert f"`ruff` {RUFF}" in body and "`src/a.py`" in body
    assert f"Pushed {new} to `feature` on top of {head[:12]}" in body
    assert "requested by @paula with `/fix`" in body
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "rocket"]


async def test_fix_pushes_black_formatting(setup, fake_github):
    add_pull(
        fake_github, REPO, 2, "blk", {"app.py": "def f( x ):\n  return x\n"}, user_login="paula"
    )
    failing_job(
        fake_github, 2, job_log("black --check .", ["would reformat app.py", "Oh no! 💥 💔 💥"])
    )
    client = await setup()
    await fix(client, fake_github, 2, login="alice")  # write access, not the author
    new = branch_sha(fake_github, REPO, "blk")
    assert read(fake_github, new, "app.py") == "def f(x):\n    return x\n"
    assert log_of(fake_github, REPO, "blk", 1) == ["Apply black formatting"]
    [report] = bot_comments(fake_github, REPO, 2, kind="fix")
    assert f"`black` {BLACK}" in report["body"]


@pytest.mark.skipif(shutil.which("gofmt") is None, reason="no Go toolchain")
async def test_fix_pushes_gofmt_formatting(setup, fake_github):
    add_pull(
        fake_github, REPO, 3, "go", {"main.go": "package main\nfunc main() {\nprintln(1)\n}\n"}
    )
    failing_job(fake_github, 3, job_log('test -z "$(gofmt -l .)"', ["main.go"]))
    client = await setup()
    await fix(client, fake_github, 3, login="alice")
    new = branch_sha(fake_github, REPO, "go")
    assert read(fake_github, new, "main.go") == "package main\n\nfunc main() {\n\tprintln(1)\n}\n"
    assert log_of(fake_github, REPO, "go", 1) == ["Apply gofmt formatting"]


async def test_a_code_loading_prettier_config_is_refused_with_the_local_command(setup, fake_github):
    files = {"web/a.js": "x =  1\n", "prettier.config.js": "module.exports = {plugins: []}\n"}
    add_pull(fake_github, REPO, 4, "js", files, user_login="paula")
    head = branch_sha(fake_github, REPO, "js")
    log = job_log(
        "npx prettier --check web",
        ["[warn] web/a.js", "[warn] Code style issues found in the above file."],
    )
    failing_job(fake_github, 4, log)
    client = await setup()
    payload = await fix(client, fake_github, 4)
    assert branch_sha(fake_github, REPO, "js") == head
    assert fake_github.pushes(REPO) == []
    [report] = bot_comments(fake_github, REPO, 4, kind="fix")
    assert "did not push" in report["body"]
    assert "`prettier.config.js` is JavaScript and can run code" in report["body"]
    assert "prettier --write web/a.js" in report["body"]  # the command to run locally
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]


async def test_an_author_commit_during_the_fix_is_never_overwritten(
    setup, fake_github, monkeypatch
):
    from tests.fakegithub import githttp

    add_pull(fake_github, REPO, 5, "racy", {"src/a.py": UGLY}, user_login="paula")
    read_head = branch_sha(fake_github, REPO, "racy")
    failing_job(fake_github, 5, RUFF_LOG)
    client = await setup()
    real_backend = githttp._run_backend
    moved: list[str] = []

    async def author_pushes_first(request, path, tail, record):
        if record.service == "git-receive-pack" and not moved:
            moved.append(
                commit(fake_github, REPO, "racy", {"src/c.py": "z = 3\n"}, "author's work")
            )
        return await real_backend(request, path, tail, record)

    monkeypatch.setattr(githttp, "_run_backend", author_pushes_first)
    await fix(client, fake_github, 5)
    assert moved, "Pitcrew never tried to push"
    assert branch_sha(fake_github, REPO, "racy") == moved[0]  # the author's commit survived
    assert fake_github.state.get_repo(REPO).git.commit_info(moved[0]).parents == [read_head]
    assert fake_github.pushes(REPO) == []  # the lease refused before anything was sent
    [report] = bot_comments(fake_github, REPO, 5, kind="fix")
    assert "did not push" in report["body"] and "your new commit is intact" in report["body"]
    assert f"`{read_head[:12]}`" in report["body"]


async def test_fork_without_maintainer_edits_gets_nothing_pushed(setup, fake_github):
    add_pull(
        fake_github,
        REPO,
        6,
        "fork-fmt",
        {"src/a.py": UGLY},
        user_login="fred",
        fork=True,
        maintainer_can_modify=False,
    )
    failing_job(fake_github, 6, RUFF_LOG)
    client = await setup()
    await fix(client, fake_github, 6, login="fred")
    assert fake_github.pushes() == []
    [report] = bot_comments(fake_github, REPO, 6, kind="fix")
    assert "does not allow edits by maintainers" in report["body"]


async def test_diagnosis_comment_offers_fix_and_auto_fix_pushes(setup, fake_github):
    from tests.test_ci_failures_service import job_event, send

    add_pull(fake_github, REPO, 7, "auto", {"src/a.py": UGLY}, user_login="paula")
    head = branch_sha(fake_github, REPO, "auto")
    job = failing_job(fake_github, 7, RUFF_LOG)
    client = await setup("fix:\n  auto: true\n")
    await send(client, "workflow_job", job_event(fake_github, job))
    await drain(client, timeout=120)
    [diagnosis] = bot_comments(fake_github, REPO, 7, kind="diagnosis")
    assert "Pitcrew can apply `ruff format` for you: comment `/fix`." in diagnosis["body"]
    new = branch_sha(fake_github, REPO, "auto")
    assert new != head and log_of(fake_github, REPO, "auto", 1) == ["Apply ruff formatting"]
    [report] = bot_comments(fake_github, REPO, 7, kind="fix")
    assert "`fix.auto` is on" in report["body"]
    # a redelivery of the same failure does not fix again
    await send(client, "workflow_job", job_event(fake_github, job), "again")
    assert len(fake_github.pushes(REPO)) == 1


async def test_without_fix_auto_the_failure_is_only_offered(setup, fake_github):
    from tests.test_ci_failures_service import job_event, send

    add_pull(fake_github, REPO, 8, "offer", {"src/a.py": UGLY}, user_login="paula")
    job = failing_job(fake_github, 8, RUFF_LOG)
    client = await setup()
    await send(client, "workflow_job", job_event(fake_github, job))
    [diagnosis] = bot_comments(fake_github, REPO, 8, kind="diagnosis")
    assert "comment `/fix`" in diagnosis["body"]
    assert fake_github.pushes(REPO) == []


async def test_fix_workflows_pushes_the_optimizer_safe_edits(setup, fake_github):
    workflow = (
        "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - uses: actions/checkout@v2\n      - run: echo "::set-output name=x::1"\n'
    )
    add_pull(fake_github, REPO, 9, "wf", {".github/workflows/ci.yml": workflow}, user_login="paula")
    head = branch_sha(fake_github, REPO, "wf")
    client = await setup()
    await fix(client, fake_github, 9, "/fix workflows")
    new = branch_sha(fake_github, REPO, "wf")
    assert fake_github.state.get_repo(REPO).git.commit_info(new).parents == [head]
    text = read(fake_github, new, ".github/workflows/ci.yml")
    assert "actions/checkout@v2" not in text and "actions/checkout@v" in text
    assert 'echo "x=1" >> "$GITHUB_OUTPUT"' in text
    [report] = bot_comments(fake_github, REPO, 9, kind="fix")
    assert "`.github/workflows/ci.yml`" in report["body"]


async def test_no_formatting_failure_means_nothing_pushed(setup, fake_github):
    add_pull(fake_github, REPO, 10, "tests", {"src/a.py": UGLY}, user_login="paula")
    failing_job(
        fake_github,
        10,
        job_log("pytest -q", ["FAILED tests/test_a.py::test_x - assert 1 == 2", "1 failed"]),
    )
    client = await setup()
    await fix(client, fake_github, 10)
    assert fake_github.pushes(REPO) == []
    [report] = bot_comments(fake_github, REPO, 10, kind="fix")
    assert "no failing job on the head commit failed on formatting" in report["body"]


def commit_tree(fake, branch: str, entries: list[tuple[str, str, bytes]], message: str) -> str:
    """A commit on ``branch`` with (mode, path, content) entries — symlinks included."""
    git = fake.state.get_repo(REPO).git
    parent = git.resolve(branch)
    env = {"GIT_INDEX_FILE": str(git.path / "pitcrew-test-index")}
    git.git("read-tree", parent, env=env)
    for mode, path, data in entries:
        if mode == "0":  # delete
            info = f"0 {'0' * 40}\t{path}\n".encode()
            git.git("update-index", "--index-info", input=info, env=env)
            continue
        blob = git.git("hash-object", "-w", "--stdin", input=data).strip()
        git.git("update-index", "--add", "--cacheinfo", f"{mode},{blob},{path}", env=env)
    tree = git.git("write-tree", env=env).strip()
    (git.path / "pitcrew-test-index").unlink()
    ident = {"GIT_AUTHOR_NAME": "Paula", "GIT_AUTHOR_EMAIL": "p@example.com"}
    ident |= {"GIT_COMMITTER_NAME": "Paula", "GIT_COMMITTER_EMAIL": "p@example.com"}
    sha = git.git("commit-tree", tree, "-p", parent, "-m", message, env=ident).strip()
    git.set_ref(branch, sha)
    sync_pull_refs(fake, REPO)
    return sha


async def test_a_pr_deleting_the_formatter_config_is_refused(setup, fake_github):
    commit(fake_github, REPO, "main", {".clang-format": "BasedOnStyle: Google\n"}, "style")
    add_pull(fake_github, REPO, 11, "nostyle", {"a.c": "int  x;\n"})
    commit_tree(fake_github, "nostyle", [("0", ".clang-format", b"")], "drop the style")
    head = branch_sha(fake_github, REPO, "nostyle")
    log = job_log(
        "clang-format --dry-run -Werror a.c",
        ["a.c:1:4: error: code should be clang-formatted [-Wclang-format-violations]"],
    )
    failing_job(fake_github, 11, log)
    client = await setup()
    await fix(client, fake_github, 11, login="alice")
    assert branch_sha(fake_github, REPO, "nostyle") == head and fake_github.pushes(REPO) == []
    [report] = bot_comments(fake_github, REPO, 11, kind="fix")
    assert "this PR deletes `.clang-format`" in report["body"]


async def test_a_binary_file_the_formatter_chokes_on_pushes_nothing(setup, fake_github):
    add_pull(fake_github, REPO, 12, "bin", {"src/a.py": UGLY})
    commit_tree(fake_github, "bin", [("100644", "src/bin.py", b"\x00\xff binary (\n")], "bin")
    head = branch_sha(fake_github, REPO, "bin")
    log = job_log(
        "ruff format --check src", ["Would reformat: src/a.py", "Would reformat: src/bin.py"]
    )
    failing_job(fake_github, 12, log)
    client = await setup()
    await fix(client, fake_github, 12, login="alice")
    assert branch_sha(fake_github, REPO, "bin") == head and fake_github.pushes(REPO) == []
    [report] = bot_comments(fake_github, REPO, 12, kind="fix")
    assert "`failed`" in report["body"] and "exited 2" in report["body"]


async def test_a_symlink_to_etc_is_skipped_and_kept(setup, fake_github):
    add_pull(fake_github, REPO, 13, "links", {"src/a.py": UGLY})
    commit_tree(fake_github, "links", [("120000", "src/passwd.py", b"/etc/passwd")], "link")
    head = branch_sha(fake_github, REPO, "links")
    log = job_log(
        "ruff format --check .", ["Would reformat: src/a.py", "Would reformat: src/passwd.py"]
    )
    failing_job(fake_github, 13, log)
    client = await setup()
    await fix(client, fake_github, 13, login="alice")
    new = branch_sha(fake_github, REPO, "links")
    git = fake_github.state.get_repo(REPO).git
    assert git.git("diff", "--name-only", head, new).split() == ["src/a.py"]
    assert git.git("ls-tree", new, "src/passwd.py").split()[0] == "120000"  # the link as it was
    [report] = bot_comments(fake_github, REPO, 13, kind="fix")
    assert "`src/passwd.py` is a symlink; not formatted" in report["body"]


async def test_a_formatter_that_hangs_is_killed_and_nothing_pushed(
    setup, fake_github, tmp_path, monkeypatch
):
    fake_black = tmp_path / "tools" / "pypi" / "black-99.1" / "bin" / "black"
    fake_black.parent.mkdir(parents=True)
    fake_black.write_text("#!/bin/sh\nsleep 600\n")  # past pytest-timeout if not killed
    fake_black.chmod(0o755)
    monkeypatch.setenv("PITCREW_FIX_TOOLS", str(tmp_path / "tools"))
    monkeypatch.setenv("PITCREW_FIX_TIMEOUT", "1")
    add_pull(
        fake_github, REPO, 14, "hang", {"app.py": "x=1\n", "requirements.txt": "black==99.1\n"}
    )
    head = branch_sha(fake_github, REPO, "hang")
    failing_job(fake_github, 14, job_log("black --check .", ["would reformat app.py"]))
    client = await setup()
    await fix(client, fake_github, 14, login="alice")
    assert branch_sha(fake_github, REPO, "hang") == head and fake_github.pushes(REPO) == []
    [report] = bot_comments(fake_github, REPO, 14, kind="fix")
    assert "did not finish within 1 s" in report["body"]


@pytest.mark.slow
async def test_a_50000_file_repository_stays_bounded(setup, fake_github):
    add_pull(fake_github, REPO, 15, "big", {"src/a.py": UGLY})
    git = fake_github.state.get_repo(REPO).git
    parent = git.resolve("big")
    stream = [b"commit refs/heads/big\n", b"committer P <p@example.com> 1700000000 +0000\n"]
    stream += [b"data 4\nbig\n", b"from %s\n" % parent.encode()]
    stream += [b"M 100644 inline gen/m%d.py\ndata 6\nx = 1\n\n" % i for i in range(50_000)]
    git.git("fast-import", "--quiet", input=b"".join(stream))
    sync_pull_refs(fake_github, REPO)
    failing_job(fake_github, 15, RUFF_LOG)
    client = await setup()
    await fix(client, fake_github, 15, login="alice")
    new = branch_sha(fake_github, REPO, "big")
    assert read(fake_github, new, "src/a.py") == PRETTY
    assert git.git("diff", "--name-only", f"{new}^", new).split() == ["src/a.py"]


async def test_a_whole_tree_walk_fetches_the_blobs_in_one_request(setup, fake_github):
    files = {f"pkg/m{i}.py": f"x={i}\n" for i in range(40)}
    add_pull(fake_github, REPO, 16, "walk", files)
    head = branch_sha(fake_github, REPO, "walk")
    failing_job(fake_github, 16, job_log("black --check pkg", ["Oh no! 💥 💔 💥"]))
    client = await setup()
    await fix(client, fake_github, 16, login="alice")
    new = branch_sha(fake_github, REPO, "walk")
    git = fake_github.state.get_repo(REPO).git
    assert len(git.git("diff", "--name-only", head, new).split()) == 40
    fetches = [
        r for r in fake_github.git_requests if r.service == "git-upload-pack" and r.method == "POST"
    ]
    assert len(fetches) <= 6  # clone, PR ref fetch, one batch of blobs — not one per file


async def test_a_queued_auto_fix_for_an_old_head_does_nothing(setup, fake_github):
    import json

    from bot.appkeys import QUEUE
    from bot.fix import AUTO_FIX_EVENT
    from tests.helpers import INSTALLATION, repo_json

    add_pull(fake_github, REPO, 17, "stale", {"src/a.py": UGLY}, user_login="paula")
    old = branch_sha(fake_github, REPO, "stale")
    failing_job(fake_github, 17, RUFF_LOG)
    commit(fake_github, REPO, "stale", {"src/a.py": PRETTY}, "author fixed it")
    client = await setup("fix:\n  auto: true\n")
    body = {
        "action": "auto",
        "repository": repo_json(fake_github, REPO),
        "installation": {"id": INSTALLATION},
        "number": 17,
        "head_sha": old,
    }
    await client.app[QUEUE].enqueue(
        delivery_id="fix:stale",
        event=AUTO_FIX_EVENT,
        action="auto",
        key=REPO,
        body=json.dumps(body).encode(),
    )
    await drain(client, timeout=60)
    assert fake_github.pushes(REPO) == []
    assert bot_comments(fake_github, REPO, 17, kind="fix") == []
    jobs = await client.app[QUEUE].list_jobs()
    assert [j.status for j in jobs if j.event == AUTO_FIX_EVENT] == ["done"]
