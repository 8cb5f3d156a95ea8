"""Plain-Python domain logic: imports neither Flask nor SQLAlchemy."""
