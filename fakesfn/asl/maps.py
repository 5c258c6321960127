"""The Map state's own fields: item source, processor, concurrency, failure tolerance.

``Iterator`` and ``Parameters`` are the legacy spellings of ``ItemProcessor`` and
``ItemSelector``; AWS still accepts them, so they parse into the same node
fields. ItemReader / ItemBatcher / ResultWriter and the tolerated failures are
compiled into one :class:`~fakesfn.asl.distributed.DistributedSpec`
(:mod:`fakesfn.asl.distributed_fields`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl import problems as msg
from fakesfn.asl.distributed_fields import compile_distributed, tolerance
from fakesfn.asl.fields import PROCESSOR_CONFIG
from fakesfn.asl.nodes import JSONATA, StateMachine

if TYPE_CHECKING:
    from fakesfn.asl.distributed import NumberField
    from fakesfn.asl.paths import Path
    from fakesfn.asl.reader import FieldReader

_MODES = ("INLINE", "DISTRIBUTED")
_EXECUTION_TYPES = ("STANDARD", "EXPRESS")


def read_map_fields(reader: FieldReader, parse_machine: Callable[..., StateMachine | None]) -> dict[str, Any]:
    """Read a Map state's specific fields into MapState keyword arguments."""
    out: dict[str, Any] = {"raw": dict(reader.raw)}
    out.update(_processor(reader, parse_machine))
    expressions: dict[str, Any] = {}
    tolerance_paths: tuple[Path | None, Path | None] = (None, None)
    if reader.language == JSONATA:
        if "Items" in reader.raw:
            out["items"] = reader.jsonata_template("Items")
        if "ItemSelector" in reader.raw:
            out["item_selector"] = reader.jsonata_template("ItemSelector")
        if isinstance(reader.raw.get("MaxConcurrency"), str):
            out["max_concurrency_expression"] = reader.jsonata_template("MaxConcurrency")
        else:
            out["max_concurrency"] = _max_concurrency(reader)
        expressions = _jsonata_tolerance(reader)
    else:
        out["items_path"] = reader.path_or_null("ItemsPath")
        reader.only_one("ItemSelector", "Parameters")
        selector_key = "ItemSelector" if "ItemSelector" in reader.raw else "Parameters"
        out["item_selector"] = reader.payload(selector_key)
        out["max_concurrency"] = _max_concurrency(reader)
        out["max_concurrency_path"] = reader.reference_path("MaxConcurrencyPath")
        tolerance_paths = (
            reader.reference_path("ToleratedFailurePercentagePath"),
            reader.reference_path("ToleratedFailureCountPath"),
        )
    reader.only_one("MaxConcurrency", "MaxConcurrencyPath")
    reader.only_one("ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
    reader.only_one("ToleratedFailureCount", "ToleratedFailureCountPath")
    out["distributed"] = compile_distributed(
        reader.raw, reader.language == JSONATA, *_tolerance_fields(reader, tolerance_paths, expressions)
    )
    for key in ("ItemReader", "ItemBatcher", "ResultWriter"):
        value = reader.raw.get(key)
        if value is not None and not isinstance(value, Mapping):
            reader.problems.schema(
                f"The value for the field '{key}' must be an OBJECT", f"{reader.location}/{key}"
            )
    label = reader.optional_string("Label")
    if label is not None:
        _check_label(reader, label)
    out["label"] = label
    return out


_LABEL_FORBIDDEN: Final = frozenset('?*<>{}[]:;,\\|^~$#%&`"')


def _check_label(reader: FieldReader, label: str) -> None:
    """AWS's documented Label rules (uniqueness is checked over the whole definition)."""
    where = f"{reader.location}/Label"
    if not label:
        reader.problems.schema(msg.EMPTY, where)
    elif len(label) > 40:
        reader.problems.schema(msg.LABEL_TOO_LONG, where)
    for character in label:
        code = ord(character)
        if character in _LABEL_FORBIDDEN or character.isspace() or code < 0x20 or 0x7F <= code <= 0x9F:
            shown = f"'{character}'" if character.isprintable() else f"U+{code:04X}"
            reader.problems.schema(msg.LABEL_CHARACTER.format(character=shown), where)
            break


def _processor(reader: FieldReader, parse_machine: Callable[..., StateMachine | None]) -> dict[str, Any]:
    key = "ItemProcessor" if "ItemProcessor" in reader.raw else "Iterator"
    reader.only_one("ItemProcessor", "Iterator")
    raw = reader.raw.get(key)
    where = f"{reader.location}/{key}"
    if not isinstance(raw, Mapping):
        if raw is None:
            reader.problems.schema(msg.REQUIRED.format(fields="ItemProcessor"), reader.location)
        else:
            reader.problems.schema(msg.MUST_BE.format(field=key, kind="an OBJECT"), where)
        return {}
    config = raw.get("ProcessorConfig") or {}
    if isinstance(config, Mapping):
        for field in config:
            if field not in PROCESSOR_CONFIG:
                reader.problems.schema(msg.NOT_SUPPORTED.format(field=field), f"{where}/ProcessorConfig")
    else:
        reader.problems.schema(
            msg.MUST_BE.format(field="ProcessorConfig", kind="an OBJECT"), f"{where}/ProcessorConfig"
        )
    mode = config.get("Mode", "INLINE") if isinstance(config, Mapping) else "INLINE"
    if mode not in _MODES:
        reader.problems.schema(
            msg.ONE_OF.format(field="Mode", values=", ".join(_MODES)), f"{where}/ProcessorConfig/Mode"
        )
        mode = "INLINE"
    execution_type = config.get("ExecutionType") if isinstance(config, Mapping) else None
    if mode == "DISTRIBUTED" and execution_type not in _EXECUTION_TYPES:
        reader.problems.schema(
            msg.ONE_OF.format(field="ExecutionType", values=", ".join(_EXECUTION_TYPES)),
            f"{where}/ProcessorConfig/ExecutionType",
        )
    processor = parse_machine(raw, where, reader.problems, reader.machine_language)
    return {"processor": processor, "mode": mode, "execution_type": execution_type}


def _max_concurrency(reader: FieldReader) -> int:
    value = reader.raw.get("MaxConcurrency", 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        reader.problems.schema(
            "The value for the field 'MaxConcurrency' must be a non-negative INTEGER",
            f"{reader.location}/MaxConcurrency",
        )
        return 0
    return value


def _jsonata_tolerance(reader: FieldReader) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("ToleratedFailurePercentage", "ToleratedFailureCount"):
        if isinstance(reader.raw.get(key), str):
            out[key] = reader.jsonata_template(key)
    return out


def _tolerance_fields(
    reader: FieldReader, paths: tuple[Path | None, Path | None], expressions: dict[str, Any]
) -> tuple[NumberField | None, NumberField | None]:
    """``ToleratedFailurePercentage`` and ``ToleratedFailureCount``, each in the spelling the state uses."""
    literals = _tolerance(reader)
    return (
        tolerance(
            "ToleratedFailurePercentage",
            False,
            literals.get("tolerated_failure_percentage"),
            paths[0],
            expressions.get("ToleratedFailurePercentage"),
        ),
        tolerance(
            "ToleratedFailureCount",
            True,
            literals.get("tolerated_failure_count"),
            paths[1],
            expressions.get("ToleratedFailureCount"),
        ),
    )


def _tolerance(reader: FieldReader) -> dict[str, Any]:
    """Literal ToleratedFailurePercentage (0..100) and ToleratedFailureCount (>= 0)."""
    out: dict[str, Any] = {}
    for key, name, upper in (
        ("ToleratedFailurePercentage", "tolerated_failure_percentage", 100),
        ("ToleratedFailureCount", "tolerated_failure_count", None),
    ):
        value = reader.raw.get(key)
        if value is None or (reader.language == JSONATA and isinstance(value, str)):
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        integer = number and (upper is not None or isinstance(value, int))
        if not integer or value < 0 or (upper is not None and value > upper):
            kind = "a NUMBER between 0 and 100" if upper is not None else "a non-negative INTEGER"
            reader.problems.schema(msg.MUST_BE.format(field=key, kind=kind), f"{reader.location}/{key}")
            continue
        out[name] = float(value) if upper is not None else int(value)
    return out
