"""The no-rule fallback: a category read from the words of the most error-like lines when no
rule matched, no test was charged and the step's command (there often is none: a paste of
the output alone) names no tool.

Why: a paste from an issue has no step framing and no echoed command, and no rule knows
every tool; yet the line a maintainer reads first often says what kind of failure it is
by itself. Only vocabulary that names one category whatever the tool counts, and only on
the generic scorer's best few lines, so that a line far down the ranking (a quoted
message, an echoed script) says nothing:

- a failed assertion in a test framework's own words is a failing test: xUnit's
  ``Assert.Matches() Failure: …``, an ``AssertionError`` (Python, Node's ``assert``,
  Java's ``AssertionError``/``AssertionFailedError``), ExUnit's ``Assertion with == failed``,
  JUnit 4's ``expected:<4> but was:<3>`` and an expectation's matcher
  (``expect(received).toBe(expected)``, Playwright's ``expect(locator).toBeVisible()``).
  C's ``Assertion `x' failed.`` is not one: it aborts the program (a crash, a rule's
  business). Words like "test suite failed" are not either: a wrapper says them of a suite
  that could not even start.
- a tool that speaks for itself at the line's head (``mypy: error …``, ``ESLint error:
  …``, prospector's and lint wrappers' form) names its category as a step's command does.
- a compiler's own verdict (``Compilation failed``, rustc's ``error[E0308]: …``) is a
  build failure.

- Zinc's stack (sbt's incremental compiler) through ``handleCompilationError`` is a
  compile error even when the trace is all the paste kept, and a panic of Rust's own build
  system (x.py's ``thread 'main' panicked at src/bootstrap/…``, a config it rejects) is a
  build failure.

- a cause's own words come first, before any line's other words and the step's
  command (:mod:`bot.diagnose.causes`).
- a diagnostic in a compiler's or checker's shape at a source line names its tool by its
  code (tsc's ``error TS2345`` a type check; MSVC's ``C2065``, C#'s ``CS0246``, the
  linker's ``LNK`` a build) or else by the file's language: ``x.py:12: error:`` (mypy,
  pyright) a type check, ``x.c:7:11: error:``, ``X.hs:1:2: error:``, javac's
  ``X.java:[107,100] error:`` a build. A linter's ``main.go:168::error:`` (no column) is
  not a compiler's. A finding at a source line that names the rule it broke (``x.py:1:80:
  E501``, RuboCop's ``x.rb:1:1: C: Style/…``, ``… (U1000)``, ``… (revive)``, ESLint's
  ``  24:5  error  Missing semicolon  semi``) is a linter's. A missing C header, a
  linker's ``ld returned 1 exit status``, a bundler's unresolved import (``Module not
  found: Error: Can't resolve``), cargo's ``could not compile `x` ``, rustc's ``aborting
  due to previous error``, Maven's ``Compilation failure``, warnings treated as errors
  and a Dockerfile's ``COPY failed`` are a build, and so is code that does not parse
  (``SyntaxError``, ``Parse error:``, ``syntax error``): it never ran.
- the build tool names the part that failed: Maven's plugin (``Failed to execute goal
  …:maven-surefire-plugin:…`` tests, ``maven-compiler-plugin`` a build), Gradle's task
  (``Execution failed for task ':test'`` tests, ``':compileJava'`` a build); "There are
  test failures" / "There were failing tests" say that tests ran and failed.
- a checker that calls itself a linter or reports ``issues found`` is a lint; a file
  ``incorrectly formatted``/``would reformat`` a format check.
- ``BUILD FAILED`` / ``Build failed with an exception`` (any case) is the weakest word: a build
  whose tests failed says it too, so it is a build only when no best line names more.

Then the command an error line quotes: npm's lifecycle line (``npm ERR! pkg@1.0.0
prepublish: `tsc -p ./src` ``, npm 1-2's ``Failed at the … script 'eslint .'``, npm 7+'s
``command sh -c eslint .``), Composer's ``Script … handling the … event``, a make
target that names a check (``make: *** [fmtcheck] Error 1``), read through the command
table as a step's command is.

Then, when the words name nothing, the paste's own record of what ran: a copy of the web
log view echoes each step's command (and a composite action's inner steps') as ``Run
<command>``; the last one the command table knows names the category, as a step's command
does (``Run [ "$(gofmt -l .)" = "" ]`` is a format check, ``Run mix compile`` a build).
The error line's words come first: they say what went wrong, the command only what ran.
Last, make's own error on a target that names no test or check is a build, as the make
rule says.

A test command (``npm test``, ``cargo test``) that charged no test never got to run its
tests, and a command run under ``timeout`` says only what ran: what stopped it, in the
words above or the command an error line quotes, is read before the command (verdict.py).

The result is a guess: the engine's confidence stays as low as with no category at all.
"""

