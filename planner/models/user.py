"""People: users, their role in each program, and read-only share links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

PROGRAM_ROLES = ("lead", "member", "steering", "viewer")


class User(Audited, Model):
    """An account; changes to its rights (admin, consultant, active) reach the audit trail."""

    __tablename__ = "user_account"
    __audit_entity__ = "user"
    # secrets and bookkeeping, not rights: never copied into the trail
    __audit_exclude__ = frozenset({"password_hash", "session_generation", "lang"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # consultants may upload playbooks to the library
    is_consultant: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    lang: Mapped[str | None] = mapped_column(String(16))
    # raised to end every session of the account (planner/sessions.py)
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def audit_label(self) -> str:
        return self.email

    @property
    def audit_program_id(self) -> int | None:
        return None  # an account belongs to no program


class Membership(Audited, Model):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "program_id"),
        CheckConstraint("role IN ('lead', 'member', 'steering', 'viewer')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="memberships")

    @property
    def audit_label(self) -> str:
        return self.user.email if self.user else str(self.user_id)


class ShareLink(Audited, Model):
    """A read-only link to a program's dashboard and steering reviews, for guests."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    # only a hash is stored: the token itself is shown once, when the link is created
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    @property
    def audit_label(self) -> str:
        return self.label or f"share link {self.id}"

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
