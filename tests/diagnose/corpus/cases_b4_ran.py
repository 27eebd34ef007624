# ruff: noqa: E501
"""Batch 4, run here (helper p11ran, names ``b4r_…``, ``batch: 4``): the engine's known weak
spots, each produced by the real tool — C/C++ test frameworks through ctest (GoogleTest,
Catch2 and doctest from Debian packages) and directly, sanitizer reports inside unit tests,
cmake ``find_package`` failures, ninja; monorepo wrappers that prefix every output line
(``pnpm -r``, ``turbo``, ``nx``, ``lerna --stream``) or interleave packages (npm
workspaces); tox and nox wrapping pytest; and tools no rule knows (for the generic scorer).

Needs, besides what ``more_cases.py`` and ``cases_b2_b.py`` list: Debian ``catch2``
(2.13), ``doctest-dev`` (2.4), ``libgtest-dev``; node packages ``pnpm@9 turbo@2`` and
``lerna@8`` (which brings ``nx``) installed with npm into ``$PITCREW_CORPUS_RAN_JS``
(default ``/tmp/pitcrew-corpus/ran/js``); ``tox==4.14.2 nox==2024.4.15 pytest==8.1.1`` in
the venv ``$PITCREW_CORPUS_RAN_PY`` (default ``/tmp/pitcrew-corpus/ran/py``).
Labels were written from each log's text before the engine was run on any of them. The last
nine (Boost.Test, meson, automake, cmocka, check, clang-tidy, clang-format, an unscoped
lerna prefix) were collected after this round's first engine changes; they need Debian
``libboost-test-dev`` (whose Boost headers make ``b4r_cmake_find_boost`` find Boost: that
case then skips and keeps its committed log), ``meson``, ``automake``, ``libcmocka-dev``, ``check``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import generate as g
from generate import CHECKOUT, Case, StepSpec
from more_cases import SETUP_NODE, Run, StepLike, add, case

RAN_JS = Path(os.environ.get("PITCREW_CORPUS_RAN_JS", "/tmp/pitcrew-corpus/ran/js"))
RAN_PY = Path(os.environ.get("PITCREW_CORPUS_RAN_PY", "/tmp/pitcrew-corpus/ran/py"))
JS_BIN = RAN_JS / "node_modules" / ".bin"
JS_ENV = {
    "PATH": f"{JS_BIN}:{os.environ['PATH']}",
    "TURBO_TELEMETRY_DISABLED": "1",
    "DO_NOT_TRACK": "1",
    "NX_DAEMON": "false",
    "NX_NO_CLOUD": "true",
    "NX_SKIP_NX_CACHE": "true",
    "npm_config_update_notifier": "false",
}
PY_ENV = {"PATH": f"{RAN_PY / 'bin'}:{os.environ['PATH']}", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
SETUP_PY = StepSpec("actions/setup-python@v5", "Successfully set up CPython (3.11.9)\n")
CMAKE_HEAD = "cmake_minimum_required(VERSION 3.16)\nproject(app C CXX)\nenable_testing()\nset(CMAKE_CXX_STANDARD 17)\n"
BUILD = "cmake -S . -B build > /dev/null && cmake --build build > /dev/null"


def _scrub(text: str) -> str:
    """The throwaway installs' paths → the runner's."""
    text = text.replace(str(RAN_JS / "node_modules"), g.WORKDIR + "/node_modules")
    return text.replace(str(RAN_PY), "/home/runner/work/proj/proj/.venv")


def b4(c: Case) -> Case:
    """Every case of this module belongs to collection round 4; outputs lose machine paths."""
    inner = c.build

    def build(root: Path) -> list[StepSpec]:
        specs = inner(root)
        for spec in specs:
            spec.output = _scrub(spec.output)
            spec.run = _scrub(spec.run)
        return specs

    c.build = build
    c.batch = 4
    return c


def native(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", f"{tool.split()[0]} --version | head -1")
    return b4(case(name, category, tool, steps, files, prelude=[CHECKOUT], **kw))


def js(
    name: str, category: str, tool: str, steps: Sequence[str], files: dict[str, str], **kw: Any
) -> Case:
    """A workspace with the wrappers' node_modules linked in (nx and lerna look there)."""
    kw.setdefault(
        "version",
        f'cd {RAN_JS} && echo "{tool} $(PATH={JS_BIN}:$PATH {tool} --version 2>/dev/null | tail -1)"',
    )
    kw.setdefault("needs", ())
    runs = [Run(s, env=JS_ENV, timeout=240) for s in steps]
    hidden = f"ln -s {RAN_JS / 'node_modules'} node_modules && git init -q . && git add -A && git -c user.email=ci@example.com -c user.name=ci commit -qm init"
    files = {**WORKSPACE, **files}
    return b4(
        case(name, category, tool, runs, files, prelude=[CHECKOUT, SETUP_NODE], hidden=hidden, **kw)
    )


