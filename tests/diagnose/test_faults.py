# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Crashes, resource deaths, time-outs, network and dependency failures (batch 5, p11c5).

Each snippet is written in the shape the tool prints (Go's runtime and testing package,
node's worker_threads, Ruby, wait-for-it/wait-on/kubectl, CMake's FetchContent, the Go
module loader) and asserts what a maintainer would name as the cause.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.scorer import echoed, error_score
from tests.diagnose.joblogs import actions_job

GO_NIL_PANIC = [
    "--- FAIL: TestParseEmpty (0.00s)",
    "panic: runtime error: invalid memory address or nil pointer dereference [recovered]",
    "\tpanic: runtime error: invalid memory address or nil pointer dereference",
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x5a1b2c]",
    "",
    "goroutine 7 [running]:",
    "testing.tRunner.func1.2({0x6a0c20, 0x8d4f10})",
    "\t/usr/local/go/src/testing/testing.go:1545 +0x238",
    "example.com/app/parse.TestParseEmpty(0xc000007ba0)",
    "\t/home/runner/work/app/app/parse/parse_test.go:21 +0x2e",
    "FAIL\texample.com/app/parse\t0.004s",
    "FAIL",
]


def test_a_go_nil_dereference_the_test_framework_recovered_is_a_failing_test() -> None:
    got = diagnose(actions_job("go test ./...", GO_NIL_PANIC))
    assert got.category == "test_failure"
    assert got.failing_tests == ["TestParseEmpty"]
    assert any("nil pointer dereference" in k.text for k in got.key_lines)


def test_a_go_program_that_crashes_in_c_code_is_a_segfault() -> None:
    lines = [
        "fatal error: unexpected signal during runtime execution",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b3c]",
        "",
        "goroutine 1 [syscall]:",
        "runtime.cgocall(0x4a2b00, 0xc00005ef30)",
        "main._Cfunc_decode()",
    ]
    assert diagnose(actions_job("go run ./cmd/decoder", lines, 2)).category == "segfault"


def test_a_crash_in_a_test_is_still_a_segfault_when_the_message_is_not_a_recovered_panic() -> None:
    lines = [
        "--- FAIL: TestDecode (0.00s)",
        "fatal error: unexpected signal during runtime execution",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b3c]",
        "FAIL\texample.com/app/codec\t0.010s",
    ]
    assert diagnose(actions_job("go test ./...", lines)).category == "segfault"


FETCH_DNS = [
    "-- The CXX compiler identification is GNU 13.2.0",
    "[ 22%] Performing download step (git clone) for 'fmt-populate'",
    "Cloning into 'fmt-src'...",
    "fatal: unable to access 'https://github.com/fmtlib/fmt.git/': Could not resolve host: github.com",
    "CMake Error at fmt-subbuild/fmt-populate-prefix/tmp/fmt-populate-gitclone.cmake:31 (message):",
    "  Failed to clone repository: 'https://github.com/fmtlib/fmt.git'",
    "-- Configuring incomplete, errors occurred!",
]


def test_a_build_whose_own_download_failed_first_is_the_network() -> None:
    got = diagnose(actions_job("cmake -S . -B build", FETCH_DNS))
    assert got.category == "infra_network"
    assert got.retryable
    assert got.alternative is not None and got.alternative["category"] == "build"


def test_a_network_error_after_the_build_error_does_not_hide_it() -> None:
    lines = [
        "src/main.cpp:4:10: error: 'optional' in namespace 'std' does not name a template type",
        "make: *** [Makefile:12: main.o] Error 1",
        "curl: (6) Could not resolve host: hooks.slack.com",
    ]
    assert diagnose(actions_job("make && ./notify.sh", lines, 2)).category == "build"


@pytest.mark.parametrize(
    ("command", "lines"),
    [
        (
            "./bin/indexer",
            [
                "runtime: out of memory: cannot allocate 134217728-byte block (1073741824 in use)",
                "fatal error: out of memory",
                "",
                "goroutine 1 [running]:",
            ],
        ),
        (
            "node scripts/resize.js",
            [
                "Error [ERR_WORKER_OUT_OF_MEMORY]: Worker terminated due to reaching memory limit: JS heap out of memory",
                "    at [kOnExit] (node:internal/worker:313:26)",
                "  code: 'ERR_WORKER_OUT_OF_MEMORY'",
            ],
        ),
        (
            "bundle exec rake import",
            ["lib/importer.rb:12: failed to allocate memory (NoMemoryError)"],
        ),
    ],
)
def test_allocation_failures_of_other_runtimes_are_out_of_memory(
    command: str, lines: list[str]
) -> None:
    assert diagnose(actions_job(command, lines)).category == "oom_killed"


