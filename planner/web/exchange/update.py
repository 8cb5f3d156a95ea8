"""A plan table exported, edited and taken back: the preview, then the confirmation.

The uploaded file waits in the instance folder between the preview and the confirmation
(a hidden form field would hit the form-size limit); only its owner's confirmation of the
same program opens it, and files older than a day are swept on the next upload."""

from __future__ import annotations

import re
import secrets
import time
from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.exchange import (
    ApplyUpdateForm,
    UpdatePlanForm,
)
from planner.i18n import content_lang, format_day, localized
from planner.models import Program
from planner.services import exchange as service
from planner.web.exchange.common import (
    bp,
    fresh_program,
    import_columns,
    problems_of,
    render_exchange,
    today_date,
)

_STASH_MAX_AGE_S = 24 * 3600


def _stash_dir() -> Path:
    path = Path(current_app.instance_path) / "plan-updates"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stash_path(program: Program, token: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token or ""):
        return None
    return _stash_dir() / f"{current_user.id}-{program.id}-{token}.bin"


def _stash(program: Program, data: bytes) -> str:
    now = time.time()
    for old in _stash_dir().glob("*.bin"):
        try:
            if now - old.stat().st_mtime > _STASH_MAX_AGE_S:
                old.unlink()
        except OSError:  # another worker swept it first
            pass
    token = secrets.token_urlsafe(24)
    path = _stash_path(program, token)
    assert path is not None
    path.write_bytes(data)
    return token


def _unstash(program: Program, token: str) -> bytes | None:
    path = _stash_path(program, token)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def _drop_stash(program: Program, token: str) -> None:
    path = _stash_path(program, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _render_preview(
    program: Program,
    preview: service.UpdatePreview,
    form: ApplyUpdateForm,
    *,
    stale: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "exchange/update_preview.html",
        program=program,
        preview=preview,
        form=form,
        stale=stale,
        field_label=_field_label,
        show_value=_show_value,
    ), status


def _field_label(field: str) -> str:
    labels = {
        "name_en": _("Name (English)"),
        "name_zh": _("Name (Chinese)"),
        "phase_key": _("Phase"),
        "kind": _("Type"),
        "duration": _("Duration (days)"),
        "workstream": _("Workstream"),
        "owner": _("Owner"),
        "percent_complete": _("Percent complete"),
        "actual_start": _("Actual start"),
        "actual_finish": _("Actual finish"),
        "constraint_type": _("Constraint"),
        "constraint_date": _("Constraint date"),
        "predecessors": _("Predecessors"),
    }
    return labels.get(field, field)


def _show_value(field: str, value: object, program: Program) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return format_day(value)
    if field == "phase_key":
        phase = next((p for p in program.phases if p.key == value), None)
        return localized(phase, "name") if phase is not None else str(value)
    if field == "kind":
        return _("milestone") if value == "milestone" else _("task")
    if field == "predecessors" and isinstance(value, tuple):
        return "; ".join(
            f"{key} {kind}{'' if lag == 0 else f'{lag:+d}d'}" for key, kind, lag in value
        )
    return str(value)


def _read_update(program: Program, filename: str, data: bytes) -> tuple[Any, Any]:
    return service.read_update(
        program, filename, data, headers=import_columns(), lang=content_lang()
    )


@bp.post("/programs/<int:program_id>/exchange/update")
def update_preview(program_id: int):
    program = fresh_program(program_id)
    form = UpdatePlanForm()
    if not form.validate_on_submit():
        return render_exchange(program, update_form=form, status=422)
    upload = form.file.data
    data = upload.read()
    try:
        current, incoming = _read_update(program, upload.filename or "", data)
        preview = service.preview_update(program, current, incoming, today_date(), content_lang())
    except ValidationError as exc:
        db.session.rollback()
        return render_exchange(
            program, update_form=form, update_problems=problems_of(exc), status=422
        )
    confirm = ApplyUpdateForm(formdata=None)
    confirm.token.data = _stash(program, data)
    confirm.filename.data = upload.filename or ""
    confirm.fingerprint.data = preview.fingerprint
    return _render_preview(program, preview, confirm)


@bp.post("/programs/<int:program_id>/exchange/update/apply")
def update_apply(program_id: int):
    program = fresh_program(program_id)
    form = ApplyUpdateForm()
    data = _unstash(program, form.token.data or "") if form.validate_on_submit() else None
    if data is None:
        flash(_("The previewed file is no longer here: upload it again."), "warning")
        return redirect(url_for("exchange.index", program_id=program.id))
    filename = form.filename.data or ""
    try:
        current, incoming = _read_update(program, filename, data)
        outcome = service.apply_update(
            program, current, incoming, form.fingerprint.data or "", today_date(), content_lang()
        )
        db.session.commit()
    except service.StalePreviewError:
        db.session.rollback()
        current, incoming = _read_update(program, filename, data)
        preview = service.preview_update(program, current, incoming, today_date(), content_lang())
        form.fingerprint.data = preview.fingerprint
        return _render_preview(program, preview, form, stale=True, status=409)
    except ValidationError as exc:
        db.session.rollback()
        _drop_stash(program, form.token.data or "")
        return render_exchange(program, update_problems=problems_of(exc), status=422)
    _drop_stash(program, form.token.data or "")
    _flash_updated(outcome, filename)
    return redirect(url_for("exchange.index", program_id=program.id))


def _flash_updated(outcome: service.UpdatePreview, filename: str) -> None:
    """What the update changed, what moved, and the rows left as they were."""
    changes = outcome.changes
    flash(
        _(
            "Plan updated from %(file)s: %(updated)d work items changed, %(added)d added.",
            file=filename or _("the file"),
            updated=len(changes.updated),
            added=len(changes.added),
        ),
        "success",
    )
    moved = sum(1 for m in outcome.moves if not m.new_item)
    if moved:
        flash(_("%(n)d work items moved in the schedule.", n=moved), "info")
    if changes.conflicts:
        flash(
            _(
                "%(n)d rows were changed by someone else since the export and were left as "
                "they are: download the plan again to edit them.",
                n=len(changes.conflicts),
            ),
            "warning",
        )
