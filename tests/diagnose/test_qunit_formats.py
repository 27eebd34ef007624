"""QUnit's failing tests in every report its CLI and the usual CI harnesses print.

Each sample is built from the format strings of the tool's own source (named per test);
the id is ``module::name`` whatever the harness joins them with.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures


def _by_test(text: str) -> dict[str, dict[str, object]]:
    return {f.test: f.as_dict() for f in extract_failures(text)}


# qunitjs/qunit src/core/reporters/TapReporter.js (onTestEnd, logAssertion, onRunEnd);
# the stack as test/cli/fixtures/assert-failure.tap.txt shows it
QUNIT_TAP = """\
TAP version 13
ok 1 Cart > empty
not ok 2 Cart > totals > adds tax
  ---
  message: failed
  severity: failed
  actual  : 10
  expected: 11
  stack: |
        at Object.<anonymous> (/home/runner/work/shop/shop/test/cart.test.js:12:10)
        at processTicksAndRejections (node:internal/process/task_queues:95:5)
  ...
not ok 3 Cart > pending feature # TODO
  ---
  message: failed
  severity: todo
  ...
ok 4 Cart > skipped one # SKIP
not ok 5 Parser > throws: on bad input
  ---
  message: "Died on test #1: Unexpected token '}'"
  severity: failed
  actual  : null
  expected: undefined
  stack: |
    SyntaxError: Unexpected token '}'
        at /home/runner/work/shop/shop/test/parser.test.js:4:7
  ...
1..5
# pass 2
# skip 1
# todo 1
# fail 1
"""


def test_qunit_cli_tap_names_module_and_test_with_values_and_frame() -> None:
    found = _by_test(QUNIT_TAP)
    assert list(found) == ["Cart > totals::adds tax", "Parser::throws: on bad input"]
    tax = found["Cart > totals::adds tax"]
    assert tax["message"] == "failed, expected: 11, actual: 10"
    assert tax["location"] == "test/cart.test.js:12"
    assert tax["line"] == 5
    parser = found["Parser::throws: on bad input"]
    assert parser["message"] == (
        "Died on test #1: Unexpected token '}', expected: undefined, actual: null"
    )
    assert parser["location"] == "test/parser.test.js:4"


def test_qunit_tap_global_failure_with_block_message() -> None:
    # TapReporter.onError: ``not ok N global failure``, a ``|+`` block message, ``Bail out!``
    text = """\
TAP version 13
not ok 1 global failure
  ---
  message: |+
    Error: Failed to load file test/index.js
    TypeError: QUnit.module() callback must not be async.
  severity: failed
  stack: |
    TypeError: QUnit.module() callback must not be async.
        at /home/runner/work/app/app/test/index.js:2:7
  ...
Bail out! Error: Failed to load file test/index.js
"""
    found = _by_test(text)
    assert list(found) == ["global failure"]
    assert found["global failure"]["message"] == "Error: Failed to load file test/index.js"
    assert found["global failure"]["location"] == "test/index.js:2"


def test_node_tap_without_qunit_severity_keeps_generic_reading() -> None:
    # node:test's TAP has no ``severity: failed``: the generic reader's names stand
    text = """\
TAP version 13
not ok 1 - adds > numbers
  ---
  duration_ms: 1.2
  failureType: 'testCodeFailure'
  error: 'Expected 3 to equal 4'
  ...
