"""SQLAlchemy models, one module per aggregate; importing this registers them all."""

from planner.models.adoption import (
    CellReading,
    CellTarget,
    DimensionValue,
    InterviewAnswer,
    TrainingSession,
    UsageActivity,
    UsageImport,
    UsageMapping,
    UserTeam,
)
from planner.models.api_token import ApiToken
from planner.models.assessment import (
    ActionItem,
    Assessment,
    AssessmentIndicator,
    Interview,
    InterviewScore,
)
from planner.models.audit import AuditEvent
from planner.models.baseline import Baseline, BaselineItem
from planner.models.discussion import Attachment, Comment
from planner.models.feed import FeedToken
from planner.models.gate import GateCriterion, GateDecision
from planner.models.key_counter import KeyCounter
from planner.models.library import PlaybookUpgrade, PlaybookUpload
from planner.models.metric import Metric, MetricReading, MetricTarget, StatusSettings
from planner.models.money import (
    Benefit,
    BenefitReading,
    BudgetLine,
    CostEntry,
    MoneySettings,
    RoleRate,
)
from planner.models.notify import (
    Notification,
    NotifyDigest,
    NotifyPreference,
    NotifySettings,
    Webhook,
    WebhookDelivery,
)
from planner.models.people import Assignment, EffortLog, Person, PersonDayOff
from planner.models.plan import Dependency, Phase, PlanRecord, WorkItem
from planner.models.program import CalendarException, Program
from planner.models.raid import ChangeRequest, Decision, Issue, IssueLink
from planner.models.review import ReviewDecision, RiskReviewEntry, SteeringReview
from planner.models.risk import Action, Risk, RiskAction, RiskPhaseLink, RiskWorkItemLink
from planner.models.scenario import Scenario
from planner.models.schedule_risk import UncertaintyRange
from planner.models.user import Membership, ShareLink, User

__all__ = [
    "CellReading",
    "CellTarget",
    "DimensionValue",
    "InterviewAnswer",
    "TrainingSession",
    "UsageActivity",
    "UsageImport",
    "UsageMapping",
    "UserTeam",
    "Action",
    "ChangeRequest",
    "Decision",
    "Issue",
    "IssueLink",
    "Assignment",
    "Benefit",
    "BenefitReading",
    "BudgetLine",
    "CostEntry",
    "EffortLog",
    "MoneySettings",
    "Person",
    "PersonDayOff",
    "RoleRate",
    "ApiToken",
    "ActionItem",
    "Assessment",
    "AssessmentIndicator",
    "Interview",
    "InterviewScore",
    "AuditEvent",
    "Baseline",
    "BaselineItem",
    "CalendarException",
    "Dependency",
    "FeedToken",
    "GateCriterion",
    "GateDecision",
    "KeyCounter",
    "Metric",
    "MetricReading",
    "MetricTarget",
    "Phase",
    "PlanRecord",
    "PlaybookUpgrade",
    "PlaybookUpload",
    "Program",
    "ReviewDecision",
    "Risk",
    "RiskAction",
    "RiskPhaseLink",
    "RiskReviewEntry",
    "RiskWorkItemLink",
    "Scenario",
    "UncertaintyRange",
    "SteeringReview",
    "StatusSettings",
    "Membership",
    "ShareLink",
    "User",
    "WorkItem",
    # notifications, comments and attachments
    "Attachment",
    "Comment",
    "Notification",
    "NotifyDigest",
    "NotifyPreference",
    "NotifySettings",
    "Webhook",
    "WebhookDelivery",
]
