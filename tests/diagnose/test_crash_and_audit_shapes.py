# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Resource deaths and security audits (issue 11): Valgrind's Memcheck, a crashing
compiler (gcc, clang, rustc), a test JVM that died (Surefire's forked VM, Gradle's test
executor and daemon), a dependency audit (npm, yarn, pnpm, pip-audit, cargo audit,
bundler-audit), a Terraform configuration the tool refuses, and the job-level time limits
of GitLab CI and Travis CI.

The output below is real. Where it was produced on a runner-like machine the comment names
the tool's version (paths rewritten to ``/home/runner/work/proj/proj``); where the tool
could not run here the comment names the public page it comes from.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import Diagnosis, diagnose
from tests.diagnose.joblogs import actions_job, travis_job


def _keys(d: Diagnosis) -> list[str]:
    return [k.text for k in d.key_lines]


# -- Valgrind Memcheck ------------------------------------------------------------------------

# valgrind-3.19.0 --error-exitcode=1 --leak-check=full on a program writing and reading past a
# 16-byte malloc block (gcc 12.2.0 -g -O0)
VALGRIND_INVALID = [
    "==10193== Memcheck, a memory error detector",
    "==10193== Copyright (C) 2002-2022, and GNU GPL'd, by Julian Seward et al.",
    "==10193== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info",
    "==10193== Command: ./bad",
    "==10193== ",
    "==10193== Invalid write of size 4",
    "==10193==    at 0x109177: main (bad.c:3)",
    "==10193==  Address 0x4a40050 is 0 bytes after a block of size 16 alloc'd",
    "==10193==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
    "==10193==    by 0x10916A: main (bad.c:3)",
    "==10193== ",
    "==10193== Invalid read of size 4",
    "==10193==    at 0x109185: main (bad.c:3)",
    "==10193==  Address 0x4a40054 is 4 bytes after a block of size 16 alloc'd",
    "==10193==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
    "==10193==    by 0x10916A: main (bad.c:3)",
    "==10193== ",
    "0",
    "==10193== ",
    "==10193== HEAP SUMMARY:",
    "==10193==     in use at exit: 0 bytes in 0 blocks",
    "==10193==   total heap usage: 2 allocs, 2 frees, 4,112 bytes allocated",
    "==10193== ",
    "==10193== All heap blocks were freed -- no leaks are possible",
    "==10193== ",
    "==10193== For lists of detected and suppressed errors, rerun with: -s",
    "==10193== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 0 from 0)",
]

# valgrind-3.19.0 --errors-for-leak-kinds=definite: an uninitialised branch and a leak
VALGRIND_LEAK = [
    "==10447== Memcheck, a memory error detector",
    "==10447== Command: ./leak",
    "==10447== ",
    "==10447== Conditional jump or move depends on uninitialised value(s)",
    "==10447==    at 0x109177: main (leak.c:3)",
    "==10447== ",
    "==10447== HEAP SUMMARY:",
    "==10447==     in use at exit: 64 bytes in 1 blocks",
    "==10447==   total heap usage: 1 allocs, 0 frees, 64 bytes allocated",
    "==10447== ",
    "==10447== 64 bytes in 1 blocks are definitely lost in loss record 1 of 1",
    "==10447==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)",
    "==10447==    by 0x109161: main (leak.c:3)",
    "==10447== ",
    "==10447== LEAK SUMMARY:",
    "==10447==    definitely lost: 64 bytes in 1 blocks",
    "==10447== ",
    "==10447== Use --track-origins=yes to see where uninitialised values come from",
    "==10447== For lists of detected and suppressed errors, rerun with: -s",
    "==10447== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 0 from 0)",
]


def test_valgrind_invalid_access_is_a_memory_error_not_unknown() -> None:
    d = diagnose(
        actions_job("valgrind --error-exitcode=1 --leak-check=full ./bad", VALGRIND_INVALID)
    )
    assert (d.category, d.rule) == ("segfault", "valgrind-memcheck")
    assert d.summary == "==10193== Invalid write of size 4"
    assert "==10193== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 0 from 0)" in _keys(d)


def test_valgrind_uninitialised_value_and_leak_under_travis() -> None:
    d = diagnose(
        travis_job(
            "valgrind --error-exitcode=1 --errors-for-leak-kinds=definite ./leak", VALGRIND_LEAK
        )
    )
    assert (d.category, d.rule) == ("segfault", "valgrind-memcheck")
    keys = _keys(d)
    assert "==10447== Conditional jump or move depends on uninitialised value(s)" in keys
    assert "==10447== 64 bytes in 1 blocks are definitely lost in loss record 1 of 1" in keys