"""
    assert list(_by_test(text)) == ["adds > numbers"]


# testem/testem lib/utils/displayutils.js (resultDisplay, yamlDisplay with strutils.indent)
# and public/testem/qunit_adapter.js (``module + ': ' + name``; the failed item's keys)
TESTEM_TAP = """\
ok 1 Chrome 120.0 - [45 ms] - Unit | Service | cart: it exists
not ok 2 Chrome 120.0 - [1203 ms] - Acceptance | checkout: visiting /checkout shows total
    ---
        actual: >
            false
        expected: >
            true
        stack: >
            Error: Element .total not found.
                at Object.<anonymous> (http://localhost:7357/assets/tests.js:212:14)
        message: >
            Element .total exists
        negative: >
            false
        browser log: |
            {"type":"warn","text":"DEPRECATION: foo"}
    ...
not ok 3 Chrome 120.0 - [8 ms] - Exam Partition 2 - Browser Id 1 - Unit | price-tag: renders
    ---
        stack: >
            TypeError: Cannot read properties of undefined (reading 'amount')
                at PriceTag.get formatted (http://localhost:7357/assets/app.js:88:20)
        message: >
            TypeError: Cannot read properties of undefined (reading 'amount')
    ...
not ok 4 PhantomJS 2.1 - Acceptance: Admin - Badges: shows badges
    ---
        message: >
            failed
    ...
skip 5 Chrome 120.0 - [0 ms] - Unit | Model | user: skipped
1..5
# tests 5
# pass  1
# skip  1
# todo  0
# fail  3
"""


def test_testem_tap_names_qunit_tests_without_browser_or_partition() -> None:
    found = _by_test(TESTEM_TAP)
    assert list(found) == [
        "Acceptance | checkout::visiting /checkout shows total",
        "Unit | price-tag::renders",
        "Acceptance: Admin - Badges::shows badges",
    ]
    checkout = found["Acceptance | checkout::visiting /checkout shows total"]
    assert checkout["message"] == "Element .total exists, expected: true, actual: false"
    assert checkout["line"] == 12
    price = found["Unit | price-tag::renders"]
    assert price["message"] == ("TypeError: Cannot read properties of undefined (reading 'amount')")
    assert found["Acceptance: Admin - Badges::shows badges"]["message"] == "failed"


def test_testem_dot_reporter_lists_failures() -> None:
    # testem lib/reporters/dot_reporter.js displayErrors: ``%*d) [%s] %s`` then message,
    # ``expected:``/``actual:`` and the stack indented by five
    text = """\

  ..F..F

[duration - 5120 ms]
1..6
# tests 6
# pass  4
# skip  0
# todo  0
# fail  2

  3) [Chrome 120.0] Acceptance | login: redirects to dashboard
     Expected to be on /dashboard

     expected: "/dashboard"
       actual: "/login"

     Error: Expected to be on /dashboard
         at Object.<anonymous> (http://localhost:7357/assets/tests.js:40:12)


  6) [Firefox 115.0] Unit | Utility | format: formats cents
     failed

     expected: "$1.00"
       actual: "$100"

"""
    found = _by_test(text)
    assert list(found) == [
        "Acceptance | login::redirects to dashboard",
        "Unit | Utility | format::formats cents",
    ]
    assert found["Acceptance | login::redirects to dashboard"]["message"] == (
        'Expected to be on /dashboard, expected: "/dashboard", actual: "/login"'
    )


def test_phantomjs_runner_test_failed_lines() -> None:
    # QUnit 1.x addons/phantomjs/runner.js (and its Chrome ports): ``Test failed: `` +
    # module + ': ' + name, each ``Failed assertion: `` message + ``, expected: …, but
    # was: …`` and its source; the older ``Assertion Failed: `` header; the tab-joined form
    text = (
        "Test failed: core: jQuery.ajax() - success callbacks\n"
        "    Failed assertion: Success callback called, expected: 2, but was: 1\n"
        "    at http://localhost:9000/test/unit/ajax.js:40\n"
        "Assertion Failed: widget: renders the header\n"
        "    Failed assertion: header exists\n"
        "\nTest failed: selector: finds :first\tFailed assertion: found one, expected: 1,"
        " but was: 0\n"
        "Took 1492ms to run 840 tests. 837 passed, 3 failed.\n"
    )
    found = _by_test(text)
    assert list(found) == [
        "core::jQuery.ajax() - success callbacks",
        "widget::renders the header",
        "selector::finds :first",
    ]
    assert found["core::jQuery.ajax() - success callbacks"]["message"] == (
        "Success callback called, expected: 2, but was: 1"
    )
    assert found["selector::finds :first"]["message"] == "found one, expected: 1, but was: 0"


def test_test_failed_words_alone_are_not_a_qunit_report() -> None:
    assert _by_test("Test failed: see log: above\nnpm ERR! Test failed.\n") == {}


def test_node_qunit_errors_list() -> None:
    # qunitjs/node-qunit lib/log.js print.errors: ``Module: `` + module + `` Test: `` + test,
    # then the message, the source, ``Actual value:`` and ``Expected value:``
    text = """\
Testing /home/runner/work/lib/lib/lib/math.js ... [Error: Uh oh, there were failures]


Errors:

Module: math Test: adds
sum of two numbers
    at Object.<anonymous> (/home/runner/work/lib/lib/test/math.js:5:5)
Actual value:
3
Expected value:
4

Module: undefined Test: loads
Died on test #1: Cannot find module './x'
"""
    found = _by_test(text)
    assert list(found) == ["math::adds", "loads"]
    assert found["math::adds"]["message"] == "sum of two numbers"
    assert found["math::adds"]["location"] == "test/math.js:5"
    assert found["loads"]["message"] == "Died on test #1: Cannot find module './x'"


def test_node_qunit_puppeteer_groups() -> None:
    # ameshkov/node-qunit-puppeteer index.js printOutput (every test; console.group
    # indents by two) and printFailedTests (``Test: <name>``), printTestLog's lines
    text = """\
Target URL is file:///home/runner/work/sl/sl/tests/index.html, timeout is 30000
Module: scriptlets
  abort-on-property-read
    Status: success
    Passed assertions: 2 of 2
    Elapsed: 5ms
  set-constant works
    Status: failed
    Passed assertions: 1 of 2
    Elapsed: 12ms
    Log
      Result: true, Expected: true, Actual: true, Message: first
      Result: false, Expected: 1, Actual: undefined, Message: constant set
      Stacktrace: at Object.<anonymous> (file:///home/runner/work/sl/sl/tests/set-constant.test.js:20:12)
Module: redirects
  Test: noopjs
    Status: failed
    Failed assertions: 1 of 1
    Elapsed: 3ms
    Log
      Result: false, Expected: true, Actual: false, Message: loaded

Test run result: fail
"""
    found = _by_test(text)
    assert list(found) == ["scriptlets::set-constant works", "redirects::noopjs"]
    constant = found["scriptlets::set-constant works"]
    assert constant["message"] == "Expected: 1, Actual: undefined, Message: constant set"
    assert constant["location"] == "tests/set-constant.test.js:20"


def test_grunt_contrib_qunit_both_generations() -> None:
    # gruntjs/grunt-contrib-qunit tasks/qunit.js: before 4.0 logFailedAssertions prints
    # ``currentModule + ' - ' + name`` then Message/Actual/Expected per failed assertion;
    # since, testEnd's ``fullName.join(' > ')`` then formatFailedAssertion per error;
    # grunt.log.error puts ``>> `` before every line, grunt.warn closes the run
    text = """\
Running "qunit:all" (qunit) task
Testing test/index.html ....F..F
>> tooltip plugin - should place tooltip on top
>> Message: tooltip placed on top
>> Actual: false
>> Expected: true
>>   at http://localhost:3000/js/tests/unit/tooltip.js:88

>> tooltip plugin - should place tooltip on top
>> Message: has arrow
>> Actual: 0
>> Expected: 1

Testing test/modal.html ..F
>> modal > nested > closes on escape
>> Message: modal hidden
>> Actual: true
>> Expected: false
>>   at /home/runner/work/bs/bs/js/tests/unit/modal.js:31:7
>> modal > opens
>> Message: failed
>> Actual: {
>>   "open": false
>> }
>> Expected: {
>>   "open": true
>> }
Warning: 4/120 assertions failed (1234ms) Use --force to continue.
"""
    found = _by_test(text)
    assert list(found) == [
        "tooltip plugin::should place tooltip on top",
        "modal > nested::closes on escape",
        "modal::opens",
    ]
    assert found["tooltip plugin::should place tooltip on top"]["message"] == (
        "tooltip placed on top, actual: false, expected: true"
    )
    assert found["modal > nested::closes on escape"]["location"] == "js/tests/unit/modal.js:31"


def test_karma_qunit_through_karma_progress_reporter() -> None:
    # karma-runner/karma-qunit src/adapter.js: suite [module], description name, the log
    # ``message\nExpected: …\nActual: …\nsource``; karma's progress reporter prints it
    text = (
        "Chrome Headless 120.0.6099.109 (Linux x86_64) tooltip plugin should be defined"
        " on jquery object FAILED\n"
        "\tfailed\n\tExpected: true\n\tActual: false\n"
        "\t    at Object.<anonymous> (js/tests/unit/tooltip.js:12:12)\n"
        "Chrome Headless 120.0.6099.109 (Linux x86_64): Executed 10 of 300 (1 FAILED)\n"
    )
    found = _by_test(text)
    assert list(found) == ["tooltip plugin should be defined on jquery object"]


def _module_failed_report(count: int) -> str:
    # davidtaylorhq/qunit-puppeteer bin/qunit-puppeteer.js: ``Module Failed: `` per module,
    # ``  Test Failed: `` per test, ``\n    Assertion Failed: `` per assertion
    lines = ["Running: {}", "", ".F" * count, "", ""]
    for module in range(count // 10):
        lines.append(f"Module Failed: Acceptance: Area {module}")
        for test in range(10):
            lines.append(f"  Test Failed: case {module}-{test}")
            lines.append(f"    Assertion Failed: expected {test} items")
        lines.append("")
    lines.append(f"Time: 90210ms, Total: {count * 2}, Passed: {count}, Failed: {count}")
    return "\n".join(lines) + "\n"


def test_hundreds_of_module_failed_tests_all_found_through_the_reader() -> None:
    text = "\n".join(f"log line {i}" for i in range(3000)) + "\n" + _module_failed_report(300)
    result = diagnose(text.encode())
    assert len(result.failing_tests) == 300
    assert result.failing_tests[0] == "Acceptance: Area 0::case 0-0"
    assert result.failing_tests[-1] == "Acceptance: Area 29::case 29-9"


def test_hundreds_of_tap_failures_all_found_through_the_reader() -> None:
    points = []
    for n in range(1, 351):
        points += [
            f"not ok {n} Chrome 120.0 - [3 ms] - Unit | thing {n}: works",
            "    ---",
            "        message: >",
            f"            failed {n}",
            "    ...",
        ]
    text = "\n".join(f"noise {i}" for i in range(2000)) + "\n" + "\n".join(points) + "\n"
    result = diagnose(text.encode())
    assert len(result.failing_tests) == 350
    assert result.failing_tests[-1] == "Unit | thing 350::works"


def test_karma_qunit_through_karma_spec_reporter() -> None:
    # tmcgee123/karma-spec-reporter index.js: the tree (suites two in per level, ``✗ ``
    # and the spec's log tab-indented), ``TOTAL: %d FAILED, %d SUCCESS``, then
    # logFinalErrors: ``N) description``, the suites joined five in, the log five in
    text = """\

  tooltip plugin
    ✓ should be defined
    ✗ should place tooltip on top
\tfailed
\tExpected: true
\tActual: false
\t    at Object.<anonymous> (js/tests/unit/tooltip.js:88:14)

  modal plugin
    nested
      ✗ closes on escape
\tmodal hidden

Chrome Headless 120.0.6099.109 (Linux x86_64): Executed 300 of 300 (2 FAILED)
TOTAL: 2 FAILED, 298 SUCCESS


1) should place tooltip on top
     tooltip plugin
     failed
Expected: true
Actual: false
    at Object.<anonymous> (js/tests/unit/tooltip.js:88:14)

2) closes on escape
     modal plugin nested
     modal hidden
