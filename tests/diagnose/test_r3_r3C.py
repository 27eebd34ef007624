# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Round 3, helper r3C: the category the engine names with no rule (``fallback.py`` and the
``top is None`` branch of ``verdict.judge``).

Every case is a paste (a tool's output alone, no step framing) diagnosed with every shipped
rule off, so what is measured is the rule-free mechanism: a connection that never got an
answer is the network (unless a link checker lists it as a dead link), a harness that
stopped a run for time is a timeout even with tests charged, tests that mostly failed for
the network are the network, a finding at a source location that names its rule is a
linter's, a ``*.lock`` file out of date is an install failure. Near misses keep what they
were.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import travis_one_command

NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _paste(*lines: str) -> str:
    """The category of a paste of ``lines`` with every rule off."""
    return diagnose(io.BytesIO("".join(f"{x}\n" for x in lines).encode()), rules=NO_RULES).category


# ---- a connection that never got an answer ---------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "curl: (6) Could not resolve host: get.helm.sh",
        "wget: unable to resolve host address ‘nodejs.org’",
        "fatal: unable to access 'https://gitlab.com/octo/lib.git/': Could not resolve host: gitlab.com",
        "Error: getaddrinfo ENOTFOUND cdn.playwright.dev",
        "fatal: unable to access 'http://127.0.0.1:9/octo/dep.git/': Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server",
        'Error: initializing source docker://127.0.0.1:9/octo/builder:1.4: pinging container registry 127.0.0.1:9: Get "http://127.0.0.1:9/v2/": dial tcp 127.0.0.1:9: connect: connection refused',
        'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout.',
        "curl: (28) Operation timed out after 2001 milliseconds with 0 bytes received",
        "fatal: unable to access 'https://127.0.0.1:8443/octo/schemas.git/': server certificate verification failed. CAfile: /etc/ssl/certs/ca-certificates.crt CRLfile: none",
        "Could not transfer artifact clojure-complete:clojure-complete:jar:0.2.4 from/to clojars (https://repo.clojars.org/): Received fatal alert: protocol_version",
        "curl: (22) The requested URL returned error: 503",
        "2026-12-05 12:00:00 ERROR 503: Service Unavailable.",
        "npm error request to https://127.0.0.1:8443/lodash failed, reason: self-signed certificate",
        "Could not verify the SSL certificate for https://127.0.0.1:8443/.",
        "ERROR: Could not install packages due to an OSError: HTTPConnectionPool(host='127.0.0.1', port=8503): Max retries exceeded with url: /packages/flask-3.0.3-py3-none-any.whl (Caused by ResponseError('too many 503 error responses'))",
        "  [35] SSL connect error (error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure)",
    ],
)
def test_a_connection_that_got_no_answer_is_the_network(line: str) -> None:
    assert _paste("Downloading dependencies...", line) == "infra_network"


def test_a_link_checker_listing_a_site_that_does_not_answer_is_a_finding_not_the_network() -> None:
    """awesome_bot's and html-proofer's list of dead links: a site that refuses or times
    out is a broken link, whatever the runner's network. No evidence names the network with
    every rule off (the last-resort guess may read "connection" in it: a guess is marked as
    one and never offers a re-run); with the shipped rules, it is link-check's finding."""
    lines = [
        "Issues :-(",
        "> Links",
        '  1. [L696]  https://jblevins.org/projects/markdown-mode/ Failed to open TCP connection to jblevins.org:443 (Connection refused - connect(2) for "jblevins.org" port 443)',
        '  2. http://www.graphviz.org/ Connection timed out - connect(2) for "www.graphviz.org" port 80',
    ]
    text = "".join(f"{x}\n" for x in lines).encode()
    got = diagnose(io.BytesIO(text), rules=NO_RULES)
    assert got.category != "infra_network" or got.guess is not None
    assert not got.retryable
    assert diagnose(io.BytesIO(text)).category == "lint"


def test_a_429_from_a_link_checker_stays_the_network() -> None:
    """Near miss: a busy status is still the network, list item or not (a re-run fixes it)."""
    assert (
        _paste("  * [429] https://github.com/octo/x | Failed: Network error: Too Many Requests")
        == "infra_network"
    )


