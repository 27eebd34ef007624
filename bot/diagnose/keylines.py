"""Key lines: the few log lines a maintainer should read first, and the likely cause.

Split from :mod:`bot.diagnose.engine` so the choice of *which step and category* stays
apart from the choice of *which lines to show*: failing tests' own messages first, then
rule lines (two per rule, then the rest), then the generic scorer's most error-like lines
in the room left, else the step's tail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .evidence import PER_RULE_LINES, StepEvidence
from .extractors import Failure
from .grepcheck import grep_output
from .hints import step_command
from .linemodel import LEARNED, Candidate, learned_lines
from .listhead import list_head
from .logreader import LogLine, Step
from .rules import STRONG_PRIORITY, Rule
from .scorer import SIGNAL_EXIT, STRONG_SCORE, echoed, error_score
from .shellwords import exec_echoed

MAX_KEY_LINES = 8
GREP_OUTPUT = "grep"  # the ``rule`` of a line a negated-grep check printed
MAX_FAILURE_KEY_LINES = 4
# (s39e) the rule name of a key line that is a test module's load error
LOAD_ERROR = "load_error"
GENERIC_MIN_SCORE = 5
FIRST_PASS_PER_RULE = 2
# key lines that do not say what went wrong by a rule or a test's message: the learned line
# model may add to them
_UNEXPLAINED = (None, "generic")
TAIL_SHOWN = 4  # the step's last lines shown when nothing else speaks
MAX_OTHER_COMMANDS = 2  # later failed Travis commands whose own error joins the key lines
# a later command that fails because something is missing (the image, binary or file the
# failed command should have made) shows the first failure's consequence, not a second one
_MISSING_ARTEFACT = re.compile(
    r"(?i)\bnot found\b|\bNo such (?:file|image|container)\b|\bdoes not exist\b"
    r"|\bcannot access\b|\bUnable to find image\b"
)


@dataclass
class KeyLine:
    """One log line worth reading: its log and in-step line numbers and the rule (or
    ``failure`` / ``generic``) that picked it."""

    line: int
    text: str
    step: int | None
    step_line: int | None
    rule: str | None = None


_WARNING_LINE = re.compile(r"(?i)\bwarn(?:ing)?s?\b|deprecat")
# the shortest message line a result line's end is taken for (``_with_message_lines``)
MIN_MESSAGE_HEAD = 12
_ERRORISH = re.compile(r"(?i)(?:error|exception)\b|\b(?:fatal|panic|failed|failure)\b")


def same_text(text: str) -> str:
    """A key line's text as compared for repeats: a retried command, a test run twice or
    several tests failing on one error print the same line again, and a maintainer needs
    to read it once (the first, in log order); indentation and spacing do not count."""
    return " ".join(text.split())


def likely_cause(key_lines: list[KeyLine]) -> str | None:
    """Without a matching rule, the last error-looking line (a traceback's exception line, say)
    says more than the first line of the tail; without one, the last line the command
    printed before the runner's exit line (a check script's complaint) does."""
    for key in reversed(key_lines):
        text = key.text.strip()
        if text.startswith("##[") or not _ERRORISH.search(text):
            continue
        return key.text
    printed = [k for k in key_lines if error_score(k.text) != 1]  # not the runner's framing
    return (printed or key_lines)[-1].text if key_lines else None


def summary_line(
    ev: StepEvidence | None, top: Rule | None, failures: list[Failure], keys: list[KeyLine]
) -> str | None:
    """The one line that best shows the cause: the winning rule's first line, else the first
    failing test's message, else what a negated grep found, else the best generic line."""
    if top and ev and ev.matches.get(top.id) and top.category != "test_failure":
        return ev.matches[top.id][0].text
    said = [f.message for f in failures if f.message] or [f.raw.strip() for f in failures if f.raw]
    if said:  # a test's own message, else the line that reported it, beats the runner's exit
        return said[0]
    if top and ev and ev.matches.get(top.id):
        return ev.matches[top.id][0].text
    if keys and keys[0].rule == GREP_OUTPUT:
        return keys[0].text
    if ev is not None and ev.generic:
        return ev.generic.best(1)[0][1]
    return likely_cause(keys)


