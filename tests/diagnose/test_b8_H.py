# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 8, collection H (whole Travis CI job logs of Java, Go, Rust and Python
projects): html-proofer's report on a built site, where the broken internal link is the
finding a maintainer reads first even when dozens of external links failed before it.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job, travis_job


def _external(n: int) -> list[str]:
    """html-proofer 3.x's entry for an external link it could not reach."""
    return [
        f"- ./_site/page{n}/index.html",
        f"  *  External link https://site{n}.example.org/doc failed: response code 0 means something's wrong.",
        "             It's possible libcurl couldn't connect to the server or perhaps the request timed out.",
        "             Sometimes, making too many requests at once also breaks things.",
        "             Either way, the return message (if any) from the server is: SSL connect error",
    ]


_JEKYLL = [
    "Configuration file: /home/runner/build/o/site/_config.yml",
    "      Generating... ",
    "                    done in 3.1 seconds.",
    'Running ["ImageCheck", "HtmlCheck", "LinkCheck"] on ["./_site/"] on *.html... ',
    "",
    "Checking 120 external links...",
    "Ran on 40 files!",
    "",
    "",
]


def test_html_proofer_3_internal_link_is_read_first_among_many_external_failures() -> None:
    lines = [
        *_JEKYLL,
        *[line for n in range(9) for line in _external(n)],
        "- ./_site/guide/index.html",
        "  *  internally linking to ../setup/README.md, which does not exist (line 4)",
        *[line for n in range(9, 14) for line in _external(n)],
        "htmlproofer 3.0.6 | Error:  HTML-Proofer found 15 failures!",
    ]
    diagnosis = diagnose(travis_job("bash ./script/cibuild", lines, 1))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "html-proofer"
    texts = [k.text for k in diagnosis.key_lines]
    assert any("internally linking to ../setup/README.md, which does not exist" in t for t in texts)
    assert any("HTML-Proofer found 15 failures!" in t for t in texts)
    assert diagnosis.failing_tests == []


def test_html_proofer_3_dead_external_links_only_are_still_the_site_checks_finding() -> None:
    lines = [
        *_JEKYLL,
        "- ./_site/patterns/a/index.html",
        "  *  External link http://www.example.edu/~x/paper.pdf failed: 404 No error",
        "- ./_site/patterns/b/index.html",
        "  *  External link https://docs.example.org/old.html failed: 403 No error",
        "htmlproofer 3.10.2 | Error:  HTML-Proofer found 2 failures!",
    ]
    diagnosis = diagnose(travis_job("bundle exec htmlproofer ./_site", lines, 1))
    assert diagnosis.category == "lint"
    texts = [k.text for k in diagnosis.key_lines]
    assert any("External link http://www.example.edu/~x/paper.pdf failed: 404" in t for t in texts)
    assert not diagnosis.retryable


@pytest.mark.parametrize(
    "finding",
    [
        "internally linking to /docs/missing/, which does not exist",
        "linking to internal hash #install that does not exist",
        "internal image /assets/logo.png does not exist",
        "image /assets/shot.png does not have an alt attribute",
    ],
)
def test_html_proofer_4_finding_under_its_file_header(finding: str) -> None:
    lines = [
        'Running 3 checks (Images, Links, Scripts) in ["./_site"] on *.html files...',
        "",
        "Checking 0 external links",
        "Checking 31 internal links",
        "",
        "For the Links > Internal check, the following failures were found:",
        "",
        "* At ./_site/guide/index.html:12:",
        "",
        f"  {finding}",
        "",
        "",
        "HTML-Proofer found 1 failure!",
    ]
    diagnosis = diagnose(actions_job("bundle exec htmlproofer ./_site --disable-external", lines))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "html-proofer"
    assert finding in diagnosis.key_lines[0].text


def test_html_proofer_sorted_by_status_names_the_file_before_the_finding() -> None:
    lines = [
        "- -1",
        "  *  ./_site/broken_link.html: internally linking to nowhere.html, which does not exist (line 3)",
        "- 404",
        "  *  ./_site/a_404.html: External link http://example.org/gone.png failed: 404 No error",
        "htmlproofer 3.19.0 | Error:  HTML-Proofer found 2 failures!",
    ]
    diagnosis = diagnose(travis_job("bundle exec rake test", lines, 1))
    assert diagnosis.category == "lint"
    assert "internally linking to nowhere.html" in diagnosis.key_lines[0].text


def test_a_page_that_mentions_external_links_is_not_a_link_check() -> None:
    # a test runner's line quoting the words, without html-proofer's "External link <url> failed"
    lines = [
        "FAILED tests/test_links.py::test_render - AssertionError: External links are not rendered",
        "1 failed, 3 passed in 0.12s",
    ]
    diagnosis = diagnose(actions_job("python -m pytest", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule != "html-proofer-external"


# ---- go test over packages of several repositories (a GOPATH build) -------------------------


_GO_FAILING_PACKAGE = [
    "=== RUN   TestFetch",
    "--- FAIL: TestFetch (0.31s)",
    "\tfetch_test.go:42: got 3 cached entries, want 4",
    "FAIL",
    "exit status 1",
]


def test_go_test_over_several_repositories_keeps_the_printed_file_name() -> None:
    # the job's own repository is none of these: a directory guessed from one of them
    # (``proxy/``) would name a path that is not in the checkout
    lines = [
        "ok  \tgithub.com/acme/dialer\t1.204s",
        "ok  \tgithub.com/acme/buffers\t0.031s",
        *_GO_FAILING_PACKAGE,
        "FAIL\tgithub.com/acme/client/proxy\t0.412s",
        "make: *** [test] Error 1",
    ]
    diagnosis = diagnose(travis_job("make test", lines, 2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["TestFetch"]
    (failure,) = diagnosis.failures
    assert failure.location == "fetch_test.go:42"
    assert "got 3 cached entries, want 4" in (failure.message or "")


def test_go_test_over_one_repository_locates_the_file_in_its_package_directory() -> None:
    lines = [
        "ok  \tgithub.com/acme/client/dialer\t1.204s",
        *_GO_FAILING_PACKAGE,
        "FAIL\tgithub.com/acme/client/proxy\t0.412s",
        "ok  \tgithub.com/acme/client/store\t0.050s",
    ]
    diagnosis = diagnose(actions_job("go test ./...", lines))
    (failure,) = diagnosis.failures
    assert failure.location == "proxy/fetch_test.go:42"
