# ruff: noqa: E501  (real tool lines read better unwrapped)
"""mocha's xunit reporter printed to the log, and mocha lines that look like a failure but
name no failed test (or name it once).

Sources: mocha ``lib/reporters/xunit.js`` (``<testsuite name= tests= failures="0" errors=
skipped= timestamp= time=>``; ``<testcase classname="<parent fullTitle>" name="<title>"
file= time=>``; a failure's ``<failure>`` holds the message, a newline and the stack; a
pending test ``<skipped/>``), ``lib/reporters/spec.js`` (pending ``  - title``, a failed
test ``  N) title`` in the progress tree) and ``lib/reporters/base.js`` (the epilogue's
``N failing`` list, a hook's title ``"before each" hook for "title"`` under its suite).
"""

from __future__ import annotations

from bot.diagnose.extractors import extract_failures

XUNIT = [
    '<testsuite name="Mocha Tests" tests="4" failures="0" errors="2" skipped="1" timestamp="Mon, 01 Jan 2024 00:00:00 GMT" time="0.012">',
    '<testcase classname="api" name="handles failing requests" time="0.001"/>',
    '<testcase classname="api &quot;v2&quot;" name="reports errors" file="/home/runner/work/a/a/test/api.spec.js" time="0.002"><failure>expected 2 to equal 3',
    "AssertionError: expected 2 to equal 3",
    "    at Context.&lt;anonymous&gt; (test/api.spec.js:12:10)",
    "    at process.processImmediate (node:internal/timers:476:21)</failure></testcase>",
    '<testcase classname="" name="root test" time="0.001"><failure>boom',
    "Error: boom",
    "    at Context.&lt;anonymous&gt; (test/root.spec.js:3:9)</failure></testcase>",
    '<testcase classname="api" name="fails later" time="0"><skipped/></testcase>',
    "</testsuite>",
]

# mocha ≤ 3: the message in an attribute, the stack in CDATA
XUNIT_OLD = [
    '<testsuite name="Mocha Tests" tests="1" failures="1" errors="1" skipped="0" timestamp="Mon, 01 Jan 2018 00:00:00 GMT" time="0.01">',
    '<testcase classname="parser" name="reads a file" time="0.003" message="ENOENT"><failure message="ENOENT: no such file"><![CDATA[Error: ENOENT: no such file',
    "    at Context.<anonymous> (test/parser.js:8:5)]]></failure></testcase>",
    "</testsuite>",
]

# another tool's JUnit XML printed to the log (Surefire's attribute order): not mocha's
OTHER_XML = [
    '<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.acme.CalcTest" time="0.05" tests="2" errors="0" skipped="0" failures="1">',
    '<testcase classname="com.acme.CalcTest" name="adds" time="0.01"><failure message="expected:&lt;3&gt;" type="java.lang.AssertionError">',
    "</failure></testcase>",
]

SPEC_WITH_NEAR_MISSES = [
    "  users table",
    '    1) "before each" hook for "inserts a row"',
    "",
    "  config",
    "    ✔ has a port",
    "    ✔ fails gracefully when the error handler is missing",
    "    - reports errors",
    "    ✓ retried test passes (120ms)",
    "",
    "  2 passing (30ms)",
    "  1 pending",
    "  1 failing",
    "",
    "  1) users table",
    '       "before each" hook for "inserts a row":',
    "     Error: connect ECONNREFUSED 127.0.0.1:5432",
    "      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1494:16)",
    "",
]


def test_xunit_failures_are_named_by_their_full_title() -> None:
    failures = extract_failures(XUNIT)
    assert [(f.test, f.message, f.location) for f in failures] == [
        ('api "v2" reports errors', "expected 2 to equal 3", "test/api.spec.js:12"),
        ("root test", "boom", "test/root.spec.js:3"),
    ]


def test_old_xunit_message_attribute_and_cdata() -> None:
    failures = extract_failures(XUNIT_OLD)
    assert [(f.test, f.message, f.location) for f in failures] == [
        ("parser reads a file", "ENOENT: no such file", "test/parser.js:8")
    ]


def test_another_tools_junit_xml_is_not_read_as_mocha() -> None:
    assert "com.acme.CalcTest adds" not in [f.test for f in extract_failures(OTHER_XML)]


def test_hook_failure_is_named_once_under_its_suite() -> None:
    failures = extract_failures(SPEC_WITH_NEAR_MISSES)
    assert [f.test for f in failures] == ['users table "before each" hook for "inserts a row"']


def test_passing_run_names_nothing() -> None:
    lines = [
        "  api",
        "    ✔ handles error responses",
        "    - fails on timeout",
        "",
        "  1 passing (12ms)",
        "  1 pending",
    ]
    assert extract_failures(lines) == []