def py(
    name: str,
    category: str,
    tool: str,
    steps: Sequence[str],
    files: dict[str, str],
    env: dict[str, str] | None = None,
    **kw: Any,
) -> Case:
    kw.setdefault(
        "version",
        f"{RAN_PY / 'bin' / 'python'} -c \"import importlib.metadata as m; print('{tool}', m.version('{tool}'))\"",
    )
    runs = [Run(s, env={**PY_ENV, **(env or {})}, timeout=300) for s in steps]
    return b4(case(name, category, tool, runs, files, prelude=[CHECKOUT, SETUP_PY], **kw))


# -- C/C++ test frameworks ---------------------------------------------------------------------

STACK_CATCH = """#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

static int top(const std::vector<int>& v) {
  if (v.empty()) throw std::out_of_range("top of empty stack");
  return v.front();
}

TEST_CASE("top returns the last pushed value", "[stack]") {
  std::vector<int> v{1, 2, 3};
  REQUIRE(top(v) == 3);
}

TEST_CASE("top of an empty stack is zero", "[stack]") {
  std::vector<int> v;
  CHECK(top(v) == 0);
}

TEST_CASE("size after one push", "[stack]") {
  std::vector<int> v;
  v.push_back(4);
  CHECK(v.size() == 1);
}
"""

TRIM_DOCTEST = """#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <string>

static std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(' ');
  auto e = s.find_last_not_of(' ');
  return s.substr(b, e - b);
}

TEST_CASE("trim removes spaces on both sides") { CHECK(trim("  ab  ") == "ab"); }

TEST_CASE("trim of a bare word") { CHECK(trim("x").size() == 1); }

TEST_CASE("trim of only spaces") { CHECK(trim("   ").empty()); }
"""

GEO_GTEST = """#include <gtest/gtest.h>
#include <cmath>
#include <stdexcept>
#include <vector>

static double dist(double x1, double y1, double x2, double y2) {
  return std::sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y1 - y1));
}

static double area(const std::vector<double>& sides) {
  if (sides.size() != 3) throw std::invalid_argument("a triangle has three sides");
  return 0.0;
}

TEST(Geometry, Horizontal) { EXPECT_DOUBLE_EQ(dist(0, 0, 3, 0), 3.0); }

TEST(Geometry, Diagonal) { EXPECT_NEAR(dist(0, 0, 3, 4), 5.0, 1e-9); }

TEST(Geometry, Vertical) {
  double d = dist(0, 0, 0, 2);
  ASSERT_TRUE(d > 1.0) << "vertical distance was " << d;
}

TEST(Geometry, AreaOfSquare) { EXPECT_EQ(area({1, 1, 1, 1}), 1.0); }
"""

GTEST_DISCOVER = (
    CMAKE_HEAD
    + "find_package(GTest REQUIRED)\ninclude(GoogleTest)\nadd_executable(geo_test tests/geo_test.cpp)\ntarget_link_libraries(geo_test GTest::gtest_main)\ngtest_discover_tests(geo_test)\n"
)

