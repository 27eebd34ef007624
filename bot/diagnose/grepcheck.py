"""A CI check written as a negated grep: the step fails exactly when grep finds its pattern.

``! grep -rn 'pdb.set_trace' src/``, ``! grep -Fe "Overfull \\hbox" std.log``, ``! git grep
-n 'TODO' -- '*.py'``: projects guard against a debugging call, trailing whitespace, a
macro misuse or a warning in a build log this way. What grep printed just before the
command's exit line (the offending lines) is the finding, and those lines rarely carry an
error word, so the generic scorer passes them over for any ``failed`` line printed earlier
(a LaTeX run's ``Latex failed to resolve 12 reference(s)`` that its reruns resolved).

:func:`grep_output` finds, among a failed step's last lines, the ones its command's negated
greps would print: lines that contain every word of a pattern (a regex's escapes and
classes dropped, a fixed string's words as they are). No regex from the log is ever
compiled, so a hostile pattern costs nothing. A pattern without a word (``'\\s$'``) or a
``-l``/``-c`` listing matches no line here, and the step's tail speaks for itself.
"""

from __future__ import annotations

import re
import shlex

from .logreader import LogLine
from .scorer import echoed

# ``! grep``/``! egrep``/``! git grep`` as a command of its own (after a separator, ``then``
# or ``do``, or at the start): the ``!`` negates grep's status
_NEGATED = re.compile(r"(?:^|[;&|(]|\bthen\b|\bdo\b|\belse\b)\s*!\s+(?:git\s+)?[ef]?grep\s")
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", ")", "(", ";;"})
_WORD = re.compile(r"[A-Za-z0-9_]{3,}")
_ESCAPE = re.compile(r"\\.")
_ALTERNATION = re.compile(r"\\?\|")
MAX_GREP_LINES = 4


def negated_grep_patterns(command: str | None) -> list[tuple[list[list[str]], bool]]:
    """Each negated grep in ``command``: its pattern's alternatives, each as the words a
    matching line must contain, and whether it ignores case; empty when the command has
    none (or does not parse)."""
    if not command:
        return []
    out = []
    for m in _NEGATED.finditer(command):
        parsed = _grep_words(command[m.end() :])
        if parsed is not None:
            out.append(parsed)
    return out


def _grep_words(rest: str) -> tuple[list[list[str]], bool] | None:
    """The first pattern of the grep whose arguments start ``rest``."""
    lexer = shlex.shlex(rest, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes in an echoed command
        return None
    pattern: str | None = None
    fixed = ignore_case = False
    i = 0
    while i < len(tokens) and tokens[i] not in _SEPARATORS:
        token = tokens[i]
        i += 1
        if token == "--":
            if pattern is None and i < len(tokens) and tokens[i] not in _SEPARATORS:
                pattern = tokens[i]
            break
        if token.startswith("--"):
            name, _, value = token[2:].partition("=")
            fixed |= name == "fixed-strings"
            ignore_case |= name == "ignore-case"
            if name == "regexp" and pattern is None:
                pattern = value or (tokens[i] if i < len(tokens) else None)
            continue
        if token.startswith("-") and len(token) > 1:
            flags = token[1:]
            fixed |= "F" in flags
            ignore_case |= "i" in flags
            for k, flag in enumerate(flags):
                if flag in "efmABCD":  # the option's value: the rest, else the next token
                    value = flags[k + 1 :] or (tokens[i] if i < len(tokens) else "")
                    i += 0 if flags[k + 1 :] else 1
                    if flag == "e" and pattern is None:
                        pattern = value
                    break
            continue
        if pattern is None:
            pattern = token  # the first operand; files follow
    if pattern is None:
        return None
    if fixed:
        words = _WORD.findall(pattern)
        return ([words] if words else []), ignore_case
    # a regex: its alternatives (ERE ``a|b``, BRE ``a\|b``), each without escapes/classes
    branches = [_WORD.findall(_ESCAPE.sub(" ", b)) for b in _ALTERNATION.split(pattern)]
    return [b for b in branches if b], ignore_case


def grep_output(command: str | None, tail: list[LogLine]) -> list[LogLine]:
    """The lines of a failed step's ``tail`` that a negated grep of its ``command`` printed
    (the last few, in log order)."""
    greps = [(branches, ic) for branches, ic in negated_grep_patterns(command) if branches]
    if not greps:
        return []
    picked = []
    for line in tail:
        text = line.text
        if text.startswith("##[") or echoed(text) or text.strip() == (command or "").strip():
            continue  # the step's header and the command as the runner echoed it
        if any(_found(text, branches, ic) for branches, ic in greps):
            picked.append(line)
    return picked[-MAX_GREP_LINES:]


def _found(text: str, branches: list[list[str]], ignore_case: bool) -> bool:
    hay = text.lower() if ignore_case else text
    return any(all((w.lower() if ignore_case else w) in hay for w in b) for b in branches)
