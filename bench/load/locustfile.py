"""Locust users of the load test: readers of the dashboard, the Gantt and the risk register,
and editors of a few shared risks.

Run by bench/load/run.py (headless, loopback only, bounded in time); it passes the set-up
data in ``BENCH_DATA`` (JSON file) and collects the edit tally from ``BENCH_TALLY``.

An edit opens the risk's form, reads the counter at the end of its title and the row
version, and saves the title with the counter plus one: 302 = accepted, 409 = refused
because someone else saved first (expected: everyone edits the same five risks). Accepted
edits are tallied per risk; after the run every risk's counter must equal its accepted
edits (no lost update), and nothing may answer 5xx.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

from bench.load.htmlform import form_with

DATA = json.loads(Path(os.environ["BENCH_DATA"]).read_text())
TALLY_FILE = os.environ.get("BENCH_TALLY", "")
SAMPLES_FILE = os.environ.get("BENCH_SAMPLES", "")
COUNTER = re.compile(r"(\d+)$")
_ids = itertools.count()
tally: dict[str, Counter[str]] = {}
samples: list[tuple[str, float, int]] = []


def _count(risk_id: int, outcome: str) -> None:
    tally.setdefault(str(risk_id), Counter())[outcome] += 1


class Planner(HttpUser):
    wait_time = between(
        float(os.environ.get("BENCH_WAIT_MIN", "1")), float(os.environ.get("BENCH_WAIT_MAX", "3"))
    )

    def on_start(self) -> None:
        host = urlsplit(self.host).hostname or "127.0.0.1"
        cookie = DATA["cookies"][next(_ids) % len(DATA["cookies"])]
        self.client.cookies.set("session", cookie, domain=host)

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/programs/{DATA['demo_program']}/dashboard", name="read: dashboard")

    @task(2)
    def gantt(self) -> None:
        self.client.get(f"/programs/{DATA['big_program']}/plan/gantt", name="read: gantt 2000")

    @task(3)
    def register(self) -> None:
        self.client.get(f"/programs/{DATA['risk_program']}/risks", name="read: risk register")

    @task(2)
    def edit(self) -> None:
        # not security (B311)
        risk_id = random.choice(DATA["contention_risks"])  # nosec B311
        url = f"/programs/{DATA['risk_program']}/risks/{risk_id}/edit"
        page = self.client.get(url, name="read: risk edit form")
        if page.status_code != 200:
            _count(risk_id, f"form {page.status_code}")
            return
        form = form_with(page.text, "version")
        match = COUNTER.search(form.get("title") or "")
        if match is None:
            _count(risk_id, "no counter")
            return
        form.set("title", f"Load counter {int(match.group(1)) + 1}")
        with self.client.post(
            url,
            data=form.fields,
            name="write: risk edit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                _count(risk_id, "accepted")
                response.success()
            elif response.status_code == 409:
                _count(risk_id, "refused")
                response.success()  # the expected answer to a stale edit
            else:
                _count(risk_id, f"status {response.status_code}")
                response.failure(f"unexpected {response.status_code}")


@events.request.add_listener
def _record(name, response_time, response=None, **_kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    samples.append((name, float(response_time), int(status)))


@events.quitting.add_listener
def _write_tally(environment, **_kwargs) -> None:
    if TALLY_FILE:
        Path(TALLY_FILE).write_text(json.dumps({k: dict(v) for k, v in tally.items()}))
    if SAMPLES_FILE:
        Path(SAMPLES_FILE).write_text(json.dumps(samples))
