"""Pitcrew's allow-list of formatters and how each one's check command becomes its fix command.

Only these tools ever run, and none of them executes code from the repository: their
configuration is data (TOML/YAML/JSON/INI). A tool is recognised in the failing step's script
(``ruff format --check .``, ``python -m black --check src``, ``uv run ruff check``, ``cargo fmt
--check``, ``find … | xargs clang-format --dry-run -Werror``) or, when the script only calls a
wrapper (``make lint``), from the tool's own words in the output. Arguments are kept only when
Pitcrew knows them (``--line-length 100``, ``--config pyproject.toml``, paths); an option it does
not know makes the fix ``unsupported`` rather than a guess at what it means.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from .model import FixPlan, Refusal

_WORKSPACE = re.compile(r"^(?:/home/runner/work/[^/]+/[^/]+/|/__w/[^/]+/[^/]+/|/github/workspace/)")
_CODE_RE = re.compile(r"^[A-Z]{1,4}[0-9]{1,4}$")


@dataclass(frozen=True)
class ToolSpec:
    """One allow-listed formatter.

    ``install``: ``pypi``/``npm`` (pinned versions installed into the tool cache) or ``system``
    (used from PATH when present). ``configs``: file names the tool reads, at any directory
    above a target; ``pyproject_table``: its ``[tool.X]`` table, if it has one.
    """

    name: str
    install: str
    package: str
    extensions: tuple[str, ...]
    configs: tuple[str, ...] = ()
    pyproject_table: str | None = None
    drop_flags: frozenset[str] = frozenset()
    keep_flags: frozenset[str] = frozenset()
    keep_valued: frozenset[str] = frozenset()
    drop_valued: frozenset[str] = frozenset()
    file_patterns: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()
    version_argv: tuple[str, ...] = ("--version",)
    ok_exit_codes: tuple[int, ...] = (0,)
    fix_prefix: tuple[str, ...] = ()
    executable: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def exe(self) -> str:
        return self.executable or self.name


_PY = (".py", ".pyi")
_C_EXTENSIONS = tuple(
    [
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".cxx",
        ".hh",
        ".hpp",
        ".hxx",
        ".m",
        ".mm",
        ".proto",
        ".cu",
        ".cuh",
        ".java",
        ".inc",
    ]
)
_PRETTIER_EXTENSIONS = tuple(
    [
        ".js",
        ".jsx",
        ".ts",
        ".tsx",
        ".mjs",
        ".cjs",
        ".json",
        ".css",
        ".scss",
        ".less",
        ".md",
        ".mdx",
        ".yml",
        ".yaml",
        ".html",
        ".vue",
        ".graphql",
        ".json5",
    ]
)
_PRETTIER_CONFIGS = tuple(
    [
        ".prettierrc",
        ".prettierrc.json",
        ".prettierrc.yaml",
        ".prettierrc.yml",
        ".prettierrc.json5",
        ".prettierrc.toml",
        "package.json",
        ".editorconfig",
        ".prettierignore",
    ]
)
_RUFF_COMMON_VALUED = frozenset(
    {"--config", "--line-length", "--target-version", "--exclude", "--extend-exclude"}
)
_RUFF_COMMON_FLAGS = frozenset(
    {"--preview", "--no-preview", "--force-exclude", "--no-force-exclude", "--isolated"}
    | {"--respect-gitignore", "--no-respect-gitignore"}
)
_RUFF_DROP = frozenset({"-q", "--quiet", "-s", "--silent", "-v", "--verbose", "-n", "--no-cache"})

TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec(
            name="ruff-format",
            executable="ruff",
            install="pypi",
            package="ruff",
            extensions=(*_PY, ".ipynb"),
            configs=("ruff.toml", ".ruff.toml", "pyproject.toml"),
            pyproject_table="ruff",
            drop_flags=_RUFF_DROP | {"--check", "--diff"},
            keep_flags=_RUFF_COMMON_FLAGS,
            keep_valued=_RUFF_COMMON_VALUED,
            drop_valued=frozenset({"--output-format", "--cache-dir", "--color"}),
            file_patterns=(r"^Would reformat: (\S+)$", r"^--- (\S+\.pyi?)$"),
            signatures=(r"^Would reformat: ", r"^\d+ files? would be reformatted"),
            fix_prefix=("format", "--no-cache"),
        ),
        ToolSpec(
            name="ruff-check",
            executable="ruff",
            install="pypi",
            package="ruff",
            extensions=_PY,
            configs=("ruff.toml", ".ruff.toml", "pyproject.toml"),
            pyproject_table="ruff",
            drop_flags=_RUFF_DROP
            | {"--fix", "--no-fix", "--show-fixes", "--no-show-fixes", "--statistics"}
            | {"--exit-zero", "--exit-non-zero-on-fix", "-e", "--diff", "--no-unsafe-fixes"},
            keep_flags=_RUFF_COMMON_FLAGS,
            keep_valued=_RUFF_COMMON_VALUED,
            drop_valued=frozenset({"--output-format", "--cache-dir", "--color"}),
            file_patterns=(r"^(\S+?\.pyi?):\d+:\d+: [A-Z]+\d+ ", r"^ *--> (\S+?\.pyi?):\d+:\d+$"),
            signatures=(r"^\S+\.pyi?:\d+:\d+: [A-Z]+\d+ ", r"fixable with the `--fix` option"),
            ok_exit_codes=(0, 1),
            fix_prefix=("check", "--no-cache", "--fix"),
        ),
        ToolSpec(
            name="black",
            install="pypi",
            package="black",
            extensions=(*_PY, ".ipynb"),
            configs=("pyproject.toml",),
            pyproject_table="black",
            drop_flags=frozenset({"--check", "--diff", "--color", "--no-color", "-q", "--quiet"})
            | {"-v", "--verbose"},
            keep_flags=frozenset(
                {"-S", "--skip-string-normalization", "-C", "--skip-magic-trailing-comma"}
                | {"--preview", "--unstable", "--pyi", "--ipynb", "--fast", "--safe"}
            ),
            keep_valued=frozenset(
                {"-l", "--line-length", "-t", "--target-version", "--config", "--include"}
                | {"--exclude", "--extend-exclude", "--force-exclude", "--required-version"}
            ),
            drop_valued=frozenset({"-W", "--workers"}),
            file_patterns=(r"^would reformat (\S+)$", r"^reformatted (\S+)$"),
            signatures=(r"^would reformat ", r"^Oh no! 💥 💔 💥"),
        ),
        ToolSpec(
            name="isort",
            install="pypi",
            package="isort",
            extensions=_PY,
            configs=(".isort.cfg", "pyproject.toml", "setup.cfg", "tox.ini", ".editorconfig"),
            pyproject_table="isort",
            drop_flags=frozenset({"--check-only", "-c", "--check", "--diff", "--df", "-q"})
            | {"--quiet", "--verbose", "-v", "--color"},
            keep_flags=frozenset({"--filter-files", "--float-to-top"}),
            keep_valued=frozenset(
                {"--profile", "--settings-path", "--sp", "--settings-file", "-l", "--line-length"}
                | {"--skip", "-s", "--skip-glob", "--sg", "--src", "-p", "--project"}
            ),
            file_patterns=(r"^ERROR: (\S+) Imports are incorrectly sorted", r"^Fixing (\S+)$"),
            signatures=(r"Imports are incorrectly sorted",),
        ),
        ToolSpec(
            name="gofmt",
            install="system",
            package="gofmt",
            extensions=(".go",),
            drop_flags=frozenset({"-l", "-d", "-e"}),
            keep_flags=frozenset({"-s"}),
            file_patterns=(r"^(\S+\.go)$", r"^--- (\S+\.go)\.orig$", r"^diff -u? ?\S+ (\S+\.go)$"),
            signatures=(r"^--- \S+\.go\.orig$",),
            version_argv=(),
            fix_prefix=("-w",),
        ),
        ToolSpec(
            name="rustfmt",
            install="system",
            package="rustfmt",
            extensions=(".rs",),
            configs=("rustfmt.toml", ".rustfmt.toml"),
            drop_flags=frozenset({"--check", "-q", "--quiet", "--all", "-v"}),
            keep_valued=frozenset({"--edition", "--config-path"}),
            file_patterns=(r"^Diff in (\S+?\.rs)(?: at line \d+|:\d+):",),
            signatures=(r"^Diff in \S+\.rs",),
        ),
        ToolSpec(
            name="clang-format",
            install="pypi",  # a pinned version comes from PyPI's wheels; unpinned: Debian's
            package="clang-format",
            extensions=_C_EXTENSIONS,
            configs=(".clang-format", "_clang-format"),
            drop_flags=frozenset({"--dry-run", "-n", "-Werror", "--Werror", "--verbose"}),
            drop_valued=frozenset({"--ferror-limit", "-ferror-limit"}),
            keep_valued=frozenset({"--style", "-style", "--fallback-style", "-fallback-style"}),
            file_patterns=(r"^(\S+?):\d+:\d+: (?:error|warning): code should be clang-formatted",),
            signatures=(r"code should be clang-formatted",),
            fix_prefix=("-i",),
        ),
        ToolSpec(
            name="taplo",
            install="pypi",
            package="taplo",
            extensions=(".toml",),
            configs=("taplo.toml", ".taplo.toml"),
            drop_flags=frozenset({"--check", "--diff", "--verbose"}),
            keep_valued=frozenset({"--config", "-c", "--option", "-o"}),
            file_patterns=(r'the file is not properly formatted.*path="([^"]+)"',),
            signatures=(r"the file is not properly formatted",),
            fix_prefix=("fmt",),
        ),
        ToolSpec(
            name="prettier",
            install="npm",
            package="prettier",
            extensions=_PRETTIER_EXTENSIONS,
            configs=_PRETTIER_CONFIGS,
            drop_flags=frozenset({"--check", "-c", "--list-different", "-l", "--no-color"})
            | {"--color"},
            drop_valued=frozenset({"--log-level", "--cache-location", "--cache-strategy"}),
            keep_flags=frozenset({"--no-semi", "--single-quote", "--no-bracket-spacing"}),
            keep_valued=frozenset(
                {"--config", "--ignore-path", "--print-width", "--tab-width", "--trailing-comma"}
                | {"--end-of-line", "--prose-wrap", "--quote-props", "--arrow-parens"}
            ),
            file_patterns=(r"^\[warn\] (\S+)$",),
            signatures=(r"^\[warn\] Code style issues found",),
            fix_prefix=("--write",),
        ),
        ToolSpec(
            name="yamlfmt",
            install="system",
            package="yamlfmt",
            extensions=(".yml", ".yaml"),
            configs=(".yamlfmt", ".yamlfmt.yml", ".yamlfmt.yaml", "yamlfmt.yml", "yamlfmt.yaml"),
            drop_flags=frozenset({"-lint", "--lint", "-dry", "--dry", "-quiet", "-q"}),
            keep_valued=frozenset({"-conf", "--conf", "-formatter", "--formatter"}),
            file_patterns=(r"^(\S+\.ya?ml): ",),
            signatures=(r"yamlfmt",),
            version_argv=("-version",),
        ),
    )
}

# Words a step's script uses to call a tool, mapped to the tool (ruff needs its sub-command).
_WRAPPERS = {"uv", "uvx", "poetry", "pipx", "pdm", "hatch", "npx", "pnpm", "yarn", "xargs", "exec"}
_WRAPPER_WORDS = {"run", "exec", "dlx", "--"}
_PYTHONS = re.compile(r"^(?:python[0-9.]*|py)$")
_SEPARATORS = {"&&", "||", ";", "|", "&", "(", ")", "$(", "`"}


# pre-commit hook ids (the upstream repositories' own) → the allow-listed tool
PRE_COMMIT_HOOKS = {
    "black": "black",
    "black-jupyter": "black",
    "ruff-format": "ruff-format",
    "ruff": "ruff-check",
    "ruff-check": "ruff-check",
    "isort": "isort",
    "clang-format": "clang-format",
    "prettier": "prettier",
    "taplo-format": "taplo",
    "taplo-fmt": "taplo",
    "yamlfmt": "yamlfmt",
    "go-fmt": "gofmt",
    "gofmt": "gofmt",
    "fmt": "rustfmt",
    "rustfmt": "rustfmt",
}
PRE_COMMIT = "pre-commit"
_HOOK_FAILED = re.compile(r"^.+?\.{3,}\s*Failed$")
_HOOK_ID = re.compile(r"^- hook id: (\S+)$")
_DIFF_FILE = re.compile(r"^diff --git a/(\S+) b/\S+$")


def failed_hooks(output: list[str]) -> list[str]:
    """Hook ids pre-commit reported as failed, in order."""
    hooks: list[str] = []
    after_failed = False
    for line in output:
        if _HOOK_FAILED.match(line.strip()):
            after_failed = True
            continue
        m = _HOOK_ID.match(line.strip())
        if m and after_failed:
            hooks.append(m.group(1))
        after_failed = False
    return hooks


def diff_files(output: list[str], spec: ToolSpec) -> list[str]:
    """Files in ``--show-diff-on-failure``'s diff that the tool formats."""
    found: dict[str, None] = {}
    for line in output:
        m = _DIFF_FILE.match(line.strip())
        if m:
            path = normalize_path(m.group(1))
            if path and path.endswith(spec.extensions):
                found.setdefault(path, None)
    return list(found)


