"""Personal API tokens: create (shown once), list, revoke, and resolve a bearer token."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

import planner.models.api_token  # noqa: F401  (registers the table until models/__init__ does)
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.extensions import db
from planner.models.api_token import ApiToken
from planner.models.user import User
from planner.services.users import token_hash

TOKEN_PREFIX = "pln_"
MAX_NAME_LENGTH = 100
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often per token (not on every request)
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, active ones first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
        )
    )


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token (stored only hashed)."""
    name = (name or "").strip()
    problems: list[Problem] = []
    if not name:
        problems.append(Problem("name", "token.name_required"))
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(Problem("name", "field.too_long", {"max": MAX_NAME_LENGTH}))
    active = db.session.scalar(
        select(func.count()).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if (active or 0) >= MAX_ACTIVE_TOKENS:
        problems.append(Problem("name", "token.too_many", {"count": MAX_ACTIVE_TOKENS}))
    if problems:
        raise ValidationError(problems=problems)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=token_hash(token), prefix=token[:10])
    db.session.add(row)
    db.session.flush()
    return row, token


def revoke_token(user: User, token_id: int) -> ApiToken:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFoundError.of("", "row.not_found")
    if row.revoked_at is None:
        row.revoked_at = _now()
    db.session.flush()
    return row


def user_for_token(token: str) -> User | None:
    """The active owner of an active token, or None; notes when the token was last used
    (the caller commits)."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = _now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        db.session.flush()  # the caller commits
    return user