@pytest.mark.parametrize(
    "line",
    [
        "wait-for-it.sh: timeout occurred after waiting 30 seconds for db:5432",
        "Error: Timed out waiting for: http-get://localhost:3000",
        "error: timed out waiting for the condition on deployments/api",
    ],
)
def test_a_harness_that_gave_up_waiting_is_a_timeout_even_before_the_tests(line: str) -> None:
    got = diagnose(actions_job("./wait.sh && npm test", [line]))
    assert got.category == "timeout"
    assert any(line in k.text for k in got.key_lines)


def test_a_go_import_no_module_provides_is_a_dependency_problem() -> None:
    missing = [
        "go: finding module for package github.com/acme/backoff/v3",
        "cmd/api/main.go:9:2: cannot find module providing package github.com/acme/backoff/v3: module lookup disabled by GOPROXY=off",
    ]
    assert diagnose(actions_job("go build ./...", missing)).category == "dependency_install"
    offline = [
        "cmd/api/main.go:9:2: cannot find module providing package github.com/acme/backoff/v3: "
        'module github.com/acme/backoff/v3: Get "https://proxy.golang.org/github.com/acme/backoff/v3/@v/list": '
        "dial tcp: lookup proxy.golang.org on 127.0.0.53:53: no such host",
    ]
    assert diagnose(actions_job("go build ./...", offline)).category == "infra_network"


def test_key_lines_from_the_tail_skip_the_steps_echoed_header() -> None:
    got = diagnose(actions_job("./scripts/smoke.sh", ["smoke: 3 of 4 probes answered"]))
    texts = [k.text for k in got.key_lines]
    assert "smoke: 3 of 4 probes answered" in texts
    assert not any(t.startswith("shell: ") or t == "./scripts/smoke.sh" for t in texts)


def test_the_scorer_reads_timed_out_as_error_like_and_echoes_as_not() -> None:
    assert error_score("upload: operation timed out after 30001 milliseconds") > 1
    assert error_score("upload: operation finished after 30001 milliseconds") <= 1
    assert echoed("shell: /usr/bin/bash -e {0}")
    assert not echoed("smoke: 3 of 4 probes answered")


def test_any_cmake_error_inside_find_package_is_a_missing_dependency() -> None:
    lines = [
        "CMake Error at cmake/deps.cmake:40 (find_package):",
        "  Found package configuration file:",
        "",
        "    /usr/local/lib/cmake/Foo/FooConfig.cmake",
        "",
        '  but it set Foo_FOUND to FALSE so package "Foo" is considered to be NOT',
        "  FOUND.  Reason given by package:",
        "  The following imported targets are referenced, but are missing: Foo::bar",
        "-- Configuring incomplete, errors occurred!",
    ]
    got = diagnose(actions_job("cmake -S . -B build", lines))
    assert got.category == "dependency_install"
    assert any("but it set Foo_FOUND to FALSE" in k.text for k in got.key_lines)
    plain = [
        "CMake Error at CMakeLists.txt:9 (add_executable):",
        "  Cannot find source file: main.cc",
    ]
    assert diagnose(actions_job("cmake -S . -B build", plain)).category == "build"


def test_npm_errors_indented_by_a_wrapper_are_still_npms() -> None:
    lines = [
        " Running `npm install` to install the linter ...",
        "  npm ERR! code ERESOLVE",
        "  npm ERR! ERESOLVE unable to resolve dependency tree",
        "  npm ERR! Could not resolve dependency:",
        '  npm ERR! peer react@"^17" from some-widget@2.0.1',
        "./run.sh: 12: node_modules/.bin/lint: not found",
    ]
    got = diagnose(actions_job("./run.sh", lines, 127))
    assert got.category == "dependency_install"
    assert any("ERESOLVE unable to resolve dependency tree" in k.text for k in got.key_lines)


