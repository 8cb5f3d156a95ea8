"""Forms of the playbook library: upload, the upgrade's decisions, the lessons to carry back."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from planner.domain.playbook_lessons import Lesson
from planner.domain.playbook_upgrade import Conflict
from planner.forms.metrics import choices

DECISION_CHOICES = choices(
    [
        ("take_new", _l("Take the new playbook's version")),
        ("keep_program", _l("Keep the program's version")),
    ]
)
#: for an addition to a closed phase (rule 8 of ``playbook_upgrade``): skip it, or add it to
#: the current phase
CLOSED_PHASE_CHOICES = choices(
    [
        ("keep_program", _l("Skip it: the phase stays closed")),
        ("take_new", _l("Add it to the current phase")),
    ]
)


class UploadForm(FlaskForm):
    file = FileField(
        _l("Playbook file (YAML, at most 1 MB)"),
        validators=[FileRequired(_l("Choose a playbook file to upload."))],
        render_kw={"accept": ".yaml,.yml,application/yaml,text/yaml"},
    )
    submit = SubmitField(_l("Validate and install"))


class UpgradeForm(FlaskForm):
    """The target version, the program's version (stale check), one choice per conflict."""

    to = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Apply the upgrade"))


def upgrade_form(conflicts: Sequence[Conflict], tokens: Sequence[str]) -> type[UpgradeForm]:
    """An :class:`UpgradeForm` with a radio field named by each conflict's token."""
    fields = {
        token: RadioField(
            conflict.id,
            choices=CLOSED_PHASE_CHOICES if conflict.code == "phase_closed" else DECISION_CHOICES,
            validators=[DataRequired(_l("Decide this conflict."))],
        )
        for conflict, token in zip(conflicts, tokens, strict=True)
    }
    return type("DecisionsForm", (UpgradeForm,), fields)


class LessonsForm(FlaskForm):
    new_version = StringField(
        _l("New version number"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^\d+(\.\d+){0,2}$", message=_l("Numbers separated by dots, e.g. 1.2.")),
        ],
    )
    download = SubmitField(_l("Download as YAML"))
    save = SubmitField(_l("Save to the library"))


def lessons_form(lessons: Sequence[Lesson], tokens: Sequence[str]) -> type[LessonsForm]:
    """A :class:`LessonsForm` with a checkbox and an editable value per lesson."""
    fields: dict[str, object] = {}
    for lesson, token in zip(lessons, tokens, strict=True):
        fields[f"use_{token}"] = BooleanField(lesson.id, default=True)
        fields[f"value_{token}"] = StringField(_l("Value"), validators=[Optional(), Length(max=32)])
    return type("ChosenLessonsForm", (LessonsForm,), fields)