add(
    native(
        "b4r_catch2_ctest",
        "test_failure",
        "ctest",
        [BUILD + "\nctest --test-dir build --output-on-failure"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(Catch2 REQUIRED)\nadd_executable(stack_test tests/stack_test.cpp)\ntarget_link_libraries(stack_test Catch2::Catch2)\nadd_test(NAME stack_test COMMAND stack_test)\n",
            "tests/stack_test.cpp": STACK_CATCH,
        },
        failures=[
            (
                "top returns the last pushed value",
                "REQUIRE( top(v) == 3 )",
                "tests/stack_test.cpp:13",
            ),
            ("top of an empty stack is zero", "CHECK( top(v) == 0 )", "tests/stack_test.cpp:18"),
        ],
        tests=["top returns the last pushed value", "top of an empty stack is zero", "stack_test"],
        key=["REQUIRE( top(v) == 3 )"],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_catch2_discover_ctest",
        "test_failure",
        "ctest",
        [BUILD + "\nctest --test-dir build -j2 --output-on-failure"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(Catch2 REQUIRED)\ninclude(Catch)\nadd_executable(stack_test tests/stack_test.cpp)\ntarget_link_libraries(stack_test Catch2::Catch2)\ncatch_discover_tests(stack_test)\n",
            "tests/stack_test.cpp": STACK_CATCH,
        },
        failures=[
            (
                "top returns the last pushed value",
                "REQUIRE( top(v) == 3 )",
                "tests/stack_test.cpp:13",
            ),
            ("top of an empty stack is zero", "CHECK( top(v) == 0 )", "tests/stack_test.cpp:18"),
        ],
        key=["REQUIRE( top(v) == 3 )"],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_catch2_direct",
        "test_failure",
        "catch2",
        ["g++ -std=c++17 -o stack_test tests/stack_test.cpp\n./stack_test --use-colour no"],
        {"tests/stack_test.cpp": STACK_CATCH},
        failures=[
            (
                "top returns the last pushed value",
                "REQUIRE( top(v) == 3 )",
                "tests/stack_test.cpp:13",
            ),
            ("top of an empty stack is zero", "CHECK( top(v) == 0 )", "tests/stack_test.cpp:18"),
        ],
        key=["REQUIRE( top(v) == 3 )"],
        version="g++ --version | head -1",
    ),
    native(
        "b4r_doctest_ctest",
        "test_failure",
        "ctest",
        [BUILD + "\nctest --test-dir build --output-on-failure"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(doctest REQUIRED)\nadd_executable(str_test tests/str_test.cpp)\ntarget_link_libraries(str_test doctest::doctest)\nadd_test(NAME str_test COMMAND str_test)\n",
            "tests/str_test.cpp": TRIM_DOCTEST,
        },
        failures=[
            (
                "trim removes spaces on both sides",
                'CHECK( trim("  ab  ") == "ab" ) is NOT correct!',
                "tests/str_test.cpp:11",
            ),
            (
                "trim of a bare word",
                'CHECK( trim("x").size() == 1 ) is NOT correct!',
                "tests/str_test.cpp:13",
            ),
            (
                "trim of only spaces",
                'CHECK( trim("   ").empty() ) THREW exception:',
                "tests/str_test.cpp:15",
            ),
        ],
        tests=[
            "trim removes spaces on both sides",
            "trim of a bare word",
            "trim of only spaces",
            "str_test",
        ],
        key=['CHECK( trim("  ab  ") == "ab" ) is NOT correct!'],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_doctest_direct",
        "test_failure",
        "doctest",
        ["g++ -std=c++17 -o str_test tests/str_test.cpp\n./str_test --no-colors"],
        {"tests/str_test.cpp": TRIM_DOCTEST},
        failures=[
            (
                "trim removes spaces on both sides",
                'CHECK( trim("  ab  ") == "ab" ) is NOT correct!',
                "tests/str_test.cpp:11",
            ),
            (
                "trim of a bare word",
                'CHECK( trim("x").size() == 1 ) is NOT correct!',
                "tests/str_test.cpp:13",
            ),
            (
                "trim of only spaces",
                'CHECK( trim("   ").empty() ) THREW exception:',
                "tests/str_test.cpp:15",
            ),
        ],
        key=['CHECK( trim("  ab  ") == "ab" ) is NOT correct!'],
        version="g++ --version | head -1",
    ),
    native(
        "b4r_gtest_discover_ctest",
        "test_failure",
        "ctest",
        [BUILD + "\nctest --test-dir build -j2 --output-on-failure"],
        {"CMakeLists.txt": GTEST_DISCOVER, "tests/geo_test.cpp": GEO_GTEST},
        failures=[
            (
                "Geometry.Diagonal",
                "The difference between dist(0, 0, 3, 4) and 5.0 is",
                "tests/geo_test.cpp:17",
            ),
            ("Geometry.Vertical", "Value of: d > 1.0", "tests/geo_test.cpp:21"),
            (
                "Geometry.AreaOfSquare",
                'C++ exception with description "a triangle has three sides" thrown in the test body.',
                None,
            ),
        ],
        key=["The difference between dist(0, 0, 3, 4) and 5.0 is"],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_gtest_filter_direct",
        "test_failure",
        "googletest",
        [
            "g++ -std=c++17 -o geo_test tests/geo_test.cpp -lgtest -lgtest_main -pthread\n./geo_test --gtest_color=no --gtest_brief=1"
        ],
        {"tests/geo_test.cpp": GEO_GTEST},
        failures=[
            (
                "Geometry.Diagonal",
                "The difference between dist(0, 0, 3, 4) and 5.0 is",
                "tests/geo_test.cpp:17",
            ),
            ("Geometry.Vertical", "Value of: d > 1.0", "tests/geo_test.cpp:21"),
            (
                "Geometry.AreaOfSquare",
                'C++ exception with description "a triangle has three sides" thrown in the test body.',
                None,
            ),
        ],
        key=["The difference between dist(0, 0, 3, 4) and 5.0 is"],
        version="g++ --version | head -1",
    ),
    native(
        "b4r_ctest_test_timeout",
        "timeout",
        "ctest",
        [BUILD + "\nctest --test-dir build --output-on-failure"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_executable(poll tests/poll.c)\nadd_executable(quick tests/quick.c)\nadd_test(NAME quick COMMAND quick)\nadd_test(NAME poll_server COMMAND poll)\nset_tests_properties(poll_server PROPERTIES TIMEOUT 2)\n",
            "tests/poll.c": '#include <stdio.h>\n#include <unistd.h>\nint main(void) {\n  printf("waiting for server on 127.0.0.1:9000\\n");\n  fflush(stdout);\n  for (;;) sleep(1);\n}\n',
            "tests/quick.c": "int main(void) { return 0; }\n",
        },
        tests=["poll_server"],
        key=["***Timeout"],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_ctest_no_output_on_failure",
        "test_failure",
        "ctest",
        [BUILD + "\ncd build && ctest"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_executable(check_units tests/units.c)\nadd_test(NAME units_km COMMAND check_units km)\nadd_test(NAME units_mile COMMAND check_units mile)\nadd_test(NAME units_inch COMMAND check_units inch)\n",
            "tests/units.c": '#include <stdio.h>\n#include <string.h>\nint main(int argc, char **argv) {\n  double m = strcmp(argv[1], "km") == 0 ? 1000 : strcmp(argv[1], "mile") == 0 ? 1609.34 : 0.0254;\n  if (strcmp(argv[1], "inch") == 0 && m != 0.025) { fprintf(stderr, "inch: %f != 0.025\\n", m); return 1; }\n  return 0;\n}\n',
        },
        tests=["units_inch"],
        key=["3/3 Test #3: units_inch"],
        version="ctest --version | head -1",
    ),
    # -- sanitizers inside unit tests --------------------------------------------------------
    native(
        "b4r_gtest_asan_ctest",
        "segfault",
        "ctest",
        [
            "cmake -S . -B build -DCMAKE_CXX_FLAGS=-fsanitize=address > /dev/null && cmake --build build > /dev/null\nctest --test-dir build --output-on-failure"
        ],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(GTest REQUIRED)\nadd_executable(cache_test tests/cache_test.cpp)\ntarget_link_libraries(cache_test GTest::gtest_main)\nadd_test(NAME cache_test COMMAND cache_test)\n",
            "tests/cache_test.cpp": "#include <gtest/gtest.h>\n#include <vector>\n\nstruct Ring {\n  std::vector<int> buf = std::vector<int>(4);\n  int at(int i) const { return buf.data()[i]; }\n};\n\nTEST(Ring, Starts) { EXPECT_EQ(Ring().at(0), 0); }\n\nTEST(Ring, WrapsAround) {\n  Ring r;\n  EXPECT_EQ(r.at(4), 0);\n}\n",
        },
        tests=["Ring.WrapsAround", "cache_test"],
        key=["ERROR: AddressSanitizer: heap-buffer-overflow"],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_catch2_ubsan_ctest",
        "segfault",
        "ctest",
        [
            "cmake -S . -B build '-DCMAKE_CXX_FLAGS=-fsanitize=undefined -fno-sanitize-recover=all' > /dev/null && cmake --build build > /dev/null\nctest --test-dir build --output-on-failure"
        ],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(Catch2 REQUIRED)\nadd_executable(hash_test tests/hash_test.cpp)\ntarget_link_libraries(hash_test Catch2::Catch2)\nadd_test(NAME hash_test COMMAND hash_test)\n",
            "tests/hash_test.cpp": '#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n#include <string>\n\nstatic int hash(const std::string& s) {\n  int h = 7;\n  for (char c : s) h = h * 31 + c;\n  return h;\n}\n\nTEST_CASE("hash of a short key") { CHECK(hash("a") == 314); }\n\nTEST_CASE("hash of a long key") { CHECK(hash("a-much-longer-key") != 0); }\n',
        },
        tests=["hash_test"],
        key=["runtime error: signed integer overflow"],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_gtest_tsan_direct",
        "segfault",
        "clang",
        [
            "clang++ -std=c++17 -fsanitize=thread -g -O1 -o counter_test tests/counter_test.cpp -lgtest -lgtest_main -pthread\n./counter_test --gtest_color=no"
        ],
        {
            "tests/counter_test.cpp": "#include <gtest/gtest.h>\n#include <thread>\n\nstatic long hits = 0;\nstatic void work() { for (int i = 0; i < 1000; i++) hits++; }\n\nTEST(Counter, TwoThreads) {\n  std::thread a(work), b(work);\n  a.join();\n  b.join();\n  EXPECT_GT(hits, 0);\n}\n",
        },
        key=["WARNING: ThreadSanitizer: data race"],
        version="clang --version | head -1",
    ),
    # -- cmake configure and ninja ------------------------------------------------------------
    native(
        "b4r_cmake_find_boost",
        "dependency_install",
        "cmake",
        ["cmake -S . -B build -G Ninja"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(Threads REQUIRED)\nfind_package(Boost 1.74 REQUIRED COMPONENTS filesystem program_options)\nadd_executable(app src/main.cpp)\ntarget_link_libraries(app Boost::filesystem Boost::program_options)\n",
            "src/main.cpp": "int main() { return 0; }\n",
        },
        key=["Could NOT find Boost"],
        version="cmake --version | head -1",
    ),
    native(
        "b4r_cmake_find_module_missing_component",
        "dependency_install",
        "cmake",
        ["cmake -S . -B build"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(GTest REQUIRED)\nfind_package(CURL 7.80 REQUIRED)\nadd_executable(fetch src/fetch.cpp)\ntarget_link_libraries(fetch CURL::libcurl)\n",
            "src/fetch.cpp": "int main() { return 0; }\n",
        },
        key=["Could NOT find CURL"],
        version="cmake --version | head -1",
    ),
    native(
        "b4r_ninja_missing_header",
        "build",
        "ninja",
        ["cmake -S . -B build -G Ninja > /dev/null", "cmake --build build"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_library(core src/core.cpp src/util.cpp)\nadd_executable(app src/main.cpp)\ntarget_link_libraries(app core)\n",
            "src/core.cpp": '#include "core.h"\n#include "config/generated_version.h"\nint core_version() { return VERSION_MAJOR; }\n',
            "src/core.h": "int core_version();\n",
            "src/util.cpp": "int util() { return 1; }\n",
            "src/main.cpp": '#include "core.h"\nint main() { return core_version(); }\n',
        },
        key=["fatal error: config/generated_version.h: No such file or directory"],
        version="ninja --version",
    ),
    native(
        "b4r_ninja_clang_link_error",
        "build",
        "ninja",
        [
            "cmake -S . -B build -G Ninja -DCMAKE_CXX_COMPILER=clang++ > /dev/null",
            "cmake --build build",
        ],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_library(shapes src/shapes.cpp)\nadd_executable(app src/main.cpp)\ntarget_link_libraries(app shapes)\n",
            "src/shapes.h": "struct Shape { virtual ~Shape(); virtual double area() const = 0; };\nstruct Square : Shape { double s; explicit Square(double s) : s(s) {} double area() const override; };\n",
            "src/shapes.cpp": '#include "shapes.h"\nShape::~Shape() {}\n',
            "src/main.cpp": '#include "shapes.h"\nint main() { Square q(2); return (int)q.area(); }\n',
        },
        key=["undefined reference to `Square::area() const'"],
        version="ninja --version",
    ),
    native(
        "b4r_ninja_k0_two_errors",
        "build",
        "ninja",
        ["cmake -S . -B build -G Ninja > /dev/null", "cmake --build build -- -k 0"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_executable(app src/main.cpp src/parse.cpp src/print.cpp)\n",
            "src/parse.cpp": "#include <string>\nint parse(const std::string& s) { return std::stoi(s) }\n",
            "src/print.cpp": '#include <cstdio>\n#include <vector>\nvoid print(const std::vector<int>& v) { for (auto x : v) std::printf("%d\\n", x); v.push_back(1); }\n',
            "src/main.cpp": "int main() { return 0; }\n",
        },
        key=["error: passing ‘const std::vector<int>’ as ‘this’ argument discards qualifiers"],
        version="ninja --version",
    ),
    native(
        "b4r_cmake_build_make_j",
        "build",
        "make",
        ["cmake -S . -B build > /dev/null", "cmake --build build -j2"],
        {
            "CMakeLists.txt": CMAKE_HEAD + "add_executable(app src/main.c src/table.c)\n",
            "src/table.c": '#include "table.h"\nint lookup(struct table *t, const char *key) { return t->count + key[0]; }\n',
            "src/table.h": "struct table { int size; };\nint lookup(struct table *t, const char *key);\n",
            "src/main.c": '#include "table.h"\nint main(void) { struct table t = {0}; return lookup(&t, "a"); }\n',
        },
        key=["error: ‘struct table’ has no member named ‘count’"],
        version="make --version | head -1",
    ),
)

