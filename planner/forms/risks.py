"""Forms of the risk register and the steering reviews, and the labels of their codes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from planner.forms.choices import choices  # noqa: F401  (also used by the views)

STATUS_LABELS = {
    "open": _l("Open"),
    "mitigating": _l("Mitigating"),
    "closed": _l("Closed"),
    "occurred": _l("Occurred (now an issue)"),
}
# the button that moves a risk into each status
STATUS_ACTIONS = {
    "open": _l("Reopen"),
    "mitigating": _l("Start mitigating"),
    "closed": _l("Close"),
    "occurred": _l("Mark as occurred"),
}
RESPONSE_LABELS = {
    "avoid": _l("Avoid"),
    "mitigate": _l("Mitigate"),
    "transfer": _l("Transfer"),
    "accept": _l("Accept"),
    "escalate": _l("Escalate"),
}
DECISION_LABELS = {
    "noted": _l("Noted"),
    "continue": _l("Continue the current response"),
    "more_actions": _l("More actions needed"),
    "reassess": _l("Reassess likelihood and impact"),
    "escalate": _l("Escalate"),
    "accept": _l("Accept the residual risk"),
    "close": _l("Close the risk"),
}
OVERDUE_LABELS = {
    "any": _l("Review or action overdue"),
    "review": _l("Review overdue"),
    "action": _l("Action overdue"),
    "none": _l("Nothing overdue"),
}
FIELD_LABELS = {
    "title": _l("Title"),
    "title_zh": _l("Title (Chinese)"),
    "description": _l("Description"),
    "description_zh": _l("Description (Chinese)"),
    "category": _l("Category"),
    "cause": _l("Cause"),
    "cause_zh": _l("Cause (Chinese)"),
    "effect": _l("Effect"),
    "effect_zh": _l("Effect (Chinese)"),
    "owner": _l("Owner"),
    "likelihood": _l("Inherent likelihood"),
    "impact": _l("Inherent impact"),
    "residual_likelihood": _l("Residual likelihood"),
    "residual_impact": _l("Residual impact"),
    "response": _l("Response"),
    "mitigation": _l("Mitigation"),
    "mitigation_zh": _l("Mitigation (Chinese)"),
    "contingency": _l("Contingency"),
    "trigger": _l("Trigger"),
    "proximity_date": _l("Proximity date"),
    "proximity_phase_id": _l("Proximity phase"),
    "review_date": _l("Next review"),
    "status": _l("Status"),
    "occurred_on": _l("Occurred on"),
    "issue_note": _l("Issue note"),
    "review_cadence_days": _l("Review every (days)"),
    "last_reviewed_on": _l("Last reviewed"),
    "residual_reason": _l("Why the residual score is above the inherent one"),
    "rank": _l("Rank"),
    "due_date": _l("Due"),
    "done": _l("Done"),
    "done_on": _l("Done on"),
    "decision": _l("Decision"),
    "note": _l("Note"),
    "held_on": _l("Date"),
    "attendees": _l("Attendees"),
    "notes": _l("Notes"),
}
# the register's filters, as its query string names them (a filter it refuses is named)
FIELD_LABELS.update(
    {
        "band": _l("Residual band"),
        "phase": _l("Phase"),
        "overdue": _l("Overdue"),
        "sort": _l("Sort order"),
        "cell": _l("Heat map cell"),
        "cell.likelihood": _l("Heat map cell"),
        "cell.impact": _l("Heat map cell"),
        "cell.which": _l("Heat map cell"),
    }
)
# the schedule risk analysis' fields of a risk (planner/web/schedule_risk.py edits them)
FIELD_LABELS.update(
    {
        "schedule_delay_days": _l("Delay (working days)"),
        "schedule_delay_pct": _l("Delay (percent of each item)"),
        "probability_pct": _l("Probability (%)"),
        "residual_delay_days": _l("Delay once mitigated (days)"),
    }
)
ENTITY_LABELS = {
    "risk": _l("Risk"),
    "risk_action": _l("Action"),
    "risk_item_link": _l("Work item link"),
    "risk_phase_link": _l("Phase link"),
    "review_decision": _l("Review decision"),
    "steering_review": _l("Steering review"),
}


class RiskForm(FlaskForm):
    """Add or edit a risk. Levels and codes are checked by the service (clear messages)."""

    key = StringField(
        _l("Key"),
        validators=[Optional(), Length(max=64)],
        description=_l("Leave empty for the next free R-number."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    title_zh = StringField(_l("Title (Chinese)"), validators=[Optional(), Length(max=300)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=64)])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    description_zh = TextAreaField(_l("Description (Chinese)"), validators=[Optional()])
    cause = TextAreaField(_l("Cause"), validators=[Optional()])
    effect = TextAreaField(_l("Effect"), validators=[Optional()])
    cause_zh = TextAreaField(_l("Cause (Chinese)"), validators=[Optional()])
    effect_zh = TextAreaField(_l("Effect (Chinese)"), validators=[Optional()])
    likelihood = SelectField(_l("Inherent likelihood"), validate_choice=False)
    impact = SelectField(_l("Inherent impact"), validate_choice=False)
    response = SelectField(
        _l("Response"),
        choices=choices(RESPONSE_LABELS.items()),
        validate_choice=False,
    )
    mitigation = TextAreaField(_l("Mitigation"), validators=[Optional()])
    mitigation_zh = TextAreaField(_l("Mitigation (Chinese)"), validators=[Optional()])
    residual_likelihood = SelectField(_l("Residual likelihood"), validate_choice=False)
    residual_impact = SelectField(_l("Residual impact"), validate_choice=False)
    residual_reason = TextAreaField(
        _l("Why the residual score is above the inherent one"),
        validators=[Optional()],
        description=_l("Needed only when the response makes the risk worse."),
    )
    contingency = TextAreaField(_l("Contingency"), validators=[Optional()])
    trigger = TextAreaField(_l("Trigger"), validators=[Optional()])
    proximity_date = DateField(_l("Proximity date"), validators=[Optional()])
    proximity_phase_id = SelectField(_l("Proximity phase"), validate_choice=False)
    review_date = DateField(_l("Next review"), validators=[Optional()])
    review_cadence_days = StringField(
        _l("Review every (days)"),
        validators=[Optional(), Length(max=4)],
        description=_l("Empty: the cadence of the risk's band in the playbook."),
    )
    status = SelectField(
        _l("Status"), choices=choices(STATUS_LABELS.items()), validate_choice=False
    )
    issue_note = TextAreaField(_l("Issue note"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Save risk"))

    SERVICE_FIELDS = (
        "title",
        "title_zh",
        "category",
        "owner",
        "description",
        "description_zh",
        "cause",
        "cause_zh",
        "effect",
        "effect_zh",
        "likelihood",
        "impact",
        "response",
        "mitigation",
        "mitigation_zh",
        "residual_likelihood",
        "residual_impact",
        "residual_reason",
        "contingency",
        "trigger",
        "proximity_date",
        "proximity_phase_id",
        "review_date",
        "review_cadence_days",
        "status",
        "issue_note",
    )

    def set_choices(
        self,
        likelihood_labels: list[str],
        impact_labels: list[str],
        phases: list[tuple[str, str]],
        not_reassessed: str,
        no_phase: str,
    ) -> None:
        levels = [(i, f"{i} — {lbl}") for i, lbl in enumerate(likelihood_labels, 1)]
        impacts = [(i, f"{i} — {lbl}") for i, lbl in enumerate(impact_labels, 1)]
        self.likelihood.choices = choices(levels)
        self.impact.choices = choices(impacts)
        self.residual_likelihood.choices = choices([("", not_reassessed), *levels])
        self.residual_impact.choices = choices([("", not_reassessed), *impacts])
        self.proximity_phase_id.choices = choices([("", no_phase), *phases])

    def service_data(self) -> dict[str, Any]:
        data = {
            name: getattr(self, name).data for name in self.SERVICE_FIELDS if name in self._fields
        }
        key = self._fields.get("key")
        data["key"] = key.data if key is not None else None
        return data


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("What happened, and what is being done"), validators=[Optional()])
    version = HiddenField()


class ActionForm(FlaskForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    due_date = DateField(_l("Due"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Add action"))


class VersionForm(FlaskForm):
    """A button that changes one row: carries the version the page showed."""

    version = HiddenField()
    done = HiddenField()


class LinkItemForm(FlaskForm):
    work_item_id = SelectField(_l("Work item"), validate_choice=False)
    submit = SubmitField(_l("Link work item"))


class LinkPhaseForm(FlaskForm):
    phase_id = SelectField(_l("Phase"), validate_choice=False)
    submit = SubmitField(_l("Link phase"))


class ReviewForm(FlaskForm):
    held_on = DateField(_l("Date of the meeting"), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    attendees = TextAreaField(
        _l("Attendees"),
        validators=[Optional()],
        description=_l("One per line, e.g. “Li Wei (sponsor)”."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Open review"))


class DecisionForm(FlaskForm):
    risk_id = HiddenField(validators=[DataRequired()])
    decision = SelectField(
        _l("Decision"), choices=choices(DECISION_LABELS.items()), validate_choice=False
    )
    note = StringField(_l("Note"), validators=[Optional()])
    version = HiddenField()


class ImportForm(FlaskForm):
    file = FileField(_l("Register file (.xlsx or .csv)"), validators=[FileRequired()])
    replace = BooleanField(_l("Delete the risks the file does not list"))
    submit = SubmitField(_l("Import"))
