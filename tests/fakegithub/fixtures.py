"""pytest fixtures for the fake GitHub (loaded as a plugin by tests/conftest.py).

* ``app_key`` (session): an RSA private key PEM for the App, generated once.
* ``fake_github``: a started FakeGitHub using that key; closed at teardown, and the test FAILS
  at teardown if any request was rejected by validation (or, with ``check_responses`` on, if
  the fake served a response that does not fit the spec). A test that sends bad calls on
  purpose sets ``fake_github.expect_problems = True``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .server import FakeGitHub, generate_private_key
from .shared import shared_dir


@pytest.fixture(scope="session")
def app_key() -> str:
    return generate_private_key()


@pytest.fixture
async def fake_github(app_key: str) -> AsyncIterator[FakeGitHub]:
    shared_dir()  # a clear message when ../shared is missing
    fake = FakeGitHub(private_key=app_key)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    if fake.expect_problems:
        return
    found = fake.problems + fake.response_problems
    if found:
        listing = "\n  ".join(found[:20])
        pytest.fail(f"the fake GitHub rejected {len(found)} call(s):\n  {listing}", pytrace=False)