def tool_of_words(words: list[str]) -> tuple[str, list[str]] | None:
    """``(tool name, remaining args)`` if this simple command calls an allow-listed tool."""
    i = 0
    while i < len(words) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[i]):
        i += 1  # FOO=bar prefixes
    while i < len(words):
        word = words[i].rsplit("/", 1)[-1]
        if word in _WRAPPERS or word in _WRAPPER_WORDS or (word.startswith("-") and i > 0):
            i += 1
            continue
        if _PYTHONS.match(word) and i + 1 < len(words) and words[i + 1] == "-m":
            i += 2
            continue
        break
    if i >= len(words):
        return None
    head, rest = words[i].rsplit("/", 1)[-1], words[i + 1 :]
    if head == PRE_COMMIT and rest[:1] == ["run"]:
        return PRE_COMMIT, rest[1:]
    if head == "ruff":
        sub = next((w for w in rest if not w.startswith("-")), "check")
        if sub == "format":
            return "ruff-format", [w for w in rest if w != "format"]
        return "ruff-check", [w for w in rest if w != "check"]
    if head == "cargo" and rest[:1] == ["fmt"]:
        return "rustfmt", [w for w in rest[1:] if w != "--"]
    if head == "taplo" and rest[:1] and rest[0] in ("fmt", "format"):
        return "taplo", rest[1:]
    if head in TOOLS and head not in ("taplo",):
        return head, rest
    return None


