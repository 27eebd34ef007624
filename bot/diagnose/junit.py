"""Failing tests from JUnit XML test reports, read from a workflow artifact's zip bytes.

Why a separate reader: when a run uploaded its test reports, they name every failing test
with its message exactly, and beat parsing the log. Safe by construction, because an
artifact is attacker-controlled input (any PR can upload one):

* size caps before decompression (the archive, each member's declared size) and after
  (bytes actually read per member and in total — a lying header is caught while reading);
* nothing is extracted to disk and no name from the archive is used as a path (member
  names are only matched on their ``.xml`` suffix and reported in skip reasons);
* XML is parsed with ``defusedxml`` (no DTDs, no entity expansion: no billion laughs, no
  external entities);
* a malformed archive, member or document is skipped with a reason, never raised.

Pure: bytes in, :class:`JUnitReport` out.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped,unused-ignore]  # no stubs
from defusedxml.ElementTree import (  # type: ignore[import-untyped,unused-ignore]  # no stubs
    ParseError,
    fromstring,
)

from .extractors import Failure, relative_path

MAX_ARCHIVE_BYTES = 64 << 20  # compressed artifact accepted at all
MAX_MEMBER_BYTES = 16 << 20  # one decompressed XML file
MAX_TOTAL_BYTES = 128 << 20  # all decompressed XML read from one archive
MAX_MEMBERS = 2000
MAX_FAILURES = 500
MAX_MESSAGE = 500
_READ_CHUNK = 1 << 16

_JAVA_FRAME = re.compile(r"at [\w.$]+\.(\w+)\((\w+\.(?:java|kt|groovy|scala)):(\d+)\)")
_PY_WHERE = re.compile(r"^(\S+\.py):(\d+): ", re.MULTILINE)


@dataclass
class JUnitReport:
    failures: list[Failure] = field(default_factory=list)
    files: int = 0  # JUnit documents read
    tests: int = 0  # test cases seen
    skipped: list[str] = field(default_factory=list)  # why a member/archive was not read

    def as_dict(self) -> dict[str, Any]:
        return {
            "failures": [f.as_dict() for f in self.failures],
            "files": self.files,
            "tests": self.tests,
            "skipped": list(self.skipped),
        }


def failures_from_zip(data: bytes, *, report: JUnitReport | None = None) -> JUnitReport:
    """Failing tests in every JUnit XML file of a zip archive (an Actions artifact)."""
    report = report if report is not None else JUnitReport()
    if len(data) > MAX_ARCHIVE_BYTES:
        report.skipped.append(f"archive: {len(data)} bytes is over the {MAX_ARCHIVE_BYTES} cap")
        return report
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        report.skipped.append(f"archive: not a readable zip ({exc})")
        return report
    total = 0
    xml_members = [m for m in members if not m.is_dir() and m.filename.lower().endswith(".xml")]
    if len(xml_members) > MAX_MEMBERS:
        report.skipped.append(f"archive: {len(xml_members)} XML files, only {MAX_MEMBERS} read")
    for info in xml_members[:MAX_MEMBERS]:
        label = _label(info.filename)
        if info.flag_bits & 0x1:
            report.skipped.append(f"{label}: encrypted")
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            report.skipped.append(f"{label}: declares {info.file_size} bytes (cap)")
            continue
        if total + info.file_size > MAX_TOTAL_BYTES:
            report.skipped.append(f"{label}: archive total over {MAX_TOTAL_BYTES} bytes")
            break
        body = _read_capped(archive, info, report, label)
        if body is None:
            continue
        total += len(body)
        failures_from_xml(body, name=label, report=report)
        if len(report.failures) >= MAX_FAILURES:
            report.skipped.append(f"more than {MAX_FAILURES} failures: the rest not read")
            break
    return report


def _label(name: str) -> str:
    """A member's name for messages only (never a path): printable and short."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return clean if len(clean) <= 120 else "…" + clean[-119:]


