# ruff: noqa: E501
"""C/C++ (gcc, g++, clang, make, cmake, ninja, ctest, sanitizers, valgrind, cppcheck,
clang-format, clang-tidy), shell (shellcheck, bash), apt-get, curl, wget, git, docker, and
the runner-side shapes that can only be framed (step/job time-out, cancel, runner lost)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generate import CHECKOUT, Case, StepSpec
from more_cases import Run, StepLike, add, case

C = [CHECKOUT]


def native(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", f"{tool.split()[0]} --version | head -1")
    return case(name, category, tool, steps, files, prelude=C, **kw)


CMAKE_APP = "cmake_minimum_required(VERSION 3.16)\nproject(app C CXX)\nenable_testing()\n"

add(
    native(
        "cpp_gpp_template_error",
        "build",
        "g++",
        ["g++ -std=c++17 -Wall -c src/registry.cpp -o registry.o"],
        {
            "src/registry.cpp": "#include <map>\n#include <string>\n#include <vector>\n\nstd::map<std::string, int> counts;\n\nint total(const std::vector<std::string>& names) {\n    int t = 0;\n    for (auto& n : names) t += counts[n];\n    counts.insert(names);\n    return t;\n}\n"
        },
        key=["error: no matching function for call to"],
    ),
    native(
        "c_clang_errors",
        "build",
        "clang",
        ["clang -Wall -Werror -c src/parse.c -o parse.o"],
        {
            "src/parse.c": '#include <stdio.h>\n\nint parse(const char *s) {\n    int n;\n    sscanf(s, "%d", n);\n    return n;\n}\n'
        },
        key=[
            "src/parse.c:5:21: error: format specifies type 'int *' but the argument has type 'int'"
        ],
    ),
    native(
        "make_no_rule",
        "build",
        "make",
        ["make -j2"],
        {
            "Makefile": "app: main.o util.o\n\tcc -o app main.o util.o\n\n%.o: src/%.c\n\tcc -c $< -o $@\n",
            "src/main.c": "int main(void) { return 0; }\n",
        },
        key=["No rule to make target 'util.o', needed by 'app'."],
    ),
    native(
        "make_keep_going_errors",
        "build",
        "make",
        ["make -k CFLAGS='-Wall -Werror'"],
        {
            "Makefile": "OBJS = a.o b.o c.o\napp: $(OBJS)\n\tcc -o app $(OBJS)\n",
            "a.c": "int a(void) { return 1; }\n",
            "b.c": "int b(void) { int unused; return 2; }\n",
            "c.c": "int c(void) { return undefined_symbol; }\n",
        },
        key=["c.c:1:22: error: ‘undefined_symbol’ undeclared"],
    ),
    native(
        "cmake_find_package_missing",
        "dependency_install",
        "cmake",
        ["cmake -S . -B build -G Ninja"],
        {
            "CMakeLists.txt": CMAKE_APP
            + "find_package(fmt 10 REQUIRED)\nadd_executable(app main.cpp)\ntarget_link_libraries(app fmt::fmt)\n",
            "main.cpp": "int main() {}\n",
        },
        key=['Could not find a package configuration file provided by "fmt"'],
    ),
    native(
        "cmake_configure_error",
        "build",
        "cmake",
        ["cmake -S . -B build"],
        {
            "CMakeLists.txt": CMAKE_APP
            + "add_executable(app main.c)\ntarget_compile_definitions(app PRIVATE VERSION=${PROJECT_VERSION}\n",
            "main.c": "int main(void) { return 0; }\n",
        },
        key=["CMake Error at CMakeLists.txt"],
    ),
    native(
        "ninja_compile_error",
        "build",
        "ninja",
        ["cmake -S . -B build -G Ninja > /dev/null && cmake --build build"],
        {
            "CMakeLists.txt": CMAKE_APP + "add_executable(app main.cpp util.cpp)\n",
            "main.cpp": "int helper();\nint main() { return helper(); }\n",
            "util.cpp": "#include <string>\nint helper() { std::string s = 5.0; return s.size(); }\n",
        },
        key=["FAILED: CMakeFiles/app.dir/util.cpp.o"],
        version="ninja --version",
    ),
    native(
        "ctest_plain_failures",
        "test_failure",
        "ctest",
        [
            "cmake -S . -B build > /dev/null && cmake --build build > /dev/null && cd build && ctest --output-on-failure"
        ],
        {
            "CMakeLists.txt": CMAKE_APP
            + "add_executable(test_math test_math.c)\nadd_test(NAME math_add COMMAND test_math add)\nadd_test(NAME math_div COMMAND test_math div)\n",
            "test_math.c": '#include <stdio.h>\n#include <string.h>\n\nint main(int argc, char **argv) {\n    if (strcmp(argv[1], "div") == 0) {\n        fprintf(stderr, "test_math.c:6: div(7, 2): expected 3.5, got 3\\n");\n        return 1;\n    }\n    return 0;\n}\n',
        },
        failures=[("math_div", "test_math.c:6: div(7, 2): expected 3.5, got 3", None)],
        key=["div(7, 2): expected 3.5, got 3"],
        version="ctest --version | head -1",
    ),
    native(
        "asan_heap_overflow",
        "segfault",
        "clang",
        ["clang -g -fsanitize=address -o buf buf.c && ./buf"],
        {
            "buf.c": "#include <stdlib.h>\n\nint main(void) {\n    int *xs = malloc(4 * sizeof(int));\n    for (int i = 0; i <= 4; i++) xs[i] = i;\n    free(xs);\n    return 0;\n}\n"
        },
        key=["ERROR: AddressSanitizer: heap-buffer-overflow"],
    ),
    native(
        "asan_use_after_free_gcc",
        "segfault",
        "gcc",
        ["gcc -g -fsanitize=address -o uaf uaf.c && ./uaf"],
        {
            "uaf.c": '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\nint main(void) {\n    char *name = strdup("ada");\n    free(name);\n    printf("%c\\n", name[0]);\n    return 0;\n}\n'
        },
        key=["ERROR: AddressSanitizer: heap-use-after-free"],
    ),
    native(
        "ubsan_overflow",
        "segfault",
        "clang",
        [
            "clang -g -fsanitize=undefined -fno-sanitize-recover=all -o ovf ovf.c && ./ovf 2147483647"
        ],
        {
            "ovf.c": "#include <stdlib.h>\n\nint main(int argc, char **argv) {\n    int n = atoi(argv[1]);\n    return n + 1 > 0 ? 0 : 1;\n}\n"
        },
        key=["runtime error: signed integer overflow"],
    ),
    native(
        "c_assert_abort",
        "segfault",
        "gcc",
        ["gcc -o check check.c && ./check"],
        {
            "check.c": '#include <assert.h>\n#include <stdio.h>\n\nint main(void) {\n    int users = 0;\n    puts("checking invariants");\n    assert(users > 0);\n    return 0;\n}\n'
        },
        key=["Assertion `users > 0' failed."],
    ),
    native(
        "cpp_uncaught_exception",
        "segfault",
        "g++",
        ["g++ -o server server.cpp && ./server --selftest"],
        {
            "server.cpp": '#include <stdexcept>\n#include <iostream>\n\nint main() {\n    std::cout << "loading config" << std::endl;\n    throw std::runtime_error("config not found: /etc/app.toml");\n}\n'
        },
        key=["what():  config not found: /etc/app.toml"],
    ),
    native(
        "valgrind_invalid_read",
        "segfault",
        "valgrind",
        ["gcc -g -o leak leak.c && valgrind --error-exitcode=1 -q ./leak"],
        {
            "leak.c": "#include <stdlib.h>\n\nint main(void) {\n    int *xs = malloc(3 * sizeof(int));\n    int s = xs[3];\n    free(xs);\n    return s == 42;\n}\n"
        },
        key=["Invalid read of size 4"],
        needs=("valgrind",),
    ),
    native(
        "cppcheck_errors",
        "lint",
        "cppcheck",
        ["cppcheck --error-exitcode=1 --enable=warning --quiet src"],
        {"src/buf.c": "void fill(void) {\n    char buf[8];\n    buf[8] = 0;\n}\n"},
        key=["Array 'buf[8]' accessed at index 8, which is out of bounds."],
        needs=("cppcheck",),
    ),
    native(
        "clang_format_check",
        "format",
        "clang-format",
        ["clang-format --dry-run --Werror src/*.c"],
        {"src/a.c": "int  main( void ){return 0;}\n"},
        key=["error: code should be clang-formatted [-Wclang-format-violations]"],
        needs=("clang-format",),
    ),
    native(
        "clang_tidy_errors",
        "lint",
        "clang-tidy",
        [
            "clang-tidy src/a.cpp --checks='-*,bugprone-*,performance-*' --warnings-as-errors='*' -- -std=c++17"
        ],
        {
            "src/a.cpp": "#include <string>\n#include <vector>\n\nint count(std::vector<std::string> names) {\n    int n = 0;\n    for (auto name : names) n += name.size();\n    return n;\n}\n"
        },
        key=["[performance-for-range-copy"],
        needs=("clang-tidy",),
    ),
    native(
        "gpp_cc1plus_killed",
        "oom_killed",
        "g++",
        [
            Run(
                "g++ -O2 -c heavy.cpp & G=$!; sleep 1; kill -9 $(pgrep -P $G) 2>/dev/null; wait $G",
                timeout=120,
            )
        ],
        {
            "heavy.cpp": "#include <regex>\n#include <map>\n#include <string>\n#include <vector>\n#include <iostream>\nstd::map<std::string, std::vector<std::regex>> table;\nint main() { for (auto& [k, v] : table) std::cout << k << v.size(); }\n"
        },
        key=["fatal error: Killed signal terminated program cc1plus"],
        note="the generator SIGKILLs cc1plus during the build, as the OOM killer does on a runner",
    ),
    native(
        "gpp_virtual_memory_exhausted",
        "oom_killed",
        "g++",
        ["ulimit -v 120000 && g++ -O2 -c heavy.cpp"],
        {
            "heavy.cpp": "#include <regex>\n#include <map>\n#include <string>\n#include <vector>\n#include <iostream>\nstd::map<std::string, std::vector<std::regex>> table;\nint main() { for (auto& [k, v] : table) std::cout << k << v.size(); }\n"
        },
        key=["virtual memory exhausted: Cannot allocate memory"],
    ),
)

# -- shell, apt, network clients ----------------------------------------------------------------

add(
    native(
        "shellcheck_quoting",
        "lint",
        "shellcheck",
        ["shellcheck scripts/*.sh"],
        {
            "scripts/deploy.sh": "#!/bin/bash\ncd $1\nfor f in $(ls *.tar.gz); do\n  rm -rf $DIR/$f\ndone\n"
        },
        key=["SC2164"],
        needs=("shellcheck",),
    ),
    native(
        "shellcheck_gcc_format",
        "lint",
        "shellcheck",
        ["shellcheck -f gcc ci/*.sh"],
        {"ci/test.sh": '#!/bin/sh\nif [ $# == 0 ]; then\n  echo "usage"\nfi\nlocal x=1\necho $x\n'},
        key=["ci/test.sh:2:9: warning: In POSIX sh, == in place of = is undefined. [SC3014]"],
        needs=("shellcheck",),
    ),
    native(
        "apt_get_unable_to_locate",
        "dependency_install",
        "apt-get",
        ["apt-get install -y --no-download libfoo-corpus-dev"],
        {},
        key=["E: Unable to locate package libfoo-corpus-dev"],
        version="apt-get --version | head -1",
    ),
    native(
        "apt_get_update_dns",
        "infra_network",
        "apt-get",
        [
            "echo 'deb https://ppa.launchpadcontent.net/deadsnakes/ppa/ubuntu jammy main' > sources.list\napt-get -o Dir::Etc::sourcelist=$PWD/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$PWD/lists -o APT::Get::List-Cleanup=0 -o Acquire::Retries=0 update --error-on=any\nmkdir -p lists/partial"
        ],
        {"lists/partial/.keep": ""},
        key=["Could not resolve 'ppa.launchpadcontent.net'"],
        version="apt-get --version | head -1",
    ),
    native(
        "curl_dns",
        "infra_network",
        "curl",
        ["curl -fsSL https://get.helm.sh/helm-v3.15.0-linux-amd64.tar.gz -o helm.tgz"],
        {},
        key=["curl: (6) Could not resolve host: get.helm.sh"],
    ),
    native(
        "curl_503",
        "infra_network",
        "curl",
        [
            "curl -fsSL --retry 2 --retry-delay 1 http://127.0.0.1:{p503}/releases/tool.tar.gz -o tool.tgz"
        ],
        {},
        key=["The requested URL returned error: 503"],
    ),
    native(
        "curl_429",
        "infra_network",
        "curl",
        ["curl -fsS http://127.0.0.1:{p429}/api/v1/artifacts/latest"],
        {},
        key=["The requested URL returned error: 429"],
    ),
    native(
        "curl_reset",
        "infra_network",
        "curl",
        ["curl -fsS http://127.0.0.1:{preset}/health"],
        {},
        key=["Connection reset by peer"],
    ),
    native(
        "curl_self_signed",
        "infra_network",
        "curl",
        ["curl -fsS https://127.0.0.1:{ptls}/simple/"],
        {},
        key=["SSL certificate problem: self-signed certificate"],
    ),
    native(
        "wget_dns",
        "infra_network",
        "wget",
        ["wget -nv --tries=1 https://nodejs.org/dist/v20.12.2/node-v20.12.2-linux-x64.tar.xz"],
        {},
        key=["unable to resolve host address"],
        needs=("wget",),
        version="wget --version | head -1",
    ),
    native(
        "git_clone_dns",
        "infra_network",
        "git",
        ["git clone --depth 1 https://github.com/octo/shared-config.git config"],
        {},
        key=["Could not resolve host: github.com"],
    ),
    native(
        "git_submodule_dns",
        "infra_network",
        "git",
        ["git submodule update --init --recursive"],
        {},
        key=["Could not resolve host: gitlab.com"],
        hidden="git init -q . && git -c protocol.file.allow=always submodule add -q https://gitlab.com/octo/vendored-lib.git vendor/lib 2>/dev/null || (printf '[submodule \"vendor/lib\"]\\n\\tpath = vendor/lib\\n\\turl = https://gitlab.com/octo/vendored-lib.git\\n' > .gitmodules && git update-index --add --cacheinfo 160000,1234567890123456789012345678901234567890,vendor/lib && git add .gitmodules && git -c user.email=a@b -c user.name=a commit -qm init)",
    ),
    native(
        "docker_no_daemon",
        "infra_runner",
        "docker",
        ["docker build -t app:ci ."],
        {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app\n"},
        key=[
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
        ],
        version="docker --version",
        note="a self-hosted runner without a Docker daemon",
    ),
    native(
        "killed_python_job",
        "oom_killed",
        "python",
        ["python train.py --epochs 1"],
        {
            "train.py": "import os, signal\nprint('epoch 1/1: loading 12 GB of features')\nos.kill(os.getpid(), signal.SIGKILL)\n"
        },
        key=["Killed"],
        version="python --version",
        note="the process is SIGKILLed as the OOM killer would",
    ),
    native(
        "timeout_kill_137",
        "timeout",
        "timeout",
        ["timeout -s KILL 2 ./integration.sh"],
        {
            "integration.sh": "#!/bin/sh\necho 'starting stack'\necho 'waiting for http://localhost:8080/health'\nsleep 60\n"
        },
        key=["Killed"],
        hidden="chmod +x integration.sh",
        note="exit 137 here is the harness's own time-out (timeout -s KILL), not memory",
    ),
    native(
        "gzip_enospc",
        "disk_full",
        "gzip",
        ["gzip -c dist/bundle.js > /dev/full"],
        {},
        key=["gzip: stdout: No space left on device"],
        hidden="mkdir -p dist && head -c 100000 /dev/urandom > dist/bundle.js",
        version="gzip --version | head -1",
    ),
    native(
        "tar_enospc",
        "disk_full",
        "tar",
        ["tar -czf /dev/full build/"],
        {"build/app.bin": "x" * 2000},
        key=["No space left on device"],
        version="tar --version | head -1",
    ),
)

# -- runner-side shapes: real message text, framed ------------------------------------------------

add(
    case(
        "framed_step_timeout_npm",
        "timeout",
        "actions runner",
        [
            StepSpec(
                "npm test",
                "> proj@1.0.0 test\n> jest --ci\n\nPASS src/a.test.js\nPASS src/b.test.js\n",
                raw_error="##[error]The action 'Run npm test' has timed out after 10 minutes.",
            )
        ],
        key=["has timed out after 10 minutes."],
        provenance="framed",
    ),
    case(
        "framed_job_timeout_cargo",
        "timeout",
        "actions runner",
        [
            StepSpec(
                "cargo build --release",
                "   Compiling proc-macro2 v1.0.86\n   Compiling syn v2.0.72\n   Compiling tokio v1.39.2\n",
                raw_error="##[error]The job running on runner GitHub Actions 3 has exceeded the maximum execution time of 60 minutes.",
            )
        ],
        key=["has exceeded the maximum execution time of 60 minutes."],
        provenance="framed",
    ),
    case(
        "framed_cancelled_concurrency",
        "cancelled",
        "actions runner",
        [
            StepSpec(
                "python -m pytest -q",
                "........................................                                  [ 40%]\n",
                raw_error="##[error]The operation was canceled.",
            )
        ],
        key=["The operation was canceled."],
        provenance="framed",
        note="a newer push cancelled the run (concurrency group)",
    ),
    case(
        "framed_runner_lost_oom",
        "infra_runner",
        "actions runner",
        [
            StepSpec(
                "npm run build",
                "> proj@1.0.0 build\n> webpack --mode production\n\n",
                raw_error="##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.",
            )
        ],
        key=["The runner has received a shutdown signal."],
        provenance="framed",
    ),
    case(
        "framed_runner_disk",
        "disk_full",
        "actions runner",
        [
            StepSpec(
                "docker build -t app .",
                "#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n#7 [4/6] RUN npm ci\n",
                raw_error="##[error]System.IO.IOException: No space left on device : '/home/runner/runners/2.316.1/_diag/Worker_20240501-120000-utc.log'",
            )
        ],
        key=["No space left on device"],
        provenance="framed",
    ),
    case(
        "framed_docker_pull_rate_limit",
        "infra_network",
        "docker",
        [
            StepSpec(
                "docker pull node:20-alpine",
                "Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit\n",
                1,
            )
        ],
        key=["toomanyrequests: You have reached your pull rate limit."],
        provenance="framed",
    ),
    case(
        "framed_docker_build_step_failed",
        "dependency_install",
        "docker",
        [
            StepSpec(
                "docker build -t app .",
                '#0 building with "default" instance using docker driver\n#5 [2/4] COPY package*.json ./\n#5 DONE 0.0s\n#6 [3/4] RUN npm ci\n#6 1.234 npm error code ETARGET\n#6 1.235 npm error notarget No matching version found for left-pad@99.0.0.\n#6 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1\n------\n > [3/4] RUN npm ci:\n1.234 npm error code ETARGET\n------\nERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1\n',
                1,
            )
        ],
        key=["No matching version found for left-pad@99.0.0."],
        provenance="framed",
    ),
    case(
        "framed_ghcr_push_502",
        "infra_network",
        "docker",
        [
            StepSpec(
                "docker push ghcr.io/octo/proj:sha-1a2b3c4",
                "The push refers to repository [ghcr.io/octo/proj]\n5f70bf18a086: Preparing\n2c1b5e8fcd0b: Pushing [==>   ]  1.2MB/20.1MB\nreceived unexpected HTTP status: 502 Bad Gateway\n",
                1,
            )
        ],
        key=["received unexpected HTTP status: 502 Bad Gateway"],
        provenance="framed",
    ),
)
