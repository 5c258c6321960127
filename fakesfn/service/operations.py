"""Imports every operation module so each registers its handlers in OPERATIONS.

``pending`` comes last: it registers a loud refusal for every operation that no
module above implements, so it must see all of them first.
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

from fakesfn.service import pending  # isort: skip  (must stay last)

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
