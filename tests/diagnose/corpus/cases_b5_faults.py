# ruff: noqa: E501
"""Batch 5, run here (helper p11c5, names ``b5c_…``, ``batch: 5``): crashes, resource deaths,
time-outs, network/infra failures from many clients, dependency resolution failures and
``ENOSPC``, each produced by the real tool on a crafted project: segfaults and aborts from
Python C calls (faulthandler), Rust, Go (cgo), C/C++ under make/ctest, node (V8 stack
overflow), the JVM (hs_err), glibc's heap checks and valgrind; out-of-memory under
``ulimit -v`` (Go, Rust, Ruby), JVM direct memory, V8 worker heap limits and a supervising
``kill -9``; time-outs from ``timeout``, go test, jest hooks, node:test, pytest-xdist with
pytest-timeout and a wait-for script; clients (pip, npm, pnpm, yarn, go, cargo, maven,
bundler, composer, wget, git, podman, requests in a test) against the loopback servers of
``more_cases.py`` (refusing, resetting, self-signed TLS, 502/503/429, never answering) or an
unresolvable host; dependency resolution (cargo, go with a file proxy, maven ranges, bundler,
composer platform, npm engines, pip hash mode); ``ENOSPC`` on a small tmpfs.

Needs, besides what ``more_cases.py`` lists: ``pytest pytest-timeout pytest-xdist requests``
in the venv ``$PITCREW_CORPUS_C5_PY`` (default ``/tmp/pitcrew-corpus/c5/py``); ``jest@29
mocha@10 yarn@1`` installed with npm in ``$PITCREW_CORPUS_C5_JS`` (default
``/tmp/pitcrew-corpus/c5/js``); pnpm from ``$PITCREW_CORPUS_RAN_JS``; root (``mount -t
tmpfs``) for the ENOSPC cases. Labels were written from each log's text before the engine
was run on any of them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import generate as g
from cases_b2_b import pom
from generate import CHECKOUT, Case, StepSpec, write
from more_cases import SETUP_GO, SETUP_NODE, Run, StepLike, add, case, port_of

C5_PY = Path(os.environ.get("PITCREW_CORPUS_C5_PY", "/tmp/pitcrew-corpus/c5/py"))
C5_JS = Path(os.environ.get("PITCREW_CORPUS_C5_JS", "/tmp/pitcrew-corpus/c5/js"))
RAN_JS = Path(os.environ.get("PITCREW_CORPUS_RAN_JS", "/tmp/pitcrew-corpus/ran/js"))
PATH_ENV = {
    "PATH": f"{C5_PY / 'bin'}:{C5_JS / 'node_modules' / '.bin'}:{RAN_JS / 'node_modules' / '.bin'}:{os.environ['PATH']}",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "npm_config_update_notifier": "false",
}
SETUP_PY = StepSpec("actions/setup-python@v5", "Successfully set up CPython (3.11.9)\n")
SETUP_RUST = StepSpec("dtolnay/rust-toolchain@stable", "rustc 1.95.0 (stable)\n")
SETUP_JAVA = StepSpec("actions/setup-java@v4", "Java 17.0.15 was found in the local cache\n")
SETUP_RUBY = StepSpec("ruby/setup-ruby@v1", "Using Ruby 3.1.2\n")
SETUP_PHP = StepSpec("shivammathur/setup-php@v2", "PHP 8.2 is installed\n")
SETUP = {
    "py": SETUP_PY,
    "js": SETUP_NODE,
    "go": SETUP_GO,
    "rust": SETUP_RUST,
    "java": SETUP_JAVA,
    "ruby": SETUP_RUBY,
    "php": SETUP_PHP,
}


def _scrub(text: str) -> str:
    """The throwaway installs' paths → the runner's."""
    for js in (C5_JS, RAN_JS):
        text = text.replace(str(js / "node_modules"), g.WORKDIR + "/node_modules")
    text = re.sub(r"(?:\.\./)+pitcrew-corpus/[\w/]+?/node_modules/", "node_modules/", text)
    text = text.replace(str(C5_PY), "/home/runner/work/proj/proj/.venv")
    text = re.sub(r"\b20\d\d-\d\d-\d\d 12:00:00", "2024-05-01 12:00:00", text)
    text = re.sub(r"lookup ([\w.-]+) on [\d.]+:53", r"lookup \1 on 127.0.0.53:53", text)
    # a tool's own temp dirs (pip's target staging, go's work dir) are the runner's temp dir
    text = re.sub(r"(?<![\w.-])/tmp/(?!pitcrew-)", "/home/runner/work/_temp/", text)
    return text.replace("/tmp/pitcrew-c5-mnt", "/home/runner/work/_temp")


def b5(c: Case, files: dict[str, str] | None = None) -> Case:
    """Every case of this module belongs to collection round 5; outputs lose machine paths.
    ``files`` may name the loopback servers' ports (``{p503}``…) like the commands do."""
    inner = c.build

    def build(root: Path) -> list[StepSpec]:
        write(root, {rel: port_of(text) for rel, text in (files or {}).items()})
        specs = inner(root)
        for spec in specs:
            spec.output = _scrub(spec.output)
            spec.run = _scrub(spec.run)
        return specs

    c.build = build
    c.batch = 5
    return c


def fault(
    name: str,
    category: str,
    tool: str,
    steps: Sequence[StepLike],
    files: dict[str, str] | None = None,
    *,
    lang: str = "",
    env: dict[str, str] | None = None,
    timeout: int = 240,
    **kw: Any,
) -> Case:
    """A case of this round: its commands run with the round's tools first on PATH."""
    kw.setdefault("version", f"{tool.split()[0]} --version 2>&1 | head -1")
    runs: list[StepLike] = [
        Run(s, env={**PATH_ENV, **(env or {})}, timeout=timeout) if isinstance(s, str) else s
        for s in steps
    ]
    prelude = [CHECKOUT, SETUP[lang]] if lang else [CHECKOUT]
    return b5(case(name, category, tool, runs, {}, prelude=prelude, **kw), files)


# -- segfaults and aborts ----------------------------------------------------------------------

add(
    fault(
        "b5c_py_ctypes_segv_pytest",
        "segfault",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            "tests/test_buffer.py": """
                import ctypes


                def test_copy_small():
                    assert bytes(3) == b"\\x00\\x00\\x00"


                def test_read_header():
                    raw = ctypes.string_at(0xFFFF800000001000, 16)
                    assert raw[:4] == b"PK\\x03\\x04"
                """,
        },
        lang="py",
        key=["Fatal Python error: Segmentation fault"],
        version="python -m pytest --version",
    ),
)

RUST_TOML = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
GO_MOD = "module example.com/proj\n\ngo 1.19\n"

