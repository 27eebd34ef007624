# ruff: noqa: E501
"""Batch 2 (collection round 2, helper j11b): Go, Rust, JVM, PHP and C/C++ shapes that the
first round did not have — several failures per run, failures mixed with warnings, wrappers
(make, scripts, ``mvn -B -q``, ``gradle --console=plain``), multi-module builds, parallel
output, failing set-up versus failing test — each run for real here.

Needs (besides what ``more_cases.py`` lists): Debian ``go-staticcheck``, ``gradle`` (4.4.1),
``checkstyle`` (8.36), ``php-codesniffer``; Maven runs offline against ``~/.m2`` (JUnit 5.10,
JUnit 4.13, enforcer 3.4.1, surefire 3.2.5); gradle resolves JUnit 4 from ``mavenLocal()``.
Labels were written from each log's text before the engine was run on it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from typing import Any

from generate import CHECKOUT, Case
from more_cases import SETUP_GO, SETUP_JAVA, SETUP_PHP, Run, StepLike, add, case

GOMOD = "module example.com/proj\n\ngo 1.19\n"
CARGO_TOML = '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
MVN_ENV = {"HOME": "/root", "MAVEN_OPTS": "-Dstyle.color=never"}


def b2(c: Case) -> Case:
    """Every case of this module belongs to collection round 2."""
    c.batch = 2
    return c


def go(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", "go version")
    kw.setdefault("needs", ("go",))
    files = {"go.mod": GOMOD, **files}
    return b2(case(name, category, tool, steps, files, prelude=[CHECKOUT, SETUP_GO], **kw))


def rust(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", "cargo --version")
    kw.setdefault("needs", ("cargo",))
    steps = [Run(s, timeout=400) if isinstance(s, str) else s for s in steps]
    files = {"Cargo.toml": CARGO_TOML, **files}
    return b2(case(name, category, tool, steps, files, prelude=[CHECKOUT], **kw))


def jvm(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", "mvn -v | head -1")
    kw.setdefault("needs", ("mvn",))
    steps = [Run(s, env=MVN_ENV, timeout=400) if isinstance(s, str) else s for s in steps]
    return b2(case(name, category, tool, steps, files, prelude=[CHECKOUT, SETUP_JAVA], **kw))


def php(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", f"{tool} --version | head -1")
    kw.setdefault("needs", ("php",))
    return b2(case(name, category, tool, steps, files, prelude=[CHECKOUT, SETUP_PHP], **kw))


def native(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", f"{tool.split()[0]} --version | head -1")
    return b2(case(name, category, tool, steps, files, prelude=[CHECKOUT], **kw))


# -- Go ----------------------------------------------------------------------------------------

CALC_GO = """
    package calc

    func Mul(a, b int) int {
        if a == 3 {
            return a*b + 1
        }
        return a * b
    }
    """

add(
    go(
        "b2_go_test_two_packages",
        "test_failure",
        "go test",
        ["go test ./..."],
        {
            "calc/calc.go": CALC_GO,
            "calc/calc_test.go": """
                package calc

                import "testing"

                func TestMul(t *testing.T) {
                    if got := Mul(3, 3); got != 9 {
                        t.Errorf("Mul(3, 3) = %d, want 9", got)
                    }
                    if got := Mul(3, 0); got != 0 {
                        t.Errorf("Mul(3, 0) = %d, want 0", got)
                    }
                }

                func TestMulSmall(t *testing.T) {
                    if Mul(2, 2) != 4 {
                        t.Fatal("2*2")
                    }
                }
                """,
            "textx/trim.go": 'package textx\n\nimport "strings"\n\nfunc Clean(s string) string { return strings.TrimLeft(s, " ") }\n',
            "textx/trim_test.go": """
                package textx

                import "testing"

                func TestClean(t *testing.T) {
                    t.Log("cleaning padded input")
                    if got := Clean("  hi  "); got != "hi" {
                        t.Fatalf("Clean(%q) = %q, want %q", "  hi  ", got, "hi")
                    }
                }
                """,
            "util/ok.go": "package util\n\nfunc One() int { return 1 }\n",
            "util/ok_test.go": 'package util\n\nimport "testing"\n\nfunc TestOne(t *testing.T) {\n\tif One() != 1 {\n\t\tt.Fatal("one")\n\t}\n}\n',
        },
        failures=[
            ("TestMul", "calc_test.go:7: Mul(3, 3) = 10, want 9", "calc/calc_test.go:7"),
            (
                "TestClean",
                'trim_test.go:8: Clean("  hi  ") = "hi  ", want "hi"',
                "textx/trim_test.go:8",
            ),
        ],
        key=[
            "calc_test.go:7: Mul(3, 3) = 10, want 9",
            'trim_test.go:8: Clean("  hi  ") = "hi  ", want "hi"',
        ],
    ),
    go(
        "b2_go_test_helper_v",
        "test_failure",
        "go test",
        ["go test -v -count=1 ./..."],
        {
            "slug/slug.go": 'package slug\n\nimport "strings"\n\nfunc Make(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "_") }\n',
            "slug/slug_test.go": """
                package slug

                import "testing"

                func assertEqual(t *testing.T, got, want string) {
                    t.Helper()
                    if got != want {
                        t.Errorf("got %q, want %q", got, want)
                    }
                }

                func TestMakeLower(t *testing.T) {
                    assertEqual(t, Make("Go"), "go")
                }

                func TestMakeSpaces(t *testing.T) {
                    t.Log("spaces become dashes")
                    assertEqual(t, Make("Hello World"), "hello-world")
                }
                """,
        },
        failures=[
            (
                "TestMakeSpaces",
                'slug_test.go:18: got "hello_world", want "hello-world"',
                "slug/slug_test.go:18",
            )
        ],
        key=['slug_test.go:18: got "hello_world", want "hello-world"'],
    ),
    go(
        "b2_go_test_parallel_subtests",
        "test_failure",
        "go test",
        ["go test -v -race=false -count=1 ./..."],
        {
            "units/units.go": """
                package units

                import (
                    "fmt"
                    "strconv"
                    "strings"
                )

                func Bytes(s string) (int, error) {
                    s = strings.TrimSpace(s)
                    if strings.HasSuffix(s, "KB") {
                        n, err := strconv.Atoi(strings.TrimSuffix(s, "KB"))
                        return n * 1000, err
                    }
                    if strings.HasSuffix(s, "MB") {
                        n, err := strconv.Atoi(strings.TrimSuffix(s, "MB"))
                        return n * 1000 * 1000, err
                    }
                    n, err := strconv.Atoi(s)
                    if err != nil {
                        return 0, fmt.Errorf("bad size %q: %w", s, err)
                    }
                    return n, nil
                }
                """,
            "units/units_test.go": """
                package units

                import "testing"

                func TestBytes(t *testing.T) {
                    cases := []struct {
                        in   string
                        want int
                    }{
                        {"10", 10},
                        {"2KB", 2048},
                        {"1MB", 1000000},
                        {"3 KB", 3000},
                    }
                    for _, c := range cases {
                        c := c
                        t.Run(c.in, func(t *testing.T) {
                            t.Parallel()
                            got, err := Bytes(c.in)
                            if err != nil {
                                t.Fatalf("Bytes(%q): unexpected error: %v", c.in, err)
                            }
                            if got != c.want {
                                t.Errorf("Bytes(%q) = %d, want %d", c.in, got, c.want)
                            }
                        })
                    }
                }
                """,
        },
        failures=[
            (
                "TestBytes/2KB",
                'units_test.go:24: Bytes("2KB") = 2000, want 2048',
                "units/units_test.go:24",
            ),
            (
                "TestBytes/3_KB",
                'units_test.go:21: Bytes("3 KB"): unexpected error',
                "units/units_test.go:21",
            ),
        ],
        tests=["TestBytes/2KB", "TestBytes/3_KB", "TestBytes"],
        key=['Bytes("2KB") = 2000, want 2048', 'Bytes("3 KB"): unexpected error'],
    ),
    go(
        "b2_go_test_nil_map_panic",
        "test_failure",
        "go test",
        ["go test ./..."],
        {
            "index/index.go": """
                package index

                type Index struct{ words map[string]int }

                func (ix *Index) Add(w string) { ix.words[w]++ }
                """,
            "index/index_test.go": """
                package index

                import "testing"

                func TestIndex(t *testing.T) {
                    t.Run("words", func(t *testing.T) {
                        var ix Index
                        ix.Add("go")
                    })
                }
                """,
        },
        failures=[
            ("TestIndex/words", "panic: assignment to entry in nil map", "index/index_test.go:8")
        ],
        tests=["TestIndex/words", "TestIndex"],
        key=["panic: assignment to entry in nil map"],
    ),
    go(
        "b2_go_test_deadlock_timeout",
        "timeout",
        "go test",
        ["go test -timeout 3s -count=1 ./..."],
        {
            "pool/pool.go": """
                package pool

                type Pool struct{ jobs chan int }

                func New() *Pool { return &Pool{jobs: make(chan int)} }

                func (p *Pool) Submit(n int) { p.jobs <- n }
                """,
            "pool/pool_test.go": """
                package pool

                import "testing"

                func TestSubmitQuick(t *testing.T) {}

                func TestSubmit(t *testing.T) {
                    p := New()
                    p.Submit(1)
                }
                """,
        },
        tests=["TestSubmit"],
        key=["panic: test timed out after 3s"],
    ),
    go(
        "b2_go_test_race_detected",
        "test_failure",
        "go test",
        [Run("go test -race -count=1 ./...", timeout=300)],
        {
            "cache/cache.go": """
                package cache

                import "sync"

                type Cache struct {
                    mu   sync.Mutex
                    hits int
                    data map[string]string
                }

                func New() *Cache { return &Cache{data: map[string]string{}} }

                func (c *Cache) Get(k string) string {
                    c.hits++
                    c.mu.Lock()
                    defer c.mu.Unlock()
                    return c.data[k]
                }
                """,
            "cache/cache_test.go": """
                package cache

                import (
                    "sync"
                    "testing"
                )

                func TestGetEmpty(t *testing.T) {
                    if New().Get("x") != "" {
                        t.Fatal("empty")
                    }
                }

                func TestConcurrentGet(t *testing.T) {
                    c := New()
                    var wg sync.WaitGroup
                    for i := 0; i < 8; i++ {
                        wg.Add(1)
                        go func() { defer wg.Done(); c.Get("k") }()
                    }
                    wg.Wait()
                }
                """,
        },
        failures=[("TestConcurrentGet", "race detected during execution of test", None)],
        key=["WARNING: DATA RACE"],
    ),
    go(
        "b2_go_test_example_output",
        "test_failure",
        "go test",
        ["go test -count=1 ./..."],
        {
            "greet/greet.go": 'package greet\n\nimport "fmt"\n\nfunc Hello(name string) string { return fmt.Sprintf("Hello %s", name) }\n',
            "greet/example_test.go": 'package greet\n\nimport "fmt"\n\nfunc ExampleHello() {\n\tfmt.Println(Hello("Ada"))\n\t// Output: Hello, Ada!\n}\n',
        },
        failures=[("ExampleHello", "got:", None)],
        key=["got:"],
    ),
    go(
        "b2_go_test_fuzz_seed",
        "test_failure",
        "go test",
        ["go test -count=1 ./..."],
        {
            "rev/rev.go": "package rev\n\nfunc Reverse(s string) string {\n\tb := []byte(s)\n\tfor i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {\n\t\tb[i], b[j] = b[j], b[i]\n\t}\n\treturn string(b)\n}\n",
            "rev/rev_test.go": """
                package rev

                import (
                    "testing"
                    "unicode/utf8"
                )

                func FuzzReverse(f *testing.F) {
                    f.Add("hello")
                    f.Add("héllo")
                    f.Fuzz(func(t *testing.T, s string) {
                        r := Reverse(s)
                        if utf8.ValidString(s) && !utf8.ValidString(r) {
                            t.Errorf("Reverse produced invalid UTF-8 string %q", r)
                        }
                    })
                }
                """,
        },
        failures=[
            (
                "FuzzReverse/seed#1",
                "rev_test.go:14: Reverse produced invalid UTF-8 string",
                "rev/rev_test.go:14",
            )
        ],
        tests=["FuzzReverse/seed#1", "FuzzReverse"],
        key=["Reverse produced invalid UTF-8 string"],
    ),
    go(
        "b2_go_make_test_wrapper",
        "test_failure",
        "go test",
        ["make test"],
        {
            "Makefile": "GO ?= go\n\n.PHONY: test\ntest:\n\t$(GO) vet ./...\n\t$(GO) test -count=1 -cover ./...\n",
            "calc/calc.go": CALC_GO,
            "calc/calc_test.go": 'package calc\n\nimport "testing"\n\nfunc TestMulThree(t *testing.T) {\n\tgot := Mul(3, 4)\n\tif got != 12 {\n\t\tt.Fatalf("Mul(3, 4) = %d, want 12", got)\n\t}\n}\n',
        },
        failures=[
            ("TestMulThree", "calc_test.go:8: Mul(3, 4) = 13, want 12", "calc/calc_test.go:8")
        ],
        key=["calc_test.go:8: Mul(3, 4) = 13, want 12"],
    ),
    go(
        "b2_go_build_many_errors",
        "build",
        "go build",
        ["go build -o bin/ ./..."],
        {
            "cmd/app/main.go": """
                package main

                import (
                    "fmt"
                    "os"
                    "strings"
                )

                func main() {
                    cfg := load(os.Args)
                    fmt.Println(cfg.Name)
                    var port int = cfg.Port
                    fmt.Println(port + "1")
                }
                """,
            "cmd/app/config.go": "package main\n\ntype Config struct{ Name string; Port string }\n\nfunc load(args []string) Config { return Config{Name: args[0]} }\n",
        },
        key=['imported and not used: "strings"'],
    ),
    go(
        "b2_go_import_cycle",
        "build",
        "go build",
        ["go build ./..."],
        {
            "a/a.go": 'package a\n\nimport "example.com/proj/b"\n\nfunc A() int { return b.B() }\n',
            "b/b.go": 'package b\n\nimport "example.com/proj/a"\n\nfunc B() int { return a.A() }\n',
        },
        key=["import cycle not allowed"],
    ),
    go(
        "b2_go_vet_several",
        "lint",
        "go vet",
        ["go vet ./..."],
        {
            "store/store.go": """
                package store

                import (
                    "fmt"
                    "sync"
                )

                type Store struct {
                    mu   sync.Mutex
                    Name string `json:"name" yaml:name`
                }

                func Copy(s Store) Store { return s }

                func Describe(s *Store) string {
                    return fmt.Sprintf("%s has %d items", s.Name)
                }
                """,
        },
        key=["Copy passes lock by value: example.com/proj/store.Store contains sync.Mutex"],
    ),
    go(
        "b2_gofmt_script",
        "format",
        "gofmt",
        [
            'files=$(gofmt -l .)\nif [ -n "$files" ]; then\n  echo "The following files are not gofmt-ed:"\n  echo "$files"\n  echo "Run: gofmt -w ."\n  exit 1\nfi'
        ],
        {
            "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n    fmt.Println("hi")\n}\n',
            "util/util.go": "package util\n\nfunc  Twice(x int) int {\n\treturn x*2\n}\n",
            "util/ok.go": "package util\n\nvar Y = 1\n",
        },
        key=["The following files are not gofmt-ed:"],
    ),
    go(
        "b2_go_proxy_503",
        "infra_network",
        "go mod",
        [Run("GOPROXY=http://127.0.0.1:{p503} GOFLAGS= go mod download -x")],
        {"go.mod": GOMOD + "\nrequire github.com/google/go-cmp v0.6.0\n"},
        key=["503 Service Unavailable"],
    ),
    go(
        "b2_go_missing_requirement",
        "dependency_install",
        "go build",
        [Run("go build ./...", env={"GOFLAGS": "-mod=readonly", "GOPROXY": "off"})],
        {
            "main.go": 'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/pkg/errors"\n)\n\nfunc main() { fmt.Println(errors.New("x")) }\n',
        },
        key=[
            "cannot find module providing package github.com/pkg/errors: import lookup disabled by -mod=readonly"
        ],
    ),
    go(
        "b2_staticcheck",
        "lint",
        "staticcheck",
        ["go-staticcheck ./..."],
        {
            "main.go": """
                package main

                import (
                    "fmt"
                    "strings"
                )

                func main() {
                    s := "a,b"
                    if strings.Index(s, ",") != -1 {
                        fmt.Println("has comma")
                    }
                    for i := 0; i < 1; i++ {
                        fmt.Sprintf("%d", i)
                    }
                }
                """,
        },
        needs=("go-staticcheck",),
        version="go-staticcheck -version",
        key=['should use strings.Contains(s, ",") instead'],
    ),
)

# -- Rust --------------------------------------------------------------------------------------

add(
    rust(
        "b2_rust_test_three_failures",
        "test_failure",
        "cargo test",
        ["cargo test --offline"],
        {
            "src/lib.rs": """
                use std::num::ParseIntError;

                pub fn parse_port(s: &str) -> Result<u16, ParseIntError> {
                    s.trim().parse()
                }

                pub fn mean(xs: &[f64]) -> f64 {
                    xs.iter().sum::<f64>() / xs.len() as f64
                }

                #[cfg(test)]
                mod tests {
                    use super::*;

                    #[test]
                    fn parses_plain() {
                        assert_eq!(parse_port("80").unwrap(), 80);
                    }

                    #[test]
                    fn parses_with_scheme() {
                        assert_eq!(parse_port("http:80").unwrap(), 80);
                    }

                    #[test]
                    fn mean_of_two() {
                        assert_eq!(mean(&[1.0, 2.0]), 1.5);
                    }

                    #[test]
                    fn mean_of_empty_is_zero() {
                        let m = mean(&[]);
                        assert!(m == 0.0, "mean of nothing should be 0, got {}", m);
                    }

                    #[test]
                    fn ports_differ() {
                        assert_ne!(parse_port("8080").unwrap(), 8080, "ports should differ");
                    }
                }
                """
        },
        failures=[
            (
                "tests::parses_with_scheme",
                "called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }",
                "src/lib.rs:22",
            ),
            (
                "tests::mean_of_empty_is_zero",
                "mean of nothing should be 0, got NaN",
                "src/lib.rs:33",
            ),
            (
                "tests::ports_differ",
                "assertion `left != right` failed: ports should differ",
                "src/lib.rs:38",
            ),
        ],
        key=[
            "called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }",
            "mean of nothing should be 0, got NaN",
            "assertion `left != right` failed: ports should differ",
        ],
    ),
    rust(
        "b2_rust_doctest_failure",
        "test_failure",
        "cargo test",
        ["cargo test --offline --doc"],
        {
            "src/lib.rs": """
                //! Small helpers.

                /// Clamps `x` into `0..=max`.
                ///
                /// ```
                /// assert_eq!(demo::clamp(12, 10), 10);
                /// assert_eq!(demo::clamp(-3, 10), 0);
                /// ```
                pub fn clamp(x: i32, max: i32) -> i32 {
                    if x > max { max } else { x }
                }
                """
        },
        failures=[("src/lib.rs - clamp (line 5)", "assertion `left == right` failed", None)],
        key=["assertion `left == right` failed"],
    ),
    rust(
        "b2_rust_integration_and_unit",
        "test_failure",
        "cargo test",
        ["cargo test --offline --no-fail-fast"],
        {
            "src/lib.rs": """
                pub fn words(s: &str) -> Vec<&str> {
                    s.split(' ').collect()
                }

                #[cfg(test)]
                mod tests {
                    #[test]
                    fn splits_two() {
                        assert_eq!(super::words("a b").len(), 2);
                    }

                    #[test]
                    fn double_space() {
                        assert_eq!(super::words("a  b"), vec!["a", "b"]);
                    }
                }
                """,
            "tests/cli.rs": """
                #[test]
                fn counts_words_in_sentence() {
                    let n = demo::words(" lead space").len();
                    assert_eq!(n, 2, "leading space must not count as a word");
                }
                """,
        },
        failures=[
            ("tests::double_space", "assertion `left == right` failed", "src/lib.rs:14"),
            (
                "counts_words_in_sentence",
                "assertion `left == right` failed: leading space must not count as a word",
                "tests/cli.rs:4",
            ),
        ],
        key=["leading space must not count as a word"],
    ),
    rust(
        "b2_rust_workspace_build_error",
        "build",
        "cargo build",
        ["cargo build --offline --workspace"],
        {
            "Cargo.toml": '[workspace]\nmembers = ["core", "cli"]\nresolver = "2"\n',
            "core/Cargo.toml": '[package]\nname = "core-lib"\nversion = "0.1.0"\nedition = "2021"\n',
            "core/src/lib.rs": "pub fn total(xs: &[u32]) -> u32 {\n    let unused = 3;\n    xs.iter().sum()\n}\n",
            "cli/Cargo.toml": '[package]\nname = "cli"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ncore-lib = { path = "../core" }\n',
            "cli/src/main.rs": 'fn main() {\n    let xs = vec![1, 2, 3];\n    println!("{}", core_lib::total(&xs));\n    println!("{}", verbose);\n}\n',
        },
        key=["error[E0425]: cannot find value `verbose` in this scope"],
    ),
    rust(
        "b2_rust_clippy_workspace",
        "lint",
        "cargo clippy",
        ["cargo clippy --offline --all-targets --all-features -- -D warnings"],
        {
            "src/lib.rs": """
                pub fn first_even(v: &Vec<i32>) -> Option<i32> {
                    for i in 0..v.len() {
                        if v[i] % 2 == 0 {
                            return Some(v[i]);
                        }
                    }
                    None
                }

                pub fn is_empty(s: &String) -> bool {
                    s.len() == 0
                }
                """
        },
        version="cargo clippy --version",
        key=["writing `&Vec` instead of `&[_]` involves a new object where a slice will do"],
    ),
    rust(
        "b2_rustfmt_check_files",
        "format",
        "rustfmt",
        ["rustfmt --check --edition 2021 src/main.rs src/net.rs"],
        {
            "src/main.rs": 'mod net;\n\nfn main() {\n    let addr = net::addr("localhost",8080);\n    println!("{}", addr);\n}\n',
            "src/net.rs": 'pub fn addr(host: &str, port: u16) -> String { format!("{}:{}", host, port) }\n',
        },
        version="rustfmt --version",
        key=["Diff in"],
    ),
    rust(
        "b2_rust_unresolved_import",
        "build",
        "cargo build",
        ["cargo build --offline"],
        {
            "src/main.rs": 'use std::collections::HashMapp;\nmod store;\nuse store::Storage;\n\nfn main() {\n    let m: HashMapp<u8, u8> = HashMapp::new();\n    println!("{}", m.len());\n}\n',
            "src/store.rs": "pub struct Store;\n",
        },
        key=["error[E0432]: unresolved import `std::collections::HashMapp`"],
    ),
    rust(
        "b2_rust_offline_missing_crate",
        "dependency_install",
        "cargo build",
        ["cargo build --offline"],
        {
            "Cargo.toml": CARGO_TOML + 'itoa-ext-fmt = "0.3"\n',
            "src/main.rs": "fn main() {}\n",
        },
        key=["no matching package named `itoa-ext-fmt` found"],
    ),
    rust(
        "b2_rust_locked_stale",
        "dependency_install",
        "cargo build",
        ["cargo build --locked --offline"],
        {"src/main.rs": "fn main() {}\n"},
        hidden='cargo generate-lockfile --offline && sed -i \'s/^version = "0.1.0"/version = "0.2.0"/\' Cargo.toml',
        key=["cannot update the lock file"],
    ),
    rust(
        "b2_rust_test_overflow",
        "test_failure",
        "cargo test",
        ["cargo test --offline -- --test-threads=1"],
        {
            "src/lib.rs": """
                pub fn factorial(n: u32) -> u32 {
                    (1..=n).fold(1, |acc, k| acc * k)
                }

                #[cfg(test)]
                mod tests {
                    #[test]
                    fn small() {
                        assert_eq!(super::factorial(5), 120);
                    }

                    #[test]
                    fn large() {
                        assert!(super::factorial(20) > 0);
                    }
                }
                """
        },
        failures=[("tests::large", "attempt to multiply with overflow", "src/lib.rs:2")],
        key=["attempt to multiply with overflow"],
    ),
    rust(
        "b2_rust_linker_undefined",
        "build",
        "cargo build",
        ["cargo build --offline"],
        {
            "src/main.rs": 'extern "C" {\n    fn native_checksum(data: *const u8, len: usize) -> u32;\n}\n\nfn main() {\n    let d = b"abc";\n    println!("{}", unsafe { native_checksum(d.as_ptr(), d.len()) });\n}\n'
        },
        key=["undefined symbol: native_checksum"],
    ),
    rust(
        "b2_rust_test_sigsegv",
        "segfault",
        "cargo test",
        ["cargo test --offline"],
        {
            "src/lib.rs": """
                pub fn read_at(addr: usize) -> i32 {
                    unsafe { std::ptr::read_volatile(addr as *const i32) }
                }

                #[cfg(test)]
                mod tests {
                    #[test]
                    fn reads_device_register() {
                        assert_eq!(super::read_at(16), 0);
                    }
                }
                """
        },
        key=["SIGSEGV"],
    ),
    rust(
        "b2_cargo_mirror_503",
        "infra_network",
        "cargo fetch",
        ["cargo fetch --config 'source.mirror.registry=\"sparse+http://127.0.0.1:{p503}/index/\"'"],
        {
            "Cargo.toml": CARGO_TOML + 'serde = "1"\n',
            "src/main.rs": "fn main() {}\n",
            ".cargo/config.toml": '[source.crates-io]\nreplace-with = "mirror"\n',
        },
        key=["got 503"],
    ),
    rust(
        "b2_rust_test_hang_timeout",
        "timeout",
        "cargo test",
        [Run("timeout 75 cargo test --offline", timeout=400)],
        {
            "src/lib.rs": """
                #[cfg(test)]
                mod tests {
                    #[test]
                    fn quick() {}

                    #[test]
                    fn waits_for_server() {
                        loop {
                            std::thread::sleep(std::time::Duration::from_millis(200));
                        }
                    }
                }
                """
        },
        tests=["tests::waits_for_server"],
        key=["has been running for over 60 seconds"],
    ),
)

# -- JVM: maven (offline against ~/.m2), gradle 4.4.1, checkstyle ------------------------------

JUNIT5 = """<dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version><scope>test</scope></dependency>"""
PLUGINS = """<build><plugins>
    <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version>SUREFIRE</plugin>
    <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.11.0</version></plugin>
    <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
    MORE
  </plugins></build>"""


def pom(
    artifact: str = "demo",
    deps: str = JUNIT5,
    surefire: str = "",
    more: str = "",
    parent: str = "",
    modules: str = "",
    packaging: str = "jar",
    repos: str = "",
) -> str:
    build = "" if modules else PLUGINS.replace("SUREFIRE", surefire).replace("MORE", more)
    group = "" if parent else "<groupId>com.example</groupId>"
    return f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  {parent}
  {group}<artifactId>{artifact}</artifactId><version>1.0</version><packaging>{packaging}</packaging>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  {modules}
  {repos}
  <dependencies>
    {deps}
  </dependencies>
  {build}
</project>
"""


