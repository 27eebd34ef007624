"""A cache of isolated tool installations, one per tool and version.

PyPI tools get a virtual environment each (``<root>/pypi/<package>-<version>/``), prettier an
npm prefix directory (``<root>/npm/prettier-<version>/``). Installing is the only step with
network access; it writes into a temporary directory renamed into place, under a lock file, so
concurrent workers never see half an installation. ``system`` tools (gofmt, rustfmt, yamlfmt,
an unpinned clang-format) are taken from PATH when present.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .model import Refusal
from .tools import ToolSpec

INSTALL_TIMEOUT = 300.0
DEFAULT = "default"


@dataclass
class Installed:
    executable: str
    version: str


def default_root() -> Path:
    env = os.environ.get("PITCREW_FIX_TOOLS")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pitcrew" / "fix-tools"


class ToolCache:
    """``ensure(spec, version)`` → an executable of exactly that version (installing once).

    ``overrides`` maps a tool's executable name to a path, for operators who provide their own
    build (and for tests).
    """

    def __init__(self, root: Path | None = None, overrides: Mapping[str, str] | None = None):
        self.root = root or default_root()
        self.overrides = dict(overrides or {})

    def ensure(self, spec: ToolSpec, version: str | None) -> Installed:
        if spec.exe in self.overrides:
            path = self.overrides[spec.exe]
            return Installed(path, version or "operator-provided")
        if spec.install == "system" or (spec.name == "clang-format" and version is None):
            return self._system(spec)
        key = f"{spec.package}-{version or DEFAULT}"
        kind = "npm" if spec.install == "npm" else "pypi"
        target = self.root / kind / key
        exe = self._exe_path(kind, target, spec)
        if not exe.exists():
            with self._locked(key):
                if not exe.exists():
                    self._install(kind, target, spec.package, version)
        if not exe.exists():
            raise Refusal("failed", f"installing {spec.package} did not provide `{spec.exe}`")
        return Installed(str(exe), version or probe_version(str(exe), spec) or "unknown")

    @staticmethod
    def _exe_path(kind: str, target: Path, spec: ToolSpec) -> Path:
        if kind == "npm":
            return target / "node_modules" / ".bin" / spec.exe
        return target / "bin" / spec.exe

    def _system(self, spec: ToolSpec) -> Installed:
        path = shutil.which(spec.exe)
        if path is None:
            raise Refusal("unsupported", f"{spec.exe} is not installed where Pitcrew runs")
        return Installed(path, probe_version(path, spec) or "system")

    @contextlib.contextmanager
    def _locked(self, key: str) -> Iterator[None]:
        locks = self.root / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        with (locks / f"{key}.lock").open("w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _install(self, kind: str, target: Path, package: str, version: str | None) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex[:8]}"
        requirement = f"{package}=={version}" if version else package
        try:
            if kind == "npm":
                npm = shutil.which("npm")
                if npm is None:
                    raise Refusal("unsupported", "npm is not installed where Pitcrew runs")
                tmp.mkdir()
                spec = f"{package}@{version}" if version else package
                _run_install(
                    [
                        npm,
                        "install",
                        "--prefix",
                        str(tmp),
                        "--no-save",
                        "--ignore-scripts",
                        "--no-audit",
                        "--no-fund",
                        "--",
                        spec,
                    ]
                )
            else:
                _run_install([sys.executable, "-m", "venv", str(tmp)])
                _run_install(
                    [
                        str(tmp / "bin" / "python"),
                        "-m",
                        "pip",
                        "install",
                        "-q",
                        "--disable-pip-version-check",
                        "--only-binary",
                        ":all:",
                        requirement,
                    ]
                )
            _relocate(tmp, target)
            tmp.rename(target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _relocate(tmp: Path, target: Path) -> None:
    """A venv records its own path in its scripts; rewrite it to the final location."""
    bindir = tmp / "bin"
    if not (tmp / "pyvenv.cfg").exists():
        return
    for script in bindir.iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        data = script.read_bytes()
        if data.startswith(b"#!") and str(tmp).encode() in data[:4096]:
            script.write_bytes(data.replace(str(tmp).encode(), str(target).encode()))
    cfg = tmp / "pyvenv.cfg"
    cfg.write_text(cfg.read_text().replace(str(tmp), str(target)))


def _run_install(argv: list[str]) -> None:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PIP_NO_INPUT"] = "1"
    with tempfile.TemporaryDirectory(prefix="pitcrew-install-") as cwd:
        try:
            proc = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
                env=env,
                cwd=cwd,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Refusal("failed", f"installing took longer than {INSTALL_TIMEOUT:.0f} s") from exc
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise Refusal("failed", "installing the formatter failed: " + " / ".join(tail)[-500:])


_VERSION_IN = re.compile(r"(\d+\.\d+(?:\.\d+)*)")


def probe_version(executable: str, spec: ToolSpec) -> str | None:
    """The version a binary reports (``ruff 0.4.4`` → ``0.4.4``); None if it will not say."""
    if not spec.version_argv:
        return _go_version() if spec.name == "gofmt" else None
    with tempfile.TemporaryDirectory(prefix="pitcrew-probe-") as cwd:
        try:
            proc = subprocess.run(
                [executable, *spec.version_argv],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
                cwd=cwd,
                env={"PATH": os.environ.get("PATH", ""), "HOME": cwd},
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    m = _VERSION_IN.search(proc.stdout + proc.stderr)
    return m.group(1) if m else None


def _go_version() -> str | None:
    go = shutil.which("go")
    if not go:
        return None
    try:
        out = subprocess.run([go, "version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"go(\d+\.\d+(?:\.\d+)?)", out)
    return f"go{m.group(1)}" if m else None
