"""The exchange area's blueprint and the helpers its pages share (downloads, problems, the page)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    render_template,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import NotFoundError, ValidationError
from planner.extensions import db
from planner.forms.exchange import (
    ImportIntoPhaseForm,
    SavePlaybookForm,
    UpdatePlanForm,
    choices,
)
from planner.i18n import SUPPORTED, localized
from planner.interop import plan_table
from planner.interop.messages import localize
from planner.models import Program
from planner.services import exchange as service
from planner.services import feed as feed_service
from planner.services.playbooks import get_playbook
from planner.services.programs import get_program
from planner.services.scheduling import refresh_if_stale

bp = Blueprint("exchange", __name__)

#: every endpoint of this blueprint and its requirement, for planner/web/policy.py
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def today_date() -> date:
    return date.today()


def file_slug(text: str, fallback: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or fallback


def download_response(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def problems_of(exc: ValidationError) -> list[tuple[str, str]]:
    """(where, message) pairs of an error, for the list shown above the form."""
    found = [
        ("" if where == "file" else localize(where, _), localize(message, _))
        for where, message in exc.errors
    ]
    return found or [("", str(exc))]


def phase_label(phase: Any) -> str:
    head = _("Diagnosis") if phase.kind == "diagnosis" else _("Phase %(n)d", n=phase.ordinal)
    return f"{head} · {localized(phase, 'name')}"


def new_playbook_form(program: Program) -> SavePlaybookForm:
    """The save-as-playbook form filled with defaults from the program's playbook."""
    form = SavePlaybookForm(formdata=None)
    form.playbook_id.data = file_slug(f"{program.playbook_id}-refined", "my-playbook")
    form.version.data = "1.0"
    try:
        source = get_playbook(program.playbook_id, program.playbook_version)
    except NotFoundError:
        form.title.data = _("Playbook saved from a program")
    else:
        form.title.data = _("%(title)s (refined)", title=source.title.get("en"))
        if source.title.zh:
            form.title_zh.data = f"{source.title.zh}（改进版）"
    return form


def render_exchange(
    program: Program,
    *,
    import_form: ImportIntoPhaseForm | None = None,
    playbook_form: SavePlaybookForm | None = None,
    problems: list[tuple[str, str]] | None = None,
    playbook_problems: list[tuple[str, str]] | None = None,
    update_form: UpdatePlanForm | None = None,
    update_problems: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    import_form = import_form or ImportIntoPhaseForm(formdata=None)
    import_form.phase.choices = choices((p.id, phase_label(p)) for p in program.phases)
    has_feed = (
        feed_service.feed_token_of(current_user) is not None
        if current_user.is_authenticated
        else False
    )
    baseline = service.latest_baseline(program)
    return render_template(
        "exchange/index.html",
        program=program,
        import_form=import_form,
        playbook_form=playbook_form or new_playbook_form(program),
        problems=problems or [],
        playbook_problems=playbook_problems or [],
        update_form=update_form or UpdatePlanForm(formdata=None),
        update_problems=update_problems or [],
        has_feed=has_feed,
        baseline=baseline,
        item_count=len(program.work_items),
    ), status


def fresh_program(program_id: int) -> Program:
    program = get_program(program_id)
    if refresh_if_stale(program) is not None:
        db.session.commit()
    return program


def plan_columns() -> dict[str, str]:
    """The plan table's header labels in the interface's language (column → label)."""
    return {
        "ID": _("ID"),
        "Key": _("Key"),
        "Name": _("Name"),
        "Phase": _("Phase"),
        "Workstream": _("Workstream"),
        "Type": _("Type"),
        "Duration (days)": _("Duration (days)"),
        "Start": _("Start"),
        "Finish": _("Finish"),
        "Percent complete": _("Percent complete"),
        "Owner": _("Owner"),
        "Predecessors": _("Predecessors"),
        "Constraint": _("Constraint"),
        "Constraint date": _("Constraint date"),
        "Actual start": _("Actual start"),
        "Actual finish": _("Actual finish"),
        plan_table.NAME_EN: _("Name (English)"),
        plan_table.NAME_ZH: _("Name (Chinese)"),
        plan_table.VERSION: _("Version"),
    }


def export_columns() -> dict[str, str] | None:
    """The labels to export, or None (English) when a translation would head two columns
    alike: a file that could not be read back is worse than English headers."""
    labels = plan_columns()
    try:
        plan_table.header_row(labels)
    except ValueError:
        return None
    return labels


def import_columns() -> list[dict[str, str]]:
    """Labels an import accepts: the interface language's first (missing columns are named
    in it), then every other language's, so a file exported in either imports in either."""
    sets = [plan_columns()]
    for locale in SUPPORTED:
        with force_locale(locale):
            sets.append(plan_columns())
    return sets
