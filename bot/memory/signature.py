"""Failure signatures: a stable hash of what a failure *says*, not of where it happened.

Two runs that fail the same way must hash the same even though their logs differ in timestamps,
durations, memory addresses, temporary directories, ports and random seeds; a different assertion
in the same test must hash differently. So the message is normalised first (volatile tokens
replaced by placeholders), then hashed together with the test id.

Inputs are capped *before* any regex runs: a 100 MB "message" costs the same as a 4 KiB one.
"""

from __future__ import annotations

import hashlib
import re

#: Characters of a message (and of a test id) that take part in the signature; the rest is cut
#: before normalising, so a gigantic message cannot make hashing slow.
MESSAGE_CAP = 4096
TEST_ID_CAP = 1024
#: Hex digits kept of the sha256: 64 bits, ample for one repository's failures.
SIGNATURE_HEX = 16

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Order matters: the most specific shapes first, so a timestamp is not eaten as numbers.
_SUBSTITUTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b"
        ),
        "<ts>",
    ),
    (re.compile(r"\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b"), "<ts>"),
    (
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
        "<uuid>",
    ),
    (re.compile(r"\b0x[0-9a-fA-F]+\b"), "<addr>"),
    # Workspace and temporary paths: GitHub-hosted runners on each OS, pytest's tmp_path,
    # macOS's per-user temp dirs, Windows' temp dir.
    (re.compile(r"/home/runner/work/[^/\s]+/[^/\s]+/"), ""),
    (re.compile(r"(?i)[A-Z]:\\a\\[^\\\s]+\\[^\\\s]+\\"), ""),
    (re.compile(r"/Users/runner/work/[^/\s]+/[^/\s]+/"), ""),
    (re.compile(r"/(?:private/)?var/folders/[^\s'\"]+"), "<tmp>"),
    (re.compile(r"/tmp/[^\s'\":]+"), "<tmp>"),
    (re.compile(r"(?i)[A-Z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp\\[^\s'\"]+"), "<tmp>"),
    # Random seeds, ports, hex object ids (git shas, docker ids) that contain a digit.
    (re.compile(r"(?i)\b(seed|randomly-seed|random seed)(\s*[=:]?\s*)\d+"), r"\1\2<seed>"),
    (re.compile(r"(?i)\b(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|::1):\d{1,5}\b"), r"\1:<port>"),
    (re.compile(r"(?i)\bport\s+\d{2,5}\b"), "port <port>"),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b"), "<hex>"),
    (
        re.compile(
            r"\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b"
        ),
        "<dur>",
    ),
    (re.compile(r"\d+(?:\.\d+)?"), "<n>"),
)
_SPACE = re.compile(r"\s+")
# A test id's parameter part (pytest `[...]`, jest/go subtest suffixes are kept verbatim): only
# that part is normalised, since digits in a test's own name tell tests apart (test_http2).
_PARAMS = re.compile(r"\[(.*)\]$")


def _decode(value: str | bytes | None, cap: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value[: cap * 4].decode("utf-8", "replace")[:cap]
    return value[:cap]


def normalise_message(message: str | bytes | None) -> str:
    """The message with volatile tokens replaced: equal for two runs of the same failure."""
    text = _ANSI.sub("", _decode(message, MESSAGE_CAP))
    for pattern, replacement in _SUBSTITUTIONS:
        text = pattern.sub(replacement, text)
    return _SPACE.sub(" ", text).strip()


def normalise_test_id(test: str | bytes | None) -> str:
    """The test id with random values in its parameters replaced (``test_x[0.1234-ab12cd]``)."""
    text = _SPACE.sub(" ", _decode(test, TEST_ID_CAP)).strip()
    match = _PARAMS.search(text)
    if not match:
        return text
    return text[: match.start()] + "[" + normalise_message(match.group(1)) + "]"


def failure_signature(test: str | bytes | None, message: str | bytes | None) -> str:
    """The signature of one failing test: its id and its normalised first error line(s)."""
    return _digest("test", normalise_test_id(test), normalise_message(message))


def job_signature(job: str, category: str, summary: str | bytes | None) -> str:
    """The signature of a failed job with no failing test: job name, category, cause line."""
    return _digest("job", _SPACE.sub(" ", job).strip(), category, normalise_message(summary))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:SIGNATURE_HEX]
