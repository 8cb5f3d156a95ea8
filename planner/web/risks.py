"""Pages of the risks area (URLs under /programs/<id>/...)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("risks", __name__)
