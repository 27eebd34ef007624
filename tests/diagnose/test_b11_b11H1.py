"""Shapes from batch 11, helper b11H1 (whole Travis CI job logs): linkinator's broken-link
report and size-limit's package budget, both checks that run after tests pass.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import travis_job

_LINKINATOR = [
    "> bootstrap@4.3.1 docs-linkinator /home/runner/build/twbs/bootstrap",
    '> linkinator _gh_pages --recurse --silent --skip "^(?!http://localhost)"',
    "",
    "  [404] http://localhost:5422",
    "",
    "ERROR: Detected 1 broken links. Scanned 1 links in 0.06 seconds.",
    "npm ERR! code ELIFECYCLE",
    "npm ERR! errno 1",
    "npm ERR! Failed at the bootstrap@4.3.1 docs-linkinator script.",
    'ERROR: "docs-linkinator" exited with 1.',
    "npm ERR! Test failed.  See above for more details.",
]


def test_linkinator_broken_links_are_a_link_check() -> None:
    d = diagnose(travis_job("npm test", _LINKINATOR))
    assert d.category == "lint"
    assert d.rule == "link-check"
    assert any("ERROR: Detected 1 broken links." in k.text for k in d.key_lines)
    assert d.failing_tests == []


_SIZE_LIMIT = [
    "\x1b[1mTests:       \x1b[22m\x1b[1m\x1b[32m220 passed\x1b[39m\x1b[22m, 220 total",
    "> autoprefixer@9.4.2 lint /home/runner/build/postcss/autoprefixer",
    "",
    "  \x1b[31mPackage size limit has exceeded by 49 B\x1b[39m",
    "  Package size: \x1b[1m\x1b[31m104.05 KB\x1b[39m\x1b[22m",
    "  Size limit:   \x1b[1m104 KB\x1b[22m",
    "\x1b[90m  With all dependencies, minified and gzipped\x1b[39m",
    "\x1b[31merror\x1b[39m Command failed with exit code 3.",
]


def test_size_limit_over_budget_is_lint_not_a_test() -> None:
    d = diagnose(travis_job("yarn test", _SIZE_LIMIT))
    assert d.category == "lint"
    assert d.rule == "size-limit-exceeded"
    assert any("Package size limit has exceeded by 49 B" in k.text for k in d.key_lines)
    assert d.failing_tests == []


def test_size_limit_within_budget_is_not_flagged() -> None:
    lines = ["  Package size: 103.2 KB", "  Size limit:   104 KB", "Error: tests failed"]
    d = diagnose(travis_job("yarn test", lines))
    assert d.rule != "size-limit-exceeded"


_KARMA_LOST = [
    "Chrome 75.0.3770 (Mac OS X 10.10.5): Executed 220 of 220 SUCCESS (29.813 secs / 29.686 secs)",
    "IE 8.0.0 (Windows 7.0.0) ERROR",
    "  Disconnectedreconnect failed before timeout of 2000ms (ping timeout)",
    "IE 8.0.0 (Windows 7.0.0): Executed 50 of 220 DISCONNECTED (1 min 9.089 secs / 1.933 secs)",
    ">> Exited with code: 1.",
    'Warning: Task "exec:browserstack" failed. Use --force to continue.',
    "npm ERR! Test failed.  See above for more details.",
]


def test_karma_remote_browser_lost_is_infra_network() -> None:
    d = diagnose(travis_job("npm test", _KARMA_LOST))
    assert d.category == "infra_network"
    assert d.retryable
    assert any("reconnect failed before timeout" in k.text for k in d.key_lines)
    assert d.failing_tests == []
