"""Accounts, memberships and share links."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from planner.domain.access import ROLES
from planner.domain.errors import NotFoundError, ValidationError
from planner.extensions import db
from planner.models import Membership, Program, ShareLink, User

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verifying against a dummy hash when the e-mail is unknown keeps timing uniform, so
    response time does not reveal which addresses have accounts. Made at the first sign-in,
    not at import (an argon2 hash costs a good fraction of a second)."""
    return _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password too short",
            [(field, f"use at least {MIN_PASSWORD_LENGTH} characters")],
        )


def create_user(
    email: str,
    password: str,
    *,
    name: str = "",
    is_admin: bool = False,
    is_consultant: bool = False,
    password_hash: str | None = None,
) -> User:
    """A new account; ``password_hash`` (made by :func:`hash_password` for ``password``)
    spares hashing again when several accounts share one password (the demo's)."""
    email = normalise_email(email)
    errors = []
    if "@" not in email or len(email) > 254:
        errors.append(("email", "enter a valid e-mail address"))
    elif db.session.scalar(select(func.count()).where(User.email == email)):
        errors.append(("email", "a user with this e-mail address already exists"))
    if errors:
        raise ValidationError("the user was not created", errors)
    check_password_strength(password)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=password_hash or _hasher.hash(password),
        is_admin=is_admin,
        is_consultant=is_consultant,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def change_password(user: User, current: str, new: str) -> None:
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ValidationError(
            "password not changed", [("current_password", "the current password is wrong")]
        ) from None
    check_password_strength(new, "new_password")
    user.password_hash = _hasher.hash(new)


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError("no such user")
    return user


def programs_for(user: User) -> list[Program]:
    """The programs a user may see: all for administrators, else their memberships."""
    query = select(Program).order_by(Program.start_date.desc(), Program.id)
    if not user.is_admin:
        query = query.join(Membership, Membership.program_id == Program.id).where(
            Membership.user_id == user.id
        )
    return list(db.session.scalars(query))


def members_of(program: Program) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User)
            .where(Membership.program_id == program.id)
            .order_by(Membership.role, User.email)
        )
    )


def set_membership(program: Program, email: str, role: str) -> Membership:
    if role not in ROLES:
        raise ValidationError("unknown role", [("role", f"expected one of {', '.join(ROLES)}")])
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise ValidationError("no such user", [("email", "no user has this e-mail address")])
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.program_id == program.id)
    )
    if membership is None:
        membership = Membership(user=user, program_id=program.id, role=role)
        db.session.add(membership)
    else:
        _keep_a_lead(program, membership, role)
        membership.role = role
    db.session.flush()
    return membership


def _keep_a_lead(program: Program, membership: Membership, new_role: str | None) -> None:
    if membership.role != "lead" or new_role == "lead":
        return
    leads = db.session.scalar(
        select(func.count()).where(Membership.program_id == program.id, Membership.role == "lead")
    )
    if leads <= 1:
        raise ValidationError(
            "a program needs a lead", [("role", "the program's only lead cannot be removed")]
        )


def remove_membership(program: Program, membership_id: int) -> None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.program_id != program.id:
        raise NotFoundError("no such member")
    _keep_a_lead(program, membership, None)
    db.session.delete(membership)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_share_link(
    program: Program, created_by: str, days: int, label: str = ""
) -> tuple[ShareLink, str]:
    """A new read-only link; returns it with its token (shown once, stored only hashed)."""
    if not 1 <= days <= 365:
        raise ValidationError("bad expiry", [("days", "a link lasts between 1 and 365 days")])
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        program_id=program.id,
        token_hash=token_hash(token),
        label=label.strip()[:200],
        created_by=created_by,
        expires_at=_now() + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def share_links_of(program: Program) -> list[ShareLink]:
    return list(
        db.session.scalars(
            select(ShareLink)
            .where(ShareLink.program_id == program.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )


def revoke_share_link(program: Program, link_id: int) -> None:
    link = db.session.get(ShareLink, link_id)
    if link is None or link.program_id != program.id:
        raise NotFoundError("no such link")
    if link.revoked_at is None:
        link.revoked_at = _now()


def resolve_share_token(token: str) -> ShareLink | None:
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash(token)))
    if link is None or not link.is_valid(_now()):
        return None
    return link
