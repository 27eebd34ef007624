"""The generic scorer: a failing step's most error-like lines when no rule knows the tool.

Why: a knowledge base never covers every tool. A maintainer reading an unknown log looks
for ``error:``/``fatal``/an exception name/``failed``/a non-zero exit, and skips warnings,
progress bars and the commands the shell echoed; this module does the same, cheaply (a
few compiled expressions per candidate line; only lines the reader's prefilter let
through are scored) and in bounded memory (:class:`TopLines` keeps the best few).
"""

from __future__ import annotations

import heapq
import re
from collections import deque
from dataclasses import dataclass, field

from .shellwords import EXEC_ECHO, PROMPT, XTRACE, exec_echoed
from .syserrors import CREDENTIALS_CAUSE, NODE_SYSCALL, NODE_SYSCALL_PREFILTER

# a jison-made parser's (jsonlint, tldr-lint, handlebars) detail under its ``Parse error on
# line N:`` header and the caret excerpt, ``Expecting 'STRING', 'NUMBER', got 'EOF'``: what
# the header does not say (which token it wanted), so it scores as an error line itself
_EXPECTING = r"^\s*Expecting '[^']*'(?:, '[^']*')*, got '[^']*'\s*$"

# (d25A) Ruby's report of an exception nothing rescued, ``path.rb:625:in `create_socket':
# getaddrinfo: Try again (api.github.com:443) (SocketError)`` (Ruby 3.4: ``'Class#m'``): the
# frame, the message and the class in parentheses, whatever the class is called; an error in
# its own shape (_STRONG)
_RUBY_UNCAUGHT = r"^\S+:\d+:in [`'][^`']+': \S.* \((?:[A-Z]\w*::)*[A-Z]\w*\)$"

# Go's flag package refusing a program's command line (then its ``Usage of prog:``): the
# invocation is wrong, said in no error word
_GO_FLAG = r"^flag provided but not defined: -"
# a finding printed at a source location, ``path/file.ext:LINE:COL: message`` (flake8,
# pylint, rubocop, staticcheck, golangci-lint, shellcheck via actionlint, gcc/ld without
# ``error:``): every such line is a finding, whatever its words; and ``path/file.ext:LINE:
# message`` when the message names a cause (ld's ``undefined reference``). A pytest
# traceback's ``tests/t.py:3: in <module>`` frame has neither a column nor a cause. A level
# tag may lead (sbt's ``[error] /src/A.scala:10:8: not found: type X``).
_LOCATED = (
    r"^\s*(?:\[\w+\] +)?(?:\.?/)?[\w$().@+-]+(?:/[\w$().@+-]+)*\.[A-Za-z]\w{0,9}:\d+:(?:\d+:)? +\S"
)
# a copy of the web log view shows each step's (and a composite action's inner step's)
# command as ``Run <command>``; the raw log's ``##[group]Run`` is a step header instead
ECHOED_RUN = r"^Run \S"
# how many of those a step keeps (the last ones: the failing command is among them)
ECHOED_KEPT = 8

# A process killed by a signal, said by whoever saw it die: the shell's job report
# (``Segmentation fault      (core dumped) ./run``, ``bash: line 1:   557 Killed   poetry run
# pytest``, ``Segmentation fault: 11  nodeunit *.js``), the whole line ``Killed``, or the
# signal's name in a runtime's or supervisor's report (cargo's ``(signal: 11, SIGSEGV: invalid
# memory reference)``, jest's ``signal=SIGKILL``, gdb's ``Program received signal SIGSEGV``).
# Why the command stopped, in no error word: it scores as an error line (SIGTERM and SIGINT,
# a cancellation's signals, are not among them). Not an abort (``Aborted``, SIGABRT): a
# process aborts itself after printing why (glibc's ``Assertion `x' failed.``, an unhandled
# exception), so the report only reaches a finding's score, below that reason. Nor Go's
# ``[signal SIGSEGV: segmentation violation …]`` under the ``panic:`` line that says more.
_SIGNALS = r"SIG(?:SEGV|KILL|ABRT|BUS|ILL|FPE)"
_ABORTED = re.compile(r"\bAborted\b|\bSIGABRT\b")
ABORTED_SCORE = 5
_SIGNALLED_PREFILTER = (
    r"Segmentation fault|\bKilled\b|Bus error|Illegal instruction|Floating point exception"
    r"|Aborted|\b" + _SIGNALS + r"\b"
)
_SIGNALLED = re.compile(
    r"^(?:\S+: )?(?:line \d+: +\d+ +)?(?:Segmentation fault|Killed|Bus error|Illegal instruction"
    r"|Floating point exception|Aborted)(?::? \d+)?(?: +\(core dumped\))?(?: {2,}\S.*)?$"
    r"|\b" + _SIGNALS + r"\b"
)
# A test runner's verdict that one test failed, in no error word but its ``FAIL`` (go test's
# ``--- FAIL: TestX (0.1s)``, php run-tests' ``FAIL name [t.phpt]``, xUnit's ``X.Y [FAIL]``,
# tasty's ``name: FAIL (0.06s)``, Ginkgo's ``[Fail] Suite [It] does x``) or TAP's ``not ok 3 -
# name`` (not a ``# TODO`` one, which is expected to fail; CTest's ``-V`` puts the test's
# number before each line of its output, ``80: not ok 10 - name``): it names what failed, so
# it is a finding as a located one is; the message under it, when an extractor read one, leads.
VERDICT_SCORE = 5
_VERDICT = re.compile(
    r"^\s*--- FAIL: \S|^FAIL\s+\S|\s\[FAIL\]$|\S:\s+FAIL\b|^\[Fail\] \S"
    r"|^\s*(?:\d+: )?not ok \d+\b(?!.*#\s*(?:TODO|todo|SKIP|skip)\b)"
)

