"""The create-from-playbook form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length


class NewProgramForm(FlaskForm):
    name = StringField(_l("Program name"), validators=[DataRequired(), Length(max=200)])
    client = StringField(_l("Client"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    playbook = SelectField(_l("Playbook"), validators=[DataRequired()])
    submit = SubmitField(_l("Create program"))
