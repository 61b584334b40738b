"""The Redis cache backend keeps one client per connection pool (ronghe/redis_cache.py) and behaves as
Django's: values, counters, many keys at once, expiry."""

import secrets
import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

REDIS = "redis://127.0.0.1:6379/4"


@pytest.fixture
def cache():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.fail("Redis is not running at 127.0.0.1:6379 (make test needs it, as the deployment does)")
    prefix = f"test-{secrets.token_hex(4)}"
    with override_settings(CACHES={"default": {"BACKEND": "ronghe.redis_cache.RedisCache", "LOCATION": REDIS,
                                               "KEY_PREFIX": prefix}}):
        yield caches["default"]


def test_one_client_serves_every_call(cache):
    first = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is first and cache._cache.get_client("k") is first


def test_it_behaves_as_djangos_redis_cache(cache):
    cache.set("page", {"html": "<p>融合</p>"}, 60)
    assert cache.get("page") == {"html": "<p>融合</p>"}
    assert cache.add("n", 5, None) and not cache.add("n", 6, None)
    assert cache.incr("n") == 6 and cache.get_many(["n", "page", "none"]) == {"n": 6, "page": {"html": "<p>融合</p>"}}
    with pytest.raises(ValueError):
        cache.incr("absent")
    cache.delete_many(["n", "page"])
    assert cache.get("n") is None
