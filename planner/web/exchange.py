"""Exchange: plan files (MS Project XML, CSV, .xlsx) in and out, the steering-committee pack,
save as playbook, and the calendar feed with its per-user token.

Endpoints and their requirement (planner/web/policy.py):

=============================  ==============================================  ==========
endpoint                       URL                                             requirement
=============================  ==============================================  ==========
exchange.index                 /programs/<id>/exchange                         read
exchange.export_mspdi          /programs/<id>/exchange/plan.xml                read
exchange.export_csv            /programs/<id>/exchange/plan.csv                read
exchange.export_xlsx           /programs/<id>/exchange/plan.xlsx               read
exchange.pack_pptx             /programs/<id>/exchange/pack.pptx               read
exchange.pack_pdf              /programs/<id>/exchange/pack.pdf                read
exchange.save_playbook         /programs/<id>/exchange/playbook.yaml           read
exchange.import_into_phase     /programs/<id>/exchange/import (POST)           edit
exchange.update_preview        /programs/<id>/exchange/update (POST)           edit
exchange.update_apply          /programs/<id>/exchange/update/apply (POST)     edit
exchange.import_program        /programs/import (GET, POST)                    signed_in
exchange.account_feed          /account/feed (GET, POST)                       signed_in
exchange.feed                  /feeds/<token>/programs/<id>.ics                public (the
                                                                               token decides)
=============================  ==============================================  ==========
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import ImportFormatError, NotFoundError, ValidationError
from planner.extensions import db
from planner.forms.exchange import (
    ApplyUpdateForm,
    FeedTokenForm,
    ImportIntoPhaseForm,
    ImportProgramForm,
    SavePlaybookForm,
    UpdatePlanForm,
    choices,
)
from planner.i18n import SUPPORTED, content_lang, format_day, localized
from planner.interop import plan_table
from planner.interop.messages import localize
from planner.models import Program
from planner.services import exchange as service
from planner.services import feed as feed_service
from planner.services import pack as pack_service
from planner.services.playbooks import get_playbook, installed_playbooks
from planner.services.programs import get_program
from planner.services.save_playbook import program_playbook
from planner.services.scheduling import refresh_if_stale

bp = Blueprint("exchange", __name__)

#: every endpoint of this blueprint and its requirement, for planner/web/policy.py
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _today() -> date:
    return date.today()


def _slug(text: str, fallback: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or fallback


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    """(where, message) pairs of an error, for the list shown above the form."""
    found = [
        ("" if where == "file" else localize(where, _), localize(message, _))
        for where, message in exc.errors
    ]
    return found or [("", str(exc))]


def _phase_label(phase: Any) -> str:
    head = _("Diagnosis") if phase.kind == "diagnosis" else _("Phase %(n)d", n=phase.ordinal)
    return f"{head} · {localized(phase, 'name')}"


def _playbook_form(program: Program) -> SavePlaybookForm:
    """The save-as-playbook form filled with defaults from the program's playbook."""
    form = SavePlaybookForm(formdata=None)
    form.playbook_id.data = _slug(f"{program.playbook_id}-refined", "my-playbook")
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


def _render_index(
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
    import_form.phase.choices = choices((p.id, _phase_label(p)) for p in program.phases)
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
        playbook_form=playbook_form or _playbook_form(program),
        problems=problems or [],
        playbook_problems=playbook_problems or [],
        update_form=update_form or UpdatePlanForm(formdata=None),
        update_problems=update_problems or [],
        has_feed=has_feed,
        baseline=baseline,
        item_count=len(program.work_items),
    ), status


# --------------------------------------------------------------------------- the page


@bp.get("/programs/<int:program_id>/exchange")
def index(program_id: int):
    program = get_program(program_id)
    return _render_index(program)


# --------------------------------------------------------------------------- exports


def _fresh(program_id: int) -> Program:
    program = get_program(program_id)
    if refresh_if_stale(program) is not None:
        db.session.commit()
    return program


def _plan_columns() -> dict[str, str]:
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


def _export_columns() -> dict[str, str] | None:
    """The labels to export, or None (English) when a translation would head two columns
    alike: a file that could not be read back is worse than English headers."""
    labels = _plan_columns()
    try:
        plan_table.header_row(labels)
    except ValueError:
        return None
    return labels


def _import_columns() -> list[dict[str, str]]:
    """Labels an import accepts: the interface language's first (missing columns are named
    in it), then every other language's, so a file exported in either imports in either."""
    sets = [_plan_columns()]
    for locale in SUPPORTED:
        with force_locale(locale):
            sets.append(_plan_columns())
    return sets


def _export(program_id: int, fmt: service.Format):
    program = _fresh(program_id)
    data = service.export_plan(
        program,
        fmt,
        headers=_export_columns(),
        sheet_title=_("Plan"),
        language=content_lang(),  # names in the reader's language, the other one kept too
    )
    name = f"{_slug(program.name, f'program-{program.id}')}-plan.{service.EXTENSIONS[fmt]}"
    return _download(data, service.MEDIA_TYPES[fmt], name)


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
    return f"steering-pack-{_slug(program.name, f'program-{program.id}')}-{today.isoformat()}.{ext}"