# -- monorepo wrappers ---------------------------------------------------------------------------

WORKSPACE = {
    "package.json": '{"name": "mono", "private": true, "packageManager": "pnpm@9.15.9", "workspaces": ["packages/*"]}\n',
    "pnpm-workspace.yaml": 'packages:\n  - "packages/*"\n',
    "turbo.json": '{"$schema": "https://turbo.build/schema.json", "tasks": {"test": {}, "typecheck": {}}}\n',
    "nx.json": "{}\n",
    "lerna.json": '{"version": "1.0.0", "npmClient": "npm"}\n',
    "packages/core/package.json": '{"name": "@acme/core", "version": "1.0.0", "scripts": {"test": "node --test"}}\n',
    "packages/core/test/money.test.js": """const test = require('node:test');
const assert = require('node:assert');
const { format } = require('../money.js');

test('formats cents', () => {
  assert.strictEqual(format(1999), '$19.99');
});

test('formats negative amounts', () => {
  assert.strictEqual(format(-5), '-$0.05');
});
""",
    "packages/core/money.js": "exports.format = (cents) => '$' + (cents / 100).toFixed(2);\n",
    "packages/utils/package.json": '{"name": "@acme/utils", "version": "1.0.0", "scripts": {"test": "node --test"}}\n',
    "packages/utils/test/slug.test.js": """const test = require('node:test');
const assert = require('node:assert');

test('slugifies titles', () => {
  assert.strictEqual('Hello World'.toLowerCase().replace(/ /g, '-'), 'hello-world');
});
""",
}

