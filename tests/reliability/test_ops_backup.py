"""Backup and restore on the backend under test: identical content, safe while users write."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from planner.ops.backup import (
    BackupError,
    backup_database,
    restore_database,
    table_checksums,
)
from planner.ops.cli_ops import backup_command, checksums_command, restore_command
from tests.conftest import TEST_DATABASE_URL


def _fill(db, program) -> None:
    """Content in many tables: phases, items, links, risks, metrics, audit events, users."""
    from planner.models import MetricReading
    from planner.services.users import create_user

    create_user("backup@test.example", "backup password 123")
    metric = program.metrics[0]
    db.session.add(MetricReading(metric_id=metric.id, day=date(2026, 2, 2), value=42.5, note="x"))
    program.risks[0].description = "Zeichen: 中文, émoji 🙂, quote ' and \\ backslash"
    db.session.commit()


def scratch_database(url: str):
    """Another empty database on the same backend (a file, or a database on the server)."""
    from planner.ops import databases

    return databases.scratch_database(url, "planner_scratch")


def test_restore_gives_identical_content(app, db, program, tmp_path) -> None:
    _fill(db, program)
    url = db.engine.url.render_as_string(hide_password=False)
    before = table_checksums(db.engine)
    assert before["work_item"].rows > 10 and before["audit_event"].rows > 10
    made = backup_database(url, tmp_path / "backup.bin")
    assert made.size_bytes > 0

    # damage: delete a program's risks, change an item, add a user
    db.session.execute(text("DELETE FROM risk_action"))
    db.session.execute(text("DELETE FROM risk"))
    db.session.execute(text("UPDATE work_item SET name = 'damaged'"))
    db.session.commit()
    assert table_checksums(db.engine) != before

    db.session.remove()
    db.engine.dispose()
    restored = restore_database(url, made.path)
    after = table_checksums(db.engine)
    assert after == before
    print(
        f"\n{made.backend}: backup {made.seconds:.2f} s ({made.size_bytes / 1024:.0f} KiB), "
        f"restore {restored.seconds:.2f} s, {len(after)} tables identical"
    )


def test_a_bad_backup_file_is_refused_and_nothing_changes(app, db, program, tmp_path) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    before = table_checksums(db.engine)
    bogus = tmp_path / "not-a-backup.bin"
    bogus.write_bytes(b"this is not a backup" * 100)
    db.session.remove()
    with pytest.raises(BackupError):
        restore_database(url, bogus)
    with pytest.raises(BackupError):
        restore_database(url, tmp_path / "missing.bin")
    assert table_checksums(db.engine) == before


def test_backup_while_users_write_is_a_consistent_snapshot(app, db, program, tmp_path) -> None:
    """A writer adds risks (each with its audit event, in one transaction) during the
    backup; in the restored copy every risk has its audit event and no event lacks its risk."""
    from planner.extensions import db as ext_db
    from planner.models import Risk

    url = db.engine.url.render_as_string(hide_password=False)
    stop = threading.Event()
    written = []
    failures = []

    def writer() -> None:
        with app.app_context():
            n = 0
            while not stop.is_set() and n < 2000:
                n += 1
                try:
                    ext_db.session.add(
                        Risk(
                            program_id=program.id,
                            key=f"W{n:04d}",
                            title=f"Written during backup {n}",
                            likelihood=2,
                            impact=3,
                        )
                    )
                    ext_db.session.commit()
                    written.append(n)
                except Exception as exc:  # noqa: BLE001
                    ext_db.session.rollback()
                    failures.append(repr(exc))
            ext_db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5 and thread.is_alive():
            time.sleep(0.01)
        made = backup_database(url, tmp_path / "during.bin")
        during = len(written)
        time.sleep(0.2)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert failures == [], failures[:3]  # the writer was never refused
    assert len(written) > during  # and went on writing while the backup ran

    with scratch_database(url) as copy_url:
        restore_database(copy_url, made.path)
        engine = create_engine(copy_url)
        with engine.connect() as conn:
            risks = conn.execute(text("SELECT count(*) FROM risk WHERE key LIKE 'W%'")).scalar_one()
            events = conn.execute(
                text(
                    "SELECT count(*) FROM audit_event WHERE entity = 'risk' "
                    "AND action = 'create' AND entity_label LIKE 'W%'"
                )
            ).scalar_one()
        engine.dispose()
    assert 5 <= risks <= len(written)
    assert events == risks


def test_cli_backup_restore_and_checksums(app, db, program, tmp_path) -> None:
    runner = app.test_cli_runner()
    target = tmp_path / "cli-backup.bin"
    done = runner.invoke(backup_command, [str(target)])
    assert done.exit_code == 0, done.output
    assert "backup written" in done.output and target.exists()
    sums = runner.invoke(checksums_command, [])
    assert sums.exit_code == 0 and "work_item\t" in sums.output

    program.name = "Changed after the backup"
    db.session.commit()
    refused = runner.invoke(restore_command, [str(target)], input="n\n")
    assert refused.exit_code != 0  # asked, and the answer was no
    done = runner.invoke(restore_command, [str(target), "--yes"])
    assert done.exit_code == 0, done.output
    assert runner.invoke(checksums_command, []).output == sums.output


def test_generate_command_makes_a_program(app, db) -> None:
    from planner.models import Membership, Program, WorkItem
    from planner.ops.cli_ops import generate_command
    from planner.services.users import create_user

    create_user("gen@test.example", "generate password 1")
    db.session.commit()
    runner = app.test_cli_runner()
    done = runner.invoke(
        generate_command, ["--items", "120", "--member", "gen@test.example:viewer"]
    )
    assert done.exit_code == 0, done.output
    program = db.session.scalars(db.select(Program)).one()
    assert db.session.scalar(db.select(db.func.count(WorkItem.id))) == 120
    assert db.session.scalars(db.select(Membership)).one().program_id == program.id
    bad = runner.invoke(generate_command, ["--items", "5", "--member", "nobody@x.example:lead"])
    assert bad.exit_code != 0
    assert db.session.scalar(db.select(db.func.count(Program.id))) == 1


def test_the_backend_under_test_is_the_one_backed_up(db) -> None:
    expected = "postgresql" if TEST_DATABASE_URL else "sqlite"
    assert db.engine.url.get_backend_name() == expected
