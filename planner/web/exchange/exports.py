"""The exchange page and its downloads: the plan as MS Project XML, CSV or .xlsx, the
steering pack (.pptx, .pdf), the program saved as a playbook."""

from __future__ import annotations

from datetime import date

from flask import (
    request,
)
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.forms.exchange import (
    SavePlaybookForm,
)
from planner.i18n import content_lang
from planner.models import Program
from planner.services import exchange as service
from planner.services import pack as pack_service
from planner.services.programs import get_program
from planner.services.save_playbook import program_playbook
from planner.web.exchange.common import (
    PPTX_TYPE,
    bp,
    download_response,
    export_columns,
    file_slug,
    fresh_program,
    new_playbook_form,
    render_exchange,
    today_date,
)

# --------------------------------------------------------------------------- the page


@bp.get("/programs/<int:program_id>/exchange")
def index(program_id: int):
    program = get_program(program_id)
    return render_exchange(program)


# --------------------------------------------------------------------------- exports


def _export(program_id: int, fmt: service.Format):
    program = fresh_program(program_id)
    data = service.export_plan(
        program,
        fmt,
        headers=export_columns(),
        sheet_title=_("Plan"),
        language=content_lang(),  # names in the reader's language, the other one kept too
    )
    name = f"{file_slug(program.name, f'program-{program.id}')}-plan.{service.EXTENSIONS[fmt]}"
    return download_response(data, service.MEDIA_TYPES[fmt], name)


@bp.get("/programs/<int:program_id>/exchange/plan.xml")
def export_mspdi(program_id: int):
    return _export(program_id, "mspdi")


@bp.get("/programs/<int:program_id>/exchange/plan.csv")
def export_csv(program_id: int):
    return _export(program_id, "csv")


@bp.get("/programs/<int:program_id>/exchange/plan.xlsx")
def export_xlsx(program_id: int):
    return _export(program_id, "xlsx")


def _pack_name(program: Program, today: date, ext: str) -> str:
    slug = file_slug(program.name, f"program-{program.id}")
    return f"steering-pack-{slug}-{today.isoformat()}.{ext}"


@bp.get("/programs/<int:program_id>/exchange/pack.pptx")
def pack_pptx(program_id: int):
    program = fresh_program(program_id)
    today = today_date()
    pack = pack_service.build_pack(program.id, today, content_lang())
    return download_response(
        pack_service.pack_pptx(pack), PPTX_TYPE, _pack_name(program, today, "pptx")
    )


@bp.get("/programs/<int:program_id>/exchange/pack.pdf")
def pack_pdf(program_id: int):
    program = fresh_program(program_id)
    today = today_date()
    pack = pack_service.build_pack(program.id, today, content_lang())
    return download_response(
        pack_service.pack_pdf(pack), "application/pdf", _pack_name(program, today, "pdf")
    )


@bp.get("/programs/<int:program_id>/exchange/playbook.yaml")
def save_playbook(program_id: int):
    program = get_program(program_id)
    if request.args:
        form = SavePlaybookForm(formdata=request.args)
        if not form.validate():
            return render_exchange(program, playbook_form=form, status=422)
    else:  # the defaults the page shows
        form = new_playbook_form(program)
    try:
        saved = program_playbook(
            program,
            playbook_id=form.playbook_id.data or "",
            version=form.version.data or "",
            title=form.title.data or "",
            title_zh=form.title_zh.data or None,
            description=form.description.data or None,
            today=today_date(),
        )
    except ValidationError as exc:
        rest = _place_playbook_errors(form, exc)
        return render_exchange(program, playbook_form=form, playbook_problems=rest, status=422)
    return download_response(
        saved.text.encode("utf-8"), "application/yaml; charset=utf-8", saved.filename
    )


def _place_playbook_errors(form: SavePlaybookForm, exc: ValidationError) -> list[tuple[str, str]]:
    """A refusal's problems on the id, version and title fields; the others returned."""
    known = {"playbook_id", "version", "title"}
    rest = []
    for where, message in exc.errors:
        if where in known:
            getattr(form, where).errors = [*getattr(form, where).errors, message]
        else:
            rest.append((where, message))
    return rest
