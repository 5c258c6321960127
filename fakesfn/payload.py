"""JSON payloads as AWS reads, writes and measures them: a leaf every layer may use.

Execution inputs, state outputs, task results and history details are JSON texts.
The API (service), the interpreter (engine) and the integrations all serialise and
parse them the same way, so the rules live here, below every layer: compact
serialisation, AWS's stricter reading (no ``NaN``/``Infinity``, no number beyond a
double), sizes in UTF-8 bytes and the ``truncated`` details of every payload field.
What happens when a payload is too large is each layer's own rule (an API call is
refused, a state fails with ``States.DataLimitExceeded``).

Nesting depth is measured here too. AWS documents no nesting limit for payloads;
fakesfn sets one (:data:`MAX_PAYLOAD_DEPTH`), so that no rule of the product depends
on the interpreter: Python's JSON parser and encoder, and the evaluators that walk a
value, recurse once per level, and where they give up depends on the Python version
(3.13 encodes a value 5,000 levels deep that 3.11 refuses). Every payload boundary
(execution and TestState inputs, task outputs sent through the API, task results,
state outputs, assigned variables, texts parsed by ``States.StringToJson``,
``$parse``, the ItemReader and HTTP Tasks) checks the text with :func:`check_depth`
(or :func:`too_deep`) before anything recurses over it, and refuses a payload nested
deeper than the limit the way it refuses one that is not JSON. The measure is a scan
of the text, never a recursive walk, and :func:`dump` writes a value of any depth, so
the limit, not the interpreter, decides.
"""

from __future__ import annotations

import json
import math
from itertools import accumulate
from typing import Any, Final

MAX_PAYLOAD_BYTES: Final = 256 * 1024
"""AWS: inputs, outputs and results are limited to 256 KiB."""

NOT_TRUNCATED: Final = {"truncated": False}
"""The ``*Details`` of every payload field: one shared object, which the history
recognises by identity and stores without copying (see :mod:`fakesfn.engine.history`)."""

_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def dump(value: Any) -> str:
    """A JSON value as AWS serialises payloads in history and API replies (compact).

    One shared encoder: ``json.dumps`` with non-default options builds a new encoder on
    every call, which showed up on the interpreter's hot path. A value too deep for the
    C encoder is still written (:func:`encode`), so the depth limit decides its fate.
    """
    return encode(value, _ENCODER)


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
        ValueError: the text is not JSON, or nests deeper than :data:`MAX_PAYLOAD_DEPTH`
            levels (:class:`PayloadTooDeep`, checked before parsing).
    """
    check_depth(text)
    return json.loads(text, parse_constant=_not_json, parse_float=_double)


def payload_details(key: str, text: str) -> dict[str, Any]:
    """``{key: text, keyDetails: {truncated: false}}``, the shape of every payload field."""
    return {key: text, f"{key}Details": NOT_TRUNCATED}


def payload_size(text: str) -> int:
    """Size in UTF-8 bytes (cheap for ASCII text); a lone surrogate counts its 3 bytes."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


# --- nesting depth -------------------------------------------------------------------

MAX_PAYLOAD_DEPTH: Final = 200
"""House limit: arrays and objects nested more than 200 levels deep are refused.

AWS documents no limit. 200 is far beyond real payloads (DynamoDB items stop at 32
levels) and leaves every evaluator fakesfn runs (JSONata's value conversion takes
about three Python frames per level) well inside the recursion limit of every
supported Python, whatever the caller's stack holds.
"""

_KEPT: Final = b'[]{}"'
_DELETED: Final = bytes(code for code in range(256) if code not in _KEPT)
_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


class PayloadTooDeep(ValueError):
    """A JSON text nested deeper than :data:`MAX_PAYLOAD_DEPTH` levels.

    A ``ValueError``, like ``json``'s own refusal of a text that is not JSON, so every
    boundary that already answers "not valid JSON" answers a too-deep text the same way.
    """

    def __init__(self, depth: int) -> None:
        super().__init__(f"the JSON nests {depth} levels deep, more than the {MAX_PAYLOAD_DEPTH} allowed")
        self.depth = depth


