# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 33, helper Y4 (pasted CI output): a CI service that could not start a
task's machine, git's half-done checkout, a runner's signal exit status, rustdoc JSON a tool
cannot read, TeX's errors (``! …`` and ``file:line:`` messages, wrapped at 79 columns) and
latexmk's verdict, Quarto's render error and the quarto R package's, west's extension
commands, GHC's file errors (pandoc), a comment after a continuation backslash, and MSpec's
numbered failure blocks.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.rules import RuleError, build_rule
from tests.diagnose.joblogs import actions_job
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            "⚠️ Failed to start an instance: INVALID_ARGUMENT: Not Found 404 Not Found",
            "ci-instance-start-failed",
        ),
        ("Failed to start an instance! failed", "ci-instance-start-failed"),
        (
            "Failed to start: FAILED_PRECONDITION: The container group 'cirrus-ci-task-5469608679047168' does not exist.",
            "ci-instance-start-failed",
        ),
        ("warning: Clone succeeded, but checkout failed.", "git-checkout-failed"),
        (
            "error: unsupported rustdoc format v46 for file: /home/runner/work/a/a/target/doc/ref_slice.json",
            "rustdoc-json-format-unsupported",
        ),
        ("error: unsupported rustdoc format v57", "rustdoc-json-format-unsupported"),
        (
            "Error: unsupported rustdoc format version 27 (expected version 26)",
            "rustdoc-json-format-unsupported",
        ),
        (
            "error: rustc version is not high enough: >=1.91.0 needed",
            "rustdoc-json-format-unsupported",
        ),
        ("! LaTeX Error: File `foo.sty' not found.", "tex-error"),
        ("! Package pgfkeys Error: I do not know the key '/tikz/foo'.", "tex-error"),
        ("! Undefined control sequence.", "tex-error"),
        ("! Emergency stop.", "tex-error"),
        ("! Missing $ inserted.", "tex-error"),
        ("! Use of \\foo doesn't match its definition.", "tex-error"),
        ("!  ==> Fatal error occurred, no output PDF file produced!", "tex-error"),
        ("./main.tex:12: Undefined control sequence.", "tex-error"),
        (
            "/opt/texlive/texdir/texmf-dist/tex/latex/biblatex/biblatex.sty:2175:  ==> Fatal",
            "tex-error",
        ),
        ("  pdflatex: Command for 'pdflatex' gave return code 1", "latexmk-failed"),
        ("Latexmk: Command for 'lualatex' gave return code 256", "latexmk-failed"),
        ("Latexmk: Errors, so I did not complete making targets", "latexmk-failed"),
        ("! System command 'quarto' failed", "quarto-r-failed"),
        ("! System command 'quarto.exe' failed", "quarto-r-failed"),
        ("! Error running quarto CLI from R.", "quarto-r-failed"),
        ("x Error running quarto cli.", "quarto-r-failed"),
        (
            'ERROR: extension command "build" could not be run: could not import /home/runner/work/z/z/zephyr/scripts/west_commands/build.py. See /home/runner/work/_temp/west-exc-1.txt for a traceback.',
            "west-extension-failed",
        ),
        ('FATAL ERROR: extension command "flash" couldn\'t be run', "west-extension-failed"),
        ("FATAL ERROR: could not load extension command(s)", "west-extension-failed"),
        ("pandoc:  #: openBinaryFile: does not exist (No such file or directory)", "ghc-io-error"),
        (
            "pandoc: chapters/intro.md: openBinaryFile: does not exist (No such file or directory)",
            "ghc-io-error",
        ),
        (
            "shellcheck: scripts/x.sh: withFile: permission denied (Permission denied)",
            "ghc-io-error",
        ),
        (
            "    pandoc --standalone \\ # --include-in-header styles/chmduquesne.css \\",
            "shell-comment-after-continuation",
        ),
    ],
)
def test_rule_matches_the_tools_line(line: str, rule: str) -> None:
    assert rule in _ids(line)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Failed to start the server on port 8080", "ci-instance-start-failed"),
        ("warning: adding embedded git repository: vendor/x", "git-checkout-failed"),
        ("error: unsupported output format: html5", "rustdoc-json-format-unsupported"),
        # another command's failure in the same words, R's other errors, TeX's info lines
        ("! System command 'R' failed", "quarto-r-failed"),
        ("! object 'x' not found", "quarto-r-failed"),
        ("! LaTeX Warning: Reference `fig:1' on page 2 undefined", "tex-error"),
        ("(./main.tex LaTeX2e <2023-11-01>", "tex-error"),
        ("l.2175      \\bgroup\\nohyphenation#1\\egroup^^^", "tex-error"),
        ("src/main.rs:12: TODO remove", "tex-error"),
        ("Latexmk: Run number 1 of rule 'pdflatex'", "latexmk-failed"),
        ("Latexmk: Summary of warnings:", "latexmk-failed"),
        ("ERROR: west update failed for project zephyr", "west-extension-failed"),
        ("cat: x.md: No such file or directory", "ghc-io-error"),
        # a continuation without a comment, a comment on its own, a quoted ``\ #``
        ("    pandoc --standalone \\", "shell-comment-after-continuation"),
        ("    # --include-in-header styles/x.css", "shell-comment-after-continuation"),
        ("echo done # \\ not a continuation", "shell-comment-after-continuation"),
    ],
)
def test_near_miss_is_not_the_rule(line: str, rule: str) -> None:
    assert rule not in _ids(line)


