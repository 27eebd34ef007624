# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 13, helper b13D4 (whole Travis CI job logs): what a failed command
printed when no line says ``error`` (Travis' own exit line is framing, not the cause), a
project's check script and a negated grep as lint checks, xcodebuild rejecting its own
command line, and Jasmine's console reporter.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep other tools' output and other readings as they were.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.grepcheck import grep_output, negated_grep_patterns
from bot.diagnose.logreader import LogLine
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import TravisCommand, actions_job, travis_timed_job


def _travis(*commands: TravisCommand) -> io.BytesIO:
    """A Travis CI job as travis-build frames it (see :func:`travis_timed_job`)."""
    return travis_timed_job(list(commands))


def _texts(diagnosis: Diagnosis) -> list[str]:
    return [k.text for k in diagnosis.key_lines]


# ---- the runner's framing is not the cause -------------------------------------------


def test_travis_framing_scores_like_the_actions_exit_line() -> None:
    for line in (
        'The command "./check_integrity.sh $(find bin | cut -b 5- | xargs)" exited with 1.',
        'The command "make $TEST_TARGET" failed and exited with 2 during .',
        'The command "xcodebuild -scheme App test" failed. Retrying, 2 of 3.',
        'The command "xcodebuild -scheme App test" failed 3 times.',
        "Done. Your build exited with 1.",
        "##[error]Process completed with exit code 1.",
    ):
        assert error_score(line) == 1, line
    # a tool's own exit words still count
    assert error_score("npm ERR! code ELIFECYCLE") > 1
    assert error_score("error Command failed with exit code 1.") > 1
    assert error_score("make: *** [test-debian] Error 1") > 1


def test_check_script_complaint_is_the_key_line_not_travis_exit_line() -> None:
    """git-extras' check_integrity.sh prints what is missing and exits 1; nothing says
    ``error``: the complaint is the key line and the summary, the check is lint."""
    diagnosis = diagnose(
        _travis(
            ("rvm use default", ["Using /home/runner/.rvm/gems/ruby-2.4.1"], 0),
            (
                "./check_integrity.sh $(find bin | cut -b 5- | xargs)",
                [
                    "Skip command rscp",
                    "Add git-rename-remote in the list of commands in Commands.md",
                ],
                1,
            ),
            ("mkdir ../release && git archive --format=tar.gz HEAD > ../release/x.tar.gz", [], 0),
        )
    )
    assert diagnosis.category == "lint"
    assert "Add git-rename-remote in the list of commands in Commands.md" in _texts(diagnosis)
    assert diagnosis.summary == "Add git-rename-remote in the list of commands in Commands.md"


def test_travis_output_line_starting_with_run_is_not_an_echo() -> None:
    """Travis echoes ``$ cmd`` only; a check's own ``Run 'make docs' …`` advice is output."""
    diagnosis = diagnose(
        _travis(
            (
                "./check_integrity.sh $(find bin | cut -b 5- | xargs)",
                [
                    "Skip command rscp",
                    "Run 'make docs' to create man/git-rename-remote.1 and man/git-rename-remote.html",
                ],
                1,
            ),
        )
    )
    assert diagnosis.category == "lint"
    assert any(t.startswith("Run 'make docs' to create") for t in _texts(diagnosis))


def test_silent_failure_keeps_travis_exit_line_as_what_failed() -> None:
    """A test run that exits 1 without saying why (Vim's stdout sent to /dev/null): the tail
    and Travis' exit line are all there is, and the category stays unknown."""
    diagnosis = diagnose(
        _travis(
            (
                "test/run !",
                [
                    "git version 2.15.1",
                    "Selected Vim: /home/runner/deps/bin/vim",
                    "Vim: Warning: Output is not to a terminal",
                ],
                1,
            ),
        )
    )
    assert diagnosis.category == "unknown"
    assert 'The command "test/run !" exited with 1.' in _texts(diagnosis)
    assert "Vim: Warning: Output is not to a terminal" not in _texts(diagnosis)


def test_retry_framing_does_not_crowd_out_the_tool_error() -> None:
    """travis_retry around xcodebuild: the tool's error is the key line, the retry lines are not."""
    command = 'travis_retry xcodebuild -workspace App.xcworkspace -scheme "App tvOS" -destination "platform=tvOS Simulator,name=Apple TV 1080p" build-for-testing test | xcpretty'
    attempt = [
        "xcodebuild: error: Unable to find a destination matching the provided destination specifier:",
        "\t\t{ platform:tvOS Simulator, name:Apple TV 1080p }",
        "",
        "\tThe requested device could not be found because no available devices matched the request.",
        "",
        '\tAvailable destinations for the "App tvOS" scheme:',
        "\t\t{ platform:tvOS Simulator, id:81BBAE1D-178C-4647-804A-256205077FDE, OS:11.3, name:Apple TV }",
        "",
    ]
    lines = [
        *attempt,
        'The command "xcodebuild -workspace App.xcworkspace -scheme App tvOS -destination platform=tvOS Simulator,name=Apple TV 1080p build-for-testing test" failed. Retrying, 2 of 3.',
        "",
        *attempt,
        'The command "xcodebuild -workspace App.xcworkspace -scheme App tvOS -destination platform=tvOS Simulator,name=Apple TV 1080p build-for-testing test" failed 3 times.',
    ]
    diagnosis = diagnose(_travis((command, lines, 70)))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "xcodebuild-invocation-error"
    assert not any("Retrying" in t or "failed 3 times" in t for t in _texts(diagnosis))


# ---- check scripts and negated greps -------------------------------------------------


def test_project_check_scripts_are_lint() -> None:
    for command, lines in (
        (
            "mix run check.exs",
            ["Ensure links are unique.", "Duplicate link: https://github.com/x/y"],
        ),
        ("./scripts/verifyDeps.sh", ["package.json lists left-pad, the lockfile does not"]),
        ("node tools/validate-schema.js data/*.json", ["data/a.json: /name should be string"]),
    ):
        assert diagnose(actions_job(command, lines, 1)).category == "lint", command


def test_scripts_that_only_look_like_checks_are_not_lint() -> None:
    """``checkout.sh`` checks nothing, and ``make check`` runs the test suite (autotools)."""
    assert diagnose(actions_job("./checkout.sh v1.2", ["fatal: bad ref"], 1)).category != "lint"
    assert diagnose(actions_job("make check", ["x"], 2)).category == "test_failure"


_LATEXMK = [
    "Latexmk: Run number 1 of rule 'pdflatex'",
    "This is pdfTeX, Version 3.14159265-2.6-1.40.16 (TeX Live 2015/Debian) (preloaded format=pdflatex)",
    " restricted \\write18 enabled.",
    "entering extended mode",
    "Latexmk: Summary of warnings:",
    "  Latex failed to resolve 7748 reference(s)",
    "Latexmk: Run number 2 of rule 'pdflatex'",
    "This is pdfTeX, Version 3.14159265-2.6-1.40.16 (TeX Live 2015/Debian) (preloaded format=pdflatex)",
    " restricted \\write18 enabled.",
    "entering extended mode",
    "Overfull \\hbox (2.26166pt too wide) in paragraph at lines 4826--4842",
]


def test_negated_grep_on_a_latex_log_is_lint_with_grep_output_as_key_line() -> None:
    """The C++ draft's check: latexmk builds, then ``! grep -Fe "Overfull \\\\hbox" std.log``
    prints the overfull box and fails the command. The first run's ``Latex failed to
    resolve`` (resolved by the reruns) is not the cause."""
    command = (
        'if [ "$BUILD_TYPE" = "latexmk" ]; then docker exec -it texlive-basic bash -c "cd '
        '/$TRAVIS_REPO_SLUG/source && latexmk -pdf std -silent"; ! grep -Fe "Overfull \\\\hbox" '
        'std.log && ! grep "LaTeX Warning..There were undefined references" std.log; fi'
    )
    diagnosis = diagnose(_travis(("pushd source", [], 0), (command, _LATEXMK, 1)))
    assert diagnosis.category == "lint"
    overfull = "Overfull \\hbox (2.26166pt too wide) in paragraph at lines 4826--4842"
    assert diagnosis.key_lines[0].text == overfull
    assert diagnosis.key_lines[0].rule == "grep"
    assert diagnosis.summary == overfull
    assert not any("failed to resolve" in t for t in _texts(diagnosis))


def test_negated_grep_for_debug_calls_in_an_actions_step() -> None:
    diagnosis = diagnose(
        actions_job(
            "! grep -rnE '(pdb\\.set_trace|breakpoint)\\(' src/",
            [
                "src/app/views.py:41:    breakpoint()",
                "src/app/models.py:7:import pdb; pdb.set_trace()",
            ],
            1,
        )
    )
    assert diagnosis.category == "lint"
    assert [k.rule for k in diagnosis.key_lines[:2]] == ["grep", "grep"]
    assert diagnosis.key_lines[0].text == "src/app/views.py:41:    breakpoint()"


def test_negated_git_grep_ignoring_case() -> None:
    diagnosis = diagnose(
        actions_job(
            "! git grep -n -i 'do not merge' -- '*.md'", ["README.md:12:DO NOT MERGE: draft"], 1
        )
    )
    assert diagnosis.category == "lint"
    assert diagnosis.key_lines[0].text == "README.md:12:DO NOT MERGE: draft"


def test_grep_that_must_match_is_not_a_negated_check() -> None:
    """``grep -q`` asserting that something *is* there: its failure prints nothing, and the
    command is no lint check."""
    assert negated_grep_patterns('grep -q "brew upgrade git-extras" out.txt || exit 1') == []
    diagnosis = diagnose(
        actions_job('./bin/tool update | grep "brew upgrade tool"', ["Checking for updates..."], 1)
    )
    assert diagnosis.category != "lint"
    assert all(k.rule != "grep" for k in diagnosis.key_lines)


def test_negated_grep_patterns_parse_grep_options() -> None:
    assert negated_grep_patterns('! grep -Fe "Overfull \\\\hbox" std.log') == [
        ([["Overfull", "hbox"]], False)
    ]
    assert negated_grep_patterns("! grep --regexp=pdb.set_trace -r .") == [
        ([["pdb", "set_trace"]], False)
    ]
    assert negated_grep_patterns('! egrep "(fdescribe|fit)\\(" -r spec') == [
        ([["fdescribe"], ["fit"]], False)
    ]
    assert negated_grep_patterns("cd src && ! grep -m 1 -A 2 -e TODO -r .") == [([["TODO"]], False)]
    # a pattern without a word (trailing whitespace) finds nothing here; a broken command none
    assert negated_grep_patterns("! grep '\\s$' source/*.tex") == [([], False)]
    assert negated_grep_patterns("! grep 'unbalanced") == []


def test_grep_output_skips_the_echoed_command_and_unrelated_lines() -> None:
    command = "! grep -rn console.log src/"
    tail = [
        LogLine(10, command, 3, 2),
        LogLine(11, "shell: /usr/bin/bash -e {0}", 3, 3),
        LogLine(12, "src/a.js:3:  console.log(x)", 3, 4),
        LogLine(13, "Compiled 12 files", 3, 5),
    ]
    assert [line.number for line in grep_output(command, tail)] == [12]
    assert grep_output("./run.sh", tail) == []


# ---- xcodebuild rejecting its command line -------------------------------------------


def test_xcodebuild_scheme_not_configured_for_test_is_build() -> None:
    diagnosis = diagnose(
        actions_job(
            "xcodebuild test -workspace App.xcworkspace -scheme App -destination 'platform=iOS Simulator,name=iPhone 14'",
            [
                "Command line invocation:",
                "    /Applications/Xcode_14.2.app/Contents/Developer/usr/bin/xcodebuild test -workspace App.xcworkspace -scheme App",
                "",
                "xcodebuild: error: Scheme App is not currently configured for the test action.",
                "",
            ],
            66,
        )
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "xcodebuild-invocation-error"
    assert (
        diagnosis.summary
        == "xcodebuild: error: Scheme App is not currently configured for the test action."
    )


def test_xcodebuild_missing_scheme_through_fastlane_is_build() -> None:
    diagnosis = diagnose(
        actions_job(
            "bundle exec fastlane scan",
            [
                '[18:11:20]: ▸ xcodebuild: error: The project named "App" does not contain a scheme named "AppTests". The "-list" option can be used to find the names of the schemes in the project.',
                "[18:11:20]: Exit status: 65",
            ],
            1,
        )
    )
    assert diagnosis.category == "build"
    assert diagnosis.rule == "xcodebuild-invocation-error"


def test_xcodebuild_test_failure_and_package_resolution_are_not_invocation_errors() -> None:
    failed = diagnose(
        actions_job(
            "xcodebuild test -scheme App | xcpretty",
            [
                '    ✗ testDivide, XCTAssertEqual failed: ("2") is not equal to ("3")',
                "\t Executed 12 tests, with 1 failure (0 unexpected) in 0.210 (0.231) seconds",
                "** TEST FAILED **",
            ],
            65,
        )
    )
    assert failed.category == "test_failure"
    resolve = diagnose(
        actions_job(
            "xcodebuild -resolvePackageDependencies",
            [
                "xcodebuild: error: Could not resolve package dependencies:",
                "  Failed to clone repository https://github.com/acme/kit.git:",
            ],
            74,
        )
    )
    assert resolve.rule != "xcodebuild-invocation-error"


# ---- Jasmine's console reporter ------------------------------------------------------

_JASMINE3 = [
    "Randomized with seed 03841",
    "Started",
    "..F.*F",
    "",
    "",
    "Failures:",
    "1) Calculator divide by zero throws",
    "  Message:",
    "    Expected function to throw an exception.",
    "  Stack:",
    "    Error: Expected function to throw an exception.",
    "        at <Jasmine>",
    "        at UserContext.<anonymous> (/home/runner/work/calc/calc/spec/calcSpec.js:14:7)",
    "        at <Jasmine>",
    "2) Parser parses nested lists",
    "  Message:",
    "    TypeError: Cannot read properties of undefined (reading 'items')",
    "  Stack:",
    "        at Parser.list (/home/runner/work/calc/calc/lib/parser.js:88:21)",
    "        at UserContext.<anonymous> (/home/runner/work/calc/calc/spec/parserSpec.js:31:12)",
    "        at <Jasmine>",
    "",
    "Suite error: Storage",
    "  Message:",
    "    Error: ENOENT: no such file or directory, open 'fixtures/db.json' thrown",
    "  Stack:",
    "        at Object.openSync (node:fs:601:3)",
    "        at UserContext.<anonymous> (/home/runner/work/calc/calc/spec/storageSpec.js:5:8)",
    "",
    "Pending:",
    "",
    "1) Calculator rounds money",
    "  Temporarily disabled with xit",
    "",
    "6 specs, 3 failures, 1 pending spec",
    "Finished in 0.034 seconds",
    "Randomized with seed 03841 (jasmine --random=true --seed=03841)",
]


def test_jasmine3_failures_with_suite_error_and_pending_list() -> None:
    diagnosis = diagnose(actions_job("npx jasmine", _JASMINE3, 1))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "jasmine-failed"
    assert diagnosis.failing_tests == [
        "Calculator divide by zero throws",
        "Parser parses nested lists",
        "Storage",
    ]
    by_test = {f.test: f for f in diagnosis.failures}
    assert (
        by_test["Calculator divide by zero throws"].message
        == "Expected function to throw an exception."
    )
    assert by_test["Calculator divide by zero throws"].location == "spec/calcSpec.js:14"
    # the library frame comes first; the spec's own line wins
    assert by_test["Parser parses nested lists"].location == "spec/parserSpec.js:31"
    assert by_test["Storage"].message.startswith("Error: ENOENT: no such file")


def test_jasmine2_multiline_expectation_on_travis() -> None:
    """angular's aio tools-test (jasmine 2, Travis): a spy expectation printing whole
    package.json bodies; the message is its first line, the spec frame the location."""
    report = [
        "Started",
        ".......F.F..",
        "",
        "Failures:",
        "1) NgPackagesInstaller installLocalDependencies() when there is no local package marker should overwrite package.json with modified config",
        "  Message:",
        "    Expected spy writeFileSync to have been called with [ '/home/runner/build/angular/angular/aio/root/dir/package.json', '{",
        '      "dependencies": {',
        '        "rxjs": "^6.4.0"',
        "      }",
        "    }' ] but actual calls were [ '/home/runner/build/angular/angular/dist/packages-dist/core/package.json', '{",
        '      "private": true',
        "    }' ].",
        "  Stack:",
        "    Error: Expected spy writeFileSync to have been called with [ '/home/runner/build/angular/angular/aio/root/dir/package.json', '{",
        "      }' ].",
        "        at UserContext.it (/home/runner/build/angular/angular/aio/tools/ng-packages-installer/index.spec.js:216:34)",
        "",
        "2) NgPackagesInstaller installLocalDependencies() when there is no local package marker should set the local marker file",
        "  Message:",
        "    Expected spy _setLocalMarker to have been called with [ '{",
        "    }' ].",
        "  Stack:",
        "        at UserContext.it (/home/runner/build/angular/angular/aio/tools/ng-packages-installer/index.spec.js:232:43)",
        "",
        "12 specs, 2 failures",
        "Finished in 1.604 seconds",
        "",
        "\x1b[1Gerror Command failed with exit code 1.",
    ]
    diagnosis = diagnose(_travis(("./scripts/ci/test.sh", report, 1)))
    assert diagnosis.category == "test_failure"
    assert len(diagnosis.failing_tests) == 2
    first = diagnosis.failures[0]
    assert first.message == (
        "Expected spy writeFileSync to have been called with [ "
        "'/home/runner/build/angular/angular/aio/root/dir/package.json', '{"
    )
    assert first.location == "aio/tools/ng-packages-installer/index.spec.js:216"
    assert diagnosis.failures[1].location == "aio/tools/ng-packages-installer/index.spec.js:232"


def test_jasmine_all_passing_with_pending_names_no_test() -> None:
    lines = [
        "Started",
        "..*",
        "",
        "",
        "Pending:",
        "",
        "1) Calculator rounds money",
        "  Temporarily disabled with xit",
        "",
        "3 specs, 0 failures, 1 pending spec",
        "Finished in 0.01 seconds",
    ]
    diagnosis = diagnose(
        actions_job("npx jasmine && ./deploy.sh", [*lines, "deploy: no credentials"], 1)
    )
    assert diagnosis.failing_tests == []


def test_rspec_and_minitest_failure_lists_are_not_read_as_jasmine() -> None:
    rspec = [
        "Failures:",
        "",
        "  1) Cart totals prices",
        "     Failure/Error: expect(total).to eq(3)",
        "",
        "       expected: 3",
        "            got: 2",
        "     # ./spec/cart_spec.rb:5:in `block (2 levels) in <top (required)>'",
        "",
        "Finished in 0.01 seconds (files took 0.1 seconds to load)",
        "1 example, 1 failure",
        "",
        "Failed examples:",
        "",
        "rspec ./spec/cart_spec.rb:5 # Cart totals prices",
    ]
    diagnosis = diagnose(actions_job("bundle exec rspec", rspec, 1))
    assert diagnosis.failing_tests == ["Cart totals prices"]
    numbered = [
        "Failures:",
        "1) see the changelog",
        "2) bump the version",
        "Deploy checklist incomplete",
    ]
    assert diagnose(actions_job("./release.sh", numbered, 1)).failing_tests == []
