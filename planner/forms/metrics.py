"""Forms of the metrics area: a metric, a reading, an import, the status rules."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FieldError

from planner.domain.numbers import MAX_MAGNITUDE
from planner.forms.choices import choices  # noqa: F401  (also used by the views)
from planner.i18n import format_count
from planner.models.plan import Phase


class MetricNumber:
    """The numeric policy of metric numbers (``planner.domain.numbers``) on a form field,
    refused in the reader's language; other problems of a value (not a number, a percentage
    above 100) are the domain's to report."""

    def __call__(self, form: Any, field: Any) -> None:
        number = field.data
        if isinstance(number, str):
            text = number.strip().removesuffix("%").strip()
            try:
                number = float(text)
            except ValueError:
                return
        if number is None or (math.isfinite(number) and abs(number) <= MAX_MAGNITUDE):
            return
        raise FieldError(
            _(
                "Out of range: enter a number from %(low)s to %(high)s.",
                low=format_count(-MAX_MAGNITUDE),
                high=format_count(MAX_MAGNITUDE),
            )
        )


class MetricForm(FlaskForm):
    key = StringField(
        _l("Key"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("Lower-case letters, digits and dashes, e.g. active-users."),
    )
    name = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    name_zh = StringField(_l("Name (Chinese)"), validators=[Optional(), Length(max=200)])
    unit = StringField(
        _l("Unit"),
        validators=[Length(max=40)],
        description=_l("“%” makes it a percentage (readings 0–100); e.g. %, per week, days."),
    )
    direction = SelectField(
        _l("Direction"),
        choices=choices([("higher", _l("Higher is better")), ("lower", _l("Lower is better"))]),
    )
    baseline = FloatField(_l("Baseline"), validators=[Optional(), MetricNumber()])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    data_source = StringField(_l("Data source"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("Description (English)"), validators=[Optional()])
    description_zh = TextAreaField(_l("Description (Chinese)"), validators=[Optional()])
    amber_tolerance = FloatField(
        _l("Amber tolerance for this metric (%)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
        description=_l("Leave empty to use the program's setting."),
    )
    glide = SelectField(
        _l("Glide path"),
        choices=choices(
            [
                ("linear", _l("Linear: the same step every day")),
                ("s-curve", _l("S-curve: slow start, fast middle, levelling off")),
                ("steps", _l("Steps, as the playbook gives them")),
            ]
        ),
        default="linear",
        description=_l(
            "How the target moves from the phase start (the baseline or the last gate's "
            "target) to the gate target; the status compares each reading with it."
        ),
    )
    version = HiddenField()
    submit = SubmitField(_l("Save metric"))

    target_fields: list[tuple[int, str]]

    def targets(self) -> dict[int, float | None]:
        return {ordinal: getattr(self, name).data for ordinal, name in self.target_fields}


def metric_form_class(phases: Iterable[Phase]) -> type[MetricForm]:
    """A metric form with one target field per phase of the program."""

    class _Form(MetricForm):
        pass

    fields = []
    for phase in phases:
        name = f"target_{phase.ordinal}"
        label = (
            _l("Target at the diagnosis gate")
            if phase.kind == "diagnosis"
            else _l("Target for phase %(n)s", n=phase.ordinal)
        )
        setattr(_Form, name, FloatField(label, validators=[Optional(), MetricNumber()]))
        fields.append((phase.ordinal, name))
    _Form.target_fields = fields
    return _Form


class ReadingForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    # text, so the domain can say exactly what is wrong with a value ("45%" is fine)
    value = StringField(_l("Value"), validators=[Length(max=40), MetricNumber()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=1000)])
    version = HiddenField()
    submit = SubmitField(_l("Add reading"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or Excel file"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l(
            "Columns: Metric (key or name), Date (2024-03-31), Value, Note. "
            "CSV in UTF-8 or GB18030, or .xlsx."
        ),
    )
    metric = SelectField(_l("Into metric"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Import readings"))


class SettingsForm(FlaskForm):
    amber_tolerance = FloatField(
        _l("Amber tolerance (percent of target)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        description=_l("A metric within this distance of its target is amber, beyond it red."),
    )
    schedule_tolerance_days = IntegerField(
        _l("Schedule tolerance (days)"),
        validators=[InputRequired(), NumberRange(min=0, max=365)],
        description=_l("A milestone slip or window overrun up to this many days is amber."),
    )
    version = HiddenField()
    submit = SubmitField(_l("Save status rules"))
