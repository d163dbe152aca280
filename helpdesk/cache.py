"""The Redis cache, degraded to no cache while Redis cannot be reached.

Everything the portal caches can be computed again (ARCHITECTURE.md, "Runtime"): a page is slower without
its cached figures, but it must not fail. While Redis is down every read is a miss and every write a no-op,
with one warning a minute in the log. After a failure the cache is not asked again for a few seconds, so an
unreachable host (a connect timeout, not a refusal) costs a request at most one timeout.
"""

import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from .logs import ThrottledWarning

logger = logging.getLogger(__name__)

# Raised by redis-py when the server refuses, drops or does not answer the connection. Other errors (a
# wrong command, a full server) are bugs or configuration and still raise.
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
# After a failure, the cache is skipped (a miss, a no-op) for this long before Redis is tried again.
RETRY_AFTER_SECONDS = 5


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache that answers a miss (reads) or does nothing (writes) while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._skip_until = 0.0
        self._warn = ThrottledWarning(logger)

    def _call(self, fallback, method, *args, **kwargs):
        if time.monotonic() < self._skip_until:
            return fallback
        try:
            return method(*args, **kwargs)
        except UNREACHABLE as error:
            self._skip_until = time.monotonic() + RETRY_AFTER_SECONDS
            self._warn("The cache (Redis) cannot be reached, pages are computed without it: %s", error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        value = self._call(None, super().incr, key, delta, version)
        if value is None:
            raise ValueError(f"Key '{key}' not found (the cache cannot be reached).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call([], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
