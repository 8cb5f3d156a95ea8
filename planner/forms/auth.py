"""Sign-in, password, members, share links and user administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from planner.forms.choices import choices

ROLE_CHOICES = choices(
    [
        ("lead", _l("Lead")),
        ("member", _l("Member")),
        ("steering", _l("Steering committee")),
        ("viewer", _l("Viewer")),
    ]
)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change password"))


class MemberForm(FlaskForm):
    # suggestions come from the people the lead already works with (members/index.html)
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False)],
        render_kw={"list": "addable-people", "autocomplete": "off"},
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Add or update member"))


class ShareLinkForm(FlaskForm):
    label = StringField(_l("Label (who it is for)"), validators=[Optional(), Length(max=200)])
    days = IntegerField(
        _l("Valid for (days)"), default=14, validators=[InputRequired(), NumberRange(1, 365)]
    )
    submit = SubmitField(_l("Create share link"))


class NewUserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired()])
    is_admin = BooleanField(_l("Administrator"))
    is_consultant = BooleanField(_l("Consultant (may upload playbooks)"))
    submit = SubmitField(_l("Create user"))