WEB = {
    "packages/web/package.json": '{"name": "@acme/web", "version": "1.0.0", "scripts": {"typecheck": "tsc --noEmit -p ."}}\n',
    "packages/web/tsconfig.json": '{"compilerOptions": {"strict": true, "target": "es2020", "module": "commonjs"}, "include": ["src"]}\n',
    "packages/web/src/index.ts": 'export function greet(name: string): string {\n  return "hi " + name;\n}\n\nexport const count: number = greet("a");\nexport const shout = greet(42);\n',
}
NX_VERSION = (
    f"cd {RAN_JS} && echo nx $(node -p \"require('./node_modules/nx/package.json').version\")"
)
NODE_FAIL = [
    (
        "formats negative amounts",
        "Expected values to be strictly equal:",
        "packages/core/test/money.test.js:10",
    )
]
TSC_KEY = ["error TS2322: Type 'string' is not assignable to type 'number'."]

add(
    js(
        "b4r_pnpm_recursive_node_test",
        "test_failure",
        "pnpm",
        ["pnpm -r test"],
        {},
        failures=NODE_FAIL,
        key=["Expected values to be strictly equal:"],
    ),
    js(
        "b4r_pnpm_filter_tsc",
        "type_check",
        "pnpm",
        ['pnpm --filter "./packages/**" -r run typecheck'],
        WEB,
        key=TSC_KEY,
    ),
    js(
        "b4r_turbo_node_test",
        "test_failure",
        "turbo",
        ["turbo run test"],
        {},
        failures=NODE_FAIL,
        key=["Expected values to be strictly equal:"],
    ),
    js(
        "b4r_turbo_typecheck",
        "type_check",
        "turbo",
        ["turbo run typecheck --continue"],
        WEB,
        key=TSC_KEY,
    ),
    js(
        "b4r_nx_stream_node_test",
        "test_failure",
        "nx",
        ["nx run-many -t test --output-style=stream"],
        {},
        failures=NODE_FAIL,
        key=["Expected values to be strictly equal:"],
        version=NX_VERSION,
    ),
    js(
        "b4r_nx_static_typecheck",
        "type_check",
        "nx",
        ["nx run-many -t typecheck"],
        WEB,
        key=TSC_KEY,
        version=NX_VERSION,
    ),
    js(
        "b4r_lerna_stream_node_test",
        "test_failure",
        "lerna",
        ["lerna run test --stream"],
        {},
        failures=NODE_FAIL,
        key=["Expected values to be strictly equal:"],
    ),
    js(
        "b4r_npm_workspaces_node_test",
        "test_failure",
        "npm",
        ["npm test --workspaces"],
        {},
        failures=NODE_FAIL,
        key=["Expected values to be strictly equal:"],
        version="npm --version",
    ),
)

