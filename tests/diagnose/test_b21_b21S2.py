# ruff: noqa: E501  (real tool lines read better unwrapped)
"""The no-rule fallback on pasted CI output (helper b21S2, batches 18-21, every rule off).

A paste from an issue has no step framing and no command; with no rule that knows the tool,
the generic scorer's best lines still say the category in words that mean one category
whatever the tool printed them: a cause (a full disk, memory, a crash signal, a broken
connection, a resolver with no solution), a compiler's diagnostic shape and its code or
file language, the build tool's own name for the part that failed, a linter's words, and
the command a script runner quotes. Each is measured with every shipped rule off; the near
misses keep ``unknown`` (or another category) where the words say less.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.fallback import quoted_category, vocabulary_category
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import TopLines
from tests.diagnose.joblogs import travis_one_command

NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _paste(lines: list[str]) -> io.BytesIO:
    """Tool output pasted alone: no step framing, no command, no exit line."""
    return io.BytesIO("\n".join(lines).encode())


def _top(lines: list[str]) -> TopLines:
    top = TopLines()
    for number, text in enumerate(lines, 1):
        top.offer(number, text)
    return top


def _category(lines: list[str]) -> str | None:
    return vocabulary_category(load_rules(), _top(lines))


@pytest.mark.parametrize(
    ("lines", "category"),
    [
        # a compile error that could not write its output: the disk, not the code
        (
            [
                "sqlite3-binding.c:228449:1: fatal error: error writing to /tmp/ccF82QmE.s: No space left on device",
                "make: *** [Makefile:54: build-ci] Error 2",
            ],
            "disk_full",
        ),
        (
            [
                "ERROR: Could not install packages due to an EnvironmentError: [Errno 28] No space left on device: '/tmp/pip-record-x'"
            ],
            "disk_full",
        ),
        # V8's heap ran out, then the shell reports the abort: the memory says why
        (
            [
                "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                "/home/runner/work/_temp/x.sh: line 1: 4242 Aborted                 node hog.js",
            ],
            "oom_killed",
        ),
        (["error Command failed with exit code 137."], "oom_killed"),
        # a signal, by name, by the shell's job report, as a status
        (
            [
                "ERROR: InvocationError for command /x/.tox/py38/bin/stestr run (exited with code -11)"
            ],
            "segfault",
        ),
        (["error: Exited with signal code 11"], "segfault"),
        (
            [
                "./RunTests.sh: line 127:  3452 Aborted                 (core dumped) dotnet xunit.console.dll X.Tests.dll"
            ],
            "segfault",
        ),
        (
            ["error: One or more tests failed while running tests from ''.  Exit code 134."],
            "segfault",
        ),
        (
            [
                "==8529==ERROR: AddressSanitizer: unknown-crash on address 0x632000014ceb at pc 0x7fc6dd17b31a"
            ],
            "segfault",
        ),
        # a connection that broke, a rate limit, a TLS chain, an HTML page for JSON
        (
            [
                "npm ERR! code ECONNRESET",
                "npm ERR! network aborted",
                "npm ERR! network This is a problem related to network connectivity.",
            ],
            "infra_network",
        ),
        (
            ["Error: Response status code does not indicate success: 503 (Service Unavailable)."],
            "infra_network",
        ),
        (["Error: Error: unable to get local issuer certificate"], "infra_network"),
        (
            [
                "Error: request to https://uploads.github.com/repos/o/r/releases/1/assets?name=a.zip failed, reason: read ECONNRESET"
            ],
            "infra_network",
        ),
        (["Error: SyntaxError: Unexpected token '<', \"<html>"], "infra_network"),
        # a resolver with no solution, on a line only "could not" made an error line
        (
            ["Your requirements could not be resolved to an installable set of packages."],
            "dependency_install",
        ),
        (['Bundler could not find compatible versions for gem "bundler":'], "dependency_install"),
        (
            [
                "Because app depends on flutter_test any from sdk which doesn't exist, version solving failed."
            ],
            "dependency_install",
        ),
        (
            [
                "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/user_guide/#fixing-conflicting-dependencies"
            ],
            "dependency_install",
        ),
        (
            [
                "D:\\a\\s\\S.csproj : error NU1102: Unable to find package Newtonsoft.Json with version (>= 12.0.3)"
            ],
            "dependency_install",
        ),
        (
            ["npm ERR! notarget No matching version found for @hint/utils-compat-data@^1.0.2."],
            "dependency_install",
        ),
        (
            [
                "npm verb stack Error: Integrity checksum failed when using sha1: wanted sha1-x but got sha512-y"
            ],
            "dependency_install",
        ),
        # a compiler's diagnostic: its code, else the source file's language
        (["test.c:7:11: error: use of undeclared identifier '_Cilk_spawn'"], "build"),
        (
            [
                "D:\\a\\k\\exception.c++(1176,8): error C2065: 'ssize_t': undeclared identifier [D:\\a\\k\\kj.vcxproj]"
            ],
            "build",
        ),
        (
            [
                "##[error]Tightening/Messages.cs(17,63): error CS0246: The type or namespace name 'Mid0064' could not be found"
            ],
            "build",
        ),
        (["/home/runner/work/a/a/src/full/Agda/Utils/HashTable.hs:129:35: error:"], "build"),
        (["[ERROR] /src/main/java/org/x/Reader.java:[107,100] error: cannot find symbol"], "build"),
        (
            [
                "src/index.ts(89,5): error TS2345: Argument of type 'A' is not assignable to parameter of type 'B'."
            ],
            "type_check",
        ),
        (["src/main.ts:14:20 - error TS18046: 'error' is of type 'unknown'."], "type_check"),
        (
            [
                'mypy/lex.py:361: error: Incompatible types in assignment (expression has type "str", variable has type "bytes")'
            ],
            "type_check",
        ),
        (
            [
                '  cli/net.py:47:80 - error: Unnecessary "# pyright: ignore" rule: "reportArgumentType"'
            ],
            "type_check",
        ),
        # a compiler's, linker's, bundler's verdict
        (["  fatal error: X11/extensions/Xrandr.h: No such file or directory"], "build"),
        (["collect2: error: ld returned 1 exit status"], "build"),
        (
            [
                "Caused by: org.gradle.api.GradleException: Compilation error. See log for more details"
            ],
            "build",
        ),
        (
            [
                "ERROR in ../pkg/didkit_wasm.js 372:16-63",
                "Module not found: Error: Can't resolve 'wasm-loader' in '/x/lib'",
            ],
            "build",
        ),
        (
            [
                'Error: [vite]: Rollup failed to resolve import "element-plus/es" from "/x/src/App.vue".'
            ],
            "build",
        ),
        # the build tool's name for the part that failed
        (
            [
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-failsafe-plugin:3.0.0-M5:verify (default) on project s: There are test failures."
            ],
            "test_failure",
        ),
        (
            [
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test (default-test) on project farm: Execution default-test failed"
            ],
            "test_failure",
        ),
        (
            [
                "FAILURE: Build failed with an exception.",
                "* What went wrong:",
                "Execution failed for task ':test'.",
            ],
            "test_failure",
        ),
        (["Execution failed for task ':app:compileDebugKotlin'."], "build"),
        # a linter's words, a formatter's
        (["Error: ineffectual assignment to err (ineffassign)", "Error: issues found"], "lint"),
        (["2021-08-27 20:45:30 [ERROR]   Found errors in [actionlint] linter!"], "lint"),
        (
            ["ERROR: /home/runner/x/tests/command_submit.py Imports are incorrectly sorted."],
            "format",
        ),
        # more causes: memory a runtime could not get, a full database disk, a make
        # recipe ended by SIGSEGV, a resolver's and a system library's words
        (
            [
                "PHP Fatal error:  Allowed memory size of 8388608 bytes exhausted (tried to allocate 2097152 bytes) in /x/a.php on line 3"
            ],
            "oom_killed",
        ),
        (["Traceback (most recent call last):", "MemoryError"], "oom_killed"),
        (["virtual memory exhausted: Cannot allocate memory"], "oom_killed"),
        (["sqlite3.OperationalError: database or disk is full"], "disk_full"),
        (
            ["make[1]: *** [test/addons/.buildstamp] Error 139", "make: *** [run-ci] Error 2"],
            "segfault",
        ),
        (
            [
                "ovf.c:5:14: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'"
            ],
            "segfault",
        ),
        (["npm ERR! ERESOLVE unable to resolve dependency tree"], "dependency_install"),
        (
            ['error: failed to select a version for the requirement `clap = "^4.3.10"`'],
            "dependency_install",
        ),
        (
            [
                "CMake Error at CMakeLists.txt:106 (find_package):",
                '  Could not find a package configuration file provided by "libmcfp" with any',
            ],
            "dependency_install",
        ),
        (
            [
                "/x/bin/emacs: error while loading shared libraries: libgnutls.so.26: cannot open shared object file: No such file or directory"
            ],
            "dependency_install",
        ),
        (
            [
                "E: Failed to fetch http://dl.example.com/ubuntu/dists/trusty/main/binary-i386/Packages  404  Not Found"
            ],
            "dependency_install",
        ),
        (["error: Could not compile `backtrace`.", "error: build failed"], "build"),
        # code that does not parse never ran
        (
            [
                'PHP Parse error:  syntax error, unexpected token "}", expecting ";" in src/Broken.php on line 4'
            ],
            "build",
        ),
        (['  File "app.py", line 3', "    def f(:", "SyntaxError: invalid syntax"], "build"),
        # a linter saying so speaks for itself
        (["Error: ESLint error: Parsing error: Unexpected token"], "lint"),
        # the weakest word, alone
        (["** BUILD FAILED **", "The following build commands failed:"], "build"),
    ],
)
def test_best_lines_name_the_category(lines: list[str], category: str) -> None:
    assert _category(lines) == category
    diagnosis = diagnose(_paste(lines), rules=NO_RULES)
    assert diagnosis.category == category
    assert diagnosis.rule is None and diagnosis.confidence <= 0.3  # a guess


@pytest.mark.parametrize(
    "lines",
    [
        # a runner's info line reports the kill that cancels a step as 137 too
        [
            "[2020-12-04 09:53:11Z INFO ProcessInvokerWrapper] Exited process 8245 with exit code 137"
        ],
        # an exit status that is no signal
        ["Error: Process exited with code 11"],
        ["make: *** [all] Error 2"],
        # Go's panic is no sanitizer's report at a source line
        ["panic: runtime error: index out of range [3] with length 3"],
        ["error Command failed with exit code 1."],
        # a linter's diagnostic with no column is not a compiler's (nor a lint unless it
        # names its rule: with ``(vet)`` at its end it is one, test_r3_r3C.py)
        ["hack/virtc/main.go:168::error: composite literal uses unkeyed fields"],
        # a language the diagnostic does not say the tool of
        ["src/app.js:3:1: error: Unexpected token"],
        # a 404 is a broken link, not the network
        ["##[error]Response status code does not indicate success: 404 (Not Found)."],
        # a dependency of a task, not a resolver's verdict
        ["Could not determine the dependencies of task ':api:spotlessCheck'."],
        # a build tool's verdict on the whole build with nothing more said is a build, but
        # its task that is not a compile or a test says nothing
        ["Execution failed for task ':pspdfkit:prepareLintJarForPublish'."],
        # a Maven plugin the fallback does not know
        [
            "[ERROR] Failed to execute goal org.codehaus.mojo:exec-maven-plugin:3.0.0:exec (default-cli) on project x: Command execution failed."
        ],
        # the action's wrapper names the program, not what went wrong
        ["Error: The process '/usr/bin/tar' failed with exit code 2"],
    ],
)
def test_words_that_name_no_category(lines: list[str]) -> None:
    assert _category(lines) is None


def test_build_failed_yields_to_a_named_part() -> None:
    """Gradle says "Build failed" of a build whose tests failed: the task decides."""
    lines = [
        "FAILURE: Build failed with an exception.",
        "Execution failed for task ':core:test'.",
    ]
    assert _category(lines) == "test_failure"
    assert _category(lines[:1]) == "build"


def test_a_cause_below_wrapper_lines_still_counts() -> None:
    """npm prints its environment lines at the same score before the error code: the
    code (a cause) is read within the best five lines."""
    lines = [
        "npm ERR! Windows_NT 6.1.7601",
        'npm ERR! argv "node" "npm-cli.js" "install"',
        "npm ERR! node v0.12.7",
        "npm ERR! npm  v2.14.0",
        "npm ERR! code ECONNRESET",
    ]
    assert _category(lines) == "infra_network"


def test_a_cause_far_down_the_ranking_says_nothing() -> None:
    """Beyond the best five lines a cause's words are a passing mention."""
    lines = [f"error: cannot open file{i}.txt: Permission denied" for i in range(6)]
    lines.append("note: see ECONNRESET in the FAQ, error")
    assert _category(lines) is None


