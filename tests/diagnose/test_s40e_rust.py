# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Rust failures (stop 40, helper s40e): shapes of cargo, libtest, nextest, clippy and rustup
that the engine did not read yet, each sample written from the tool's own source.

- libtest's pretty output (library/test/src/formatters/pretty.rs) and panic message since Rust
  1.73 (`thread 'x' panicked at src/lib.rs:10:5:` then the message on the next line;
  library/std/src/panicking.rs): near misses are a passing test named `fails_on_error`, an
  ignored test, a `should_panic` test that passed and rustc `warning:` lines;
- libtest's `--format json` (library/test/src/formatters/json.rs, `write_event`: `{ "type":
  "test", "name": …, "event": "failed", "stdout": … }`);
- newer cargo-nextest releases indenting a test's captured output under `stderr ───`
  (nextest-runner/src/reporter/displayer.rs): its indented `note: run with RUST_BACKTRACE`
  line is not part of the panic message;
- a doc-test that does not compile (src/librustdoc/doctest.rs: rustc's errors, then
  `Couldn't compile the test.`): rustc's first error is the test's message, `-->` its line;
- a test target that does not compile under `cargo test` with warnings (`error: could not
  compile `x` (lib test) due to 1 previous error; 1 warning emitted`) is `build`, not clippy;
  clippy is told by its lint's link (clippy_utils/src/diagnostics.rs `docs_link`);
- cargo's rust-version check (src/cargo/core/compiler/mod.rs; `rustc X is not supported by
  the following package` since cargo 1.77, `cannot be built because it requires rustc` before)
  and rustup's toolchain errors (src/errors.rs, download/src/errors.rs).
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_go_rust import CargoTest
from tests.diagnose.joblogs import actions_job, fed
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids

PRETTY = """   Compiling calc v0.1.0 (/home/runner/work/calc/calc)
warning: unused variable: `y`
 --> src/lib.rs:3:9
    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.50s
     Running unittests src/lib.rs (target/debug/deps/calc-0123456789abcdef)

running 4 tests
test tests::fails_on_error ... ok
test tests::ignored_one ... ignored
test tests::rejects_zero - should panic ... ok
test tests::adds ... FAILED

failures:

---- tests::adds stdout ----
thread 'tests::adds' panicked at src/lib.rs:10:5:
assertion `left == right` failed: sum is wrong
  left: 3
 right: 4
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    tests::adds

test result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s

error: test failed, to rerun pass `--lib`""".splitlines()


def test_pretty_names_only_the_failed_test() -> None:
    d = diagnose(actions_job("cargo test", PRETTY))
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests::adds"]
    (f,) = d.failures
    assert f.message is not None and f.message.startswith(
        "assertion `left == right` failed: sum is wrong"
    )
    assert f.location == "src/lib.rs:10"
    assert any("sum is wrong" in k.text for k in d.key_lines)


JSON = [
    '{ "type": "suite", "event": "started", "test_count": 3 }',
    '{ "type": "test", "event": "started", "name": "tests::adds" }',
    '{ "type": "test", "name": "tests::fails_on_error", "event": "ok" }',
    '{ "type": "test", "name": "tests::slow", "event": "ignored" }',
    '{ "type": "test", "name": "tests::adds", "event": "failed", "stdout": "thread \'tests::adds\' panicked at src/lib.rs:10:5:\\nboom \\"here\\"\\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\\n" }',
    '{ "type": "test", "name": "tests::rejects_zero", "event": "failed", "message": "test did not panic as expected" }',
    '{ "type": "suite", "event": "failed", "passed": 1, "failed": 2, "ignored": 1, "measured": 0, "filtered_out": 0, "exec_time": 0.001 }',
    "error: test failed, to rerun pass `--lib`",
]


def test_json_format_failed_events() -> None:
    got = fed(CargoTest(), JSON)
    assert got.tests() == ["tests::adds", "tests::rejects_zero"]
    adds, rejects = got.failures()
    assert (adds.message, adds.location) == ('boom "here"', "src/lib.rs:10")
    assert rejects.message == "test did not panic as expected"
    d = diagnose(actions_job("cargo +nightly test -- -Z unstable-options --format json", JSON))
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests::adds", "tests::rejects_zero"]


NEXTEST_INDENTED = """    Starting 2 tests across 1 binary
        PASS [   0.003s] (1/2) calc tests::fails_on_error
        SLOW [> 60.000s] (2/2) calc tests::adds
        FAIL [  61.004s] (2/2) calc tests::adds
  stdout ───

    running 1 test
    test tests::adds ... FAILED

  stderr ───

    thread 'tests::adds' panicked at src/lib.rs:10:5:
    boom here
    note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

────────────
     Summary [  61.010s] 2 tests run: 1 passed, 1 failed, 0 skipped
        FAIL [  61.004s] (2/2) calc tests::adds
error: test run failed""".splitlines()


def test_nextest_indented_output_message_ends_at_note() -> None:
    d = diagnose(actions_job("cargo nextest run", NEXTEST_INDENTED))
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests::adds"]  # not the passing or the SLOW one
    assert [(f.message, f.location) for f in d.failures] == [("boom here", "src/lib.rs:10")]


DOCTEST_COMPILE = """running 2 tests
test src/lib.rs - sub (line 15) ... ok
test src/lib.rs - add (line 5) ... FAILED

failures:

---- src/lib.rs - add (line 5) stdout ----
error[E0425]: cannot find value `x` in this scope
 --> src/lib.rs:6:1
  |
3 | x
  | ^ not found in this scope

error: aborting due to 1 previous error

For more information about this error, try `rustc --explain E0425`.
Couldn't compile the test.

failures:
    src/lib.rs - add (line 5)

test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.10s

error: doctest failed, to rerun pass `--doc`""".splitlines()


def test_doctest_that_does_not_compile_is_a_failed_test_with_rustcs_error() -> None:
    d = diagnose(actions_job("cargo test --doc", DOCTEST_COMPILE))
    assert d.category == "test_failure"
    assert d.failing_tests == ["src/lib.rs - add (line 5)"]
    (f,) = d.failures
    assert (f.message, f.location) == (
        "error[E0425]: cannot find value `x` in this scope",
        "src/lib.rs:6",
    )


def test_a_unit_test_printing_error_lines_keeps_its_panic() -> None:
    """`error:` lines a unit test prints are its output, read only under doc-test headers."""
    got = fed(
        CargoTest(),
        [
            "---- tests::fails_on_error stdout ----",
            "error: not a rustc error, the test's own log",
            "thread 'tests::fails_on_error' panicked at src/lib.rs:4:5:",
            "kaboom",
            "",
        ],
    )
    (f,) = got.failures()
    assert (f.message, f.location) == ("kaboom", "src/lib.rs:4")


COMPILE_WITH_WARNINGS = """   Compiling calc v0.1.0 (/home/runner/work/calc/calc)
warning: unused variable: `y`
 --> src/lib.rs:3:9
  |
3 |     let y = 2;
  |         ^ help: if this is intentional, prefix it with an underscore: `_y`
  |
  = note: `#[warn(unused_variables)]` on by default

