"""Log reader: cleaning, step model, sources, bounded buffering."""

from __future__ import annotations

import io

import pytest

from bot.diagnose.logreader import LogReader, clean_line, parse_workflow_command

TS = "2024-01-01T00:00:00.1234567Z "
LOG = [
    "Current runner version: '2.316.1'",
    "##[group]Operating System",
    "Ubuntu",
    "##[endgroup]",
    "##[group]Run actions/checkout@v4",
    "with:",
    "##[endgroup]",
    "checked out",
    "##[group]Run make test",
    "make test",
    "##[endgroup]",
    "##[group]Nested tool group",
    "##[group]Run inside nested group is not a step",
    "##[endgroup]",
    "##[endgroup]",
    "boom",
    "##[error]Process completed with exit code 2.",
    "Post job cleanup.",
    "Cleaning up orphan processes",
]


def _read(lines, **kw):
    reader = LogReader(**kw)
    text = "".join(TS + line + "\n" for line in lines)
    out = list(reader.lines(io.BytesIO(text.encode())))
    return reader, out


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param(TS + "hello\r\n", "hello", id="timestamp-crlf"),
        pytest.param("\ufeff" + TS + "bom", "bom", id="bom"),
        pytest.param(TS + "\x1b[31mFAILED\x1b[0m x", "FAILED x", id="ansi"),
        pytest.param(b"bad \xff\xfe utf8", "bad \ufffd\ufffd utf8", id="invalid-utf8"),
        pytest.param("50%\r75%\r100% done", "100% done", id="progress-cr"),
        pytest.param("2024-01-01T00:00:00Z short stamp", "short stamp", id="short-stamp"),
        pytest.param("no stamp at all", "no stamp at all", id="plain"),
    ],
)
def test_clean_line(raw, want):
    assert clean_line(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param(TS + "@acme/core:test: not ok 2 - adds", "not ok 2 - adds", id="turbo"),
        pytest.param(
            "web:build: src/a.ts(1,2): error TS1", "src/a.ts(1,2): error TS1", id="turbo-bare"
        ),
        pytest.param("@acme/web#lint:  ERROR  x", " ERROR  x", id="turbo-hash"),
        pytest.param("packages/core test:   ---", "  ---", id="pnpm-r-indent-kept"),
        pytest.param("packages/core test$ node --test", "node --test", id="pnpm-r-command"),
        pytest.param("@acme/core: Expected values", "Expected values", id="nx-lerna-stream"),
        pytest.param("web-1  | FAILED x", "FAILED x", id="compose-v2"),
        pytest.param("db_1    | FATAL: role", "FATAL: role", id="compose-v1"),
    ],
)
def test_clean_line_strips_a_monorepo_wrappers_prefix(raw, want):
    assert clean_line(raw) == want


@pytest.mark.parametrize(
    "line",
    [
        "error: x",
        "Error: boom",
        "ERROR:root:Failed: x",
        "src/a.py:12: error: y",
        "Test Suites: 1 failed",
        "core: not a scoped package name",
        "java.lang.AssertionError: x",
        "    2 | #include <x.h>",
        "File      | % Stmts | % Branch",
        "./build.sh: line 3: foo: command not found",
        "main.cpp:(.text+0x29): undefined reference to `f'",
    ],
)
def test_clean_line_keeps_a_tools_own_words(line):
    """The wrapper shapes never eat a tool's own ``word: `` or a code frame."""
    assert clean_line(line) == line


def test_prefixed_lines_reach_anchored_patterns():
    """The prefilter accepts the wrapper prefix where it accepts the timestamp."""
    _, out = _read(["@acme/core:test: FAIL src/x.test.ts", "noise"], watch=[("^FAIL ", False)])
    assert [line.text for line in out] == ["FAIL src/x.test.ts"]


def test_clean_line_truncates_long_lines():
    assert clean_line("x" * 10_000, max_line=100) == "x" * 100 + "…"


def test_step_model_numbers_and_step_lines():
    reader, lines = _read(LOG)
    titles = [(s.number, s.title, s.kind) for s in reader.steps]
    assert titles == [
        (1, "Set up job", "setup"),
        (2, "Run actions/checkout@v4", "run"),
        (3, "Run make test", "run"),
        (4, "Post job cleanup", "post"),
        (5, "Complete job", "complete"),
    ]
    boom = next(line for line in lines if line.text == "boom")
    assert (boom.number, boom.step, boom.step_line) == (16, 3, 8)
    failed = reader.steps[2]
    assert failed.exit_code == 2 and failed.failed
    assert [t.text for t in failed.tail][-1] == "boom"
    assert not reader.steps[1].failed
    assert reader.total_lines == len(LOG)


