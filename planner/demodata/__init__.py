"""Demo content per area; `planner demo` calls each module's populate() in order."""
