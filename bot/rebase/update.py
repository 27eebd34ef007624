"""Update a PR branch onto its base (rebase or merge) and push it with a lease.

The work happens in a throw-away detached work tree (``git worktree add --detach``), so the
repository's own branch, index and work tree are never touched while git works and a conflict
is cleaned up by deleting that work tree: no rebase is ever left in progress. The branch ref is
moved at the end with a compare-and-swap (``update-ref <new> <old>``), so a branch that moved
meanwhile is reported as ``branch_moved`` and nothing is overwritten.

``git rebase`` already drops commits whose patch is upstream (patch-id) and commits that become
empty. A stacked PR whose parent PR was squash-merged is different: the parent's commits are in
the PR's history but upstream only has their squash. We replay only the commits after the
parent's old head (``rebase --onto base <old_head>``): given as ``old_base`` or detected by
finding the longest prefix of the PR's commits whose combined patch-id equals that of a commit
on the base.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.rebase.check import DEFAULT_MAX_FILE_BYTES, _Stages, build_conflicts, read_blobs
from bot.rebase.conflicts import Conflict
from bot.rebase.git import (
    DEFAULT_PROTOCOLS,
    BranchMoved,
    Git,
    GitError,
    PushRejected,
    RebaseConflict,
    resolve_commit,
    validate_ref,
)
from bot.rebase.resolution import (
    Resolution,
    ResolutionRule,
    rerere_resolved,
    resolve_paths,
)

log = logging.getLogger(__name__)

STRATEGIES = ("rebase", "merge")
DEFAULT_IDENTITY = ("pitcrew[bot]", "pitcrew[bot]@users.noreply.github.com")
_MAX_STACK_PREFIXES = 30
_MAX_UPSTREAM_SCAN = 300


@dataclass
class UpdateResult:
    """Outcome of :func:`update_branch`.

    ``status``: ``updated`` | ``up_to_date`` | ``conflicted`` | ``branch_moved``.
    ``head_after`` is the new commit (``updated``), else ``head_before``.
    """

    head: str
    base: str
    strategy: str
    status: str
    head_before: str
    head_after: str
    base_sha: str
    upstream: str | None = None  # rebase: commits after this one were replayed
    stacked: bool = False  # upstream came from a squash-merged parent (hint or detection)
    replayed: int = 0
    dropped: int = 0  # commits not replayed because already in the base
    resolved: list[Resolution] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_commit: str | None = None  # rebase: the PR commit that did not apply
    ref_updated: bool = False
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["conflicts"] = [c.to_dict() for c in self.conflicts]
        return data

    def raise_for_status(self) -> None:
        """Raise the domain exception for ``conflicted``/``branch_moved``."""
        if self.status == "conflicted":
            raise RebaseConflict(self.message, conflicts=self.conflicts)
        if self.status == "branch_moved":
            raise BranchMoved(self.message)


@dataclass
class PushResult:
    """Outcome of :func:`push_update`: ``pushed``/``up_to_date``/``branch_moved``/``rejected``."""

    branch: str
    status: str
    new_sha: str
    lease_sha: str | None
    message: str = ""

    def raise_for_status(self) -> None:
        if self.status == "branch_moved":
            raise BranchMoved(self.message)
        if self.status == "rejected":
            raise PushRejected(self.message)


# --------------------------------------------------------------------------- helpers


def _full_ref(name: str) -> str:
    return name if name.startswith("refs/") else f"refs/heads/{name}"


def _is_ancestor(git: Git, a: str, b: str) -> bool:
    rc = git.run("merge-base", "--is-ancestor", a, b, check=False).returncode
    if rc not in (0, 1):
        raise GitError("merge-base --is-ancestor failed")
    return rc == 0


def _patch_ids(git: Git, diff_text: str) -> dict[str, str]:
    """commit id -> stable patch-id for a ``commit <id>`` + diff stream."""
    if not diff_text.strip():
        return {}
    out = git.out("patch-id", "--stable", input=diff_text)
    return {c: p for p, c in (line.split() for line in out.splitlines())}


def detect_squashed_parent(git: Git, base_sha: str, head_sha: str) -> str | None:
    """The old head of a squash-merged parent PR inside ``head``'s history, if any.

    Looks for the longest proper prefix (of at least two commits; a single commit is already
    dropped by rebase's own patch-id check) of the PR's commits (merge-base..head) whose
    combined diff has the same patch-id as one commit on the base since the merge-base.
    """
    mb = git.out("merge-base", base_sha, head_sha)
    commits = git.out("rev-list", "--reverse", "--no-merges", f"{mb}..{head_sha}").split()
    if len(commits) < 3:
        return None
    upstream = _patch_ids(
        git,
        git.out(
            "log",
            "--no-merges",
            "--no-renames",
            "-p",
            "--format=commit %H",
            f"-n{_MAX_UPSTREAM_SCAN}",
            f"{mb}..{base_sha}",
        ),
    )
    targets = set(upstream.values())
    if not targets:
        return None
    # A one-commit prefix is left to rebase's own patch-id check (same as a cherry-pick).
    prefixes = commits[1:-1][:_MAX_STACK_PREFIXES]
    stream = "".join(
        f"commit {c}\n" + git.run("diff", "--no-renames", mb, c).stdout for c in prefixes
    )
    found = _patch_ids(git, stream)
    for commit in reversed(prefixes):
        if found.get(commit) in targets:
            return commit
    return None


# --------------------------------------------------------------------------- update


def update_branch(
    repo: Path | Git,
    base: str,
    head: str,
    *,
    strategy: str = "rebase",
    resolutions: Sequence[ResolutionRule] = (),
    rerere: bool = False,
    old_base: str | None = None,
    detect_stack: bool = True,
    update_ref: bool = True,
    identity: tuple[str, str] | None = None,
) -> UpdateResult:
    """Rebase ``head`` onto ``base`` (or merge ``base`` into it) in a throw-away work tree.

    ``update_ref`` moves ``head`` (compare-and-swap against the sha read at the start; if the
    branch is checked out in a clean work tree, that work tree follows via ``reset --keep``).
    Pass ``update_ref=False`` on a mirror and push ``head_after`` with :func:`push_update`.
    ``identity`` is the committer (name, email) for new commits; default: the repository's
    ``user.*`` config, else ``pitcrew[bot]``.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r} (use rebase or merge)")
    git = repo if isinstance(repo, Git) else Git(Path(repo))
    for name in (base, head, *([old_base] if old_base else [])):
        validate_ref(name)
    base_sha = resolve_commit(git, base)
    head_sha = resolve_commit(git, head)
    result = UpdateResult(head, base, strategy, "up_to_date", head_sha, head_sha, base_sha)
    if _is_ancestor(git, base_sha, head_sha):
        result.message = f"{head} already contains {base}"
        return result
    git = _with_identity(git, identity)
    wt = Path(tempfile.mkdtemp(prefix="pitcrew-wt-"))
    try:
        git.run("worktree", "add", "--detach", "--force", str(wt), head_sha)
        wgit = git.with_(
            repo=wt, env_overrides=(*git.env_overrides, ("GIT_LITERAL_PATHSPECS", "1"))
        )
        if rerere:
            wgit = wgit.with_(
                extra_config=(
                    *wgit.extra_config,
                    ("rerere.enabled", "true"),
                    ("rerere.autoUpdate", "true"),
                )
            )
        if strategy == "rebase":
            _rebase(wgit, wt, result, resolutions, old_base, detect_stack)
        else:
            _merge(wgit, wt, result, resolutions)
    finally:
        git.run("worktree", "remove", "--force", str(wt), check=False)
        shutil.rmtree(wt, ignore_errors=True)
        git.run("worktree", "prune", check=False)
    if result.status == "updated" and update_ref:
        _move_ref(git, result)
    return result