def _failure_key_lines(
    failures: list[Failure], step: Step | None, rule: str = "failure"
) -> list[KeyLine]:
    """The failing tests' own messages: what a maintainer reads first (or, without one,
    the line that reported the test when an extractor kept it as ``raw``)."""
    out: list[KeyLine] = []
    seen: set[int] = set()
    texts: set[str] = set()
    for failure in failures:
        if len(out) >= MAX_FAILURE_KEY_LINES:
            break
        if not (failure.message or failure.raw) or failure.line is None or failure.line in seen:
            continue
        text = (failure.raw or failure.message or "").strip()
        message = failure.message or ""
        if text and len(message) > len(text) and message.startswith(" ".join(text.split())):
            # a message read over several lines (`Assert.Equal() Failure`, `Expected: 0`,
            # `Actual: 1`): the values are what a maintainer reads next
            text = message
        elif text and message:
            text = _with_message_lines(text, message)
        seen.add(failure.line)
        if same_text(text) in texts:
            continue  # another test failing on the same printed line
        texts.add(same_text(text))
        start = step.start_line if step is not None else 1
        out.append(
            KeyLine(
                failure.line,
                text,
                step.number if step is not None else None,
                failure.line - start + 1,
                rule,
            )
        )
    return out


def _with_message_lines(text: str, message: str) -> str:
    """A result line that names the test before the message's first line (``FAIL!  :
    T::f() Compared values are not the same``, ``x.cpp:20: error: Failure in TEST(G, t)``)
    and the message's later lines (the values) after it; else the line as it was."""
    head = " ".join(text.split())
    for i, char in enumerate(head):
        rest = len(head) - i - 1
        if (
            char == " "
            and MIN_MESSAGE_HEAD <= rest < len(message)
            and message.startswith(head[i + 1 :])
        ):
            return head[: i + 1] + message
    return text


def select_key_lines(
    ev: StepEvidence | None,
    live: list[Rule],
    step: Step | None,
    failures: list[Failure] | None = None,
    load_errors: list[Failure] | None = None,
) -> list[KeyLine]:
    """Failing tests' messages first, then rule lines (in log order), else the step tail;
    a negated-grep check's findings lead when nothing else explains the step. Test modules
    that did not load (``load_errors``, a verdict of ``build``) lead with their messages
    as failing tests would: a collection error's ``E   ModuleNotFoundError: …`` under
    pytest's ``___ ERROR collecting x.py ___`` head, which no rule may know."""
    lead = _failure_key_lines(failures or [], step)
    if not lead and load_errors:
        lead = _failure_key_lines(load_errors, step, LOAD_ERROR)
    taken = {k.line for k in lead}
    shown = {same_text(k.text) for k in lead}
    rest = [
        k
        for k in _rule_key_lines(ev, live, MAX_KEY_LINES - len(lead), shown)
        if k.line not in taken
    ]
    if not (lead or rest) and step is not None:
        lead = [_key_at(g.number, g.text, step, GREP_OUTPUT) for g in _grep_lines(step)]
        taken = {k.line for k in lead}
        shown = {same_text(k.text) for k in lead}
    room = MAX_KEY_LINES - len(lead) - len(rest)
    if ev is not None and room > 0:
        have = taken | {k.line for k in rest}
        shown |= {same_text(k.text) for k in rest}
        best = ev.generic.best(room + len(have))
        threshold = GENERIC_MIN_SCORE
        if not (lead or rest) and (not best or error_score(best[0][1]) < STRONG_SCORE):
            # nothing else says what went wrong: a weak mention is the best there is; beside
            # a strong error line (``** (throw) …``, ``fatal: …``) it is noise (a dumped
            # list entry "… of slow or failed services")
            threshold = 2
        for number, text in best:
            if room <= 0:
                break
            if number in have or same_text(text) in shown:
                continue
            if ev.generic.score(number, text) < threshold:
                continue
            rest.append(_key_at(number, text, step, "generic"))
            have.add(number)
            shown.add(same_text(text))
            room -= 1
    if not (lead or rest) and step is not None:
        rest = _tail_key_lines(step)
    return lead + sorted(rest, key=lambda k: k.line)


