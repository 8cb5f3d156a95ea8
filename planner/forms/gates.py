"""Forms of the gates area: a criterion and a decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from planner.forms.metrics import choices

KIND_CHOICES = choices(
    [
        ("metric_target", _l("A metric reaches its phase target")),
        ("milestones_done", _l("Milestones are done")),
        ("max_risk_band", _l("No open risk rated above a band")),
        (
            "manual",
            _l(
                "A judgement: a person's (e.g. sponsor sign-off) or the benefits case's"
                " (the benefit review)"
            ),
        ),
    ]
)
SOURCE_CHOICES = choices(
    [
        ("person", _l("A person records the judgement below")),
        ("benefits_case", _l("The benefits case decides it (the benefit review)")),
    ]
)
MET_CHOICES = choices(
    [
        ("", _l("Pending")),
        ("yes", _l("Met")),
        ("no", _l("Not met")),
    ]
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CriterionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    metric = SelectField(_l("Metric"), choices=[], validate_choice=False)
    milestones = MultiCheckboxField(_l("Milestones"), choices=[], validate_choice=False)
    band = SelectField(_l("Highest band allowed"), choices=[], validate_choice=False)
    text = TextAreaField(_l("What must be true (English)"), validators=[Optional()])
    text_zh = TextAreaField(_l("What must be true (Chinese)"), validators=[Optional()])
    source = SelectField(
        _l("Judged by"),
        choices=SOURCE_CHOICES,
        default="person",
        description=_l(
            "The benefits case judges the benefit review: met when the benefits realised"
            " since go-live reach what the case expects by now."
        ),
    )
    # anything but yes/no counts as pending, so a form without the field is fine
    met = SelectField(_l("Judgement"), choices=MET_CHOICES, validate_choice=False)
    evidence = TextAreaField(_l("Evidence"), validators=[Optional()])
    evidence_url = StringField(_l("Evidence link"), validators=[Optional(), Length(max=1000)])
    version = HiddenField()
    submit = SubmitField(_l("Save criterion"))

    def met_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.met.data or "")


DECISION_CHOICES = choices(
    [
        ("go", _l("Go")),
        ("conditional_go", _l("Conditional go")),
        ("no_go", _l("No-go")),
    ]
)


class DecisionForm(FlaskForm):
    kind = RadioField(_l("Decision"), choices=DECISION_CHOICES, validators=[InputRequired()])
    decided_by = StringField(
        _l("Decided by"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("E.g. the steering committee, chaired by the sponsor."),
    )
    decided_on = DateField(_l("Decided on"), validators=[InputRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])
    conditions = TextAreaField(_l("Conditions (conditional go)"), validators=[Optional()])
    due = DateField(_l("Conditions due by"), validators=[Optional()])
    justification = TextAreaField(
        _l("Justification (required for a go while criteria are unmet)"),
        validators=[Optional()],
    )
    replan = TextAreaField(_l("Replan (no-go): what happens next"), validators=[Optional()])
    submit = SubmitField(_l("Record decision"))