PARENT = "<parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>1.0</version></parent>"
CORE_DEP = "<dependency><groupId>com.example</groupId><artifactId>core</artifactId><version>1.0</version></dependency>"
MODULES = "<modules><module>core</module><module>app</module></modules>"
PRICE = """package com.example.core;

public class Price {
  public static long cents(String amount) {
    String[] parts = amount.split("\\\\.");
    long c = Long.parseLong(parts[0]) * 100;
    if (parts.length > 1) c += Long.parseLong(parts[1]);
    return c;
  }

  public static String format(long cents) {
    return cents / 100 + "." + cents % 100;
  }
}
"""
APP_MAIN = "package com.example.app;\n\nimport com.example.core.Price;\n\npublic class Main {\n  public static void main(String[] a) { System.out.println(Price.format(Price.cents(a[0]))); }\n}\n"


def multimodule(core_test: str, core_src: str = PRICE) -> dict[str, str]:
    return {
        "pom.xml": pom("parent", deps="", modules=MODULES, packaging="pom"),
        "core/pom.xml": pom("core", parent=PARENT),
        "app/pom.xml": pom("app", deps=JUNIT5 + CORE_DEP, parent=PARENT),
        "core/src/main/java/com/example/core/Price.java": core_src,
        "core/src/test/java/com/example/core/PriceTest.java": core_test,
        "app/src/main/java/com/example/app/Main.java": APP_MAIN,
    }


