"""The playbook library: browse, preview, upload, versions and diff; upgrade and lessons.

Permissions (see planner.web.policy): the library pages need a signed-in user; uploading
needs a site administrator or a consultant; a program's upgrade is the lead's (``manage``);
its lessons page is readable by the program's members (``read``), and saving the new version
to the library again needs an administrator or a consultant (checked here as well).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from planner.domain.days import DayOutOfRange, NotADay, parse_day
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.playbook import Playbook, PlaybookError
from planner.explain_text import render, renderer
from planner.extensions import db
from planner.forms.library import LessonsForm, UploadForm, lessons_form, upgrade_form
from planner.i18n import content_lang
from planner.models.program import Program
from planner.playbook_text import issue_text
from planner.services import library as service
from planner.services import users as user_service
from planner.services.concurrency import StaleEditError
from planner.services.library.preview_gantt import preview_chart
from planner.services.playbooks import ORIGINS, find_installed
from planner.services.programs import get_program
from planner.web.days import out_of_range_message

bp = Blueprint("library", __name__)

# playbook problems are worded in the reader's language wherever a page shows them
bp.add_app_template_filter(issue_text, "playbook_issue")

SECTION_LABELS = {
    "playbook": _l("Playbook"),
    "phase": _l("Phases"),
    "task": _l("Tasks"),
    "milestone": _l("Milestones"),
    "dependency": _l("Dependencies"),
    "gate": _l("Gate criteria"),
    "risk": _l("Risks"),
    "metric": _l("Metrics"),
    "indicator": _l("Maturity indicators"),
}
# one thing of a section, as the upgrade lists them
SECTION_NOUNS = {
    "task": _l("Task"),
    "milestone": _l("Milestone"),
    "dependency": _l("Dependency"),
    "risk": _l("Risk"),
    "metric": _l("Metric"),
    "gate": _l("Gate criterion"),
}
KIND_LABELS = {"added": _l("added"), "removed": _l("removed"), "changed": _l("changed")}
OP_LABELS = {
    "add": _l("Add"),
    "update": _l("Update"),
    "remove": _l("Remove"),
    "keep": _l("Keep"),
    "skip": _l("Skip"),
}
ORIGIN_LABELS = {
    "shipped": _l("Shipped"),
    "directory": _l("Playbook folder"),
    "upload": _l("Uploaded"),
}
FIELD_LABELS = {
    "kind": _l("kind"),
    "phase_key": _l("phase"),
    "name": _l("name"),
    "name_zh": _l("name (Chinese)"),
    "duration": _l("duration (working days)"),
    "workstream": _l("workstream"),
    "owner_role": _l("owner role"),
    "type": _l("type"),
    "lag": _l("lag (working days)"),
    "title": _l("title"),
    "title_zh": _l("title (Chinese)"),
    "likelihood": _l("likelihood"),
    "impact": _l("impact"),
    "response": _l("response"),
    "mitigation": _l("mitigation"),
    "mitigation_zh": _l("mitigation (Chinese)"),
    "targets": _l("targets by phase"),
    "reference": _l("checks"),
    "text": _l("text"),
    "text_zh": _l("text (Chinese)"),
    "source": _l("judged by"),
}
LESSON_LABELS = {
    "add_task": _l("Add a task"),
    "lengthen_task": _l("Lengthen a task"),
    "raise_risk": _l("Raise a risk's likelihood"),
    "add_risk": _l("Add a risk"),
    "adjust_target": _l("Adjust a metric target"),
}
VALUE_LABELS = {
    "duration": _l("Duration (working days)"),
    "likelihood": _l("Likelihood (1–5)"),
    "target": _l("Target"),
}


def show_value(value: Any) -> str:
    """An upgrade value for a person: targets as "P1: 70 · P2: 80", nothing as "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return " · ".join(f"P{k}: {v:g}" for k, v in sorted(value.items())) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def added_label(action: Any, lang: str) -> str:
    """What an "add" brings, in the chosen language: a name, title, link type or criterion."""
    fields = action.fields
    for name in ("name", "title", "text"):
        en = (fields.get(name) or (None, None))[1]
        zh = (fields.get(f"{name}_zh") or (None, None))[1]
        if en or zh:
            return str((zh or en) if lang == "zh" else (en or zh))
    for name in ("type", "reference", "targets"):
        value = (fields.get(name) or (None, None))[1]
        if value:
            return show_value(value)
    return ""