def test_a_clean_valgrind_summary_does_not_claim_the_step() -> None:
    """``ERROR SUMMARY: 0 errors`` is a clean run: the step failed for another reason."""
    clean = [
        "==10491== Memcheck, a memory error detector",
        "==10491== For lists of detected and suppressed errors, rerun with: -s",
        "==10491== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)",
        "./check.sh: line 7: fixtures/expected.txt: No such file or directory",
    ]
    d = diagnose(actions_job("valgrind --error-exitcode=1 ./ok && ./check.sh", clean))
    assert d.rule != "valgrind-memcheck"


# -- the compiler crashed ---------------------------------------------------------------------

# g++ (Debian 12.2.0-14+deb12u1) -O2 -c big.cpp, cc1plus sent SIGSEGV mid-compilation: the
# driver's internal-compiler-error report
GCC_ICE = [
    "during RTL pass: expand",
    "big.cpp: In function ‘long int f3517()’:",
    "big.cpp:3521:6: internal compiler error: Segmentation fault",
    " 3521 | long f3517() { return F<319>::v + 3517; }",
    "      |      ^~~~~",
    "0x7f687820404f ???",
    "\t./signal/../sysdeps/unix/sysv/linux/x86_64/libc_sigaction.c:0",
    "0x7f68781ef249 __libc_start_call_main",
    "\t../sysdeps/nptl/libc_start_call_main.h:58",
    "Please submit a full bug report, with preprocessed source (by using -freport-bug).",
    "Please include the complete backtrace with any bug report.",
    "See <file:///usr/share/doc/gcc-12/README.Bugs> for instructions.",
]


def test_gcc_internal_compiler_error_is_a_compiler_crash() -> None:
    d = diagnose(
        actions_job(
            "make",
            ["g++ -O2 -c big.cpp -o big.o", *GCC_ICE, "make: *** [Makefile:4: big.o] Error 1"],
            2,
        )
    )
    assert (d.category, d.rule) == ("segfault", "compiler-crash")
    assert d.summary == "big.cpp:3521:6: internal compiler error: Segmentation fault"


def test_gcc_killed_by_the_kernel_is_memory_not_a_compiler_bug() -> None:
    """gcc before 9 words the OOM killer's SIGKILL as an internal error: a Travis CI build
    published in https://github.com/Project-OSRM/node-osrm/issues/67 (the maintainers of
    travis-ci/travis-ci#2407 and facebook/rocksdb#540 call it running out of memory)."""
    lines = [
        "g++-4.8: internal compiler error: Killed (program cc1plus)",
        "Please submit a full bug report,",
        "with preprocessed source if appropriate.",
        "See <file:///usr/share/doc/gcc-4.8/README.Bugs> for instructions.",
        "make[2]: *** [src/CMakeFiles/luabind.dir/class.cpp.o] Error 4",
        "make[2]: *** Waiting for unfinished jobs....",
    ]
    d = diagnose(travis_job("make -j32", lines, 2))
    assert (d.category, d.rule) == ("oom_killed", "oom-killer")
    assert d.summary == "g++-4.8: internal compiler error: Killed (program cc1plus)"


# rustc 1.95.0 (59807616e 2026-04-14) with -Z treat-err-as-bug (RUSTC_BOOTSTRAP=1): a real
# ICE report, the panic on the compiler's `rustc` thread
RUSTC_ICE = [
    "   Compiling icecrate v0.1.0 (/home/runner/work/proj/proj)",
    "error: internal compiler error[E0308]: mismatched types",
    " --> src/main.rs:1:26",
    "  |",
    '1 | fn main() { let x: i32 = "a"; }',
    "  |                    ---   ^^^ expected `i32`, found `&str`",
    "",
    "",
    "thread 'rustc' (11520) panicked at /rustc-dev/59807616e1fa2540724bfbac14d7976d7e4a3860/compiler/rustc_errors/src/lib.rs:1531:17:",
    "aborting due to `-Z treat-err-as-bug=1`",
    "stack backtrace:",
    "   0: __rustc::rust_begin_unwind",
    "   1: core::panicking::panic_fmt",
    "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.",
    "",
    "error: the compiler unexpectedly panicked. This is a bug",
    "",
    "note: we would appreciate a bug report: https://github.com/rust-lang/rust/issues/new?labels=C-bug%2C+I-ICE%2C+T-compiler&template=ice.md",
    "",
    "note: rustc 1.95.0 (59807616e 2026-04-14) running on x86_64-unknown-linux-gnu",
    "",
    "query stack during panic:",
    "#0 [typeck] type-checking `main`",
    "end of query stack",
    'error: could not compile `icecrate` (bin "icecrate")',
]


