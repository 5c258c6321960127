"""Running one state on its own: the engine side of the TestState API.

The state runs through the engine's own state bodies, I/O pipeline and Catch
handling, on a private runtime whose clock starts at the backend's current time
(a Wait or a Lambda's duration passes there, not in the user's world) and whose
history nobody reads. Integrations are the backend's: registered lambdas, the
AWS session and the in-process Step Functions bridge; a ``mock`` replaces the
integration's answer instead.

AWS reports one attempt, never a retry loop: a failure that a Retrier would retry
(given ``retrierRetryCount`` retries already made) is ``RETRIABLE`` with the
backoff AWS would wait; otherwise the first matching Catcher makes it
``CAUGHT_ERROR`` with its output and next state, else ``FAILED``.
"""

from __future__ import annotations

import copy
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl.context import Env, Variables
from fakesfn.asl.errors import StateFieldError, StatesError, error_matches
from fakesfn.asl.nodes import (
    JSONATA,
    UNSET,
    MapState,
    ParallelState,
    PassState,
    State,
    StateMachine,
)
from fakesfn.clock import VirtualClock
from fakesfn.engine.execution import ExecutionRecord
from fakesfn.engine.history import History
from fakesfn.engine.interpreter import StateRun
from fakesfn.engine.io import apply_result_path, select
from fakesfn.engine.outcome import Outcome
from fakesfn.engine.retry import backoff_seconds, handle_failure
from fakesfn.engine.runtime import Runtime
from fakesfn.engine.single_state_map import ConfigurationError, inspect_map
from fakesfn.engine.states import STATE_BODIES
from fakesfn.engine.states.common import finish
from fakesfn.engine.timestamps import format_timestamp
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.engine.ports import ResultInspector, TaskBody, TaskRunner
    from fakesfn.engine.signals import Signal
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.random import SeededRandom

SUCCEEDED: Final = "SUCCEEDED"
FAILED: Final = "FAILED"
RETRIABLE: Final = "RETRIABLE"
CAUGHT_ERROR: Final = "CAUGHT_ERROR"

SINGLE_STATE_NAME: Final = "StateName"
"""The name AWS gives the state under test in the Context object (``$$.State.Name``).

Recorded (test_state_with_variables): also when ``stateName`` picks a state of a whole
machine, ``$states.context.State.Name`` is ``StateName``."""


@dataclass(frozen=True, slots=True)
class Mock:
    """A mocked answer: ``result`` (any JSON value) or an error with its cause."""

    result: Any = UNSET
    error: str | None = None
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """What one TestState call asks for, already parsed from its JSON strings.

    Attributes:
        state: the state under test.
        machine: the machine it belongs to (the whole definition, or a one-state wrapper).
        state_machine_name: the name used in the Context object's ARNs.
        input: the state input.
        context: the caller's Context object, which replaces the default one whole.
        variables: workflow variables in scope when the state starts.
        role_arn: the role, as the Context object shows it.
        mock: a mocked integration answer, or ``None`` to call the real integration.
        retrier_retry_count: retries already made by the Retrier that matches the error.
        map_iteration_failure_count: failed iterations of a (mocked) Map.
        map_item_reader_data: the text an ItemReader would read, for a (mocked) Map.
    """

    state: State
    machine: StateMachine
    state_machine_name: str
    input: Any
    context: Mapping[str, Any] | None = None
    variables: Mapping[str, Any] | None = None
    role_arn: str | None = None
    mock: Mock | None = None
    retrier_retry_count: int = 0
    map_iteration_failure_count: int | None = None
    map_item_reader_data: Any = UNSET
    """The ``mapItemReaderData`` text, or UNSET."""


@dataclass(slots=True)
class Inspection:
    """The ``inspectionData`` gathered while the state ran (values, not yet JSON text)."""

    values: dict[str, Any] = field(default_factory=dict)
    error_details: dict[str, int] = field(default_factory=dict)

    def record(self, key: str, value: Any) -> None:
        """Keep ``value`` as ``key`` (the latest value wins)."""
        self.values[key] = value


@dataclass(slots=True)
class Result:
    """What TestState answers: status, output or error, next state, inspection data."""

    status: str
    output: Any = UNSET
    error: str | None = None
    cause: str | None = None
    next_state: str | None = None
    inspection: Inspection = field(default_factory=Inspection)


