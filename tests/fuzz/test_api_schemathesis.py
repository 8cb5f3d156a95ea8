"""Fuzz the JSON API from its own OpenAPI description with schemathesis, against a live server.

The app runs in a werkzeug server on 127.0.0.1 (a free port, a fresh SQLite database) and
schemathesis sends every documented operation requests generated from the description, with a
real administrator's token: valid data (positive) and data that breaks the schema (negative).
Path and body ids are steered towards rows that exist, so the requests reach the services and
not only the 404s. Checks: no 5xx, every response's status, content type, headers and body as
documented.

Quick by default (PLANNER_FUZZ_EXAMPLES, default 20 examples per operation); the slow mode
runs 200 per operation: ``PLANNER_FUZZ=slow pytest tests/fuzz``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

from tests.conftest import TEST_DATABASE_URL, _postgres_database, make_app, make_user

SLOW = os.environ.get("PLANNER_FUZZ", "").lower() == "slow"
EXAMPLES = int(os.environ.get("PLANNER_FUZZ_EXAMPLES") or (200 if SLOW else 20))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# how many requests the run made, by status (printed at the end of the session)
STATS: dict[int, int] = {}
TIMES: dict[str, float] = {}


class LiveServer:
    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=False)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


def _seed(app: Any) -> dict[str, Any]:
    """A program with a plan, risks, metrics and gates; the ids the requests are steered to."""
    from planner.extensions import db
    from planner.models import Dependency, GateCriterion, Metric, MetricReading, Phase, Risk
    from planner.models import WorkItem as Item
    from planner.services.api_tokens import create_token
    from tests.integration.api_support import new_program

    with app.app_context():
        db.create_all()
        user = make_user("fuzz-admin@test.example", is_admin=True)
        _row, token = create_token(user, "schemathesis")
        program = new_program("Fuzzed rollout", date(2026, 1, 5))
        metric = db.session.scalars(
            db.select(Metric).where(Metric.program_id == program.id)
        ).first()
        metric.readings.append(MetricReading(day=date(2026, 2, 2), value=12.0, note=""))
        db.session.commit()

        def ids(model: Any, *where: Any) -> list[int]:
            return list(db.session.scalars(db.select(model.id).where(*where).order_by(model.id)))

        phases = ids(Phase, Phase.program_id == program.id)
        return {
            "token": token,
            "program_id": [program.id],
            "phase_id": phases,
            "item_id": ids(Item, Item.program_id == program.id),
            "dependency_id": ids(Dependency, Dependency.program_id == program.id),
            "risk_id": ids(Risk, Risk.program_id == program.id),
            "metric_id": ids(Metric, Metric.program_id == program.id),
            "reading_id": ids(MetricReading),
            "criterion_id": ids(GateCriterion, GateCriterion.phase_id.in_(phases)),
            "decision_id": [1],
            "ordinal": list(range(len(phases))),
        }


@pytest.fixture(scope="session")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    """The app on a free port of 127.0.0.1, on a database of its own (PostgreSQL when
    TEST_DATABASE_URL is set, else SQLite)."""
    from tests.integration.api_support import install_api

    databases = _postgres_database() if TEST_DATABASE_URL else None
    if databases is not None:
        url = next(databases)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'planner.sqlite'}"
    # TESTING off: errors are answered as the deployed app answers them (a 500 problem body)
    app = make_app(url, TESTING=False, WTF_CSRF_ENABLED=True)
    patch = pytest.MonkeyPatch()  # the policy entries are undone after the run
    install_api(app, patch)
    try:
        known = _seed(app)
        with LiveServer(app) as server:
            yield server.url, known
    finally:
        patch.undo()
        with app.app_context():
            from planner.extensions import db

            db.session.remove()
            db.engine.dispose()
        if databases is not None:
            databases.close()
    slowest = sorted(TIMES.items(), key=lambda kv: -kv[1])[:5]
    print("\nslowest operations:", ", ".join(f"{k} {v:.1f}s" for k, v in slowest))
    print(f"schemathesis: {sum(STATS.values())} requests, by status: {dict(sorted(STATS.items()))}")


def _steer(known: dict[str, Any], name: str, value: Any) -> Any:
    """Most generated ids become ids that exist (the generated number picks which)."""
    choices = known.get(name)
    if not choices or not isinstance(value, int) or isinstance(value, bool) or value % 5 == 0:
        return value
    return choices[value % len(choices)]


@pytest.fixture(scope="session")
def api_schema(live_api: tuple[str, dict[str, Any]]) -> Any:
    url, known = live_api
    config = schemathesis.Config.from_dict(
        {
            "base-url": f"{url}/api/v1",
            "headers": {"Authorization": f"Bearer {known['token']}"},
            "generation": {"mode": "all", "max-examples": EXAMPLES},
        }
    )
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json", config=config)

    @schema.hook
    def map_path_parameters(context: Any, path_parameters: dict[str, Any]) -> dict[str, Any]:
        if not path_parameters:
            return path_parameters
        keep_program = context.operation is not None and context.operation.method == "DELETE"
        for name, value in list(path_parameters.items()):
            if (
                name == "program_id"
                and keep_program
                and context.operation.path == "/programs/{program_id}"
            ):
                continue  # deleting the fuzzed program would end the run's coverage
            path_parameters[name] = _steer(known, name, value)
        return path_parameters

    @schema.hook
    def map_body(context: Any, body: Any) -> Any:
        if isinstance(body, dict):
            for name in ("phase_id", "predecessor_id", "successor_id", "proximity_phase_id"):
                if name in body:
                    body[name] = _steer(
                        {
                            **known,
                            "predecessor_id": known["item_id"],
                            "successor_id": known["item_id"],
                            "proximity_phase_id": known["phase_id"],
                        },
                        name,
                        body[name],
                    )
            if isinstance(body.get("version"), int) and body["version"] % 2 == 0:
                body["version"] = 1
        return body

    return schema


def test_api_conforms_to_its_description(api_schema: Any, subtests: Any) -> None:
    """Every operation, positive and negative data; one subtest per operation."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=not SLOW,
            database=None,
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            response = case.call_and_validate(checks=CHECKS)
            STATS[response.status_code] = STATS.get(response.status_code, 0) + 1

        started = time.monotonic()
        with subtests.test(msg=f"{operation.method.upper()} {operation.path}"):
            run()
        TIMES[f"{operation.method.upper()} {operation.path}"] = time.monotonic() - started
