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
import gzip
import os
import re
from typing import TYPE_CHECKING, Any, Final, Protocol

import botocore.loaders
from botocore import xform_name
from botocore.exceptions import ClientError, HTTPClientError, ParamValidationError, UnknownServiceError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from botocore.model import ServiceModel

from fakesfn import arns
from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.registry import register
from fakesfn.integrations.sdk_validation import refusal
from fakesfn.payload import dump

if TYPE_CHECKING:
    from collections.abc import Callable

    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

_WORDS: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

MISSING_SESSION: Final = (
    "fakesfn has no AWS session to call {service} for '{arn}': set backend.aws_session = "
    "boto3.Session(region_name=...) (moto's mock_aws works behind it), or mock this state "
    "(backend.mocks or a Step Functions Local mock configuration)"
)


SDK_CLIENT_EXCEPTION: Final = "SdkClientException"
"""The Java SDK's name for a call that got no answer; never a service's own error code."""


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
def data_loader() -> botocore.loaders.Loader:
    """Botocore's data loader, without a session; the fake clients' session uses it too.

    A session reads the user's AWS configuration (``AWS_PROFILE``, config files)
    the moment a model is asked for; the fake must work whatever that holds (a
    profile this machine lacks, a broken config file), and models are plain data.
    One loader for the service layer and the clients means the Step Functions
    model is read and held once.
    """
    return botocore.loaders.create_loader()


@functools.lru_cache(maxsize=256)
def service_model(boto_service: str) -> ServiceModel:
    """Botocore's model of ``boto_service`` (loaded once); ``UnknownServiceError`` if none."""
    model = data_loader().load_service_model(boto_service, "service-2")
    return ServiceModel(model, service_name=boto_service)


def java_name(model: Any) -> str:
    """The Java SDK 2.x client prefix of a service: ``DynamoDB`` -> ``DynamoDb``, ``SFN`` -> ``Sfn``."""
    return _java_prefix(str(model.service_id))


def _java_module(service_id: str) -> str:
    """The Java SDK 2.x module (and ``aws-sdk:`` ARN) name of a ``serviceId``."""
    return _java_prefix(service_id).lower()


def _java_prefix(service_id: str) -> str:
    if service_id.endswith(" Service"):
        service_id = service_id[: -len(" Service")]
    return "".join(word[0].upper() + word[1:].lower() for word in _WORDS.findall(service_id))


@functools.lru_cache(maxsize=256)
def boto_service_name(arn_service: str) -> str | None:
    """The boto3 service an ARN's service name means, or ``None``.

    The ARN names the AWS SDK for Java 2.x module, which comes from the model's
    ``serviceId`` ("Redshift Data" -> ``redshiftdata``, "EventBridge" -> ``eventbridge``),
    while boto3 names the same model ``redshift-data`` and ``events``. Most ARN names
    are boto3's own (``dynamodb``): that model is checked first; anything else is
    looked up in an index of every service botocore knows (built once, on first need).
    """
    try:
        if java_name(service_model(arn_service)).lower() == arn_service:
            return arn_service
    except UnknownServiceError:
        pass
    return _java_index().get(arn_service)


_SERVICE_ID: Final = re.compile(rb'"serviceId"\s*:\s*"([^"]+)"')


@functools.lru_cache(maxsize=1)
def _java_index() -> dict[str, str]:
    """Java module name -> boto3 service name, for every service botocore ships.

    Each model's ``serviceId`` sits in its metadata at the top of the file, so only
    the head of each file is read (about a second for ~450 services); a file that
    cannot be read that way is loaded whole.
    """
    loader = data_loader()
    index: dict[str, str] = {}
    for name in loader.list_available_services("service-2"):
        service_id = _service_id_from_head(loader, name)
        if service_id is None:
            service_id = str(service_model(name).service_id)
        index.setdefault(_java_module(service_id), name)
    return index


def _service_id_from_head(loader: Any, name: str) -> str | None:
    versions = loader.list_api_versions(name, "service-2")
    if not versions:
        return None
    for base in loader.search_paths:
        for suffix, opener in ((".json.gz", gzip.open), (".json", open)):
            path = os.path.join(base, name, versions[-1], "service-2" + suffix)
            if os.path.isfile(path):
                with opener(path, "rb") as handle:
                    head = handle.read(8192)
                found = _SERVICE_ID.search(head)
                return found.group(1).decode("utf-8") if found else None
    return None


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
    """Step Functions' PascalCase parameters -> the model's member names and types.

    A JSON null given for a member the structure does not require is no member at all,
    as the Java SDK behind AWS reads it (recorded: aws-sdk:sfn:startExecution with
    ``"Input": null`` starts the execution, test_sfn_start_execution, 2025-11-06); a null
    required member stays, to be refused as "Value null at ..." (test_aws_sdk, DynamoDB
    putItem with a null Item).
    """
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = {name.lower(): name for name in shape.members}
        required = shape.required_members
        converted = {}
        for key, item in value.items():
            name = (
                members.get(key.lower()) or (members.get("equals") if key == "EqualsValue" else None) or key
            )
            if item is None and name in shape.members and name not in required:
                continue
            converted[name] = to_api(shape.members.get(name), item)
        return converted
    if kind == "list" and isinstance(value, list):
        return [to_api(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: to_api(shape.value, item) for key, item in value.items()}
    if kind in ("string", "blob") and value is not None and not isinstance(value, (str, bytes)):
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
    except Exception as error:  # noqa: BLE001 - the user's session (a mock) answered: its failure is the service's
        shape = service_model(boto_service).operation_model(operation).input_shape
        raise service_failure(error, call.run.runtime.random.uuid, lambda: refusal(shape, params)) from None
    return response


def service_failure(
    error: Exception, request_id: Callable[[], str], refused: Callable[[], str]
) -> ServiceCallError:
    """What a call through the user's session failed with, as the service would have answered.

    A service error keeps its code, message and status. botocore's own refusal of the
    parameters is worded as AWS's request validator words it (``refused``). A request
    that never got an answer (botocore's connection, timeout and SSL errors) is the SDK's
    own failure: ``<Prefix>.SdkClientException``, "Unable to execute HTTP request: ..."
    (recorded: an sqs:sendMessage to an unknown host, test_send_message_no_such_queue).
    Anything else the session raises (a mock's ``NotImplementedError``) is a fault on the
    service's side: AWS would answer 500, which Retry and Catch see as the service's
    exception; letting it escape would leave the execution hanging.
    """
    if isinstance(error, ClientError):
        meta = error.response.get("ResponseMetadata", {})
        details = error.response.get("Error", {})
        return ServiceCallError(
            str(details.get("Code", "Unknown")),
            str(details.get("Message", "")),
            int(meta.get("HTTPStatusCode", 400)),
            str(meta.get("RequestId") or request_id()),
            str(meta.get("HostId", "")),
        )
    if isinstance(error, ParamValidationError):
        return ServiceCallError("ValidationException", refused(), 400, request_id())
    if isinstance(error, (BotocoreConnectionError, HTTPClientError)):
        return ServiceCallError(SDK_CLIENT_EXCEPTION, f"Unable to execute HTTP request: {error}", 0)
    text = str(error).strip() or f"{type(error).__name__} was raised while the request was made"
    return ServiceCallError("InternalFailure", text, 500, request_id())


def sdk_error(model: Any, error: ServiceCallError) -> StatesError:
    """A failed aws-sdk call as Step Functions reports it."""
    prefix = java_name(model)
    if error.code == SDK_CLIENT_EXCEPTION:
        return StatesError(f"{prefix}.{SDK_CLIENT_EXCEPTION}", error.message)
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
