"""Generated 2,000- and 10,000-item programs in a running demo's database, for the Gantt
page's benchmark (``bench/gantt_page_bench.py``) and browser journeys (tests/e2e).

Run: ``python -m bench.gantt_programs INSTANCE_DIR [--sizes 2000 10000]`` — adds the programs
to ``INSTANCE_DIR/demo.sqlite`` (a ``planner demo`` may be serving it) with every demo account
as a member in its demo role, and prints their ids.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

NAME = "Generated Gantt {n}"


def add_programs(instance: Path, sizes: list[int], today: date | None = None) -> dict[int, int]:
    """Size → program id; programs of these sizes already there are reused."""
    from sqlalchemy import select

    from planner import create_app
    from planner.extensions import db
    from planner.models import Membership, Program, User
    from planner.services.generate import generate_program

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'demo.sqlite'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
            "PLANNER_REQUEST_LOG": False,
            "PLANNER_CACHE_URL": "null",
        }
    )
    today = today or date.today()
    found: dict[int, int] = {}
    with app.app_context():
        users = db.session.scalars(select(User).where(User.email.like("%@demo.example"))).all()
        for n in sizes:
            name = NAME.format(n=n)
            existing = db.session.scalar(select(Program.id).where(Program.name == name))
            if existing is not None:
                found[n] = existing
                continue
            program = generate_program(
                n,
                start_date=today - timedelta(days=150),
                progress_until=today,
                baseline_name="Plan",
                name=name,
            )
            db.session.flush()
            for phase in program.phases:  # a bilingual program, as the demo's are
                phase.name_zh = phase.name_zh or f"第 {phase.ordinal} 阶段（生成）"
            for user in users:
                role = user.email.split("@", 1)[0]
                if role in ("lead", "member", "steering", "viewer"):
                    db.session.add(Membership(user_id=user.id, program_id=program.id, role=role))
            db.session.commit()
            found[n] = program.id
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    args = parser.parse_args()
    print(add_programs(args.instance, args.sizes))


if __name__ == "__main__":
    main()