def with_learned_lines(
    keys: list[KeyLine], ev: StepEvidence | None, step: Step | None
) -> list[KeyLine]:
    """In the places left free, the step's last lines (and the generic scorer's kept ones)
    that the learned line model (:mod:`bot.diagnose.linemodel`) takes for key lines; not
    beside a failing test's message or a rule's line, which say what went wrong (there it
    only added lines nobody labelled, in cross-validation)."""
    if step is None or len(keys) >= MAX_KEY_LINES or any(k.rule not in _UNEXPLAINED for k in keys):
        return keys
    have = {k.line for k in keys}
    last = len(step.tail) - 1
    candidates = [
        Candidate(c.number, c.text, last - i)
        for i, c in enumerate(step.tail)
        if c.number not in have
    ]
    kept = {c.number for c in step.tail} | have
    if ev is not None:
        candidates += [Candidate(n, t, None) for n, t in ev.generic.best(8) if n not in kept]
    shown = {same_text(k.text) for k in keys}
    added = learned_lines(candidates, shown, MAX_KEY_LINES - len(keys))
    return keys + [_key_at(c.number, c.text, step, LEARNED) for c in added]


def with_package_prefixes(keys: list[KeyLine], prefixes: dict[int, str]) -> list[KeyLine]:
    """A key line printed under a monorepo runner (lerna, nx, turbo, pnpm -r) shows the
    package prefix the reader cleaned off (``@scope/pkg: Killed``): which package failed."""
    for key in keys:
        prefix = prefixes.get(key.line)
        if prefix and not key.text.startswith(prefix):
            key.text = prefix + key.text
    return keys


def other_commands_lines(
    shown: list[KeyLine], top: Rule, others: list[tuple[StepEvidence, Rule]]
) -> list[KeyLine]:
    """Travis runs every script command even after one failed: a later command that failed
    on an error of the same kind but of another rule (the scheme that does not compile after
    the one whose simulator is missing) is a second failure to read, not a consequence: its
    first line of that rule joins the key lines (at most two such commands), unless that line
    says something is missing (`manifest … not found`): the first failure's consequence.
    ``others``: each later failed command of the chosen category, its evidence and top rule."""
    out: list[KeyLine] = []
    texts = {same_text(k.text) for k in shown}
    rules = {top.id}
    for ev, rule in others:
        if len(out) >= MAX_OTHER_COMMANDS or len(shown) + len(out) >= MAX_KEY_LINES:
            break
        if rule.id in rules:
            continue
        lines = ev.matches.get(rule.id) or []
        if rule.priority < STRONG_PRIORITY or not lines or same_text(lines[0].text) in texts:
            continue
        if _MISSING_ARTEFACT.search(lines[0].text):
            continue
        rules.add(rule.id)
        texts.add(same_text(lines[0].text))
        first = lines[0]
        out.append(KeyLine(first.number, first.text, first.step, first.step_line, rule.id))
    return out


def _key_at(number: int, text: str, step: Step | None, rule: str | None) -> KeyLine:
    if step is None:
        return KeyLine(number, text, None, None, rule)
    return KeyLine(number, text, step.number, number - step.start_line + 1, rule)


def _grep_lines(step: Step) -> list[LogLine]:
    return grep_output(step_command(step.title), step.tail)


