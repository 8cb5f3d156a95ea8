"""Migration 0011: metric numbers outside the numeric policy are taken out of use with an
audit event that keeps each value, and put back by the downgrade; the key counters table."""

from __future__ import annotations

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from planner.extensions import db
from tests.conftest import make_app


def _numbers(conn) -> dict[str, object]:
    return {
        "readings": sorted(
            (r.id, r.value, r.note) for r in conn.execute(text("SELECT * FROM metric_reading"))
        ),
        "baselines": sorted(conn.execute(text("SELECT id, baseline FROM metric")).all()),
        "targets": sorted(
            conn.execute(text("SELECT id, phase_ordinal, target FROM metric_target")).all()
        ),
    }


def test_0011_repairs_out_of_range_numbers_and_downgrade_restores_them(
    empty_database_url: str,
) -> None:
    app = make_app(empty_database_url)
    with app.app_context():
        try:
            upgrade()
            from planner.services.playbooks import get_playbook
            from planner.services.programs import create_program

            create_program(
                get_playbook("crm-four-100-days"), name="M", client="C", start_date=date(2026, 1, 5)
            )
            db.session.commit()
            db.session.remove()
            downgrade(revision="0010")
            assert "key_counter" not in inspect(db.engine).get_table_names()
            with db.engine.begin() as conn:
                metric_id = conn.execute(text("SELECT min(id) FROM metric")).scalar()
                conn.execute(
                    text(
                        "INSERT INTO metric_reading (id, metric_id, day, value, note, version) "
                        "VALUES (901, :m, :d1, 1e27, 'typo', 1), (902, :m, :d2, -1e300, '', 1), "
                        "(903, :m, :d3, 1000000000000, 'the largest allowed', 1)"
                    ),
                    {"m": metric_id, "d1": date(2026, 2, 2), "d2": date(2026, 2, 3),
                     "d3": date(2026, 2, 4)},
                )  # fmt: skip
                conn.execute(
                    text("UPDATE metric SET baseline = -1e308 WHERE id = :m"), {"m": metric_id}
                )
                target_id = conn.execute(
                    text("SELECT min(id) FROM metric_target WHERE metric_id = :m"), {"m": metric_id}
                ).scalar()
                conn.execute(
                    text("UPDATE metric_target SET target = 1e300 WHERE id = :t"), {"t": target_id}
                )
                before = _numbers(conn)
                events_before = conn.execute(text("SELECT count(*) FROM audit_event")).scalar()

            upgrade()
            with db.engine.connect() as conn:
                after = _numbers(conn)
                events = conn.execute(
                    text(
                        "SELECT action, entity, entity_id, field, old_value FROM audit_event "
                        "WHERE actor = 'migration 0011' ORDER BY id"
                    )
                ).all()
            kept = [r for r in after["readings"] if r[0] in (901, 902, 903)]
            assert kept == [(903, 1e12, "the largest allowed")]
            assert dict(after["baselines"])[metric_id] is None
            assert target_id not in [t[0] for t in after["targets"]]
            assert sorted((e.entity, e.entity_id, e.field, e.old_value) for e in events) == sorted(
                [
                    ("metricreading", 901, "value", "1e+27"),
                    ("metricreading", 901, "note", "typo"),
                    ("metricreading", 902, "value", "-1e+300"),
                    ("metric", metric_id, "baseline", "-1e+308"),
                    ("metrictarget", target_id, "target", "1e+300"),
                ]
            )
            # other numbers untouched
            assert len(after["readings"]) == len(before["readings"]) - 2

            downgrade(revision="0010")
            with db.engine.connect() as conn:
                assert _numbers(conn) == before
                assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar() == (
                    events_before
                )
        finally:
            db.session.remove()
            db.engine.dispose()