@bp.context_processor
def _helpers() -> dict[str, Any]:
    lang = content_lang()
    return {
        "lang": lang,
        "pbtext": lambda text: service.text_of(text, lang),
        "section_labels": SECTION_LABELS,
        "section_nouns": SECTION_NOUNS,
        "kind_labels": KIND_LABELS,
        "op_labels": OP_LABELS,
        "origin_labels": ORIGIN_LABELS,
        "field_labels": FIELD_LABELS,
        "show_value": show_value,
        "added_label": lambda action: added_label(action, lang),
        "may_upload": may_upload(),
    }


def may_upload() -> bool:
    """Site administrators and consultants may install playbooks."""
    user = current_user
    return bool(user and user.is_authenticated and (user.is_admin or user.is_consultant))


def _require_uploader() -> None:
    if not may_upload():
        abort(403)


def _actor() -> str:
    return str(current_user.email)


# --------------------------------------------------------------------------- library


@bp.get("/playbooks")
def index():
    filters = service.LibraryFilters.from_args(request.args)
    found = service.library(filters, content_lang())
    return render_template("library/index.html", library=found, filters=filters, origins=ORIGINS)


@bp.route("/playbooks/upload", methods=["GET", "POST"])
def upload():
    _require_uploader()
    limit = service.MAX_UPLOAD_BYTES
    # refuse an oversized body before reading it (the form fields need a little room)
    if request.method == "POST" and (request.content_length or 0) > limit + 64 * 1024:
        return _upload_page(UploadForm(formdata=None), too_large=True), 413
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form), 200 if request.method == "GET" else 422
    file = form.file.data
    data = file.read(limit + 1)
    try:
        result = service.upload_playbook(data, file.filename or "playbook.yaml", _actor())
    except service.UploadTooLarge:
        db.session.rollback()
        return _upload_page(form, too_large=True), 413
    except PlaybookError as exc:
        db.session.rollback()
        return _upload_page(form, issues=exc.issues), 422
    except service.UploadRefused as exc:
        db.session.rollback()
        return _upload_page(form, refused=str(exc)), 409
    db.session.commit()
    pb = result.playbook
    if result.already_installed:
        flash(_("%(ref)s is already installed with exactly this content.", ref=_ref(pb)), "info")
    else:
        flash(_("%(ref)s installed.", ref=_ref(pb)), "success")
    return redirect(url_for("library.preview", playbook_id=pb.id, version=pb.version), 303)


def _ref(pb: Any) -> str:
    return f"{pb.id}@{pb.version}"


def _upload_page(
    form: UploadForm,
    *,
    issues: list[Any] | None = None,
    refused: str | None = None,
    too_large: bool = False,
) -> str:
    return render_template(
        "library/upload.html",
        form=form,
        issues=issues or [],
        refused=refused,
        too_large=too_large,
        limit_kb=service.MAX_UPLOAD_BYTES // 1024,
    )


@bp.get("/playbooks/<playbook_id>")
def versions(playbook_id: str):
    lang = content_lang()
    entries = service.versions_of(playbook_id, lang)
    readable = [p.id for p in user_service.programs_for(current_user)]
    programs = service.programs_on(playbook_id, readable)
    steps = []
    for newer, older in zip(entries, entries[1:], strict=False):
        diff = service.compare(playbook_id, older.version, newer.version)
        steps.append((older, newer, len(diff.changes)))
    return render_template(
        "library/versions.html",
        entries=entries,
        latest=entries[0],
        steps=steps,
        programs=programs,
        newest_version=entries[0].version,
    )


