"""Optimized service integrations (``arn:aws:states:::SERVICE:ACTION``) through the user's session.

The ones users reach for most: DynamoDB ``getItem``/``putItem``/``updateItem``/
``deleteItem``, SQS ``sendMessage``, SNS ``publish``, EventBridge ``putEvents``,
Lambda ``invoke`` against the real Lambda API when no Python handler is
registered, Athena queries, CodeBuild builds, SageMaker jobs and models, and
Glue/Batch/ECS jobs (``.sync`` polls the job on the virtual clock).

They answer as AWS's optimized integrations do (recorded: test_sqs_task_service,
test_dynamodb_task_service, test_events_task_service): the service's response
in PascalCase plus the Java SDK 1.x ``SdkHttpMetadata``/``SdkResponseMetadata``;
errors named ``<Prefix>.<Exception>`` with ``Amazon<Service>Exception`` for errors
the model does not declare, and causes ending "(Service: ...; Status Code: ...;
Error Code: ...; Request ID: ...; Proxy: null)".
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from email.utils import formatdate
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.engine.payload_limits import check_payload_size
from fakesfn.engine.tasks import TaskEvents
from fakesfn.integrations import lambda_
from fakesfn.integrations.callbacks import PendingTask, Request, service_task
from fakesfn.integrations.registry import register
from fakesfn.integrations.sdk import (
    ServiceCallError,
    call_aws,
    exception_name,
    from_api,
    null_members,
    service_model,
    to_api,
)
from fakesfn.payload import dump

if TYPE_CHECKING:
    from collections.abc import Callable

    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices


@dataclass(frozen=True, slots=True)
class V1Service:
    """How the Java SDK 1.x names one service in errors and HTTP metadata."""

    prefix: str
    service_id: str
    fallback: str
    headers: tuple[tuple[str, str], ...]


_JSON_10: Final = (("connection", "keep-alive"), ("Content-Type", "application/x-amz-json-1.0"))
_JSON_11: Final = (("Content-Type", "application/x-amz-json-1.1"),)
V1: Final = {
    "dynamodb": V1Service(
        "DynamoDB",
        "AmazonDynamoDBv2",
        "AmazonDynamoDBException",
        (("Server", "Server"), ("Connection", "keep-alive"), ("Content-Type", "application/x-amz-json-1.0")),
    ),
    "sqs": V1Service("SQS", "AmazonSQS", "AmazonSQSException", _JSON_10),
    "sns": V1Service("SNS", "AmazonSNS", "AmazonSNSException", (("Content-Type", "text/xml"),)),
    "events": V1Service(
        "EventBridge",
        "AmazonEventBridge",
        "AmazonEventBridgeException",
        (("Content-Type", "application/x-amz-json-1.1"),),
    ),
    "lambda": V1Service("Lambda", "AWSLambda", "AWSLambdaException", (("Connection", "keep-alive"),)),
    "stepfunctions": V1Service("StepFunctions", "AWSStepFunctions", "AWSStepFunctionsException", _JSON_10),
    "glue": V1Service(
        "Glue", "AWSGlue", "AWSGlueException", (("Content-Type", "application/x-amz-json-1.1"),)
    ),
    "batch": V1Service("Batch", "AWSBatch", "AWSBatchException", (("Content-Type", "application/json"),)),
    "ecs": V1Service(
        "ECS", "AmazonECS", "AmazonECSException", (("Content-Type", "application/x-amz-json-1.1"),)
    ),
    # House naming, after the recorded services: no recording shows these services' errors.
    "athena": V1Service("Athena", "AmazonAthena", "AmazonAthenaException", _JSON_11),
    "codebuild": V1Service("CodeBuild", "AWSCodeBuild", "AWSCodeBuildException", _JSON_11),
    "sagemaker": V1Service("SageMaker", "AmazonSageMaker", "AmazonSageMakerException", _JSON_11),
}

SYNC_POLL_SECONDS: Final = 5
"""Virtual seconds between two status checks of a ``.sync`` job (fakesfn's choice)."""


def v1_error(boto_service: str, error: ServiceCallError) -> StatesError:
    """A failed optimized-integration call as Step Functions reports it."""
    service = V1[boto_service]
    name = exception_name(service_model(boto_service), error.code) or service.fallback
    cause = (
        f"{error.message} (Service: {service.service_id}; Status Code: {error.status}; "
        f"Error Code: {error.code}; Request ID: {error.request_id}; Proxy: null)"
    )
    return StatesError(f"{service.prefix}.{name}", cause)


def v1_metadata(call: TaskCall, boto_service: str, body: Any, request_id: str) -> dict[str, Any]:
    """``SdkHttpMetadata`` and ``SdkResponseMetadata`` as the Java SDK 1.x reports them."""
    text = dump(body)
    headers: dict[str, str] = dict(V1[boto_service].headers)
    headers["Content-Length"] = str(len(text.encode("utf-8")))
    headers["Date"] = formatdate(call.run.runtime.clock.time(), usegmt=True)
    headers["x-amzn-RequestId"] = request_id
    if boto_service == "dynamodb":
        headers["x-amz-crc32"] = str(zlib.crc32(text.encode("utf-8")))
    return {
        "SdkHttpMetadata": {
            "AllHttpHeaders": {name: [value] for name, value in headers.items()},
            "HttpHeaders": dict(sorted(headers.items(), key=lambda item: item[0].lower())),
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
    }


def v1_call(
    call: TaskCall, services: TaskServices, boto_service: str, operation: str, parameters: Any
) -> dict[str, Any]:
    """Call the service; the result in PascalCase (epoch-millisecond dates), metadata added."""
    model = service_model(boto_service)
    operation_model = model.operation_model(operation)
    params = to_api(operation_model.input_shape, parameters if isinstance(parameters, dict) else {})
    try:
        _missing_parameter(boto_service, params, call)
        response = call_aws(call, services, boto_service, operation, params)
    except ServiceCallError as error:
        raise v1_error(boto_service, error) from None
    request_id = str(response.get("ResponseMetadata", {}).get("RequestId") or call.run.runtime.random.uuid())
    body = from_api(operation_model.output_shape, response, "millis")
    return {**body, **v1_metadata(call, boto_service, body, request_id)}


def _missing_parameter(boto_service: str, params: dict[str, Any], call: TaskCall) -> None:
    """SQS words a null member as a missing one (recorded: test_send_message_empty_body)."""
    if boto_service != "sqs":
        return
    nulls = null_members(params)
    if nulls:
        name = next(key for key, value in params.items() if value is None)
        raise ServiceCallError(
            "MissingParameter",
            f"The request must contain the parameter {name}.",
            400,
            call.run.runtime.random.uuid(),
        )


def _simple(boto_service: str, operation: str) -> Request:
    def request(call: TaskCall, services: TaskServices) -> TaskBody:
        yield from ()
        return v1_call(call, services, boto_service, operation, call.parameters)

    return request


def _register_simple(key: str, boto_service: str, operation: str) -> None:
    request = _simple(boto_service, operation)

    def task(call: TaskCall, services: TaskServices) -> TaskBody:
        result = yield from service_task(call, services, request)
        return result

    task.__doc__ = f"``arn:aws:states:::{key}``: {boto_service} {operation} through the user's session."
    register("service", key)(task)


for _key, _service, _operation in (
    ("dynamodb:getItem", "dynamodb", "GetItem"),
    ("dynamodb:putItem", "dynamodb", "PutItem"),
    ("dynamodb:updateItem", "dynamodb", "UpdateItem"),
    ("dynamodb:deleteItem", "dynamodb", "DeleteItem"),
    ("sqs:sendMessage", "sqs", "SendMessage"),
    ("sns:publish", "sns", "Publish"),
    ("athena:stopQueryExecution", "athena", "StopQueryExecution"),
    ("athena:getQueryExecution", "athena", "GetQueryExecution"),
    ("athena:getQueryResults", "athena", "GetQueryResults"),
    ("codebuild:stopBuild", "codebuild", "StopBuild"),
    ("codebuild:stopBuildBatch", "codebuild", "StopBuildBatch"),
    ("codebuild:batchDeleteBuilds", "codebuild", "BatchDeleteBuilds"),
    ("codebuild:batchGetReports", "codebuild", "BatchGetReports"),
    ("codebuild:deleteBuildBatch", "codebuild", "DeleteBuildBatch"),
    ("sagemaker:createEndpoint", "sagemaker", "CreateEndpoint"),
    ("sagemaker:createEndpointConfig", "sagemaker", "CreateEndpointConfig"),
    ("sagemaker:createModel", "sagemaker", "CreateModel"),
    ("sagemaker:updateEndpoint", "sagemaker", "UpdateEndpoint"),
):
    _register_simple(_key, _service, _operation)


def _put_events(call: TaskCall, services: TaskServices) -> TaskBody:
    yield from ()
    result = v1_call(call, services, "events", "PutEvents", call.parameters)
    if result.get("FailedEntryCount"):
        # AWS fails the task when any entry failed, quoting the response (recorded:
        # test_put_events_no_source).
        body = {key: value for key, value in result.items() if not key.startswith("Sdk")}
        raise StatesError("EventBridge.FailedEntry", dump(body))
    return result


@register("service", "events:putEvents")
def put_events_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """EventBridge ``putEvents``: a failed entry fails the task."""
    result = yield from service_task(call, services, _put_events)
    return result


# --- Lambda: a registered Python handler first, else the real Lambda API ---------------


def _handler(services: TaskServices, name: Any) -> lambda_.RegisteredFunction | None:
    return services.lambdas.lookup(name) if isinstance(name, str) else None


def _invoke_request(call: TaskCall, services: TaskServices) -> TaskBody:
    parameters = call.parameters if isinstance(call.parameters, dict) else {}
    name = parameters.get("FunctionName")
    function = _handler(services, name)
    if function is None:
        result = _real_invoke(call, services, parameters)
        return result
    # A null Payload is no payload, as for lambda:invoke (lambda_.request_payload).
    payload_text = "{}" if parameters.get("Payload") is None else dump(parameters["Payload"])
    invocation = yield from lambda_.run_function(
        call, function, lambda_.function_arn(call, str(name)), payload_text
    )
    text = invocation.payload.decode("utf-8", errors="replace")
    if invocation.function_error is not None:
        raise _function_failure(text)
    return lambda_.invoke_response(_parse(text), len(invocation.payload), invocation.request_id)


def _real_invoke(call: TaskCall, services: TaskServices, parameters: dict[str, Any]) -> dict[str, Any]:
    params = dict(parameters)
    if "Payload" in params:
        params["Payload"] = dump(params["Payload"])
    result = v1_call(call, services, "lambda", "Invoke", params)
    payload = result.get("Payload", "")
    if result.get("FunctionError"):
        raise _function_failure(payload if isinstance(payload, str) else dump(payload))
    result["Payload"] = _parse(payload) if isinstance(payload, str) else payload
    result.pop("FunctionError", None)
    return result


def _function_failure(text: str) -> StatesError:
    """AWS: the error is the payload's ``errorType``, the cause the payload itself."""
    payload = _parse(text)
    error_type = payload.get("errorType") if isinstance(payload, dict) else None
    return StatesError(error_type if isinstance(error_type, str) else "Lambda.Unknown", text)


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


@register("service", "lambda:invoke")
def invoke_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``lambda:invoke``: a registered handler, else the session's Lambda; any pattern."""
    parameters = call.parameters if isinstance(call.parameters, dict) else {}
    no_handler = _handler(services, parameters.get("FunctionName")) is None
    if not call.resource.pattern and (not no_handler or services.aws_session is None):
        result = yield from lambda_.invoke_task(call, services)
        return result
    result = yield from service_task(call, services, _invoke_request)
    return result


@register("lambda", "*")
def function_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """A function ARN: a registered handler, else the real function through the session."""
    if _handler(services, call.resource.arn) is not None or services.aws_session is None:
        result = yield from lambda_.legacy_task(call, services)
        return result
    events = TaskEvents(call)
    events.scheduled()
    events.started()
    try:
        response = _real_invoke(
            call, services, {"FunctionName": call.resource.arn, "Payload": call.parameters}
        )
        payload = response["Payload"]
        text = payload if isinstance(payload, str) else dump(payload)
        check_payload_size(text, call.resource.arn)
    except StatesError as error:
        events.failed(error)
        raise
    events.succeeded(dump(payload))
    return payload


# --- jobs: Glue, Batch, ECS ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """How to start one kind of job and tell when it has ended."""

    boto_service: str
    start: str
    describe: Callable[[dict[str, Any], dict[str, Any]], tuple[str, dict[str, Any]]]
    status: Callable[[dict[str, Any]], str]
    succeeded: frozenset[str]
    failed: frozenset[str]
    output: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """The ``.sync`` result made of the last status response (default: that response)."""


def _glue_describe(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "GetJobRun", {"JobName": params.get("JobName"), "RunId": started.get("JobRunId")}


def _batch_describe(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "DescribeJobs", {"Jobs": [started.get("JobId")]}


def _ecs_describe(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    tasks = [task.get("TaskArn") for task in started.get("Tasks", [])]
    return "DescribeTasks", {"Cluster": params.get("Cluster", "default"), "Tasks": tasks}


JOBS: Final = {
    "glue:startJobRun": Job(
        "glue",
        "StartJobRun",
        _glue_describe,
        lambda body: str(body.get("JobRun", {}).get("JobRunState", "")),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED", "ERROR", "TIMEOUT", "STOPPED"}),
    ),
    "batch:submitJob": Job(
        "batch",
        "SubmitJob",
        _batch_describe,
        lambda body: str((body.get("Jobs") or [{}])[0].get("Status", "")),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED"}),
    ),
    "ecs:runTask": Job(
        "ecs",
        "RunTask",
        _ecs_describe,
        lambda body: _ecs_status(body),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED"}),
    ),
}


def _described(
    operation: str, name: str
) -> Callable[[dict[str, Any], dict[str, Any]], tuple[str, dict[str, Any]]]:
    """A job described by the name it was created with (SageMaker's jobs)."""

    def describe(params: dict[str, Any], _started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return operation, {name: params.get(name)}

    return describe


def _batch_get(
    started_key: str, operation: str
) -> Callable[[dict[str, Any], dict[str, Any]], tuple[str, dict[str, Any]]]:
    """A job described by the id its start returned, in a batch-get call (CodeBuild)."""

    def describe(_params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return operation, {"Ids": [started.get(started_key, {}).get("Id")]}

    return describe


def _item(body: dict[str, Any], listed: str) -> dict[str, Any]:
    items = body.get(listed) or [{}]
    return items[0] if isinstance(items[0], dict) else {}


def _sagemaker_job(kind: str) -> Job:
    """SageMaker's ``create<Kind>`` jobs: ``Describe<Kind>`` until Completed, Failed or Stopped."""
    return Job(
        "sagemaker",
        f"Create{kind}",
        _described(f"Describe{kind}", f"{kind}Name"),
        lambda body: str(body.get(f"{kind}Status", "")),
        frozenset({"Completed"}),
        frozenset({"Failed", "Stopped"}),
    )


def _codebuild_job(start: str, listed: str, single: str, get: str) -> Job:
    """CodeBuild builds and build batches: the batch-get call until a final status."""
    return Job(
        "codebuild",
        start,
        _batch_get(single, get),
        lambda body: str(_item(body, listed).get(f"{single}Status", "")),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED", "FAULT", "STOPPED", "TIMED_OUT"}),
        lambda body: {single: _item(body, listed)},
    )


JOBS.update(
    {
        "athena:startQueryExecution": Job(
            "athena",
            "StartQueryExecution",
            lambda _params, started: (
                "GetQueryExecution",
                {"QueryExecutionId": started.get("QueryExecutionId")},
            ),
            lambda body: str(body.get("QueryExecution", {}).get("Status", {}).get("State", "")),
            frozenset({"SUCCEEDED"}),
            frozenset({"FAILED", "CANCELLED"}),
        ),
        "codebuild:startBuild": _codebuild_job("StartBuild", "Builds", "Build", "BatchGetBuilds"),
        "codebuild:retryBuild": _codebuild_job("RetryBuild", "Builds", "Build", "BatchGetBuilds"),
        "codebuild:startBuildBatch": _codebuild_job(
            "StartBuildBatch", "BuildBatches", "BuildBatch", "BatchGetBuildBatches"
        ),
        "codebuild:retryBuildBatch": _codebuild_job(
            "RetryBuildBatch", "BuildBatches", "BuildBatch", "BatchGetBuildBatches"
        ),
        **{
            f"sagemaker:create{kind}": _sagemaker_job(kind)
            for kind in (
                "TrainingJob",
                "TransformJob",
                "ProcessingJob",
                "HyperParameterTuningJob",
                "LabelingJob",
            )
        },
    }
)


def _ecs_status(body: dict[str, Any]) -> str:
    task = (body.get("Tasks") or [{}])[0]
    if task.get("LastStatus") != "STOPPED":
        return "RUNNING"
    exit_codes = [container.get("ExitCode") for container in task.get("Containers", [])]
    return "SUCCEEDED" if all(code == 0 for code in exit_codes) else "FAILED"


def _job_watch(job: Job) -> Callable[[TaskCall, TaskServices, Any, PendingTask], None]:
    def watch(call: TaskCall, services: TaskServices, started: Any, pending: PendingTask) -> None:
        runtime = call.run.runtime
        operation, params = job.describe(
            call.parameters if isinstance(call.parameters, dict) else {}, started
        )

        def poll() -> None:
            if pending.outcome.done:
                return
            try:
                body = v1_call(call, services, job.boto_service, operation, params)
            except StatesError as error:
                pending.outcome.fail(error)
                return
            body = {key: value for key, value in body.items() if not key.startswith("Sdk")}
            status = job.status(body)
            if status in job.succeeded:
                result = job.output(body) if job.output is not None else body
                pending.outcome.resolve((dump(result), result))
            elif status in job.failed:
                pending.outcome.fail(StatesError(ErrorName.TASK_FAILED.value, dump(body)))
            else:
                timer = runtime.call_later(SYNC_POLL_SECONDS, poll)
                pending.outcome.on_cancel.append(timer.cancel)

        timer = runtime.call_later(SYNC_POLL_SECONDS, poll)
        pending.outcome.on_cancel.append(timer.cancel)

    return watch


def _register_job(key: str, job: Job) -> None:
    start = _simple(job.boto_service, job.start)
    watch = _job_watch(job)

    def task(call: TaskCall, services: TaskServices) -> TaskBody:
        sync = call.resource.pattern in ("sync", "sync:2")
        result = yield from service_task(call, services, start, watch if sync else None)
        return result

    task.__doc__ = f"``arn:aws:states:::{key}[.sync]``: start the job; ``.sync`` waits for it."
    register("service", key)(task)


for _key, _job in JOBS.items():
    _register_job(_key, _job)
