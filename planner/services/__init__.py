"""Use cases: load rows, call the domain, save the result."""
