"""Pages of the assessment area (URLs under /programs/<id>/...)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assessment", __name__)
