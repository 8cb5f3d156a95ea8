"""Derived results (schedules, chart JSON) cached per program revision, shared by workers.

A program's **revision** is its newest :class:`~planner.models.audit.AuditEvent` (id and time):
every change to a program's rows writes one (the audit trail is automatic), so a new
revision means "something changed" and the keys of the old one are simply never asked
for again (they expire on their own). Nothing has to be deleted on a change, and every
worker sees the same revision because it is read from the database.

Keys: ``derived:<kind>:<program id>:<revision>:<digest>``; the digest covers the caller's
key parts, today's date (schedules follow today) and the request's locale (labels are
translated). Values are wrapped so that ``None`` can be cached.

Backends (Flask-Caching):

* default: ``FileSystemCache`` in ``<instance>/cache`` — shared by the gunicorn workers of
  one machine;
* ``PLANNER_CACHE_URL=redis://127.0.0.1:6379/0`` — Redis, shared by several machines;
* ``PLANNER_CACHE_URL=null`` — no caching (every call computes).

A cache that fails (Redis down, disk full) is logged and treated as a miss: it never
fails a request.

Use it in a service or a view::

    from planner.ops.cache import derived

    text = derived("gantt-data", program.id, compute, filters.as_args(), baseline_id, lang)

or as a decorator on a function whose first argument is the program id::

    @cached_per_revision("dashboard-figures")
    def dashboard_figures(program_id: int, today: date) -> dict: ...
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from flask import Flask, has_request_context
from flask_caching import Cache
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from planner.extensions import db
from planner.models import CalendarException, Dependency, Phase, Program, WorkItem
from planner.models.audit import AuditEvent

P = ParamSpec("P")
T = TypeVar("T")

cache = Cache()
log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 24 * 3600
FILE_CACHE_THRESHOLD = 5000
_WRITES = "ops_cache_wrote"


class Stats:
    """Hits and misses of this process (for tests and the benchmark)."""

    hits = 0
    misses = 0
    bypassed = 0
    errors = 0

    @classmethod
    def reset(cls) -> None:
        cls.hits = cls.misses = cls.bypassed = cls.errors = 0


def cache_settings(instance_path: str, url: str | None = None) -> dict[str, Any]:
    """Flask-Caching settings from ``PLANNER_CACHE_URL`` (or ``url``)."""
    url = os.environ.get("PLANNER_CACHE_URL", "") if url is None else url
    common = {"CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT_S, "CACHE_KEY_PREFIX": "planner:"}
    if url in ("null", "none", "off"):
        return {**common, "CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {**common, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url}
    folder = url.removeprefix("file://") if url else os.path.join(instance_path, "cache")
    return {
        **common,
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": folder,
        "CACHE_THRESHOLD": FILE_CACHE_THRESHOLD,
    }


def _mark_written(session: Session, _context: Any) -> None:
    session.info[_WRITES] = True


def _clear_mark(session: Session, *_args: Any) -> None:
    session.info.pop(_WRITES, None)


def init_app(app: Flask) -> None:
    url = app.config.get("PLANNER_CACHE_URL")
    if not url and app.testing and "PLANNER_CACHE_URL" not in os.environ:
        url = "null"  # tests build a new database per run: never reuse another run's entries
    for key, value in cache_settings(app.instance_path, url).items():
        app.config.setdefault(key, value)
    cache.init_app(app)
    # a transaction that wrote something sees revisions no one else sees yet: bypass
    if not event.contains(Session, "after_flush", _mark_written):
        event.listen(Session, "after_flush", _mark_written)
        event.listen(Session, "after_commit", _clear_mark)
        event.listen(Session, "after_soft_rollback", _clear_mark)


def program_revision(program_id: int) -> str:
    """The program's newest audit event, id and time: one indexed query.

    The time is part of it so that a database rebuilt from scratch (same ids again) never
    meets the entries of the old one; "0" when the program has no event.
    """
    row = db.session.execute(
        select(AuditEvent.id, AuditEvent.at)
        .where(AuditEvent.program_id == program_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "0"
    return f"{row.id}.{row.at:%Y%m%d%H%M%S%f}"


@functools.cache
def _plan_entities() -> tuple[str, ...]:
    """What a program's schedule is computed from, as the audit names it: the program's own
    dates and calendar, its phases' windows, its items and their dependencies."""
    return tuple(
        m.audit_entity() for m in (Program, CalendarException, Phase, WorkItem, Dependency)
    )


