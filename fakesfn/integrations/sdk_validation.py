"""A refused request, worded as AWS's request validator words it, not as botocore does.

botocore checks parameters before it sends anything and reports in Python's
terms ("Invalid type for parameter Limit, value: ten, type: <class 'str'>, valid
types: <class 'int'>"). AWS's services answer the same mistakes with their own
validator's words ("1 validation error detected: Value null at 'tableName' failed
to satisfy constraint: Member must not be null", recorded in
test_dynamodb_invalid_param), member paths in camelCase. This module re-validates
the parameters with botocore's validator, which gives each problem as data, and
words each one the AWS way.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from botocore.validate import ParamValidator

UNSUPPORTED_FIELD: Final = "The field '{name}' is not supported by Step Functions"
"""AWS's words for a parameter an integration does not have (optimized integrations'
SCHEMA_VALIDATION_FAILED message, used for aws-sdk calls too: house)."""

_TYPE_NAMES: Final = {
    "<class 'str'>": "a string",
    "<class 'int'>": "an integer",
    "<class 'float'>": "a number",
    "<class 'decimal.Decimal'>": "a number",
    "<class 'bool'>": "a boolean",
    "<class 'list'>": "a list",
    "<class 'tuple'>": "a list",
    "<class 'dict'>": "a structure",
    "<class 'bytes'>": "a blob",
    "<class 'bytearray'>": "a blob",
    "file-like object": "a blob",
    "<class 'datetime.datetime'>": "a timestamp",
    "timestamp-string": "a timestamp",
}


def refusal(shape: Any, params: dict[str, Any]) -> str:
    """AWS's ``ValidationException`` message for what botocore refuses in ``params``."""
    report = ParamValidator().validate(params, shape)
    problems = [
        _worded(kind, name, details, _value_at(params, name))
        for kind, name, details in getattr(report, "_errors", [])
    ]
    if not problems:
        return "1 validation error detected: the request does not match the service's model"
    unsupported = [problem for problem in problems if problem.startswith("The field ")]
    if unsupported:
        return unsupported[0]
    count = len(problems)
    return f"{count} validation {'error' if count == 1 else 'errors'} detected: " + "; ".join(problems)


def _worded(kind: str, name: str, details: dict[str, Any], found: Any) -> str:
    where = _aws_path(name)
    if kind == "missing required field":
        member = _aws_path(f"{name}.{details['required_name']}")
        return f"Value null at '{member}' failed to satisfy constraint: Member must not be null"
    if kind == "unknown field":
        return UNSUPPORTED_FIELD.format(name=details["unknown_param"])
    value = _shown(found if kind == "invalid length" else details.get("param"))
    if kind == "invalid length":
        if "min_allowed" in details:
            bound = f"length greater than or equal to {details['min_allowed']}"
        else:
            bound = f"length less than or equal to {details.get('max_allowed')}"
        return f"Value {value} at '{where}' failed to satisfy constraint: Member must have {bound}"
    if kind == "invalid range":
        bound = f"value greater than or equal to {details.get('min_allowed')}"
        return f"Value {value} at '{where}' failed to satisfy constraint: Member must have {bound}"
    if kind == "invalid type":
        types = sorted({_TYPE_NAMES.get(str(t), "a value") for t in details.get("valid_types", ())})
        return f"Value {value} at '{where}' failed to satisfy constraint: Member must be {' or '.join(types)}"
    return f"Value {value} at '{where}' failed to satisfy constraint: Member is not valid"


def _value_at(params: Any, name: str) -> Any:
    """The value botocore's dotted name (``.Items[0].Name``) points at, if it can be found."""
    value = params
    for part in (part for part in re.split(r"\.|(?=\[)", name) if part):
        if part.startswith("[") and isinstance(value, list):
            index = int(part[1:-1])
            value = value[index] if index < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def _aws_path(name: str) -> str:
    """``.Item.a.S`` -> ``item.a.s``: each member's first letter in lower case, as AWS writes them."""
    parts = [part for part in name.split(".") if part]
    return ".".join(part[:1].lower() + part[1:] for part in parts)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    try:
        return f"'{json.dumps(value, separators=(',', ':'))}'"
    except (TypeError, ValueError):
        return "'(unreadable)'"
