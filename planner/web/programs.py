"""Program list, create-from-playbook, and the program overview."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from planner.domain.errors import NotFoundError, ValidationError
from planner.domain.replan import ReplanError
from planner.explain_text import renderer
from planner.extensions import db
from planner.forms.choices import choices
from planner.forms.programs import NewProgramForm
from planner.forms.risks import STATUS_LABELS as RISK_STATUS_LABELS
from planner.i18n import SUPPORTED, content_lang
from planner.models import Program
from planner.ops.cache import derived
from planner.replan_text import reason_text
from planner.services import program_list
from planner.services import programs as program_service
from planner.services import users as user_service
from planner.services.gates import band_labels
from planner.services.playbooks import get_playbook, installed_playbooks
from planner.web.form_errors import show_on_form
from planner.web.redirects import safe_next

bp = Blueprint("programs", __name__)


@bp.get("/")
def index():
    programs = user_service.programs_for(current_user)
    sort = request.args.get("sort", "name")
    sort = sort if sort in program_list.SORT_KEYS else "name"
    descending = request.args.get("dir") == "desc"
    today = date.today()
    lines = program_list.program_lines(programs, today, sort, descending, content_lang())
    # band labels come from each program's playbook: one look-up a playbook, not a program
    explainers: dict[tuple[str, str], Any] = {}
    for program in programs:
        ref = (program.playbook_id, program.playbook_version)
        if ref not in explainers:
            explainers[ref] = renderer(band_labels(program, content_lang()))
    return render_template(
        "programs/index.html",
        lines=lines,
        refs={p.id: (p.playbook_id, p.playbook_version) for p in programs},
        explainers=explainers,
        columns=_list_columns(),
        sort=sort,
        descending=descending,
        today=today,
    )


def _list_columns() -> list[tuple[str, str]]:
    return [
        ("name", _("Program")),
        ("status", _("Status")),
        ("phase", _("Current phase")),
        ("finish", _("Forecast finish")),
        ("gate", _("Next gate")),
        ("progress", _("Progress")),
    ]


@bp.route("/programs/new", methods=["GET", "POST"])
def new():
    form = _new_program_form()
    if form.validate_on_submit():
        playbook_id, _at, version = form.playbook.data.partition("@")
        try:
            playbook = get_playbook(playbook_id, version)
            program = program_service.create_program(
                playbook,
                name=form.name.data,
                client=form.client.data,
                start_date=form.start_date.data,
                lead=current_user,
                diagnosis_weeks=form.diagnosis_weeks.data,
                holiday_set=form.holiday_set.data or None,
            )
            db.session.commit()
        except (ReplanError, ValidationError, NotFoundError) as exc:
            db.session.rollback()
            _show_refusal(form, exc)
        else:
            flash(_("Program “%(name)s” created.", name=program.name), "success")
            return redirect(url_for("programs.overview", program_id=program.id))
    return render_template("programs/new.html", form=form), 200 if request.method == "GET" else 422


def _new_program_form() -> NewProgramForm:
    """The form, its choices the installed playbooks, starting today on a GET."""
    form = NewProgramForm()
    installed, _errors = installed_playbooks()
    lang = content_lang()
    form.playbook.choices = choices(
        (i.ref, f"{i.playbook.title.get(lang) or i.playbook.title.get('en')} ({i.ref})")
        for i in installed
    )
    if request.method == "GET" and not form.start_date.data:
        form.start_date.data = date.today()
    return form


def _show_refusal(form: NewProgramForm, exc: ReplanError | ValidationError | NotFoundError) -> None:
    """Why the program was not created, on the field at fault (else on the playbook)."""
    if isinstance(exc, ReplanError):
        for field, reason in exc.reasons:
            getattr(form, field, form.playbook).errors.append(reason_text(reason))
        return
    show_on_form(form, exc, fallback="playbook")


@bp.get("/programs/<int:program_id>")
def overview(program_id: int):
    program = program_service.get_program(program_id)
    # under the header the page is the same for every reader of this revision, day and
    # language (hundreds of milestone dates worded): rendered once, then shared
    body_html = derived("overview-page", program.id, lambda: _overview_body(program))
    return render_template(
        "programs/overview.html",
        program=program,
        body_html=Markup(body_html),  # nosec B704 - rendered by Jinja with autoescape
    )


def _overview_body(program: Program) -> str:
    return render_template(
        "programs/_overview_body.html",
        program=program,
        counts=program_service.work_item_counts(program.id),
        milestones=program_service.milestones_by_phase(program.id),
        today=date.today(),
        risk_status_labels=RISK_STATUS_LABELS,
    )


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang in SUPPORTED:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.lang = lang  # remembered for the next sign-in
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