def test_cirrus_instance_failure_names_the_missing_image() -> None:
    d = _paste(
        [
            "⚠️ Not enough compute credits to prioritize tasks!",
            "⚠️ Failed to start an instance: INVALID_ARGUMENT: Not Found 404 Not Found",
            "{",
            '"error": {',
            '"code": 404,',
            '"message": "The resource \'projects/freebsd-org-cloud-dev/global/images/family/freebsd-14-1\' was not found",',
            '"reason": "notFound"',
            "}",
        ]
    )
    assert d.category == "infra_runner"
    texts = [k.text for k in d.key_lines]
    assert any("Failed to start an instance" in t for t in texts)
    assert any("images/family/freebsd-14-1' was not found" in t for t in texts)


def test_cloud_json_message_alone_is_not_a_ci_instance_failure() -> None:
    # the JSON message counts only under Cirrus' own failure line (``requires``)
    d = _paste(
        [
            '{"error": {',
            '"message": "The resource \'projects/x/global/images/family/y\' was not found",',
            "}}",
        ]
    )
    assert d.rule != "ci-instance-start-failed"


def test_checkout_that_failed_on_a_full_disk_shows_both_lines() -> None:
    d = _paste(
        [
            "error: unable to write file src/a/B.java",
            "fatal: cannot create directory at 'test/x': No space left on device",
            "warning: Clone succeeded, but checkout failed.",
        ]
    )
    assert d.category == "disk_full"
    texts = [k.text for k in d.key_lines]
    assert "warning: Clone succeeded, but checkout failed." in texts
    assert any("No space left on device" in t for t in texts)


def test_checkout_failed_alone_is_the_ci_setup() -> None:
    d = _paste(
        [
            "error: unable to create file docs/a-very-long-name.md: Filename too long",
            "warning: Clone succeeded, but checkout failed.",
        ]
    )
    assert d.category == "infra_runner"


def test_runner_exit_line_with_a_signal_status_is_a_key_line() -> None:
    d = _paste(
        [
            "/home/runner/work/_temp/5b.sh: line 18:  2752 Killed                  docker run --rm x",
            "##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.",
            "##[error]Process completed with exit code 137.",
            "Cleaning up orphan processes",
        ]
    )
    assert d.category == "infra_runner"
    texts = [k.text for k in d.key_lines]
    assert "##[error]Process completed with exit code 137." in texts


def test_runner_exit_line_with_a_plain_status_stays_out() -> None:
    d = diagnose(
        actions_job(
            "make", ["cc -c x.c", "x.c:1:1: error: expected ';'", "make: *** [x.o] Error 1"], code=2
        )
    )
    assert not any(k.text.startswith("##[error]Process") for k in d.key_lines)


