"""(g36) General mechanisms measured on the leave-batches-out proxy: shapes many tools print
where no rule knows the tool."""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.listhead import list_head, shape
from bot.diagnose.logline import LogLine
from bot.diagnose.rules import load_rules

NO_RULES = [{"id": r.id, "enabled": False} for r in load_rules().rules]


def _paste(lines: list[str]) -> Diagnosis:
    """A paste diagnosed with every shipped rule off (a tool no rule knows)."""
    return diagnose(io.BytesIO("\n".join(lines).encode()), rules=NO_RULES)


def _keys(lines: list[str]) -> list[str]:
    return [k.text.strip() for k in _paste(lines).key_lines]


def _lines(texts: list[str], first: int = 1) -> list[LogLine]:
    return [LogLine(first + i, t, 1, first + i) for i, t in enumerate(texts)]


# -- the head of a list of findings that ends a paste ------------------------------------

CPPLINT = [
    "Category 'build/header_guard' errors found: 32",
    "Category 'build/include' errors found: 41",
    "Category 'build/include_order' errors found: 659",
    "Category 'build/include_subdir' errors found: 39",
    "Category 'build/include_what_you_use' errors found: 345",
    "Category 'build/namespaces' errors found: 72",
    "Category 'legal/copyright' errors found: 2",
    "Category 're",
]


def test_shape_blurs_digits_and_ignores_time_stamps() -> None:
    assert shape("L4 DL3008 Pin versions in apt get install.") == "L0"
    assert shape("L18 DL3015 Avoid additional packages") == "L0"
    assert shape("[warn] /x/A.scala isn't formatted properly!") == "[warn]"
    assert shape("12:27:51  usage: conan install [-h]") is None  # a time stamp says nothing
    assert shape("   ") is None


def test_list_head_of_a_long_run() -> None:
    lines = _lines(["$ hadolint ./Dockerfile", *[f"L{n} DL3008 Pin versions" for n in range(6)]])
    head = list_head(lines, 4)
    assert head is not None and [x.number for x in head] == [2, 3, 4, 5]


def test_list_head_not_of_a_short_run_or_a_broken_one() -> None:
    # a run no longer than what is shown, or lines of several shapes: the tail as before
    assert list_head(_lines(["Error: x", "L1 DL3008 a", "L2 DL3009 b", "L3 DL3015 c"]), 4) is None
    assert list_head(_lines(["a 1", "L1 x", "b 2", "L2 y", "c 3", "L3 z"]), 4) is None
    gap = [*_lines(["L1 a", "L2 b", "L3 c"]), *_lines(["L4 d", "L5 e"], first=9)]
    assert list_head(gap, 4) is None  # not one after another in the log


def test_time_stamped_lines_are_no_list() -> None:
    stamped = _lines([f"12:27:5{n}  line {n}" for n in range(8)])
    assert list_head(stamped, 4) is None


def test_cpplint_totals_show_their_first_categories() -> None:
    keys = _keys(CPPLINT)
    assert keys[0] == "Category 'build/header_guard' errors found: 32"
    assert "Category 'build/include_order' errors found: 659" in keys
    assert "Category 're" not in keys  # where the paste was cut


def test_hadolint_findings_from_the_first() -> None:
    keys = _keys(
        [
            "HEAD is now at b8f0489... Added gitlab-ci.",
            "",
            "$ hadolint ./Dockerfile",
            "L4 DL3008 Pin versions in apt get install. Instead of `apt-get install <package>`",
            "L4 DL3009 Delete the apt-get lists after installing something",
            "L4 DL3015 Avoid additional packages by specifying `--no-install-recommends`",
            "L18 DL3008 Pin versions in apt get install. Instead of `apt-get install <package>`",
            "L18 DL3015 Avoid additional packages by specifying `--no-install-recommends`",
            "L20 DL3003 Use WORKDIR to switch to a directory",
        ]
    )
    assert "L4 DL3009 Delete the apt-get lists after installing something" in keys
    assert "L20 DL3003 Use WORKDIR to switch to a directory" not in keys


def test_a_paste_tail_of_mixed_lines_keeps_its_last_lines() -> None:
    # near miss: the last lines are no list (a traceback's frames and code alternate)
    keys = _keys(
        [
            "Traceback (most recent call last):",
            '  File "/x/bin/pipenv", line 11, in <module>',
            "    sys.exit(cli())",
            '  File "/x/click/core.py", line 764, in __call__',
            "    return self.main(*args, **kwargs)",
            '  File "/x/click/core.py", line 697, in main',
            "    rv = self.invoke(ctx)",
        ]
    )
    assert "rv = self.invoke(ctx)" in keys


def test_scalafmt_warnings_from_the_first_file() -> None:
    files = ["helpers/MockedFactory", "matching/RangeTest", "FlowHelpersTest", "SchedulerTest"]
    files += ["revive/HandlerTest", "helpers/MesosMock", "builders/SpecBuilderTest"]
    keys = _keys(
        [f"[warn] /home/runner/build/core/{f}.scala isn't formatted properly!" for f in files]
    )
    assert (
        "[warn] /home/runner/build/core/helpers/MockedFactory.scala isn't formatted properly!"
        in keys
    )
    assert not any("SpecBuilderTest" in k for k in keys)


# -- MSVC's codes with no source line, NMAKE's error, more build commands -----------------


def test_msvc_codes_without_a_source_line_are_a_build() -> None:
    lines = [
        "NMAKE : fatal error U1077: '\"C:\\Program Files\\CMake\\bin\\cmake.exe\"' : return code"
        " '0xffffffff'",
        "Stop.",
        "fatal error C1900: Il mismatch between 'P1' version '20220421' and 'P2' version"
        " '20211117'",
    ]
    assert _paste(lines).category == "build"
    link = [
        "main.obj : error LNK2019: unresolved external symbol foo referenced in function main",
        "app.exe : fatal error LNK1120: 1 unresolved externals",
    ]
    assert _paste(link).category == "build"


def test_an_error_code_of_other_letters_says_nothing() -> None:
    # near miss: ``error CS…`` with no source line and HTTP-ish codes are not MSVC's
    assert _paste(["Error: error XY1234: something went wrong"]).category != "build"


def test_nmake_alone_is_made_a_build() -> None:
    lines = [
        "        cl /c /nologo src\\main.c",
        "NMAKE : fatal error U1077: 'cl.exe' : return code '0x2'",
        "Stop.",
    ]
    assert _paste(lines).category == "build"


def test_build_commands_of_more_languages() -> None:
    table = load_rules()
    for command in (
        "opam exec -- dune build @check",
        "mix compile --warnings-as-errors",
        "swift build -c release",
        "stack build --fast",
        "cabal v2-build all",
        "nmake /f Makefile.win",
    ):
        assert table.command_category(command) == "build", command
    # near misses: a test or a format check run through the same tools
    assert table.command_category("swift test") != "build"
    assert table.command_category("mix format --check-formatted") == "format"
