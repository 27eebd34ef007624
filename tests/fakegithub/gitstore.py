"""A real bare git repository on disk behind a fake repo: refs, contents, commits, merges.

Why plumbing commands and a throwaway index: the fake must write commits into a *bare* repo (no
work tree) exactly like GitHub does for the contents API and update-branch, and stay fast.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ZERO_SHA = "0" * 40
_IDENTITY = {
    "GIT_AUTHOR_NAME": "Fake GitHub",
    "GIT_AUTHOR_EMAIL": "noreply@github.com",
    "GIT_COMMITTER_NAME": "GitHub",
    "GIT_COMMITTER_EMAIL": "noreply@github.com",
}


class GitError(RuntimeError):
    pass


@dataclass
class CommitInfo:
    sha: str
    tree: str
    parents: list[str]
    author_name: str
    author_email: str
    author_date: str
    committer_name: str
    committer_email: str
    committer_date: str
    message: str


@dataclass
class FileChange:
    status: str  # added | modified | removed | renamed
    path: str
    additions: int
    deletions: int
    blob_sha: str


class GitStore:
    """One bare repository. All methods are synchronous and quick (local plumbing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # ------------------------------------------------------------------ creation
    @classmethod
    def create(
        cls, path: Path, default_branch: str = "main", files: dict[str, str] | None = None
    ) -> GitStore:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _run(["git", "init", "--quiet", "--bare", "-b", default_branch, str(path)])
        store = cls(path)
        store._configure()
        seed = files if files is not None else {"README.md": f"# {path.stem}\n"}
        store.commit_files(default_branch, seed, "Initial commit", parent=None)
        return store

    @classmethod
    def clone(cls, source: GitStore, path: Path) -> GitStore:
        _run(["git", "clone", "--quiet", "--bare", str(source.path), str(path)])
        store = cls(path)
        store._configure()
        return store

    def _configure(self) -> None:
        self.git("config", "http.receivepack", "true")
        self.git("config", "receive.denyCurrentBranch", "ignore")

    # ------------------------------------------------------------------ plumbing
    def git(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> str:
        return self.git_bytes(*args, input=input, env=env).decode("utf-8", "replace")

    def git_bytes(
        self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None
    ) -> bytes:
        return _run(["git", "-C", str(self.path), *args], input=input, env=env)

    def resolve(self, ref: str) -> str | None:
        """sha of a branch, tag, full ref or sha; None when unknown."""
        for candidate in (f"refs/heads/{ref}", f"refs/tags/{ref}", ref):
            try:
                out = self.git(
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    "--end-of-options",
                    f"{candidate}^{{commit}}",
                )
            except GitError:
                continue
            if out.strip():
                return out.strip()
        return None

    def branches(self) -> dict[str, str]:
        out = self.git("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads")
        return dict(line.split(" ", 1) for line in out.splitlines() if line)  # type: ignore[misc]

    def refs(self, prefix: str = "refs/") -> dict[str, str]:
        out = self.git("for-each-ref", "--format=%(refname) %(objectname)", prefix)
        return dict(line.split(" ", 1) for line in out.splitlines() if line)  # type: ignore[misc]

    def set_ref(self, ref: str, sha: str, old: str | None = None) -> None:
        full = ref if ref.startswith("refs/") else f"refs/heads/{ref}"
        args = ["update-ref", full, sha] + ([old] if old else [])
        self.git(*args)

    def delete_ref(self, ref: str) -> None:
        full = ref if ref.startswith("refs/") else f"refs/heads/{ref}"
        self.git("update-ref", "-d", full)

    # ------------------------------------------------------------------ reading
    def read(self, ref: str, path: str) -> bytes | list[tuple[str, str, str]] | None:
        """File bytes, a directory listing [(type, name, sha)], or None when missing."""
        sha = self.resolve(ref)
        if sha is None:
            return None
        path = path.strip("/")
        if not path:
            return self._ls(sha, "")
        entry = self.git("ls-tree", "--end-of-options", sha, path).strip()
        if not entry:
            return None
        meta, _name = entry.split("\t", 1)
        _mode, kind, obj = meta.split()
        if kind == "tree":
            return self._ls(sha, path + "/")
        return self.git_bytes("cat-file", "blob", obj)

    def _ls(self, sha: str, prefix: str) -> list[tuple[str, str, str]]:
        out = self.git("ls-tree", "--end-of-options", sha, prefix)
        items = []
        for line in out.splitlines():
            meta, name = line.split("\t", 1)
            _mode, kind, obj = meta.split()
            items.append(("dir" if kind == "tree" else "file", name, obj))
        return items

    def blob_sha(self, ref: str, path: str) -> str | None:
        sha = self.resolve(ref)
        if sha is None:
            return None
        entry = self.git("ls-tree", "--end-of-options", sha, path.strip("/")).strip()
        return entry.split()[2] if entry else None

    def commit_info(self, sha: str) -> CommitInfo:
        fmt = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B"
        parts = self.git("show", "-s", f"--format={fmt}", "--end-of-options", sha).split("\0")
        return CommitInfo(
            sha=parts[0],
            tree=parts[1],
            parents=parts[2].split(),
            author_name=parts[3],
            author_email=parts[4],
            author_date=parts[5],
            committer_name=parts[6],
            committer_email=parts[7],
            committer_date=parts[8],
            message=parts[9].rstrip("\n"),
        )

    def merge_base(self, a: str, b: str) -> str | None:
        try:
            return self.git("merge-base", "--end-of-options", a, b).strip() or None
        except GitError:
            return None

    def log(self, base: str | None, head: str) -> list[str]:
        """Commits reachable from head and not from base, oldest first."""
        spec = f"{base}..{head}" if base else head
        return self.git("rev-list", "--reverse", "--end-of-options", spec).split()

    def changes(self, base: str, head: str) -> list[FileChange]:
        """Files changed from base to head (two-dot, as GitHub's compare does from merge base)."""
        numstat = self.git("diff", "--numstat", "-z", "--no-renames", base, head, "--")
        status = self.git("diff", "--name-status", "-z", "--no-renames", base, head, "--")
        counts: dict[str, tuple[int, int]] = {}
        fields = numstat.split("\0")
        for item in fields:
            if not item.strip():
                continue
            add, dele, path = item.split("\t", 2)
            counts[path] = (int(add) if add.isdigit() else 0, int(dele) if dele.isdigit() else 0)
        tokens = [t for t in status.split("\0") if t]
        kinds = {"A": "added", "M": "modified", "D": "removed", "T": "modified"}
        out = []
        for code, path in zip(tokens[::2], tokens[1::2], strict=False):
            adds, dels = counts.get(path, (0, 0))
            blob = self.blob_sha(head, path) or ZERO_SHA
            out.append(FileChange(kinds.get(code[0], "modified"), path, adds, dels, blob))
        return out

    # ------------------------------------------------------------------ writing
    def commit_files(
        self,
        branch: str,
        files: dict[str, str | bytes | None],
        message: str,
        *,
        parent: str | bool | None = True,
        author: tuple[str, str] | None = None,
    ) -> str:
        """Commit `files` (None = delete) on top of `branch` (or `parent`) and move the branch.

        parent=True means "the branch tip" (or no parent if the branch does not exist yet).
        """
        if parent is True:
            parent = self.resolve(branch)
        with tempfile.TemporaryDirectory() as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
            if parent:
                self.git("read-tree", parent, env=env)
            for path, content in files.items():
                path = path.strip("/")
                if content is None:
                    self.git("update-index", "--force-remove", "--", path, env=env)
                    continue
                data = content.encode() if isinstance(content, str) else content
                blob = self.git("hash-object", "-w", "--stdin", input=data).strip()
                self.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self.git("write-tree", env=env).strip()
        commit_env = dict(_IDENTITY)
        if author:
            commit_env.update({"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]})
        args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
        sha = self.git(*args, env=commit_env).strip()
        self.set_ref(branch, sha)
        return sha

    def merge_into(self, branch: str, theirs: str, message: str) -> str | None:
        """Merge commit `theirs` into `branch` (server side); None on conflict."""
        ours = self.resolve(branch)
        if ours is None:
            raise GitError(f"no branch {branch}")
        try:
            tree = self.git("merge-tree", "--write-tree", ours, theirs).splitlines()[0].strip()
        except GitError:
            return None
        sha = self.git(
            "commit-tree", tree, "-p", ours, "-p", theirs, "-m", message, env=dict(_IDENTITY)
        ).strip()
        self.set_ref(branch, sha, ours)
        return sha

    def fetch_from(self, other: GitStore, ref: str, into: str) -> None:
        self.git("fetch", "--quiet", "--no-tags", str(other.path), f"+{ref}:{into}")


def _run(
    argv: list[str], *, input: bytes | None = None, env: dict[str, str] | None = None
) -> bytes:
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}
    full_env.update(env or {})
    proc = subprocess.run(argv, input=input, capture_output=True, env=full_env, check=False)
    if proc.returncode != 0:
        raise GitError(f"{' '.join(argv[:4])}…: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout
