r"""JSON text as Jackson's default pretty printer writes it.

CloudFormation's Step Functions resource handler (Java) turns a ``Definition``
object, and a YAML definition file, into the definition string with Jackson's
``writerWithDefaultPrettyPrinter()``; ``DescribeStateMachine`` then returns
exactly that text. Its shape: two-space indents per object level, ``"key" :
value``, arrays on one line as ``[ 1, 2 ]`` (objects inside them still break
lines), ``{ }`` and ``[ ]`` when empty, non-ASCII characters unescaped,
control characters as ``\uXXXX``, and numbers as Java prints them
(``1.0E7``). For a ``Definition`` object the handler also sorts keys.
"""

from __future__ import annotations

from typing import Any, Final

from fakesfn.asl.intrinsics.render import java_double

_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char < " ":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    return _string(str(value))


def pretty(value: Any, *, sort_keys: bool) -> str:
    """``value`` as Jackson's ``DefaultPrettyPrinter`` writes it."""
    out: list[str] = []
    _write(value, 0, sort_keys, out)
    return "".join(out)


def _write(value: Any, level: int, sort_keys: bool, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{ }")
            return
        items = sorted(value.items()) if sort_keys else list(value.items())
        out.append("{")
        for index, (key, item) in enumerate(items):
            out.append("," if index else "")
            out.append("\n" + "  " * (level + 1) + _string(str(key)) + " : ")
            _write(item, level + 1, sort_keys, out)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[ ]")
            return
        out.append("[ ")
        for index, item in enumerate(value):
            if index:
                out.append(", ")
            _write(item, level, sort_keys, out)
        out.append(" ]")
    else:
        out.append(_scalar(value))