def _with_identity(git: Git, identity: tuple[str, str] | None) -> Git:
    if identity is None:
        name = git.run("config", "user.name", check=False).stdout.strip()
        email = git.run("config", "user.email", check=False).stdout.strip()
        if name and email:
            return git
        identity = DEFAULT_IDENTITY
    cfg = (("user.name", identity[0]), ("user.email", identity[1]))
    return git.with_(extra_config=(*git.extra_config, *cfg))


def _rebase(
    git: Git,
    wt: Path,
    result: UpdateResult,
    rules: Sequence[ResolutionRule],
    old_base: str | None,
    detect_stack: bool,
) -> None:
    upstream = result.base_sha
    if old_base:
        hint = resolve_commit(git, old_base)
        if _is_ancestor(git, hint, result.head_before):
            upstream, result.stacked = hint, True
        else:
            log.info("old_base hint is not in the head's history; ignored")
    elif detect_stack:
        found = detect_squashed_parent(git, result.base_sha, result.head_before)
        if found:
            upstream, result.stacked = found, True
    result.upstream = upstream
    mb = git.out("merge-base", result.base_sha, result.head_before)
    since = upstream if result.stacked else mb
    original = len(git.out("rev-list", "--no-merges", f"{since}..{result.head_before}").split())
    args = [
        "rebase",
        "--no-autosquash",
        "--no-autostash",
        "--no-update-refs",
        "--empty=drop",
        "--no-fork-point",
        "--onto",
        result.base_sha,
        upstream,
    ]
    proc = git.run(*args, check=False)
    stage_of = {"ours": 2, "theirs": 3}  # during a rebase stage 2 is the base side
    budget = original + 3  # one stop per commit at most; never loop on a stuck rebase
    while proc.returncode != 0:
        budget -= 1
        if budget < 0:
            git.run("rebase", "--abort", check=False)
            raise git.error(args, proc)
        if _stopped_at_conflict(git, wt, result, rules, stage_of, "rebase", args, proc):
            return
        proc = git.run("rebase", "--continue", check=False)
    new = git.out("rev-parse", "HEAD")
    result.replayed = len(git.out("rev-list", f"{result.base_sha}..{new}").split())
    result.dropped = max(0, original - result.replayed)
    _finish(result, new)