from __future__ import annotations

import re

from .causes import MIN_SCORE, cause_category, distinct_best
from .rules import RuleSet
from .scorer import TopLines

# how many of the scorer's best lines are read for their other words
BEST_LINES = 3


_ASSERTION = re.compile(
    r"\bAssert\.\w+\(\) Failure\b"
    r"|\b(?:\w+\.)*Assertion(?:Failed)?Error\b"
    r"|^\s*(?:\[[^\]]*\]\s*)*Assertion with \S+ failed\b"
    r"|\bexpected:<[^>]*> but was:<"
    # an expectation's matcher as Jest, Vitest, Playwright and Bun name it on a failure
    # (``expect(received).toBe(expected)``, ``Error: expect(locator).toBeVisible()``)
    r"|\bexpect\([\w.]*\)\.(?:not\.|resolves\.|rejects\.)?to[A-Z]\w*\("
)
# ``mypy: error / …``, ``Error: ESLint error: Parsing error: …``, ``eslint: error …``
_SPEAKER = re.compile(r"^\W*(?:(?:Error|ERROR): )?([A-Za-z][\w.-]{1,30}):? (?:error|ERROR)\b")
_COMPILER = re.compile(
    r"\bCompilation failed\b|(?:^|\s)error\[E\d{4}\]: "
    r"|\bat sbt\.internal\.inc\.\S*\.handleCompilationError\("
    r"|^thread 'main' panicked at \S*\bsrc/bootstrap/"
    # a compiler's or bundler's own verdict, a linker's, an import the bundle cannot resolve
    r"|\b(?:COMPILATION ERROR|Compilation error|Unable to compile|error during build)\b"
    r"|\bld returned \d+ exit status|\bundefined reference to [`']"
    r"|\bModule not found: Error: Can't resolve |\bfailed to resolve import "
    # a header the C/C++ compiler cannot find (gcc's and clang's words)
    r"|\bfatal error: \S+\.h\w{0,2}: No such file or directory"
    r"|\bfatal error: '[^']+' file not found"
    # cargo's and rustc's verdict on a crate, a build script that failed
    r"|\b[Cc]ould not compile `|\baborting due to (?:\d+ )?previous errors?\b"
    r"|\bfailed to run custom build command\b"
    # code that does not parse never ran: PHP's ``Parse error:``, ``SyntaxError``, a
    # shell's or Ruby's ``syntax error`` (a linter saying so speaks for itself, above)
    r"|\bSyntaxError\b|\bParse error:|\bsyntax error\b"
    # Maven's and Gradle's verdict, warnings a compiler or a doc build was told to treat as
    # errors (gcc's ``cc1: all warnings being treated as errors``, javac's ``-Werror``,
    # Sphinx's ``Warning, treated as error:``), a Dockerfile step that copies what is not there
    r"|\bCompilation failure\b|\b[Ww]arnings?,? (?:being )?treated as errors?\b"
    r"|\bwarnings found and -Werror specified\b"
    r"|\bCOPY failed: |\bfailed to (?:solve|calculate checksum of ref)\b"
    # (g36) MSVC's compiler and linker by their codes where no source line is named
    # (``fatal error C1900: Il mismatch …``, ``LINK : fatal error LNK1120: 1 unresolved
    # externals``, ``x.obj : error LNK2019: unresolved external symbol``)
    r"|\b(?:fatal )?error (?:C[1-4]|LNK)\d{4}: "
)
# a suite that ran and reported failing tests (not a wrapper's "test suite failed", which
# it says of a suite that never started), a build tool's task called ``test`` that failed
_TESTS_FAILED = re.compile(
    r"\bThere (?:are|were) (?:test failures|failing tests)\b"
    r"|\bExecution failed for task '[\w:.-]*:test'"
    r"|\bRunning (?:the )?tests\b.* failed\b"
)
# the build tool's name for the step that failed: Maven's plugin (``Failed to execute goal
# org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test``), Gradle's task
# (``Execution failed for task ':app:compileDebugKotlin'.``)
_MAVEN_GOAL = re.compile(r"\bFailed to execute goal [\w.-]+:(?:maven-)?([a-z]+)[\w-]*:")
_MAVEN_PLUGINS = {
    "surefire": "test_failure",
    "failsafe": "test_failure",
    "compiler": "build",
    "checkstyle": "lint",
    "pmd": "lint",
    "spotbugs": "lint",
    "spotless": "format",
}
_GRADLE_COMPILE = re.compile(r"\bExecution failed for task '[\w:.-]*:compile\w*'")
# a checker that calls itself a linter, or reports the issues it found
_LINT = re.compile(r"\blinter\b|^\W*(?:##\[error\]\s*|Error: )?(?:\d+ )?issues found\b")
# a build tool's verdict on the whole build: true of a build whose tests failed too, so it
# names the category only when no best line names another
_BUILD_FAILED = re.compile(r"(?i)\bbuild failed\b")
# a script runner's error line that quotes the command it ran: npm's lifecycle line
# (``npm ERR! pkg@1.0.0 prepublish: `tsc -p ./src` ``), Composer's script (``Script
# <command> handling the <event> event returned with error code N``), a make target that
# names a check; the last two are read by verdict.py too, when a rule matched them
# npm 1-2 repeat the command on the verdict (``npm ERR! Failed at the pkg@1.0.0 test-style
# script 'standard lib/*.js'.``), npm 7+ on a line of its own (``npm ERR! command sh -c eslint
# .``, npm 10's ``npm error command sh -c …``)
_NPM_LIFECYCLE = re.compile(
    r"^npm ERR! \S+@\S+ [\w:-]+: `([^`]+)`\s*$"
    r"|^npm ERR! Failed at the \S+@\S+ [\w:.-]+ script '([^']+)'\.?\s*$"
    r"|^npm (?:ERR!|error) command (?:(?:/bin/)?(?:ba)?sh -c|\S*cmd(?:\.exe)? /d /s /c) (.+)$"
)
COMPOSER_SCRIPT = re.compile(r"^Script (.+) handling the ([\w:.-]+) event returned with")
# (d30B) a wrapper's error that quotes the command it ran: Node's child_process (``Error:
# Command failed: npm run build``), execa (``Command failed with exit code 1: npm run
# build``), a helper's ``Exec code(1) on executing: npm run build-storybook -- -o out``
_RAN_COMMAND = re.compile(
    r"\b(?:Command failed(?: with exit code \d+)?|on executing): `?([a-z./][\w./+-]*(?: .*)?)$"
)
# GNU make's error names the target whose recipe failed: `make: *** [fmtcheck] Error 1`,
# make 4's `make[1]: *** [Makefile:12: lint] Error 2` (BSD's `*** Error code 1` has none).
# A phony target is a bare name; a file target (`src/lint.o`) names what it builds.
MAKE_TARGET = re.compile(r"\*\*\* \[(?:[^\]\s]*:\d+: )?([\w-]+)\] Error \d+")
_CHECKS = ("lint", "format", "type_check")
# a file that is not formatted as the formatter would have it
_FORMAT = re.compile(
    r"\bincorrectly (?:sorted|formatted)\b|\bwould (?:be )?reformat(?:ted)?\b"
    r"|\bnot (?:properly )?formatted\b"
)
# a diagnostic in a compiler's or checker's own shape, at a source file's line: gcc/clang
# and GHC ``x.c:7:11: error:``, mypy ``x.py:361: error:``, pyright ``x.py:47:80 - error:``,
# tsc ``x.ts:14:20 - error TS18046:`` / ``x.ts(89,5): error TS2345:``, MSVC and C#
# ``x.cs(17,63): error CS0246:``, javac under Maven ``X.java:[107,100] error:``. A code
# names its tool (TS: TypeScript's checker, NU: NuGet's restore, the rest a compiler's),
# else the file's language does (Python's: a type checker, compiled languages': a build)
_DIAGNOSTIC = re.compile(
    r"\.([A-Za-z+]{1,6})(?::\d+(?::\d+)?(?::| -)|\(\d+(?:,\d+)*\):|:\[\d+,\d+\])"
    r" (?:fatal )?error(?::| ([A-Z]{1,3})\d+:)"
)
_CODES = {
    "TS": "type_check",
    "C": "build",
    "CS": "build",
    "FS": "build",
    "BC": "build",
    "LNK": "build",
    "MSB": "build",
}
# a finding at a source location that names the check it broke, in no compiler's words: a
# rule code after the location (flake8's and ruff's ``x.py:354:80: E501 …``, pylint's
# ``x.py:1:0: C0114: …``), RuboCop's severity letter (``x.rb:1:1: C: Style/…``), or at the
# line's end a code or a linter's name (staticcheck's ``… is unused (U1000)``, golangci-lint's
# ``(revive)``, gometalinter's ``(vet)``, shellcheck's ``[SC2086]``); and ESLint's and
# stylelint's table row (``  24:5  error  Unexpected console statement  no-console``). A
# compiler says ``error:`` or ``warning:`` and names a flag (``[-Wunused]``), not a rule
_FINDING = re.compile(
    r"^\s*\S+\.[A-Za-z][\w+]{0,9}:\d+:(?:\d+:)?:? *"
    r"(?:[A-Z]{1,4}\d{2,5}\b|[CWERF]: |.*?(?:\((?:[a-z][\w-]*|[A-Z]{1,3}\d{3,4})\)"
    r"|\[[A-Z]{1,4}\d{2,5}\])\s*$)"
    r"|^\s+\d+:\d+ +(?:error|warning|✖|⚠) +\S.*? {2,}@?[\w/-]+\s*$"
)
# (d28A) a stack frame printed as ``path:L:C: 0xADDR in symbol (module)`` (Zig's error
# return and panic traces): its ``(module)`` ends the line as a linter's rule id would
_FRAME = re.compile(r":\d+:\d+: 0x[0-9a-f]+ in \S+ \([\w?.-]+\)\s*$")
_TYPED = ("py", "pyi")
_COMPILED = (
    "c", "cc", "cpp", "cxx", "c++", "h", "hh", "hpp", "hxx", "m", "mm", "cu",
    "hs", "swift", "rs", "java", "kt", "scala", "cs", "fs", "vb", "f", "f90", "zig",
)  # fmt: skip


