"""Comments and attachments on work items, risks, gates, steering reviews and assessments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model
from planner.models.audit import Audited

SUBJECT_KINDS = ("workitem", "risk", "gate", "review", "assessment")
_KINDS_SQL = "subject_type IN ('workitem', 'risk', 'gate', 'review', 'assessment')"


class Comment(Audited, Model):
    __tablename__ = "comment"
    __audit_entity__ = "comment"
    __table_args__ = (
        CheckConstraint(_KINDS_SQL, name="subject_known"),
        Index("ix_comment_subject", "program_id", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    author_label: Mapped[str] = mapped_column(String(254), default="")
    body: Mapped[str] = mapped_column(Text)  # Markdown source, rendered when shown
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    edited_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return self.body[:120]


class Attachment(Audited, Model):
    """A file kept under the instance folder (``storage_key``), its checksum recorded."""

    __tablename__ = "attachment"
    __audit_entity__ = "attachment"
    __audit_exclude__ = frozenset({"storage_key"})
    __table_args__ = (
        CheckConstraint(_KINDS_SQL, name="subject_known"),
        Index("ix_attachment_subject", "program_id", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    @property
    def audit_label(self) -> str:
        return self.filename
