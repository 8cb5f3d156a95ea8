"""No lost updates: many clients edit the same risks at once through several workers.

Each client opens a risk's edit form, reads the counter at the end of the title and the
row version, and saves the counter plus one. With optimistic locking every save either
lands (302) or is refused (409, "changed by someone else"); afterwards each risk's counter
must equal its accepted saves, its version must have moved by as much, and the audit
trail must hold exactly one title change per accepted save. Anything else (a 5xx, a
counter behind its accepted saves) is a failure.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from bench.load.htmlform import form_with

COUNTER = re.compile(r"(\d+)$")


@dataclass
class EditTally:
    statuses: Counter[str] = field(default_factory=Counter)
    accepted: Counter[int] = field(default_factory=Counter)
    refused: Counter[int] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(
    base: str, cookie: str, risks: list[int], program: int, quota: int, tally: EditTally, seed: int
) -> None:
    # not security (B311)
    rng = random.Random(seed)  # nosec B311
    session = requests.Session()
    session.cookies.set("session", cookie, domain="127.0.0.1")
    for _ in range(quota):
        risk_id = rng.choice(risks)
        url = f"{base}/programs/{program}/risks/{risk_id}/edit"
        try:
            page = session.get(url, timeout=30)
            if page.status_code != 200:
                with tally.lock:
                    tally.statuses[f"form {page.status_code}"] += 1
                continue
            form = form_with(page.text, "version")
            number = int(COUNTER.search(form.get("title") or "").group(1))
            form.set("title", f"Load counter {number + 1}")
            started = time.perf_counter()
            saved = session.post(url, data=form.fields, allow_redirects=False, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
        except requests.RequestException as exc:
            with tally.lock:
                tally.statuses[f"error {type(exc).__name__}"] += 1
            continue
        with tally.lock:
            tally.latencies_ms.append(elapsed)
            tally.statuses[str(saved.status_code)] += 1
            if saved.status_code == 302:
                tally.accepted[risk_id] += 1
            elif saved.status_code == 409:
                tally.refused[risk_id] += 1


def run_edits(
    base: str, data: dict[str, Any], edits: int = 1000, clients: int = 16, risks: int = 2
) -> tuple[EditTally, float]:
    """``edits`` saves spread over ``clients`` threads, all on the first ``risks`` risks."""
    tally = EditTally()
    targets = data["contention_risks"][:risks]
    threads = []
    for n in range(clients):
        quota = edits // clients + (1 if n < edits % clients else 0)
        thread = threading.Thread(
            target=_client,
            args=(base, data["cookies"][n], targets, data["risk_program"], quota, tally, n),
        )
        threads.append(thread)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started