def _simple_commands(script: list[str]) -> list[list[str]]:
    text = "\n".join(script).replace("\\\n", " ")
    out: list[list[str]] = []
    for line in text.splitlines():
        for quoted, plain_ in (('"$(', " ( "), (')"', " ) "), ("$(", " ( "), ("`", " ` ")):
            line = line.replace(quoted, plain_)  # $(…) and `…` run commands too
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()`")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            tokens = list(lexer)
        except ValueError:
            continue
        current: list[str] = []
        for token in tokens:
            if token in _SEPARATORS or set(token) <= set(";&|()`"):
                if current:
                    out.append(current)
                current = []
            else:
                current.append(token)
        if current:
            out.append(current)
    return out


_CHECK_FLAGS = frozenset(
    {"--check", "--diff", "-l", "-d", "--dry-run", "-n", "--list-different", "-c", "--check-only"}
    | {"-lint", "--lint", "-dry", "--df", "-Werror", "--Werror"}
)


def is_check_mode(tool: str, args: list[str]) -> bool:
    """Whether the call only reports (``--check``, ``gofmt -l``, ``clang-format --dry-run``)."""
    return any(a.partition("=")[0] in _CHECK_FLAGS for a in args)


def find_invocations(script: list[str]) -> list[tuple[str, list[str], str]]:
    """Every allow-listed tool call in a step script: ``(tool, args, original command)``."""
    found = []
    for words in _simple_commands(script):
        hit = tool_of_words(words)
        if hit:
            found.append((hit[0], hit[1], shlex.join(words)))
    return found


