"""The load test: gunicorn with several workers on PostgreSQL and on SQLite, loopback only.

Run: ``.venv/bin/python -m bench.load.run [--backends sqlite postgresql] [--users 50]
[--seconds 60] [--workers 4] [--edits 1000] [--edit-clients 16] [--edit-workers 8]``

For each database: a database of its own (a temporary SQLite file, or a new database on
the PostgreSQL server at 127.0.0.1:5432 that is dropped afterwards), filled with the demo
programs, a generated 2,000-item program and 50 member accounts; gunicorn
(deploy/gunicorn.conf.py) on a free loopback port; a warm-up; then

1. **mixed load** — locust, headless, ``--users`` users for ``--seconds`` seconds: the
   dashboard, the Gantt of the 2,000-item program, the risk register, and edits of five
   shared risks (409 when someone saved first); requests/s, p50/p95/p99 for reads and
   writes, errors, and the no-lost-update check on the edits;
2. **no lost updates** — ``--edits`` saves of the same two risks from ``--edit-clients``
   threads through ``--edit-workers`` workers; every save must be 302 or 409 and the
   counters must equal the accepted saves.

Every status code comes from the app's own JSON request log (one line per request), so
5xx answers are counted even when a client gave up. Budgets (issue 10): 0 errors, p95 ≤
250 ms for reads and ≤ 400 ms for writes on PostgreSQL. Results: printed, and written as
JSON to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics

# starts gunicorn and locust from this virtualenv (B404)
import subprocess  # nosec B404
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from bench.load.lost_updates import run_edits
from bench.load.setup_db import (
    SECRET_KEY,
    contention_state,
    create_database,
    drop_database,
    populate,
)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BUDGET = {"read_p95_ms": 250, "write_p95_ms": 400, "errors": 0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn with the deploy config on a loopback port; its JSON log kept in a file."""

    def __init__(self, url: str, instance: str, workers: int, log_dir: Path, tag: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.out = log_dir / f"{tag}.requests.jsonl"
        self.err = log_dir / f"{tag}.gunicorn.log"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET_KEY,
            "PLANNER_INSTANCE_PATH": instance,
            "PLANNER_WORKERS": str(workers),
            "PLANNER_BIND": f"127.0.0.1:{self.port}",
            "PLANNER_MAX_REQUESTS": "0",
        }
        # fixed command (B603)
        self.process = subprocess.Popen(  # nosec B603
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=self.out.open("w"),
            stderr=self.err.open("w"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.err}")
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for raw in self.out.read_text().splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if entry.get("event") == "request":
                lines.append(entry)
        return lines


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(times: list[float]) -> dict[str, float]:
    return {
        "count": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "max_ms": round(max(times), 1) if times else float("nan"),
        "mean_ms": round(statistics.fmean(times), 1) if times else float("nan"),
    }


def warm_up(server: Server, data: dict[str, Any], workers: int) -> None:
    session = requests.Session()
    session.cookies.set("session", data["cookies"][0], domain="127.0.0.1")
    pages = [
        f"/programs/{data['demo_program']}/dashboard",
        f"/programs/{data['big_program']}/plan/gantt",
        f"/programs/{data['risk_program']}/risks",
        f"/programs/{data['risk_program']}/risks/{data['contention_risks'][0]}/edit",
    ]
    for _ in range(3 * workers):
        for page in pages:
            session.get(server.base + page, timeout=60)


def check_counters(
    before: dict[int, dict[str, Any]], after: dict[int, dict[str, Any]], accepted: dict[int, int]
) -> list[str]:
    problems = []
    for risk_id, start in before.items():
        end = after[risk_id]
        n = accepted.get(risk_id, 0)
        for key in ("counter", "version", "title_changes"):
            if end[key] - start[key] != n:
                problems.append(
                    f"risk {risk_id}: {key} moved by {end[key] - start[key]}, accepted saves {n}"
                )
    return problems


def mixed_load(
    server: Server, data: dict[str, Any], data_file: Path, users: int, seconds: int, tag: str
) -> dict[str, Any]:
    work = data_file.parent
    tally_file, samples_file = work / f"{tag}.tally.json", work / f"{tag}.samples.json"
    before = contention_state(data["url"], data["contention_risks"])
    first_line = len(server.log_lines())
    env = {
        **os.environ,
        "BENCH_DATA": str(data_file),
        "BENCH_TALLY": str(tally_file),
        "BENCH_SAMPLES": str(samples_file),
        "PYTHONPATH": str(ROOT),
    }
    started = time.perf_counter()
    # fixed command (B603)
    subprocess.run(  # nosec B603
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "load" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "15",
            "--host",
            server.base,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--csv",
            str(work / f"{tag}.locust"),
        ],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=(work / f"{tag}.locust.out").open("w"),
        stderr=subprocess.STDOUT,
    )
    wall = time.perf_counter() - started
    after = contention_state(data["url"], data["contention_risks"])
    samples = json.loads(samples_file.read_text())
    tally = json.loads(tally_file.read_text())
    lines = server.log_lines()[first_line:]
    reads = [t for name, t, _ in samples if name.startswith("read")]
    writes = [t for name, t, _ in samples if name.startswith("write")]
    by_name: dict[str, list[float]] = {}
    for name, t, _status in samples:
        by_name.setdefault(name, []).append(t)
    client_statuses = Counter(str(status) for _n, _t, status in samples)
    server_statuses = Counter(str(line["status"]) for line in lines)
    errors = sum(
        1
        for name, _t, status in samples
        if status == 0
        or status >= 500
        or (status >= 400 and not (status == 409 and name.startswith("write")))
    )
    accepted = {int(k): v.get("accepted", 0) for k, v in tally.items()}
    refused = sum(v.get("refused", 0) for v in tally.values())
    refused_in_log = sum(
        1
        for line in lines
        if line["route"] == "risks.edit" and line["method"] == "POST" and line["status"] == 409
    )
    server_by_route: dict[str, list[float]] = {}
    for line in lines:
        key = f"{line['method']} {line['route']}"
        server_by_route.setdefault(key, []).append(float(line["duration_ms"] or 0))
    return {
        "server_ms_by_route": {k: summary(v) for k, v in sorted(server_by_route.items())},
        "users": users,
        "seconds": seconds,
        "wall_s": round(wall, 1),
        "requests": len(samples),
        "requests_per_s": round(len(samples) / seconds, 1),
        "reads": summary(reads),
        "writes": summary(writes),
        "by_name": {name: summary(times) for name, times in sorted(by_name.items())},
        "client_statuses": dict(client_statuses),
        "server_statuses": dict(server_statuses),
        "errors": errors,
        "server_5xx": sum(v for k, v in server_statuses.items() if k.startswith("5")),
        "edits_accepted": sum(accepted.values()),
        "edits_refused_409": refused,
        "refused_409_in_server_log": refused_in_log,
        "counter_problems": check_counters(before, after, accepted),
    }


