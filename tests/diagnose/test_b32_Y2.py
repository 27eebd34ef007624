# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 32, helper Y2 (pasted CI output of builds, native toolchains and
linters): a cargo build script that failed, a configuration parser's `path:line: syntax
error`, pydocstyle's report, a setup.py that raised under pip, a checker's `> URL` bullet,
the progress line that announces what failed under it, and a paste that begins inside a
compiler's diagnostic.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.keylines import _DOING
from bot.diagnose.logline import clean_line
from bot.diagnose.scorer import echoed, error_score
from tests.diagnose.joblogs import actions_job
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            "  process didn't exit successfully: `/home/runner/work/databend/databend/target/debug/build/common-meta-flight-491817349f4c9c57/build-script-build` (exit status: 101)",
            "cargo-build-script-failed",
        ),
        (
            "  process didn't exit successfully: `D:\\a\\app\\app\\target\\debug\\build\\openssl-sys-1c9b6a2d3b4e5f60\\build-script-main` (exit code: 101)",
            "cargo-build-script-failed",
        ),
        (
            "  thread 'main' panicked at 'called `Result::unwrap()` on an `Err` value: Os { code: 2, kind: NotFound, message: \"No such file or directory\" }', build.rs:4:50",
            "cargo-build-script-failed",
        ),
        ("  thread 'main' panicked at crates/sys/build.rs:12:9:", "cargo-build-script-failed"),
        ("boards/arm/sama5/giant-board/Kconfig:110: syntax error", "located-syntax-error"),
        ("arch/x86/Kconfig:12: syntax error", "located-syntax-error"),
        ("src/parse.y:12.3-5: syntax error, unexpected identifier", "located-syntax-error"),
        (
            "        D206: Docstring should be indented with spaces, not tabs",
            "pydocstyle-violation",
        ),
        (
            "        D205: 1 blank line required between summary line and description (found 0)",
            "pydocstyle-violation",
        ),
        ("    Traceback (most recent call last):", "pip-setup-py-traceback"),
    ],
)
def test_rule_matches(line: str, rule: str) -> None:
    assert rule in _ids(clean_line(line))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # a test binary that crashed or failed is no build script
        (
            "  process didn't exit successfully: `/home/runner/work/x/x/target/debug/deps/x-0a1b2c3d4e5f6071` (signal: 11, SIGSEGV: invalid memory reference)",
            "cargo-build-script-failed",
        ),
        (
            "  process didn't exit successfully: `/home/runner/work/x/x/target/debug/deps/x-0a1b2c3d4e5f6071` (exit status: 101)",
            "cargo-build-script-failed",
        ),
        ("thread 'main' panicked at src/main.rs:3:5:", "cargo-build-script-failed"),
        # a shell's syntax error names its line in words; make's own complaint is no parser's
        ("./build.sh: line 3: syntax error near unexpected token `('", "located-syntax-error"),
        ("Makefile:12: *** missing separator.  Stop.", "located-syntax-error"),
        ('  File "setup.py", line 3', "located-syntax-error"),
        # flake8-docstrings prints the D codes in flake8's own shape (its rules read it)
        ("toqito/x.py:1:1: D400 First line should end with a period", "pydocstyle-violation"),
        ("D206: Docstring should be indented with spaces, not tabs", "pydocstyle-violation"),
    ],
)
def test_near_misses(line: str, rule: str) -> None:
    assert rule not in _ids(clean_line(line))


def test_cargo_build_script_status_is_a_key_line() -> None:
    got = _paste(
        [
            "   Compiling common-meta-flight v0.1.0 (/home/runner/work/x/x/common/meta/flight)",
            "error: failed to run custom build command for `common-meta-flight v0.1.0 (/home/runner/work/x/x/common/meta/flight)`",
            "",
            "Caused by:",
            "  process didn't exit successfully: `/home/runner/work/x/x/target/debug/build/common-meta-flight-491817349f4c9c57/build-script-build` (exit status: 101)",
            "  --- stdout",
            "  cargo:rerun-if-changed=/home/runner/work/x/x/common/meta/flight",
        ]
    )
    assert got.category == "build"
    texts = [k.text for k in got.key_lines]
    assert any(t.startswith("error: failed to run custom build command") for t in texts)
    assert any("build-script-build` (exit status: 101)" in t for t in texts)