# Windows PowerShell's position line under an error's message (``npm : <its stderr>`` /
# ``At line:16 char:1``, see ``logreader._PS_AT``): the line above it is the error, in
# whatever words the command used
POWERSHELL_AT = r"^At (?:line:\d+|\S.*:\d+) char:\d+$"
_POWERSHELL_AT_RE = re.compile(POWERSHELL_AT)
_POWERSHELL_MESSAGE = re.compile(r"^\S.* : \S")
# the statement under the position line (``+ npm run build:dev``; then ``+ ~~~~`` under it
# and ``+ CategoryInfo …``): the command that failed, as a step's ``Run …`` names it
_POWERSHELL_STATEMENT = re.compile(r"^\+ (?!CategoryInfo\b|FullyQualifiedErrorId\b)([^\s~].*?)\s*$")

# What the reader's prefilter must let through for the scorer (case-insensitive).
GENERIC_PATTERNS: tuple[tuple[str, bool], ...] = (
    (POWERSHELL_AT, False),
    (
        r"\b(?:error|errors|fatal|failed|failure|exception|panic|panicked|abort|aborted"
        r"|timed out)\b",
        True,
    ),
    (r"\w(?:Error|Exception)\b", False),
    (
        r"\b(?:cannot|could not|couldn't|unable to|not found|no such file|denied|refused"
        r"|failing|out of date|no space left)\b",
        True,
    ),
    # a compiler's or linter's finding at a source location, in no error word
    # (only its ``:LINE:COL: `` for the prefilter: the whole shape would cost RE2 its DFA;
    # not a compiler's ``warning:``, thousands of which a build may print)
    (r"\w:\d+:\d+: [^w]", False),
    (r"\bexit(?:ed)? (?:code|status|with)\b", True),
    (r"\bERR!", False),
    # a formatter's check naming what it would change, in no error word (see _FORMAT_FINDING)
    (
        r"\bwould (?:be )?reformat|\bcode style issues\b|^Diff in \S|\bshould be [\w-]*formatted",
        True,
    ),
    # Elixir's uncaught error that stops the VM: ``** (throw) …``, ``** (Mix) …``
    (r"^\*\* \((?:throw|exit|[A-Z]\w*(?:\.[A-Z]\w*)*)\) ", False),
    (_EXPECTING, False),
    (r"^ {4}assert \S", False),
    (_GO_FLAG, False),
    (r":\d+:in [`'][^`']+': \S", False),  # Ruby's uncaught exception (_RUBY_UNCAUGHT)
    # the web log view's step header, ``Run <command>`` (a paste's only trace of what ran)
    (ECHOED_RUN, False),
    (EXEC_ECHO, False),  # (d30B) an action's own command, echoed by @actions/exec
    # a shell prompt's command in a paste (``$ make lint``; see shellwords.PROMPT)
    # (two patterns: one with a top-level ``|`` would not be read after a time stamp)
    (r"^(?:\$ |PS [A-Za-z]:\\|\[?[\w.-]+@[\w.-]+[: ])", False),
    (r": commands\[\d+\][ >]", False),
    # a shell's trace of a command (``+ make lint``; see shellwords.XTRACE), after any stamp
    (r"^\++ [a-z./]", False),
    # a process killed by a signal, in the shell's, the C runtime's or a supervisor's words
    (_SIGNALLED_PREFILTER, False),
    # a stylish linter finding (``5:3  ✖  Expected …``) and a linker's object location
    (r"^\s*\d+:\d+\s+✖|\+0x[0-9a-fA-F]+\): ", False),
    # a link checker's ``404 https://…`` (the status before its URL)
    (r"[3-5]\d\d\]?\s+https?://", False),
    # a test runner's verdict on one test, in no error word (``--- FAIL: TestX``, ``not ok 3``)
    (r"\bFAIL\b|\[Fail\]|^\s*(?:\d+: )?not ok \d", False),
    (NODE_SYSCALL_PREFILTER, False),  # Node's system error (``spawn gh ENOENT``): syserrors
)

