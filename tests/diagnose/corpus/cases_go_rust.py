# ruff: noqa: E501
"""Go (go test, go vet, gofmt, go build, go mod) and Rust (cargo build/test/clippy/fmt/doc/fetch)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generate import CHECKOUT, Case
from more_cases import SETUP_GO, Run, StepLike, add, case

GOMOD = "module example.com/proj\n\ngo 1.19\n"
GO = [CHECKOUT, SETUP_GO]
GOV = "go version"


def go(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", GOV)
    kw.setdefault("needs", ("go",))
    return case(name, category, tool, steps, {"go.mod": GOMOD, **files}, prelude=GO, **kw)


CALC_GO = "package calc\n\nfunc Add(a, b int) int {\n\tif a == 2 {\n\t\treturn a + b + 1\n\t}\n\treturn a + b\n}\n"

add(
    go(
        "go_test_errorf",
        "test_failure",
        "go test",
        ["go test ./..."],
        {
            "calc/calc.go": CALC_GO,
            "calc/calc_test.go": 'package calc\n\nimport "testing"\n\nfunc TestAddSmall(t *testing.T) {\n\tif got := Add(1, 1); got != 2 {\n\t\tt.Errorf("Add(1, 1) = %d; want 2", got)\n\t}\n}\n\nfunc TestAddTwo(t *testing.T) {\n\tif got := Add(2, 2); got != 4 {\n\t\tt.Errorf("Add(2, 2) = %d; want 4", got)\n\t}\n}\n',
        },
        failures=[("TestAddTwo", "calc_test.go:13: Add(2, 2) = 5; want 4", "calc/calc_test.go:13")],
        key=["calc_test.go:13: Add(2, 2) = 5; want 4"],
    ),
    go(
        "go_test_subtests_verbose",
        "test_failure",
        "go test",
        ["go test -v ./..."],
        {
            "parse/parse.go": 'package parse\n\nimport "strings"\n\nfunc Fields(s string) []string {\n\treturn strings.Split(s, ",")\n}\n',
            "parse/parse_test.go": 'package parse\n\nimport "testing"\n\nfunc TestFields(t *testing.T) {\n\tcases := []struct {\n\t\tname string\n\t\tin   string\n\t\twant int\n\t}{\n\t\t{"two", "a,b", 2},\n\t\t{"empty", "", 0},\n\t\t{"three", "a,b,c", 3},\n\t}\n\tfor _, c := range cases {\n\t\tt.Run(c.name, func(t *testing.T) {\n\t\t\tif got := len(Fields(c.in)); got != c.want {\n\t\t\t\tt.Fatalf("len(Fields(%q)) = %d, want %d", c.in, got, c.want)\n\t\t\t}\n\t\t})\n\t}\n}\n',
        },
        failures=[
            (
                "TestFields/empty",
                'parse_test.go:18: len(Fields("")) = 1, want 0',
                "parse/parse_test.go:18",
            )
        ],
        tests=["TestFields/empty", "TestFields"],
        key=['parse_test.go:18: len(Fields("")) = 1, want 0'],
    ),
    go(
        "go_test_panic",
        "test_failure",
        "go test",
        ["go test ./..."],
        {
            "list/list.go": "package list\n\nfunc Third(xs []int) int {\n\treturn xs[3]\n}\n",
            "list/list_test.go": 'package list\n\nimport "testing"\n\nfunc TestThird(t *testing.T) {\n\tif Third([]int{1, 2, 3}) != 3 {\n\t\tt.Fatal("wrong")\n\t}\n}\n',
        },
        failures=[
            (
                "TestThird",
                "panic: runtime error: index out of range [3] with length 3",
                "list/list_test.go:6",
            )
        ],
        key=["panic: runtime error: index out of range [3] with length 3"],
    ),
    go(
        "go_test_timeout",
        "timeout",
        "go test",
        ["go test -timeout 2s ./..."],
        {
            "wait/wait_test.go": 'package wait\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestDrain(t *testing.T) {\n\ttime.Sleep(time.Minute)\n}\n'
        },
        tests=["TestDrain"],
        key=["panic: test timed out after 2s"],
    ),
    go(
        "go_test_build_failed",
        "build",
        "go test",
        ["go test ./..."],
        {
            "calc/calc.go": CALC_GO,
            "calc/calc_test.go": 'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 1, 1) != 3 {\n\t\tt.Fatal("x")\n\t}\n}\n',
        },
        key=["too many arguments in call to Add"],
        note="the test binary does not compile: a build failure, not a test failure",
    ),
    go(
        "go_vet_printf",
        "lint",
        "go vet",
        ["go vet ./..."],
        {
            "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tname := "ada"\n\tfmt.Printf("%d users\\n", name)\n}\n'
        },
        key=["fmt.Printf format %d has arg name of wrong type string"],
    ),
    go(
        "go_gofmt_diff",
        "format",
        "gofmt",
        ['gofmt -l -d . && test -z "$(gofmt -l .)"'],
        {
            "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n  fmt.Println( "hi" )\n}\n',
            "ok.go": "package main\n\nvar x = 1\n",
        },
        key=["diff main.go.orig main.go"],
    ),
    go(
        "go_build_undefined",
        "build",
        "go build",
        ["go build ./..."],
        {
            "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(version)\n\tvar n int = "x"\n\t_ = n\n}\n'
        },
        key=["./main.go:6:14: undefined: version"],
    ),
    go(
        "go_mod_download_dns",
        "infra_network",
        "go mod",
        [Run("go mod download", timeout=120, env={"GOFLAGS": ""})],
        {"go.mod": GOMOD + "\nrequire github.com/stretchr/testify v1.9.0\n"},
        key=["proxy.golang.org"],
    ),
    go(
        "go_missing_go_sum",
        "dependency_install",
        "go build",
        [Run("go build ./...", env={"GOFLAGS": "-mod=readonly", "GOPROXY": "off"})],
        {
            "go.mod": GOMOD + "\nrequire github.com/google/uuid v1.6.0\n",
            "main.go": 'package main\n\nimport "github.com/google/uuid"\n\nfunc main() { println(uuid.NewString()) }\n',
        },
        key=["missing go.sum entry for module providing package github.com/google/uuid"],
    ),
    go(
        "go_test_race",
        "test_failure",
        "go test",
        [Run("go test -race ./...", timeout=300)],
        {
            "counter/counter_test.go": 'package counter\n\nimport (\n\t"sync"\n\t"testing"\n)\n\nfunc TestCount(t *testing.T) {\n\tn := 0\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n\t\tgo func() { defer wg.Done(); n++ }()\n\t}\n\twg.Wait()\n\t_ = n\n}\n'
        },
        failures=[("TestCount", "race detected during execution of test", None)],
        key=["WARNING: DATA RACE"],
    ),
    go(
        "go_test_network_in_test",
        "infra_network",
        "go test",
        ["go test ./..."],
        {
            "api/api_test.go": 'package api\n\nimport (\n\t"net/http"\n\t"testing"\n)\n\nfunc TestLatestRelease(t *testing.T) {\n\tresp, err := http.Get("https://api.github.com/repos/octo/proj/releases/latest")\n\tif err != nil {\n\t\tt.Fatalf("get: %v", err)\n\t}\n\tdefer resp.Body.Close()\n}\n'
        },
        failures=[
            (
                "TestLatestRelease",
                'api_test.go:11: get: Get "https://api.github.com/repos/octo/proj/releases/latest": dial tcp: lookup api.github.com',
                "api/api_test.go:11",
            )
        ],
        key=["dial tcp: lookup api.github.com"],
        note="the test fails because DNS failed: infrastructure",
    ),
    go(
        "go_vet_then_test_always",
        "lint",
        "go vet",
        ["go vet ./...", Run("go test ./...", always=True)],
        {
            "calc/calc.go": CALC_GO,
            "calc/show.go": 'package calc\n\nimport "fmt"\n\nfunc Show(n int) string {\n\treturn fmt.Sprintf("%s", n)\n}\n',
            "calc/calc_test.go": 'package calc\n\nimport "testing"\n\nfunc TestAddTwo(t *testing.T) {\n\tif got := Add(2, 2); got != 4 {\n\t\tt.Errorf("Add(2, 2) = %d; want 4", got)\n\t}\n}\n',
        },
        key=["fmt.Sprintf format %s has arg n of wrong type int"],
        failed_steps=[("Run go vet ./...", "lint"), ("Run go test ./...", "lint")],
        note="if: always() runs go test after vet failed; go test's own vet pass fails the same way",
    ),
)

# -- Rust --------------------------------------------------------------------------------------

CARGO_TOML = '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
RUST = [CHECKOUT]
CARGOV = "cargo --version"


def rust(
    name: str, category: str, tool: str, steps: Sequence[StepLike], files: dict[str, str], **kw: Any
) -> Case:
    kw.setdefault("version", CARGOV)
    kw.setdefault("needs", ("cargo",))
    steps = [Run(s, timeout=400) if isinstance(s, str) else s for s in steps]
    return case(
        name, category, tool, steps, {"Cargo.toml": CARGO_TOML, **files}, prelude=RUST, **kw
    )


add(
    rust(
        "rust_test_custom_panic",
        "test_failure",
        "cargo test",
        ["cargo test --offline"],
        {
            "src/lib.rs": 'pub fn key(cfg: &[(&str, &str)], k: &str) -> String {\n    match cfg.iter().find(|(name, _)| *name == k) {\n        Some((_, v)) => v.to_string(),\n        None => panic!("config missing key {}", k),\n    }\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn finds_port() {\n        assert_eq!(key(&[("port", "80")], "port"), "80");\n    }\n\n    #[test]\n    fn finds_host() {\n        assert_eq!(key(&[("port", "80")], "host"), "localhost");\n    }\n}\n'
        },
        failures=[("tests::finds_host", "config missing key host", "src/lib.rs:4")],
        key=["config missing key host"],
    ),
    rust(
        "rust_test_assert_eq_strings",
        "test_failure",
        "cargo test",
        ["cargo test --offline --quiet"],
        {
            "src/lib.rs": 'pub fn title(s: &str) -> String {\n    s.to_uppercase()\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn titles() {\n        assert_eq!(super::title("ada lovelace"), "Ada Lovelace", "title case expected");\n    }\n}\n'
        },
        failures=[
            (
                "tests::titles",
                "assertion `left == right` failed: title case expected",
                "src/lib.rs:9",
            )
        ],
        key=["assertion `left == right` failed: title case expected"],
    ),
    rust(
        "rust_test_does_not_compile",
        "build",
        "cargo test",
        ["cargo test --offline"],
        {
            "src/lib.rs": 'pub fn double(x: i32) -> i32 {\n    x * 2\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn doubles() {\n        assert_eq!(super::double("2"), 4);\n    }\n}\n'
        },
        key=["error[E0308]: mismatched types"],
        note="the test target does not compile: a build failure",
    ),
    rust(
        "rust_should_panic",
        "test_failure",
        "cargo test",
        ["cargo test --offline"],
        {
            "src/lib.rs": 'pub fn checked_div(a: i32, b: i32) -> i32 {\n    if b == 0 { return 0; }\n    a / b\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    #[should_panic(expected = "division by zero")]\n    fn rejects_zero() {\n        super::checked_div(1, 0);\n    }\n}\n'
        },
        failures=[("tests::rejects_zero", "note: test did not panic as expected", None)],
        key=["test did not panic as expected"],
    ),
    rust(
        "rust_clippy_lints",
        "lint",
        "cargo clippy",
        ["cargo clippy --offline --all-targets -- -D warnings"],
        {
            "src/main.rs": 'fn size(v: &Vec<u8>) -> usize {\n    return v.len();\n}\n\nfn main() {\n    let v = vec![1u8];\n    if size(&v) == 0 {}\n    let x = 5;\n    let y = x.clone();\n    println!("{}", y);\n}\n'
        },
        key=["error: unneeded `return` statement"],
        version="cargo clippy --version",
    ),
    rust(
        "rust_fmt_check_many",
        "format",
        "cargo fmt",
        ["cargo fmt --all -- --check"],
        {
            "src/main.rs": "mod util;\nfn main(){ util::run( ) ; }\n",
            "src/util.rs": 'pub fn run() {\n    println!("{}",1+1);\n}\n',
        },
        key=["Diff in"],
        version="cargo fmt --version",
    ),
    rust(
        "rust_borrow_error",
        "build",
        "cargo build",
        ["cargo build --offline --locked"],
        {
            "src/main.rs": 'fn main() {\n    let mut v = vec![1, 2, 3];\n    let first = &v[0];\n    v.push(4);\n    println!("{}", first);\n}\n'
        },
        key=["error[E0502]: cannot borrow `v` as mutable because it is also borrowed as immutable"],
        hidden="cargo generate-lockfile --offline",
    ),
    rust(
        "rust_fetch_dns",
        "infra_network",
        "cargo fetch",
        ["cargo fetch"],
        {"Cargo.toml": CARGO_TOML + 'serde = "1"\n', "src/main.rs": "fn main() {}\n"},
        key=["index.crates.io"],
    ),
    rust(
        "rust_doc_warnings",
        "build",
        "cargo doc",
        [Run("cargo doc --offline --no-deps", env={"RUSTDOCFLAGS": "-D warnings"}, timeout=400)],
        {
            "src/lib.rs": "//! Demo crate. See [`Missing`] for details.\n\n/// Adds.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n"
        },
        key=["unresolved link to `Missing`"],
    ),
    rust(
        "rust_test_abort",
        "segfault",
        "cargo test",
        ["cargo test --offline"],
        {
            "src/lib.rs": '#[cfg(test)]\nmod tests {\n    #[test]\n    fn ffi_roundtrip() {\n        eprintln!("native buffer corrupted");\n        std::process::abort();\n    }\n}\n'
        },
        key=["SIGABRT"],
    ),
    rust(
        "rust_stack_overflow",
        "segfault",
        "cargo run",
        ["cargo run --offline --quiet"],
        {
            "src/main.rs": 'fn depth(n: u64) -> u64 {\n    let pad = [n; 64];\n    depth(n + pad[1]) + 1\n}\n\nfn main() {\n    println!("{}", depth(0));\n}\n'
        },
        key=["has overflowed its stack"],
    ),
)