@bp.get("/playbooks/<playbook_id>/diff")
def diff(playbook_id: str):
    lang = content_lang()
    entries = service.versions_of(playbook_id, lang)
    versions_list = [e.version for e in entries]
    default_to = versions_list[0]
    default_from = versions_list[1] if len(versions_list) > 1 else versions_list[0]
    old = request.args.get("from") or default_from
    new = request.args.get("to") or default_to
    for wanted in (old, new):
        if wanted not in versions_list:
            raise NotFoundError(problems=[Problem("", "row.not_found")])
    result = service.compare(playbook_id, old, new)
    return render_template(
        "library/diff.html",
        playbook_id=playbook_id,
        title=entries[0].title,
        diff=result,
        sections=service.diff_sections(result),
        explain=renderer(),
        summary=result.summary(),
        versions=versions_list,
        old=old,
        new=new,
    )


@bp.get("/playbooks/<playbook_id>/<version>")
def preview(playbook_id: str, version: str):
    lang = content_lang()
    item = service.entry(playbook_id, version, lang)
    start, start_error = _preview_start(request.args.get("start", "").strip())
    result = service.preview(item.playbook, start, lang)
    return render_template(
        "library/preview.html",
        item=item,
        pb=item.playbook,
        result=result,
        chart=preview_chart(result, lang),
        start=start,
        start_error=start_error,
        explain=renderer(),
    ), (422 if start_error else 200)


def _preview_start(raw: str) -> tuple[date, str | None]:
    """The preview's start: the day asked for, else next Monday (with why, for a bad day)."""
    start = service.next_monday(date.today())
    if not raw:
        return start, None
    try:
        return parse_day(raw), None
    except DayOutOfRange:
        return start, out_of_range_message(raw)
    except NotADay:
        return start, _("“%(value)s” is not a date (YYYY-MM-DD).", value=raw[:40])


@bp.get("/playbooks/<playbook_id>/<version>/yaml")
def source(playbook_id: str, version: str):
    item = find_installed(playbook_id, version)
    text = service.source_text(item)
    filename = f"{playbook_id}-{version}.yaml"
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --------------------------------------------------------------------------- upgrade


@bp.route("/programs/<int:program_id>/playbook/upgrade", methods=["GET", "POST"])
def upgrade(program_id: int):
    program = get_program(program_id)
    if not service.newer_versions(program):
        return render_template(
            "library/upgrade.html",
            program=program,
            context=None,
            history=service.upgrade_history(program),
        )
    to_version = (request.form.get("to") if request.method == "POST" else None) or request.args.get(
        "to"
    )
    context = service.upgrade_context(program, to_version)
    tokens = [service.conflict_token(c) for c in context.plan.conflicts]
    form = upgrade_form(context.plan.conflicts, tokens)()
    if request.method == "GET":
        form.to.data = context.new.version
        form.version.data = str(program.version)
        return _upgrade_page(context, form, tokens)
    if not form.validate_on_submit():
        return _upgrade_page(context, form, tokens), 422
    return _apply_upgrade(program, context, form, tokens)


def _apply_upgrade(program: Program, context: service.UpgradeContext, form: Any, tokens: list[str]):
    """Upgrade the program with the lead's decision on each conflict (committed), or show
    the page again with why not."""
    decisions = {c.id: form[t].data for c, t in zip(context.plan.conflicts, tokens, strict=True)}
    try:
        record = service.apply_upgrade(
            program,
            context.new.version,
            decisions,
            version=form.version.data,
            actor=_actor(),
        )
    except StaleEditError as exc:
        db.session.rollback()
        return _upgrade_page(context, form, tokens, stale=str(exc)), 409
    except ValidationError as exc:
        db.session.rollback()
        return _upgrade_page(context, form, tokens, errors=exc.errors or [("", str(exc))]), 422
    db.session.commit()
    flash(
        _(
            "The program now follows %(ref)s: %(summary)s.",
            ref=f"{record.playbook_id}@{record.to_version}",
            summary=record.summary,
        ),
        "success",
    )
    return redirect(url_for("library.upgrade", program_id=program.id), 303)