# an error in its own shape (``error:``, ``FATAL``, ``FooError: …``) scores this by itself
STRONG_SCORE = 6
_STRONG = re.compile(
    r"(?:^|\s|\]|:)(?:error|fatal|panic)(?:\[[\w-]+\])?[:!]|^(?:ERROR|FATAL|Error|Fatal)\b"
    r"|^\s*(?:\w+(?:\.|::))*\w+(?:Error|Exception)\b(?: \[[\w.-]+\])?(?::|$)|^panic: |^fatal: "
    r"|\bFAILED\b|\bFAILURE\b|\berror [A-Z]{1,4}\d{2,5}:|\bERR!|^\s*[Aa]ssertion [Ff]ailed\b"
    r"|\bAssertion\b.{0,200}?\bfailed\b"
    # a logger's upper-case level after a time stamp, a pid marker or a tag (``2019/08/01
    # 15:12:45 ERROR …``, ASan's ``==20632== ERROR: AddressSanitizer: …``, webpack's ``[tsl]
    # ERROR in …``, ``20:45:30 [ERROR]   Found errors``): the line is an error in its own shape
    r"|(?:\s|==)\[?(?:ERROR|FATAL)\]?(?::|\s+\S)"
    r"|^\*\* \((?:throw|exit|[A-Z]\w*(?:\.[A-Z]\w*)*)\) |"
    # (d30A) a CLI logger's lower-case level leading the line (Gatsby's reporter ``error
    # Building static HTML failed``, yarn 1's ``error Command failed with exit code 1.``)
    r"^error [\w\"'`]|" + "|".join((_EXPECTING, _GO_FLAG, _RUBY_UNCAUGHT))
)
_WORDS = re.compile(
    r"(?i)\b(?:error|fatal|failed|failure|exception|panic|panicked|aborted|traceback|timed out"
    # "errors" as what happened, not a count ("10 errors found"); "failing" said of tests or
    # of something that is, not an option's value (``-notrait category=failing``)
    r"|errors occurred|failing (?:tests?|specs?|examples?|checks?)|(?:is|are|was|were) failing"
    # a check's verdict in words (``[ERROR] -e:79 Did not pass with ldc="<=1.23.0"``, Julia's
    # ``Some tests did not pass``)
    r"|did not pass)\b"
)
_CAUSE = re.compile(
    r"(?i)\b(?:cannot|could not|couldn't|unable to|not found|no such file|permission denied"
    r"|refused|undefined|unresolved|missing|invalid|unexpected|mismatch|conflict|out of date"
    r"|no space left|" + CREDENTIALS_CAUSE + r")\b"
)
# the C library's own words for a failed system call (strerror; those not already a _CAUSE
# word): the concrete reason, which a wrapper's "could not start" or a harness's mismatch
# only reports (``unable to bind listening socket …: Address already in use (98)``)
_OS_ERROR = re.compile(
    r"\b(?:Address already in use|Cannot assign requested address|Too many open files"
    r"|Broken pipe|Operation not permitted|Read-only file system|Device or resource busy"
    r"|Resource temporarily unavailable|Text file busy|Bad file descriptor"
    r"|Directory not empty|Input/output error|Argument list too long|Exec format error)\b"
)
# perror's shape, ``prog: what: <strerror>`` at the end of a line (``tar (child): xz: Cannot
# exec: No such file or directory``, Go's ``write …: no space left on device``): a system
# call failed, and this line says which and why, whatever wrapper reports it afterwards (with
# its cause word it reaches the generic threshold; a wrapper's error line still outranks it)
PERROR_SCORE = 3
_PERROR = re.compile(
    r"(?i): (?:No such file or directory|No space left on device|Permission denied"
    r"|Connection refused|Connection reset by peer|Cannot allocate memory|"
    + _OS_ERROR.pattern[5:-3]
    + r")\.?$"
)
# a finding at a source location (see _LOCATED): with a column it is one by its shape
# alone; with a line only, when its message names a cause. A ``note:`` elaborates one.
LOCATED_SCORE = 5
_LOCATED_RE = re.compile(_LOCATED)
_LOCATED_COLUMN = re.compile(r":\d+:\d+: +\S")
_NOTE = re.compile(r":\d+(?::\d+)?: +note\b")
# a summary that says only *that* the build, a task or the compilation failed and names
# nothing (Gradle's ``FAILURE: Build failed with an exception.`` / ``Build completed with 2
# failures.`` / ``1: Task failed with an exception.``, ``** BUILD FAILED **``, webpack's
# ``Failed to compile.``): what failed follows it, so it weighs as a plain failure word, not
# as an error in its own shape that would keep the weaker lines after it off the key lines
SUMMARY_SCORE = 3
_SUMMARY = re.compile(
    r"(?i)^[\W_]*(?:\d+: )?(?:FAILURE: )?(?:(?:the )?(?:build|task|compilation|job)"
    r" (?:failed|completed with \d+ failures?)(?: with an exception)?|BUILD FAILED"
    r"|failed to compile)[\W_]*$"
)
# a tool saying only that it stops, after the line that says why (pipenv's ``ERROR:: Aborting
# deploy`` under ``Your Pipfile.lock (ab547e) is out of date``, rustc's ``error: aborting due
# to 2 previous errors``, ``fatal: Aborting.``): whatever level it is printed at, not an
# error in its own shape that would keep the weaker line before it (the reason) off the key
# lines; still a key line of its own (beside a rule's line, too), as the verdict it is
ABORTING_SCORE = 5
_ABORTING = re.compile(
    r"^(?:\[?(?:error|ERROR|Error|fatal|FATAL|Fatal)\]?:+\s*)?(?:[Aa]borting|ABORTING)"
    r"(?: due to (?:\d+ |the )?previous errors?(?:;.*)?| (?:the )?\w+)?[.!]*$"
    # (d25A) rake's verdict over whatever error stopped it (``rake aborted!`` / the reason)
    r"|^rake aborted!$"
)
# a qualified exception class named inside a line, not leading it (``Exception: java.lang.
# OutOfMemoryError thrown from the UncaughtExceptionHandler in thread "main"``, ``Caught
# System.IO.IOException while …``): what was thrown, as an error word says (a leading one is
# an error in its own shape already)
_NAMED_EXCEPTION = re.compile(r"\s(?:[A-Za-z]\w*\.)+[A-Z]\w*(?:Error|Exception)\b")
# a status field whose value is only a failure word (``runbld>>> WRAPPED PROCESS: FAILURE
# (1)``, ``Build result: FAILED``): it says *that* something failed, as a summary does
_STATUS_FAILED = re.compile(r"^[\w>.\[\] -]{1,40}: +(?:FAILURE|FAILED)(?: \(-?\d+\))?[.!]?$")
# a linter's finding under its file's name in the "stylish" report (eslint, stylelint,
# standard, xo): ``  28:14  error  Replace `…`  prettier/prettier``, ``  5:3  ✖  Expected
# whitespace after "/*"   comment-whitespace-inside``; a finding as a located line is (not a
# ``warning``/``⚠`` one, thousands of which a lenient config prints)
_STYLISH = re.compile(r"^\d+:\d+\s+(?:error|✖)\s+\S")
# the linker's location in an object file, ``main.o:(.text+0x29): undefined reference to
# `f'`` or ``/usr/bin/ld: b.o:(.bss+0x0): multiple definition of `counter'``: the object and
# section say where as a source path and line do
_OBJECT_LOCATED = re.compile(r":\(\.[\w.$]+\+0x[0-9a-fA-F]+\): +\S")
_CAUSE_OR_DEF = re.compile(r"\b(?:undefined|multiple definition|relocation)\b")
# a link checker's finding: an HTTP status that is no success leading a line, before the
# URL it was answered for (awesome_bot's ``1. [L0153] 404 http://…`` and ``301 https://a →
# https://b``, lychee's ``[404] https://…``, a list bullet first); a status after the URL or
# inside a sentence is not this shape. Below the generic threshold: a checker also lists the
# links it was told to allow (awesome_bot's ``> White listed:``), so such a line is a key
# line only when no line says an error in its own shape and no rule explains the step
LINK_STATUS_SCORE = 4
_LINK_STATUS = re.compile(
    r"^(?:(?:\d{1,5}\.|[-*•✗✖×])\s+)?(?:\[L\d+\]\s+)?\[?[3-5]\d\d\]?\s+https?://\S"
)
# a formatter's check naming a file it would change or saying its files differ from the
# formatted ones, in no error word: black's ``would reformat src/x.py`` and ``1 file would be
# reformatted``, rustfmt's ``Diff in /src/lib.rs at line 721:``, prettier's ``[warn] Code
# style issues found in the above file(s). Forgot to run Prettier?``, clang-format's ``a.cc:3:
# 5: warning: code should be clang-formatted``. A finding as a located line is, and one even
# when the formatter prints it as a warning (a check that fails prints nothing else)
_FORMAT_FINDING = re.compile(
    r"(?i)\bwould (?:be )?reformat(?:ted)?\b|\bcode style issues\b|^Diff in \S.* at line \d+:"
    r"|\bshould be [\w-]*formatted\b"
)
# a stack frame (``at org.x.Y.z(Y.java:12)``, ``at Farm.<anonymous> (farm.js:81:25)``)
# says where, never what: its class or function name holding ``Failure`` is no error word
_FRAME = re.compile(r"^at [\w$.<>\[\]/-]+ ?\([^()]*\)$")
# a logger's level tag before the line (Maven's ``[ERROR] ``, sbt's ``[error] ``): the shapes
# above are read after it (``[ERROR] org.x.TestSetFailedException: …`` is an exception line,
# ``[ERROR]         at org.x.Y.z(Y.java:1)`` a stack frame); its word still counts
_LEVEL_TAG = re.compile(r"^\[(?:ERROR|error|FATAL|fatal)\]\s+")
# the last line of Maven's failure footer (``[ERROR] After correcting the problems, you can
# resume the build with the command`` / ``[ERROR]   mvn <args> -rf :core``) names the module
# whose build failed: in a multi-module build, where to look (and all a paste cut below the
# error itself still says); a finding's score, below any error line
MAVEN_RESUME_SCORE = 5
_MAVEN_RESUME = re.compile(r"^mvn <args> -rf :[\w.-]+$")
# a line that only points elsewhere for the details (``See /tmp/poetry-installer-error-x.log
# for error logs.``, ``please check the logs for more details``): the words it repeats from
# the log file's name or the error it refers to are not an error of its own
POINTER_SCORE = 2
_POINTER = re.compile(
    r"(?i)^(?:please )?(?:see|check|refer to|consult) .*\bfor (?:the )?(?:more |full )?"
    r"(?:details|error logs?|logs?|(?:more )?information|output)\b\.?$"
)
# Gradle's cause chain under ``* What went wrong:`` (``> Could not resolve …``, ``   >
# java.nio.file.NoSuchFileException: …``) begins with ``> `` as npm's echoed command does;
# a command never starts with a cause phrase or an exception name, so such a line is output
_CAUSE_CHAIN = re.compile(
    r"^> (?=(?:Could not|Cannot|Unable to|Failed to|A failure occurred|There (?:were|was) \w+"
    r" fail)|(?:[a-z]\w*\.)+[A-Z]\w*(?:Error|Exception)\b)"
)
_EXIT = re.compile(r"(?i)\bexit(?:ed)?(?: with)? (?:code|status)\b:? ?[1-9]|\bexited with [1-9]")
_WARNING = re.compile(r"(?i)\b(?:warn|warning|warnings|deprecat\w*|notice|hint)\b[:\]]?")
_NEGATED = re.compile(
    r"(?i)\b(?:0|no|zero) (?:errors?|failures?|failed)\b|\b(?:errors?|failures?|failed):? 0\b"
    r"|-Werror|--error|error_\w|\w_error\b|errors?=(?:0|ignore|none)|\bon_error\b|\bif error\b"
)
# (``+ `` is a ``set -x`` trace, unless an error word with its ``!``/``:`` follows: no
# command is called ``ERROR!``, so ``+ ERROR! x.pkl md5sum did not match.`` is a script's
# bullet of its own output, not a trace; nor is ``> `` before a URL npm's echoed script: no
# command is called ``http://…``, it is a checker's bullet, pa11y-ci's `` > http://x/ - Failed
# to run``)
_ECHOED = re.compile(
    r"^(?:\+{1,3} (?!(?:ERROR|FATAL|Error|Fatal)[!:])|\$ |> (?!https?://)|\[command\]"
    r"|##\[(?:group|endgroup|debug)\]|Run |shell: )"
)
_PROGRESS = re.compile(r"%\||[█▏▎▍▌▋▊▉━─]{3,}|\[=+>? *\]|\d+/\d+ \[|^\s*[-\\|/]\s*$")
# a build tool naming the unit it compiles next, whatever the unit is called: GHC's
# ``[ 41 of 146] Compiling Text.Pandoc.Error ( src/Text/Pandoc/Error.hs, … )`` (stack may
# prefix ``pkg> ``), cargo's ``Compiling failure v0.1.8``, CMake's ``[ 45%] Building CXX
# object src/CMakeFiles/app.dir/error.cpp.o``: a module, crate or file named "error" is
# not an error
_COMPILING = re.compile(
    r"^(?:[\w.-]{1,100} *> +)?\[\s*\d+ of \d+\] Compiling "
    r"|^(?:Compiling|Checking|Documenting) [\w-]+ v\d"
    r"|^\[\s*\d+%\] (?:Building|Linking|Generating|Scanning) "
)
# a test runner's line for a test that passed or was skipped: pytest -v
# ``tests/t.py::test_x[npm ERR! …] PASSED  [ 85%]`` (xdist: ``[gw0] [ 85%] PASSED t.py::x``),
# go test ``--- PASS: TestX (0.01s)``, TAP ``ok 3 - name``. Whatever its test id quotes
# (parametrised ids often hold error text), it never says what went wrong; nor does
# tasty's passing leaf ``  reports a parse error:   OK (0.02s)``.
_PASSED = re.compile(
    r"\s(?:PASSED|SKIPPED|XFAIL)(?: \([^)]*\))?\s*(?:\[\s*\d+%\])?$"
    r"|^\[gw\d+\] \[\s*\d+%\] (?:PASSED|SKIPPED|XFAIL) "
    r"|^\s*--- (?:PASS|SKIP): |^ok \d+ "
    r"|^\S.*:\s+OK(?: \([\d.]+m?s\))?$"
)
# docker's note before it pulls an image it lacks (``Unable to find image 'es:7' locally``):
# routine, not the failure (the pull's own error follows it)
_DOCKER_PULLS = re.compile(r"^Unable to find image '[^']+' locally$")
_PROCESS_EXIT = "##[error]Process completed with exit code"
# Jenkins' ``sh`` step's own failure line, ``script returned exit code 1`` (``ERROR: `` may
# lead), and the console's last line, ``Finished: FAILURE``: the runner's framing, saying
# only *that* the script or the build failed. A weak mention (a key line when nothing else
# says anything, as a paste's last line), never an error in its own shape above the
# script's output that says why
_JENKINS_EXIT = re.compile(
    r"^(?:ERROR: )?script returned exit code -?\d+$|^Finished: (?:FAILURE|UNSTABLE)$"
)
JENKINS_EXIT_SCORE = 2
# an exit status that says *how* the command died: 124 is timeout(1)'s (the time limit was
# reached), 128+N a shell's for a command killed by signal N (132 SIGILL, 134 SIGABRT, 135
# SIGBUS, 136 SIGFPE, 137 SIGKILL, 139 SIGSEGV; not 130/143, a cancellation's SIGINT/SIGTERM).
# In Travis' or Jenkins' framing (``The command "houston ci" exited with 139.``, ``script
# returned exit code 137``) it is a finding, not framing: often the only trace of a kill or a
# time limit when the command printed nothing about it. (GitHub's ``##[error]Process
# completed with exit code 137.`` ends the step, whose tail shows it when nothing else does.)
SIGNAL_EXIT_SCORE = 5
SIGNAL_EXIT = re.compile(r"(?:exited with|exit code) (?:124|13[24-79])\b")
# a heading that only announces what follows (minitest's ``Error:``, R CMD check's ``ERROR``,
# a reporter's ``Error``/``FAILED``): it says that something failed, never what; the line
# after it does, so it is never a key line of its own (a rule may still match it). Maven's
# banner ``[INFO] BUILD FAILURE`` is one too.
_BARE_HEADING = re.compile(
    r"(?i)^[\W_]*(?:error|errors|fatal|failed|failure|failures|fail|exception)[\W_]*$"
    r"|^\[INFO\] BUILD FAILURE\s*$"
)
# a report's section heading (php-src's ``FAILED TEST SUMMARY`` and ``EXPECTED FAILED TEST
# SUMMARY``, ``ERROR REPORT``): it announces the list below it and says nothing itself, so it
# must not outscore the error it summarises
_HEADING = re.compile(r"^[=#*\s-]*(?:[A-Z]+ ){0,4}(?:SUMMARY|REPORT)[=#*\s:-]*$")
# Travis CI's own framing says only *that* a command failed, as the runner's exit line does:
# ``The command "…" exited with 1.``, travis_retry's ``The command "…" failed. Retrying, 2
# of 3.`` / ``… failed 3 times.`` and the job's ``Done. Your build exited with 1.``; the
# command's own output before it says what went wrong. A multi-line command's exit line
# ends on a line of its own: ``" exited with 255.``
_RUNNER_FRAMING = re.compile(
    r'^(?:The command ".*)?" (?:(?:failed and )?exited with -?\d+|failed(?:\. Retrying| \d+ times))'
    r"|^Done\. Your build exited with \d+"
)


