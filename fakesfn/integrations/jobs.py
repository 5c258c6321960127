"""Jobs an optimized integration starts and ``.sync`` waits for (Glue, Batch, ECS, Athena...).

A :class:`Job` says how to start one kind of job and how to tell, from a status call,
that it has ended. ``.sync`` polls that status every :data:`SYNC_POLL_SECONDS` of
virtual time (:func:`job_watch`); the last status response is the task's result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.v1 import v1_call
from fakesfn.payload import dump

if TYPE_CHECKING:
    from collections.abc import Callable

    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.callbacks import PendingTask
    from fakesfn.integrations.services import TaskServices

SYNC_POLL_SECONDS: Final = 5
"""Virtual seconds between two status checks of a ``.sync`` job (fakesfn's choice)."""


@dataclass(frozen=True, slots=True)
class Job:
    """How to start one kind of job and tell when it has ended."""

    boto_service: str
    start: str
    describe: Callable[[dict[str, Any], dict[str, Any]], tuple[str, dict[str, Any]]]
    status: Callable[[dict[str, Any]], str]
    succeeded: frozenset[str]
    failed: frozenset[str]
    output: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    """The ``.sync`` result made of (the last status response, the start's answer) (default: the former)."""
    request: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """The SDK's parameters made of the optimized integration's (default: the same)."""
    answer: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    """The integration's answer made of (its parameters, the SDK's response) (default: the response)."""
    gone_is_done: bool = False
    """A job that deletes something: the status call's "not found" means it has ended."""


def _glue_describe(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "GetJobRun", {"JobName": params.get("JobName"), "RunId": started.get("JobRunId")}


def _batch_describe(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "DescribeJobs", {"Jobs": [started.get("JobId")]}


def _ecs_describe(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    tasks = [task.get("TaskArn") for task in started.get("Tasks", [])]
    return "DescribeTasks", {"Cluster": params.get("Cluster", "default"), "Tasks": tasks}


GLUE: Final = Job(
    "glue",
    "StartJobRun",
    _glue_describe,
    lambda body: str(body.get("JobRun", {}).get("JobRunState", "")),
    frozenset({"SUCCEEDED"}),
    frozenset({"FAILED", "ERROR", "TIMEOUT", "STOPPED"}),
)
BATCH: Final = Job(
    "batch",
    "SubmitJob",
    _batch_describe,
    lambda body: str((body.get("Jobs") or [{}])[0].get("Status", "")),
    frozenset({"SUCCEEDED"}),
    frozenset({"FAILED"}),
)
ECS: Final = Job(
    "ecs",
    "RunTask",
    _ecs_describe,
    lambda body: _ecs_status(body),
    frozenset({"SUCCEEDED"}),
    frozenset({"FAILED"}),
)
ATHENA_QUERY: Final = Job(
    "athena",
    "StartQueryExecution",
    lambda _params, started: ("GetQueryExecution", {"QueryExecutionId": started.get("QueryExecutionId")}),
    lambda body: str(body.get("QueryExecution", {}).get("Status", {}).get("State", "")),
    frozenset({"SUCCEEDED"}),
    frozenset({"FAILED", "CANCELLED"}),
)


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


def sagemaker_job(kind: str) -> Job:
    """SageMaker's ``create<Kind>`` jobs: ``Describe<Kind>`` until Completed, Failed or Stopped."""
    return Job(
        "sagemaker",
        f"Create{kind}",
        _described(f"Describe{kind}", f"{kind}Name"),
        lambda body: str(body.get(f"{kind}Status", "")),
        frozenset({"Completed"}),
        frozenset({"Failed", "Stopped"}),
    )


def codebuild_job(start: str, listed: str, single: str, get: str) -> Job:
    """CodeBuild builds and build batches: the batch-get call until a final status."""
    return Job(
        "codebuild",
        start,
        _batch_get(single, get),
        lambda body: str(_item(body, listed).get(f"{single}Status", "")),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED", "FAULT", "STOPPED", "TIMED_OUT"}),
        lambda body, _started: {single: _item(body, listed)},
    )


def _ecs_status(body: dict[str, Any]) -> str:
    task = (body.get("Tasks") or [{}])[0]
    if task.get("LastStatus") != "STOPPED":
        return "RUNNING"
    exit_codes = [container.get("ExitCode") for container in task.get("Containers", [])]
    return "SUCCEEDED" if all(code == 0 for code in exit_codes) else "FAILED"


def _without_metadata(body: Any) -> dict[str, Any]:
    """A response without the Java SDK's ``Sdk...`` metadata (a ``.sync`` result has none)."""
    if not isinstance(body, dict):
        return {}
    return {key: value for key, value in body.items() if not key.startswith("Sdk")}


def job_watch(job: Job) -> Callable[[TaskCall, TaskServices, Any, PendingTask], None]:
    """How ``.sync`` waits for ``job``: its status, polled on the virtual clock until it ends."""

    def watch(call: TaskCall, services: TaskServices, started: Any, pending: PendingTask) -> None:
        runtime = call.run.runtime
        answer = _without_metadata(started)
        operation, params = job.describe(
            call.parameters if isinstance(call.parameters, dict) else {}, started
        )

        def poll() -> None:
            if pending.outcome.done:
                return
            try:
                body = v1_call(call, services, job.boto_service, operation, params)
            except StatesError as error:
                if job.gone_is_done and error.error.endswith("NotFoundException"):
                    pending.outcome.resolve((dump(answer), answer))
                else:
                    pending.outcome.fail(error)
                return
            body = _without_metadata(body)
            status = job.status(body)
            if status in job.succeeded:
                result = job.output(body, answer) if job.output is not None else body
                pending.outcome.resolve((dump(result), result))
            elif status in job.failed:
                pending.outcome.fail(StatesError(ErrorName.TASK_FAILED.value, dump(body)))
            else:
                timer = runtime.call_later(SYNC_POLL_SECONDS, poll)
                pending.outcome.on_cancel.append(timer.cancel)

        timer = runtime.call_later(SYNC_POLL_SECONDS, poll)
        pending.outcome.on_cancel.append(timer.cancel)

    return watch


DATABREW: Final = Job(
    "databrew",
    "StartJobRun",
    lambda params, started: ("DescribeJobRun", {"Name": params.get("Name"), "RunId": started.get("RunId")}),
    lambda body: str(body.get("State", "")),
    frozenset({"SUCCEEDED"}),
    frozenset({"FAILED", "STOPPED", "TIMEOUT"}),
)
"""DataBrew ``startJobRun``: ``DescribeJobRun`` until the run has ended."""

MEDIACONVERT: Final = Job(
    "mediaconvert",
    "CreateJob",
    lambda _params, started: ("GetJob", {"Id": started.get("Job", {}).get("Id")}),
    lambda body: str(body.get("Job", {}).get("Status", "")),
    frozenset({"COMPLETE"}),
    frozenset({"ERROR", "CANCELED"}),
)
"""MediaConvert ``createJob``: ``GetJob`` until ``COMPLETE``."""

BEDROCK_CUSTOMIZATION: Final = Job(
    "bedrock",
    "CreateModelCustomizationJob",
    lambda _params, started: ("GetModelCustomizationJob", {"JobIdentifier": started.get("JobArn")}),
    lambda body: str(body.get("Status", "")),
    frozenset({"Completed"}),
    frozenset({"Failed", "Stopped"}),
)
"""Bedrock ``createModelCustomizationJob``: ``GetModelCustomizationJob`` until ``Completed``."""
