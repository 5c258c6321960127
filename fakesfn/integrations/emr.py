"""Amazon EMR, EMR on EKS and EMR Serverless, as Step Functions' optimized integrations.

The optimized EMR integration wraps EMR's API in "a customized set of APIs" (AWS,
"Call Amazon EMR with Step Functions"): ``createCluster`` is ``RunJobFlow`` and answers
``{"ClusterId": ...}``; ``addStep`` takes one ``Step`` and a ``ClusterId`` and answers
``{"StepId": ...}``; ``cancelStep``, ``terminateCluster`` and
``setClusterTerminationProtection`` take one id where EMR takes a list; the
``...ByName`` actions name an instance fleet or group, whose id the integration
looks up. ``.sync`` waits for the cluster to be ``WAITING`` (or ``TERMINATED``) or the
step to be ``COMPLETED``, and answers what the request-response form answers ("The same as
createCluster, but waits for the cluster to reach the WAITING state").

EMR on EKS's integration is its API as it is; EMR Serverless's answers
``{"ApplicationId": ...}`` where the API answers nothing, and ``.sync`` waits for the
application's or the job run's state, answering as the request-response form does ("Create
and manage Amazon EMR Serverless applications with Step Functions"; its waitForTaskToken is
not offered). Everything runs through the user's session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.jobs import Job
from fakesfn.integrations.registry import Integration, register
from fakesfn.integrations.v1 import v1_call

if TYPE_CHECKING:
    from collections.abc import Callable

    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.callbacks import Request
    from fakesfn.integrations.services import TaskServices

_EMR: Final = "emr"


def _cluster_ids(params: dict[str, Any]) -> dict[str, Any]:
    """``{"ClusterId": id, ...}`` -> EMR's ``{"JobFlowIds": [id], ...}``."""
    rest = {key: value for key, value in params.items() if key != "ClusterId"}
    return {"JobFlowIds": [params.get("ClusterId")], **rest}


def _add_step(params: dict[str, Any]) -> dict[str, Any]:
    rest = {key: value for key, value in params.items() if key not in ("ClusterId", "Step")}
    return {"JobFlowId": params.get("ClusterId"), "Steps": [params.get("Step")], **rest}


def _cancel_step(params: dict[str, Any]) -> dict[str, Any]:
    rest = {key: value for key, value in params.items() if key != "StepId"}
    return {**rest, "StepIds": [params.get("StepId")]}