PRICE_TEST = """package com.example.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PriceTest {
  @Test
  void wholeAmount() {
    assertEquals(1200, Price.cents("12"));
  }

  @Test
  void oneDecimal() {
    assertEquals(150, Price.cents("1.5"), "1.5 is 150 cents");
  }

  @Test
  void formatsPadded() {
    assertEquals("1.05", Price.format(105));
  }
}
"""

add(
    jvm(
        "b2_mvn_multimodule_test_failure",
        "test_failure",
        "maven",
        ["mvn -o -B -ntp verify"],
        multimodule(PRICE_TEST),
        failures=[
            (
                "PriceTest.oneDecimal",
                "1.5 is 150 cents ==> expected: <150> but was: <105>",
                "PriceTest.java:15",
            ),
            ("PriceTest.formatsPadded", "expected: <1.05> but was: <1.5>", "PriceTest.java:20"),
        ],
        key=[
            "1.5 is 150 cents ==> expected: <150> but was: <105>",
            "expected: <1.05> but was: <1.5>",
        ],
    ),
    jvm(
        "b2_mvn_quiet_failures",
        "test_failure",
        "maven",
        ["mvn -o -B -q test"],
        {
            "pom.xml": pom(),
            "src/main/java/com/example/Slug.java": "package com.example;\n\npublic class Slug {\n  public static String of(String s) {\n    if (s == null) return \"\";\n    return s.trim().toLowerCase().replace(' ', '-');\n  }\n}\n",
            "src/test/java/com/example/SlugTest.java": """package com.example;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SlugTest {
  @Test
  void lowercases() {
    assertEquals("hello", Slug.of("Hello"));
  }

  @Test
  void collapsesSpaces() {
    assertEquals("a-b", Slug.of("a  b"));
  }

  @Test
  void rejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> Slug.of(null));
  }

  @Test
  void notBlank() {
    assertTrue(Slug.of("  ").length() > 0, "slug of blanks must not be empty");
  }
}
""",
        },
        failures=[
            ("SlugTest.collapsesSpaces", "expected: <a-b> but was: <a--b>", "SlugTest.java:15"),
            (
                "SlugTest.rejectsNull",
                "Expected java.lang.IllegalArgumentException to be thrown, but nothing was thrown.",
                "SlugTest.java:20",
            ),
            (
                "SlugTest.notBlank",
                "slug of blanks must not be empty ==> expected: <true> but was: <false>",
                "SlugTest.java:25",
            ),
        ],
        key=["expected: <a-b> but was: <a--b>"],
    ),
    jvm(
        "b2_mvn_parameterized",
        "test_failure",
        "maven",
        ["mvn -o -B -ntp test"],
        {
            "pom.xml": pom(deps=JUNIT5),
            "src/main/java/com/example/Roman.java": 'package com.example;\n\npublic class Roman {\n  public static String of(int n) {\n    String[] r = {"", "I", "II", "III", "IIII", "V"};\n    return r[n];\n  }\n}\n',
            "src/test/java/com/example/RomanTest.java": """package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RomanTest {
  @ParameterizedTest
  @CsvSource({"1, I", "3, III", "4, IV", "5, V"})
  void converts(int n, String roman) {
    assertEquals(roman, Roman.of(n));
  }
}
""",
        },
        failures=[("RomanTest.converts", "expected: <IV> but was: <IIII>", "RomanTest.java:12")],
        key=["expected: <IV> but was: <IIII>"],
    ),
    jvm(
        "b2_mvn_npe_in_code",
        "test_failure",
        "maven",
        ["mvn -o -B -ntp -Dsurefire.printSummary=true test"],
        {
            "pom.xml": pom(),
            "src/main/java/com/example/Users.java": 'package com.example;\n\nimport java.util.Map;\n\npublic class Users {\n  private final Map<String, String> emails;\n\n  public Users(Map<String, String> emails) { this.emails = emails; }\n\n  public String domain(String user) {\n    return emails.get(user).split("@")[1];\n  }\n}\n',
            "src/test/java/com/example/UsersTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport java.util.Map;\nimport org.junit.jupiter.api.Test;\n\nclass UsersTest {\n  @Test\n  void unknownUserHasNoDomain() {\n    Users u = new Users(Map.of("ada", "ada@example.org"));\n    assertEquals("", u.domain("bob"));\n  }\n}\n',
        },
        failures=[
            ("UsersTest.unknownUserHasNoDomain", "NullPointerException", "UsersTest.java:12")
        ],
        key=["java.lang.NullPointerException"],
    ),
    jvm(
        "b2_mvn_enforcer_banned",
        "dependency_install",
        "maven",
        ["mvn -o -B -ntp validate"],
        {
            "pom.xml": pom(
                deps=JUNIT5
                + "<dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>",
                more="""<plugin><artifactId>maven-enforcer-plugin</artifactId><version>3.6.1</version>
      <executions><execution><id>ban-junit4</id><goals><goal>enforce</goal></goals>
        <configuration><rules><bannedDependencies><excludes><exclude>junit:junit</exclude></excludes></bannedDependencies></rules></configuration>
      </execution></executions></plugin>""",
            ),
        },
        key=["junit:junit:jar:4.13.2"],
        note="the enforcer rejects a banned dependency: a dependency problem, not a compile or test failure",
    ),
    jvm(
        "b2_mvn_offline_plugin_unresolved",
        "dependency_install",
        "maven",
        ["mvn -o -B -ntp validate"],
        {
            "pom.xml": pom(
                deps=JUNIT5
                + "<dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>",
                more="""<plugin><artifactId>maven-enforcer-plugin</artifactId><version>3.4.1</version>
      <executions><execution><id>ban-junit4</id><goals><goal>enforce</goal></goals>
        <configuration><rules><bannedDependencies><excludes><exclude>junit:junit</exclude></excludes></bannedDependencies></rules></configuration>
      </execution></executions></plugin>""",
            ),
        },
        key=[
            "Cannot access central (https://repo.maven.apache.org/maven2) in offline mode and the artifact org.apache.commons:commons-lang3:jar:3.13.0 has not been downloaded from it before."
        ],
        note="offline build: a plugin dependency is not in the local repository",
    ),
    jvm(
        "b2_mvn_mirror_503",
        "infra_network",
        "maven",
        [
            "mvn -B -ntp -s .ci/settings.xml -Dnexus.url=http://127.0.0.1:{p503}/repository/maven-public/ compile"
        ],
        {
            "pom.xml": pom(
                deps=JUNIT5
                + "<dependency><groupId>com.acme</groupId><artifactId>acme-util</artifactId><version>1.2.0</version></dependency>"
            ),
            ".ci/settings.xml": "<settings>\n  <mirrors>\n    <mirror><id>corp-nexus</id><mirrorOf>*</mirrorOf><url>${nexus.url}</url></mirror>\n  </mirrors>\n</settings>\n",
            "src/main/java/com/example/Calc.java": "package com.example;\npublic class Calc {}\n",
        },
        key=["status: 503 Service Unavailable"],
    ),
    jvm(
        "b2_mvn_multimodule_compile_errors",
        "build",
        "maven",
        ["mvn -o -B -ntp -T 2 package"],
        multimodule(
            PRICE_TEST,
            core_src=PRICE.replace("return c;", "return c\n  }").replace(
                "public static String format",
                "public static String format(long cents) {\n    return Long.toString(cent);\n  }\n\n  public static String formatOld",
            ),
        ),
        key=["Price.java:[8,13] ';' expected"],
    ),
    jvm(
        "b2_mvn_fork_timeout",
        "timeout",
        "maven",
        ["mvn -o -B -ntp test"],
        {
            "pom.xml": pom(
                surefire="<configuration><forkedProcessTimeoutInSeconds>5</forkedProcessTimeoutInSeconds></configuration>"
            ),
            "src/test/java/com/example/SlowTest.java": "package com.example;\n\nimport org.junit.jupiter.api.Test;\n\nclass SlowTest {\n  @Test\n  void waitsForQueue() throws Exception {\n    Thread.sleep(60_000);\n  }\n}\n",
        },
        key=["There was a timeout in the fork"],
    ),
    jvm(
        "b2_mvn_warnings_then_failure",
        "test_failure",
        "maven",
        ["mvn -o -B -ntp -Dmaven.compiler.showWarnings=true test"],
        {
            "pom.xml": pom(),
            "src/main/java/com/example/Legacy.java": "package com.example;\n\nimport java.util.*;\n\npublic class Legacy {\n  @Deprecated\n  public static int size(List l) { return l.size(); }\n\n  public static Integer boxed(int n) { return new Integer(n); }\n}\n",
            "src/test/java/com/example/LegacyTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport java.util.List;\nimport org.junit.jupiter.api.Test;\n\nclass LegacyTest {\n  @Test\n  void sizeOfEmpty() {\n    assertEquals(1, Legacy.size(List.of()), "size");\n  }\n}\n',
        },
        failures=[
            ("LegacyTest.sizeOfEmpty", "size ==> expected: <1> but was: <0>", "LegacyTest.java:11")
        ],
        key=["size ==> expected: <1> but was: <0>"],
    ),
)

