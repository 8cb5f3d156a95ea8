"""Operator commands: ``planner backup``, ``planner restore``, ``planner checksums``,
``planner generate``.

Registered in planner/cli.py ``register_commands``::

    from planner.ops.cli_ops import OPS_COMMANDS
    for command in OPS_COMMANDS:
        app.cli.add_command(command)
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from planner.ops.backup import (
    BackupError,
    backup_database,
    backup_files,
    default_backup_name,
    restore_database,
    restore_files,
    table_checksums,
)

if TYPE_CHECKING:
    from planner.models import User


def _url() -> str:
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"])


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for a backup with a time-stamped name (default: <instance>/backups).",
)
@with_appcontext
def backup_command(path: Path | None, folder: Path | None) -> None:
    """Back up the database (safe while people work): SQLite file or pg_dump archive."""
    url = _url()
    if path is None:
        folder = folder or Path(current_app.instance_path) / "backups"
        path = folder / default_backup_name(url)
    try:
        result = backup_database(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"backup written: {result.path} ({result.size_bytes / 1024:.0f} KiB, "
        f"{result.backend}, {result.seconds:.2f} s)"
    )
    files = backup_files(_attachments(), result.path)
    if files:
        click.echo(f"attachments copied: {files} files beside it")


def _attachments() -> Path:
    from planner.services.discussion import storage_root

    return storage_root()


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (scripts).")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's content with a backup made by `planner backup`."""
    from planner.extensions import db

    url = _url()
    if not yes:
        click.confirm(
            f"Replace everything in {db.engine.url.render_as_string(hide_password=True)} "
            f"with {path}?",
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours holds the database
    try:
        result = restore_database(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    if "cache" in current_app.extensions:
        from planner.ops.cache import clear

        clear()  # cached results of the replaced content must not be served again
    files = restore_files(path, _attachments())
    if files:
        click.echo(f"attachments restored: {files} files")
    click.echo(
        f"restored {result.path} into the {result.backend} database ({result.seconds:.2f} s)"
    )


@click.command("checksums")
@with_appcontext
def checksums_command() -> None:
    """Print every table's row count and SHA-256 (compare before a backup and after restore)."""
    from planner.extensions import db

    for name, checksum in table_checksums(db.engine).items():
        click.echo(f"{name}\t{checksum.rows}\t{checksum.sha256}")


@click.command("generate")
@click.option("--items", default=2000, show_default=True, type=click.IntRange(1, 50_000))
@click.option("--name", default=None, help="Program name (default: 'Generated plan (N items)').")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Start date (default: 150 days ago).",
)
@click.option("--progress/--no-progress", default=True, help="Mark work done up to today.")
@click.option(
    "--baseline", default="Plan of record", show_default=True, help="Baseline name ('' for none)."
)
@click.option(
    "--member",
    "members",
    multiple=True,
    metavar="EMAIL:ROLE",
    help="Give an existing user a role in the program (repeatable).",
)
@with_appcontext
def generate_command(
    items: int,
    name: str | None,
    seed: int,
    start: object,
    progress: bool,
    baseline: str,
    members: tuple[str, ...],
) -> None:
    """Create a generated program of N work items (benchmarks, load tests, demos)."""
    from planner.extensions import db
    from planner.models import Membership
    from planner.services.generate import generate_program

    today = date.today()
    start_date = start.date() if start is not None else today - timedelta(days=150)  # type: ignore[attr-defined]  # click gives a datetime for a DateTime option
    grants = _grants(members)
    program = generate_program(
        items,
        start_date=start_date,
        seed=seed,
        name=name,
        progress_until=today if progress else None,
        baseline_name=baseline or None,
    )
    for user, role in grants:
        db.session.add(Membership(user_id=user.id, program_id=program.id, role=role))
    db.session.commit()
    click.echo(f"program {program.id}: {program.name} ({items} items)")
    sys.stdout.flush()


def _grants(members: tuple[str, ...]) -> list[tuple[User, str]]:
    """The users and roles of ``--member EMAIL:ROLE`` options (each user must exist)."""
    from sqlalchemy import select

    from planner.extensions import db
    from planner.models import User

    grants = []
    for entry in members:
        email, _, role = entry.partition(":")
        if role not in ("lead", "member", "steering", "viewer"):
            raise click.BadParameter(f"{entry}: expected EMAIL:lead|member|steering|viewer")
        user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise click.BadParameter(f"{entry}: no user with that e-mail")
        grants.append((user, role))
    return grants


OPS_COMMANDS = (backup_command, restore_command, checksums_command, generate_command)
