# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 12, helper b12D3 (whole Travis CI job logs): GHC 8/9's error header
with no text after ``error:`` and the Haskell build tools' own verdicts (stack, cabal,
HLint, a GHC panic); awesome_bot's unreachable and duplicate links; build tools' progress
lines that name a module called "Error"; and the summary of a failing test that printed
no message.

Each snippet is written in the shape the tool prints (from the tools' sources and public
reports) and asserts what a maintainer would name as the cause, with near misses that must
not match.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import actions_job, travis_job


def _texts(diagnosis: object) -> list[str]:
    return [k.text for k in diagnosis.key_lines]  # type: ignore[attr-defined]


_STACK = "$TIMEOUT 35m ci/build.sh"

# ---- GHC 8/9: `File.hs:L:C: error:` with the message below --------------------------


def test_ghc_8_error_header_alone_on_its_line_is_a_build_error() -> None:
    """stack building the one local package prints GHC's lines unprefixed; the header ends
    with ``error:`` and the message is on the indented lines (a Happy-generated parser)."""
    header = "/home/runner/build/acme/lang/sdist-test/.stack-work/dist/x86_64-linux/Cabal-2.4.0.1/build/Language/Acme/Parser.hs:60:64: error:"
    lines = [
        "[ 28 of 162] Compiling Language.Acme.Lexer",
        "[ 29 of 162] Compiling Language.Acme.Parser",
        "",
        header,
        "    Not in scope: type variable ‘a’",
        "   |",
        "60 | newtype HappyWrap27 = HappyWrap27 (QualifiedName (N.ProperName a))",
        "   |                                                                ^",
        "",
        "--  While building package acme-lang-0.13.0 using:",
        '      /home/runner/.stack/setup-exe-cache/x86_64-linux/Cabal-simple_mPHDZzAJ_2.4.0.1_ghc-8.6.5 --builddir=.stack-work/dist/x86_64-linux/Cabal-2.4.0.1 build lib:acme-lang exe:acme test:tests --ghc-options ""',
        "    Process exited with code: ExitFailure 1",
    ]
    diagnosis = diagnose(travis_job(_STACK, lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "ghc-compile-error"
    texts = _texts(diagnosis)
    assert texts[0] == header
    assert "--  While building package acme-lang-0.13.0 using:" in texts


def test_ghc_9_error_code_span_and_preprocessor_sources() -> None:
    for header in (
        "src/Lib/Eval.hs:41:13: error: [GHC-88464]",
        "src/Lib/Eval.hs:(41,13)-(43,20): error:",
        "src/Lib/Eval.hs:41:13-27: error:",
        "Graphics/UI/Gtk/General/RcStyle.chs:49:4: error:",
        "src/Parser.y:120:5: error:",
        "bench/BenchCSV.hs:112:1: error: parse error on input ‘import’",
    ):
        lines = [
            "[2 of 5] Compiling Lib.Eval ( src/Lib/Eval.hs, dist/build/Lib/Eval.o )",
            "",
            header,
            "    • Variable not in scope: evalExpr",
        ]
        diagnosis = diagnose(actions_job("cabal build", lines))
        assert diagnosis.category == "build", header
        assert diagnosis.rule in ("ghc-compile-error", "c-compile-error"), header
        assert _texts(diagnosis)[0] == header


def test_ghc_7_one_line_parse_error() -> None:
    line = "Distribution/Client/Sandbox.hs:695:9: parse error on input `}'"
    diagnosis = diagnose(travis_job("cabal build", ["Building cabal-install-1.17.0...", line]))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "ghc-compile-error"
    assert _texts(diagnosis)[0] == line


def test_ghc_promoted_warning_stays_ghc_werror() -> None:
    """Near miss: ``error: [-Wflag, -Werror=flag]`` is a warning made fatal, not a plain
    compile error; with and without stack's package prefix."""
    for line in (
        "src/Lib/Parse.hs:3:1: error: [-Wunused-imports, -Werror=unused-imports]",
        "src/Lib/Parse.hs:3:1: error: [GHC-66111] [-Wunused-imports, Werror=unused-imports]",
        "mylib      > src/Lib/Parse.hs:3:1: error: [-Wunused-imports, -Werror=unused-imports]",
    ):
        diagnosis = diagnose(
            actions_job(
                "stack build --pedantic", [line, "    The import of ‘Data.List’ is redundant"]
            )
        )
        assert diagnosis.rule == "ghc-werror", line


def test_ghc_c_compiler_or_linker_phase_failure() -> None:
    lines = [
        "Linking .stack-work/dist/x86_64-osx/Cabal-3.2.1.0/build/app/app ...",
        "ld: can't open output file for writing: .stack-work/dist/x86_64-osx/Cabal-3.2.1.0/build/app/app, errno=21",
        "`gcc' failed in phase `Linker'. (Exit code: 1)",
    ]
    diagnosis = diagnose(travis_job("stack build", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "haskell-build-failed"
    assert "`gcc' failed in phase `Linker'. (Exit code: 1)" in _texts(diagnosis)


def test_a_known_linker_error_outranks_ghcs_phase_verdict() -> None:
    """Near miss: when the linker's own line is in a known shape it is the cause and the
    summary; GHC's ``failed in phase`` line only follows it."""
    undefined = "Z:\\appdata\\dist\\build/libHSAcme-0.6.0.a(TTY.o):fake:(.text+0x3e85): undefined reference to `AcmeziFixer_applyFix_info'"
    lines = [
        "Linking dist\\build\\acme\\acme.exe ...",
        undefined,
        "collect2.exe: error: ld returned 1 exit status",
        "`gcc.exe' failed in phase `Linker'. (Exit code: 1)",
    ]
    diagnosis = diagnose(travis_job("cabal build", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "c-compile-error"
    assert diagnosis.summary == undefined


def test_ghc_panic_is_a_compiler_crash() -> None:
    lines = [
        "[12 of 40] Compiling Data.Acme.Types ( src/Data/Acme/Types.hs, dist/build/Data/Acme/Types.o )",
        "ghc: panic! (the 'impossible' happened)",
        "  (GHC version 8.6.5 for x86_64-unknown-linux):",
        "\tcoreToStgExpr",
        "",
        "Please report this as a GHC bug:  http://www.haskell.org/ghc/reportabug",
    ]
    diagnosis = diagnose(travis_job("cabal build", lines))
    assert diagnosis.category == "segfault"
    assert diagnosis.rule == "compiler-crash"
    assert _texts(diagnosis)[0] == "ghc: panic! (the 'impossible' happened)"
    versioned = "mylib > ghc-9.2.4: panic! (the 'impossible' happened)"
    assert diagnose(actions_job("stack build", [versioned])).rule == "compiler-crash"


# ---- stack / cabal verdicts ---------------------------------------------------------------


def test_stack_and_cabal_build_verdicts_without_a_known_compiler_line() -> None:
    """The compiler's message is in no shape a rule knows (a custom Setup.hs's own
    complaint); the tool's verdict still says the build failed."""
    shapes = [
        [
            "--  While building custom Setup.hs for package acme-0.1.0.0 using:",
            "      /home/runner/.stack/setup-exe-cache/x86_64-linux/Cabal-simple_mPHDZzAJ_2.4.0.1_ghc-8.6.5 build",
            "    Process exited with code: ExitFailure 1",
        ],
        [
            "--  While building package waspc-0.2.2.2 (scroll up to its section to see the error) using:",
            "    Process exited with code: ExitFailure 1",
        ],
        [
            "Error: [S-7282]",
            "       Stack failed to execute the build plan.",
            "       ",
            "       While executing the build plan, Stack encountered the error:",
            "       ",
            "       [S-7011]",
            "       While building package kmonad-0.4.4 (scroll up to its section to see the error) using:",
            "       Process exited with code: ExitFailure 1",
        ],
        [
            "Error: [S-6374]",
            "       While building simple Setup.hs (scroll up to its section to see the error) using:",
        ],
        ["cabal: Failed to build gtk3-0.15.5. See the build log above for details."],
        [
            "Error: cabal: Failed to build ghc-lib-parser-9.0.1.20210207 (which is required by",
            "exe:hlint from hlint-3.3).",
        ],
        [
            "cabal: Error: some packages failed to install:",
            "acme-1.0 failed during the building phase. The exception was:",
            "ExitFailure 1",
        ],
    ]
    for lines in shapes:
        diagnosis = diagnose(
            travis_job("stack build", ["Setup.hs: custom hook refused the flags", *lines])
        )
        assert diagnosis.category == "build", lines
        assert diagnosis.rule == "haskell-build-failed", lines


def test_stack_test_suite_failure_is_not_a_build_failure() -> None:
    """Near miss: stack's verdict on a failing test suite names no build."""
    lines = [
        "acme> test (suite: spec)",
        "Progress 1/2: acme",
        "Test suite failure for package acme-0.1.0.0",
        "    spec:  exited with: ExitFailure 1",
        "Logs printed to console",
    ]
    diagnosis = diagnose(travis_job("stack test", lines))
    assert diagnosis.rule != "haskell-build-failed"
    assert "While building package" not in " ".join(_texts(diagnosis))


def test_cabal_and_stack_cannot_resolve_the_package_set() -> None:
    shapes = [
        [
            "Resolving dependencies...",
            "cabal: Could not resolve dependencies:",
            "[__0] trying: cardano-binary-1.5.0.1 (user goal)",
            "[__1] unknown package: cardano-prelude-test (dependency of cardano-binary *test)",
        ],
        [
            "Error: cabal: Could not resolve dependencies:",
            "[__0] trying: foxdec-0.1.0.0 (user goal)",
            "[__1] unknown package: split (dependency of foxdec)",
        ],
        [
            "Error: [Cabal-7107]",
            "Could not resolve dependencies:",
            "[__0] trying: acme-0.1 (user goal)",
        ],
        [
            "Error: While constructing the build plan, the following exceptions were encountered:",
            "",
            "In the dependencies for acme-0.1.0.0:",
            "    split needed, but the stack configuration has no specified version  (latest matching version is 0.2.3.4)",
        ],
        [
            "Configuring mysql-0.1.4...",
            "setup: Missing dependencies on foreign libraries:",
            "* Missing C libraries: ssl, crypto",
        ],
        [
            "Error: [Cabal-4345]",
            "Missing dependency on a foreign library:",
            "* Missing (or bad) C library: z",
        ],
        [
            "Configuring pretty-show-1.6.12...",
            "setup: The program 'happy' version >=1.19 is required but it could not be found.",
        ],
    ]
    for lines in shapes:
        diagnosis = diagnose(travis_job("cabal install --only-dependencies", lines))
        assert diagnosis.category == "dependency_install", lines
        assert diagnosis.rule == "haskell-resolve", lines


def test_maven_resolution_is_still_maven() -> None:
    """Near miss: Maven's ``Could not resolve dependencies for project`` is not cabal's."""
    line = "[ERROR] Failed to execute goal on project demo: Could not resolve dependencies for project com.example:demo:jar:1.0: The following artifacts could not be resolved: com.acme:lib:jar:2.0"
    diagnosis = diagnose(travis_job("mvn -B test", [line]))
    assert diagnosis.rule != "haskell-resolve"


# ---- HLint ---------------------------------------------------------------------------------


def test_hlint_hints_are_lint() -> None:
    for header, count in (
        ("src/Acme/Types.hs:12:5-20: Warning: Redundant bracket", "3 hints"),
        ("src/Acme/Types.hs:(12,5)-(13,6): Suggestion: Use fmap", "1 hint"),
        ("src/Acme/Types.hs:1:1: Error: Use concatMap", "Found 2 suggestions (1 error)"),
    ):
        lines = [header, "Found:", "  (f x)", "Perhaps:", "  f x", "", count]
        diagnosis = diagnose(travis_job("hlint src", lines))
        assert diagnosis.category == "lint", header
        assert diagnosis.rule == "hlint", header
        assert _texts(diagnosis)[0] == header


def test_ghc_7_warning_without_hlint_count_is_not_hlint() -> None:
    """Near miss: GHC 7 prints a short warning on its header line too; without HLint's
    count it is GHC's (and -Werror makes it the build's)."""
    lines = [
        "src/Acme/Types.hs:5:1: Warning: Tab character",
        "",
        "<no location info>: ",
        "Failing due to -Werror.",
    ]
    diagnosis = diagnose(travis_job("cabal build", lines))
    assert diagnosis.rule == "ghc-werror"
    assert diagnosis.category == "build"


# ---- awesome_bot's issue list --------------------------------------------------------------


def _awesome_bot(issues: list[str], dupes: list[str]) -> list[str]:
    return [
        "> Checking links in README.md",
        "> Will allow SSL errors",
        "Links to check: 576, 6 white listed, 575 unique",
        "  001. https://github.com/sindresorhus/awesome ",
        "Checking URLs: ✓✓✓✓→✓x✓",
        "",
        "> White listed:",
        "  1. [L0873] 500 https://peach-melpa.org/  ",
        "",
        "Issues :-(",
        "> Links ",
        *(issues or ["  All OK ✓"]),
        "> Dupes ",
        *(dupes or ["  None ✓"]),
        "",
        "Wrote results to ab-results-README.md.json",
    ]


def test_awesome_bot_unreachable_or_duplicate_links_are_lint() -> None:
    shapes = [
        (["  1. [L0012]  https://c.example/x Net::ReadTimeout "], []),
        (
            [
                '  09. [L1970]  https://github.com/acme/Newly Failed to open TCP connection to github.com:443 (Connection timed out - connect(2) for "github.com" port 443) '
            ],
            [],
        ),
        (
            [
                "  1. [L0012]  https://expired.example SSL_connect returned=1 errno=0 state=error: certificate verify failed "
            ],
            [],
        ),
        ([], ["  1. [L130] https://brew.sh"]),
        ([], ["  1. [L130]  https://brew.sh"]),
        (
            [
                "  1. [L0127] 301 https://git.savannah.gnu.org/git/emacs.git  → https://git.savannah.gnu.org/git/emacs.git/ "
            ],
            [],
        ),
    ]
    for issues, dupes in shapes:
        diagnosis = diagnose(
            travis_job("awesome_bot README.md --allow-ssl", _awesome_bot(issues, dupes))
        )
        assert diagnosis.category == "lint", (issues, dupes)
        assert diagnosis.rule == "link-check", (issues, dupes)
        assert _texts(diagnosis)[0] == (issues or dupes)[0]


def test_awesome_bot_links_to_check_list_is_not_an_issue() -> None:
    """Near miss: a later run's numbered list of links to check (``  001. https://e ``,
    no [L..] tag, nothing after the link) printed after the report adds no key line."""
    later = [
        "> Checking links in check-info.txt",
        "Links to check: 219",
        "  001. https://apps.apple.com/app/acme-shows/id1044690553 ",
        "  002. https://apps.apple.com/app/id975022341 ",
    ]
    lines = (
        _awesome_bot(["  1. [L0153] 404 http://a5.example.com/screen696x696.jpeg  "], []) + later
    )
    diagnosis = diagnose(travis_job("awesome_bot check-unique.txt", lines))
    assert diagnosis.rule == "link-check"
    assert not any("apps.apple.com" in t for t in _texts(diagnosis))


def test_awesome_bot_white_listed_links_alone_do_not_fail() -> None:
    """Near miss: a white-listed 500 before ``No issues :-)`` is not an issue."""
    lines = [
        "> Checking links in README.md",
        "Checking white listed URLs: x",
        "",
        "> White listed:",
        "  1. [L0873] 500 https://peach-melpa.org/  ",
        "No issues :-)",
        "",
        "Wrote results to ab-results-README.md.json",
        "cp: cannot stat 'README.org': No such file or directory",
    ]
    diagnosis = diagnose(travis_job("awesome_bot README.md && cp README.org build/", lines))
    assert diagnosis.rule != "link-check"


# ---- progress lines that name a unit called "Error" ----------------------------------------


def test_compile_progress_lines_are_not_error_lines() -> None:
    for line in (
        "[ 41 of 146] Compiling Text.Pandoc.Error ( src/Text/Pandoc/Error.hs, dist/build/Text/Pandoc/Error.o )",
        "acme                             > [ 8 of 19] Compiling Protolude.Error",
        "   Compiling failure v0.1.8",
        "   Compiling error-chain v0.12.4",
        "[ 45%] Building CXX object src/CMakeFiles/app.dir/error.cpp.o",
    ):
        assert error_score(line) == 0, line
    # near misses: the compiler's own error lines still score
    assert error_score("src/Text/Pandoc/Error.hs:12:3: error:") > 1
    assert error_score("error[E0425]: cannot find value `x` in this scope") > 1


def test_ghc_werror_key_lines_skip_the_error_modules_progress_line() -> None:
    lines = [
        "[ 41 of 146] Compiling Text.Doc.Error ( src/Text/Doc/Error.hs, dist/build/Text/Doc/Error.o )",
        "[107 of 146] Compiling Text.Doc.Writers.Ipynb ( src/Text/Doc/Writers/Ipynb.hs, dist/build/Text/Doc/Writers/Ipynb.o )",
        "",
        "src/Text/Doc/Writers/Ipynb.hs:38:1: Warning:",
        "    The import of ‘Control.Monad’ is redundant",
        "",
        "<no location info>: ",
        "Failing due to -Werror.",
    ]
    diagnosis = diagnose(travis_job("cabal build -v2 -j2", lines))
    assert diagnosis.rule == "ghc-werror"
    texts = _texts(diagnosis)
    assert texts[0] == "src/Text/Doc/Writers/Ipynb.hs:38:1: Warning:"
    assert not any("Compiling" in t for t in texts)


# ---- summary of a failing test without a message ------------------------------------------


def test_summary_names_the_failing_test_when_it_printed_no_message() -> None:
    """vis-test prints ``name<padding>FAIL`` and nothing else; the summary is that line,
    not make's ``*** [test] Error 1`` that follows."""
    lines = [
        "\x1b[?1h\x1b=\x1b[?1l\x1b>text-objects/indentation                          PASS",
        "\x1b[?1h\x1b=\x1b[?1l\x1b>text-objects/lexer                                FAIL",
        "\x1b[?1h\x1b=\x1b[?1l\x1b>text-objects/line                                 PASS",
        "Tests ok 67/68",
        "make: *** [test] Error 1",
        "make: Leaving directory `/home/runner/build/acme/vis/test/vis'",
    ]
    diagnosis = diagnose(travis_job("make -C test/vis", lines, 2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["text-objects/lexer"]
    assert diagnosis.summary is not None
    assert diagnosis.summary.startswith("text-objects/lexer")
    assert diagnosis.summary.endswith("FAIL")


def test_summary_prefers_a_test_message_over_a_report_line() -> None:
    """Near miss: when a test did print its message, that message stays the summary."""
    lines = [
        "io.acme.RefCountTest > publishNoLeak FAILED",
        "    java.lang.AssertionError: 12,973,696 -> 112,950,472",
        "        at org.junit.Assert.fail(Assert.java:88)",
        "        at io.acme.RefCountTest.publishNoLeak(RefCountTest.java:733)",
        "",
        "11169 tests completed, 1 failed, 240 skipped",
        ":test FAILED",
    ]
    diagnosis = diagnose(travis_job("gradle/buildViaTravis.sh", lines))
    assert diagnosis.failing_tests == ["io.acme.RefCountTest > publishNoLeak"]
    assert diagnosis.summary == "java.lang.AssertionError: 12,973,696 -> 112,950,472"
