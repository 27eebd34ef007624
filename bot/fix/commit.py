"""Turn a fix's changed files into one commit on top of the head, without a work tree.

Blobs are written with ``hash-object --no-filters`` (the repository's attributes and filters
never run), a temporary index is read from the head's tree, updated and written back as a
tree, and ``commit-tree`` makes the commit. The mirror's refs and index are not touched.
"""

from __future__ import annotations

import os
import tempfile

from bot.rebase.git import Git

BOT_IDENTITY = ("pitcrew[bot]", "pitcrew[bot]@users.noreply.github.com")


def commit_changes(
    git: Git,
    head: str,
    changes: dict[str, bytes],
    message: str,
    *,
    identity: tuple[str, str] = BOT_IDENTITY,
) -> str:
    """The id of a new commit: ``head`` with ``changes`` applied, ``head`` its only parent."""
    if not changes:
        raise ValueError("no changes to commit")
    modes = _modes(git, head, list(changes))
    lines = []
    for path, data in sorted(changes.items()):
        sha = git.run("hash-object", "-w", "--no-filters", "--stdin", input=data, text=False)
        lines.append(f"{modes.get(path, '100644')} {_text(sha.stdout)}\t{path}\n")
    fd, index = tempfile.mkstemp(prefix="pitcrew-fix-index-")
    os.close(fd)
    os.unlink(index)
    env = {"GIT_INDEX_FILE": index}
    try:
        git.run("read-tree", "--end-of-options", f"{head}^{{tree}}", env=env)
        git.run(
            "update-index", "-z", "--index-info", input="".join(lines).replace("\n", "\0"), env=env
        )
        tree = _text(git.run("write-tree", env=env).stdout)
    finally:
        if os.path.exists(index):
            os.unlink(index)
    name, email = identity
    ident = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    return _text(git.run("commit-tree", tree, "-p", head, "-m", message, env=ident).stdout)


def _text(value: object) -> str:
    return value.decode().strip() if isinstance(value, bytes) else str(value).strip()


def _modes(git: Git, head: str, paths: list[str]) -> dict[str, str]:
    proc = git.run(
        "ls-tree",
        "-z",
        "--full-tree",
        "--end-of-options",
        head,
        "--",
        *paths,
        env={"GIT_LITERAL_PATHSPECS": "1"},
    )
    out = {}
    for record in proc.stdout.split("\0"):
        meta, _, path = record.partition("\t")
        if path:
            out[path] = meta.split(" ")[0]
    return out
