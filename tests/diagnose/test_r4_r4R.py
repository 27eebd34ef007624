# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Round 4, helper r4R (line reading): line prefixes of CI systems that people paste and that
are not the tool's output, read through so ``^``-anchored rules, the extractors and the
scorer see the tool's own line.

* Jenkins' Timestamper plugin on a Pipeline job: ``[2022-04-01T10:25:15.666Z] `` (an ISO
  time in brackets, one space; the plugin's README shows the freestyle ``21:51:15 `` form,
  already read).
* nektos/act running a workflow locally: ``[CI/build]   | `` before each line a step
  printed; act's own status lines (``[CI/build] ⭐ Run Main …``) have no bar and stay.

* GitLab's runner with job log timestamps (``FF_TIMESTAMPS``): the ISO stamp, then the
  stream, ``00O `` / ``01E `` (``00O+`` continues the line before) — GitLab's own spec reads
  ``2024-05-14T11:19:19.899359Z 00O \\e[1mHello World``; its collapsible-section marker
  (``section_end:1560896353:step_script`` and a CR) before the text that follows.
* Buildkite's agent: ``ESC _bk;t=<ms> BEL`` before every line of a raw log (the ESC and
  BEL lost in a paste: ``_bk;t=1612345678901npm ERR! …``).
* Bazel's ``--show_timestamps``: ``(15:04:12) ERROR: /src/BUILD.bazel:9:18: …``.
* Colour codes whose ESC a paste lost: ``[0K[31;1mERROR: Job failed …[0;m``.

* A Jenkins console's clock column with a gap wider than one space, the same on every line
  of the paste (``21:51:15  Started by user …``, the README's example): the gap is the
  paste's margin, the tool's own indent stays.

Near misses: a tool's own bracketed clock or tag (``[gw0] …``, ``[ERROR] /a/b.java:[1,2]``,
``[2022-04-01 10:25:15] `` without the ISO ``T``/``Z``) keeps its text.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.logline import clean_line
from bot.diagnose.logreader import LogReader, prefilter_pattern
from bot.diagnose.pastemargin import clock_margin
from bot.diagnose.safe_regex import compile_pattern

_MAVEN_FAILURE = [
    "[INFO] BUILD FAILURE",
    "[INFO] ------------------------------------------------------------------------",
    "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile (default-compile) on project kie-api: Compilation failure",
    "[ERROR] /home/runner/workspace/kie-api/src/main/java/org/kie/api/KieBase.java:[42,8] cannot find symbol",
]

_NPM_NETWORK = [
    "npm ERR! code ECONNRESET",
    "npm ERR! errno ECONNRESET",
    "npm ERR! network request to https://registry.npmjs.org/left-pad failed, reason: socket hang up",
    "npm ERR! network This is a problem related to network connectivity.",
]


def _stamped(lines: list[str], stamp: str) -> bytes:
    return "".join(f"{stamp}{line}\n" for line in lines).encode()


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("[2022-04-01T10:25:15.666Z] [ERROR] BUILD FAILURE", "[ERROR] BUILD FAILURE"),
        (
            "[2020-10-29T06:18:42.358Z] Status: Downloaded newer image for node:12-alpine",
            "Status: Downloaded newer image for node:12-alpine",
        ),
        (
            "[2022-02-16T17:02:07Z] Caused by: java.lang.IllegalStateException: x",
            "Caused by: java.lang.IllegalStateException: x",
        ),
        ("[CI/build]   | npm ERR! code ECONNRESET", "npm ERR! code ECONNRESET"),
        (
            "[Node.js CI/build (14.x)]   | error TS2322: Type 'string' is not assignable to type 'number'.",
            "error TS2322: Type 'string' is not assignable to type 'number'.",
        ),
        ("2024-05-14T11:19:19.899359Z 00O Hello World", "Hello World"),
        ("2026-08-10T18:52:30.272008Z 00O+WARNING: timeout", "WARNING: timeout"),
        ("2026-09-16T10:22:56.514628Z 01E npm ERR! code E404", "npm ERR! code E404"),
        (
            '2026-09-29T01:06:31.200000Z 00O section_start:1759107991:step_script\rExecuting "step_script" stage of the job script',
            'Executing "step_script" stage of the job script',
        ),
        (
            "section_end:1693830316:cleanup_file_variables\rERROR: Job failed: exit code 1",
            "ERROR: Job failed: exit code 1",
        ),
        (
            "section_start:1560896352:my_first_section[collapsed=true]\rHeader of the 1st collapsible section",
            "Header of the 1st collapsible section",
        ),
        ("_bk;t=1612345678901npm ERR! code ECONNRESET", "npm ERR! code ECONNRESET"),
        ("\x1b_bk;t=1612345678901\x07--- :npm: Install", "--- :npm: Install"),
        ("[0K[31;1mERROR: Job failed: exit code 1[0;m", "ERROR: Job failed: exit code 1"),
        (
            "(15:04:12) ERROR: /home/runner/app/src/BUILD.bazel:9:18: Compiling Angular templates (Ivy - prodmode) //src/app:app failed: (Exit 1)",
            "ERROR: /home/runner/app/src/BUILD.bazel:9:18: Compiling Angular templates (Ivy - prodmode) //src/app:app failed: (Exit 1)",
        ),
        ("(15:04:06) INFO: Found 1 target...", "INFO: Found 1 target..."),
        ("[32;1m$ npm test[0;m", "$ npm test"),
        # a count after the Actions stamp is the tool's text, not GitLab's stream
        ("2024-05-01T12:00:00.1234567Z 2024 tests passed", "2024 tests passed"),
        ("2024-05-01T12:00:00.1234567Z 10 Errors", "10 Errors"),
    ],
)
def test_ci_prefix_is_read_through(raw: str, text: str) -> None:
    assert clean_line(raw) == text


@pytest.mark.parametrize(
    "raw",
    [
        "[CI/build] ⭐ Run Main npm run build",  # act's own status line: no bar
        "[CI/build]   ❌  Failure - Main npm run build",
        "[gw0] node down: Not properly terminated",  # a tool's own tag
        "[ERROR] /a/B.java:[1,2] cannot find symbol | x",
        "[2022-04-01 10:25:15] ERROR something",  # a tool's clock, not the ISO stamp
        "[2022-04-01T10:25:15.666Z]ERROR glued",  # no space: not the plugin's layout
        "| [a/b] | c |",  # a markdown table row
        "[16K/20K] downloaded",  # a size in brackets, not a colour code
        "[1] 12345 segmentation fault  ./a.out",  # the shell's job number
        "(15:04:12.345) x",  # a clock with a fraction in parentheses: a tool's own
        "(1 of 3) tests",
        "section_start: the doc's own words",
    ],
)
def test_near_misses_keep_their_text(raw: str) -> None:
    assert clean_line(raw) == raw


def test_anchored_prefilter_sees_the_stamped_line() -> None:
    pattern = compile_pattern(prefilter_pattern([(r"^npm ERR! code E[A-Z]+", False)]))
    for stamp in (
        "[2022-04-01T10:25:15.666Z] ",
        "[CI/build]   | ",
        "2024-05-14T11:19:19.899359Z 01E ",
        "2024-05-14T11:19:19.899359Z 00O+section_end:1715685561:step_script\r",
        "\x1b_bk;t=1612345678901\x07",
        "[0K[31;1m",
    ):
        assert pattern.search(f"{stamp}npm ERR! code ECONNRESET\n".encode())
    assert not pattern.search(b"[2022-04-01 10:25:15] npm ERR! code ECONNRESET\n")


def test_reader_yields_the_tool_line() -> None:
    reader = LogReader([(r"^\[ERROR\] Failed to execute goal", False)])
    src = io.BytesIO(_stamped(_MAVEN_FAILURE, "[2022-02-16T17:02:07.442Z] "))
    texts = [line.text for line in reader.lines(src)]
    assert any(t.startswith("[ERROR] Failed to execute goal") for t in texts)


@pytest.mark.parametrize(
    "stamp",
    [
        "[2022-04-01T10:25:15.666Z] ",
        "[CI/build]   | ",
        "2024-05-14T11:19:19.899359Z 00O ",
        "_bk;t=1612345678901",
        "[0K[31;1m",
    ],
)
@pytest.mark.parametrize("lines", [_MAVEN_FAILURE, _NPM_NETWORK])
def test_stamped_paste_diagnosed_as_the_plain_one(stamp: str, lines: list[str]) -> None:
    plain = diagnose(io.BytesIO(_stamped(lines, "")))
    stamped = diagnose(io.BytesIO(_stamped(lines, stamp)))
    assert stamped.category == plain.category
    assert [k.text for k in stamped.key_lines] == [k.text for k in plain.key_lines]


def test_gitlab_timeout_read_through_its_markers() -> None:
    """A GitLab job's end as a paste keeps it: the timestamps and section marker of a raw
    log, or the colour codes without their ESC; the runner's timeout line is read."""
    plain = "$ make test\nrunning\nERROR: Job failed: execution took longer than 1h0m0s seconds\n"
    raw = (
        "2024-05-14T11:19:19.899359Z 00O $ make test\n"
        "2024-05-14T11:19:20.899359Z 01E running\n"
        "2024-05-14T11:19:21.899359Z 00O section_end:1715685561:step_script\r\n"
        "2024-05-14T11:19:21.899359Z 00O+ERROR: Job failed: execution took longer than 1h0m0s seconds\n"
    )
    escless = "[32;1m$ make test[0;m\nrunning\n[0K[31;1mERROR: Job failed: execution took longer than 1h0m0s seconds[0;m\n"
    want = diagnose(io.BytesIO(plain.encode()))
    assert want.category == "timeout"
    for text in (raw, escless):
        got = diagnose(io.BytesIO(text.encode()))
        assert got.category == want.category
        assert [k.text for k in got.key_lines] == [k.text for k in want.key_lines]


# ---- a Jenkins console's clock column and the gap after it --------------------------------

# Timestamper's README shows its freestyle console as ``21:51:15  Started by user anonymous``:
# the clock, then the page's gap between the columns; a paste keeps the same gap on every
# line (three spaces in a design log of batch 5), the tool's own indent after it.
_JENKINS_CLOCK = [
    "...",
    "07:26:59   npm WARN skipping integrity check for git dependency ssh://git@github.com/acme/dep.git",
    "07:27:58   npm ERR! code ECONNRESET",
    "07:27:58   npm ERR! errno ECONNRESET",
    "07:27:58   npm ERR! network request to https://registry.npmjs.org/left-pad failed, reason: socket hang up",
    "07:27:58   ",
    "07:27:58     at TLSSocket.socketOnEnd (node:_http_client:524:23)",
    "07:27:59   Finished: FAILURE",
]


def test_clock_gap_is_the_margin() -> None:
    texts = [line.text for line in LogReader(None).lines(io.BytesIO(_stamped(_JENKINS_CLOCK, "")))]
    assert texts[0] == "..."  # the reporter's elision keeps its text
    assert texts[2] == "npm ERR! code ECONNRESET"
    assert texts[6] == "  at TLSSocket.socketOnEnd (node:_http_client:524:23)"  # its own indent
    plain = [line.split("   ", 1)[-1] if line[:2].isdigit() else line for line in _JENKINS_CLOCK]
    want = diagnose(io.BytesIO(_stamped(plain, "")))
    got = diagnose(io.BytesIO(_stamped(_JENKINS_CLOCK, "")))
    assert got.category == want.category
    assert [k.text for k in got.key_lines] == [k.text for k in want.key_lines]


def test_clock_margin_near_misses() -> None:
    # one space: the stamp logline drops, no margin
    assert (
        clock_margin([b"10:27:45 platform linux", b"10:27:45 ", b"10:27:45 [gw0] node down"]) == 0
    )
    # a tool's own clock with a fraction (lager) is its text
    assert (
        clock_margin(
            [b"13:24:47.349  [info] a", b"13:24:48.349  [info] b", b"13:24:49.349  [info] c"]
        )
        == 0
    )
    # most lines without a clock
    assert clock_margin([b"a", b"b", b"c", b"21:51:15  x", b"21:51:15  y", b"21:51:15  z"]) == 0
    assert (
        clock_margin([b"...", b"21:51:15  x", b"21:51:15    y", b"21:51:15  z", b"21:51:15  "]) == 2
    )
    assert (
        clock_margin(
            [
                b"[2022-04-01T10:25:15.666Z]  a",
                b"[2022-04-01T10:25:15.666Z]  b",
                b"[2022-04-01T10:25:16.001Z]  c",
            ]
        )
        == 2
    )
