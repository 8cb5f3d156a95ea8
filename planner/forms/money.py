"""Forms of people, workload and money: numbers are read as text and checked by the
services (one numeric rule, problems named by field, for forms, imports and the API)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = StringField(_l("Role"), validators=[Optional(), Length(max=120)])
    team = StringField(_l("Team or department"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    capacity_hours = StringField(_l("Weekly capacity (hours)"), default="40")
    capacity_percent = StringField(_l("or capacity as a percentage of a 40-hour week"))
    hourly_rate = StringField(_l("Hourly rate (empty: the role's rate)"))
    currency = StringField(_l("Currency"), validators=[Optional(), Length(max=3)])
    version = HiddenField()
    submit = SubmitField(_l("Save person"))


class DayOffForm(FlaskForm):
    first_day = StringField(_l("First day off"), render_kw={"type": "date"})
    last_day = StringField(_l("Last day off"), render_kw={"type": "date"})
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add days off"))


class MergeForm(FlaskForm):
    into = SelectField(_l("Who takes this role"), coerce=int)
    submit = SubmitField(_l("Name the role"))


class AssignmentForm(FlaskForm):
    person = SelectField(_l("Person"))
    item = SelectField(_l("Work item"))
    planned_hours = StringField(_l("Planned effort (hours)"))
    submit = SubmitField(_l("Assign"))


class EffortForm(FlaskForm):
    person = SelectField(_l("Person"))
    item = SelectField(_l("Work item"))
    week = StringField(_l("Week (any day of it)"), render_kw={"type": "date"})
    hours = StringField(_l("Hours worked"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Log effort"))


class TimesheetForm(FlaskForm):
    file = FileField(_l("Timesheet (CSV or .xlsx)"), validators=[FileRequired()])
    submit = SubmitField(_l("Import timesheet"))


class CostForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=[("planned", _l("Fixed cost (planned)")), ("invoice", _l("Invoice"))]
    )
    category = SelectField(
        _l("Category"),
        choices=[
            ("licence", _l("Licences")),
            ("hardware", _l("Hardware")),
            ("services", _l("Services")),
            ("training", _l("Training")),
            ("other", _l("Other")),
        ],
    )
    phase = SelectField(_l("Phase"))
    item = SelectField(_l("Work item (optional)"))
    amount = StringField(_l("Amount"))
    currency = StringField(_l("Currency"), validators=[Optional(), Length(max=3)])
    day = StringField(_l("Date"), render_kw={"type": "date"})
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add cost"))


class BudgetForm(FlaskForm):
    phase = SelectField(_l("Phase"))
    workstream = StringField(_l("or workstream"), validators=[Optional(), Length(max=64)])
    amount = StringField(_l("Budget"))
    submit = SubmitField(_l("Set budget"))


class RoleRateForm(FlaskForm):
    role = StringField(_l("Role"), validators=[DataRequired(), Length(max=120)])
    hourly_rate = StringField(_l("Hourly rate"))
    currency = StringField(_l("Currency"), validators=[Optional(), Length(max=3)])
    submit = SubmitField(_l("Set rate"))


class SettingsForm(FlaskForm):
    currency = StringField(_l("Program currency"), validators=[Length(max=3)])
    fx_rates = StringField(_l("Exchange rates (e.g. EUR=7.8, USD=7.1)"))
    discount_rate = StringField(_l("Discount rate (percent a year)"))
    horizon_months = StringField(_l("Horizon (months)"))
    version = HiddenField()
    submit = SubmitField(_l("Save settings"))


class BenefitForm(FlaskForm):
    key = SelectField(_l("Benefit"))
    metric = SelectField(_l("Measured by the metric"))
    baseline = StringField(_l("Baseline"))
    target = StringField(_l("Target"))
    annual_value = StringField(_l("Value a year at target"))
    go_live_phase = SelectField(_l("Realised after the go-live of"))
    ramp_months = StringField(_l("Months to full realisation"), default="12")
    submit = SubmitField(_l("Add benefit"))


class BenefitReadingForm(FlaskForm):
    day = StringField(_l("Date"), render_kw={"type": "date"})
    value = StringField(_l("Value"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Add reading"))


class LevelingForm(FlaskForm):
    submit = SubmitField(_l("Preview as a scenario"))
