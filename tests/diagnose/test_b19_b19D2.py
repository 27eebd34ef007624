# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batches 19-20, helper b19D2 (CI output pasted into GitHub issues): the
Actions log view's line-number margin, Node.js core's CI test reporter, prospector's
grouped report, ESLint's fatal message as lint-action relays it, Flow's error headers,
ts-loader's ``[tsl] ERROR in`` header (rule ts-loader since b21D3), tsc printing its help,
a test action's own ``Running tests failed`` and pytest's ``ERROR collecting`` section
header.

Each snippet is written in the shape the tool prints (most as a bare paste: no step
framing, no exit line) and asserts what a maintainer would name; the near misses keep
lines that only look like these shapes away from them.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_node_core import NodeCoreReport
from bot.diagnose.pastemargin import viewer_links
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job, fed, travis_one_command


def _paste(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _matches(rule_id: str, text: str) -> bool:
    rule = load_rules().by_id(rule_id)
    assert rule is not None
    return rule.matches(text)


# ---- the Actions log view's line-number margin -----------------------------------------

_URL = "https://github.com/acme/app/runs/6378251126?check_suite_focus=true"


def test_viewer_margin_lines_become_blank_and_keep_the_numbering() -> None:
    region = (
        f"Ran all test suites.\n[4940]({_URL}#step:8:4940)\nRunning tests failed\n"
        f"[4941]({_URL}#step:8:4941)\n[4947](http\n"
    ).encode()
    out = viewer_links(region)
    assert out.split(b"\n") == [
        b"Ran all test suites.",
        b"",
        b"Running tests failed",
        b"",
        b"",
        b"",
    ]


def test_viewer_links_inside_a_line_go_and_other_links_stay() -> None:
    """A link spliced into a line gives back the digits it took, so that the line reads (and
    rules match it) as the tool printed it; a markdown link of a line without the view's
    ``#step:`` anchor is not the view's."""
    spliced = f"Error: Timed out waiting 1[2]({_URL}#step:7:2)0000ms from config.webServer.\n"
    printed = b"Error: Timed out waiting 120000ms from config.webServer.\n"
    assert viewer_links(spliced.encode()) == printed
    other = b"[1](https://example.org/notes)\n"
    assert viewer_links(other) == other


def test_pasted_view_with_margin_lines_reads_the_action_verdict() -> None:
    lines = [
        "Ran all test suites.",
        f"[4940]({_URL}#step:8:4940)",
        "Test results written to: report.json",
        f"[4941]({_URL}#step:8:4941)",
        "error Command failed with exit code 1.",
        f"[4942]({_URL}#step:8:4942)",
        "Running tests failed",
        f"[4943]({_URL}#step:8:4943)",
        "Error: Error: The process '/usr/local/bin/yarn' failed with exit code 1",
        "[4944](http",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "test-run-failed"
    assert not any("#step:" in k.text for k in diagnosis.key_lines)


def test_running_tests_failed_yields_to_a_named_cause() -> None:
    """Near miss: the action's verdict is the weakest word; jest's own report wins."""
    lines = [
        " FAIL  src/cart.test.ts",
        "  ● cart › adds an item",
        "    expect(received).toBe(expected) // Object.is equality",
        "Tests:       1 failed, 4 passed, 5 total",
        "Running tests failed",
    ]
    diagnosis = diagnose(actions_job("npx jest", lines))
    assert diagnosis.rule == "jest-vitest-failed"
    assert not _matches("test-run-failed", "Running tests failed in 2s")


# ---- Node.js core's CI reporter --------------------------------------------------------

_NODE_CORE = [
    "      operator: '==',",
    "    }",
    "",
    "    Test failure: 'coverage with included and excluded files'",
    "    Location: test/parallel/test-runner-coverage.js:480:1",
    "    AssertionError [ERR_ASSERTION]: The expression evaluated to a falsy value:",
    "",
    "      assert(result.stdout.toString().includes(report))",
    "",
    "        at TestContext.<anonymous> (/home/runner/build/workspace/node-test-commit-linux-containered/test/parallel/test-runner-coverage.js:509:3)",
    "        at Test.runInAsyncScope (node:async_hooks:226:14)",
    "",
    "    Test failure: 'reports on the function'",
    "    Location: test/parallel/test-runner-coverage.js:520:1",
    "    Error: boom",
]


def test_node_core_reporter_names_each_failure_with_its_location() -> None:
    failures = fed(NodeCoreReport(), [ln.strip() for ln in _NODE_CORE]).failures()
    assert [f.test for f in failures] == [
        "coverage with included and excluded files",
        "reports on the function",
    ]
    first = failures[0]
    assert (
        first.message
        == "AssertionError [ERR_ASSERTION]: The expression evaluated to a falsy value:"
    )
    assert first.location == "test/parallel/test-runner-coverage.js:480"
    assert failures[1].message == "Error: boom"


def test_node_core_reporter_paste_is_a_test_failure() -> None:
    diagnosis = diagnose(_paste(_NODE_CORE))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == [
        "coverage with included and excluded files",
        "reports on the function",
    ]
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "Test failure: 'coverage with included and excluded files'" in texts


def test_node_core_reporter_near_misses() -> None:
    """A sentence that mentions a test failure, and a name without the quotes, are not it."""
    assert not _matches("node-test-failed", "Test failure: see the log above")
    assert not fed(NodeCoreReport(), ["Test failure: the build broke", "Error: x"]).failures()


# ---- prospector's grouped report -------------------------------------------------------

_PROSPECTOR_MYPY = [
    "s2spy/_resample.py",
    "  Line: 143",
    '    mypy: error / Argument 1 to "rename" of "Dataset" has incompatible type "str"; expected "Optional[Mapping[Any, Hashable]]" (col 52)',
    "",
    "s2spy/rgdr/_rgdr.py",
    "  Line: 81",
    '    mypy: error / Incompatible return value type (got "ndarray[Any, Any]", expected "float") (col 9)',
]

_PROSPECTOR_LINT = [
    "Messages",
    "========",
    "",
    "app/models.py",
    "  Line: 3",
    "    pylint: unused-import / Unused import os",
    "  Line: 12",
    "    pycodestyle: E501 / line too long (104 > 100 characters) (col 101)",
]


def test_prospector_mypy_messages_are_type_errors() -> None:
    diagnosis = diagnose(_paste(_PROSPECTOR_MYPY))
    assert diagnosis.category == "type_check"
    assert diagnosis.rule == "mypy"
    assert any("Incompatible return value type" in k.text for k in diagnosis.key_lines)


def test_prospector_linters_are_lint() -> None:
    diagnosis = diagnose(actions_job("prospector --profile .prospector.yml", _PROSPECTOR_LINT))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "prospector"
    assert (diagnosis.summary or "").strip() == "pylint: unused-import / Unused import os"


def test_prospector_near_misses() -> None:
    """A log line naming a tool with a colon is not a finding without prospector's ``code /``."""
    assert not _matches("prospector", "pylint: not found")
    assert not _matches("prospector", "    bandit: running 12 tests")
    assert not _matches("mypy", "mypy: command not found")


# ---- ESLint's fatal message relayed by lint-action ------------------------------------

_LINT_ACTION = [
    " Error: ESLint error: Parsing error: Unexpected token ...",
    "    at Function.parseOutput (/home/runner/work/_actions/samuelmeuli/lint-action/v1/src/linters/eslint.js:86:12)",
    "    at runAction (/home/runner/work/_actions/samuelmeuli/lint-action/v1/src/index.js:86:30)",
    "Error: Exiting because of unhandled promise rejection",
]


def test_lint_action_relays_eslint_fatal_error() -> None:
    diagnosis = diagnose(_paste(_LINT_ACTION))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "eslint"
    assert diagnosis.summary is not None and "Parsing error: Unexpected token" in diagnosis.summary


def test_eslint_error_pattern_near_misses() -> None:
    assert not _matches("eslint", "Running ESLint errors check")
    assert not _matches("eslint", "npm ERR! eslint error code 2")


# ---- Flow ------------------------------------------------------------------------------

_FLOW = [
    "Creating an optimized production build...",
    "Failed to compile.",
    "Error in Flow: Type Error",
    "Error ------------------------------------------------------------------------------------- src/ovirtapi/index.js:216:65",
    "Cannot resolve name SnapshotType.",
    "     216|   addNewSnapshot ({ vmId, snapshot }: { vmId: string, snapshot: SnapshotType }): Promise<Object> {",
    "Found 1 error",
]


def test_flow_error_inside_a_build_is_a_type_error() -> None:
    diagnosis = diagnose(travis_one_command("yarn run build", _FLOW))
    assert diagnosis.category == "type_check"
    assert diagnosis.rule == "flow"
    texts = [k.text for k in diagnosis.key_lines]
    assert "Cannot resolve name SnapshotType." in texts


def test_flow_check_with_box_drawing_header() -> None:
    lines = [
        "Error ┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈ src/index.js:3:10",
        "",
        "Cannot call `foo` because number [1] is not a function.",
        "",
        "Found 1 error",
    ]
    diagnosis = diagnose(actions_job("npx flow check", lines))
    assert diagnosis.category == "type_check"
    assert diagnosis.rule == "flow"


def test_cannot_lines_without_flow_header_are_not_flow() -> None:
    """Near miss: ``Cannot …`` sentences are everywhere; without Flow's header no Flow."""
    lines = ["Cannot find module 'left-pad'.", "npm ERR! code ELIFECYCLE"]
    diagnosis = diagnose(actions_job("npm run build", lines))
    assert diagnosis.rule != "flow"


# ---- ts-loader header and tsc's help ---------------------------------------------------


def test_ts_loader_header_is_a_ts_loader_line() -> None:
    # b21D3: the header is the bundler's loader's (rule ts-loader, build), not tsc's
    assert _matches("ts-loader", "[tsl] ERROR in /home/runner/work/app/app/src/index.ts(67,27)")
    assert _matches(
        "ts-loader", "Error: [tsl] ERROR in /home/runner/work/app/app/src/index.ts(10,28)"
    )
    assert not _matches("ts-loader", "[tsl] WARNING in /home/runner/work/app/app/src/index.ts(1,1)")


_TSC_HELP = [
    "yarn run v1.22.19",
    "$ tsc && vite build",
    "Version 5.3.3",
    "tsc: The TypeScript Compiler - Version 5.3.3",
    "",
    "COMMON COMMANDS",
    "",
    "error Command failed with exit code 1.",
]


def test_tsc_printing_its_help_is_a_misconfigured_build() -> None:
    diagnosis = diagnose(actions_job("yarn run build", _TSC_HELP))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "tsc-usage"
    assert diagnosis.summary == "tsc: The TypeScript Compiler - Version 5.3.3"
    assert _matches("tsc-usage", "Syntax:   tsc [options] [file...]")


def test_a_type_error_beats_tsc_help_text() -> None:
    """Near miss: a real diagnostic is the cause when both appear."""
    lines = [
        *_TSC_HELP[:4],
        "src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    ]
    diagnosis = diagnose(actions_job("yarn run build", lines))
    assert diagnosis.category == "type_check"
    assert not _matches("tsc-usage", "tsc --version")


# ---- pytest: the ERRORS section's header --------------------------------------------


def test_pytest_collection_section_header_without_its_exception() -> None:
    lines = [
        "==================================== ERRORS ====================================",
        "________________________ ERROR collecting test session _________________________",
        "/usr/lib/python3.6/importlib/__init__.py:126: in import_module",
        "    return _bootstrap._gcd_import(name[level:], package, level)",
        "integration_tests/conftest.py:15: in <module>",
        "    import cubedash",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "pytest-failed"
    assert not _matches("pytest-failed", "__________ test_collecting_errors __________")