GRADLE_BUILD = "apply plugin: 'java'\nsourceCompatibility = 1.8\nrepositories { mavenLocal() }\ndependencies { testCompile 'junit:junit:4.13.2' }\n"
# Gradle 4.4 needs a writable home outside the crafted project (it reads ~/.m2 for mavenLocal()).
GRADLE_ENV = {
    "HOME": os.path.expanduser("~"),
    "GRADLE_USER_HOME": os.path.join(tempfile.gettempdir(), "pitcrew-corpus", "gradle-home"),
}


def gradle(name: str, category: str, cmd: str, files: dict[str, str], **kw: Any) -> Case:
    kw.setdefault("version", "gradle --version | grep '^Gradle'")
    kw.setdefault("needs", ("gradle",))
    return jvm(
        name,
        category,
        "gradle",
        [Run(cmd, env=GRADLE_ENV, timeout=400)],
        {"build.gradle": GRADLE_BUILD, **files},
        **kw,
    )


add(
    gradle(
        "b2_gradle_test_failures",
        "test_failure",
        "gradle --no-daemon --console=plain --offline test",
        {
            "src/main/java/demo/Calc.java": "package demo;\n\npublic class Calc {\n  public static int add(int a, int b) { return a + b + (a == 2 ? 1 : 0); }\n  public static int div(int a, int b) { return a / b; }\n}\n",
            "src/test/java/demo/CalcTest.java": 'package demo;\n\nimport static org.junit.Assert.assertEquals;\n\nimport org.junit.Test;\n\npublic class CalcTest {\n  @Test public void addsSmall() { assertEquals(2, Calc.add(1, 1)); }\n\n  @Test public void addsTwo() {\n    assertEquals("2 + 2", 4, Calc.add(2, 2));\n  }\n\n  @Test public void dividesByZero() {\n    assertEquals(0, Calc.div(1, 0));\n  }\n}\n',
        },
        failures=[
            (
                "demo.CalcTest > addsTwo",
                "java.lang.AssertionError at CalcTest.java:11",
                "CalcTest.java:11",
            ),
            (
                "demo.CalcTest > dividesByZero",
                "java.lang.ArithmeticException at CalcTest.java:15",
                "CalcTest.java:15",
            ),
        ],
        key=["java.lang.AssertionError at CalcTest.java:11"],
    ),
    gradle(
        "b2_gradle_compile_error",
        "build",
        "gradle --no-daemon --console=plain --offline build",
        {
            "src/main/java/demo/Report.java": "package demo;\n\nimport java.util.List;\n\npublic class Report {\n  public static String render(List<String> rows) {\n    StringBuilder b = new StringBuilder();\n    for (String r : rows) b.append(r).append('\\n');\n    return b.toStrin();\n  }\n}\n",
        },
        key=["error: cannot find symbol"],
    ),
    gradle(
        "b2_gradle_missing_dependency",
        "dependency_install",
        "gradle --no-daemon --console=plain --offline compileJava",
        {
            "build.gradle": GRADLE_BUILD
            + "dependencies { compile 'com.acme:billing-client:2.4.0' }\n",
            "src/main/java/demo/App.java": "package demo;\n\npublic class App {}\n",
        },
        key=["Could not find com.acme:billing-client:2.4.0."],
    ),
    jvm(
        "b2_checkstyle_sun",
        "lint",
        "checkstyle",
        ["checkstyle -c /sun_checks.xml src/main/java"],
        {
            "src/main/java/demo/Util.java": "package demo;\n\nimport java.util.*;\n\npublic class Util {\n    public static int MAX = 10;\n\n    public static int clamp(int x) {\n        if (x > MAX) return MAX;\n        return x;\n    }\n}\n",
        },
        needs=("checkstyle",),
        version="checkstyle --version",
        key=["Using the '.*' form of import should be avoided - java.util.*. [AvoidStarImport]"],
    ),
)

# -- PHP: phpunit 9.6, composer, phpcs, php -l --------------------------------------------------

PHPUNIT_XML = '<?xml version="1.0"?>\n<phpunit bootstrap="src/autoload.php" colors="false">\n  <testsuites><testsuite name="unit"><directory>tests</directory></testsuite></testsuites>\n</phpunit>\n'
AUTOLOAD = "<?php\nspl_autoload_register(function ($c) { $f = __DIR__ . '/' . str_replace('App\\\\', '', $c) . '.php'; if (is_file($f)) require $f; });\n"


def phpunit(
    name: str, category: str, files: dict[str, str], cmd: str = "phpunit", **kw: Any
) -> Case:
    kw.setdefault("needs", ("phpunit",))
    kw.setdefault("version", "phpunit --version | head -1")
    return php(
        name,
        category,
        "phpunit",
        [cmd],
        {"phpunit.xml": PHPUNIT_XML, "src/autoload.php": AUTOLOAD, **files},
        **kw,
    )


CART_PHP = """<?php
namespace App;

class Cart
{
    private array $items = [];

    public function add(string $sku, int $qty, float $price): void
    {
        $this->items[$sku] = ['qty' => $qty, 'price' => $price];
    }

    public function total(): float
    {
        $t = 0;
        foreach ($this->items as $i) {
            $t += $i['qty'] * $i['price'];
        }
        return round($t, 1);
    }

    public function skus(): array
    {
        return array_keys($this->items);
    }

    public function remove(string $sku): void
    {
        if (!isset($this->items[$sku])) {
            throw new \\InvalidArgumentException("unknown sku $sku");
        }
        unset($this->items[$sku]);
    }
}
"""