def test_rustc_ice_under_cargo_test_is_not_a_failing_test_named_rustc() -> None:
    """Before: ``test_failure`` with a failing test ``rustc`` (the panicking thread)."""
    d = diagnose(actions_job("cargo test --locked", RUSTC_ICE, 101))
    assert (d.category, d.rule) == ("segfault", "compiler-crash")
    assert d.failing_tests == []
    assert d.summary == "error: internal compiler error[E0308]: mismatched types"
    assert "error: the compiler unexpectedly panicked. This is a bug" in _keys(d)


def test_a_test_thread_panic_is_still_a_failing_test() -> None:
    """Only the compiler's own thread is excluded: a test's panic is reported as before."""
    lines = [
        "running 1 test",
        "test tests::parses ... FAILED",
        "",
        "failures:",
        "",
        "---- tests::parses stdout ----",
        "thread 'tests::parses' (4242) panicked at src/lib.rs:9:9:",
        'assertion failed: parse("1").is_ok()',
        "",
        "test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
    ]
    d = diagnose(actions_job("cargo test", lines, 101))
    assert d.category == "test_failure"
    assert d.failing_tests == ["tests::parses"]


def test_clang_frontend_crash() -> None:
    """Shape of https://github.com/llvm/llvm-project/issues/152826 and /57038 (clang's
    crash report: the bug-report request, the stack dump, the driver's line)."""
    lines = [
        "PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/ and include the crash backtrace, preprocessed source, and associated run script.",
        "Stack dump:",
        "0.\tProgram arguments: /usr/bin/clang++ -O2 -c src/bigint.cpp -o bigint.o",
        "1.\tsrc/bigint.cpp:268:1: current parser token 'constexpr'",
        "clang++: error: unable to execute command: Segmentation fault (core dumped)",
        "clang++: error: clang frontend command failed with exit code 139 (use -v to see invocation)",
    ]
    d = diagnose(actions_job("cmake --build build", lines, 2))
    assert (d.category, d.rule) == ("segfault", "compiler-crash")
    assert (
        "clang++: error: clang frontend command failed with exit code 139 (use -v to see invocation)"
        in _keys(d)
    )


# -- the test JVM died --------------------------------------------------------------------------

_SUREFIRE_HEAD = [
    "[INFO] --- maven-surefire-plugin:3.2.5:test (default-test) @ demo ---",
    "[INFO] Using auto detected provider org.apache.maven.surefire.junitplatform.JUnitPlatformProvider",
    "[INFO] ",
    "[INFO] -------------------------------------------------------",
    "[INFO]  T E S T S",
    "[INFO] -------------------------------------------------------",
]


def _surefire_crash(test_class: str, exit_code: int, output: list[str]) -> list[str]:
    """Apache Maven 3.8.7, maven-surefire-plugin 3.2.5, OpenJDK 17.0.15, JUnit 5.10.2: the
    build's end when the forked VM died (its stack trace cut after two frames)."""
    crashed = [
        "[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
        "[ERROR] Command was /bin/sh -c cd '/home/runner/work/proj/proj' && '/usr/lib/jvm/java-17-openjdk-amd64/bin/java' '-jar' '/home/runner/work/proj/proj/target/surefire/surefirebooter-20261206025513437_3.jar' '/home/runner/work/proj/proj/target/surefire' '2026-12-06T02-55-13_203-jvmRun1' 'surefire-20261206025513437_1tmp' 'surefire_0-20261206025513437_2tmp'",
        "[ERROR] Error occurred in starting fork, check output in log",
        f"[ERROR] Process Exit Code: {exit_code}",
        "[ERROR] Crashed tests:",
        f"[ERROR] {test_class}",
    ]
    return [
        *_SUREFIRE_HEAD,
        f"[INFO] Running {test_class}",
        *output,
        "[INFO] ",
        "[INFO] Results:",
        "[INFO] ",
        "[INFO] Tests run: 0, Failures: 0, Errors: 0, Skipped: 0",
        "[INFO] ",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] BUILD FAILURE",
        "[INFO] ------------------------------------------------------------------------",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project demo: ",
        "[ERROR] ",
        "[ERROR] Please refer to /home/runner/work/proj/proj/target/surefire-reports for the individual test results.",
        "[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.",
        *crashed,
        "[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
        *crashed[1:],
        "[ERROR] \tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.fork(ForkStarter.java:643)",
        "[ERROR] \tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.run(ForkStarter.java:285)",
        "[ERROR] -> [Help 1]",
    ]