def run_single_state(
    parent: Runtime,
    request: Request,
    *,
    tasks: TaskRunner | None,
    inspection: Inspection,
    region: str,
    account_id: str,
    random: SeededRandom,
) -> Result:
    """Run ``request.state`` once and report it as TestState does.

    Args:
        parent: the backend's runtime (its clock's now and its storage are used).
        request: what to run.
        tasks: the integrations a Task calls when not mocked (without the backend's
            own mocks: TestState's ``mock`` is the only one that applies).
        inspection: where the inspection data is gathered (the caller may add to it,
            e.g. an HTTP Task's exchange).
        region: the caller's region, in the Context object's ARNs.
        account_id: the caller's account, likewise.
        random: the seeded randomness of this run.

    Raises:
        ConfigurationError: ``stateConfiguration`` asks what the state cannot do.
    """
    clock = VirtualClock(parent.clock.now())
    token = _given_token(request.context)
    runtime = Runtime(clock, random if token is None else random.with_token(token))
    runtime.tasks = _InspectedTasks(tasks, inspection, request.mock)
    runtime.storage = parent.storage
    runtime.inspector = _result_recorder(inspection)
    execution = _execution(runtime, request, region, account_id)
    env = Env(_context(runtime, request, execution), Variables(), random)
    if request.variables:
        env.variables.assign(request.variables)
    fiber = runtime.new_fiber(execution, 0)
    run = StateRun(runtime, fiber, request.machine, env, request.state, 0, dump(request.input))
    box: list[Result | ConfigurationError] = []
    fiber.start(_drive(run, request, inspection, box))
    runtime.run()
    while not box and clock.next_due() is not None:
        clock.advance(max(0.0, (clock.next_due() or 0.0) - clock.time()))
        runtime.run()
    if not box:
        # AWS: "The TestState API can run for up to five minutes. If the execution of a
        # state exceeds this duration, it fails with the States.Timeout error."
        fiber.abort()
        return Result(
            FAILED, error="States.Timeout", cause="The state did not finish.", inspection=inspection
        )
    result = box[0]
    if isinstance(result, ConfigurationError):
        raise result
    if request.state.assign is not None or request.variables:
        variables = env.variables.flatten()
        if variables:
            inspection.record("variables", variables)
    return result


def _execution(runtime: Runtime, request: Request, region: str, account_id: str) -> ExecutionRecord:
    name = runtime.random.uuid()
    machine_arn = arns.state_machine_arn("aws", region, account_id, request.state_machine_name)
    return ExecutionRecord(
        arn=arns.states_arn("aws", region, account_id, "express", f"{request.state_machine_name}:{name}"),
        name=name,
        state_machine_arn=machine_arn,
        machine=request.machine,
        definition_text="",
        role_arn=request.role_arn or "",
        machine_type="EXPRESS",
        input_text=dump(request.input),
        input=request.input,
        start_date=runtime.clock.time(),
        history=History(runtime.clock),
        state_machine_name=request.state_machine_name,
    )


def _given_token(context: Mapping[str, Any] | None) -> str | None:
    """``Task.Token`` of the caller's Context object: the token the task then sees."""
    task = (context or {}).get("Task")
    token = task.get("Token") if isinstance(task, Mapping) else None
    return token if isinstance(token, str) else None


def _context(runtime: Runtime, request: Request, execution: ExecutionRecord) -> dict[str, Any]:
    """The Context object of a TestState run: the caller's, else a default one.

    AWS uses a given Context object as it is, with no default field added (recorded:
    test_state_context_object_edge_cases, where ``{}`` makes ``$$`` an empty object).
    """
    if request.context is not None:
        return copy.deepcopy(dict(request.context))
    state: dict[str, Any] = {
        "EnteredTime": format_timestamp(runtime.clock.time()),
        "Name": SINGLE_STATE_NAME,
    }
    if request.state.CAN_RETRY:
        state["RetryCount"] = request.retrier_retry_count
    context: dict[str, Any] = {
        "Execution": {
            "Id": execution.arn,
            "Input": request.input,
            "Name": execution.name,
            "RoleArn": request.role_arn,
            "StartTime": format_timestamp(execution.start_date),
        },
        "StateMachine": {"Id": execution.state_machine_arn, "Name": request.state_machine_name},
        "State": state,
    }
    return context


def _result_recorder(inspection: Inspection) -> ResultInspector:
    def record(run: StateRun[Any], raw_input: Any, result: Any, selected: Any) -> None:
        state = run.state
        # AWS never shows a mocked Map's or Parallel's result: it stands for the iterations'.
        branching = isinstance(state, (MapState, ParallelState))
        if state.query_language == JSONATA:
            if not branching:
                inspection.record("result", result)
            return
        if isinstance(state, PassState) and state.result is UNSET:
            # AWS shows a Pass without Result as its effective input, never as a result.
            inspection.record("afterParameters", result)
        elif not branching:
            inspection.record("result", result)
        if selected is not None:
            inspection.record("afterResultSelector", selected)
            inspection.record("afterResultPath", apply_result_path(state.result_path, raw_input, selected))

    return record


