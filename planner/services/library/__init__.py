"""The playbook library, one module a job: :mod:`.browse` (the library page, versions compared),
:mod:`.preview`, :mod:`.upload`, :mod:`.provenance` (where rows came from, the snapshot),
:mod:`.upgrade` and :mod:`.lessons`. Callers use the package: its names are re-exported here.

The rules live in the pure modules (:mod:`planner.domain.playbook` for loading and checking,
:mod:`~planner.domain.playbook_diff`, :mod:`~planner.domain.playbook_upgrade`,
:mod:`~planner.domain.playbook_lessons`, :mod:`~planner.domain.playbook_writer`,
:mod:`~planner.domain.playbook_provenance` for what the audit trail says); this module
reads rows, turns them into the plain data those modules take, and writes the result.

Where a program's things came from, and whether the program edited them
=======================================================================

The upgrade needs, for every work item, dependency, risk, metric and gate criterion of the
program, two yes/no answers. Both are read from the audit trail (``AuditEvent``), never from
a second bookkeeping:

* **From the playbook**: its key is in the playbook version the program is on (a dependency
  by ``"pred → succ"``, a gate criterion by its phase and criterion key) *and* its row was
  created with the program (the run of "create" events of the program that starts with the
  program's own "create" event and ends at the program's first "update" or "delete" event)
  or by an earlier upgrade. A row a person deleted and created again with the same key is the
  program's own. (A program with no "create" event in the trail — created before the trail
  existed — counts the key alone.)
* **Edited**: the trail holds an "update" of one of the fields the playbook gave the row
  (:data:`EDIT_FIELDS`: a work item's name, kind, phase, duration, workstream, owner role and
  deliverable; a dependency's type and lag; a risk's title, description, category, cause,
  effect, likelihood, impact, response and mitigation; a metric's name, unit, direction and
  baseline, or any change to its per-phase targets; a gate criterion's kind, reference and
  text), made by anyone but an upgrade (the audit rows an upgrade wrote are recorded in
  :class:`~planner.models.library.PlaybookUpgrade` and skipped). **Work that has started**
  (an actual start or some percent complete) counts as edited too: the program has lived
  it, so the upgrade never re-plans it by itself; the lead decides. Otherwise running the
  program — assigning people, reviewing, re-rating and closing risks (the residual
  assessment, the status), taking readings, judging criteria — is not editing the method:
  those rows still follow the playbook. Progress also matters where the domain asks for it:
  a started item, a metric with readings or a judged criterion is never removed by itself.
"""

from __future__ import annotations

from planner.services.library.browse import (
    DiffSection,
    Library,
    LibraryEntry,
    LibraryFilters,
    ProgramOnPlaybook,
    compare,
    diff_sections,
    entry,
    library,
    programs_on,
    source_text,
    text_of,
    versions_of,
)
from planner.services.library.lessons import (
    EDITABLE,
    LessonsContext,
    _inclusive_workdays,
    chosen_lessons,
    editable_value,
    lesson_token,
    lessons_context,
    lessons_playbook,
    outcome,
    suggest_version,
)
from planner.services.library.preview import (
    CriterionView,
    Preview,
    PreviewLink,
    PreviewPhase,
    PreviewRow,
    criterion_text,
    next_monday,
    playbook_calendar,
    preview,
)
from planner.services.library.provenance import (
    EDIT_FIELDS,
    ProgramRows,
    Provenance,
    closed_phases,
    load_rows,
    provenance,
    snapshot,
    started,
)
from planner.services.library.upgrade import (
    UpgradeContext,
    apply_upgrade,
    conflict_token,
    newer_versions,
    upgrade_context,
    upgrade_history,
)
from planner.services.library.upload import (
    MAX_UPLOAD_BYTES,
    RESERVED_IDS,
    UploadRefused,
    UploadResult,
    UploadTooLarge,
    checksum,
    upload_playbook,
)

__all__ = [
    "CriterionView",
    "DiffSection",
    "EDITABLE",
    "EDIT_FIELDS",
    "LessonsContext",
    "Library",
    "LibraryEntry",
    "LibraryFilters",
    "MAX_UPLOAD_BYTES",
    "Preview",
    "PreviewLink",
    "PreviewPhase",
    "PreviewRow",
    "ProgramOnPlaybook",
    "ProgramRows",
    "Provenance",
    "RESERVED_IDS",
    "UpgradeContext",
    "UploadRefused",
    "UploadResult",
    "UploadTooLarge",
    "_inclusive_workdays",
    "apply_upgrade",
    "checksum",
    "chosen_lessons",
    "closed_phases",
    "compare",
    "conflict_token",
    "criterion_text",
    "diff_sections",
    "editable_value",
    "entry",
    "lesson_token",
    "lessons_context",
    "lessons_playbook",
    "library",
    "load_rows",
    "newer_versions",
    "next_monday",
    "outcome",
    "playbook_calendar",
    "preview",
    "programs_on",
    "provenance",
    "snapshot",
    "source_text",
    "started",
    "suggest_version",
    "text_of",
    "upgrade_context",
    "upgrade_history",
    "upload_playbook",
    "versions_of",
]