add(
    phpunit(
        "b2_phpunit_mixed_failures",
        "test_failure",
        {
            "src/Cart.php": CART_PHP,
            "tests/CartTest.php": """<?php
use App\\Cart;
use PHPUnit\\Framework\\TestCase;

final class CartTest extends TestCase
{
    public function testTotalRoundsToCents(): void
    {
        $c = new Cart();
        $c->add('a', 3, 0.35);
        $this->assertSame(1.05, $c->total());
    }

    public function testSkusInOrder(): void
    {
        $c = new Cart();
        $c->add('b', 1, 1.0);
        $c->add('a', 1, 1.0);
        $this->assertSame(['a', 'b'], $c->skus());
    }

    public function testRemoveUnknownIsNoop(): void
    {
        $c = new Cart();
        $c->remove('zzz');
        $this->assertSame([], $c->skus());
    }

    public function testEmptyTotal(): void
    {
        $this->assertSame(0.0, (new Cart())->total());
    }
}
""",
        },
        failures=[
            (
                "CartTest::testTotalRoundsToCents",
                "Failed asserting that 1.1 is identical to 1.05.",
                "tests/CartTest.php:11",
            ),
            (
                "CartTest::testSkusInOrder",
                "Failed asserting that two arrays are identical.",
                "tests/CartTest.php:19",
            ),
            (
                "CartTest::testRemoveUnknownIsNoop",
                "InvalidArgumentException: unknown sku zzz",
                "tests/CartTest.php:25",
            ),
        ],
        key=["Failed asserting that 1.1 is identical to 1.05."],
    ),
    phpunit(
        "b2_phpunit_named_data_sets",
        "test_failure",
        {
            "src/Slug.php": "<?php\nnamespace App;\n\nfinal class Slug\n{\n    public static function of(string $s): string\n    {\n        return strtolower(str_replace(' ', '-', trim($s)));\n    }\n}\n",
            "tests/SlugTest.php": """<?php
use App\\Slug;
use PHPUnit\\Framework\\TestCase;

final class SlugTest extends TestCase
{
    /** @dataProvider cases */
    public function testSlug(string $in, string $want): void
    {
        $this->assertSame($want, Slug::of($in), "slug of '$in'");
    }

    public static function cases(): array
    {
        return [
            'plain' => ['Hello', 'hello'],
            'inner spaces' => ['a  b', 'a-b'],
            'accents' => ['Café', 'cafe'],
        ];
    }
}
""",
        },
        failures=[
            (
                'SlugTest::testSlug with data set "inner spaces"',
                "slug of 'a  b'",
                "tests/SlugTest.php:10",
            ),
            (
                'SlugTest::testSlug with data set "accents"',
                "slug of 'Café'",
                "tests/SlugTest.php:10",
            ),
        ],
        key=["slug of 'a  b'"],
    ),
    phpunit(
        "b2_phpunit_parse_error",
        "build",
        {
            "src/Cart.php": CART_PHP,
            "tests/CartTest.php": "<?php\nuse App\\Cart;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class CartTest extends TestCase\n{\n    public function testTotal(): void\n    {\n        $c = new Cart()\n        $this->assertSame(0.0, $c->total());\n    }\n}\n",
        },
        key=['syntax error, unexpected variable "$this"'],
        note="the test file does not parse: PHPUnit cannot load the suite",
    ),
    phpunit(
        "b2_phpunit_memory_limit",
        "oom_killed",
        {
            "tests/BigTest.php": "<?php\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class BigTest extends TestCase\n{\n    public function testLoadsAll(): void\n    {\n        $rows = [];\n        for ($i = 0; $i < 10000000; $i++) {\n            $rows[] = str_repeat('x', 100);\n        }\n        $this->assertNotEmpty($rows);\n    }\n}\n",
        },
        cmd="php -d memory_limit=64M /usr/bin/phpunit",
        key=["Allowed memory size of 67108864 bytes exhausted"],
    ),
    php(
        "b2_composer_unresolvable",
        "dependency_install",
        "composer",
        ["composer install --no-interaction --no-progress"],
        {
            "composer.json": '{\n  "name": "octo/proj",\n  "require": {\n    "php": ">=8.1",\n    "acme/http-client": "^2.0"\n  },\n  "repositories": [\n    {"packagist.org": false},\n    {"type": "package", "package": {"name": "acme/http-client", "version": "1.4.0", "dist": {"url": "https://example.invalid/acme.zip", "type": "zip"}}}\n  ]\n}\n',
        },
        needs=("composer",),
        key=[
            "Root composer.json requires acme/http-client ^2.0, found acme/http-client[1.4.0] but it does not match the constraint."
        ],
    ),
    php(
        "b2_composer_platform_php",
        "dependency_install",
        "composer",
        ["composer install --no-interaction --no-progress"],
        {
            "composer.json": '{\n  "name": "octo/proj",\n  "require": {\n    "php": ">=8.3",\n    "ext-imagick": "*"\n  },\n  "repositories": [{"packagist.org": false}]\n}\n',
        },
        needs=("composer",),
        key=["Root composer.json requires php >=8.3 but your php version"],
    ),
    php(
        "b2_composer_repo_503",
        "infra_network",
        "composer",
        [
            "composer config repositories.corp composer http://127.0.0.1:{p503}\ncomposer update --no-interaction --no-progress"
        ],
        {
            "composer.json": '{\n  "name": "octo/proj",\n  "require": {"acme/http-client": "^2.0"},\n  "repositories": [{"packagist.org": false}],\n  "config": {"secure-http": false}\n}\n',
        },
        needs=("composer",),
        key=["503 Service Unavailable"],
    ),
    php(
        "b2_phpcs_psr12",
        "lint",
        "phpcs",
        ["phpcs --standard=PSR12 --report=full src"],
        {
            "src/Util.php": "<?php\nnamespace App;\n\nclass util {\n    public function Twice($x){\n        return $x*2;\n    }\n}\n",
        },
        needs=("phpcs",),
        version="phpcs --version",
        key=['Class name "util" is not in PascalCase format'],
    ),
    php(
        "b2_php_lint_find",
        "build",
        "php",
        ["find src -name '*.php' -print0 | xargs -0 -n1 php -l"],
        {
            "src/Ok.php": "<?php\nfunction ok(): int { return 1; }\n",
            "src/Broken.php": "<?php\nfunction broken(array $xs): int {\n    return array_sum($xs)\n}\n",
            "src/Also.php": "<?php\nclass Also {\n    public function f() { return [1, 2; }\n}\n",
        },
        version="php --version | head -1",
        key=['syntax error, unexpected token "}", expecting ";" in src/Broken.php on line 4'],
    ),
)

# -- C/C++: cmake (make and ninja), ctest, make -k/-j, sanitizers, valgrind ---------------------

CMAKE_HEAD = "cmake_minimum_required(VERSION 3.16)\nproject(app C CXX)\nenable_testing()\n"
CHECK_H = '#include <stdio.h>\n#define CHECK_EQ(a, b) do { long _a = (a), _b = (b); if (_a != _b) { fprintf(stderr, "%s:%d: CHECK_EQ(%s, %s) failed: %ld != %ld\\n", __FILE__, __LINE__, #a, #b, _a, _b); return 1; } } while (0)\n'
STATS_C = "long sum(const int *xs, int n) { long s = 0; for (int i = 0; i <= n - 1; i++) s += xs[i]; return s; }\nlong mean(const int *xs, int n) { return sum(xs, n) / (n - 1); }\nlong maxv(const int *xs, int n) { long m = 0; for (int i = 0; i < n; i++) if (xs[i] > m) m = xs[i]; return m; }\n"