def tool_from_output(output: list[str]) -> str | None:
    """The tool whose own failure message appears in the output (for ``make lint`` steps)."""
    for name, spec in TOOLS.items():
        pats = [re.compile(p) for p in spec.signatures]
        if any(p.search(line) for line in output for p in pats):
            return name
    return None


def files_named(spec: ToolSpec, output: list[str], limit: int = 5000) -> list[str]:
    """Repository-relative files the tool's failing output names, in order, without repeats."""
    pats = [re.compile(p) for p in spec.file_patterns]
    seen: dict[str, None] = {}
    for line in output:
        for pat in pats:
            m = pat.search(line.strip() if spec.name != "gofmt" else line)
            if m:
                path = normalize_path(m.group(1))
                if path and path.endswith(spec.extensions):
                    seen.setdefault(path, None)
                break
        if len(seen) >= limit:
            break
    return list(seen)


def normalize_path(raw: str) -> str | None:
    """A runner path (``/home/runner/work/r/r/src/a.py``, ``./a.py``) → ``src/a.py``;
    None for anything that leaves the repository."""
    path = _WORKSPACE.sub("", raw.strip().strip("'\""))
    while path.startswith("./"):
        path = path[2:]
    parts = path.split("/")
    if not path or path.startswith(("/", "-")) or any(p in ("", "..", ".git") for p in parts):
        return None
    return path


