"""A process that imports a plan file as a new program and commits: ``python -m
tests.reliability.import_worker URL INSTANCE FILE [KILL_TABLE MARKER]``.

With KILL_TABLE it dies (SIGKILL) just before its first INSERT into that table: what
happens to a gunicorn worker killed by the OOM killer or a deploy in the middle of an
import. Prints the new program's id on success.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    url, instance, file = argv[:3]
    os.environ["PLANNER_INSTANCE_PATH"] = instance
    from planner import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 32, "CLI_MODE": True})
    if len(argv) >= 5:
        from tests.reliability.killer import install

        install(argv[3], argv[4])
    with app.app_context():
        from planner.extensions import db
        from planner.services.exchange import import_new_program, read_plan_file

        data = Path(file).read_bytes()
        outcome = import_new_program(
            read_plan_file(Path(file).name, data), name="Imported plan", client="Client"
        )
        db.session.commit()
        print(outcome.program.id)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
