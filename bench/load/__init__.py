"""Load test of the planner under gunicorn: see bench/load/run.py."""
