# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 27, helper d27A (pasted CI output): MSBuild's own command-line errors
and the ``Switch:`` line under them, the go command's verdict on a package it could not
build and its toolchain check against a go.mod in another directory, the RUN command a
Docker builder's verdict quotes (an install step fails as an install), Playwright's retry
and attachment banners with the failed test's stack, Node's tools/test.py TAP diagnostics
(a test its harness stopped) and a tool the run needs that must be installed.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

from bot.diagnose.causes import environment_failures
from bot.diagnose.engine import diagnose
from bot.diagnose.extract_js import NodeTest
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job, fed
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids

RULES = load_rules()


# ---- MSBuild ---------------------------------------------------------------------------


def test_msbuild_command_line_error_is_a_build_and_its_switch_line_a_key_line() -> None:
    diagnosis = _paste(
        [
            "Run dotnet publish -c Release -o C:\\Program Files\\dotnet/myapp",
            "MSBUILD : error MSB1009: Project file does not exist.",
            "Switch: Files\\dotnet/myapp",
            "Error: Process completed with exit code 1.",
        ]
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "msbuild-error"
    texts = [k.text for k in diagnosis.key_lines]
    assert "Switch: Files\\dotnet/myapp" in texts


def test_msbuild_error_patterns_and_near_misses() -> None:
    assert "msbuild-error" in _ids("MSBUILD : error MSB1008: Only one project can be specified.")
    assert "msbuild-error" in _ids("MSBUILD : error MSB4025: The project file could not be loaded.")
    assert "msbuild-error" not in _ids(
        "MSBUILD : warning MSB4011: x.props cannot be imported again."
    )
    # a `Switch:` line alone (no MSBuild error in the step) says nothing
    diagnosis = diagnose(actions_job("./configure", ["Switch: --enable-foo", "configure failed"]))
    assert diagnosis.rule != "msbuild-error"


# ---- go --------------------------------------------------------------------------------


def test_go_build_verdict_on_a_package_is_a_build() -> None:
    assert "go-build-error" in _ids(
        "go build runtime/cgo: C compiler warning promoted to error on Go builders"
    )
    assert "go-build-error" in _ids(
        "go build github.com/mattn/go-sqlite3: invalid flag in #cgo LDFLAGS: -fopenmp"
    )
    assert "go-build-error" in _ids(
        "go install example.com/cmd/tool@v1.2.0: module example.com/cmd@v1.2.0 found"
    )
    # the command echoed, and go's own progress, are not verdicts
    assert "go-build-error" not in _ids("go build ./...")
    assert "go-build-error" not in _ids("go build -o bin/app ./cmd/app")
    diagnosis = _paste(
        [
            "# runtime/cgo",
            "runtime/cgo/gcc_amd64.S:47:1: warning: DWARF2 only supports one section per compilation unit",
            "go build runtime/cgo: C compiler warning promoted to error on Go builders",
        ]
    )
    assert diagnosis.category == "build"


def test_go_toolchain_older_than_a_go_mod_elsewhere_is_the_modules_rule() -> None:
    line = "# command failed with exit status 1: go: ../go.mod requires go >= 1.25.0 (running go 1.24.13; GOTOOLCHAIN=local)"
    assert "go-modules" in _ids(line)
    assert "go-modules" in _ids(
        "go: go.work requires go >= 1.22 (running go 1.21.5; GOTOOLCHAIN=local)"
    )
    assert "go-modules" in _ids("go: go.mod requires go >= 1.21 (running go 1.20.3)")
    assert "go-modules" not in _ids("note: module requires Go 1.21")


# ---- Docker: the RUN command the builder quotes ----------------------------------------


def test_docker_run_step_that_installs_is_a_dependency_install() -> None:
    diagnosis = _paste(
        [
            "  ERROR: Command errored out with exit status 1: /usr/local/bin/python -u -c 'import io, os, sys, setuptools, tokenize; sys.argv[0] = x'",
            "  The command '/bin/sh -c apk add git && pip install PyGithub --progress-bar off' returned a non-zero code: 1",
            "",
            "Error: Docker build failed with exit code 1",
        ]
    )
    assert diagnosis.category == "dependency_install"
    assert any("returned a non-zero code: 1" in k.text for k in diagnosis.key_lines)


def test_docker_run_step_that_builds_stays_a_build() -> None:
    diagnosis = diagnose(
        actions_job(
            "docker build -t app .",
            [
                "Step 5/7 : RUN apt-get update && apt-get install -y gcc && make",
                "make: *** No targets specified and no makefile found.  Stop.",
                "The command '/bin/sh -c apt-get update && apt-get install -y gcc && make' returned a non-zero code: 2",
            ],
        )
    )
    assert diagnosis.category == "build"
    buildkit = diagnose(
        actions_job(
            "docker build -t app .",
            [
                "#8 [4/5] RUN npm ci",
                '#8 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
                'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
            ],
        )
    )
    assert buildkit.category == "dependency_install"


# ---- Playwright's failure detail -------------------------------------------------------

_PLAYWRIGHT = [
    "        at StandardTaskPage.checkStartState (/home/runner/work/ui/ui/playwright/pageObjects/standardTaskPage.ts:32:33)",
    "        at /home/runner/work/ui/ui/playwright/e2e/standardTask.spec.ts:44:3",
    "    attachment #1: trace (application/zip) ─────────────────────────────────────────────",
    "    test-results/standardTask-verifies-chromium-retry1/trace.zip",
    "    Usage:",
    "        npx playwright show-trace test-results/standardTask-verifies-chromium-retry1/trace.zip",
    "    ──────────────────────────────────────────────────────────────────────────────────",
    "    Retry #2 ───────────────────────────────",
]


def test_playwright_retry_and_attachment_banners_are_a_failed_test_with_its_frames() -> None:
    diagnosis = _paste(_PLAYWRIGHT)
    assert diagnosis.category == "test_failure"
    texts = " | ".join(k.text for k in diagnosis.key_lines)
    assert "at StandardTaskPage.checkStartState" in texts
    assert "standardTask.spec.ts:44:3" in texts


def test_js_stack_frames_alone_are_not_playwright() -> None:
    # frames without Playwright's banners (a Node crash) do not charge a test
    diagnosis = _paste(_PLAYWRIGHT[:2])
    assert diagnosis.rule != "playwright-failure-detail"
    assert "playwright-failure-detail" not in _ids("    Retry #2")


# ---- Node's tools/test.py TAP ----------------------------------------------------------

_NODE_CORE = [
    "not ok 2361 parallel/test-net-connect-options-port",
    "  ---",
    "  duration_ms: 240.140",
    "  severity: fail",
    "  exitcode: -15",
    "  stack: |-",
    "    timeout",
    "  ...",
]


def test_node_core_tap_reads_the_stack_not_the_severity() -> None:
    failures = fed(NodeTest(), _NODE_CORE).failures()
    assert [f.test for f in failures] == ["parallel/test-net-connect-options-port"]
    assert failures[0].message == "timeout"
    assert _paste(_NODE_CORE).category == "timeout"


def test_node_core_tap_assertion_is_a_failing_test() -> None:
    lines = [
        *_NODE_CORE[:4],
        "  exitcode: 1",
        "  stack: |-",
        "    node:assert:124",
        "      throw new AssertionError(obj);",
        "  ...",
    ]
    failures = fed(NodeTest(), lines).failures()
    assert failures[0].message and failures[0].message.startswith("node:assert:124")
    assert _paste(lines).category == "test_failure"


def test_a_message_that_only_mentions_timeout_is_not_the_harness() -> None:
    assert environment_failures(["timeout"]) == "timeout"
    assert environment_failures(["expected timeout to be 5"]) is None


# ---- a tool that must be installed -----------------------------------------------------


def test_a_tool_that_must_be_installed_is_a_dependency_install() -> None:
    diagnosis = _paste(
        [
            "Build Failed",
            "Running NodejsNpmEsbuildBuilder:EsbuildBundle",
            "Error: NodejsNpmEsbuildBuilder:EsbuildBundle - Esbuild Failed: Cannot find esbuild. esbuild must be installed on the host machine to use this feature.",
        ]
    )
    assert diagnosis.category == "dependency_install"
    # rvm installing a ruby it lacks is progress, not a failure
    ok = _paste(
        ["Required ruby-2.6.0 is not installed - installing.", "error: src/a.c:3:1: expected ';'"]
    )
    assert ok.category != "dependency_install"
