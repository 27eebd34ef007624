# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 9, helper b9H2 (whole Travis CI job logs): Vader's failing cases (vim
plugin tests), JavaScript Standard Style's problem lines, a Go template that does not render
(docker-gen) behind a test suite whose requests then fail to connect, and xcpretty's XCTest
summary in a Travis macOS log (stray ``nl`` glued to lines, every line followed by a blank).

The Vader, standard/semistandard and Go template lines are the real tools' output (vader.vim
with Vim 9.0, standard 17.1 and semistandard 17, Go's text/template through ``kubectl -o
go-template``), paths moved to the runner's; the xcpretty shape follows its formatter's source
(``format_failures``: the suite, ``  test, reason``, ``  path:line``, the code excerpt).
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.logreader import LogReader
from tests.diagnose.joblogs import actions_job, travis_job

# ---- Vader ---------------------------------------------------------------------------

# ``vim -Nu test/vimrc -Es -c 'Vader! test/*.vader'`` (vader.vim 429b669, Vim 9.0)
_VADER = [
    "Starting Vader: 2 suite(s), 8 case(s)",
    "  Starting Vader: /home/runner/work/plug/plug/test/demo.vader",
    "    (1/6) [EXECUTE] passes",
    "    (2/6) [EXECUTE] When already updated",
    "    (2/6) [EXECUTE] (X) 'abd' should be equal to 'abc'",
    "    (3/6) [  GIVEN] a buffer",
    "    (3/6) [     DO] upper-case it",
    "    (3/6) [ EXPECT] (X) upper case",
    "      - Expected:",
    "          HELLO WORLDX",
    "      - Got:",
    "          HELLO WORLD",
    "    (4/6) [  GIVEN] a buffer",
    "    (4/6) [EXECUTE] calls an unknown function",
    "    (4/6) [EXECUTE] (X) Vim(call):E117: Unknown function: NoSuchFunction",
    "      > command line..function <SNR>14_vader[5]..vader#run[63]..<SNR>15_run[42]..<SNR>15_execute[2]..vader#window#execute[11]..script /var/tmp/vAuYcJE/2, line 1",
    "    (5/6) [  GIVEN]",
    "    (5/6) [EXECUTE]",
    "    (5/6) [EXECUTE] (X) custom message",
    "    (6/6) [  GIVEN]",
    "    (6/6) [EXECUTE] throws",
    "    (6/6) [EXECUTE] (X) boom",
    "      > command line..function <SNR>14_vader[5]..vader#run[63]..<SNR>15_run[42]..<SNR>15_execute[2]..vader#window#execute[11]..script /var/tmp/vAuYcJE/4, line 1",
    "  Success/Total: 1/6",
    "  Starting Vader: /home/runner/work/plug/plug/test/two.vader",
    "    (1/2) [EXECUTE] second suite ok",
    "    (2/2) [EXECUTE] second suite fails",
    "    (2/2) [EXECUTE] (X) 2 should not be equal to 2",
    "  Success/Total: 1/2",
    "Success/Total: 2/8 (assertions: 2/5)",
    "Elapsed time: 0.05 sec.",
]


def test_vader_failing_cases_are_named_by_their_comments_with_their_messages() -> None:
    diagnosis = diagnose(actions_job("vim -Nu test/vimrc -Es -c 'Vader! test/*.vader'", _VADER))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "vader-failed"
    assert diagnosis.failing_tests == [
        "When already updated",
        "a buffer / upper-case it / upper case",
        "a buffer / calls an unknown function",
        "demo.vader (5/6)",  # a case without any comment: its suite and counter
        "throws",
        "second suite fails",
    ]
    messages = {f.test: f.message for f in diagnosis.failures}
    assert messages["When already updated"] == "'abd' should be equal to 'abc'"
    assert (
        messages["a buffer / upper-case it / upper case"]
        == "Expected: HELLO WORLDX Got: HELLO WORLD"
    )
    assert (
        messages["a buffer / calls an unknown function"]
        == "Vim(call):E117: Unknown function: NoSuchFunction"
    )
    assert messages["second suite fails"] == "2 should not be equal to 2"
    assert all(f.location is None for f in diagnosis.failures)  # Vader prints no file line
    assert "(X) 'abd' should be equal to 'abc'" in diagnosis.key_lines[0].text