"""
    found = _by_test(text)
    assert list(found) == [
        "tooltip plugin should place tooltip on top",
        "modal plugin nested closes on escape",
    ]
    assert found["tooltip plugin should place tooltip on top"]["message"] == "failed"
    assert found["tooltip plugin should place tooltip on top"]["location"] == (
        "js/tests/unit/tooltip.js:88"
    )
    assert found["modal plugin nested closes on escape"]["message"] == "modal hidden"


def test_numbered_lines_without_karma_total_are_not_specs() -> None:
    assert _by_test("1) install deps\n     then build\n") == {}


def test_qunit_cli_tap_in_colour_through_the_reader() -> None:
    # TapReporter wraps a failed test's name in kleur.red and the summary counts in colour
    text = (
        "TAP version 13\n"
        "not ok 1 \x1b[31mCart > adds tax\x1b[39m\n"
        "  ---\n  message: failed\n  severity: failed\n"
        "  actual  : 10\n  expected: 11\n"
        "  stack: |\n"
        "        at /home/runner/work/shop/shop/test/cart.test.js:12:10\n"
        "  ...\n"
        "1..1\n# pass 0\n# \x1b[33mskip 0\x1b[39m\n# \x1b[36mtodo 0\x1b[39m\n"
        "# \x1b[31mfail 1\x1b[39m\n"
    )
    result = diagnose(text.encode())
    assert result.failing_tests == ["Cart::adds tax"]
    assert result.failures[0].location == "test/cart.test.js:12"


def test_qunit_cli_console_reporter_events() -> None:
    # qunitjs/qunit src/core/reporters/ConsoleReporter.js logs ``'testEnd', test`` (the
    # object of src/core/reports/test.js end(): name, suiteName, fullName, runtime, status,
    # errors, assertions) as Node's console.log inspects it
    text = """\