@pytest.mark.parametrize(
    ("command", "line"),
    [
        ("bundle install", "Could not verify the SSL certificate for https://gems.corp.example/."),
        (
            "git fetch origin",
            "fatal: unable to access 'https://git.corp.example/app.git/': server certificate verification failed. CAfile: none CRLfile: none",
        ),
        (
            "go mod download",
            'go: example.com/x@v1.2.0: Get "https://proxy.corp.example/example.com/x/@v/v1.2.0.mod": x509: certificate signed by unknown authority',
        ),
        ("npm ci", "npm error code SELF_SIGNED_CERT_IN_CHAIN"),
        (
            "wget https://downloads.corp.example/tool.tgz",
            "ERROR: cannot verify downloads.corp.example's certificate, issued by 'CN=Corp Root':",
        ),
    ],
)
def test_a_tls_certificate_a_client_could_not_verify_is_the_network(
    command: str, line: str
) -> None:
    assert diagnose(actions_job(command, [line])).category == "infra_network"


def test_a_go_test_whose_http_client_timed_out_failed_because_of_the_network() -> None:
    lines = [
        "--- FAIL: TestHealth (10.00s)",
        '    health_test.go:14: Get "http://db:8080/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        "FAIL",
        "FAIL\texample.com/app/health\t10.012s",
    ]
    got = diagnose(actions_job("go test ./...", lines))
    assert got.category == "infra_network"
    assert got.failing_tests == ["TestHealth"]


@pytest.mark.parametrize(
    ("command", "lines", "category"),
    [
        (
            "python manage.py migrate",
            [
                "Traceback (most recent call last):",
                "sqlite3.OperationalError: database or disk is full",
            ],
            "disk_full",
        ),
        (
            "go build ./...",
            [
                "main.go:5:2: module example.com/kit@latest found (v1.3.0), but does not contain package example.com/kit/retry"
            ],
            "dependency_install",
        ),
        (
            "./bin/solver",
            ["./ci.sh: line 7:  4242 Floating point exception ./bin/solver"],
            "segfault",
        ),
        (
            "./bin/solver",
            ["./ci.sh: line 7:  4242 Illegal instruction     ./bin/solver"],
            "segfault",
        ),
    ],
)
def test_more_resource_crash_and_module_shapes(
    command: str, lines: list[str], category: str
) -> None:
    assert diagnose(actions_job(command, lines)).category == category


