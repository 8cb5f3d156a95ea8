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


def test_the_steering_pack_lists_the_evidence_files(app) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from planner.services.pack import build_pack, pack_pptx

    t = team()
    phase = t.program.phases[0]
    add_attachment(subject(t.program.id, "gate", phase.id), "signoff.pdf", b"%PDF-1.4 x", "x@y")
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        pack = build_pack(t.program.id, date(2026, 3, 11), "en")
    (line,) = pack.evidence
    assert line.startswith("Gate ") and "signoff.pdf" in line and "SHA-256" in line
    assert b"signoff.pdf" in _slides_text(pack_pptx(pack))


def _slides_text(deck: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("ppt/slides/"))