add(
    fault(
        "b5c_py_abort_script",
        "segfault",
        "python",
        ["python -X faulthandler scripts/export.py"],
        {
            "scripts/export.py": """
                import ctypes
                import sys


                def flush(rows):
                    print(f"exporting {len(rows)} rows", flush=True)
                    ctypes.CDLL(None).abort()


                flush(list(range(12)))
                sys.exit(0)
                """,
        },
        lang="py",
        key=["Fatal Python error: Aborted"],
    ),
    fault(
        "b5c_py_unittest_segv",
        "segfault",
        "unittest",
        ["python -m unittest -v"],
        {
            "test_codec.py": """
                import ctypes
                import unittest


                class CodecTest(unittest.TestCase):
                    def test_roundtrip(self):
                        self.assertEqual(b"ab".decode(), "ab")

                    def test_native_decode(self):
                        buf = ctypes.cast(0xFFFF800000002000, ctypes.POINTER(ctypes.c_char))
                        self.assertEqual(buf[0], b"a")


                if __name__ == "__main__":
                    unittest.main()
                """,
        },
        lang="py",
        key=["Segmentation fault"],
        version="python --version",
    ),
    fault(
        "b5c_rust_unsafe_null_run",
        "segfault",
        "cargo run",
        ["cargo run -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="reader"),
            "src/main.rs": 'fn read_len(p: *const u64) -> u64 {\n    unsafe { std::ptr::read_volatile(p) }\n}\n\nfn main() {\n    println!("reading header");\n    let len = read_len(0xFFFF_8000_0000_1000usize as *const u64);\n    println!("len = {len}");\n}\n',
        },
        lang="rust",
        key=["Segmentation fault"],
    ),
    fault(
        "b5c_rust_test_stack_overflow",
        "segfault",
        "cargo test",
        ["cargo test -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="tree"),
            "src/lib.rs": "pub fn depth(n: u64) -> u64 {\n    let pad = [n; 64];\n    if n == 0 { 0 } else { 1 + depth(n - 1) + pad[1] - n }\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn shallow() {\n        assert_eq!(depth(3), 3);\n    }\n\n    #[test]\n    fn very_deep() {\n        assert_eq!(depth(10_000_000), 10_000_000);\n    }\n}\n",
        },
        lang="rust",
        tests=["tests::very_deep"],
        key=["has overflowed its stack"],
    ),
    fault(
        "b5c_go_cgo_segv",
        "segfault",
        "go run",
        ["go run ."],
        {
            "go.mod": GO_MOD,
            "main.go": 'package main\n\n/*\nstatic int peek(void) { volatile int *p = (int *)0xFFFF800000001000UL; return *p; }\n*/\nimport "C"\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("probing device")\n\tfmt.Println(C.peek())\n}\n',
        },
        lang="go",
        key=["unexpected signal during runtime execution"],
        version="go version",
    ),
    fault(
        "b5c_go_test_nil_deref",
        "test_failure",
        "go test",
        ["go test ./..."],
        {
            "go.mod": GO_MOD,
            "cfg/cfg.go": 'package cfg\n\ntype Config struct{ Name string }\n\nfunc Load(path string) *Config {\n\tif path == "" {\n\t\treturn nil\n\t}\n\treturn &Config{Name: path}\n}\n',
            "cfg/cfg_test.go": 'package cfg\n\nimport "testing"\n\nfunc TestLoadNamed(t *testing.T) {\n\tif Load("a").Name != "a" {\n\t\tt.Fatal("bad name")\n\t}\n}\n\nfunc TestLoadDefault(t *testing.T) {\n\tc := Load("")\n\tif c.Name != "default" {\n\t\tt.Errorf("name = %q", c.Name)\n\t}\n}\n',
        },
        lang="go",
        failures=[
            (
                "TestLoadDefault",
                "panic: runtime error: invalid memory address or nil pointer dereference",
                "cfg/cfg_test.go:13",
            )
        ],
        key=["panic: runtime error: invalid memory address or nil pointer dereference"],
        version="go version",
        note="a nil dereference inside the code under test panics the test binary: a failing test (the project's bug), not a crash of the toolchain",
    ),
    fault(
        "b5c_make_check_segv",
        "segfault",
        "make",
        ["make check"],
        {
            "Makefile": "CFLAGS = -O0 -g\n\ncheck: test_list\n\t./test_list\n\ntest_list: test_list.c list.c\n\t$(CC) $(CFLAGS) -o $@ $^\n",
            "list.c": "#include <stddef.h>\nstruct node { int v; struct node *next; };\nint sum(struct node *n) { int s = 0; for (; n; n = n->next) s += n->v; return s; }\nint last(struct node *n) { while (n->next) n = n->next; return n->v; }\n",
            "test_list.c": '#include <stdio.h>\n#include <stddef.h>\nstruct node { int v; struct node *next; };\nint sum(struct node *n);\nint last(struct node *n);\nint main(void) {\n  struct node b = {2, NULL}, a = {1, &b};\n  printf("sum: %s\\n", sum(&a) == 3 ? "ok" : "FAIL");\n  fflush(stdout);\n  printf("last of empty: %d\\n", last(NULL));\n  return 0;\n}\n',
        },
        key=["Segmentation fault"],
        version="make --version | head -1",
    ),
    fault(
        "b5c_ctest_abort",
        "segfault",
        "ctest",
        [
            "cmake -S . -B build > /dev/null && cmake --build build > /dev/null\nctest --test-dir build --output-on-failure"
        ],
        {
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(app C)\nenable_testing()\nadd_executable(test_queue test_queue.c)\nadd_test(NAME queue_push COMMAND test_queue push)\nadd_test(NAME queue_drain COMMAND test_queue drain)\n",
            "test_queue.c": '#include <assert.h>\n#include <stdio.h>\n#include <string.h>\nstatic int q[4], n;\nstatic void push(int v) { q[n++] = v; }\nstatic int pop(void) { assert(n > 0 && "pop from empty queue"); return q[--n]; }\nint main(int argc, char **argv) {\n  push(1);\n  if (strcmp(argv[1], "drain") == 0) { pop(); pop(); }\n  puts("ok");\n  return 0;\n}\n',
        },
        tests=["queue_drain"],
        key=['Assertion `n > 0 && "pop from empty queue"\' failed.'],
        version="ctest --version | head -1",
    ),
    fault(
        "b5c_node_stack_overflow_segv",
        "segfault",
        "node",
        ["node --stack-size=65500 scripts/walk.js"],
        {
            "scripts/walk.js": "function walk(n) {\n  return n === 0 ? 0 : 1 + walk(n - 1);\n}\nconsole.log('walking the tree');\nconsole.log(walk(1e7));\n",
        },
        lang="js",
        key=["Segmentation fault"],
        version="node --version",
    ),
    fault(
        "b5c_valgrind_double_free",
        "segfault",
        "valgrind",
        ["gcc -g -O0 -o cache src/cache.c\nvalgrind --error-exitcode=1 --leak-check=no -q ./cache"],
        {
            "src/cache.c": '#include <stdlib.h>\n#include <stdio.h>\n\nstruct entry { char *key; };\n\nstatic void drop(struct entry *e) { free(e->key); }\n\nint main(void) {\n  struct entry e = { malloc(8) };\n  drop(&e);\n  drop(&e);\n  puts("done");\n  return 0;\n}\n',
        },
        key=["Invalid free() / delete / delete[] / realloc()"],
        version="valgrind --version",
    ),
    fault(
        "b5c_glibc_double_free_abort",
        "segfault",
        "gcc",
        ["gcc -O0 -o cache src/cache.c\n./cache"],
        {
            "src/cache.c": '#include <stdlib.h>\n#include <stdio.h>\n\nint main(void) {\n  char *key = malloc(24);\n  puts("evicting");\n  fflush(stdout);\n  free(key);\n  free(key);\n  return 0;\n}\n',
        },
        key=["free(): double free detected in tcache 2"],
    ),
    fault(
        "b5c_jvm_unsafe_sigsegv",
        "segfault",
        "java",
        ["javac -d out src/Peek.java\njava -XX:ErrorFile=hs_err.log -cp out Peek"],
        {
            "src/Peek.java": 'import java.lang.reflect.Field;\nimport sun.misc.Unsafe;\n\npublic class Peek {\n  public static void main(String[] args) throws Exception {\n    Field f = Unsafe.class.getDeclaredField("theUnsafe");\n    f.setAccessible(true);\n    Unsafe u = (Unsafe) f.get(null);\n    System.out.println("reading native header");\n    System.out.println(u.getLong(16L));\n  }\n}\n',
        },
        lang="java",
        key=["A fatal error has been detected by the Java Runtime Environment"],
    ),
)

# -- out of memory -------------------------------------------------------------------------------