# the source line CPython's traceback prints under the last frame when an ``assert``
# statement failed (``    assert os.path.exists(p)`` above a bare ``AssertionError``): the
# condition that did not hold, which a message-less AssertionError does not say. Below an
# error line's score: the exception line, when it says more, still leads.
_ASSERT_SOURCE = re.compile(r"^ {4}assert \S")
ASSERT_SOURCE_SCORE = 5


# R's condition message: ``Error in <call> : <message>``, and when the two do not fit on one
# line R ends the first after the colon and prints the message on the next, indented by two
# spaces (``Error in format_timestamp(data_decomp) : `` / ``  could not find function
# "str_detect"``). The message line says what went wrong, so it scores as its head (one
# more: with room for one line, the message is the one to read); the reader follows a head
# so that the message line is read whatever words it uses.
#
# CMake does the same with every message it stops on: ``CMake Error at CMakeLists.txt:4
# (find_package):`` (``CMake Error in …:`` at generate time) heads the message, printed on
# the lines below indented by two spaces (``  Could NOT find Boost (missing: …)``, ``  By not
# providing "Findfmt.cmake" in CMAKE_MODULE_PATH …``): the head says only where. RSpec prints
# an example's exception the same way, its class alone (``ChildProcess::TimeoutError:``,
# ``SocketError:``) over its message indented two more spaces (``  process still alive
# after 90 seconds``). The message scores at least a finding's score (a CMake head has no
# error word of its own to lend it): with room, it is shown.
#
# An error line that ends in a colon heads a list (``ERROR: found workflows not using
# 'ubuntu-latest':`` over ``.github/workflows/docs.yaml:21:    runs-on: ubuntu-22.04``,
# ``error: the following untracked working tree files would be overwritten by checkout:``
# over the files): its first item is what the error is about; it scores one less than its
# head (the head still reads first) and at least a finding's score.
# (one pattern a shape, each with a literal: the reader's prefilter without RE2 finds them
# by it; no nested quantifier)
_WRAPPED = (
    r"^Error in \S.* :\s*$",
    r"^CMake Error (?:at|in) \S.*:\s*$",
    r"^\s*[\w.:]*Error:\s*$",
    r"^\s*[\w.:]*Exception:\s*$",
)
_LISTS = (r"^error: \S.*:$", r"^fatal: \S.*:$")  # in any case (``ERROR: ``, ``Fatal: ``)
WRAPPED_HEADS: tuple[tuple[str, bool], ...] = (
    *((p, False) for p in _WRAPPED),
    *((p, True) for p in _LISTS),
)
_WRAPPED_HEAD_RE = re.compile("|".join(_WRAPPED))
_LIST_HEAD_RE = re.compile("|".join(_LISTS), re.IGNORECASE)
WRAPPED_MESSAGE_SCORE = 5


