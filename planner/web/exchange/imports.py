"""Plan files imported into one phase of a program, or as a new program."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from planner.domain.errors import ImportFormatError, NotFoundError, ValidationError
from planner.extensions import db
from planner.forms.exchange import (
    ImportIntoPhaseForm,
    ImportProgramForm,
    choices,
)
from planner.i18n import content_lang
from planner.interop.messages import localize
from planner.models.plan import Phase
from planner.services import exchange as service
from planner.services.playbooks import get_playbook, installed_playbooks
from planner.services.programs import get_program
from planner.web.exchange.common import (
    bp,
    import_columns,
    phase_label,
    problems_of,
    render_exchange,
    today_date,
)

# --------------------------------------------------------------------------- imports


def _flash_outcome(outcome: service.ImportOutcome) -> None:
    if outcome.renamed:
        pairs = ", ".join(f"{old} → {new}" for old, new in list(outcome.renamed.items())[:10])
        more = len(outcome.renamed) - 10
        flash(
            _("Keys changed to fit the program: %(pairs)s", pairs=pairs)
            + (" " + _("(and %(n)d more)", n=more) if more > 0 else ""),
            "info",
        )
    for note in outcome.notes[:10]:
        flash(localize(note, _), "info")


@bp.post("/programs/<int:program_id>/exchange/import")
def import_into_phase(program_id: int):
    program = get_program(program_id)
    form = ImportIntoPhaseForm()
    form.phase.choices = choices((p.id, phase_label(p)) for p in program.phases)
    if not form.validate_on_submit():
        return render_exchange(program, import_form=form, status=422)
    upload = form.file.data
    phase_id = _chosen_phase(form)
    try:
        planfile = service.read_plan_file(
            upload.filename or "", upload.read(), headers=import_columns(), lang=content_lang()
        )
        outcome = service.import_into_phase(program, phase_id, planfile, today_date())
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        if any(where == "phase" for where, _m in exc.errors) and not isinstance(
            exc, ImportFormatError
        ):
            form.phase.errors = [m for w, m in exc.errors if w == "phase"]
            return render_exchange(program, import_form=form, status=422)
        return render_exchange(program, import_form=form, problems=problems_of(exc), status=422)
    phase = next(p for p in program.phases if p.id == phase_id)
    _flash_imported(outcome, phase)
    return redirect(url_for("exchange.index", program_id=program.id))


def _chosen_phase(form: ImportIntoPhaseForm) -> int:
    """The chosen phase's id (0, no phase, for anything else)."""
    try:
        return int(form.phase.data or 0)
    except (TypeError, ValueError):
        return 0


def _flash_imported(outcome: service.ImportOutcome, phase: Phase) -> None:
    flash(
        _(
            "%(items)d work items and %(links)d dependencies imported into %(phase)s.",
            items=outcome.items,
            links=outcome.links,
            phase=phase_label(phase),
        ),
        "success",
    )
    _flash_outcome(outcome)


@bp.route("/programs/import", methods=["GET", "POST"])
def import_program():
    form = _import_program_form()
    problems: list[tuple[str, str]] = []
    if request.method != "POST":
        return render_template("exchange/import_program.html", form=form, problems=problems)
    if form.validate_on_submit():
        upload = form.file.data
        try:
            outcome = _import_new_program(form, upload)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            problems = _place_import_errors(form, exc)
        else:
            _flash_new_program(outcome, upload.filename)
            return redirect(url_for("programs.overview", program_id=outcome.program.id))
    return render_template("exchange/import_program.html", form=form, problems=problems), 422


def _import_program_form() -> ImportProgramForm:
    """The form, its playbook choices the installed playbooks (or none: the plan only)."""
    form = ImportProgramForm()
    installed, _errors = installed_playbooks()
    form.playbook.choices = choices(
        [("", _("None: the plan only"))]
        + [(i.ref, f"{i.playbook.title.get(content_lang())} ({i.ref})") for i in installed]
    )
    return form


def _import_new_program(form: ImportProgramForm, upload: FileStorage) -> service.ImportOutcome:
    """Read the uploaded file and make a program of it (flushed, not committed)."""
    playbook = None
    if form.playbook.data:
        playbook_id, _at, version = form.playbook.data.partition("@")
        try:
            playbook = get_playbook(playbook_id, version or None)
        except NotFoundError:
            raise ValidationError(
                "unknown playbook", [("playbook", _("Choose an installed playbook."))]
            ) from None
    planfile = service.read_plan_file(
        upload.filename or "",
        upload.read(),
        start=form.start_date.data,
        headers=import_columns(),
        lang=content_lang(),
    )
    return service.import_new_program(
        planfile,
        name=form.name.data,
        client=form.client.data or "",
        lead=current_user,
        playbook=playbook,
        baseline_name=_("Baseline 0 (imported)"),
        today=today_date(),
    )


def _place_import_errors(form: ImportProgramForm, exc: ValidationError) -> list[tuple[str, str]]:
    """A refusal's problems on the form's fields where they belong; the file's (and any
    other) problems returned for the list above the form."""
    fields = {"name", "client", "playbook", "start_date"}
    if isinstance(exc, ImportFormatError) or not any(w in fields for w, _m in exc.errors):
        return problems_of(exc)
    problems: list[tuple[str, str]] = []
    for where, message in exc.errors:
        if where in fields:
            getattr(form, where).errors = [*getattr(form, where).errors, message]
        else:
            problems.append((where, message))
    return problems


def _flash_new_program(outcome: service.ImportOutcome, filename: str | None) -> None:
    flash(
        _(
            "Program “%(name)s” created from %(file)s: %(items)d work items, "
            "%(links)d dependencies.",
            name=outcome.program.name,
            file=filename or _("the file"),
            items=outcome.items,
            links=outcome.links,
        ),
        "success",
    )
    if outcome.baseline is not None:
        flash(
            _("The file's baseline was kept as “%(name)s”.", name=outcome.baseline.name),
            "info",
        )
    _flash_outcome(outcome)