def _tail_key_lines(step: Step) -> list[KeyLine]:
    """The step's last output lines; in a short step the tail reaches back into the step's
    header, whose echoed command and ``shell:`` line say what ran, not what went wrong.
    (Travis echoes ``$ cmd`` only: there a line starting ``Run `` is the command's own.)"""
    command = step.title.removeprefix("Run ").strip()
    travis = step.kind == "travis"  # Travis echoes ``$ cmd``: a ``Run …`` line is output
    said = [
        line
        for line in step.tail[-TAIL_SHOWN:]
        if (text := line.text.strip())
        and not text.startswith("##[")
        and not (echoed(text) and not (travis and text.startswith("Run ")))
        and text != command
    ]
    plain, warnings = _apart_from_warnings(said)
    # a formatter's ``[warn] x isn't formatted properly!`` is all it said
    shown = plain or ([] if step.errors else warnings)
    if len(shown) == len(said) == TAIL_SHOWN:
        # (g36) the last lines are a list's end (findings in one shape): its head instead
        upto = [x for x in step.tail if x.number <= said[-1].number]
        shown = list_head(upto, TAIL_SHOWN) or shown
    picked = {
        line.number: KeyLine(line.number, line.text, line.step, line.step_line) for line in shown
    }
    for line in step.errors[:2]:
        picked.setdefault(line.number, KeyLine(line.number, line.text, line.step, line.step_line))
    # a line repeated (a wait loop's ``Waiting for x to be ready``) is read once, the first
    firsts = {same_text(picked[n].text): picked[n] for n in sorted(picked, reverse=True)}
    return sorted(firsts.values(), key=lambda k: k.line)


def _rule_key_lines(
    ev: StepEvidence | None, live: list[Rule], limit: int, shown: set[str]
) -> list[KeyLine]:
    """Up to two lines of each live rule first (by priority), then the rest: a rule that
    matched many lines (``-D warnings`` notes) does not crowd out the others, and a line
    repeating one already ``shown`` (or picked) does not take a place."""
    picked: dict[int, KeyLine] = {}
    texts = set(shown)
    if ev:
        for per_rule in (FIRST_PASS_PER_RULE, PER_RULE_LINES):
            for rule in live:
                taken = sum(1 for k in picked.values() if k.rule == rule.id)
                for line in ev.matches.get(rule.id, []):
                    if len(picked) >= limit or taken >= per_rule:
                        break
                    if line.number in picked or _bare_exit(line.text):
                        continue
                    if same_text(line.text) in texts:
                        continue
                    texts.add(same_text(line.text))
                    picked[line.number] = KeyLine(
                        line.number, line.text, line.step, line.step_line, rule.id
                    )
                    taken += 1
    return [picked[n] for n in sorted(picked)]


# Maven's verdict banner (``[INFO] BUILD FAILURE``, printed by ExecutionEventLogger above the
# reactor summary): it says that the build failed, never why; the cause follows it
_MAVEN_VERDICT = re.compile(r"^(?:\[INFO\] )?BUILD FAILURE\s*$")


def _bare_exit(text: str) -> bool:
    """The runner's exit line says only that the step failed, unless its status is a
    signal's (``exit code 137``: SIGKILL; 124: timeout's): then it says how the command
    ended, beside the line that says why (``The runner has received a shutdown signal``).
    Maven's ``BUILD FAILURE`` banner is as bare: it still names the rule's category, but
    takes no key line's place from the cause printed below it."""
    if _MAVEN_VERDICT.match(text):
        return True
    return text.startswith("##[error]Process") and not SIGNAL_EXIT.search(text)


PASTE_END = "paste-end"
# a line of a traceback, a source excerpt or an assertion: a frame's ``path:N: in f``, a
# call ``f(x)``, a comparison ``-1 == 0``, a file name
_CODE_LIKE = re.compile(r"[:()=<>\[\]{}]|\w\.\w")
_CALLER_FRAME = re.compile(r"(?:\[[A-Z]+\]\s*)?at\s")


PASTE_TAIL_LINES = 4
# a line that says something in words (not a ruler, a caret or a cut-off time stamp)
_WORDY = re.compile(r"[A-Za-z]{2}")


