"""The cyclic garbage collector paused for a block that makes many objects and no cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for the block: reading 100,000 objects into
    columns (or unpickling a kept schedule, or composing a playbook's 16,000 YAML nodes)
    allocates many short-lived objects, none of them cyclic, and the collections they
    trigger walk every object alive (40 % of a large set-up, 65 % of reading a playbook).
    Threads that nest it leave it as they found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