# -- tox and nox ----------------------------------------------------------------------------------

PY_PROJ = {
    "src/inventory.py": "def restock(stock, n):\n    if n < 0:\n        raise ValueError(f'cannot restock {n} items')\n    return stock + n - (1 if n > 10 else 0)\n",
    "tests/test_inventory.py": "import sys\nsys.path.insert(0, 'src')\nimport inventory\n\n\ndef test_small_restock():\n    assert inventory.restock(3, 2) == 5\n\n\ndef test_big_restock():\n    assert inventory.restock(3, 20) == 23\n",
}
TOX_INI = "[tox]\nenv_list = lint, py\nskipsdist = true\n\n[testenv]\ndeps = pytest==8.1.1\ncommands = pytest -q -p no:cacheprovider tests\n\n[testenv:lint]\ndeps =\ncommands = python -m compileall -q src\n"

add(
    py(
        "b4r_tox_pytest",
        "test_failure",
        "tox",
        ["tox -e lint,py"],
        {**PY_PROJ, "tox.ini": TOX_INI},
        failures=[
            (
                "tests/test_inventory.py::test_big_restock",
                "assert 22 == 23",
                "tests/test_inventory.py:11",
            )
        ],
        key=["assert 22 == 23"],
    ),
    py(
        "b4r_tox_deps_unresolvable",
        "dependency_install",
        "tox",
        ["tox -e py"],
        {
            **PY_PROJ,
            "tox.ini": TOX_INI.replace(
                "pytest==8.1.1", "pytest==8.1.1\n    inventory-client==0.0.0.dev999"
            ),
        },
        key=["No matching distribution found for inventory-client==0.0.0.dev999"],
    ),
    py(
        "b4r_nox_pytest",
        "test_failure",
        "nox",
        ["nox -s tests"],
        {
            # nox refuses NO_COLOR together with the generator's FORCE_COLOR: bash drops it
            ".ci-env": "unset FORCE_COLOR\n",
            **PY_PROJ,
            "noxfile.py": 'import nox\n\n\n@nox.session(python=False)\ndef tests(session):\n    session.run("pytest", "-q", "-p", "no:cacheprovider", "tests")\n',
        },
        env={"BASH_ENV": ".ci-env"},
        failures=[
            (
                "tests/test_inventory.py::test_big_restock",
                "assert 22 == 23",
                "tests/test_inventory.py:11",
            )
        ],
        key=["assert 22 == 23"],
    ),
)

# -- tools no rule knows: the generic scorer's case ------------------------------------------------

