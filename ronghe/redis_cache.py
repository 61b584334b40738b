"""The shared cache on Redis (``REDIS_URL``), as Django's, with one client per connection pool.

Why: Django's backend builds a new ``redis.Redis`` for every cache call, and a client's constructor
fills its table of some 200 response callbacks — 0.2 ms of CPU a call, over a millisecond a page (the
session, the page cache's versions and parts, the login throttle). A client is thread-safe over its
pool, so one per pool serves every call of the process.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