def _first(listed: str, single: str) -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    def answer(_params: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        items = response.get(listed) or [None]
        return {single: items[0]}

    return answer


def _nothing(_params: dict[str, Any], _response: dict[str, Any]) -> dict[str, Any]:
    return {}


def _as_answered(_body: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """AWS: ``X.sync`` is "the same as X, but waits": the result is X's answer."""
    return answer


def _cluster_state(body: dict[str, Any]) -> str:
    return str(body.get("Cluster", {}).get("Status", {}).get("State", ""))


def _describe_cluster(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "DescribeCluster", {"ClusterId": started.get("ClusterId") or params.get("ClusterId")}


EMR_CREATE_CLUSTER: Final = Job(
    _EMR,
    "RunJobFlow",
    _describe_cluster,
    _cluster_state,
    frozenset({"WAITING"}),
    frozenset({"TERMINATED", "TERMINATED_WITH_ERRORS"}),
    output=_as_answered,
    answer=lambda _params, response: {"ClusterId": response.get("JobFlowId")},
)
"""``createCluster``: ``RunJobFlow``; ``.sync`` waits for the cluster to be ``WAITING``."""

EMR_TERMINATE_CLUSTER: Final = Job(
    _EMR,
    "TerminateJobFlows",
    _describe_cluster,
    _cluster_state,
    frozenset({"TERMINATED"}),
    frozenset({"TERMINATED_WITH_ERRORS"}),
    output=_as_answered,
    request=_cluster_ids,
    answer=_nothing,
)
"""``terminateCluster``: ``TerminateJobFlows``; ``.sync`` waits for ``TERMINATED``."""

EMR_ADD_STEP: Final = Job(
    _EMR,
    "AddJobFlowSteps",
    lambda params, started: (
        "DescribeStep",
        {"ClusterId": params.get("ClusterId"), "StepId": started.get("StepId")},
    ),
    lambda body: str(body.get("Step", {}).get("Status", {}).get("State", "")),
    frozenset({"COMPLETED"}),
    frozenset({"CANCELLED", "FAILED", "INTERRUPTED"}),
    output=_as_answered,
    request=_add_step,
    answer=_first("StepIds", "StepId"),
)
"""``addStep``: one ``Step`` to ``AddJobFlowSteps``; ``.sync`` waits for ``COMPLETED``."""

EMR_CANCEL_STEP: Final = (_cancel_step, _first("CancelStepsInfoList", "CancelStepsInfo"))
"""``cancelStep``: one ``StepId`` to ``CancelSteps``; the first ``CancelStepsInfo`` back."""

EMR_SET_TERMINATION_PROTECTION: Final = (_cluster_ids, _nothing)
"""``setClusterTerminationProtection``: ``SetTerminationProtection`` of one cluster."""


def _by_name(kind: str) -> Request:
    """``modifyInstance<Fleet|Group>ByName``: the id looked up by name, then the SDK call.

    AWS: "the InstanceGroupId is determined automatically by the service integration
    by calling ListInstanceGroups and parsing the result"; fleets likewise.
    """

    def request(call: TaskCall, services: TaskServices) -> TaskBody:
        yield from ()
        params = call.parameters if isinstance(call.parameters, dict) else {}
        cluster = params.get("ClusterId")
        given = dict(params.get(f"Instance{kind}") or {})
        inner = given.pop(f"Instance{kind}Name", None)
        name = params.get(f"Instance{kind}Name", inner)
        if f"Instance{kind}Id" in given:
            # AWS: "Within the InstanceGroupModifyConfig object, the field InstanceGroupId
            # is not allowed"; the integration finds it from the name.
            raise StatesError(
                ErrorName.RUNTIME.value,
                f"The field 'Instance{kind}Id' is not allowed: name the {kind.lower()} "
                f"with 'Instance{kind}Name'",
            )
        listed = v1_call(call, services, _EMR, f"ListInstance{kind}s", {"ClusterId": cluster})
        found = next((item for item in listed.get(f"Instance{kind}s", []) if item.get("Name") == name), None)
        if found is None:
            raise StatesError(
                ErrorName.RUNTIME.value,
                f"The cluster {cluster} has no instance {kind.lower()} named '{name}'",
            )
        given[f"Instance{kind}Id"] = found.get("Id")
        if kind == "Fleet":
            sent: dict[str, Any] = {"ClusterId": cluster, "InstanceFleet": given}
        else:
            sent = {"ClusterId": cluster, "InstanceGroups": [given]}
        response = v1_call(
            call, services, _EMR, f"ModifyInstance{kind}{'' if kind == 'Fleet' else 's'}", sent
        )
        return {key: value for key, value in response.items() if key.startswith("Sdk")}

    return request


def _by_name_task(kind: str) -> Integration:
    request = _by_name(kind)

    def task(call: TaskCall, services: TaskServices) -> TaskBody:
        result = yield from service_task(call, services, request)
        return result

    task.__doc__ = f"``elasticmapreduce:modifyInstance{kind}ByName``: the {kind.lower()} found by its name."
    return task


register("service", "elasticmapreduce:modifyInstanceFleetByName")(_by_name_task("Fleet"))
register("service", "elasticmapreduce:modifyInstanceGroupByName")(_by_name_task("Group"))


# --- EMR on EKS ----------------------------------------------------------------------------

_CONTAINERS: Final = "emr-containers"

EMR_CONTAINERS_JOB_RUN: Final = Job(
    _CONTAINERS,
    "StartJobRun",
    lambda params, started: (
        "DescribeJobRun",
        {"Id": started.get("Id"), "VirtualClusterId": started.get("VirtualClusterId")},
    ),
    lambda body: str(body.get("JobRun", {}).get("State", "")),
    frozenset({"COMPLETED"}),
    frozenset({"FAILED", "CANCELLED"}),
)
"""``emr-containers:startJobRun``: ``.sync`` waits for the job run to be ``COMPLETED``."""

EMR_CONTAINERS_DELETE: Final = Job(
    _CONTAINERS,
    "DeleteVirtualCluster",
    lambda _params, started: ("DescribeVirtualCluster", {"Id": started.get("Id")}),
    lambda body: str(body.get("VirtualCluster", {}).get("State", "")),
    frozenset({"TERMINATED"}),
    frozenset({"ARRESTED"}),
    gone_is_done=True,
)
"""``emr-containers:deleteVirtualCluster``: ``.sync`` waits for ``TERMINATED``."""


# --- EMR Serverless ------------------------------------------------------------------------

_SERVERLESS: Final = "emr-serverless"


def _application(start: str, done: str, answer_id: bool) -> Job:
    return Job(
        _SERVERLESS,
        start,
        lambda params, started: (
            "GetApplication",
            {"ApplicationId": started.get("ApplicationId") or params.get("ApplicationId")},
        ),
        lambda body: str(body.get("Application", {}).get("State", "")),
        frozenset({done}),
        frozenset() if done == "TERMINATED" else frozenset({"TERMINATED"}),
        output=_as_answered,
        answer=(lambda params, _response: {"ApplicationId": params.get("ApplicationId")})
        if answer_id
        else None,
    )


EMR_SERVERLESS_CREATE: Final = _application("CreateApplication", "CREATED", False)
EMR_SERVERLESS_START: Final = _application("StartApplication", "STARTED", True)
EMR_SERVERLESS_STOP: Final = _application("StopApplication", "STOPPED", True)
EMR_SERVERLESS_DELETE: Final = _application("DeleteApplication", "TERMINATED", True)


def _job_run(start: str, done: frozenset[str], failed: frozenset[str]) -> Job:
    return Job(
        _SERVERLESS,
        start,
        lambda params, started: (
            "GetJobRun",
            {
                "ApplicationId": started.get("ApplicationId") or params.get("ApplicationId"),
                "JobRunId": started.get("JobRunId") or params.get("JobRunId"),
            },
        ),
        lambda body: str(body.get("JobRun", {}).get("State", "")),
        done,
        failed,
        output=_as_answered,
    )


EMR_SERVERLESS_JOB_RUN: Final = _job_run(
    "StartJobRun", frozenset({"SUCCESS"}), frozenset({"FAILED", "CANCELLED"})
)
EMR_SERVERLESS_CANCEL: Final = _job_run(
    "CancelJobRun", frozenset({"CANCELLED"}), frozenset({"SUCCESS", "FAILED"})
)
