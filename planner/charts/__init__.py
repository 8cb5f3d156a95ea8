"""Plotly figure builders: plain dicts {"data": [...], "layout": {...}}; no database access."""
