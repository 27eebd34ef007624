# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 18, helper b18D2 (CI output pasted into GitHub issues: no step framing,
no echoed command, the tool named only by its output): browser test runners that say why no
test ran or which assertion failed, and Create React App's build failing on ESLint findings.

- ``playwright-expect-failed``: Playwright's assertion error (``Error: expect(locator).
  toBeVisible()``, the older ``Error: Timed out 5000ms waiting for expect(…)``), its
  ``Received:`` line, and ``Failed worker ran N tests:`` after an error outside a test.
- ``playwright-webserver-timeout``: ``Error: Timed out waiting 120000ms from
  config.webServer.`` (the app Playwright starts never answered).
- ``cypress-server-unreachable``: Cypress' baseUrl check (``Cypress failed to verify that
  your server is running.``).
- the Playwright extractor reads the summary's ``N failed`` list when the log has no
  numbered failure blocks (a paste of the run's end).
- ``cra-eslint``: react-scripts' ``  Line 4:10:  message  rule-id`` rows, and with CI=true
  its ``Treating warnings as errors`` banner beside them.

Each snippet is written in the shape the tool prints; the near misses keep Jest's own
``Received:`` lines, Playwright's webServer that could not start, a Cypress run whose specs
failed, and CRA's banner over webpack warnings that are not ESLint's.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.extract_js import Playwright
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import actions_job, fed


def _paste(lines: list[str]) -> io.BytesIO:
    """Output as pasted into an issue: the tool's lines alone, no CI framing."""
    return io.BytesIO("".join(f"{line}\n" for line in lines).encode())


def _rules_of(result: Diagnosis) -> set[str | None]:
    return {k.rule for k in result.key_lines}


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


# ---- Playwright: an assertion, a worker that failed outside a test ----------------------

_PW_LOCATOR_PASTE = [
    "Error: expect(locator).toBeVisible()",
    "",
    "Locator: getByRole('button', { name: 'Save' })",
    "Expected: visible",
    "Received: <element(s) not found>",
    "Call log:",
    "  - expect.toBeVisible with timeout 5000ms",
    "  - waiting for getByRole('button', { name: 'Save' })",
    "",
    "    at /home/runner/work/app/app/tests/save.spec.ts:12:45",
]

_PW_LIST_REPORTER = [
    "Running 3 tests using 2 workers",
    "",
    "  ✘  1 [chromium] › tests/login.spec.ts:8:5 › login › shows the dashboard (5.2s)",
    "  ✓  2 [chromium] › tests/login.spec.ts:20:5 › login › rejects a bad password (1.1s)",
    "",
    "  1) [chromium] › tests/login.spec.ts:8:5 › login › shows the dashboard ─────────────────",
    "",
    "    Error: Timed out 5000ms waiting for expect(locator).toHaveText(expected)",
    "",
    "    Locator: locator('h1')",
    '    Expected string: "Dashboard"',
    '    Received string: "Sign in"',
    "    Call log:",
    "      - expect.toHaveText with timeout 5000ms",
    "",
    "      10 |     await page.getByRole('button').click();",
    "    > 11 |     await expect(page.locator('h1')).toHaveText('Dashboard');",
    "         |                                      ^",
    "",
    "        at /home/runner/work/app/app/tests/login.spec.ts:11:38",
    "",
    "  1 failed",
    "    [chromium] › tests/login.spec.ts:8:5 › login › shows the dashboard ──────────────────",
    "  2 passed (8.4s)",
]

_PW_STRAY_ERROR = [
    "Running 2 tests using 1 worker",
    "",
    "  ✓  1 tests/stray.spec.js:2:1 › leaves a stray error behind (3ms)",
    "Error: stray error after the test",
    "",
    "Failed worker ran 1 test:",
    "tests/stray.spec.js:2:1 › leaves a stray error behind",
    "",
    "   at tests/stray.spec.js:3",
]

_JEST_RECEIVED = [
    "FAIL src/sum.test.js",
    "  ● sum › adds two numbers",
    "",
    "    expect(received).toBe(expected) // Object.is equality",
    "",
    "    Expected: 4",
    "    Received: 5",
    "",
    "      3 | test('adds two numbers', () => {",
    "    > 4 |   expect(sum(2, 2)).toBe(4);",
    "        |                     ^",
    "",
    "      at Object.<anonymous> (src/sum.test.js:4:21)",
    "",
    "Test Suites: 1 failed, 1 total",
    "Tests:       1 failed, 1 total",
]


def test_playwright_locator_assertion_paste_is_a_test_failure() -> None:
    result = diagnose(_paste(_PW_LOCATOR_PASTE), name="pw")
    assert result.category == "test_failure"
    assert result.rule == "playwright-expect-failed"
    texts = _texts(result)
    assert "Error: expect(locator).toBeVisible()" in texts
    assert "Received: <element(s) not found>" in texts


def test_playwright_value_assertion_and_new_failed_suffix() -> None:
    rules = load_rules()
    for line in (
        "    Error: expect(received).toBe(expected) // Object.is equality",
        "    Error: expect(locator).toBeVisible() failed",
        "Error: expect(page).toHaveURL(expected)",
        "    Error: expect(locator).not.toBeChecked()",
    ):
        assert "playwright-expect-failed" in {r.id for r in rules.match(line)}, line
    for line in (
        "    expect(received).toBe(expected) // Object.is equality",  # jest's own line
        "Error: expected 1 to equal 2",
        "Error: expect is not defined",
    ):
        assert "playwright-expect-failed" not in {r.id for r in rules.match(line)}, line


def test_playwright_list_reporter_old_timeout_form_is_the_test_not_a_timeout() -> None:
    """Playwright 1.2x/1.3x words a locator assertion as ``Timed out 5000ms waiting for
    expect(…)``: a failed assertion, not a job time-out."""
    result = diagnose(actions_job("npx playwright test", _PW_LIST_REPORTER), name="pw")
    assert result.category == "test_failure"
    assert any("shows the dashboard" in t for t in result.failing_tests)
    assert any(t.startswith('Received string: "Sign in"') for t in _texts(result))


def test_playwright_failed_worker_after_a_stray_error() -> None:
    result = diagnose(_paste(_PW_STRAY_ERROR), name="pw")
    assert result.category == "test_failure"
    assert "Failed worker ran 1 test:" in _texts(result)


def test_jest_received_lines_are_not_playwright() -> None:
    """Near miss: Jest prints ``Received:`` under its own matcher line (no ``Error: ``)."""
    result = diagnose(actions_job("npx jest", _JEST_RECEIVED), name="jest")
    assert result.category == "test_failure"
    assert "playwright-expect-failed" not in _rules_of(result)


# ---- Playwright's webServer did not answer -----------------------------------------------


def test_playwright_webserver_timeout_is_a_timeout() -> None:
    lines = ["", "Error: Timed out waiting 120000ms from config.webServer.", ""]
    result = diagnose(actions_job("npx playwright test", lines), name="pw")
    assert result.category == "timeout"
    assert result.rule == "playwright-webserver-timeout"


def test_playwright_webserver_timeout_with_a_pasted_line_link() -> None:
    """Copied from GitHub's log viewer, a line-number link may land inside the number."""
    lines = [
        "Run npx playwright test",
        "  npx playwright test",
        "  shell: /usr/bin/bash -e {0}",
        "",
        "Error: Timed out waiting 1[2](https://github.com/o/r/actions/runs/1/job/2#step:7:2)0000ms from config.webServer.",
        "",
        "Error: Process completed with exit code 1.",
    ]
    result = diagnose(_paste(lines), name="pw")
    assert result.category == "timeout"
    # the web view's spliced line-number link is gone: the line reads as playwright printed it
    assert result.key_lines[0].text == "Error: Timed out waiting 120000ms from config.webServer."


def test_playwright_webserver_that_could_not_start_is_not_a_timeout() -> None:
    rules = load_rules()
    line = "Error: Process from config.webServer was not able to start. Exit code: 1"
    assert "playwright-webserver-timeout" not in {r.id for r in rules.match(line)}


# ---- Cypress: baseUrl unreachable ------------------------------------------------------------

_CYPRESS_BASE_URL = [
    "Cypress could not verify that this server is running:",
    "",
    "  > http://localhost:3000",
    "",
    "We are verifying this server because it has been configured as your baseUrl.",
    "",
    "Cypress automatically waits until your server is accessible before running tests.",
    "",
    "We will try connecting to it 3 more times...",
    "We will try connecting to it 2 more times...",
    "We will try connecting to it 1 more time...",
    "",
    "Cypress failed to verify that your server is running.",
    "",
    "Please start this server and then run Cypress again.",
]

_CYPRESS_SPECS_FAILED = [
    "  (Run Finished)",
    "",
    "       Spec                                              Tests  Passing  Failing",
    "  ┌────────────────────────────────────────────────────────────────────────────┐",
    "  │ ✖  login.cy.js                              00:04        2        1        1 │",
    "  └────────────────────────────────────────────────────────────────────────────┘",
    "    ✖  1 of 1 failed (100%)                     00:04        2        1        1  ",
]


def test_cypress_base_url_unreachable_is_the_network() -> None:
    result = diagnose(actions_job("npx cypress run", _CYPRESS_BASE_URL), name="cy")
    assert result.category == "infra_network"
    assert result.rule == "cypress-server-unreachable"
    assert "Cypress failed to verify that your server is running." in _texts(result)


def test_cypress_base_url_paste_without_framing() -> None:
    result = diagnose(_paste(_CYPRESS_BASE_URL), name="cy")
    assert result.category == "infra_network"


def test_cypress_failed_specs_stay_test_failures() -> None:
    result = diagnose(actions_job("npx cypress run", _CYPRESS_SPECS_FAILED), name="cy")
    assert result.category == "test_failure"
    assert "cypress-server-unreachable" not in _rules_of(result)


# ---- Create React App: ESLint findings fail the build ---------------------------------------

_CRA_CI_WARNINGS = [
    "> web@0.1.0 build",
    "> react-scripts build",
    "",
    "Creating an optimized production build...",
    "",
    "Treating warnings as errors because process.env.CI = true.",
    "Most CI servers set it automatically.",
    "",
    "Failed to compile.",
    "",
    "[eslint] ",
    "src/App.js",
    "  Line 5:21:  'useEffect' is defined but never used  no-unused-vars",
    "  Line 18:6:  React Hook useEffect has a missing dependency: 'load'. Either include it or remove the dependency array  react-hooks/exhaustive-deps",
    "",
]

_CRA2_ERRORS = [
    "Creating an optimized production build...",
    "Failed to compile.",
    "",
    "./src/index.js",
    "  Line 12:  'store' is assigned a value but never used  @typescript-eslint/no-unused-vars",
    "",
    "Search for the keywords to learn more about each error.",
]

_CRA_WEBPACK_WARNING = [
    "Creating an optimized production build...",
    "",
    "Treating warnings as errors because process.env.CI = true.",
    "Most CI servers set it automatically.",
    "",
    "Failed to compile.",
    "",
    "Module Warning (from ./node_modules/source-map-loader/dist/cjs.js):",
    "Failed to parse source map from '/home/runner/work/web/web/node_modules/lib/index.ts' file: Error: ENOENT: no such file or directory",
]


def test_cra_eslint_warnings_under_ci_are_lint() -> None:
    result = diagnose(actions_job("npm run build", _CRA_CI_WARNINGS), name="cra")
    assert result.category == "lint"
    assert result.rule == "cra-eslint"
    texts = _texts(result)
    assert "Treating warnings as errors because process.env.CI = true." in texts
    assert "Line 5:21:  'useEffect' is defined but never used  no-unused-vars" in texts
    # the summary is the first finding; the banner says why a warning failed the build
    assert result.summary is not None and result.summary.strip().startswith("Line 5:21:")


def test_cra2_eslint_rows_without_column() -> None:
    result = diagnose(_paste(_CRA2_ERRORS), name="cra")
    assert result.category == "lint"
    assert any(t.startswith("Line 12:  'store'") for t in _texts(result))


def test_cra_banner_over_webpack_warnings_stays_a_build_failure() -> None:
    """Near miss: CI=true also fails the build on a webpack warning that is not ESLint's."""
    result = diagnose(actions_job("npm run build", _CRA_WEBPACK_WARNING), name="cra")
    assert result.category == "build"
    assert not {"cra-eslint", "cra-ci-warnings"} & _rules_of(result)


def test_cra_row_shape_near_misses() -> None:
    rules = load_rules()
    for line in (
        "  Line 12 of the config is wrong",
        "Line 4:10:  'x' is defined but never used  no-unused-vars",  # not indented
        "  Line 4:10: message with one space no-unused-vars",
    ):
        assert "cra-eslint" not in {r.id for r in rules.match(line)}, line


# ---- react-scripts' other formatted errors: TypeScript, module and syntax errors ------------

_CRA_TYPESCRIPT = [
    "Creating an optimized production build...",
    "Failed to compile.",
    "",
    "TypeScript error in /home/runner/work/web/web/src/App.tsx(4,10):",
    "Type 'string' is not assignable to type 'number'.  TS2322",
    "",
    "    2 | ",
    "    3 | function App() {",
    '  > 4 |   const n: number = "a";',
    "      |          ^",
]


def test_cra_typescript_error_is_a_type_check() -> None:
    result = diagnose(actions_job("npm run build", _CRA_TYPESCRIPT), name="cra")
    assert result.category == "type_check"
    assert result.rule == "cra-typescript"
    assert "Type 'string' is not assignable to type 'number'.  TS2322" in _texts(result)


def test_cra_typescript_message_shape_needs_its_header() -> None:
    """Near miss: a line ending in two spaces and a TS code, without the formatter's
    `TypeScript error in` header, is not read as a type error."""
    lines = ["Creating an optimized production build...", "Compiled.", "see notes  TS2322"]
    result = diagnose(actions_job("npm run build", lines), name="cra")
    assert "cra-typescript" not in _rules_of(result)
    assert result.category != "type_check"


def test_cra_module_not_found_and_syntax_error_are_key_lines() -> None:
    missing = [
        "Failed to compile.",
        "",
        "./src/App.js",
        "Module not found: Can't resolve './components/Header' in '/home/runner/work/web/web/src'",
    ]
    result = diagnose(_paste(missing), name="cra")
    assert result.category == "build"
    assert any(t.startswith("Module not found: Can't resolve") for t in _texts(result))
    syntax = ["Failed to compile.", "", "./src/App.js", "Syntax error: Unexpected token (12:4)"]
    result = diagnose(_paste(syntax), name="cra")
    assert result.category == "build"
    assert "Syntax error: Unexpected token (12:4)" in _texts(result)
    rules = load_rules()
    # a shell's syntax error is not this shape (a prefix, no position in parentheses)
    for line in ('./ci.sh: 12: Syntax error: "(" unexpected', "Syntax error: end of file"):
        assert "node-build" not in {r.id for r in rules.match(line)}, line


# ---- Cypress cannot start ---------------------------------------------------------------------

_CYPRESS_BINARY_MISSING = [
    "The cypress npm package is installed, but the Cypress binary is missing.",
    "",
    "We expected the binary to be installed here: /home/runner/.cache/Cypress/13.6.0/Cypress/Cypress",
    "",
    "Reasons it may be missing:",
    "",
    "- You're caching 'node_modules' but are not caching this path: /home/runner/.cache/Cypress",
    "- You ran 'npm install' at an earlier time but did not cache the binary",
    "",
    "https://on.cypress.io/not-installed-ci-error",
    "----------",
    "Platform: linux-x64 (Ubuntu - 22.04)",
    "Cypress Version: 13.6.0",
]

_CYPRESS_NO_XVFB = [
    "Your system is missing the dependency: Xvfb",
    "",
    "Install Xvfb and run Cypress again.",
    "",
    "----------",
    "",
    "Error: spawn Xvfb ENOENT",
]


def test_cypress_binary_missing_is_an_install_problem() -> None:
    result = diagnose(actions_job("npx cypress run", _CYPRESS_BINARY_MISSING), name="cy")
    assert result.category == "dependency_install"
    assert result.rule == "cypress-not-installed"


def test_cypress_missing_system_dependency() -> None:
    result = diagnose(_paste(_CYPRESS_NO_XVFB), name="cy")
    assert result.category == "dependency_install"
    assert "Your system is missing the dependency: Xvfb" in _texts(result)


# ---- Playwright's summary lists name the failed tests of a paste without the blocks -----------

_PW_SUMMARY_ONLY = [
    "Running 12 tests using 2 workers",
    "",
    "  1 failed",
    "    [chromium] › tests/login.spec.ts:5:7 › login › shows the dashboard ──────────────────────────",
    "  1 flaky",
    "    [webkit] › tests/cart.spec.ts:9:3 › cart › adds an item ─────────────────────────────────────",
    "  10 passed (1.2m)",
]


def test_playwright_summary_failed_list_names_the_tests() -> None:
    extractor = fed(Playwright(), _PW_SUMMARY_ONLY)
    assert extractor.tests() == [
        "[chromium] › tests/login.spec.ts:5:7 › login › shows the dashboard"
    ]
    result = diagnose(_paste(_PW_SUMMARY_ONLY), name="pw")
    assert result.category == "test_failure"
    assert result.failing_tests == [
        "[chromium] › tests/login.spec.ts:5:7 › login › shows the dashboard"
    ]


def test_playwright_blocks_win_over_the_summary_list() -> None:
    """With the numbered blocks in the log, the tests and their messages come from them."""
    extractor = fed(Playwright(), _PW_LIST_REPORTER)
    assert extractor.tests() == [
        "[chromium] › tests/login.spec.ts:8:5 › login › shows the dashboard"
    ]
    assert extractor.failures()[0].message is not None


def test_playwright_flaky_list_alone_names_no_failed_test() -> None:
    lines = [
        "  1 flaky",
        "    [webkit] › tests/cart.spec.ts:9:3 › cart › adds an item ──────",
        "  10 passed (1.2m)",
    ]
    assert fed(Playwright(), lines).tests() == []
