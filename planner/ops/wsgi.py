"""The WSGI entry point for gunicorn: ``gunicorn -c deploy/gunicorn.conf.py planner.ops.wsgi:app``.

Settings come from the environment (see planner/config.py); the app factory adds the
operations layer (request logs, /healthz, cache, safety nets).
"""

from __future__ import annotations

import gc

from planner import create_app

app = create_app()
# everything alive once the app is made (libraries, models, playbooks: some hundreds of
# thousands of objects) is left out of later collections, which otherwise walked them all
# in whichever request set one off (a 10k-item save: 20-30 ms); with gunicorn's preload the
# forked workers also keep sharing those pages
gc.freeze()