def lost_updates(
    url: str,
    instance: str,
    data: dict[str, Any],
    log_dir: Path,
    edits: int,
    clients: int,
    workers: int,
    tag: str,
) -> dict[str, Any]:
    server = Server(url, instance, workers, log_dir, f"{tag}-edits")
    try:
        warm_up(server, data, workers)
        before = contention_state(url, data["contention_risks"])
        tally, wall = run_edits(server.base, data, edits=edits, clients=clients)
        after = contention_state(url, data["contention_risks"])
        lines = server.log_lines()
    finally:
        server.stop()
    saves = [line for line in lines if line["route"] == "risks.edit" and line["method"] == "POST"]
    server_statuses = Counter(str(line["status"]) for line in saves)
    return {
        "edits": edits,
        "clients": clients,
        "workers": workers,
        "wall_s": round(wall, 1),
        "saves_per_s": round(edits / wall, 1),
        "save_latency": summary(tally.latencies_ms),
        "client_statuses": dict(tally.statuses),
        "server_statuses": dict(server_statuses),
        "accepted": sum(tally.accepted.values()),
        "refused_409": sum(tally.refused.values()),
        "server_5xx": sum(v for k, v in server_statuses.items() if k.startswith("5")),
        "counter_problems": check_counters(before, after, dict(tally.accepted)),
        "stale_caught_by_safety_net": server.out.read_text().count("stale row version"),
        "locked_in_log": (log_dir / f"{tag}-edits.gunicorn.log")
        .read_text()
        .count("database is locked"),
    }


