# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 17, helper b17D3 (whole Travis CI job logs): a jison-made parser's
``Expecting 'X', got 'Y'`` detail line (tldr-lint, jsonlint) as an error line of its own,
and a link checker's dead links (``link-check-dead``) given key-line places beside its many
redirects.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
read first; the near misses keep prose that only mentions "expecting" and awesome_bot's
white-listed and to-check lists out.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import travis_one_command

# ---- jison parse errors: the detail under the header ----------------------------------

_TLDR_LINT = [
    "",
    "> tldr@1.0.0 test /home/runner/build/tldr-pages/tldr",
    "> bash -c 'markdownlint pages*/**/*.md && tldr-lint ./pages 2>&1 | tee test_result; test ${PIPESTATUS[0]} -eq 0'",
    "",
    "Error: Parse error on line 12:",
    "... as the sourcedir.**Common builders:**...",
    "---------------------^",
    "Expecting 'BACKTICK', got 'TEXT'",
    "pages/common/sphinx-build.md:3: TLDR003 Descriptions should start with a capital letter",
    "pages/common/sphinx-build.md:4: TLDR003 Descriptions should start with a capital letter",
    "pages/common/sphinx-build.md:4: TLDR004 Command descriptions should end in a period",
    "pages/common/sphinx-build.md:10: TLDR102 Example description probably not properly annotated",
    "npm ERR! Test failed.  See above for more details.",
]

_JSONLINT = [
    "Error: Parse error on line 4:",
    '...  "version": "1.0.0",}',
    "----------------------^",
    "Expecting 'STRING', got '}'",
]


def test_jison_expectation_scores_as_an_error_line() -> None:
    assert error_score("Expecting 'BACKTICK', got 'TEXT'") >= 6
    assert (
        error_score("Expecting 'STRING', 'NUMBER', 'NULL', 'TRUE', 'FALSE', '{', '[', got 'EOF'")
        >= 6
    )
    assert error_score("  Expecting 'EOF', got 'INVALID'") >= 6


def test_prose_about_expecting_is_not_an_error_line() -> None:
    # no quoted tokens, or not the whole line: prose, a test's name, a log message
    assert error_score("Expecting a value but got nothing") == 0
    assert error_score("it('Expecting ''a'', got ''b'' is handled')") == 0
    assert error_score("Expecting 'x', got 'y' and then some more words") == 0
    assert error_score("Expecting 'x'") == 0


def test_tldr_lint_parse_error_shows_what_the_parser_wanted() -> None:
    diagnosis = diagnose(travis_one_command("npm test", _TLDR_LINT))
    assert diagnosis.category == "lint"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "Error: Parse error on line 12:" in texts
    assert "Expecting 'BACKTICK', got 'TEXT'" in texts
    assert (
        "pages/common/sphinx-build.md:3: TLDR003 Descriptions should start with a capital letter"
        in texts
    )


def test_jsonlint_parse_error_alone_names_the_expected_token() -> None:
    diagnosis = diagnose(travis_one_command("jsonlint -q package.json", _JSONLINT))
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "Expecting 'STRING', got '}'" in texts
    # the caret excerpt is not an error line
    assert not any(t.startswith("---") for t in texts)


# ---- awesome_bot: dead links before redirects ----------------------------------------

_AWESOME_BOT = [
    "> Checking links in README.md",
    "Links to check: 2670, 41 white listed",
    "  0001. https://github.com/acme/awesome-ios/blob/master/header.png ",
    "  0002. https://travis-ci.org/acme/awesome-ios ",
    "Checking URLs: ✓✓✓✓✓→✓",
    "",
    "> White listed:",
    "  01. [L0005] 200 https://gitter.im/acme/awesome-ios  ",
    "  02. [L3035]  https://swift.sandbox.example.net Failed to open TCP connection to swift.sandbox.example.net:443 (getaddrinfo: Name or service not known) ",
    "  03. [L3117] 404 https://example.com/whitelisted-and-gone ",
    "",
    "Issues :-(",
    "> Links ",
    "  01. [L0410] 301 https://github.com/a/CoreCharts  → https://github.com/b/CoreCharts ",
    "  02. [L0499] 301 https://github.com/a/Overdrive  → https://github.com/b/Overdrive ",
    "  03. [L0610] 301 https://github.com/a/Dispatch  → https://github.com/a/DispatchStore ",
    "  04. [L0944] 301 https://github.com/a/Yalta  → https://github.com/a/Align ",
    "  05. [L1290] 301 https://github.com/a/Just  → https://github.com/b/Just ",
    "  06. [L1623] 404 https://www.example-primer.com  ",
    "  07. [L2057] 301 https://github.com/a/LLSpinner  → https://github.com/b/LLSpinner ",
    "  08. [L3019] 301 https://github.com/a/Reporter  → https://github.com/b/Reporter ",
    "  09. [L3117] 503 https://semaphore.example.com/product/ios  ",
    "  10. [L3200]  https://gone.example.org Net::ReadTimeout ",
    "> Dupes ",
    "  None ✓",
    "",
    "Wrote results to ab-results-README.md.json",
]


def test_dead_links_lead_the_link_checker_key_lines() -> None:
    diagnosis = diagnose(travis_one_command("awesome_bot README.md --allow-ssl", _AWESOME_BOT))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "link-check"  # the verdict; the dead links get their own places
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "06. [L1623] 404 https://www.example-primer.com" in texts
    assert "09. [L3117] 503 https://semaphore.example.com/product/ios" in texts
    # the redirects are still shown (link-check) beside the dead ones
    assert any("[L0410] 301" in t for t in texts)
    dead = [k.text.strip() for k in diagnosis.key_lines if k.rule == "link-check-dead"]
    assert all("301" not in t for t in dead)


def test_dead_link_patterns_keep_redirects_and_lists_out() -> None:
    rules = load_rules()

    def dead(line: str) -> bool:
        return "link-check-dead" in [r.id for r in rules.match(line)]

    hits = [
        "  06. [L1623] 404 https://www.goprimer.com  ",
        "  09. [L3117] 503 https://semaphoreci.com/product/ios  ",
        "  02. [L0077]  https://b.example Net::ReadTimeout ",
        "  3. 404 https://c.example/x",
    ]
    misses = [
        "  01. [L0410] 301 https://github.com/a/b  → https://github.com/c/b ",
        "  2670. https://github.com/app-developers/top ",
        "  1. [L130] https://duplicate.example/d",
        "  11. [L0235] 302 http://www.example.com/features  → https://www.example.com/features ",
    ]
    assert all(dead(h) for h in hits)
    assert not any(dead(m) for m in misses)


def test_white_listed_dead_links_are_not_key_lines() -> None:
    # awesome_bot lists white-listed links (which do not fail the check) before ``Issues :-(``
    diagnosis = diagnose(travis_one_command("awesome_bot README.md --allow-ssl", _AWESOME_BOT))
    assert not any("whitelisted-and-gone" in k.text for k in diagnosis.key_lines)
