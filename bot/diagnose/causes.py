"""A cause's own words on the generic scorer's best lines: the category they name whatever
the tool, for the no-rule fallback (:mod:`bot.diagnose.fallback`) and for the line shown as
the cause (:mod:`bot.diagnose.causeline`).

Why a module of its own: a cause (a full disk, a crash, a connection that broke) outranks
what merely failed (a compile error that could not write its output, the tests a crash
ended), so it is read first and by more than one reader; the table grows with every tool
whose words for a cause are new, apart from the fallback's reading of everything else.

A cause's own words name its category on any of the best five lines, even one that
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
A URL that answered 429 Too Many Requests or a gateway's 502/503/504 (a link checker's
``ERROR: found HTTP error status codes for URL https://… (429)``, ``https://… → Status:
503``, lychee's ``[429] https://…``) is the network, whatever tool asked: a re-run fixes
it. A 404 is not: the link is broken.

An exit status says a signal only on an error line of its own shape: ``exit code
139``/``-11``/``134`` a crash, ``137`` the OOM killer (a runner's info line
reports the kill that cancels a step the same way).
"""

from __future__ import annotations

import re

from .scorer import TopLines
from .syserrors import CREDENTIALS_REFUSED, MISSING_PROGRAM

# the least score a line needs for its words to count (an error line in its own shape, not
# a passing mention)
MIN_SCORE = 3
# a cause's own words (below) are never a passing mention: they count further down the
# ranking and on a line only a "could not" made an error line (``Your requirements could
# not be resolved to an installable set of packages.``)
CAUSE_LINES = 5
CAUSE_MIN_SCORE = 2
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
