"""sbt's failures read from sbt's and its plugins' own sources (s40k).

- Dependency resolution (sbt/librarymanagement ``ResolveException``; lmcoursier's
  ``FetchError$DownloadingArtifacts``; Ivy's ``unresolved dependency: org#name;rev: not
  found``): a module that is in no resolver is ``dependency_install``; the same task failing
  on a ``java.net.UnknownHostException`` stays ``infra_network``.
- sbt-scalafix (``scalafix.sbt.ScalafixFailed``, scalacenter/sbt-scalafix
  ``ScalafixFailed.scala``; its diagnostics ``path:L:C: error: [Rule.category] msg``) and
  WartRemover (``[wartremover:Var] var is disabled`` through scalac) are ``lint``, not the
  plain compile error (``build``) that shares their line shape.
- MUnit's sbt reporter (scalameta/munit ``junit-interface/.../JUnitReporter``,
  ``buildTestResult``: ``==> X `` + ``taskDef.fullyQualifiedName + "." + method``, the
  duration, then the exception's class and message): each failed test by its full name.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.logreader import text_source

_HEAD = [
    "2024-05-01T10:00:00.0000000Z ##[group]Run sbt test",
    "2024-05-01T10:00:00.0000000Z sbt test",
    "2024-05-01T10:00:00.0000000Z shell: /usr/bin/bash -e {0}",
    "2024-05-01T10:00:00.0000000Z ##[endgroup]",
    "[info] welcome to sbt 1.9.9 (Eclipse Adoptium Java 17.0.10)",
]
_TAIL = [
    "[error] Total time: 8 s, completed May 1, 2024, 10:00:08 AM",
    "##[error]Process completed with exit code 1.",
]


def _diagnose(lines: list[str]):  # type: ignore[no-untyped-def]
    return diagnose(text_source("\n".join([*_HEAD, *lines, *_TAIL]) + "\n"))


def _keys(d) -> list[str]:  # type: ignore[no-untyped-def]
    return [k.text for k in d.key_lines[:3]]


RESOLVE = (
    "[error] (update) sbt.librarymanagement.ResolveException:"
    " Error downloading com.example:missing-lib_2.13:1.2.3"
)


def test_module_in_no_resolver_is_dependency_install() -> None:
    d = _diagnose(
        [
            "[info] Updating ",
            "[error] stack trace is suppressed; run last update for the full output",
            RESOLVE,
            "[error]   Not found",
            "[error]   not found: /home/runner/.ivy2/local/com.example/missing-lib_2.13/1.2.3/"
            "ivys/ivy.xml",
            "[error]   not found: https://repo1.maven.org/maven2/com/example/missing-lib_2.13/"
            "1.2.3/missing-lib_2.13-1.2.3.pom",
        ]
    )
    assert d.category == "dependency_install"
    assert _keys(d)[0] == RESOLVE


def test_coursier_artifact_not_found_is_dependency_install() -> None:
    missing = (
        "[error] https://repo1.maven.org/maven2/com/example/lib_2.13/9.9.9/lib_2.13-9.9.9.jar:"
        " not found: https://repo1.maven.org/maven2/com/example/lib_2.13/9.9.9/lib_2.13-9.9.9.jar"
    )
    d = _diagnose(
        [
            "[error] (update) lmcoursier.internal.shaded.coursier.error."
            "FetchError$DownloadingArtifacts: Error fetching artifacts:",
            missing,
        ]
    )
    assert d.category == "dependency_install"
    assert missing in _keys(d)


def test_ivy_unresolved_dependency_is_dependency_install() -> None:
    line = (
        "[error] (*:update) sbt.ResolveException: unresolved dependency:"
        " com.example#foo_2.12;1.0.0: not found"
    )
    d = _diagnose(
        [
            "[warn] \t::::::::::::::::::::::::::::::::::::::::::::::",
            "[warn] \t::          UNRESOLVED DEPENDENCIES         ::",
            "[warn] \t:: com.example#foo_2.12;1.0.0: not found",
            line,
        ]
    )
    assert d.category == "dependency_install"
    assert line in _keys(d)


def test_resolution_failed_on_the_network_stays_infra_network() -> None:
    d = _diagnose(
        [
            RESOLVE,
            "[error]   download error: Caught java.net.UnknownHostException: repo1.maven.org"
            " (repo1.maven.org) while downloading https://repo1.maven.org/maven2/com/example/"
            "missing-lib_2.13/1.2.3/missing-lib_2.13-1.2.3.pom",
        ]
    )
    assert d.category == "infra_network"


SCALAFIX = (
    "[error] /home/runner/work/app/app/src/main/scala/app/Foo.scala:3:1: error:"
    " [RemoveUnused.imports] Unused import"
)


def test_scalafix_findings_are_lint() -> None:
    d = _diagnose(
        [
            "[info] Running scalafix on 12 Scala sources",
            SCALAFIX,
            "[error] import scala.util.Try",
            "[error] ^^^^^^^^^^^^^^^^^^^^^",
            "[error] (Compile / scalafix) scalafix.sbt.ScalafixFailed: LinterError",
        ]
    )
    assert d.category == "lint"
    assert _keys(d)[0] == SCALAFIX


def test_wartremover_error_is_lint() -> None:
    wart = (
        "[error] /home/runner/work/app/app/src/main/scala/app/Foo.scala:7:15:"
        " [wartremover:Var] var is disabled"
    )
    d = _diagnose(
        [
            wart,
            "[error]   var counter = 0",
            "[error]               ^",
            "[error] one error found",
            "[error] (Compile / compileIncremental) Compilation failed",
        ]
    )
    assert d.category == "lint"
    assert _keys(d)[0] == wart


def test_near_miss_plain_type_error_stays_build() -> None:
    line = "[error] /home/runner/work/app/app/src/main/scala/app/Foo.scala:12:5: type mismatch;"
    d = _diagnose(
        [
            line,
            '[error]  found   : String("x")',
            "[error]  required: Int",
            "[error] one error found",
            "[error] (Compile / compileIncremental) Compilation failed",
        ]
    )
    assert d.category == "build"
    assert _keys(d)[0] == line


MUNIT = [
    "app.CalcSuite:",
    "  + adds 0.004s",
    "==> X app.CalcSuite.subtracts  0.012s munit.ComparisonFailException:"
    " /home/runner/work/app/app/src/test/scala/app/CalcSuite.scala:9 values are not the same",
    '8:  test("subtracts") {',
    "9:    assertEquals(Calc.sub(3, 1), 3)",
    "10:  }",
    "==> X app.CalcSuite.throws boom  0.001s java.lang.RuntimeException: boom",
    "[error] Failed: Total 3, Failed 2, Errors 0, Passed 1",
    "[error] Failed tests:",
    "[error] \tapp.CalcSuite",
    "[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful",
]


def test_munit_names_each_failed_test_with_its_message() -> None:
    failures = extract_failures(MUNIT)
    assert [(f.test, f.message, f.location) for f in failures] == [
        (
            "app.CalcSuite.subtracts",
            "values are not the same",
            "/home/runner/work/app/app/src/test/scala/app/CalcSuite.scala:9",
        ),
        ("app.CalcSuite.throws boom", "boom", None),
    ]
    d = _diagnose(MUNIT)
    assert d.category == "test_failure"
    assert d.failing_tests == ["app.CalcSuite.subtracts", "app.CalcSuite.throws boom"]
    assert _keys(d)[0] == MUNIT[2]


def test_munit_passing_and_skipped_tests_are_no_failures() -> None:
    lines = [
        "app.CalcSuite:",
        "  + adds 0.004s",
        "==> i app.CalcSuite.later ignored",
        "[info] Passed: Total 1, Failed 0, Errors 0, Passed 1",
    ]
    assert extract_failures(lines) == []
