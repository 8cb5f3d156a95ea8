"""Forms of the schedule risk analysis: quick ranges, an item's range, a risk's delay."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from planner.forms.choices import choices

SHAPE_CHOICES = choices([("pert", _l("PERT (beta)")), ("triangular", _l("Triangular"))])
SCOPE_CHOICES = choices(
    [("program", _l("Whole program")), ("phase", _l("Phase")), ("workstream", _l("Workstream"))]
)


class RangeForm(FlaskForm):
    """A quick range: −10 %/+30 % around the most likely duration of a scope's items."""

    scope = SelectField(_l("Applies to"), choices=SCOPE_CHOICES, default="phase")
    scope_key = SelectField(_l("Phase or workstream"), validate_choice=False, default="")
    low_pct = DecimalField(
        _l("Low end (%)"),
        validators=[InputRequired(), NumberRange(-100, 0)],
        default=-10,
        description=_l("How much shorter the work may turn out: −10 means ten percent shorter."),
    )
    high_pct = DecimalField(
        _l("High end (%)"),
        validators=[InputRequired(), NumberRange(0, 500)],
        default=30,
        description=_l("How much longer it may take: 30 means thirty percent longer."),
    )
    shape = SelectField(_l("Distribution"), choices=SHAPE_CHOICES, default="pert")
    correlation = DecimalField(
        _l("Correlation (workstreams)"),
        validators=[Optional(), NumberRange(0, 1)],
        default=0,
        description=_l("0 = items vary independently, 1 = they all run long or short together."),
    )
    submit = SubmitField(_l("Save range"))


class ItemRangeForm(FlaskForm):
    """An item's own optimistic and pessimistic durations (working days)."""

    key = StringField(_l("Work item key"), validators=[DataRequired(), Length(max=64)])
    optimistic = IntegerField(_l("Optimistic (days)"), validators=[Optional(), NumberRange(0)])
    pessimistic = IntegerField(_l("Pessimistic (days)"), validators=[Optional(), NumberRange(0)])
    shape = SelectField(_l("Distribution"), choices=SHAPE_CHOICES, default="pert")
    version = HiddenField()
    submit = SubmitField(_l("Save item range"))


class RiskDelayForm(FlaskForm):
    """What a risk does to the schedule when it occurs."""

    delay_days = IntegerField(_l("Delay (working days)"), validators=[Optional(), NumberRange(0)])
    delay_pct = IntegerField(
        _l("Delay (percent of each item)"), validators=[Optional(), NumberRange(0, 500)]
    )
    probability_pct = IntegerField(
        _l("Probability (%)"),
        validators=[Optional(), NumberRange(0, 100)],
        description=_l("Empty: read from the risk's likelihood."),
    )
    residual_delay_days = IntegerField(
        _l("Delay once mitigated (days)"), validators=[Optional(), NumberRange(0)]
    )
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Remove"))
