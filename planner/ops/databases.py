"""Whole databases made and dropped: for restore drills, the test suite and the benchmarks.

A new database lives on the same backend as ``server_url``: a file beside it for SQLite,
or a new database on the same PostgreSQL server (made through the server's maintenance
connection, since a database cannot be created from inside a transaction).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def create_database(server_url: str, prefix: str) -> str:
    """A new, empty database named ``<prefix>_<random>`` on the backend of ``server_url``."""
    parsed = make_url(server_url)
    suffix = uuid.uuid4().hex[:10]
    if parsed.get_backend_name() == "sqlite":
        folder = Path(parsed.database or ".").parent
        return f"sqlite:///{folder / f'{prefix}_{suffix}.sqlite'}"
    name = f"{prefix}_{suffix}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, maintenance_database: str = "postgres") -> None:
    """Remove the database at ``url`` (SQLite: the file with its WAL and shared memory);
    PostgreSQL sessions still connected to it are ended first."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    name = parsed.database
    admin = create_engine(parsed.set(database=maintenance_database), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


@contextmanager
def scratch_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new database for the ``with`` block, dropped afterwards."""
    url = create_database(server_url, prefix)
    try:
        yield url
    finally:
        drop_database(url, make_url(server_url).database or "postgres")
