"""Workers and callbacks: GetActivityTask, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.

``GetActivityTask`` hands out the oldest task waiting on the activity and records
the worker's name; when none waits it answers the empty response at once (AWS
long-polls for up to 60 seconds; on virtual time there is nothing to wait for).
The ``SendTask*`` operations end or extend a wait through its token: a token that
is not one of the backend's is ``InvalidToken``, one whose task has ended
(succeeded, failed, timed out, stopped) is ``TaskTimedOut``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.integrations import activities as activity_tasks
from fakesfn.integrations import callbacks
from fakesfn.payload import load
from fakesfn.service.activities import find_activity
from fakesfn.service.errors import (
    InvalidOutput,
    InvalidToken,
    ServiceError,
    TaskDoesNotExist,
    TaskTimedOut,
)
from fakesfn.service.limits import ModelCheck
from fakesfn.service.registry import Caller, operation

if TYPE_CHECKING:
    from fakesfn.service.store import Store

_TOKEN_MAX: Final = 2048
_OUTPUT_MAX: Final = 262_144
_ERROR_MAX: Final = 256
_CAUSE_MAX: Final = 32_768
_WORKER_NAME_MAX: Final = 80

_TOKEN_ERRORS: Final[dict[str, type[ServiceError]]] = {
    "InvalidToken": InvalidToken,
    "TaskDoesNotExist": TaskDoesNotExist,
    "TaskTimedOut": TaskTimedOut,
}


def _token(params: dict[str, Any], check: ModelCheck) -> str:
    token = params["taskToken"]
    check.length("taskToken", token, _TOKEN_MAX)
    return str(token)


def _refused(error: callbacks.TokenError) -> ServiceError:
    return _TOKEN_ERRORS[error.code](error.message)


@operation("GetActivityTask")
def get_activity_task(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """The oldest waiting task of the activity, or ``{}`` when none waits."""
    check = ModelCheck()
    worker = params.get("workerName")
    check.length("workerName", worker, _WORKER_NAME_MAX)
    check.raise_if_any()
    activity = find_activity(store, params["activityArn"])
    pending = activity_tasks.hand_out(store.services.tokens, activity.arn, worker)
    if pending is None:
        return {}
    return {"taskToken": pending.token, "input": pending.input_text}


@operation("SendTaskSuccess")
def send_task_success(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """End the task with ``output`` (a JSON text) as its result."""
    check = ModelCheck()
    token = _token(params, check)
    output = params["output"]
    check.length("output", output, _OUTPUT_MAX, sensitive=True)
    check.raise_if_any()
    try:
        # AWS judges the token before the output (recorded: a bad token with a
        # non-JSON output is InvalidToken).
        store.services.tokens.find(token)
        load(output)
        callbacks.send_success(store.services.tokens, token, output)
    except callbacks.TokenError as error:
        raise _refused(error) from None
    except ValueError:  # not JSON AWS reads, or nested too deeply
        raise InvalidOutput("Invalid Output: 'Output is not valid JSON'") from None
    return {}


@operation("SendTaskFailure")
def send_task_failure(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """End the task with the worker's ``error`` and ``cause``."""
    check = ModelCheck()
    token = _token(params, check)
    error, cause = params.get("error"), params.get("cause")
    check.length("error", error, _ERROR_MAX, sensitive=True)
    check.length("cause", cause, _CAUSE_MAX, sensitive=True)
    check.raise_if_any()
    try:
        callbacks.send_failure(store.services.tokens, token, error, cause)
    except callbacks.TokenError as refused:
        raise _refused(refused) from None
    return {}


@operation("SendTaskHeartbeat")
def send_task_heartbeat(store: Store, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
    """Restart the task's heartbeat clock."""
    check = ModelCheck()
    token = _token(params, check)
    check.raise_if_any()
    try:
        callbacks.send_heartbeat(store.services.tokens, token)
    except callbacks.TokenError as error:
        raise _refused(error) from None
    return {}
