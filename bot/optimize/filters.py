"""GitHub's filter patterns for ``branches``, ``tags`` and ``paths`` (and their ``-ignore``).

GitHub's patterns are not shell globs, so neither ``fnmatch`` nor a glob library fits:
``*`` stops at ``/``, ``**`` crosses it, ``?`` and ``+`` are *quantifiers* of the preceding
character (``*.jsx?`` matches ``page.js``), ``[]`` is a character class, ``\\`` escapes, and a
leading ``!`` negates the patterns before it — the last pattern that matches decides. This
module translates each pattern to a regular expression; ``tests/optimize/test_filters.py``
checks it against every example of GitHub's "Filter pattern cheat sheet".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache


@cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """One pattern (without its ``!``) as an anchored regular expression."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            if pattern.startswith("**", i):
                if pattern.startswith("**/", i):
                    out.append("(?:.*/)?")  # zero or more whole folders
                    i += 3
                else:
                    out.append(".*")
                    i += 2
            else:
                out.append("[^/]*")
                i += 1
            continue
        if c in "?+" and out:
            out.append(c)
            i += 1
            continue
        if c == "[":
            end = pattern.find("]", i + 1)
            if end > i + 1:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                out.append(f"[{body}]")
                i = end + 1
                continue
        out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def included(patterns: Iterable[str] | str | None, name: str) -> bool:
    """Does ``name`` pass a ``branches``/``tags``/``paths`` list (``!`` patterns in order)?"""
    if isinstance(patterns, str):
        patterns = [patterns]
    result = False
    for pattern in patterns or []:
        if not isinstance(pattern, str) or not pattern:
            continue
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        if compile_pattern(body).match(name):
            result = not negate
    return result


def ignored(patterns: Iterable[str] | str | None, name: str) -> bool:
    """Is ``name`` excluded by a ``branches-ignore``/``tags-ignore``/``paths-ignore`` list?"""
    return included(patterns, name)


def paths_trigger(filters: dict[str, object], changed: Iterable[str]) -> bool:
    """Would a change to ``changed`` files run a push/pull_request with these path filters?

    ``paths``: at least one file passes. ``paths-ignore``: at least one file is not ignored.
    """
    files = list(changed)
    if "paths" in filters:
        return any(included(_strings(filters["paths"]), f) for f in files)
    if "paths-ignore" in filters:
        return any(not ignored(_strings(filters["paths-ignore"]), f) for f in files)
    return True


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
