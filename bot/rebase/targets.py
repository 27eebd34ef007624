"""What the rebase service acts on: a repository, its pull requests, and an update's outcome.

Plain data built from webhook/REST JSON, plus the decisions that need nothing but that data
(whether to update automatically, why not). No GitHub calls: `bot.features.rebase` reads
GitHub and writes the comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.rebase.git import InvalidRef, validate_ref


@dataclass
class Repo:
    owner: str
    name: str
    clone_url: str
    installation_id: int | None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @classmethod
    def from_payload(cls, payload: dict[str, Any], installation_id: int | None = None) -> Repo:
        """From a webhook payload; ``installation_id`` when the payload names none."""
        repo = payload["repository"]
        inst = (payload.get("installation") or {}).get("id") or installation_id
        return cls(repo["owner"]["login"], repo["name"], repo["clone_url"], inst)


@dataclass
class Pull:
    """The parts of a PR the service needs, from ``GET /pulls`` or ``GET /pulls/{n}``."""

    number: int
    state: str
    base_ref: str
    head_ref: str
    head_sha: str
    head_repo: str | None  # full name; None when the fork was deleted
    head_clone_url: str | None
    maintainer_can_modify: bool
    draft: bool
    author: str
    labels: set[str] = field(default_factory=set)

    @classmethod
    def from_json(cls, pr: dict[str, Any]) -> Pull:
        head_repo = pr["head"].get("repo") or {}
        return cls(
            number=int(pr["number"]),
            state=pr.get("state", "open"),
            base_ref=pr["base"]["ref"],
            head_ref=pr["head"]["ref"],
            head_sha=pr["head"]["sha"],
            head_repo=head_repo.get("full_name"),
            head_clone_url=head_repo.get("clone_url"),
            maintainer_can_modify=bool(pr.get("maintainer_can_modify")),
            draft=bool(pr.get("draft")),
            author=(pr.get("user") or {}).get("login", ""),
            labels={label["name"] for label in pr.get("labels") or []},
        )

    def is_fork_of(self, repo: Repo) -> bool:
        return (self.head_repo or "").lower() != repo.full_name.lower()

    @property
    def ref(self) -> str:
        return f"refs/pull/{self.number}/head"

    def safe_head(self) -> bool:
        try:
            validate_ref(self.head_ref, allow_full=False)
        except InvalidRef:
            return False
        return True


@dataclass
class Outcome:
    """What an update did: ``updated``, ``up_to_date``, ``conflicted``, ``branch_moved``,
    ``rejected``, ``not_allowed``, ``skipped`` or ``error``; ``path`` is the path taken."""

    status: str
    message: str = ""
    path: str = "none"
    #: for a push that did not land: what happened and what to do, in a command's reply
    reply: str = ""


def git_protocols(api_url: str) -> tuple[str, ...]:
    """https always; plain http only when the operator points Pitcrew at an http API (GHES
    behind a proxy, the test fake). ``file``, ``ssh``, ``ext`` … stay forbidden."""
    return ("https", "http") if api_url.startswith("http://") else ("https",)


def bot_identity(app_slug: str) -> tuple[str, str]:
    """The committer name and e-mail of the App's own commits."""
    return f"{app_slug}[bot]", f"{app_slug}[bot]@users.noreply.github.com"


def wants_update(config: dict[str, Any], pull: Pull) -> str | None:
    """Why an automatic update should run for ``pull`` (a reason for the comment), or None."""
    if pull.draft and not config.get("drafts"):
        return None
    auto = config.get("auto", "label")
    if auto == "all":
        return "`rebase.auto` is `all` in this repository's configuration"
    if auto == "label" and config.get("label") in pull.labels:
        return f"the PR carries the `{config.get('label')}` label"
    return None


def can_resolve(config: dict[str, Any]) -> bool:
    """Resolution rules or rerere may get a conflicted PR through, so it is worth trying."""
    return bool(config.get("resolve") or config.get("rerere"))


def no_update_reason(config: dict[str, Any], pull: Pull) -> str:
    if pull.draft and not config.get("drafts"):
        return "it is a draft (`rebase.drafts` is off), so Pitcrew only reports the conflict"
    if config.get("auto") == "off":
        return "automatic updates are off (`rebase.auto: off`), so Pitcrew only reports it"
    return "a conflict needs a human, so Pitcrew did not try to update the branch"


def refusal(repo: Repo, pull: Pull, *, strategy: str, why: str) -> Outcome | None:
    """Why ``pull`` cannot be updated before any git work (closed, fork gone or locked)."""
    if pull.state != "open":
        return Outcome("skipped", "the pull request is closed")
    if pull.head_repo is None or pull.head_clone_url is None:
        message = "The PR's head repository no longer exists, so there is no branch to update."
        return Outcome("not_allowed", message)
    if pull.is_fork_of(repo) and not pull.maintainer_can_modify:
        message = (
            f"Pitcrew was asked to {strategy} this PR ({why}), but it comes from the fork "
            f"`{pull.head_repo}` and does not allow edits by maintainers, so Pitcrew cannot "
            "push to it. Tick **Allow edits by maintainers** on the PR, or update the branch "
            "yourself:"
        )
        return Outcome("not_allowed", message)
    return None