# ---- time limits outrank the tests charged -----------------------------------------------


def test_go_test_timeout_with_a_test_charged_is_a_timeout() -> None:
    assert (
        _paste(
            "=== RUN   TestWaitsForever",
            "panic: test timed out after 10m0s",
            "running tests:",
            "\tTestWaitsForever (10m0s)",
            "",
            "goroutine 7 [running]:",
            "testing.(*M).startAlarm.func1()",
            "FAIL\texample.com/proj/pkg\t600.012s",
            "FAIL",
        )
        == "timeout"
    )


def test_mocha_timeout_of_a_hook_is_a_timeout() -> None:
    assert (
        _paste(
            "  1 failing",
            "",
            '  1) db "before all" hook:',
            '     Error: Timeout of 10000ms exceeded. For async tests and hooks, ensure "done()" is called; if returning a Promise, ensure it resolves.',
        )
        == "timeout"
    )


def test_a_test_whose_assertion_failed_stays_a_test_failure() -> None:
    """Near miss: a test that says the word timeout in its name or message is no time limit."""
    assert (
        _paste(
            "=== RUN   TestTimeoutConfig",
            "    config_test.go:12: timeout = 5s, want 10s",
            "--- FAIL: TestTimeoutConfig (0.00s)",
            "FAIL",
            "FAIL\texample.com/proj/config\t0.004s",
        )
        == "test_failure"
    )


# ---- tests that failed for the network -------------------------------------------------


def test_tests_that_failed_because_a_connection_was_refused_are_the_network() -> None:
    assert (
        _paste(
            "=================================== FAILURES ===================================",
            "_____________________________ test_cache_roundtrip _____________________________",
            "E       ConnectionRefusedError: [Errno 111] Connection refused",
            "=========================== short test summary info ============================",
            "FAILED tests/test_cache.py::test_cache_roundtrip - ConnectionRefusedError: [Errno 111] Connection refused",
            "========================= 1 failed, 3 passed in 0.31s ==========================",
        )
        == "infra_network"
    )


def test_one_network_test_among_assertions_stays_a_test_failure() -> None:
    """Near miss: most failing tests failed on their own assertions."""
    assert (
        _paste(
            "=========================== short test summary info ============================",
            "FAILED tests/test_a.py::test_one - assert 1 == 2",
            "FAILED tests/test_a.py::test_two - assert 'a' == 'b'",
            "FAILED tests/test_b.py::test_three - ConnectionRefusedError: [Errno 111] Connection refused",
            "========================= 3 failed, 3 passed in 0.31s ==========================",
        )
        == "test_failure"
    )


# ---- a finding that names its rule is a linter's ----------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        ["zipp/__init__.py:351:80: E501 line too long (83 > 79 characters)"],
        ["generateTest.py:1:0: C0114: Missing module docstring (missing-module-docstring)"],
        [
            "lib/jekyll/excerpt.rb:158:17: C: Performance/RegexpMatch: Use match? instead of =~ when MatchData is not used."
        ],
        ["emitter_stack.go:36:25: func taskEmitterStack.taskEmitter is unused (U1000)"],
        [
            "netbox/internal/customfield/customfield.go:1:1: package-comments: should have a package comment (revive)"
        ],
        [
            "hack/virtc/main.go:168::error: github.com/octo/x.Param composite literal uses unkeyed fields (vet)"
        ],
        [
            "/home/runner/work/proj/src/background.js",
            "   24:5   error  Unexpected console statement         no-console",
            "  112:68  error  Missing semicolon                    semi",
            "✖ 2 problems (2 errors, 0 warnings)",
        ],
    ],
)
def test_a_finding_that_names_its_rule_is_a_lint(lines: list[str]) -> None:
    assert _paste(*lines) == "lint"


@pytest.mark.parametrize(
    ("line", "category"),
    [
        # a compiler says error: and names a flag, not a rule
        ("src/main.c:7:11: error: 'x' undeclared (first use in this function)", "build"),
        (
            'src/calc.py:12: error: Incompatible return value type (got "int", expected "str")  [return-value]',
            "type_check",
        ),
    ],
)
def test_a_compiler_diagnostic_is_not_a_lint(line: str, category: str) -> None:
    assert _paste(line) == category