def _apart_from_warnings(lines: list[LogLine]) -> tuple[list[LogLine], list[LogLine]]:
    """``lines`` split into the ones that are no mere warning and the warnings that are no
    error (``[warn] x.scala isn't formatted properly!``; not ``C compiler warning promoted
    to error``, nor a count of ``0 warning(s)`` beside failures), each in log order."""
    plain: list[LogLine] = []
    warnings: list[LogLine] = []
    for line in lines:
        only_a_warning = _WARNING_LINE.search(line.text) and not _ERRORISH.search(line.text)
        (warnings if only_a_warning else plain).append(line)
    return plain, warnings


def with_paste_tail(keys: list[KeyLine], step: Step | None) -> list[KeyLine]:
    """A cut paste for which nothing else gave a key line (no rule, no error word: a
    formatter's list of files, a linter's own words, a stack's frames): its last lines, as a
    step's tail is shown when nothing in it speaks; warnings only when all of them are (a
    formatter that prints its findings as ``[warn] … isn't formatted properly!``)."""
    if keys or step is None or not step.cut_end:
        return keys
    lines = [
        line
        for line in step.cut_end
        if _WORDY.search(text := line.text.strip())
        and not echoed(text)
        and not text.startswith("##[")
    ]
    plain, warnings = _apart_from_warnings(lines)
    pool = plain or warnings
    # (g36) a list of findings that ends the paste is read from its head
    picked = list_head(pool, PASTE_TAIL_LINES) or pool[-PASTE_TAIL_LINES:]
    return [_key_at(line.number, line.text, step, None) for line in picked]


def with_paste_end(keys: list[KeyLine], step: Step | None) -> list[KeyLine]:
    """A paste cut off before any exit line (the excerpt ends in a traceback's last frame,
    a compiler's last note): its last line is where the reporter stopped reading, nearest
    the error that the cut took away. Only such a paste's last step has ``cut_end``."""
    if step is None or len(keys) >= MAX_KEY_LINES:
        return keys
    for line in reversed(step.cut_end):
        text = line.text.strip()
        if not text:
            continue
        if echoed(text) or text.startswith("##[") or _WARNING_LINE.search(text):
            return keys
        if any(k.line == line.number or same_text(k.text) == same_text(line.text) for k in keys):
            return keys
        if not _CODE_LIKE.search(text) or _CALLER_FRAME.match(text):
            # a status line (``Waiting for db``) says nothing the cut took away, and a
            # stack's caller frame (``at org.junit.…``) is further from it than the
            # exception above, which the scorer already weighed
            return keys
        return [*keys, _key_at(line.number, line.text, step, PASTE_END)]
    return keys


THROWN_FRAME = "frame"
MAX_THROWN_FRAMES = 2


def with_thrown_frames(keys: list[KeyLine], ev: StepEvidence | None) -> list[KeyLine]:
    """An exception line among the key lines (not a failing test's message: its test names
    the place) gets the first stack frame printed under it, right after it: where it was
    thrown (:mod:`bot.diagnose.frames`). In the room left, at most two."""
    if ev is None or not ev.thrown.first:
        return keys
    out: list[KeyLine] = []
    have = {k.line for k in keys}
    added = 0
    for key in keys:
        out.append(key)
        frame = ev.thrown.first.get(key.line)
        if (
            frame is None
            or key.rule == "failure"
            or frame.number in have
            or added >= MAX_THROWN_FRAMES
            or len(keys) + added >= MAX_KEY_LINES
        ):
            continue
        out.append(KeyLine(frame.number, frame.text, frame.step, frame.step_line, THROWN_FRAME))
        have.add(frame.number)
        added += 1
    return out


