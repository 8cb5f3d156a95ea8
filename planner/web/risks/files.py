"""The risk register as files: export to .xlsx and CSV, import from either."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from planner.domain.errors import ImportFormatError
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.forms.risks import (
    ImportForm,
)
from planner.i18n import content_lang
from planner.services import risks as service
from planner.services.programs import get_program
from planner.web.risks.common import bp, template_labels, today_date

# --------------------------------------------------------------------------- files


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "program"


@bp.get("/programs/<int:program_id>/risks/export.xlsx")
def export_xlsx(program_id: int):
    program = get_program(program_id)
    lang = content_lang()
    info = service.scale_for(program, lang)
    today = today_date()
    data = service.export_xlsx(program, info, today, lang, translate=_)
    name = f"risk-register-{_slug(program.name)}-{today.isoformat()}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/programs/<int:program_id>/risks/export.csv")
def export_csv(program_id: int):
    program = get_program(program_id)
    lang = content_lang()
    info = service.scale_for(program, lang)
    today = today_date()
    data = service.export_csv(program, info, today, lang)
    name = f"risk-register-{_slug(program.name)}-{today.isoformat()}.csv"
    return Response(
        data,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/programs/<int:program_id>/risks/import", methods=["GET", "POST"])
def import_register(program_id: int):
    program = get_program(program_id)
    form = ImportForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            upload = form.file.data
            try:
                result = service.import_register(
                    program,
                    upload.filename or "",
                    upload.read(),
                    replace=bool(form.replace.data),
                    today=today_date(),
                )
                db.session.commit()
            except ImportFormatError as exc:
                db.session.rollback()
                problems = _import_problems(exc)
            else:
                _flash_imported(result)
                return redirect(url_for("risks.register", program_id=program.id))
    return _render_import(program, form, problems), status


def _import_problems(exc: ImportFormatError) -> list[str]:
    """A refused file's problems as lines, each with where it is (but "file")."""
    return [
        _("%(element)s: %(problem)s", element=p, problem=m) if p else m
        for p, m in problem_pairs(exc)
    ]


def _flash_imported(result: Any) -> None:
    flash(
        _(
            "Register imported: %(created)d added, %(updated)d updated, "
            "%(unchanged)d unchanged, %(removed)d removed.",
            created=len(result.created),
            updated=len(result.updated),
            unchanged=len(result.unchanged),
            removed=len(result.removed),
        ),
        "success",
    )
    if result.ignored_columns:
        flash(
            _(
                "Columns not imported: %(names)s.",
                names=", ".join(result.ignored_columns),
            ),
            "info",
        )


def _render_import(program: Any, form: ImportForm, problems: list[str]) -> str:
    from planner.interop.risks import COLUMNS

    return render_template(
        "risks/import.html",
        program=program,
        form=form,
        problems=problems,
        columns=COLUMNS,
        **template_labels(),
    )