add(
    fault(
        "b5c_go_oom_ulimit",
        "oom_killed",
        "go run",
        ["go build -o ingest . && ulimit -v 800000 && ./ingest"],
        {
            "go.mod": GO_MOD,
            "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("loading index")\n\tvar chunks [][]byte\n\tfor i := 0; i < 64; i++ {\n\t\tchunks = append(chunks, make([]byte, 64<<20))\n\t\tchunks[i][0] = 1\n\t}\n\tfmt.Println(len(chunks))\n}\n',
        },
        lang="go",
        key=["runtime: out of memory: cannot allocate 67108864-byte block"],
        version="go version",
    ),
    fault(
        "b5c_rust_alloc_fail_ulimit",
        "oom_killed",
        "cargo test",
        ["cargo test -q --no-run 2>/dev/null\nulimit -v 300000\ncargo test -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="grid"),
            "src/lib.rs": "pub fn cells(n: usize) -> Vec<u64> {\n    vec![1; n]\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn small_grid() {\n        assert_eq!(super::cells(4).len(), 4);\n    }\n\n    #[test]\n    fn huge_grid() {\n        let g = super::cells(1 << 30);\n        assert_eq!(g[5], 1);\n    }\n}\n",
        },
        lang="rust",
        key=["memory allocation of 8589934592 bytes failed"],
        note="the test binary aborts before libtest can name the failing test",
    ),
    fault(
        "b5c_ruby_nomemory_ulimit",
        "oom_killed",
        "ruby",
        ["ulimit -v 200000\nruby scripts/report.rb"],
        {
            "scripts/report.rb": 'puts "building report"\nrows = []\n64.times { rows << ("x" * (32 * 1024 * 1024)) }\nputs rows.size\n',
        },
        lang="ruby",
        key=["failed to allocate memory (NoMemoryError)"],
        version="ruby --version",
    ),
    fault(
        "b5c_jvm_direct_buffer_oom",
        "oom_killed",
        "java",
        ["javac -d out src/Frames.java\njava -XX:MaxDirectMemorySize=8m -cp out Frames"],
        {
            "src/Frames.java": 'import java.nio.ByteBuffer;\nimport java.util.ArrayList;\nimport java.util.List;\n\npublic class Frames {\n  public static void main(String[] args) {\n    List<ByteBuffer> frames = new ArrayList<>();\n    System.out.println("decoding frames");\n    for (int i = 0; i < 64; i++) {\n      frames.add(ByteBuffer.allocateDirect(1 << 20));\n    }\n    System.out.println(frames.size());\n  }\n}\n',
        },
        lang="java",
        key=["java.lang.OutOfMemoryError: Cannot reserve 1048576 bytes of direct buffer memory"],
    ),
    fault(
        "b5c_node_worker_heap_limit",
        "oom_killed",
        "node",
        ["node scripts/thumbs.js"],
        {
            "scripts/thumbs.js": "const { Worker } = require('node:worker_threads');\nconst w = new Worker(`\n  const keep = [];\n  for (;;) keep.push(new Array(1e5).fill(Math.random()));\n`, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16 } });\nw.on('error', (err) => { console.error(err); process.exit(1); });\n",
        },
        lang="js",
        key=["ERR_WORKER_OUT_OF_MEMORY"],
        version="node --version",
    ),
    fault(
        "b5c_go_test_binary_killed",
        "oom_killed",
        "go test",
        [
            "go test -c -o cache.test ./cache\n( sleep 3; pkill -KILL -f cache.test ) &\n./cache.test -test.v"
        ],
        {
            "go.mod": GO_MOD,
            "cache/cache.go": "package cache\n\nfunc Fill(n int) [][]byte {\n\tvar out [][]byte\n\tfor i := 0; i < n; i++ {\n\t\tout = append(out, make([]byte, 1<<20))\n\t}\n\treturn out\n}\n",
            "cache/cache_test.go": 'package cache\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestFillSmall(t *testing.T) {\n\tif len(Fill(2)) != 2 {\n\t\tt.Fatal("size")\n\t}\n}\n\nfunc TestFillWarm(t *testing.T) {\n\tkeep := Fill(64)\n\ttime.Sleep(30 * time.Second)\n\t_ = keep\n}\n',
        },
        lang="go",
        key=["Killed"],
        version="go version",
        note="a supervising kill -9 (as the kernel's OOM killer or a cgroup limit does) ends the test binary mid-test",
    ),
    fault(
        "b5c_php_memory_limit_script",
        "oom_killed",
        "php",
        ["php -d memory_limit=4M scripts/import.php"],
        {
            "scripts/import.php": '<?php\n$rows = [];\necho "importing\\n";\nfor ($i = 0; $i < 100000; $i++) {\n    $rows[] = str_repeat("r", 256);\n}\necho count($rows), "\\n";\n',
        },
        lang="php",
        key=["Allowed memory size of 4194304 bytes exhausted"],
        version="php --version | head -1",
    ),
    fault(
        "b5c_pytest_xdist_worker_oom_kill",
        "oom_killed",
        "pytest-xdist",
        ["python -m pytest -q -p no:cacheprovider -n 2 tests"],
        {
            "tests/test_model.py": """
                import os
                import signal


                def test_small_batch():
                    assert sum(range(4)) == 6


                def test_large_batch():
                    data = [bytearray(1024) for _ in range(1000)]
                    os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer does to the worker
                    assert len(data) == 1000
                """,
        },
        lang="py",
        key=["worker 'gw1' crashed while running 'tests/test_model.py::test_large_batch'"],
        version="python -m pytest --version",
        tests=["tests/test_model.py::test_large_batch"],
    ),
)

# -- time-outs -----------------------------------------------------------------------------------

add(
    fault(
        "b5c_timeout_verbose_integration",
        "timeout",
        "timeout",
        ["timeout --verbose 3 ./scripts/integration.sh"],
        {
            "scripts/integration.sh": '#!/bin/sh\necho "starting api on :8080"\necho "waiting for worker queue to drain"\nwhile true; do sleep 1; done\n',
        },
        hidden="chmod +x scripts/integration.sh",
        key=["timeout: sending signal TERM to command"],
        version="timeout --version | head -1",
    ),
    fault(
        "b5c_timeout_silent_124",
        "timeout",
        "timeout",
        ["timeout 3 python scripts/migrate.py"],
        {
            "scripts/migrate.py": 'import time\n\nprint("applying migration 0042_add_index", flush=True)\nwhile True:\n    time.sleep(1)\n',
        },
        lang="py",
        key=["Process completed with exit code 124."],
        version="timeout --version | head -1",
    ),
    fault(
        "b5c_go_test_timeout_subtest",
        "timeout",
        "go test",
        ["go test -timeout 3s ./..."],
        {
            "go.mod": GO_MOD,
            "queue/queue.go": "package queue\n\ntype Q struct{ ch chan int }\n\nfunc New() *Q { return &Q{ch: make(chan int)} }\n\nfunc (q *Q) Pop() int { return <-q.ch }\n",
            "queue/queue_test.go": 'package queue\n\nimport "testing"\n\nfunc TestQueue(t *testing.T) {\n\tt.Run("new", func(t *testing.T) {\n\t\tif New() == nil {\n\t\t\tt.Fatal("nil")\n\t\t}\n\t})\n\tt.Run("pop_empty_blocks", func(t *testing.T) {\n\t\t_ = New().Pop()\n\t})\n}\n',
        },
        lang="go",
        tests=["TestQueue"],
        key=["panic: test timed out after 3s"],
        note="go 1.19 names no running test on a time-out; its goroutine dump shows TestQueue (as go_test_timeout and b2_go_test_deadlock_timeout are labelled)",
        version="go version",
    ),
    fault(
        "b5c_jest_hook_timeout",
        "timeout",
        "jest",
        ["jest --ci"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true}\n',
            "src/db.test.js": "let conn;\n\nbeforeAll(async () => {\n  conn = await new Promise(() => {}); // the test database never answers\n}, 1000);\n\ntest('inserts a row', () => {\n  expect(conn).toBeDefined();\n});\n",
        },
        lang="js",
        failures=[
            (
                "inserts a row",
                'thrown: "Exceeded timeout of 1000 ms for a hook.',
                "src/db.test.js:3",
            )
        ],
        key=["Exceeded timeout of 1000 ms for a hook."],
        version="jest --version",
    ),
    fault(
        "b5c_node_test_timeout",
        "timeout",
        "node:test",
        ["node --test test/"],
        {
            "test/poll.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\n\ntest('parses a frame', () => {\n  assert.strictEqual(JSON.parse('[1]')[0], 1);\n});\n\ntest('waits for the ack', { timeout: 500 }, async () => {\n  await new Promise((resolve) => setTimeout(resolve, 5000));\n});\n",
        },
        lang="js",
        failures=[("waits for the ack", "test timed out after 1ms", "test/poll.test.js:8")],
        key=["test timed out after 1ms"],
        note="the generator normalises durations: the test's own timeout was 500 ms",
        version="node --version",
    ),
    fault(
        "b5c_pytest_timeout_xdist",
        "timeout",
        "pytest-timeout",
        ["python -m pytest -q -p no:cacheprovider -n 2 --timeout 2 tests"],
        {
            "tests/test_sync.py": """
                import threading


                def test_fast():
                    assert 1 + 1 == 2


                def test_sync_waits_for_lock():
                    lock = threading.Lock()
                    lock.acquire()
                    lock.acquire()  # never released: the sync deadlocks
                """,
        },
        lang="py",
        failures=[
            (
                "tests/test_sync.py::test_sync_waits_for_lock",
                "Failed: Timeout (>0.01s) from pytest-timeout.",
                "tests/test_sync.py:11",
            )
        ],
        key=["Failed: Timeout (>0.01s) from pytest-timeout."],
        note="the generator normalises durations: the timeout was 2 s",
        version="python -m pytest --version",
    ),
    fault(
        "b5c_wait_for_service_timeout",
        "timeout",
        "bash",
        ["./scripts/wait-for.sh 127.0.0.1:5999 -t 3 -- npm test"],
        {
            "scripts/wait-for.sh": '#!/usr/bin/env bash\n# the common wait-for-it shape: poll a TCP port, give up after -t seconds\nHOST=${1%:*}; PORT=${1#*:}; TIMEOUT=$3\necho "wait-for.sh: waiting $TIMEOUT seconds for $HOST:$PORT"\nfor i in $(seq "$TIMEOUT"); do\n  (echo > /dev/tcp/$HOST/$PORT) 2>/dev/null && exec "${@:5}"\n  sleep 1\ndone\necho "wait-for.sh: timeout occurred after waiting $TIMEOUT seconds for $HOST:$PORT" >&2\nexit 1\n',
        },
        hidden="chmod +x scripts/wait-for.sh",
        key=["timeout occurred after waiting 3 seconds for 127.0.0.1:5999"],
        version="bash --version | head -1",
        note="a harness's own time-out: the database service the tests need never came up",
    ),
)

# -- network and registries ----------------------------------------------------------------------

