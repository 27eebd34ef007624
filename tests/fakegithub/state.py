"""The fake's world: app, installations, tokens, repos and everything in them.

Why separate from the server: tests build state directly (builders below) and read it back
(accessors) without HTTP, and route handlers mutate the same objects. Objects are stored in
GitHub's own JSON shape (from shapes.py) so a handler mostly returns what is stored.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import shapes
from .gitstore import GitError, GitStore

PLACEHOLDER_API = "http://fake-github.invalid"
PERMISSIONS = ("admin", "maintain", "write", "triage", "read", "none")
# role -> legacy `permission` value GitHub returns beside role_name
LEGACY_PERMISSION = {
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
    "none": "none",
}


def fake_sha(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


@dataclass
class Installation:
    id: int
    account_login: str
    account_type: str
    json: dict[str, Any]
    repo_names: set[str] | None = None  # None: every repo of the account
    token_requests: int = 0


@dataclass
class Token:
    value: str
    installation_id: int
    expires_at: float
    repositories: frozenset[str] | None = None  # lower-case full names; None: all
    permissions: dict[str, str] | None = None  # None: the installation's


@dataclass
class Repo:
    full_name: str
    json: dict[str, Any]
    git: GitStore | None
    parent: str | None = None  # full name of the upstream for forks
    mem_branches: dict[str, str] = field(default_factory=dict)
    mem_files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # branch -> path -> data
    mem_parents: dict[str, list[str]] = field(default_factory=dict)  # sha -> parents (no git)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    comment_issue: dict[int, int] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    repo_labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    annotations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    workflows: dict[int, dict[str, Any]] = field(default_factory=dict)
    runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[int, dict[str, Any]] = field(default_factory=dict)
    logs: dict[int, str] = field(default_factory=dict)
    log_not_ready: dict[int, int] = field(default_factory=dict)  # job -> 404s left (API)
    blob_not_ready: dict[int, int] = field(default_factory=dict)  # job -> 404s left (blob URL)
    update_branch_calls: list[dict[str, Any]] = field(default_factory=list)
    reruns: list[tuple[str, int]] = field(default_factory=list)  # ("run"|"failed"|"job", id)
    dispatches: list[dict[str, Any]] = field(default_factory=list)
    artifacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    artifact_data: dict[int, bytes] = field(default_factory=dict)  # artifact id -> zip bytes

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]

    @property
    def default_branch(self) -> str:
        return self.json["default_branch"]

    @property
    def private(self) -> bool:
        return bool(self.json["private"])

    # ---------------------------------------------------------------- refs and files
    def resolve(self, ref: str) -> str | None:
        if self.git is not None:
            return self.git.resolve(ref)
        if ref.startswith("refs/heads/"):
            ref = ref[len("refs/heads/") :]
        if ref in self.mem_branches:
            return self.mem_branches[ref]
        return ref if len(ref) == 40 and ref in self.mem_branches.values() else None

    def mem_log(self, base: str | None, head: str) -> list[str]:
        """Without git: commits reachable from head and not from base, oldest first."""
        exclude = set(self._mem_ancestry(base)) if base else set()
        return [sha for sha in reversed(self._mem_ancestry(head)) if sha not in exclude]

    def mem_merge_base(self, a: str, b: str) -> str | None:
        seen = set(self._mem_ancestry(a))
        return next((sha for sha in self._mem_ancestry(b) if sha in seen), None)

    def _mem_ancestry(self, sha: str) -> list[str]:
        out, todo = [], [sha]
        while todo:
            current = todo.pop(0)
            if current not in out:
                out.append(current)
                todo.extend(self.mem_parents.get(current, []))
        return out

    def branches(self) -> dict[str, str]:
        return self.git.branches() if self.git is not None else dict(self.mem_branches)

    def read(self, ref: str, path: str) -> bytes | list[tuple[str, str, str]] | None:
        if self.git is not None:
            return self.git.read(ref, path)
        branch = next((b for b, s in self.mem_branches.items() if ref in (b, s)), None)
        files = self.mem_files.get(branch or "", {})
        path = path.strip("/")
        if path in files:
            return files[path]
        listing = [
            ("file", name, fake_sha(files[name])) for name in files if name.startswith(path + "/")
        ]
        return listing or None


class State:
    """Everything the fake knows. Builders return GitHub-shaped JSON; accessors read it back."""

    def __init__(self, *, app_id: int = 4242, app_slug: str = "pitcrew", root: Path | None = None):
        self.api = PLACEHOLDER_API
        self.app_id = app_id
        self.app_slug = app_slug
        self.app_owner = "pitcrew-dev"
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._root = root
        self._ids = itertools.count(1000)
        self.installations: dict[int, Installation] = {}
        self.tokens: dict[str, Token] = {}
        self.token_ttl = 3600.0
        #: whether a token scoped to a base repository may push to a fork's PR head that
        #: allows maintainers' edits (see `scopes.git_allowed`)
        self.scoped_tokens_reach_forks = True
        self.repos: dict[str, Repo] = {}  # key: full_name.lower()
        self.reactions: dict[int, list[dict[str, Any]]] = {}
        self.deliveries: list[dict[str, Any]] = []
        self.blobs: dict[str, tuple[str, int]] = {}  # blob key -> (repo full name, job id)
        # mergeability is a function of the two shas: two git runs per PR per listing otherwise
        # block the fake's event loop for seconds with a few hundred PRs (bench/soak.py)
        self._merge_memo: dict[tuple[str, str, str], dict[str, Any]] = {}
        # what the App was granted (GET /app) and its webhook settings (GET /app/hook/config);
        # a manifest conversion replaces them with what the manifest asked for
        self.app_permissions: dict[str, str] | None = None
        self.app_events: list[str] | None = None
        self.hook_config: dict[str, Any] = {
            "url": "https://pitcrew.example.com/webhook",
            "content_type": "json",
            "insecure_ssl": "0",
            "secret": "********",
        }
        self.manifest_codes: dict[str, dict[str, Any]] = {}  # code -> pending registration

    # ---------------------------------------------------------------- basics
    @property
    def root(self) -> Path:
        if self._root is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="fakegithub-")
            self._root = Path(self._tmp.name)
        return self._root

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def next_id(self) -> int:
        return next(self._ids)

    def app_json(self) -> dict[str, Any]:
        out = shapes.app(self.api, self.app_id, self.app_slug, self.app_owner)
        if self.app_permissions is not None:
            out["permissions"] = dict(self.app_permissions)
        if self.app_events is not None:
            out["events"] = list(self.app_events)
        return out

    def bot_user(self) -> dict[str, Any]:
        return shapes.user(self.api, f"{self.app_slug}[bot]", kind="Bot")

    def get_repo(self, full_name: str) -> Repo:
        try:
            return self.repos[full_name.lower()]
        except KeyError:
            raise KeyError(f"no repo {full_name!r} in the fake (add_repo it first)") from None

    def installation_for(self, repo: Repo) -> Installation | None:
        for inst in self.installations.values():
            if inst.account_login.lower() == repo.owner.lower() and (
                inst.repo_names is None or repo.name in inst.repo_names
            ):
                return inst
        if repo.parent:
            return self.installation_for(self.get_repo(repo.parent))
        return None

    def can_access(self, inst: Installation | None, repo: Repo, *, write: bool = False) -> bool:
        """Installation tokens see their repos; public repos are readable by any token."""
        if inst is None:
            return False
        owner = self.installation_for(repo)
        if owner is not None and owner.id == inst.id:
            return True
        return not write and not repo.private

    # ---------------------------------------------------------------- tokens
    def issue_token(
        self,
        installation_id: int,
        repositories: frozenset[str] | None = None,
        permissions: dict[str, str] | None = None,
    ) -> Token:
        inst = self.installations[installation_id]
        inst.token_requests += 1
        token = Token(
            f"ghs_{secrets.token_urlsafe(27)[:36]}",
            installation_id,
            time.time() + self.token_ttl,
            repositories,
            permissions,
        )
        self.tokens[token.value] = token
        return token

    def token_installation(self, value: str) -> Installation | None:
        token = self.tokens.get(value)
        if token is None or token.expires_at <= time.time():
            return None
        return self.installations.get(token.installation_id)

    # ---------------------------------------------------------------- builders
    def add_installation(
        self,
        installation_id: int,
        account_login: str,
        *,
        account_type: str = "Organization",
        repos: list[str] | None = None,
    ) -> dict[str, Any]:
        data = shapes.installation(
            self.api, installation_id, account_login, account_type, self.app_id, self.app_slug
        )
        if repos is not None:
            data["repository_selection"] = "selected"
        self.installations[installation_id] = Installation(
            installation_id, account_login, account_type, data, set(repos) if repos else None
        )
        return data

    def add_repo(
        self,
        full_name: str,
        *,
        default_branch: str = "main",
        with_git: bool = True,
        private: bool = False,
        fork: bool = False,
        parent: str | None = None,
        git_path: Path | None = None,
        files: dict[str, str] | None = None,
    ) -> Repo:
        """A repo; with_git backs it with a real bare repo (seeded with `files` or a README)."""
        if full_name.lower() in self.repos:
            raise ValueError(f"repo {full_name} already exists")
        store = None
        if git_path is not None:
            store = GitStore(Path(git_path))
            store._configure()
        elif with_git:
            path = self.root / "git" / f"{full_name}.git"
            if parent is not None and self.get_repo(parent).git is not None:
                store = GitStore.clone(self.get_repo(parent).git, path)  # type: ignore[arg-type]
            else:
                store = GitStore.create(path, default_branch, files)
        owner_is_org = any(
            i.account_login.lower() == full_name.split("/")[0].lower()
            and i.account_type == "Organization"
            for i in self.installations.values()
        )
        data = shapes.repository(
            self.api,
            full_name,
            repo_id=shapes.stable_id("repo", full_name),
            default_branch=default_branch,
            private=private,
            fork=fork or parent is not None,
            clone_url=f"{self.api}/git/{full_name}.git",
            owner_type="Organization" if owner_is_org else "User",
        )
        repo = Repo(full_name, data, store, parent=parent)
        if store is None:
            seed = {k: v.encode() for k, v in (files or {"README.md": f"# {full_name}\n"}).items()}
            repo.mem_branches[default_branch] = fake_sha(full_name, default_branch, 0)
            repo.mem_parents[repo.mem_branches[default_branch]] = []
            repo.mem_files[default_branch] = seed
        self.repos[full_name.lower()] = repo
        return repo

    def set_permission(self, repo: str, login: str, permission: str) -> None:
        if permission not in PERMISSIONS:
            raise ValueError(f"permission must be one of {PERMISSIONS}")
        self.get_repo(repo).permissions[login.lower()] = permission

    def add_file(
        self, repo: str, path: str, content: str | bytes, ref: str | None = None, message: str = ""
    ) -> str:
        """Commit a file on a branch (default branch by default); returns the new head sha."""
        r = self.get_repo(repo)
        branch = ref or r.default_branch
        if r.git is not None:
            return r.git.commit_files(branch, {path: content}, message or f"Add {path}")
        data = content.encode() if isinstance(content, str) else content
        r.mem_files.setdefault(branch, {})[path.strip("/")] = data
        parent = r.mem_branches.get(branch)
        sha = fake_sha(repo, branch, path, data, parent)
        r.mem_parents[sha] = [parent] if parent else []
        r.mem_branches[branch] = sha
        return sha

    def add_tag(self, repo: str, tag: str, ref: str | None = None) -> str:
        """A lightweight tag at ``ref`` (default branch head by default); returns its commit."""
        r = self.get_repo(repo)
        if r.git is None:
            raise ValueError("tags need a git-backed repo")
        sha = r.resolve(ref or r.default_branch)
        if sha is None:
            raise ValueError(f"{repo}: no ref {ref}")
        r.git.set_ref(f"refs/tags/{tag}", sha)
        return sha

    def create_branch(self, repo: str, branch: str, from_ref: str | None = None) -> str:
        r = self.get_repo(repo)
        sha = r.resolve(from_ref or r.default_branch)
        if sha is None:
            raise ValueError(f"{repo}: no ref {from_ref}")
        if r.git is not None:
            r.git.set_ref(branch, sha)
        else:
            r.mem_branches[branch] = sha
            r.mem_files[branch] = dict(r.mem_files.get(from_ref or r.default_branch, {}))
        return sha

    def add_pull(
        self,
        repo: str,
        number: int | None = None,
        head_ref: str = "feature",
        base_ref: str | None = None,
        user_login: str = "contributor",
        head_sha: str | None = None,
        draft: bool = False,
        fork: bool = False,
        maintainer_can_modify: bool = True,
        *,
        title: str | None = None,
        body: str | None = "",
        files: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """An open PR (and its issue). Missing head branches are created from base plus `files`.

        `fork=True` puts the head branch in ``<user_login>/<name>`` (created as a fork).
        Returns the PR JSON exactly as ``GET /pulls/{n}`` serves it.
        """
        r = self.get_repo(repo)
        base_ref = base_ref or r.default_branch
        number = number or self._next_number(r)
        if number in r.issues:
            raise ValueError(f"{repo}#{number} already exists")
        head_repo = r
        if fork:
            fork_name = f"{user_login}/{r.name}"
            if fork_name.lower() not in self.repos:
                self.add_repo(
                    fork_name,
                    default_branch=r.default_branch,
                    with_git=r.git is not None,
                    parent=r.full_name,
                )
            head_repo = self.get_repo(fork_name)
        base_sha = r.resolve(base_ref)
        if base_sha is None:
            raise ValueError(f"{repo}: base branch {base_ref} does not exist")
        current = head_repo.resolve(head_ref)
        if current is None:
            if head_repo is not r:
                if head_repo.git is not None and r.git is not None:
                    head_repo.git.fetch_from(
                        r.git, f"refs/heads/{base_ref}", f"refs/heads/{head_ref}"
                    )
                else:
                    head_repo.mem_branches[head_ref] = base_sha
            else:
                self.create_branch(r.full_name, head_ref, base_ref)
            change = files or {f"{head_ref.replace('/', '-')}.txt": f"change for #{number}\n"}
            for path, content in change.items():
                current = self.add_file(head_repo.full_name, path, content, head_ref)
        if head_sha is not None and head_repo.git is None:
            previous = head_repo.mem_branches.get(head_ref)
            head_repo.mem_parents.setdefault(head_sha, [previous] if previous else [base_sha])
            head_repo.mem_branches[head_ref] = head_sha
        pr = shapes.pull_request(
            self.api,
            r.json,
            head_repo.json,
            pr_id=self.next_id(),
            number=number,
            title=title or f"Change {head_ref}",
            body=body,
            user_login=user_login,
            head_ref=head_ref,
            head_sha=head_sha or current or fake_sha(repo, head_ref),
            base_ref=base_ref,
            base_sha=base_sha,
            draft=draft,
            maintainer_can_modify=maintainer_can_modify,
            created_at=shapes.now_iso(),
        )
        r.pulls[number] = pr
        r.issues[number] = shapes.issue(
            self.api,
            r.json,
            issue_id=self.next_id(),
            number=number,
            title=pr["title"],
            body=body,
            user_login=user_login,
            created_at=pr["created_at"],
            pull=pr,
        )
        return self.pull_json(r, number)

    def add_issue(
        self,
        repo: str,
        number: int | None = None,
        *,
        title: str = "An issue",
        body: str | None = "",
        user_login: str = "contributor",
    ) -> dict[str, Any]:
        r = self.get_repo(repo)
        number = number or self._next_number(r)
        r.issues[number] = shapes.issue(
            self.api,
            r.json,
            issue_id=self.next_id(),
            number=number,
            title=title,
            body=body,
            user_login=user_login,
            created_at=shapes.now_iso(),
        )
        return copy.deepcopy(r.issues[number])

    def _next_number(self, r: Repo) -> int:
        return max(r.issues, default=0) + 1

    def add_comment(self, repo: str, number: int, body: str, user_login: str = "contributor"):
        """A comment by someone (a human by default); returns its JSON."""
        r = self.get_repo(repo)
        if number not in r.issues:
            raise KeyError(f"{repo}#{number} does not exist")
        author = (
            self.bot_user()
            if user_login == f"{self.app_slug}[bot]"
            else shapes.user(self.api, user_login)
        )
        cid = self.next_id()
        data = shapes.comment(
            self.api, r.full_name, number, comment_id=cid, body=body, author=author
        )
        r.comments[cid] = data
        r.comment_issue[cid] = number
        r.issues[number]["comments"] += 1
        return copy.deepcopy(data)

    def add_status(
        self,
        repo: str,
        sha: str,
        state: str,
        context: str = "ci/test",
        description: str | None = None,
        target_url: str | None = None,
    ) -> dict:
        r = self.get_repo(repo)
        sid = self.next_id()
        status = {
            "url": f"{self.api}/repos/{r.full_name}/statuses/{sha}",
            "avatar_url": None,
            "id": sid,
            "node_id": shapes.node_id("StatusContext", sid),
            "state": state,
            "description": description,
            "target_url": target_url,
            "context": context,
            "created_at": shapes.now_iso(),
            "updated_at": shapes.now_iso(),
            "_sha": sha,
        }
        r.statuses.append(status)
        return {k: v for k, v in status.items() if k != "_sha"}

    def add_workflow(self, repo: str, name: str = "CI", path: str | None = None) -> dict:
        r = self.get_repo(repo)
        path = path or f".github/workflows/{name.lower().replace(' ', '-')}.yml"
        for wf in r.workflows.values():
            if wf["path"] == path:
                return wf
        wid = self.next_id()
        r.workflows[wid] = shapes.workflow(
            self.api, r.full_name, workflow_id=wid, name=name, path=path
        )
        return r.workflows[wid]

    def add_workflow_run(self, repo: str, **fields: Any) -> dict[str, Any]:
        """A workflow run; any run field can be given (status, conclusion, event, head_sha,
        head_branch, created_at, run_attempt…). ``workflow`` names the workflow (default CI),
        ``pull_requests`` may be a list of PR numbers."""
        r = self.get_repo(repo)
        wf = self.add_workflow(
            repo,
            fields.pop("workflow", fields.get("name", "CI")),
            fields.pop("workflow_path", None),
        )
        run_id = fields.pop("id", None) or self.next_id()
        actor = shapes.user(self.api, fields.pop("actor_login", "contributor"))
        run = shapes.workflow_run(self.api, r.json, run_id=run_id, wf=wf, actor=actor)
        run["head_sha"] = r.resolve(run["head_branch"]) or run["head_sha"]
        prs = fields.pop("pull_requests", [])
        run["pull_requests"] = [self._run_pr(r, p) for p in prs]
        if "head_branch" in fields and "head_sha" not in fields:
            run["head_sha"] = r.resolve(fields["head_branch"]) or run["head_sha"]
        run.update(fields)
        run["head_commit"] = {**run["head_commit"], "id": run["head_sha"]}
        r.runs[run_id] = run
        return copy.deepcopy(run)

    def _run_pr(self, r: Repo, pr: Any) -> dict[str, Any]:
        if isinstance(pr, dict):
            return pr
        data = self.pull_json(r, int(pr))
        return {
            "id": data["id"],
            "number": data["number"],
            "url": data["url"],
            "head": {
                "ref": data["head"]["ref"],
                "sha": data["head"]["sha"],
                "repo": {
                    "id": data["head"]["repo"]["id"],
                    "url": data["head"]["repo"]["url"],
                    "name": data["head"]["repo"]["name"],
                },
            },
            "base": {
                "ref": data["base"]["ref"],
                "sha": data["base"]["sha"],
                "repo": {"id": r.json["id"], "url": r.json["url"], "name": r.name},
            },
        }

    def find_run(self, run_id: int) -> tuple[Repo, dict[str, Any]]:
        for r in self.repos.values():
            if run_id in r.runs:
                return r, r.runs[run_id]
        raise KeyError(f"no workflow run {run_id}")

    def add_artifact(self, run_id: int, name: str, data: bytes, **fields: Any) -> dict[str, Any]:
        """An artifact of a run: ``data`` is the zip archive the download redirects to."""
        r, run = self.find_run(run_id)
        aid = self.next_id()
        api = f"{self.api}/repos/{r.full_name}/actions/artifacts/{aid}"
        art = {
            "id": aid,
            "node_id": f"MDg6QXJ0aWZhY3Q{aid}",
            "name": name,
            "size_in_bytes": len(data),
            "url": api,
            "archive_download_url": f"{api}/zip",
            "expired": False,
            "created_at": shapes.now_iso(),
            "expires_at": shapes.now_iso(),
            "updated_at": shapes.now_iso(),
            "digest": None,
            "workflow_run": {
                "id": run["id"],
                "repository_id": r.json["id"],
                "head_repository_id": r.json["id"],
                "head_branch": run.get("head_branch"),
                "head_sha": run.get("head_sha"),
            },
            **fields,
        }
        r.artifacts[aid] = art
        r.artifact_data[aid] = data
        return art

    def add_job(
        self,
        run_id: int,
        name: str,
        conclusion: str | None = "success",
        steps: list[Any] | None = None,
        log: str = "",
        *,
        log_not_ready: int = 0,
        blob_not_ready: int = 0,
        run_attempt: int | None = None,
    ) -> dict[str, Any]:
        """A job of a run with its log. `steps`: names, (name, conclusion) pairs or dicts.

        log_not_ready=K: the logs API answers 404 K times first (as just after completion);
        blob_not_ready=K: the redirect target answers 404 K times first.
        """
        r, run = self.find_run(run_id)
        built = []
        for i, s in enumerate(steps or ["Set up job", "Run tests", "Complete job"], start=1):
            if isinstance(s, dict):
                built.append({**shapes.step(i, s["name"]), **s})
            elif isinstance(s, tuple):
                built.append(shapes.step(i, s[0], s[1]))
            else:
                built.append(shapes.step(i, s, conclusion and "success"))
        jid = self.next_id()
        data = shapes.job(
            self.api,
            r.full_name,
            job_id=jid,
            run=run,
            name=name,
            conclusion=conclusion,
            steps=built,
        )
        data["run_attempt"] = run_attempt or run.get("run_attempt", 1)
        r.jobs[jid] = data
        r.logs[jid] = log
        r.log_not_ready[jid] = log_not_ready
        r.blob_not_ready[jid] = blob_not_ready
        # On GitHub every Actions job is also a check run with the same id.
        self.add_check_run(
            r.full_name,
            name=name,
            head_sha=data["head_sha"],
            conclusion=conclusion,
            app_slug="github-actions",
            check_run_id=jid,
            html_url=data["html_url"],
        )
        return copy.deepcopy(data)

    def add_check_run(
        self,
        repo: str,
        *,
        name: str,
        head_sha: str,
        conclusion: str | None = None,
        app_slug: str | None = None,
        output: dict[str, Any] | None = None,
        check_run_id: int | None = None,
        html_url: str | None = None,
    ) -> dict[str, Any]:
        """A check run made by another app (`app_slug`, e.g. circleci or github-actions)."""
        r = self.get_repo(repo)
        app_json = self.app_json()
        if app_slug:
            app_json = {**app_json, "slug": app_slug, "name": app_slug,
                        "id": shapes.stable_id("app", app_slug)}  # fmt: skip
        cid = check_run_id or self.next_id()
        run = shapes.check_run(self.api, r.full_name, run_id=cid, app_json=app_json)
        run.update(name=name, head_sha=head_sha)
        if html_url:
            run["html_url"] = run["details_url"] = html_url
        if conclusion:
            run.update(status="completed", conclusion=conclusion, completed_at=shapes.now_iso())
        if output:
            run["output"].update(output)
        r.check_runs[cid] = run
        return copy.deepcopy(run)

    def add_delivery(
        self,
        event: str,
        payload: dict[str, Any],
        *,
        guid: str,
        status_code: int = 202,
        url: str = "",
        redelivery: bool = False,
        request_headers: dict[str, str] | None = None,
        response_body: str = "",
    ) -> dict:
        did = self.next_id()
        inst = (payload.get("installation") or {}).get("id")
        repo_id = (payload.get("repository") or {}).get("id")
        record = {
            "id": did,
            "guid": guid,
            "delivered_at": shapes.now_iso(),
            "redelivery": redelivery,
            "duration": 0.01,
            "status": "OK" if 200 <= status_code < 300 else f"Invalid HTTP Response: {status_code}",
            "status_code": status_code,
            "event": event,
            "action": payload.get("action"),
            "installation_id": inst,
            "repository_id": repo_id,
            "throttled_at": None,
            "url": url,
            "request": {"headers": request_headers or {}, "payload": payload},
            "response": {"headers": {}, "payload": response_body},
        }
        self.deliveries.append(record)
        return record

    # ---------------------------------------------------------------- live views
    def pull_json(self, r: Repo, number: int) -> dict[str, Any]:
        """A PR as GET /pulls/{n} shows it now: shas follow the branches, labels the issue."""
        pr = r.pulls[number]
        head_repo = self.repos.get(pr["head"]["repo"]["full_name"].lower(), r)
        if pr["state"] == "open":
            head = head_repo.resolve(pr["head"]["ref"])
            base = r.resolve(pr["base"]["ref"])
            if head:
                pr["head"]["sha"] = head
                pr["statuses_url"] = f"{self.api}/repos/{r.full_name}/statuses/{head}"
                pr["_links"]["statuses"]["href"] = pr["statuses_url"]
            if base:
                pr["base"]["sha"] = base
            pr.update(self._mergeability(r, head_repo, pr))
        issue = r.issues[number]
        pr["labels"] = copy.deepcopy(issue["labels"])
        pr["comments"] = issue["comments"]
        return copy.deepcopy(pr)

    def _mergeability(self, r: Repo, head_repo: Repo, pr: dict[str, Any]) -> dict[str, Any]:
        if r.git is None or head_repo is not r:
            return {"mergeable": True, "rebaseable": True, "mergeable_state": "clean"}
        head, base = pr["head"]["sha"], pr["base"]["sha"]
        key = (r.full_name, base, head)
        if key not in self._merge_memo:
            self._merge_memo[key] = self._compute_mergeability(r, base, head)
        return dict(self._merge_memo[key])

    def open_head_shas(self, r: Repo) -> dict[int, str | None]:
        """Each PR's current head sha, with one ``for-each-ref`` for same-repository heads
        (lists filter on this before building full PR JSON, as GitHub's index would)."""
        branches = r.git.branches() if r.git is not None else {}
        shas: dict[int, str | None] = {}
        for number, pr in r.pulls.items():
            same_repo = pr["head"]["repo"]["full_name"].lower() == r.full_name.lower()
            if pr["state"] != "open":  # a closed PR's head no longer follows its branch
                shas[number] = pr["head"]["sha"]
            elif same_repo and r.git is not None:
                shas[number] = branches.get(pr["head"]["ref"]) or pr["head"]["sha"]
            else:
                shas[number] = self.pull_json(r, number)["head"]["sha"]
        return shas

    def _compute_mergeability(self, r: Repo, base: str, head: str) -> dict[str, Any]:
        assert r.git is not None
        try:
            r.git.git("merge-tree", "--write-tree", base, head)
            clean = True
        except GitError:
            clean = False
        behind = bool(r.git.log(head, base))
        state = "dirty" if not clean else ("behind" if behind else "clean")
        return {"mergeable": clean, "rebaseable": clean, "mergeable_state": state}

    # ---------------------------------------------------------------- accessors
    def comments(self, repo: str, number: int) -> list[dict[str, Any]]:
        r = self.get_repo(repo)
        return [copy.deepcopy(c) for cid, c in r.comments.items() if r.comment_issue[cid] == number]

    def labels(self, repo: str, number: int) -> list[str]:
        return [label["name"] for label in self.get_repo(repo).issues[number]["labels"]]

    def reaction_contents(self, comment_id: int) -> list[str]:
        return [x["content"] for x in self.reactions.get(comment_id, [])]

    def check_runs_for(self, repo: str, sha: str | None = None) -> list[dict[str, Any]]:
        runs = self.get_repo(repo).check_runs.values()
        return [copy.deepcopy(c) for c in runs if sha is None or c["head_sha"] == sha]
