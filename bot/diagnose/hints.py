"""Hints that fit the failure, not just its category.

* a missing module names the module and the file that imports it (Python tracebacks and
  pytest collection errors, Node ``Require stack``, jest ``from '…'``, tsc ``TS2307``);
* a lockfile that no longer matches its manifest gives the command that refreshes it;
* a formatter's check gives the exact command that fixes it locally: the one the formatter
  itself advises when it prints one (Spotless: ``Run './gradlew :spotlessApply' to fix these
  violations.``), else one derived from the failing step's own command line
  (``black --check --diff .`` → ``black .``).

Pure functions over the lines the engine saw and the failing step's command.
"""

from __future__ import annotations

import re
import shlex

from .extractors import relative_path

_PY_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+)')
_PYTEST_FRAME = re.compile(r"^(\S+\.py):(\d+): in ")
_REQUIRE_STACK = re.compile(r"^- (\S+\.[cm]?[jt]sx?)$")
_MODULE = (
    re.compile(
        r"(?:ModuleNotFoundError: No module named|ImportError: cannot import name)"
        r" '([\w.]+)'"
    ),
    re.compile(r"Cannot find module '([^']+)'(?: from '([^']+)')?"),
    re.compile(r"^(\S+?)\(\d+,\d+\): error TS2307: Cannot find module '([^']+)'"),
    re.compile(r"^(\S+?):\d+:\d+ - error TS2307: Cannot find module '([^']+)'"),
    re.compile(r"no required module provides package ([\w./-]+)"),
    re.compile(r"^(\S+):\d+:\d+: fatal error: (\S+): No such file or directory"),
    re.compile(r"cannot load such file -- (\S+) \(LoadError\)"),
)
# (pattern seen in the failing step, command that refreshes the lockfile)
_LOCKFILES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"npm ci. can only install packages when|Missing: \S+ from lock file"
            r"|Invalid: lock file"
        ),
        "npm install (then commit package-lock.json)",
    ),
    (
        re.compile(r"Your lockfile needs to be updated|frozen-lockfile"),
        "yarn install (then commit yarn.lock)",
    ),
    (
        re.compile(r"YN0028|lockfile would have been modified"),
        "yarn install (then commit yarn.lock)",
    ),
    (
        re.compile(r"ERR_PNPM_OUTDATED_LOCKFILE|pnpm-lock\.yaml is not up to date"),
        "pnpm install (then commit pnpm-lock.yaml)",
    ),
    (
        re.compile(r"poetry\.lock (?:is not consistent|was last generated)|poetry lock"),
        "poetry lock (then commit poetry.lock)",
    ),
    (re.compile(r"uv\.lock. needs to be updated"), "uv lock (then commit uv.lock)"),
    (re.compile(r"Pipfile\.lock \(\w+\) is out of date"), "pipenv lock (then commit Pipfile.lock)"),
    (
        re.compile(r"missing go\.sum entry|updates to go\.mod needed|go: inconsistent vendoring"),
        "go mod tidy (then commit go.mod and go.sum)",
    ),
    (
        re.compile(
            r"Cargo\.lock needs to be updated|lock file .* needs to be updated but --locked"
        ),
        "cargo update --workspace (then commit Cargo.lock)",
    ),
    (
        re.compile(r"install in deployment mode after changing|Gemfile\.lock"),
        "bundle install (then commit Gemfile.lock)",
    ),
    (
        re.compile(
            r"lock file is not up to date with the latest changes in composer\.json"
            r"|is not present in the lock file"
        ),
        "composer update --lock (then commit composer.lock)",
    ),
)

