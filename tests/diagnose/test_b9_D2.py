# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 9, group D2 (whole Travis CI job logs): a link checker's failure that an
``after_script`` command's clean report must not undo, an ESLint summary of warnings only
(which does not fail the run) before a Hugo site build that does, and a check that the
committed generated files (a JavaScript bundle) are current.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.logreader import LogReader
from tests.diagnose.joblogs import actions_job, travis_job


def _travis(
    commands: list[tuple[str, list[str], int]], after: list[tuple[str, list[str]]]
) -> io.BytesIO:
    """A Travis CI job as Travis prints it: each ``script`` command timed (``travis_time``)
    and closed by its exit line, then ``after_script`` commands inside their folds (they
    print no exit line of their own that changes the result)."""
    out = ["travis_fold:start:worker_info", "Worker information", "travis_fold:end:worker_info"]
    for n, (command, lines, code) in enumerate(commands):
        out.append(f"travis_time:start:0a{n:06x}$ {command}")
        out += lines
        out.append(
            f"travis_time:end:0a{n:06x}:start=1,finish=2,duration=1"
            f'The command "{command}" exited with {code}.'
        )
        out.append("")
    for n, (command, lines) in enumerate(after, start=1):
        out.append(f"travis_fold:start:after_script.{n}travis_time:start:0b{n:06x}$ {command}")
        out += lines
        out.append(
            f"travis_time:end:0b{n:06x}:start=1,finish=2,duration=1travis_fold:end:after_script.{n}"
        )
    out += ["", "Done. Your build exited with 1."]
    return io.BytesIO("".join(f"{line}\n" for line in out).encode())


_AWESOME_ISSUES = [
    "> Checking links in check-unique.txt",
    "> Will allow errors: 302",
    "Links to check: 3",
    "  1. https://github.com/old-owner/App ",
    "  2. https://example.org/shot.png ",
    "  3. http://slow.example.net/a.jpg ",
    "Checking URLs: →✓x",
    "",
    "Issues :-(",
    "> Links ",
    "  1. [L0191] 301 https://github.com/old-owner/App  → https://github.com/new-owner/App ",
    "  2. [L1674]  http://slow.example.net/a.jpg Net::ReadTimeout ",
    "> Dupes ",
    "  None ✓",
    "",
    "Wrote results to ab-results-check-unique.txt.json",
]

_AWESOME_CLEAN = [
    "> Checking links in check-info.txt",
    "Links to check: 1",
    "  1. https://apps.apple.com/app/id1 ",
    "Checking URLs: ✓",
    "No issues :-)",
    "Wrote results to ab-results-check-info.txt.json",
]


