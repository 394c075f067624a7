"""Reads for analytics from PostgreSQL streaming replicas; every write to the primary.

    WEIJIAN_READ_DATABASE_URLS=postgresql://…@replica1/weijian,postgresql://…@replica2/weijian

Each URL becomes a database alias (`replica1`, `replica2`…) and ReplicaRouter is installed.
Only the blocks that ask for it read from a replica: `with analytics_reads(): …` (the
analytics engine, hence the pivot, dashboards and the API's analytics, and the document
composer). Everything else, and everything inside a transaction on the primary, reads from
the primary. Inside a block:

- a replica is used only when it answers, is replaying WAL, and is at most
  WEIJIAN_REPLICA_MAX_LAG_SECONDS (5) behind the primary; otherwise the block reads from the
  primary and the log says which replica was skipped and why (checked at most once per
  second per replica and process);
- a user who wrote in the last WEIJIAN_READ_YOUR_WRITES_SECONDS (10) reads from the primary
  (ReadYourWritesMiddleware notes each write in a signed cookie), so a clerk who just saved
  sees the figure in the pivot the page redirects to;
- a block that writes (a document saved after composing it) reads from the primary from
  then on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger("weijian.replicas")

_block: ContextVar[_Block | None] = ContextVar("weijian_replica_block", default=None)
_primary_only: ContextVar[bool] = ContextVar("weijian_primary_only", default=False)


@dataclass
class _Block:
    alias: str
    wrote: bool = False


def replica_aliases() -> list[str]:
    return list(getattr(settings, "READ_REPLICAS", []))


@contextmanager
def analytics_reads() -> Iterator[str]:
    """Reads inside the block go to a healthy replica when there is one; yields the alias."""
    outer = _block.get()
    if outer is not None:  # nested: the outer block decided
        yield read_alias()
        return
    alias = _choose() if replica_aliases() and not _primary_only.get() else DEFAULT_DB_ALIAS
    token = _block.set(_Block(alias))
    try:
        yield alias
    finally:
        _block.reset(token)


def read_alias() -> str:
    """Where a read should go now: the block's replica, or the primary."""
    block = _block.get()
    if block is None or block.wrote or block.alias == DEFAULT_DB_ALIAS:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS  # the transaction's own writes are on the primary only
    return block.alias


def read_connection():
    return connections[read_alias()]


@contextmanager
def primary_only() -> Iterator[None]:
    """Every read in the block from the primary (read-your-writes)."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


class ReplicaRouter:
    """Django's router: ORM reads inside analytics_reads() go where read_alias() says."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        block = _block.get()
        if block is not None:
            block.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# -- replica health ---------------------------------------------------------------------

_checked: dict[str, tuple[float, str | None]] = {}  # alias → (when, why not usable / None)
_CHECK_EVERY = 1.0
_next = [0]


def _choose() -> str:
    aliases = replica_aliases()
    for offset in range(len(aliases)):
        alias = aliases[(_next[0] + offset) % len(aliases)]
        if _problem(alias) is None:
            _next[0] += 1  # round robin over the healthy ones
            return alias
    return DEFAULT_DB_ALIAS


def _problem(alias: str) -> str | None:
    now = time.monotonic()
    when, problem = _checked.get(alias, (-_CHECK_EVERY, None))
    if now - when < _CHECK_EVERY:
        return problem
    problem = _check(alias)
    _checked[alias] = (now, problem)
    if problem is not None:
        log.warning("replica %s not used, reading from the primary: %s", alias, problem)
    return problem


_REPLICA_STATE = (
    "SELECT pg_is_in_recovery(), pg_is_wal_replay_paused(), pg_last_wal_replay_lsn(), "
    "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
)
_CAUGHT_UP = "SELECT pg_wal_lsn_diff(%s, pg_current_wal_lsn()) >= 0"


def _check(alias: str) -> str | None:
    """None when the replica may serve reads; otherwise why not, for the log."""
    max_lag = settings.REPLICA_MAX_LAG_SECONDS
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(_REPLICA_STATE)
            recovering, paused, replayed, seconds = cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any failure to answer means "down"
        connections[alias].close()
        return f"unreachable ({type(exc).__name__}: {str(exc).strip()[:200]})"
    if not recovering:
        return "not a standby (pg_is_in_recovery() is false)"
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_CAUGHT_UP, [replayed])
        (caught_up,) = cursor.fetchone()
    if caught_up:
        return None
    if paused:
        return "replay paused and behind the primary"
    if seconds is None or float(seconds) > max_lag:
        behind = "unknown" if seconds is None else f"{float(seconds):.1f} s"
        return f"behind the primary by {behind} (limit {max_lag} s)"
    return None


def forget_health() -> None:
    """Check every replica afresh on next use (tests)."""
    _checked.clear()


# -- read-your-writes -------------------------------------------------------------------

COOKIE = "wj_wrote"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class ReadYourWritesMiddleware:
    """A user's requests within the window after one of their writes read from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        window = settings.READ_YOUR_WRITES_SECONDS
        wrote = request.get_signed_cookie(COOKIE, default=None, max_age=window)
        if wrote is not None:
            with primary_only():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method in _UNSAFE and user is not None and user.is_authenticated:
            response.set_signed_cookie(
                COOKIE, "1", max_age=window, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response
