"""Every route, every role, every method: the allowed set is exactly what the roles promise.

EXPECTED is the specification, written independently of planner/web/policy.py: a route that
is added without an entry here fails this test.
"""

from __future__ import annotations

from datetime import date

import pytest

from planner.services.playbooks import get_playbook
from planner.services.programs import create_program

ROLES = ("anonymous", "outsider", "viewer", "steering", "member", "lead", "admin")
ALLOWED = {
    "public": set(ROLES),
    "signed_in": set(ROLES) - {"anonymous"},
    "admin": {"admin"},
    "consultant": {"admin"},  # the matrix's users are not consultants; see the library tests
    "read": {"viewer", "steering", "member", "lead", "admin"},
    "edit": {"member", "lead", "admin"},
    "decide": {"steering", "lead", "admin"},
    "manage": {"lead", "admin"},
}

R, E, D, M = "read", "edit", "decide", "manage"
READ_EDIT = {"GET": R, "POST": E}

EXPECTED: dict[str, str | dict[str, str]] = {
    "static": "public",
    "bootstrap.static": "public",
    "plotly_js": "public",
    "programs.set_language": "public",
    "auth.login": "public",
    "auth.logout": "public",
    "share.open": "public",
    "ops.healthz": "public",
    "auth.change_password": "signed_in",
    "programs.index": "signed_in",
    "programs.new": "signed_in",
    "dashboard.portfolio": "signed_in",
    "admin.users": "admin",
    "admin.user_update": "admin",
    "admin.user_sign_out": "admin",
    "programs.overview": R,
    "history.index": R,
    "dashboard.show": R,
    "members.index": {"GET": R, "POST": M},
    "members.update": M,
    "members.remove": M,
    "members.share_links": M,
    "members.revoke_link": M,
    # risks: members edit the register; the steering committee runs reviews
    **{f"risks.{e}": R for e in ("register", "detail", "export_xlsx", "export_csv", "review")},
    **{
        f"risks.{e}": E
        for e in (
            "new",
            "edit",
            "import_register",
            "set_status",
            "add_action",
            "toggle_action",
            "delete_action",
            "link_item",
            "unlink_item",
            "link_phase",
            "unlink_phase",
        )
    },
    "risks.reviews": {"GET": R, "POST": D},
    # RAID log: members keep issues, actions and change requests; steering decides
    **{f"raid.{e}": R for e in ("index", "issue", "change", "decision", "export_xlsx")},
    **{
        f"raid.{e}": E
        for e in (
            "issue_new",
            "issue_edit",
            "issue_status",
            "risk_to_issue",
            "risk_reviewed",
            "action_add",
            "action_done",
            "change_new",
            "change_update",
            "import_xlsx",
        )
    },
    **{f"raid.{e}": D for e in ("decision_new", "change_decide")},
    "raid.action": READ_EDIT,
    **{f"risks.{e}": D for e in ("edit_review", "refresh_snapshot", "decide")},
    # metrics: members enter readings; the lead defines metrics and rules
    **{f"metrics.{e}": R for e in ("index", "detail", "export_readings")},
    **{
        f"metrics.{e}": E
        for e in ("add_reading", "edit_reading", "delete_reading", "import_readings")
    },
    **{f"metrics.{e}": M for e in ("new", "edit", "settings")},
    # adoption: everyone reads; members import usage logs and record training; the lead
    # defines teams and the user lookup
    "adoption.matrix": R,
    "adoption.usage": {"GET": R, "POST": E},
    "adoption.teams": {"GET": R, "POST": M},
    "adoption.lookup": M,
    "adoption.value_delete": M,
    "adoption.training": {"GET": R, "POST": E},
    "adoption.training_delete": E,
    "adoption.training_import": E,
    "adoption.cells": {"GET": R, "POST": E},
    "question_bank.guide": {"GET": R, "POST": E},
    # gates: the lead edits criteria; the steering committee decides
    "gates.index": R,
    "gates.show": R,
    **{f"gates.{e}": M for e in ("new_criterion", "edit_criterion", "delete_criterion")},
    "gates.decide": D,
    # maturity assessment
    **{
        f"assessment.{e}": R
        for e in (
            "index",
            "show",
            "results",
            "report",
            "export",
            "compare",
            "actions",
            "score_start",
        )
    },
    **{
        f"assessment.{e}": READ_EDIT
        for e in (
            "new",
            "edit",
            "settings",
            "score",
            "interview_new",
            "interview_edit",
            "action_edit",
        )
    },
    **{
        f"assessment.{e}": E
        for e in ("interview_delete", "actions_propose", "action_status", "actions_to_plan")
    },
    "assessment.delete": M,
    # the plan: members edit it
    **{f"plan.{e}": R for e in ("gantt", "table", "phases", "item")},
    "gantt.data": R,
    "gantt.edit": E,
    **{
        f"plan.{e}": E
        for e in (
            "item_new",
            "item_key_suggestion",
            "item_edit",
            "item_progress",
            "item_move",
            "item_delete",
            "dependency_new",
            "dependency_add",
            "dependency_delete",
            "baseline_delete",
            "calendar_day_delete",
            "status_date",
        )
    },
    **{f"library.{e}": "signed_in" for e in ("index", "versions", "diff", "preview", "source")},
    "library.upload": "consultant",
    "library.upgrade": {"GET": R, "POST": M},
    "library.lessons": R,
    **{
        f"exchange.{e}": R
        for e in (
            "index",
            "export_mspdi",
            "export_csv",
            "export_xlsx",
            "pack_pptx",
            "pack_pdf",
            "save_playbook",
        )
    },
    "exchange.import_into_phase": E,
    "exchange.update_preview": E,
    "exchange.update_apply": E,
    "exchange.import_program": "signed_in",
    "exchange.account_feed": "signed_in",
    "exchange.feed": "public",
    "tokens.index": "signed_in",
    "tokens.revoke": "signed_in",
    "plan.baselines": READ_EDIT,
    "plan.calendar": READ_EDIT,
    "replan.replan": {"GET": R, "POST": M},
    "replan.holiday_set": E,
    "scenarios.index": READ_EDIT,
    "scenarios.show": R,
    **{f"scenarios.{e}": E for e in ("edit_item", "add_link", "remove_link", "apply", "discard")},
    "schedule_risk.index": R,
    "schedule_risk.export": R,
    **{
        f"schedule_risk.{e}": E
        for e in ("save_range", "delete_range", "save_item_range", "save_risk_delay")
    },
    # notifications: a person's own; the digest's signed links need no sign-in; webhooks: lead
    "notify.index": "signed_in",
    "notify.open_one": "signed_in",
    "notify.mark": "signed_in",
    "notify.preferences": "signed_in",
    "notify.token_preferences": "public",
    "notify.unsubscribe": "public",
    "notify.program_settings": M,
    "notify.webhook_delete": M,
    # comments and attachments: members read (writers are checked in the view)
    **{
        f"discussion.{e}": R
        for e in (
            "comment_add",
            "comment_edit",
            "attachment_add",
            "attachment_get",
            "attachment_delete",
            "mentionable",
        )
    },
    # people, workload and money: members keep them; naming a role and leveling are the lead's
    "people.directory": READ_EDIT,
    "people.person": READ_EDIT,
    "people.days_off": E,
    "people.merge": M,
    "people.workload": R,
    "people.level": M,
    "people.portfolio_workload": "signed_in",
    "people.across": "signed_in",
    "money.costs": READ_EDIT,
    "money.effort": READ_EDIT,
    "money.benefits": READ_EDIT,
    "money.benefit_reading": E,
    "money.export_xlsx": R,
}