# ---- a lock file out of date -------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "       Your Pipfile.lock (0ac58f) is out of date. Expected: (aabdb1).",
        "ERROR: package-lock.json is outdated, run npm install",
    ],
)
def test_a_lock_file_out_of_date_is_an_install_failure(line: str) -> None:
    assert (
        _paste(line, " !     Push rejected, failed to compile Python app.") == "dependency_install"
    )


# ---- a compiler's, a doc build's, a Dockerfile's verdict ----------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "[ERROR] Caused by: org.apache.maven.plugin.compiler.CompilationFailureException: Compilation failure",
        "Warning, treated as error:",
        "error: warnings found and -Werror specified",
        "COPY failed: stat /var/lib/docker/tmp/docker-builder709805828/run-docker.sh: no such file or directory",
        '#8 ERROR: failed to calculate checksum of ref moby::2mpyaewng6523nff2m15ggthu: "/build": not found',
    ],
)
def test_a_build_that_did_not_compile_is_a_build(line: str) -> None:
    assert _paste(line) == "build"


# ---- a package no index has ----------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [
            "ERROR: Could not find a version that satisfies the requirement nosuchpkg==9.9 (from versions: none)",
            "ERROR: No matching distribution found for nosuchpkg==9.9",
        ],
        [
            "error: no matching package named `itertools-num-x` found",
            "location searched: registry `crates-io`",
        ],
        [
            "> Could not resolve all artifacts for configuration 'classpath'.",
            "   > Could not find org.ajoberstar:grgit:2.3.0.",
        ],
        [
            "--   Package 'libsodium', required by 'virtual:world', not found",
            "CMake Error at /usr/share/cmake-3.25/Modules/FindPkgConfig.cmake:607 (message):",
            "  A required package was not found",
        ],
        ["  Error in library(\"testthat\") : there is no package called 'testthat'"],
        [
            "main.go:3:8: missing go.sum entry for module providing package github.com/google/uuid (imported by example.com/proj); to add:"
        ],
        [
            "error: cannot update the lock file /home/runner/work/proj/proj/Cargo.lock because --locked was passed to prevent this"
        ],
    ],
)
def test_a_package_no_index_has_is_an_install_failure(lines: list[str]) -> None:
    assert _paste(*lines) == "dependency_install"


def test_a_resolver_that_found_nothing_because_the_index_did_not_answer_is_the_network() -> None:
    assert (
        _paste(
            "WARNING: Retrying (Retry(total=0)) after connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)'))': /simple/requests/",
            "Could not fetch URL https://pypi.org/simple/requests/: There was a problem confirming the ssl certificate: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded with url: /simple/requests/ (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)'))) - skipping",
            "ERROR: Could not find a version that satisfies the requirement requests (from versions: none)",
            "ERROR: No matching distribution found for requests",
        )
        == "infra_network"
    )


def test_a_version_conflict_stays_an_install_failure() -> None:
    """Near miss: a resolver with no network word near it."""
    assert (
        _paste("ERROR: No matching distribution found for requests==99.0") == "dependency_install"
    )


# ---- a test command that charged no test --------------------------------------------------


def test_a_test_command_whose_tests_did_not_compile_is_a_build() -> None:
    lines = [
        "   Compiling demo v0.1.0 (/home/runner/work/demo)",
        "error[E0308]: mismatched types",
        " --> src/lib.rs:8:20",
        "error: could not compile `demo` (lib test) due to 1 previous error",
    ]
    job = travis_one_command("cargo test", lines, 101)
    assert diagnose(job, rules=NO_RULES).category == "build"


def test_a_test_command_with_nothing_to_say_stays_a_test_failure() -> None:
    """Near miss: no words name anything, so the command does."""
    job = travis_one_command(
        "cargo test",
        ["   Running tests/it.rs", "error: test failed, to rerun pass `--test it`"],
        101,
    )
    assert diagnose(job, rules=NO_RULES).category == "test_failure"
