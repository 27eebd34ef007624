"""JUnit XML from artifact zips: failures, caps, bombs, malformed input, no disk writes."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from bot.diagnose import junit
from bot.diagnose.extractors import Failure
from bot.diagnose.junit import failures_from_xml, failures_from_zip

SUREFIRE = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.CalcTest" tests="2" failures="1" errors="0">
  <testcase name="adds" classname="com.acme.CalcTest" time="0.01">
    <failure message="expected: &lt;4&gt; but was: &lt;5&gt;"
      type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: expected
\tat com.acme.CalcTest.adds(CalcTest.java:17)
</failure>
  </testcase>
  <testcase name="subtracts" classname="com.acme.CalcTest" time="0.01"/>
</testsuite>
"""

PYTEST = b"""<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1"
failures="0" tests="2"><testcase classname="tests.test_calc" name="test_add"
file="tests/test_calc.py" line="10"><error message="ValueError: bad">tests/test_calc.py:12:
</error></testcase><testcase classname="tests.test_calc" name="test_ok"/></testsuite></testsuites>
"""


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_surefire_and_pytest_reports_in_one_artifact() -> None:
    report = failures_from_zip(
        _zip(
            {
                "target/surefire-reports/TEST-a.xml": SUREFIRE,
                "py/junit.xml": PYTEST,
                "readme.txt": b"not xml",
            }
        )
    )
    assert report.files == 2 and report.tests == 4 and report.skipped == []
    assert report.failures == [
        Failure(
            "com.acme.CalcTest.adds",
            "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>",
            "CalcTest.java:17",
            None,
        ),
        Failure("tests.test_calc.test_add", "ValueError: bad", "tests/test_calc.py:10", None),
    ]


def test_entity_expansion_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<testsuite><testcase name="x"><failure message="&lol2;"/></testcase></testsuite>"""
    report = failures_from_xml(bomb)
    assert report.failures == [] and "unsafe" in report.skipped[0]


def test_external_entity_is_refused(tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("TOPSECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<testsuite><testcase name="x"><failure message="&s;"/></testcase></testsuite>'
    ).encode()
    report = failures_from_xml(xxe)
    assert report.failures == [] and report.skipped


def test_zip_bomb_member_stops_at_the_cap(monkeypatch) -> None:
    monkeypatch.setattr(junit, "MAX_MEMBER_BYTES", 1 << 20)
    body = b"<testsuite>" + b" " * (8 << 20) + b"</testsuite>"
    data = _zip({"big.xml": body})
    assert len(data) < 64 << 10  # highly compressible: a bomb in miniature
    report = failures_from_zip(data)
    assert report.files == 0 and "cap" in report.skipped[0]


def test_a_lying_size_header_is_caught_while_reading(monkeypatch) -> None:
    monkeypatch.setattr(junit, "MAX_MEMBER_BYTES", 1 << 20)
    data = bytearray(_zip({"a.xml": b"<testsuite>" + b" " * (2 << 20) + b"</testsuite>"}))
    # rewrite the declared uncompressed size (local header and central directory) to 100
    true_size = (2 << 20) + len(b"<testsuite></testsuite>")
    data = data.replace(true_size.to_bytes(4, "little"), (100).to_bytes(4, "little"))
    report = failures_from_zip(bytes(data))
    assert report.files == 0 and report.failures == []
    assert report.skipped  # over the cap, or a size mismatch: skipped either way


def test_archive_over_the_cap_is_not_opened(monkeypatch) -> None:
    monkeypatch.setattr(junit, "MAX_ARCHIVE_BYTES", 100)
    report = failures_from_zip(_zip({"a.xml": SUREFIRE}))
    assert report.failures == [] and "cap" in report.skipped[0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a zip at all", "not a readable zip"),
        (b"PK\x03\x04" + os.urandom(200), "not a readable zip"),
        (_zip({"a.xml": b"<testsuite><testcase"}), "not well-formed"),
        (_zip({"a.xml": b"<html><body/></html>"}), "not a JUnit report"),
    ],
)
def test_malformed_input_is_a_skip_with_a_reason(data: bytes, reason: str) -> None:
    report = failures_from_zip(data)
    assert report.failures == [] and reason in report.skipped[0]


def test_archive_names_are_never_paths(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = _zip({"../../escape.xml": SUREFIRE, "/abs/evil.xml": SUREFIRE})
    report = failures_from_zip(data)
    assert len(report.failures) == 2
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "escape.xml").exists()


def test_junit_message_wins_for_the_tests_the_log_found() -> None:
    from bot.diagnose.junit import JUnitReport, prefer_junit

    report = JUnitReport(
        failures=[
            Failure(
                "tests.test_calc.TestEdge.test_big",
                "AssertionError: exact",
                "tests/test_calc.py:19",
            ),
            Failure("com.acme.CalcTest.adds", "expected: <4> but was: <5>", "CalcTest.java:17"),
        ]
    )
    log = [
        Failure("tests/test_calc.py::TestEdge::test_big", "assert 1 == 2", None, 40),
        Failure("adds(com.acme.CalcTest)", None, None, 50),
        Failure("other_test", "kept", "x.py:1", 60),
    ]
    merged, used = prefer_junit(log, report, whole_run=False)
    assert used
    assert [(f.test, f.message, f.location, f.line) for f in merged] == [
        (
            "tests/test_calc.py::TestEdge::test_big",
            "AssertionError: exact",
            "tests/test_calc.py:19",
            40,
        ),
        ("adds(com.acme.CalcTest)", "expected: <4> but was: <5>", "CalcTest.java:17", 50),
        ("other_test", "kept", "x.py:1", 60),
    ]


def test_junit_replaces_an_empty_log_list_only_for_the_runs_only_failed_job() -> None:
    from bot.diagnose.junit import JUnitReport, prefer_junit

    report = JUnitReport(failures=[Failure("a.B.c", "boom")])
    assert prefer_junit([], report, whole_run=False) == ([], False)
    assert prefer_junit([], report, whole_run=True) == ([Failure("a.B.c", "boom")], True)
