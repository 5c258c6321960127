"""JSON payloads as AWS reads, writes and measures them: a leaf every layer may use.

Execution inputs, state outputs, task results and history details are JSON texts.
The API (service), the interpreter (engine) and the integrations all serialise and
parse them the same way, so the rules live here, below every layer: compact
serialisation, AWS's stricter reading (no ``NaN``/``Infinity``, no number beyond a
double), sizes in UTF-8 bytes and the ``truncated`` details of every payload field.
What happens when a payload is too large is each layer's own rule (an API call is
refused, a state fails with ``States.DataLimitExceeded``).
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

MAX_PAYLOAD_BYTES: Final = 256 * 1024
"""AWS: inputs, outputs and results are limited to 256 KiB."""

NOT_TRUNCATED: Final = {"truncated": False}
"""The ``*Details`` of every payload field: one shared object, which the history
recognises by identity and stores without copying (see :mod:`fakesfn.engine.history`)."""

_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)

dump = _ENCODER.encode
"""A JSON value as AWS serialises payloads in history and API replies (compact).

One shared encoder: ``json.dumps`` with non-default options builds a new encoder on
every call, which showed up on the interpreter's hot path.
"""


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _double(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} does not fit a double")
    return value


def load(text: str) -> Any:
    """A JSON text as AWS reads payloads: ``NaN``, ``Infinity`` and numbers beyond a double are not JSON.

    Raises:
        ValueError: the text is not JSON.
        RecursionError: it nests deeper than Python's parser goes.
    """
    return json.loads(text, parse_constant=_not_json, parse_float=_double)


def payload_details(key: str, text: str) -> dict[str, Any]:
    """``{key: text, keyDetails: {truncated: false}}``, the shape of every payload field."""
    return {key: text, f"{key}Details": NOT_TRUNCATED}


def payload_size(text: str) -> int:
    """Size in UTF-8 bytes (cheap for ASCII text); a lone surrogate counts its 3 bytes."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))