runStart { testCounts: { total: 2 } }
testEnd {
  name: 'adds tax',
  suiteName: 'totals',
  fullName: [ 'Cart', 'totals', 'adds tax' ],
  runtime: 2,
  status: 'failed',
  errors: [
    {
      passed: false,
      actual: 10,
      expected: 11,
      message: "isn't the total",
      stack: '    at Object.<anonymous> (/home/runner/work/shop/shop/test/cart.test.js:12:10)\\n' +
        '    at processTicksAndRejections (node:internal/process/task_queues:95:5)',
      todo: false
    }
  ],
  assertions: [ { passed: false, todo: false } ]
}
testEnd {
  name: 'empty',
  suiteName: 'Cart',
  fullName: [ 'Cart', 'empty' ],
  runtime: 0,
  status: 'passed',
  errors: [],
  assertions: [ { passed: true, todo: false } ]
}
runEnd {
  status: 'failed',
  testCounts: { passed: 1, failed: 1, skipped: 0, todo: 0, total: 2 },
  runtime: 12
}
"""
    found = _by_test(text)
    assert list(found) == ["Cart > totals::adds tax"]
    assert found["Cart > totals::adds tax"]["message"] == "isn't the total"
    assert found["Cart > totals::adds tax"]["location"] == "test/cart.test.js:12"


def test_a_browser_word_without_version_is_no_testem_launcher() -> None:
    # testem names a launcher with its version (``Chrome 120.0``); a node:test title may
    # start with a browser's name
    text = "TAP version 13\nnot ok 1 - Chrome - opens the window\n  ---\n  error: boom\n  ...\n"
    assert list(_by_test(text)) == ["Chrome - opens the window"]
