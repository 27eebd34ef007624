"""Mask secrets before text reaches a log, an exception or a GitHub comment.

GitHub token formats are documented (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_); the rest
are common shapes (JWTs, PEM blocks, bearer headers, URL credentials, AWS keys). A false
positive costs a few masked characters; a false negative leaks a credential.
"""

from __future__ import annotations

import re

MASK = "***"

_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,255}\b"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,255}\b"),
    re.compile(r"\bv1\.[0-9a-f]{40}\b"),  # legacy installation tokens
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWT
    re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)"
    ),
    re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
    re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}\b"),  # Slack
    re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"),
    re.compile(r"\bpypi-[A-Za-z0-9_-]{50,}\b"),
)
# Keep the prefix ("Authorization: Bearer ", "https://user:") and mask what follows.
_PREFIXED: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?i)(\b(?:authorization|proxy-authorization)\s*[:=]\s*(?:bearer|token|basic)?\s*)"
        r"[^\s'\"]{6,}"
    ),
    re.compile(r"(?i)(\b(?:bearer|token)\s+)[A-Za-z0-9._~+/=-]{16,}"),
    re.compile(r"([a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+(?=@)"),
    re.compile(
        r"(?i)(\b[\w.-]*(?:password|passwd|secret|api[_-]?key|access[_-]?key|token)[\w.-]*"
        r"\s*[:=]\s*['\"]?)[^\s'\"]{8,}"
    ),
)


def redact(text: str, extra_secrets: tuple[str, ...] | list[str] = ()) -> str:
    """Return ``text`` with anything that looks like a credential replaced by ``***``."""
    if not text:
        return text
    for secret in extra_secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    for pattern in _PREFIXED:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text
