"""Forms of the assessment area.

The scoring and settings pages have one input per indicator; their values are read by
``parse_scores`` and ``parse_settings`` (which turn text into numbers or field errors) beside a
small FlaskForm that carries the CSRF token and the row version.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from planner.forms.choices import choices

KIND_CHOICES = choices([("diagnosis", _l("Diagnosis")), ("reassessment", _l("Re-assessment"))])
STATUS_CHOICES = choices(
    [
        ("planned", _l("Planned")),
        ("in_progress", _l("In progress")),
        ("completed", _l("Completed")),
    ]
)
LEVEL_CHOICES = choices(
    [
        ("senior", _l("Senior management")),
        ("middle", _l("Middle management")),
        ("front_line", _l("Front line")),
    ]
)
HORIZON_CHOICES = choices([("tactical", _l("Tactical")), ("strategic", _l("Strategic"))])
PRIORITY_CHOICES = choices([(1, _l("1 — high")), (2, _l("2 — medium")), (3, _l("3 — low"))])
ACTION_STATUS_CHOICES = choices(
    [
        ("proposed", _l("Proposed")),
        ("accepted", _l("Accepted")),
        ("dropped", _l("Dropped")),
    ]
)
NOT_SCORED = ""  # the radio value for "not scored"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartAssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validators=[DataRequired()])
    phase_ordinal = SelectField(_l("Phase"), coerce=int, validators=[InputRequired()])
    started_on = DateField(_l("Start date"), validators=[InputRequired()])
    copy_from = SelectField(_l("Copy weights, targets and benchmarks from"), coerce=int, default=0)
    submit = SubmitField(_l("Start assessment"))


class AssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validators=[DataRequired()])
    phase_ordinal = SelectField(_l("Phase"), coerce=int, validators=[InputRequired()])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, validators=[DataRequired()])
    started_on = DateField(_l("Start date"), validators=[InputRequired()])
    completed_on = DateField(_l("Completion date"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class InterviewForm(FlaskForm):
    level = SelectField(_l("Level"), choices=LEVEL_CHOICES, validators=[DataRequired()])
    interviewee = StringField(_l("Interviewee"), validators=[DataRequired(), Length(max=200)])
    role = StringField(_l("Role"), validators=[Optional(), Length(max=200)])
    held_on = DateField(_l("Date"), validators=[Optional()])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=75,
        validators=[
            InputRequired(),
            NumberRange(
                min=15,
                max=240,
                message=_l("Between 15 and 240 minutes (60–90 is usual)."),
            ),
        ],
    )
    categories = MultiCheckboxField(_l("Categories covered (none ticked = all)"), choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    version = HiddenField()
    submit = SubmitField(_l("Save interview"))


class VersionForm(FlaskForm):
    """A form that carries only the row version (delete buttons, scoring, settings)."""

    version = HiddenField()


class ActionForm(FlaskForm):
    title = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=300)])
    title_zh = StringField(_l("Title (Chinese)"), validators=[Optional(), Length(max=300)])
    horizon = SelectField(_l("Horizon"), choices=HORIZON_CHOICES, validators=[DataRequired()])
    priority = SelectField(
        _l("Priority"), choices=PRIORITY_CHOICES, coerce=int, validators=[InputRequired()]
    )
    status = SelectField(_l("Status"), choices=ACTION_STATUS_CHOICES, validators=[DataRequired()])
    version = HiddenField()
    submit = SubmitField(_l("Save action"))


class ActionStatusForm(FlaskForm):
    """The accept / drop buttons beside each action."""

    version = HiddenField()
    status = SelectField(choices=ACTION_STATUS_CHOICES, validators=[DataRequired()])


class ToPlanForm(FlaskForm):
    phase = SelectField(_l("Add to phase"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Add accepted actions to the plan"))


# --------------------------------------------------------------------------- per-indicator


def score_field(key: str) -> str:
    return f"score-{key}"


def setting_field(line: str, key: str) -> str:
    return f"{line}-{key}"


@dataclass
class ParsedScores:
    scores: dict[str, int | None] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def parse_scores(formdata: Mapping[str, str], keys: Sequence[str]) -> ParsedScores:
    """Read ``score-<key>`` values: "" = not scored, "0"-"5" = a score, anything else an error.

    A key absent from the form data is left out (the page did not show it).
    """
    parsed = ParsedScores()
    for key in keys:
        name = score_field(key)
        if name not in formdata:
            continue
        raw = (formdata.get(name) or "").strip()
        parsed.raw[key] = raw
        if raw == NOT_SCORED:
            parsed.scores[key] = None
            continue
        try:
            value = int(raw)
        except ValueError:
            parsed.errors[key] = _("Choose a score from 0 to 5, got “%(raw)s”.", raw=raw)
            continue
        if not 0 <= value <= 5:
            parsed.errors[key] = _("A score is 0 to 5, got %(value)s.", value=value)
            continue
        parsed.scores[key] = value
    return parsed


@dataclass
class ParsedSetting:
    weight: float | None = None
    critical: bool = False
    target: float | None = None
    benchmark: float | None = None
    competitor: float | None = None


@dataclass
class ParsedSettings:
    values: dict[str, ParsedSetting] = field(default_factory=dict)
    raw: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)


def _number(raw: str) -> float:
    value = float(raw.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def parse_settings(formdata: Mapping[str, str], keys: Sequence[str]) -> ParsedSettings:
    """Read weight, critical, target, benchmark and competitor per indicator.

    An empty target/benchmark/competitor means "not set"; an empty weight is an error. Range
    checks (weight 0 or more, scores 0-5) belong to the service; here only text → number.
    """
    parsed = ParsedSettings()
    for key in keys:
        if setting_field("weight", key) not in formdata:
            continue
        setting = ParsedSetting(critical=bool(formdata.get(setting_field("critical", key))))
        raw: dict[str, str] = {}
        errors: dict[str, str] = {}
        for line in ("weight", "target", "benchmark", "competitor"):
            text = (formdata.get(setting_field(line, key)) or "").strip()
            raw[line] = text
            if not text:
                if line == "weight":
                    errors[line] = _("A weight is needed (0 or more).")
                continue
            try:
                setattr(setting, line, _number(text))
            except ValueError:
                errors[line] = _("Not a number: “%(raw)s”.", raw=text)
        raw["critical"] = "y" if setting.critical else ""
        parsed.raw[key] = raw
        parsed.values[key] = setting
        if errors:
            parsed.errors[key] = errors
    return parsed
