"""Task tokens: how a waiting task is found again, and how it ends.

A task that waits for an outside actor (an activity worker, a ``.waitForTaskToken``
callback, a ``.sync`` job) is registered under its *task token* in the backend's
:class:`TaskTokens` (``TaskServices.tokens``). ``send_task_success`` / ``send_task_failure`` /
``send_task_heartbeat`` (from any client on the backend) look the token up and
end or extend the wait; timers on the virtual clock enforce ``TimeoutSeconds``
and ``HeartbeatSeconds``. A token is valid only while its task waits: once the
task ends (success, failure, timeout, or its execution stopped) the token is
closed and AWS answers ``TaskTimedOut``.

:func:`service_task` runs every service integration in AWS's three patterns:
request-response, ``.waitForTaskToken`` and ``.sync``.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.engine.payload_limits import check_payload_size
from fakesfn.engine.signals import Signal
from fakesfn.engine.tasks import TaskEvents, TaskTimeout, current_token, end_task_context
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.clock import Timer
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.runtime import Runtime
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

_TOKEN_FORMAT: Final = re.compile(r"AQ[0-9a-f]{128}\Z")

# AWS wording: a token that is not one of its own ("Invalid Token: 'Invalid
# token'", recorded in test_sfn_send_task_outcome_with_no_such_token) and a
# token whose task has ended ("Task Timed Out: 'Provided task does not exist
# anymore'", as AWS answers late or repeated callbacks).
INVALID_TOKEN_MESSAGE: Final = "Invalid Token: 'Invalid token'"
TASK_TIMED_OUT_MESSAGE: Final = "Task Timed Out: 'Provided task does not exist anymore'"
TASK_DOES_NOT_EXIST_MESSAGE: Final = "Task Does Not Exist: 'Provided task does not exist'"

Request = Callable[["TaskCall", "TaskServices"], "TaskBody"]
"""The request part of a service task: calls the service, returns its response."""

Watch = Callable[["TaskCall", "TaskServices", Any, "PendingTask"], None]
"""Sets up how a ``.sync`` job ends: resolves or fails ``pending.outcome`` later."""


class TokenError(Exception):
    """A ``SendTask*`` call names a token that cannot be used.

    Attributes:
        code: the AWS error code (``InvalidToken``, ``TaskDoesNotExist``, ``TaskTimedOut``).
        message: AWS's message.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class HeartbeatTimeout(TaskTimeout):
    """No heartbeat within ``HeartbeatSeconds``.

    AWS records the error as ``States.Timeout`` (recorded:
    test_heartbeat_no_timeout) and documents ``States.HeartbeatTimeout`` as the
    name a Retrier or Catcher may use to single the case out, so it matches both.
    """

    aliases = (ErrorName.HEARTBEAT_TIMEOUT.value,)

    def __init__(self) -> None:
        super().__init__(ErrorName.TIMEOUT.value)


@dataclass(eq=False, slots=True)
class PendingTask:
    """One waiting task.

    Attributes:
        token: its task token.
        call: the task call it belongs to.
        outcome: fired with ``(output_text, value)`` or failed with a StatesError.
        activity_arn: the activity it waits in (activities only).
        input_text: what a worker receives (activities only).
        heartbeat_seconds: the heartbeat interval, once armed.
        on_stop: called when the task ends abnormally (timeout, abort): stops a ``.sync`` job.
    """

    token: str
    call: TaskCall
    outcome: Signal = field(default_factory=Signal)
    activity_arn: str | None = None
    input_text: str = ""
    heartbeat_seconds: int | None = None
    heartbeat_timer: Timer | None = None
    timeout_timer: Timer | None = None
    on_stop: list[Callable[[], None]] = field(default_factory=list)

    @property
    def runtime(self) -> Runtime:
        """The runtime the task runs on."""
        return self.call.run.runtime


class TaskTokens:
    """Every open token of one backend, plus the activity queues."""

    def __init__(self) -> None:
        self._open: dict[str, PendingTask] = {}
        self._closed: set[str] = set()
        self._queues: dict[str, deque[PendingTask]] = {}

    def open(self, pending: PendingTask) -> None:
        """Register ``pending``; its outcome (or abort) closes it again."""
        self._open[pending.token] = pending
        pending.outcome.add_waiter(lambda _signal: self.close(pending))
        pending.outcome.on_cancel.append(lambda: self._aborted(pending))

    def find(self, token: Any) -> PendingTask:
        """The open task ``token`` names, or the :class:`TokenError` AWS answers."""
        pending = self._open.get(token) if isinstance(token, str) else None
        if pending is not None:
            return pending
        if not isinstance(token, str) or not _TOKEN_FORMAT.match(token):
            raise TokenError("InvalidToken", INVALID_TOKEN_MESSAGE)
        if token in self._closed:
            raise TokenError("TaskTimedOut", TASK_TIMED_OUT_MESSAGE)
        raise TokenError("TaskDoesNotExist", TASK_DOES_NOT_EXIST_MESSAGE)

    def close(self, pending: PendingTask) -> None:
        """The task ended: its token stops working, its timers stop."""
        if self._open.pop(pending.token, None) is None:
            return
        self._closed.add(pending.token)
        for timer in (pending.heartbeat_timer, pending.timeout_timer):
            if timer is not None:
                timer.cancel()
        if pending.activity_arn is not None:
            queue = self._queues.get(pending.activity_arn)
            if queue is not None and pending in queue:
                queue.remove(pending)

    def enqueue(self, pending: PendingTask) -> None:
        """Make an activity task available to ``GetActivityTask`` (FIFO per activity)."""
        assert pending.activity_arn is not None
        self._queues.setdefault(pending.activity_arn, deque()).append(pending)

    def poll(self, activity_arn: str) -> PendingTask | None:
        """The oldest task scheduled on ``activity_arn`` not yet handed out."""
        queue = self._queues.get(activity_arn)
        return queue.popleft() if queue else None

    def awaits_worker(self) -> bool:
        """Whether a task waits for an outside actor: a callback token or an activity worker.

        ``.sync`` tasks hold a token too, but the fake's own poller ends them; they
        wait on virtual time, not on anyone outside.
        """
        return any(
            pending.activity_arn is not None or pending.call.resource.pattern == "waitForTaskToken"
            for pending in self._open.values()
        )

    def _aborted(self, pending: PendingTask) -> None:
        self.close(pending)
        _stop_job(pending)