@pytest.mark.parametrize(
    ("lines", "category"),
    [
        (
            [
                "npm ERR! code ELIFECYCLE",
                "npm ERR! errno 2",
                "npm ERR! dockerfile-ast@0.0.1 prepublish: `tsc -p ./src`",
                "npm ERR! Exit status 2",
                "npm ERR! Failed at the dockerfile-ast@0.0.1 prepublish script.",
            ],
            "type_check",
        ),
        (
            [
                "Script vendor/bin/phpunit -c phpunit.xml.dist handling the test event returned with error code 1"
            ],
            "test_failure",
        ),
        (["make: *** [fmtcheck] Error 1"], "format"),
        (["make[1]: *** [Makefile:12: lint] Error 2"], "lint"),
    ],
)
def test_the_command_an_error_line_quotes(lines: list[str], category: str) -> None:
    assert _category(lines) is None
    assert quoted_category(load_rules(), _top(lines)) == category
    assert diagnose(_paste(lines), rules=NO_RULES).category == category


def test_a_make_target_that_names_no_check_says_nothing() -> None:
    """``all`` or a file target is the build's own: only a check's name decides."""
    lines = ["make: *** [Makefile:135: all] Error 2", "make[2]: *** [src/x.o] Error 1"]
    assert quoted_category(load_rules(), _top(lines)) is None


