"""Maturity assessments: start one from the playbook's model, record interviews and scores,
compute the results with :mod:`planner.domain.maturity`, turn gaps into actions and work items.

The playbook's maturity model (pydantic, bilingual) is converted here into the domain's frozen
``MaturityModel`` in one language; the assessment's own indicator settings (weight and
criticality, snapshotted when it starts and editable) replace the playbook's weights.

By job: ``model`` (the playbook's model in one language), ``records`` (assessments, settings,
interviews and scores), ``results`` (results, comparison, portfolio levels), ``actions``
(proposed actions and the work items made from them).
"""

from __future__ import annotations

from planner.domain.errors import ValidationError
from planner.services.assessment.actions import (
    ACTION_DURATION_DAYS,
    CATEGORY_WORKSTREAMS,
    DEFAULT_PROPOSALS,
    ZH_RAISE,
    ActionData,
    add_accepted_to_plan,
    propose_actions,
    reschedule_if_available,
    set_action_status,
    update_action,
)
from planner.services.assessment.model import (
    IndicatorSetting,
    ModelView,
    domain_model,
    model_for,
    playbook_maturity,
)
from planner.services.assessment.records import (
    AssessmentData,
    InterviewData,
    add_interview,
    add_interviews,
    delete_assessment,
    delete_interview,
    get_action,
    get_assessment,
    get_interview,
    list_assessments,
    save_many_scores,
    save_scores,
    save_settings,
    sorted_interviews,
    start_assessment,
    stored_scores,
    update_assessment,
    update_interview,
)
from planner.services.assessment.results import (
    Comparison,
    Results,
    assessment_results,
    compare_assessments,
    latest_maturity_level,
    latest_maturity_levels,
)

__all__ = [
    "ACTION_DURATION_DAYS",
    "ActionData",
    "AssessmentData",
    "CATEGORY_WORKSTREAMS",
    "Comparison",
    "DEFAULT_PROPOSALS",
    "IndicatorSetting",
    "InterviewData",
    "ModelView",
    "Results",
    "ValidationError",
    "ZH_RAISE",
    "add_accepted_to_plan",
    "add_interview",
    "add_interviews",
    "assessment_results",
    "compare_assessments",
    "delete_assessment",
    "delete_interview",
    "domain_model",
    "get_action",
    "get_assessment",
    "get_interview",
    "latest_maturity_level",
    "latest_maturity_levels",
    "list_assessments",
    "model_for",
    "playbook_maturity",
    "propose_actions",
    "reschedule_if_available",
    "save_many_scores",
    "save_scores",
    "save_settings",
    "set_action_status",
    "sorted_interviews",
    "start_assessment",
    "stored_scores",
    "update_action",
    "update_assessment",
    "update_interview",
]
