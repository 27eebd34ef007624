"""The verdict on one failed step: which rules still count, and the cause a maintainer would
name rather than the symptom (``judge``).

Split from :mod:`bot.diagnose.engine`, which gathers the evidence and picks the step; this
module only reads one step's evidence and returns its category with the rule that says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .causes import ENDED_RUN, cause_category, environment_failures
from .evidence import StepEvidence
from .extractors import Failure
from .fallback import (
    COMPOSER_SCRIPT,
    MAKE_TARGET,
    check_named_by,
    echoed_category,
    made_category,
    prompted_category,
    quoted_category,
    vocabulary_category,
)
from .hints import step_command
from .logline import Step
from .rules import Rule, RuleSet

# categories whose findings share shapes; the step's command decides among them
STATIC_CHECKS = ("build", "lint", "format", "type_check")
WEAK_PRIORITY = 30  # exit-code-only rules
BARE_ERROR_PRIORITY = 40  # tool-agnostic `error: …` shapes (rustc-error-line)


def live_rules(ruleset: RuleSet, ev: StepEvidence) -> list[Rule]:
    out = []
    for rule_id in ev.matches:
        if ev.recovered_at.get(rule_id, 0) > ev.last_match.get(rule_id, 0):
            continue
        rule = ruleset.by_id(rule_id)
        if rule is not None and (not rule.requires or rule_id in ev.opened):
            out.append(rule)
    # at equal priority a tool's own rule outranks a tool-agnostic (generic) shape
    return sorted(out, key=lambda r: (-r.priority, r.generic))


@dataclass
class Verdict:
    category: str
    top: Rule | None
    failures: list[Failure]
    command_category: str | None
    alternative: dict[str, Any] | None = None
    split: bool = False
    # (s39e) test modules that did not load: no failing tests, but their messages (the
    # ``E`` line of a pytest collection error) are what a maintainer reads first
    load_errors: list[Failure] = field(default_factory=list)


def judge(ruleset: RuleSet, ev: StepEvidence | None, step: Step | None) -> Verdict:
    """Category of one failed step: the cause a maintainer would name, not the symptom."""
    live = live_rules(ruleset, ev) if ev else []
    failures = ev.tests.failures() if ev else []
    top = live[0] if live else None
    tool = step_tool(step)
    command_cat = ruleset.command_category(tool)
    if tool is None and ev is not None:
        # a paste (no ``Run …`` step): the command its shell prompt echoed names the tool
        command_cat = prompted_category(ruleset, ev.generic)
    if top is None:
        # no rule: a cause's own words (a full disk, memory, a crash, the network, a time
        # limit, a resolver) say why whatever ran; else the tests charged (unless the run
        # crashed or ran out of memory or time: the tests it was running are that; the
        # network or a full disk when most of them failed for it), else the command's
        # tool, else the best error lines' other words
        named = cause_category(ev.generic) if ev is not None else None
        if failures and all(f.load_error for f in failures):
            # suites that could not even load (a test module that does not import, a jest
            # suite that failed to run): no test ran, the code did not build
            if ev is not None:
                _load_errors_first(ev, failures)
            failures, named = [], named or "build"
        if failures and named not in ENDED_RUN:
            messages = [f.message or "" for f in failures]
            named = environment_failures(messages) or "test_failure"
        if named is None and not failures and command_cat in ("test_failure", "timeout"):
            # a test command that charged no test never got to run them, and a command run
            # under ``timeout`` is only what ran: what stopped it (a compile error, a
            # linter's finding, the command a script runner quotes) is read before the
            # command (a time limit's own words are a cause, read above)
            named = _said(ruleset, ev)
        category = named or command_cat or _fallback(ruleset, ev)
        return Verdict(category, None, failures, command_cat)
    verdict = Verdict(top.category, top, failures, command_cat)
    if ev is not None and top.id in (TSC_RULE, *TS_COMPILERS):
        _typescript_compiler(live, ev, verdict)
    if top.category == "test_failure" and not failures and not top.tests_ran:
        # a suite that could not even load (syntax error, missing module): no test ran
        cause = next((r for r in live if r.category in ("build", "dependency_install")), None)
        if cause is not None:
            verdict.category, verdict.top = cause.category, cause
    if failures and top.priority < 76 and top.category in ("infra_network", "build"):
        verdict.category = "test_failure"  # tests ran and failed; that line is detail
        verdict.top = next((r for r in live if r.category == "test_failure"), None)
    if failures and verdict.category == "segfault":
        _recovered_panics(live, verdict)
    if verdict.category == "build" and ev is not None:
        _network_before_build(live, ev, verdict)
    if failures and verdict.category == "test_failure":
        _build_root_cause(ruleset, verdict)
    if failures and verdict.category == "test_failure":
        _network_root_cause(ruleset, live, verdict)
    elif verdict.category == "dependency_install":
        _unreachable_registry(live, verdict)
    elif command_cat == "timeout" and (
        top.priority <= WEAK_PRIORITY or top.category in ("oom_killed", "cancelled")
    ):
        verdict.category = "timeout"  # `timeout -s KILL …`: the kill is the time limit
        # the wrapper's own exit status (124), when read, is the line that says so
        verdict.top = next((r for r in live if r.category == "timeout"), top)
    elif (
        top.generic
        and top.category in STATIC_CHECKS
        and command_cat in STATIC_CHECKS
        and command_cat != top.category
    ):
        verdict.category = command_cat or top.category
    elif (
        top.generic
        and top.priority <= BARE_ERROR_PRIORITY
        and top.category == "build"
        and (command_cat or (ev and echoed_category(ruleset, ev.generic))) == "dependency_install"
    ):
        # a bare `error: …` (no file, no code) in a step that installs (or under a pasted
        # `Run <install command>`): the installer's own (`xpm install`'s `error: download
        # failed, quit`), not a compiler's
        verdict.category = "dependency_install"
    elif top.id == MAKE_RULE and ev is not None:
        _make_target(ruleset, ev, verdict)
    elif top.id == COMPOSER_RULE and ev is not None:
        _composer_script(ruleset, ev, verdict)
    elif top.id == DOCKER_RULE and ev is not None:
        _docker_run(ruleset, ev, verdict)
    return verdict


# how many suites' load errors are offered to the generic ranking
LOAD_ERRORS_SHOWN = 3


def _load_errors_first(ev: StepEvidence, failures: list[Failure]) -> None:
    """Suites that never loaded are no failing tests, but each one's load error (the
    message its extractor read: ``ImportError: …``, ``Cannot find module …``) is still the
    line a maintainer reads first, as a failing test's message would be: offered to the
    generic ranking above its best line (not again when ``judge`` runs again)."""
    kept = ev.generic.best(1)
    if kept and kept[0][0] in {f.line for f in failures}:
        return  # offered already
    top = max((ev.generic.score(n, t) for n, t in kept), default=0)
    shown: set[str] = set()
    for f in failures:
        text = (f.raw or f.message or "").strip()
        if f.line is None or not text or text in shown or len(shown) >= LOAD_ERRORS_SHOWN:
            continue
        shown.add(text)
        ev.generic.offer(f.line, text, top + 1)


def _said(ruleset: RuleSet, ev: StepEvidence | None) -> str | None:
    """What the generic scorer's best lines say in their own words, else the command an
    error line quotes, or None."""
    if ev is None:
        return None
    return vocabulary_category(ruleset, ev.generic) or quoted_category(ruleset, ev.generic)


def _fallback(ruleset: RuleSet, ev: StepEvidence | None) -> str:
    """What the best lines say (:func:`_said`), else what the paste echoed that it ran,
    else make building (``unknown`` if nothing)."""
    found = _said(ruleset, ev)
    if ev is not None and found in (None, *STATIC_CHECKS):
        # (d30B) words that static checks share (``syntax error``, ``path:L:C: …``) under
        # a pasted ``Run <linter>``: the command decides among them, as a step's does
        echoed = echoed_category(ruleset, ev.generic)
        if found is None or echoed in STATIC_CHECKS:
            found = echoed or found
    if found is None and ev is not None:
        found = prompted_category(ruleset, ev.generic) or made_category(ruleset, ev.generic)
    return found or "unknown"


TSC_RULE = "tsc"
# compilers that print tsc's diagnostics under a header of their own: a bundler's loader and
# a compile-on-require hook (rules.yml)
TS_COMPILERS = ("ts-loader", "ts-node")


def _typescript_compiler(live: list[Rule], ev: StepEvidence, verdict: Verdict) -> None:
    """Who printed the TypeScript errors decides: tsc's rule matches every diagnostic, but
    under ts-loader's ``[tsl] ERROR in`` or ts-node's ``TSError`` header (first in the log)
    they are the bundle's or the run's compile errors (build), not a type check's; a step
    whose command is a type check (``tsc --noEmit``, ``vue-tsc``) stays one."""
    if verdict.command_category == "type_check":
        verdict.category = "type_check"
        return
    if verdict.top is None or verdict.top.id != TSC_RULE:
        return
    first_tsc = ev.matches[TSC_RULE][0].number
    for rule in live:
        lines = ev.matches.get(rule.id)
        if rule.id in TS_COMPILERS and lines and lines[0].number < first_tsc:
            verdict.category, verdict.top = rule.category, rule
            return


MAKE_RULE = "make-recipe-failed"


def _make_target(ruleset: RuleSet, ev: StepEvidence, verdict: Verdict) -> None:
    """A make recipe that failed with no output any rule knows: the target's name says
    what it ran when it names a check (`fmtcheck`, `lint`, `check-format`, `typecheck`).
    The first make error line is the innermost target (the outer makes report theirs after)."""
    for line in ev.matches.get(MAKE_RULE, ()):
        m = MAKE_TARGET.search(line.text)
        if m is None:
            continue
        category = check_named_by(ruleset, m.group(1))
        if category is not None:
            verdict.category = category
        return


COMPOSER_RULE = "composer-script-failed"


def _composer_script(ruleset: RuleSet, ev: StepEvidence, verdict: Verdict) -> None:
    """A Composer script that failed: the tool its command runs (else the script's event
    name: `phpunit`, `lint`) says what kind of check failed. The first such line is the
    script that ran the command (the ones that called it are reported after it)."""
    m = COMPOSER_SCRIPT.match(ev.matches[COMPOSER_RULE][0].text)
    if m is None:
        return
    category = ruleset.command_category(m.group(1)) or ruleset.command_category(m.group(2))
    if category == "test_failure" or category in STATIC_CHECKS:
        verdict.category = category


DOCKER_RULE = "docker-build"
# the RUN command a Docker builder's verdict quotes: the classic builder's `The command
# '/bin/sh -c apk add git && pip install x' returned a non-zero code: 1`, BuildKit's `process
# "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1`
DOCKER_RUN = re.compile(
    r"The command '(?:/bin/(?:ba)?sh -c )?(.+)' returned a non-zero code: \d+"
    r'|process "(?:/bin/(?:ba)?sh -c )?(.+)" did not complete successfully: exit code: \d+'
)


def _docker_run(ruleset: RuleSet, ev: StepEvidence, verdict: Verdict) -> None:
    """A Dockerfile RUN step that failed with no output any rule knows: the command it ran
    says what failed when it installs packages (``apk add git && pip install …``: the
    image's dependencies) or runs a check, as a step's command does; the last command of a
    chain is the one the table reads (``apt-get install -y gcc && make``: a build)."""
    for line in ev.matches.get(DOCKER_RULE, ()):
        m = DOCKER_RUN.search(line.text)
        if m is None:
            continue
        category = ruleset.command_category(m.group(1) or m.group(2))
        if category in ("dependency_install", "lint", "format", "type_check"):
            verdict.category = category
        return


def _build_root_cause(ruleset: RuleSet, verdict: Verdict) -> None:
    """Tests that could not even be imported or compiled (pytest collection errors, a
    test binary that does not build) are a build failure, not failing tests."""
    failures = verdict.failures
    if not failures or not all(f.message or f.load_error for f in failures):
        return
    # a rule that counts only beside its tool's banner (``requires``) says nothing alone
    matched = [
        [] if f.compiles else [r for r in ruleset.match(f.message or "") if not r.requires]
        for f in failures
    ]
    culprits = [next((r for r in m if r.category == "build"), None) for m in matched]
    if all(c or f.load_error for c, f in zip(culprits, failures, strict=True)) and all(
        "::" not in f.test for f in failures
    ):
        # modules that failed to import are not tests that ran and failed
        top = next((c for c in culprits if c), None)
        verdict.load_errors = [f for f in failures if f.load_error]
        verdict.category, verdict.top, verdict.failures = "build", top, []


# A runtime that turns the fault into an ordinary panic the test framework catches: Go prints
# ``[signal SIGSEGV …]`` under ``panic: runtime error: invalid memory address…`` and then
# reports the test as failed (``--- FAIL``); the process did not crash.
_RECOVERED_PANIC = ("panic: runtime error: ",)


def _recovered_panics(live: list[Rule], verdict: Verdict) -> None:
    """Failing tests whose own messages are runtime panics the framework recovered from
    (a nil dereference in Go) failed as tests do; the ``SIGSEGV`` line is detail."""
    messages = [f.message or "" for f in verdict.failures]
    if messages and all(m.lstrip().startswith(_RECOVERED_PANIC) for m in messages):
        verdict.category = "test_failure"
        verdict.top = next((r for r in live if r.category == "test_failure"), None)


def _network_before_build(live: list[Rule], ev: StepEvidence, verdict: Verdict) -> None:
    """A build that fetches its own dependencies (CMake ``FetchContent``, a Gradle plugin, a
    ``go build`` that downloads modules) fails *because* the download failed: when the
    step's first network error comes before its first build error, the network is the
    cause (retryable) and the build error its symptom."""
    net_rule = next((r for r in live if r.category == "infra_network"), None)
    if net_rule is None or verdict.top is None:
        return
    first_net = ev.matches[net_rule.id][0].number
    first_build = min(
        (
            ev.matches[r.id][0].number
            for r in live
            if r.category == "build" and ev.matches.get(r.id)
        ),
        default=None,
    )
    if first_build is not None and first_net < first_build:
        verdict.alternative = {"category": "build", "rule": verdict.top.id, "summary": None}
        verdict.category, verdict.top = "infra_network", net_rule


def _unreachable_registry(live: list[Rule], verdict: Verdict) -> None:
    """A resolver that failed because its registry answered 503, reset or did not resolve
    (``reading …: 503 Service Unavailable``) is infrastructure: the network, not the
    manifest, is what a re-run fixes. Recovered network errors are no longer live."""
    net_rule = next((r for r in live if r.category == "infra_network"), None)
    if net_rule is not None:
        verdict.alternative = {
            "category": "dependency_install",
            "rule": verdict.top.id if verdict.top else None,
            "summary": None,
        }
        verdict.category, verdict.top = "infra_network", net_rule


def step_tool(step: Step | None) -> str | None:
    """What a step runs: its command, or for a ``uses:`` step the action (``owner/name@ref``),
    which names the tool just as well (``actions/setup-python@v5``)."""
    if step is None:
        return None
    command = step_command(step.title)
    if command is None and step.title.startswith("Run "):
        return step.title[4:].strip()
    return command


def _network_root_cause(ruleset: RuleSet, live: list[Rule], verdict: Verdict) -> None:
    """Tests that failed because the network failed are infrastructure (retryable), unless a
    build error that outranks it (a server's template that does not render) says why."""
    messages = [f.message for f in verdict.failures if f.message]
    network = [m for m in messages if any(r.category == "infra_network" for r in ruleset.match(m))]
    if not network:
        return
    nets = [r for r in [*live, *ruleset.match(network[0])] if r.category == "infra_network"]
    net_rule = nets[0]
    if any(r.category == "build" and r.priority > net_rule.priority for r in live):
        return  # nothing answered because the service under test never came up
    if len(network) * 2 > len(messages):
        verdict.alternative = {
            "category": "test_failure",
            "rule": verdict.top.id if verdict.top else None,
            "summary": None,
        }
        verdict.category, verdict.top = "infra_network", net_rule
    else:
        verdict.alternative = {
            "category": "infra_network",
            "rule": net_rule.id,
            "summary": network[0],
        }
    verdict.split = True