@pytest.mark.parametrize(
    ("command", "line", "category"),
    [
        # network, in more clients' words
        (
            "cargo fetch",
            "  [6] Couldn't resolve host name (Could not resolve host: index.crates.io)",
            "infra_network",
        ),
        (
            "cargo fetch",
            "  [28] Timeout was reached (Operation timed out after 30000 milliseconds with 0 bytes received)",
            "infra_network",
        ),
        (
            "git clone https://example.org/a.git",
            "error: RPC failed; HTTP/2 stream 1 was not closed cleanly: INTERNAL_ERROR (err 2)",
            "infra_network",
        ),
        (
            "go mod download",
            'go: example.com/m@v1.0.0: Get "https://proxy.golang.org/example.com/m/@v/v1.0.0.zip": stream error: stream ID 3; INTERNAL_ERROR',
            "infra_network",
        ),
        (
            "composer install",
            "  curl error 28 while downloading https://repo.packagist.org/packages.json: Operation timed out",
            "infra_network",
        ),
        (
            "mvn -B verify",
            "[ERROR] Connect to repo.maven.apache.org:443 [repo.maven.apache.org/151.101.0.215] failed: Connect timed out",
            "infra_network",
        ),
        (
            "bundle install",
            "Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>",
            "infra_network",
        ),
        ("node scripts/sync.js", "  code: 'UND_ERR_CONNECT_TIMEOUT'", "infra_network"),
        (
            "dotnet restore",
            "/home/runner/work/app/app/App.csproj : error NU1301: Unable to load the service index for source https://api.nuget.org/v3/index.json.",
            "infra_network",
        ),
        (
            "sudo apt-get install -y libpq-dev",
            "E: Failed to fetch http://azure.archive.ubuntu.com/ubuntu/pool/main/p/postgresql/libpq5.deb  Hash Sum mismatch",
            "infra_network",
        ),
        # dependency resolution in package managers no rule knew
        (
            "dotnet restore",
            "/home/runner/work/app/app/App.csproj : error NU1101: Unable to find package Acme.Widgets. No packages exist with this id in source(s): nuget.org",
            "dependency_install",
        ),
        (
            "conda env create -f environment.yml",
            "PackagesNotFoundError: The following packages are not available from current channels:",
            "dependency_install",
        ),
        (
            "micromamba create -f env.yml",
            "error    libmamba Could not solve for environment specs",
            "dependency_install",
        ),
        (
            "brew install fakepkg",
            'Error: No available formula with the name "fakepkg".',
            "dependency_install",
        ),
        (
            "go mod download",
            "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
            "dependency_install",
        ),
        # time limits of test frameworks
        (
            "mvn -B test",
            "org.junit.runners.model.TestTimedOutException: test timed out after 100 milliseconds",
            "timeout",
        ),
        (
            "gradle test",
            "    java.util.concurrent.TimeoutException: drainsQueue() timed out after 2 seconds",
            "timeout",
        ),
        ("cargo nextest run", "        TIMEOUT [  60.004s] app::tests::waits_forever", "timeout"),
        (
            "bazel test //...",
            "//server:integration_test                                              TIMEOUT in 300.1s",
            "timeout",
        ),
        # crashes and memory
        (
            "java -jar app.jar",
            "# A fatal error has been detected by the Java Runtime Environment:",
            "segfault",
        ),
        (
            "dotnet test",
            "The active test run was aborted. Reason: Test host process crashed : Stack overflow.",
            "segfault",
        ),
        (
            "g++ -O2 -c big.cpp",
            "cc1plus: out of memory allocating 268435456 bytes after a total of 1073741824 bytes",
            "oom_killed",
        ),
        ("cargo build --release", "LLVM ERROR: out of memory", "oom_killed"),
        (
            "cargo build --release",
            "          collect2: fatal error: ld terminated with signal 9 [Killed]",
            "oom_killed",
        ),
        (
            "./gradlew build",
            "Daemon will be stopped at the end of the build after running out of JVM memory: JVM heap space is exhausted",
            "oom_killed",
        ),
    ],
)
def test_shapes_of_more_clients_and_frameworks(command: str, line: str, category: str) -> None:
    assert diagnose(actions_job(command, [line])).category == category


def test_a_fatal_signal_exit_code_alone_is_a_crash() -> None:
    assert diagnose(actions_job("./bin/render", ["rendering 3 pages"], 136)).category == "segfault"


@pytest.mark.parametrize(
    "line",
    [
        "##[error]This request was automatically failed because there were no enabled runners online to process the request for more than 1 days.",
        "##[error]The job has exceeded the maximum execution time while awaiting a runner for 24h0m0s",
        "##[error]An error occurred while provisioning resources (Error Type: Disconnect).",
        "##[error]Received request to deprovision: The request was cancelled by the remote provider.",
    ],
)
def test_a_job_no_runner_took_or_whose_machine_went_away_is_the_runner(line: str) -> None:
    out = ["Current runner version: '2.316.1'", line]
    text = "".join(f"2024-01-01T00:00:{i:02d}.0000000Z {x}\n" for i, x in enumerate(out))
    got = diagnose(io.BytesIO(text.encode()))
    assert got.category == "infra_runner"
    assert got.retryable


@pytest.mark.parametrize(
    "line",
    [
        "malloc(): corrupted top size",
        "munmap_chunk(): invalid pointer",
        "corrupted size vs. prev_size",
    ],
)
def test_glibc_heap_checks_are_the_key_line_of_the_abort(line: str) -> None:
    lines = ["loading 12 rows", line, "./ci.sh: line 4:  4242 Aborted                 ./table"]
    got = diagnose(actions_job("./ci.sh", lines, 134))
    assert got.category == "segfault"
    assert got.key_lines[0].text == line