def _root(path: str) -> str | None:
    return "." if path.strip() in (".", "./") else normalize_path(path)


def rule_codes(output: list[str]) -> list[str]:
    """Rule codes a ruff check failure named (``a.py:1:1: F401 …`` or ``F401 [*] …``)."""
    codes: dict[str, None] = {}
    for line in output:
        m = re.match(r"^\S+?\.pyi?:\d+:\d+: ([A-Z]{1,4}\d{1,4}) ", line) or re.match(
            r"^([A-Z]{1,4}\d{1,4}) (?:\[\*\] )?\S", line
        )
        if m and _CODE_RE.match(m.group(1)):
            codes.setdefault(m.group(1), None)
    return list(codes)


def parse_args(spec: ToolSpec, args: list[str], source: str) -> tuple[list[str], list[str]]:
    """``(options kept, paths)`` of a check command; Refusal for options Pitcrew does not know."""
    kept: list[str] = []
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, _value = arg.partition("=")
        if arg == "--":
            paths.extend(args[i + 1 :])
            break
        if arg in spec.drop_flags or name in spec.drop_flags:
            i += 1
            continue
        if name in spec.drop_valued:
            i += 1 if eq else 2
            continue
        if name in ("--select", "--extend-select", "--ignore", "--extend-ignore") and (
            spec.name == "ruff-check"
        ):
            i += 1 if eq else 2
            continue
        if arg in spec.keep_flags:
            kept.append(arg)
        elif name in spec.keep_valued:
            if eq:
                kept.append(arg)
            elif i + 1 < len(args):
                kept += [arg, args[i + 1]]
                i += 1
        elif arg.startswith("-"):
            raise Refusal(
                "unsupported",
                f"`{arg}` is an option of {spec.exe} that Pitcrew does not know, so it will not "
                f"guess what it means; run the formatter locally (the CI step ran `{source}`)",
            )
        else:
            paths.append(arg)
        i += 1
    _check_paths(spec, kept, paths)
    return kept, paths


def translate(spec: ToolSpec, args: list[str], output: list[str], source: str) -> FixPlan:
    """The fix command for a check command's ``args``: check-only flags dropped, known options
    kept, unknown ones refused; targets are the files the output named, else the paths."""
    kept, paths = parse_args(spec, args, source)
    targets = files_named(spec, output) or (
        diff_files(output, spec) if source.startswith(PRE_COMMIT) else []
    )
    roots = [] if targets else [p for p in (_root(p) for p in paths) if p] or ["."]
    if not targets and any(_root(p) is None for p in paths):
        raise Refusal("unsupported", f"`{source}` formats paths outside the repository")
    argv = [spec.exe, *spec.fix_prefix, *kept]
    notes: list[str] = []
    if spec.name == "ruff-check":
        codes = rule_codes(output)
        if not codes:
            raise Refusal("nothing_to_fix", "the ruff output names no rule codes to fix")
        argv += ["--select", ",".join(codes)]
    argv += targets or roots  # normalize_path refused anything that could read as an option
    return FixPlan(
        tool=spec.name,
        argv=argv,
        targets=targets,
        roots=roots if not targets else [],
        source_command=source,
        ok_exit_codes=spec.ok_exit_codes,
        notes=notes,
    )


def _check_paths(spec: ToolSpec, kept: list[str], paths: list[str]) -> None:
    for i, arg in enumerate(kept):
        name, eq, value = arg.partition("=")
        if name in ("--config", "--settings-path", "--sp", "--settings-file", "--config-path"):
            value = value if eq else (kept[i + 1] if i + 1 < len(kept) else "")
            if spec.name.startswith("ruff") and "=" in value:
                continue  # inline TOML override (`--config "line-length = 100"`)
            if normalize_path(value) is None:
                raise Refusal("refused", f"{spec.exe} config `{value}` is outside the repository")
    for path in paths:
        if path.startswith("$"):
            raise Refusal("unsupported", f"the step passes `{path}`, a value only the shell knows")


def config_arg(plan: FixPlan) -> str | None:
    """The config file the command names explicitly (``--config X``), if any."""
    argv = plan.argv
    for i, arg in enumerate(argv):
        name, eq, value = arg.partition("=")
        if name in ("--config", "--settings-path", "--sp", "--settings-file", "--config-path"):
            value = value if eq else (argv[i + 1] if i + 1 < len(argv) else "")
            if "=" not in value:
                return value
        if name in ("--style", "-style") and value.startswith("file:"):
            return value[len("file:") :]
    return None
