"""JSONata built-ins that could build a huge value, or work quadratically, in one call.

The evaluation budget (:mod:`fakesfn.asl.jsonata.budget`) sees each value once a
step has produced it; a single call such as ``$pad('', 2000000000, 'x')`` or
``$string`` of an array holding one large string a million times would take the
process's memory before that. These replacements compute the size of what the
library would build and refuse it first (AWS's "Expression evaluation memory limit
exceeded"), then let jsonata-python's own implementation do the work, so results
and other errors stay the library's. ``$distinct`` is rewritten: the library compares
every item with every kept one (an hour for ``[1..200000]``, in one call no step budget
sees).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from jsonata.functions import Functions
from jsonata.utils import Utils

from fakesfn.asl.jsonata.budget import MAX_HELD_UNITS, current, text_size

if TYPE_CHECKING:
    from collections.abc import Sequence


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def pad(arguments: Sequence[Any], scope: Any) -> Any:
    """``$pad(string, width, char)``: refused when ``width`` asks for a string beyond the bound."""
    string, width, char = arguments[0], arguments[1], arguments[2]
    size = _number(width)
    if size is not None and math.isfinite(size) and isinstance(string, str):
        current().hold(max(len(string), int(abs(size))))
    return Functions.pad(string, width, char)


def join(arguments: Sequence[Any], scope: Any) -> Any:
    """``$join(strings, separator)``: refused when the joined text would pass the bound."""
    strings, separator = arguments[0], arguments[1]
    if isinstance(strings, list):
        gap = len(separator) if isinstance(separator, str) else 0
        total = max(0, len(strings) - 1) * gap
        for item in strings:
            total += len(item) if isinstance(item, str) else 0
            if total > MAX_HELD_UNITS:
                break
        current().hold(total)
    return Functions.join(strings, separator)


def string(arguments: Sequence[Any], scope: Any) -> Any:
    """``$string(value, prettify)``: refused when the JSON text would pass the bound."""
    value, prettify = arguments[0], arguments[1]
    if isinstance(value, (list, dict)):
        size = text_size(value, MAX_HELD_UNITS)
        current().hold(2 * size if prettify else size)
    return Functions.string(value, prettify)


def replace(arguments: Sequence[Any], scope: Any) -> Any:
    """``$replace(string, pattern, replacement, limit)``: refused when the result would pass the bound.

    A regex pattern checks its own output as it builds it (see
    :meth:`fakesfn.asl.jsonata.regex.Pattern.sub`); a text pattern gives the same
    replacement for every occurrence, so the result's size is known beforehand.
    """
    text, pattern, replacement, limit = arguments[0], arguments[1], arguments[2], arguments[3]
    if isinstance(text, str) and isinstance(pattern, str) and pattern and isinstance(replacement, str):
        count = text.count(pattern)
        bound = _number(limit)
        if bound is not None and bound >= 0:
            count = min(count, int(bound))
        once = Functions.replace(pattern, pattern, replacement, None)
        current().hold(len(text) + count * max(0, len(once) - len(pattern)))
    return Functions.replace(text, pattern, replacement, limit)


def distinct(arguments: Sequence[Any], scope: Any) -> Any:
    """``$distinct(array)``: the first of each group of deep-equal items, in one pass.

    Numbers compare by value (``1`` and ``1.0`` are one), booleans are not numbers,
    arrays and objects by their JSON text with sorted keys.
    """
    items = arguments[0]
    if not isinstance(items, list) or len(items) <= 1:
        return items
    seen: set[Any] = set()
    kept = Utils.create_sequence() if isinstance(items, Utils.JList) else []
    for item in items:
        key = _key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _key(value: Any) -> Any:
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if value is None or value is Utils.NULL_VALUE:
        return ("null",)
    return ("json", json.dumps(value, sort_keys=True, default=_plain))


def _plain(value: Any) -> Any:
    return None if value is Utils.NULL_VALUE else str(value)
