"""A tiny fake of GitHub's App webhook-delivery API (list with cursor pagination, redeliver).

Every request is checked with ``../shared/github/validate_call.py`` and must carry a JWT.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.conftest import SHARED

sys.path.insert(0, str(SHARED / "github"))
import validate_call


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def attempt(id: int, guid: str, at: float, code: int, *, redelivery: bool = False) -> dict:
    return {
        "id": id,
        "guid": guid,
        "delivered_at": iso(at),
        "redelivery": redelivery,
        "duration": 0.1,
        "status": "OK" if 200 <= code < 300 else "Invalid HTTP Response: 502",
        "status_code": code,
        "event": "issue_comment",
        "action": "created",
        "installation_id": 1,
        "repository_id": 2,
        "throttled_at": None,
    }


@dataclass
class FakeDeliveries:
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    redelivered: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    list_calls: int = 0
    redelivery_code: int = 502  # what the redelivered attempt gets from the (still broken) hook
    refuse: set[int] = field(default_factory=set)  # ids GitHub answers 422 for

    def _check(self, request: web.Request) -> None:
        self.problems += validate_call.validate(request.method, str(request.rel_url))
        if not request.headers.get("Authorization", "").lower().startswith("bearer "):
            self.problems.append(f"{request.method} {request.rel_url}: no JWT")

    async def list(self, request: web.Request) -> web.Response:
        self._check(request)
        self.list_calls += 1
        per_page = int(request.query.get("per_page", "30"))
        start = int(request.query.get("cursor", "0"))
        newest_first = sorted(self.deliveries, key=lambda d: d["id"], reverse=True)
        page = newest_first[start : start + per_page]
        headers = {}
        if start + per_page < len(newest_first):
            nxt = request.url.update_query({"cursor": str(start + per_page)})
            headers["Link"] = f'<{nxt}>; rel="next"'
        for item in page:
            problems = validate_call.validate_response("GET", "/app/hook/deliveries", 200, [item])
            self.problems += problems
        return web.json_response(page, headers=headers)

    async def redeliver(self, request: web.Request) -> web.Response:
        self._check(request)
        delivery_id = int(request.match_info["id"])
        if delivery_id in self.refuse:
            return web.json_response({"message": "Validation Failed"}, status=422)
        original = next(d for d in self.deliveries if d["id"] == delivery_id)
        self.redelivered.append(delivery_id)
        new_id = max(d["id"] for d in self.deliveries) + 1
        self.deliveries.append(
            attempt(
                new_id,
                original["guid"],
                datetime.now(UTC).timestamp(),
                self.redelivery_code,
                redelivery=True,
            )
        )
        return web.json_response({}, status=202)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/app/hook/deliveries", self.list)
        app.router.add_post("/app/hook/deliveries/{id}/attempts", self.redeliver)
        return app