def _diagnostic(text: str) -> str | None:
    m = _DIAGNOSTIC.search(text)
    if m is None:
        if _FRAME.search(text):
            return None  # a stack frame's ``(module)`` is no linter's rule id
        return "lint" if _FINDING.search(text) else None
    if m.group(2):
        return _CODES.get(m.group(2))
    extension = m.group(1).lower()
    if extension in _TYPED:
        return "type_check"
    return "build" if extension in _COMPILED else None


def _words(ruleset: RuleSet, text: str) -> str | None:
    """The category one error line's words name, or None."""
    if _ASSERTION.search(text) or _TESTS_FAILED.search(text):
        return "test_failure"
    speaker = _SPEAKER.match(text)
    if speaker is not None:
        category = ruleset.command_category(speaker.group(1).lower())
        if category is not None:
            return category
    goal = _MAVEN_GOAL.search(text)
    if goal is not None and goal.group(1) in _MAVEN_PLUGINS:
        return _MAVEN_PLUGINS[goal.group(1)]
    if _GRADLE_COMPILE.search(text):
        return "build"
    if _FORMAT.search(text):
        return "format"
    if _LINT.search(text):
        return "lint"
    if _COMPILER.search(text):
        return "build"
    return _diagnostic(text)


def vocabulary_category(ruleset: RuleSet, generic: TopLines) -> str | None:
    """The category the best error lines' own words name, or None: a cause's first, then
    the best three lines' other words, ``BUILD FAILED`` last."""
    cause = cause_category(generic)
    if cause is not None:
        return cause
    weak: str | None = None
    for number, text in distinct_best(generic, BEST_LINES):
        if generic.score(number, text) < MIN_SCORE:
            continue
        category = _words(ruleset, text)
        if category is not None:
            return category
        if _BUILD_FAILED.search(text):
            weak = "build"
    return weak


