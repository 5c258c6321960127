"""Check a raw request against the Step Functions API model before the service sees it.

Through a botocore client the request was validated on the caller's side
(required members, JSON types, minimums), and the service handlers rely on it.
Over HTTP any client may send anything, so the server checks the same things
against the same model (botocore's ``stepfunctions`` service model), answering
as AWS's front end does:

* a value of the wrong JSON type cannot be deserialized:
  ``SerializationException``;
* a missing required member, or one below the model's minimum:
  ``ValidationException`` with AWS's ``1 validation error detected: Value null at
  'stateMachineArn' failed to satisfy constraint: Member must not be null``.

Members set to JSON ``null`` count as absent and are dropped, as AWS's
deserializer does, so handlers see exactly what botocore would have sent.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

from fakesfn.integrations.sdk import service_model
from fakesfn.service.errors import ServiceError, ValidationException

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_JSON_TYPES: Final[Mapping[str, tuple[type, ...]]] = {
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
    "string": (str,),
    "blob": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float, str),
}
"""The JSON values AWS JSON 1.0 accepts for each model type (blobs are base64 text)."""


class FrontEndError(ServiceError):
    """A refusal by AWS's shared front end, before the request reaches Step Functions."""

    def body(self) -> dict[str, Any]:
        """Front-end errors carry the Coral namespace, not the service's."""
        return {"__type": f"com.amazon.coral.service#{self.code}", "Message": self.message}


class SerializationException(FrontEndError):
    """The body does not deserialize into the operation's input."""

    code = "SerializationException"


class UnknownOperationException(FrontEndError):
    """The ``X-Amz-Target`` header names no operation of this service."""

    code = "UnknownOperationException"


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    """AWS's Step Functions model, as botocore ships it (read-only data, loaded once)."""
    return service_model("stepfunctions")


@functools.lru_cache(maxsize=1)
def operation_names() -> frozenset[str]:
    """Every operation of the Step Functions API."""
    return frozenset(_model().operation_names)


class _Check:
    """Walks one request, collecting type errors and model violations by member path."""

    def __init__(self) -> None:
        self.type_errors: list[str] = []
        self.violations: list[str] = []

    def value(self, shape: Any, value: Any, where: str) -> Any:
        kinds = _JSON_TYPES.get(shape.type_name, (object,))
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.type_errors.append(f"Expected a {shape.type_name} at '{where}', got {type(value).__name__}")
            return value
        walk = _WALKS.get(shape.type_name)
        cleaned = value if walk is None else walk(self, shape, value, where)
        self._minimum(shape, cleaned, where)
        return cleaned

    def structure(self, shape: Any, value: dict[str, Any], where: str) -> dict[str, Any]:
        cleaned: dict[str, Any] = {}
        for name, member in value.items():
            if member is None:
                continue
            member_shape = shape.members.get(name)
            # AWS ignores members the model does not know; so does the handler.
            cleaned[name] = (
                member if member_shape is None else self.value(member_shape, member, _join(where, name))
            )
        for name in shape.required_members:
            if name not in cleaned:
                self.violations.append(
                    f"Value null at '{_join(where, name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        return cleaned

    def list_(self, shape: Any, value: list[Any], where: str) -> list[Any]:
        return [
            self.value(shape.member, item, f"{where}.{index}.member") for index, item in enumerate(value, 1)
        ]

    def map_(self, shape: Any, value: dict[str, Any], where: str) -> dict[str, Any]:
        return {key: self.value(shape.value, item, f"{where}.{key}") for key, item in value.items()}

    def _minimum(self, shape: Any, value: Any, where: str) -> None:
        minimum = shape.metadata.get("min")
        if minimum is None:
            return
        if isinstance(value, (str, list)) and len(value) < minimum:
            shown = "Value" if shape.metadata.get("sensitive") else f"Value '{_render(value)}'"
            self.violations.append(
                f"{shown} at '{where}' failed to satisfy constraint: "
                f"Member must have length greater than or equal to {minimum}"
            )
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and value < minimum:
            self.violations.append(
                f"Value '{value}' at '{where}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {minimum}"
            )


_WALKS: Final[Mapping[str, Callable[[_Check, Any, Any, str], Any]]] = {
    "structure": _Check.structure,
    "list": _Check.list_,
    "map": _Check.map_,
}


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _render(value: str | list[Any]) -> str:
    return value if isinstance(value, str) else "[" + ", ".join(str(item) for item in value) + "]"


def checked_params(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as the handler of ``operation`` may take them, or the error AWS answers.

    An operation the model does not know passes through unchanged: the service
    refuses it as an unknown operation.

    Raises:
        SerializationException: a member has the wrong JSON type.
        ValidationException: a required member is missing or a minimum is not met.
    """
    if operation not in operation_names():
        return params
    shape = _model().operation_model(operation).input_shape
    if shape is None:
        return params
    check = _Check()
    cleaned: dict[str, Any] = check.value(shape, params, "")
    if check.type_errors:
        raise SerializationException(check.type_errors[0])
    if check.violations:
        count = len(check.violations)
        noun = "error" if count == 1 else "errors"
        raise ValidationException(f"{count} validation {noun} detected: " + "; ".join(check.violations))
    return cleaned