def test_rustdoc_format_mismatch_is_the_tool_install() -> None:
    d = _paste(
        [
            "     Parsing ref_slice v1.2.1 (current)",
            "error: unsupported rustdoc format v46 for file: /home/runner/work/a/a/target/doc/ref_slice.json",
            "",
            "Stack backtrace:",
            "   0: anyhow::error::<impl core::convert::From<E> for anyhow::Error>::from",
        ]
    )
    assert d.category == "dependency_install"
    assert d.rule == "rustdoc-json-format-unsupported"


TEX_PASTE = [
    "/opt/texlive/texdir/texmf-dist/tex/latex/biblatex/biblatex.sty:2175: Text line ",
    "contains an invalid character.",
    "l.2175      \\bgroup\\nohyphenation#1\\egroup^^^",
    "                                             ^200b}}",
    "/opt/texlive/texdir/texmf-dist/tex/latex/biblatex/biblatex.sty:2175:  ==> Fatal",
    " error occurred, no output PDF file produced!",
    "Transcript written on sample.log.",
    "Collected error summary (may duplicate other messages):",
    "  pdflatex: Command for 'pdflatex' gave return code 1",
]


def test_tex_error_wrapped_at_79_columns_keeps_its_second_line() -> None:
    assert len(TEX_PASTE[0]) == 79
    d = _paste(TEX_PASTE)
    assert d.category == "build"
    assert d.rule == "tex-error"
    texts = [k.text for k in d.key_lines]
    assert "contains an invalid character." in texts
    assert " error occurred, no output PDF file produced!" in texts
    assert "  pdflatex: Command for 'pdflatex' gave return code 1" in texts
    # the source excerpt under the message is not a continuation
    assert not any(t.startswith("l.2175") for t in texts)


def test_shorter_tex_line_does_not_take_the_next_line() -> None:
    d = _paste(
        [
            "./main.tex:12: Undefined control sequence.",
            "l.12 \\foo",
            "   ",
            "Transcript written on main.log.",
        ]
    )
    assert d.rule == "tex-error"
    assert [k.text for k in d.key_lines if k.rule == "tex-error"] == [
        "./main.tex:12: Undefined control sequence."
    ]


def test_wraps_at_is_validated() -> None:
    base = {"id": "x", "category": "build", "patterns": ["^x"]}
    assert build_rule({**base, "wraps_at": 79}).wraps_at == 79
    for bad in (True, 5, "79"):
        with pytest.raises(RuleError):
            build_rule({**base, "wraps_at": bad})


def test_quarto_render_error_is_a_build() -> None:
    d = _paste(
        [
            "  [214/269] SKILL.md",
            "  ERROR: AssertionError:",
            "  ",
            "Caused by error:",
            "! System command 'quarto' failed",
            "Backtrace:",
            "  1. ├─babelquarto::render_website()",
            "Execution halted",
        ]
    )
    assert d.category == "build"
    texts = [k.text for k in d.key_lines]
    assert "! System command 'quarto' failed" in texts
    assert "  ERROR: AssertionError:" in texts


def test_quarto_error_without_its_progress_line_is_not_the_render_rule() -> None:
    # ``ERROR:`` alone is every tool's word: the rule needs Quarto's ``[n/N] file`` line
    d = _paste(["ERROR: AssertionError:", "Error: Process completed with exit code 1."])
    assert d.rule != "quarto-render-error"


def test_r_error_in_an_install_step_is_the_install() -> None:
    # no rule reads rlang's bare ``!`` line: the fallback's words still name the install
    d = diagnose(
        actions_job(
            "Rscript -e 'remotes::install_deps(dependencies = TRUE)'",
            [
                "Error in `loadNamespace()`:",
                "! there is no package called 'curl'",
                "Execution halted",
            ],
        )
    )
    assert d.category == "dependency_install"


def test_west_extension_that_does_not_import_is_a_build() -> None:
    d = _paste(
        [
            "+west build -b litex_vexriscv zephyr/samples/subsys/shell/shell_module",
            'ERROR: extension command "build" could not be run: could not import /home/runner/work/z/z/zephyr/scripts/west_commands/build.py. See /home/runner/work/_temp/west-exc-cbguw73e.txt for a traceback.',
        ]
    )
    assert d.category == "build"
    assert d.rule == "west-extension-failed"