def _merge(git: Git, wt: Path, result: UpdateResult, rules: Sequence[ResolutionRule]) -> None:
    message = f"Merge branch '{result.base}' into {result.head}"
    args = ["merge", "--no-ff", "--no-edit", "--no-verify", "-m", message, result.base_sha]
    proc = git.run(*args, check=False)
    stage_of = {"ours": 3, "theirs": 2}  # merging base into head: stage 2 is the PR side
    if proc.returncode != 0:
        if _stopped_at_conflict(git, wt, result, rules, stage_of, "merge", args, proc):
            return
        git.run("commit", "--no-edit", "--no-verify")
    new = git.out("rev-parse", "HEAD")
    result.replayed = 1
    _finish(result, new)


#: per operation: the git-path that exists while it is stopped, and the commit being applied
_STOP_MARKS = {"rebase": ("rebase-merge", "REBASE_HEAD"), "merge": ("MERGE_HEAD", None)}


def _stopped_at_conflict(
    git: Git,
    wt: Path,
    result: UpdateResult,
    rules: Sequence[ResolutionRule],
    stage_of: dict[str, int],
    op: str,
    args: list[str],
    proc: subprocess.CompletedProcess[Any],
) -> bool:
    """One stop of a rebase or merge: rerere, then the configured resolutions.

    True when conflicts are left: they are recorded on ``result`` and ``op`` is aborted.
    """
    marker, applying = _STOP_MARKS[op]
    result.resolved += rerere_resolved(proc.stdout + proc.stderr)
    if not _in_progress(git, marker):
        raise git.error(args, proc)
    done, remaining = resolve_paths(git, wt, rules, stage_of)
    result.resolved += done
    if not remaining.entries:
        return False
    _record_conflict(git, result, remaining, stage_of, applying)
    git.run(op, "--abort", check=False)
    return True


def _in_progress(git: Git, name: str) -> bool:
    path = git.out("rev-parse", "--git-path", name)
    return (git.repo / path).exists() if not Path(path).is_absolute() else Path(path).exists()


def _record_conflict(
    git: Git, result: UpdateResult, remaining: _Stages, stage_of: dict[str, int], rev: str | None
) -> None:
    blobs = read_blobs(git, [o for e in remaining.entries.values() for o in e.values()])
    result.conflicts = build_conflicts(
        remaining,
        blobs,
        base_side=stage_of["ours"],
        head_side=stage_of["theirs"],
        markers=_marker_files(git.repo, remaining.entries),
    )
    if rev:
        result.conflict_commit = (
            git.run("rev-parse", "--verify", "-q", rev, check=False).stdout.strip() or None
        )
    paths = ", ".join(c.path for c in result.conflicts)
    result.status = "conflicted"
    result.message = f"{result.strategy} of {result.head} onto {result.base} conflicts in {paths}"


def _marker_files(wt: Path, paths: Iterable[str]) -> dict[str, bytes]:
    """The conflicted files as git left them in the work tree, with its conflict markers."""
    found = {}
    for path in paths:
        target = wt / path
        regular = target.is_file() and not target.is_symlink()
        if regular and target.stat().st_size <= DEFAULT_MAX_FILE_BYTES:  # else path, kind only
            found[path] = target.read_bytes()
    return found


def _finish(result: UpdateResult, new: str) -> None:
    result.status = "updated"
    result.head_after = new
    result.message = f"{result.head} updated by {result.strategy} onto {result.base}"


