"""``runner-image``: jobs that ask for a GitHub-hosted image GitHub has withdrawn.

Such a job never gets a runner: it waits, then fails. The proposal is the supported image of
the same family, in the file's style (a pinned version stays pinned; ``-latest`` labels are
never retired), written as a minimal edit of the ``runs-on`` value or of the matrix values it
expands from. Labels built by other expressions are reported without a fix; self-hosted jobs
are never touched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..edits import Edit, replace_in_scalar
from ..model import (
    Node,
    Scalar,
    WorkflowJob,
    YamlMapping,
    YamlSequence,
    deref,
    get,
    own_pair,
    pairs,
    plain,
)
from ..results import RuleContext


@dataclass(frozen=True)
class RetiredImage:
    label: str
    retired: str  # the date GitHub stopped running it (fully unsupported), ISO
    replacement: str
    source: str  # GitHub's own announcement that states that date


_UBUNTU = "ubuntu-24.04"  # ubuntu-22.04 is itself in deprecation (retired 2027-04-17, #14254)
_RI = "https://github.com/actions/runner-images/issues/"
_CHANGELOG = "https://github.blog/changelog/"
#: Withdrawn GitHub-hosted images, as of 2026-12-04. Each date was checked against the
#: announcement named (runner-images "Announcement" issues, else GitHub's changelog); refresh
#: from the issues labelled "Announcement" in actions/runner-images. Intel macOS labels move to
#: ``macos-15-intel`` (the last x86_64 image, until 2027-08) so the architecture does not
#: change; Apple-silicon labels (macos-14, ``-xlarge``) move to macos-15.
#:
#: Notes from the check: ubuntu-16.04's in-product warning points to #3287, the date is from
#: the changelog; ubuntu-18.04 was extended from 2022-12-01 to 2023-04-03 (#6002's title);
#: ubuntu-20.04 from 2025-04-01 to 2025-04-15 (#11101); macos-11 has no runner-images
#: announcement (#10097 says so), the changelog of 2024-05-20 dates it; macos-13: #13046's
#: title and the changelog of 2025-09-19 say 2025-12-04 (its edited body says 2025-12-08);
#: windows-2016: #4312's target date (a later postponement, #5238/#5403, was Azure DevOps').
RETIRED_IMAGES: dict[str, RetiredImage] = {
    i.label: i
    for i in (
        RetiredImage(
            "ubuntu-16.04",
            "2021-09-20",
            _UBUNTU,
            _CHANGELOG + "2021-04-29-github-actions-ubuntu-16-04-lts-virtual-environment-will-"
            "be-removed-on-september-20-2021/",
        ),
        RetiredImage("ubuntu-18.04", "2023-04-03", _UBUNTU, _RI + "6002"),
        RetiredImage("ubuntu-20.04", "2025-04-15", _UBUNTU, _RI + "11101"),
        RetiredImage("macos-10.15", "2022-12-01", "macos-15-intel", _RI + "5583"),
        RetiredImage(
            "macos-11",
            "2024-06-28",
            "macos-15-intel",
            _CHANGELOG + "2024-05-20-actions-upcoming-changes-to-github-hosted-macos-runners/"
            "#macos-11-deprecation-and-removal",
        ),
        RetiredImage("macos-12", "2024-12-03", "macos-15-intel", _RI + "10721"),
        RetiredImage("macos-12-large", "2024-12-03", "macos-15-large", _RI + "10721"),
        RetiredImage("macos-13", "2025-12-04", "macos-15-intel", _RI + "13046"),
        RetiredImage("macos-13-large", "2025-12-04", "macos-15-large", _RI + "13046"),
        RetiredImage("macos-13-xlarge", "2025-12-04", "macos-15-xlarge", _RI + "13046"),
        RetiredImage("macos-14", "2026-11-02", "macos-15", _RI + "13518"),
        RetiredImage("macos-14-large", "2026-11-02", "macos-15-large", _RI + "13518"),
        RetiredImage("macos-14-xlarge", "2026-11-02", "macos-15-xlarge", _RI + "13518"),
        RetiredImage("windows-2016", "2022-03-15", "windows-2022", _RI + "4312"),
        RetiredImage("windows-2019", "2025-06-30", "windows-2022", _RI + "12045"),
    )
}
_RENAMES = {label: image.replacement for label, image in RETIRED_IMAGES.items()}
_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
_MATRIX_REF = re.compile(r"^\s*matrix\.([\w-]+)(?:\.([\w-]+))?\s*$")
_LITERAL = re.compile(r"'([^']*)'")
_OUTSIDE = re.compile(r"\b(inputs|vars|github|needs|env|steps|fromjson|format|join)\b", re.I)


def _labels(runs_on: Node | None) -> list[Node]:
    """The label nodes of ``runs-on`` (a label, a list, or ``{group, labels}``)."""
    runs_on = deref(runs_on)
    if isinstance(runs_on, YamlMapping):
        return _labels(get(runs_on, "labels"))
    if isinstance(runs_on, YamlSequence):
        return [i for i in (deref(x) for x in runs_on.items) if i is not None]
    return [runs_on] if runs_on is not None else []


def _get_nocase(node: Node | None, key: str) -> Node | None:
    """``matrix.OS`` names the key ``os``: expression property names ignore case."""
    found = get(node, key)
    if found is not None:
        return found
    for k, v in pairs(node):
        if isinstance(k, Scalar) and k.value.lower() == key.lower():
            return v
    return None


def _matrix_values(matrix: Node | None, key: str, sub: str | None) -> list[Scalar] | None:
    """Every scalar ``matrix.key[.sub]`` takes (its list, and ``include``/``exclude``
    entries); None when the values are not all literal."""
    matrix = deref(matrix)
    if not isinstance(matrix, YamlMapping):
        return None
    out: list[Scalar] = []

    def take(value: Node | None) -> bool:
        value = deref(value)
        if sub is not None:
            value = deref(_get_nocase(value, sub))
        if value is None and sub is not None:
            return True  # this entry does not set the sub-key
        if not isinstance(value, Scalar) or "${{" in value.value:
            return False
        out.append(value)
        return True

    values = deref(_get_nocase(matrix, key))
    if isinstance(values, YamlSequence):
        if not all(take(item) for item in values.items):
            return None
    elif values is not None:
        return None
    for extra in ("include", "exclude"):
        entries = deref(get(matrix, extra))
        if isinstance(entries, YamlSequence):
            for entry in entries.items:
                value = _get_nocase(entry, key)
                if value is not None and not take(value):
                    return None
        elif entries is not None:
            return None
    return out if out else None


def runner_image(ctx: RuleContext) -> None:
    wf = ctx.wf
    if wf.kind != "workflow":
        return
    for job in wf.jobs:
        if job.uses or not isinstance(deref(job.node), YamlMapping):
            continue
        labels = _labels(get(job.node, "runs-on"))
        if any(isinstance(n, Scalar) and n.value.lower() == "self-hosted" for n in labels):
            continue
        for node in labels:
            if isinstance(node, Scalar):
                _judge_label(ctx, job, node)


def _judge_label(ctx: RuleContext, job: WorkflowJob, node: Scalar) -> None:
    label = node.value
    if "${{" not in label:
        image = RETIRED_IMAGES.get(label.lower())
        if image:
            _propose(ctx, job, image, [node], where="`runs-on`")
        return
    exprs = list(_EXPR.finditer(label))
    m = _MATRIX_REF.match(exprs[0].group(1)) if len(exprs) == 1 else None
    matrix = get(get(job.node, "strategy"), "matrix")
    values = _matrix_values(matrix, m.group(1), m.group(2)) if m else None
    if m is None or values is None:
        _judge_expression(ctx, job, node, exprs)
        return
    whole = exprs[0].group(0) == label.strip()
    rendered = {v.value.lower(): label.replace(exprs[0].group(0), v.value).lower() for v in values}
    retired = sorted(
        {RETIRED_IMAGES[r] for r in rendered.values() if r in RETIRED_IMAGES}, key=lambda i: i.label
    )
    for image in retired:
        if not whole:
            _report_unfixable(ctx, job, node, image, f"`{label}` expands to `{image.label}`")
            continue
        nodes = [v for v in values if v.value.lower() == image.label]
        blocked = ""
        lists = (_get_nocase(deref(matrix), m.group(1)), get(deref(matrix), "include"))
        if any(_would_duplicate(deref(seq), image) for seq in lists):
            blocked = f"the matrix would list `{image.replacement}` twice; drop `{image.label}`"
        _propose(ctx, job, image, nodes, where=f"`{exprs[0].group(1).strip()}`", blocked=blocked)


def _would_duplicate(seq: Node | None, image: RetiredImage) -> bool:
    """Would renaming every retired label in this matrix list (all the renames this rule
    makes, not only ``image``'s) make two entries equal (``[macos-14, macos-15]``, or two
    ``{os, version}`` rows)? GitHub rejects such a matrix."""
    if not isinstance(seq, YamlSequence):
        return False

    def key(value: Any) -> str:
        return json.dumps(value, sort_keys=True, default=str)

    before = [key(_swapped(plain(i), {})) for i in seq.items]
    after = [key(_swapped(plain(i), _RENAMES)) for i in seq.items]
    return len(set(after)) < len(set(before)) and any(image.label in b for b in before)


def _swapped(value: Any, renames: dict[str, str]) -> Any:
    """``value`` with every string naming a retired image renamed (case-insensitively), so
    entries are compared the way GitHub would expand them."""
    if isinstance(value, str):
        lowered = value.lower()
        return renames.get(lowered, lowered)
    if isinstance(value, dict):
        return {k: _swapped(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [_swapped(v, renames) for v in value]
    return value


def _judge_expression(
    ctx: RuleContext, job: WorkflowJob, node: Scalar, exprs: list[re.Match[str]]
) -> None:
    """Labels from other expressions: literals inside are checked; anything else is reported."""
    body = " ".join(e.group(1) for e in exprs)
    literals = [lit.lower() for lit in _LITERAL.findall(body)]
    for lit in literals:
        if lit in RETIRED_IMAGES:
            _report_unfixable(ctx, job, node, RETIRED_IMAGES[lit], f"`{node.value}` can be it")
            return
    if literals and not _OUTSIDE.search(body):
        return  # only literals, none retired
    ctx.report(
        "runner-image",
        node.sl + 1,
        f"job `{job.id}`: runner label `{node.value}` cannot be checked",
        "The label is built by an expression Pitcrew cannot resolve from this file; make "
        "sure it never names a retired image (" + ", ".join(sorted(RETIRED_IMAGES)) + ").",
    )


def _report_unfixable(
    ctx: RuleContext, job: WorkflowJob, node: Scalar, image: RetiredImage, how: str
) -> None:
    ctx.report(
        "runner-image",
        node.sl + 1,
        f"job `{job.id}`: {how}, retired on {image.retired} → use `{image.replacement}`",
        f"GitHub withdrew the {image.label} image on {image.retired} ({image.source}); a job "
        "that asks for it never gets a runner. The label is built by an expression, so "
        "Pitcrew does not edit it.",
        edits=[None],
        blocked="label built by an expression",
    )


def _propose(
    ctx: RuleContext,
    job: WorkflowJob,
    image: RetiredImage,
    nodes: list[Scalar],
    *,
    where: str,
    blocked: str = "",
) -> None:
    edits: list[Edit | None] = [
        replace_in_scalar(ctx.doc, n, n.value, image.replacement) for n in nodes
    ]
    pair = own_pair(job.node, "runs-on")
    line = nodes[0].sl + 1 if nodes else (pair[0].sl + 1 if pair else job.key.sl + 1)
    ctx.report(
        "runner-image",
        line,
        f"job `{job.id}`: `{image.label}` was retired on {image.retired} → "
        f"`{image.replacement}` (in {where})",
        f"GitHub withdrew the {image.label} image on {image.retired} ({image.source}); a job "
        f"that asks for it never gets a runner. {image.replacement} is the supported image of "
        "the same family (a pinned version stays pinned).",
        edits=edits,
        blocked=blocked,
    )
