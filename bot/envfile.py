"""The env file `pitcrew setup` writes and `pitcrew serve`/`doctor` read (default ``.env``).

Reading uses python-dotenv (quoting, comments, ``export`` prefixes and multi-line values are
its job, not ours). Variables already in the environment win over the file, so an operator can
override one setting without editing it. Files holding secrets are created with mode 0600
before anything is written into them, and never replaced unless the caller says so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_ENV_FILE = ".env"
SECRET_FILE_MODE = 0o600


class EnvFileError(ValueError):
    """The env file cannot be read or written; the message says which file and why."""


def read_env_file(path: Path) -> dict[str, str]:
    """The file's variables (values that are only a name, without ``=``, are dropped)."""
    try:
        values = dotenv_values(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvFileError(f"cannot read env file {path}: {exc}") from None
    return {key: value for key, value in values.items() if value is not None}


def environment_with_file(
    env_file: str | None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``environ`` over the env file: the explicit file must exist, the default ``.env`` may not."""
    base = dict(os.environ if environ is None else environ)
    if env_file is None:
        path = Path(DEFAULT_ENV_FILE)
        if not path.is_file():
            return base
    else:
        path = Path(env_file)
        if not path.is_file():
            raise EnvFileError(f"env file {path} does not exist (run `pitcrew setup` to write it)")
    return {**read_env_file(path), **base}


def write_secret_file(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to a file only its owner can read; refuse to replace one unless ``force``."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, SECRET_FILE_MODE)
    except FileExistsError:
        raise EnvFileError(
            f"{path} already exists: not overwriting it (pass --force to replace it)"
        ) from None
    except OSError as exc:
        raise EnvFileError(f"cannot write {path}: {exc.strerror}") from None
    try:
        os.fchmod(
            fd, SECRET_FILE_MODE
        )  # an existing file replaced with --force keeps no wider mode
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def format_env(values: Mapping[str, str], header: str = "") -> str:
    """``KEY=value`` lines, values double-quoted with escapes as python-dotenv reads them."""
    lines = [f"# {line}" for line in header.splitlines()]
    for key, value in values.items():
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines.append(f'{key}="{escaped}"')
    return "\n".join(lines) + "\n"
