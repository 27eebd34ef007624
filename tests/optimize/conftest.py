"""The optimizer's tests run offline unless a test passes ``--github-token`` itself: a
``GITHUB_TOKEN`` in the environment (CI runners export one) must not send the CLI online."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