def test_surefire_fork_that_called_system_exit_is_a_crash_at_lower_confidence() -> None:
    """A test calling System.exit(3): nothing names memory, so the crash of the test
    process (segfault) at lower confidence, the crashed class as the failing test.
    Before: ``build`` (maven-build), no test named."""
    d = diagnose(
        actions_job("mvn -B -ntp test", _surefire_crash("com.example.ShutdownTest", 3, []))
    )
    assert (d.category, d.rule) == ("segfault", "jvm-fork-crashed")
    assert d.confidence < 0.7
    assert d.failing_tests == ["com.example.ShutdownTest"]
    assert (
        d.summary
        == "[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?"
    )


def test_surefire_fork_out_of_heap_is_oom_when_the_log_says_so() -> None:
    """argLine -Xmx16m -XX:+ExitOnOutOfMemoryError: the JVM's own line names the heap."""
    oom = ["[ERROR] Terminating due to java.lang.OutOfMemoryError: Java heap space"]
    d = diagnose(actions_job("mvn -B -ntp test", _surefire_crash("com.example.CacheTest", 3, oom)))
    assert (d.category, d.rule) == ("oom_killed", "oom-killer")
    assert d.summary == "[ERROR] Terminating due to java.lang.OutOfMemoryError: Java heap space"
    assert d.confidence >= 0.9


def test_surefire_fork_killed_with_sigkill() -> None:
    """The forked JVM SIGKILLed (as the kernel's OOM killer does): the shell's ``Killed``
    names it; without that line, exit code 137 alone gives jvm-fork-died at lower
    confidence."""
    d = diagnose(
        actions_job("mvn -B -ntp test", _surefire_crash("com.example.BigTest", 137, ["Killed"]))
    )
    assert (d.category, d.rule) == ("oom_killed", "oom-killer")
    assert d.failing_tests == ["com.example.BigTest"]
    d = diagnose(actions_job("mvn -B -ntp test", _surefire_crash("com.example.BigTest", 137, [])))
    assert (d.category, d.rule) == ("oom_killed", "jvm-fork-died")
    assert d.summary == "[ERROR] Process Exit Code: 137"
    assert d.confidence < 0.9


def test_surefire_2_wording_and_parallel_forks() -> None:
    """Surefire 2.12's word order and its space before the question mark
    (https://github.com/jacoco/jacoco/issues/1322), and forkCount > 1's ExecutionException
    with the crashed class listed unprefixed inside the nested message
    (https://github.com/apache/maven-surefire/issues/2281, SUREFIRE-1408; the temporary
    directory rewritten to ``/var/tmp``)."""
    old = "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test (default-test) on project trigger-core: Execution default-test of goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test failed: The forked VM terminated without saying properly goodbye. VM crash or System.exit called ? -> [Help 1]"
    d = diagnose(actions_job("mvn -B verify", ["[INFO] BUILD FAILURE", old]))
    assert (d.category, d.rule) == ("segfault", "jvm-fork-crashed")
    parallel = [
        "[INFO] BUILD FAILURE",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.20:test (default-test) on project ambari-server: There are test failures.",
        "ExecutionException The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
        "Command was /bin/sh -c cd /var/tmp/ambari_test_java/ambari-server && /usr/local/java/jdk1.8.0_25/jre/bin/java -Xmx2048m -XX:MaxPermSize=1024m -Xms1024m -jar /var/tmp/ambari_test_java/ambari-server/target/surefire/surefirebooter5127210523160415183.jar /var/tmp/ambari_test_java/ambari-server/target/surefire 2017-09-06T13-25-37_978-jvmRun1 surefire5729106817171066937tmp surefire_5004808314434139002513tmp",
        "Error occurred in starting fork, check output in log",
        "Process Exit Code: 1",
        "Crashed tests:",
        "org.apache.ambari.server.controller.metrics.ganglia.GangliaPropertyProviderTest",
        "ExecutionException The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
    ]
    d = diagnose(actions_job("mvn -B test", parallel))
    assert (d.category, d.rule) == ("segfault", "jvm-fork-crashed")
    assert d.failing_tests == [
        "org.apache.ambari.server.controller.metrics.ganglia.GangliaPropertyProviderTest"
    ]


