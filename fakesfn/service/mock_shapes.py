"""TestState's ``mock.fieldValidationMode``: a mocked result checked against the API's model.

AWS (API reference, MockInput): STRICT — "All required fields must be present, and
all present fields must conform to the API's schema"; PRESENT — "All present fields
must conform to the API's schema"; NONE — no validation. STRICT is the default.
Field names are Step Functions-cased (first letter upper case: ``ExecutionArn``
for the model's ``executionArn``); fields the model does not know are accepted.
Messages as recorded against AWS by LocalStack (test_field_validation_mode).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import UnknownServiceError

from fakesfn.integrations.sdk import boto_service_name, operation_name, service_model
from fakesfn.service.errors import ServiceError, ValidationException

if TYPE_CHECKING:
    from fakesfn.asl.resources import ResourceRef

_PREFIX: Final = "Mock result schema validation error: "

_OPTIMIZED_SERVICES: Final = {"states": "stepfunctions", "elasticmapreduce": "emr"}
"""An optimized integration's ARN service name -> boto3's, where they differ."""

_NUMBER_TYPES: Final = {"integer": "a number", "long": "a number", "float": "a number", "double": "a number"}


def output_shape(resource: ResourceRef) -> Any:
    """The model shape a request-response call of ``resource`` answers with, if known."""
    if resource.pattern or resource.kind not in ("service", "aws-sdk"):
        return None
    if resource.kind == "aws-sdk":
        boto = boto_service_name(resource.service)
    else:
        boto = _OPTIMIZED_SERVICES.get(resource.service, resource.service)
    if boto is None:
        return None
    try:
        operation = operation_name(boto, resource.action)
    except UnknownServiceError:
        return None
    if operation is None:
        return None
    return service_model(boto).operation_model(operation).output_shape


def validate_mock_result(value: Any, shape: Any, mode: str) -> None:
    """Raise AWS's ValidationException when ``value`` breaks ``shape`` under ``mode``."""
    if mode == "NONE" or shape is None or value is None:
        return
    _check(value, shape, None, strict=mode == "STRICT")


def _fail(text: str) -> ServiceError:
    return ValidationException(_PREFIX + text)


def _sfn_cased(name: str) -> str:
    return name[:1].upper() + name[1:]


def _check(value: Any, shape: Any, name: str | None, *, strict: bool) -> None:
    kind = shape.type_name
    if kind == "structure":
        _check_structure(value, shape, name, strict=strict)
    elif kind == "list":
        if not isinstance(value, list):
            raise _fail(f"Field '{name}' must be an array")
        for item in value:
            _check(item, shape.member, name, strict=strict)
    elif kind == "map":
        if not isinstance(value, dict):
            raise _fail(f"Field '{name}' must be an object")
        for item in value.values():
            _check(item, shape.value, name, strict=strict)
    else:
        _check_scalar(value, shape, name)


def _check_structure(value: Any, shape: Any, name: str | None, *, strict: bool) -> None:
    if not isinstance(value, dict):
        raise _fail(f"Field '{name}' must be an object")
    members = {_sfn_cased(key): member for key, member in shape.members.items()}
    if strict:
        for required in shape.required_members:
            if _sfn_cased(required) not in value:
                raise _fail(f"Required field '{_sfn_cased(required)}' is missing")
    for key, item in value.items():
        member = members.get(key)
        if member is not None:
            _check(item, member, key, strict=strict)


def _check_scalar(value: Any, shape: Any, name: str | None) -> None:
    kind = shape.type_name
    metadata = shape.metadata
    if kind in ("string", "timestamp"):
        if not isinstance(value, str):
            raise _fail(f"Field '{name}' must be a string")
        enum = metadata.get("enum")
        if enum and value not in enum:
            raise _fail(f"Field '{name}' is not an expected value")
        _check_length(value, metadata, name)
    elif kind == "blob":
        # A blob is text in the mock, as the API's JSON carries it: recorded
        # (test_strict_mode_aws_sdk_kms_task) "Field 'CiphertextBlob' must be a string"
        # for a number; LocalStack's maintainers saw AWS refuse a Lambda Payload given
        # as a JSON object likewise.
        if not isinstance(value, str):
            raise _fail(f"Field '{name}' must be a string")
        _check_length(value, metadata, name)
    elif kind in _NUMBER_TYPES:
        integral = kind in ("integer", "long")
        valid = isinstance(value, int) if integral else isinstance(value, (int, float))
        if isinstance(value, bool) or not valid:
            raise _fail(f"Field '{name}' must be {_NUMBER_TYPES[kind]}")
        if "min" in metadata and value < metadata["min"]:
            raise _fail(f"Field '{name}' is less than the minimum value")
        if "max" in metadata and value > metadata["max"]:
            raise _fail(f"Field '{name}' exceeds the maximum value")
    elif kind == "boolean" and not isinstance(value, bool):
        raise _fail(f"Field '{name}' must be a boolean")


def _check_length(value: str, metadata: dict[str, Any], name: str | None) -> None:
    if "min" in metadata and len(value) < metadata["min"]:
        raise _fail(f"Field '{name}' is smaller than the minimum length")
