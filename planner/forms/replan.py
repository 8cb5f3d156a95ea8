"""Forms of replanning (start date, diagnosis length), holiday sets and scenarios."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from planner.domain.limits import MAX_TASK_DAYS
from planner.domain.replan import MAX_DIAGNOSIS_WEEKS, MIN_DIAGNOSIS_WEEKS
from planner.forms.choices import choices

HOLIDAY_SET_CHOICES = choices(
    [("", _l("None")), ("cn-mainland", _l("Mainland China (holidays and make-up working days)"))]
)


class ReplanForm(FlaskForm):
    start_date = DateField(_l("Program start"), validators=[InputRequired()])
    diagnosis_weeks = IntegerField(
        _l("Diagnosis length (weeks)"),
        validators=[Optional(), NumberRange(MIN_DIAGNOSIS_WEEKS, MAX_DIAGNOSIS_WEEKS)],
        description=_l("Whole weeks, 1 to 8; the phases after it move by the difference."),
    )
    version = HiddenField()
    submit = SubmitField(_l("Replan"))


class HolidaySetForm(FlaskForm):
    holiday_set = SelectField(_l("Holiday set"), choices=HOLIDAY_SET_CHOICES, default="")
    submit = SubmitField(_l("Apply holiday set"))


class NewScenarioForm(FlaskForm):
    name = StringField(_l("Scenario name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Copy the live plan into a scenario"))


class ScenarioItemForm(FlaskForm):
    key = HiddenField(validators=[DataRequired()])
    duration_days = IntegerField(
        _l("Duration (working days)"), validators=[InputRequired(), NumberRange(0, MAX_TASK_DAYS)]
    )
    constraint_type = SelectField(
        _l("Constraint"),
        choices=choices(
            [
                ("", _l("None")),
                ("SNET", _l("Start no earlier than")),
                ("FNLT", _l("Finish no later than")),
            ]
        ),
        default="",
    )
    constraint_date = DateField(_l("Constraint date"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Save in scenario"))


class ScenarioLinkForm(FlaskForm):
    predecessor = StringField(_l("Predecessor key"), validators=[DataRequired(), Length(max=64)])
    successor = StringField(_l("Successor key"), validators=[DataRequired(), Length(max=64)])
    type = SelectField(
        _l("Type"),
        choices=choices([("FS", "FS"), ("SS", "SS"), ("FF", "FF"), ("SF", "SF")]),
        default="FS",
    )
    lag_days = IntegerField(_l("Lag (working days)"), default=0, validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Add dependency"))


class ScenarioActionForm(FlaskForm):
    """Apply, discard, or remove a link: the version of the scenario the page showed."""

    version = HiddenField()