ANNOUNCED = "announced"
# (d30B) what a tool said it was doing just before it failed: a progress line that ends in an
# ellipsis (vcpkg's ``Building package shaderc[core]:x64-windows...``, ``Installing x...``)
# or the command an action echoed (``/usr/bin/pip install docutils``, see ``exec_echoed``),
# Ansible's header of the task that failed (``TASK [mysql : Ensure MySQL is started.] ***``;
# 1.x: ``TASK: [role | name] ***``) or docker's pull of the image it then could not get
# (``7.6.1: Pulling from library/elasticsearch``). Not apt's fixed preamble (``Reading state
# information...``): apt prints it before every install, failed or not. (Y2) distutils'
# and Cython's file actions (``cythoning Cython/Tempita/_tempita.py to …/_tempita.c``,
# ``byte-compiling x.py to x.pyc``, ``copying a -> b``, ``building 'x' extension``): the
# file a setup.py was working on when it raised; a progress line that heads the list under
# it (pa11y-ci's ``Running Pa11y on 11 URLs:`` over `` > http://x/ - Failed to run``).
# (b32 Y3) A download announced with its URL (setup-node's ``Acquiring 19.9.0 - x64 from
# https://…/node-v19.9.0-linux-x64.tar.gz``, ``Downloading https://…``) is such a line too.
_DOING = re.compile(
    r"^\s*(?:[A-Z][a-z]+ing\b.*\S(?:\.\.\.|…|:)|TASK:? \[.+\] \*+|[\w.-]+: Pulling from \S+"
    r"|[a-z][\w-]*ing \S*[./]\S* (?:to|->) \S+|building '[\w.]+' extension"
    r"|[A-Z][a-z]+ing\b.* https?://\S+)$"
)
# (b32 Y3) a retrying client's note between two attempts (actions/tool-cache's ``Waiting 15
# seconds before trying again``, ``Retrying in 5 seconds...``): the error it gives up with
# at the end repeats the first attempt's, printed right under what was being done
_RETRY_NOTE = re.compile(r"(?i)\b(?:retrying|trying again|retry in|retry #?\d)")
_ERROR_PREFIX = re.compile(r"^(?:##\[error\])?(?:Error: )?")
_APT_PREAMBLE = re.compile(
    r"^\s*(?:Reading package lists|Building dependency tree|Reading state information)\.\.\."
)
# an error that names nothing (no path, no quoted name, a few words): under an echoed
# command, that command is its subject (an echo over a compiler's own error is only a trace)
_BARE = re.compile(r"^[^/'\"`]*$")
MAX_BARE_WORDS = 6


def with_announced_action(keys: list[KeyLine], step: Step | None) -> list[KeyLine]:
    """The first key line's error, printed right under such a line, often names no subject
    (``error: external``, ``failed with error code '3221225477'``): the line above says
    what was being done when it failed, and joins the key lines right after it. An error a
    retrying client gave up with is read at its first attempt (``_first_attempt``)."""
    if step is None or not keys or len(keys) >= MAX_KEY_LINES:
        return keys
    first = min(keys, key=lambda k: k.line)
    lines = [*step.tail, *step.cut_end]
    start = _first_attempt(first, lines)
    above = next((x for x in lines if x.number == start - 1), None)
    if above is None or any(k.line == above.number for k in keys):
        return keys
    text = above.text.strip()
    words = first.text.split()
    echo = exec_echoed(text) and _BARE.match(first.text) and len(words) <= MAX_BARE_WORDS
    doing = _DOING.match(text) and not _APT_PREAMBLE.match(text)
    if not (doing or echo) or error_score(text) > 1:
        return keys
    at = keys.index(first) + 1  # after it: the first key line stays the error (deep link)
    return [*keys[:at], _key_at(above.number, above.text, step, ANNOUNCED), *keys[at:]]


def _first_attempt(first: KeyLine, lines: list[LogLine]) -> int:
    """The line number of the first attempt whose error the key line repeats (``aborted``
    before a retry note, ``Error: aborted`` at the end), else the key line's own."""
    message = _ERROR_PREFIX.sub("", first.text.strip(), count=1)
    if not message:
        return first.line
    after = {x.number: x.text for x in lines}
    for line in lines:
        if line.number >= first.line:
            break
        note = after.get(line.number + 1, "")
        if _ERROR_PREFIX.sub("", line.text.strip(), count=1) == message and _RETRY_NOTE.search(
            note
        ):
            return line.number
    return first.line
