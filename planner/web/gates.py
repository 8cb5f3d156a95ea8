"""Pages of the gates area (URLs under /programs/<id>/...)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("gates", __name__)
