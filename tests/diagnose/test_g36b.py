"""(g36b) General mechanisms measured on the leave-batches-out proxy, second round: shapes
many tools print where no rule knows the tool."""

from __future__ import annotations

import io
from typing import cast

from bot.diagnose.causeline import with_cause_line
from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.evidence import StepEvidence
from bot.diagnose.extractors import Failure
from bot.diagnose.keylines import KeyLine
from bot.diagnose.logreader import Step
from bot.diagnose.rules import load_rules

NO_RULES = [{"id": r.id, "enabled": False} for r in load_rules().rules]


def _paste(lines: list[str]) -> Diagnosis:
    """A paste diagnosed with every shipped rule off (a tool no rule knows)."""
    return diagnose(io.BytesIO("\n".join(lines).encode()), rules=NO_RULES)


def _keys(d: Diagnosis) -> list[str]:
    return [k.text.strip() for k in d.key_lines]


# -- the line whose cause words named the category is shown ------------------------------

NPX_MISSING = [
    "Building and releasing the Electron app…",
    "not found: electron-builder",
    "/home/runner/work/_actions/samuelmeuli/action-electron-builder/v1/index.js:144",
    "\t\t\t\tthrow err;",
    "\t\t\t\t^",
    "",
    "Error: Command failed: npx --no-install electron-builder --linux --publish always ",
    "    at checkExecSyncError (child_process.js:621:11)",
    "    at execSync (child_process.js:657:15)",
    "    at Module._compile (internal/modules/cjs/loader.js:959:30) {",
    "  status: 127,",
    "  signal: null,",
    "}",
]


def test_missing_program_line_is_shown_beside_the_wrapper_that_reported_it() -> None:
    d = _paste(NPX_MISSING)
    assert d.category == "dependency_install"
    keys = _keys(d)
    assert "not found: electron-builder" in keys
    assert any(k.startswith("Error: Command failed: npx") for k in keys)
    # in log order: the cause comes before the wrapper's report
    assert keys.index("not found: electron-builder") < next(
        i for i, k in enumerate(keys) if k.startswith("Error: Command failed")
    )


def test_no_cause_line_when_no_cause_words_name_the_category() -> None:
    # near miss: "not found" inside a sentence is no node-which report (``not found: x``
    # alone on its line): no cause names the category, and the sentence is not added
    lines = [*NPX_MISSING]
    lines[1] = "The electron-builder binary was not found: check the install step"
    keys = _keys(_paste(lines))
    assert lines[1] not in keys
    assert any(k.startswith("Error: Command failed: npx") for k in keys)


def test_cause_line_not_added_beside_a_rule_or_a_failing_test() -> None:
    keys = [KeyLine(7, "Error: Command failed: npx electron-builder", 1, 7, "generic")]
    evidence = cast(StepEvidence, object())  # never read: a rule or a test said it
    step = cast(Step, object())
    rule = load_rules().rules[0]
    assert with_cause_line(keys, evidence, step, rule.category, rule, []) == keys
    failure = Failure(test="t", message="m")
    assert with_cause_line(keys, evidence, step, "test_failure", None, [failure]) == keys
    assert with_cause_line(keys, None, None, "dependency_install", None, []) == keys
