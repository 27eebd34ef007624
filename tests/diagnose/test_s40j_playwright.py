"""Playwright: browsers that cannot start because the host lacks their system libraries.

Source: microsoft/playwright `packages/playwright-core/src/server/registry/dependencies.ts`
(`Host system is missing dependencies to run browsers.` inside a ╔═╗ box with the
`npx playwright install-deps` advice; 1.1x printed `Host system is missing dependencies!`
then `Missing libraries are:`), under the list reporter's `  1) [webkit] › file:L:C › title`
header (`packages/playwright/src/reporters/base.ts`).
"""

from __future__ import annotations

from bot.diagnose import diagnose

HEAD = [
    "##[group]Run npx playwright test",
    "npx playwright test",
    "##[endgroup]",
    "",
    "Running 3 tests using 1 worker",
    "",
    "  1) [webkit] › tests/home.spec.ts:5:3 › home page loads ──────────────────────────",
    "",
]
TAIL = [
    "",
    "  1 failed",
    "    [webkit] › tests/home.spec.ts:5:3 › home page loads ───────────────────────────",
    "##[error]Process completed with exit code 1.",
]


def run(body: list[str]) -> tuple[str, str | None, list[str]]:
    result = diagnose("\n".join(HEAD + body + TAIL).encode())
    return result.category, result.rule, [k.text.strip() for k in result.key_lines]


def test_missing_host_dependencies_is_dependency_install() -> None:
    body = [
        "    Error: browserType.launch: ",
        "    ╔══════════════════════════════════════════════════════╗",
        "    ║ Host system is missing dependencies to run browsers. ║",
        "    ║ Please install them with the following command:      ║",
        "    ║                                                      ║",
        "    ║     sudo npx playwright install-deps                 ║",
        "    ╚══════════════════════════════════════════════════════╝",
    ]
    category, rule, keys = run(body)
    assert (category, rule) == ("dependency_install", "playwright-browsers")
    assert "║ Host system is missing dependencies to run browsers. ║" in keys[:4]


def test_missing_host_dependencies_old_wording() -> None:
    body = [
        "    browserType.launch: Host system is missing dependencies!",
        "",
        "      Missing libraries are:",
        "          libgtk-3.so.0",
    ]
    category, rule, keys = run(body)
    assert (category, rule) == ("dependency_install", "playwright-browsers")
    assert "browserType.launch: Host system is missing dependencies!" in keys[:3]


def test_near_miss_assertion_failure_stays_test_failure() -> None:
    body = [
        "    Error: expect(received).toBe(expected) // Object.is equality",
        "",
        '    Expected: "missing dependencies"',
        '    Received: "ok"',
    ]
    category, _rule, keys = run(body)
    assert category == "test_failure"
    assert "Error: expect(received).toBe(expected) // Object.is equality" in keys[:2]
