# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 14, helper b14D3 (whole Travis CI job logs): karma's own reporters
(``progress``/``dots``), which name a failed spec on one line with the browser that ran it
and ``FAILED``, its error on the tab-indented lines below (``Karma`` extractor).

Each snippet is written in the shape karma prints; the near misses are karma's other lines
that carry ``FAILED`` or a browser's name (the per-browser count, a browser ``ERROR``
outside any spec, a console ``LOG:`` line) and other runners' ``… FAILED`` lines.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_karma import Karma
from bot.diagnose.extractors import extract_failures, follow_patterns, trigger_patterns
from bot.diagnose.logreader import prefilter_pattern
from tests.diagnose.joblogs import fed, travis_one_command


def karma_only(lines: list[str]) -> list[tuple[str, str | None, str | None]]:
    return [(f.test, f.message, f.location) for f in fed(Karma(), lines).failures()]


# ---- karma progress reporter: Sauce Labs browsers, one of them fails ----------------------

_SAUCE_IE10 = [
    "\x1b[32m07 01 2019 23:21:41.742:INFO [karma-server]: \x1b[39mKarma v3.1.4 server started at http://0.0.0.0:9876/",
    "Firefox 60.0.0 (Windows 7.0.0) LOG: \x1b[36m'Attempting to configure '__esModule' with descriptor '{\"value\":true}' on object 'undefined' and got error, giving up: TypeError: undefined is not a non-null object'\x1b[39m",
    "................................................................................",
    "Chrome 67.0.3396 (Windows 7.0.0): Executed 6029 of 6044 (skipped 15)\x1b[32m SUCCESS\x1b[39m (58.681 secs / 48.286 secs)",
    "\x1b[31mIE 10.0.0 (Windows 8.0.0) bootstrap factory method should invoke the default exception handler when bootstrap fails FAILED\x1b[39m",
    "\tTypeError: Unable to get property 'element' of undefined or null reference",
    "\terror properties: Object({ number: -2146823281 })",
    "\t    at <Jasmine>",
    "\t   at cleanData (Unknown script code:77:48)",
    "\t   at invoke (node_modules/zone.js/dist/zone.js:386:13)",
    "\tError: The ng module Ng2ModuleA has already been destroyed.",
    "\t   at destroy (Unknown script code:517:13)",
    "\x1b[31mIE 10.0.0 (Windows 8.0.0) bootstrap factory method should forward the error to promise when bootstrap fails FAILED\x1b[39m",
    "\tError: The ng module Ng2ModuleA has already been destroyed.",
    "\t   at destroy (Unknown script code:517:13)",
    "..................................................",
    "\x1b[31mIE 10.0.0 (Windows 8.0.0) ERROR\x1b[39m",
    "  {",
    '    "message": "An error was thrown in afterAll\\nError: The ng module Ng2ModuleA has already been destroyed.",',
    "  }",
    "IE 10.0.0 (Windows 8.0.0): Executed 5383 of 5954\x1b[31m (349 FAILED)\x1b[39m (skipped 14)\x1b[31m ERROR\x1b[39m (3 mins 15.314 secs / 2 mins 49.624 secs)",
    "\x1b[91m07 01 2019 23:25:17.924:ERROR [reporter.sauce]: \x1b[39m✖ Tests errored",
]


def test_karma_progress_names_each_failed_spec_without_its_browser() -> None:
    got = diagnose(travis_one_command("./scripts/ci/test.sh", _SAUCE_IE10))
    assert got.category == "test_failure"
    assert got.failing_tests == [
        "bootstrap factory method should invoke the default exception handler when bootstrap fails",
        "bootstrap factory method should forward the error to promise when bootstrap fails",
    ]
    first = got.failures[0]
    assert (
        first.message
        == "TypeError: Unable to get property 'element' of undefined or null reference"
    )
    assert first.location is None  # IE's frames are 'Unknown script code', never a file
    assert got.failures[1].message == "Error: The ng module Ng2ModuleA has already been destroyed."
    texts = [k.text for k in got.key_lines]
    assert any("Unable to get property 'element'" in t for t in texts)


