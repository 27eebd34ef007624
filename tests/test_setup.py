"""`pitcrew setup`: the manifest flow against the fake GitHub, in a real browser and over HTTP.

The setup command runs as a real process; the fake GitHub serves the "new App" form page and the
code conversion. The browser test needs Debian's chromium + chromium-driver (`.ci/run` installs
them) and Selenium; without them it is skipped saying so. The error cases drive the same pages
with an HTTP client, so they run everywhere.
"""

from __future__ import annotations

import asyncio
import os
import re
import stat
import sys
from html.parser import HTMLParser
from pathlib import Path

import aiohttp
import pytest

from bot.envfile import read_env_file
from bot.setup.manifest import api_url_for, build_manifest, load_app_yml, new_app_url
from tests.helpers import free_port

CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


class Forms(HTMLParser):
    """The forms of a page: action, method and their inputs (what a browser would submit)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method"), "in": {}})
        elif tag == "input" and self.forms:
            self.forms[-1]["in"][a.get("name", "")] = a.get("value", "")


def forms_of(text: str) -> list[dict]:
    parser = Forms()
    parser.feed(text)
    return parser.forms


class SetupProcess:
    def __init__(self, proc: asyncio.subprocess.Process, url: str) -> None:
        self.proc = proc
        self.url = url

    async def finish(self, timeout: float = 20) -> tuple[int, str, str]:
        out, err = await asyncio.wait_for(self.proc.communicate(), timeout)
        return self.proc.returncode or 0, out.decode(), err.decode()


async def start_setup(fake, env_file: Path, *extra: str) -> SetupProcess:
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "setup",
        "--port",
        str(port),
        "--github-url",
        fake.base_url,
        "--api-url",
        fake.base_url,
        "--env-file",
        str(env_file),
        *extra,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = asyncio.get_running_loop().time() + 15
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url) as resp:
                    if resp.status == 200:
                        return SetupProcess(proc, url)
            except aiohttp.ClientError:
                pass
            if proc.returncode is not None or asyncio.get_running_loop().time() > deadline:
                _, err = await proc.communicate()
                raise AssertionError(f"setup page did not come up: {err.decode()}")
            await asyncio.sleep(0.1)


async def click_through(setup: SetupProcess, *, before_callback=None) -> str:
    """What the browser does, over HTTP: the button, GitHub's page, the redirect back."""
    async with aiohttp.ClientSession() as session:
        async with session.get(setup.url) as resp:
            (form,) = forms_of(await resp.text())
        async with session.post(form["action"], data=form["in"]) as resp:
            assert resp.status == 200, await resp.text()
            (confirm,) = forms_of(await resp.text())
        if before_callback is not None:
            await before_callback(confirm["in"]["code"])
        async with session.get(confirm["action"], params=confirm["in"]) as resp:
            return await resp.text()


def assert_secret_file(path: Path) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)


# ----------------------------------------------------------------------------- pure parts
def test_manifest_points_webhook_and_redirect_at_this_deployment() -> None:
    manifest = build_manifest(
        load_app_yml(), public_url="https://bot.example.org/", redirect_base="http://127.0.0.1:3000"
    )
    assert manifest["hook_attributes"] == {"url": "https://bot.example.org/webhook", "active": True}
    assert manifest["redirect_url"] == "http://127.0.0.1:3000/callback"
    assert manifest["default_permissions"]["pull_requests"] == "write"
    assert "workflow_job" in manifest["default_events"]


@pytest.mark.parametrize(
    ("org", "expected"),
    [
        (None, "https://github.com/settings/apps/new?state=s1"),
        ("octo-org", "https://github.com/organizations/octo-org/settings/apps/new?state=s1"),
    ],
    ids=["user", "org"],
)
def test_new_app_url(org: str | None, expected: str) -> None:
    assert new_app_url("https://github.com/", "s1", org) == expected


@pytest.mark.parametrize(
    ("web", "api"),
    [
        ("https://github.com", "https://api.github.com"),
        ("https://github.example.com/", "https://github.example.com/api/v3"),
    ],
    ids=["dotcom", "enterprise-server"],
)
def test_api_url_follows_github_url(web: str, api: str) -> None:
    assert api_url_for(web) == api


# ----------------------------------------------------------------------------- the flow over HTTP
async def test_setup_writes_env_file_and_key_readable_only_by_owner(fake_github, tmp_path) -> None:
    env_file = tmp_path / ".env"
    setup = await start_setup(
        fake_github, env_file, "--org", "octo-org", "--url", "https://bot.example.org"
    )
    page = await click_through(setup)
    code, out, err = await setup.finish()
    assert code == 0, err
    assert "is registered" in page and "/installations/new" in page
    values = read_env_file(env_file)
    assert values["PITCREW_APP_ID"] == str(fake_github.app_id)
    assert values["PITCREW_WEBHOOK_SECRET"] == fake_github.hook_secret
    key_file = Path(values["PITCREW_PRIVATE_KEY"])
    assert key_file.read_text() == fake_github.private_key
    assert_secret_file(env_file)
    assert_secret_file(key_file)
    for secret in (fake_github.hook_secret, "PRIVATE KEY"):
        assert secret not in out + err + page
    (posted,) = fake_github.manifest_posts
    assert posted["owner"] == "octo-org"
    assert fake_github.state.hook_config["url"] == "https://bot.example.org/webhook"


