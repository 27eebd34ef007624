# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 18, helper b18D3 (CI output pasted into GitHub issues): groups copied
from the Actions log viewer (each title at the left edge, its lines indented under it),
gometalinter's normalised ``path:line:[col]:severity: message (linter)`` findings, HashiCorp's
``gofmtcheck.sh`` verdict and a failed make target that names a check (``[fmtcheck]``).

Each snippet is written in the shape the tool prints; the near misses keep a tool's own
indented layout (Gradle's, mocha's, Go's, Python's) and the make targets that name no check.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.logreader import excerpt_margin
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import travis_one_command


def _paste(lines: list[str]) -> io.BytesIO:
    return io.BytesIO("".join(f"{line}\n" for line in lines).encode())


def _margin(lines: list[str]) -> str | None:
    m = excerpt_margin("".join(f"{line}\n" for line in lines).encode())
    return None if m is None else m.pattern.decode()


# ---- groups copied from the Actions log viewer ------------------------------------------

_GOLANGCI_ACTION = [
    "run golangci-lint",
    "  Running [/home/runner/golangci-lint-1.44.2-linux-amd64/golangci-lint run --out-format=github-actions --timeout=5m] in [] ...",
    "  Error: ineffectual assignment to err (ineffassign)",
    "  ",
    "  Error: issues found",
    "  Ran golangci-lint in 24648ms",
]

_REVIEWDOG = [
    "Running golangci-lint ...",
    "  /home/runner/work/_temp/reviewdog-Ab12Cd/golangci-lint-2.1.6-linux-amd64/golangci-lint run --output.text.path stdout --config=.golangci.yml",
    "  internal/store/store.go:1:1: package-comments: should have a package comment (revive)",
    "  package store",
    "  ^",
    "  internal/store/store.go:22:5: exported: exported var Schema should have comment or be unexported (revive)",
    "  var Schema = schema.Schema{",
    "      ^",
    "...",
    "  12 issues:",
    "  * revive: 12",
    "Running reviewdog 🐶 ...",
    "  /home/runner/work/_temp/reviewdog-Xy34Zw/reviewdog -f=golangci-lint -name=golangci -reporter=github-pr-check -fail-on-error=false -level=error",
]


def test_golangci_lint_action_group_copied_from_the_viewer_is_lint() -> None:
    result = diagnose(_paste(_GOLANGCI_ACTION))
    assert result.category == "lint"
    assert result.key_lines[0].text == "Error: ineffectual assignment to err (ineffassign)"


def test_reviewdog_groups_copied_from_the_viewer_are_lint() -> None:
    result = diagnose(_paste(_REVIEWDOG))
    assert result.category == "lint"
    texts = [k.text for k in result.key_lines]
    assert texts[0].startswith("internal/store/store.go:1:1: package-comments:")
    assert any(t.startswith("internal/store/store.go:22:5: exported:") for t in texts)


@pytest.mark.parametrize(
    "lines",
    [
        ["Run npm ci", "  npm ERR! code ERESOLVE", "  npm ERR! ERESOLVE could not resolve"],
        [
            "Run actions/checkout@v4",
            "  with:",
            "    repository: octo/proj",
            "  Syncing repository: octo/proj",
        ],
        [
            "Installing dependencies ...",
            "  Collecting x",
            "  ERROR: No matching distribution found for x",
        ],
    ],
    ids=["run-step", "uses-step", "progress-title"],
)
def test_a_group_titles_indent_is_dropped(lines: list[str]) -> None:
    assert _margin(lines) == "(?m)^ {1,2}"


