"""``arn:aws:states:::aws-sdk:SERVICE:ACTION``, and how every integration calls out.

Service calls go through the boto3 session the user hands the backend
(``backend.aws_session = boto3.Session(...)``; moto's ``mock_aws`` works behind
it), except Step Functions itself (``aws-sdk:sfn:*``, nested executions), which
is answered in-process by the same backend through :class:`StepFunctionsApi`
(``TaskServices.api``, which the service layer implements).

AWS's naming rules, applied from botocore's service models:

* the ARN's service name is the AWS SDK for Java 2.x module name (``sfn``,
  ``eventbridge``, ``dynamodb``), derived from the model's ``serviceId``;
* "Parameters in Step Functions are expressed in PascalCase, even if the native
  service API is in camelCase", results come back in PascalCase too, and fields
  named ``Equals`` are written ``EqualsValue``;
* errors are ``ServiceName.ErrorName`` in PascalCase, always with the
  ``Exception`` suffix ("S3.BucketAlreadyExistsException"); an error the model
  does not declare is ``<ServiceName>.<ServiceName>Exception`` (recorded:
  ``DynamoDb.DynamoDbException``), with the cause worded as the Java SDK words it.
"""

from __future__ import annotations

import base64
import datetime as _dt
import functools
import re
from typing import TYPE_CHECKING, Any, Final, Protocol

import botocore.session
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError, UnknownServiceError

from fakesfn import arns
from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.registry import register
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

# Java 2.x module names that differ from boto3's service names (both derived
# from the same serviceId; listed to avoid scanning every model).
_BOTO_NAMES: Final = {
    "sfn": "stepfunctions",
    "eventbridge": "events",
    "cloudwatchlogs": "logs",
    "elasticloadbalancingv2": "elbv2",
    "elasticloadbalancing": "elb",
    "costexplorer": "ce",
    "databasemigration": "dms",
    "elasticsearch": "es",
    "cognitoidentityprovider": "cognito-idp",
    "cognitoidentity": "cognito-identity",
    "applicationautoscaling": "application-autoscaling",
    "sagemakerruntime": "sagemaker-runtime",
    "iotdataplane": "iot-data",
    "lexruntime": "lex-runtime",
    "lexmodelbuilding": "lex-models",
    "acmpca": "acm-pca",
}
_WORDS: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

MISSING_SESSION: Final = (
    "fakesfn has no AWS session to call {service} for '{arn}': set backend.aws_session = "
    "boto3.Session(region_name=...) (moto's mock_aws works behind it), or mock this state "
    "(backend.mocks or a Step Functions Local mock configuration)"
)