class _InspectedTasks:
    """The TaskRunner of a TestState run: records the task's parameters, answers a mock.

    AWS shows the effective parameters (``afterParameters``, ``afterArguments``) and,
    given a ``mock``, calls nothing: the mock is the integration's answer.
    """

    def __init__(self, inner: TaskRunner | None, inspection: Inspection, mock: Mock | None) -> None:
        self._inner = inner
        self._inspection = inspection
        self._mock = mock

    def run_task(self, call: TaskCall) -> TaskBody:
        """Record the parameters; then the mock's answer, or the real integration's."""
        key = "afterArguments" if call.run.state.query_language == JSONATA else "afterParameters"
        self._inspection.record(key, call.parameters)
        mock = self._mock
        if mock is not None:
            if mock.error is not None:
                raise StatesError(mock.error, mock.cause)
            return mock.result
        if self._inner is None:
            raise StatesError("States.Runtime", "fakesfn: TestState here has no integrations to call")
        result = yield from self._inner.run_task(call)
        return result


def _drive(
    run: StateRun[State], request: Request, inspection: Inspection, box: list[Result | ConfigurationError]
) -> Generator[Signal, Any, None]:
    state = run.state
    raw_input = request.input
    inspection.record("input", raw_input)
    _record_input_path(run, raw_input, inspection)
    try:
        if isinstance(state, (MapState, ParallelState)):
            outcome = _mocked_branching(run, request, inspection)
        else:
            outcome = yield from STATE_BODIES[type(state)](run, raw_input)
    except StateFieldError as field_error:
        failure = run.field_error(field_error)
    except StatesError as error:
        failure = error
    except ConfigurationError as refused:
        box.append(refused)  # raised by run_single_state: the request is refused, nothing ran
        return
    else:
        box.append(Result(SUCCEEDED, outcome.output, next_state=outcome.next, inspection=inspection))
        if outcome.assigned:
            run.env.variables.assign(outcome.assigned)
        return
    box.append((yield from _handle(run, request, failure, inspection)))


def _record_input_path(run: StateRun[State], raw_input: Any, inspection: Inspection) -> None:
    """``afterInputPath``: InputPath is pure, so reading it again changes nothing.

    AWS shows none for a Pass with Result, nor for a mocked Parallel, whose input
    processing never runs (recorded: test_io_parallel_state_mock_success).
    """
    state = run.state
    if state.query_language == JSONATA or isinstance(state, ParallelState):
        return
    if isinstance(state, PassState) and state.result is not UNSET:
        return
    try:
        inspection.record("afterInputPath", select(state.input_path, raw_input, run.env))
    except StateFieldError:
        return


def _handle(
    run: StateRun[State], request: Request, failure: StatesError, inspection: Inspection
) -> Generator[Signal, Any, Result]:
    """AWS's one-attempt view of Retry, then Catch."""
    state = run.state
    for index, retrier in enumerate(state.retry):
        if not error_matches(retrier.error_equals, failure):
            continue
        inspection.error_details["retryIndex"] = index
        if request.retrier_retry_count < retrier.max_attempts:
            delay = backoff_seconds(retrier, request.retrier_retry_count, run.runtime.random)
            inspection.error_details["retryBackoffIntervalSeconds"] = int(round(delay))
            return Result(RETRIABLE, error=failure.error, cause=failure.cause, inspection=inspection)
        break
    # The engine's own Catch handling, told that every Retrier has used its attempts.
    for index, retrier in enumerate(state.retry):
        run.attempts[index] = retrier.max_attempts
    catch_index = next((i for i, c in enumerate(state.catch) if error_matches(c.error_equals, failure)), None)
    try:
        decision = yield from handle_failure(run, request.input, failure)
    except StatesError as error:
        return Result(FAILED, error=error.error, cause=error.cause, inspection=inspection)
    assert isinstance(decision, Outcome)
    assert catch_index is not None
    inspection.error_details["catchIndex"] = catch_index
    inspection.error_details.pop("retryIndex", None)
    if decision.assigned:
        run.env.variables.assign(decision.assigned)
    return Result(
        CAUGHT_ERROR,
        decision.output,
        error=failure.error,
        cause=failure.cause,
        next_state=decision.next,
        inspection=inspection,
    )


def _mocked_branching(run: StateRun[State], request: Request, inspection: Inspection) -> Outcome:
    """A Map or Parallel under test: AWS runs none of its iterations, the mock is their result."""
    state = run.state
    mock = request.mock
    assert mock is not None, "the service refuses Map and Parallel without a mock"
    if isinstance(state, MapState):
        inspect_map(run, state, request, inspection)
    if mock.error is not None:
        raise StatesError(mock.error, mock.cause)
    return finish(run, request.input, mock.result)