def _under(head: tuple[int, int, int | None], number: int, text: str) -> bool:
    """``text`` (line ``number``) is the message (or first item) under ``head``: the next
    line, indented two more spaces than an indented head (any non-blank line under a list's)."""
    if number != head[0] + 1:
        return False
    indent = head[2]
    if indent is None:
        return bool(text.strip())
    return text.startswith(" " * (indent + 2)) and text[indent + 2 : indent + 3] not in ("", " ")


def echoed(text: str) -> bool:
    """A line the shell or the runner echoed (``+ cmd``, ``shell: bash -e {0}``, ``Run …``):
    it says what ran, never what went wrong."""
    stripped = text.strip()
    return bool(_ECHOED.match(stripped)) and not _CAUSE_CHAIN.match(stripped)


def error_score(text: str) -> int:
    """How much ``text`` looks like the line that says what went wrong (0: not at all)."""
    stripped = text.strip()
    if _CAUSE_CHAIN.match(stripped):
        stripped = stripped[2:]
    if not stripped or len(stripped) < 4 or _ECHOED.match(stripped):
        return 0
    if _ASSERT_SOURCE.match(text):
        return ASSERT_SOURCE_SCORE
    if stripped.startswith(_PROCESS_EXIT):
        return 1  # a step's tail shows it when nothing else says anything
    if _RUNNER_FRAMING.match(stripped):
        return SIGNAL_EXIT_SCORE if SIGNAL_EXIT.search(stripped) else 1
    if _JENKINS_EXIT.match(stripped):
        return SIGNAL_EXIT_SCORE if SIGNAL_EXIT.search(stripped) else JENKINS_EXIT_SCORE
    if _BARE_HEADING.match(stripped) or _HEADING.match(stripped):
        return 0
    if _PROGRESS.search(stripped) or _PASSED.search(stripped) or _COMPILING.search(stripped):
        return 0
    if _DOCKER_PULLS.match(stripped):
        return 0
    body = _LEVEL_TAG.sub("", stripped, count=1)
    if _FRAME.match(body):
        return 0
    if _MAVEN_RESUME.match(body):
        return MAVEN_RESUME_SCORE
    if _SUMMARY.match(stripped) or _STATUS_FAILED.match(stripped):
        return SUMMARY_SCORE
    if _ABORTING.match(stripped):
        return ABORTING_SCORE
    if _POINTER.match(stripped):
        return POINTER_SCORE
    score = 0
    strong = bool(_STRONG.search(stripped) or (body != stripped and _STRONG.match(body)))
    strong = strong or bool(NODE_SYSCALL.match(body))
    if strong:
        score += STRONG_SCORE
    aborted = False
    if not strong and _SIGNALLED.search(stripped) and not stripped.startswith("[signal "):
        aborted = bool(_ABORTED.search(stripped))
        if not aborted:
            strong = True
            score += STRONG_SCORE
    if _PERROR.search(stripped):
        score += PERROR_SCORE
    score += 3 * min(2, len(_WORDS.findall(stripped)) + bool(_NAMED_EXCEPTION.search(stripped)))
    if _CAUSE.search(stripped):
        score += 2
    if score and _OS_ERROR.search(stripped):
        score += 2
    if _EXIT.search(stripped):
        score += 2
    if _STYLISH.match(stripped) or (
        _OBJECT_LOCATED.search(stripped) and _CAUSE_OR_DEF.search(stripped)
    ):
        score = max(score, LOCATED_SCORE + bool(_CAUSE.search(stripped)))
    if _LINK_STATUS.match(stripped):
        score = max(score, LINK_STATUS_SCORE)
    if _LOCATED_RE.match(stripped) and not _NOTE.search(stripped):
        # one more for a finding that names a cause among findings that do not (flake8's
        # ``F821 undefined name`` among ``F401 imported but unused``)
        cause = bool(_CAUSE.search(stripped))
        if cause or _LOCATED_COLUMN.search(stripped):
            score = max(score, LOCATED_SCORE + (cause and score < LOCATED_SCORE))
    if aborted:
        score = max(score, ABORTED_SCORE)
    if _VERDICT.search(stripped):
        score = max(score, VERDICT_SCORE)
    if _FORMAT_FINDING.search(stripped):
        score = max(score, LOCATED_SCORE)
        strong = True  # a formatter's finding in a warning's words is still the finding
    if score and _WARNING.search(stripped) and not strong:
        return 0
    if score and _NEGATED.search(stripped):
        score -= 6
    if stripped.startswith("##[error]"):
        score += 2
    return max(0, score)