class ServiceCallError(Exception):
    """A service answered a call with an error (its wire code, message and status)."""

    def __init__(
        self, code: str, message: str, status: int = 400, request_id: str = "", host_id: str = ""
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.request_id = request_id
        self.host_id = host_id


class StepFunctionsApi(Protocol):
    """The backend's own Step Functions API, as integrations reach it."""

    def call(self, operation: str, params: dict[str, Any], *, region: str, account_id: str) -> dict[str, Any]:
        """Run ``operation``; raise :class:`ServiceCallError` when AWS would refuse it."""
        ...

    def execution(self, arn: str) -> ExecutionRecord | None:
        """The execution ``arn`` names, if it exists."""
        ...

    def activity_exists(self, arn: str) -> bool:
        """Whether the activity ``arn`` exists."""
        ...


# --- service models and names ---------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _botocore() -> Any:
    return botocore.session.get_session()


@functools.lru_cache(maxsize=256)
def service_model(boto_service: str) -> Any:
    """Botocore's model of ``boto_service`` (loaded once)."""
    return _botocore().get_service_model(boto_service)


def java_name(model: Any) -> str:
    """The Java SDK 2.x client prefix of a service: ``DynamoDB`` -> ``DynamoDb``, ``SFN`` -> ``Sfn``."""
    service_id = str(model.service_id)
    if service_id.endswith(" Service"):
        service_id = service_id[: -len(" Service")]
    return "".join(word[0].upper() + word[1:].lower() for word in _WORDS.findall(service_id))


@functools.lru_cache(maxsize=256)
def boto_service_name(arn_service: str) -> str | None:
    """The boto3 service an ARN's service name means, or ``None``.

    Checked against the model: the Java module name derived from its serviceId
    must be the ARN's name (so ``aws-sdk:events`` is refused, ``eventbridge`` works).
    """
    name = _BOTO_NAMES.get(arn_service, arn_service)
    try:
        model = service_model(name)
    except UnknownServiceError:
        return None
    return name if java_name(model).lower() == arn_service else None


@functools.lru_cache(maxsize=1024)
def operation_name(boto_service: str, action: str) -> str | None:
    """The model's operation for an ARN action (``putItem`` -> ``PutItem``)."""
    wanted = action.lower()
    return next(
        (name for name in service_model(boto_service).operation_names if name.lower() == wanted), None
    )


def exception_name(model: Any, code: str, suffix_missing: bool = True) -> str | None:
    """The modelled exception for a wire error code, with AWS's ``Exception`` suffix."""
    for shape in model.error_shapes:
        codes = {shape.name, (shape.metadata.get("error") or {}).get("code")}
        codes.add((shape.metadata.get("awsQueryError") or {}).get("code"))
        if code in codes:
            name = str(shape.name)
            return name if name.endswith("Exception") or not suffix_missing else name + "Exception"
    return None


# --- parameters in, results out -------------------------------------------------------


def to_api(shape: Any, value: Any) -> Any:
    """Step Functions' PascalCase parameters -> the model's member names and types."""
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = {name.lower(): name for name in shape.members}
        converted = {}
        for key, item in value.items():
            name = (
                members.get(key.lower()) or (members.get("equals") if key == "EqualsValue" else None) or key
            )
            converted[name] = to_api(shape.members.get(name), item)
        return converted
    if kind == "list" and isinstance(value, list):
        return [to_api(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: to_api(shape.value, item) for key, item in value.items()}
    if kind in ("string", "blob") and value is not None and not isinstance(value, str):
        return dump(value)
    return value


def from_api(shape: Any, value: Any, timestamps: str) -> Any:
    """A botocore result -> Step Functions' PascalCase JSON (``timestamps``: ``iso`` or ``millis``)."""
    if isinstance(value, dict):
        if shape is not None and shape.type_name == "map":
            return {key: from_api(shape.value, item, timestamps) for key, item in value.items()}
        members = shape.members if shape is not None and shape.type_name == "structure" else {}
        return {
            key[:1].upper() + key[1:]: from_api(members.get(key), item, timestamps)
            for key, item in value.items()
            if key != "ResponseMetadata"
        }
    if isinstance(value, list):
        member = shape.member if shape is not None and shape.type_name == "list" else None
        return [from_api(member, item, timestamps) for item in value]
    return _scalar(shape, value, timestamps)


def _scalar(shape: Any, value: Any, timestamps: str) -> Any:
    if isinstance(value, (int, float)) and shape is not None and shape.type_name == "timestamp":
        value = _dt.datetime.fromtimestamp(value, _dt.timezone.utc)
    if isinstance(value, _dt.datetime):
        if timestamps == "millis":
            return int(round(value.timestamp() * 1000))
        text = value.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return text.replace(".000Z", "Z")
    if hasattr(value, "read"):
        value = value.read()
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(bytes(value)).decode("ascii")
    return value


def null_members(value: Any, path: str = "") -> list[str]:
    """Where a parameter is JSON null (AWS: "Member must not be null")."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key[:1].lower()}{key[1:]}" if path else f"{key[:1].lower()}{key[1:]}"
            found += [where] if item is None else null_members(item, where)
    return found


def validation_message(violations: list[str]) -> str:
    """AWS's request-validator wording for null members."""
    count = len(violations)
    errors = "error" if count == 1 else "errors"
    details = "; ".join(
        f"Value null at '{where}' failed to satisfy constraint: Member must not be null"
        for where in violations
    )
    return f"{count} validation {errors} detected: {details}"


# --- calling AWS through the user's session -------------------------------------------


def call_aws(
    call: TaskCall, services: TaskServices, boto_service: str, operation: str, params: dict[str, Any]
) -> dict[str, Any]:
    """Call ``operation`` through the user's session; a service error becomes :class:`ServiceCallError`."""
    nulls = null_members(params)
    if nulls:
        raise ServiceCallError(
            "ValidationException", validation_message(nulls), 400, call.run.runtime.random.uuid()
        )
    client = services.client(boto_service, call.region, call.resource.arn)
    try:
        response: dict[str, Any] = getattr(client, xform_name(operation))(**params)
    except ClientError as error:
        meta = error.response.get("ResponseMetadata", {})
        details = error.response.get("Error", {})
        raise ServiceCallError(
            str(details.get("Code", "Unknown")),
            str(details.get("Message", "")),
            int(meta.get("HTTPStatusCode", 400)),
            str(meta.get("RequestId") or call.run.runtime.random.uuid()),
            str(meta.get("HostId", "")),
        ) from None
    except ParamValidationError as error:
        message = str(error.kwargs.get("report", error)).strip()
        raise ServiceCallError("ValidationException", message, 400, call.run.runtime.random.uuid()) from None
    return response


def sdk_error(model: Any, error: ServiceCallError) -> StatesError:
    """A failed aws-sdk call as Step Functions reports it."""
    prefix = java_name(model)
    name = exception_name(model, error.code) or f"{prefix}Exception"
    extended = f", Extended Request ID: {error.host_id}" if error.host_id else ""
    where = f"Service: {prefix}, Status Code: {error.status}, Request ID: {error.request_id}{extended}"
    cause = f"{error.message} ({where}) (SDK Attempt Count: 1)"
    return StatesError(f"{prefix}.{name}", cause)


def _request(call: TaskCall, services: TaskServices) -> TaskBody:
    yield from ()  # calls out take no virtual time
    resource = call.resource
    boto_service = boto_service_name(resource.service)
    operation = operation_name(boto_service, resource.action) if boto_service is not None else None
    if boto_service is None or operation is None:
        raise StatesError(
            ErrorName.RUNTIME.value,
            f"fakesfn does not know the AWS SDK action '{resource.service}:{resource.action}' "
            f"('{resource.arn}')",
        )
    model = service_model(boto_service)
    operation_model = model.operation_model(operation)
    parameters = call.parameters if isinstance(call.parameters, dict) else {}
    params = to_api(operation_model.input_shape, parameters)
    try:
        response = _dispatch(call, services, boto_service, operation, params)
    except ServiceCallError as error:
        raise sdk_error(model, error) from None
    return from_api(operation_model.output_shape, response, "iso")


def _dispatch(
    call: TaskCall, services: TaskServices, boto_service: str, operation: str, params: dict[str, Any]
) -> dict[str, Any]:
    """Step Functions' own API is the backend's; every other service is the session's."""
    bridge = services.api
    if boto_service == "stepfunctions" and bridge is not None:
        account = call.resource.account or arns.account_of(call.run.execution.arn)
        nulls = null_members(params)
        if nulls:
            raise ServiceCallError(
                "ValidationException", validation_message(nulls), 400, call.run.runtime.random.uuid()
            )
        return bridge.call(operation, params, region=call.region, account_id=account)
    return call_aws(call, services, boto_service, operation, params)


@register("aws-sdk", "*")
def sdk_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """Any AWS SDK action, request-response or ``.waitForTaskToken``."""
    result = yield from service_task(call, services, _request)
    return result