def test_kconfig_syntax_error_leads_before_make() -> None:
    got = _paste(
        [
            "  Configuring...",
            "boards/arm/sama5/giant-board/Kconfig:110: syntax error",
            "boards/arm/sama5/giant-board/Kconfig:109: invalid option",
            "make: *** [tools/Makefile.unix:471: olddefconfig] Error 1",
        ]
    )
    assert got.category == "build"
    assert got.key_lines[0].text == "boards/arm/sama5/giant-board/Kconfig:110: syntax error"


def test_ruby_syntax_error_stays_ruby() -> None:
    assert _ids("lib/x.rb:3: syntax error, unexpected end-of-input")[0] == "php-ruby-syntax"


def test_pydocstyle_report_is_lint() -> None:
    got = _paste(
        [
            "toqito/nonlocal_games/xor_game.py:177 in public method `quantum_value`:",
            "        D206: Docstring should be indented with spaces, not tabs",
            "toqito/matrix_ops/inner_product.py:1 at module level:",
            "        D400: First line should end with a period (not 'n')",
        ]
    )
    assert got.category == "lint"
    assert got.rule == "pydocstyle-violation"
    texts = [k.text.strip() for k in got.key_lines]
    assert "D206: Docstring should be indented with spaces, not tabs" in texts
    assert "D400: First line should end with a period (not 'n')" in texts


def test_indented_code_without_pydocstyle_header_is_not_pydocstyle() -> None:
    got = _paste(["Summary:", "        D206: one", "error: something else failed"])
    assert got.rule != "pydocstyle-violation"


def test_setup_py_raising_under_pip_is_the_install() -> None:
    got = _paste(
        [
            "    gcc -pthread -shared build/temp.linux-x86_64-3.2/refnanny.o -o build/lib.linux-x86_64-3.2/Cython/Runtime/refnanny.cpython-32mu.so",
            "    cythoning /home/runner/virtualenv/python3.2.5/build/cython/Cython/Tempita/_tempita.py to /home/runner/virtualenv/python3.2.5/build/cython/Cython/Tempita/_tempita.c",
            "    Traceback (most recent call last):",
            '      File "<string>", line 1, in <module>',
            '      File "/home/runner/virtualenv/python3.2.5/build/cython/setup.py", line 337, in <module>',
            "        **setup_args",
            '      File "/opt/python/3.2.5/lib/python3.2/distutils/core.py", line 148, in setup',
        ]
    )
    assert got.category == "dependency_install"
    texts = [k.text.strip() for k in got.key_lines]
    assert texts[0] == "Traceback (most recent call last):"
    assert texts[1].startswith("cythoning ")  # what setup.py was doing when it raised


def test_pip_build_dirs() -> None:
    for frame in (
        '      File "/var/folders/4x/T/pip-build-a1b2c3/numpy/setup.py", line 10, in <module>',
        '      File "/var/folders/4x/T/pip-req-build-a1b2c3/setup.py", line 10, in <module>',
        '      File "/var/folders/4x/T/pip-install-a1b2c3/pkg/setup.py", line 10, in <module>',
    ):
        got = _paste(
            [
                "    Complete output from command python setup.py egg_info:",
                "    Traceback (most recent call last):",
                '      File "<string>", line 1, in <module>',
                frame,
                "        import numpy",
            ]
        )
        assert got.category == "dependency_install", frame
        assert any(k.rule == "pip-setup-py-traceback" for k in got.key_lines), frame


