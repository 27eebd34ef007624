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

- a URL that answered 429 Too Many Requests or a gateway's 502/503/504 (a link checker's
  ``ERROR: found HTTP error status codes for URL https://… (429)``, ``https://… → Status:
  503``, lychee's ``[429] https://…``) is the network, whatever tool asked: a re-run fixes
  it. A 404 is not: the link is broken.
- Zinc's stack (sbt's incremental compiler) through ``handleCompilationError`` is a
  compile error even when the trace is all the paste kept, and a panic of Rust's own build
  system (x.py's ``thread 'main' panicked at src/bootstrap/…``, a config it rejects) is a
  build failure.

- a cause's own words name its category on any of the best five lines, even one that
  only a "could not" made an error line, before any line's other words and before the
  step's command (``npm ci`` that lost its connection is the network; the command says
  what ran, the cause why it failed); a crash or memory that ran out comes even before
  the tests charged (they are the tests the run was running when it ended), and so does a
  runner that went away (``The runner has received a shutdown signal``, ``lost
  communication with the server``: ``infra_runner``): a device with no
  space left (``No space left on device``, ``ENOSPC``, ``[Errno 28]``) is ``disk_full``
  (a compile error that could not write its output is that; ``database or disk is
  full``); memory that ran out (``JavaScript heap out of memory``, ``OutOfMemoryError``,
  Python's ``MemoryError``, PHP's ``Allowed memory size of … exhausted``, ``Cannot
  allocate memory``) ``oom_killed``; a signal that ended a process (``SIGSEGV``,
  ``Segmentation fault``, ``core dumped``, the shell's ``line 198: 33206 Aborted``, a
  sanitizer's ``==12==ERROR: AddressSanitizer`` or UBSan's ``x.c:5:14: runtime error:``,
  Go's ``unexpected signal during runtime execution``, make's ``*** [t] Error 139``,
  CTest's ``***Exception: SegFault``) ``segfault`` (a SIGKILL the OOM killer's); a
  connection that broke (``ECONNRESET``, ``socket hang up``, a rate limit, an
  unverifiable TLS chain, an HTML page where JSON was expected, a host that did not
  resolve, a connection refused or timed out, a TLS handshake that failed; not on
  an item of a link checker's list, where a site that does not answer is a dead link)
  ``infra_network``; a harness that stopped a test or the run for time (``test timed out
  after``, ``Exceeded timeout of 5000 ms``, ``Timeout of 2000ms exceeded``) ``timeout``,
  before the tests charged too; tests charged that mostly failed with a connection word
  in their message ``infra_network``, with a full device's ``disk_full``, with the
  harness's time limit ``timeout``; a resolver
  that found no versions that fit, a package no index has, a package whose checksum
  does not match, a lock file out of date (``version solving failed``,
  ``ResolutionImpossible``, ``could not be resolved to an installable set``, ``No
  matching version found``, ``No matching distribution found``,
  Gradle's ``Could not find org.x:y:2.3.0``, NuGet's ``error NU1102``, ``EINTEGRITY``,
  ``ERESOLVE``, ``failed to select a version for``, ``Pipfile.lock … is out of date``), a
  library the system lacks (CMake's ``find_package``, pkg-config's ``Package 'x',
  required by``, ``error while loading shared libraries``), apt's ``E: Failed to fetch``
  ``dependency_install``, unless a network cause is among the same best lines (the index
  did not answer); so is a program Node could not start (``spawn gh ENOENT``, node-which's
  ``not found: x``), and credentials a host refused (OpenSSH's ``Permission denied
  (publickey)``, ``bad credentials``) are ``infra_network`` (:mod:`bot.diagnose.syserrors`).
  An exit status says a signal only on an error line of its own shape: ``exit code
  139``/``-11``/``134`` a crash, ``137`` the OOM killer (a runner's info line
  reports the kill that cancels a step the same way).
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

from .rules import RuleSet
from .scorer import TopLines
from .syserrors import CREDENTIALS_REFUSED, MISSING_PROGRAM

# how many of the scorer's best lines are read, and the least score a line needs (an
# error line in its own shape, not a passing mention)
BEST_LINES = 3
MIN_SCORE = 3
# a cause's own words (below) are never a passing mention: they count further down the
# ranking and on a line only a "could not" made an error line (``Your requirements could
# not be resolved to an installable set of packages.``)
CAUSE_LINES = 5
CAUSE_MIN_SCORE = 2

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
# a status that a re-run outlives, beside the URL or the HTTP that got it; the number ends
# the report (``(429)``, ``Status: 503``, ``[502] https://…``), it is no count or port
_BUSY = r"(?:429|50[234])"
_NETWORK = re.compile(
    rf"\bhttps?://\S+.*?(?:[\s(\[]|[Ss]tatus:? ){_BUSY}(?:[)\]]|\s*$|:? [A-Z])"
    rf"|\[{_BUSY}\] +https?://"
    rf"|\bHTTP\b.*?\({_BUSY}\)"
    r"|\b(?:429 \(?Too Many Requests|50[23] \(?(?:Bad Gateway|Service Unavailable)"
    r"|504 \(?Gateway Time-?out)\b"
    # the C library's and Node's names for a connection that broke or never resolved, a
    # registry's rate limit, a TLS chain the runner cannot verify
    r"|\bE(?:CONNRESET|TIMEDOUT|AI_AGAIN|HOSTUNREACH|NETUNREACH)\b|\bsocket hang up\b"
    r"|\bConnection reset by peer\b|\bnetwork (?:aborted|connectivity)\b"
    r"|\b(?:pull )?rate limit\b|\btoomanyrequests\b|\bunable to get local issuer certificate\b"
    # a JSON parser handed a server's HTML page (an error page in place of the data)
    r"""|\bUnexpected token '<', "<(?:html|!DOCTYPE)\b"""
)
# a connection that never got an answer: the runner's network, unless the line is an item of
# a link checker's list (``  2. http://x.org/ Connection timed out``, ``*  External link
# … failed: SSL connect error``): a site that does not answer is a dead link, a finding
_CONNECTION = re.compile(
    r"(?m)^(?!\s*(?:\d+\.|[*•-])\s).*?(?:"
    # a host name that did not resolve (curl, git, wget, getaddrinfo, Go's resolver, urllib3)
    r"\b(?:[Cc]ould not|[Uu]nable to) resolve host\b|\bENOTFOUND\b|\bgetaddrinfo\b"
    r"|\bTemporary failure in name resolution\b|\bName or service not known\b"
    r"|\bNameResolutionError\b|: no such host\b"
    # a connection refused or that timed out, in the C library's, curl's, Node's, Ruby's words
    r"|\b[Cc]onnection refused\b|\bECONNREFUSED\b|\bCouldn't connect to server\b"
    r"|\bFailed to open TCP connection\b|\b[Cc]onnect(?:ion)? time(?:d )?out\b"
    r"|\bi/o timeout\b|\bClient\.Timeout exceeded\b|\bOperation timed out after \d+ milli"
    r"|\b[Cc]onnection error\b|\bCouldn't establish HTTP connection\b"
    r"|\b(?:[Cc]ould not|[Uu]nable to|[Ff]ailed to) (?:create|establish|open) (?:a )?"
    r"connection to\b"
    # a TLS handshake that failed or a server certificate the client could not verify
    r"|\bTLS handshake timeout\b|\bSSL connect error\b|\bhandshake failure\b"
    r"|\bcertificate verif\w* failed\b|\bReceived fatal alert: |\bEOF occurred in violation"
    r"|\bfailed to verify the legitimacy of the server\b|\bself[- ]signed certificate\b"
    r"|\b[Cc]ould not verify the (?:SSL|TLS) certificate\b"
    # urllib3's verdict after its retries (pip, requests): no answer that it could use
    r"|\bMax retries exceeded with url\b"
    # Go's HTTP client on a connection the server closed unanswered (docker's, helm's,
    # terraform's ``Get "https://registry-1.docker.io/v2/": EOF``)
    r"|\b(?:Get|Head|Post|Put|Patch|Delete) \"?https?://[^\s\"]+\"?: (?:unexpected )?EOF\b"
    # a busy status in curl's (``(22) The requested URL returned error: 503``) and wget's
    # (``ERROR 503: Service Unavailable.``) words
    rf"|\breturned error: {_BUSY}\b|\bERROR {_BUSY}: )"
)
# a device that is full, in the C library's, Python's and Node's words
_DISK = re.compile(r"(?i)\bNo space left on device\b|\bENOSPC\b|\[Errno 28\]|\bdisk is full\b")
# memory ran out: the runtime's own words (V8's ``JavaScript heap out of memory``, the JVM's
# ``OutOfMemoryError``), the kernel's OOM killer
_MEMORY = re.compile(
    r"(?i)\bout of memory\b|\bOutOfMemoryError\b|\bJava heap space\b|\bOOMKilled\b"
    r"|\bKilled process \d+|\b(?:No)?MemoryError\b|\bmemory (?:size of \d+ bytes )?exhausted\b"
    r"|\bCannot allocate memory\b|\bfailed to allocate memory\b"
)
# a process a signal ended: SIGSEGV (11) or SIGABRT (6) by name, the shell's own job report
# (``line 198: 33206 Aborted  ./corerun …``, ``Segmentation fault (core dumped)``), a
# sanitizer's report
_CRASH = re.compile(
    r"\b(?:SIGSEGV|SIGABRT|Segmentation fault|core dumped)\b|\bline \d+: +\d+ Aborted\b"
    r"|==\d+== ?ERROR: \w+Sanitizer\b|\bsignal (?:code )?(?:6|11)\b"
    # CTest's verdict on a test whose process a signal ended (``***Exception: SegFault``,
    # ``(Subprocess aborted)``; before CMake 3 ``Child aborted``)
    r"|\*\*\*Exception: (?:SegFault|Child aborted)|\((?:Subprocess|Child) aborted\)"
    # UBSan's report at a source line, Go's runtime on a signal it did not expect
    r"|\.\w+:\d+:\d+: runtime error: |\bunexpected signal during runtime execution\b"
)
# a harness that stopped a test, a hook or the run because it took too long: Go's ``panic:
# test timed out after 10m0s``, node:test's ``test timed out after 1ms``, Jest's ``Exceeded
# timeout of 5000 ms for a test``, Mocha's ``Timeout of 2000ms exceeded``, pytest-timeout's
# ``Timeout (>0.01s)``, a script's ``timeout occurred after waiting 3 seconds``, Playwright's
# ``Timed out waiting 120000ms from config.webServer``; a connection's timeout is the network
_TIMED_OUT = re.compile(
    r"\btest timed out after \d|\bExceeded timeout of \d+ ?ms\b|\b[Tt]imeout of \d+ ?ms exceeded\b"
    r"|\bTimeout \(>[\d.]+s\)|\btimeout occurred after\b|\bTimed out waiting \d"
    # a CI system that stopped a step or the job at its time limit: Actions' ``The action
    # 'Run e2e' has timed out after 15 minutes.`` and ``The job running on runner X has
    # exceeded the maximum execution time of 30 minutes.``, Azure's ``ran longer than the
    # maximum time of 60 minutes``, GitLab's ``execution took longer than 1h0m0s seconds``
    r"|\bhas timed out after \d+ ?(?:minutes?|seconds?|hours?|m|s|h)\b"
    r"|\bran longer than the maximum time\b|\bexecution took longer than \d"
    r"|\bexceeded the maximum execution time\b"
)
# the same as an exit status: negative (Python's subprocess) or 128 + the signal (a shell's
# 134/139); 137 is 128 + SIGKILL, the out-of-memory killer's when an error line says so (a
# runner's info line reports the kill that cancels a step the same way)
_EXITED = r"(?:[Ee]xit(?:ed)?(?: with)? (?:code|status)|exited)\b:? ?"
# (d30B) Windows reports the exception that ended a process as its exit code: an access
# violation (0xC0000005), a stack overflow (0xC00000FD), a fast-fail / buffer overrun
# (0xC0000409), in decimal, unsigned or signed (``failed with error code '3221225477'``)
_NTSTATUS = r"(?:3221225477|-1073741819|3221225725|-1073741571|3221226505|-1073740791)"
_CRASH_STATUS = re.compile(
    rf"{_EXITED}(?:-(?:6|11)|134|139)\b|\*\*\* \[[^\]]*\] Error 13[49]\b"
    rf"|\b(?:code|status)\b\W{{0,3}}{_NTSTATUS}\b"
)
# a process SIGKILL ended (``signal=SIGKILL``, ``killed by signal 9``): the OOM killer's
_KILLED = re.compile(rf"{_EXITED}137\b|\bsignal[=: ]SIGKILL\b|\bkilled by signal 9\b")
# the machine that ran the job went away, in the CI system's own words: Actions' ``The runner
# has received a shutdown signal.`` and ``The self-hosted runner: x lost communication with
# the server.``, Azure's ``We stopped hearing from agent``, GitLab's ``Job failed (system
# failure)``
_RUNNER = re.compile(
    r"\bThe runner has received a shutdown signal\b|\blost communication with the server\b"
    r"|\bWe stopped hearing from agent\b|\bJob failed \(system failure\)"
)
# a dependency resolver that found no versions that fit, a package whose checksum does not
# match, a lock file the manifest no longer matches: the install failed, whichever tool
_RESOLVER = re.compile(
    r"\bversion solving failed\b|\bResolutionImpossible\b|\bconflicting dependencies\b"
    r"|\bcould not be resolved to an installable set\b|\bcould not find compatible versions\b"
    r"|\bNo matching version found for\b|\bNo solution found when resolving\b"
    r"|\bUnable to find package\b|: error NU\d{4}: "
    r"|\b[Ii]ntegrity checksum failed\b|\bEINTEGRITY\b|\bDO NOT MATCH THE HASHES\b"
    r"|(?:\block ?file\b|\w\.lock\b|-lock\.json\b).*\b(?:out of date|not up to date|outdated"
    r"|needs to be updated|because --(?:locked|frozen))\b"
    r"|_OUTDATED_LOCKFILE\b"
    r"|\bERESOLVE\b|\bunable to resolve dependency tree\b|\bCould not resolve dependenc(?:y|ies)\b"
    r"|\bfailed to select a version for\b|\bCouldn't find any versions for\b"
    r"|\bPackagesNotFoundError\b|\bSolverProblemError\b|\bFound incompatible module\b"
    # a library the build looks for and the system lacks (CMake's find_package, the
    # dynamic loader), a system package manager that could not fetch or find a package
    r"|\bCould not find a package configuration file\b|\bFindPackageHandleStandardArgs\b"
    # CMake names the command that failed: ``CMake Error at CMakeLists.txt:17 (find_package):``
    r"|\bCMake Error at \S+ \(find_package\):"
    # a package manager that could not install a named package: RubyGems' ``ERROR:  Error
    # installing bundler:`` and ``Could not find 'bundler' (2.0.2) required by your …``
    r"|\bError installing [\w.-]+:|\bCould not find '[\w.-]+' \([^)]*\) required by\b"
    r"|\berror while loading shared libraries\b"
    r"|^E: (?:Failed to fetch|Unable to locate package)\b"
    # a package, distribution or version no index has (pip's ``No matching distribution
    # found for``, cargo's ``no matching package named``), an artifact by its coordinates
    # (Gradle's ``Could not find org.x:y:2.3.0.``), pkg-config's and R's missing package,
    # a Go module no proxy provides or whose checksum is not recorded
    r"|\b[Nn]o matching (?:package|distribution|version)s?\b"
    r"|\bCould not find (?:artifact )?[\w.-]+:[\w.-]+:[\w.:-]*\d"
    r"|\bA required package was not found\b|\bPackage '[^']+', required by '"
    r"|\bthere is no package called\b"
    r"|\bcannot find module providing package\b|\bmissing go\.sum entry\b"
    # a tool the run needs and the machine lacks (AWS SAM's ``Cannot find esbuild. esbuild
    # must be installed on the host machine``)
    r"|\b(?:must|needs to) be installed\b"
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
# a cause is read before what merely failed (a full disk under a compile error), each on a
# line that scores at least so much: an exit status only on an error line of its own shape
_CAUSES = (
    (_RUNNER, "infra_runner", CAUSE_MIN_SCORE),
    (_DISK, "disk_full", CAUSE_MIN_SCORE),
    (_MEMORY, "oom_killed", CAUSE_MIN_SCORE),
    (_CRASH, "segfault", CAUSE_MIN_SCORE),
    (_CRASH_STATUS, "segfault", MIN_SCORE),
    (_KILLED, "oom_killed", MIN_SCORE),
    (_NETWORK, "infra_network", CAUSE_MIN_SCORE),
    (_CONNECTION, "infra_network", CAUSE_MIN_SCORE),
    (CREDENTIALS_REFUSED, "infra_network", CAUSE_MIN_SCORE),
    (_TIMED_OUT, "timeout", CAUSE_MIN_SCORE),
    (_RESOLVER, "dependency_install", CAUSE_MIN_SCORE),
    (MISSING_PROGRAM, "dependency_install", CAUSE_MIN_SCORE),
)
# causes that outrank the tests charged: a run that crashed, ran out of memory or of time,
# or whose machine went away ended the tests it was running (no failures of their own)
ENDED_RUN = ("segfault", "oom_killed", "timeout", "infra_runner")


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


def distinct_best(generic: TopLines, n: int) -> list[tuple[int, str]]:
    """The ``n`` best lines, each once (a line the step's tail offers again takes one place)."""
    out: list[tuple[int, str]] = []
    for number, text in generic.best(generic.size):
        if len(out) >= n:
            break
        if all(number != seen for seen, _ in out):
            out.append((number, text))
    return out


def cause_lines(generic: TopLines) -> list[tuple[int, str, str]]:
    """``(number, text, category)`` of each best line whose cause words name a category."""
    found = []
    for number, text in distinct_best(generic, CAUSE_LINES):
        score = generic.score(number, text)
        found += [(number, text, c) for p, c, m in _CAUSES if score >= m and p.search(text)][:1]
    return found


def cause_category(generic: TopLines) -> str | None:
    """The category a cause's own words on the best lines name (a full disk, a crash…)."""
    found = [category for _number, _text, category in cause_lines(generic)]
    if found[:1] == ["dependency_install"] and "infra_network" in found:
        # a resolver that found nothing because its index did not answer: the network
        return "infra_network"
    return found[0] if found else None


def environment_failures(messages: list[str]) -> str | None:
    """``infra_network`` when most failing tests failed because the network did (their
    messages name a connection refused, a host that did not resolve, a TLS handshake),
    ``disk_full`` when most failed on a full device (``OSError: [Errno 28] No space left on
    device``): the runner's, a re-run's business, as with a rule's network line under
    failing tests (verdict.py); ``timeout`` when most were stopped by the harness's time
    limit (``Exceeded timeout of 5000 ms for a test``), as that line on its own says; else
    None."""
    network = [m for m in messages if _NETWORK.search(m) or _CONNECTION.search(m)]
    if network and len(network) * 2 > len(messages):
        return "infra_network"
    for pattern, category in ((_DISK, "disk_full"), (_TIMED_OUT, "timeout")):
        # Node's tools/test.py gives a test its harness stopped the message ``timeout``
        hits = [
            m for m in messages if pattern.search(m) or (category == "timeout" and m == "timeout")
        ]
        if hits and len(hits) * 2 > len(messages):
            return category
    return None


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
