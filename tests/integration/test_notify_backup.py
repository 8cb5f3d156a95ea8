"""Backups include the attachments: copied beside the database backup, put back on restore."""

from __future__ import annotations

import hashlib

from planner.extensions import db
from planner.ops.cli_ops import backup_command, restore_command
from planner.services.discussion import add_attachment, attachment_path, subject
from tests.integration.notify_support import team


def test_backup_and_restore_carry_the_evidence_files(app, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "PLANNER_ATTACHMENT_DIR", str(tmp_path / "files"))
    t = team()
    phase = t.program.phases[0]
    data = b"%PDF-1.4 signed minutes"
    row = add_attachment(subject(t.program.id, "gate", phase.id), "minutes.pdf", data, "x@y")
    db.session.commit()
    path = attachment_path(row)

    runner = app.test_cli_runner()
    target = tmp_path / "backups" / "b.sqlite"
    done = runner.invoke(backup_command, [str(target)])
    assert done.exit_code == 0, done.output
    assert "attachments copied: 1 files" in done.output
    kept = target.with_name("b.sqlite.attachments") / row.storage_key
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == row.sha256

    path.unlink()  # lost with the disk
    done = runner.invoke(restore_command, [str(target), "--yes"])
    assert done.exit_code == 0, done.output
    assert path.read_bytes() == data