def test_a_projects_own_setup_py_is_not_pips() -> None:
    got = _paste(
        [
            "$ python setup.py build_ext --inplace",
            "Traceback (most recent call last):",
            '  File "setup.py", line 5, in <module>',
            "    from Cython.Build import cythonize",
            "ModuleNotFoundError: No module named 'Cython'",
        ]
    )
    assert all(k.rule != "pip-setup-py-traceback" for k in got.key_lines)


def test_url_bullet_is_output_not_an_echo() -> None:
    assert not echoed(" > http://localhost:4000/collections/ - Failed to run")
    assert error_score(" > http://localhost:4000/collections/ - Failed to run") > 1
    # npm's echo of the script it runs still is one
    assert echoed("> federalist-uswds-jekyll@1.3.0 pa11y-ci:sitemap /home/runner/work/x/x")
    assert echoed("> pa11y-ci --sitemap http://localhost:4000/sitemap.xml")


def test_pa11y_ci_failed_urls_under_their_announcement() -> None:
    got = _paste(
        [
            "Run npm run pa11y-ci:sitemap",
            "",
            "> pa11y-ci --sitemap http://localhost:4000/sitemap.xml",
            "",
            "Running Pa11y on 3 URLs:",
            " > http://localhost:4000/collections/ - Failed to run",
            " > http://localhost:4000/document/ - Failed to run",
            " > http://localhost:4000/about/ - Failed to run",
        ]
    )
    texts = [k.text.strip() for k in got.key_lines]
    assert texts[0] == "> http://localhost:4000/collections/ - Failed to run"
    assert texts[1] == "Running Pa11y on 3 URLs:"


@pytest.mark.parametrize(
    "line",
    [
        "Running Pa11y on 11 URLs:",
        "cythoning Cython/Tempita/_tempita.py to Cython/Tempita/_tempita.c",
        "byte-compiling build/lib/pkg/a.py to a.cpython-38.pyc",
        "copying src/pkg/a.py -> build/lib/pkg",
        "building 'pkg._speedups' extension",
    ],
)
def test_announcing_lines(line: str) -> None:
    assert _DOING.match(line)


@pytest.mark.parametrize(
    "line", ["nothing else to do", "ending up to date", "running build_ext", "Summary:"]
)
def test_not_announcing_lines(line: str) -> None:
    assert not _DOING.match(line)


def test_paste_cut_inside_clang_diagnostic() -> None:
    got = _paste(
        [
            "[...truncated 179 lines...]",
            "    class _LIBCPP_TYPE_VIS_ONLY basic_ifstream;",
            "                                ^",
            "1 error generated.",
            "make: *** [bin/cmdstan/print.o] Error 1",
        ]
    )
    assert got.category == "build"
    assert got.key_lines[0].rule == "paste-start"
    assert got.key_lines[0].text.strip() == "class _LIBCPP_TYPE_VIS_ONLY basic_ifstream;"
    assert got.key_lines[0].line == 2
    assert any(k.text == "make: *** [bin/cmdstan/print.o] Error 1" for k in got.key_lines)


def test_paste_cut_inside_gcc_diagnostic() -> None:
    got = _paste(
        [
            "  110 |   foo(bar, 3);",
            "      |   ^~~",
            "make: *** [Makefile:3: a.o] Error 1",
        ]
    )
    assert got.key_lines[0].rule == "paste-start"
    assert got.key_lines[0].line == 1


def test_whole_diagnostic_is_no_cut() -> None:
    got = _paste(
        [
            "src/a.cc:3:5: error: use of undeclared identifier 'foo'",
            "    foo();",
            "    ^",
            "1 error generated.",
        ]
    )
    assert all(k.rule != "paste-start" for k in got.key_lines)


def test_first_line_without_caret_is_no_cut() -> None:
    got = _paste(["    foo();", "1 error generated.", "make: *** [a.o] Error 1"])
    assert all(k.rule != "paste-start" for k in got.key_lines)


def test_actions_job_is_no_paste() -> None:
    got = diagnose(actions_job("make", ["    foo();", "    ^", "make: *** [a.o] Error 1"], 2))
    assert all(k.rule != "paste-start" for k in got.key_lines)
