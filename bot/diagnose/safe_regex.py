"""Linear-time-safe regular expressions for log rules.

Rules come from YAML, shipped and per repository, so a rule is untrusted input: a
catastrophic-backtracking pattern such as ``(a+)+$`` must not be able to hang the engine.
Two layers make that structurally impossible rather than merely unlikely:

1. ``check_pattern`` parses every pattern with Python's own regex parser and rejects
   the constructs that cause super-linear backtracking or that RE2 cannot run:
   backreferences, lookaround, atomic groups/possessive quantifiers, conditionals,
   quantifiers nested inside quantified groups (star height > 1), quantified
   alternations, and more than ``MAX_UNBOUNDED`` unbounded quantifiers.
2. ``compile_pattern`` compiles with RE2 (``google-re2``, a DFA/NFA engine with a
   linear-time guarantee) when it is importable, and falls back to ``re`` otherwise.
   Lines are truncated to ``MAX_LINE`` characters before any rule sees them, so even the
   fallback's worst case on a validated pattern is a small polynomial over a bounded line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

try:  # pragma: no cover - depends on the environment
    if os.environ.get("PITCREW_NO_RE2"):  # force the fallback (tests, benchmarks)
        raise ImportError("disabled by PITCREW_NO_RE2")
    import re2 as _re2  # type: ignore[import-untyped,unused-ignore]  # google-re2 ships no stubs

    _RE2_OPTIONS = _re2.Options()
    _RE2_OPTIONS.max_mem = 256 << 20  # a large DFA cache keeps the combined prefilter fast
    _RE2_OPTIONS.log_errors = False
    HAVE_RE2 = True
except ImportError:  # pragma: no cover
    _re2 = None
    _RE2_OPTIONS = None
    HAVE_RE2 = False

try:
    from re import _constants as _c  # type: ignore[attr-defined,unused-ignore]  # private; 3.11+ name
    from re import _parser as _p  # type: ignore[attr-defined,unused-ignore]  # private; 3.11+ name
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef,unused-ignore]  # pre-3.11 name
    import sre_parse as _p  # type: ignore[no-redef,unused-ignore]  # pre-3.11 name

MAX_LINE = 4096
# Without RE2, rules see at most this much of a line and repo rules may use only one broad
# unbounded repeat: a backtracking engine's worst case is then O(n^2) over n <= 1024.
FALLBACK_MAX_LINE = 1024
FALLBACK_MAX_UNBOUNDED = 1
MAX_UNBOUNDED = 3  # broad unbounded repeats (., \S, [^x], \w) per pattern
MAX_PATTERN_LEN = 500
ENGINE = "re2" if HAVE_RE2 else "re"

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_FORBIDDEN = {
    _c.GROUPREF: "backreference",
    _c.GROUPREF_EXISTS: "conditional group",
    _c.ASSERT: "lookahead/lookbehind",
    _c.ASSERT_NOT: "negative lookahead/lookbehind",
}
if _POSSESSIVE is not None:
    _FORBIDDEN[_POSSESSIVE] = "possessive quantifier"
if _ATOMIC is not None:
    _FORBIDDEN[_ATOMIC] = "atomic group"


class UnsafePattern(ValueError):
    """A rule pattern that could backtrack catastrophically or that RE2 cannot run."""


def _walk(items: Any, in_repeat: bool, counter: list[int]) -> None:
    for op, av in items:
        if op in _FORBIDDEN:
            raise UnsafePattern(f"{_FORBIDDEN[op]} is not allowed")
        if op in _REPEATS:
            _lo, hi, body = av
            unbounded = hi == _c.MAXREPEAT or hi > 1000
            if unbounded and _is_broad(body):
                counter[0] += 1
            if in_repeat and (unbounded or hi > 1):
                raise UnsafePattern("nested quantifier (e.g. (a+)+) is not allowed")
            if _has_branch(body):
                raise UnsafePattern(
                    "quantified alternation (e.g. (a|aa)*) is not allowed; use a class"
                )
            _walk(body, in_repeat or hi > 1, counter)
        elif op == _c.SUBPATTERN:
            _walk(av[-1], in_repeat, counter)
        elif op == _c.BRANCH:
            for branch in av[1]:
                _walk(branch, in_repeat, counter)


_NARROW_CATEGORIES = {_c.CATEGORY_DIGIT, _c.CATEGORY_SPACE}


def _is_broad(items: Any) -> bool:
    """Whether a repeated body can match "almost anything" (., \\S, [^x], \\w).

    Adjacent unbounded repeats of narrow sets (digits, spaces, literals) separated by
    literals cannot trade characters with each other, so they do not multiply the
    backtracking; only broad ones are counted against MAX_UNBOUNDED.
    """
    if len(items) != 1:
        return True
    op, av = items[0]
    if op == _c.LITERAL:
        return False
    if op == _c.IN:
        if any(o == _c.NEGATE for o, _ in av):
            return True
        return not all(
            o in (_c.LITERAL, _c.RANGE) or (o == _c.CATEGORY and a in _NARROW_CATEGORIES)
            for o, a in av
        )
    return True


def _has_branch(items: Any) -> bool:
    for op, av in items:
        if op == _c.BRANCH:
            return True
        if op == _c.SUBPATTERN and _has_branch(av[-1]):
            return True
    return False


def check_pattern(pattern: str, *, strict: bool = False) -> None:
    """Raise ``UnsafePattern`` (with a reason) unless ``pattern`` is linear-time safe.

    ``strict`` (used for repository rules when RE2 is missing) allows only one broad
    unbounded repeat."""
    if not isinstance(pattern, str) or not pattern:
        raise UnsafePattern("pattern must be a non-empty string")
    if len(pattern) > MAX_PATTERN_LEN:
        raise UnsafePattern(f"pattern longer than {MAX_PATTERN_LEN} characters")
    body = pattern[4:] if pattern.startswith("(?i)") else pattern
    if re.search(r"\(\?(?:[aLmsux-]|i\))", body):
        raise UnsafePattern("inline flags are not allowed; use ignore_case: true or (?i:...)")
    try:
        parsed = _p.parse(pattern)
    except re.error as exc:
        raise UnsafePattern(f"invalid regex: {exc}") from None
    counter = [0]
    _walk(parsed, False, counter)
    limit = FALLBACK_MAX_UNBOUNDED if strict else MAX_UNBOUNDED
    if counter[0] > limit:
        raise UnsafePattern(f"more than {limit} broad unbounded quantifiers (.*, \\S+, [^x]+)")
    if HAVE_RE2:
        try:
            _re2.compile(pattern, _RE2_OPTIONS)
        except Exception as exc:  # re2.error
            raise UnsafePattern(f"not supported by RE2: {exc}") from None


def required_literal(pattern: str, min_len: int = 3) -> str | None:
    """The longest literal run every match must contain (top level of the pattern), or
    None when there is none of ``min_len`` characters. Used by the no-RE2 prefilter."""
    body = pattern[4:] if pattern.startswith("(?i)") else pattern
    try:
        parsed = _p.parse(body)
    except re.error:
        return None
    best, run = "", []
    for op, av in [*list(parsed), (None, None)]:
        if op == _c.LITERAL:
            run.append(chr(av))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best if len(best.encode()) >= min_len else None


def compile_set(patterns: list[tuple[str, bool]]) -> Any | None:
    """An RE2 set matching all patterns in one pass (indices of those that match), or None
    without RE2. Used so a candidate line costs one DFA scan, not one per pattern."""
    if not HAVE_RE2:
        return None
    regex_set = _re2.Set.SearchSet(_RE2_OPTIONS)
    for pattern, ignore_case in patterns:
        body = pattern[4:] if pattern.startswith("(?i)") else pattern
        if ignore_case or pattern.startswith("(?i)"):
            body = f"(?i:{body})"
        regex_set.Add(body)
    regex_set.Compile()
    return regex_set


@lru_cache(maxsize=64)
def compile_pattern(pattern: str | bytes, ignore_case: bool = False) -> Any:
    """Compile with RE2 when available (linear time), else with ``re``. Cached: every log
    a process reads builds its reader's combined watch pattern again, and RE2 builds its
    automaton lazily per compiled object, so a fresh object per log paid for both again
    (on the corpus' small real logs that was most of a diagnosis' time)."""
    if ignore_case:
        pattern = (b"(?i)" if isinstance(pattern, bytes) else "(?i)") + pattern  # type: ignore[operator]  # prefix type matches pattern type (checked)
    if HAVE_RE2:
        try:
            return _re2.compile(pattern, _RE2_OPTIONS)
        except Exception:  # pragma: no cover - validated patterns compile under RE2
            pass
    return re.compile(pattern)


def start_finder(compiled: Any) -> Callable[[bytes, int, int], int]:
    """``find(data, pos, end)``: where the first match of ``compiled`` in the bytes
    ``data[pos:end]`` (``0 <= pos <= end <= len(data)``) starts, -1 without one.

    With RE2, a direct call of its matcher: the wrapper's ``search`` builds a generator and
    a match object for every call, most of the cost of the reader's per-line search for a
    short match. Otherwise (or should the wrapper change) ``search``."""
    regexp = getattr(compiled, "_regexp", None)
    anchor = getattr(getattr(_re2, "_Anchor", None), "UNANCHORED", None)
    match = getattr(regexp, "Match", None)
    if match is not None and anchor is not None:

        def find_re2(data: bytes, pos: int, end: int) -> int:
            start: int = match(anchor, data, pos, end)[0][0]  # no match: the span (-1, -1)
            return start

        return find_re2

    def find(data: bytes, pos: int, end: int) -> int:
        m = compiled.search(data, pos, end)
        return -1 if m is None else int(m.start())

    return find
