"""A Task's call into its integration: the call, its history events, its deadlines, its token.

A Task state hands the runtime's :class:`~fakesfn.engine.ports.TaskRunner` a
:class:`TaskCall`. The integration behind it does the work (possibly waiting on the
virtual clock or an outside actor) and returns the task's raw result or raises
:class:`~fakesfn.asl.errors.StatesError`. :class:`TaskEvents` records the event
family AWS uses for the resource: ``LambdaFunction*`` for legacy function ARNs,
``Activity*`` for activities and ``Task*`` for every service integration. These are
the engine's, because they are what every integration shares and the engine defines
what a task is; the integrations build on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.engine.signals import Signal
from fakesfn.payload import dump, payload_details

if TYPE_CHECKING:
    from fakesfn.asl.nodes import TaskState
    from fakesfn.asl.resources import ResourceRef
    from fakesfn.engine.interpreter import StateRun


@dataclass(slots=True)
class TaskCall:
    """One invocation of a Task's resource.

    Attributes:
        run: the running state (fiber, env, runtime).
        resource: the parsed resource.
        parameters: the effective parameters (JSONPath) or arguments (JSONata).
        timeout_seconds: the task's TimeoutSeconds, if any.
        heartbeat_seconds: the task's HeartbeatSeconds, if any.
    """

    run: StateRun[TaskState]
    resource: ResourceRef
    parameters: Any
    timeout_seconds: int | None
    heartbeat_seconds: int | None

    @property
    def region(self) -> str:
        """The region the task runs against: the ARN's, else the execution's."""
        return self.resource.region or arns.region_of(self.run.execution.arn)


_FAMILIES: Final = {
    "lambda": ("LambdaFunction", "lambdaFunction"),
    "activity": ("Activity", "activity"),
}


class TaskEvents:
    """Records one task's Scheduled/Started/Succeeded/Failed/TimedOut events."""

    def __init__(self, call: TaskCall) -> None:
        self.call = call
        prefix, key = _FAMILIES.get(call.resource.kind, ("Task", "task"))
        self._prefix = prefix
        self._key = key
        self._is_task = prefix == "Task"

    def _emit(self, suffix: str, details: dict[str, Any] | None) -> int:
        key = f"{self._key}{suffix}EventDetails" if details is not None else None
        return self.call.run.fiber.emit(f"{self._prefix}{suffix}", key, details)

    def _resource_fields(self) -> dict[str, Any]:
        resource = self.call.resource
        return {"resourceType": resource.history_resource_type, "resource": resource.history_resource}

    def scheduled(self, extra: dict[str, Any] | None = None) -> None:
        """``*Scheduled``: what is about to be called, with what input."""
        call = self.call
        details: dict[str, Any]
        if self._is_task:
            details = {**self._resource_fields(), "region": call.region, "parameters": dump(call.parameters)}
        else:
            details = {"resource": call.resource.arn, **payload_details("input", dump(call.parameters))}
        if call.timeout_seconds is not None:
            details["timeoutInSeconds"] = call.timeout_seconds
        if call.heartbeat_seconds is not None:
            details["heartbeatInSeconds"] = call.heartbeat_seconds
        if extra:
            details.update(extra)
        self._emit("Scheduled", details)

    def started(self, extra: dict[str, Any] | None = None) -> None:
        """``*Started``."""
        if self._is_task:
            self._emit("Started", {**self._resource_fields(), **(extra or {})})
        elif extra:
            self._emit("Started", extra)
        else:
            self._emit("Started", None)

    def submitted(self, output: Any) -> None:
        """``TaskSubmitted``: the request part of a callback or ``.sync`` task succeeded."""
        self.call.run.fiber.emit(
            "TaskSubmitted",
            "taskSubmittedEventDetails",
            {**self._resource_fields(), **payload_details("output", dump(output))},
        )

    def succeeded(self, output_text: str) -> None:
        """``*Succeeded`` with the raw result."""
        details = payload_details("output", output_text)
        if self._is_task:
            details = {**self._resource_fields(), **details}
        self._emit("Succeeded", details)

    def failed(self, error: StatesError) -> None:
        """``*Failed`` with the error."""
        self._ended("Failed", error)

    def timed_out(self, error: StatesError) -> None:
        """``*TimedOut``."""
        self._ended("TimedOut", error)

    def ended_by(self, error: StatesError) -> None:
        """``*TimedOut`` when a deadline expired (:class:`TaskTimeout`), else ``*Failed``."""
        self._ended("TimedOut" if isinstance(error, TaskTimeout) else "Failed", error)

    def _ended(self, suffix: str, error: StatesError) -> None:
        details: dict[str, Any] = {"error": error.error}
        if error.cause is not None:
            details["cause"] = error.cause
        if self._is_task:
            details = {**self._resource_fields(), **details}
        self._emit(suffix, details)