@bp.get("/programs/<int:program_id>/exchange/pack.pptx")
def pack_pptx(program_id: int):
    program = _fresh(program_id)
    today = _today()
    pack = pack_service.build_pack(program.id, today, content_lang())
    return _download(pack_service.pack_pptx(pack), PPTX_TYPE, _pack_name(program, today, "pptx"))


@bp.get("/programs/<int:program_id>/exchange/pack.pdf")
def pack_pdf(program_id: int):
    program = _fresh(program_id)
    today = _today()
    pack = pack_service.build_pack(program.id, today, content_lang())
    return _download(
        pack_service.pack_pdf(pack), "application/pdf", _pack_name(program, today, "pdf")
    )


@bp.get("/programs/<int:program_id>/exchange/playbook.yaml")
def save_playbook(program_id: int):
    program = get_program(program_id)
    if request.args:
        form = SavePlaybookForm(formdata=request.args)
        if not form.validate():
            return _render_index(program, playbook_form=form, status=422)
    else:  # the defaults the page shows
        form = _playbook_form(program)
    try:
        saved = program_playbook(
            program,
            playbook_id=form.playbook_id.data or "",
            version=form.version.data or "",
            title=form.title.data or "",
            title_zh=form.title_zh.data or None,
            description=form.description.data or None,
            today=_today(),
        )
    except ValidationError as exc:
        known = {"playbook_id", "version", "title"}
        rest = []
        for where, message in exc.errors:
            if where in known:
                getattr(form, where).errors = [*getattr(form, where).errors, message]
            else:
                rest.append((where, message))
        return _render_index(program, playbook_form=form, playbook_problems=rest, status=422)
    return _download(saved.text.encode("utf-8"), "application/yaml; charset=utf-8", saved.filename)


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
    form.phase.choices = choices((p.id, _phase_label(p)) for p in program.phases)
    if not form.validate_on_submit():
        return _render_index(program, import_form=form, status=422)
    upload = form.file.data
    try:
        phase_id = int(form.phase.data or 0)
    except (TypeError, ValueError):
        phase_id = 0
    try:
        planfile = service.read_plan_file(
            upload.filename or "", upload.read(), headers=_import_columns(), lang=content_lang()
        )
        outcome = service.import_into_phase(program, phase_id, planfile, _today())
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        if any(where == "phase" for where, _m in exc.errors) and not isinstance(
            exc, ImportFormatError
        ):
            form.phase.errors = [m for w, m in exc.errors if w == "phase"]
            return _render_index(program, import_form=form, status=422)
        return _render_index(program, import_form=form, problems=_problems(exc), status=422)
    phase = next(p for p in program.phases if p.id == phase_id)
    flash(
        _(
            "%(items)d work items and %(links)d dependencies imported into %(phase)s.",
            items=outcome.items,
            links=outcome.links,
            phase=_phase_label(phase),
        ),
        "success",
    )
    _flash_outcome(outcome)
    return redirect(url_for("exchange.index", program_id=program.id))


# --------------------------------------------------------------------------- update from a file
# The uploaded file waits in the instance folder between the preview and the confirmation
# (a hidden form field would hit the form-size limit); only its owner's confirmation of the
# same program opens it, and files older than a day are swept on the next upload.

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
        program, filename, data, headers=_import_columns(), lang=content_lang()
    )


@bp.post("/programs/<int:program_id>/exchange/update")
def update_preview(program_id: int):
    program = _fresh(program_id)
    form = UpdatePlanForm()
    if not form.validate_on_submit():
        return _render_index(program, update_form=form, status=422)
    upload = form.file.data
    data = upload.read()
    try:
        current, incoming = _read_update(program, upload.filename or "", data)
        preview = service.preview_update(program, current, incoming, _today(), content_lang())
    except ValidationError as exc:
        db.session.rollback()
        return _render_index(program, update_form=form, update_problems=_problems(exc), status=422)
    confirm = ApplyUpdateForm(formdata=None)
    confirm.token.data = _stash(program, data)
    confirm.filename.data = upload.filename or ""
    confirm.fingerprint.data = preview.fingerprint
    return _render_preview(program, preview, confirm)


