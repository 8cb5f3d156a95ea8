"""Forms of the plan area: work items, progress, moves, dependencies, baselines, calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from planner.domain.limits import MAX_TASK_DAYS
from planner.forms.choices import choices

KIND_CHOICES = choices([("task", _l("Task")), ("milestone", _l("Milestone"))])
CONSTRAINT_CHOICES = choices(
    [
        ("", _l("None")),
        ("SNET", _l("Start no earlier than")),
        ("FNLT", _l("Finish no later than")),
    ]
)
TYPE_CHOICES = choices(
    [
        ("FS", _l("FS — finish to start")),
        ("SS", _l("SS — start to start")),
        ("FF", _l("FF — finish to finish")),
        ("SF", _l("SF — start to finish")),
    ]
)
LAG_LIMIT = 2000


class ItemDetailsForm(FlaskForm):
    """What a work item is: name, kind, duration, owner, constraint."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, default="task")
    duration_days = IntegerField(
        _l("Duration (working days)"),
        validators=[Optional(), NumberRange(min=0, max=MAX_TASK_DAYS)],
        description=_l("Milestones have no duration."),
    )
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    constraint_type = SelectField(_l("Constraint"), choices=CONSTRAINT_CHOICES, default="")
    constraint_date = DateField(_l("Constraint date"), validators=[Optional()])
    deliverable = TextAreaField(_l("Deliverable"), validators=[Optional(), Length(max=5000)])
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class NewItemForm(ItemDetailsForm):
    key = StringField(
        _l("Key"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "Made from the name (change it if you like); left empty, one is made when saving."
        ),
    )
    phase = SelectField(_l("Phase"), coerce=int, validators=[InputRequired()])
    workstream = StringField(_l("Workstream"), validators=[Optional(), Length(max=64)])
    predecessor = StringField(
        _l("After (optional)"),
        validators=[Optional(), Length(max=64)],
        description=_l("Key of an item this one follows (finish to start)."),
    )
    submit = SubmitField(_l("Add work item"))


class ProgressForm(FlaskForm):
    percent_complete = IntegerField(
        _l("Percent complete"), validators=[InputRequired(), NumberRange(min=0, max=100)]
    )
    actual_start = DateField(_l("Actual start"), validators=[Optional()])
    actual_finish = DateField(
        _l("Actual finish"),
        validators=[Optional()],
        description=_l("Giving the actual finish marks the item done (100 %)."),
    )
    version = HiddenField()
    submit = SubmitField(_l("Save progress"))


class MoveForm(FlaskForm):
    phase = SelectField(_l("Phase"), coerce=int, validators=[InputRequired()])
    workstream = StringField(_l("Workstream"), validators=[Optional(), Length(max=64)])
    version = HiddenField()
    submit = SubmitField(_l("Move"))


class DependencyForm(FlaskForm):
    predecessor = StringField(
        _l("Predecessor"), validators=[DataRequired(), Length(max=64)], description=_l("Item key")
    )
    successor = StringField(
        _l("Successor"), validators=[DataRequired(), Length(max=64)], description=_l("Item key")
    )
    type = SelectField(_l("Type"), choices=TYPE_CHOICES, default="FS")
    lag = IntegerField(
        _l("Lag (working days)"),
        default=0,
        validators=[
            InputRequired(),
            NumberRange(
                min=-LAG_LIMIT,
                max=LAG_LIMIT,
                message=_l(
                    "The lag must be between -2000 and 2000 working days (negative = lead)."
                ),
            ),
        ],
        description=_l("Negative for a lead."),
    )
    submit = SubmitField(_l("Add dependency"))


class DeleteForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField(_l("Delete"))


class BaselineForm(FlaskForm):
    name = StringField(_l("Baseline name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Take baseline"))


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    working = SelectField(
        _l("Kind"),
        choices=choices([("0", _l("Holiday (no work)")), ("1", _l("Extra working day"))]),
        default="0",
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add day"))


class StatusDateForm(FlaskForm):
    status_date = DateField(
        _l("Status date"),
        validators=[Optional()],
        description=_l("Leave empty to follow today."),
    )
    version = HiddenField()
    submit = SubmitField(_l("Set status date"))
