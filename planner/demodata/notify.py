"""The demo's conversation: a few comments with mentions (on a risk, a work item and the
first gate), the signed pilot sign-off kept as gate evidence, and the reminders the daily job
would find today (the bell of the demo's lead and member is not empty)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.extensions import db
from planner.models import Membership, Program, Risk, User, WorkItem
from planner.services.discussion import add_attachment, add_comment, subject
from planner.services.notify_scan import scan_program

EVIDENCE_NAME = "foundation-gate-signoff.txt"
EVIDENCE = (
    "Foundation gate - sign-off of the pilot group\n"
    "Northwind Industrial Co.\n\n"
    "The pilot users confirm that the contact and account data migrated for their region is\n"
    "complete and that the new opportunity stages match how they sell.\n\n"
    "Signed: Li Wei (sales director), Wang Fang (project lead)\n"
)


def _people(program: Program) -> dict[str, User]:
    rows = db.session.execute(
        select(Membership.role, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.program_id == program.id)
    )
    return {role: user for role, user in rows}


def populate(program: Program, today: date) -> None:
    people = _people(program)
    if not {"lead", "member", "steering"} <= people.keys():
        return
    risk = db.session.scalar(
        select(Risk).where(Risk.program_id == program.id, Risk.key == "cleaning-legacy-data")
    )
    if risk is not None:
        on_risk = subject(program.id, "risk", risk.id)
        add_comment(on_risk, people["lead"], "@member can you check the duplicate accounts "
                    "in the **eastern region** before Friday's data review?")  # fmt: skip
        add_comment(on_risk, people["member"], "On it: 212 duplicates found so far, "
                    "*most of them* from the old quoting tool.")  # fmt: skip
    item = db.session.scalar(
        select(WorkItem).where(WorkItem.program_id == program.id).order_by(WorkItem.position)
    )
    if item is not None:
        on_item = subject(program.id, "workitem", item.id)
        add_comment(on_item, people["member"], "Minutes are in the shared folder; "
                    "@lead please confirm the attendee list.")  # fmt: skip
    # the sign-off belongs to the first gate after the diagnosis (Northwind's "foundation")
    phases = sorted(program.phases, key=lambda p: (p.key != "foundation", p.ordinal < 1, p.ordinal))
    first = phases[0] if phases else None
    if first is not None:
        gate = subject(program.id, "gate", first.id)
        add_attachment(gate, EVIDENCE_NAME, EVIDENCE.encode(), people["lead"].email)
        add_comment(gate, people["steering"], "Sign-off attached. @lead, the pilot group "
                    "also asked for a second training session.")  # fmt: skip
    db.session.flush()
    scan_program(program, today)
