"""Optimized service integrations run through the user's session: one row per action.

AWS's catalogue of optimized integrations (what a definition may name, with which
patterns) is :mod:`fakesfn.asl.optimized`. :data:`ACTIONS` says how fakesfn runs the
ones it runs through ``backend.aws_session`` (moto's ``mock_aws`` works): a
:class:`Call` of one operation, or a :class:`~fakesfn.integrations.jobs.Job` that
``.sync`` waits for. Registering a row checks it against the catalogue: the action
must be one AWS offers, and every pattern AWS offers for it must run. Lambda, nested
executions, HTTP Tasks and EventBridge ``putEvents`` have integrations of their own
(:mod:`~fakesfn.integrations.lambda_invoke`, :mod:`~fakesfn.integrations.nested`,
:mod:`~fakesfn.integrations.http_invoke`, below). Answers and errors are shaped as the
Java SDK 1.x shapes them (:mod:`fakesfn.integrations.v1`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import StatesError
from fakesfn.asl.optimized import OPTIMIZED_INTEGRATIONS
from fakesfn.integrations import bedrock, eks, emr, jobs  # noqa: F401 - bedrock, eks, emr register tasks of their own
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.jobs import Job, job_watch
from fakesfn.integrations.registry import Integration, register
from fakesfn.integrations.v1 import v1_call
from fakesfn.payload import dump

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.callbacks import Request
    from fakesfn.integrations.services import TaskServices

_ANY_CALL: Final = frozenset({"", "waitForTaskToken"})
"""Every call runs request-response and ``.waitForTaskToken`` (the token is waited for after it)."""

_ANY_JOB: Final = frozenset({"", "waitForTaskToken", "sync"})
"""A job also runs ``.sync``: its status is polled until it ends."""


@dataclass(frozen=True, slots=True)
class Call:
    """An action that is one call of a service operation (``GetItem``, ``SendMessage``...).

    ``request`` and ``answer`` translate where the optimized integration's parameters
    or answer differ from the SDK's (EMR's ``addStep`` takes one ``Step``...).
    """

    boto_service: str
    operation: str
    request: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    answer: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None


ACTIONS: Final[Mapping[str, Call | Job]] = MappingProxyType(
    {
        "dynamodb:getItem": Call("dynamodb", "GetItem"),
        "dynamodb:putItem": Call("dynamodb", "PutItem"),
        "dynamodb:updateItem": Call("dynamodb", "UpdateItem"),
        "dynamodb:deleteItem": Call("dynamodb", "DeleteItem"),
        "sqs:sendMessage": Call("sqs", "SendMessage"),
        "sns:publish": Call("sns", "Publish"),
        "athena:startQueryExecution": jobs.ATHENA_QUERY,
        "athena:stopQueryExecution": Call("athena", "StopQueryExecution"),
        "athena:getQueryExecution": Call("athena", "GetQueryExecution"),
        "athena:getQueryResults": Call("athena", "GetQueryResults"),
        "batch:submitJob": jobs.BATCH,
        "codebuild:startBuild": jobs.codebuild_job("StartBuild", "Builds", "Build", "BatchGetBuilds"),
        "codebuild:retryBuild": jobs.codebuild_job("RetryBuild", "Builds", "Build", "BatchGetBuilds"),
        "codebuild:startBuildBatch": jobs.codebuild_job(
            "StartBuildBatch", "BuildBatches", "BuildBatch", "BatchGetBuildBatches"
        ),
        "codebuild:retryBuildBatch": jobs.codebuild_job(
            "RetryBuildBatch", "BuildBatches", "BuildBatch", "BatchGetBuildBatches"
        ),
        "codebuild:stopBuild": Call("codebuild", "StopBuild"),
        "codebuild:stopBuildBatch": Call("codebuild", "StopBuildBatch"),
        "codebuild:batchDeleteBuilds": Call("codebuild", "BatchDeleteBuilds"),
        "codebuild:batchGetReports": Call("codebuild", "BatchGetReports"),
        "codebuild:deleteBuildBatch": Call("codebuild", "DeleteBuildBatch"),
        "ecs:runTask": jobs.ECS,
        "glue:startJobRun": jobs.GLUE,
        "sagemaker:createTrainingJob": jobs.sagemaker_job("TrainingJob"),
        "sagemaker:createTransformJob": jobs.sagemaker_job("TransformJob"),
        "sagemaker:createProcessingJob": jobs.sagemaker_job("ProcessingJob"),
        "sagemaker:createHyperParameterTuningJob": jobs.sagemaker_job("HyperParameterTuningJob"),
        "sagemaker:createLabelingJob": jobs.sagemaker_job("LabelingJob"),
        "sagemaker:createEndpoint": Call("sagemaker", "CreateEndpoint"),
        "sagemaker:createEndpointConfig": Call("sagemaker", "CreateEndpointConfig"),
        "sagemaker:createModel": Call("sagemaker", "CreateModel"),
        "sagemaker:updateEndpoint": Call("sagemaker", "UpdateEndpoint"),
        "databrew:startJobRun": jobs.DATABREW,
        "mediaconvert:createJob": jobs.MEDIACONVERT,
        "bedrock:createModelCustomizationJob": jobs.BEDROCK_CUSTOMIZATION,
        "elasticmapreduce:createCluster": emr.EMR_CREATE_CLUSTER,
        "elasticmapreduce:terminateCluster": emr.EMR_TERMINATE_CLUSTER,
        "elasticmapreduce:addStep": emr.EMR_ADD_STEP,
        "elasticmapreduce:cancelStep": Call("emr", "CancelSteps", *emr.EMR_CANCEL_STEP),
        "elasticmapreduce:setClusterTerminationProtection": Call(
            "emr", "SetTerminationProtection", *emr.EMR_SET_TERMINATION_PROTECTION
        ),
        "emr-containers:createVirtualCluster": Call("emr-containers", "CreateVirtualCluster"),
        "emr-containers:startJobRun": emr.EMR_CONTAINERS_JOB_RUN,
        "emr-containers:deleteVirtualCluster": emr.EMR_CONTAINERS_DELETE,
        "emr-serverless:createApplication": emr.EMR_SERVERLESS_CREATE,
        "emr-serverless:startApplication": emr.EMR_SERVERLESS_START,
        "emr-serverless:stopApplication": emr.EMR_SERVERLESS_STOP,
        "emr-serverless:deleteApplication": emr.EMR_SERVERLESS_DELETE,
        "emr-serverless:startJobRun": emr.EMR_SERVERLESS_JOB_RUN,
        "emr-serverless:cancelJobRun": emr.EMR_SERVERLESS_CANCEL,
        **eks.EKS_JOBS,
    }
)
"""``service:action`` -> how fakesfn runs it through the session."""


def _request(action: Call | Job) -> Request:
    operation = action.operation if isinstance(action, Call) else action.start

    def request(call: TaskCall, services: TaskServices) -> TaskBody:
        yield from ()
        given = call.parameters if isinstance(call.parameters, dict) else {}
        sent = action.request(given) if action.request is not None else given
        response = v1_call(call, services, action.boto_service, operation, sent)
        return action.answer(given, response) if action.answer is not None else response

    return request


def _call_task(key: str, action: Call) -> Integration:
    request = _request(action)

    def task(call: TaskCall, services: TaskServices) -> TaskBody:
        result = yield from service_task(call, services, request)
        return result

    task.__doc__ = (
        f"``arn:aws:states:::{key}``: {action.boto_service} {action.operation} through the user's session."
    )
    return task


def _job_task(key: str, job: Job) -> Integration:
    start = _request(job)
    watch = job_watch(job)

    def task(call: TaskCall, services: TaskServices) -> TaskBody:
        sync = call.resource.pattern in ("sync", "sync:2")
        result = yield from service_task(call, services, start, watch if sync else None)
        return result

    task.__doc__ = f"``arn:aws:states:::{key}[.sync]``: start the job; ``.sync`` waits for it."
    return task


def _register(key: str, action: Call | Job) -> None:
    """Register the row's integration, once it is known to run every pattern AWS offers for it."""
    runs = _ANY_JOB if isinstance(action, Job) else _ANY_CALL
    missing = OPTIMIZED_INTEGRATIONS[key] - runs
    if missing:
        raise RuntimeError(f"{key}: AWS offers the patterns {sorted(missing)}, which this row does not run")
    task = _job_task(key, action) if isinstance(action, Job) else _call_task(key, action)
    register("service", key)(task)


for _key, _action in ACTIONS.items():
    _register(_key, _action)


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
