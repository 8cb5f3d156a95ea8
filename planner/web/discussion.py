"""Comments and attachments on a program's work items, risks, gates, reviews and assessments.

Every page that shows a thread includes ``notify/_thread.html`` with ``kind`` and
``subject_id`` set; the template asks :func:`discussion` for what to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, jsonify, redirect, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from planner.domain.errors import NotFoundError, PlannerError, ValidationError
from planner.domain.markup import render_markdown
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.models import Attachment, Comment
from planner.services import discussion as service
from planner.web.policy import can

bp = Blueprint("discussion", __name__)
BASE = "/programs/<int:program_id>/discuss/<kind>/<int:subject_id>"


@dataclass
class Thread:
    subject: service.Subject
    comments: list[Comment]
    attachments: list[Attachment]
    may_write: bool
    max_mb: int


@bp.app_template_global()
def discussion(program_id: int, kind: str, subject_id: int) -> Thread:
    s = service.subject(program_id, kind, subject_id)
    return Thread(s, service.comments_on(s), service.attachments_on(s), _may_write(program_id),
                  service.max_bytes() // 2**20)  # fmt: skip


@bp.app_template_filter("markdown")
def markdown_filter(body: str) -> Markup:
    return Markup(render_markdown(body))  # noqa: S704  # nosec B704 - nh3 allow-list sanitized


def _may_write(program_id: int) -> bool:
    return can("edit", program_id) or can("decide", program_id)


def _subject(program_id: int, kind: str, subject_id: int) -> service.Subject:
    try:
        return service.subject(program_id, kind, subject_id)
    except NotFoundError:
        abort(404)


def _back(s: service.Subject, anchor: str = "discussion") -> Response:
    return redirect(f"{s.link}#{anchor}")  # type: ignore[return-value]  # a redirect is a Response, the view also renders text


def _refused(exc: PlannerError) -> None:
    db.session.rollback()
    for _field, message in problem_pairs(exc):
        flash(message, "error")


@bp.post(f"{BASE}/comments")
def comment_add(program_id: int, kind: str, subject_id: int):
    s = _subject(program_id, kind, subject_id)
    if not _may_write(program_id):
        abort(403)
    try:
        comment = service.add_comment(s, current_user, request.form.get("body", ""))
    except ValidationError as exc:
        _refused(exc)
        return _back(s)
    db.session.commit()
    return _back(s, f"comment-{comment.id}")


@bp.post(f"{BASE}/comments/<int:comment_id>")
def comment_edit(program_id: int, kind: str, subject_id: int, comment_id: int):
    s = _subject(program_id, kind, subject_id)
    comment = _comment(s, comment_id)
    try:
        if request.form.get("delete"):
            service.delete_comment(comment, current_user)
        else:
            service.edit_comment(s, comment, current_user, request.form.get("body", ""))
    except ValidationError as exc:
        _refused(exc)
        return _back(s)
    db.session.commit()
    return _back(s)


def _comment(s: service.Subject, comment_id: int) -> Comment:
    try:
        return service.get_comment(s, comment_id)
    except NotFoundError:
        abort(404)


@bp.post(f"{BASE}/attachments")
def attachment_add(program_id: int, kind: str, subject_id: int):
    s = _subject(program_id, kind, subject_id)
    if not _may_write(program_id):
        abort(403)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError.of("file", "attachment.no_file")
        data = upload.read(service.max_bytes() + 1)
        service.add_attachment(s, upload.filename, data, current_user.email)
    except ValidationError as exc:
        _refused(exc)
        return _back(s)
    db.session.commit()
    flash(_("File attached."), "success")
    return _back(s)


@bp.get("/programs/<int:program_id>/attachments/<int:attachment_id>")
def attachment_get(program_id: int, attachment_id: int):
    try:
        row = service.get_attachment(program_id, attachment_id)
        path = service.attachment_path(row)
    except NotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=row.content_type, as_attachment=True,
                         download_name=row.filename, max_age=0)  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/programs/<int:program_id>/attachments/<int:attachment_id>/delete")
def attachment_delete(program_id: int, attachment_id: int):
    try:
        row = service.get_attachment(program_id, attachment_id)
    except NotFoundError:
        abort(404)
    if row.uploaded_by != current_user.email and not can("manage", program_id):
        abort(403)
    s = _subject(program_id, row.subject_type, row.subject_id)
    path = service.delete_attachment(row)
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(_("Attachment deleted."), "success")
    return _back(s)


@bp.get("/programs/<int:program_id>/mentionable")
def mentionable(program_id: int):
    people = service.mentionable(program_id)
    return jsonify([{"handle": h, "name": n} for h, n in people])
