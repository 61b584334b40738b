"""Parts of pages kept rendered in the shared cache, retired by the versions of what they show.

Why: an authority's enterprise list over 100,000 enterprises, an approved result page and every
page's navigation badges cost tens of milliseconds of CPU and database each, while what they show
changes a few times a minute at most. A rendered part is stored under a key that holds the
*versions* of the data it shows; a change of that data bumps its version, so the next request
finds the part's versions out of date and renders it again (a part expires after
``RONGHE_PAGE_CACHE_SECONDS`` unread).
Nothing is invalidated by hand, and a part is never stale.

A version belongs to a *topic* (``assessments``, ``enterprises``, ``people``, ``users``, ``tokens``,
``notifications``, ``registrations``, ``providers``) and a *part* of it: a province (``"33"``) for
enterprises and assessments, a user (``"u12"``) for notifications and user rows, a token for tokens. A
change bumps its parts and ``*``; a view of a province reads that province's versions, a view of
everything reads ``*``; a change whose parts are unknown (a queryset ``update``) bumps the topic's
epoch, which every view reads.

Models say what they belong to (``cache_topic``, ``cache_parts()``, ``cache_quiet_fields`` for saves that
change nothing a cached part shows, such as a draft's autosaved answers); :func:`connect` bumps on their
saves and deletions, :class:`TopicQuerySet` on their bulk writes. A version is bumped at once (so the
writing request and its transaction see the change) and again after the commit (so that a part
another request rendered from the data before the commit is retired too).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

ALL = "*"
EPOCH = "epoch"
TOPICS = ("assessments", "enterprises", "people", "users", "tokens", "notifications", "registrations",
          "providers")


def _key(topic: str, part: str) -> str:
    return f"version:{topic}:{part}"


def _version_keys(topics: dict) -> list[str]:
    return [_key(topic, name) for topic, parts in sorted(topics.items())
            for name in (EPOCH, *(sorted(set(parts)) if parts is not None else [ALL]))]


def versions(**topics: Iterable[str] | None) -> tuple:
    """The versions a view depends on, read at once: for each topic, of the parts it shows (``None``:
    all of it), e.g. ``versions(assessments={"33"}, people=None)``. A version missing from the cache
    starts at the current time in nanoseconds, a value no earlier key used."""
    keys = _version_keys(topics)
    found = cache.get_many(keys)
    if len(found) < len(keys):
        start = time.time_ns()
        for k in keys:
            if k not in found:
                cache.add(k, start, None)
        found.update(cache.get_many([k for k in keys if k not in found]))
    return tuple(found.get(k) for k in keys)


def _bump(topic: str, names: list[str]) -> None:
    for name in names:
        key = _key(topic, name)
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (never read, or evicted): any fresh value retires old keys
            cache.add(key, time.time_ns(), None)


def changed(topic: str, parts: Iterable[str] | None = None) -> None:
    """Record that ``parts`` of ``topic`` changed (``None``: unknown parts: every view of the topic)."""
    names = [EPOCH] if parts is None else [ALL, *{p for p in parts if p}]
    _bump(topic, names)
    transaction.on_commit(lambda: _bump(topic, names))


def changed_everything() -> None:
    """After a restore or a bulk load behind the ORM's back: every cached part is retired."""
    for topic in TOPICS:
        changed(topic)


def province(region_code: str | None) -> str:
    """The part of a region: its province's two digits (GB/T 2260), "" for none."""
    return (region_code or "")[:2]


def cached(name: str, key: Iterable, render: Callable[[], object], **topics: Iterable[str] | None) -> object:
    """``render()``'s result, from the cache under ``name`` and ``key`` (everything else the result depends
    on: user, language, filters) while the versions of ``topics`` (as for :func:`versions`) are those it
    was rendered under; else rendered and stored with them (``None`` is not stored). The part and its
    versions are read in one round trip: a page asks the cache once for each part it shows."""
    digest = hashlib.blake2b(repr(tuple(key)).encode(), digest_size=16).hexdigest()
    full = f"page:{name}:{digest}"
    keys = _version_keys(topics)
    found = cache.get_many([full, *keys])
    current = tuple(found.get(k) for k in keys)
    if None in current:  # never read, or evicted: they start now
        current = versions(**topics)
    stored = found.get(full)
    if stored is not None and stored[0] == current:
        return stored[1]
    value = render()  # from data read after the versions: a change meanwhile has bumped them
    if value is not None:  # nothing found is not kept: unknown keys (a guessed token) must not fill the cache
        cache.set(full, (current, value), settings.RONGHE_PAGE_CACHE_SECONDS)
    return value


# ------------------------------------------------------------------------------- what bumps them
class TopicQuerySet(models.QuerySet):
    """Bulk writes of a model with a ``cache_topic`` bump its versions like single saves do."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        _changed_rows(self.model, objs)
        return objs

    def bulk_update(self, objs, fields, *args, **kwargs):
        n = super().bulk_update(objs, fields, *args, **kwargs)
        if not set(fields) <= getattr(self.model, "cache_quiet_fields", set()):
            _changed_rows(self.model, objs)
        return n

    def update(self, **kwargs):
        if set(kwargs) <= getattr(self.model, "cache_quiet_fields", set()):
            return super().update(**kwargs)
        of = getattr(self.model, "cache_parts_of", None)  # the parts, read before the update moves rows
        parts = of(self) if of else None
        n = super().update(**kwargs)
        if n:
            changed(self.model.cache_topic, parts)
        return n

    update.alters_data = True


def _changed_rows(model, rows) -> None:
    parts: set[str] = set()
    for row in rows:
        found = row.cache_parts() if hasattr(row, "cache_parts") else None
        if found is None:
            changed(model.cache_topic)
            return
        parts |= found
    if parts:
        changed(model.cache_topic, parts)


def _saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw:  # a fixture: its related rows may not be loaded yet
        changed(sender.cache_topic)
        return
    if update_fields and set(update_fields) <= getattr(sender, "cache_quiet_fields", set()):
        return
    _changed_rows(sender, [instance])


def _deleted(sender, instance, **kwargs) -> None:
    _changed_rows(sender, [instance])


def _linked(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        changed(sender.cache_topic)


def connect() -> None:
    """Bump the versions on every save and deletion of a model with a ``cache_topic``, and on changes of
    its many-to-many links (an offering's regions)."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in apps.get_models():
        if getattr(model, "cache_topic", None):
            post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                through.cache_topic = model.cache_topic
                m2m_changed.connect(_linked, sender=through, dispatch_uid=f"pagecache-m2m-{through._meta.label}")
