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
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.explain import Explanation
from planner.domain.passwords import MAX_LENGTH, password_problems
from planner.extensions import db
from planner.models import AuditEvent, Membership, Program, ShareLink, User

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


class PasswordRejected(ValidationError):
    """A new password that breaks the policy; ``problems`` says why, as codes on ``field``."""

    def __init__(self, field: str, reasons: list[Explanation]) -> None:
        super().__init__(problems=[Problem(field, r.code, r.params) for r in reasons])
        self.field = field


def check_password_strength(password: str, field: str = "password", email: str = "") -> None:
    """Refuse a new password the policy does not accept (planner/domain/passwords.py)."""
    problems = password_problems(password, email)
    if problems:
        raise PasswordRejected(field, problems)


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
    if "@" not in email or len(email) > 254:
        raise ValidationError.of("email", "user.email_invalid")
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise ValidationError.of("email", "user.email_taken")
    check_password_strength(password, email=email)
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
    if len(password) > MAX_LENGTH:
        return None  # no password that long was ever accepted: do not spend a hash on it
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
        if len(current) > MAX_LENGTH:
            raise VerificationError()
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ValidationError.of("current_password", "user.password_wrong") from None
    check_password_strength(new, "new_password", user.email)
    user.password_hash = _hasher.hash(new)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every session of ``user`` signed in so far is refused from now on."""
    user.session_generation = (user.session_generation or 0) + 1


def update_account(
    actor: User, user: User, *, active: bool, is_admin: bool, is_consultant: bool
) -> None:
    """Change an account's rights; at least one active administrator always remains.

    Refusals are coded problems: ``account.self_deactivate``, ``account.self_demote`` and
    ``account.last_admin``. The changes reach the audit trail (User is audited).
    """
    problems: list[Problem] = []
    if user.id == actor.id and not active:
        problems.append(Problem("active", "account.self_deactivate"))
    if user.id == actor.id and user.is_admin and not is_admin:
        problems.append(Problem("is_admin", "account.self_demote"))
    was_active_admin = user.is_admin and user.active
    if was_active_admin and not (is_admin and active) and _active_admins() <= 1:
        problems.append(Problem("is_admin", "account.last_admin"))
    if problems:
        raise ValidationError(problems=problems)
    if user.active and not active:
        end_sessions(user)  # reactivating later must not revive the old cookies
    user.active = active
    user.is_admin = is_admin
    user.is_consultant = is_consultant
    db.session.flush()


def _active_admins() -> int:
    """Active administrators, their rows locked (PostgreSQL) so that two administrators
    removing each other at the same moment cannot both succeed; SQLite runs one writer."""
    rows = db.session.scalars(
        select(User.id).where(User.is_admin.is_(True), User.active.is_(True)).with_for_update()
    )
    return len(list(rows))


def account_changes(limit: int = 50) -> list[AuditEvent]:
    """The newest changes to accounts (rights, activation, names) from the audit trail."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "user")
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError.of("", "row.not_found")
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


def addable_people(actor: User, program: Program) -> list[User]:
    """Whom ``actor`` may add to ``program``: active people who already share a program
    with them (anyone active, for a site administrator), not yet members of this one.

    A lead never adds — or learns of — an account by guessing e-mail addresses.
    """
    query = select(User).where(User.active.is_(True)).order_by(User.email)
    if not actor.is_admin:
        actor_programs = select(Membership.program_id).where(Membership.user_id == actor.id)
        colleagues = select(Membership.user_id).where(Membership.program_id.in_(actor_programs))
        query = query.where(User.id.in_(colleagues))
    members = select(Membership.user_id).where(Membership.program_id == program.id)
    return list(db.session.scalars(query.where(User.id.not_in(members))))


def add_member(actor: User, program: Program, email: str, role: str) -> Membership:
    """Add someone ``actor`` may see (:func:`addable_people`) or change an existing
    member's role. An unknown address and an account out of sight get the same answer,
    ``member.not_addable``: the form does not tell whether an address has an account."""
    wanted = normalise_email(email)
    existing = {m.user.email: m for m in members_of(program)}
    if wanted not in existing and wanted not in {u.email for u in addable_people(actor, program)}:
        raise ValidationError.of("email", "member.not_addable")
    return set_membership(program, wanted, role)


def set_membership(program: Program, email: str, role: str) -> Membership:
    if role not in ROLES:
        raise ValidationError.of("role", "field.not_a_choice", value=role)
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise ValidationError.of("email", "member.not_addable")
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
    if (leads or 0) <= 1:
        raise ValidationError.of("role", "member.last_lead")


def remove_membership(program: Program, membership_id: int) -> None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.program_id != program.id:
        raise NotFoundError.of("", "row.not_found")
    _keep_a_lead(program, membership, None)
    db.session.delete(membership)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_share_link(
    program: Program, created_by: str, days: int, label: str = ""
) -> tuple[ShareLink, str]:
    """A new read-only link; returns it with its token (shown once, stored only hashed)."""
    if not 1 <= days <= 365:
        raise ValidationError.of("days", "field.out_of_range", min=1, max=365)
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
        raise NotFoundError.of("", "row.not_found")
    if link.revoked_at is None:
        link.revoked_at = _now()


def resolve_share_token(token: str) -> ShareLink | None:
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash(token)))
    if link is None or not link.is_valid(_now()):
        return None
    return link
