"""Docker's registry failures: credentials refused, an image or tag that does not exist, a
published port already held on the runner (rules ``docker-registry-auth``,
``docker-image-not-found``, ``docker-base-image-not-found``, ``docker-port-allocated``, and
a pattern of ``network-error``).

Each message is copied from the tool's source:

- containerd ``core/remotes/docker/auth/fetch.go`` / ``authorizer.go`` (``failed to authorize:
  failed to fetch oauth token: unexpected status: 401 Unauthorized``, newer ``unexpected status
  from GET request to <url>: 401 Unauthorized``) and ``remotes/docker/pusher.go`` (``failed to
  push <ref>: unexpected status from POST request to <url>: 403 Forbidden``);
- distribution ``registry/api/errcode/register.go`` (``unauthorized: authentication
  required``, ``denied: requested access to the resource is denied``, ``manifest unknown``);
- moby ``distribution/errors.go`` (``manifest for <ref> not found: manifest unknown``,
  ``pull access denied for <repo>, repository does not exist or may require 'docker login'``)
  and ``libnetwork/portallocator`` (``Bind for 0.0.0.0:5432 failed: port is already
  allocated``);
- buildkit ``frontend/dockerfile/dockerfile2llb/convert.go`` (``failed to resolve source
  metadata for <ref>``) and ``solver/llbsolver/ops/exec.go`` (``process "/bin/sh -c …" did not
  complete successfully: exit code: N``);
- Go ``net/dnsclient_unix.go`` (``lookup <host> on <server>: server misbehaving``).
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from tests.diagnose.joblogs import actions_job


def _actions(command: str, lines: list[str], code: int = 1) -> Diagnosis:
    log: io.BytesIO = actions_job(command, lines, code)
    return diagnose(log.getvalue())


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


def _first_keys(result: Diagnosis, message: str, within: int = 2) -> None:
    texts = _texts(result)
    assert any(message in t for t in texts[:within]), texts


BUILDKIT_AUTH = [
    "#2 [internal] load metadata for ghcr.io/acme/base:1.0",
    "#2 ERROR: failed to authorize: failed to fetch oauth token: unexpected status: 401"
    " Unauthorized",
    "------",
    " > [internal] load metadata for ghcr.io/acme/base:1.0:",
    "------",
    "ERROR: failed to solve: ghcr.io/acme/base:1.0: failed to authorize: failed to fetch oauth"
    " token: unexpected status: 401 Unauthorized",
]


def test_buildkit_token_refused_is_registry_auth() -> None:
    result = _actions("docker build -t app:ci .", BUILDKIT_AUTH)
    assert result.category == "infra_network", (result.rule, _texts(result))
    assert result.rule == "docker-registry-auth"
    assert not result.retryable
    _first_keys(result, "failed to fetch oauth token: unexpected status: 401 Unauthorized")


def test_buildkit_push_forbidden_is_registry_auth() -> None:
    lines = [
        "#14 exporting to image",
        "#14 pushing layers 0.5s done",
        "#14 ERROR: failed to push ghcr.io/acme/app:latest: unexpected status from POST request"
        " to https://ghcr.io/v2/acme/app/blobs/uploads/: 403 Forbidden",
        "------",
        " > exporting to image:",
        "------",
        "ERROR: failed to solve: failed to push ghcr.io/acme/app:latest: unexpected status from"
        " POST request to https://ghcr.io/v2/acme/app/blobs/uploads/: 403 Forbidden",
    ]
    result = _actions("docker buildx build --push -t ghcr.io/acme/app:latest .", lines)
    assert result.category == "infra_network", (result.rule, _texts(result))
    assert result.rule == "docker-registry-auth"
    _first_keys(result, "403 Forbidden")


def test_docker_login_refused_is_registry_auth() -> None:
    lines = [
        'Error response from daemon: Head "https://registry-1.docker.io/v2/library/node/'
        'manifests/20": unauthorized: incorrect username or password',
    ]
    result = _actions("docker pull node:20", lines)
    assert result.category == "infra_network", (result.rule, _texts(result))
    assert result.rule == "docker-registry-auth"
    _first_keys(result, "unauthorized: incorrect username or password")


def test_token_fetch_over_a_broken_connection_stays_a_network_error() -> None:
    """Near miss: no HTTP status, the connection died: a flake, not the credentials."""
    lines = [
        "#2 [internal] load metadata for docker.io/library/node:20",
        '#2 ERROR: failed to authorize: failed to fetch anonymous token: Get "https://auth.'
        'docker.io/token?scope=repository%3Alibrary%2Fnode%3Apull": read tcp 10.1.0.4:51234->'
        "54.236.113.205:443: read: connection reset by peer",
    ]
    result = _actions("docker build -t app:ci .", lines)
    assert result.category == "infra_network", (result.rule, _texts(result))
    assert result.rule != "docker-registry-auth"


def test_pull_access_denied_is_not_read_as_credentials() -> None:
    """Near miss: `pull access denied … repository does not exist` ends in the same `denied:`
    words, but is as often a wrong name or an image an earlier step failed to build."""
    lines = [
        "Unable to find image 'acme/private:1.0' locally",
        "docker: Error response from daemon: pull access denied for acme/private, repository does"
        " not exist or may require 'docker login': denied: requested access to the resource is"
        " denied.",
        "See 'docker run --help'.",
    ]
    result = _actions("docker run --rm acme/private:1.0", lines)
    assert result.rule != "docker-registry-auth", _texts(result)
    _first_keys(result, "pull access denied for acme/private")


def test_docker_run_of_a_missing_tag_is_dependency_install() -> None:
    lines = [
        "Unable to find image 'node:99-alpine' locally",
        "docker: Error response from daemon: manifest for node:99-alpine not found: manifest"
        " unknown: manifest unknown.",
        "See 'docker run --help'.",
    ]
    result = _actions("docker run --rm node:99-alpine node --version", lines, code=125)
    assert result.category == "dependency_install", (result.rule, _texts(result))
    assert result.rule == "docker-image-not-found"
    _first_keys(result, "manifest for node:99-alpine not found: manifest unknown")


def test_buildkit_from_a_missing_tag_is_dependency_install() -> None:
    lines = [
        "#2 [internal] load metadata for docker.io/library/python:3.99-slim",
        "#2 ERROR: docker.io/library/python:3.99-slim: not found",
        "------",
        " > [internal] load metadata for docker.io/library/python:3.99-slim:",
        "------",
        "Dockerfile:1",
        "--------------------",
        "   1 | >>> FROM python:3.99-slim",
        "--------------------",
        "ERROR: failed to solve: python:3.99-slim: failed to resolve source metadata for"
        " docker.io/library/python:3.99-slim: docker.io/library/python:3.99-slim: not found",
    ]
    result = _actions("docker build -t app:ci .", lines)
    assert result.category == "dependency_install", (result.rule, _texts(result))
    assert result.rule == "docker-base-image-not-found"
    _first_keys(result, "python:3.99-slim: not found")


def test_failed_run_step_stays_its_own_cause() -> None:
    """Near miss: a RUN step that failed is the build's failure (its own output's cause), and a
    metadata line that resolved fine says nothing."""
    lines = [
        "#2 [internal] load metadata for docker.io/library/golang:1.22",
        "#2 DONE 0.6s",
        "#12 [stage-1 6/8] RUN go build -o /out/app ./cmd/app",
        "#12 4.512 cmd/app/main.go:14:2: undefined: serverConfig",
        '#12 ERROR: process "/bin/sh -c go build -o /out/app ./cmd/app" did not complete'
        " successfully: exit code: 1",
        'ERROR: failed to solve: process "/bin/sh -c go build -o /out/app ./cmd/app" did not'
        " complete successfully: exit code: 1",
    ]
    result = _actions("docker build -t app:ci .", lines)
    assert result.category == "build", (result.rule, _texts(result))
    _first_keys(result, "cmd/app/main.go:14:2: undefined: serverConfig", within=1)


def test_image_missing_after_a_failed_build_keeps_the_build_as_cause() -> None:
    """Near miss: the job's own image was not built, so `docker run` then tries to pull it;
    the build's error is the cause (the legacy builder's wrapper line, low in priority)."""
    lines = [
        "Step 5/6 : RUN make",
        " ---> Running in 3f2a1b0c9d8e",
        "src/main.c:12:5: error: 'count' undeclared (first use in this function)",
        "make: *** [Makefile:8: src/main.o] Error 1",
        "The command '/bin/sh -c make' returned a non-zero code: 2",
        "Unable to find image 'app:ci' locally",
        "docker: Error response from daemon: manifest for app:ci not found: manifest unknown:"
        " manifest unknown.",
    ]
    result = _actions("docker build -t app:ci . && docker run --rm app:ci", lines)
    assert result.category == "build", (result.rule, _texts(result))
    _first_keys(result, "error: 'count' undeclared", within=1)


def test_port_already_allocated_is_infra_runner() -> None:
    lines = [
        "docker: Error response from daemon: driver failed programming external connectivity on"
        " endpoint db (3f2a1b0c9d8e): Bind for 0.0.0.0:5432 failed: port is already allocated.",
    ]
    result = _actions("docker run -d --name db -p 5432:5432 postgres:16", lines, code=125)
    assert result.category == "infra_runner", (result.rule, _texts(result))
    assert result.rule == "docker-port-allocated"
    _first_keys(result, "port is already allocated")


def test_dns_server_misbehaving_is_network() -> None:
    lines = [
        " db Pulling",
        " db Error",
        'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup'
        " registry-1.docker.io on 127.0.0.53:53: server misbehaving",
    ]
    result = _actions("docker compose up -d", lines)
    assert result.category == "infra_network", (result.rule, _texts(result))
    assert result.rule == "network-error"
    _first_keys(result, "server misbehaving")


def test_passing_build_and_push_is_not_a_failure_line() -> None:
    """Near miss: a successful build and push prints the same words without an error."""
    lines = [
        "#2 [internal] load metadata for docker.io/library/python:3.12-slim",
        "#2 DONE 0.8s",
        "#14 exporting to image",
        "#14 pushing layers 2.1s done",
        "#14 pushing manifest for ghcr.io/acme/app:latest@sha256:0f3c 0.4s done",
        "#14 DONE 3.0s",
    ]
    result = _actions("docker buildx build --push -t ghcr.io/acme/app:latest .", lines, code=0)
    assert result.rule not in {
        "docker-registry-auth",
        "docker-image-not-found",
        "docker-base-image-not-found",
    }, _texts(result)


def test_registry_connection_closed_is_a_pull_flake() -> None:
    lines = [
        "Unable to find image 'elasticsearch:7.6.1' locally",
        'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": EOF.',
        "See 'docker run --help'.",
    ]
    result = _actions("docker run -d -p 9200:9200 elasticsearch:7.6.1", lines, code=125)
    assert result.category == "infra_network", (result.rule, _texts(result))
    assert result.rule == "docker-pull-limit"
    assert result.retryable
    _first_keys(result, 'Get "https://registry-1.docker.io/v2/": EOF.')


def test_unexpected_eof_inside_a_build_is_not_a_registry_flake() -> None:
    """Near miss: a tool's own `unexpected EOF` (a truncated download or archive) in a RUN
    step is not the daemon's request to the registry."""
    lines = [
        "#7 [3/4] RUN tar -xzf vendor.tar.gz",
        "#7 0.211 gzip: stdin: unexpected end of file",
        "#7 0.212 tar: Unexpected EOF in archive",
        '#7 ERROR: process "/bin/sh -c tar -xzf vendor.tar.gz" did not complete successfully:'
        " exit code: 2",
    ]
    result = _actions("docker build -t app:ci .", lines)
    assert result.rule != "docker-pull-limit", _texts(result)


def test_docker_pull_of_a_missing_tag_is_dependency_install() -> None:
    lines = [
        "Error response from daemon: manifest for node:99-alpine not found: manifest unknown:"
        " manifest unknown",
    ]
    result = _actions("docker pull node:99-alpine", lines)
    assert result.category == "dependency_install", (result.rule, _texts(result))
    assert result.rule == "docker-image-not-found"


def test_old_daemons_missing_image_after_a_build_stays_build() -> None:
    """Near miss: an old daemon's `manifest for x not found` (no `manifest unknown`), printed
    when the job runs the image its own build never made, stays docker-build's."""
    lines = [
        "Unable to find image 'koalaman/shellcheck:current' locally",
        "Error response from daemon: manifest for koalaman/shellcheck:current not found",
    ]
    result = _actions('docker build -t "$name:current" . && docker create "$name:current"', lines)
    assert result.category == "build", (result.rule, _texts(result))
    assert result.rule == "docker-build"
