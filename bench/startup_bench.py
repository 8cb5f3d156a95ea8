"""Benchmark of `planner demo`: from the command to the first HTTP 200; prints figures.

Run: ``.venv/bin/python -m bench.startup_bench [--runs 5] [--port 5199]``

Each run starts ``planner demo --port P`` with a fresh instance folder of its own (first
run of the day: the demo database is built and kept) or the same folder again (later runs:
the kept copy is used), polls ``/login`` on loopback until it answers 200, then stops the
server. Wall time is what a person waits; CPU time (the server process's user + system
seconds, read from /proc before it is stopped) is what the start-up costs on a loaded
machine.

As after ``pip install`` (which compiles every module), the project's modules are compiled
to bytecode first and the server may use and write bytecode even if the caller's
environment says ``PYTHONDONTWRITEBYTECODE`` (this machine's sessions do: without the
bytecode every run compiles ~350 modules of the package again, ~0.4–0.9 s of CPU);
``--no-bytecode`` measures that way instead.

Budget (issue 17): ``planner demo`` to the first HTTP 200 ≤ 3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BUDGET_S = 3.0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


ROOT = Path(__file__).resolve().parent.parent


def _one_run(instance: Path, port: int, bytecode: bool = True) -> tuple[float, float]:
    env = {**os.environ, "PLANNER_INSTANCE_PATH": str(instance), "PYTHONPATH": str(ROOT)}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    planner = Path(sys.executable).with_name("planner")
    began = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [str(planner), "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"planner demo exited with {server.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:  # noqa: S310 - loopback
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.02)
        wall = time.perf_counter() - began
        cpu = _cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=5199)
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module each run")
    args = parser.parse_args()
    bytecode = not args.no_bytecode
    if bytecode:  # as `pip install` does
        subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "compileall",
                "-q",
                str(ROOT / "planner"),
                str(ROOT / "migrations"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        )
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    folder = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    try:
        first = [_one_run(folder / f"fresh{k}", args.port, bytecode) for k in range(args.runs)]
        later = [_one_run(folder / "fresh0", args.port, bytecode) for _ in range(args.runs)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for label, runs in (("first run (demo built)", first), ("later runs (kept copy)", later)):
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        verdict = "met" if wall <= BUDGET_S else "NOT met"
        print(
            f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU (median of {len(runs)}); "
            f"budget ≤ {BUDGET_S:g} s: {verdict}"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