# Gradle 4.4.1 (Debian), OpenJDK 17.0.15, JUnit 4.13.2
def _gradle_executor(code: int) -> list[str]:
    return [
        ":compileTestJava",
        ":testClasses",
        ":test FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':test'.",
        f"> Process 'Gradle Test Executor 1' finished with non-zero exit value {code}",
        "",
        "* Try:",
        "Run with --stacktrace option to get the stack trace. Run with --info or --debug option to get more log output. Run with --scan to get full insights.",
        "",
        "BUILD FAILED in 6s",
    ]


def test_gradle_test_executor_exit_values() -> None:
    """Before: ``build`` (gradle-build) for both. Exit 137 (the test killed its own JVM with
    SIGKILL) is oom_killed at lower confidence; exit 3 (System.exit(3)) a crash."""
    d = diagnose(actions_job("gradle test", _gradle_executor(137)))
    assert (d.category, d.rule) == ("oom_killed", "jvm-fork-died")
    assert d.summary == "> Process 'Gradle Test Executor 1' finished with non-zero exit value 137"
    d = diagnose(actions_job("gradle test", _gradle_executor(3)))
    assert (d.category, d.rule) == ("segfault", "jvm-fork-crashed")


# Gradle 4.4.1: the daemon SIGKILLed during `gradle test` (the client's report; the daemon
# log's 20 lines it prints are cut to the last two)
GRADLE_DAEMON_GONE = [
    "Starting a Gradle Daemon (subsequent builds will be faster)",
    ":compileTestJava",
    ":testClasses",
    ":testThe message received from the daemon indicates that the daemon has disappeared.",
    "Build request sent: Build{id=2421169c-e954-4d83-bc72-559adb2ac62c.1, currentDir=/home/runner/work/proj/proj}",
    "Attempting to read last messages from the daemon log...",
    "Daemon pid: 20663",
    "  log file: /home/runner/.gradle/daemon/4.4.1/daemon-20663.out.log",
    "----- Last  20 lines from daemon log file - daemon-20663.out.log -----",
    ":testClasses",
    ":test",
    "----- End of the daemon log -----",
    "",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Gradle build daemon disappeared unexpectedly (it may have been killed or may have crashed)",
    "",
    "* Try:",
    "Run with --stacktrace option to get the stack trace. Run with --info or --debug option to get more log output. Run with --scan to get full insights.",
]


def test_gradle_daemon_disappeared() -> None:
    """Before: ``build``. Gradle's maintainers point at the OOM killer for this message
    (https://github.com/gradle/gradle/issues/9371); the log itself does not say so, so it is
    the build process dying on the agent: infra_runner (the corpus' label, s39i)."""
    d = diagnose(actions_job("./gradlew test", GRADLE_DAEMON_GONE))
    assert (d.category, d.rule) == ("infra_runner", "gradle-daemon-disappeared")
    assert (
        d.summary
        == "Gradle build daemon disappeared unexpectedly (it may have been killed or may have crashed)"
    )
    assert d.confidence < 0.9


def test_gradle_daemon_out_of_heap_is_named_by_its_own_line() -> None:
    """When the daemon's log says the heap ran out, oom-killer names it with full confidence."""
    lines = [
        *GRADLE_DAEMON_GONE[:10],
        "03:12:01.101 [INFO] [org.gradle.launcher.daemon.server.health.DaemonMemoryStatus] Expiring Daemon because JVM heap space is exhausted",
        *GRADLE_DAEMON_GONE[10:],
    ]
    d = diagnose(actions_job("./gradlew assemble", lines))
    assert (d.category, d.rule) == ("oom_killed", "oom-killer")
    assert d.confidence >= 0.9


def test_kernel_oom_killer_lines_from_dmesg() -> None:
    """The kernel's report (mm/oom_kill.c format) printed by ``dmesg`` in the failing command."""
    lines = [
        "Running integration suite",
        "./run-tests.sh: line 12:  4321 Killed                  java -jar app.jar",
        "[ 8123.456789] java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
        "[ 8123.457001] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/runner.service,task=java,pid=4321,uid=1001",
        "[ 8123.457050] Out of memory: Killed process 4321 (java) total-vm:8123456kB, anon-rss:6123456kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:12345kB oom_score_adj:0",
    ]
    d = diagnose(actions_job("./run-tests.sh || (dmesg | tail -3; exit 137)", lines, 137))
    assert (d.category, d.rule) == ("oom_killed", "oom-killer")
    assert any(k.startswith("[ 8123.457050] Out of memory: Killed process 4321") for k in _keys(d))