def with_deadlines(call: TaskCall, work: Signal) -> Signal:
    """Race ``work`` against the task's TimeoutSeconds on the virtual clock.

    Returns ``work`` itself: the timeout, when it fires first, fails it with
    ``States.Timeout``; whichever outcome comes first wins.
    """
    if call.timeout_seconds is not None:
        timer = call.run.runtime.call_later(
            call.timeout_seconds, lambda: _expire(call, work, ErrorName.TIMEOUT.value)
        )
        work.on_cancel.append(timer.cancel)
        work.add_waiter(lambda _s: timer.cancel())
    return work


def answer_after(call: TaskCall, seconds: float, value: Any) -> Signal:
    """A signal resolved with ``value`` once ``seconds`` of virtual time pass.

    It races the task's TimeoutSeconds (:func:`with_deadlines`); with no duration the
    answer is there at once.
    """
    runtime = call.run.runtime
    done = Signal()
    with_deadlines(call, done)
    if seconds > 0:
        timer = runtime.call_later(seconds, lambda: runtime.fire(done, value))
        done.on_cancel.append(timer.cancel)
    else:
        done.resolve(value)
    return done


def _expire(call: TaskCall, work: Signal, error: str) -> None:
    if work.fail(TaskTimeout(error)):
        call.run.runtime.run()


class TaskTimeout(StatesError):
    """A task's TimeoutSeconds or HeartbeatSeconds ran out (recorded as ``*TimedOut``)."""

    def __init__(self, error: str, cause: str | None = None) -> None:
        super().__init__(error, cause)

    def error_output(self) -> dict[str, str]:
        """AWS hands a Catcher an empty Cause for a timeout, which its events record without one.

        Recorded: LocalStack's test_invoke_timeout (2024-11-28): TaskTimedOut has no cause,
        the caught output is ``{"Error": "States.Timeout", "Cause": ""}``.
        """
        return {"Error": self.error, "Cause": self.cause or ""}


def prepare_task_context(run: StateRun[TaskState], resource: ResourceRef) -> None:
    """Put ``$$.Task.Token`` in the Context object before the task's input is evaluated.

    AWS: the token exists for callback, ``.sync`` and activity tasks, and a new one
    is made for every attempt; other tasks see no ``Task`` object.
    """
    if resource.carries_token:
        run.env.set_context("Task", {"Token": run.runtime.random.token()})
    else:
        run.env.drop_context("Task")


def current_token(call: TaskCall) -> str:
    """The token :func:`prepare_task_context` made for this attempt (made now if absent)."""
    task = call.run.env.context.get("Task")
    if isinstance(task, dict) and isinstance(task.get("Token"), str):
        return str(task["Token"])
    token = call.run.runtime.random.token()
    call.run.env.set_context("Task", {"Token": token})
    return token


def end_task_context(call: TaskCall) -> None:
    """AWS: ``$$.Task`` exists only while its task runs."""
    call.run.env.drop_context("Task")
