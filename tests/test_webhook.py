"""Webhook intake: signatures, sizes, headers, payload shapes, dedupe, every GitHub example."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.appkeys import QUEUE
from bot.webhook import signature_valid
from tests.conftest import SECRET, WEBHOOKS, delivery_headers, sign

EXAMPLES = sorted(WEBHOOKS.glob("*/*.json"))


def test_github_published_signature_vector():
    # https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    secret = "It's a Secret to Everybody"
    body = b"Hello, World!"
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signature_valid(secret, body, expected)
    assert not signature_valid(secret, body + b" ", expected)
    assert not signature_valid(secret, body, expected.replace("sha256=", "sha1="))
    assert not signature_valid(secret, body, None)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
async def test_every_github_example_is_accepted(app_client, path):
    client = await app_client(start_workers=False)
    body = path.read_bytes()
    resp = await client.post(
        "/webhook", data=body, headers=delivery_headers(path.parent.name, body)
    )
    assert resp.status in (200, 202), await resp.text()
    data = await resp.json()
    assert data["status"] in {"pong", "queued", "ignored"}
    queue = client.app[QUEUE]
    jobs = await queue.list_jobs()
    assert len(jobs) == (1 if data["status"] == "queued" else 0)
    if jobs:
        assert jobs[0].body == body  # stored byte for byte


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
async def test_every_github_example_dispatches_without_error(app_client, path):
    """Workers on, no App credentials: each queued job must finish, none dead-lettered."""
    client = await app_client()
    body = path.read_bytes()
    resp = await client.post(
        "/webhook", data=body, headers=delivery_headers(path.parent.name, body)
    )
    assert resp.status in (200, 202)
    queue = client.app[QUEUE]
    for _ in range(100):
        if await queue.depth() == 0:
            break
        await asyncio.sleep(0.02)
    jobs = await queue.list_jobs()
    assert all(job.status == "done" for job in jobs), [(j.status, j.last_error) for j in jobs]


@pytest.mark.parametrize(
    "headers, status",
    [
        pytest.param({}, 401, id="no-signature"),
        pytest.param({"X-Hub-Signature-256": "sha256=" + "0" * 64}, 401, id="wrong-signature"),
        pytest.param({"X-Hub-Signature-256": sign(b"other")}, 401, id="signature-of-other-body"),
        pytest.param({"X-Hub-Signature": "sha1=abc"}, 401, id="sha1-only-rejected"),
    ],
)
async def test_bad_signatures_are_401(app_client, headers, status):
    client = await app_client(start_workers=False)
    body = b'{"action": "opened"}'
    base = {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": str(uuid.uuid4())}
    resp = await client.post("/webhook", data=body, headers={**base, **headers})
    assert resp.status == status
    assert await client.app[QUEUE].list_jobs() == []


@pytest.mark.parametrize(
    "event, delivery, body, status",
    [
        pytest.param(None, "d1", b"{}", 400, id="missing-event"),
        pytest.param("push", None, b"{}", 400, id="missing-delivery"),
        pytest.param("push", "d1", b"[1, 2]", 400, id="json-array"),
        pytest.param("push", "d1", b"not json", 400, id="not-json"),
        pytest.param("push", "d1", b"\xff\xfe", 400, id="not-utf8"),
        pytest.param("push", "d1", b'"text"', 400, id="json-string"),
        pytest.param("push", "d1", b"[" * 100000 + b"]" * 100000, 400, id="deeply-nested"),
        pytest.param("ping", "d1", b'{"zen": "Keep it logically awesome."}', 200, id="ping"),
        pytest.param("gollum", "d1", b'{"pages": []}', 202, id="unhandled-event"),
        pytest.param("pull_request", "d1", b'{"action": "assigned"}', 202, id="unhandled-action"),
    ],
)
async def test_headers_and_payload_shapes(app_client, event, delivery, body, status):
    client = await app_client(start_workers=False)
    headers = {"X-Hub-Signature-256": sign(body)}
    if event:
        headers["X-GitHub-Event"] = event
    if delivery:
        headers["X-GitHub-Delivery"] = delivery
    resp = await client.post("/webhook", data=body, headers=headers)
    assert resp.status == status
    assert await client.app[QUEUE].list_jobs() == []


async def test_unhandled_events_are_counted(app_client):
    client = await app_client(start_workers=False)
    body = b'{"pages": []}'
    await client.post("/webhook", data=body, headers=delivery_headers("gollum", body))
    metrics = await (await client.get("/metrics")).text()
    assert 'pitcrew_webhook_deliveries_total{event="gollum",outcome="ignored"} 1.0' in metrics


async def test_body_over_25_mib_is_413_and_under_is_accepted(app_client):
    client = await app_client(start_workers=False)
    big = b'{"pad": "' + b"x" * (25 * 1024 * 1024) + b'"}'
    resp = await client.post("/webhook", data=big, headers=delivery_headers("push", big))
    assert resp.status == 413
    # 2 MiB is above aiohttp's 1 MiB default and must be accepted
    payload = json.loads((WEBHOOKS / "push" / "with-new-branch.payload.json").read_text())
    payload["pad"] = "x" * (2 * 1024 * 1024)
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers("push", body))
    assert resp.status == 202, await resp.text()
    assert (await resp.json())["status"] == "queued"


async def test_redelivery_is_one_job_even_concurrently(app_client):
    client = await app_client(start_workers=False)
    body = (WEBHOOKS / "push" / "with-new-branch.payload.json").read_bytes()
    headers = delivery_headers("push", body, delivery_id="same-delivery")
    statuses = await asyncio.gather(
        *[client.post("/webhook", data=body, headers=headers) for _ in range(5)]
    )
    codes = sorted(r.status for r in statuses)
    assert codes == [200, 200, 200, 200, 202]
    assert len(await client.app[QUEUE].list_jobs()) == 1


async def test_request_path_makes_no_github_call(app_client, settings_factory):
    """With an unreachable GitHub URL the intake must still answer at once."""
    settings = settings_factory(env={"PITCREW_GITHUB_URL": "http://127.0.0.1:9"})
    client = await app_client(settings, start_workers=False)
    body = (WEBHOOKS / "pull_request" / "opened.payload.json").read_bytes()
    resp = await client.post("/webhook", data=body, headers=delivery_headers("pull_request", body))
    assert resp.status == 202


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(st.text(max_size=10), children, max_size=4)
            ),
            max_leaves=20,
        ).map(lambda v: json.dumps(v).encode()),
        st.fixed_dictionaries(
            {
                "action": st.one_of(st.text(max_size=10), st.lists(st.integers()), st.none()),
                "repository": st.one_of(
                    st.text(), st.none(), st.dictionaries(st.text(), st.text())
                ),
                "issue": st.one_of(st.text(), st.integers(), st.none()),
                "comment": st.one_of(
                    st.text(), st.none(), st.fixed_dictionaries({"body": st.text()})
                ),
            }
        ).map(lambda v: json.dumps(v).encode()),
    ),
    event=st.sampled_from(["push", "pull_request", "issue_comment", "check_run", "ping", "x"]),
    signed=st.booleans(),
)
async def test_fuzz_webhook_never_5xx(fuzz_client, body, event, signed):
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": str(uuid.uuid4())}
    if signed:
        headers["X-Hub-Signature-256"] = sign(body, SECRET)
    resp = await fuzz_client.post("/webhook", data=body, headers=headers)
    assert resp.status < 500
    assert resp.status in (200, 202, 400, 401)


@pytest.fixture
async def fuzz_client(app_client):
    return await app_client()