def _move_ref(git: Git, result: UpdateResult) -> None:
    """Compare-and-swap the branch; follow in a clean work tree that has it checked out."""
    ref = _full_ref(result.head)
    checked_out = None
    for block in git.out("worktree", "list", "--porcelain").split("\n\n"):
        lines = dict(line.partition(" ")[::2] for line in block.splitlines())
        if lines.get("branch") == ref and "bare" not in lines:
            checked_out = Path(lines["worktree"])
    if checked_out is None:
        proc = git.run(
            "update-ref",
            "--stdin",
            check=False,
            input=f"update {ref} {result.head_after} {result.head_before}\n",
        )
        if proc.returncode != 0:
            _moved(result, "the branch moved while it was being updated; nothing was overwritten")
            return
    else:
        wgit = git.with_(repo=checked_out)
        if wgit.out("rev-parse", "HEAD") != result.head_before:
            _moved(result, "the branch moved while it was being updated; nothing was overwritten")
            return
        proc = wgit.run("reset", "--keep", result.head_after, check=False)
        if proc.returncode != 0:
            result.status = "error"
            result.head_after = result.head_before
            result.message = (
                f"{result.head} is checked out with local changes in {checked_out}; "
                "not updated: " + wgit.redact(proc.stderr.strip())
            )
            return
    result.ref_updated = True


def _moved(result: UpdateResult, message: str) -> None:
    result.status = "branch_moved"
    result.message = message
    result.head_after = result.head_before


async def update_branch_async(
    repo: Path | Git, base: str, head: str, **kwargs: Any
) -> UpdateResult:
    """:func:`update_branch` off the event loop."""
    return await asyncio.to_thread(update_branch, repo, base, head, **kwargs)


# --------------------------------------------------------------------------- push


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.username or parts.password or "@" in parts.netloc:
        raise ValueError("remote URL must not carry credentials; pass auth_header instead")
    if url.startswith("-"):
        raise ValueError("remote URL must not start with '-'")


def push_update(
    repo: Path | Git,
    remote_url: str,
    branch: str,
    new_sha: str,
    lease_sha: str | None,
    *,
    auth_header: str | None = None,
    protocols: tuple[str, ...] = DEFAULT_PROTOCOLS,
) -> PushResult:
    """Push ``new_sha`` to ``refs/heads/<branch>`` at ``remote_url``.

    With ``lease_sha`` (rebase): ``--force-with-lease=refs/heads/<branch>:<lease_sha>``.
    Without (merge): a plain fast-forward push. A branch that moved → ``branch_moved``;
    other refusals (protection, hooks, permissions) → ``rejected``; transport failures raise
    :class:`GitError` (redacted).
    """
    validate_ref(branch)
    _check_url(remote_url)
    for sha in (new_sha, *([lease_sha] if lease_sha else [])):
        if not all(c in "0123456789abcdef" for c in sha) or len(sha) not in (40, 64):
            raise ValueError("new_sha and lease_sha must be full commit ids")
    base_git = repo if isinstance(repo, Git) else Git(Path(repo))
    git = base_git.with_(protocols=protocols, auth_header=auth_header)
    ref = _full_ref(branch)
    args = ["push", "--porcelain", "--no-verify"]
    if lease_sha:
        args.append(f"--force-with-lease={ref}:{lease_sha}")
    args += ["--end-of-options", remote_url, f"{new_sha}:{ref}"]
    proc = git.run(*args, check=False)
    status_line = next(
        (ln for ln in proc.stdout.splitlines() if ln.endswith(")") or "\t" in ln), ""
    )
    flag = status_line[:1]
    summary = git.redact(status_line.split("\t")[-1]) if status_line else ""
    if proc.returncode == 0 and flag in (" ", "+", "*", "="):
        status = "up_to_date" if flag == "=" else "pushed"
        return PushResult(branch, status, new_sha, lease_sha, summary)
    if flag == "!":
        moved = any(k in summary for k in ("stale info", "fetch first", "non-fast-forward"))
        detail = git.redact(proc.stderr.strip())
        message = (
            f"{branch} moved on the remote; nothing was overwritten ({summary})"
            if moved
            else f"push to {branch} rejected: {summary} {detail}".strip()
        )
        return PushResult(
            branch, "branch_moved" if moved else "rejected", new_sha, lease_sha, message
        )
    raise git.error(args, proc)


async def push_update_async(
    repo: Path | Git,
    remote_url: str,
    branch: str,
    new_sha: str,
    lease_sha: str | None,
    **kwargs: Any,
) -> PushResult:
    """:func:`push_update` off the event loop; in shadow mode (the service's), recorded only."""
    from bot.shadow import intercept_write

    lease = f" with lease {lease_sha[:12]}" if lease_sha else ""
    intercepted = await intercept_write(
        "PUSH",
        f"refs/heads/{branch}",
        {"message": f"push {new_sha[:12]} to {branch}{lease}"},
    )
    if intercepted is not None:
        return PushResult(branch, "pushed", new_sha, lease_sha, "shadow mode: push not sent")
    return await asyncio.to_thread(
        push_update,
        repo,
        remote_url,
        branch,
        new_sha,
        lease_sha,
        **kwargs,
    )
