# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 13, helper b13D3 (whole Travis CI job logs): the rows of PHPStan's
table error format (``phpstan-table-error``) and jazzy's list of undocumented symbols
(``jazzy-undocumented``, with jazzy's own USR warnings ignored).

Each snippet is written in the shape the tool prints and asserts what a maintainer would
read first; the near misses keep other tools' look-alike lines out of these rules.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job, travis_job

# ---- PHPStan: the table's rows, not its header ------------------------------------------

_PHPSTAN_011 = [
    "Note: Using configuration file /home/runner/build/acme/app/phpstan.neon.",
    " ------ -------------------------------------------------------------- ",
    "  Line   src/Acme/Installer.php                                        ",
    " ------ -------------------------------------------------------------- ",
    "  1174   Method Acme\\Installer::updateUrl() invoked with 8            ",
    "         parameters, 7 required.                                       ",
    " ------ -------------------------------------------------------------- ",
    "",
    " [ERROR] Found 1 error                                                          ",
    "",
]

_PHPSTAN_1X = [
    " ------ ------------------------------------------------------------------ ",
    "  Line   app/Http/Controllers/UserController.php                           ",
    " ------ ------------------------------------------------------------------ ",
    "  12     Call to an undefined method App\\Models\\User::fullName().          ",
    "         🪪  method.notFound                                                ",
    "  7      Parameter #1 $id of function find expects int, string given.      ",
    "         🪪  argument.type                                                  ",
    " ------ ------------------------------------------------------------------ ",
    "",
    " ------ ----------------------------- ",
    "  Line   app/Models/User.php          ",
    " ------ ----------------------------- ",
    "  301    Property App\\Models\\User::$age has no type specified.",
    " ------ ----------------------------- ",
    "",
    " [ERROR] Found 3 errors                                                         ",
]


def test_phpstan_0_11_table_row_is_the_summary_not_the_header() -> None:
    """PHPStan 0.11 (phpstan-shim) on Travis: the file's ``Line`` header names only the
    file; the row under it (a 4-digit line number, the message wrapped) says what is wrong."""
    cmd = "vendor/bin/phpstan.phar analyse src tests --configuration=phpstan/config.neon"
    diagnosis = diagnose(travis_job(cmd, _PHPSTAN_011, 1))
    assert diagnosis.category == "type_check"
    assert diagnosis.rule == "phpstan-table-error"
    assert diagnosis.summary is not None
    assert diagnosis.summary.strip().startswith("1174   Method Acme\\Installer::updateUrl()")
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert any(t.startswith("1174   Method Acme\\Installer::updateUrl()") for t in texts)
    assert diagnosis.failing_tests == []


def test_phpstan_1x_rows_of_several_files_with_identifiers() -> None:
    """PHPStan 1.x in an Actions step (Larastan's shape): short line numbers padded to the
    ``Line`` column, an identifier line under each row, two files."""
    diagnosis = diagnose(
        actions_job("./vendor/bin/phpstan analyse --memory-limit=2G", _PHPSTAN_1X, 1)
    )
    assert diagnosis.category == "type_check"
    assert diagnosis.rule == "phpstan-table-error"
    rows = [k.text.strip() for k in diagnosis.key_lines if k.rule == "phpstan-table-error"]
    assert rows[:2] == [
        "12     Call to an undefined method App\\Models\\User::fullName().",
        "7      Parameter #1 $id of function find expects int, string given.",
    ]
    assert "301    Property App\\Models\\User::$age has no type specified." in rows
    assert not any("method.notFound" in r for r in rows)


def test_phpstan_unmatched_ignore_pattern_stays_with_phpstan_psalm() -> None:
    """PHPStan's table of errors of no file (headed ``Error``) has no ``Line`` header: its
    unmatched ``ignoreErrors`` entry is the shipped phpstan-psalm rule's, as before."""
    lines = [
        " -------------------------------------------------------------------------------------- ",
        "  Error                                                                                 ",
        " -------------------------------------------------------------------------------------- ",
        "  Ignored error pattern ~^Anonymous function has an unused use \\$x\\.$~ was not matched in reported errors.",
        " -------------------------------------------------------------------------------------- ",
        "",
        " [ERROR] Found 1 error",
    ]
    diagnosis = diagnose(travis_job("vendor/bin/phpstan analyse src", lines, 1))
    assert diagnosis.category == "type_check"
    assert diagnosis.rule == "phpstan-psalm"


def test_a_numbered_listing_without_a_phpstan_header_is_not_a_phpstan_row() -> None:
    """Near miss: another tool's indented, numbered listing (a profiler's top entries) in a
    step that printed no PHPStan ``Line  file.php`` header is not a PHPStan error row."""
    lines = [
        "Slowest tests:",
        "  12     tests/Unit/CartTest.php::testTotals (1.20s)",
        "  1174   tests/Feature/CheckoutTest.php::testPay (0.98s)",
        "make: *** [test] Error 1",
    ]
    diagnosis = diagnose(travis_job("make test", lines, 2))
    assert diagnosis.rule != "phpstan-table-error"
    assert diagnosis.category != "type_check"


def test_a_row_whose_padding_does_not_fit_the_line_column_is_not_read() -> None:
    """Near miss: after a PHPStan header, a line whose number is not padded to the ``Line``
    column (``  12   x``: 3 spaces after 2 digits) is not one of its rows."""
    lines = [
        " ------ ------------------------ ",
        "  Line   src/Foo.php            ",
        " ------ ------------------------ ",
        "  12   not a row of the table",
        " ------ ------------------------ ",
        " [ERROR] Found 1 error",
    ]
    diagnosis = diagnose(travis_job("vendor/bin/phpstan analyse src", lines, 1))
    assert diagnosis.rule == "phpstan-psalm"
    assert not any(k.rule == "phpstan-table-error" for k in diagnosis.key_lines)


# ---- jazzy: undocumented symbols -------------------------------------------------------

_JAZZY_USR = (
    "A compile error prevented Realm.Error.fail from receiving a unique USR. Documentation "
    "may be incomplete. Please check for compile errors by running `xcodebuild -scheme RealmSwift`."
)

_JAZZY_CAT = [
    "Running xcodebuild",
    "Parsing Error.swift (2/20)",
    _JAZZY_USR,
    "building site",
    "building search index",
    "99% documentation coverage with 1 undocumented symbol",
    "included 491 public or open symbols",
    "jam out ♪♫ to your fresh new docs in `docs/swift_output`",
    "Undocumented Realm swift declarations:",
    "{",
    '  "warnings": [',
    "    {",
    '      "file": "/Users/travis/build/acme/kit/Sources/Error.swift",',
    '      "line": 37,',
    '      "symbol": "Kit.Error.Code",',
    '      "symbol_kind": "source.lang.swift.decl.typealias",',
    '      "warning": "undocumented"',
    "    }",
    "  ],",
    '  "source_directory": "/Users/travis/build/acme/kit"',
    "}",
]

_JAZZY_JQ = [
    "jazzy --module Kit --swift-build-tool spm --output docs",
    "96% documentation coverage with 2 undocumented symbols",
    "skipped 12 private, fileprivate, or internal symbols (use `--min-acl` to specify a different minimum ACL)",
    "jam out ♪♫ to your fresh new docs in `docs`",
    "[",
    "  {",
    '    "file": "/home/runner/work/kit/kit/Sources/Kit/Client.swift",',
    '    "line": 12,',
    '    "symbol": "Client.timeout",',
    '    "symbol_kind": "source.lang.swift.decl.var.instance",',
    '    "warning": "undocumented"',
    "  },",
    "  {",
    '    "file": "/home/runner/work/kit/kit/Sources/Kit/Client.swift",',
    '    "line": 20,',
    '    "symbol": "Client.send(_:)",',
    '    "symbol_kind": "source.lang.swift.decl.function.method.instance",',
    '    "warning": "undocumented"',
    "  }",
    "]",
]


def test_jazzy_undocumented_json_printed_by_a_docs_check_is_lint() -> None:
    """A Travis docs-verification script: jazzy builds the docs and exits 0; the script
    prints undocumented.json under its own heading and exits 1. The heading and the symbol
    are what a maintainer reads; jazzy's USR warnings are not shown."""
    diagnosis = diagnose(travis_job("./build.sh verify-docs", _JAZZY_CAT, 1))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "jazzy-undocumented"
    assert diagnosis.summary == "99% documentation coverage with 1 undocumented symbol"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert "Undocumented Realm swift declarations:" in texts
    assert '"symbol": "Kit.Error.Code",' in texts
    assert not any("unique USR" in t for t in texts)


def test_jazzy_warnings_piped_through_jq_in_an_actions_step() -> None:
    """``jq '.warnings' docs/undocumented.json`` after jazzy in a GitHub Actions step: the
    entries without a heading, two symbols."""
    cmd = "jazzy --output docs && jq '.warnings' docs/undocumented.json && test $(jq '.warnings | length' docs/undocumented.json) -eq 0"
    diagnosis = diagnose(actions_job(cmd, _JAZZY_JQ, 1))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "jazzy-undocumented"
    texts = [k.text.strip() for k in diagnosis.key_lines]
    assert '"symbol": "Client.timeout",' in texts
    assert '"symbol": "Client.send(_:)",' in texts


def test_jazzy_coverage_line_alone_does_not_make_a_later_failure_lint() -> None:
    """Near miss: jazzy ran and reported undocumented symbols without anything printing
    undocumented.json, then the docs upload failed: not a documentation-coverage verdict."""
    lines = [
        "97% documentation coverage with 4 undocumented symbols",
        "jam out ♪♫ to your fresh new docs in `docs`",
        "Undocumented symbols are listed in docs/undocumented.json:",
        "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
    ]
    diagnosis = diagnose(travis_job("./scripts/publish-docs.sh", lines, 128))
    assert diagnosis.rule != "jazzy-undocumented"
    assert diagnosis.category != "lint"


def test_other_json_with_a_symbol_key_is_not_jazzy() -> None:
    """Near miss: a test's JSON dump with a ``symbol`` field (a ticker) and a failing
    assertion: no jazzy entry (``"warning": "undocumented"``), so not this rule."""
    lines = [
        "{",
        '  "symbol": "AAPL",',
        '  "price": 187.2',
        "}",
        "AssertionError: expected price 187.3, got 187.2",
    ]
    diagnosis = diagnose(travis_job("node test/quotes.js", lines, 1))
    assert diagnosis.rule != "jazzy-undocumented"


def test_jazzy_usr_warning_is_never_the_cause() -> None:
    """jazzy's USR warning mentions a compile error but jazzy goes on: in a step that then
    fails on something the engine cannot name, it is not picked as a key line."""
    lines = [_JAZZY_USR, "uploading docs to gh-pages", "deploy failed"]
    diagnosis = diagnose(travis_job("./scripts/docs.sh", lines, 1))
    assert not any("unique USR" in k.text for k in diagnosis.key_lines)
