"""Plain inputs and outputs of the optimizer (dataclasses the service fills and reads)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .actions import ActionCatalog, bundled_catalog
from .edits import Edit
from .filters import ignored
from .model import Doc, Workflow

#: Rules run by default, in the order their edits are made. ``pin-sha`` is opt-in.
DEFAULT_RULES = (
    "permissions",
    "concurrency",
    "merge-group",
    "paths-ignore",
    "timeout",
    "cache",
    "deprecated-action",
    "runner-image",
    "script-injection",
    "pwn-request",
    "secrets-inherit",
    "dependabot",
)
#: Every stable rule id (public interface). ``yaml`` reports structural problems.
RULE_IDS = (*DEFAULT_RULES, "pin-sha", "yaml")
SECURITY_RULES = frozenset({"script-injection", "pwn-request", "secrets-inherit", "zizmor"})

#: Step names that install dependencies (what a dependency cache shortens).
_INSTALL_STEP = re.compile(
    r"\b(install|npm ci|yarn|pnpm i|dependenc|deps|bundle|go mod download|restore|"
    r"pip |poetry|pipenv|composer|maven|gradle dependencies)",
    re.I,
)
#: resolver(action "owner/repo", tag) -> (full commit sha, exact tag such as "v4.1.7") or None
PinResolver = Callable[[str, str], "tuple[str, str] | None"]


@dataclass
class Finding:
    """One proposal or problem. ``fix`` is True when the change is in the output text."""

    file: str
    rule: str
    line: int
    message: str
    fix: bool = False
    rationale: str = ""
    minutes_saved: float | None = None  # estimated CI minutes saved per month
    audit: str = ""  # zizmor's audit id (rule "zizmor")
    doc_url: str = ""  # documentation of that audit

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape: exactly ``{file, rule, line, message, fix}``."""
        return {
            "file": self.file,
            "rule": self.rule,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }

    @property
    def security(self) -> bool:
        return self.rule in SECURITY_RULES


@dataclass(frozen=True)
class ChangedRun:
    """One push or pull_request run: its billed minutes and the files its trigger changed."""

    event: str
    minutes: float
    paths: tuple[str, ...] | None  # None: not recorded (before collection, forced push, ...)
    truncated: bool = False  # more files changed than were kept

    @classmethod
    def from_value(cls, value: ChangedRun | Mapping[str, Any]) -> ChangedRun:
        if isinstance(value, ChangedRun):
            return value
        paths = value.get("paths")
        return cls(
            str(value["event"]),
            float(value["minutes"]),
            None if paths is None else tuple(str(p) for p in paths),
            bool(value.get("truncated", False)),
        )

    def skipped_by(self, patterns: list[str]) -> bool | None:
        """Would ``paths-ignore: patterns`` have skipped this run? None: cannot tell."""
        if self.paths is None:
            return None
        if any(not ignored(patterns, p) for p in self.paths):
            return False  # one file outside the patterns runs it, whatever was cut
        return None if self.truncated or not self.paths else True


