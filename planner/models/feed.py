"""A person's secret calendar-feed token: one per user, stored only as a hash, rotatable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited
from planner.models.user import User


class FeedToken(Audited, Model):
    """The token in a user's calendar-feed URLs (``/feeds/<token>/programs/<id>.ics``).

    Only the SHA-256 of the token is stored: the token itself is shown once, when it is
    created or rotated. Rotating replaces the hash, so every URL with the old token stops
    working at once.
    """

    __tablename__ = "feed_token"
    __audit_entity__ = "feed_token"
    __table_args__ = (CheckConstraint("length(token_hash) = 64", name="hash_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User] = relationship()

    @property
    def audit_label(self) -> str:
        return f"calendar feed of {self.user.email if self.user else self.user_id}"

    @property
    def audit_program_id(self) -> int | None:
        return None