add(
    fault(
        "b5c_pip_read_timeout",
        "infra_network",
        "pip",
        [
            "python -m pip install --retries 1 --timeout 2 --index-url http://127.0.0.1:{pslow}/simple attrs"
        ],
        lang="py",
        key=["Read timed out."],
        version="python -m pip --version",
    ),
    fault(
        "b5c_npm_slow_registry_timeout",
        "infra_network",
        "npm",
        [
            "npm install --no-audit --no-fund --cache .npmcache --fetch-retries=0 --fetch-timeout=2000 --registry http://127.0.0.1:{pslow}/ left-pad"
        ],
        {"package.json": '{"name": "proj", "version": "1.0.0", "private": true}\n'},
        lang="js",
        key=["npm error network timeout at: http://127.0.0.1:8901/left-pad"],
        version="npm --version",
    ),
    fault(
        "b5c_pnpm_refused",
        "infra_network",
        "pnpm",
        [
            "pnpm install --registry http://127.0.0.1:9/ --store-dir .pnpm-store --config.fetch-retries=0"
        ],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"ms": "^2.1.3"}}\n'
        },
        lang="js",
        key=["ECONNREFUSED"],
        version="pnpm --version",
    ),
    fault(
        "b5c_yarn1_dns",
        "infra_network",
        "yarn",
        [
            "yarn install --non-interactive --network-timeout 5000 --cache-folder .yarncache --registry http://npm.corp-mirror.invalid/"
        ],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"ms": "^2.1.3"}}\n'
        },
        lang="js",
        key=["getaddrinfo ENOTFOUND npm.corp-mirror.invalid"],
        version="yarn --version",
    ),
    fault(
        "b5c_go_mod_tls_proxy",
        "infra_network",
        "go mod",
        ["GOPROXY=https://127.0.0.1:{ptls} GOFLAGS= go mod download"],
        {
            "go.mod": GO_MOD + "\nrequire github.com/google/uuid v1.6.0\n",
            "main.go": 'package main\n\nimport "github.com/google/uuid"\n\nfunc main() { println(uuid.NewString()) }\n',
        },
        lang="go",
        key=["x509: cannot validate certificate for 127.0.0.1"],
        version="go version",
    ),
    fault(
        "b5c_cargo_reset",
        "infra_network",
        "cargo fetch",
        [
            "cargo fetch --config 'source.crates-io.replace-with=\"corp\"' --config 'source.corp.registry=\"sparse+http://127.0.0.1:{preset}/index/\"'"
        ],
        {
            "Cargo.toml": RUST_TOML.format(name="app") + 'serde = "1"\n',
            "src/main.rs": "fn main() {}\n",
        },
        lang="rust",
        env={"CARGO_NET_RETRY": "0"},
        key=["Connection reset by peer"],
    ),
    fault(
        "b5c_mvn_tls_mirror",
        "infra_network",
        "maven",
        ["mvn -B -ntp -s .ci/settings.xml -Dmaven.repo.local=.m2 compile"],
        {
            ".ci/settings.xml": "<settings><mirrors><mirror><id>corp</id><mirrorOf>*</mirrorOf><url>https://127.0.0.1:{ptls}/repository/maven-public/</url></mirror></mirrors></settings>\n",
            "pom.xml": '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version><properties><maven.compiler.release>17</maven.compiler.release></properties><dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>33.2.1-jre</version></dependency></dependencies></project>\n',
            "src/main/java/com/example/App.java": "package com.example;\npublic class App {}\n",
        },
        lang="java",
        key=["PKIX path building failed"],
        version="mvn --version | head -1",
    ),
    fault(
        "b5c_bundler_503",
        "infra_network",
        "bundler",
        ["bundle config set --local path vendor/bundle\nbundle install --retry 0"],
        {
            "Gemfile": 'source "http://127.0.0.1:{p503}/"\n\ngem "rake", "~> 13.0"\n',
        },
        lang="ruby",
        key=["Could not fetch specs from http://127.0.0.1:8503/ due to underlying error"],
        version="bundle --version",
    ),
    fault(
        "b5c_composer_tls",
        "infra_network",
        "composer",
        ["composer install --no-interaction --no-progress"],
        {
            "composer.json": '{"name": "acme/app", "repositories": [{"type": "composer", "url": "https://127.0.0.1:{ptls}"}, {"packagist.org": false}], "require": {"monolog/monolog": "^3.0"}}\n',
        },
        lang="php",
        env={"COMPOSER_HOME": ".composer", "COMPOSER_CACHE_DIR": ".composer/cache"},
        key=["error:0A000086:SSL routines::certificate verify failed"],
        version="composer --version 2>/dev/null | head -1",
    ),
    fault(
        "b5c_wget_503_retry",
        "infra_network",
        "wget",
        [
            "wget --tries=2 --waitretry=1 -nv http://127.0.0.1:{p503}/releases/v1.4.2/protoc-linux-x86_64.zip"
        ],
        key=["ERROR 503: Service Unavailable."],
        version="wget --version | head -1",
    ),
    fault(
        "b5c_git_clone_502",
        "infra_network",
        "git",
        ["git clone --depth 1 http://127.0.0.1:{p502}/octo/fixtures.git vendor/fixtures"],
        key=["The requested URL returned error: 502"],
        version="git --version",
    ),
    fault(
        "b5c_podman_pull_refused",
        "infra_network",
        "podman",
        ["podman pull --tls-verify=false 127.0.0.1:9/octo/builder:1.4"],
        key=["connection refused"],
        version="podman --version",
    ),
    fault(
        "b5c_pytest_requests_read_timeout",
        "infra_network",
        "pytest",
        ["BILLING_URL=http://127.0.0.1:{pslow} python -m pytest -q -p no:cacheprovider tests"],
        {
            "tests/test_billing.py": """
                import os

                import requests

                BASE = os.environ["BILLING_URL"]


                def test_local_total():
                    assert round(1.1 + 2.2, 2) == 3.3


                def test_invoice_sync():
                    r = requests.get(f"{BASE}/v2/invoices", timeout=2)
                    assert r.status_code == 200
                """,
        },
        lang="py",
        failures=[
            (
                "tests/test_billing.py::test_invoice_sync",
                "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='127.0.0.1', port=8901): Read timed out.",
                "tests/test_billing.py:13",
            )
        ],
        key=["requests.exceptions.ReadTimeout: HTTPConnectionPool(host='127.0.0.1', port=8901)"],
        version="python -m pytest --version",
        note="the test's external service never answered: infrastructure, not the code under test",
    ),
    fault(
        "b5c_curl_500_upload",
        "infra_network",
        "curl",
        [
            "curl --fail-with-body -sS 'http://127.0.0.1:{p500}/upload/v4?token=***&name=coverage.xml'"
        ],
        key=["The requested URL returned error: 500"],
        version="curl --version | head -1",
    ),
    fault(
        "b5c_go_get_dns",
        "infra_network",
        "go get",
        ["GOPROXY=direct GOFLAGS= go get git.corp.invalid/platform/auth@v1.2.0"],
        {"go.mod": GO_MOD},
        lang="go",
        key=["dial tcp: lookup git.corp.invalid"],
        version="go version",
    ),
)

# -- dependency resolution -----------------------------------------------------------------------

GO_LIB_PROXY = (
    "mkdir -p .goproxy && cd .goproxy && mkdir -p src proxy/example.com/lib/@v"
    " && printf 'module example.com/lib\\n\\ngo 1.19\\n' > src/go.mod && printf 'package lib\\n\\nfunc Answer() int { return 42 }\\n' > src/lib.go"
    " && cp src/go.mod proxy/example.com/lib/@v/v1.0.0.mod && (cd src && zip -qr ../lib.zip .)"
    " && mkdir -p z/example.com/lib@v1.0.0 && cp src/* z/example.com/lib@v1.0.0/ && (cd z && zip -qrD ../proxy/example.com/lib/@v/v1.0.0.zip example.com)"
    " && echo v1.0.0 > proxy/example.com/lib/@v/list"
    ' && printf \'{"Version":"v1.0.0"}\' > proxy/example.com/lib/@v/v1.0.0.info'
)