# formatter check → (flags to drop, flags to add)
_FORMATTERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("black", ("--check", "--diff", "--color"), ()),
    ("isort", ("--check-only", "--check", "-c", "--diff"), ()),
    ("ruff", ("--check", "--diff"), ()),
    ("prettier", ("--check", "-c", "--list-different", "-l"), ("--write",)),
    ("gofmt", ("-l", "-d"), ("-w",)),
    ("goimports", ("-l", "-d"), ("-w",)),
    ("rustfmt", ("--check",), ()),
    ("clang-format", ("--dry-run", "-n", "--Werror"), ("-i",)),
    ("shfmt", ("-d", "-l"), ("-w",)),
    ("stylua", ("--check",), ()),
    ("dotnet", ("--verify-no-changes",), ()),
    ("mix", ("--check-formatted",), ()),
    ("yapf", ("--diff", "-d"), ("-i",)),
    ("autopep8", ("--diff", "-d"), ("--in-place",)),
    ("swiftformat", ("--lint",), ()),
    ("rufo", ("--check", "-c"), ()),
    ("php-cs-fixer", ("--dry-run", "--diff"), ()),
    ("cmake-format", ("--check",), ("-i",)),
    ("elm-format", ("--validate",), ("--yes",)),
    ("nixpkgs-fmt", ("--check",), ()),
    ("alejandra", ("--check", "-c"), ()),
)
# sub-command formatters: (tool, sub-command, flags to drop); the sub-command must be there
_SUBCOMMAND_FORMATTERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("terraform", "fmt", ("-check", "-diff")),
    ("tofu", "fmt", ("-check", "-diff")),
    ("deno", "fmt", ("--check",)),
    ("zig", "fmt", ("--check",)),
    ("dart", "format", ("--set-exit-if-changed", "--output=none")),
    ("taplo", "fmt", ("--check",)),
    ("taplo", "format", ("--check",)),
)
# a build tool's check task → its fixing task (Gradle, Maven and sbt formatter plugins)
_CHECK_TASKS = {
    "spotlessCheck": "spotlessApply",
    "spotless:check": "spotless:apply",
    "ktlintCheck": "ktlintFormat",
    "scalafmtCheck": "scalafmt",
    "scalafmtCheckAll": "scalafmtAll",
    "scalafmtSbtCheck": "scalafmtSbt",
    "fmt:check": "fmt:format",
    "formatter:validate": "formatter:format",
}
# a formatter's own advice: ``Run './gradlew :spotlessApply' to fix these violations.``
_ADVISED_FIX = re.compile(
    r"\b[Rr]un\s+(['\"`])([^'\"`]{2,120})\1\s+(?:to|and)\s+(?:fix|apply|format|reformat)\b"
)


class HintCollector:
    """Fed every line the engine sees in one step; remembers what a hint needs."""

    def __init__(self) -> None:
        self.last_frame: str | None = None
        self.missing: tuple[str, str | None] | None = None
        self.lockfile_fix: str | None = None
        self.advised_fix: str | None = None

    def feed(self, text: str) -> None:
        frame = _PY_FRAME.match(text) or _PYTEST_FRAME.match(text)
        if frame:
            path = relative_path(frame.group(1))
            if "site-packages" not in path and "/lib/python" not in path:
                self.last_frame = f"{path}:{frame.group(2)}"
            return
        req = _REQUIRE_STACK.match(text)
        if req and self.missing and self.missing[1] is None:
            self.missing = (self.missing[0], relative_path(req.group(1)))
            return
        if self.advised_fix is None and (advice := _ADVISED_FIX.search(text)):
            self.advised_fix = advice.group(2).strip()
        if self.missing is None:
            self._missing_module(text)
        if self.lockfile_fix is None:
            for pattern, command in _LOCKFILES:
                if pattern.search(text):
                    self.lockfile_fix = command
                    break

    def _missing_module(self, text: str) -> None:
        for index, pattern in enumerate(_MODULE):
            m = pattern.search(text)
            if not m:
                continue
            if index in (2, 3, 5):  # the importing file comes first on the line
                self.missing = (m.group(2), relative_path(m.group(1)))
            elif index == 1:
                importer = m.group(2)
                self.missing = (m.group(1), relative_path(importer) if importer else None)
            else:
                self.missing = (m.group(1), self.last_frame)
            return

    def hint(
        self, category: str, step_command: str | None, tests: list[str] | None = None
    ) -> str | None:
        """The most specific hint the evidence supports, or None."""
        if category == "format" and self.advised_fix:
            return f"Run `{self.advised_fix}` locally and commit the result."
        if category == "format" and step_command:
            fix = formatter_fix_command(step_command)
            if fix:
                return f"Run `{fix}` locally and commit the result."
            return f"Reproduce locally with `{step_command}` and commit the formatted files."
        if self.lockfile_fix and category == "dependency_install":
            return f"The lockfile does not match the manifest; run `{self.lockfile_fix}`."
        if category == "test_failure" and not self.missing:
            rerun = rerun_tests_command(step_command, tests or [])
            if rerun:
                return f"Re-run the failing tests locally: `{rerun}`."
        if self.missing and category in ("build", "test_failure", "type_check", "unknown"):
            module, importer = self.missing
            where = f" (imported from `{importer}`)" if importer else ""
            return (
                f"Module `{module}` cannot be found{where}: add it to the dependencies "
                "or fix the import."
            )
        return None


