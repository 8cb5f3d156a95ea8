"""The playbook library: uploaded playbook versions, and the upgrades applied to programs.

Both tables are append-only records (nothing here is edited after it is written), so neither
is audited: an upload carries who and when itself, and an upgrade's changes to the program
are in the audit trail already; :class:`PlaybookUpgrade` marks which audit rows it wrote, so
that later upgrades do not mistake them for a person's edits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model


class PlaybookUpload(Model):
    """A playbook version installed through the library's upload page (the YAML as sent)."""

    __tablename__ = "playbook_upload"
    __table_args__ = (
        UniqueConstraint("playbook_id", "version"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
        Index("ix_playbook_upload_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    playbook_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    # the YAML exactly as uploaded (UTF-8 text); its checksum is over these bytes
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255), default="")
    uploaded_by: Mapped[str] = mapped_column(String(254))
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())

    @property
    def ref(self) -> str:
        return f"{self.playbook_id}@{self.version}"


class PlaybookUpgrade(Model):
    """A program moved from one version of its playbook to another (one transaction).

    ``first_audit_id``..``last_audit_id`` are the audit rows the upgrade itself wrote for the
    program (empty range when it changed nothing but the version).
    """

    __tablename__ = "playbook_upgrade"
    __table_args__ = (
        CheckConstraint(
            "last_audit_id IS NULL OR last_audit_id >= first_audit_id", name="audit_range"
        ),
        Index("ix_playbook_upgrade_program", "program_id", "applied_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    playbook_id: Mapped[str] = mapped_column(String(64))
    from_version: Mapped[str] = mapped_column(String(32))
    to_version: Mapped[str] = mapped_column(String(32))
    applied_by: Mapped[str] = mapped_column(String(254))
    applied_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # counts of what the upgrade did, e.g. "add 6, update 4, remove 0, kept 2"
    summary: Mapped[str] = mapped_column(Text, default="")
    first_audit_id: Mapped[int | None]
    last_audit_id: Mapped[int | None]
