"""Exchange: plan files (MS Project XML, CSV, .xlsx) in and out, the steering-committee pack,
save as playbook, and the calendar feed with its per-user token.

By job: ``common`` (the blueprint, shared helpers), ``exports`` (the page and its downloads),
``imports`` (into a phase, as a new program), ``update`` (an edited table taken back),
``calendar_feed``. Importing the package registers every page on :data:`bp`.

Endpoints and their requirement (planner/web/policy.py):

=============================  ==============================================  ==========
endpoint                       URL                                             requirement
=============================  ==============================================  ==========
exchange.index                 /programs/<id>/exchange                         read
exchange.export_mspdi          /programs/<id>/exchange/plan.xml                read
exchange.export_csv            /programs/<id>/exchange/plan.csv                read
exchange.export_xlsx           /programs/<id>/exchange/plan.xlsx               read
exchange.pack_pptx             /programs/<id>/exchange/pack.pptx               read
exchange.pack_pdf              /programs/<id>/exchange/pack.pdf                read
exchange.save_playbook         /programs/<id>/exchange/playbook.yaml           read
exchange.import_into_phase     /programs/<id>/exchange/import (POST)           edit
exchange.update_preview        /programs/<id>/exchange/update (POST)           edit
exchange.update_apply          /programs/<id>/exchange/update/apply (POST)     edit
exchange.import_program        /programs/import (GET, POST)                    signed_in
exchange.account_feed          /account/feed (GET, POST)                       signed_in
exchange.feed                  /feeds/<token>/programs/<id>.ics                public (the
                                                                               token decides)
=============================  ==============================================  ==========
"""

from __future__ import annotations

from planner.web.exchange import (  # noqa: F401 (routes)
    calendar_feed,
    exports,
    imports,
    update,
)
from planner.web.exchange.common import PPTX_TYPE, bp

__all__ = ["PPTX_TYPE", "bp"]
