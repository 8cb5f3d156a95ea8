"""The create-from-playbook form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from planner.domain.replan import MAX_DIAGNOSIS_WEEKS, MIN_DIAGNOSIS_WEEKS
from planner.forms.replan import HOLIDAY_SET_CHOICES


class NewProgramForm(FlaskForm):
    name = StringField(_l("Program name"), validators=[DataRequired(), Length(max=200)])
    client = StringField(_l("Client"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    playbook = SelectField(_l("Playbook"), validators=[DataRequired()])
    diagnosis_weeks = IntegerField(
        _l("Diagnosis length (weeks)"),
        validators=[Optional(), NumberRange(MIN_DIAGNOSIS_WEEKS, MAX_DIAGNOSIS_WEEKS)],
        description=_l("Whole weeks, 1 to 8; empty: as long as the playbook says."),
    )
    holiday_set = SelectField(_l("Holiday set"), choices=HOLIDAY_SET_CHOICES, default="")
    submit = SubmitField(_l("Create program"))
