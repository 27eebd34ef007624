# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 16, helper b16D3 (whole Travis CI job logs).

The five batch-16 logs of this helper (awesome_bot, standard under node 0.12, perlcritic,
testthat with no tests, a testthat failure in R CMD check) were diagnosed right before any
change. Two general mechanisms came from design-half misses of earlier batches that the
measurement showed: a failing test's name printed with spaces around it keeps its message
(Pester's ``[-] name  40ms``), and a pytest section whose parametrised id holds spaces
(``test_x[command0-nix-env -iA nixos.vim]``) is read as that test's section.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_core import Extractor
from bot.diagnose.extract_pester import Pester
from bot.diagnose.extract_python import Pytest
from tests.diagnose.joblogs import fed, travis_timed_job

# ---- a name noted with the spaces it was printed with ---------------------------------

_NOT_FOUND = "CommandNotFoundException: The term 'Export-NunitReport' is not recognized as the name of a cmdlet, function, script file, or operable program."


def test_pester_name_with_a_trailing_space_keeps_its_message() -> None:
    pester = fed(
        Pester(),
        [
            "Describing Exporting Parameterized Tests",
            "    [-] should write the environment information 30ms",
            f"      {_NOT_FOUND}",
            "      Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
            """    [-] handles special characters in block descriptions well -!@#$%^&*()_+1234567890[];'',./"-  40ms""",
            f"      {_NOT_FOUND}",
            "      Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
        ],
    )
    special = """handles special characters in block descriptions well -!@#$%^&*()_+1234567890[];'',./"-"""
    assert pester.tests() == ["should write the environment information", special]
    failures = {f.test: f for f in pester.failures()}
    assert set(failures) == set(pester.tests())
    assert failures[special].message == _NOT_FOUND
    assert failures[special].line == 6


class _Spaced(Extractor):
    """An extractor that adds a name stripped and notes it as printed."""

    name = "spaced"

    def feed(self, text: str, number: int = 0) -> None:
        name, _, message = text.partition("|")
        self.add(name, number)
        if message:
            self.note(name, message=message, location="t/a.t:3", line=number)


def test_a_note_under_the_printed_name_belongs_to_the_stripped_name() -> None:
    spaced = _Spaced()
    spaced.feed("  two words  |expected 2, got 1", 4)
    (failure,) = spaced.failures()
    assert (failure.test, failure.message, failure.location, failure.line) == (
        "two words",
        "expected 2, got 1",
        "t/a.t:3",
        4,
    )


def test_a_note_under_the_stripped_name_wins_over_the_printed_one() -> None:
    spaced = _Spaced()
    spaced.feed("name |first", 1)
    spaced.note("name", message="stripped")
    assert spaced.failures()[0].message == "stripped"
    bare = _Spaced()
    bare.feed("name", 1)  # added, nothing noted: no message invented
    assert bare.failures()[0].message is None


# ---- pytest: a parametrised id with spaces --------------------------------------------


_NIX_SECTION = [
    "=================================== FAILURES ===================================",
    "_____________ test_get_new_command[command0-nix-env -iA nixos.vim] _____________",
    "",
    "mocker = <pytest_mock.MockFixture object at 0x7f535b2abbe0>",
    "command = Command(script=vim, output=nix-env -iA nixos.vim)",
    "",
    "    def test_get_new_command(mocker, command, new_command):",
    ">       assert get_new_command(command) == new_command",
    "E       AssertionError: assert 'nix-env -iA nixos.vim && vim' == 'nix-env -iA nixos.vim'",
    "E         - nix-env -iA nixos.vim && vim",
    "E         + nix-env -iA nixos.vim",
    "",
    "/home/runner/build/acme/tool/tests/rules/test_nixos.py:25: AssertionError",
]


def test_pytest_section_of_a_parametrised_id_with_spaces() -> None:
    pytest = fed(
        Pytest(),
        [
            *_NIX_SECTION,
            "=========================== short test summary info ============================",
            "FAILED tests/rules/test_nixos.py::test_get_new_command[command0-nix-env -iA nixos.vim]",
            "======= 1 failed, 1609 passed in 448.10 seconds ========",
        ],
    )
    (failure,) = pytest.failures()
    assert (
        failure.test
        == "tests/rules/test_nixos.py::test_get_new_command[command0-nix-env -iA nixos.vim]"
    )
    assert failure.message is not None
    assert failure.message.startswith("AssertionError: assert 'nix-env -iA nixos.vim && vim'")
    assert failure.location == "tests/rules/test_nixos.py:25"


def test_pytest_headers_with_spaces_outside_an_id_are_no_sections() -> None:
    """Underscore rules around words (a plugin's ``___ summary of runs ___``) or a name
    with a space before its brackets are not a test's section."""
    for header in (
        "_____________ summary of the runs _____________",
        "_____________ test one[a b] _____________",
        "_____________ test_x[a b] extra _____________",
    ):
        pytest = fed(Pytest(), [header, "E       AssertionError: boom"])
        assert pytest.headers == [], header


def test_pytest_log_with_spaced_id_reports_the_assertion_as_message() -> None:
    log = travis_timed_job(
        [
            (
                "python -m pytest -v",
                [
                    "tests/rules/test_nixos.py::test_get_new_command[command0-nix-env -iA nixos.vim] FAILED [ 72%]",
                    *_NIX_SECTION,
                    "=========================== short test summary info ============================",
                    "FAILED tests/rules/test_nixos.py::test_get_new_command[command0-nix-env -iA nixos.vim]",
                    "========== 1 failed, 1609 passed in 448.10 seconds ==========",
                ],
                1,
            )
        ]
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "test_failure"
    (failure,) = diagnosis.failures
    assert failure.message is not None and "nix-env -iA nixos.vim && vim" in failure.message