add(
    native(
        "b2_cmake_find_package_config",
        "dependency_install",
        "cmake",
        ["cmake -S . -B build -DCMAKE_BUILD_TYPE=Release"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(fmt 10 REQUIRED)\nadd_executable(app main.cpp)\ntarget_link_libraries(app PRIVATE fmt::fmt)\n",
            "main.cpp": "int main() { return 0; }\n",
        },
        key=['Could not find a package configuration file provided by "fmt"'],
    ),
    native(
        "b2_cmake_pkg_check_modules",
        "dependency_install",
        "cmake",
        ["cmake -S . -B build -G Ninja"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "find_package(PkgConfig REQUIRED)\npkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)\nadd_executable(app main.c)\n",
            "main.c": "int main(void) { return 0; }\n",
        },
        key=["Package 'libsodium', required by 'virtual:world', not found"],
    ),
    native(
        "b2_cmake_ninja_cpp_errors",
        "build",
        "ninja",
        [
            "cmake -S . -B build -G Ninja -DCMAKE_CXX_COMPILER=g++ > /dev/null\ncmake --build build -j 2"
        ],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "set(CMAKE_CXX_STANDARD 17)\nadd_executable(app src/main.cpp src/queue.cpp src/config.cpp)\n",
            "src/main.cpp": '#include "queue.hpp"\nint main() { Queue q; q.push(1); return q.size() == 1 ? 0 : 1; }\n',
            "src/queue.hpp": "#pragma once\n#include <vector>\nclass Queue {\n public:\n  void push(int v);\n  std::size_t size() const;\n private:\n  std::vector<int> items_;\n};\n",
            "src/queue.cpp": '#include "queue.hpp"\nvoid Queue::push(int v) { items_.push_back(v); }\nstd::size_t Queue::size() const { items_.clear(); return items_.size(); }\n',
            "src/config.cpp": '#include <string>\n#include <map>\nstd::map<std::string, int> defaults() {\n  std::map<std::string, int> m;\n  m["port"] = "8080";\n  return m;\n}\n',
        },
        key=["error: passing ‘const std::vector<int>’ as ‘this’ argument discards qualifiers"],
    ),
    native(
        "b2_cmake_make_link_error",
        "build",
        "make",
        ["cmake -S . -B build > /dev/null\ncmake --build build -- -j1"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_library(parser STATIC src/parser.cpp)\nadd_executable(tool src/tool.cpp)\ntarget_link_libraries(tool PRIVATE parser)\n",
            "src/parser.hpp": "#pragma once\n#include <string>\nclass Parser {\n public:\n  int parse(const std::string& s);\n  int lineCount() const;\n};\n",
            "src/parser.cpp": '#include "parser.hpp"\nint Parser::parse(const std::string& s) { return static_cast<int>(s.size()); }\n',
            "src/tool.cpp": '#include "parser.hpp"\n#include <iostream>\nint main() { Parser p; std::cout << p.parse("x") << p.lineCount() << "\\n"; }\n',
        },
        version="cmake --version | head -1",
        key=["undefined reference to `Parser::lineCount() const'"],
    ),
    native(
        "b2_make_k_parallel",
        "build",
        "make",
        ["make -k -j3 all"],
        {
            "Makefile": "CC = gcc\nCFLAGS = -Wall -O2\nOBJS = build/net.o build/log.o build/main.o\n\nall: app\n\napp: $(OBJS)\n\t$(CC) -o $@ $^\n\nbuild/%.o: src/%.c | build\n\t$(CC) $(CFLAGS) -c $< -o $@\n\nbuild:\n\tmkdir -p build\n",
            "src/main.c": '#include <stdio.h>\nint net_open(const char *h);\nint main(void) { printf("%d\\n", net_open("x")); return 0; }\n',
            "src/net.c": "#include <string.h>\nint net_open(const char *h) {\n    int unused;\n    return strlen(h) + port;\n}\n",
            "src/log.c": '#include <stdio.h>\nvoid log_line(const char *m) {\n    fprintf(stderr, "%s\\n", m)\n}\n',
        },
        key=["error: ‘port’ undeclared (first use in this function)"],
    ),
    native(
        "b2_make_recursive_subdir",
        "build",
        "make",
        ["make"],
        {
            "Makefile": "SUBDIRS = lib app\n\nall:\n\tfor d in $(SUBDIRS); do $(MAKE) -C $$d || exit 1; done\n",
            "lib/Makefile": "libutil.a: util.o\n\tar rcs $@ $^\n\nutil.o: util.c\n\tcc -Wall -c util.c\n",
            "lib/util.c": "int twice(int x) { return 2 * x; }\n",
            "app/Makefile": "app: main.c\n\tcc -Wall -I../lib main.c -L../lib -lutil -o app\n",
            "app/main.c": '#include "util.h"\nint main(void) { return twice(1) - 2; }\n',
        },
        key=["fatal error: util.h: No such file or directory"],
    ),
    native(
        "b2_ctest_output_on_failure",
        "test_failure",
        "ctest",
        [
            "cmake -S . -B build > /dev/null && cmake --build build > /dev/null\ncd build && ctest --output-on-failure"
        ],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_library(stats stats.c)\nforeach(t sum mean max)\n  add_executable(test_${t} tests/test_${t}.c)\n  target_link_libraries(test_${t} stats)\n  add_test(NAME ${t} COMMAND test_${t})\nendforeach()\n",
            "stats.c": STATS_C,
            "check.h": CHECK_H,
            "tests/test_sum.c": '#include "../check.h"\nlong sum(const int *, int);\nint main(void) { int xs[] = {1, 2, 3}; CHECK_EQ(sum(xs, 3), 6); return 0; }\n',
            "tests/test_mean.c": '#include "../check.h"\nlong mean(const int *, int);\nint main(void) {\n  int xs[] = {2, 4, 6};\n  CHECK_EQ(mean(xs, 3), 4);\n  return 0;\n}\n',
            "tests/test_max.c": '#include "../check.h"\nlong maxv(const int *, int);\nint main(void) {\n  int xs[] = {-5, -2, -9};\n  puts("max of negatives");\n  CHECK_EQ(maxv(xs, 3), -2);\n  return 0;\n}\n',
        },
        failures=[
            ("mean", "CHECK_EQ(mean(xs, 3), 4) failed: 6 != 4", "tests/test_mean.c:5"),
            ("max", "CHECK_EQ(maxv(xs, 3), -2) failed: 0 != -2", "tests/test_max.c:6"),
        ],
        key=[
            "CHECK_EQ(mean(xs, 3), 4) failed: 6 != 4",
            "CHECK_EQ(maxv(xs, 3), -2) failed: 0 != -2",
        ],
        version="ctest --version | head -1",
    ),
    native(
        "b2_ctest_parallel_timeout",
        "timeout",
        "ctest",
        [
            "cmake -S . -B build > /dev/null && cmake --build build > /dev/null\nctest --test-dir build -j2 --timeout 3"
        ],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_executable(test_fast tests/fast.c)\nadd_test(NAME fast COMMAND test_fast)\nadd_executable(test_poll tests/poll.c)\nadd_test(NAME poll_server COMMAND test_poll)\n",
            "tests/fast.c": "int main(void) { return 0; }\n",
            "tests/poll.c": '#include <stdio.h>\n#include <unistd.h>\nint main(void) { puts("waiting for server on :9000"); fflush(stdout); for (;;) sleep(1); }\n',
        },
        tests=["poll_server"],
        key=["***Timeout"],
        version="ctest --version | head -1",
    ),
    native(
        "b2_ctest_asan_in_test",
        "segfault",
        "ctest",
        [
            "cmake -S . -B build -DCMAKE_C_FLAGS='-fsanitize=address -g' > /dev/null && cmake --build build > /dev/null\nctest --test-dir build --output-on-failure"
        ],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_executable(test_buf tests/buf.c)\nadd_test(NAME buffer COMMAND test_buf)\nadd_executable(test_ok tests/ok.c)\nadd_test(NAME ok COMMAND test_ok)\n",
            "tests/ok.c": "int main(void) { return 0; }\n",
            "tests/buf.c": '#include <stdlib.h>\n#include <string.h>\nint main(void) {\n  char *b = malloc(8);\n  strcpy(b, "overflowing");\n  free(b);\n  return 0;\n}\n',
        },
        tests=["buffer"],
        key=["ERROR: AddressSanitizer: heap-buffer-overflow"],
        version="ctest --version | head -1",
    ),
    native(
        "b2_asan_stack_overflow_gcc",
        "segfault",
        "gcc",
        ["gcc -fsanitize=address -g -O0 -o parse tests/parse.c && ./parse"],
        {
            "tests/parse.c": '#include <stdio.h>\n#include <string.h>\nstatic int field(const char *line, char *out) {\n  char tmp[8];\n  strcpy(tmp, line);\n  strcpy(out, tmp);\n  return (int)strlen(out);\n}\nint main(void) {\n  char out[64];\n  printf("%d\\n", field("name=a-much-longer-value", out));\n  return 0;\n}\n',
        },
        key=["ERROR: AddressSanitizer: stack-buffer-overflow"],
    ),
    native(
        "b2_lsan_leak",
        "segfault",
        "clang",
        ["clang -fsanitize=address -g -o leak tests/leak.c && ./leak"],
        {
            "tests/leak.c": '#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\nchar *dup_name(const char *s) { char *p = malloc(strlen(s) + 1); strcpy(p, s); return p; }\nint main(void) {\n  for (int i = 0; i < 3; i++) printf("%s\\n", dup_name("worker"));\n  return 0;\n}\n',
        },
        key=["ERROR: LeakSanitizer: detected memory leaks"],
        note="a sanitizer report fails the run (exit 23): grouped with crashes and sanitizer aborts",
    ),
    native(
        "b2_ubsan_shift",
        "segfault",
        "clang",
        [
            "clang -fsanitize=undefined -fno-sanitize-recover=all -g -o shift tests/shift.c && ./shift"
        ],
        {
            "tests/shift.c": '#include <stdio.h>\n#include <stdlib.h>\nint main(int argc, char **argv) {\n  int bits = argc + 39;\n  int mask = 1 << bits;\n  printf("%d\\n", mask);\n  return 0;\n}\n',
        },
        key=["runtime error: shift exponent 40 is too large for 32-bit type 'int'"],
    ),
    native(
        "b2_tsan_race",
        "segfault",
        "clang",
        ["clang -fsanitize=thread -g -O1 -o race tests/race.c -lpthread && ./race"],
        {
            "tests/race.c": '#include <pthread.h>\n#include <stdio.h>\nstatic int counter;\nstatic void *work(void *arg) { (void)arg; for (int i = 0; i < 1000; i++) counter++; return NULL; }\nint main(void) {\n  pthread_t a, b;\n  pthread_create(&a, NULL, work, NULL);\n  pthread_create(&b, NULL, work, NULL);\n  pthread_join(a, NULL);\n  pthread_join(b, NULL);\n  printf("%d\\n", counter);\n  return 0;\n}\n',
        },
        key=["WARNING: ThreadSanitizer: data race"],
    ),
    native(
        "b2_valgrind_leak_exitcode",
        "segfault",
        "valgrind",
        [
            "gcc -g -O0 -o cache tests/cache.c\nvalgrind --leak-check=full --error-exitcode=3 ./cache"
        ],
        {
            "tests/cache.c": '#include <stdlib.h>\n#include <stdio.h>\nint *make(int n) { int *p = malloc(n * sizeof *p); for (int i = 0; i < n; i++) p[i] = i; return p; }\nint main(void) { int *a = make(16); printf("%d\\n", a[3]); return 0; }\n',
        },
        needs=("valgrind",),
        key=["definitely lost: 64 bytes in 1 blocks"],
        note="valgrind's --error-exitcode fails the run on a leak: grouped with memory-error reports",
    ),
    native(
        "b2_clang_cpp_overload",
        "build",
        "clang",
        ["clang++ -std=c++17 -Wall -Wextra -c src/shapes.cpp -o shapes.o"],
        {
            "src/shapes.cpp": '#include <memory>\n#include <string>\n#include <vector>\n\nstruct Shape { virtual ~Shape() = default; virtual double area() const = 0; };\nstruct Square : Shape { double s; explicit Square(double s) : s(s) {} double area() const override { return s * s; } };\n\ndouble total(const std::vector<std::unique_ptr<Shape>>& v) {\n  double t = 0;\n  for (auto s : v) t += s->area();\n  return t;\n}\n\nint main() {\n  std::vector<std::unique_ptr<Shape>> v;\n  v.push_back(std::make_unique<Square>("2"));\n  return total(v) > 0;\n}\n',
        },
        key=["call to deleted constructor of 'std::unique_ptr<Shape>'"],
    ),
    native(
        "b2_gcc_werror_and_warnings",
        "build",
        "gcc",
        ["gcc -Wall -Wextra -Werror=implicit-function-declaration -c src/io.c -o io.o"],
        {
            "src/io.c": "#include <stdio.h>\nint read_all(FILE *f, char *buf, int n) {\n    int unused = 0;\n    int got = fread(buf, 1, n, f);\n    if (got < n) report_short_read(got);\n    return got;\n}\n",
        },
        key=["error: implicit declaration of function ‘report_short_read’"],
    ),
    native(
        "b2_cmake_syntax_error",
        "build",
        "cmake",
        ["cmake -S . -B build"],
        {
            "CMakeLists.txt": CMAKE_HEAD
            + "add_executable(app main.c\nif(WIN32\n  target_compile_definitions(app PRIVATE WIN=1)\nendif()\n",
            "main.c": "int main(void) { return 0; }\n",
        },
        key=['Parse error.  Function missing ending ")".'],
    ),
    native(
        "b2_cppcheck_error_exitcode",
        "lint",
        "cppcheck",
        ["cppcheck --enable=warning --error-exitcode=1 --inline-suppr -q src"],
        {
            "src/buf.c": '#include <string.h>\nvoid fill(void) {\n    char b[4];\n    strcpy(b, "toolong");\n}\nint get(int i) {\n    int a[3] = {1, 2, 3};\n    return a[3];\n}\n',
        },
        needs=("cppcheck",),
        key=["Array 'a[3]' accessed at index 3, which is out of bounds. [arrayIndexOutOfBounds]"],
    ),
)


# == Batch 3 (j11b): collected after the batch-2 rule changes, to measure them never-seen ==


def b3(c: Case) -> Case:
    """Collection round 3: logs gathered after the round-2 rule work, before any more."""
    c.batch = 3
    return c


