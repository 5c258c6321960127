"""Definition problems: what makes a state machine definition invalid.

Parsing and validation collect every :class:`Problem` they find (with its JSON
pointer location) instead of stopping at the first; the service layer renders
them into AWS's ``InvalidDefinition`` message and the
``validate_state_machine_definition`` diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a definition.

    Attributes:
        code: AWS's diagnostic code (``SCHEMA_VALIDATION_FAILED``,
            ``MISSING_TRANSITION_TARGET``, ``UNREACHABLE_STATE``...).
        message: the human text, in AWS's wording.
        location: a JSON pointer into the definition (``/States/A/Next``), or "".
        severity: ``ERROR`` or ``WARNING`` (warnings never refuse a definition).
    """

    code: str
    message: str
    location: str = ""
    severity: str = "ERROR"

    def render(self) -> str:
        """``CODE: message at /location`` as AWS writes one problem."""
        where = f" at {self.location}" if self.location else ""
        return f"{self.code}: {self.message}{where}"


class DefinitionError(Exception):
    """A definition with at least one ERROR problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.message())

    def message(self) -> str:
        """AWS's ``InvalidDefinition`` message for these problems."""
        errors = [p for p in self.problems if p.severity == "ERROR"]
        return "Invalid State Machine Definition: '" + ", ".join(p.render() for p in errors) + "'"


class ProblemCollector:
    """Accumulates problems while a definition is walked."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, location: str = "", severity: str = "ERROR") -> None:
        """Record one problem."""
        self.problems.append(Problem(code, message, location, severity))

    def schema(self, message: str, location: str) -> None:
        """Record a ``SCHEMA_VALIDATION_FAILED`` problem."""
        self.add("SCHEMA_VALIDATION_FAILED", message, location)

    def raise_if_errors(self) -> None:
        """Raise :class:`DefinitionError` when any ERROR problem was recorded."""
        if any(p.severity == "ERROR" for p in self.problems):
            raise DefinitionError(self.problems)