def test_karma_headless_chrome_spec_with_its_spec_file_frame() -> None:
    lines = [
        "HeadlessChrome 0.0.0 (Linux 0.0.0) AppComponent should render title in a h1 tag FAILED",
        "\tExpected 'Welcome to app!' to contain 'Welcome to my-app!'.",
        "\t    at UserContext.<anonymous> (src/app/app.component.spec.ts:30:58)",
        "\t    at ZoneDelegate.invoke (node_modules/zone.js/dist/zone.js:388:1)",
        "HeadlessChrome 0.0.0 (Linux 0.0.0): Executed 3 of 3 (1 FAILED) (0.118 secs / 0.105 secs)",
    ]
    assert [f.test for f in extract_failures(lines)] == [
        "AppComponent should render title in a h1 tag"
    ]
    assert karma_only(lines) == [
        (
            "AppComponent should render title in a h1 tag",
            "Expected 'Welcome to app!' to contain 'Welcome to my-app!'.",
            "src/app/app.component.spec.ts:30",
        )
    ]


def test_karma_same_spec_in_two_browsers_is_one_test() -> None:
    lines = [
        "Chrome Headless 120.0.6099.109 (Linux x86_64) Util formats a date FAILED",
        "\tExpected '1/2/2020' to equal '2020-01-02'.",
        "\t    at <Jasmine>",
        "\t    at UserContext.apply (test/util.spec.js:12:28)",
        "Firefox 115.0 (Ubuntu 0.0.0) Util formats a date FAILED",
        "\tExpected '1/2/2020' to equal '2020-01-02'.",
        "\t@test/util.spec.js:12:28",
        "Safari 12.0.0 (Mac OS X 10.14.0) Util parses FAILED",
        "    AssertionError: expected 1 to equal 2",
    ]
    assert karma_only(lines) == [
        (
            "Util formats a date",
            "Expected '1/2/2020' to equal '2020-01-02'.",
            "test/util.spec.js:12",
        ),
        ("Util parses", "AssertionError: expected 1 to equal 2", None),
    ]


def test_karma_lines_that_name_no_spec_are_not_tests() -> None:
    near_misses = [
        "IE 10.0.0 (Windows 8.0.0): Executed 5383 of 5954 (349 FAILED) (skipped 14) ERROR (3 mins 15.314 secs / 2 mins 49.624 secs)",
        "IE 10.0.0 (Windows 8.0.0) ERROR",
        "Chrome 67.0.3396 (Windows 7.0.0) LOG: 'step FAILED'",
        "Chrome 67.0.3396 (Windows 7.0.0) WARN: 'retry FAILED'",
        "Chrome 67.0.3396 (Windows 7.0.0): Executed 6029 of 6044 (skipped 15) SUCCESS (58.681 secs / 48.286 secs)",
        "com.example.CalcTest > addsTwo FAILED",
        "test calc::tests::adds ... FAILED",
        "tests/test_calc.py::test_add FAILED                                      [ 50%]",
        "Build 1.2.3 FAILED",
        "\tTypeError: Object doesn't support this action",
    ]
    assert karma_only(near_misses) == []


def test_karma_message_is_not_taken_from_the_next_browser_line() -> None:
    lines = [
        "PhantomJS 2.1.1 (Linux 0.0.0) Widget renders FAILED",
        "................................",
        "\tthis indented line belongs to something else",
    ]
    assert karma_only(lines) == [("Widget renders", None, None)]


def test_every_extractor_trigger_compiles_under_re2() -> None:
    """The triggers join the reader's one RE2 prefilter: a pattern RE2 cannot compile
    (a look-around) sends the whole prefilter to ``re`` over bytes, where a class holding a
    multi-byte character (``[`'‘]``) no longer matches the character (an Emacs rule's
    ``Package ‘emacs-26.1’ is unavailable`` went unseen that way)."""
    re2 = pytest.importorskip("re2")
    bad = []
    for pattern, ignore_case in [*trigger_patterns(), *follow_patterns()]:
        try:
            re2.compile(prefilter_pattern([(pattern, ignore_case)]))
        except Exception:
            bad.append(pattern)
    assert bad == []
    curly = diagnose(
        travis_one_command("emacs --batch -l init.el", ["Package ‘emacs-26.1’ is unavailable"], 255)
    )
    assert (curly.category, curly.rule) == ("dependency_install", "emacs-package")