def quoted_category(ruleset: RuleSet, generic: TopLines) -> str | None:
    """The category of the command a script runner's error line quotes (npm's lifecycle
    script, Composer's script; a make target only when it names a check), or None. Every
    line kept is read: npm prints its verdict in many lines (``code``, ``path``, ``command
    failed``) before the one that quotes the command."""
    for _, text in generic.best(generic.size):
        quoted = (
            _NPM_LIFECYCLE.match(text) or COMPOSER_SCRIPT.match(text) or _RAN_COMMAND.search(text)
        )
        if quoted is not None:
            command = next(g for g in quoted.groups() if g is not None)
            category = ruleset.command_category(command)
            if category is not None:
                return category
        target = MAKE_TARGET.search(text)
        category = check_named_by(ruleset, target.group(1)) if target is not None else None
        if category is not None:
            return category
    return None


# make's own error line: ``make[2]: *** [obj/x.o] Error 1``, ``mingw32-make: *** [all] Error
# 2``, ``make: *** No rule to make target 'x'.  Stop.``
# (g36) and NMAKE's on a command that failed (``NMAKE : fatal error U1077: '…cl.exe' :
# return code '0x2'``)
_MAKE_ERROR = re.compile(r"\bmake(?:\[\d+\])?: \*\*\* |^\s*NMAKE : fatal error U1077: ")


