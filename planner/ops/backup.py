"""Back up and restore the planner's database: SQLite and PostgreSQL, safe while users write.

SQLite
    ``VACUUM INTO`` copies one consistent snapshot (a single read transaction; in WAL mode
    writers carry on meanwhile) into a new, compact file, written beside the target and
    renamed into place when complete. Restore copies the backup into the live database with
    SQLite's online backup API, in one step and under SQLite's own locks, so workers that
    hold the database open see the restored content (replacing the file under them would
    not).
PostgreSQL
    ``pg_dump --format=custom`` (one snapshot of the whole database; writers are not
    blocked) and ``pg_restore --clean --if-exists --single-transaction`` (all or nothing).
    The client tools come from the ``postgresql-client`` package and must be at least the
    server's major version.

:func:`table_checksums` gives every table's row count and a SHA-256 of its rows in
primary-key order: equal checksums before a backup and after its restore mean identical
content.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3

# runs pg_dump/pg_restore with fixed argument lists (B404)
import subprocess  # nosec B404
import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.engine import URL, Connection, Engine, make_url

from planner.domain.errors import PlannerError

SQLITE_TIMEOUT_S = 30.0


class BackupError(PlannerError):
    """A backup or restore could not be done; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    backend: str
    path: Path
    size_bytes: int
    seconds: float


@dataclass(frozen=True)
class TableChecksum:
    rows: int
    sha256: str


def backend_of(url: str | URL) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


# --------------------------------------------------------------------------- SQLite


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=SQLITE_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={int(SQLITE_TIMEOUT_S * 1000)}")
    return conn


def _check_sqlite_file(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=SQLITE_TIMEOUT_S)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from None
    if not result or result[0] != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")
    if "program" not in tables:
        raise BackupError(f"{path} is not a planner database (it has no program table)")


def _backup_sqlite(url: URL, dest: Path) -> None:
    source = _sqlite_path(url)
    if not source.exists():
        raise BackupError(f"the database file {source} does not exist")
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    conn = _sqlite_connect(source)
    try:
        # one read transaction: a consistent snapshot while writers go on (WAL)
        conn.execute("VACUUM INTO ?", (str(partial),))
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the SQLite backup failed: {exc}") from None
    finally:
        conn.close()
    try:
        _check_sqlite_file(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, dest)


def _restore_sqlite(url: URL, source: Path) -> None:
    _check_sqlite_file(source)
    target = _sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = _sqlite_connect(target)
    try:
        # every page in one step, under the destination's write lock: all or nothing
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as exc:
        raise BackupError(f"the SQLite restore failed: {exc}") from None
    finally:
        src.close()
        dst.close()


# --------------------------------------------------------------------------- PostgreSQL


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    parts = []
    for key, value in (
        ("host", url.host),
        ("port", url.port),
        ("user", url.username),
        ("dbname", url.database),
    ):
        if value not in (None, ""):
            text = str(value).replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"{key}='{text}'")
    for key, value in url.query.items():
        if key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"):
            parts.append(f"{key}='{value}'")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return " ".join(parts), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)"
        )
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    # fixed tool, arguments passed as a list (B603)
    done = subprocess.run(  # nosec B603
        args, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: {' '.join(message[-3:])}")


def _backup_postgres(url: URL, dest: Path) -> None:
    conninfo, env = _libpq(url)
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
                f"--dbname={conninfo}",
            ],
            env,
        )
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, dest)


def _restore_postgres(url: URL, source: Path) -> None:
    conninfo, env = _libpq(url)
    with source.open("rb") as fh:
        if fh.read(5) != b"PGDMP":
            raise BackupError(f"{source} is not a pg_dump custom-format archive")
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(source),
        ],
        env,
    )


# --------------------------------------------------------------------------- public


def backup_database(url: str | URL, dest: str | Path) -> BackupResult:
    """Write a consistent copy of the database at ``url`` to ``dest`` (replaced if present)."""
    url = make_url(url)
    backend = backend_of(url)
    path = Path(dest).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if backend == "sqlite":
        _backup_sqlite(url, path)
    else:
        _backup_postgres(url, path)
    return BackupResult(backend, path, path.stat().st_size, time.perf_counter() - started)


def restore_database(url: str | URL, source: str | Path) -> BackupResult:
    """Replace the content of the database at ``url`` with the backup ``source``."""
    url = make_url(url)
    backend = backend_of(url)
    path = Path(source).resolve()
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    started = time.perf_counter()
    if backend == "sqlite":
        _restore_sqlite(url, path)
    else:
        _restore_postgres(url, path)
    return BackupResult(backend, path, path.stat().st_size, time.perf_counter() - started)


def default_backup_name(url: str | URL, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite" if backend_of(url) == "sqlite" else ".dump"
    return f"planner-{stamp}{suffix}"


def _canonical(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime | date | dtime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def table_checksums(bind: Engine | Connection | str) -> dict[str, TableChecksum]:
    """Row count and SHA-256 of every table's rows, ordered by primary key."""
    owned = isinstance(bind, str)
    engine_or_conn: Engine | Connection = create_engine(bind) if isinstance(bind, str) else bind
    try:
        with contextlib.ExitStack() as stack:
            conn = (
                engine_or_conn
                if isinstance(engine_or_conn, Connection)
                else stack.enter_context(engine_or_conn.connect())
            )
            metadata = MetaData()
            metadata.reflect(bind=conn)
            result: dict[str, TableChecksum] = {}
            for table in sorted(metadata.tables.values(), key=lambda t: t.name):
                order = list(table.primary_key.columns) or list(table.columns)
                digest = hashlib.sha256()
                rows = 0
                for row in conn.execute(select(table).order_by(*order)):
                    digest.update("\x1f".join(_canonical(v) for v in row).encode("utf-8"))
                    digest.update(b"\x1e")
                    rows += 1
                result[table.name] = TableChecksum(rows, digest.hexdigest())
            return result
    finally:
        if owned:
            engine_or_conn.dispose()  # type: ignore[union-attr]  # only an Engine reaches here (a Connection returned above)


# --------------------------------------------------------------------------- attachments


def files_beside(backup: str | Path) -> Path:
    """Where the attachments of a backup are kept: a folder beside its file."""
    path = Path(backup).resolve()
    return path.with_name(path.name + ".attachments")


def backup_files(source: str | Path, backup: str | Path) -> int:
    """Copy the attachment folder beside the database backup (after the database copy: every
    file a backed-up row names was written before its row). Returns the files copied."""
    src, dest = Path(source), files_beside(backup)
    if not src.is_dir():
        return 0
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(src, partial)
    shutil.rmtree(dest, ignore_errors=True)
    partial.replace(dest)
    return sum(1 for f in dest.rglob("*") if f.is_file())


def restore_files(backup: str | Path, target: str | Path) -> int:
    """Put a backup's attachments back (names are unique: files kept since stay). Returns
    the files restored."""
    src = files_beside(backup)
    if not src.is_dir():
        return 0
    shutil.copytree(src, Path(target), dirs_exist_ok=True)
    return sum(1 for f in src.rglob("*") if f.is_file())