def _upgrade_page(
    context: service.UpgradeContext,
    form: Any,
    tokens: list[str],
    *,
    stale: str | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> str:
    plan = context.plan
    auto = [a for a in plan.actions if a.op in ("add", "update", "remove")]
    unchanged = [a for a in plan.actions if a.op in ("keep", "skip")]
    return render_template(
        "library/upgrade.html",
        program=context.program,
        context=context,
        plan=plan,
        counts=plan.counts(),
        auto=auto,
        unchanged=unchanged,
        conflicts=list(zip(plan.conflicts, tokens, strict=True)),
        form=form,
        stale=stale,
        errors=errors or [],
        history=context.history,
    )


# --------------------------------------------------------------------------- lessons


@bp.route("/programs/<int:program_id>/playbook/lessons", methods=["GET", "POST"])
def lessons(program_id: int):
    program = get_program(program_id)
    context = service.lessons_context(program, date.today())
    tokens = [service.lesson_token(lesson) for lesson in context.lessons]
    form = lessons_form(context.lessons, tokens)()
    if request.method == "GET":
        _fill_lessons_form(form, context, tokens)
        return _lessons_page(context, form, tokens)
    saving = bool(form.save.data)
    if saving:
        _require_uploader()
    if not form.validate_on_submit():
        return _lessons_page(context, form, tokens), 422
    chosen = {t: bool(form[f"use_{t}"].data) for t in tokens}
    values = {t: form[f"value_{t}"].data or "" for t in tokens}
    try:
        picked = service.chosen_lessons(context.lessons, chosen, values)
        new, text = service.lessons_playbook(context, picked, form.new_version.data)
    except ValidationError as exc:
        loose = _place_lesson_errors(form, tokens, exc)
        return _lessons_page(context, form, tokens, errors=loose, summary=_not_written(loose)), 422
    filename = f"{new.id}-{new.version}.yaml"
    if not saving:
        return Response(
            text,
            mimetype="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return _save_lessons(context, form, tokens, new, text, len(picked))


def _not_written(loose: list[tuple[str, str]]) -> str | None:
    """The heading of the problems no field shows (a refusal's own words follow it)."""
    return _("The new version was not written:") if loose else None


def _fill_lessons_form(form: LessonsForm, context: service.LessonsContext, tokens: list[str]):
    """The suggested version and each lesson's value as the form first shows them."""
    form.new_version.data = context.suggested_version
    for lesson, token in zip(context.lessons, tokens, strict=True):
        value = service.editable_value(lesson)
        form[f"value_{token}"].data = show_value(value) if value is not None else ""


def _place_lesson_errors(
    form: LessonsForm, tokens: list[str], exc: ValidationError
) -> list[tuple[str, str]]:
    """A refusal's problems on the lessons' value fields and the version; the rest returned."""
    loose = []
    for path, message in exc.errors:
        if path in tokens:
            form[f"value_{path}"].errors = [message]
        elif path == "version":
            form.new_version.errors = [message]
        else:
            loose.append((path, message))
    return loose


def _save_lessons(
    context: service.LessonsContext,
    form: LessonsForm,
    tokens: list[str],
    new: Playbook,
    text: str,
    picked: int,
):
    """Upload the playbook with the lessons to the library (committed), then show it."""
    filename = f"{new.id}-{new.version}.yaml"
    try:
        result = service.upload_playbook(text.encode("utf-8"), filename, _actor())
    except (service.UploadRefused, PlaybookError, service.UploadTooLarge) as exc:
        db.session.rollback()
        return _lessons_page(context, form, tokens, errors=[("", str(exc))]), 409
    db.session.commit()
    flash(
        _(
            "%(ref)s saved to the library with %(n)d lesson(s) from this program.",
            ref=_ref(new),
            n=picked,
        ),
        "success",
    )
    if result.already_installed:
        flash(_("It was already installed with exactly this content."), "info")
    return redirect(url_for("library.preview", playbook_id=new.id, version=new.version), 303)


def _lessons_page(
    context: service.LessonsContext,
    form: LessonsForm,
    tokens: list[str],
    *,
    errors: list[tuple[str, str]] | None = None,
    summary: str | None = None,
) -> str:
    rows = [
        {
            "lesson": lesson,
            "token": token,
            "label": LESSON_LABELS[lesson.kind],
            "value_label": VALUE_LABELS[service.EDITABLE[lesson.kind][0]],
            "text": render(lesson.reason),
        }
        for lesson, token in zip(context.lessons, tokens, strict=True)
    ]
    return render_template(
        "library/lessons.html",
        program=context.program,
        context=context,
        form=form,
        rows=rows,
        errors=errors or [],
        summary=summary,
    )
