# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 12, helper b12D2 (whole Travis CI job logs): JavaScript that throws
while node loads it (``node-module-load-error``), the CoffeeScript compiler's errors in its
usual forms (``coffee-compile-error``) and CoffeeScript's ``cake`` tasks as commands.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep a test framework's own errors test failures.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job, travis_job

# ---- node: an undefined name while the module loads ----------------------------------

_NODE6_LOAD = [
    "/home/runner/build/acme/tool/lib/tool/index.js:82",
    "  exports.register = register(function(filename, source) {",
    "                     ^",
    "",
    "ReferenceError: register is not defined",
    "    at Object.<anonymous> (/home/runner/build/acme/tool/lib/tool/index.js:82:22)",
    "    at Module._compile (module.js:577:32)",
    "    at Object.Module._extensions..js (module.js:586:10)",
    "    at Module.load (module.js:494:32)",
    "    at tryModuleLoad (module.js:453:12)",
    "    at Function.Module._load (module.js:445:3)",
    "    at Module.require (module.js:504:17)",
    "    at require (internal/module.js:20:19)",
    "    at Object.<anonymous> (/home/runner/build/acme/tool/bin/tool:7:18)",
    "",
]

_NODE18_LOAD = [
    "/home/runner/work/app/app/scripts/build.js:14",
    "const out = path.join(ROOT, 'dist');",
    "            ^",
    "",
    "ReferenceError: path is not defined",
    "    at Object.<anonymous> (/home/runner/work/app/app/scripts/build.js:14:13)",
    "    at Module._compile (node:internal/modules/cjs/loader:1256:14)",
    "    at Module._extensions..js (node:internal/modules/cjs/loader:1310:10)",
    "    at Module.load (node:internal/modules/cjs/loader:1119:32)",
    "    at Module._load (node:internal/modules/cjs/loader:960:12)",
    "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:86:12)",
    "    at node:internal/main/run_main_module:23:47",
    "",
    "Node.js v18.19.0",
]

_NODE20_ESM_LOAD = [
    "file:///home/runner/work/app/app/scripts/gen.mjs:3",
    "const pages = listPages(SRC);",
    "                        ^",
    "",
    "ReferenceError: SRC is not defined",
    "    at file:///home/runner/work/app/app/scripts/gen.mjs:3:25",
    "    at ModuleJob.run (node:internal/modules/esm/module_job:218:25)",
    "    at async ModuleLoader.import (node:internal/modules/esm/loader:329:24)",
    "    at async loadESM (node:internal/process/esm_loader:28:7)",
    "",
    "Node.js v20.11.0",
]


