r"""A definition that is not JSON, described as AWS describes it: in Jackson's words.

AWS parses definitions with Jackson and hands its parser message on (recorded:
LocalStack's test_validate_state_machine_definition_not_a_definition, 2025-10-19)::

    code:     INVALID_JSON_DESCRIPTION
    message:  Unrecognized token 'not': was expecting (JSON String, Number, Array, Object
              or token 'null', 'true' or 'false')\n at [Source: (String)"not a definition";
              line: 1, column: 4]
    location: [Source: (String)"not a definition"; line: 1, column: 4]

Python's parser finds the same mistakes at the same place; this module words them
the way Jackson does, with Jackson's position (the 1-based line and column of the
character after the one that stopped it). Empty text, or JSON that is not an object,
is a different answer: ``SCHEMA_VALIDATION_FAILED`` "Definition must be a valid JSON
object" (recorded for ``" "``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import json

NOT_AN_OBJECT: Final = "Definition must be a valid JSON object"
"""Recorded (test_validate_state_machine_definition_not_a_definition[EMPTY_STRING])."""

_EXPECTED_VALUE: Final = (
    "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
)
_TOKEN: Final = re.compile(r"[A-Za-z0-9_$\-+.]+")
_SOURCE_LIMIT: Final = 500
"""Jackson quotes at most this many characters of the source in a location."""


@dataclass(frozen=True, slots=True)
class JsonMistake:
    """What Jackson says about a text that is not JSON: message and location.

    ``detail`` is the message without its location: what AWS quotes when execution input
    is not JSON (recorded: test_invalid_start_execution_input, 2023-06-22).
    """

    message: str
    location: str
    detail: str


def describe(text: str, error: json.JSONDecodeError) -> JsonMistake:
    """Jackson's message and location for the mistake Python's parser found in ``text``."""
    pos = error.pos
    char = text[pos] if pos < len(text) else ""
    reason = error.msg
    if not char:
        detail, end = "Unexpected end-of-input", pos
    elif reason.startswith(("Expecting value", "Extra data")):
        # Jackson reads a run of letters as one token: "nulll" is not null plus "l".
        start = _token_start(text, pos)
        token = _TOKEN.match(text, start)
        if token is not None and text[start].isalpha():
            detail, end = f"Unrecognized token '{token.group(0)}': {_EXPECTED_VALUE}", token.end()
        else:
            detail, end = f"{_unexpected(char)}: expected a value", pos + 1
    elif reason.startswith("Expecting property name"):
        detail, end = f"{_unexpected(char)}: was expecting double-quote to start field name", pos + 1
    elif reason.startswith("Expecting ':'"):
        detail, end = f"{_unexpected(char)}: was expecting a colon to separate field name and value", pos + 1
    elif reason.startswith("Expecting ','"):
        container = "Array" if _innermost_open(text, pos) == "[" else "Object"
        detail, end = f"{_unexpected(char)}: was expecting comma to separate {container} entries", pos + 1
    else:
        detail, end = f"{_unexpected(char)}: {reason}", pos + 1
    location = _location(text, end)
    return JsonMistake(f"{detail}\n at {location}", location, detail)


def _token_start(text: str, pos: int) -> int:
    start = pos
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return start


def _unexpected(char: str) -> str:
    return f"Unexpected character ('{char}' (code {ord(char)}))"


def _location(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    quoted = text if len(text) <= _SOURCE_LIMIT else text[:_SOURCE_LIMIT]
    truncated = "" if len(text) <= _SOURCE_LIMIT else f"[truncated {len(text) - _SOURCE_LIMIT} chars]"
    return f'[Source: (String)"{quoted}"{truncated}; line: {line}, column: {column}]'


def _innermost_open(text: str, pos: int) -> str:
    """Whether the value being read at ``pos`` sits in an array or an object."""
    depth: list[str] = []
    in_string = escaped = False
    for char in text[:pos]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth.append(char)
        elif char in "]}" and depth:
            depth.pop()
    return depth[-1] if depth else "{"
