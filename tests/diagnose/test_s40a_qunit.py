"""QUnit's failed tests from a Chrome runner's progress: Discourse's ``test/run-qunit.js``.

Samples are built from the runner's own format strings (discourse/discourse
``test/run-qunit.js``): until 2020 ``QUnit.testStart`` logs ``"\\n" + context.module + "::"
+ context.name`` and ``QUnit.testDone`` writes ``.`` or ``F`` without a newline; the report
(``Module Failed:`` / ``  Test Failed:`` / ``    Assertion Failed:``) comes only from
``QUnit.done``, so a run its own timeout stops (``console.error("Tests timed out")``, exit
124) has the progress alone. Since 2020 ``testStart`` writes ``"↪ " + module + "::" + name``
and ``testDone`` `` [✔]`` / `` [✘]``, and the report is ``Test Errors`` then ``"  Test
Failed: " + context.name`` and the assertions, then ``context.source``.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures


def _by_test(text: str) -> dict[str, dict[str, object]]:
    return {f.test: f.as_dict() for f in extract_failures(text)}


# the runner stopped by its own timeout: no report, only the progress
TIMED_OUT = """\
node test/run-qunit.js http://localhost:60099/qunit?hidepassed=1 1200000
navigate to http://localhost:60099/qunit?hidepassed=1

Running: {"hidepassed":"1","seed":"96006844215942789301702707296209319877"}

.
topic-footer-buttons-desktop::action
.
Acceptance: Admin - Watched Words::remove words
Error while processing route: adminWatchedWords.action
TypeError: Cannot read property 'block' of undefined
    at eval (admin/models/watched-word:48:73)
    at Array.map (<anonymous>)
F
model:discourse::extractByKey: returns an empty hash
.
Acceptance: Badges::Visit Badge Pages
F
lib:utilities::setDefaultHomepage
Tests timed out
rake aborted!
Command failed with status (124): [node test/run-qunit.js...]
"""


def test_progress_marks_name_failed_tests_as_printed() -> None:
    found = _by_test(TIMED_OUT)
    assert list(found) == [
        "Acceptance: Admin - Watched Words::remove words",
        "Acceptance: Badges::Visit Badge Pages",
    ]
    words = found["Acceptance: Admin - Watched Words::remove words"]
    # the exception the page threw while the test ran, not the route's notice before it
    assert words["message"] == "TypeError: Cannot read property 'block' of undefined"
    assert words["location"] is None  # a frame in the served bundle, not a test file
    assert words["line"] == 11
    assert found["Acceptance: Badges::Visit Badge Pages"]["message"] is None


def test_progress_alone_is_a_test_failure() -> None:
    result = diagnose(TIMED_OUT.encode())
    assert result.category == "test_failure"
    assert "Acceptance: Badges::Visit Badge Pages" in result.failing_tests
    assert result.key_lines[0].text == "TypeError: Cannot read property 'block' of undefined"


def test_progress_and_report_read_as_one_test_with_the_assertion() -> None:
    text = TIMED_OUT.split("lib:utilities")[0] + (
        "\n"
        "Module Failed: Acceptance: Admin - Watched Words\n"
        "  Test Failed: remove words\n"
        '    Assertion Failed: Promise rejected during "remove words": Element .x not found.\n'
        "Module Failed: Acceptance: Badges\n"
        "  Test Failed: Visit Badge Pages\n"
        "    Assertion Failed: failed, expected argument to be truthy, was: false\n"
        "      Expected: true, Actual: false\n"
        "\n"
        "Slowest tests\n"
        "----------------------------------------------\n"
        "Acceptance: Composer Actions::interactions: 6042ms\n"
        "Time: 290872ms, Total: 3092, Passed: 3090, Failed: 2\n"
    )
    found = _by_test(text)
    assert list(found) == [
        "Acceptance: Admin - Watched Words::remove words",
        "Acceptance: Badges::Visit Badge Pages",
    ]
    badges = found["Acceptance: Badges::Visit Badge Pages"]
    assert badges["message"] == "failed, expected argument to be truthy, was: false"


# run-qunit.js since 2020: ``↪`` progress and the ``Test Errors`` report
ARROWS = """\
navigate to http://localhost:60099/qunit?hidepassed=1&qunit_disable_auto_start=1

Running: {"hidepassed":"1"}

↪ Acceptance: Topic::Share topic [✔]
↪ Integration | Component | user-selector::excluding usernames [✘]
↪ Acceptance: Admin - Users::can search Deprecation notice: use sync
 [✘]
↪ Acceptance: Topic::Reply [✔]


Slowest tests
----------------------------------------------
Acceptance: Topic::Share topic: 1200ms


Test Errors
----------------------------------------------
  Test Failed: excluding usernames
    Assertion Failed: failed, expected: "bob", actual: "eviltrout"
      Expected: bob, Actual: eviltrout
    at Object.<anonymous> (http://localhost:60099/assets/tests.js:2201:12)
  Test Failed: can search
    Assertion Failed: Element .users-list not found.


Time: 100ms, Total: 4, Passed: 2, Failed: 2
"""


def test_arrow_progress_and_test_errors_report() -> None:
    found = _by_test(ARROWS)
    # the second test logged a notice before its mark: the report's name says where the
    # test's name ends
    assert list(found) == [
        "Integration | Component | user-selector::excluding usernames",
        "Acceptance: Admin - Users::can search",
    ]
    selector = found["Integration | Component | user-selector::excluding usernames"]
    assert selector["message"] == 'failed, expected: "bob", actual: "eviltrout"'
    assert selector["location"] is None
    assert found["Acceptance: Admin - Users::can search"]["message"] == (
        "Element .users-list not found."
    )


def test_passing_run_and_other_tools_lines_are_not_failures() -> None:
    passing = (
        'Running: {"hidepassed":"1"}\n\n.\nresult-set::defaults\n.\n'
        "Acceptance: Topic::Reply\n.\n\nSlowest tests\n"
        "----------------------------------------------\n"
        "Acceptance: Topic::Reply: 2083ms\n"
        "Time: 1000ms, Total: 2, Passed: 2, Failed: 0\n"
        "↪ Acceptance: Topic::Share topic [✔]\n"
    )
    assert _by_test(passing) == {}
    # a ``::`` line between bare marks in another tool's output (no ``Running:`` line, no
    # run of ``name`` / mark pairs) is not QUnit progress
    other = "compiling\n.\nstd::vector<int> v;\nF\n"
    assert _by_test(other) == {}
