"""security: numeric policy, key counters

Two changes for issue #18.

1. **Metric numbers outside the numeric policy** (``planner.domain.numbers``: finite, at
   most 10^12 either way). Older versions stored any number a form or an import sent
   (1e27, -1e308, inf), and such a number broke every page showing the program. Each such
   number is taken out of use, and never silently: an audit event (actor
   ``migration 0011``) keeps the stored value exactly (``repr`` of the float), so the
   program's History page shows what was removed and a person can re-enter a corrected
   value. Nothing is clamped (a clamped value would be a number nobody measured):

   - a reading: deleted (``delete`` of ``metricreading``, field ``value``: the value; its
     note, if any, in a second event, field ``note``);
   - a metric's baseline: set to empty (``update`` of ``metric``, field ``baseline``);
   - a phase target: deleted (``delete`` of ``metrictarget``, field ``target``).

   The downgrade puts the values back from those audit events and removes the events, so
   up-then-down leaves the data as it was.

2. **Key counters** (``key_counter``): one row per program and kind of automatically
   numbered key (``risk``: R-1, R-2, …), raised with one UPDATE so that concurrent requests
   get distinct numbers (``planner.services.keys``). Rows are created on first use.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 10:45:00

"""
from datetime import UTC, datetime
import math

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ACTOR = "migration 0011"
MAX_MAGNITUDE = 1e12  # planner.domain.numbers.MAX_MAGNITUDE when this was written


def _outside(value):
    return value is not None and (not math.isfinite(value) or abs(value) > MAX_MAGNITUDE)


def _events():
    return sa.table(
        "audit_event",
        sa.column("id", sa.Integer),
        sa.column("program_id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("entity_label", sa.String),
        sa.column("field", sa.String),
        sa.column("old_value", sa.Text),
        sa.column("new_value", sa.Text),
    )


def _repair_numbers(conn):
    now = datetime.now(UTC).replace(tzinfo=None)
    events = []

    def event(program_id, action, entity, entity_id, label, field, old):
        events.append(
            {
                "program_id": program_id, "at": now, "actor": ACTOR, "action": action,
                "entity": entity, "entity_id": entity_id, "entity_label": label[:300],
                "field": field, "old_value": old, "new_value": None,
            }
        )  # fmt: skip

    readings = conn.execute(
        sa.text(
            "SELECT r.id, r.day, r.value, r.note, m.key, m.program_id FROM metric_reading r "
            "JOIN metric m ON m.id = r.metric_id"
        )
    ).all()
    for rid, day, value, note, key, program_id in readings:
        if _outside(value):
            day_text = day.isoformat() if hasattr(day, "isoformat") else str(day)
            label = f"{key} {day_text}"
            event(program_id, "delete", "metricreading", rid, label, "value", repr(value))
            if note:
                event(program_id, "delete", "metricreading", rid, label, "note", note)
            conn.execute(sa.text("DELETE FROM metric_reading WHERE id = :id"), {"id": rid})
    for mid, baseline, key, program_id in conn.execute(
        sa.text("SELECT id, baseline, key, program_id FROM metric")
    ).all():
        if _outside(baseline):
            event(program_id, "update", "metric", mid, key, "baseline", repr(baseline))
            conn.execute(sa.text("UPDATE metric SET baseline = NULL WHERE id = :id"), {"id": mid})
    targets = conn.execute(
        sa.text(
            "SELECT t.id, t.phase_ordinal, t.target, m.key, m.program_id FROM metric_target t "
            "JOIN metric m ON m.id = t.metric_id"
        )
    ).all()
    for tid, ordinal, target, key, program_id in targets:
        if _outside(target):
            label = f"{key} phase {ordinal}"
            event(program_id, "delete", "metrictarget", tid, label, "target", repr(target))
            conn.execute(sa.text("DELETE FROM metric_target WHERE id = :id"), {"id": tid})
    if events:
        op.bulk_insert(_events(), events)


def _restore_numbers(conn):
    rows = conn.execute(
        sa.text(
            "SELECT program_id, entity, entity_id, entity_label, field, old_value "
            "FROM audit_event WHERE actor = :actor ORDER BY id"
        ),
        {"actor": ACTOR},
    ).all()
    notes = {r.entity_id: r.old_value for r in rows if r.field == "note"}
    for row in rows:
        if row.field == "baseline":
            conn.execute(
                sa.text("UPDATE metric SET baseline = :v WHERE id = :id"),
                {"v": float(row.old_value), "id": row.entity_id},
            )
            continue
        if row.field not in ("value", "target"):
            continue
        # labels are "<metric key> <day>" and "<metric key> phase <n>"; keys have no spaces
        separator = " " if row.field == "value" else " phase "
        key, rest = row.entity_label.rsplit(separator, 1)
        metric = conn.execute(
            sa.text("SELECT id FROM metric WHERE key = :key AND program_id = :pid"),
            {"key": key, "pid": row.program_id},
        ).scalar()
        if metric is None:
            continue  # the metric itself was deleted meanwhile
        if row.field == "value":
            conn.execute(
                sa.text(
                    "INSERT INTO metric_reading (id, metric_id, day, value, note, version) "
                    "VALUES (:id, :metric, :day, :value, :note, 1)"
                ),
                {
                    "id": row.entity_id, "metric": metric,
                    "day": datetime.strptime(rest, "%Y-%m-%d").date(),
                    "value": float(row.old_value), "note": notes.get(row.entity_id, ""),
                },
            )  # fmt: skip
        else:
            conn.execute(
                sa.text(
                    "INSERT INTO metric_target (id, metric_id, phase_ordinal, target) "
                    "VALUES (:id, :metric, :ordinal, :target)"
                ),
                {
                    "id": row.entity_id, "metric": metric, "ordinal": int(rest),
                    "target": float(row.old_value),
                },
            )  # fmt: skip
    conn.execute(sa.text("DELETE FROM audit_event WHERE actor = :actor"), {"actor": ACTOR})


def upgrade():
    op.create_table(
        'key_counter',
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('program_id', 'kind'),
    )
    _repair_numbers(op.get_bind())


def downgrade():
    _restore_numbers(op.get_bind())
    op.drop_table('key_counter')