def step_command(title: str | None) -> str | None:
    """The command of a ``Run …`` step title (None for ``uses:`` steps)."""
    if not title or not title.startswith("Run "):
        return None
    command = title[4:].strip()
    if re.match(r"^[\w.-]+/[\w.-]+(?:/\S*)?@\S+$", command):  # an action: owner/name@ref
        return None
    return command or None


def formatter_fix_command(command: str) -> str | None:
    """The fixing form of a formatter check command line, or None if not recognised."""
    for part in re.split(r"\s*(?:&&|;|\|\|)\s*", command):
        fixed = _fix_one(part)
        if fixed:
            return fixed
    return None


def _fix_one(command: str) -> str | None:
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words:
        return None
    if words[:2] == ["cargo", "fmt"] or words[:3] == ["cargo", "+nightly", "fmt"]:
        kept = [w for w in words if w not in ("--check", "--")]
        return shlex.join(kept)
    if any(_task_name(w) in _CHECK_TASKS for w in words):
        return shlex.join([_fixing_task(w) for w in words])
    for tool, sub, drop in _SUBCOMMAND_FORMATTERS:
        if words[0].rsplit("/", 1)[-1] == tool and sub in words[1:3]:
            if any(w in drop for w in words):
                return shlex.join([w for w in words if w not in drop])
            return None
    start = _tool_index(words)
    if start is None:
        return None
    tool = words[start].rsplit("/", 1)[-1]
    for name, drop, add in _FORMATTERS:
        if tool != name:
            continue
        if name == "ruff" and "format" not in words:
            return None
        rest = [w for w in words[start + 1 :] if w not in drop]
        if not any(w in drop for w in words) and name not in ("gofmt", "goimports"):
            return None
        return shlex.join([*words[: start + 1], *add, *rest])
    return None


def _task_name(word: str) -> str:
    """A Gradle task path's last part (``:app:spotlessCheck`` → ``spotlessCheck``)."""
    return word if word in _CHECK_TASKS else word.rsplit(":", 1)[-1]


def _fixing_task(word: str) -> str:
    name = _task_name(word)
    fixing = _CHECK_TASKS.get(name)
    return word[: len(word) - len(name)] + fixing if fixing else word


def _tool_index(words: list[str]) -> int | None:
    names = {name for name, _, _ in _FORMATTERS}
    for index, word in enumerate(words[:4]):
        if word.rsplit("/", 1)[-1] in names:
            return index
    return None


def rerun_tests_command(command: str | None, tests: list[str]) -> str | None:
    """A local command that re-runs just the failing tests, from the step's command."""
    if not command or not tests:
        return None
    shown = tests[:5]
    if re.search(r"\bpytest\b", command):
        ids = [t for t in shown if "::" in t or t.endswith(".py")]
        return shlex.join(["python", "-m", "pytest", *ids]) if ids else None
    if re.search(r"\bgo test\b", command):
        names = sorted({t.split("/", 1)[0] for t in shown})
        return f"go test -run '^({'|'.join(names)})$' ./..."
    if re.search(r"\bcargo (?:\+\w+ )?test\b", command):
        return shlex.join(["cargo", "test", shown[0]]) if len(shown) == 1 else "cargo test"
    if re.search(r"\brspec\b", command):
        # ``./spec/x_spec.rb:12`` ids run as they are; descriptions through ``-e``
        args = [a for t in shown for a in ((t,) if t.startswith("./") else ("-e", t))]
        return shlex.join(["bundle", "exec", "rspec", *args])
    if re.search(r"\bphpunit\b", command) and "::" in shown[0]:
        return shlex.join(["vendor/bin/phpunit", "--filter", shown[0].split("::", 1)[1]])
    if re.search(r"\bjest\b", command) and " › " in shown[0]:
        return shlex.join(["npx", "jest", "-t", shown[0].split(" › ")[-1]])
    if re.search(r"\bvitest\b", command) and " > " in shown[0]:
        return shlex.join(["npx", "vitest", "run", shown[0].split(" > ", 1)[0]])
    return None