@dataclass(order=True)
class _Scored:
    score: int
    order: int  # earlier lines win ties: the first error is usually the cause
    number: int = field(compare=False)
    text: str = field(compare=False)


class TopLines:
    """The ``size`` best-scoring lines seen (bounded memory)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        # the commands a paste's web log view echoed (``Run …``), oldest first, and the
        # line of the last (the step's tail is offered again at its end)
        self.commands: deque[str] = deque(maxlen=ECHOED_KEPT)
        self._echoed_at = 0
        # the last command a paste's shell prompt (or tox) echoed: what ran last, and so
        # what printed the failure below it (the earlier ones ran and passed)
        self.prompted: str | None = None
        self._heap: list[_Scored] = []
        self._before: tuple[int, str] | None = None  # the line offered last
        self._kept: set[int] = set()  # the line numbers in the heap
        self._head: tuple[int, int, int | None] | None = None  # a wrapped head: line, score, indent

    def offer(self, number: int, text: str, score: int | None = None) -> None:
        score = error_score(text) if score is None else score
        before, self._before = self._before, (number, text)
        if (
            before
            and before[0] == number - 1
            and _POWERSHELL_AT_RE.match(text)
            and _POWERSHELL_MESSAGE.match(before[1])
        ):
            self._keep(before[0], before[1], max(STRONG_SCORE, error_score(before[1])))
        head, self._head = self._head, None
        if head and _under(head, number, text):
            lent = head[1] + 1 if head[2] is not None else head[1] - 1
            score = max(score, lent, WRAPPED_MESSAGE_SCORE)
        elif score > 1 and _WRAPPED_HEAD_RE.match(text):
            self._head = (number, score, len(text) - len(text.lstrip(" ")))
        elif score > 1 and _LIST_HEAD_RE.match(text):
            self._head = (number, score, None)
        if score <= 1:
            run = text[4:].strip() if text.startswith("Run ") else exec_echoed(text)
            if not score and number > self._echoed_at and run:
                self.commands.append(run)
                self._echoed_at = number
            elif not score and (prompt := PROMPT.match(text)):
                self.prompted = prompt.group(1).strip()
            elif before and before[0] == number - 1 and _POWERSHELL_AT_RE.match(before[1]):
                statement = _POWERSHELL_STATEMENT.match(text)
                if statement:  # the statement PowerShell's error view says failed
                    self.commands.append(statement.group(1))
            elif not score and (trace := XTRACE.match(text)):
                self.prompted = trace.group(1).strip()
            return
        self._keep(number, text, score)

    def _keep(self, number: int, text: str, score: int) -> None:
        if number in self._kept:
            return  # a line offered again (the chosen step's tail): one place per line
        item = _Scored(score, -number, number, text)
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, item)
        elif item > self._heap[0]:
            self._kept.discard(heapq.heapreplace(self._heap, item).number)
        else:
            return
        self._kept.add(number)

    def best(self, n: int) -> list[tuple[int, str]]:
        """The ``n`` best as (line number, text), best first."""
        ranked = sorted(self._heap, reverse=True)[:n]
        return [(item.number, item.text) for item in ranked]

    def score(self, number: int, text: str) -> int:
        """The score ``text`` (line ``number``) was kept with: its own, or its head's when
        it is a wrapped message's line."""
        kept = [item.score for item in self._heap if item.number == number]
        return max(kept, default=error_score(text))

    def __bool__(self) -> bool:
        return bool(self._heap)