def test_node6_reference_error_at_load_is_build() -> None:
    """A Travis job whose first command loads the project's compiled code: node 6 prints the
    source line, a caret, the ReferenceError at column 0 and a stack through module.js."""
    diagnosis = diagnose(travis_job("node ./bin/tool build", _NODE6_LOAD, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "node-module-load-error"
    assert diagnosis.failing_tests == []
    assert diagnosis.key_lines[0].text == "ReferenceError: register is not defined"


def test_node18_reference_error_in_a_script_is_build() -> None:
    """node 18's loader frames (``node:internal/modules/cjs/loader``) and its version
    trailer, in an Actions step that runs no known tool."""
    diagnosis = diagnose(actions_job("node scripts/build.js", _NODE18_LOAD, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "node-module-load-error"
    assert diagnosis.summary == "ReferenceError: path is not defined"


def test_esm_reference_error_at_load_is_build() -> None:
    """An ES module: the top-level frame is a ``file://`` URL and the loader frame is
    ``ModuleJob.run``."""
    diagnosis = diagnose(actions_job("node scripts/gen.mjs", _NODE20_ESM_LOAD, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "node-module-load-error"


def test_a_mocha_test_that_hits_an_undefined_name_stays_a_failing_test() -> None:
    """Near miss: mocha indents the error of a failing test and its stack runs through the
    test (``Context.<anonymous>``), not the loader: a failing test, not code that cannot load."""
    lines = [
        "  cart",
        "    1) totals prices",
        "",
        "  0 passing (12ms)",
        "  1 failing",
        "",
        "  1) cart",
        "       totals prices:",
        "     ReferenceError: price is not defined",
        "      at Context.<anonymous> (test/cart.test.js:9:12)",
        "      at processImmediate (node:internal/timers:476:21)",
        "",
        "npm ERR! Test failed.  See above for more details.",
    ]
    diagnosis = diagnose(travis_job("npm test", lines, 1))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule != "node-module-load-error"
    assert diagnosis.failing_tests == ["cart totals prices"]


def test_a_reference_error_outside_the_module_loader_is_not_a_load_error() -> None:
    """Near miss: an unhandled rejection's ReferenceError (stack through the task queue,
    nothing loading) does not say the code failed to load."""
    lines = [
        "Deploying to staging",
        "ReferenceError: fetch is not defined",
        "    at deploy (/home/runner/work/app/app/scripts/deploy.js:21:3)",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    ]
    diagnosis = diagnose(actions_job("node scripts/deploy.js", lines, 1))
    assert diagnosis.rule != "node-module-load-error"


# ---- the CoffeeScript compiler -------------------------------------------------------

_COFFEE_CLI = [
    "src/app.coffee:12:5: error: unexpected indentation",
    "    render: ->",
    "    ^^^^^^",
]

_CAKE_TEST = [
    "\x1b[0;31mfailed 1 and passed 1287 tests in 11.01 seconds\x1b[0m\x1b[0m ",
    "",
    "\x1b[0;31m  test/abstract_syntax_tree.coffee:2592:21: error: unmatched OUTDENT",
    "        inverted: no\x1b[1;31m\x1b[0m",
    "\x1b[1;31m                    ^\x1b[0m\x1b[0m ",
]

_GRUNT_COFFEE = [
    'Running "coffee:compile" (coffee) task',
    "\x1b[31m>> \x1b[39msrc/widgets/menu.coffee:3:1: error: missing }",
    "\x1b[31m>> \x1b[39m  items = {",
    "\x1b[31m>> \x1b[39m^",
    "Warning: CoffeeScript failed to compile. Use --force to continue.",
    "",
    "Aborted due to warnings.",
]

_COFFEE_OLD = [
    "Error: In src/model.coffee, Parse error on line 41: Unexpected 'INDENT'",
    "    at Object.parseError (/home/runner/build/acme/app/node_modules/coffee-script/lib/coffee-script/parser.js:477:11)",
]


def test_coffee_cli_compile_error_is_build() -> None:
    """``coffee -c`` (1.6.3 on, and 2.x): ``file:L:C: error:`` at column 0, the source line
    and the caret marker; the CoffeeScript rule names it, not the C compiler's shape."""
    diagnosis = diagnose(travis_job("coffee -c -o lib src", _COFFEE_CLI, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "coffee-compile-error"
    assert diagnosis.key_lines[0].text == "src/app.coffee:12:5: error: unexpected indentation"


def test_cake_test_counts_a_test_file_that_does_not_compile_and_it_is_build() -> None:
    """CoffeeScript's ``cake test`` prints the failure count, then the compile error of the
    test file (indented, red): no test in that file ran."""
    diagnosis = diagnose(travis_job("node ./bin/cake test", _CAKE_TEST, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "coffee-compile-error"
    assert diagnosis.failing_tests == []
    assert (
        "test/abstract_syntax_tree.coffee:2592:21: error: unmatched OUTDENT"
        in diagnosis.key_lines[0].text
    )


def test_grunt_coffee_compile_error_is_build() -> None:
    """grunt-contrib-coffee logs the compiler's message after ``>> `` and warns
    ``CoffeeScript failed to compile.``"""
    diagnosis = diagnose(travis_job("grunt build", _GRUNT_COFFEE, 3))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "coffee-compile-error"
    assert diagnosis.key_lines[0].text == ">> src/widgets/menu.coffee:3:1: error: missing }"


def test_coffee_before_1_6_3_parse_error_is_build() -> None:
    """CoffeeScript before 1.6.3: ``Error: In file.coffee, Parse error on line N: …``."""
    diagnosis = diagnose(travis_job("cake build", _COFFEE_OLD, 1))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "coffee-compile-error"


def test_a_coffee_file_named_in_a_runtime_error_is_not_a_compile_error() -> None:
    """Near miss: a stack frame or a message that merely names a ``.coffee`` file with a
    line and column is not the compiler's ``: error:`` report."""
    lines = [
        "  1) parser reads dates:",
        "     AssertionError: expected '2020' to equal '2021'",
        "      at Context.<anonymous> (test/parser.coffee:14:7)",
        "",
        "  0 passing (8ms)",
        "  1 failing",
    ]
    diagnosis = diagnose(travis_job("mocha --require coffeescript/register test", lines, 1))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule != "coffee-compile-error"


# ---- cake tasks as commands ----------------------------------------------------------


def test_cake_tasks_name_the_kind_of_failure_when_nothing_else_does() -> None:
    """``cake`` is CoffeeScript's make: with no rule and no test named, ``cake build``
    fails a build and ``cake test`` a test run (as ``make``/``rake test`` do)."""
    lines = ["something went sideways"]
    assert diagnose(actions_job("node ./bin/cake build:full", lines, 1)).category == "build"
    assert diagnose(actions_job("cake test", lines, 1)).category == "test_failure"
    assert diagnose(actions_job("cake docs", lines, 1)).category == "unknown"


# ---- a rule that needs its banner is not read into a bare failure message -------------


def test_a_banner_bound_build_rule_does_not_turn_failing_tests_into_a_build() -> None:
    """A failing test whose message looks like a load error is a build failure only when a
    build rule says so on its own; a rule that counts only beside its tool's banner
    (``requires``) cannot judge a message taken out of its step."""
    from bot.diagnose.rules import load_rules

    rules = load_rules(
        [
            {
                "id": "acme-build",
                "category": "build",
                "priority": 60,
                "requires": ["^acme-build: compiling"],
                "patterns": ["^AcmeError: "],
            }
        ]
    )
    lines = [
        "  0 passing (5ms)",
        "  1 failing",
        "",
        "  1) widget",
        "       renders:",
        "     AcmeError: no frame for widget",
        "      at Context.<anonymous> (test/widget.test.js:4:11)",
    ]
    diagnosis = diagnose(actions_job("npx mocha", lines, 1), rules=rules)
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["widget renders"]
    with_banner = diagnose(
        actions_job("npx acme", ["acme-build: compiling", "AcmeError: x"], 1), rules=rules
    )
    assert with_banner.category == "build" and with_banner.rule == "acme-build"