@pytest.mark.parametrize(
    ("command", "line", "category"),
    [
        ("make -j4", "make: *** [Makefile:21: build/app.o] Killed", "oom_killed"),
        ("make test", "make[1]: *** [Makefile:9: check] Error 137", "oom_killed"),
        ("npm run build", "npm error signal SIGKILL", "oom_killed"),
        ("yarn build", 'error Command failed with signal "SIGKILL".', "oom_killed"),
        ("docker compose up --exit-code-from api", "api-1 exited with code 137", "oom_killed"),
        (
            "python -m pytest tests",
            "E   subprocess.CalledProcessError: Command '['./render']' died with <Signals.SIGKILL: 9>.",
            "oom_killed",
        ),
        (
            "npx karma start --single-run",
            "Error: Timeout - Async function did not complete within 5000ms (set by jasmine.DEFAULT_TIMEOUT_INTERVAL)",
            "timeout",
        ),
        (
            "npx karma start --single-run",
            "ChromeHeadless 120.0.0 (Linux x86_64) ERROR\n  Disconnected, because no message in 30000 ms.",
            "timeout",
        ),
        ("npx ava", "  ✘ Timed out while running tests", "timeout"),
        (
            "mix test",
            "     ** (ExUnit.TimeoutError) test timed out after 60000ms. You can change the timeout:",
            "timeout",
        ),
        ("robot tests/", "Test timeout 1 minute exceeded.", "timeout"),
    ],
)
def test_kills_and_time_limits_as_wrappers_and_frameworks_report_them(
    command: str, line: str, category: str
) -> None:
    assert diagnose(actions_job(command, line.split("\n"))).category == category


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (
            "go test ./...",
            'Get "https://api.example.com/v1": read tcp 10.1.0.4:52110->1.2.3.4:443: read: connection reset by peer',
        ),
        ("python app.py", "httpx.ReadTimeout: timed out"),
        ("python app.py", "aiohttp.client_exceptions.ServerDisconnectedError: Server disconnected"),
        ("./gradlew run", "java.net.http.HttpConnectTimeoutException: HTTP connect timed out"),
        (
            "dotnet run",
            "System.Net.Http.HttpRequestException: No such host is known. (api.example.com:443)",
        ),
        (
            "dotnet run",
            "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
        ),
        ("node app.js", "AxiosError: timeout of 5000ms exceeded"),
        ("node app.js", "Error: unable to verify the first certificate"),
        (
            "node app.js",
            "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames",
        ),
        (
            "mysql -h 127.0.0.1 -e 'select 1'",
            "ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1:3306' (111)",
        ),
    ],
)
def test_http_clients_of_other_languages_fail_on_the_network(command: str, line: str) -> None:
    assert diagnose(actions_job(command, [line])).category == "infra_network"


@pytest.mark.parametrize(
    ("command", "line", "category"),
    [
        (
            "bun install --frozen-lockfile",
            "error: lockfile had changes, but lockfile is frozen",
            "dependency_install",
        ),
        (
            "swift build",
            "error: Dependencies could not be resolved because root depends on 'swift-nio' 9.0.0..<10.0.0.",
            "dependency_install",
        ),
        ("mix deps.get", "** (Mix) Hex dependency resolution failed", "dependency_install"),
        (
            "python train.py",
            "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB",
            "oom_killed",
        ),
        (
            "python run.py",
            "numpy.core._exceptions._ArrayMemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,) and data type float64",
            "oom_killed",
        ),
        ("python -m pytest", "Windows fatal exception: access violation", "segfault"),
    ],
)
def test_resolvers_allocators_and_crash_handlers_of_more_ecosystems(
    command: str, line: str, category: str
) -> None:
    assert diagnose(actions_job(command, [line])).category == category


@pytest.mark.parametrize("heading", ["Error", "ERROR", "Error:", "FAILED", "** FAILURE **"])
def test_a_bare_heading_never_outranks_the_line_that_says_what_failed(heading: str) -> None:
    """R CMD check prints ``ERROR`` and minitest ``Error:`` above what went wrong; the bare
    word says nothing, so the next line leads the key lines of a log no rule knows."""
    assert error_score(heading) == 0 < error_score("widget.c: cannot open config: No such file")
    got = diagnose(
        actions_job(
            "./tools/check-widgets",
            [heading, "widget loader: cannot open config/widgets.toml: No such file"],
        )
    )
    assert got.key_lines[0].text.startswith("widget loader: cannot open")
