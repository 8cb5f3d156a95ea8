"""A program whose playbook is no longer installed falls back to the default risk scale,
worded in the reader's language."""

from __future__ import annotations

from flask_babel import force_locale

from planner.extensions import db
from planner.services import risks as service
from tests.integration.risks_support import new_program


def test_the_default_scale_is_worded_in_the_reader_language(app) -> None:
    program = new_program()
    program.playbook_id = "no-longer-installed"
    db.session.commit()
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        zh = service.scale_for(program, "zh")
        assert zh.band_labels["high"] != "High" and zh.band_labels["high"]
        assert zh.scale.likelihood_levels[0] != "Rare"
    with app.test_request_context(), force_locale("en"):
        en = service.scale_for(program, "en")
        assert en.band_labels["high"] == "high"
        assert en.scale.likelihood_levels == (
            "Rare",
            "Unlikely",
            "Possible",
            "Likely",
            "Almost certain",
        )