def made_category(ruleset: RuleSet, generic: TopLines) -> str | None:
    """``build`` when make's own error is among the best lines and its target names no
    tool, no test and no check (a file it builds, ``all``): make was building. The weakest
    guess, after every other word and command (as the make rule, which says ``build``)."""
    for number, text in distinct_best(generic, BEST_LINES):
        if generic.score(number, text) < MIN_SCORE or not _MAKE_ERROR.search(text):
            continue
        target = MAKE_TARGET.search(text)
        name = target.group(1) if target is not None else ""
        if not re.search(r"(?i)test|check", name) and ruleset.command_category(name) is None:
            return "build"
    return None


def check_named_by(ruleset: RuleSet, target: str) -> str | None:
    """The check a make target's name says it ran (``fmtcheck``, ``lint``, ``typecheck``),
    else None: a target that builds (``all``, ``src/x.o``) says nothing of why it failed."""
    category = ruleset.command_category(target)
    return category if category in _CHECKS else None


def echoed_category(ruleset: RuleSet, generic: TopLines) -> str | None:
    """The category of the last command a pasted web log view echoed (``Run …``) that the
    command table knows, or None."""
    for command in reversed(generic.commands):
        category = ruleset.command_category(command)
        if category is not None:
            return category
    return None


def prompted_category(ruleset: RuleSet, generic: TopLines) -> str | None:
    """The category of the last command a paste's shell prompt echoed, when the command
    table knows it (``$ make staticcheck``: lint), else None."""
    return ruleset.command_category(generic.prompted)
