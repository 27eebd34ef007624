# ruff: noqa: E501
"""More shapes per ecosystem: fixture/teardown errors, snapshots, hooks, npm-script wrappers,
memory limits inside test runners, harness time-outs, multi-step jobs, and a few more tools
(hadolint, shfmt, sqlfluff, cpplint)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generate import CHECKOUT, NPM_CI, SETUP_PY, Case
from more_cases import SETUP_GO, SETUP_NODE, SETUP_PHP, SETUP_RUBY, Run, StepLike, add, case

P = [CHECKOUT, SETUP_PY]
JS = [CHECKOUT, SETUP_NODE, NPM_CI]
PYV = "python -m pytest --version"
PKG = '{"name": "proj", "version": "1.0.0", "private": true, "scripts": {"build": "tsc -p .", "lint": "eslint --no-eslintrc --parser-options=ecmaVersion:2022 --rule \'semi: error\' src", "test": "jest --ci"}}\n'
CONF = {"conftest.py": "import sys\nsys.path.insert(0, 'src')\n"}

add(
    case(
        "py_pytest_fixture_setup_error",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CONF,
            "tests/test_store.py": "import json\n\nimport pytest\n\n\n@pytest.fixture\ndef settings(tmp_path):\n    return json.loads((tmp_path / 'settings.json').read_text())\n\n\ndef test_reads_settings(settings):\n    assert settings['debug'] is False\n\n\ndef test_plain():\n    assert True\n",
        },
        failures=[
            (
                "tests/test_store.py::test_reads_settings",
                "FileNotFoundError: [Errno 2] No such file or directory:",
                "tests/test_store.py:8",
            )
        ],
        key=["FileNotFoundError: [Errno 2] No such file or directory:"],
        version=PYV,
        prelude=P,
    ),
    case(
        "py_pytest_teardown_error",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider -rE tests"],
        {
            **CONF,
            "tests/test_conn.py": "import pytest\n\n\n@pytest.fixture\ndef conn():\n    yield {'open': True}\n    raise RuntimeError('connection pool still has 2 checked-out connections')\n\n\ndef test_query(conn):\n    assert conn['open']\n",
        },
        failures=[
            (
                "tests/test_conn.py::test_query",
                "RuntimeError: connection pool still has 2 checked-out connections",
                "tests/test_conn.py:7",
            )
        ],
        key=["RuntimeError: connection pool still has 2 checked-out connections"],
        version=PYV,
        prelude=P,
    ),
    case(
        "py_pytest_warning_as_error",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider -W error::DeprecationWarning tests"],
        {
            **CONF,
            "src/legacy.py": "import warnings\n\n\ndef old_api():\n    warnings.warn('old_api() is deprecated, use new_api()', DeprecationWarning, stacklevel=2)\n    return 1\n",
            "tests/test_legacy.py": "import legacy\n\n\ndef test_old_api():\n    assert legacy.old_api() == 1\n",
        },
        failures=[
            (
                "tests/test_legacy.py::test_old_api",
                "DeprecationWarning: old_api() is deprecated, use new_api()",
                "tests/test_legacy.py:5",
            )
        ],
        key=["DeprecationWarning: old_api() is deprecated, use new_api()"],
        version=PYV,
        prelude=P,
    ),
    case(
        "py_pytest_hypothesis",
        "test_failure",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CONF,
            "tests/test_codec.py": "from hypothesis import given, settings, strategies as st\n\n\ndef encode(s):\n    return s.encode('ascii', errors='ignore')\n\n\n@settings(database=None, derandomize=True)\n@given(st.text())\ndef test_roundtrip(s):\n    assert encode(s).decode('ascii') == s\n",
        },
        failures=[
            (
                "tests/test_codec.py::test_roundtrip",
                "AssertionError: assert '' == '\\x80'",
                "tests/test_codec.py:11",
            )
        ],
        key=["Failing test case: test_roundtrip("],
        version=PYV,
        prelude=P,
    ),
    case(
        "py_pytest_memoryerror_in_test",
        "oom_killed",
        "pytest",
        ["ulimit -v 600000 && python -m pytest -q -p no:cacheprovider tests"],
        {
            **CONF,
            "tests/test_bulk.py": "def test_bulk_import():\n    rows = [bytes(10**6) for _ in range(5000)]\n    assert len(rows) == 5000\n",
        },
        failures=[("tests/test_bulk.py::test_bulk_import", "MemoryError", "tests/test_bulk.py:2")],
        key=["MemoryError"],
        version=PYV,
        prelude=P,
    ),
    case(
        "py_pytest_many_files_summary",
        "test_failure",
        "pytest",
        ["python -m pytest -p no:cacheprovider -q --tb=short tests"],
        {
            **CONF,
            "tests/test_a.py": "def test_a1():\n    assert [1, 2, 3] == [1, 2, 4]\n\n\ndef test_a2():\n    assert 'x' in 'abc'\n",
            "tests/test_b.py": "def test_b1():\n    assert len([1, 2]) == 2\n\n\ndef test_b2():\n    raise ValueError('bad row 17: missing column \"email\"')\n",
            "tests/test_c.py": "def test_c1():\n    assert None is not None\n",
        },
        failures=[
            ("tests/test_a.py::test_a1", "assert [1, 2, 3] == [1, 2, 4]", "tests/test_a.py:2"),
            (
                "tests/test_a.py::test_a2",
                "AssertionError: assert 'x' in 'abc'",
                "tests/test_a.py:6",
            ),
            (
                "tests/test_b.py::test_b2",
                'ValueError: bad row 17: missing column "email"',
                "tests/test_b.py:6",
            ),
            ("tests/test_c.py::test_c1", "assert None is not None", "tests/test_c.py:2"),
        ],
        key=["assert [1, 2, 3] == [1, 2, 4]"],
        version=PYV,
        prelude=P,
    ),
    case(
        "py_unittest_subtest",
        "test_failure",
        "unittest",
        ["python -m unittest -v tests.test_ports"],
        {
            "tests/__init__.py": "",
            "tests/test_ports.py": "import unittest\n\n\nclass PortTest(unittest.TestCase):\n    def test_valid(self):\n        for port in (80, 443, 70000):\n            with self.subTest(port=port):\n                self.assertLess(port, 65536)\n",
        },
        failures=[
            (
                "tests.test_ports.PortTest.test_valid",
                "AssertionError: 70000 not less than 65536",
                "tests/test_ports.py:8",
            )
        ],
        key=["AssertionError: 70000 not less than 65536"],
        version="python --version",
        prelude=P,
    ),
    case(
        "py_zipfile_enospc",
        "disk_full",
        "python",
        ["python -m zipfile -c /dev/full dist/"],
        {"dist/app.py": "print('x')\n" * 50},
        key=["No space left on device"],
        version="python --version",
        prelude=P,
    ),
    case(
        "py_ruff_then_mypy_coe",
        "type_check",
        "mypy",
        [
            Run("ruff check --no-cache --isolated .", continue_on_error=True),
            "mypy --no-incremental --cache-dir=/dev/null app.py",
        ],
        {"app.py": "import os\n\n\ndef port() -> int:\n    return os.environ.get('PORT', 8080)\n"},
        key=[
            'app.py:5: error: Incompatible return value type (got "str | int", expected "int")  [return-value]'
        ],
        failed_steps=[
            ("Run ruff check --no-cache --isolated .", "lint"),
            ("Run mypy --no-incremental --cache-dir=/dev/null app.py", "type_check"),
        ],
        version="mypy --version",
        prelude=P,
    ),
    case(
        "hadolint_dockerfile",
        "lint",
        "hadolint",
        ["hadolint Dockerfile"],
        {
            "Dockerfile": "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nRUN cd /app && make\nADD app.tar.gz /app\n"
        },
        key=["DL3006"],
        needs=("hadolint",),
        version="hadolint --version",
        prelude=[CHECKOUT],
    ),
    case(
        "shfmt_diff",
        "format",
        "shfmt",
        ["shfmt -d -i 2 scripts"],
        {"scripts/build.sh": "#!/bin/bash\nif [ -f x ]\nthen\n    echo  yes\nfi\n"},
        key=["--- scripts/build.sh.orig"],
        needs=("shfmt",),
        version="shfmt --version",
        prelude=[CHECKOUT],
    ),
    case(
        "sqlfluff_lint",
        "lint",
        "sqlfluff",
        ["sqlfluff lint --dialect postgres migrations"],
        {"migrations/001_users.sql": "select id,Name from users where  id=1\n"},
        key=["L:   1 | P:"],
        needs=("sqlfluff",),
        version="sqlfluff --version",
        prelude=P,
    ),
    case(
        "cpplint_errors",
        "lint",
        "cpplint",
        ["cpplint --quiet src/*.cc"],
        {
            "src/app.cc": '#include <iostream>\nusing namespace std;\nint main() { cout << "hi"; return 0; }\n'
        },
        key=["Do not use namespace using-directives."],
        needs=("cpplint",),
        version="cpplint --version | head -2 | tail -1",
        prelude=[CHECKOUT],
    ),
)


def js(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("prelude", JS)
    kw.setdefault("version", f"npx {tool.split()[0]} --version")
    return case(name, category, tool, steps, {"package.json": PKG, **files}, js=True, **kw)


add(
    js(
        "js_jest_snapshot",
        "test_failure",
        "jest",
        ["npx jest --ci"],
        {
            "card.js": 'exports.card = (n) => `<div class="card">${n.toUpperCase()}</div>`;\n',
            "card.test.js": "const { card } = require('./card');\n\ntest('renders a card', () => {\n  expect(card('ada')).toMatchSnapshot();\n});\n",
            "__snapshots__/card.test.js.snap": '// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing\n\nexports[`renders a card 1`] = `"<div class=\\\\"card\\\\">Ada</div>"`;\n',
        },
        failures=[("renders a card", "expect(received).toMatchSnapshot()", "card.test.js:4")],
        key=["expect(received).toMatchSnapshot()"],
    ),
    js(
        "js_jest_heap_oom",
        "oom_killed",
        "jest",
        [Run("node --max-old-space-size=48 node_modules/.bin/jest --ci -i", timeout=200)],
        {
            "load.test.js": "test('loads the fixtures', () => {\n  const rows = [];\n  for (;;) rows.push(new Array(100000).fill('x'));\n});\n"
        },
        key=["JavaScript heap out of memory"],
    ),
    js(
        "js_npm_run_build_tsc",
        "type_check",
        "tsc",
        ["npm run build"],
        {
            "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "types": []}, "include": ["src"]}\n',
            "src/index.ts": "export function area(r: number): number {\n  return Math.PI * r * r;\n}\n\narea('2');\n",
        },
        key=[
            "src/index.ts(5,6): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'."
        ],
        version="npx tsc --version",
    ),
    js(
        "js_npm_run_lint",
        "lint",
        "eslint",
        ["npm run lint"],
        {"src/a.js": "const a = 1\nmodule.exports = a\n"},
        key=["error  Missing semicolon  semi"],
        version="npx eslint --version",
    ),
    js(
        "js_npm_test_jest",
        "test_failure",
        "jest",
        ["npm test"],
        {
            "src/date.test.js": "test('formats ISO dates', () => {\n  expect(new Date(0).toISOString().slice(0, 10)).toBe('1970-01-02');\n});\n"
        },
        failures=[
            (
                "formats ISO dates",
                "expect(received).toBe(expected) // Object.is equality",
                "src/date.test.js:2",
            )
        ],
        key=["expect(received).toBe(expected)"],
    ),
    js(
        "js_vitest_timeout",
        "timeout",
        "vitest",
        ["npx vitest run"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "type": "module"}\n',
            "src/queue.test.js": "import { test } from 'vitest';\n\ntest('drains the queue', async () => {\n  await new Promise((r) => setTimeout(r, 5000));\n}, 300);\n",
        },
        failures=[
            (
                "src/queue.test.js > drains the queue",
                "Error: Test timed out in 1ms.",
                None,
            )
        ],
        key=["Test timed out in 1ms."],
        note="the generator normalises durations: the real run said 300ms",
    ),
    js(
        "js_mocha_hook_failure",
        "test_failure",
        "mocha",
        ["npx mocha --no-color test/"],
        {
            "test/db.test.js": "describe('db', function () {\n  before(function () {\n    throw new Error('migration 0042_add_index failed: relation \"users\" does not exist');\n  });\n  it('reads', function () {});\n});\n"
        },
        failures=[
            (
                'db "before all" hook for "reads"',
                'Error: migration 0042_add_index failed: relation "users" does not exist',
                "test/db.test.js:3",
            )
        ],
        key=['migration 0042_add_index failed: relation "users" does not exist'],
    ),
    js(
        "js_build_then_test_always",
        "build",
        "webpack",
        ["npx webpack --mode production --entry ./src/index.js", Run("npx jest --ci", always=True)],
        {
            "src/index.js": "import './styles.css';\n",
            "src/ok.test.js": "test('ok', () => { expect(1).toBe(1); });\n",
        },
        key=["Module not found: Error: Can't resolve './styles.css'"],
        version="npx webpack --version | head -1",
        note="the tests run with if: always() and pass; only the build failed",
    ),
)

add(
    case(
        "go_test_fatal_in_helper",
        "test_failure",
        "go test",
        ["go test -count=1 ./..."],
        {
            "go.mod": "module example.com/proj\n\ngo 1.19\n",
            "store/store.go": 'package store\n\nimport "errors"\n\nfunc Open(path string) error {\n\tif path == "" {\n\t\treturn errors.New("store: empty path")\n\t}\n\treturn nil\n}\n',
            "store/store_test.go": 'package store\n\nimport "testing"\n\nfunc mustOpen(t *testing.T, p string) {\n\tt.Helper()\n\tif err := Open(p); err != nil {\n\t\tt.Fatalf("open %q: %v", p, err)\n\t}\n}\n\nfunc TestOpenDefault(t *testing.T) {\n\tmustOpen(t, "")\n}\n',
        },
        failures=[
            (
                "TestOpenDefault",
                'store_test.go:13: open "": store: empty path',
                "store/store_test.go:13",
            )
        ],
        key=['store_test.go:13: open "": store: empty path'],
        version="go version",
        needs=("go",),
        prelude=[CHECKOUT, SETUP_GO],
    ),
    case(
        "go_mod_tidy_diff",
        "dependency_install",
        "go mod",
        ["go mod tidy && git diff --exit-code -- go.mod go.sum"],
        {
            "go.mod": "module example.com/proj\n\ngo 1.19\n\nrequire github.com/google/uuid v1.6.0\n",
            "main.go": "package main\n\nfunc main() {}\n",
        },
        key=["-require github.com/google/uuid v1.6.0"],
        version="go version",
        needs=("go",),
        hidden="git init -q . && git add -A && git -c user.email=a@b -c user.name=a commit -qm init",
        prelude=[CHECKOUT, SETUP_GO],
    ),
    case(
        "ruby_rspec_load_error",
        "build",
        "rspec",
        ["rspec --no-color"],
        {
            "lib/tax.rb": "module Tax\n  def self.rate(country)\n    { 'DE' => 0.19 }.fetch(country\n  end\nend\n",
            "spec/tax_spec.rb": "require_relative '../lib/tax'\n\nRSpec.describe Tax do\n  it('rates') { expect(Tax.rate('DE')).to eq(0.19) }\nend\n",
        },
        key=["An error occurred while loading ./spec/tax_spec.rb."],
        version="rspec --version | head -2 | tail -1",
        needs=("rspec",),
        prelude=[CHECKOUT, SETUP_RUBY],
        note="the spec file cannot be loaded (syntax error in the code under test): nothing ran",
    ),
    case(
        "php_memory_exhausted",
        "oom_killed",
        "php",
        ["php -d memory_limit=8M scripts/import.php"],
        {
            "scripts/import.php": "<?php\n$rows = [];\necho \"importing\\n\";\nwhile (true) {\n    $rows[] = str_repeat('x', 10000);\n}\n"
        },
        key=["Allowed memory size of 8388608 bytes exhausted"],
        version="php --version | head -1",
        needs=("php",),
        prelude=[CHECKOUT, SETUP_PHP],
    ),
    case(
        "php_phpunit_data_provider",
        "test_failure",
        "phpunit",
        ["phpunit tests"],
        {
            "tests/SlugTest.php": "<?php\n\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class SlugTest extends TestCase\n{\n    public static function cases(): array\n    {\n        return ['plain' => ['Hello', 'hello'], 'spaces' => ['Hello World', 'hello-world']];\n    }\n\n    /** @dataProvider cases */\n    public function testSlug(string $in, string $want): void\n    {\n        $this->assertSame($want, strtolower($in));\n    }\n}\n",
        },
        failures=[
            (
                'SlugTest::testSlug with data set "spaces"',
                "Failed asserting that two strings are identical.",
                "tests/SlugTest.php:15",
            )
        ],
        key=["Failed asserting that two strings are identical."],
        version="phpunit --version",
        needs=("phpunit",),
        prelude=[CHECKOUT, SETUP_PHP],
    ),
    case(
        "ctest_timeout",
        "timeout",
        "ctest",
        [
            "cmake -S . -B build > /dev/null && cmake --build build > /dev/null && cd build && ctest --output-on-failure --timeout 2"
        ],
        {
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(app C)\nenable_testing()\nadd_executable(wait_test wait.c)\nadd_test(NAME server_roundtrip COMMAND wait_test)\n",
            "wait.c": "#include <unistd.h>\nint main(void) { sleep(30); return 0; }\n",
        },
        tests=["server_roundtrip"],
        key=["***Timeout"],
        version="ctest --version | head -1",
        prelude=[CHECKOUT],
    ),
    case(
        "gcc_werror",
        "build",
        "gcc",
        ["gcc -Wall -Wextra -Werror -c src/net.c -o net.o"],
        {
            "src/net.c": "#include <string.h>\n\nint copy(char *dst, const char *src, unsigned n) {\n    int i;\n    for (i = 0; i < n; i++) dst[i] = src[i];\n    return i;\n}\n"
        },
        key=["error: comparison of integer expressions of different signedness"],
        version="gcc --version | head -1",
        prelude=[CHECKOUT],
    ),
    case(
        "sort_enospc",
        "disk_full",
        "sort",
        ["sort -o /dev/full data/big.csv"],
        {"data/big.csv": "".join(f"{i},{i * 7 % 13}\n" for i in range(3000))},
        key=["No space left on device"],
        version="sort --version | head -1",
        prelude=[CHECKOUT],
    ),
)

# -- root cause: tests that fail because a service or the network failed ------------------------

add(
    case(
        "py_pytest_service_refused",
        "infra_network",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            **CONF,
            "tests/test_cache.py": "import socket\n\n\ndef connect(host='127.0.0.1', port=16379):\n    return socket.create_connection((host, port), timeout=2)\n\n\ndef test_cache_roundtrip():\n    conn = connect()\n    conn.sendall(b'PING\\r\\n')\n    assert conn.recv(7) == b'+PONG\\r\\n'\n",
        },
        failures=[
            (
                "tests/test_cache.py::test_cache_roundtrip",
                "ConnectionRefusedError: [Errno 111] Connection refused",
                "tests/test_cache.py:9",
            )
        ],
        key=["ConnectionRefusedError: [Errno 111] Connection refused"],
        version=PYV,
        prelude=P,
        note="the Redis service the test needs is not reachable: infrastructure, not the code",
    ),
    case(
        "py_pytest_tls_in_test",
        "infra_network",
        "pytest",
        ["API_URL=https://127.0.0.1:{ptls}/ python -m pytest -q -p no:cacheprovider tests"],
        {
            **CONF,
            "tests/test_health.py": "import os\n\nimport requests\n\n\ndef test_health():\n    assert requests.get(os.environ['API_URL'] + 'health', timeout=5).ok\n",
        },
        failures=[
            (
                "tests/test_health.py::test_health",
                "requests.exceptions.SSLError",
                "tests/test_health.py:7",
            )
        ],
        key=["CERTIFICATE_VERIFY_FAILED"],
        version=PYV,
        prelude=P,
        note="the staging endpoint presents a certificate the runner does not trust",
    ),
    case(
        "py_tests_then_upload_always",
        "test_failure",
        "pytest",
        [
            "python -m pytest -q -p no:cacheprovider tests",
            Run(
                "curl -fsS --retry 1 -F file=@coverage.xml https://codecov.io/upload/v4",
                always=True,
            ),
        ],
        {
            **CONF,
            "coverage.xml": "<coverage/>\n",
            "tests/test_math.py": "def test_pow():\n    assert 2 ** 10 == 1000\n",
        },
        failures=[
            ("tests/test_math.py::test_pow", "assert (2 ** 10) == 1000", "tests/test_math.py:2")
        ],
        key=["assert (2 ** 10) == 1000"],
        failed_steps=[
            ("Run python -m pytest -q -p no:cacheprovider tests", "test_failure"),
            (
                "Run curl -fsS --retry 1 -F file=@coverage.xml https://codecov.io/upload/v4",
                "infra_network",
            ),
        ],
        version=PYV,
        prelude=P,
        note="the coverage upload runs with if: always() and fails on DNS; the cause is the test",
    ),
    js(
        "js_jest_econnrefused_service",
        "infra_network",
        "jest",
        ["npx jest --ci"],
        {
            "db.test.js": "const net = require('net');\n\nfunction ping(port) {\n  return new Promise((resolve, reject) => {\n    const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });\n    s.on('error', reject);\n  });\n}\n\ntest('connects to postgres', async () => {\n  await expect(ping(5433)).resolves.toBe(true);\n});\n",
        },
        failures=[("connects to postgres", "connect ECONNREFUSED 127.0.0.1:5433", "db.test.js:11")],
        key=["connect ECONNREFUSED 127.0.0.1:5433"],
        note="the Postgres service container is not up: infrastructure",
    ),
    js(
        "js_jest_syntax_error",
        "build",
        "jest",
        ["npx jest --ci"],
        {
            "sum.js": "exports.sum = (a, b) => a + b;\n",
            "sum.test.js": "const { sum } = require('./sum');\n\ntest('sums', () => {\n  expect(sum(1, 2)).toBe(3);\n);\n",
        },
        key=["SyntaxError"],
        note="the test file does not parse: nothing ran",
    ),
    case(
        "go_test_conn_reset",
        "infra_network",
        "go test",
        ["UPSTREAM=http://127.0.0.1:{preset}/ go test ./..."],
        {
            "go.mod": "module example.com/proj\n\ngo 1.19\n",
            "proxy/proxy_test.go": 'package proxy\n\nimport (\n\t"net/http"\n\t"os"\n\t"testing"\n)\n\nfunc TestUpstream(t *testing.T) {\n\tresp, err := http.Get(os.Getenv("UPSTREAM") + "health")\n\tif err != nil {\n\t\tt.Fatalf("upstream: %v", err)\n\t}\n\tresp.Body.Close()\n}\n',
        },
        failures=[("TestUpstream", "proxy_test.go:12: upstream:", "proxy/proxy_test.go:12")],
        key=["connection reset by peer"],
        version="go version",
        needs=("go",),
        prelude=[CHECKOUT, SETUP_GO],
    ),
    case(
        "ruby_rspec_network_in_test",
        "infra_network",
        "rspec",
        ["rspec --no-color"],
        {
            "spec/release_spec.rb": "require 'net/http'\n\nRSpec.describe 'release feed' do\n  it 'is reachable' do\n    res = Net::HTTP.get_response(URI('https://rubygems.org/api/v1/gems/rack.json'))\n    expect(res.code).to eq('200')\n  end\nend\n"
        },
        failures=[("release feed is reachable", "SocketError:", "spec/release_spec.rb:5")],
        key=["Failed to open TCP connection to rubygems.org:443"],
        version="rspec --version | head -2 | tail -1",
        needs=("rspec",),
        prelude=[CHECKOUT, SETUP_RUBY],
    ),
    case(
        "php_phpunit_network_in_test",
        "infra_network",
        "phpunit",
        ["phpunit tests"],
        {
            "tests/FeedTest.php": "<?php\n\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class FeedTest extends TestCase\n{\n    public function testFeedIsReachable(): void\n    {\n        $body = file_get_contents('https://api.github.com/repos/octo/proj/releases');\n        $this->assertNotFalse($body);\n    }\n}\n"
        },
        failures=[
            (
                "FeedTest::testFeedIsReachable",
                "php_network_getaddresses: getaddrinfo for api.github.com failed",
                "tests/FeedTest.php:9",
            )
        ],
        key=["php_network_getaddresses: getaddrinfo for api.github.com failed"],
        version="phpunit --version",
        needs=("phpunit",),
        prelude=[CHECKOUT, SETUP_PHP],
    ),
    case(
        "rust_test_no_fail_fast",
        "test_failure",
        "cargo test",
        [Run("cargo test --offline --no-fail-fast", timeout=400)],
        {
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
            "src/lib.rs": 'pub fn clamp(x: i32) -> i32 {\n    x.max(0).min(100)\n}\n\n#[cfg(test)]\nmod tests {\n    use super::clamp;\n\n    #[test]\n    fn clamps_low() {\n        assert_eq!(clamp(-5), -5);\n    }\n\n    #[test]\n    fn clamps_high() {\n        assert!(clamp(500) < 100, "clamp(500) = {}", clamp(500));\n    }\n\n    #[test]\n    fn keeps_mid() {\n        assert_eq!(clamp(50), 50);\n    }\n}\n',
        },
        failures=[
            ("tests::clamps_low", "assertion `left == right` failed", "src/lib.rs:11"),
            ("tests::clamps_high", "clamp(500) = 100", "src/lib.rs:16"),
        ],
        key=["clamp(500) = 100"],
        version="cargo --version",
        needs=("cargo",),
        prelude=[CHECKOUT],
    ),
)