def run_backend(backend: str, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    print(f"== {backend}: preparing the database", flush=True)
    url, instance = create_database(backend)
    result: dict[str, Any] = {"backend": backend, "loadavg_before": os.getloadavg()}
    try:
        started = time.perf_counter()
        data = populate(url, instance, users=max(args.users, args.edit_clients)).to_json()
        result["setup_s"] = round(time.perf_counter() - started, 1)
        data_file = out / f"{backend}.data.json"
        data_file.write_text(json.dumps(data))
        print(f"== {backend}: mixed load, {args.users} users for {args.seconds} s", flush=True)
        server = Server(url, instance, args.workers, out, f"{backend}-load")
        try:
            warm_up(server, data, args.workers)
            result["load"] = mixed_load(server, data, data_file, args.users, args.seconds, backend)
        finally:
            server.stop()
        result["load"]["locked_in_log"] = server.err.read_text().count("database is locked")
        result["load"]["stale_caught_by_safety_net"] = server.out.read_text().count(
            "stale row version"
        )
        result["loadavg_after_load"] = os.getloadavg()
        if args.edits:
            print(
                f"== {backend}: {args.edits} edits from {args.edit_clients} clients "
                f"through {args.edit_workers} workers",
                flush=True,
            )
            result["lost_updates"] = lost_updates(
                url, instance, data, out, args.edits, args.edit_clients, args.edit_workers, backend
            )
    finally:
        drop_database(url)
    return result


def report(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        load = r["load"]
        lines.append(
            f"(machine load average before {r['loadavg_before'][0]:.1f}, "
            f"after the mixed load {r['loadavg_after_load'][0]:.1f}; 2 cores)"
        )
        lines.append(
            f"{r['backend']}: {load['requests']} requests in {load['seconds']} s = "
            f"{load['requests_per_s']} req/s; errors {load['errors']}, "
            f"server 5xx {load['server_5xx']}"
        )
        for kind, budget in (("reads", BUDGET["read_p95_ms"]), ("writes", BUDGET["write_p95_ms"])):
            s = load[kind]
            lines.append(
                f"  {kind:<6} n={s['count']:<5} p50 {s['p50_ms']:>7} ms  p95 {s['p95_ms']:>7} ms "
                f"(budget {budget})  p99 {s['p99_ms']:>7} ms"
            )
        for name, s in load["by_name"].items():
            lines.append(
                f"    {name:<22} n={s['count']:<5} p50 {s['p50_ms']:>7}  p95 {s['p95_ms']:>7}  "
                f"p99 {s['p99_ms']:>7}"
            )
        for route, s in load["server_ms_by_route"].items():
            lines.append(
                f"    server {route:<24} n={s['count']:<5} p50 {s['p50_ms']:>7}  "
                f"p95 {s['p95_ms']:>7}  p99 {s['p99_ms']:>7}"
            )
        lines.append(
            f"  edits: {load['edits_accepted']} accepted, "
            f"{load['edits_refused_409']} refused (409; "
            f"{load['refused_409_in_server_log']} in the server log); counter problems: "
            f"{load['counter_problems'] or 'none'}; "
            f"'database is locked' in log: {load['locked_in_log']}"
        )
        lost = r.get("lost_updates")
        if lost:
            lines.append(
                f"  no-lost-updates: {lost['edits']} saves, {lost['clients']} clients, "
                f"{lost['workers']} workers in {lost['wall_s']} s: {lost['accepted']} accepted, "
                f"{lost['refused_409']} refused (409), 5xx {lost['server_5xx']}, statuses "
                f"{lost['client_statuses']}; save p95 {lost['save_latency']['p95_ms']} ms; counter "
                f"problems: {lost['counter_problems'] or 'none'}; "
                f"locked in log {lost['locked_in_log']}; stale writes answered 409 by the "
                f"safety net {lost['stale_caught_by_safety_net']}"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["postgresql", "sqlite"])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--wait",
        type=float,
        nargs=2,
        default=[1.0, 3.0],
        metavar=("MIN", "MAX"),
        help="Think time of a simulated user between two requests, in seconds.",
    )
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--edit-clients", type=int, default=16)
    parser.add_argument("--edit-workers", type=int, default=8)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    os.environ["BENCH_WAIT_MIN"], os.environ["BENCH_WAIT_MAX"] = map(str, args.wait)
    out = args.out or Path(tempfile.mkdtemp(prefix="planner-load-results-"))
    out.mkdir(parents=True, exist_ok=True)
    results = [run_backend(backend, args, out) for backend in args.backends]
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(report(results))
    print(f"(details in {out})")
    failed = any(
        r["load"]["server_5xx"]
        or r["load"]["counter_problems"]
        or (r.get("lost_updates") or {}).get("server_5xx")
        or (r.get("lost_updates") or {}).get("counter_problems")
        for r in results
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