add(
    *map(
        b3,
        [
            go(
                "b3_go_test_tee_pipefail",
                "test_failure",
                "go test",
                ["set -o pipefail\ngo test -v -count=1 ./... 2>&1 | tee go-test.log"],
                {
                    "money/money.go": 'package money\n\nimport "fmt"\n\nfunc Format(cents int) string { return fmt.Sprintf("%d.%d", cents/100, cents%100) }\n',
                    "money/money_test.go": """
                        package money

                        import "testing"

                        func TestFormatWhole(t *testing.T) {
                            if got := Format(1200); got != "12.00" {
                                t.Errorf("Format(1200) = %q, want %q", got, "12.00")
                            }
                        }

                        func TestFormatSkipped(t *testing.T) {
                            t.Skip("needs locale data")
                        }

                        func TestFormatCents(t *testing.T) {
                            if got := Format(105); got != "1.05" {
                                t.Fatalf("Format(105) = %q, want %q", got, "1.05")
                            }
                        }
                        """,
                },
                failures=[
                    (
                        "TestFormatWhole",
                        'money_test.go:7: Format(1200) = "12.0", want "12.00"',
                        "money/money_test.go:7",
                    ),
                    (
                        "TestFormatCents",
                        'money_test.go:17: Format(105) = "1.5", want "1.05"',
                        "money/money_test.go:17",
                    ),
                ],
                key=['Format(1200) = "12.0", want "12.00"', 'Format(105) = "1.5", want "1.05"'],
            ),
            go(
                "b3_go_test_vet_fails",
                "lint",
                "go test",
                ["go test -count=1 ./..."],
                {
                    "report/report.go": 'package report\n\nimport "fmt"\n\nfunc Line(name string, n int) string {\n\treturn fmt.Sprintf("%s: %d items", n, name)\n}\n',
                    "report/report_test.go": 'package report\n\nimport "testing"\n\nfunc TestLine(t *testing.T) {\n\tif Line("a", 1) == "" {\n\t\tt.Fatal("empty")\n\t}\n}\n',
                },
                key=["fmt.Sprintf format %s has arg n of wrong type int"],
                note="go test runs a subset of go vet first; the vet finding fails the package",
            ),
            go(
                "b3_go_cross_build",
                "build",
                "go build",
                [Run("GOOS=windows GOARCH=amd64 go build ./...")],
                {
                    "main.go": 'package main\n\nimport (\n\t"os"\n\t"syscall"\n)\n\nfunc main() {\n\t_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)\n}\n',
                },
                key=["undefined: syscall.Kill"],
            ),
            go(
                "b3_go_test_init_panic",
                "test_failure",
                "go test",
                ["go test -count=1 ./..."],
                {
                    "conf/conf.go": 'package conf\n\nimport "os"\n\nvar Home = mustEnv("PROJ_HOME")\n\nfunc mustEnv(k string) string {\n\tv := os.Getenv(k)\n\tif v == "" {\n\t\tpanic("missing environment variable " + k)\n\t}\n\treturn v\n}\n',
                    "conf/conf_test.go": 'package conf\n\nimport "testing"\n\nfunc TestHome(t *testing.T) {\n\tif Home == "" {\n\t\tt.Fatal("no home")\n\t}\n}\n',
                },
                key=["panic: missing environment variable PROJ_HOME"],
                note="the package's init panics before any test runs",
            ),
            go(
                "b3_gofmt_silent_check",
                "format",
                "gofmt",
                ['test -z "$(gofmt -s -l .)"'],
                {
                    "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n    s := []int{1}\n    for i, _ := range s {\n        fmt.Println(i)\n    }\n}\n'
                },
                note="the check prints nothing: only the command says what failed",
            ),
            go(
                "b3_go_mod_tidy_check",
                "dependency_install",
                "go mod",
                [
                    Run(
                        "go mod tidy -e >/dev/null 2>&1 || true\ngit diff --exit-code -- go.mod",
                        env={"GOFLAGS": "-mod=mod", "GOPROXY": "off"},
                    )
                ],
                {
                    "go.mod": GOMOD + "\nrequire github.com/google/uuid v1.6.0\n",
                    "main.go": "package main\n\nfunc main() {}\n",
                },
                hidden="git init -q . && git add -A && git -c user.email=a@b -c user.name=a commit -qm init",
                key=["-require github.com/google/uuid v1.6.0"],
                note="go.mod lists a module nothing imports: `go mod tidy` changes it and the diff check fails",
            ),
            rust(
                "b3_rust_should_panic_wrong_message",
                "test_failure",
                "cargo test",
                ["cargo test --offline -q"],
                {
                    "src/lib.rs": """
                        pub fn parse_age(s: &str) -> u8 {
                            s.parse().expect("age must be a number")
                        }

                        #[cfg(test)]
                        mod tests {
                            #[test]
                            #[should_panic(expected = "age must be between 0 and 150")]
                            fn rejects_huge() {
                                super::parse_age("400");
                            }

                            #[test]
                            fn parses() {
                                assert_eq!(super::parse_age("42"), 42);
                            }
                        }
                        """
                },
                failures=[
                    (
                        "tests::rejects_huge",
                        "age must be a number: ParseIntError { kind: PosOverflow }",
                        "src/lib.rs:2",
                    )
                ],
                key=["panic did not contain expected string"],
            ),
            rust(
                "b3_rust_workspace_test_one_crate",
                "test_failure",
                "cargo test",
                ["cargo test --offline --workspace"],
                {
                    "Cargo.toml": '[workspace]\nmembers = ["parser", "render"]\nresolver = "2"\n',
                    "parser/Cargo.toml": '[package]\nname = "parser"\nversion = "0.1.0"\nedition = "2021"\n',
                    "parser/src/lib.rs": 'pub fn tokens(s: &str) -> usize { s.split_whitespace().count() }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn counts() { assert_eq!(super::tokens("a b"), 2); }\n}\n',
                    "render/Cargo.toml": '[package]\nname = "render"\nversion = "0.1.0"\nedition = "2021"\n',
                    "render/src/lib.rs": 'pub fn bold(s: &str) -> String { format!("**{}*", s) }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn wraps_in_stars() {\n        assert_eq!(super::bold("x"), "**x**");\n    }\n\n    #[test]\n    #[ignore]\n    fn slow_render() {}\n}\n',
                },
                failures=[
                    (
                        "tests::wraps_in_stars",
                        "assertion `left == right` failed",
                        "render/src/lib.rs:7",
                    )
                ],
                key=["assertion `left == right` failed"],
            ),
            rust(
                "b3_cargo_missing_feature",
                "build",
                "cargo build",
                ["cargo build --offline --features tls"],
                {"src/main.rs": "fn main() {}\n"},
                key=["the package 'demo' does not contain this feature: tls"],
            ),
            rust(
                "b3_rust_trait_bound_error",
                "build",
                "cargo test",
                ["cargo test --offline --no-run"],
                {
                    "src/lib.rs": "use std::collections::HashSet;\n\n#[derive(Debug)]\npub struct Point { pub x: i32, pub y: i32 }\n\npub fn unique(ps: Vec<Point>) -> usize {\n    let s: HashSet<Point> = ps.into_iter().collect();\n    s.len()\n}\n"
                },
                key=["error[E0277]: the trait bound `Point: Eq` is not satisfied"],
            ),
            jvm(
                "b3_mvn_assert_all",
                "test_failure",
                "maven",
                ["mvn -o -B -ntp test"],
                {
                    "pom.xml": pom(),
                    "src/main/java/com/example/Address.java": 'package com.example;\n\npublic record Address(String street, String city, String zip) {\n  public static Address parse(String s) {\n    String[] p = s.split(",");\n    return new Address(p[0].trim(), p[1], p.length > 2 ? p[2] : "");\n  }\n}\n',
                    "src/test/java/com/example/AddressTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.*;\n\nimport org.junit.jupiter.api.Test;\n\nclass AddressTest {\n  @Test\n  void parsesAllParts() {\n    Address a = Address.parse("1 Main St, Springfield, 12345");\n    assertAll("address",\n        () -> assertEquals("1 Main St", a.street()),\n        () -> assertEquals("Springfield", a.city()),\n        () -> assertEquals("12345", a.zip()));\n  }\n}\n',
                },
                failures=[
                    ("AddressTest.parsesAllParts", "address (2 failures)", "AddressTest.java:11")
                ],
                key=["expected: <Springfield> but was: < Springfield>"],
            ),
            jvm(
                "b3_mvn_nested_display_names",
                "test_failure",
                "maven",
                ["mvn -o -B -ntp test"],
                {
                    "pom.xml": pom(),
                    "src/main/java/com/example/Stack.java": "package com.example;\n\nimport java.util.ArrayDeque;\n\npublic class Stack {\n  private final ArrayDeque<Integer> d = new ArrayDeque<>();\n  public void push(int v) { d.push(v); }\n  public int pop() { return d.isEmpty() ? -1 : d.pop(); }\n  public int size() { return d.size(); }\n}\n",
                    "src/test/java/com/example/StackTest.java": 'package com.example;\n\nimport static org.junit.jupiter.api.Assertions.*;\n\nimport java.util.NoSuchElementException;\nimport org.junit.jupiter.api.DisplayName;\nimport org.junit.jupiter.api.Nested;\nimport org.junit.jupiter.api.Test;\n\n@DisplayName("A stack")\nclass StackTest {\n  @Nested\n  @DisplayName("when empty")\n  class WhenEmpty {\n    @Test\n    @DisplayName("throws on pop")\n    void throwsOnPop() {\n      assertThrows(NoSuchElementException.class, () -> new Stack().pop());\n    }\n  }\n\n  @Test\n  void pushIncreasesSize() {\n    Stack s = new Stack();\n    s.push(1);\n    assertEquals(1, s.size());\n  }\n}\n',
                },
                failures=[
                    (
                        "StackTest$WhenEmpty.throwsOnPop",
                        "Expected java.util.NoSuchElementException to be thrown, but nothing was thrown.",
                        "StackTest.java:18",
                    )
                ],
                key=[
                    "Expected java.util.NoSuchElementException to be thrown, but nothing was thrown."
                ],
            ),
            jvm(
                "b3_mvn_assert_timeout",
                "test_failure",
                "maven",
                ["mvn -o -B -ntp test"],
                {
                    "pom.xml": pom(),
                    "src/test/java/com/example/CacheTest.java": "package com.example;\n\nimport static org.junit.jupiter.api.Assertions.assertTimeout;\n\nimport java.time.Duration;\nimport org.junit.jupiter.api.Test;\n\nclass CacheTest {\n  @Test\n  void warmsQuickly() {\n    assertTimeout(Duration.ofMillis(50), () -> Thread.sleep(300));\n  }\n}\n",
                },
                failures=[
                    (
                        "CacheTest.warmsQuickly",
                        "execution exceeded timeout of 50 ms by",
                        "CacheTest.java:11",
                    )
                ],
                key=["execution exceeded timeout of 50 ms by"],
                note="an assertion about duration: the test failed, the job did not time out",
            ),
            jvm(
                "b3_javac_werror",
                "build",
                "javac",
                ["javac -Xlint:all -Werror -d out src/Main.java"],
                {
                    "src/Main.java": 'import java.util.*;\n\npublic class Main {\n  public static void main(String[] args) {\n    List names = new ArrayList();\n    names.add("ada");\n    System.out.println(names);\n  }\n}\n'
                },
                needs=("javac",),
                version="javac -version",
                key=["warnings found and -Werror specified"],
            ),
            gradle(
                "b3_gradle_multiproject_test",
                "test_failure",
                "gradle --no-daemon --console=plain --offline --continue check",
                {
                    "build.gradle": "",
                    "settings.gradle": "include 'core', 'web'\n",
                    "core/build.gradle": GRADLE_BUILD,
                    "web/build.gradle": GRADLE_BUILD,
                    "core/src/main/java/core/Words.java": 'package core;\n\npublic class Words {\n  public static int count(String s) { return s.split(" ").length; }\n}\n',
                    "core/src/test/java/core/WordsTest.java": 'package core;\n\nimport static org.junit.Assert.assertEquals;\n\nimport org.junit.Test;\n\npublic class WordsTest {\n  @Test public void countsEmpty() {\n    assertEquals("no words", 0, Words.count(""));\n  }\n}\n',
                    "web/src/main/java/web/Page.java": "package web;\n\npublic class Page {\n  public static String title(String t) { return t.toUpperCase(); }\n}\n",
                    "web/src/test/java/web/PageTest.java": 'package web;\n\nimport static org.junit.Assert.assertEquals;\n\nimport org.junit.Test;\n\npublic class PageTest {\n  @Test public void titleCase() {\n    assertEquals("Home", Page.title("home"));\n  }\n}\n',
                },
                failures=[
                    (
                        "core.WordsTest > countsEmpty",
                        "java.lang.AssertionError at WordsTest.java:9",
                        "WordsTest.java:9",
                    ),
                    (
                        "web.PageTest > titleCase",
                        "org.junit.ComparisonFailure at PageTest.java:9",
                        "PageTest.java:9",
                    ),
                ],
                key=[
                    "java.lang.AssertionError at WordsTest.java:9",
                    "org.junit.ComparisonFailure at PageTest.java:9",
                ],
            ),
            phpunit(
                "b3_phpunit_testdox",
                "test_failure",
                {
                    "src/Temp.php": "<?php\nnamespace App;\n\nfinal class Temp\n{\n    public static function toF(float $c): float\n    {\n        return $c * 9 / 5 + 23;\n    }\n}\n",
                    "tests/TempTest.php": "<?php\nuse App\\Temp;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class TempTest extends TestCase\n{\n    public function testFreezingPoint(): void\n    {\n        $this->assertEqualsWithDelta(32.0, Temp::toF(0), 0.01);\n    }\n\n    public function testBoilingPoint(): void\n    {\n        $this->assertEqualsWithDelta(212.0, Temp::toF(100), 0.01);\n    }\n}\n",
                },
                cmd="phpunit --testdox",
                failures=[
                    (
                        "Freezing point",
                        "Failed asserting that 23.0 matches expected 32.0.",
                        "tests/TempTest.php:9",
                    ),
                    (
                        "Boiling point",
                        "Failed asserting that 203.0 matches expected 212.0.",
                        "tests/TempTest.php:14",
                    ),
                ],
                key=["Failed asserting that 23.0 matches expected 32.0."],
            ),
            phpunit(
                "b3_phpunit_undefined_method",
                "test_failure",
                {
                    "src/Cart.php": CART_PHP,
                    "tests/CartTest.php": "<?php\nuse App\\Cart;\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class CartTest extends TestCase\n{\n    public function testCount(): void\n    {\n        $c = new Cart();\n        $c->add('a', 1, 1.0);\n        $this->assertSame(1, $c->count());\n    }\n\n    public function testTotal(): void\n    {\n        $this->assertSame(0.0, (new Cart())->total());\n    }\n}\n",
                },
                failures=[
                    (
                        "CartTest::testCount",
                        "Error: Call to undefined method App\\Cart::count()",
                        "tests/CartTest.php:11",
                    )
                ],
                key=["Call to undefined method App\\Cart::count()"],
            ),
            php(
                "b3_phpcs_summary_report",
                "lint",
                "phpcs",
                ["phpcs --standard=PSR2 --report=summary src"],
                {
                    "src/A.php": "<?php\nnamespace App;\nclass A {\n  function f(){ return 1; }\n}\n",
                    "src/B.php": "<?php\nnamespace App;\n\nclass B\n{\n    public function g()\n    {\n        return 2 ;\n    }\n}\n",
                },
                needs=("phpcs",),
                version="phpcs --version",
                key=["A TOTAL OF 7 ERRORS AND 0 WARNINGS WERE FOUND IN 1 FILE"],
            ),
            native(
                "b3_gtest_failures",
                "test_failure",
                "ctest",
                [
                    "cmake -S . -B build > /dev/null && cmake --build build > /dev/null\nctest --test-dir build --output-on-failure"
                ],
                {
                    "CMakeLists.txt": CMAKE_HEAD
                    + "set(CMAKE_CXX_STANDARD 17)\nfind_package(GTest REQUIRED)\nadd_executable(unit_tests tests/ring_test.cpp)\ntarget_link_libraries(unit_tests GTest::gtest_main)\ninclude(GoogleTest)\nadd_test(NAME unit_tests COMMAND unit_tests)\n",
                    "tests/ring_test.cpp": '#include <gtest/gtest.h>\n#include <vector>\n\nstatic std::vector<int> rotate(std::vector<int> v, int k) {\n  std::vector<int> out(v.size());\n  for (size_t i = 0; i < v.size(); i++) out[(i + k) % v.size()] = v[i];\n  return out;\n}\n\nTEST(Ring, RotatesByOne) {\n  EXPECT_EQ(rotate({1, 2, 3}, 1), (std::vector<int>{3, 1, 2}));\n}\n\nTEST(Ring, RotatesNegative) {\n  auto r = rotate({1, 2, 3}, -1);\n  ASSERT_EQ(r.size(), 3u);\n  EXPECT_EQ(r[2], 1) << "rotating left";\n}\n\nTEST(Ring, Empty) {\n  EXPECT_TRUE(rotate({}, 3).empty());\n}\n',
                },
                failures=[
                    (
                        "Ring.RotatesNegative",
                        "Expected equality of these values:",
                        "tests/ring_test.cpp:17",
                    )
                ],
                tests=["Ring.RotatesNegative", "unit_tests"],
                key=["Expected equality of these values:"],
                version="ctest --version | head -1",
            ),
            native(
                "b3_gtest_direct",
                "test_failure",
                "googletest",
                [
                    "g++ -std=c++17 -o t tests/parse_test.cpp -lgtest -lgtest_main -pthread && ./t --gtest_color=no"
                ],
                {
                    "tests/parse_test.cpp": '#include <gtest/gtest.h>\n#include <string>\n\nstatic int parse_int(const std::string& s) { return std::stoi(s); }\n\nTEST(Parse, Plain) { EXPECT_EQ(parse_int("42"), 42); }\n\nTEST(Parse, Hex) { EXPECT_EQ(parse_int("0x10"), 16); }\n\nTEST(Parse, Garbage) { EXPECT_THROW(parse_int("abc"), std::out_of_range); }\n',
                },
                failures=[
                    ("Parse.Hex", "Expected equality of these values:", "tests/parse_test.cpp:8"),
                    (
                        "Parse.Garbage",
                        'Expected: parse_int("abc") throws an exception of type std::out_of_range.',
                        "tests/parse_test.cpp:10",
                    ),
                ],
                key=["Expected equality of these values:"],
                version="g++ --version | head -1",
            ),
            native(
                "b3_ld_multiple_definition",
                "build",
                "gcc",
                [
                    "gcc -c src/a.c -o a.o && gcc -c src/b.c -o b.o && gcc -c src/main.c -o main.o\ngcc -o app a.o b.o main.o"
                ],
                {
                    "src/common.h": "int counter = 0;\n",
                    "src/a.c": '#include "common.h"\nvoid a(void) { counter++; }\n',
                    "src/b.c": '#include "common.h"\nvoid b(void) { counter--; }\n',
                    "src/main.c": "void a(void); void b(void);\nint main(void) { a(); b(); return 0; }\n",
                },
                key=["multiple definition of `counter'"],
            ),
            native(
                "b3_msan_uninit",
                "segfault",
                "clang",
                ["clang -fsanitize=memory -g -O1 -o m tests/m.c && ./m"],
                {
                    "tests/m.c": '#include <stdio.h>\nint main(int argc, char **argv) {\n  int v[4];\n  v[argc] = 1;\n  if (v[0]) printf("set\\n");\n  return 0;\n}\n'
                },
                key=["WARNING: MemorySanitizer: use-of-uninitialized-value"],
            ),
            native(
                "b3_ctest_uncaught_exception",
                "segfault",
                "ctest",
                [
                    "cmake -S . -B build > /dev/null && cmake --build build > /dev/null\nctest --test-dir build --output-on-failure"
                ],
                {
                    "CMakeLists.txt": CMAKE_HEAD
                    + "set(CMAKE_CXX_STANDARD 17)\nadd_executable(test_cfg tests/cfg.cpp)\nadd_test(NAME config_load COMMAND test_cfg)\n",
                    "tests/cfg.cpp": '#include <map>\n#include <string>\n#include <iostream>\nint main() {\n  std::map<std::string, int> m{{"port", 80}};\n  std::cout << "loading config" << std::endl;\n  return m.at("host");\n}\n',
                },
                tests=["config_load"],
                key=["terminate called after throwing an instance of 'std::out_of_range'"],
                version="ctest --version | head -1",
            ),
            native(
                "b3_make_test_script_harness",
                "test_failure",
                "make",
                ["make check"],
                {
                    "Makefile": "check: calc\n\t@./run-tests.sh\n\ncalc: calc.c\n\tcc -o calc calc.c\n",
                    "calc.c": '#include <stdio.h>\n#include <stdlib.h>\nint main(int c, char **v) { printf("%d\\n", atoi(v[1]) + atoi(v[2]) + (atoi(v[1]) > 9)); return 0; }\n',
                    "run-tests.sh": '#!/bin/sh\nfail=0\ncheck() { got=$(./calc "$1" "$2"); if [ "$got" = "$3" ]; then echo "PASS: $1+$2"; else echo "FAIL: $1+$2 (expected $3, got $got)"; fail=$((fail+1)); fi; }\ncheck 1 2 3\ncheck 10 5 15\ncheck 20 1 21\necho "# FAIL: $fail"\n[ "$fail" -eq 0 ]\n',
                },
                hidden="chmod +x run-tests.sh",
                tests=["10+5", "20+1"],
                key=["FAIL: 10+5 (expected 15, got 16)"],
            ),
        ],
    )
)