add(
    fault(
        "b5c_cargo_path_version_mismatch",
        "dependency_install",
        "cargo build",
        ["cargo build -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="app")
            + 'util = { path = "util", version = "^2" }\n',
            "src/main.rs": 'fn main() { println!("{}", util::two()); }\n',
            "util/Cargo.toml": RUST_TOML.format(name="util").replace("0.1.0", "1.4.0"),
            "util/src/lib.rs": "pub fn two() -> u32 { 2 }\n",
        },
        lang="rust",
        key=['failed to select a version for the requirement `util = "^2"`'],
    ),
    fault(
        "b5c_go_mod_proxy_off_missing",
        "dependency_install",
        "go build",
        ["GOPROXY=off GOFLAGS=-mod=mod go build ./..."],
        {
            "go.mod": GO_MOD,
            "main.go": 'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/acme/retry/v2"\n)\n\nfunc main() { fmt.Println(retry.Default) }\n',
        },
        lang="go",
        key=["cannot find module providing package github.com/acme/retry/v2"],
        version="go version",
    ),
    fault(
        "b5c_go_sum_mismatch_file_proxy",
        "dependency_install",
        "go mod",
        ["GOFLAGS= GONOSUMDB=example.com GOPROXY=file://$PWD/.goproxy/proxy go mod download"],
        {
            "go.mod": GO_MOD + "\nrequire example.com/lib v1.0.0\n",
            "go.sum": "example.com/lib v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/lib v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "main.go": 'package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.Answer()) }\n',
        },
        lang="go",
        hidden=GO_LIB_PROXY,
        key=["verifying example.com/lib@v1.0.0/go.mod: checksum mismatch"],
        note="the module proxy is a local file:// one (made before the step); go.sum records other hashes",
        version="go version",
    ),
    fault(
        "b5c_mvn_version_range_none",
        "dependency_install",
        "maven",
        ["mvn -B -ntp -o -Dmaven.repo.local=/root/.m2/repository compile"],
        {
            "pom.xml": '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version><properties><maven.compiler.release>17</maven.compiler.release></properties><dependencies><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter-api</artifactId><version>[6.0,7.0)</version></dependency></dependencies></project>\n',
            "src/main/java/com/example/App.java": "package com.example;\npublic class App {}\n",
        },
        lang="java",
        key=[
            "No versions available for org.junit.jupiter:junit-jupiter-api:jar:[6.0,7.0) within specified range"
        ],
        version="mvn --version | head -1",
    ),
    fault(
        "b5c_bundler_path_conflict",
        "dependency_install",
        "bundler",
        ["bundle install --local"],
        {
            "Gemfile": 'gem "reporter", path: "gems/reporter"\ngem "formatter", path: "gems/formatter"\n',
            "gems/reporter/reporter.gemspec": 'Gem::Specification.new do |s|\n  s.name = "reporter"\n  s.version = "1.2.0"\n  s.summary = "reports"\n  s.authors = ["ci"]\n  s.files = []\n  s.add_dependency "formatter", "~> 2.0"\nend\n',
            "gems/formatter/formatter.gemspec": 'Gem::Specification.new do |s|\n  s.name = "formatter"\n  s.version = "1.9.0"\n  s.summary = "formats"\n  s.authors = ["ci"]\n  s.files = []\nend\n',
        },
        lang="ruby",
        env={"BUNDLE_SILENCE_ROOT_WARNING": "1"},
        key=['Bundler could not find compatible versions for gem "formatter":'],
        version="bundle --version",
    ),
    fault(
        "b5c_composer_missing_extension",
        "dependency_install",
        "composer",
        ["composer install --no-interaction --no-progress"],
        {
            "composer.json": '{"name": "acme/app", "require": {"php": ">=8.1", "ext-imagick": "*"}, "repositories": [{"packagist.org": false}]}\n',
        },
        lang="php",
        env={"COMPOSER_HOME": ".composer", "COMPOSER_CACHE_DIR": ".composer/cache"},
        key=["requires PHP extension ext-imagick * but it is missing from your system"],
        version="composer --version 2>/dev/null | head -1",
    ),
    fault(
        "b5c_npm_engine_strict",
        "dependency_install",
        "npm",
        ["npm install --no-audit --no-fund --engine-strict --cache .npmcache --offline"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"fastpath": "file:packages/fastpath"}}\n',
            "packages/fastpath/package.json": '{"name": "fastpath", "version": "3.0.0", "engines": {"node": ">=99"}}\n',
            "packages/fastpath/index.js": "module.exports = 1;\n",
        },
        lang="js",
        key=["npm error code EBADENGINE"],
        version="npm --version",
    ),
    fault(
        "b5c_pip_require_hashes_unpinned",
        "dependency_install",
        "pip",
        ["python -m pip install --require-hashes --target vendor -r requirements.txt"],
        {
            "requirements.txt": "attrs==23.2.0 --hash=sha256:99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1\nrequests>=2.31\n",
        },
        lang="py",
        key=["In --require-hashes mode, all requirements must have their versions pinned with =="],
        version="python -m pip --version",
    ),
    fault(
        "b5c_pnpm_frozen_lockfile_missing",
        "dependency_install",
        "pnpm",
        ["pnpm install --frozen-lockfile --offline --store-dir .pnpm-store"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"ms": "^2.1.3"}}\n',
        },
        lang="js",
        key=["ERR_PNPM_NO_LOCKFILE"],
        version="pnpm --version",
    ),
)

# -- no space left on device (a small tmpfs stands in for the runner's full disk) ----------------


def tmpfs(name: str, size: str) -> str:
    """A fresh tmpfs of ``size`` for one case, mounted before the step (needs root)."""
    mnt = f"/tmp/pitcrew-c5-mnt/{name}"
    return f"mkdir -p {mnt} && (umount {mnt} 2>/dev/null || true) && mount -t tmpfs -o size={size} tmpfs {mnt}"


MNT = "/tmp/pitcrew-c5-mnt"

add(
    fault(
        "b5c_pip_target_enospc",
        "disk_full",
        "pip",
        [f"python -m pip install --target {MNT}/pipfull/site requests==2.32.3"],
        lang="py",
        hidden=tmpfs("pipfull", "300k"),
        key=["[Errno 28] No space left on device"],
        version="python -m pip --version",
    ),
    fault(
        "b5c_npm_cache_enospc",
        "disk_full",
        "npm",
        [f"npm install --no-audit --no-fund --cache {MNT}/npmfull/cache lodash@4.17.21"],
        {"package.json": '{"name": "proj", "version": "1.0.0", "private": true}\n'},
        lang="js",
        hidden=tmpfs("npmfull", "256k"),
        key=["ENOSPC: no space left on device"],
        version="npm --version",
    ),
    fault(
        "b5c_git_clone_enospc",
        "disk_full",
        "git",
        [f"git clone --no-local --quiet fixtures.git {MNT}/gitfull/fixtures"],
        lang="",
        hidden=tmpfs("gitfull", "512k")
        + " && git init -q --bare fixtures.git && git init -q src && head -c 2000000 /dev/urandom > src/data.bin"
        + " && git -C src add -A && git -C src -c user.email=ci@example.com -c user.name=ci commit -qm data"
        + " && git -C src push -q ../fixtures.git HEAD:refs/heads/main && git --git-dir=fixtures.git symbolic-ref HEAD refs/heads/main",
        key=["No space left on device"],
        version="git --version",
    ),
    fault(
        "b5c_cargo_target_enospc",
        "disk_full",
        "cargo build",
        [f"CARGO_TARGET_DIR={MNT}/cargofull/target cargo build -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="app"),
            "src/main.rs": 'fn main() {\n    println!("{}", (1..10).sum::<u32>());\n}\n',
        },
        lang="rust",
        hidden=tmpfs("cargofull", "64k"),
        key=["No space left on device"],
    ),
    fault(
        "b5c_go_build_enospc",
        "disk_full",
        "go build",
        [f"go build -o {MNT}/gofull/bin/app ."],
        {
            "go.mod": GO_MOD,
            "main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
        },
        lang="go",
        hidden=tmpfs("gofull", "300k"),
        key=["no space left on device"],
        version="go version",
    ),
    fault(
        "b5c_ld_enospc",
        "disk_full",
        "gcc",
        [f"gcc -O2 -o {MNT}/ldfull/app src/main.c src/blob.c"],
        {
            "src/main.c": '#include <stdio.h>\nextern const unsigned char blob[];\nint main(void) { printf("%d\\n", blob[0]); return 0; }\n',
        },
        hidden=tmpfs("ldfull", "200k")
        + " && python3 -c \"import random; r = random.Random(5); print('const unsigned char blob[] = {' + ','.join(str(r.randrange(256)) for _ in range(400000)) + '};')\" > src/blob.c",
        key=["No space left on device"],
    ),
    fault(
        "b5c_pytest_tmp_enospc",
        "disk_full",
        "pytest",
        [f"python -m pytest -q -p no:cacheprovider --basetemp={MNT}/pyfull/pytest tests"],
        {
            "tests/test_export.py": """
                def test_header():
                    assert "id,name".split(",") == ["id", "name"]


                def test_export_large(tmp_path):
                    out = tmp_path / "export.csv"
                    with out.open("w") as fh:
                        for i in range(200_000):
                            fh.write(f"{i},name-{i}\\n")
                    assert out.stat().st_size > 0
                """,
        },
        lang="py",
        hidden=tmpfs("pyfull", "512k"),
        tests=["tests/test_export.py::test_export_large"],
        key=["OSError: [Errno 28] No space left on device"],
        version="python -m pytest --version",
        note="the test fails because the disk is full: the cause is the disk, not the code",
    ),
)

# -- more clients and tools ----------------------------------------------------------------------

