"""Comments (Markdown, @mentions of members, edit and delete by the author) and attachments
(checked by content, stored under the instance folder with their SHA-256) on work items,
risks, gates, steering reviews and assessments. Every change is audited (see the models)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.filetypes import check_upload, safe_filename
from planner.domain.markup import check_comment, handle_of, mentions
from planner.extensions import db
from planner.i18n import localized
from planner.models import (
    Assessment,
    Attachment,
    Comment,
    Phase,
    Risk,
    SteeringReview,
    User,
    WorkItem,
)
from planner.models.discussion import SUBJECT_KINDS
from planner.services.notify import link_to, members, now
from planner.services.notify_events import notify_mentioned

_MODELS = {
    "workitem": WorkItem,
    "risk": Risk,
    "gate": Phase,
    "review": SteeringReview,
    "assessment": Assessment,
}


@dataclass(frozen=True)
class Subject:
    kind: str
    id: int
    program_id: int
    name: str
    name_zh: str | None
    link: str


def subject(program_id: int, kind: str, subject_id: int) -> Subject:
    """The thing commented on, in this program (404 otherwise)."""
    model = _MODELS.get(kind) if kind in SUBJECT_KINDS else None
    row = db.session.get(model, subject_id) if model is not None else None
    if row is None or getattr(row, "program_id", None) != program_id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    name, name_zh, link = _describe(kind, row)
    return Subject(kind, subject_id, program_id, name, name_zh, link)


def _describe(kind: str, row: object) -> tuple[str, str | None, str]:
    program_id = getattr(row, "program_id")  # noqa: B009
    if isinstance(row, WorkItem):
        return row.name, row.name_zh, link_to("plan.item", program_id=program_id, item_id=row.id)
    if isinstance(row, Risk):
        zh = f"{row.key} {row.title_zh}" if row.title_zh else None
        link = link_to("risks.detail", program_id=program_id, risk_id=row.id)
        return f"{row.key} {row.title}", zh, link
    if isinstance(row, Phase):
        link = link_to("gates.show", program_id=program_id, ordinal=row.ordinal)
        return row.name, row.name_zh, link
    if isinstance(row, SteeringReview):
        link = link_to("risks.review", program_id=program_id, review_id=row.id)
        return row.title or row.held_on.isoformat(), None, link
    assert isinstance(row, Assessment)
    link = link_to("assessment.show", program_id=program_id, assessment_id=row.id)
    return row.title, None, link


def subject_label(s: Subject) -> str:
    return localized(s, "name") or s.name


# --------------------------------------------------------------------------- comments


def comments_on(s: Subject) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.program_id == s.program_id, Comment.subject_type == s.kind)
            .where(Comment.subject_id == s.id)
            .order_by(Comment.id)
        )
    )


def mentionable(program_id: int) -> list[tuple[str, str]]:
    """(handle, name) of every member who may be mentioned: what completion offers."""
    people = members(program_id, ("lead", "member", "steering", "viewer"))
    handles = [handle_of(u.email) for u in people]
    return [
        (h if handles.count(h) == 1 else u.email.casefold(), u.display_name)
        for h, u in zip(handles, people, strict=True)
    ]


def _mentioned_users(program_id: int, body: str) -> list[User]:
    people = members(program_id, ("lead", "member", "steering", "viewer"))
    by_handle: dict[str, list[User]] = {}
    for user in people:
        by_handle.setdefault(user.email.casefold(), []).append(user)
        by_handle.setdefault(handle_of(user.email), []).append(user)
    found: list[User] = []
    problems = []
    for handle in mentions(body):
        users = by_handle.get(handle, [])
        if len(users) != 1:
            problems.append(Problem("body", "comment.mention_unknown", {"handle": handle}))
        else:
            found.append(users[0])
    if problems:
        raise ValidationError(problems=problems)
    return found


def add_comment(s: Subject, author: User, body: str) -> Comment:
    """Save a comment; refused (nothing stored) for raw HTML or a mention of a non-member."""
    text = check_comment(body)
    mentioned = _mentioned_users(s.program_id, text)
    comment = Comment(program_id=s.program_id, subject_type=s.kind, subject_id=s.id,
                      author_id=author.id, author_label=author.display_name, body=text)  # fmt: skip
    db.session.add(comment)
    db.session.flush()
    _notify(s, comment, author, [u for u in mentioned if u.id != author.id])
    return comment


def _notify(s: Subject, comment: Comment, author: User, mentioned: list[User]) -> None:
    if mentioned:
        link = f"{s.link}#comment-{comment.id}"
        notify_mentioned(
            mentioned, s.program_id, author.display_name, (s.name, s.name_zh), link, comment.id
        )


def get_comment(s: Subject, comment_id: int) -> Comment:
    row = db.session.get(Comment, comment_id)
    if row is None or (row.program_id, row.subject_type, row.subject_id) != (
        s.program_id, s.kind, s.id
    ):  # fmt: skip
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return row


def _check_author(comment: Comment, user: User) -> None:
    if comment.author_id != user.id:
        raise ValidationError.of("", "comment.not_author")


def edit_comment(s: Subject, comment: Comment, user: User, body: str) -> None:
    _check_author(comment, user)
    text = check_comment(body)
    before = set(mentions(comment.body))
    mentioned = _mentioned_users(s.program_id, text)
    comment.body, comment.edited_at = text, now()
    db.session.flush()
    new = [u for u in mentioned if handle_of(u.email) not in before and u.id != user.id]
    _notify(s, comment, user, new)


def delete_comment(comment: Comment, user: User) -> None:
    _check_author(comment, user)
    db.session.delete(comment)
    db.session.flush()


# --------------------------------------------------------------------------- attachments


def storage_root() -> Path:
    configured = current_app.config.get("PLANNER_ATTACHMENT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "attachments"


def max_bytes() -> int:
    return int(current_app.config.get("PLANNER_ATTACHMENT_MAX_MB", 10)) * 2**20


def attachments_on(s: Subject) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment)
            .where(Attachment.program_id == s.program_id, Attachment.subject_type == s.kind)
            .where(Attachment.subject_id == s.id)
            .order_by(Attachment.id)
        )
    )


def add_attachment(s: Subject, filename: str, data: bytes, uploaded_by: str) -> Attachment:
    """Keep a file: checked by content and size, written under the instance folder, then
    recorded with its SHA-256 (the file is removed again if the row cannot be saved)."""
    name = safe_filename(filename)
    content_type = check_upload(name, data, max_bytes())
    digest = hashlib.sha256(data).hexdigest()
    key = f"{s.program_id}/{secrets.token_hex(16)}"
    path = storage_root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    row = Attachment(program_id=s.program_id, subject_type=s.kind, subject_id=s.id,
                     filename=name, content_type=content_type, size=len(data), sha256=digest,
                     storage_key=key, uploaded_by=uploaded_by)  # fmt: skip
    try:
        db.session.add(row)
        db.session.flush()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return row


def get_attachment(program_id: int, attachment_id: int) -> Attachment:
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.program_id != program_id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return row


def attachment_path(row: Attachment) -> Path:
    path = (storage_root() / row.storage_key).resolve()
    if storage_root().resolve() not in path.parents:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return path


def delete_attachment(row: Attachment) -> Path:
    """Delete the row (audited); returns the file, which the caller removes once the
    deletion is committed (a rolled-back deletion keeps its file)."""
    path = attachment_path(row)
    db.session.delete(row)
    db.session.flush()
    return path


def evidence_files(program_id: int, phase_ids: list[int]) -> dict[int, list[Attachment]]:
    """Each gate's evidence files (attachments on its phase), for the gate page and the pack."""
    rows = db.session.scalars(
        select(Attachment)
        .where(Attachment.program_id == program_id, Attachment.subject_type == "gate")
        .where(Attachment.subject_id.in_(phase_ids))
        .order_by(Attachment.id)
    )
    found: dict[int, list[Attachment]] = {}
    for row in rows:
        found.setdefault(row.subject_id, []).append(row)
    return found
