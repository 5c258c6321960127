"""Imports every operation module so each registers its handlers in OPERATIONS.

Then ``pending`` registers a loud refusal for every operation that no module above
implements: it must see all of them first.
"""

from __future__ import annotations

from fakesfn.service import (
    activities,
    executions,
    history,
    map_runs,
    state_machines,
    tags,
    tasks,
    test_state,
    versions_aliases,
)

from fakesfn.service import pending  # isort: skip

pending.register_pending()

__all__ = [
    "activities",
    "executions",
    "history",
    "map_runs",
    "pending",
    "state_machines",
    "tags",
    "tasks",
    "test_state",
    "versions_aliases",
]
