"""The CI machinery's own failures (``infra_runner``): a runner, agent or container engine
that failed the job, not the project's code (rules ``container-daemon-unreachable``,
``ci-agent-lost``, ``ci-runner-unfit``, and new patterns of ``checkout-ref-missing`` and
``github-token-permission``; entries in ``knowledge/k11.yml``).

Each message is copied from the service's or tool's source or docs:

- actions/checkout ``src/ref-helper.ts`` (``A branch or tag with the name '…' could not be
  found``) and ``src/git-command-manager.ts`` (``Minimum required git version is …``);
- actions/toolkit ``packages/io/src/io.ts`` rmRF (``File was unable to be removed …``) and
  ``packages/core/src/oidc-utils.ts`` (``Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env
  variable``);
- actions/runner ``src/Runner.Worker/ContainerOperationProvider.cs`` (``Container operations
  are only supported on Linux runners``), ``src/Runner.Listener`` (``Runner version … is
  deprecated and cannot receive messages``) and ``src/Runner.Worker/Handlers`` (a container
  job runs JavaScript actions with the runner's Node at ``/__e/node20``, which needs a newer
  glibc than old images have: ``version `GLIBC_2.28' not found``);
- docker/cli ``cli/command/cli.go`` (``permission denied while trying to connect to the
  Docker daemon socket``, ``error during connect: This error may indicate that the docker
  daemon is not running``), containers/podman ``pkg/bindings/connection.go`` (``cannot
  connect to Podman``), docker/buildx (``failed to receive status: rpc error: code =
  Unavailable desc = error reading from server: EOF``);
- GitLab Runner ``common/build.go`` (``Job failed: prepare environment:``) and its fetch of
  ``refs/pipelines/<id>``;
- Jenkins remoting/workflow-durable-task-step (``Backing channel '…' is disconnected.``,
  ``Agent went offline during the build``), durable-task ``FileMonitoringTask.java``
  (``wrapper script does not seem to be touching the log file``), git-plugin ``GitSCM.java``
  (``Couldn't find any revision to build``);
- Buildkite (``Exited with status -1 (agent lost)``, https://buildkite.com/docs/agent/v3),
  Cirrus CI (``CI agent stopped responding!``, https://cirrus-ci.org/faq/).
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.logreader import text_source
from tests.diagnose.joblogs import actions_job


def _plain(lines: list[str]) -> Diagnosis:
    return diagnose(text_source("\n".join(lines) + "\n"))


def _actions(command: str, lines: list[str], code: int = 1) -> Diagnosis:
    log: io.BytesIO = actions_job(command, lines, code)
    return diagnose(log.getvalue())


def _assert_runner(result: Diagnosis, message: str) -> None:
    texts = [k.text.strip() for k in result.key_lines]
    assert result.category == "infra_runner", (result.category, result.rule, texts)
    assert any(message in t for t in texts), texts


DOCKER_PERMISSION = (
    "permission denied while trying to connect to the Docker daemon socket at "
    'unix:///var/run/docker.sock: Head "http://%2Fvar%2Frun%2Fdocker.sock/_ping": '
    "dial unix /var/run/docker.sock: connect: permission denied"
)
DOCKER_WINDOWS = (
    "error during connect: This error may indicate that the docker daemon is not running.: "
    'Get "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/version": open //./pipe/docker_engine: '
    "The system cannot find the file specified."
)
PODMAN = (
    "Error: cannot connect to Podman. Please verify your connection to the Linux system using "
    "`podman system connection list`, or try `podman machine init` and `podman machine start` "
    "to manage a new Linux VM"
)
BUILDKIT_EOF = (
    "ERROR: failed to receive status: rpc error: code = Unavailable desc = "
    "error reading from server: EOF"
)

ACTIONS_CASES = [
    ("docker build -t app:ci .", ["#1 [internal] load build definition", DOCKER_PERMISSION]),
    ("docker build -t app:ci .", [DOCKER_WINDOWS]),
    ("podman build -t app .", [PODMAN]),
    ("docker buildx build --load -t app .", ["#12 [build 4/6] RUN make -j4", BUILDKIT_EOF]),
    (
        "actions/checkout@v4",
        [
            "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --depth=1 "
            "origin +refs/heads/feature/login*:refs/remotes/origin/feature/login*",
            "The process '/usr/bin/git' failed with exit code 1",
            "##[error]A branch or tag with the name 'feature/login' could not be found",
        ],
    ),
    (
        "actions/checkout@v4",
        [
            "Error: fatal: remote error: upload-pack: not our ref "
            "3f9c2a1d8e7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
            "##[error]The process '/usr/bin/git' failed with exit code 128",
        ],
    ),
    (
        "actions/checkout@v4",
        [
            "Deleting the contents of '/home/ci/actions-runner/_work/app/app'",
            "##[error]File was unable to be removed Error: EACCES: permission denied, unlink "
            "'/home/ci/actions-runner/_work/app/app/build/report.xml'",
        ],
    ),
    (
        "actions/checkout@v4",
        [
            "[command]/usr/bin/git version",
            "git version 2.17.1",
            "##[error]Minimum required git version is 2.18. Your git ('/usr/bin/git') is 2.17.1",
        ],
    ),
    (
        "Initialize containers",
        ["##[error]Container operations are only supported on Linux runners"],
    ),
    (
        "actions/checkout@v4",
        [
            "/__e/node20/bin/node: /lib64/libm.so.6: version `GLIBC_2.27' not found "
            "(required by /__e/node20/bin/node)",
            "/__e/node20/bin/node: /lib64/libc.so.6: version `GLIBC_2.28' not found "
            "(required by /__e/node20/bin/node)",
        ],
    ),
    (
        "aws-actions/configure-aws-credentials@v4",
        ["Error: Error message: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable"],
    ),
]


@pytest.mark.parametrize(("command", "lines"), ACTIONS_CASES)
def test_a_github_actions_machinery_failure_is_infra_runner(command: str, lines: list[str]) -> None:
    message = lines[-1].removeprefix("##[error]").removeprefix("Error: ")
    _assert_runner(_actions(command, lines), message[:60])


def test_gitlab_runner_prepare_environment_and_a_pipeline_ref_gone() -> None:
    prepare = (
        "ERROR: Job failed: prepare environment: exit status 1. Check "
        "https://docs.gitlab.com/runner/shells/index.html#shell-profile-loading "
        "for more information"
    )
    head = ["Running with gitlab-runner 16.10.0 (81ab07f6)", "  on shell-runner-2 qwer5678"]
    _assert_runner(
        _plain([*head, 'Preparing the "shell" executor', "Preparing environment", prepare]),
        "Job failed: prepare environment:",
    )
    missing = "fatal: couldn't find remote ref refs/pipelines/1184467230"
    log = [
        *head,
        "Getting source from Git repository",
        "Fetching changes with git depth set to 20...",
        "Reinitialized existing Git repository in /builds/acme/app/.git/",
        missing,
        "ERROR: Job failed: exit code 1",
    ]
    _assert_runner(_plain(log), missing)


def test_jenkins_agent_lost_and_a_branch_with_no_revision() -> None:
    lost = "Cannot contact agent-7: java.io.IOException: Backing channel 'agent-7' is disconnected."
    log = ["[Pipeline] sh", "+ ./gradlew build", lost, "Agent went offline during the build"]
    _assert_runner(_plain([*log, "Finished: FAILURE"]), "Backing channel 'agent-7'")
    wrapper = (
        "wrapper script does not seem to be touching the log file in "
        "/home/jenkins/workspace/app@tmp/durable-4f2a9c1e"
    )
    log = ["[Pipeline] sh", "+ make test", wrapper, "ERROR: script returned exit code -1"]
    _assert_runner(_plain([*log, "Finished: FAILURE"]), "wrapper script does not seem")
    norev = (
        "ERROR: Couldn't find any revision to build. "
        "Verify the repository and branch configuration for this job."
    )
    log = [
        "Fetching upstream changes from https://github.com/acme/app.git",
        " > git rev-parse refs/remotes/origin/feature-x^{commit} # timeout=10",
        norev,
        "Finished: FAILURE",
    ]
    _assert_runner(_plain(log), "Couldn't find any revision to build")


def test_buildkite_and_cirrus_agents_lost() -> None:
    log = [
        "~~~ Running commands",
        "$ make test",
        "go test ./...",
        "Exited with status -1 (agent lost)",
    ]
    _assert_runner(_plain(log), "Exited with status -1 (agent lost)")
    _assert_runner(_plain(["Started 10 minutes ago", "CI agent stopped responding!"]), "CI agent")


# ---- near misses ------------------------------------------------------------------------


def test_a_passing_checkout_and_docker_build_do_not_make_a_test_failure_infra_runner() -> None:
    """The same services' ordinary lines on a run whose own tests failed."""
    lines = [
        "Deleting the contents of '/home/runner/work/app/app'",
        "[command]/usr/bin/git version",
        "git version 2.43.0",
        "#1 [internal] load build definition from Dockerfile",
        "#12 [build 4/6] RUN make -j4",
        "#12 DONE 41.2s",
        "Agent went offline-mode tests: skipped",
        "=================================== FAILURES ===================================",
        "___________________________________ test_add ___________________________________",
        "    def test_add():",
        ">       assert add(2, 2) == 5",
        "E       assert 4 == 5",
        "tests/test_calc.py:3: AssertionError",
        "=========================== short test summary info ============================",
        "FAILED tests/test_calc.py::test_add - assert 4 == 5",
        "========================= 1 failed, 3 passed in 0.12s ==========================",
    ]
    result = _actions("python -m pytest", lines)
    assert result.category == "test_failure", (result.category, result.rule)
    assert result.failing_tests == ["tests/test_calc.py::test_add"]