@dataclass
class RunHistory:
    """Run history the service collects from the Actions API (all figures in minutes).

    Keys are workflow paths as in the repository (``.github/workflows/ci.yml``) and, for jobs,
    the job id or its display name (matrix jobs may be named ``test (3.12)``: every job whose
    name starts with ``"<id or name> ("`` counts for that job).
    """

    window_days: float = 30.0
    #: path -> job -> durations of successful runs, minutes
    job_durations: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    #: path -> minutes spent in runs superseded by a newer run on the same ref (window total)
    superseded_minutes: dict[str, float] = field(default_factory=dict)
    #: path -> same, pull-request refs only (used when only PR runs would be cancelled)
    superseded_pr_minutes: dict[str, float] = field(default_factory=dict)
    #: path -> job -> minutes spent in dependency install steps (window total)
    install_minutes: dict[str, dict[str, float]] = field(default_factory=dict)
    #: path -> minutes of runs triggered by changes touching only docs/Markdown (window total)
    docs_only_minutes: dict[str, float] = field(default_factory=dict)
    #: path -> every push/pull_request run in the window with its changed files (when known)
    changed_runs: dict[str, list[ChangedRun]] = field(default_factory=dict)

    def skippable(
        self, path: str, events: Iterable[str], patterns: list[str]
    ) -> tuple[float, int, int]:
        """(minutes of runs ``paths-ignore: patterns`` would have skipped, runs whose changed
        files are known, all runs) over the window, for runs of ``events``."""
        wanted = set(events)
        runs = [r for r in self.changed_runs.get(path, []) if r.event in wanted]
        verdicts = [(r, r.skipped_by(patterns)) for r in runs]
        minutes = sum(r.minutes for r, skipped in verdicts if skipped)
        return minutes, sum(1 for _, v in verdicts if v is not None), len(runs)

    def add_step_timings(self, path: str, job: str, steps: Iterable[tuple[str, float]]) -> None:
        """Count the dependency-install steps of one job run (``workflow_job`` step timings)."""
        seconds = sum(s for name, s in steps if _INSTALL_STEP.search(name))
        if seconds > 0:
            jobs = self.install_minutes.setdefault(path, {})
            jobs[job] = jobs.get(job, 0.0) + seconds / 60.0

    def install_for(self, path: str, job_id: str, name: str | None) -> float:
        """Install minutes of a job, by id or display name (matrix legs included)."""
        jobs = self.install_minutes.get(path, {})
        total = 0.0
        for key in {job_id, name or job_id}:
            total += sum(v for k, v in jobs.items() if k == key or k.startswith(key + " ("))
        return total

    def per_month(self, minutes: float) -> float:
        return round(minutes * 30.0 / max(self.window_days, 1e-9), 1)

    def durations(self, path: str, job_id: str, name: str | None) -> list[float]:
        jobs = self.job_durations.get(path, {})
        out: list[float] = []
        for key in {job_id, name or job_id}:
            out += jobs.get(key, [])
            for other, values in jobs.items():
                if other.startswith(key + " ("):
                    out += values
        return out

    @staticmethod
    def p99(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunHistory:
        known = {f for f in cls.__dataclass_fields__}
        fields = {k: v for k, v in data.items() if k in known}
        if "changed_runs" in fields:
            fields["changed_runs"] = {
                path: [ChangedRun.from_value(r) for r in runs]
                for path, runs in fields["changed_runs"].items()
            }
        return cls(**fields)


@dataclass
class OptimizeConfig:
    """Per-repository knobs (``optimize:`` in ``.github/pitcrew.yml`` plus service facts)."""

    rules: tuple[str, ...] = ()  # empty: DEFAULT_RULES
    exclude: tuple[str, ...] = ()  # glob patterns of workflow paths to leave alone
    timeout_default: int = 30
    default_branch: str | None = None  # None: "main" or "master"
    owner: str | None = None  # repository owner: reusable workflows of this owner are first-party
    required_checks: frozenset[str] | None = None  # None: unknown
    merge_queue_branches: frozenset[str] | None = None  # branches gated by a merge queue
    pin_resolver: PinResolver | None = None
    #: facts about actions (runtimes, tags); None: the bundled table. The service passes the
    #: bundled table merged with what it looked up online.
    actions: ActionCatalog | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, **facts: Any) -> OptimizeConfig:
        """Build from the ``optimize`` section of the repository configuration."""
        data = data or {}
        return cls(
            rules=tuple(data.get("rules") or ()),
            exclude=tuple(data.get("exclude") or ()),
            timeout_default=int(data.get("timeout_default") or 30),
            **facts,
        )

    def action_catalog(self) -> ActionCatalog:
        return self.actions if self.actions is not None else bundled_catalog()

    def default_branches(self) -> set[str]:
        return {self.default_branch} if self.default_branch else {"main", "master"}


@dataclass
class OptimizeError:
    """A file that could not be read (broken YAML): ``line`` is 1-based."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class OptimizeResult:
    findings: list[Finding] = field(default_factory=list)
    #: path -> (old text or None for a new file, new text); only files that change
    changes: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    errors: list[OptimizeError] = field(default_factory=list)

    def diff(self) -> str:
        from .edits import unified_diff

        return "".join(unified_diff(p, old or "", new) for p, (old, new) in self.changes.items())


@dataclass
class RuleContext:
    """What a rule sees for one file, and where it records findings and edits."""

    wf: Workflow
    repo_files: frozenset[str]
    config: OptimizeConfig
    history: RunHistory | None
    findings: list[Finding] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)

    @property
    def doc(self) -> Doc:
        return self.wf.doc

    def report(
        self,
        rule: str,
        line: int,
        message: str,
        rationale: str,
        *,
        edits: list[Edit | None] | None = None,
        saving: float | None = None,
        blocked: str = "",
    ) -> Finding:
        """Record a finding; it is a fix when every wanted edit could be built."""
        wanted = edits or []
        ok = bool(wanted) and all(e is not None for e in wanted) and not blocked
        if wanted and not ok:
            reason = blocked or self.doc.frozen or "inside an alias/anchor or flow style"
            message += f" (not applied: {reason})"
        finding = Finding(self.wf.path, rule, line, message, ok, rationale, saving)
        self.findings.append(finding)
        if ok:
            for e in wanted:
                assert e is not None
                e.owner = len(self.findings) - 1
                e.seq = len(self.edits)
                self.edits.append(e)
        return finding