# -- dependency audits --------------------------------------------------------------------------

# npm 11.19.1 `npm audit` with minimist 1.2.0 installed, the registry's bulk advisory
# endpoint answered on loopback with GHSA-xvch-5gv4-984h
NPM_AUDIT = [
    "# npm audit report",
    "",
    "minimist  <1.2.6",
    "Severity: critical",
    "Prototype Pollution in minimist - https://github.com/advisories/GHSA-xvch-5gv4-984h",
    "fix available via `npm audit fix --force`",
    "Will install minimist@1.2.8, which is outside the stated dependency range",
    "node_modules/minimist",
    "",
    "1 critical severity vulnerability",
    "",
    "To address all issues, run:",
    "  npm audit fix --force",
]


def test_npm_audit_is_a_lint_finding_about_the_lockfile() -> None:
    """Before: ``unknown``."""
    d = diagnose(actions_job("npm audit --audit-level=high", NPM_AUDIT))
    assert (d.category, d.rule) == ("lint", "dependency-audit")
    assert not d.retryable
    assert "1 critical severity vulnerability" in _keys(d)


def test_vulnerability_counts_in_a_failed_test_run_do_not_make_it_an_audit() -> None:
    """``npm ci`` prints the same counts in passing: the failing tests stay the cause."""
    lines = [
        "added 412 packages, and audited 413 packages in 6s",
        "",
        "3 vulnerabilities (1 moderate, 2 high)",
        "",
        "To address all issues, run:",
        "  npm audit fix",
        "",
        "> proj@1.0.0 test",
        "> jest --ci",
        "",
        "FAIL src/sum.test.js",
        "  ● sum › adds",
        "",
        "    expect(received).toBe(expected) // Object.is equality",
        "",
        "Tests:       1 failed, 1 total",
    ]
    d = diagnose(actions_job("npm ci && npm test", lines))
    assert d.category == "test_failure"
    assert d.rule != "dependency-audit"


def test_published_audit_summaries() -> None:
    cases = [
        # yarn audit v1.22.10, https://github.com/gitkraken/vscode-gitlens/issues/1562
        (
            "yarn audit --summary",
            [
                "yarn audit v1.22.10",
                "2 vulnerabilities found - Packages audited: 830",
                "Severity: 2 High",
                "✨  Done in 1.22s.",
            ],
            8,
            "2 vulnerabilities found - Packages audited: 830",
        ),
        # cargo-audit, https://github.com/rustsec/rustsec/issues/81 (tabs as published)
        (
            "cargo audit",
            [
                "    Scanning Cargo.lock for vulnerabilities (86 crate dependencies)",
                "error: Vulnerable crates found!",
                "",
                "ID:\t RUSTSEC-2019-0009",
                "Crate:\t smallvec",
                "Version: 0.6.9",
                "Title:\t Double-free and use-after-free in SmallVec::grow()",
                "Solution: upgrade to: >= 0.6.10",
                "",
                "error: 1 vulnerability found!",
            ],
            1,
            "error: 1 vulnerability found!",
        ),
        # bundler-audit, https://github.com/rubysec/bundler-audit/issues/408
        (
            "bundle exec bundler-audit check --update",
            [
                "Name: actionpack",
                "Version: 7.2.3",
                "CVE: CVE-2024-54133",
                "GHSA: GHSA-vfm5-rmrh-j26v",
                "Criticality: Unknown",
                "URL: https://github.com/rails/rails/security/advisories/GHSA-vfm5-rmrh-j26v",
                "Title: Possible Content Security Policy bypass in Action Dispatch",
                "Solution: update to '~> 7.0.8.7', '~> 7.1.5.1', '~> 7.2.2.1', '>= 8.0.0.1'",
                "",
                "Vulnerabilities found!",
            ],
            1,
            "Vulnerabilities found!",
        ),
        # npm 6 `npm audit`, https://github.com/fastlane/ci/issues/1006 and npm 6's report end
        (
            "npm audit",
            [
                "found 27 vulnerabilities (1 low, 25 moderate, 1 high) in 1154 scanned packages",
                "  run `npm audit fix` to fix 26 of them.",
            ],
            1,
            "found 27 vulnerabilities (1 low, 25 moderate, 1 high) in 1154 scanned packages",
        ),
    ]
    for command, lines, code, key in cases:
        d = diagnose(actions_job(command, lines, code))
        assert (d.category, d.rule) == ("lint", "dependency-audit"), command
        assert key in _keys(d), command


