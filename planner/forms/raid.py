"""Forms of the RAID log: issues, actions, decisions, change requests, import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from planner.domain.limits import MAX_TASK_DAYS
from planner.forms.choices import choices

SEVERITY_CHOICES = choices(
    [
        ("low", _l("Low")),
        ("medium", _l("Medium")),
        ("high", _l("High")),
        ("critical", _l("Critical")),
    ]
)
CHANGE_KIND_CHOICES = choices(
    [
        ("add_work", _l("Add work to an item")),
        ("remove_work", _l("Remove work from an item")),
        ("resize_work", _l("Resize an item's work")),
        ("move_milestone", _l("Move a milestone")),
        ("phase_scope", _l("Change the scope of a phase")),
    ]
)
KEYS_HINT = _l("Keys separated by spaces, e.g. P2-03 P2-04")


class IssueForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    severity = SelectField(_l("Severity"), choices=SEVERITY_CHOICES, default="medium")
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    items = StringField(_l("Work items concerned"), description=KEYS_HINT)
    phases = StringField(_l("Phases concerned"), description=_l("Phase keys, e.g. phase-2"))
    risks = StringField(_l("Risks concerned"), description=_l("Risk keys, e.g. R-3"))
    version = HiddenField()
    submit = SubmitField(_l("Save issue"))


class IssueStatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    resolution = TextAreaField(_l("Resolution"), validators=[Optional()])
    version = HiddenField()


class ActionForm(FlaskForm):
    owner_kind = HiddenField(validators=[DataRequired()])
    parent = HiddenField(validators=[DataRequired()])
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    back = HiddenField()
    submit = SubmitField(_l("Add action"))


ACTION_STATUS_CHOICES = choices([("open", _l("Open")), ("done", _l("Done"))])


class ActionEditForm(FlaskForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    owner = StringField(
        _l("Owner"),
        validators=[Optional(), Length(max=120)],
        description=_l("A person of the directory; a new name is added to it"),
    )
    due_date = DateField(_l("Due date"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=ACTION_STATUS_CHOICES, default="open")
    version = HiddenField()
    back = HiddenField()
    submit = SubmitField(_l("Save action"))


class ActionDoneForm(FlaskForm):
    done = HiddenField()
    version = HiddenField()
    back = HiddenField()


class DecisionForm(FlaskForm):
    title = StringField(_l("What was decided"), validators=[DataRequired(), Length(max=300)])
    rationale = TextAreaField(_l("Why"), validators=[Optional()])
    options = TextAreaField(
        _l("Options considered"), validators=[Optional()], description=_l("One option a line")
    )
    decided_by = StringField(_l("Decided by"), validators=[Optional(), Length(max=200)])
    decided_on = DateField(_l("Decided on"), validators=[Optional()])
    issue = StringField(_l("Issue"), validators=[Optional()], description=_l("e.g. I-2"))
    gate = SelectField(_l("Gate"), choices=[], default="")
    review = SelectField(_l("Steering review"), choices=[], default="")
    submit = SubmitField(_l("Record decision"))


class ChangeForm(FlaskForm):
    title = StringField(_l("Requested change"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of change"), choices=CHANGE_KIND_CHOICES, default="add_work")
    work_item = SelectField(_l("Work item"), choices=[], default="")
    days = IntegerField(
        _l("Days"),
        validators=[Optional(), NumberRange(0, MAX_TASK_DAYS)],
        description=_l("Working days to add or remove, or the new length"),
    )
    new_date = DateField(_l("Milestone's new date"), validators=[Optional()])
    phase = SelectField(_l("Phase"), choices=[], default="")
    description = TextAreaField(_l("Description"), validators=[Optional()])
    requester = StringField(_l("Requester"), validators=[DataRequired(), Length(max=120)])
    justification = TextAreaField(_l("Justification"), validators=[Optional()])
    submit = SubmitField(_l("Request and analyse the impact"))


class DecideForm(FlaskForm):
    rationale = TextAreaField(_l("Why"), validators=[Optional()])
    options = TextAreaField(_l("Options considered"), validators=[Optional()])
    version = HiddenField()
    approve = SubmitField(_l("Approve and apply to the live plan"))
    reject = SubmitField(_l("Reject"))


class VersionForm(FlaskForm):
    version = HiddenField()
    note = TextAreaField(_l("What happened"), validators=[Optional()])


class RaidImportForm(FlaskForm):
    file = FileField(_l("RAID log file (.xlsx)"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))