@pytest.mark.parametrize("chunk_size", [7, 64, 1 << 20], ids=["tiny", "small", "default"])
def test_prefiltered_scan_matches_full_scan(chunk_size):
    lines = [*LOG[:16], *[f"noise {i}" for i in range(300)], "FAILED t.py::x", *LOG[16:]]
    full, all_lines = _read(lines, chunk_size=chunk_size)
    fast, some = _read(lines, watch=[(r"^FAILED ", False)], chunk_size=chunk_size)
    assert len(all_lines) == len(lines)
    want = {
        (x.number, x.text, x.step, x.step_line) for x in all_lines if x.text.startswith("FAILED")
    }
    got = {(x.number, x.text, x.step, x.step_line) for x in some if x.text.startswith("FAILED")}
    assert got == want and got
    assert fast.total_lines == full.total_lines == len(lines)
    assert [s.start_line for s in fast.steps] == [s.start_line for s in full.steps]
    assert len(some) < 40  # noise was never yielded


def test_follow_window_yields_following_lines():
    lines = ["x"] * 5 + [
        "The following tests FAILED:",
        "\t  1 - a (Failed)",
        "\t  2 - b (Failed)",
        "y",
    ]
    _, out = _read(
        lines, watch=[], follow=[(r"^The following tests FAILED:", False)], follow_lines=2
    )
    assert [line.text for line in out] == lines[5:8]


@pytest.mark.parametrize(
    "make_source",
    [
        pytest.param(lambda p, t: p, id="path"),
        pytest.param(lambda p, t: str(p), id="str-path"),
        pytest.param(lambda p, t: open(p, "rb"), id="binary-file"),  # noqa: SIM115
        pytest.param(lambda p, t: io.StringIO(t), id="text-file"),
        pytest.param(lambda p, t: t.splitlines(), id="iterable-str"),
        pytest.param(lambda p, t: [x.encode() for x in t.splitlines(True)], id="iterable-bytes"),
        pytest.param(lambda p, t: t.encode(), id="bytes"),
    ],
)
def test_sources(tmp_path, make_source):
    text = "".join(TS + line + "\n" for line in LOG)
    path = tmp_path / "job.log"
    path.write_text(text)
    reader = LogReader()
    out = list(reader.lines(make_source(path, text)))
    assert [line.text for line in out] == LOG


def test_huge_line_without_newline_is_bounded():
    reader = LogReader(watch=[(r"^after", False)], max_line=100, chunk_size=1 << 16)
    blob = b"a" * (3 << 20) + b"\nafter\n"
    out = list(reader.lines(io.BytesIO(blob)))
    assert [line.text for line in out] == ["after"]
    assert reader.total_lines == 2


def test_last_line_without_newline():
    _, out = _read([])
    reader = LogReader()
    out = list(reader.lines(io.BytesIO(b"a\nb")))
    assert [line.text for line in out] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "::error file=src/a.py,line=12,col=3,title=Bad::Missing colon",
            ("error", "src/a.py", 12, "Missing colon", "src/a.py:12"),
            id="file-line",
        ),
        pytest.param("::warning::just text", ("warning", None, None, "just text", None), id="bare"),
        pytest.param(
            "::error file=x.ts::line%0Atwo",
            ("error", "x.ts", None, "line\ntwo", "x.ts"),
            id="escaped",
        ),
    ],
)
def test_workflow_commands(text, want):
    ann = parse_workflow_command(text)
    assert (ann.level, ann.file, ann.line, ann.message, ann.location) == want


def test_annotations_collected_from_log():
    reader, _ = _read(
        ["::error file=a.c,line=3::bad", "##[error]Process completed with exit code 1."]
    )
    assert [a.location for a in reader.annotations] == ["a.c:3"]


def test_not_a_workflow_command():
    assert parse_workflow_command("error: nope") is None


def _plain(text, **kw):
    reader = LogReader(**kw)
    return [line.text for line in reader.lines(io.BytesIO(text.encode()))]


QUOTED = "> Run npm ci\n> npm ERR! code ERESOLVE\n>\n> npm ERR! ERESOLVE could not resolve\n"
INDENTED = "  mypy run-test: commands[0] | mypy pkg\n  pkg/a.py:3: error: Bad\n\n  Found 1 error\n"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            QUOTED,
            ["Run npm ci", "npm ERR! code ERESOLVE", "", "npm ERR! ERESOLVE could not resolve"],
        ),
        (
            INDENTED,
            [
                "mypy run-test: commands[0] | mypy pkg",
                "pkg/a.py:3: error: Bad",
                "",
                "Found 1 error",
            ],
        ),
    ],
    ids=["markdown-quote", "common-indent"],
)
def test_a_pasted_excerpts_margin_is_dropped(text, want):
    assert _plain(text) == want
    watched = _plain(text, watch=[(r"^(?:npm ERR! code|\S+\.py:\d+: error: )", False)])
    assert any(t.startswith(("npm ERR! code", "pkg/a.py:3")) for t in watched)


@pytest.mark.parametrize(
    "text",
    [
        "> Task :test\nFooTest > bar FAILED\n> There were failing tests\n",  # not every line
        "  a\n b\n  c\n",  # a one-space indent is not a margin
        "x\n",  # too short to judge
        TS + "  indented\n" + TS + "  indented\n" + TS + "  indented\n",  # a runner's log
    ],
    ids=["mixed-quote", "one-space", "short", "timestamped"],
)
def test_no_margin_is_dropped_unless_every_line_has_it(text):
    assert _plain(text) == [clean_line(raw) for raw in text.splitlines()]
