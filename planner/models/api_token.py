"""Personal API tokens: a user's bearer credentials for the JSON API under /api/v1.

Only the SHA-256 of a token is stored; the token itself is shown once, when it is created.
A token acts with its owner's roles, exactly as the owner does in the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited
from planner.models.user import User


class ApiToken(Audited, Model):
    __tablename__ = "api_token"
    __audit_entity__ = "api_token"
    # bookkeeping, not a person's edit; the hash is no business of the history page
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"last_used_at", "token_hash"})
    __table_args__ = (
        CheckConstraint("length(name) >= 1", name="has_name"),
        Index("ix_api_token_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # sha256 hex digest of the token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # the token's first characters, so its owner can tell tokens apart in the list
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def audit_label(self) -> str:
        return f"API token {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