def test_pandoc_given_a_comment_as_input_shows_the_script_line() -> None:
    d = _paste(
        [
            "for f in markdown/*.md; do",
            "    pandoc --standalone \\ # --include-in-header styles/chmduquesne.css \\",
            "      --from markdown --to html \\",
            "      --output output/x.html $f",
            "  done",
            "  shell: /usr/bin/bash -e {0}",
            "pandoc:  #: openBinaryFile: does not exist (No such file or directory)",
            "Error: Process completed with exit code 1.",
        ]
    )
    assert d.category == "build"
    texts = [k.text.strip() for k in d.key_lines]
    assert "pandoc --standalone \\ # --include-in-header styles/chmduquesne.css \\" in texts
    assert "pandoc:  #: openBinaryFile: does not exist (No such file or directory)" in texts


MSPEC_OUTPUT = [
    "....F....E",
    "",
    "1)",
    "Array#pack with format 'x' raises an ArgumentError FAILED",
    "Expected ArgumentError but no exception was raised (nil was returned)",
    "/home/runner/work/ruby/ruby/spec/ruby/core/array/pack/x_spec.rb:20:in `block (2 levels) in <top (required)>'",
    "/home/runner/work/ruby/ruby/spec/ruby/core/array/pack/x_spec.rb:5:in `<top (required)>'",
    "",
    "2)",
    "An exception occurred during: before :each",
    "File.open opens a file ERROR",
    "Errno::EACCES: Permission denied @ rb_sysopen - /home/runner/x",
    "/home/runner/work/ruby/ruby/spec/ruby/core/file/open_spec.rb:12:in `initialize'",
    "",
    "3)",
    "Syslog.close sets the identity to nil ERROR",
    "Java::JavaLang::OutOfMemoryError: Metaspace",
    "java.lang.ClassLoader.defineClass1(Native Method)",
    "java.lang.ClassLoader.defineClass(ClassLoader.java:763)",
    "",
    "Finished in 2.370000 seconds",
    "",
    "3 files, 12 examples, 20 expectations, 1 failure, 2 errors, 0 tagged",
]


def test_mspec_blocks_name_the_examples_and_their_messages() -> None:
    failures = {f.test: f for f in extract_failures(MSPEC_OUTPUT)}
    assert list(failures) == [
        "Array#pack with format 'x' raises an ArgumentError",
        "File.open opens a file",
        "Syslog.close sets the identity to nil",
    ]
    first = failures["Array#pack with format 'x' raises an ArgumentError"]
    assert first.message == "Expected ArgumentError but no exception was raised (nil was returned)"
    assert first.location == "spec/ruby/core/array/pack/x_spec.rb:20"
    assert (
        failures["File.open opens a file"].message
        == "Errno::EACCES: Permission denied @ rb_sysopen - /home/runner/x"
    )
    assert (
        failures["Syslog.close sets the identity to nil"].message
        == "Java::JavaLang::OutOfMemoryError: Metaspace"
    )


def test_mspec_out_of_memory_is_the_memory_with_the_example_named() -> None:
    d = _paste(MSPEC_OUTPUT[14:19])
    assert d.category == "oom_killed"
    assert d.failing_tests == ["Syslog.close sets the identity to nil"]
    texts = [k.text for k in d.key_lines]
    assert "Syslog.close sets the identity to nil ERROR" in texts
    assert "Java::JavaLang::OutOfMemoryError: Metaspace" in texts


@pytest.mark.parametrize(
    "lines",
    [
        # a numbered list whose items are no example's outcome, pytest's verbose result
        ["1)", "Install the dependencies first"],
        ["tests/test_a.py::test_b FAILED", "E   assert 1 == 2"],
        # a description line not right under its number
        ["1)", "", "Array#pack raises FAILED"],
    ],
)
def test_mspec_near_misses_name_no_test(lines: list[str]) -> None:
    assert not [f for f in extract_failures(lines) if "pack" in f.test or "Install" in f.test]
