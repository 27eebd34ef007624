# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 16, helper b16D4 (whole Travis CI job logs): busted's gtest-style
end-of-run lists (Neovim's ``nvim`` output handler) when no ``[ SKIPPED  ]`` list opens
them, and a failure whose error value is a string starting with a newline (busted prints
``path:line: (string) '`` and the text on the next lines).

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name; the near misses keep googletest's own lists and one-line string errors as they were.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_busted import Busted
from tests.diagnose.joblogs import fed, travis_one_command

# ---- busted's gtest-style lists with no skipped list before them ----------------------

_NVIM_UNIT_SUMMARY = [
    "[----------] Running tests from test/unit/buffer_spec.lua",
    "[ RUN      ] buffer functions buf_valid should view NULL as an invalid buffer: FAIL",
    "test/unit/helpers.lua:727: (string) '",
    "test/unit/helpers.lua:85: missing declaration for symbol 'buf_valid''",
    "",
    "stack traceback:",
    "\ttest/unit/helpers.lua:743: in function 'itp_parent'",
    "",
    "[==========] 653 tests from 31 test files ran. (206945.03 ms total)",
    "[  PASSED  ] 550 tests.",
    "[  FAILED  ] 2 tests, listed below:",
    "[  FAILED  ] test/unit/helpers.lua @ 760: buffer functions buf_valid should view NULL as an invalid buffer",
    "test/unit/helpers.lua:727: (string) '",
    "test/unit/helpers.lua:85: missing declaration for symbol 'buf_valid''",
    "",
    "stack traceback:",
    "\ttest/unit/helpers.lua:743: in function 'itp_parent'",
    "\ttest/unit/helpers.lua:770: in function <test/unit/helpers.lua:760>",
    "",
    "[  FAILED  ] test/unit/helpers.lua @ 760: u_write_undo overwrites an existing undo file",
    "test/unit/helpers.lua:727: (string) '",
    "test/unit/helpers.lua:85: missing declaration for symbol 'setfname''",
    "",
    "stack traceback:",
    "\ttest/unit/helpers.lua:743: in function 'itp_parent'",
    "",
    "",
    " 2 FAILED TESTS",
    "-- Tests exited non-zero: 1",
    "-- Output to stderr:",
    "In file included from /home/runner/build/neovim/neovim/src/nvim/channel.h:12,",
    "                 from ./src/nvim/eval.h:12,",
    "                 from tmp_pseudoheader.h:2:",
    "/home/runner/build/neovim/neovim/src/nvim/lua/executor.h:4:10: fatal error: lua.h: No such file or directory",
    "    4 | #include <lua.h>",
    "      |          ^~~~~~~",
    "compilation terminated.",
    "CMake Error at /home/runner/build/neovim/neovim/cmake/RunTests.cmake:85 (message):",
    "  unit tests failed with error: 1",
]


def test_busted_failed_list_without_a_skipped_list_names_the_failures() -> None:
    """The gtest-style header of the FAILED list (``[  FAILED  ] N tests, listed below:``)
    opens the list by itself; a run with nothing skipped prints no SKIPPED list before it."""
    diagnosis = diagnose(travis_one_command("ci/script.sh", _NVIM_UNIT_SUMMARY))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == [
        "test/unit/helpers.lua @ 760: buffer functions buf_valid should view NULL as an invalid buffer",
        "test/unit/helpers.lua @ 760: u_write_undo overwrites an existing undo file",
    ]
    texts = [k.text for k in diagnosis.key_lines]
    assert any("missing declaration for symbol 'buf_valid'" in t for t in texts)
    assert any("fatal error: lua.h: No such file or directory" in t for t in texts)


def test_busted_string_error_opening_a_line_takes_the_next_line_as_message() -> None:
    """``path:line: (string) '`` only says the error is a string: its text, with its own
    ``path:line:``, is on the next line, and that is the message and the location."""
    failures = diagnose(travis_one_command("ci/script.sh", _NVIM_UNIT_SUMMARY)).failures
    assert [(f.message, f.location) for f in failures] == [
        (
            "test/unit/helpers.lua:85: missing declaration for symbol 'buf_valid''",
            "test/unit/helpers.lua:85",
        ),
        (
            "test/unit/helpers.lua:85: missing declaration for symbol 'setfname''",
            "test/unit/helpers.lua:85",
        ),
    ]


def test_busted_error_list_without_a_skipped_list() -> None:
    """The ERROR list's header (``[  ERROR   ] N errors, listed below:``) opens it too."""
    extractor = fed(
        Busted(),
        [
            "[  PASSED  ] 3670 tests.",
            "[  ERROR   ] 1 error, listed below:",
            "[  ERROR   ] test/functional/helpers.lua @ 857: after_each",
            "test/helpers.lua:156: assertion failed!",
            "",
            " 1 ERROR",
        ],
    )
    assert extractor.tests() == ["test/functional/helpers.lua @ 857: after_each"]
    info = extractor.details["test/functional/helpers.lua @ 857: after_each"]
    assert (info.message, info.location) == (
        "test/helpers.lua:156: assertion failed!",
        "test/helpers.lua:156",
    )


def test_near_miss_googletest_lists_are_not_busted_entries() -> None:
    """googletest's own lists have the same header; their entries (``Suite.Test``) name no
    Lua spec file and stay googletest's."""
    extractor = fed(
        Busted(),
        [
            "[  PASSED  ] 0 tests.",
            "[  FAILED  ] 1 test, listed below:",
            "[  FAILED  ] Calc.Adds",
            "",
            " 1 FAILED TEST",
        ],
    )
    assert extractor.tests() == []
    lines = [
        "[ RUN      ] Calc.Adds",
        "calc_test.cc:9: Failure",
        "Expected equality of these values:",
        "[  FAILED  ] Calc.Adds (0 ms)",
        "[  PASSED  ] 0 tests.",
        "[  FAILED  ] 1 test, listed below:",
        "[  FAILED  ] Calc.Adds",
        "",
        " 1 FAILED TEST",
    ]
    assert diagnose(travis_one_command("./build/calc_test", lines)).failing_tests == ["Calc.Adds"]


def test_near_miss_a_one_line_string_error_is_the_message() -> None:
    """A string error printed whole on its line (``(string) 'text'``) is the message itself."""
    extractor = fed(
        Busted(),
        [
            "[  FAILED  ] 1 test, listed below:",
            "[  FAILED  ] spec/calc_spec.lua @ 2: calc adds",
            "spec/calc_spec.lua:3: (string) 'boom'",
            "",
            " 1 FAILED TEST",
        ],
    )
    info = extractor.details["spec/calc_spec.lua @ 2: calc adds"]
    assert (info.message, info.location) == (
        "spec/calc_spec.lua:3: (string) 'boom'",
        "spec/calc_spec.lua:3",
    )
