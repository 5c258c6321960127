"""What a state body hands back to the interpreter: where to go, what to pass on, what to assign."""

from __future__ import annotations

from typing import Any


class Outcome:
    """What a state body produced: where to go, what to pass on, what to assign.

    Attributes:
        next: the next state's name, or ``None`` when the (sub-)machine ends.
        output: the state's output.
        assigned: the variables its ``Assign`` sets, committed once the state exits.
    """

    __slots__ = ("next", "output", "assigned")

    def __init__(self, next_state: str | None, output: Any, assigned: dict[str, Any] | None = None) -> None:
        self.next = next_state
        self.output = output
        self.assigned = assigned