def test_a_projects_own_error_naming_runner_or_docker_is_not_infra_runner() -> None:
    """A project's test about its own docker client or task runner fails in its own words."""
    lines = [
        "=================================== FAILURES ===================================",
        "_____________________________ test_runner_reconnects ___________________________",
        "E       AssertionError: runner lost connection to the docker daemon mock: "
        "permission denied while connecting",
        "tests/test_runner.py:41: AssertionError",
        "=========================== short test summary info ============================",
        "FAILED tests/test_runner.py::test_runner_reconnects - AssertionError: runner lost",
        "========================= 1 failed, 9 passed in 0.40s ==========================",
    ]
    result = _actions("python -m pytest", lines)
    assert result.category == "test_failure", (result.category, result.rule)
    # git's own test suite checks out short names and HEAD~N, never the CI's full hash
    git_tests = [
        "expecting success of 1400.3 'checkout of a missing commit':",
        "fatal: reference is not a tree: HEAD~3",
        "not ok 3 - checkout of a missing commit",
        "# failed 1 among 3 test(s)",
        "make: *** [Makefile:43: t1400-update-ref.sh] Error 1",
    ]
    result = _actions("make test", git_tests)
    assert result.category != "infra_runner", (result.category, result.rule)
    # Buildkite's ordinary exit line for a command that failed is the command's own failure
    result = _plain(
        ["~~~ Running commands", "$ make lint", "golangci-lint run", "Exited with status 1"]
    )
    assert result.category != "infra_runner", (result.category, result.rule)
