"""Compiling a Map's ``ItemReader``, ``ItemBatcher``, ``ResultWriter`` and tolerance, once, at parse time.

What fakesfn cannot run (an unsupported reader or writer resource, a bad
``ReaderConfig`` or ``WriterConfig``, a template or expression that does not
compile) does not make the definition invalid: the spec carries the refusal and
the Map state fails with ``States.Runtime`` when it runs (house behaviour: AWS's
validation of these fields is not recorded).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.distributed import (
    BatcherSpec,
    DistributedSpec,
    NumberField,
    ReaderSpec,
    WriterSpec,
    json_number,
)
from fakesfn.asl.paths import PathSyntaxError, compile_path
from fakesfn.asl.payload import compile_payload
from fakesfn.asl.problems import ProblemCollector

if TYPE_CHECKING:
    from fakesfn.asl.paths import Path

CSV_DELIMITERS: Final = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}
"""AWS: ``CSVDelimiter`` is one of these names (COMMA by default)."""

_READER_ACTIONS: Final = frozenset({"getObject", "listObjectsV2"})
_TRANSFORMATIONS: Final = frozenset({"NONE", "COMPACT", "FLATTEN"})
_OUTPUT_TYPES: Final = frozenset({"JSON", "JSONL"})


class _Refused(Exception):
    """Why fakesfn cannot run these fields (the spec's refusal)."""


def compile_distributed(
    raw: Mapping[str, Any],
    jsonata: bool,
    tolerated_percentage: NumberField | None,
    tolerated_count: NumberField | None,
) -> DistributedSpec:
    """The spec of a Map state's ``raw`` object (its ItemReader, ItemBatcher, ResultWriter).

    Only object values count: anything else is a definition problem the parser
    reports, and the field is then taken as absent.
    """
    parts = {key: raw.get(key) for key in ("ItemReader", "ItemBatcher", "ResultWriter")}
    present = {key: value for key, value in parts.items() if isinstance(value, Mapping)}
    spec = DistributedSpec(
        tolerated_percentage=tolerated_percentage,
        tolerated_count=tolerated_count,
        has_reader="ItemReader" in present,
        has_writer="ResultWriter" in present,
    )
    if not present:
        return spec
    compiler = _Compiler(jsonata)
    try:
        reader = compiler.reader(present["ItemReader"]) if "ItemReader" in present else None
        batcher = compiler.batcher(present["ItemBatcher"]) if "ItemBatcher" in present else None
        writer = compiler.writer(present["ResultWriter"]) if "ResultWriter" in present else None
    except _Refused as refused:
        return dataclasses.replace(spec, refusal=f"fakesfn cannot run this Distributed Map: {refused}")
    return dataclasses.replace(spec, reader=reader, batcher=batcher, writer=writer)


def tolerance(
    name: str, integer: bool, literal: float | None, path: Path | None, template: Any
) -> NumberField | None:
    """A ``ToleratedFailure*`` field in whichever spelling the state uses, or ``None``."""
    if literal is None and path is None and template is None:
        return None
    return NumberField(name, integer, literal=literal, path=path, template=template)


class _Compiler:
    """Compiles the raw sub-objects, refusing what cannot run as ``States.Runtime``."""

    def __init__(self, jsonata: bool) -> None:
        self.jsonata = jsonata
        self.arguments_key = "Arguments" if jsonata else "Parameters"

    def reader(self, raw: Mapping[str, Any]) -> ReaderSpec:
        resource = raw.get("Resource")
        action = _s3_action(resource)
        if action not in _READER_ACTIONS:
            raise _Refused(f"The ItemReader resource '{resource}' is not supported")
        config = raw.get("ReaderConfig") or {}
        delimiter = config.get("CSVDelimiter", "COMMA")
        if delimiter not in CSV_DELIMITERS:
            raise _Refused(f"The value for the field 'CSVDelimiter' must be one of {sorted(CSV_DELIMITERS)}")
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

    def batcher(self, raw: Mapping[str, Any]) -> BatcherSpec:
        return BatcherSpec(
            max_items=self.number(raw, "MaxItemsPerBatch", integer=True),
            max_bytes=self.number(raw, "MaxInputBytesPerBatch", integer=True),
            batch_input=self.payload(raw.get("BatchInput"), "ItemBatcher/BatchInput"),
        )

    def writer(self, raw: Mapping[str, Any]) -> WriterSpec:
        resource = raw.get("Resource")
        if resource is not None and _s3_action(resource) != "putObject":
            raise _Refused(f"The ResultWriter resource '{resource}' is not supported")
        config = raw.get("WriterConfig") or {}
        transformation = config.get("Transformation", "NONE" if resource is not None else "COMPACT")
        output_type = config.get("OutputType", "JSON")
        if transformation not in _TRANSFORMATIONS or output_type not in _OUTPUT_TYPES:
            raise _Refused("The ResultWriter WriterConfig is not valid")
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
            # Imported on first use: the JSONata engine costs ~100 ms to import.
            from fakesfn.asl.jsonata import JsonataSyntaxError, compile_template

            try:
                return compile_template(raw)
            except JsonataSyntaxError as error:
                raise _Refused(f"{where}: {error}") from None
        problems = ProblemCollector()
        template = compile_payload(raw, f"/{where}", problems)
        if problems.has_errors:
            raise _Refused("; ".join(p.message for p in problems.problems))
        return template

    def expression(self, value: str, name: str) -> Any:
        """``value`` compiled when it is a JSONata expression (``{% ... %}``), else ``None``."""
        # Imported on first use: the JSONata engine costs ~100 ms to import.
        from fakesfn.asl.jsonata import JsonataSyntaxError, compile_template, is_expression

        if not is_expression(value):
            return None
        try:
            return compile_template(value)
        except JsonataSyntaxError as error:
            raise _Refused(f"{name}: {error}") from None

    def number(self, raw: Mapping[str, Any], name: str, *, integer: bool) -> NumberField | None:
        value = raw.get(name)
        path_text = raw.get(f"{name}Path")
        if value is None and path_text is None:
            return None
        if isinstance(value, str) and self.jsonata:
            template = self.expression(value, name)
            if template is not None:
                return NumberField(name, integer, template=template)
        if path_text is not None:
            try:
                return NumberField(name, integer, path=compile_path(str(path_text)))
            except PathSyntaxError as error:
                raise _Refused(f"{name}Path: {error}") from None
        number = json_number(value, integer)
        if number is None or isinstance(value, str):
            raise _Refused(f"The value for the field '{name}' must be a number")
        return NumberField(name, integer, literal=number)


def _s3_action(resource: Any) -> str | None:
    """``getObject`` for ``arn:aws:states:::s3:getObject`` (any partition), else ``None``."""
    if not isinstance(resource, str):
        return None
    parts = resource.split(":")
    if len(parts) != 7 or parts[0] != "arn" or parts[2] != "states" or parts[5] != "s3":
        return None
    return parts[6]