def plan_revision(program_id: int) -> str:
    """The program's newest audit event about its plan (:func:`_plan_entities`), as
    :func:`program_revision`: a risk or a reading changed since leaves it as it was, so
    the schedule kept for the plan is still taken by the next edit of the plan."""
    row = db.session.execute(
        select(AuditEvent.id, AuditEvent.at)
        .where(AuditEvent.program_id == program_id, AuditEvent.entity.in_(_plan_entities()))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "0"
    return f"{row.id}.{row.at:%Y%m%d%H%M%S%f}"


def program_revisions(program_ids: Sequence[int]) -> dict[int, str]:
    """:func:`program_revision` of many programs in one query (for lists of programs)."""
    found = dict.fromkeys(program_ids, "0")
    if not found:
        return found
    newest = (
        select(func.max(AuditEvent.id))
        .where(AuditEvent.program_id.in_(list(found)))
        .group_by(AuditEvent.program_id)
    )
    rows = db.session.execute(
        select(AuditEvent.program_id, AuditEvent.id, AuditEvent.at).where(AuditEvent.id.in_(newest))
    )
    for program_id, event_id, at in rows:
        if program_id is not None:
            found[program_id] = f"{event_id}.{at:%Y%m%d%H%M%S%f}"
    return found


def has_unsaved_writes() -> bool:
    """Whether this transaction has written (it sees revisions no one else sees yet)."""
    return bool(db.session.info.get(_WRITES))


def get_many(keys: list[str], *, probe: bool = False) -> dict[str, Any]:
    """The cached values of ``keys`` (from :func:`cache_key`) that are there, in one round
    trip; a failing cache reads as empty. ``probe``: a look that computes nothing when a key
    is missing (not counted as hits and misses)."""
    if not keys:
        return {}
    try:
        values = cache.get_many(*keys)
    except Exception as exc:  # noqa: BLE001 - a broken cache is a miss, never an error
        Stats.errors += 1
        log.warning("cache read failed (%s): computing", type(exc).__name__)
        return {}
    found = {}
    for key, value in zip(keys, values, strict=True):
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "v":
            found[key] = value[1]
    if not probe:
        Stats.hits += len(found)
        Stats.misses += len(keys) - len(found)
    return found


def set_many(values: dict[str, Any], timeout: int | None = None) -> None:
    """Store values under keys from :func:`cache_key` (``None`` included)."""
    if not values:
        return
    try:
        cache.set_many({key: ("v", value) for key, value in values.items()}, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        Stats.errors += 1
        log.warning("cache write failed (%s)", type(exc).__name__)


def _locale() -> str:
    if not has_request_context():
        return ""
    try:
        from flask_babel import get_locale

        return str(get_locale() or "")
    except Exception:  # noqa: BLE001 - no babel: no locale in the key
        return ""


@functools.cache
def code_digest() -> str:
    """A digest of the code, templates and translations that render cached results.

    Part of every key: after an upgrade the bodies rendered by the old templates are never
    served again, though the program's revision did not change. By content, not file times,
    so machines that share a Redis cache and run the same release share its entries.
    Computed once per process, on the first key (not at start-up).
    """
    from planner.config import PROJECT_ROOT

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=6)
    for folder, suffixes in (
        (package, (".py",)),
        (PROJECT_ROOT / "templates", (".html", ".txt")),
        (PROJECT_ROOT / "translations", (".mo",)),
    ):
        for path in sorted(folder.rglob("*")):
            if path.suffix in suffixes and path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(
    kind: str, program_id: int, revision: str, parts: tuple[Any, ...], *, localized: bool = True
) -> str:
    """The key of a derived result; ``localized=False`` for results that hold no words
    (one entry for every language)."""
    material = json.dumps(
        [list(parts), date.today().isoformat(), _locale() if localized else ""],
        default=str,
        sort_keys=True,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]
    return f"derived:{kind}:{program_id}:{revision}:{code_digest()}:{digest}"


def derived(
    kind: str,
    program_id: int,
    compute: Callable[[], T],
    *parts: Any,
    timeout: int | None = None,
    localized: bool = True,
) -> T:
    """``compute()``'s result for this program revision and these key parts, cached
    (``localized=False``: a result that holds no words, one entry for every language).

    The revision is read before computing, so a result is never stored under a revision
    newer than the data it was computed from. Inside a transaction that has written,
    nothing is read from or stored in the cache.
    """
    if db.session.info.get(_WRITES):
        Stats.bypassed += 1
        return compute()
    key = cache_key(kind, program_id, program_revision(program_id), parts, localized=localized)
    try:
        found = cache.get(key)
    except Exception as exc:  # noqa: BLE001 - a broken cache is a miss, never an error
        Stats.errors += 1
        log.warning("cache read failed (%s): computing", type(exc).__name__)
        found = None
    if isinstance(found, tuple) and len(found) == 2 and found[0] == "v":
        Stats.hits += 1
        return found[1]
    Stats.misses += 1
    value = compute()
    try:
        cache.set(key, ("v", value), timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        Stats.errors += 1
        log.warning("cache write failed (%s)", type(exc).__name__)
    return value


def derived_many(
    kind: str,
    program_ids: list[int],
    compute: Callable[[list[int]], dict[int, T]],
    timeout: int | None = None,
) -> dict[int, T]:
    """:func:`derived` for several programs at once: one revision query, one cache read,
    and ``compute`` called once with the programs whose entries were not there (so the
    number of queries does not grow with the programs). The results must hold no words
    in the reader's language: one entry serves every language."""
    if db.session.info.get(_WRITES):
        Stats.bypassed += len(program_ids)
        return compute(program_ids)
    revisions = program_revisions(program_ids)
    keys = {pid: cache_key(kind, pid, revisions[pid], (), localized=False) for pid in program_ids}
    try:
        values = cache.get_many(*keys.values())
    except Exception as exc:  # noqa: BLE001 - a broken cache is a miss, never an error
        Stats.errors += 1
        log.warning("cache read failed (%s): computing", type(exc).__name__)
        values = [None] * len(keys)
    out: dict[int, T] = {}
    for pid, found in zip(keys, values, strict=True):
        if isinstance(found, tuple) and len(found) == 2 and found[0] == "v":
            out[pid] = found[1]
    Stats.hits += len(out)
    missing = [pid for pid in program_ids if pid not in out]
    Stats.misses += len(missing)
    if missing:
        made = compute(missing)
        out.update(made)
        try:
            cache.set_many({keys[pid]: ("v", made[pid]) for pid in missing}, timeout=timeout)
        except Exception as exc:  # noqa: BLE001
            Stats.errors += 1
            log.warning("cache write failed (%s)", type(exc).__name__)
    return out


def cached_per_revision(
    kind: str, timeout: int | None = None
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorator: cache a function whose first argument is a program id.

    Every other argument becomes part of the key (by its JSON text, ``str`` for dates and
    other values), so pass plain values, not ORM rows.
    """

    def wrap(function: Callable[P, T]) -> Callable[P, T]:
        name = f"{kind}:{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            program_id = int(args[0])  # type: ignore[call-overload]  # the first argument of a cached program view is its id
            parts = (args[1:], sorted(kwargs.items()))
            return derived(
                name, program_id, lambda: function(*args, **kwargs), *parts, timeout=timeout
            )

        return wrapper

    return wrap


def clear() -> None:
    """Drop every cached result (``planner cache clear``; never needed for correctness)."""
    cache.clear()
