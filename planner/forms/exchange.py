"""Forms of the Exchange page: plan files in, a playbook out, the calendar-feed token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from planner.forms.choices import choices  # noqa: F401  (also used by the views)

FILE_HELP = _l("MS Project XML (.xml, also from ProjectLibre), .csv or .xlsx; at most 10 MB.")


class ImportIntoPhaseForm(FlaskForm):
    file = FileField(_l("Plan file"), validators=[FileRequired()], description=FILE_HELP)
    phase = SelectField(_l("Add its work items to the phase"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Import into the phase"))


class UpdatePlanForm(FlaskForm):
    file = FileField(
        _l("Edited plan file"),
        validators=[FileRequired()],
        description=_l("A .csv or .xlsx downloaded from this page, edited; at most 10 MB."),
    )
    submit = SubmitField(_l("Preview the changes"))


class ApplyUpdateForm(FlaskForm):
    """The confirmation of a previewed update: the stashed file and what the preview showed."""

    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    filename = HiddenField(validators=[Optional(), Length(max=255)])
    fingerprint = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Apply these changes"))


class ImportProgramForm(FlaskForm):
    file = FileField(_l("Plan file"), validators=[FileRequired()], description=FILE_HELP)
    name = StringField(
        _l("Program name"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to use the name in the file."),
    )
    client = StringField(_l("Client"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(
        _l("Start date"),
        validators=[Optional()],
        description=_l(
            "Only for a .csv or .xlsx without dates; an MS Project file has its own start."
        ),
    )
    playbook = SelectField(
        _l("Risks, metrics and gates from a playbook"),
        choices=[],
        validate_choice=False,
        description=_l(
            "Optional: the playbook's risk register, metrics and the gate criteria of the "
            "phases the file also has (by key); the plan itself always comes from the file."
        ),
    )
    submit = SubmitField(_l("Create the program"))


class SavePlaybookForm(FlaskForm):
    """Sent with GET (it changes nothing): no CSRF token."""

    class Meta:
        csrf = False

    playbook_id = StringField(
        _l("Playbook id"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("Lower-case letters, digits, - and _, e.g. crm-mid-size-manufacturing."),
    )
    version = StringField(_l("Version"), validators=[DataRequired(), Length(max=32)])
    title = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=300)])
    title_zh = StringField(_l("Title (Chinese)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Download the playbook (.yaml)"))


class FeedTokenForm(FlaskForm):
    rotate = SubmitField(_l("Create a new feed link"))
    revoke = SubmitField(_l("Turn my feed off"))