@pytest.mark.parametrize(
    "lines",
    [
        # Gradle: the failed test at the edge, its exception and frames indented
        [
            "org.example.FooTest > bar FAILED",
            "    java.lang.AssertionError",
            "        at org.junit.Assert.fail(Assert.java:86)",
            "        at org.example.FooTest.bar(FooTest.groovy:100)",
        ],
        # mocha: the numbered failure, its error indented
        [
            '1) "before all" hook',
            "  0 passing (10s)",
            "  1 failing",
            '  1)  Suite "before all" hook:',
            "     Error: Timeout of 10000ms exceeded.",
        ],
        # go test: a failed test and its t.Error lines
        [
            "--- FAIL: TestParse (0.00s)",
            "    parse_test.go:12: got 1, want 2",
            "    parse_test.go:13: got 3, want 4",
        ],
        # a Python traceback
        [
            "Traceback (most recent call last):",
            '  File "x.py", line 3, in <module>',
            "    main()",
            '  File "x.py", line 2, in main',
        ],
        # a title whose next line is at the edge too: not a group's contents
        ["Run make", "make: *** [all] Error 1", "  cc -o x x.c", "  x.c:1: error"],
        # titles are few: most lines at the edge
        ["Run a", "  one", "Run b", "  two", "Run c", "  three"],
        # the first line is indented output, not a title
        ["  one", "Run b", "  two", "  three"],
    ],
    ids=[
        "gradle",
        "mocha",
        "go-test",
        "traceback",
        "title-then-edge",
        "many-titles",
        "no-title-first",
    ],
)
def test_a_tools_own_indented_layout_is_kept(lines: list[str]) -> None:
    assert _margin(lines) is None


# ---- gometalinter ---------------------------------------------------------------------

_GOMETALINTER = [
    "bash .ci/go-lint.sh",
    "hack/virtc/main.go:168::error: example.com/pkg.Param composite literal uses unkeyed fields (vet)",
    "pkg/oci/utils_test.go:639::error: example.com/pkg.Param composite literal uses unkeyed fields (vet)",
    "stutter.go:12:6:warning: exported type MyStruct should have comment or be unexported (golint)",
]


def test_gometalinter_findings_are_lint() -> None:
    result = diagnose(_paste(_GOMETALINTER))
    assert result.category == "lint"
    assert result.key_lines[0].text.startswith("hack/virtc/main.go:168::error: ")


@pytest.mark.parametrize(
    "line",
    [
        "stutter.go:9::warning: unused global variable unusedGlobal (varcheck)",
        "main.go:17:15:error: error return value not checked (defer a.Close()) (errcheck)",
        "pkg/a.go:3::error: could not import x (gotype)",
    ],
)
def test_gometalinter_line_shapes(line: str) -> None:
    assert "tool-agnostic-lint" in [r.id for r in load_rules().match(line)]


@pytest.mark.parametrize(
    "line",
    [
        "main.go:12:3: undefined: foo",  # a compile error: no severity field, no linter
        "main.go:12::error: something broke",  # no (linter) at the end
        "main.c:12:3:error: expected ';' (vet)",  # not a Go file
    ],
)
def test_gometalinter_near_misses(line: str) -> None:
    assert "tool-agnostic-lint" not in [r.id for r in load_rules().match(line)]


# ---- gofmtcheck.sh and make targets -----------------------------------------------------

_GOFMTCHECK = [
    "==> Checking that code complies with gofmt requirements...",
    "gofmt needs running on the following files:",
    "./aws/resource_aws_instance.go",
    "You can use the command: `make fmt` to reformat code.",
    "make: *** [fmtcheck] Error 1",
]


def test_hashicorp_gofmtcheck_is_format() -> None:
    result = diagnose(travis_one_command("make test", _GOFMTCHECK, 2))
    assert result.category == "format"
    assert result.rule == "format-check"
    assert result.key_lines[0].text == "gofmt needs running on the following files:"


@pytest.mark.parametrize(
    ("make_line", "category"),
    [
        ("make: *** [fmtcheck] Error 1", "format"),
        ("make[1]: *** [Makefile:12: lint] Error 2", "lint"),
        ("make: *** [check-format] Error 1", "format"),
        ("make: *** [typecheck] Error 2", "type_check"),
    ],
)
def test_a_failed_make_target_that_names_a_check(make_line: str, category: str) -> None:
    lines = ["./scripts/check.sh", "some/file.go", make_line]
    result = diagnose(travis_one_command("make ci", lines, 2))
    assert result.rule == "make-recipe-failed"
    assert result.category == category


@pytest.mark.parametrize(
    "make_line",
    [
        "make: *** [all] Error 1",
        "make: *** [test] Error 2",  # a failed test target stays the build rule's verdict
        "make[2]: *** [src/lint.o] Error 1",  # an object file named lint, not a check
        "*** Error code 1",  # BSD make names no target
    ],
)
def test_a_make_target_that_names_no_check_stays_build(make_line: str) -> None:
    result = diagnose(travis_one_command("make", ["cc -c x.c", make_line], 2))
    assert result.category != "format"
    assert result.category != "lint"