def test_vader_in_a_travis_job_is_the_failure_not_the_tests_own_noise() -> None:
    """vim-plug's suite runs commands that print ``command not found`` on purpose and pads
    the counter to the total's width: the failing case, not the noise, is the cause."""
    lines = [
        "/bin/bash: xxx-non-existent-command-xxx: command not found",
        "Starting Vader: 1 suite(s), 140 case(s)",
        "  Starting Vader: /home/runner/build/junegunn/vim-plug/test/test.vader",
        "    (  1/140) [EXECUTE] Initialize test environment",
        "    ( 52/140) [  GIVEN] Unaligned code",
        "    ( 52/140) [     DO] Align code",
        "    ( 52/140) [ EXPECT]",
        "    ( 74/140) [EXECUTE] When submodules are not initialized",
        "    ( 75/140) [EXECUTE] When already updated",
        "    ( 75/140) [EXECUTE] (X) '7f8cd78cb1fe52185b98b16a3749811f0cc508af' should be equal to 'dd507ca0d5f3fdf0d522558cc5ecffdabf824469'",
        "    ( 76/140) [EXECUTE] PlugUpdate!",
        "      > ['Updated. Elapsed time: 0.036143 sec.', '[x=]', '', 'x aaaaaaaaaaaaaa', '    fatal: ''/var/tmp/vim-plug-test/junegunn/aaaaaaaaaaaaaa'' does not appear to be a git repository']",
        "  Success/Total: 139/140",
        "Success/Total: 139/140 (assertions: 388/389)",
        "Elapsed time: 11.235893 sec.",
    ]
    diagnosis = diagnose(travis_job("test/run !", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "vader-failed"
    # a Given printed on an earlier case only (case 52) does not name case 75
    assert diagnosis.failing_tests == ["When already updated"]
    assert "( 75/140) [EXECUTE] (X) '7f8cd78c" in diagnosis.key_lines[0].text


def test_a_passing_vader_run_names_no_failing_case() -> None:
    lines = [
        "Starting Vader: 1 suite(s), 2 case(s)",
        "  Starting Vader: test/a.vader",
        "    (1/2) [EXECUTE] one",
        "    (2/2) [  GIVEN] text",
        "    (2/2) [ EXPECT] two",
        "  Success/Total: 2/2",
        "Success/Total: 2/2 (assertions: 3/3)",
        "make: *** [lint] Error 1",
    ]
    assert extract_failures(lines) == []
    assert diagnose(actions_job("make test lint", lines)).rule != "vader-failed"


# ---- JavaScript Standard Style --------------------------------------------------------

# standard 17.1.2: problems on stdout (rule id, `(warning)` for a warning), banner on stderr
_STANDARD_17 = [
    "> app@1.0.0 test",
    "> standard lib/*.js",
    "",
    "  /home/runner/work/app/app/lib/bad.js:2:17: Parsing error: Unexpected token 'y' (null)",
    "  /home/runner/work/app/app/lib/style.js:1:1: Unexpected var, use let or const instead. (no-var) (warning)",
    "  /home/runner/work/app/app/lib/style.js:1:5: 'unused' is assigned a value but never used. (no-unused-vars)",
    "  /home/runner/work/app/app/lib/style.js:1:15: Extra semicolon. (semi)",
    "standard: Use JavaScript Standard Style (https://standardjs.com)",
    "standard: Some warnings are present which will be errors in the next version (https://standardjs.com)",
    "standard: Run `standard --fix` to automatically fix some problems.",
]


def test_standard_problems_under_npm_test_are_lint() -> None:
    diagnosis = diagnose(actions_job("npm test", _STANDARD_17))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "standard-js"
    texts = [k.text for k in diagnosis.key_lines]
    assert any("lib/bad.js:2:17: Parsing error: Unexpected token 'y'" in t for t in texts)
    assert diagnosis.failing_tests == []


def test_standard_2018_banner_first_without_rule_ids() -> None:
    """standard 11 (2018): the banner first, problems without the rule id."""
    lines = [
        "> git-it-electron@4.2.2 test /home/runner/build/jlord/git-it-electron",
        "> standard lib/*.js lib/verify/*.js menus/*.js main.js",
        "",
        "standard: Use JavaScript Standard Style (https://github.com/feross/standard) ",
        "  /home/runner/build/jlord/git-it-electron/lib/locale.js:17:4: Parsing error: Unexpected string",
        "npm ERR! Test failed.  See above for more details.",
    ]
    diagnosis = diagnose(travis_job("npm test", lines))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "standard-js"
    assert any(
        "lib/locale.js:17:4: Parsing error: Unexpected string" in k.text
        for k in diagnosis.key_lines
    )


def test_semistandard_is_the_same_engine() -> None:
    lines = [
        "  /home/runner/work/app/app/lib/style.js:2:25: Missing semicolon. (semi)",
        "semistandard: Semicolons For All! (https://github.com/standard/semistandard)",
        "semistandard: Run `semistandard --fix` to automatically fix some problems.",
    ]
    diagnosis = diagnose(actions_job("npx semistandard", lines))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "standard-js"
    assert "lib/style.js:2:25: Missing semicolon." in diagnosis.key_lines[0].text


# ---- Go templates (docker-gen, Helm, kubectl) ------------------------------------------

_CONNECTION_ERROR = (
    "E           ConnectionError: HTTPConnectionPool(host='nginx-proxy', port=80): Max retries exceeded with url: /port "
    "(Caused by NewConnectionError('<requests.packages.urllib3.connection.HTTPConnection object at 0x7f1b45f3acd0>: "
    "Failed to establish a new connection: [Errno -2] Name or service not known',))"
)


def _proxy_suite(with_template_error: bool) -> list[str]:
    """pytest 3 (-v) against a proxy container; each failure's captured container logs."""
    out = [
        "============================= test session starts ==============================",
        "test_nominal.py::test_unknown_virtual_host FAILED",
        "test_nominal.py::test_forwards_to_web1 FAILED",
        "",
        "=================================== FAILURES ===================================",
    ]
    for name in ("test_unknown_virtual_host", "test_forwards_to_web1"):
        out += [
            f"__________________________ {name} ___________________________",
            "",
            f"    def {name}(docker_compose, nginxproxy):",
            '>       r = nginxproxy.get("http://nginx-proxy/port")',
            "",
            "test_nominal.py:4: ",
            "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ",
            ">           raise ConnectionError(e, request=request)",
            _CONNECTION_ERROR,
            "",
            "/usr/local/lib/python2.7/site-packages/requests/adapters.py:487: ConnectionError",
            "------------------------------- nginx-proxy logs -------------------------------",
            "forego       | starting dockergen.1 on port 5100",
        ]
        if with_template_error:
            out.append(
                'dockergen.1  | 2019/07/29 19:27:32 Template error: template: nginx.tmpl:285:7: executing "nginx.tmpl" at <not>: wrong number of args for not: want 1 got 3'
            )
        out.append("forego       | sending SIGTERM to dockergen.1")
    out += [
        "========================= 2 failed, 4 passed in 25.13 seconds =========================",
        "make: *** [test-debian] Error 1",
    ]
    return out


def test_tests_that_cannot_connect_because_the_template_does_not_render_failed() -> None:
    """Every request fails to connect because docker-gen cannot render the project's
    template, so nginx never gets a configuration: the template is the cause, not the
    network."""
    diagnosis = diagnose(travis_job("make $TEST_TARGET", _proxy_suite(True), 2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == [
        "test_nominal.py::test_unknown_virtual_host",
        "test_nominal.py::test_forwards_to_web1",
    ]
    texts = [k.text for k in diagnosis.key_lines]
    assert any("wrong number of args for not: want 1 got 3" in t for t in texts)
    assert any(k.rule == "go-template-error" for k in diagnosis.key_lines)


def test_the_same_suite_without_a_build_error_stays_a_network_failure() -> None:
    diagnosis = diagnose(travis_job("make $TEST_TARGET", _proxy_suite(False), 2))
    assert diagnosis.category == "infra_network"
    assert diagnosis.alternative is not None
    assert diagnosis.alternative["category"] == "test_failure"


def test_helm_template_that_does_not_render_is_a_build_failure() -> None:
    lines = [
        'Error: template: mychart/templates/deployment.yaml:12:20: executing "mychart/templates/deployment.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag',
        "",
        "Use --debug flag to render out invalid YAML",
    ]
    diagnosis = diagnose(actions_job("helm template ./mychart", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "go-template-error"
    assert "deployment.yaml:12:20: executing" in diagnosis.key_lines[0].text


def test_go_template_parse_error_is_a_build_failure() -> None:
    lines = [
        'error: error parsing template {{ nosuch . }}, template: output:1: function "nosuch" not defined',
    ]
    diagnosis = diagnose(actions_job("./render-manifests.sh", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "go-template-error"


def test_kubectl_go_template_that_does_not_render_is_a_build_failure() -> None:
    lines = [
        'Error executing template: template: output:1:6: executing "output" at <not>: wrong number of args for not: want 1 got 3. Printing more information for debugging the template:',
        "\ttemplate was:",
        "\t\t{{ if not .a .b .c }}x{{ end }}",
    ]
    diagnosis = diagnose(actions_job("kubectl get cm demo -o go-template-file=tmpl", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "go-template-error"


def test_hugo_template_error_stays_hugos() -> None:
    """Hugo wraps the same Go error (``execute of template failed: template: …``): its own
    rule, with its own hint, names it."""
    lines = [
        'ERROR render of "page" failed: "/home/runner/work/site/site/layouts/_default/single.html:5:3": execute of template failed: template: _default/single.html:5:3: executing "main" at <.Params.missing.field>: nil pointer evaluating interface {}.field',
        'Error: error building site: render: failed to render pages: render of "page" failed',
    ]
    assert diagnose(actions_job("hugo --minify", lines)).rule == "hugo-build"


# ---- XCTest through xcpretty in a Travis macOS log -------------------------------------

_SNIPPET = [
    "  ```",
    "        if let error = response?.error?.asAFError {",
    "            XCTAssertTrue(error.isInvalidURLError)",
    "  ```",
]


def _travis_macos(lines: list[str]) -> list[str]:
    """Travis' macOS log as the sample was saved: an empty line after every line, runs of
    ``nl`` lines, the last ``nl`` glued to the next line."""
    out: list[str] = []
    for line in lines:
        if line.startswith("@"):
            out += ["nl", "nl", "nl", "nl" + line[1:]]
        else:
            out += [line, ""]
    return out


_XCPRETTY = [
    "SessionTestCase",
    "    ✗ testThatDownloadRequestWithInvalidURLStringThrowsResponseHandlerError, XCTAssertTrue failed",
    '    ✗ testThatDownloadRequestWithInvalidURLStringThrowsResponseHandlerError, XCTAssertEqual failed: ("nil") is not equal to ("Optional("https://httpbin.org/get/äëïöü")")',
    "    ✓ testUploadClassMethodWithMethodURLAndStream (0.048 seconds)",
    "@",
    "Alamofire_iOS_Tests.SessionTestCase",
    "  testThatDownloadRequestWithInvalidURLStringThrowsResponseHandlerError, XCTAssertTrue failed",
    "  /Users/travis/build/Alamofire/Alamofire/Tests/SessionTests.swift:580",
    *_SNIPPET,
    '@  testThatDownloadRequestWithInvalidURLStringThrowsResponseHandlerError, XCTAssertEqual failed: ("nil") is not equal to ("Optional("https://httpbin.org/get/äëïöü")")',
    "  /Users/travis/build/Alamofire/Alamofire/Tests/SessionTests.swift:581",
    *_SNIPPET,
    "@",
    "\t Executed 528 tests, with 2 failures (0 unexpected) in 33.103 (34.874) seconds",
    "@Failing tests:",
    "\tAlamofire iOS Tests:",
    "\t\tSessionTestCase.testThatDownloadRequestWithInvalidURLStringThrowsResponseHandlerError()",
    "\t\tSessionTestCase.testThatDownloadRequestWithInvalidURLStringThrowsResponseHandlerError()",
    "@Test session results and logs:",
    "@** TEST FAILED **",
]


def test_xcodebuild_list_and_xcpretty_summary_in_a_travis_macos_log() -> None:
    command = "xcodebuild -workspace Alamofire.xcworkspace -scheme 'Alamofire iOS' test | xcpretty"
    diagnosis = diagnose(travis_job(command, _travis_macos(_XCPRETTY), 65))
    assert diagnosis.category == "test_failure"
    test = "SessionTestCase.testThatDownloadRequestWithInvalidURLStringThrowsResponseHandlerError()"
    assert diagnosis.failing_tests == [test]
    (failure,) = diagnosis.failures
    assert failure.message == "XCTAssertTrue failed"
    assert failure.location == "Tests/SessionTests.swift:580"  # the summary's first path


def test_xcpretty_summary_gives_the_location_on_actions_too() -> None:
    lines = [
        "FooTests",
        '    ✗ testBar, XCTAssertEqual failed: ("1") is not equal to ("2")',
        "",
        "",
        "FooTests",
        '  testBar, XCTAssertEqual failed: ("1") is not equal to ("2")',
        "  /Users/runner/work/app/app/Tests/FooTests.swift:42",
        "  ```",
        "        XCTAssertEqual(1, 2)",
        "  ```",
        "",
        "",
        "\t Executed 3 tests, with 1 failure (0 unexpected) in 0.010 (0.012) seconds",
    ]
    failures = extract_failures(lines)
    assert [(f.test, f.location) for f in failures] == [("testBar", "Tests/FooTests.swift:42")]


def test_reader_drops_travis_nl_glued_to_a_capitalised_word_or_marker_only() -> None:
    log = io.BytesIO(
        b"nl\nnlFailing tests:\nnl** TEST FAILED **\nnltravis_fold:start:cache.2\nnlohmann/json 3.11 found\n"
    )
    texts = [line.text for line in LogReader().lines(log)]
    assert "Failing tests:" in texts
    assert "** TEST FAILED **" in texts
    assert "nlohmann/json 3.11 found" in texts
    assert not any(t.startswith("nl") and t != "nlohmann/json 3.11 found" for t in texts)


# ---- pytest: module-level tests of the same name in two files --------------------------

# pytest -v (9.2 here; pytest 3 prints the same sections and no short summary): each section
# is headed by the function's name only
_SAME_NAME = [
    "t/test_alpha.py::test_same FAILED                                        [ 33%]",
    "t/test_alpha.py::test_other PASSED                                       [ 66%]",
    "t/test_beta.py::test_same FAILED                                         [100%]",
    "",
    "=================================== FAILURES ===================================",
    "__________________________________ test_same ___________________________________",
    "",
    "    def test_same():",
    ">       assert 1 == 2",
    "E       assert 1 == 2",
    "",
    "t/test_alpha.py:2: AssertionError",
    "__________________________________ test_same ___________________________________",
    "",
    "    def test_same():",
    '>       raise ConnectionError("no route to nginx-proxy")',
    "E       ConnectionError: no route to nginx-proxy",
    "",
    "t/test_beta.py:5: ConnectionError",
    "========================= 2 failed, 1 passed in 2.75s ==========================",
]


def test_pytest_sections_of_same_named_tests_go_to_their_own_files() -> None:
    failures = {f.test: (f.message, f.location) for f in extract_failures(_SAME_NAME)}
    assert failures == {
        "t/test_alpha.py::test_same": ("assert 1 == 2", "t/test_alpha.py:2"),
        "t/test_beta.py::test_same": (
            "ConnectionError: no route to nginx-proxy",
            "t/test_beta.py:5",
        ),
    }


def test_pytest_same_named_test_whose_section_is_not_in_the_log_gets_no_other_message() -> None:
    """A trimmed log keeps one section of a name several modules use: it is that module's."""
    lines = [
        line
        for line in _SAME_NAME
        if "ConnectionError" not in line and "t/test_beta.py:5" not in line
    ]
    failures = {f.test: (f.message, f.location) for f in extract_failures(lines[:12])}
    assert failures["t/test_alpha.py::test_same"] == ("assert 1 == 2", "t/test_alpha.py:2")
    assert failures["t/test_beta.py::test_same"] == (None, None)