async def test_reused_code_is_refused_clearly(fake_github, tmp_path) -> None:
    setup = await start_setup(fake_github, tmp_path / ".env")

    async def use_code_first(code: str) -> None:
        async with aiohttp.ClientSession() as session:
            url = f"{fake_github.base_url}/app-manifests/{code}/conversions"
            async with session.post(url) as resp:
                assert resp.status == 201

    page = await click_through(setup, before_callback=use_code_first)
    code, _, err = await setup.finish()
    assert code == 1
    assert "expired or was already used" in page and "expired or was already used" in err
    assert not (tmp_path / ".env").exists()
    assert list(tmp_path.iterdir()) == []


async def test_refused_conversion_is_reported(fake_github, tmp_path) -> None:
    fake_github.inject(
        "POST",
        "/app-manifests/*",
        status=422,
        body={"message": "Name is already in use", "documentation_url": "x"},
    )
    setup = await start_setup(fake_github, tmp_path / ".env")
    page = await click_through(setup)
    code, _, err = await setup.finish()
    assert code == 1
    assert "GitHub refused to create the App: Name is already in use" in page
    assert "Name is already in use" in err
    assert list(tmp_path.iterdir()) == []


async def test_existing_env_file_is_never_overwritten_without_force(fake_github, tmp_path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PITCREW_APP_ID=1\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "setup",
        "--port",
        "0",
        "--env-file",
        str(env_file),
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 1
    assert "already exists: not overwriting it (pass --force" in err.decode()
    assert env_file.read_text() == "PITCREW_APP_ID=1\n"

    setup = await start_setup(fake_github, env_file, "--force")
    await click_through(setup)
    code, _, err2 = await setup.finish()
    assert code == 0, err2
    assert read_env_file(env_file)["PITCREW_APP_ID"] == str(fake_github.app_id)
    assert_secret_file(env_file)


# ----------------------------------------------------------------------------- a real browser
def _browser_or_skip():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(
            f"no browser: {', '.join(missing)} missing (apt-get install chromium "
            "chromium-driver; .ci/run does)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def _click(driver, element_id: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(
        expected_conditions.element_to_be_clickable((By.ID, element_id))
    ).click()


def _text_of(driver, element_id: str) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return (
        WebDriverWait(driver, 15)
        .until(expected_conditions.visibility_of_element_located((By.ID, element_id)))
        .text
    )


@pytest.mark.slow
async def test_browser_clicks_through_setup(fake_github, tmp_path) -> None:
    driver = await asyncio.to_thread(_browser_or_skip)
    try:
        env_file = tmp_path / "pitcrew.env"
        setup = await start_setup(fake_github, env_file, "--url", "https://bot.example.org")

        def browse() -> tuple[str, str]:
            driver.get(setup.url)
            _click(driver, "register")  # our page → GitHub's "new App" page
            _click(driver, "create-app")  # GitHub's page → back to our callback
            return _text_of(driver, "done"), driver.find_element("id", "install").text

        done, install = await asyncio.to_thread(browse)
        code, out, err = await setup.finish()
    finally:
        await asyncio.to_thread(driver.quit)
    assert code == 0, err
    assert f"(id {fake_github.app_id}) is registered" in done
    assert install.startswith("Install it")
    assert_secret_file(env_file)
    values = read_env_file(env_file)
    assert values["PITCREW_APP_ID"] == str(fake_github.app_id)
    assert_secret_file(Path(values["PITCREW_PRIVATE_KEY"]))
    assert re.search(r"registered the GitHub App \S+ \(id \d+\)", out)


@pytest.mark.slow
async def test_browser_shows_expired_code(fake_github, tmp_path) -> None:
    driver = await asyncio.to_thread(_browser_or_skip)
    fake_github.manifest_code_ttl = -1  # the code has expired by the time it comes back
    try:
        setup = await start_setup(fake_github, tmp_path / ".env")

        def browse() -> str:
            driver.get(setup.url)
            _click(driver, "register")
            _click(driver, "create-app")
            return _text_of(driver, "error")

        error = await asyncio.to_thread(browse)
        code, _, _ = await setup.finish()
    finally:
        await asyncio.to_thread(driver.quit)
    assert code == 1
    assert "expired or was already used" in error
    assert not (tmp_path / ".env").exists()


def test_browser_binaries_match_ci() -> None:
    """`.ci/run` installs what the browser test needs, so CI never skips it."""
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "chromium-driver" in ci and "selenium" in (ci + _test_extra())


def _test_extra() -> str:
    return (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