add(
    fault(
        "b5c_gradle_repo_refused",
        "infra_network",
        "gradle",
        ["gradle --console=plain --no-daemon -q compileJava"],
        {
            "build.gradle": "apply plugin: 'java'\n\nrepositories {\n    maven { url 'http://127.0.0.1:9/repository/maven-public/' }\n}\n\ndependencies {\n    implementation 'com.squareup.okio:okio:3.9.0'\n}\n",
            "settings.gradle": "rootProject.name = 'app'\n",
            "src/main/java/com/example/App.java": "package com.example;\npublic class App {}\n",
        },
        lang="java",
        env={"GRADLE_USER_HOME": ".gradle-home"},
        timeout=300,
        key=["Connection refused"],
        version="gradle --version 2>/dev/null | grep Gradle",
    ),
    fault(
        "b5c_podman_pull_dns",
        "infra_network",
        "podman",
        ["podman pull registry.corp.invalid/base/python:3.12-slim"],
        key=["lookup registry.corp.invalid"],
        version="podman --version",
    ),
    fault(
        "b5c_mocha_heap_oom",
        "oom_killed",
        "mocha",
        ["node --max-old-space-size=32 $(command -v mocha) test/"],
        {
            "test/index.test.js": "const assert = require('node:assert');\n\ndescribe('index', () => {\n  it('builds a small index', () => {\n    assert.strictEqual([1, 2].length, 2);\n  });\n\n  it('builds the full index', () => {\n    const docs = [];\n    for (let i = 0; i < 5e6; i++) docs.push({ id: i, body: 'doc ' + i });\n    assert.ok(docs.length > 0);\n  });\n});\n",
        },
        lang="js",
        key=["FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"],
        version="mocha --version",
    ),
    fault(
        "b5c_cmake_fetchcontent_dns",
        "infra_network",
        "cmake",
        ["cmake -S . -B build"],
        {
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(app CXX)\ninclude(FetchContent)\nFetchContent_Declare(json GIT_REPOSITORY https://git.corp.invalid/mirrors/json.git GIT_TAG v3.11.3)\nFetchContent_MakeAvailable(json)\nadd_executable(app main.cpp)\n",
            "main.cpp": "int main() {}\n",
        },
        key=["Could not resolve host: git.corp.invalid"],
        version="cmake --version | head -1",
    ),
    fault(
        "b5c_gem_install_refused",
        "infra_network",
        "gem",
        [
            "gem install --no-document --clear-sources --source http://127.0.0.1:9/ rubocop -v 1.64.1"
        ],
        lang="ruby",
        key=["Errno::ECONNREFUSED"],
        version="gem --version",
    ),
)

# -- second collection: gathered after this round's first engine changes (measured apart) --------

SECOND: list[str] = []


def late(*cases: Case) -> None:
    """The second collection: its test half measures this round's changes on unseen logs."""
    SECOND.extend(c.name for c in cases)
    add(*cases)


late(
    fault(
        "b5c_asan_segv_unknown_address",
        "segfault",
        "clang",
        ["clang -g -fsanitize=address -o lookup src/lookup.c\n./lookup config/routes.txt"],
        {
            "src/lookup.c": '#include <stdio.h>\n#include <string.h>\n\nstruct route { const char *name; struct route *next; };\n\nstatic const char *find(struct route *r, const char *name) {\n  while (strcmp(r->name, name) != 0) r = r->next;\n  return r->name;\n}\n\nint main(int argc, char **argv) {\n  struct route b = {"b", NULL}, a = {"a", &b};\n  printf("loading %s\\n", argv[1]);\n  printf("%s\\n", find(&a, "c"));\n  return 0;\n}\n',
            "config/routes.txt": "a\nb\n",
        },
        key=["ERROR: AddressSanitizer: SEGV on unknown address"],
    ),
    fault(
        "b5c_pytest_os_abort_in_test",
        "segfault",
        "pytest",
        ["python -m pytest -q -p no:cacheprovider tests"],
        {
            "tests/test_native.py": """
                import os


                def test_encode():
                    assert "é".encode() == b"\\xc3\\xa9"


                def test_decoder_rejects_truncated_input():
                    # the C decoder hits an internal assertion and aborts the interpreter
                    os.abort()
                """,
        },
        lang="py",
        key=["Fatal Python error: Aborted"],
        version="python -m pytest --version",
    ),
    fault(
        "b5c_jest_worker_sigsegv",
        "segfault",
        "jest",
        ["jest --ci --maxWorkers=2"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true}\n',
            "src/image.test.js": "test('decodes a png header', () => {\n  expect(Buffer.from('89504e47', 'hex')[1]).toBe(0x50);\n});\n",
            "src/native.test.js": "test('resizes through the native binding', () => {\n  process.kill(process.pid, 'SIGSEGV'); // what a crashing native addon does\n});\n",
        },
        lang="js",
        key=["was terminated by another process: signal=SIGSEGV"],
        note="a native addon's crash, stood in for by the test signalling its own worker",
        version="jest --version",
    ),
    fault(
        "b5c_surefire_vm_crash",
        "segfault",
        "maven",
        ["mvn -o -B -ntp test"],
        {
            "pom.xml": pom("codec"),
            "src/main/java/com/example/Codec.java": 'package com.example;\n\nimport java.lang.reflect.Field;\nimport sun.misc.Unsafe;\n\npublic class Codec {\n  public static long peek(long address) throws Exception {\n    Field f = Unsafe.class.getDeclaredField("theUnsafe");\n    f.setAccessible(true);\n    return ((Unsafe) f.get(null)).getLong(address);\n  }\n}\n',
            "src/test/java/com/example/CodecTest.java": "package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\nimport org.junit.jupiter.api.Test;\n\nclass CodecTest {\n  @Test\n  void readsHeader() throws Exception {\n    assertEquals(0L, Codec.peek(16L));\n  }\n}\n",
        },
        lang="java",
        tests=["com.example.CodecTest"],
        key=[
            "The forked VM terminated without properly saying goodbye. VM crash or System.exit called?"
        ],
        note="surefire lists the crashed test class under 'Crashed tests:'",
        version="mvn -v | head -1",
    ),
    fault(
        "b5c_composer_memory_limit",
        "oom_killed",
        "composer",
        ["COMPOSER_MEMORY_LIMIT=4M composer update --no-interaction --no-progress"],
        {
            "composer.json": '{"name": "acme/app", "repositories": [{"packagist.org": false}, {"type": "package", "package": [{"name": "acme/a", "version": "1.0.0"}]}], "require": {"acme/a": "*"}}\n',
        },
        lang="php",
        env={"COMPOSER_HOME": ".composer", "COMPOSER_CACHE_DIR": ".composer/cache"},
        key=["Allowed memory size of 4194304 bytes exhausted"],
        version="composer --version 2>/dev/null | head -1",
    ),
    fault(
        "b5c_rustc_compile_oom_ulimit",
        "oom_killed",
        "cargo build",
        ["ulimit -v 350000\ncargo build -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="tables"),
            "src/main.rs": 'fn main() {\n    let t: Vec<u64> = (0..10).collect();\n    println!("{}", t.len());\n}\n',
        },
        lang="rust",
        key=["Cannot allocate memory (os error 12)"],
        note="rustc under an address-space limit cannot map the standard library; the errors after it are its consequences",
    ),
    fault(
        "b5c_make_test_terminated_by_timeout",
        "timeout",
        "make",
        ["timeout 3 make test"],
        {
            "Makefile": "test:\n\t./scripts/run-suite.sh\n",
            "scripts/run-suite.sh": '#!/bin/sh\necho "suite: starting 12 integration tests"\necho "suite: test_replication ..."\nwhile true; do sleep 1; done\n',
        },
        hidden="chmod +x scripts/run-suite.sh",
        key=["make: *** [Makefile:2: test] Terminated"],
        version="make --version | head -1",
    ),
    fault(
        "b5c_curl_max_time",
        "infra_network",
        "curl",
        [
            "curl -fsS --max-time 2 http://127.0.0.1:{pslow}/artifacts/build-cache.tar.zst -o cache.tzst"
        ],
        key=["curl: (28) Operation timed out after"],
        version="curl --version | head -1",
    ),
    fault(
        "b5c_cargo_tls_registry",
        "infra_network",
        "cargo fetch",
        [
            "cargo fetch --config 'source.crates-io.replace-with=\"corp\"' --config 'source.corp.registry=\"sparse+https://127.0.0.1:{ptls}/index/\"'"
        ],
        {
            "Cargo.toml": RUST_TOML.format(name="app") + 'anyhow = "1"\n',
            "src/main.rs": "fn main() {}\n",
        },
        lang="rust",
        env={"CARGO_NET_RETRY": "0"},
        key=["SSL certificate problem: self-signed certificate"],
    ),
    fault(
        "b5c_go_proxy_429",
        "infra_network",
        "go mod",
        ["GOPROXY=http://127.0.0.1:{p429} GOFLAGS= go mod download -x"],
        {
            "go.mod": GO_MOD + "\nrequire golang.org/x/sync v0.7.0\n",
            "main.go": 'package main\n\nimport _ "golang.org/x/sync/errgroup"\n\nfunc main() {}\n',
        },
        lang="go",
        key=["429 Too Many Requests"],
        version="go version",
    ),
    fault(
        "b5c_bundler_tls",
        "infra_network",
        "bundler",
        ["bundle install --retry 0"],
        {"Gemfile": 'source "https://127.0.0.1:{ptls}/"\n\ngem "rack", "~> 3.0"\n'},
        lang="ruby",
        env={"BUNDLE_SILENCE_ROOT_WARNING": "1", "BUNDLE_PATH": "vendor/bundle"},
        key=["Could not verify the SSL certificate for https://127.0.0.1:8443/."],
        version="bundle --version",
    ),
    fault(
        "b5c_pnpm_registry_503",
        "infra_network",
        "pnpm",
        [
            "pnpm install --registry http://127.0.0.1:{p503}/ --store-dir .pnpm-store --config.fetch-retries=0"
        ],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true, "dependencies": {"picocolors": "^1.0.0"}}\n',
        },
        lang="js",
        key=["GET http://127.0.0.1:8503/picocolors: Service Unavailable - 503"],
        version="pnpm --version",
    ),
    fault(
        "b5c_git_fetch_tls",
        "infra_network",
        "git",
        ["git ls-remote https://127.0.0.1:{ptls}/octo/schemas.git"],
        key=["server certificate verification failed"],
        version="git --version",
    ),
    fault(
        "b5c_python_urllib_refused",
        "infra_network",
        "python",
        ["python scripts/publish_metrics.py"],
        {
            "scripts/publish_metrics.py": 'import json\nimport urllib.request\n\nbody = json.dumps({"coverage": 81.4}).encode()\nreq = urllib.request.Request("http://127.0.0.1:9/api/metrics", data=body, method="POST")\nprint("publishing metrics")\nurllib.request.urlopen(req, timeout=5)\n',
        },
        lang="py",
        key=["urllib.error.URLError: <urlopen error [Errno 111] Connection refused>"],
        version="python --version",
    ),
    fault(
        "b5c_go_test_client_timeout",
        "infra_network",
        "go test",
        ["STATUS_URL=http://127.0.0.1:{pslow}/status go test ./..."],
        {
            "go.mod": GO_MOD,
            "status/status.go": 'package status\n\nimport (\n\t"net/http"\n\t"time"\n)\n\nfunc Up(url string) (bool, error) {\n\tc := http.Client{Timeout: 2 * time.Second}\n\tr, err := c.Get(url)\n\tif err != nil {\n\t\treturn false, err\n\t}\n\tdefer r.Body.Close()\n\treturn r.StatusCode == 200, nil\n}\n',
            "status/status_test.go": 'package status\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestUp(t *testing.T) {\n\tok, err := Up(os.Getenv("STATUS_URL"))\n\tif err != nil {\n\t\tt.Fatalf("status check: %v", err)\n\t}\n\tif !ok {\n\t\tt.Error("service is down")\n\t}\n}\n',
        },
        lang="go",
        failures=[
            (
                "TestUp",
                'status_test.go:11: status check: Get "http://127.0.0.1:8901/status": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                "status/status_test.go:11",
            )
        ],
        key=["Client.Timeout exceeded while awaiting headers"],
        version="go version",
        note="the service the test calls never answered: infrastructure, not the code under test",
    ),
    fault(
        "b5c_cargo_offline_no_package",
        "dependency_install",
        "cargo build",
        ["cargo build --offline -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="app") + 'itertools-num-x = "0.9"\n',
            "src/main.rs": "fn main() {}\n",
        },
        lang="rust",
        key=["no matching package named `itertools-num-x` found"],
    ),
    fault(
        "b5c_go_module_lacks_package",
        "dependency_install",
        "go build",
        ["GOFLAGS=-mod=mod GOPROXY=file://$PWD/.goproxy/proxy GOSUMDB=off go build ./..."],
        {
            "go.mod": GO_MOD + "\nrequire example.com/lib v1.0.0\n",
            "main.go": 'package main\n\nimport "example.com/lib/retry"\n\nfunc main() { println(retry.Max) }\n',
        },
        lang="go",
        hidden=GO_LIB_PROXY,
        key=["does not contain package example.com/lib/retry"],
        version="go version",
    ),
    fault(
        "b5c_go_inconsistent_vendoring",
        "dependency_install",
        "go build",
        ["go build -mod=vendor ./..."],
        {
            "go.mod": GO_MOD + "\nrequire example.com/lib v1.0.0\n",
            "main.go": 'package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.Answer()) }\n',
            "vendor/modules.txt": "# example.com/lib v0.9.0\n## explicit\nexample.com/lib\n",
            "vendor/example.com/lib/lib.go": "package lib\n\nfunc Answer() int { return 41 }\n",
        },
        lang="go",
        env={"GOFLAGS": ""},
        key=["inconsistent vendoring"],
        version="go version",
    ),
    fault(
        "b5c_composer_path_constraint",
        "dependency_install",
        "composer",
        ["composer update --no-interaction --no-progress"],
        {
            "composer.json": '{"name": "acme/app", "repositories": [{"packagist.org": false}, {"type": "path", "url": "packages/*"}], "require": {"acme/money": "^2.0"}}\n',
            "packages/money/composer.json": '{"name": "acme/money", "version": "1.4.0"}\n',
        },
        lang="php",
        env={"COMPOSER_HOME": ".composer", "COMPOSER_CACHE_DIR": ".composer/cache"},
        key=["Root composer.json requires acme/money ^2.0"],
        version="composer --version 2>/dev/null | head -1",
    ),
    fault(
        "b5c_pnpm_workspace_pkg_missing",
        "dependency_install",
        "pnpm",
        ["pnpm install --offline --store-dir .pnpm-store"],
        {
            "package.json": '{"name": "root", "version": "1.0.0", "private": true}\n',
            "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
            "packages/web/package.json": '{"name": "@acme/web", "version": "1.0.0", "dependencies": {"@acme/ui": "workspace:*"}}\n',
        },
        lang="js",
        key=["ERR_PNPM_WORKSPACE_PKG_NOT_FOUND"],
        version="pnpm --version",
    ),
    fault(
        "b5c_sqlite_disk_full",
        "disk_full",
        "python",
        [f"python scripts/build_index.py {MNT}/sqlfull/index.db"],
        {
            "scripts/build_index.py": 'import sqlite3\nimport sys\n\ndb = sqlite3.connect(sys.argv[1])\ndb.execute("create table docs (id integer primary key, body text)")\nprint("indexing")\nfor i in range(50000):\n    db.execute("insert into docs (body) values (?)", ("lorem ipsum " * 8,))\ndb.commit()\n',
        },
        lang="py",
        hidden=tmpfs("sqlfull", "256k"),
        key=["sqlite3.OperationalError: database or disk is full"],
        version="python --version",
    ),
    fault(
        "b5c_cp_enospc",
        "disk_full",
        "cp",
        [f"mkdir -p {MNT}/cpfull/dist && cp -r build/. {MNT}/cpfull/dist/"],
        lang="",
        hidden=tmpfs("cpfull", "256k")
        + " && mkdir -p build && head -c 600000 /dev/urandom > build/app.bundle.js",
        key=["No space left on device"],
        version="cp --version | head -1",
    ),
    fault(
        "b5c_gcc_tmpdir_enospc",
        "disk_full",
        "gcc",
        [f"TMPDIR={MNT}/ccfull gcc -O0 -c -o main.o src/main.c"],
        {
            "src/main.c": '#include <stdio.h>\nextern const unsigned char blob[];\nint main(void) { printf("%d\\n", blob[0]); return 0; }\n',
        },
        hidden=tmpfs("ccfull", "32k")
        + " && python3 -c \"print('const unsigned char blob[] = {' + ',\\n'.join(str(i % 251) for i in range(200000)) + '};')\" >> src/main.c",
        key=["No space left on device"],
    ),
    fault(
        "b5c_go_test_workdir_enospc",
        "disk_full",
        "go test",
        [f"GOTMPDIR={MNT}/gotmp go test ./..."],
        {
            "go.mod": GO_MOD,
            "calc/calc.go": "package calc\n\nfunc Add(a, b int) int { return a + b }\n",
            "calc/calc_test.go": 'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal("add")\n\t}\n}\n',
        },
        lang="go",
        hidden=tmpfs("gotmp", "4k") + f" && head -c 4096 /dev/zero > {MNT}/gotmp/fill || true",
        key=["no space left on device"],
        version="go version",
    ),
)

