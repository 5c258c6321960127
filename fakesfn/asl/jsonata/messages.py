"""What a failed JSONata expression says, in AWS's words.

Two layers of text meet here. The inner one is JSONata's own error message:
jsonata-python renders it from a copy of the jsonata-java catalog in which the
word "function" was replaced by "Object" and every inserted value is pasted raw,
where jsonata-js (whose text AWS reports) JSON-renders it. So the message is
rebuilt from the exception's code and values: ``T0410: Argument 1 of function
"abs" does not match function signature``. The outer layer is the sentence AWS
wraps around it, naming the expression and the field it sat in.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final

from jsonata import JException
from jsonata.utils import Utils

# AWS (scenario test_map_state_items_eval_jsonata_fail_*): "The JSONata expression
# '<source>' specified for the field '<field>' returned an unexpected result type. ..."
_SENTENCE: Final = "The JSONata expression '{source}' specified for the field '{field}'"

# jsonata-js names the element type of an array signature in the plural (T0412).
_ARRAY_ELEMENT_TYPES: Final = {
    "a": "arrays",
    "b": "booleans",
    "f": "functions",
    "n": "numbers",
    "o": "objects",
    "s": "strings",
}

# Codes whose exception carries its values in another order than the template's
# placeholders: the value for each placeholder, by the exception attribute holding it.
_ARGUMENT_ORDER: Final = {
    "T0411": ("expected", "extra"),
}

# Where jsonata-python's catalog words a message otherwise than jsonata-js 2.0.6 does.
_JS_TEMPLATES: Final = {
    "D2014": "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  "
    "Attempted to allocate {{value}}.",
}

_PLACEHOLDER = re.compile(r"\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}")


class FunctionError(Exception):
    """A failure raised by one of AWS's added functions, already worded.

    Attributes:
        code: the JSONata-style error code AWS prints before the message, or "".
        message: the text after the code.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code
        self.message = message


def signature_error(function: str, argument: int) -> FunctionError:
    """The T0410 an AWS function raises for an argument of the wrong type or one too many."""
    return FunctionError(
        "T0410", f'Argument {argument} of function "{function}" does not match function signature'
    )


def jsonata_message(error: JException) -> str:
    """``CODE: message`` for a library exception, worded as jsonata-js words it."""
    code = str(error.error)
    template = _JS_TEMPLATES.get(code) or JException.error_codes.get(code)
    if template is None:
        # The library raises a few errors with the whole message in the code slot.
        return code
    return f"{code}: {_render(code, template.replace('Object', 'function'), error)}"


def syntax_message(error: JException) -> str:
    """The parser's message without its code, as AWS quotes it in InvalidDefinition."""
    code = str(error.error)
    template = JException.error_codes.get(code)
    if template is None:
        return code
    return _render(code, template.replace("Object", "function"), error)


def _render(code: str, template: str, error: JException) -> str:
    order = _ARGUMENT_ORDER.get(code, ("current", "expected", "extra"))
    values = [getattr(error, name, None) for name in order]
    if code == "T0412" and len(values) > 2:
        values[2] = _ARRAY_ELEMENT_TYPES.get(str(values[2]), values[2])
    slots = iter(values)

    def fill(match: re.Match[str]) -> str:
        value = next(slots, None)
        # jsonata-js: "triple braces - replace with value; double braces - replace with
        # json stringified value".
        return str(value) if match.group(1) else js_stringify(value)

    return _PLACEHOLDER.sub(fill, template)


def js_stringify(value: Any) -> str:
    """``JSON.stringify`` of a JSONata value, compact, as AWS prints values in causes."""
    if value is None:
        return "undefined"
    return json.dumps(_plain(value), separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if value is Utils.NULL_VALUE:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def json_text(value: Any) -> str:
    """A JSON value as AWS prints it in a cause: compact, non-ASCII kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def threw(source: str, field: str, detail: str) -> str:
    """The cause of an expression that raised: "... threw an error during evaluation. T1006: ..."."""
    # AWS (intrinsic_functions test_math_random_seeded): "... threw an error during
    # evaluation. T1006: Attempted to invoke a non-function". A bound without a code
    # ends with ": <message>" instead.
    separator = ". " if _has_code(detail) else ": "
    return (
        f"{_SENTENCE.format(source=source, field=field)} threw an error during evaluation{separator}{detail}"
    )


def returned_nothing(source: str, field: str) -> str:
    """The cause of an expression that evaluated to undefined."""
    return f"{_SENTENCE.format(source=source, field=field)} returned nothing (undefined)."


def unsupported_result(source: str, field: str) -> str:
    """The cause of an expression that returned something JSON cannot hold (a function)."""
    # AWS (scenario test_map_state_items_eval_jsonata_fail_function).
    return f"{_SENTENCE.format(source=source, field=field)} returned an unsupported result type."


def unexpected_type(source: str, field: str, expected: str, actual: str, value: Any) -> str:
    """The cause of an expression whose result has the wrong JSON type for its field."""
    # AWS (scenario test_map_state_items_variable_sampling_*): "... Expected 'array', but
    # was 'string' for value: \"string\"".
    return (
        f"{_SENTENCE.format(source=source, field=field)} returned an unexpected result type. "
        f"Expected '{expected}', but was '{actual}' for value: {json_text(value)}"
    )


_CODE = re.compile(r"[A-Z]\d{4}: ")


def _has_code(detail: str) -> bool:
    return _CODE.match(detail) is not None
