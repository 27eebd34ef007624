"""Secrets never reach logs, comments or errors."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactingFilter
from bot.redact import redact

TOKEN = "ghs_" + "A1b2C3d4" * 5


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"token {TOKEN}", id="installation-token"),
        pytest.param("ghp_" + "x" * 36, id="classic-pat"),
        pytest.param("github_pat_" + "a1" * 30, id="fine-grained-pat"),
        pytest.param(f"https://x-access-token:{TOKEN}@github.com/o/r.git", id="url-credentials"),
        pytest.param("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", id="auth-header"),
        pytest.param("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl", id="jwt"),
        pytest.param(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", id="pem"
        ),
        pytest.param("AKIAABCDEFGHIJKLMNOP", id="aws-key"),
        pytest.param("PASSWORD=hunter2hunter2", id="password-assignment"),
    ],
)
def test_credentials_are_masked(text):
    masked = redact(f"before {text} after")
    assert "***" in masked
    assert masked.startswith("before ") and masked.endswith(" after")
    secret_core = text.split()[-1].split("@")[0][-12:]
    assert secret_core not in masked


def test_ordinary_text_is_untouched():
    text = "FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2 (sha 0123abcd)"
    assert redact(text) == text


def test_explicit_secrets_are_masked_anywhere():
    assert redact("webhook secret is s3cr3t-value", ["s3cr3t-value"]) == "webhook secret is ***"


def test_log_records_and_tracebacks_are_redacted(caplog):
    logger = logging.getLogger("pitcrew.test.redact")
    handler_filter = RedactingFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        try:
            raise RuntimeError(f"push failed for {TOKEN}")
        except RuntimeError:
            logger.exception("git said %s", TOKEN)
    finally:
        caplog.handler.removeFilter(handler_filter)
    assert TOKEN not in caplog.text
    assert "***" in caplog.text
