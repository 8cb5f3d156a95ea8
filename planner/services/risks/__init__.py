"""Risk register use cases: load rows, score and compare them with planner.domain.risk, save.

Views call one function here per request; every change goes through the ORM so the audit
trail records it. Invalid input raises :class:`~planner.domain.errors.ValidationError` with
coded problems (worded by ``planner/messages/risks.py``) before anything is changed.

One module a job: :mod:`.scale` (the program's scale), :mod:`.loading` (rows and snapshots),
:mod:`.register` (the filtered table and heat maps), :mod:`.edit` (a risk's fields, keys,
status), :mod:`.actions` (actions and links), :mod:`.reviews` (steering reviews) and
:mod:`.files` (export and import). Their public names are importable from here.
"""

from __future__ import annotations

import planner.models.review  # noqa: F401  (registers the review tables until models/__init__ does)
from planner.domain.risk_fields import MAX_LENGTHS, TEXT_FIELDS
from planner.services.risks.actions import (
    add_action,
    delete_action,
    get_action,
    link_many,
    link_phase,
    link_work_item,
    set_action_done,
    unlink_phase,
    unlink_work_item,
    update_action,
)
from planner.services.risks.common import KEY_RE, TOP_RISKS
from planner.services.risks.edit import (
    RISK_FIELDS,
    allocate_key,
    change_status,
    clean_risk_data,
    create_risk,
    next_key,
    risk_history,
    update_risk,
)
from planner.services.risks.files import (
    ImportResult,
    export_csv,
    export_xlsx,
    import_register,
    record_of,
    register_records,
)
from planner.services.risks.loading import (
    get_risk,
    load_risks,
    on_critical_path,
    program_phases,
    program_work_items,
    snapshot_of,
    threatened_phase_keys,
)
from planner.services.risks.register import (
    OVERDUE_CHOICES,
    RegisterQuery,
    RegisterRow,
    RegisterView,
    register_view,
)
from planner.services.risks.reviews import (
    ReviewView,
    entry_snapshot,
    get_review,
    list_reviews,
    open_review,
    record_decision,
    record_decisions,
    refresh_snapshot,
    review_view,
    reviews_trend,
    risk_decisions,
    take_snapshot,
    update_review,
)
from planner.services.risks.scale import (
    DEFAULT_IMPACT_LABELS,
    DEFAULT_LIKELIHOOD_LABELS,
    ScaleInfo,
    scale_for,
)

__all__ = [
    "DEFAULT_IMPACT_LABELS",
    "DEFAULT_LIKELIHOOD_LABELS",
    "ImportResult",
    "KEY_RE",
    "MAX_LENGTHS",
    "OVERDUE_CHOICES",
    "RISK_FIELDS",
    "RegisterQuery",
    "RegisterRow",
    "RegisterView",
    "ReviewView",
    "ScaleInfo",
    "TEXT_FIELDS",
    "TOP_RISKS",
    "add_action",
    "allocate_key",
    "change_status",
    "clean_risk_data",
    "create_risk",
    "delete_action",
    "entry_snapshot",
    "export_csv",
    "export_xlsx",
    "get_action",
    "get_review",
    "get_risk",
    "import_register",
    "link_many",
    "link_phase",
    "link_work_item",
    "list_reviews",
    "load_risks",
    "next_key",
    "on_critical_path",
    "open_review",
    "program_phases",
    "program_work_items",
    "record_decision",
    "record_decisions",
    "record_of",
    "refresh_snapshot",
    "register_records",
    "register_view",
    "review_view",
    "reviews_trend",
    "risk_decisions",
    "risk_history",
    "scale_for",
    "set_action_done",
    "snapshot_of",
    "take_snapshot",
    "threatened_phase_keys",
    "unlink_phase",
    "unlink_work_item",
    "update_action",
    "update_review",
    "update_risk",
]
