# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batches 19-20, helper b19D3 (CI output pasted into GitHub issues): the
margins a paste carries that are not the tool's output (BuildKit's error summary's elapsed
times, a web log viewer's glued line numbers, TeamCity's web-view prefix), rustc's primary
span label, Gradle's cause line and compile exceptions, docker's classic ``COPY failed``,
Composer's unresolvable requirement, setup-ruby's failed ``bundle``, one key line per kind
of linter finding, and a PHPUnit diff pasted without its ``1) Class::test`` header.

Each snippet is written in the shape the tool prints; the near misses keep what must not
change.
"""

from __future__ import annotations

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.evidence import PER_RULE_LINES, make_room_for_new_code
from bot.diagnose.extract_ruby_php import PHPUnit
from bot.diagnose.logline import LogLine, clean_line
from bot.diagnose.logreader import excerpt_margin
from bot.diagnose.pastemargin import elapsed_margin, strip_viewer_numbers, viewer_numbers
from tests.diagnose.joblogs import fed, travis_one_command


def _paste(lines: list[str]) -> Diagnosis:
    return diagnose("".join(f"{line}\n" for line in lines).encode(), name="paste")


def _keys(d: Diagnosis) -> list[str]:
    return [k.text for k in d.key_lines]


# ---- BuildKit's error summary: the failed step's lines with elapsed times -------------

_BUILDKIT_SUMMARY_RUST = [
    "41.07    Compiling serde v1.0.197",
    "41.52 error[E0425]: cannot find value `cfg` in this scope",
    "41.52   --> src/main.rs:12:5",
    "41.52    |",
    "41.52 12 |     cfg.load()?;",
    "41.52    |     ^^^ not found in this scope",
    "41.52 ",
    "41.60 error[E0308]: mismatched types",
    "41.60   --> src/lib.rs:30:13",
    "41.60    |",
    "41.60 30 |     let n: u32 = name;",
    "41.60    |            ---   ^^^^ expected `u32`, found `&str`",
    "41.60    |            |",
    "41.60    |            expected due to this",
    '41.71 error: could not compile `app` (bin "app") due to 2 previous errors',
    "41.71",
]


def test_buildkit_elapsed_margin_is_dropped_and_rustc_reads() -> None:
    d = _paste(_BUILDKIT_SUMMARY_RUST)
    assert d.category == "build"
    assert d.rule == "rust-compile-error"
    keys = _keys(d)
    assert keys[0] == "error[E0425]: cannot find value `cfg` in this scope"
    # the primary span's label says what is wrong there
    assert any(k.endswith("^^^ not found in this scope") for k in keys)
    assert any("expected `u32`, found `&str`" in k for k in keys)


def test_elapsed_margin_needs_every_line_and_time_in_order() -> None:
    assert elapsed_margin([b"1.20 a", b"1.25 b", b"2.001 c"])
    assert elapsed_margin([b"85.28 a", b"85.28    |", b"85.28"])
    assert not elapsed_margin([b"1.20 a", b"b", b"2.00 c"])  # a line of its own
    assert not elapsed_margin([b"3.5 GB free", b"1.2 GB used", b"0.3 GB cached"])  # not times
    assert not elapsed_margin([b"1.20 a", b"1.30 b"])  # too few to say
    assert not elapsed_margin([b"v1.20 a", b"v1.30 b", b"v1.40 c"])


def test_rustc_secondary_labels_and_warning_help_are_not_causes() -> None:
    log = [
        "warning: unused variable: `x`",
        " --> src/a.rs:3:9",
        "  |",
        "3 |     let x = 1;",
        "  |         ^ help: if this is intentional, prefix it with an underscore: `_x`",
        "error[E0308]: mismatched types",
        "  |     --------------------- arguments to this function are incorrect",
    ]
    d = diagnose(travis_one_command("cargo build", log), name="t")
    keys = _keys(d)
    assert "error[E0308]: mismatched types" in keys
    assert not any("help: if this is intentional" in k for k in keys)
    assert not any("arguments to this function are incorrect" in k for k in keys)


# ---- a web log viewer's line numbers glued to the lines -------------------------------

_APPVEYOR_CTEST = [
    "",
    "34397% tests passed, 1 tests failed out of 39",
    "344",
    "345Total Test time (real) = 196.55 sec",
    "346",
    "347The following tests FAILED:",
    "348\t 38 - test_cmake_config_module (Failed)",
    "349Errors while running CTest",
    "350Build success",
]


def test_viewer_line_numbers_are_dropped() -> None:
    d = _paste(_APPVEYOR_CTEST)
    assert d.category == "test_failure"
    assert d.failing_tests == ["test_cmake_config_module"]
    assert "38 - test_cmake_config_module (Failed)" in [k.strip() for k in _keys(d)]


def test_viewer_numbers_start_and_width_change() -> None:
    region = b"98first\n99second\n100third\n101\n102fifth\n"
    assert viewer_numbers(region) == 98
    out, following = strip_viewer_numbers(region, 98)
    assert out.split(b"\n")[:5] == [b"first", b"second", b"third", b"", b"fifth"]
    assert following == 103
    # the next block goes on counting
    assert strip_viewer_numbers(b"103sixth\n", following) == (b"sixth\n", 104)


def test_viewer_numbers_near_misses() -> None:
    # numbers a tool prints itself, not consecutive from line to line
    assert viewer_numbers(b"1 passed\n1 failed\n3 skipped\n") is None
    assert viewer_numbers(b"10 tests\n20 tests\n30 tests\n") is None
    # a line without its number
    assert viewer_numbers(b"1a\n2b\nc\n4d\n") is None
    assert viewer_numbers(b"1a\n2b\n") is None  # too few to say
    assert viewer_numbers(b"plain\ntext\nlines\n") is None
    # a timestamped log is not numbered
    stamped = b"2024-01-02T03:04:05.1Z a\n2024-01-02T03:04:05.2Z b\n2024-01-02T03:04:05.3Z c\n"
    assert viewer_numbers(stamped) is None


def test_margins_of_other_pastes_unchanged() -> None:
    assert excerpt_margin(b"> a\n> b\n> c\n") is not None
    assert excerpt_margin(b"a\nb\nc\n") is None


# ---- TeamCity's web view ----------------------------------------------------------------


def test_teamcity_web_view_prefix_is_dropped() -> None:
    assert clean_line("[17:57:11][Step 3/4] COPY failed: stat x: no such file") == (
        "COPY failed: stat x: no such file"
    )
    # the step's own output keeps its indent
    assert clean_line("[17:57:11][Step 3/4]  ---> 82978ec795db") == " ---> 82978ec795db"
    # the downloaded log's level and step stay part of the line
    assert clean_line("[08:47:36]E:\t [Step 2/2] Process exited with code 1") == (
        "[08:47:36]E:\t [Step 2/2] Process exited with code 1"
    )
    assert clean_line("[Step 3/4] text") == "[Step 3/4] text"


def test_teamcity_docker_classic_copy_failed_is_build() -> None:
    d = _paste(
        [
            "[17:57:11][Step 3/4] Step 10/11 : COPY run.sh /services/run.sh",
            "[17:57:11][Step 3/4] COPY failed: stat /var/lib/docker/tmp/docker-builder709805828/run.sh: no such file or directory",
            "[17:57:11][Step 3/4] Process exited with code 1",
            "[17:57:11][Step 3/4] Step Docker Build (Docker) failed",
        ]
    )
    assert d.category == "build"
    assert d.rule == "docker-build"
    assert d.summary is not None and d.summary.startswith("COPY failed: stat ")


def test_docker_copy_failed_shapes() -> None:
    for line in (
        "COPY failed: file not found in build context or excluded by .dockerignore: stat dist: file does not exist",
        "ADD failed: file not found in build context or excluded by .dockerignore: stat app.tar: file does not exist",
    ):
        d = diagnose(
            travis_one_command("docker build .", ["Step 4/9 : COPY dist /app", line]), name="t"
        )
        assert (d.category, d.rule) == ("build", "docker-build"), line
    # a step's title naming COPY is not its failure
    d = diagnose(
        travis_one_command("docker build .", ["Step 4/9 : COPY dist /app", " ---> 1a2b3c"]),
        name="t",
    )
    assert d.rule != "docker-build"


# ---- Gradle -----------------------------------------------------------------------------


def test_gradle_cause_line_under_what_went_wrong() -> None:
    d = _paste(
        [
            "> Task :test FAILED",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            "Execution failed for task ':test'.",
            "> java.nio.file.NoSuchFileException: /snap/clion/current/build.txt",
            "",
            "* Try:",
            "> Run with --stacktrace option to get the stack trace.",
        ]
    )
    assert d.category == "build"
    keys = _keys(d)
    assert "> java.nio.file.NoSuchFileException: /snap/clion/current/build.txt" in keys
    assert "> Run with --stacktrace option to get the stack trace." not in keys
    assert "> Task :test FAILED" not in keys


def test_gradle_compile_exception_in_a_stacktrace_paste() -> None:
    for cause in (
        "Caused by: org.gradle.api.internal.tasks.compile.CompilationFailedException: Compilation failed; see the compiler error output for details.",
        "Caused by: org.jetbrains.kotlin.gradle.tasks.CompilationErrorException: Compilation error. See log for more details",
        "Caused by: org.gradle.api.GradleException: Compilation error. See log for more details",
    ):
        d = _paste(
            [
                "\tat org.gradle.launcher.daemon.server.exec.BuildCommandOnly.execute(BuildCommandOnly.java:36)",
                cause,
                "\tat org.gradle.api.internal.tasks.compile.JdkJavaCompiler.execute(JdkJavaCompiler.java:50)",
            ]
        )
        assert (d.category, d.rule) == ("build", "gradle-build"), cause


# ---- Composer, setup-ruby -------------------------------------------------------------


def test_composer_problem_line_is_a_key_line() -> None:
    d = _paste(
        [
            "Updating dependencies (including require-dev)",
            "Your requirements could not be resolved to an installable set of packages.",
            "",
            "  Problem 1",
            "    - acme/site dev-main requires acme/widget ^1.0 -> no matching package found.",
            "    - Installation request for acme/site dev-main",
        ]
    )
    assert d.category == "dependency_install"
    assert any("requires acme/widget ^1.0 -> no matching package found." in k for k in _keys(d))


def test_setup_ruby_bundle_process_failed_is_dependency_install() -> None:
    d = _paste(
        [
            "Error: Error: The process '/opt/hostedtoolcache/Ruby/3.2.2/x64/bin/bundle' failed with exit code 5",
            "    at ExecState._setResult (/home/runner/work/_actions/ruby/setup-ruby/v1/dist/index.js:4918:25)",
            "    at ChildProcess.emit (node:events:390:28)",
        ]
    )
    assert (d.category, d.rule) == ("dependency_install", "ruby-bundler")
    d = _paste(
        [
            r"Error: The process 'C:\hostedtoolcache\windows\Ruby\3.1.4\x64\bin\bundle.bat' failed with exit code 1",
            "    at ExecState._setResult (D:\\a\\_actions\\ruby\\setup-ruby\\v1\\dist\\index.js:4918:25)",
            "    at ChildProcess.emit (node:events:390:28)",
        ]
    )
    assert d.rule == "ruby-bundler"


def test_other_processes_an_action_runs_are_not_bundler() -> None:
    for process in (
        "/usr/local/bin/yarn",
        "/usr/bin/tar",
        "/opt/hostedtoolcache/node/20.1.0/x64/bin/npm",
    ):
        d = _paste(
            [
                f"Error: The process '{process}' failed with exit code 1",
                "    at ExecState._setResult (/home/runner/work/_actions/x/y/v1/dist/index.js:1:2)",
                "    at ChildProcess.emit (node:events:390:28)",
            ]
        )
        assert d.rule != "ruby-bundler", process


# ---- one key line per kind of linter finding ------------------------------------------


def _line(number: int, text: str) -> LogLine:
    return LogLine(number, text, 1, number)


def test_a_new_check_code_takes_a_repeated_ones_place() -> None:
    kept = [
        _line(n, f"a.go:{n}:1: func f{n} is unused (U1000)") for n in range(1, PER_RULE_LINES + 1)
    ]
    make_room_for_new_code(kept, _line(9, "b.go:9:5: empty branch (SA9003)"))
    assert [k.number for k in kept] == [1, 2, 3, 4, 9]
    make_room_for_new_code(kept, _line(10, "c.go:10:2: redundant return statement (S1023)"))
    assert [k.number for k in kept] == [1, 2, 3, 9, 10]
    # a code already shown, or a line without one, does not
    make_room_for_new_code(kept, _line(11, "d.go:11:2: empty branch (SA9003)"))
    make_room_for_new_code(kept, _line(12, "d.go:12:2: something else"))
    assert [k.number for k in kept] == [1, 2, 3, 9, 10]


def test_distinct_codes_are_never_dropped() -> None:
    codes = ["SC2086", "SC2046", "SC2034", "SC2155", "SC2164"]
    kept = [_line(n, f"x.sh:{n}:1: note: msg [{c}]") for n, c in enumerate(codes, 1)]
    make_room_for_new_code(kept, _line(9, "x.sh:9:1: warning: msg [SC2317]"))
    assert [k.number for k in kept] == [1, 2, 3, 4, 5]


def test_staticcheck_paste_shows_each_check() -> None:
    lines = [f"pkg/a{n}.go:{n}:2: func f{n} is unused (U1000)" for n in range(1, 8)]
    lines += ["internal/compile.go:175:5: empty branch (SA9003)"]
    lines += [f"pkg/b{n}.go:{n}:2: field g{n} is unused (U1000)" for n in range(1, 8)]
    d = _paste(lines)
    assert d.category == "lint"
    assert "internal/compile.go:175:5: empty branch (SA9003)" in _keys(d)


# ---- PHPUnit: a diff pasted without its header -----------------------------------------

_PHPT_DIFF = [
    "--- Expected",
    "+++ Actual",
    "@@ @@",
    "-'===DONE==='",
    "+'Warning: assert(): assert($a == 1) failed in /tmp/PHP13C3.tmp on line 34\\n",
    "+\\n",
    "+===DONE==='",
    "",
    "tests/language-constructs.phpt:66",
]


def test_headless_phpunit_diff_names_the_test_file() -> None:
    p = fed(PHPUnit(), _PHPT_DIFF)
    assert p.tests() == ["tests/language-constructs.phpt"]
    (failure,) = p.failures()
    assert (
        failure.message
        == "Warning: assert(): assert($a == 1) failed in /tmp/PHP13C3.tmp on line 34"
    )
    assert failure.location == "tests/language-constructs.phpt:66"
    d = _paste(_PHPT_DIFF)
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests/language-constructs.phpt"]


def test_headless_phpunit_near_misses() -> None:
    # a diff without the test's line after it names no test
    assert fed(PHPUnit(), _PHPT_DIFF[:-1]).tests() == []
    # a vendor frame is not the test
    assert (
        fed(
            PHPUnit(), [*_PHPT_DIFF[:-1], "/app/vendor/phpunit/phpunit/src/TextUI/Command.php:97"]
        ).tests()
        == []
    )
    # with the header, the header names the test (as before)
    p = fed(
        PHPUnit(),
        [
            "1) Acme\\CalcTest::testAdd",
            "Failed asserting that two strings are identical.",
            *_PHPT_DIFF[:-1],
            "/app/tests/CalcTest.php:12",
        ],
    )
    assert p.tests() == ["Acme\\CalcTest::testAdd"]
