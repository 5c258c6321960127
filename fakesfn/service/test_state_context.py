"""TestState's ``context``: the caller's Context object, checked as AWS checks it.

AWS (API reference, TestState ``context``): "A JSON string representing a valid
Context object for the state under test. This field may only be specified if a mock
is specified in the same request." A valid one has only the Context object's own
fields, each of its type; it replaces the default Context object whole.

Messages as recorded against AWS by LocalStack (test_state_context_object): every
refusal is a ValidationException starting with ``Invalid Context object provided: ``;
an unknown field is "Field 'X' is not allowed" at any depth, ``Map`` has its own
message, a field of the wrong type is "Execution.Id must be a string".
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.nodes import TaskState
from fakesfn.asl.resources import TOKEN_PATTERNS, parse_resource
from fakesfn.payload import check_depth
from fakesfn.service.errors import ServiceError, ValidationException

if TYPE_CHECKING:
    from fakesfn.asl.nodes import State

_PREFIX: Final = "Invalid Context object provided: "

_ANY: Final = "any"
_FIELDS: Final[dict[str, dict[str, str]]] = {
    "Execution": {
        "Id": "string",
        "Input": _ANY,
        "Name": "string",
        "RoleArn": "string",
        "StartTime": "string",
        "RedriveCount": "integer",
        "RedriveTime": "string",
    },
    "State": {"EnteredTime": "string", "Name": "string", "RetryCount": "integer"},
    "StateMachine": {"Id": "string", "Name": "string"},
    "Task": {"Token": "string"},
}
"""The Context object's documented fields and their JSON types (null is accepted for any)."""

_MAP_FIELD: Final = "'Map' field is not supported when mocking a Context object"
_NOT_ALLOWED: Final = "Field '{field}' is not allowed"
_WRONG_TYPE: Final = "{path} must be {article} {kind}"
_TASK_NOT_EXPECTED: Final = (
    "Context object contains 'Task' when state is not a Task state with a '.sync' or "
    "'.waitForTaskToken' service integration pattern"
)

_NOT_AN_OBJECT: Final = "The Context object must be a JSON object"
"""House wording: no recording shows a context that is not a JSON object."""

NEEDS_MOCK: Final = "TestState does not support Context when a mock is not specified."
"""House wording after AWS's recorded MapIterationFailureCount message; the rule is documented."""


def parse_context(text: str | None, state: State, *, mocked: bool) -> dict[str, Any] | None:
    """The caller's Context object for ``state``, or ``None`` when none is given.

    Raises:
        ValidationException: the context is given without a mock, is not a JSON
            object, or is not a valid Context object for ``state``.
    """
    if text is None:
        return None
    if not mocked:
        raise ValidationException(NEEDS_MOCK)
    try:
        check_depth(text)
        value = json.loads(text)
    except ValueError:
        raise _refuse(_NOT_AN_OBJECT) from None
    if not isinstance(value, dict):
        raise _refuse(_NOT_AN_OBJECT)
    for key, section in value.items():
        _check_section(key, section)
    if "Task" in value and not _carries_token(state):
        raise _refuse(_TASK_NOT_EXPECTED)
    return value


def _check_section(key: str, section: Any) -> None:
    if key == "Map":
        raise _refuse(_MAP_FIELD)
    fields = _FIELDS.get(key)
    if fields is None:
        raise _refuse(_NOT_ALLOWED.format(field=key))
    if section is None:
        return
    if not isinstance(section, dict):
        raise _refuse(_WRONG_TYPE.format(path=key, article="an", kind="object"))
    for name, item in section.items():
        kind = fields.get(name)
        if kind is None:
            raise _refuse(_NOT_ALLOWED.format(field=name))
        if item is None or kind == _ANY:
            continue
        valid = isinstance(item, str) if kind == "string" else _is_integer(item)
        if not valid:
            article = "an" if kind == "integer" else "a"
            raise _refuse(_WRONG_TYPE.format(path=f"{key}.{name}", article=article, kind=kind))


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _carries_token(state: State) -> bool:
    """AWS: only a ``.sync`` or ``.waitForTaskToken`` Task state has ``$$.Task``."""
    if not isinstance(state, TaskState):
        return False
    resource = parse_resource(state.resource)
    return resource is not None and resource.pattern in TOKEN_PATTERNS


def _refuse(text: str) -> ServiceError:
    return ValidationException(_PREFIX + text)
