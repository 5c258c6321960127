"""Activity tasks: work handed to workers that poll ``GetActivityTask``.

AWS records ``ActivityScheduled`` (resource, input, timeoutInSeconds,
heartbeatInSeconds) when the task is queued, ``ActivityStarted`` (with the
worker's name) when a worker receives it, then ``ActivitySucceeded``,
``ActivityFailed`` or ``ActivityTimedOut``. TimeoutSeconds counts from
scheduling; HeartbeatSeconds only once a worker holds the task (AWS: "For
Activities, the count begins when GetActivityTask receives a token and
ActivityStarted is logged").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.engine.tasks import TaskTimeout, current_token, end_task_context
from fakesfn.integrations.callbacks import PendingTask, arm_heartbeat, deadline_of, wait_pending
from fakesfn.integrations.registry import register
from fakesfn.payload import dump, payload_details

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.callbacks import TaskTokens
    from fakesfn.integrations.services import TaskServices

_KEY: Final = "activity"


def _emit(call: TaskCall, suffix: str, details: dict[str, Any]) -> None:
    call.run.fiber.emit(f"Activity{suffix}", f"{_KEY}{suffix}EventDetails", details)


def _error_details(error: StatesError) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if error.error:
        details["error"] = error.error
    if error.cause is not None:
        details["cause"] = error.cause
    return details


@register("activity", "*")
def activity_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """Queue the task for a worker and wait for its outcome."""
    arn = call.resource.arn
    input_text = dump(call.parameters)
    bridge = services.api
    if bridge is not None and not bridge.activity_exists(arn):
        error = StatesError(ErrorName.RUNTIME.value, f"The activity {arn} does not exist.")
        _emit(call, "ScheduleFailed", _error_details(error))
        end_task_context(call)
        raise error
    details: dict[str, Any] = {"resource": arn, **payload_details("input", input_text)}
    if call.timeout_seconds is not None:
        details["timeoutInSeconds"] = call.timeout_seconds
    if call.heartbeat_seconds is not None:
        details["heartbeatInSeconds"] = call.heartbeat_seconds
    _emit(call, "Scheduled", details)
    pending = PendingTask(current_token(call), call, activity_arn=arn, input_text=input_text)
    services.tokens.enqueue(pending)
    deadline = deadline_of(call, call.run.runtime.clock.time())
    try:
        text, value = yield from wait_pending(call, services, pending, deadline)
    except TaskTimeout as timeout:
        _emit(call, "TimedOut", _error_details(timeout))
        raise
    except StatesError as error:
        _emit(call, "Failed", _error_details(error))
        raise
    finally:
        end_task_context(call)
    _emit(call, "Succeeded", payload_details("output", text))
    return value


def hand_out(tokens: TaskTokens, activity_arn: str, worker_name: str | None) -> PendingTask | None:
    """``GetActivityTask``: give the oldest waiting task to a worker, or ``None``.

    Records ``ActivityStarted`` (``workerName`` only when the worker gave one)
    and starts the heartbeat clock.
    """
    pending = tokens.poll(activity_arn)
    if pending is None:
        return None
    details: dict[str, Any] = {} if worker_name is None else {"workerName": worker_name}
    _emit(pending.call, "Started", details)
    if pending.call.heartbeat_seconds is not None:
        arm_heartbeat(pending, pending.call.heartbeat_seconds)
    return pending
