"""Feature state (diagnosis cache, label overrides) is shared by replicas on Redis."""

from __future__ import annotations

import time

import pytest

from bot.kvstore import RedisKVStore, SQLiteKVStore


@pytest.fixture(params=["sqlite", "redis"])
def stores(request, tmp_path, namespace):
    if request.param == "sqlite":
        one = two = SQLiteKVStore(tmp_path / "kv.sqlite3")
        yield one, two
        one.close()
    else:
        server = request.getfixturevalue("redis_server")
        one, two = RedisKVStore(server.url, namespace), RedisKVStore(server.url, namespace)
        yield one, two
        one.close()
        two.close()


def test_values_prefixes_and_expiry(stores):
    one, two = stores
    one.put("override", "o/r#1:test [py3.12]", {"label": "flaky", "by": "mia"})
    one.put("override", "o/r#1:lint", {"label": "infra", "by": "mia"})
    one.put("override", "o/r#10:lint", {"label": "new", "by": "mia"})
    one.put("diag", "o/r:1", {"category": "test_failure"}, ttl=0.2)
    assert two.get("override", "o/r#1:lint") == {"label": "infra", "by": "mia"}
    assert set(two.items("override", "o/r#1:")) == {"o/r#1:test [py3.12]", "o/r#1:lint"}
    assert two.get("diag", "o/r:1") == {"category": "test_failure"}
    time.sleep(0.3)
    assert two.get("diag", "o/r:1", "gone") == "gone"
    assert one.delete_prefix("override", "o/r#1:") == 2
    assert list(two.items("override")) == ["o/r#10:lint"]
