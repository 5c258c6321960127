"""A Map's ``ItemReader``, ``ItemBatcher``, ``ResultWriter`` and failure tolerance, compiled.

The parser compiles them once, with the rest of the definition
(:mod:`fakesfn.asl.distributed_fields`), into the frozen specs here, which a
:class:`~fakesfn.asl.nodes.MapState` holds; the engine evaluates them against a
:class:`Scope` on each Map state entry. Number fields come in three spellings,
unified by :class:`NumberField`: a literal (``MaxItems: 10``), a reference path
(``MaxItemsPath: "$.max"``, JSONPath states) or a JSONata expression
(``MaxItems: "{% $max %}"``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.context import states_binding
from fakesfn.asl.errors import ErrorName, StateFieldError, StatesError
from fakesfn.asl.paths import MISSING, refers_to_invalid
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.asl.paths import Path

_QUERY: Final = ErrorName.QUERY_EVALUATION_ERROR.value


@dataclass(slots=True)
class Scope:
    """What a Distributed Map's fields are evaluated against.

    Attributes:
        jsonata: whether the state is a JSONata state.
        value: the effective input (JSONPath, after InputPath) or the raw input (JSONata).
        env: the running state's environment.
    """

    jsonata: bool
    value: Any
    env: Env

    def render(self, template: Any, field: str) -> Any:
        """Evaluate a compiled payload template (JSONPath) or JSONata template."""
        if self.jsonata:
            return template.evaluate(states_binding(self.env, self.value), self.env, field)
        return template.evaluate(self.value, self.env)


@dataclass(frozen=True, slots=True)
class NumberField:
    """A number field given literally, through a ``<name>Path``, or as JSONata."""

    name: str
    integer: bool
    literal: float | None = None
    path: Path | None = None
    template: Any = None

    def resolve(self, scope: Scope) -> float | None:
        """The field's value, or ``None`` when the state does not set it.

        Raises:
            StateFieldError: the path is missing or names no number (``States.Runtime``),
                or the expression returns no number (``States.QueryEvaluationError``).
        """
        if self.path is not None:
            value = self.path.find(scope.value, scope.env)
            number = json_number(value, self.integer)
            if number is None:
                # Recorded (test_map_state_tolerated_failure_percentage_path_NoNumber):
                # 'The ToleratedFailurePercentagePath field refers to value "NoNumber"
                # which is not a valid float: $.ToleratedFailurePercentage'.
                kind = "integer" if self.integer else "float"
                raise refers_to_invalid(f"{self.name}Path", value, self.path, kind)
            return number
        if self.template is not None:
            value = scope.render(self.template, self.name)
            number = None if isinstance(value, str) else json_number(value, self.integer)
            if number is None:
                raise StateFieldError(
                    f"The JSONata expression specified for the field '{self.name}' "
                    f"returned an invalid value: {dump(value)}",
                    _QUERY,
                    self.name,
                )
            return number
        return self.literal


def json_number(value: Any, integer: bool) -> float | None:
    """A number from a JSON value; numeric strings count (recorded: ``"2"`` as MaxItemsPath)."""
    if isinstance(value, bool) or value is MISSING or value is None:
        return None
    if isinstance(value, str):
        try:
            value = int(value) if integer else float(value)
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    if integer and isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if integer else float(value)


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A compiled ``ItemReader``."""

    action: str
    resource: str
    parameters: Any
    input_type: str | None
    header_location: str
    headers: tuple[str, ...]
    delimiter: str
    max_items: NumberField | None
    items_pointer: str | None


@dataclass(frozen=True, slots=True)
class BatcherSpec:
    """A compiled ``ItemBatcher``."""

    max_items: NumberField | None
    max_bytes: NumberField | None
    batch_input: Any


@dataclass(frozen=True, slots=True)
class WriterSpec:
    """A compiled ``ResultWriter``: S3 destination (optional) and ``WriterConfig``."""

    resource: str | None
    parameters: Any
    transformation: str
    output_type: str
    configured: bool


@dataclass(frozen=True, slots=True)
class DistributedSpec:
    """Everything a Distributed Map evaluates besides its items, as the parser compiled it.

    Attributes:
        reader / batcher / writer: the compiled ``ItemReader`` / ``ItemBatcher`` /
            ``ResultWriter`` (``None`` when absent, or when ``refusal`` says why not).
        tolerated_percentage / tolerated_count: ``ToleratedFailurePercentage`` and
            ``ToleratedFailureCount`` in any spelling (``None`` when absent).
        has_reader / has_writer: whether the definition declares an ItemReader / ResultWriter.
        refusal: why fakesfn cannot run these fields; the Map state fails with it
            (``States.Runtime``) when it runs, the definition itself stays valid.
    """

    reader: ReaderSpec | None = None
    batcher: BatcherSpec | None = None
    writer: WriterSpec | None = None
    tolerated_percentage: NumberField | None = None
    tolerated_count: NumberField | None = None
    has_reader: bool = False
    has_writer: bool = False
    refusal: str | None = None

    def runnable(self) -> DistributedSpec:
        """This spec, once it is known to run.

        Raises:
            StatesError: ``States.Runtime`` with the :attr:`refusal`.
        """
        if self.refusal is not None:
            raise StatesError(ErrorName.RUNTIME.value, self.refusal)
        return self


NO_DISTRIBUTED_FIELDS: Final = DistributedSpec()
"""The spec of a Map that declares none of these fields."""
