"""Between JSON values and JSONata values.

jsonata-python tells JSON ``null`` (its ``NULL_VALUE`` marker) from "nothing"
(Python ``None``, JSONata's undefined), returns sequences as ``list`` subclasses,
functions as parser symbols, and numbers as ``int`` or ``float`` as arithmetic
left them. What leaves the adapter is plain JSON: ``None`` for null, plain lists
and dicts, and numbers written the way AWS writes them.
"""

from __future__ import annotations

import math
from typing import Any, Final

from jsonata.utils import Utils

NULL: Final = Utils.NULL_VALUE
"""JSONata's JSON ``null`` (distinct from ``None``, which JSONata reads as undefined)."""

# JavaScript writes a whole number in full below 1e21 and in exponent notation from
# there; Python's json writes an int in full and a float like JavaScript does.
_WRITTEN_IN_FULL_BELOW: Final = 1e21

_NON_FINITE_NAMES: Final = {math.inf: "Infinity", -math.inf: "-Infinity"}


class UnsupportedValue(Exception):
    """A result JSON cannot hold (a function, a regex): AWS's "unsupported result type"."""


def to_json(value: Any) -> Any:
    """The JSON value of a (defined) JSONata result.

    Containers are rebuilt only where something inside changes, so a result that is
    part of the input (``$states.input``) comes back as the very same object.
    """
    kind = type(value)
    if kind is str or kind is bool:
        return value
    if kind is int:
        # jsonata-python keeps a whole number literal such as 1e300 as an int; JavaScript
        # holds it as a double and prints it in exponent notation (Infinity past a double:
        # an input integer of 400 digits).
        if -_WRITTEN_IN_FULL_BELOW < value < _WRITTEN_IN_FULL_BELOW:
            return value
        try:
            return _number(float(value))
        except OverflowError:
            return _number(math.inf if value > 0 else -math.inf)
    if kind is float:
        return _number(value)
    if kind is dict:
        return _object(value)
    if value is NULL or value is None:
        return None
    if isinstance(value, list):
        return _array(value)
    raise UnsupportedValue(kind.__name__)


def _number(value: float) -> Any:
    if not math.isfinite(value):
        # JSON has no literal for these; AWS writes the name JavaScript gives them.
        return _NON_FINITE_NAMES.get(value, "NaN")
    if value.is_integer() and abs(value) < _WRITTEN_IN_FULL_BELOW:
        # AWS prints an integral number without a fraction: 7, not 7.0 (and -0 as 0).
        return int(value)
    return value


def _object(value: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] | None = None
    for index, (key, item) in enumerate(value.items()):
        new = to_json(item)
        if converted is None and new is not item:
            converted = dict(list(value.items())[:index])
        if converted is not None:
            converted[key] = new
    return value if converted is None else converted


def _array(value: list[Any]) -> list[Any]:
    converted = [to_json(item) for item in value]
    if type(value) is list and all(new is old for new, old in zip(converted, value, strict=True)):
        return value
    return converted


def to_jsonata(value: Any) -> Any:
    """A JSON value as a JSONata binding: a top-level ``null`` must stay a value.

    jsonata-python reads a ``None`` met inside a dict or list as null already; only a
    binding that is ``None`` itself would read as undefined.
    """
    return NULL if value is None else value


def type_name(value: Any) -> str:
    """The JSON type name AWS uses in "Expected 'array', but was 'string'"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