# pnpm 9.15.9 `pnpm audit` (minimist 1.2.0 in pnpm-lock.yaml), the registry's audit endpoint
# answered on loopback with GHSA-xvch-5gv4-984h
PNPM_AUDIT = [
    "┌─────────────────────┬────────────────────────────────────────────────────────┐",
    "│ critical            │ Prototype Pollution in minimist                        │",
    "├─────────────────────┼────────────────────────────────────────────────────────┤",
    "│ Package             │ minimist                                               │",
    "├─────────────────────┼────────────────────────────────────────────────────────┤",
    "│ Vulnerable versions │ <1.2.6                                                 │",
    "├─────────────────────┼────────────────────────────────────────────────────────┤",
    "│ Patched versions    │ >=1.2.6                                                │",
    "├─────────────────────┼────────────────────────────────────────────────────────┤",
    "│ More info           │ https://github.com/advisories/GHSA-xvch-5gv4-984h      │",
    "└─────────────────────┴────────────────────────────────────────────────────────┘",
    "1 vulnerabilities found",
    "Severity: 1 critical",
]


def test_pnpm_audit() -> None:
    """Before: ``unknown`` (a table border as the summary)."""
    d = diagnose(actions_job("pnpm audit --prod", PNPM_AUDIT))
    assert (d.category, d.rule) == ("lint", "dependency-audit")
    assert d.summary == "1 vulnerabilities found"


# pip-audit 2.10.1 `pip-audit -r requirements.txt --no-deps --disable-pip` (requests==2.19.0),
# PyPI's JSON vulnerability feed answered locally with PYSEC-2018-28 and GHSA-j8r2-6x86-q33q
PIP_AUDIT = [
    "WARNING:pip_audit._cli:--no-deps is supported, but users are encouraged to fully hash their pinned dependencies",
    "Found 2 known vulnerabilities in 1 package",
    "Name     Version ID             Fix Versions",
    "-------- ------- -------------- ------------",
    "requests 2.19.0  PYSEC-2018-28  2.20.0",
    "requests 2.19.0  CVE-2023-32681 2.31.0",
]


def test_pip_audit() -> None:
    """Before: ``unknown``, the table's header as the summary."""
    d = diagnose(actions_job("pip-audit -r requirements.txt", PIP_AUDIT))
    assert (d.category, d.rule) == ("lint", "dependency-audit")
    assert d.summary == "Found 2 known vulnerabilities in 1 package"


# -- Terraform ----------------------------------------------------------------------------------

# Terraform v1.11.4 `terraform validate -no-color`: two undeclared references
TF_VALIDATE = [
    "",
    "Error: Reference to undeclared input variable",
    "",
    '  on main.tf line 6, in resource "terraform_data" "a":',
    "   6:   input = var.regin",
    "",
    'An input variable with the name "regin" has not been declared. Did you mean',
    '"region"?',
    "",
    "Error: Reference to undeclared local value",
    "",
    '  on main.tf line 10, in output "x":',
    "  10:   value = local.missing",
    "",
    'A local value with the name "missing" has not been declared.',
]


def test_terraform_validate_plain_and_boxed() -> None:
    """Before: ``unknown``. Without -no-color terraform draws a box (``╷``, ``│ ``, ``╵``)."""
    d = diagnose(actions_job("terraform validate -no-color", TF_VALIDATE))
    assert (d.category, d.rule) == ("build", "terraform-config-error")
    assert d.summary == "Error: Reference to undeclared input variable"
    assert "Error: Reference to undeclared local value" in _keys(d)
    boxed = ["╷", *[f"│ {line}".rstrip() for line in TF_VALIDATE[1:8]], "╵"]
    d = diagnose(travis_job("terraform validate", boxed))
    assert (d.category, d.rule) == ("build", "terraform-config-error")
    assert d.summary == "│ Error: Reference to undeclared input variable"


