"""The only package that talks to GitHub: the client (`client`) and the REST helpers (`rest`).

``from bot import github`` then ``github.upsert_comment(...)`` / ``github.GitHubApp`` keeps
working: both halves are re-exported here.
"""

from bot.github.client import (
    TOKEN_REFRESH_MARGIN_S,
    USER_AGENT,
    WRITE_METHODS,
    GitHubApp,
    GitHubError,
    InstallationAPI,
    RetryLater,
    RetryPolicy,
    TransientGitHubError,
    endpoint_group,
)
from bot.github.rest import (
    FileUnreadable,
    TooLarge,
    add_labels,
    create_check_run,
    download_artifact,
    download_job_log,
    find_comment,
    get_conditional,
    get_file,
    get_pull,
    is_own,
    marker,
    open_pulls,
    paginate,
    permission_of,
    react,
    remove_label,
    update_check_run,
    upsert_comment,
)

# The epoch-seconds parser used to live here; other branches still call it by this name.
# New code imports bot.timeparse.timestamp_seconds.

__all__ = [
    "TOKEN_REFRESH_MARGIN_S",
    "USER_AGENT",
    "WRITE_METHODS",
    "FileUnreadable",
    "GitHubApp",
    "GitHubError",
    "InstallationAPI",
    "RetryLater",
    "RetryPolicy",
    "TooLarge",
    "TransientGitHubError",
    "add_labels",
    "create_check_run",
    "download_artifact",
    "download_job_log",
    "endpoint_group",
    "find_comment",
    "get_conditional",
    "get_file",
    "get_pull",
    "is_own",
    "marker",
    "open_pulls",
    "paginate",
    "permission_of",
    "react",
    "remove_label",
    "update_check_run",
    "upsert_comment",
]