def is_api(endpoint: str) -> bool:
    # the API answers only to tokens; tests/integration/test_api_permissions.py walks it
    return endpoint.startswith("api.")


def requirement(endpoint: str, method: str) -> str:
    spec = EXPECTED[endpoint]
    return spec if isinstance(spec, str) else spec[method]


def url_for_rule(rule, program_id: int) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if name == "program_id":
            values[name] = program_id
        elif type(converter).__name__ == "IntegerConverter":
            values[name] = 999_999  # no such row: the policy decides before the view looks
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def test_every_route_has_an_expected_permission(app) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if not is_api(rule.endpoint)}
    assert sorted(endpoints - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - endpoints) == []


def test_permission_matrix(app, db, login_as) -> None:
    playbook = get_playbook("small-business-quick-start")
    program = create_program(playbook, name="Matrix", client="C", start_date=date(2026, 1, 5))
    db.session.commit()
    clients = {role: login_as(role, program) for role in ROLES}
    problems = []
    # signing out ends every session: walk it last
    rules = sorted(
        app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.endpoint)
    )
    for rule in rules:
        if rule.endpoint in ("static", "bootstrap.static") or rule.endpoint not in EXPECTED:
            continue  # a route missing from EXPECTED fails the test above
        path = url_for_rule(rule, program.id)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            allowed = set()
            for role, client in clients.items():
                response = client.open(path, method=method, data={})
                # a failed sign-in answers 401 by design; elsewhere 401 means "sign in first"
                denied = (
                    response.status_code == 403
                    or (response.status_code == 401 and rule.endpoint != "auth.login")
                    or (
                        response.status_code == 302
                        and "/login" in response.headers.get("Location", "")
                        and rule.endpoint != "auth.logout"
                    )
                )
                public = requirement(rule.endpoint, method) == "public"
                if role == "outsider" and "program_id" in rule.arguments and not public:
                    # another program's pages must not even reveal that it exists
                    if response.status_code != 404:
                        problems.append(
                            f"{method} {rule.endpoint}: outsider got {response.status_code}"
                        )
                    denied = True
                if response.status_code >= 500:
                    problems.append(f"{method} {rule.endpoint} as {role}: {response.status_code}")
                if not denied:
                    allowed.add(role)
            expected = ALLOWED[requirement(rule.endpoint, method)]
            if allowed != expected:
                problems.append(
                    f"{method} {rule.endpoint}: allowed {sorted(allowed)}, "
                    f"expected {sorted(expected)}"
                )
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", ["viewer", "steering"])
def test_readers_get_no_edit_controls(login_as, db, role) -> None:
    program = create_program(
        get_playbook("small-business-quick-start"),
        name="P",
        client="C",
        start_date=date(2026, 1, 5),
    )
    db.session.commit()
    page = login_as(role, program).get(f"/programs/{program.id}/members").get_data(as_text=True)
    assert "Add a member" not in page
    assert "Remove" not in page
