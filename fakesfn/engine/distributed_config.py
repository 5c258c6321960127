"""A Distributed Map's own fields, compiled once and evaluated per Map state entry.

The parser keeps ``ItemReader``, ``ItemBatcher`` and ``ResultWriter`` as raw
objects; :func:`compile_spec` compiles them (cached per definition text) into
frozen specs. Number fields come in three spellings, unified by
:class:`NumberField`: a literal (``MaxItems: 10``), a reference path
(``MaxItemsPath: "$.max"``, JSONPath states) or a JSONata expression
(``MaxItems: "{% $max %}"``).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StateFieldError, StatesError
from fakesfn.asl.jsonata import JsonataSyntaxError, compile_template, is_expression
from fakesfn.asl.nodes import JSONATA
from fakesfn.asl.paths import MISSING, PathSyntaxError, compile_path
from fakesfn.asl.payload import compile_payload
from fakesfn.asl.problems import ProblemCollector
from fakesfn.engine.io import states_binding
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.asl.nodes import MapState
    from fakesfn.asl.paths import Path

_RUNTIME: Final = ErrorName.RUNTIME.value
_QUERY: Final = ErrorName.QUERY_EVALUATION_ERROR.value

CSV_DELIMITERS: Final = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}
"""AWS: ``CSVDelimiter`` is one of these names (COMMA by default)."""

_READER_ACTIONS: Final = frozenset({"getObject", "listObjectsV2"})
_TRANSFORMATIONS: Final = frozenset({"NONE", "COMPACT", "FLATTEN"})
_OUTPUT_TYPES: Final = frozenset({"JSON", "JSONL"})


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
            number = _number(value, self.integer)
            if number is None:
                # Recorded (test_map_state_tolerated_failure_percentage_path_NoNumber):
                # 'The ToleratedFailurePercentagePath field refers to value "NoNumber"
                # which is not a valid float: $.ToleratedFailurePercentage'.
                shown = "null" if value is MISSING else dump(value)
                kind = "integer" if self.integer else "float"
                raise StateFieldError(
                    f"The {self.name}Path field refers to value {shown} which is not a valid {kind}: "
                    f"{self.path.text}"
                )
            return number
        if self.template is not None:
            value = scope.render(self.template, self.name)
            number = None if isinstance(value, str) else _number(value, self.integer)
            if number is None:
                raise StateFieldError(
                    f"The JSONata expression specified for the field '{self.name}' "
                    f"returned an invalid value: {dump(value)}",
                    _QUERY,
                )
            return number
        return self.literal


def _number(value: Any, integer: bool) -> float | None:
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
    """Everything a Distributed Map evaluates besides its items."""

    reader: ReaderSpec | None
    batcher: BatcherSpec | None
    writer: WriterSpec | None
    tolerated_percentage: NumberField | None
    tolerated_count: NumberField | None


def compile_spec(state: MapState) -> DistributedSpec:
    """The state's Distributed Map spec (the raw parts compiled once per definition text)."""
    jsonata = state.query_language == JSONATA
    raw = {
        "ItemReader": state.item_reader,
        "ItemBatcher": state.item_batcher,
        "ResultWriter": state.result_writer,
    }
    reader, batcher, writer = _compile_raw(json.dumps(raw, sort_keys=True), jsonata)
    expressions = state.tolerated_failure_expression or {}
    return DistributedSpec(
        reader=reader,
        batcher=batcher,
        writer=writer,
        tolerated_percentage=_tolerance(
            "ToleratedFailurePercentage",
            False,
            state.tolerated_failure_percentage,
            state.tolerated_failure_percentage_path,
            expressions.get("ToleratedFailurePercentage"),
        ),
        tolerated_count=_tolerance(
            "ToleratedFailureCount",
            True,
            state.tolerated_failure_count,
            state.tolerated_failure_count_path,
            expressions.get("ToleratedFailureCount"),
        ),
    )


def _tolerance(
    name: str, integer: bool, literal: float | None, path: Path | None, template: Any
) -> NumberField | None:
    if literal is None and path is None and template is None:
        return None
    return NumberField(name, integer, literal=literal, path=path, template=template)


@functools.lru_cache(maxsize=256)
def _compile_raw(text: str, jsonata: bool) -> tuple[ReaderSpec | None, BatcherSpec | None, WriterSpec | None]:
    raw = json.loads(text)
    compiler = _Compiler(jsonata)
    reader = compiler.reader(raw["ItemReader"]) if raw["ItemReader"] is not None else None
    batcher = compiler.batcher(raw["ItemBatcher"]) if raw["ItemBatcher"] is not None else None
    writer = compiler.writer(raw["ResultWriter"]) if raw["ResultWriter"] is not None else None
    return reader, batcher, writer


