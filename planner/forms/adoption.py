"""Forms of the adoption area: teams, regions and modules, the user → team lookup, the
usage-log mapping and upload, training sessions, cell readings and targets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class ValueForm(FlaskForm):
    value_id = HiddenField()
    version = HiddenField()
    kind = HiddenField(default="team")
    key = StringField(_l("Key"), validators=[DataRequired(), Length(max=64)])
    label = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    label_zh = StringField(_l("Name (Chinese)"), validators=[Optional(), Length(max=200)])
    users = IntegerField(
        _l("CRM users (empty: count the mapped users)"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
    )


class LookupForm(FlaskForm):
    lines = TextAreaField(
        _l("Users and their teams, one a line: user, team, region"),
        validators=[Length(max=2_000_000)],
        render_kw={"rows": 10, "spellcheck": "false"},
    )


class MappingForm(FlaskForm):
    version = HiddenField()
    preset = SelectField(_l("Preset"), choices=[])
    user_column = StringField(_l("User column"), validators=[DataRequired(), Length(max=120)])
    date_column = StringField(_l("Date column"), validators=[DataRequired(), Length(max=120)])
    object_column = StringField(
        _l("Object or module column"), validators=[Optional(), Length(max=120)]
    )
    action_column = StringField(_l("Action column"), validators=[Optional(), Length(max=120)])
    date_order = SelectField(
        _l("Date order"),
        choices=[
            ("ymd", _l("year-month-day")),
            ("mdy", _l("month/day/year")),
            ("dmy", _l("day.month.year")),
        ],
    )
    login_actions = StringField(
        _l("Actions that are logins (comma-separated)"), validators=[Length(max=300)]
    )
    file = FileField(_l("Usage file (CSV or .xlsx)"))


class TrainingForm(FlaskForm):
    team = SelectField(_l("Team"), choices=[])
    module = SelectField(_l("Module"), choices=[])
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    title = StringField(_l("Session"), validators=[Optional(), Length(max=200)])
    trainer = StringField(_l("Trainer"), validators=[Optional(), Length(max=120)])
    invited = IntegerField(_l("Invited"), validators=[InputRequired(), NumberRange(0, 100_000)])
    attended = IntegerField(_l("Attended"), validators=[InputRequired(), NumberRange(0, 100_000)])


class AttendanceForm(FlaskForm):
    lines = TextAreaField(
        _l("Sessions, one a line: team, module, date, invited, attended, title, trainer"),
        validators=[Length(max=200_000)],
        render_kw={"rows": 5, "spellcheck": "false"},
    )


class CellReadingForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    team = SelectField(_l("Team"), choices=[])
    region = SelectField(_l("Region"), choices=[])
    module = SelectField(_l("Module"), choices=[])
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=40)])
    users = IntegerField(_l("Users"), validators=[InputRequired(), NumberRange(0, 1_000_000)])


class CellTargetForm(FlaskForm):
    team = SelectField(_l("Team"), choices=[])
    region = SelectField(_l("Region"), choices=[])
    module = SelectField(_l("Module"), choices=[])
    phase = SelectField(_l("Phase"), choices=[], coerce=int)
    target = FloatField(_l("Target (empty: inherit)"), validators=[Optional()])
