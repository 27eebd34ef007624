# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 29, helper d29A (pasted CI output): a server's HTML error page, a
download piped into tar that was no archive, git's pkt-line disconnect, a heading that
opens and closes on its line, unittest's ``msg`` at the end of an assertion's diff, and
the first stack frame under an exception line.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import pytest

from bot.diagnose.logline import clean_line
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids

RULES = load_rules()


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("<title>500 Server Error</title>", "http-server-error-page"),
        ("<head><title>502 Bad Gateway</title></head>", "http-server-error-page"),
        ("<title>503 Service Unavailable</title>", "http-server-error-page"),
        ("<h1>Error: Server Error</h1>", "http-server-error-page"),
        ("<center><h1>502 Bad Gateway</h1></center>", "http-server-error-page"),
        (
            "<h2>The server encountered an error and could not complete your request.<p>Please try again in 30 seconds.</h2>",
            "http-server-error-page",
        ),
        (
            "<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>",
            "http-server-error-page",
        ),
        ("1.429 gzip: invalid magic", "download-not-an-archive"),
        ("gzip: stdin: not in gzip format", "download-not-an-archive"),
        ("xz: (stdin): File format not recognized", "download-not-an-archive"),
        ("bzip2: (stdin) is not a bzip2 file.", "download-not-an-archive"),
        ("tar: Error opening archive: Unrecognized archive format", "download-not-an-archive"),
        ("send-pack: unexpected disconnect while reading sideband packet", "network-error"),
        ("fetch-pack: unexpected disconnect while reading sideband packet", "network-error"),
    ],
)
def test_rule_matches(line: str, rule: str) -> None:
    assert rule in _ids(clean_line(line))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("<title>404 Not Found</title>", "http-server-error-page"),
        ("<title>Server Error handling in Flask</title>", "http-server-error-page"),
        ("<h1>Welcome to nginx!</h1>", "http-server-error-page"),
        ("def test_500_server_error(client):", "http-server-error-page"),
        ("gzip: stdin: unexpected end of file", "download-not-an-archive"),
        ("tar: Error is not recoverable: exiting now", "download-not-an-archive"),
        ("checking whether gzip supports invalid magic numbers... no", "download-not-an-archive"),
        ("send-pack: not sending sideband", "network-error"),
    ],
)
def test_near_misses(line: str, rule: str) -> None:
    assert rule not in _ids(clean_line(line))


def test_whole_heading_keeps_its_tag() -> None:
    assert clean_line("<h1>Error: Server Error</h1>") == "<h1>Error: Server Error</h1>"
    # a reporter's heading over a tool's line, or two tags, still goes
    assert clean_line("<h5>FAILED tests/test_x.py::test_y") == "FAILED tests/test_x.py::test_y"
    assert (
        clean_line("<h3><strong>Test cases that failed: </strong></h3>")
        == "Test cases that failed: </strong></h3>"
    )
    assert clean_line("<h2>a</h3>") == "a</h3>"


def test_html_error_page_is_the_network() -> None:
    got = _paste(
        [
            "Executing lane internal on Linux.",
            "<html><head>",
            '<meta http-equiv="content-type" content="text/html;charset=utf-8">',
            "<title>500 Server Error</title>",
            "</head>",
            "<body text=#000000 bgcolor=#ffffff>",
            "<h1>Error: Server Error</h1>",
            "<h2>The server encountered an error and could not complete your request.<p>Please try again in 30 seconds.</h2>",
            "<h2></h2>",
            "</body></html>",
        ]
    )
    assert got.category == "infra_network"
    texts = [k.text for k in got.key_lines]
    assert "<title>500 Server Error</title>" in texts
    assert "<h1>Error: Server Error</h1>" in texts


def test_download_not_an_archive() -> None:
    got = _paste(
        [
            "  1.291 + curl --silent -L https://github.com/o/r/releases/download/0.1/r-0.1.tar.gz",
            "  1.291 + tar -xzv -C /usr/bin '--strip-components=1'",
            "  1.429 gzip: invalid magic",
            "  1.432 tar: Child returned status 1",
            "  1.432 tar: Error is not recoverable: exiting now",
        ]
    )
    assert got.category == "dependency_install"
    assert any("gzip: invalid magic" in k.text for k in got.key_lines)


def test_unittest_msg_after_the_diff_joins_the_message() -> None:
    got = _paste(
        [
            "=" * 70,
            "FAIL: test_noc_locations (test.unit_tests.test_noc.TestNOC)",
            "-" * 70,
            "Traceback (most recent call last):",
            '  File "/w/test/unit_tests/test_noc.py", line 71, in test_noc_locations',
            "    self.assertEqual(",
            "AssertionError: Tuples differ: (16, 11) != (2, 0)",
            "",
            "First differing element 0:",
            "16",
            "2",
            "",
            "- (16, 11)",
            "+ (2, 0) : NOC1 location mismatch for block at 0-0 (d0,0)",
            "",
            "-" * 70,
            "Ran 3 tests in 0.012s",
            "",
            "FAILED (failures=1)",
        ]
    )
    (failure,) = got.failures
    assert failure.message.startswith("AssertionError: Tuples differ: (16, 11) != (2, 0)")
    assert failure.message.endswith(" : NOC1 location mismatch for block at 0-0 (d0,0)")
    assert any("NOC1 location mismatch" in k.text for k in got.key_lines)


def test_unittest_diff_without_msg_leaves_the_message() -> None:
    got = _paste(
        [
            "=" * 70,
            "FAIL: test_x (test.test_m.T)",
            "-" * 70,
            "Traceback (most recent call last):",
            '  File "/w/test/test_m.py", line 5, in test_x',
            "    self.assertEqual(a, b)",
            "AssertionError: Lists differ: [1, 2] != [1, 3]",
            "",
            "- [1, 2]",
            "?     ^",
            "",
            "+ [1, 3]",
            "?     ^",
            "",
            "-" * 70,
            "Ran 1 test in 0.001s",
        ]
    )
    (failure,) = got.failures
    assert failure.message == "AssertionError: Lists differ: [1, 2] != [1, 3]"


def test_first_frame_under_an_exception_line() -> None:
    got = _paste(
        [
            "Error: The given 'androidx.compose.ui:ui-tooling FAILED can't be parsed as a gradle package.",
            "",
            "      at parseGradlePackage (/home/runner/work/_actions/o/a/v0.8.4/webpack:/a/lib/parse.js:73:1)",
            "",
            "      at parseGradleDependency (/home/runner/work/_actions/o/a/v0.8.4/webpack:/a/lib/parse.js:176:1)",
        ]
    )
    texts = [k.text.strip() for k in got.key_lines]
    assert texts[0].startswith("Error: The given")
    assert texts[1].startswith("at parseGradlePackage")
    assert not any(t.startswith("at parseGradleDependency") for t in texts)


def test_no_frame_under_a_plain_line() -> None:
    got = _paste(
        [
            "Waiting for the server",
            "    at least 3 retries left",
            "Error: server did not start",
        ]
    )
    assert not any(k.rule == "frame" for k in got.key_lines)