# -- third collection: native crashes as frameworks and wrappers report them ----------------------

THIRD: list[str] = []


def third(*cases: Case) -> None:
    """Collected after the second round of rule changes; its test half is measured apart."""
    THIRD.extend(c.name for c in cases)
    add(*cases)


SEGV_C = "int crash(int *p) { return *p; }\n"

third(
    fault(
        "b5c_catch2_sigsegv",
        "segfault",
        "catch2",
        ["g++ -std=c++17 -o parser_test tests/parser_test.cpp\n./parser_test --use-colour no"],
        {
            "tests/parser_test.cpp": '#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n#include <cstring>\n\nstruct Node { const char *name; Node *next; };\n\nstatic const char *last(Node *n) {\n  while (n->next) n = n->next;\n  return n->name;\n}\n\nTEST_CASE("parses a single token") { CHECK(std::strlen("ab") == 2); }\n\nTEST_CASE("last of an empty list") {\n  Node *empty = nullptr;\n  CHECK(last(empty) == nullptr);\n}\n',
        },
        failures=[
            (
                "last of an empty list",
                "SIGSEGV - Segmentation violation signal",
                "tests/parser_test.cpp:14",
            )
        ],
        key=["due to a fatal error condition:"],
        version="g++ --version | head -1",
    ),
    fault(
        "b5c_doctest_sigsegv",
        "segfault",
        "doctest",
        ["g++ -std=c++17 -o str_test tests/str_test.cpp\n./str_test --no-colors"],
        {
            "tests/str_test.cpp": '#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN\n#include <doctest/doctest.h>\n#include <cstring>\n\nstatic size_t len(const char *s) { return std::strlen(s); }\n\nTEST_CASE("length of a word") { CHECK(len("abc") == 3); }\n\nTEST_CASE("length of a missing string") {\n  const char *missing = nullptr;\n  CHECK(len(missing) == 0);\n}\n',
        },
        failures=[
            (
                "length of a missing string",
                "test case CRASHED: SIGSEGV - Segmentation violation signal",
                "tests/str_test.cpp:9",
            )
        ],
        key=["SIGSEGV - Segmentation violation signal"],
        version="g++ --version | head -1",
    ),
    fault(
        "b5c_gtest_segv_direct",
        "segfault",
        "googletest",
        [
            "g++ -std=c++17 -o cache_test tests/cache_test.cpp -lgtest -lgtest_main -pthread\n./cache_test --gtest_color=no"
        ],
        {
            "tests/cache_test.cpp": '#include <gtest/gtest.h>\n#include <map>\n#include <string>\n\nstatic std::map<std::string, int*> slots;\n\nstatic int get(const std::string& k) { return *slots[k]; }\n\nTEST(Cache, Empty) { EXPECT_TRUE(slots.empty()); }\n\nTEST(Cache, MissingKey) { EXPECT_EQ(get("a"), 0); }\n',
        },
        key=["Segmentation fault"],
        version="g++ --version | head -1",
        note="the crash ends the binary after '[ RUN      ] Cache.MissingKey': googletest names no failed test",
    ),
    fault(
        "b5c_cargo_test_sigsegv",
        "segfault",
        "cargo test",
        ["cargo test -q"],
        {
            "Cargo.toml": RUST_TOML.format(name="ring"),
            "src/lib.rs": "pub fn head(p: *const u32) -> u32 {\n    unsafe { std::ptr::read_volatile(p) }\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn reads_a_value() {\n        let v = 7u32;\n        assert_eq!(super::head(&v), 7);\n    }\n\n    #[test]\n    fn reads_the_header() {\n        assert_eq!(super::head(0xFFFF_8000_0000_1000usize as *const u32), 0);\n    }\n}\n",
        },
        lang="rust",
        key=["SIGSEGV: invalid memory reference"],
    ),
    fault(
        "b5c_go_test_cgo_crash",
        "segfault",
        "go test",
        ["go test ./..."],
        {
            "go.mod": GO_MOD,
            "native/native.go": 'package native\n\n/*\nstatic int peek(void) { volatile int *p = (int *)0xFFFF800000001000UL; return *p; }\n*/\nimport "C"\n\nfunc Peek() int { return int(C.peek()) }\n',
            "native/native_test.go": 'package native\n\nimport "testing"\n\nfunc TestPeek(t *testing.T) {\n\tif Peek() != 0 {\n\t\tt.Fatal("want 0")\n\t}\n}\n',
        },
        lang="go",
        key=["fatal error: unexpected signal during runtime execution"],
        version="go version",
    ),
    fault(
        "b5c_pytest_subprocess_sigsegv",
        "segfault",
        "pytest",
        ["gcc -O0 -o bin/convert src/convert.c\npython -m pytest -q -p no:cacheprovider tests"],
        {
            "src/convert.c": '#include <stdio.h>\n#include <string.h>\nint main(int argc, char **argv) {\n  char *out = NULL;\n  if (argc > 1 && strcmp(argv[1], "--empty") == 0) { out[0] = 0; }\n  puts("ok");\n  return 0;\n}\n',
            "tests/test_convert.py": """
                import subprocess


                def test_convert_default():
                    assert subprocess.run(["bin/convert"], check=True, capture_output=True).stdout == b"ok\\n"


                def test_convert_empty():
                    subprocess.run(["bin/convert", "--empty"], check=True)
                """,
        },
        lang="py",
        hidden="mkdir -p bin",
        failures=[
            (
                "tests/test_convert.py::test_convert_empty",
                "subprocess.CalledProcessError: Command '['bin/convert', '--empty']' died with <Signals.SIGSEGV: 11>.",
                "tests/test_convert.py:9",
            )
        ],
        key=["died with <Signals.SIGSEGV: 11>."],
        version="python -m pytest --version",
        note="the test fails because the program it runs crashes: the crash is the cause",
    ),
    fault(
        "b5c_jest_worker_sigabrt",
        "segfault",
        "jest",
        ["jest --ci --maxWorkers=2"],
        {
            "package.json": '{"name": "proj", "version": "1.0.0", "private": true}\n',
            "src/sum.test.js": "test('adds', () => {\n  expect(1 + 2).toBe(3);\n});\n",
            "src/codec.test.js": "test('decodes through the native codec', () => {\n  process.abort(); // what a failed assertion in a native addon does\n});\n",
        },
        lang="js",
        key=["signal=SIGABRT"],
        version="jest --version",
    ),
    fault(
        "b5c_mocha_process_segv",
        "segfault",
        "mocha",
        ["mocha test/"],
        {
            "test/render.test.js": "const assert = require('node:assert');\n\ndescribe('render', () => {\n  it('renders text', () => {\n    assert.strictEqual('a'.repeat(2), 'aa');\n  });\n\n  it('renders through the native canvas', () => {\n    process.kill(process.pid, 'SIGSEGV');\n  });\n});\n",
        },
        lang="js",
        key=["Segmentation fault"],
        version="mocha --version",
    ),
    fault(
        "b5c_meson_test_sigsegv",
        "segfault",
        "meson test",
        ["meson setup build > /dev/null && meson test -C build --print-errorlogs"],
        {
            "meson.build": "project('app', 'c')\nlib = static_library('queue', 'src/queue.c')\ntest('queue_push', executable('t_push', 'tests/t_push.c', link_with: lib))\ntest('queue_pop', executable('t_pop', 'tests/t_pop.c', link_with: lib))\n",
            "src/queue.c": "#include <stddef.h>\nstruct q { int *items; int n; };\nint pop(struct q *q) { return q->items[--q->n]; }\n",
            "tests/t_push.c": "int main(void) { return 0; }\n",
            "tests/t_pop.c": '#include <stdio.h>\nstruct q { int *items; int n; };\nint pop(struct q *q);\nint main(void) { struct q q = {0, 1}; printf("%d\\n", pop(&q)); return 0; }\n',
        },
        tests=["queue_pop"],
        key=["killed by signal 11 SIGSEGV"],
        version="meson --version",
    ),
    fault(
        "b5c_ruby_bug_segv",
        "segfault",
        "ruby",
        ["ruby scripts/render.rb"],
        {
            "scripts/render.rb": 'puts "rendering 3 templates"\n$stdout.flush\nProcess.kill(:SEGV, Process.pid) # what a crashing C extension does\n',
        },
        lang="ruby",
        key=["[BUG] Segmentation fault"],
        version="ruby --version",
    ),
    fault(
        "b5c_gdb_batch_sigsegv",
        "segfault",
        "gdb",
        ["gcc -g -O0 -o app src/app.c\ngdb -batch -ex run -ex bt --return-child-result ./app"],
        {
            "src/app.c": '#include <stdio.h>\n#include <string.h>\nstatic size_t width(const char *s) { return strlen(s); }\nint main(void) {\n  const char *title = NULL;\n  printf("layout\\n");\n  return (int)width(title);\n}\n',
        },
        key=["Program received signal SIGSEGV, Segmentation fault."],
        version="gdb --version | head -1",
    ),
    fault(
        "b5c_glibc_corrupted_heap",
        "segfault",
        "gcc",
        ["gcc -O0 -o table src/table.c\n./table"],
        {
            "src/table.c": "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint main(void) {\n  char *row = malloc(16);\n  memset(row, 'x', 64); /* writes past the block: the allocator notices */\n  puts(\"filled\");\n  fflush(stdout);\n  char *next = malloc(4000);\n  free(next);\n  free(row);\n  return 0;\n}\n",
        },
        key=["malloc(): corrupted top size"],
    ),
)
