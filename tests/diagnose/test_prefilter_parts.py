"""The reader's prefilter in parts (``prefilter.prefilter_parts``, ``first_start_finder``).

One RE2 expression over every watched pattern made the DFA's cache overflow (see
``bench/prefilter.py``); the parts must find the same candidate lines as one expression."""

from __future__ import annotations

from bot.diagnose.logreader import LogReader
from bot.diagnose.prefilter import (
    PART_SIZE,
    first_start_finder,
    prefilter_parts,
    prefilter_pattern,
)
from bot.diagnose.safe_regex import compile_pattern

PATTERNS = [
    (r"^npm ERR! code E[A-Z]+", False),
    (r"error\[E\d{4}\]", False),
    (r"^FAILED \S+::\S+", False),
    (r"(?i)no space left on device", False),
    (r"--- FAIL: \w+", False),
    (r"^Traceback \(most recent call last\):", False),
    (r"panicked at", True),
]

TEXT = b"\n".join(
    [
        b"2024-01-01T00:00:00.0000000Z Compiling foo v1.0",
        b"2024-01-01T00:00:00.0000000Z npm ERR! code ERESOLVE",
        b"ok 1 - fine",
        b"error[E0425]: cannot find value `x` in this scope",
        b"FAILED tests/test_a.py::test_one - assert 1 == 2",
        b"write /tmp/x: No Space Left On Device",
        b"    --- FAIL: TestThing (0.00s)",
        b"thread 'main' PANICKED AT src/main.rs:2:5:",
        b"Traceback (most recent call last):",
        b"the end",
    ]
)


def line_starts(find, data: bytes) -> list[int]:
    """The reader's walk: the line of each hit, then search on from the next line."""
    starts, pos = [], 0
    while pos < len(data):
        hit = find(data, pos, len(data))
        if hit < 0:
            break
        starts.append(data.rfind(b"\n", 0, hit) + 1)
        nl = data.find(b"\n", hit)
        if nl < 0:
            break
        pos = nl + 1
    return starts


def split_finder(size: int):
    return first_start_finder([compile_pattern(p) for p in prefilter_parts(PATTERNS, size)])


def test_parts_keep_order_and_size() -> None:
    parts = prefilter_parts(PATTERNS, 3)
    assert len(parts) == 3
    assert parts[0] == prefilter_pattern(PATTERNS[:3])
    assert parts[2] == prefilter_pattern(PATTERNS[6:])
    halves = prefilter_parts(PATTERNS, 5)  # as few parts as fit, of equal size: 4 + 3, not 5 + 2
    assert halves == (prefilter_pattern(PATTERNS[:4]), prefilter_pattern(PATTERNS[4:]))
    assert prefilter_parts(PATTERNS, 100) == (prefilter_pattern(PATTERNS),)


def test_parts_find_the_lines_one_expression_finds() -> None:
    whole = first_start_finder([compile_pattern(prefilter_pattern(PATTERNS))])
    expected = line_starts(whole, TEXT)
    assert len(expected) == 7  # every line but the compile, the `ok` and the last one
    for size in (1, 2, 3, 5):
        assert line_starts(split_finder(size), TEXT) == expected, size


def test_a_new_block_or_an_earlier_position_asks_every_part_again() -> None:
    find = split_finder(2)
    end = len(TEXT)
    last = TEXT.index(b"Traceback")
    assert find(TEXT, last, end) == last
    npm_line = TEXT.index(b"\n") + 1  # (the match takes in the timestamp before ``npm``)
    assert find(TEXT, 0, end) == npm_line  # backwards: not the cached hit
    other = b"nothing here\nerror[E0308]: mismatched types\n"
    assert find(other, 0, len(other)) == other.index(b"error[")  # another block
    assert find(other, other.index(b"error[") + 1, len(other)) == -1
    assert find(TEXT, 0, TEXT.index(b"\n")) == -1  # the end bounds the search too


def test_no_part_matches() -> None:
    data = b"all quiet\nnothing to see\n"
    assert split_finder(2)(data, 0, len(data)) == -1
    assert first_start_finder([])(data, 0, len(data)) == -1


def test_reader_finds_lines_of_patterns_in_later_parts() -> None:
    """With more patterns than one part holds, a line only the last pattern matches is
    still a candidate: the reader reads every part."""
    watch = [(rf"^filler pattern number {i}\b", False) for i in range(PART_SIZE + 100)]
    watch.append((r"^the very last pattern: \d+", False))
    assert len(prefilter_parts(watch)) >= 2
    reader = LogReader(watch=watch)
    log = b"noise\nthe very last pattern: 42\nmore noise\nfiller pattern number 7 here\n"
    texts = [line.text for line in reader.lines(log)]
    assert "the very last pattern: 42" in texts
    assert "filler pattern number 7 here" in texts
    assert "noise" not in texts and "more noise" not in texts