class _Compiler:
    """Compiles the raw sub-objects, refusing what cannot run as ``States.Runtime``."""

    def __init__(self, jsonata: bool) -> None:
        self.jsonata = jsonata
        self.arguments_key = "Arguments" if jsonata else "Parameters"

    def reader(self, raw: dict[str, Any]) -> ReaderSpec:
        resource = raw.get("Resource")
        action = _s3_action(resource)
        if action not in _READER_ACTIONS:
            raise _refused(f"The ItemReader resource '{resource}' is not supported")
        config = raw.get("ReaderConfig") or {}
        delimiter = config.get("CSVDelimiter", "COMMA")
        if delimiter not in CSV_DELIMITERS:
            raise _refused(f"The value for the field 'CSVDelimiter' must be one of {sorted(CSV_DELIMITERS)}")
        return ReaderSpec(
            action=action,
            resource=str(resource),
            parameters=self.payload(raw.get(self.arguments_key), f"ItemReader/{self.arguments_key}"),
            input_type=config.get("InputType"),
            header_location=config.get("CSVHeaderLocation", "FIRST_ROW"),
            headers=tuple(config.get("CSVHeaders") or ()),
            delimiter=CSV_DELIMITERS[delimiter],
            max_items=self.number(config, "MaxItems", integer=True),
            items_pointer=config.get("ItemsPointer"),
        )

    def batcher(self, raw: dict[str, Any]) -> BatcherSpec:
        return BatcherSpec(
            max_items=self.number(raw, "MaxItemsPerBatch", integer=True),
            max_bytes=self.number(raw, "MaxInputBytesPerBatch", integer=True),
            batch_input=self.payload(raw.get("BatchInput"), "ItemBatcher/BatchInput"),
        )

    def writer(self, raw: dict[str, Any]) -> WriterSpec:
        resource = raw.get("Resource")
        if resource is not None and _s3_action(resource) != "putObject":
            raise _refused(f"The ResultWriter resource '{resource}' is not supported")
        config = raw.get("WriterConfig") or {}
        transformation = config.get("Transformation", "NONE" if resource is not None else "COMPACT")
        output_type = config.get("OutputType", "JSON")
        if transformation not in _TRANSFORMATIONS or output_type not in _OUTPUT_TYPES:
            raise _refused("The ResultWriter WriterConfig is not valid")
        return WriterSpec(
            resource=resource,
            parameters=self.payload(raw.get(self.arguments_key), f"ResultWriter/{self.arguments_key}"),
            transformation=transformation,
            output_type=output_type,
            configured="WriterConfig" in raw,
        )

    def payload(self, raw: Any, where: str) -> Any:
        if raw is None:
            return None
        if self.jsonata:
            try:
                return compile_template(raw)
            except JsonataSyntaxError as error:
                raise _refused(f"{where}: {error}") from None
        problems = ProblemCollector()
        template = compile_payload(raw, f"/{where}", problems)
        if problems.has_errors:
            raise _refused("; ".join(p.message for p in problems.problems))
        return template

    def number(self, raw: dict[str, Any], name: str, *, integer: bool) -> NumberField | None:
        value = raw.get(name)
        path_text = raw.get(f"{name}Path")
        if value is None and path_text is None:
            return None
        if isinstance(value, str) and self.jsonata and is_expression(value):
            try:
                return NumberField(name, integer, template=compile_template(value))
            except JsonataSyntaxError as error:
                raise _refused(f"{name}: {error}") from None
        if path_text is not None:
            try:
                return NumberField(name, integer, path=compile_path(str(path_text)))
            except PathSyntaxError as error:
                raise _refused(f"{name}Path: {error}") from None
        number = _number(value, integer)
        if number is None or isinstance(value, str):
            raise _refused(f"The value for the field '{name}' must be a number")
        return NumberField(name, integer, literal=number)


def _s3_action(resource: Any) -> str | None:
    """``getObject`` for ``arn:aws:states:::s3:getObject`` (any partition), else ``None``."""
    if not isinstance(resource, str):
        return None
    parts = resource.split(":")
    if len(parts) != 7 or parts[0] != "arn" or parts[2] != "states" or parts[5] != "s3":
        return None
    return parts[6]


def _refused(detail: str) -> StatesError:
    return StatesError(_RUNTIME, f"fakesfn cannot run this Distributed Map: {detail}")