add(
    native(
        "b4r_unknown_jq_check",
        "unknown",
        "jq",
        [
            "echo \"checking service ports\"\njq -e '[.services[] | .port + 1] | all(. > 1024)' deploy/services.json"
        ],
        {
            "deploy/services.json": '{"services": [{"name": "api", "port": 8080}, {"name": "worker", "port": "9090"}, {"name": "cron"}]}\n',
        },
        key=["cannot be added"],
        version="jq --version",
        note="a custom config check with a tool no rule knows: the key line is the tool's error",
    ),
    native(
        "b4r_unknown_sqlite_migration",
        "unknown",
        "sqlite3",
        ['for f in migrations/*.sql; do echo "applying $f"; sqlite3 -bail app.db < "$f"; done'],
        {
            "migrations/001_init.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n",
            "migrations/002_index.sql": "CREATE UNIQUE INDEX users_email ON users (email);\nALTER TABLE user ADD COLUMN created_at TEXT;\n",
        },
        key=["no such table: user"],
        version="sqlite3 --version | cut -d' ' -f1",
    ),
    native(
        "b4r_unknown_script_warnings",
        "lint",  # unknown until batch 13: a project's check script is lint (b7q/b11q labels)
        "bash",
        ["./scripts/check-translations.sh"],
        {
            "scripts/check-translations.sh": '#!/bin/bash\nset -e\necho "Checking 3 locales against en.json"\nfor l in en fr de; do\n  echo "[$l] $(grep -c \'":\' locales/$l.json) keys"\ndone\necho "warning: locales/de.json has 1 unused key (legacy.title)"\nmissing=$(comm -23 <(grep -o \'"[a-z.]*":\' locales/en.json | sort) <(grep -o \'"[a-z.]*":\' locales/fr.json | sort) | tr -d \'":\' | paste -sd, -)\nif [ -n "$missing" ]; then\n  echo "FAILED: locales/fr.json is missing keys: $missing"\n  exit 4\nfi\n',
            "locales/en.json": '{"home.title": "Home", "cart.empty": "Empty", "cart.total": "Total"}\n',
            "locales/fr.json": '{"home.title": "Accueil", "cart.empty": "Vide"}\n',
            "locales/de.json": '{"home.title": "Start", "cart.empty": "Leer", "cart.total": "Summe", "legacy.title": "Alt"}\n',
        },
        hidden="chmod +x scripts/check-translations.sh",
        key=["FAILED: locales/fr.json is missing keys: cart.total"],
        version="bash --version | head -1",
        note="a project's own check script: no rule, the generic scorer must find the FAILED line;"
        " relabelled from unknown to lint at batch 13: the log says what failed (a missing"
        " translation key), and the corpus labels a project's check script lint (b7q/b12q"
        " awesome-elixir check.exs, b11q git-extras check_integrity.sh)",
    ),
)

# -- collected after p11ran's first rule changes (still never run through the engine before
# labelling): more C/C++ test frameworks and checkers, an unscoped lerna prefix --------------

QUEUE_BOOST = """#define BOOST_TEST_MODULE queue
#include <boost/test/included/unit_test.hpp>
#include <deque>
#include <stdexcept>

static int pop_front(std::deque<int>& q) { int v = q.back(); q.pop_back(); return v; }

BOOST_AUTO_TEST_SUITE(queue_ops)

BOOST_AUTO_TEST_CASE(pop_returns_oldest) {
  std::deque<int> q{1, 2, 3};
  BOOST_CHECK_EQUAL(pop_front(q), 1);
}

BOOST_AUTO_TEST_CASE(size_after_pop) {
  std::deque<int> q{1, 2};
  pop_front(q);
  BOOST_TEST(q.size() == 1u);
}

BOOST_AUTO_TEST_CASE(load_config) { throw std::runtime_error("config.ini not found"); }

BOOST_AUTO_TEST_SUITE_END()
"""
BOOST_FAILURES = [
    (
        "queue_ops/pop_returns_oldest",
        "check pop_front(q) == 1 has failed [3 != 1]",
        "tests/queue_test.cpp:12",
    ),
    ("queue_ops/load_config", "std::runtime_error: config.ini not found", None),
]
MONEY_CHECK = """#include <check.h>
#include <stdlib.h>

static int cents(const char *s) { return atoi(s) * 100; }

START_TEST(test_whole) { ck_assert_int_eq(cents("3"), 300); }
END_TEST

START_TEST(test_fraction) { ck_assert_int_eq(cents("1.25"), 125); }
END_TEST

int main(void) {
  Suite *s = suite_create("Money");
  TCase *tc = tcase_create("Core");
  tcase_add_test(tc, test_whole);
  tcase_add_test(tc, test_fraction);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
"""

