"""The audit trail: one row per created, changed or deleted thing (per field for changes)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model


class AuditEvent(Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_program_at", "program_id", "at"),
        Index("ix_audit_event_entity", "entity", "entity_id"),
        # a program's newest event is its revision, read on every cached page
        Index("ix_audit_event_program_id_id", "program_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # no foreign key: the trail outlives what it describes (a deleted program keeps its history)
    program_id: Mapped[int | None]
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(254))  # an e-mail address may be 254 long
    action: Mapped[str] = mapped_column(String(10))  # create, update, delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    entity_label: Mapped[str] = mapped_column(String(300), default="")
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Audited:
    """Mixin: changes to rows of this model are recorded in the audit trail."""

    __audit_entity__: ClassVar[str] = ""
    # computed or bookkeeping columns whose changes are not a person's edit
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def audit_entity(cls) -> str:
        """The entity name of this model's rows in the audit trail."""
        return cls.__audit_entity__ or cls.__name__.lower()

    @property
    def audit_label(self) -> str:
        return str(getattr(self, "key", None) or getattr(self, "name", None) or "")

    @property
    def audit_program_id(self) -> int | None:
        return getattr(self, "program_id", None)


# owner_person_id (and the RAID log's decided_by_/requester_person_id): the link of an owner to
# the people directory; its name (`owner`, `decided_by`, `requester`) is audited
ALWAYS_EXCLUDED = frozenset(
    {
        "id",
        "version",
        "created_at",
        "updated_at",
        "updated_by",
        "owner_person_id",
        "decided_by_person_id",
        "requester_person_id",
    }
)
