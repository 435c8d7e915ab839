"""Cached aggregates for pages: counted once, reused until the registry changes.

Every write to organizations, resources or observations bumps one version number; cache
keys include it, so a count is never older than the last change that this process knows
of, and never older than CACHE_SECONDS across processes that do not share a cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "profinfo:registry-version"
CACHE_SECONDS = 120


def registry_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def registry_changed(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cached(key: str, compute: Callable):
    """`key` may carry what a visitor typed (a query string): it is hashed into the cache's
    key, so its length and characters never reach the cache backend."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"profinfo:{registry_version()}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=CACHE_SECONDS)
    return value


def invalidate_on_change(*models) -> None:
    """Every save or delete of these models makes the cached aggregates stale."""
    for model in models:
        post_save.connect(registry_changed, sender=model, dispatch_uid=f"cache-{model.__name__}")
        post_delete.connect(registry_changed, sender=model,
                            dispatch_uid=f"cache-del-{model.__name__}")