def test_after_script_report_does_not_recover_the_failed_commands_link_check() -> None:
    """awesome_bot's ``No issues :-)`` from an after_script run is another command's
    verdict: it must not cancel the failed run's ``Issues :-(`` findings (``recovered_by``
    means the same command retried and succeeded), else the job reads as a network flake."""
    log = _travis(
        [("awesome_bot check-unique.txt --allow-ssl -a 302", _AWESOME_ISSUES, 1)],
        [("awesome_bot check-info.txt -a 403", _AWESOME_CLEAN)],
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "link-check"
    texts = [k.text for k in diagnosis.key_lines]
    assert "301 https://github.com/old-owner/App  → https://github.com/new-owner/App" in texts[0]
    assert diagnosis.failing_tests == []


def test_a_later_script_commands_clean_report_is_its_own_step() -> None:
    """The same clean report from a later ``script`` command (its own step, exit 0) leaves
    the failed command's findings alone too."""
    log = _travis(
        [
            ("awesome_bot check-unique.txt --allow-ssl -a 302", _AWESOME_ISSUES, 1),
            ("awesome_bot check-links.txt --allow-dupe", _AWESOME_CLEAN, 0),
        ],
        [],
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "link-check"


def test_a_retry_inside_the_same_command_still_recovers() -> None:
    """``recovered_by`` keeps its meaning inside one command: a link check that printed its
    issues and then, in the same run, a clean report is not the failure."""
    lines = [*_AWESOME_ISSUES, "Retrying the failed links...", *_AWESOME_CLEAN]
    diagnosis = diagnose(travis_job("./check-links.sh", lines, 1))
    assert diagnosis.rule != "link-check"


def test_reader_marks_after_script_lines_as_attached() -> None:
    reader = LogReader()
    log = _travis([("make check", ["FAILED one"], 2)], [("cat build.log", ["detail line"])])
    lines = {line.text: line for line in reader.lines(log)}
    assert lines["detail line"].after
    assert lines["detail line"].step == lines["FAILED one"].step
    assert not lines["FAILED one"].after


_HUGO_OLD = [
    "> site@4.3.1 docs-build /home/runner/build/o/site",
    "> hugo --cleanDestinationDir",
    "",
    'Building sites … ERROR 2019/08/02 10:08:16 [en] REF_NOT_FOUND: Ref "/docs/4.3/getting-started/introduction": "/home/runner/build/o/site/site/content/docs/examples/album/index.html:206:95": page not found',
    'ERROR 2019/08/02 10:08:16 [en] REF_NOT_FOUND: Ref "/docs/4.3/layout/overview": "/home/runner/build/o/site/site/content/docs/extend/approach.md:58:54": page not found',
    "Total in 1379 ms",
    "Error: Error building site: logged 2 error(s)",
    "npm ERR! code ELIFECYCLE",
    "npm ERR! errno 255",
    "npm ERR! site@4.3.1 docs-build: `hugo --cleanDestinationDir`",
    "npm ERR! Exit status 255",
    'ERROR: "docs-build" exited with 255.',
    "npm ERR! Test failed.  See above for more details.",
]

_ESLINT_WARNING_ONLY = [
    "> site@4.3.1 js-lint-main /home/runner/build/o/site",
    "> eslint --cache js/src",
    "",
    "/home/runner/build/o/site/js/src/button/button.js",
    "  85:13  warning  Blocks are nested too deeply (5). Maximum allowed is 4  max-depth",
    "",
    "✖ 1 problem (0 errors, 1 warning)",
    "",
]


def test_eslint_warnings_only_then_hugo_site_build_fails_travis() -> None:
    """ESLint exits 0 on warnings alone; the job failed later, in the Hugo docs build."""
    diagnosis = diagnose(travis_job("npm test", [*_ESLINT_WARNING_ONLY, *_HUGO_OLD], 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "hugo-build"
    first = diagnosis.key_lines[0].text
    assert 'REF_NOT_FOUND: Ref "/docs/4.3/getting-started/introduction"' in first


def test_hugo_current_release_render_error_actions() -> None:
    """Hugo 0.11x prints ``ERROR`` lines without a date and a lower-case verdict."""
    lines = [
        "Start building sites … ",
        "hugo v0.121.1-00b46fed8e47f7bb0a85d7cfc2d9f1356379b740+extended linux/amd64 BuildDate=2023-12-08T08:47:45Z VendorInfo=gohugoio",
        "",
        'ERROR render of "page" failed: "/home/runner/work/site/site/layouts/_default/single.html:5:3": execute of template failed: template: _default/single.html:5:3: executing "main" at <.Params.missing.field>: nil pointer evaluating interface {}.field',
        "Total in 212 ms",
        'Error: error building site: render: failed to render pages: render of "page" failed: "/home/runner/work/site/site/layouts/_default/single.html:5:3": execute of template failed',
    ]
    diagnosis = diagnose(actions_job("hugo --minify", lines, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "hugo-build"
    assert diagnosis.failing_step == "Run hugo --minify"
    assert 'ERROR render of "page" failed' in diagnosis.key_lines[0].text


def test_eslint_summary_with_errors_is_still_lint() -> None:
    lines = [
        "/home/runner/work/app/app/src/a.js",
        "  3:7  error  'x' is assigned a value but never used  no-unused-vars",
        "  9:1  warning  Unexpected console statement  no-console",
        "",
        "✖ 2 problems (1 error, 1 warning)",
    ]
    for log in (actions_job("npx eslint src", lines, 1), travis_job("npx eslint src", lines, 1)):
        diagnosis = diagnose(log)
        assert diagnosis.category == "lint"
        assert diagnosis.rule == "eslint"


_SHINY_STALE = [
    "yarn run v1.15.2",
    "$ grunt",
    'Running "uglify:shiny" (uglify) task',
    "File ../inst/www/shared/shiny.min.js created: 237.3 kB → 92.51 kB",
    "Done.",
    "Done in 6.78s.",
    " M inst/www/shared/shiny.js",
    " M inst/www/shared/shiny.min.js",
    "Please rebuild the JavaScript and commit the changes.",
    "The above files changed when we built the JavaScript assets. This most often occurs when a user makes changes to the JavaScript sources but doesn't rebuild and commit them.",
]


def test_stale_generated_bundle_check_travis() -> None:
    diagnosis = diagnose(travis_job("./tools/checkJSCurrent.sh", _SHINY_STALE, 1))
    assert diagnosis.category == "format"
    assert diagnosis.rule == "generated-files-stale"
    assert diagnosis.key_lines[0].text == "Please rebuild the JavaScript and commit the changes."


def test_stale_generated_code_check_actions() -> None:
    lines = [
        "go generate ./...",
        "git diff --exit-code",
        "diff --git a/internal/api/zz_generated.go b/internal/api/zz_generated.go",
        "index 3b18e51..a9c2f43 100644",
        "Generated files are out of date.",
        "Please run `make generate` and commit the result.",
    ]
    diagnosis = diagnose(actions_job("make check-generated", lines, 1))
    assert diagnosis.category == "format"
    assert diagnosis.rule == "generated-files-stale"
    assert diagnosis.failing_step == "Run make check-generated"
    assert any("Generated files are out of date." in k.text for k in diagnosis.key_lines)