error[E0425]: cannot find value `x` in this scope
  --> src/lib.rs:12:5
   |
12 |     x + 1
   |     ^ not found in this scope

For more information about this error, try `rustc --explain E0425`.
warning: `calc` (lib test) generated 1 warning
error: could not compile `calc` (lib test) due to 1 previous error; 1 warning emitted""".splitlines()


def test_test_target_that_does_not_compile_is_build_not_clippy() -> None:
    d = diagnose(actions_job("cargo test", COMPILE_WITH_WARNINGS))
    assert d.category == "build"
    assert d.key_lines[0].text == "error[E0425]: cannot find value `x` in this scope"
    assert "clippy" not in _ids(COMPILE_WITH_WARNINGS[-1])


CLIPPY = """    Checking calc v0.1.0 (/home/runner/work/calc/calc)
error: this `if` statement can be collapsed
  --> src/lib.rs:5:5
   |
   = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#collapsible_if
   = note: `-D clippy::collapsible-if` implied by `-D warnings`

error: could not compile `calc` (lib) due to 1 previous error""".splitlines()


def test_pasted_clippy_run_is_lint_by_its_lint_link() -> None:
    assert "clippy" in _ids(CLIPPY[4])
    d = _paste(CLIPPY)
    assert d.category == "lint"
    assert d.key_lines[0].text == "error: this `if` statement can be collapsed"


def test_msrv_and_toolchain_errors() -> None:
    new = [
        "    Updating crates.io index",
        "error: rustc 1.70.0 is not supported by the following package:",
        "  clap_lex@0.7.0 requires rustc 1.74",
        "Either upgrade rustc or select compatible dependency versions with",
    ]
    old = [
        "error: package `clap_lex v0.7.0` cannot be built because it requires rustc 1.74 or newer, while the currently active rustc version is 1.70.0",
        "Either upgrade to rustc 1.74 or newer, or use",
    ]
    for lines in (new, old):
        assert diagnose(actions_job("cargo build", lines)).category == "dependency_install"
    component = [
        "info: syncing channel updates for 'nightly-x86_64-unknown-linux-gnu'",
        "error: component 'clippy' for target 'x86_64-unknown-linux-gnu' is unavailable for download for channel 'nightly'",
    ]
    assert (
        diagnose(actions_job("rustup component add clippy", component)).category
        == "dependency_install"
    )
    download = [
        "info: syncing channel updates for 'stable-x86_64-unknown-linux-gnu'",
        "error: could not download file from 'https://static.rust-lang.org/dist/channel-rust-stable.toml.sha256' to '/home/runner/.rustup/tmp/abc_file'",
    ]
    assert (
        diagnose(actions_job("rustup toolchain install stable", download)).category
        == "infra_network"
    )
    # near misses: rustup's progress lines and a pinned toolchain's notice
    assert _ids("info: syncing channel updates for 'nightly-x86_64-unknown-linux-gnu'") == []
    assert (
        _ids("info: component 'clippy' for target 'x86_64-unknown-linux-gnu' is up to date") == []
    )


NOCAPTURE_ONE_THREAD = [
    "running 2 tests",
    "test tests::fails_on_error ... ok",
    "test tests::adds ... thread 'tests::adds' panicked at src/lib.rs:10:5:",
    "boom here",
    "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
    "FAILED",
    "",
    "failures:",
    "",
    "failures:",
    "    tests::adds",
    "",
    "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
    "",
    "error: test failed, to rerun pass `--lib`",
]


def test_nocapture_panic_on_the_test_line() -> None:
    """`--nocapture --test-threads=1`: pretty.rs prints `test name ... ` before the test
    runs, so the panic continues that line and `FAILED` comes on its own line after it."""
    d = diagnose(actions_job("cargo test -- --nocapture --test-threads=1", NOCAPTURE_ONE_THREAD))
    assert d.failing_tests == ["tests::adds"]
    assert [(f.message, f.location) for f in d.failures] == [("boom here", "src/lib.rs:10")]


NEXTEST_OLD_MAIN_THREAD = """    Starting 2 tests across 2 binaries
        FAIL [   0.004s] calc::it smoke::starts

