"""JSON values as AWS's Java runtime writes and compares them.

Step Functions runs on the JVM with Jackson, and three intrinsic behaviours show it:

- ``States.Format`` renders an object argument as a Java ``Map`` and an array as a
  ``List``: ``{Arg1=1, Arg2=[]}``, strings raw inside (recorded AWS runs of
  localstack's test_format_2 and test_context_json_path).
- ``States.JsonToString`` is Jackson's compact form: ``{"Arg1":1,"Arg2":[]}``
  (recorded run of test_json_to_string).
- Doubles print with ``Double.toString``: ``1.1``, ``100.0``, ``1.0E20``.

Equality (``ArrayContains``, ``ArrayUnique``) is Jackson node equality: an integer
never equals a double, a boolean never equals a number, objects ignore key order.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any, Final

_JSON_TYPES: Final = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def json_type(value: Any) -> str:
    """The JSON type name of ``value`` ("object", "array", "string", ...)."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def java_double(value: float) -> str:
    """``Double.toString``: plain in [1e-3, 1e7), else ``d.dddE±n``; always a fraction digit."""
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        # Python's repr is the same shortest round-trip digits, plain in this range.
        return repr(value)
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)  # finite: checked above
    text = "".join(map(str, digits)).rstrip("0") or "0"
    scientific = len(digits) + exponent - 1
    mantissa = text[0] + "." + (text[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{scientific}"


def format_value(value: Any) -> str:
    """How ``States.Format`` prints one argument: strings raw, containers Java-style."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is list:
        return "[" + ", ".join(map(format_value, value)) + "]"
    if kind is dict:
        return "{" + ", ".join(f"{key}={format_value(item)}" for key, item in value.items()) + "}"
    return _scalar_json(value)


def to_json(value: Any) -> str:
    """Compact JSON text, as Jackson writes it (``States.JsonToString``)."""
    kind = type(value)
    if kind is str:
        return quote(value)
    if kind is list:
        return "[" + ",".join(map(to_json, value)) + "]"
    if kind is dict:
        return "{" + ",".join(f"{quote(key)}:{to_json(item)}" for key, item in value.items()) + "}"
    return _scalar_json(value)


def _scalar_json(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is float:
        return java_double(value)
    return str(value)


_SHORT_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_NEEDS_ESCAPE: Final = re.compile(r'["\\\x00-\x1f]')


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    # Jackson: the short forms where JSON has one, else \u00XX with uppercase hex.
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04X}"


def quote(text: str) -> str:
    """A JSON string literal; non-ASCII characters are written as themselves."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def json_key(value: Any) -> Any:
    """A hashable key equal for two values exactly when Jackson's nodes are equal."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return (kind, value)
    if kind is float:
        # Double.compare semantics: -0.0 differs from 0.0, NaN equals NaN.
        return (float, repr(value))
    if kind is list:
        return (list, tuple(map(json_key, value)))
    return (dict, frozenset((key, json_key(item)) for key, item in value.items()))
