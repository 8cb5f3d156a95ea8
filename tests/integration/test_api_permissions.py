"""Every API operation, every role: the roles allowed are exactly those its requirement names.

The same table of roles as the pages (planner.domain.access); tokens instead of the session.
"""

from __future__ import annotations

import re

import pytest

from planner.api.core import OPERATIONS
from planner.domain.access import CAPABILITIES
from tests.integration.api_support import api_as, new_program

ROLES = ("anonymous", "outsider", "viewer", "steering", "member", "lead", "admin")


def allowed_roles(requirement: str) -> set[str]:
    if requirement == "signed_in":
        return set(ROLES) - {"anonymous"}
    return {role for role, caps in CAPABILITIES.items() if requirement in caps} | {"admin"}


pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


def test_every_operation_allows_exactly_its_roles(app, db) -> None:
    program = new_program()
    clients = {role: api_as(app, role, program) for role in ROLES}
    problems = []
    for op in OPERATIONS:
        path = re.sub(r"\{program_id\}", str(program.id), op.path)
        path = re.sub(r"\{ordinal\}", "0", path)
        path = re.sub(r"\{[a-z_]+\}", "999999", path)  # no such row: the policy answers first
        if op.method == "DELETE":
            path += "?version=1"
        allowed = set()
        for role, api in clients.items():
            body = {} if op.body is not None else None
            response = api.open(op.method, path, body)
            status = response.status_code
            if status >= 500:
                problems.append(f"{op.method} {op.path} as {role}: {status}")
            if response.mimetype not in ("application/json", "application/problem+json") and (
                status != 204
            ):
                problems.append(f"{op.method} {op.path} as {role}: {response.mimetype}")
            if role == "outsider" and "{program_id}" in op.path:
                if status != 404:
                    problems.append(f"{op.method} {op.path}: outsider got {status}")
                continue
            if status not in (401, 403):
                allowed.add(role)
        expected = allowed_roles(op.requirement)
        if allowed != expected:
            problems.append(
                f"{op.method} {op.path}: allowed {sorted(allowed)}, expected {sorted(expected)}"
            )
    assert problems == []
