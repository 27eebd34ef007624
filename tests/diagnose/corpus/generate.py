# ruff: noqa: E501  (embedded source files and real tool messages read better unwrapped)
"""Regenerate the diagnosis corpus from REAL tool output.

Each case builds a small broken project in a temp dir, runs the real tool (pytest,
unittest, ruff, mypy, pip, node:test, jest, vitest, mocha, tsc, eslint, prettier, cargo,
gcc/make, cmake/ctest, javac, mvn, C programs that segfault / get SIGKILLed, ``timeout``,
``dd`` to /dev/full …), and frames the output as a GitHub Actions job log: fixed
timestamps, ``##[group]Run …`` step headers, ``##[error]Process completed with exit code
N.`` and the post-job steps. Infra cases that cannot be produced on demand (runner lost,
cancelled, job timeout, registry 503) are written from the runners' well-known messages.

Usage: ``python tests/diagnose/corpus/generate.py [CASE …] [--list]``. Needs the tools on
PATH (node packages are installed into $PITCREW_CORPUS_JS, default /tmp/pcjs, once).
Output is normalised (temp paths, durations, PIDs, addresses) so reruns give stable logs;
a case whose tool is missing is skipped with a message and keeps its committed log.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOGS = HERE / "logs"
EXPECTED = HERE / "expected.yml"
ROOT = HERE.parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
JS_DIR = Path(os.environ.get("PITCREW_CORPUS_JS", "/tmp/pcjs"))
PROJECT_ROOT = Path(__file__).resolve().parents[3]
RUNNER_PYTHON = "/opt/hostedtoolcache/Python/3.11.7/x64"
WORKDIR = "/home/runner/work/proj/proj"
BASE_TIME = datetime(2024, 5, 1, 12, 0, 0)


class Skip(Exception):
    """The tool needed for this case is not available here."""


@dataclass
class StepSpec:
    run: str
    output: str = ""
    exit: int = 0
    continue_on_error: bool = False
    always: bool = False
    raw_error: str | None = None  # an ##[error] line instead of the exit-code one


@dataclass
class Case:
    """One corpus log: how to produce it, and its label (see README.md for the fields)."""

    name: str
    category: str
    build: Callable[[Path], list[StepSpec]]
    failing_tests: list[str] = field(default_factory=list)
    note: str = ""
    tool: str = ""
    version: str = ""  # shell command printing the tool's version, for the provenance
    failures: list[tuple[str, str, str | None]] = field(default_factory=list)
    key_lines: list[str] = field(default_factory=list)
    failed_steps: list[tuple[str, str]] = field(default_factory=list)  # (step title, category)
    provenance: str = ""  # "framed" or a URL; empty: "ran: <failing command> (<version>)"
    batch: int = 1  # collection round (accuracy.py --batch): later test-half logs are unseen
    step: str = ""  # the cause's step title when it is not the first failed step


# -- running real tools ---------------------------------------------------------------------


def sh(
    script: str, cwd: Path, timeout: int = 120, env: dict[str, str] | None = None
) -> tuple[str, int]:
    """Run ``script`` like Actions does (``bash -e script.sh``), stdout+stderr merged."""
    tmp = cwd / ".gh_script.sh"
    tmp.write_text(script + "\n")
    full_env = {
        **os.environ,
        "PATH": f"{VENV_BIN}:{JS_DIR / 'node_modules' / '.bin'}:{os.environ['PATH']}",
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
        "CI": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
        "CARGO_TERM_COLOR": "never",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_COLOR": "1",
        **(env or {}),
    }
    proc = subprocess.run(
        ["bash", "-e", str(tmp)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=timeout,
        env=full_env,
        check=False,
    )
    tmp.unlink()
    code = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    return proc.stdout.decode("utf-8", "replace"), code


def step(cwd: Path, cmd: str, **kw: object) -> StepSpec:
    out, code = sh(cmd, cwd, **kw)  # type: ignore[arg-type]
    return StepSpec(cmd, out, code)


def need(tool: str) -> None:
    if shutil.which(tool) is None and not (VENV_BIN / tool).exists():
        raise Skip(f"{tool} not found")


def need_js() -> None:
    if not (JS_DIR / "node_modules").is_dir():
        raise Skip(f"node packages not installed in {JS_DIR}")


def write(root: Path, files: dict[str, str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"))


# -- common steps ---------------------------------------------------------------------------

CHECKOUT = StepSpec(
    "actions/checkout@v4",
    "Syncing repository: octo/proj\n##[group]Getting Git version info\n"
    "Working directory is '/home/runner/work/proj/proj'\n[command]/usr/bin/git version\n"
    "git version 2.43.0\n##[endgroup]\nHEAD is now at 1a2b3c4 Fix things\n",
)
SETUP_PY = StepSpec(
    "actions/setup-python@v5",
    "Installed versions\nSuccessfully set up CPython (3.11.9)\n"
    "##[warning]The `python-version` input is not set. The version of Python currently in "
    "`PATH` will be used.\n",
)
NPM_CI = StepSpec(
    "npm ci",
    "npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.\n"
    "npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported\n"
    "\nadded 412 packages in 9s\n",
)


def py_project(root: Path) -> None:
    write(
        root,
        {
            "src/calc.py": """
                import warnings


                def add(a, b):
                    warnings.warn("add() is deprecated", DeprecationWarning, stacklevel=2)
                    return a + b + (1 if a == 2 else 0)
                """,
            "tests/test_calc.py": """
                import sys
                sys.path.insert(0, "src")
                import calc


                def test_add_small():
                    assert calc.add(1, 1) == 2


                def test_add_two():
                    assert calc.add(2, 2) == 4


                class TestEdge:
                    def test_negative(self):
                        assert calc.add(-1, 1) == 0

                    def test_big(self):
                        assert calc.add(2, 10**6) == 10**6 + 2
                """,
        },
    )


# -- cases: tests ---------------------------------------------------------------------------


def c_pytest(root: Path) -> list[StepSpec]:
    py_project(root)
    return [CHECKOUT, SETUP_PY, step(root, "python -m pytest -q -p no:cacheprovider tests")]


def c_pytest_verbose_param(root: Path) -> list[StepSpec]:
    write(
        root,
        {
            "tests/test_param.py": """
                import pytest


                @pytest.mark.parametrize("n", [1, 2, 3])
                def test_even(n):
                    assert n % 2 == 1


                def test_error_fixture(missing_fixture):
                    pass
                """
        },
    )
    return [CHECKOUT, step(root, "python -m pytest -p no:cacheprovider -rfE tests")]


def c_pytest_recovered_network(root: Path) -> list[StepSpec]:
    py_project(root)
    install = StepSpec(
        "pip install -r requirements.txt",
        "Collecting requests\n"
        "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None))"
        " after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org',"
        " port=443): Read timed out. (read timeout=15)\")': /simple/requests/\n"
        "  Downloading requests-2.31.0-py3-none-any.whl (62 kB)\n"
        "Successfully installed requests-2.31.0\n",
    )
    return [CHECKOUT, install, step(root, "python -m pytest -q -p no:cacheprovider tests")]


def c_pytest_same_step_retry(root: Path) -> list[StepSpec]:
    py_project(root)
    out, code = sh("python -m pytest -q -p no:cacheprovider tests", root)
    noise = (
        "npm error code ECONNRESET\nnpm error network aborted, retrying\n"
        "Retrying download (attempt 2/3)...\nDownload complete\n"
    )
    return [
        CHECKOUT,
        StepSpec("./ci/download-fixtures.sh && python -m pytest -q tests", noise + out, code),
    ]


def c_unittest(root: Path) -> list[StepSpec]:
    write(
        root,
        {
            "test_shop.py": """
                import unittest


                class CartTest(unittest.TestCase):
                    def test_total(self):
                        self.assertEqual(sum([1, 2]), 4)

                    def test_empty(self):
                        self.assertEqual([], [])

                    def test_error(self):
                        raise RuntimeError("database offline")


                if __name__ == "__main__":
                    unittest.main()
                """
        },
    )
    return [CHECKOUT, SETUP_PY, step(root, "python -m unittest -v test_shop")]


def _js(root: Path, files: dict[str, str]) -> None:
    need_js()
    need("node")
    write(root, files)
    (root / "node_modules").symlink_to(JS_DIR / "node_modules")


def c_node_test(root: Path) -> list[StepSpec]:
    need("node")
    write(
        root,
        {
            "package.json": '{"name":"x","version":"1.0.0","type":"module"}',
            "test/math.test.js": """
                import test, { describe, it } from 'node:test';
                import assert from 'node:assert/strict';

                describe('math', () => {
                  it('adds', () => { assert.equal(1 + 1, 3); });
                  it('subtracts', () => { assert.equal(2 - 1, 1); });
                });
                test('top level fails', () => { throw new Error('boom'); });
                """,
        },
    )
    return [CHECKOUT, NPM_CI, step(root, "node --test --test-reporter=tap test/")]


def c_jest(root: Path) -> list[StepSpec]:
    _js(
        root,
        {
            "package.json": '{"name":"x","version":"1.0.0"}',
            "sum.js": "module.exports = (a, b) => a + b + (a > 5 ? 1 : 0);\n",
            "sum.test.js": """
                const sum = require('./sum');
                describe('sum', () => {
                  test('adds small numbers', () => { expect(sum(1, 2)).toBe(3); });
                  test('adds big numbers', () => { expect(sum(10, 2)).toBe(12); });
                });
                """,
            "broken.test.js": "const x = require('./does-not-exist');\ntest('x', () => {});\n",
        },
    )
    return [CHECKOUT, NPM_CI, step(root, "npx jest --ci")]


def c_vitest(root: Path) -> list[StepSpec]:
    _js(
        root,
        {
            "package.json": '{"name":"x","version":"1.0.0","type":"module"}',
            "src/price.js": "export const price = (n) => n * 1.2;\n",
            "src/price.test.js": """
                import { describe, it, expect } from 'vitest';
                import { price } from './price.js';
                describe('price', () => {
                  it('adds tax', () => { expect(price(10)).toBe(12); });
                  it('rounds', () => { expect(price(0.1)).toBe(0.13); });
                });
                """,
        },
    )
    return [CHECKOUT, NPM_CI, step(root, "npx vitest run")]


def c_mocha(root: Path) -> list[StepSpec]:
    _js(
        root,
        {
            "package.json": '{"name":"x","version":"1.0.0"}',
            "test/array.js": """
                const assert = require('assert');
                describe('Array', function () {
                  describe('#indexOf()', function () {
                    it('should return -1 when the value is not present', function () {
                      assert.equal([1, 2, 3].indexOf(4), 0);
                    });
                    it('finds values', function () { assert.equal([1].indexOf(1), 0); });
                  });
                });
                """,
        },
    )
    return [CHECKOUT, NPM_CI, step(root, "npx mocha --no-color")]


def c_cargo_test(root: Path) -> list[StepSpec]:
    need("cargo")
    write(
        root,
        {
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/lib.rs": """
                pub fn double(x: i32) -> i32 { x * 2 + if x == 3 { 1 } else { 0 } }

                #[cfg(test)]
                mod tests {
                    use super::*;
                    #[test]
                    fn doubles_two() { assert_eq!(double(2), 4); }
                    #[test]
                    fn doubles_three() { assert_eq!(double(3), 6); }
                }
                """,
        },
    )
    return [CHECKOUT, step(root, "cargo test --offline", timeout=300)]


def c_ctest(root: Path) -> list[StepSpec]:
    need("cmake")
    need("gcc")
    write(
        root,
        {
            "CMakeLists.txt": """
                cmake_minimum_required(VERSION 3.10)
                project(demo C)
                enable_testing()
                add_executable(ok ok.c)
                add_executable(bad bad.c)
                add_test(NAME test_ok COMMAND ok)
                add_test(NAME test_bad COMMAND bad)
                add_test(NAME test_crash COMMAND bad crash)
                """,
            "ok.c": "int main(void) { return 0; }\n",
            "bad.c": """
                #include <stdio.h>
                int main(int argc, char **argv) {
                    if (argc > 1) { volatile int *p = 0; return *p; }
                    puts("expected 3, got 4");
                    return 1;
                }
                """,
        },
    )
    return [
        CHECKOUT,
        step(
            root,
            "cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug > /dev/null && cmake --build build > /dev/null",
        ),
        step(root, "cd build && ctest --output-on-failure"),
    ]


def c_maven(root: Path) -> list[StepSpec]:
    need("mvn")
    c_maven_files(root)
    spec = step(root, "mvn -o -B -q test", timeout=300)
    if "<<< FAILURE!" not in spec.output:
        raise Skip("maven offline run did not reach the tests:\n" + spec.output[-800:])
    return [CHECKOUT, spec]


def c_maven_files(root: Path) -> None:
    write(
        root,
        {
            "pom.xml": """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId><artifactId>demo</artifactId><version>1.0</version>
                  <properties>
                    <maven.compiler.source>17</maven.compiler.source>
                    <maven.compiler.target>17</maven.compiler.target>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency><groupId>junit</groupId><artifactId>junit</artifactId>
                      <version>4.13.2</version><scope>test</scope></dependency>
                  </dependencies>
                  <build><plugins>
                    <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version></plugin>
                    <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.11.0</version></plugin>
                    <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  </plugins></build>
                </project>
                """,
            "src/main/java/com/example/Calc.java": """
                package com.example;
                public class Calc { public static int mul(int a, int b) { return a * b + (a == 3 ? 1 : 0); } }
                """,
            "src/test/java/com/example/CalcTest.java": """
                package com.example;
                import static org.junit.Assert.assertEquals;
                import org.junit.Test;
                public class CalcTest {
                  @Test public void multipliesSmall() { assertEquals(4, Calc.mul(2, 2)); }
                  @Test public void multipliesThree() { assertEquals(9, Calc.mul(3, 3)); }
                }
                """,
        },
    )


# -- cases: static checks -----------------------------------------------------------------


def c_ruff_lint(root: Path) -> list[StepSpec]:
    need("ruff")
    write(root, {"app.py": "import os, sys\n\ndef f(x):\n    return undefined_name + x\n"})
    return [
        CHECKOUT,
        SETUP_PY,
        step(root, "ruff check --no-cache --isolated --output-format=concise ."),
    ]


def c_ruff_lint_full(root: Path) -> list[StepSpec]:
    need("ruff")
    write(root, {"pkg/mod.py": "import json\n\n\ndef g():\n    l = 1\n    return 2\n"})
    return [CHECKOUT, step(root, "ruff check --no-cache --isolated --select F,E741 .")]


def c_ruff_format(root: Path) -> list[StepSpec]:
    need("ruff")
    write(root, {"app.py": "x = {  'a':1,'b' :2 }\ndef f( a ):\n  return a\n"})
    return [CHECKOUT, step(root, "ruff format --no-cache --isolated --check .")]


def c_mypy(root: Path) -> list[StepSpec]:
    need("mypy")
    write(
        root,
        {
            "typed.py": """
                def greet(name: str) -> str:
                    return "hi " + name


                greet(3)
                count: int = "three"
                """
        },
    )
    return [CHECKOUT, SETUP_PY, step(root, "mypy --no-incremental --cache-dir=/dev/null typed.py")]


def c_tsc(root: Path) -> list[StepSpec]:
    _js(
        root,
        {
            "package.json": '{"name":"x","version":"1.0.0"}',
            "tsconfig.json": '{"compilerOptions":{"strict":true,"noEmit":true,"target":"es2020"},"include":["src"]}',
            "src/index.ts": "const n: number = 'five';\nfunction f(a: string) { return a.lenght; }\nf(1);\n",
        },
    )
    return [CHECKOUT, NPM_CI, step(root, "npx tsc -p . --pretty false")]


def c_eslint(root: Path) -> list[StepSpec]:
    _js(
        root,
        {
            "package.json": '{"name":"x","version":"1.0.0","type":"module"}',
            "eslint.config.js": (
                "import js from '@eslint/js';\n"
                "export default [js.configs.recommended, {languageOptions: {globals: {console: 'readonly'}}}];\n"
            ),
            "src/app.js": "const unused = 1;\nif (x == 2) { console.log('x') }\n",
        },
    )
    return [CHECKOUT, NPM_CI, step(root, "npx eslint src")]


def c_prettier(root: Path) -> list[StepSpec]:
    _js(
        root,
        {
            "package.json": '{"name":"x","version":"1.0.0"}',
            "src/a.js": "const a = {b:1,\n  c:2}\n",
            "src/b.js": "export const ok = 1;\n",
        },
    )
    return [CHECKOUT, NPM_CI, step(root, "npx prettier --check src")]


def c_cargo_fmt(root: Path) -> list[StepSpec]:
    need("cargo")
    write(
        root,
        {
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/lib.rs": "pub fn f( x:i32)->i32{x+1}\n",
        },
    )
    return [CHECKOUT, step(root, "cargo fmt --check")]


def c_clippy(root: Path) -> list[StepSpec]:
    need("cargo")
    write(
        root,
        {
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/lib.rs": "pub fn f(v: &Vec<i32>) -> usize { if v.len() == 0 { 0 } else { v.len() } }\n",
        },
    )
    return [CHECKOUT, step(root, "cargo clippy --offline --quiet -- -D warnings", timeout=300)]


# -- cases: build -----------------------------------------------------------------------------


def c_gcc(root: Path) -> list[StepSpec]:
    need("gcc")
    write(
        root,
        {
            "main.c": '#include <stdio.h>\nint main(void) {\n    int x = "str";\n    printf("%d\\n", y);\n    return 0\n}\n',
            "Makefile": "all: main\nmain: main.c\n\tgcc -Wall -o main main.c\n",
        },
    )
    return [CHECKOUT, step(root, "make")]


def c_link_error(root: Path) -> list[StepSpec]:
    need("gcc")
    write(
        root,
        {
            "main.c": "int helper(int);\nint main(void) { return helper(1); }\n",
            "Makefile": "all: app\napp: main.o\n\tgcc -o app main.o\nmain.o: main.c\n\tgcc -c main.c\n",
        },
    )
    return [CHECKOUT, step(root, "make")]


def c_gcc_warnings_then_tests(root: Path) -> list[StepSpec]:
    need("gcc")
    write(
        root,
        {
            "main.c": '#include <stdio.h>\nint main(void) { int unused; printf("%d\\n", 1 + 1 == 3); return 1 + 1 != 3; }\n',
        },
    )
    build = step(root, "gcc -Wall -Wextra -o main main.c")
    run = step(root, "./main && echo 'Test checks failed: expected 1' && exit 2")
    return [CHECKOUT, build, run]


def c_cargo_build(root: Path) -> list[StepSpec]:
    need("cargo")
    write(
        root,
        {
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/main.rs": 'fn main() {\n    let x: i32 = "five";\n    println!("{}", y);\n}\n',
        },
    )
    return [CHECKOUT, step(root, "cargo build --offline", timeout=300)]


def c_javac(root: Path) -> list[StepSpec]:
    need("javac")
    write(
        root,
        {
            "src/App.java": 'public class App {\n  public static void main(String[] a) {\n    int x = "s"\n  }\n}\n'
        },
    )
    return [CHECKOUT, step(root, "javac -d out src/App.java")]


def c_python_syntax(root: Path) -> list[StepSpec]:
    write(root, {"app.py": "def f(:\n    pass\n"})
    return [CHECKOUT, SETUP_PY, step(root, "python -m compileall -q . && python app.py")]


# -- cases: dependencies ------------------------------------------------------------------------


def _wheel(dirpath: Path, name: str, version: str, requires: list[str]) -> None:
    """Write a minimal valid wheel so pip can resolve offline with --find-links."""
    dist = f"{name}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    files = {
        f"{name}/__init__.py": "",
        f"{dist}/METADATA": meta,
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: corpus\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{dist}/RECORD": "",
    }
    with zipfile.ZipFile(dirpath / f"{name}-{version}-py3-none-any.whl", "w") as zf:
        for path, content in files.items():
            zf.writestr(path, content)


def c_pip_missing(root: Path) -> list[StepSpec]:
    wheels = root / "wheels"
    wheels.mkdir()
    _wheel(wheels, "corpuslib", "1.0", [])
    write(root, {"requirements.txt": "corpuslib==2.5\n"})
    cmd = f"python -m pip install --no-index --find-links {wheels} --target {root}/t -r requirements.txt"
    return [CHECKOUT, SETUP_PY, step(root, cmd)]


def c_pip_conflict(root: Path) -> list[StepSpec]:
    wheels = root / "wheels"
    wheels.mkdir()
    _wheel(wheels, "shared", "1.0", [])
    _wheel(wheels, "shared", "2.0", [])
    _wheel(wheels, "alpha", "1.0", ["shared==1.0"])
    _wheel(wheels, "beta", "1.0", ["shared==2.0"])
    cmd = f"python -m pip install --no-index --find-links {wheels} --target {root}/t alpha beta"
    return [CHECKOUT, SETUP_PY, step(root, cmd)]


def c_npm_etarget(root: Path) -> list[StepSpec]:
    need("npm")
    write(
        root,
        {"package.json": '{"name":"x","version":"1.0.0","dependencies":{"left-pad":"99.0.0"}}'},
    )
    return [CHECKOUT, step(root, "npm install --no-audit --no-fund --cache .npmcache", timeout=120)]


def c_cargo_version(root: Path) -> list[StepSpec]:
    need("cargo")
    write(
        root,
        {
            "Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n'
            '[dependencies]\nhelper = { path = "helper", version = "2" }\n',
            "src/main.rs": "fn main() {}\n",
            "helper/Cargo.toml": '[package]\nname = "helper"\nversion = "1.0.0"\nedition = "2021"\n',
            "helper/src/lib.rs": "",
        },
    )
    return [CHECKOUT, step(root, "cargo build --offline", timeout=300)]


# -- cases: network -----------------------------------------------------------------------------


def c_pip_network(root: Path) -> list[StepSpec]:
    cmd = (
        "python -m pip --isolated install --retries 1 --timeout 2 "
        "--index-url http://127.0.0.1:9/simple --target t requests"
    )
    return [CHECKOUT, SETUP_PY, step(root, cmd)]


def c_git_network(root: Path) -> list[StepSpec]:
    need("git")
    return [CHECKOUT, step(root, "git clone http://127.0.0.1:9/octo/dep.git vendor/dep")]


def c_maven_unreachable(root: Path) -> list[StepSpec]:
    """Real Maven output when Maven Central cannot be reached (DNS fails in this sandbox)."""
    need("mvn")
    c_maven_files(root)
    spec = step(root, "mvn -B -ntp test -Dmaven.repo.local=.m2repo", timeout=300)
    if "Unknown host" not in spec.output and "Could not transfer" not in spec.output:
        raise Skip("maven reached the network; this case needs an unreachable Central")
    return [CHECKOUT, spec]


def c_curl_network(root: Path) -> list[StepSpec]:
    need("curl")
    return [CHECKOUT, step(root, "curl -fsSL --retry 1 http://127.0.0.1:9/tool.tar.gz -o tool.tgz")]


def c_npm_network(root: Path) -> list[StepSpec]:
    need("npm")
    write(
        root, {"package.json": '{"name":"x","version":"1.0.0","dependencies":{"left-pad":"1.3.0"}}'}
    )
    cmd = (
        "npm install --no-audit --no-fund --cache .npmcache --registry http://127.0.0.1:9/ "
        "--fetch-retries=0 --fetch-timeout=2000"
    )
    return [CHECKOUT, step(root, cmd, timeout=120)]


def c_registry_503(root: Path) -> list[StepSpec]:
    out = (
        "Resolving dependencies...\n"
        "  error: failed to download from `https://static.crates.io/crates/serde/1.0.197/download`\n"
        "\n"
        "Caused by:\n"
        "  failed to get successful HTTP response from `https://static.crates.io/...`, got 503\n"
        "  body:\n"
        "  <html><body><h1>503 Service Unavailable</h1></body></html>\n"
    )
    return [CHECKOUT, StepSpec("cargo fetch", out, 101)]


def c_docker_pull_network(root: Path) -> list[StepSpec]:
    out = (
        "Unable to find image 'postgres:16' locally\n"
        'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": '
        "net/http: TLS handshake timeout.\n"
        "See 'docker run --help'.\n"
    )
    return [CHECKOUT, StepSpec("docker run -d postgres:16", out, 125)]


# -- cases: resources, crashes, time ---------------------------------------------------------


def _c_program(root: Path, body: str) -> None:
    need("gcc")
    write(root, {"prog.c": body})
    out, code = sh("gcc -O0 -o prog prog.c", root)
    if code:
        raise Skip("gcc failed: " + out)


def c_segfault_c(root: Path) -> list[StepSpec]:
    _c_program(
        root,
        '#include <stdio.h>\nint main(void) { int *p = 0; puts("starting"); fflush(stdout); return *p; }\n',
    )
    return [CHECKOUT, step(root, "./prog --self-test")]


def c_segfault_python(root: Path) -> list[StepSpec]:
    write(
        root,
        {
            "tests/test_native.py": "import ctypes\n\ndef test_native():\n    ctypes.string_at(0)\n",
        },
    )
    return [CHECKOUT, step(root, "python -X faulthandler -m pytest -q -p no:cacheprovider tests")]


def c_oom_sigkill(root: Path) -> list[StepSpec]:
    # The kernel's OOM killer delivers SIGKILL; bash reports it exactly like this.
    _c_program(
        root,
        "#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n"
        "int main(void) { for (int i = 0; i < 4; i++) { char *p = malloc(1 << 20); memset(p, 1, 1 << 20); }\n"
        '  puts("allocated 4 MiB, continuing"); fflush(stdout); kill(getpid(), SIGKILL); return 0; }\n',
    )
    return [CHECKOUT, step(root, "./prog")]


def c_oom_node_heap(root: Path) -> list[StepSpec]:
    need("node")
    write(root, {"hog.js": "const a = []; for (;;) a.push(new Array(1e6).fill(Math.random()));\n"})
    return [CHECKOUT, step(root, "node --max-old-space-size=32 hog.js", timeout=120)]


def c_oom_python(root: Path) -> list[StepSpec]:
    write(root, {"hog.py": "data = bytearray(8 * 1024 ** 3)\n"})
    return [CHECKOUT, SETUP_PY, step(root, "ulimit -v 400000 && python hog.py")]


def c_timeout_cmd(root: Path) -> list[StepSpec]:
    write(
        root,
        {
            "tests/test_slow.py": "import time\n\ndef test_fast():\n    pass\n\ndef test_hangs():\n    time.sleep(30)\n",
        },
    )
    return [
        CHECKOUT,
        step(root, "timeout 3 python -m pytest -v -p no:cacheprovider tests", timeout=60),
    ]


def c_timeout_plain(root: Path) -> list[StepSpec]:
    return [CHECKOUT, step(root, "echo 'waiting for service on :5432'\ntimeout 1 sleep 10")]


def c_job_timeout(root: Path) -> list[StepSpec]:
    out = "Running integration suite\nsuite 1/3 ok\nsuite 2/3 ok\n"
    return [
        CHECKOUT,
        StepSpec(
            "make integration",
            out,
            raw_error="##[error]The job running on runner GitHub Actions 12 has exceeded the "
            "maximum execution time of 30 minutes.",
        ),
    ]


def c_step_timeout(root: Path) -> list[StepSpec]:
    return [
        CHECKOUT,
        StepSpec(
            "./scripts/e2e.sh",
            "starting browser\nwaiting for http://localhost:3000\n",
            raw_error="##[error]The action 'Run e2e' has timed out after 15 minutes.",
        ),
    ]


def c_disk_dd(root: Path) -> list[StepSpec]:
    return [CHECKOUT, step(root, "dd if=/dev/zero of=/dev/full bs=1M count=1")]


def c_disk_python(root: Path) -> list[StepSpec]:
    write(root, {"dump.py": "with open('/dev/full', 'w') as fh:\n    fh.write('x' * 100000)\n"})
    return [CHECKOUT, step(root, "python dump.py")]


def c_disk_docker(root: Path) -> list[StepSpec]:
    out = (
        "#12 [build 4/6] RUN npm run build\n"
        "#12 ERROR: failed to copy files: copy file range failed: no space left on device\n"
        "ERROR: failed to solve: failed to compute cache key: write /var/lib/docker/tmp/x: "
        "no space left on device\n"
        "##[warning]You are running out of disk space. The runner will stop working when the "
        "machine runs out of disk space. Free space left: 12 MB\n"
    )
    return [CHECKOUT, StepSpec("docker build -t app .", out, 1)]


def c_cancelled(root: Path) -> list[StepSpec]:
    return [
        CHECKOUT,
        StepSpec(
            "npm test",
            "> x@1.0.0 test\n> jest\n\nPASS src/a.test.js\n",
            raw_error="##[error]The operation was canceled.",
        ),
    ]


def c_cancelled_sigterm(root: Path) -> list[StepSpec]:
    return [
        CHECKOUT,
        step(root, "echo 'building...'\ntimeout -s TERM --preserve-status 1 sleep 5"),
    ]


def c_runner_lost(root: Path) -> list[StepSpec]:
    return [
        CHECKOUT,
        StepSpec(
            "cargo test --workspace",
            "   Compiling serde v1.0.197\n   Compiling tokio v1.36.0\n",
            raw_error="##[error]The hosted runner: GitHub Actions 7 lost communication with the "
            "server. Anything in your workflow that terminates the runner process, starves it for "
            "CPU/Memory, or blocks its network access can cause this error.",
        ),
    ]


def c_runner_shutdown(root: Path) -> list[StepSpec]:
    return [
        CHECKOUT,
        StepSpec(
            "./build.sh",
            "step 1\n",
            raw_error="##[error]The runner has received a shutdown signal. This can happen when "
            "the runner service is stopped, or a manually started runner is canceled.",
        ),
    ]


def c_unknown_exit(root: Path) -> list[StepSpec]:
    return [CHECKOUT, step(root, "echo 'checking release notes'\ntest -f CHANGELOG.md")]


def c_unknown_script(root: Path) -> list[StepSpec]:
    script = "echo 'Validating manifest'\necho 'manifest version mismatch: 1.2 != 1.3'\nexit 3"
    return [CHECKOUT, step(root, script)]


def c_continue_on_error(root: Path) -> list[StepSpec]:
    need("ruff")
    py_project(root)
    write(root, {"lintme.py": "import os\n"})
    lint = step(root, "ruff check --no-cache --isolated lintme.py")
    lint.continue_on_error = True
    return [CHECKOUT, lint, step(root, "python -m pytest -q -p no:cacheprovider tests")]


def c_always_upload_after_test(root: Path) -> list[StepSpec]:
    py_project(root)
    upload = StepSpec(
        "actions/upload-artifact@v4",
        "With the provided path, there will be 0 files uploaded\n",
        raw_error="##[error]No files were found with the provided path: reports/. No artifacts "
        "will be uploaded.",
        always=True,
    )
    return [CHECKOUT, step(root, "python -m pytest -q -p no:cacheprovider tests"), upload]


def c_warnings_only_then_fail(root: Path) -> list[StepSpec]:
    need("npm")
    install = StepSpec(
        "npm ci",
        "npm WARN deprecated request@2.88.2: request has been deprecated\n"
        "npm WARN EBADENGINE Unsupported engine\nnpm warn deprecated rimraf@3.0.2\n"
        "added 12 packages in 2s\n",
    )
    need("node")
    write(
        root,
        {
            "t.test.mjs": "import test from 'node:test';\nimport assert from 'node:assert';\n"
            "test('parses config', () => assert.deepStrictEqual({a: 1}, {a: 2}));\n"
        },
    )
    return [CHECKOUT, install, step(root, "node --test --test-reporter=tap")]


CASES: list[Case] = [
    Case(
        "pytest_basic",
        "test_failure",
        c_pytest,
        ["tests/test_calc.py::test_add_two", "tests/test_calc.py::TestEdge::test_big"],
    ),
    Case(
        "pytest_param_error",
        "test_failure",
        c_pytest_verbose_param,
        ["tests/test_param.py::test_even[2]", "tests/test_param.py::test_error_fixture"],
    ),
    Case(
        "pytest_after_recovered_retry",
        "test_failure",
        c_pytest_recovered_network,
        ["tests/test_calc.py::test_add_two", "tests/test_calc.py::TestEdge::test_big"],
    ),
    Case(
        "pytest_same_step_download_retry",
        "test_failure",
        c_pytest_same_step_retry,
        ["tests/test_calc.py::test_add_two", "tests/test_calc.py::TestEdge::test_big"],
    ),
    Case(
        "unittest_fail_error",
        "test_failure",
        c_unittest,
        ["test_shop.CartTest.test_error", "test_shop.CartTest.test_total"],
    ),
    Case("node_test_tap", "test_failure", c_node_test, ["adds", "top level fails"]),
    Case("jest_failures", "test_failure", c_jest, ["sum › adds big numbers"]),
    Case("vitest_failures", "test_failure", c_vitest, ["src/price.test.js > price > rounds"]),
    Case(
        "mocha_failures",
        "test_failure",
        c_mocha,
        ["Array #indexOf() should return -1 when the value is not present"],
    ),
    Case("cargo_test_failure", "test_failure", c_cargo_test, ["tests::doubles_three"]),
    Case(
        "ctest_failures",
        "segfault",
        c_ctest,
        ["test_bad", "test_crash"],
        note="ctest output includes a SEGFAULT test: the crash outranks the failure",
    ),
    Case("maven_surefire", "test_failure", c_maven, ["multipliesThree(com.example.CalcTest)"]),
    Case(
        "continue_on_error_lint_then_tests",
        "test_failure",
        c_continue_on_error,
        ["tests/test_calc.py::test_add_two", "tests/test_calc.py::TestEdge::test_big"],
    ),
    Case(
        "always_upload_after_tests",
        "test_failure",
        c_always_upload_after_test,
        ["tests/test_calc.py::test_add_two", "tests/test_calc.py::TestEdge::test_big"],
    ),
    Case("npm_warn_then_node_test", "test_failure", c_warnings_only_then_fail, ["parses config"]),
    Case("ruff_lint_concise", "lint", c_ruff_lint),
    Case("ruff_lint_full", "lint", c_ruff_lint_full),
    Case("eslint_errors", "lint", c_eslint),
    Case("clippy_denied", "lint", c_clippy),
    Case("ruff_format_check", "format", c_ruff_format),
    Case("prettier_check", "format", c_prettier),
    Case("cargo_fmt_check", "format", c_cargo_fmt),
    Case("mypy_errors", "type_check", c_mypy),
    Case("tsc_errors", "type_check", c_tsc),
    Case("gcc_compile_error", "build", c_gcc),
    Case("gcc_link_error", "build", c_link_error),
    Case("cargo_build_error", "build", c_cargo_build),
    Case("javac_error", "build", c_javac),
    Case("python_syntax_error", "build", c_python_syntax),
    Case(
        "gcc_warnings_then_check",
        "unknown",
        c_gcc_warnings_then_tests,
        note="compiler warnings only; the failing check prints no known pattern",
    ),
    Case("pip_missing_version", "dependency_install", c_pip_missing),
    Case("pip_conflict", "dependency_install", c_pip_conflict),
    Case("npm_etarget", "dependency_install", c_npm_etarget),
    Case("cargo_version_select", "dependency_install", c_cargo_version),
    Case("pip_connection_refused", "infra_network", c_pip_network),
    Case("git_clone_refused", "infra_network", c_git_network),
    Case("maven_central_unreachable", "infra_network", c_maven_unreachable),
    Case("curl_refused", "infra_network", c_curl_network),
    Case("npm_econnrefused", "infra_network", c_npm_network),
    Case("registry_503", "infra_network", c_registry_503),
    Case("docker_tls_timeout", "infra_network", c_docker_pull_network),
    Case("runner_lost", "infra_runner", c_runner_lost),
    Case("runner_shutdown", "infra_runner", c_runner_shutdown),
    Case("oom_sigkill", "oom_killed", c_oom_sigkill),
    Case("oom_node_heap", "oom_killed", c_oom_node_heap),
    Case("oom_python_memoryerror", "oom_killed", c_oom_python),
    Case("segfault_c", "segfault", c_segfault_c),
    Case("segfault_python_native", "segfault", c_segfault_python),
    Case("timeout_pytest_hang", "timeout", c_timeout_cmd),
    Case("timeout_plain", "timeout", c_timeout_plain),
    Case("job_timeout", "timeout", c_job_timeout),
    Case("step_timeout", "timeout", c_step_timeout),
    Case("disk_full_dd", "disk_full", c_disk_dd),
    Case("disk_full_python", "disk_full", c_disk_python),
    Case("disk_full_docker", "disk_full", c_disk_docker),
    Case("cancelled", "cancelled", c_cancelled),
    Case("cancelled_sigterm", "cancelled", c_cancelled_sigterm),
    Case("unknown_exit", "unknown", c_unknown_exit),
    Case("unknown_script", "unknown", c_unknown_script),
]


# -- framing ------------------------------------------------------------------------------------

SETUP_JOB = """Current runner version: '2.316.1'
##[group]Operating System
Ubuntu
22.04.4
LTS
##[endgroup]
##[group]Runner Image
Image: ubuntu-22.04
Version: 20240421.1.0
##[endgroup]
##[group]GITHUB_TOKEN Permissions
Contents: read
Metadata: read
##[endgroup]
Secret source: Actions
Prepare workflow directory
Prepare all required actions
Getting action download info
Download action repository 'actions/checkout@v4' (SHA:0ad4b8fadaa221de15dcec353f45205ec38ea70b)
Complete job name: build"""

POST = """Post job cleanup.
[command]/usr/bin/git version
git version 2.43.0
[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand
Cleaning up orphan processes"""


def normalise(text: str, root: Path) -> str:
    """Stable output: temp paths, durations, PIDs, addresses, versions of timing lines."""
    text = text.replace(str(root), WORKDIR).replace(str(root.resolve()), WORKDIR)
    text = text.replace(str(JS_DIR), WORKDIR)
    # the interpreter's and the project's own paths say nothing about the failure and are
    # different on every machine: the runner's tool cache stands in for them
    text = text.replace(sys.prefix, RUNNER_PYTHON).replace(str(PROJECT_ROOT), WORKDIR)
    text = text.replace(sys.base_prefix, RUNNER_PYTHON).replace(str(Path.home()), "/home/runner")
    text = re.sub(r"/tmp/[\w.-]+/", "/tmp/x/", text)
    text = re.sub(r"\b\d+\.\d+ ?(ms|s|sec|seconds)\b", r"0.01 \1".replace(" ", ""), text)
    text = re.sub(r"\b\d+(ms)\b", r"1\1", text)
    text = re.sub(r"\((\d+\.)?\d+m?s\)", "(1ms)", text)
    text = re.sub(r"(line \d+: +)\d+ ", r"\g<1>4242 ", text)
    text = re.sub(r"0x[0-9a-f]{8,16}", "0x00007f0000000000", text)
    text = re.sub(r"\b\d{2}:\d{2}:\d{2}\b", "12:00:00", text)
    text = re.sub(r"Duration: \d+", "Duration: 1", text)
    text = re.sub(
        r"\d{4}-\d\d-\d\dT\d\d[:_]\d\d[:_]\d\d(?:[._]\d+)?Z", "2024-05-01T12:00:00Z", text
    )
    text = re.sub(r"(thread '[^']*') \(\d+\)", r"\1 (1)", text)
    text = re.sub(r"duration_ms:? [\d.]+", "duration_ms: 1", text)
    text = re.sub(  # V8's GC trace: how many lines and their numbers vary per run
        r"(?m)(^\[\d+:0x[0-9a-f]+\] +\d+ ms: .*\n)+",
        "[4242:0x0] 1 ms: Mark-Compact (GC trace normalised)\n",
        text,
    )
    text = re.sub(r"in \d+(\.\d+)?s\b", "in 0.01s", text)
    text = re.sub(r"\d+(\.\d+)? MB/s", "1.0 MB/s", text)
    text = re.sub(
        r"\d+ bytes \([\d.]+ [kMG]?B(, [\d.]+ [KMG]iB)?\) copied, [\d.e-]+ s, [\d.]+ [kMG]?B/s",
        "0 bytes copied",
        text,
    )
    return text


def frame(specs: list[StepSpec], root: Path) -> str:
    """Frame step outputs as a GitHub Actions job log with fixed timestamps."""
    lines: list[str] = SETUP_JOB.splitlines()
    failed = False
    for spec in specs:
        if failed and not spec.always:
            continue
        cmd_lines = normalise(spec.run, root).splitlines()
        lines.append("##[group]Run " + cmd_lines[0])
        lines.extend(cmd_lines)
        if "@" not in cmd_lines[0]:
            lines.append("shell: /usr/bin/bash -e {0}")
        lines.append("##[endgroup]")
        lines.extend(normalise(spec.output, root).rstrip("\n").splitlines())
        if spec.raw_error:
            lines.append(spec.raw_error)
            failed = True
        elif spec.exit:
            lines.append(f"##[error]Process completed with exit code {spec.exit}.")
            if not spec.continue_on_error:
                failed = True
    lines.extend(POST.splitlines())
    start = BASE_TIME
    out = []
    for i, line in enumerate(lines):
        stamp = (start + timedelta(milliseconds=37 * i)).strftime("%Y-%m-%dT%H:%M:%S.%f")
        out.append(f"{stamp}0Z {line}")
    return "\n".join(out) + "\n"


def failing_step_title(specs: list[StepSpec], root: Path) -> str | None:
    title = None
    for spec in specs:
        first = "Run " + normalise(spec.run, root).splitlines()[0]
        if spec.raw_error or (spec.exit and not spec.continue_on_error):
            return first
        if spec.exit and title is None:
            title = first
    return title


def all_cases() -> list[Case]:
    """The original cases and the ones issue 11 added (``more_cases.py``)."""
    sys.path.insert(0, str(HERE))
    from more_cases import MORE_CASES

    return [*CASES, *MORE_CASES]


def tool_version(case: Case) -> str:
    if not case.version:
        return ""
    with tempfile.TemporaryDirectory(prefix="pitcrew-version-") as tmp:
        out, _ = sh(case.version, Path(tmp), env={"RUSTUP_HOME": "/root/.rustup"})
    lines = [line for line in out.strip().splitlines() if line.strip()]
    return re.sub(r"\x1b\[[0-9;]*m", "", lines[0]).strip() if lines else ""


def label_of(case: Case, step_title: str | None, old: dict[str, object]) -> dict[str, object]:
    """The case's label; fields the case does not define keep their committed values."""
    tests = case.failing_tests or [t for t, _, _ in case.failures]
    label: dict[str, object] = {**old, "category": case.category, "failing_tests": tests}
    label["step"] = case.step or (step_title if step_title is not None else old.get("step"))
    if case.failures:
        label["failures"] = [
            {"test": t, "message": m, "location": loc} for t, m, loc in case.failures
        ]
    if case.key_lines:
        label["key_lines"] = case.key_lines
    if case.failed_steps:
        label["failed_steps"] = [{"step": st, "category": c} for st, c in case.failed_steps]
    if case.tool:
        label["tool"] = case.tool
    if case.provenance:
        label["provenance"] = case.provenance
    elif step_title is not None and old.get("provenance") != "framed":
        version = tool_version(case)
        command = step_title.removeprefix("Run ")
        label["provenance"] = f"ran: {command}" + (f" ({version})" if version else "")
    if case.note:
        label["note"] = case.note
    if case.batch != 1:
        label["batch"] = case.batch
    return label


def label_problems(text: str, label: dict[str, object]) -> list[str]:
    """Labelled key lines and messages that the log does not contain (a label typo)."""
    flat = " ".join(re.sub(r"(?m)^\S+Z ", "", text).split())
    wanted = [str(k) for k in label.get("key_lines") or []]  # type: ignore[attr-defined]
    wanted += [str(f["message"]) for f in label.get("failures") or []]  # type: ignore[attr-defined]
    return [w for w in wanted if " ".join(w.split()) not in flat]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument(
        "--relabel", action="store_true", help="rewrite labels only; run no tool, keep the logs"
    )
    args = parser.parse_args(argv)
    cases = all_cases()
    if args.list:
        for case in cases:
            print(f"{case.name:40} {case.category:20} {case.tool}")
        return 0
    import yaml

    LOGS.mkdir(parents=True, exist_ok=True)
    expected = yaml.safe_load(EXPECTED.read_text()) if EXPECTED.exists() else {}
    expected = expected or {}
    wanted = set(args.cases) or {c.name for c in cases}
    status = 0
    for case in cases:
        if case.name not in wanted:
            continue
        old = expected.get(case.name, {})
        if args.relabel:
            if case.name in expected:
                expected[case.name] = label_of(
                    case, None, {**old, "provenance": old.get("provenance")}
                )
            continue
        with tempfile.TemporaryDirectory(
            prefix="pitcrew-corpus-", ignore_cleanup_errors=True
        ) as tmp:
            root = Path(tmp) / "proj"
            root.mkdir()
            try:
                specs = case.build(root)
            except subprocess.TimeoutExpired:
                print(f"skip {case.name}: tool timed out", file=sys.stderr)
                continue
            except Exception as exc:  # Skip, from this module or as more_cases imports it
                if type(exc).__name__ != "Skip":
                    raise
                print(f"skip {case.name}: {exc}", file=sys.stderr)
                continue
            text = frame(specs, root)
            step_title = failing_step_title(specs, root)
        (LOGS / f"{case.name}.log").write_text(text, encoding="utf-8")
        expected[case.name] = label_of(case, step_title, old)
        problems = label_problems(text, expected[case.name])
        if problems:
            status = 1
            print(f"LABEL {case.name}: not in the log: {problems}", file=sys.stderr)
        print(f"wrote {case.name} ({case.category})")
    write_labels({n: expected[n] for n in wanted if n in expected}, cases)
    return status


def write_labels(labels: dict[str, object], cases: list[Case]) -> None:
    """Merge this run's labels into expected.yml under a lock (runs may overlap)."""
    import fcntl

    import yaml

    with open(HERE / ".expected.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = yaml.safe_load(EXPECTED.read_text()) if EXPECTED.exists() else {}
        current = current or {}
        # labels keep their place in the file; new ones go last, in case order (a stable
        # file: parallel collection rounds merge without reordering each other)
        names = list(current) + [c.name for c in cases if c.name not in current]
        current = {**current, **labels}
        ordered = {n: current[n] for n in names if n in current}
        header = "# Generated by generate.py: expected diagnosis per corpus log.\n"
        EXPECTED.write_text(header + yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True))


if __name__ == "__main__":
    sys.exit(main())