--- STDOUT:              calc::it smoke::starts ---

running 1 test
test smoke::starts ... FAILED

--- STDERR:              calc::it smoke::starts ---
thread 'main' panicked at tests/it.rs:9:5:
server did not start
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

        PASS [   0.003s] calc tests::fails_on_error
------------
     Summary [   0.010s] 2 tests run: 1 passed, 1 failed, 0 skipped
        FAIL [   0.004s] calc::it smoke::starts
error: test run failed""".splitlines()


def test_nextest_stderr_section_names_a_main_thread_panic() -> None:
    """nextest's `--- STDERR: binary test ---` header says whose output follows, also when
    the panic is on `main` (nextest runs each test in a process of its own)."""
    d = diagnose(actions_job("cargo nextest run", NEXTEST_OLD_MAIN_THREAD))
    assert d.failing_tests == ["smoke::starts"]
    assert [(f.message, f.location) for f in d.failures] == [
        ("server did not start", "tests/it.rs:9")
    ]


def test_slow_test_warning_then_failure_is_a_test_failure() -> None:
    """libtest's `has been running for over 60 seconds` is a warning, not a stop."""
    lines = [
        "running 2 tests",
        "test tests::slow has been running for over 60 seconds",
        "test tests::fails_on_error ... ok",
        "test tests::slow ... FAILED",
        "",
        "failures:",
        "",
        "---- tests::slow stdout ----",
        "thread 'tests::slow' panicked at tests/it.rs:3:5:",
        "no reply from server",
        "",
        "failures:",
        "    tests::slow",
        "",
        "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 61.00s",
    ]
    d = diagnose(actions_job("cargo test", lines))
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests::slow"]
    hang = ["running 1 test", "test tests::slow has been running for over 60 seconds"]
    assert diagnose(actions_job("cargo test", hang)).category == "timeout"


def test_cargo_deny_findings_are_lint() -> None:
    """cargo-deny's diagnostics (src/advisories/diags.rs, src/licenses/diags.rs) and its
    summary (src/cargo-deny/check.rs); an all-ok summary and rustc's `error[E…]` are not."""
    assert _ids("error[vulnerability]: Potential segfault in the time crate") == ["cargo-deny"]
    assert _ids("error[rejected]: failed to satisfy license requirements") == ["cargo-deny"]
    assert _ids("advisories ok, bans ok, licenses FAILED, sources ok") == ["cargo-deny"]
    assert _ids("advisories ok, bans ok, licenses ok, sources ok") == []
    assert "cargo-deny" not in _ids("error[E0425]: cannot find value `x` in this scope")
    lines = [
        "error[vulnerability]: Potential segfault in the time crate",
        "   = ID: RUSTSEC-2020-0071",
        "advisories FAILED, bans ok, licenses ok, sources ok",
    ]
    d = _paste(lines)
    assert d.category == "lint"
    assert d.key_lines[0].text == lines[0]