def test_terraform_plan_syntax_errors() -> None:
    """Terraform v1.11.4 `terraform plan -no-color`: an unknown argument, an unclosed block."""
    unsupported = [
        "",
        "Error: Unsupported argument",
        "",
        '  on main.tf line 6, in resource "terraform_data" "web":',
        "   6:   count_me = 2",
        "",
        'An argument named "count_me" is not expected here.',
    ]
    unclosed = [
        "",
        "Error: Unclosed configuration block",
        "",
        '  on main.tf line 1, in resource "terraform_data" "web":',
        '   1: resource "terraform_data" "web" {',
        "",
        "There is no closing brace for this block before the end of the file. This may",
        "be caused by incorrect brace nesting elsewhere in this file.",
    ]
    for lines in (unsupported, unclosed):
        d = diagnose(actions_job("terraform plan -no-color -input=false", lines))
        assert (d.category, d.rule) == ("build", "terraform-config-error")
        assert d.summary == lines[1]


def test_terraform_provider_api_error_is_not_a_config_error() -> None:
    """An API refusal at apply time names a configuration line too (``with …, on main.tf
    line 12``): it is not the configuration's error (its shape as Terraform >= 0.15 prints
    provider errors; the AWS provider's message)."""
    lines = [
        "aws_instance.web: Creating...",
        "",
        "Error: creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 403, api error UnauthorizedOperation: You are not authorized to perform this operation.",
        "",
        "  with aws_instance.web,",
        '  on main.tf line 12, in resource "aws_instance" "web":',
        '  12: resource "aws_instance" "web" {',
    ]
    d = diagnose(actions_job("terraform apply -auto-approve -no-color", lines))
    assert d.rule != "terraform-config-error"
    assert d.category != "build"


# -- CI services' job time limits ----------------------------------------------------------------


def test_gitlab_job_timeout() -> None:
    """gitlab-runner's end of a job past its timeout, as published in
    https://github.com/DataBiosphere/azul/issues/7026. Before: command-timeout (``Terminated``)."""
    log = [
        "Running with gitlab-runner 16.9.1 (782c6ecb)",
        'Executing "step_script" stage of the job script',
        "$ pytest -q tests",
        "tests/test_api.py ........",
        "Terminated",
        "WARNING: step_script could not run to completion because the timeout was exceeded. For more control over job and script timeouts see: https://docs.gitlab.com/ee/ci/runners/configure_runners.html#set-script-and-after_script-timeouts",
        "ERROR: Job failed: execution took longer than 1h0m0s seconds",
    ]
    d = diagnose(io.BytesIO("".join(f"{line}\n" for line in log).encode()))
    assert (d.category, d.rule) == ("timeout", "ci-job-timeout")
    assert d.summary == "ERROR: Job failed: execution took longer than 1h0m0s seconds"


def _travis_end(command: str, output: list[str], ending: list[str]) -> io.BytesIO:
    """A Travis CI job stopped by Travis itself: no ``The command … exited with`` line."""
    out = [
        "travis_fold:start:worker_info",
        "Worker information",
        "travis_fold:end:worker_info",
        f"$ {command}",
        *output,
        *ending,
    ]
    return io.BytesIO("".join(f"{line}\n" for line in out).encode())


def test_travis_no_output_and_time_limit() -> None:
    """Travis' messages as published in https://github.com/travis-ci/travis-ci/issues/6155,
    https://github.com/elucideye/drishti/issues/98 and Travis' documentation. Before: ``unknown``."""
    silent = [
        "",
        "No output has been received in the last 10m0s, this potentially indicates a stalled build or something wrong with the build itself.",
        "Check the details on how to adjust your build configuration on: https://docs.travis-ci.com/user/common-build-problems/#build-times-out-because-no-output-was-received",
        "",
        "The build has been terminated",
    ]
    d = diagnose(_travis_end("./gradlew check", ["> Task :compileJava", "> Task :test"], silent))
    assert (d.category, d.rule) == ("timeout", "ci-job-timeout")
    assert d.summary == silent[1]
    limit = ["", "", "The job exceeded the maximum time limit for jobs, and has been terminated."]
    d = diagnose(_travis_end("make check", ["PASS: test_a"], limit))
    assert (d.category, d.rule) == ("timeout", "ci-job-timeout")


def test_circleci_no_output_limit() -> None:
    """CircleCI's message as published in https://github.com/nspcc-dev/neo-go/pull/2436."""
    lines = [
        "go test -v -race ./...",
        "",
        "Too long with no output (exceeded 10m0s): context deadline exceeded",
    ]
    d = diagnose(io.BytesIO("".join(f"{line}\n" for line in lines).encode()))
    assert (d.category, d.rule) == ("timeout", "ci-job-timeout")