@bp.post("/programs/<int:program_id>/exchange/update/apply")
def update_apply(program_id: int):
    program = _fresh(program_id)
    form = ApplyUpdateForm()
    data = _unstash(program, form.token.data or "") if form.validate_on_submit() else None
    if data is None:
        flash(_("The previewed file is no longer here: upload it again."), "warning")
        return redirect(url_for("exchange.index", program_id=program.id))
    filename = form.filename.data or ""
    try:
        current, incoming = _read_update(program, filename, data)
        outcome = service.apply_update(
            program, current, incoming, form.fingerprint.data or "", _today(), content_lang()
        )
        db.session.commit()
    except service.StalePreviewError:
        db.session.rollback()
        current, incoming = _read_update(program, filename, data)
        preview = service.preview_update(program, current, incoming, _today(), content_lang())
        form.fingerprint.data = preview.fingerprint
        return _render_preview(program, preview, form, stale=True, status=409)
    except ValidationError as exc:
        db.session.rollback()
        _drop_stash(program, form.token.data or "")
        return _render_index(program, update_problems=_problems(exc), status=422)
    _drop_stash(program, form.token.data or "")
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
    return redirect(url_for("exchange.index", program_id=program.id))


@bp.route("/programs/import", methods=["GET", "POST"])
def import_program():
    form = ImportProgramForm()
    installed, _errors = installed_playbooks()
    form.playbook.choices = choices(
        [("", _("None: the plan only"))]
        + [(i.ref, f"{i.playbook.title.get(content_lang())} ({i.ref})") for i in installed]
    )
    problems: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            upload = form.file.data
            try:
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
                    headers=_import_columns(),
                    lang=content_lang(),
                )
                outcome = service.import_new_program(
                    planfile,
                    name=form.name.data,
                    client=form.client.data or "",
                    lead=current_user,
                    playbook=playbook,
                    baseline_name=_("Baseline 0 (imported)"),
                    today=_today(),
                )
                db.session.commit()
            except ValidationError as exc:
                db.session.rollback()
                fields = {"name", "client", "playbook", "start_date"}
                if isinstance(exc, ImportFormatError) or not any(
                    w in fields for w, _m in exc.errors
                ):
                    problems = _problems(exc)
                else:
                    for where, message in exc.errors:
                        if where in fields:
                            getattr(form, where).errors = [*getattr(form, where).errors, message]
                        else:
                            problems.append((where, message))
            else:
                flash(
                    _(
                        "Program “%(name)s” created from %(file)s: %(items)d work items, "
                        "%(links)d dependencies.",
                        name=outcome.program.name,
                        file=upload.filename or _("the file"),
                        items=outcome.items,
                        links=outcome.links,
                    ),
                    "success",
                )
                if outcome.baseline is not None:
                    flash(
                        _(
                            "The file's baseline was kept as “%(name)s”.",
                            name=outcome.baseline.name,
                        ),
                        "info",
                    )
                _flash_outcome(outcome)
                return redirect(url_for("programs.overview", program_id=outcome.program.id))
    return render_template("exchange/import_program.html", form=form, problems=problems), status


# --------------------------------------------------------------------------- calendar feed


def _feed_texts(lang: str) -> feed_service.FeedTexts:
    with force_locale("zh_Hans_CN" if lang == "zh" else "en"):
        return feed_service.FeedTexts(
            gate_title=_("Gate review: %(phase)s", phase="%(phase)s"),
            gate_description=_(
                "The steering committee decides go, conditional go or no-go at the end of "
                "%(phase)s.",
                phase="%(phase)s",
            ),
            milestone_done=_("done"),
        )


def _feed_urls(program: Program) -> tuple[dict[str, str], dict[str, str]]:
    gates = (
        url_for("gates.index", program_id=program.id, _external=True)
        if _has("gates.index")
        else None
    )
    plan = (
        url_for("plan.table", program_id=program.id, _external=True) if _has("plan.table") else None
    )
    items = {item.key: plan for item in program.work_items if plan} if plan else {}
    phase_urls = {phase.key: gates for phase in program.phases} if gates else {}
    return items, phase_urls


def _has(endpoint: str) -> bool:
    from flask import current_app

    return endpoint in current_app.view_functions


@bp.get("/feeds/<token>/programs/<int:program_id>.ics")
def feed(token: str, program_id: int):
    try:
        data = feed_service.program_feed(token, program_id, _feed_texts, urls=_feed_urls)
    except NotFoundError:
        abort(404)
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'inline; filename="program-{program_id}.ics"',
            "Cache-Control": "private, max-age=300",
        },
    )


@bp.route("/account/feed", methods=["GET", "POST"])
def account_feed():
    form = FeedTokenForm()
    token: str | None = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        elif form.revoke.data:
            feed_service.revoke_token(current_user)
            db.session.commit()
            flash(_("Your calendar feed is off: every feed link you had stops working."), "success")
            return redirect(url_for("exchange.account_feed"))
        else:
            token = feed_service.rotate_token(current_user)
            db.session.commit()
    row = feed_service.feed_token_of(current_user)
    programs = feed_service.subscribable_programs(current_user)
    links = []
    if token is not None:
        links = [
            (
                program,
                url_for("exchange.feed", token=token, program_id=program.id, _external=True),
            )
            for program in programs
        ]
    response = Response(
        render_template(
            "exchange/account_feed.html",
            form=form,
            row=row,
            token=token,
            programs=programs,
            links=links,
        ),
        status=status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