add(
    native(
        "b4r_boost_test_ctest",
        "test_failure",
        "ctest",
        [BUILD + "\nctest --test-dir build --output-on-failure"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_executable(queue_test tests/queue_test.cpp)\nadd_test(NAME queue_test COMMAND queue_test)\n",
            "tests/queue_test.cpp": QUEUE_BOOST,
        },
        failures=BOOST_FAILURES,
        tests=[t for t, _, _ in BOOST_FAILURES] + ["queue_test"],
        key=["check pop_front(q) == 1 has failed [3 != 1]"],
        version="ctest --version | head -1",
    ),
    native(
        "b4r_boost_test_direct",
        "test_failure",
        "boost.test",
        ["g++ -std=c++17 -o queue_test tests/queue_test.cpp\n./queue_test"],
        {"tests/queue_test.cpp": QUEUE_BOOST},
        failures=BOOST_FAILURES,
        key=["check pop_front(q) == 1 has failed [3 != 1]"],
        version="g++ --version | head -1",
    ),
    native(
        "b4r_meson_test",
        "test_failure",
        "meson",
        ["meson setup build > /dev/null", "meson test -C build --print-errorlogs"],
        {
            "meson.build": "project('calc', 'c')\nparse = executable('parse_test', 'tests/parse_test.c')\nsum = executable('sum_test', 'tests/sum_test.c')\ntest('parse', parse)\ntest('sum', sum)\n",
            "tests/parse_test.c": '#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {\n  long v = strtol("0x10", NULL, 10);\n  if (v != 16) {\n    fprintf(stderr, "tests/parse_test.c:7: strtol(\\"0x10\\") = %ld, want 16\\n", v);\n    return 1;\n  }\n  return 0;\n}\n',
            "tests/sum_test.c": "int main(void) { return 1 + 1 == 2 ? 0 : 1; }\n",
        },
        tests=["parse"],
        key=['strtol("0x10") = 0, want 16'],
        version="meson --version",
    ),
    native(
        "b4r_automake_make_check",
        "test_failure",
        "make",
        ["autoreconf -i > /dev/null 2>&1 && ./configure > /dev/null", "make check"],
        {
            "configure.ac": "AC_INIT([calc], [1.0])\nAM_INIT_AUTOMAKE([foreign])\nAC_PROG_CC\nAC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n",
            "Makefile.am": "check_PROGRAMS = t_add t_div\nTESTS = $(check_PROGRAMS)\nt_add_SOURCES = tests/t_add.c\nt_div_SOURCES = tests/t_div.c\n",
            "tests/t_add.c": "int main(void) { return 2 + 2 == 4 ? 0 : 1; }\n",
            "tests/t_div.c": '#include <stdio.h>\nint main(void) {\n  int q = 7 / 2;\n  if (q != 4) { printf("t_div: 7/2 rounded = %d, want 4\\n", q); return 1; }\n  return 0;\n}\n',
        },
        tests=["t_div"],
        key=["FAIL: t_div"],
        version="automake --version | head -1",
    ),
    native(
        "b4r_cmocka_direct",
        "test_failure",
        "cmocka",
        ["gcc -o stack_test tests/stack_test.c -lcmocka\n./stack_test"],
        {
            "tests/stack_test.c": "#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <cmocka.h>\n\nstatic int stack[8], top;\nstatic void push(int v) { stack[top++] = v; }\nstatic int pop(void) { return stack[top]; }\n\nstatic void test_push_pop(void **state) {\n  (void)state;\n  top = 0;\n  push(3);\n  assert_int_equal(pop(), 3);\n}\n\nstatic void test_empty(void **state) {\n  (void)state;\n  top = 0;\n  assert_int_equal(top, 0);\n}\n\nint main(void) {\n  const struct CMUnitTest tests[] = {\n      cmocka_unit_test(test_push_pop),\n      cmocka_unit_test(test_empty),\n  };\n  return cmocka_run_group_tests(tests, NULL, NULL);\n}\n",
        },
        failures=[("test_push_pop", "0 != 0x3", "tests/stack_test.c:15")],
        key=["0 != 0x3"],
        version="gcc --version | head -1",
    ),
    native(
        "b4r_libcheck_direct",
        "test_failure",
        "check",
        [
            "gcc -o check_money tests/check_money.c $(pkg-config --cflags --libs check)\n./check_money"
        ],
        {"tests/check_money.c": MONEY_CHECK},
        failures=[
            ("test_fraction", "Assertion 'cents(\"1.25\") == 125' failed", "tests/check_money.c:9")
        ],
        key=["Assertion 'cents(\"1.25\") == 125' failed"],
        version="pkg-config --modversion check",
    ),
    native(
        "b4r_clang_tidy_warnings_as_errors",
        "lint",
        "clang-tidy",
        [
            "clang-tidy --quiet -checks='-*,bugprone-*,readability-braces-around-statements' -warnings-as-errors='*' src/*.c -- -Isrc"
        ],
        {
            "src/buf.c": "#include <string.h>\n#include <stdlib.h>\n\nchar *dup_name(const char *name) {\n  char *out = malloc(strlen(name));\n  if (!out) return NULL;\n  strcpy(out, name);\n  return out;\n}\n",
        },
        key=[
            "error: statement should be inside braces [readability-braces-around-statements,-warnings-as-errors]"
        ],
        version="clang-tidy --version | grep version",
    ),
    native(
        "b4r_clang_format_dry_run",
        "format",
        "clang-format",
        ["clang-format --dry-run --Werror src/*.c"],
        {
            "src/ring.c": "int ring_next(int i,int n){ return (i+1)%n; }\n",
            "src/ok.c": "int ok(void) { return 0; }\n",
        },
        key=["error: code should be clang-formatted [-Wclang-format-violations]"],
        version="clang-format --version",
    ),
    js(
        "b4r_lerna_stream_unscoped",
        "test_failure",
        "lerna",
        ["lerna run test --stream"],
        {
            "packages/core/package.json": '{"name": "core", "version": "1.0.0", "scripts": {"test": "node --test"}}\n',
            "packages/utils/package.json": '{"name": "utils", "version": "1.0.0", "scripts": {"test": "node --test"}}\n',
        },
        failures=NODE_FAIL,
        key=["Expected values to be strictly equal:"],
    ),
)