def _read_capped(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, report: JUnitReport, label: str
) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(_READ_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_MEMBER_BYTES:
                    report.skipped.append(f"{label}: over {MAX_MEMBER_BYTES} bytes decompressed")
                    return None
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        report.skipped.append(f"{label}: unreadable ({type(exc).__name__})")
        return None
    return b"".join(chunks)


def failures_from_xml(
    data: bytes, *, name: str = "report.xml", report: JUnitReport | None = None
) -> JUnitReport:
    """Failing test cases of one JUnit XML document (``<testsuites>``/``<testsuite>``)."""
    report = report if report is not None else JUnitReport()
    if len(data) > MAX_MEMBER_BYTES:
        report.skipped.append(f"{name}: over {MAX_MEMBER_BYTES} bytes")
        return report
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, SyntaxError) as exc:
        report.skipped.append(f"{name}: not well-formed or unsafe XML ({type(exc).__name__})")
        return report
    if _local(root.tag) not in ("testsuites", "testsuite"):
        report.skipped.append(f"{name}: not a JUnit report (root <{_local(root.tag)[:40]}>)")
        return report
    report.files += 1
    for case in root.iter():
        if _local(case.tag) != "testcase":
            continue
        report.tests += 1
        problem = next((c for c in case if _local(c.tag) in ("failure", "error")), None)
        if problem is None or len(report.failures) >= MAX_FAILURES:
            continue
        report.failures.append(_failure(case, problem))
    return report


def _local(tag: Any) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def _failure(case: Any, problem: Any) -> Failure:
    classname = str(case.get("classname") or "").strip()
    test_name = str(case.get("name") or "").strip()
    test = f"{classname}.{test_name}" if classname and test_name else (test_name or classname)
    body = str(problem.text or "")
    message = str(problem.get("message") or "").strip()
    if not message:
        message = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
    kind = str(problem.get("type") or "").strip()
    if kind and message and kind not in message and len(kind) < 120:
        message = f"{kind}: {message}"
    clipped = " ".join(message.split())[:MAX_MESSAGE] or None
    return Failure(test, clipped, _location(case, body, test_name), None)


def _location(case: Any, body: str, method: str) -> str | None:
    path, line = case.get("file"), case.get("line")
    if path and line and str(line).isdigit():
        return f"{relative_path(str(path))}:{line}"
    for m in _JAVA_FRAME.finditer(body):
        if m.group(1) == method:  # the file name as the JVM prints it
            return f"{m.group(2)}:{m.group(3)}"
    where = list(_PY_WHERE.finditer(body))
    if where:
        return f"{relative_path(where[-1].group(1))}:{where[-1].group(2)}"
    return None


def _normal(test: str) -> str:
    """One spelling for a test across tools: ``tests/test_x.py::C::t`` (pytest),
    ``tests.test_x.C.t`` (JUnit XML), ``t(com.C)`` (Surefire), ``com.C > t()`` (Gradle)."""
    text = test.strip()
    m = re.match(r"^(\w+)\(([\w.$]+)\)$", text)
    if m:
        text = f"{m.group(2)}.{m.group(1)}"
    text = text.replace("()", "").replace(".py::", "::").removeprefix("./")
    for sep in (" > ", " › ", "::", "/", "#"):
        text = text.replace(sep, ".")
    return text


def _same_test(a: str, b: str) -> bool:
    x, y = _normal(a), _normal(b)
    return x == y or x.endswith("." + y) or y.endswith("." + x)


def prefer_junit(
    log_failures: list[Failure], report: JUnitReport, *, whole_run: bool
) -> tuple[list[Failure], bool]:
    """The failures to show for a job when the run uploaded JUnit reports.

    A report names every failing test with its exact message, so it wins over log parsing:
    each test the log found takes the report's message and location when the report has
    it. Reports belong to the run, not a job: they replace the log's list outright only
    when ``whole_run`` (this is the run's only failed job) and the log found no tests.
    Returns (failures, whether the report was used)."""
    if not report.failures:
        return log_failures, False
    if not log_failures:
        if whole_run:
            return list(report.failures), True
        return log_failures, False
    used = False
    out: list[Failure] = []
    for failure in log_failures:
        match = next((j for j in report.failures if _same_test(j.test, failure.test)), None)
        if match is None:
            out.append(failure)
            continue
        used = True
        out.append(
            Failure(
                failure.test,
                match.message or failure.message,
                match.location or failure.location,
                failure.line,
                failure.raw,
            )
        )
    return out, used