# --- ending a wait from outside -------------------------------------------------------


def send_success(tokens: TaskTokens, token: Any, output_text: str) -> None:
    """``SendTaskSuccess``: the task succeeds with ``output_text`` (already validated JSON)."""
    pending = tokens.find(token)
    pending.runtime.fire(pending.outcome, (output_text, json.loads(output_text)))


def send_failure(tokens: TaskTokens, token: Any, error: str | None, cause: str | None) -> None:
    """``SendTaskFailure``: the task fails with the worker's error and cause."""
    pending = tokens.find(token)
    if pending.outcome.fail(StatesError(error if error is not None else "", cause)):
        pending.runtime.run()


def send_heartbeat(tokens: TaskTokens, token: Any) -> None:
    """``SendTaskHeartbeat``: restart the heartbeat clock (``HeartbeatSeconds``)."""
    pending = tokens.find(token)
    if pending.heartbeat_seconds is not None:
        arm_heartbeat(pending, pending.heartbeat_seconds)


# --- deadlines -------------------------------------------------------------------------


def arm_timeout(pending: PendingTask, deadline: float | None) -> None:
    """Fail the task with ``States.Timeout`` when the clock reaches ``deadline``."""
    if deadline is None:
        return
    runtime = pending.runtime
    pending.timeout_timer = runtime.clock.call_at(
        deadline, lambda: _expire(pending, TaskTimeout(ErrorName.TIMEOUT.value))
    )


def arm_heartbeat(pending: PendingTask, seconds: int) -> None:
    """(Re)start the heartbeat clock: no heartbeat for ``seconds`` fails the task."""
    if pending.heartbeat_timer is not None:
        pending.heartbeat_timer.cancel()
    pending.heartbeat_seconds = seconds
    pending.heartbeat_timer = pending.runtime.clock.call_later(
        seconds, lambda: _expire(pending, HeartbeatTimeout())
    )


def _expire(pending: PendingTask, error: TaskTimeout) -> None:
    if pending.outcome.fail(error):
        _stop_job(pending)
        pending.runtime.run()


def _stop_job(pending: PendingTask) -> None:
    callbacks, pending.on_stop = pending.on_stop, []
    for callback in callbacks:
        callback()


def deadline_of(call: TaskCall, started: float) -> float | None:
    """When the task's TimeoutSeconds, counted from ``started``, runs out."""
    return None if call.timeout_seconds is None else started + call.timeout_seconds


# --- the three integration patterns ---------------------------------------------------


def service_task(
    call: TaskCall, services: TaskServices, request: Request, watch: Watch | None = None
) -> TaskBody:
    """Run a service integration in the pattern its resource names.

    Request-response: ``TaskScheduled``, ``TaskStarted``, then ``TaskSucceeded``
    with the response. ``.waitForTaskToken`` and ``.sync``: after the request,
    ``TaskSubmitted`` with the response, then the task waits for its token (or
    for ``watch`` to see the job end) racing TimeoutSeconds and HeartbeatSeconds.
    A failed request is ``TaskFailed``; an expired wait ``TaskTimedOut``.
    """
    events = TaskEvents(call)
    events.scheduled()
    runtime = call.run.runtime
    started = runtime.clock.time()
    events.started()
    pattern = call.resource.pattern
    early: PendingTask | None = None
    if pattern == "waitForTaskToken":
        # The token works as soon as the task has started: the called service (a
        # Lambda function answering its own token, say) may use it before its
        # request returns.
        early = PendingTask(current_token(call), call)
        services.tokens.open(early)
    try:
        response = yield from request(call, services)
        if not pattern:
            text = dump(response)
            check_payload_size(text, call.resource.service)
            events.succeeded(text)
            return response
    except StatesError as error:
        events.failed(error)
        if early is not None:
            services.tokens.close(early)
        end_task_context(call)
        raise
    events.submitted(response)
    pending = early if early is not None else PendingTask(current_token(call), call)
    try:
        result = yield from wait_pending(
            call, services, pending, deadline_of(call, started), response, watch, opened=early is not None
        )
    except StatesError as error:
        events.ended_by(error)
        raise
    finally:
        end_task_context(call)
    text, value = result
    events.succeeded(text)
    return value


def wait_pending(
    call: TaskCall,
    services: TaskServices,
    pending: PendingTask,
    deadline: float | None,
    response: Any = None,
    watch: Watch | None = None,
    *,
    opened: bool = False,
) -> Generator[Signal, Any, tuple[str, Any]]:
    """Open ``pending``'s token (unless ``opened``) and wait for its outcome: ``(output_text, value)``."""
    if not opened:
        services.tokens.open(pending)
    arm_timeout(pending, deadline)
    if call.heartbeat_seconds is not None and pending.activity_arn is None:
        arm_heartbeat(pending, call.heartbeat_seconds)
    if watch is not None:
        watch(call, services, response, pending)
    result: tuple[str, Any] = yield pending.outcome
    check_payload_size(result[0], call.resource.service)
    return result