def test_a_label_of_unknown_stays_unknown() -> None:
    """Wrapper words with no cause keep the fallback at ``unknown``."""
    lines = ["Error: The process '/usr/local/bin/yarn' failed with exit code 1", "Push failed"]
    assert diagnose(_paste(lines), rules=NO_RULES).category == "unknown"


# ---- a cause's words before the step's command and (a crash) the tests charged --------

_GO_FAIL = [
    "=== RUN   TestParse",
    "--- FAIL: TestParse (0.00s)",
    "    parse_test.go:12: got 1, want 2",
    "FAIL",
    "FAIL\texample.com/p\t0.01s",
]


def test_a_cause_outranks_the_step_command() -> None:
    """``npm ci`` says what ran; the connection it lost says why it failed."""
    job = travis_one_command(
        "npm ci",
        ["npm ERR! code ECONNRESET", "npm ERR! network aborted", "npm ERR! errno ECONNRESET"],
    )
    assert diagnose(job, rules=NO_RULES).category == "infra_network"


def test_the_step_command_without_a_cause_still_decides() -> None:
    job = travis_one_command("npm ci", ["npm ERR! code E404", "npm ERR! 404 Not Found - GET x"])
    assert diagnose(job, rules=NO_RULES).category == "dependency_install"


def test_a_crash_outranks_the_tests_it_was_running() -> None:
    lines = [*_GO_FAIL[:3], "Fatal Python error: Segmentation fault", *_GO_FAIL[3:]]
    diagnosis = diagnose(travis_one_command("go test ./...", lines), rules=NO_RULES)
    assert diagnosis.category == "segfault"
    assert diagnosis.failing_tests  # still named


def test_a_network_word_does_not_outrank_failed_tests() -> None:
    """A test's own message may name the network it tests: the tests charged decide."""
    lines = [*_GO_FAIL[:3], "    client_test.go:40: read: ECONNRESET", *_GO_FAIL[3:]]
    diagnosis = diagnose(travis_one_command("go test ./...", lines), rules=NO_RULES)
    assert diagnosis.category == "test_failure"
