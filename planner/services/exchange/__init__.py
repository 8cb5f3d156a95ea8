"""Plan files in and out: a program ↔ :class:`~planner.interop.plandata.PlanData`.

Export
------
:func:`plan_data` reads a program's plan in a fixed number of queries — phases, work items,
dependencies, the working calendar (weekdays and exceptions) and the dates of its latest
baseline (as baseline 0) — and :func:`export_plan` writes it as MS Project XML, CSV or .xlsx
with the interop modules. The CSV and .xlsx header labels are the caller's
(:data:`~planner.interop.plan_table.HeaderLabels`: the web layer passes the interface
language's), as is the list of labels an import accepts besides the built-in ones.

Import
------
:func:`read_plan_file` reads an uploaded file by its extension (or, failing that, its first
bytes); a bad file raises :class:`~planner.domain.errors.ImportFormatError` listing every
problem with the task (MSPDI) or row and column (CSV, .xlsx) at fault.

* :func:`import_new_program` makes a new program of the file: its phases, items, links,
  calendar and, when the file has baseline dates, a baseline; optionally the risks,
  metrics and gate criteria of a playbook (whose risk scale and maturity model the program
  then uses). Without a playbook the program is marked as imported
  (:data:`IMPORTED_PLAYBOOK_ID`).
* :func:`import_into_phase` adds the file's items and links to one phase of an existing
  program (the program keeps its calendar; the file's phases and baseline are not used).
  Keys the program already uses get ``-2``, ``-3`` … so nothing is overwritten.

* :func:`read_update`, :func:`preview_update` and :func:`apply_update` take back a CSV or
  .xlsx exported from the program and edited: items are updated by key after a preview
  (every change, new and missing keys, stale rows as conflicts, what moves in the schedule).

The imports and the update flush and reschedule (the preview writes nothing) but never
commit: the caller commits on success and rolls back on any error, so a refused file writes
nothing. Keys that the plan editor would refuse (it
accepts letters, digits, ``.``, ``_`` and ``-``) are made acceptable the same way.

By job: ``formats`` (formats, reading a file, keys), ``export``, ``import_plan`` (a new
program or one phase from a file), ``update`` (an exported table edited and taken back).
"""

from __future__ import annotations

from planner.domain.errors import ImportFormatError
from planner.services.exchange.export import export_plan, latest_baseline, plan_data
from planner.services.exchange.formats import (
    DEFAULT_BASELINE_NAME,
    EXTENSIONS,
    FORMATS,
    IMPORTED_PLAYBOOK_ID,
    IMPORTED_PLAYBOOK_VERSION,
    KEY_PATTERN,
    MAX_FILE_BYTES,
    MEDIA_TYPES,
    Format,
    PlanFile,
    acceptable_key,
    detect_format,
    read_plan_file,
    rekey,
    unique_key,
)
from planner.services.exchange.import_plan import (
    ImportOutcome,
    import_into_phase,
    import_new_program,
)
from planner.services.exchange.update import (
    UPDATE_FORMATS,
    StalePreviewError,
    UpdatePreview,
    apply_update,
    phase_labels,
    preview_update,
    read_update,
)

__all__ = [
    "DEFAULT_BASELINE_NAME",
    "EXTENSIONS",
    "FORMATS",
    "Format",
    "IMPORTED_PLAYBOOK_ID",
    "IMPORTED_PLAYBOOK_VERSION",
    "ImportFormatError",
    "ImportOutcome",
    "KEY_PATTERN",
    "MAX_FILE_BYTES",
    "MEDIA_TYPES",
    "PlanFile",
    "StalePreviewError",
    "UPDATE_FORMATS",
    "UpdatePreview",
    "acceptable_key",
    "apply_update",
    "detect_format",
    "export_plan",
    "import_into_phase",
    "import_new_program",
    "latest_baseline",
    "phase_labels",
    "plan_data",
    "preview_update",
    "read_plan_file",
    "read_update",
    "rekey",
    "unique_key",
]