def json_depth(text: str) -> int:
    """The nesting depth of a JSON text: 0 for a scalar, 1 for ``[]`` or ``{"a": 1}``.

    Brackets inside strings do not count. Escaped backslashes and quotes are removed
    first, so every remaining quote opens or closes a string; the brackets between
    an even and an odd quote are outside strings. All of it runs in C but the final
    running sum over the brackets. A text that is not JSON gets some number: its
    parser refuses it anyway.
    """
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    structural = unescaped.encode("utf-8", "surrogatepass").translate(None, _DELETED).decode("ascii")
    outside = "".join(structural.split('"')[::2])
    return max(accumulate(map(_STEP.__getitem__, outside)), default=0)


def too_deep(text: str) -> bool:
    """Whether ``text`` nests deeper than :data:`MAX_PAYLOAD_DEPTH` (cheap for most texts)."""
    if text.count("[") + text.count("{") <= MAX_PAYLOAD_DEPTH:
        return False  # fewer openers than the limit: cannot nest deeper, strings or not
    return json_depth(text) > MAX_PAYLOAD_DEPTH


def check_depth(text: str) -> None:
    """Refuse a text nested deeper than the limit, before anything parses it.

    Raises:
        PayloadTooDeep: a ``ValueError`` saying how deep the text nests.
    """
    if too_deep(text):
        raise PayloadTooDeep(json_depth(text))


def encode(value: Any, encoder: json.JSONEncoder) -> str:
    """``encoder.encode(value)``, also for a value too deep for the C encoder.

    The C encoder recurses once per level and gives up where the interpreter says;
    past that point the same text is written by an explicit stack. Only the
    separators and ``ensure_ascii`` of ``encoder`` are honoured on that path (fakesfn
    sets nothing else).
    """
    try:
        return encoder.encode(value)
    except RecursionError:
        return _encode_iteratively(value, encoder)


_DONE: Final = object()
_NO_KEY: Final = object()


def _encode_iteratively(value: Any, encoder: json.JSONEncoder) -> str:
    item_separator, key_separator = encoder.item_separator, encoder.key_separator
    string = json.encoder.encode_basestring_ascii if encoder.ensure_ascii else json.encoder.encode_basestring
    parts: list[str] = []
    # One frame per open container: [closing bracket, iterator of (key, child), id, any written yet].
    frames: list[list[Any]] = []
    open_ids: set[int] = set()
    current: Any = (_NO_KEY, value)
    while True:
        if current is None:
            if not frames:
                return "".join(parts)
            frame = frames[-1]
            following = next(frame[1], _DONE)
            if following is _DONE:
                frames.pop()
                open_ids.discard(frame[2])
                parts.append(frame[0])
                continue
            if frame[3]:
                parts.append(item_separator)
            frame[3] = True
            current = following
        key, node = current
        current = None
        if key is not _NO_KEY:
            parts.append(string(_key_text(key)) + key_separator)
        if isinstance(node, (list, tuple, dict)):
            if id(node) in open_ids:
                raise ValueError("Circular reference detected")
            open_ids.add(id(node))
            if isinstance(node, dict):
                parts.append("{")
                frames.append(["}", iter(list(node.items())), id(node), False])
            else:
                parts.append("[")
                frames.append(["]", iter([(_NO_KEY, item) for item in node]), id(node), False])
        else:
            parts.append(_scalar(node, string))


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, (int, float)):
        return _scalar(key, json.encoder.encode_basestring)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _scalar(node: Any, string: Any) -> str:
    if isinstance(node, str):
        return str(string(node))
    if node is None:
        return "null"
    if node is True:
        return "true"
    if node is False:
        return "false"
    if isinstance(node, int):
        return int.__repr__(node)
    if isinstance(node, float):
        if math.isnan(node):
            return "NaN"
        if math.isinf(node):
            return "Infinity" if node > 0 else "-Infinity"
        return float.__repr__(node)
    raise TypeError(f"Object of type {type(node).__name__} is not JSON serializable")
