"""Walking a (sub-)machine: enter a state, attempt it (Retry and Catch), record its exit, move on.

:func:`run_machine` is the body of every fiber. Per state, :func:`run_state` enters it
(``<Type>StateEntered``, the Context object's ``State``), runs the state type's body
(:data:`~fakesfn.engine.states.STATE_BODIES`) and, when the body fails, lets
:func:`fakesfn.engine.retry.handle_failure` retry it or catch the error; then it
records ``<Type>StateExited`` and the transition is followed. An uncaught error fails
the fiber.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from fakesfn.asl.errors import ErrorName, StateFieldError, StatesError
from fakesfn.asl.nodes import State
from fakesfn.engine.payload_limits import assigned_details, check_payload_size, check_variables_total
from fakesfn.engine.redrive import Resume
from fakesfn.engine.retry import Retrying, handle_failure
from fakesfn.engine.runtime import FiberAborted
from fakesfn.engine.signals import Signal
from fakesfn.engine.states import STATE_BODIES
from fakesfn.engine.timestamps import format_timestamp
from fakesfn.payload import dump, payload_details

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.asl.context import Env
    from fakesfn.asl.nodes import StateMachine
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.engine.outcome import Outcome
    from fakesfn.engine.runtime import Fiber, Runtime

S_co = TypeVar("S_co", bound=State, covariant=True)


class StateRun(Generic[S_co]):
    """Everything one state entry needs while it runs; generic in the state node's type.

    Attributes:
        runtime: the backend's runtime (clock, randomness, scheduling, ports).
        fiber: the fiber running the state (history cursor).
        machine: the (sub-)machine the state belongs to.
        env: the evaluation environment (Context object, variables).
        state: the state node.
        entered_event_id: id of its ``StateEntered`` event (AWS quotes it in errors).
        evaluation_link: the event an ``EvaluationFailed`` links to: the fiber's event before
            ``StateEntered`` while the state evaluates its fields in the step that entered it, its own
            ``StateEntered`` once it evaluates them in a later step (a Wait's delay).
        retry_count: how many retries have happened (``$$.State.RetryCount``).
        input_text: the state input's JSON text.
        attempts: per Retrier (by index), the retries it has made.
    """

    __slots__ = (
        "runtime",
        "fiber",
        "machine",
        "env",
        "state",
        "entered_event_id",
        "evaluation_link",
        "retry_count",
        "input_text",
        "attempts",
    )

    def __init__(
        self,
        runtime: Runtime,
        fiber: Fiber,
        machine: StateMachine,
        env: Env,
        state: S_co,
        entered_event_id: int,
        input_text: str,
    ) -> None:
        self.runtime = runtime
        self.fiber = fiber
        self.machine = machine
        self.env = env
        self.state = state
        self.entered_event_id = entered_event_id
        self.retry_count = 0
        self.input_text = input_text
        self.attempts: dict[int, int] = {}
        self.evaluation_link = 0

    @property
    def execution(self) -> ExecutionRecord:
        """The execution this state runs in."""
        return self.fiber.execution

    def field_error(self, error: StateFieldError) -> StatesError:
        """A field failure, worded with this state's name and entered event id."""
        return error.for_state(self.state.name, self.entered_event_id)

    def run_machine(
        self, fiber: Fiber, machine: StateMachine, value: Any, env: Env, *, resume: Resume | None = None
    ) -> Generator[Signal, Any, Any]:
        """Run a sub-machine (a Parallel branch, a Map iteration) on ``fiber``: :func:`run_machine`."""
        return run_machine(self.runtime, fiber, machine, value, env, resume=resume)


def run_machine(
    runtime: Runtime,
    fiber: Fiber,
    machine: StateMachine,
    value: Any,
    env: Env,
    *,
    resume: Resume | None = None,
) -> Generator[Signal, Any, Any]:
    """Run ``machine`` from StartAt (or a redrive's resume point); return its output or raise.

    When the fiber stops unsuccessfully, it leaves a :class:`~fakesfn.engine.redrive.Resume`
    record so that a redrive can continue from the same state.
    """
    states = machine.states
    execution = fiber.execution
    if resume is None:
        state = states[machine.start_at]
    else:
        state, value, env = states[resume.state_name], resume.input, resume.env
        env.set_context("Execution", execution.context_execution())
        fiber.resume_in = resume.children
    while True:
        if execution.stepping:
            yield _gate(execution, state.name)
        observer = runtime.observer
        if observer is not None:
            observer.state_entered(execution, machine, state)
        try:
            outcome = yield from run_state(runtime, fiber, machine, state, value, env)
        except (StatesError, FiberAborted):
            fiber.resume = Resume(state.name, value, env, fiber.resume_out)
            raise
        # Redrive records belong to the state just run: a caught failure's children
        # or an unread resume point must not reach a later Map or Parallel.
        fiber.resume_in = fiber.resume_out = None
        value = outcome.output
        if outcome.next is None:
            return value
        state = states[outcome.next]


def _gate(execution: ExecutionRecord, state_name: str) -> Signal:
    """Stepping mode: a signal that opens when the user lets this state be entered."""
    gate = Signal()
    execution.add_gate(gate, state_name)
    return gate


def run_state(
    runtime: Runtime, fiber: Fiber, machine: StateMachine, state: State, raw_input: Any, env: Env
) -> Generator[Signal, Any, Outcome]:
    """Enter ``state`` with ``raw_input``, attempt it with Retry and Catch, record its exit."""
    run = _enter(runtime, fiber, machine, state, raw_input, env)
    try:
        try:
            outcome = yield from STATE_BODIES[type(state)](run, raw_input)
        except (StatesError, StateFieldError, RecursionError) as failure:
            outcome = yield from _retry_or_catch(run, raw_input, failure)
    except FiberAborted as aborted:
        # AWS records the abort of the state in flight when a sibling branch or
        # iteration failed, beside the chain of events.
        if not aborted.quiet:
            fiber.emit_aside(f"{state.type}StateAborted")
        raise
    except StatesError:
        if fiber.role == "branch" and state.type != "Fail":
            # AWS: a Parallel branch whose state fails records that state as aborted
            # too (recorded: PARALLEL_CATCH_ERROR_OUTPUT*); a Fail state just ends.
            fiber.emit_aside(f"{state.type}StateAborted")
        raise
    _exit(run, outcome, raw_input)
    return outcome


def _enter(
    runtime: Runtime, fiber: Fiber, machine: StateMachine, state: State, raw_input: Any, env: Env
) -> StateRun[State]:
    """Record ``<Type>StateEntered`` and put the state into the Context object."""
    # The previous state's output is usually this state's input: serialise it once.
    cached = fiber.last_output
    input_text = cached[1] if cached is not None and cached[0] is raw_input else dump(raw_input)
    entered_previous = fiber.last_event
    entered = fiber.emit(
        f"{state.type}StateEntered",
        "stateEnteredEventDetails",
        {"name": state.name, **payload_details("input", input_text)},
    )
    run = StateRun(runtime, fiber, machine, env, state, entered, input_text)
    run.evaluation_link = entered_previous
    state_context: dict[str, Any] = {
        "EnteredTime": format_timestamp(runtime.clock.time()),
        "Name": state.name,
    }
    if state.CAN_RETRY:
        # AWS: $$.State.RetryCount exists only in states that can retry (recorded: BASE_PATHS).
        state_context["RetryCount"] = 0
    env.set_context("State", state_context)
    return run


def _retry_or_catch(
    run: StateRun[State], raw_input: Any, failure: BaseException
) -> Generator[Signal, Any, Outcome]:
    """After the body failed: retry it while a Retrier says so, else catch the error or re-raise it."""
    body = STATE_BODIES[type(run.state)]
    while True:
        decision = yield from handle_failure(run, raw_input, _as_states_error(run, failure))
        if not isinstance(decision, Retrying):
            return decision
        run.env.set_context("State", {**run.env.context["State"], "RetryCount": run.retry_count})
        try:
            return (yield from body(run, raw_input))
        except (StatesError, StateFieldError, RecursionError) as again:
            failure = again


def _as_states_error(run: StateRun[State], failure: BaseException) -> StatesError:
    if isinstance(failure, StateFieldError):
        return _field_failure(run, failure)
    if isinstance(failure, StatesError):
        return failure
    # Data nested deeper than Python's recursion allows (a JSONata expression over a
    # 400-level input...): the state fails, the fake does not crash.
    return _too_deep(run)


def _exit(run: StateRun[State], outcome: Outcome, raw_input: Any) -> None:
    """Check what the state passes on, record ``<Type>StateExited``, commit its variables.

    A state passing its input on unchanged (a Choice, a Pass or Wait with no paths)
    passes the very object it was entered with, already serialised: values are never
    changed in place (templates and ResultPath build new ones; user code gets copies).
    """
    state = run.state
    env = run.env
    assigned = assigned_details(outcome.assigned, state.name) if outcome.assigned else None
    sizes = check_variables_total(env, assigned, state.name) if assigned is not None else None
    output = outcome.output
    # any depth: check_payload_size refuses past the limit
    output_text = run.input_text if output is raw_input else dump(output)
    check_payload_size(output_text, state.name, terminal=True)
    fiber = run.fiber
    fiber.last_output = (outcome.output, output_text)
    details: dict[str, Any] = {"name": state.name, **payload_details("output", output_text)}
    if assigned is not None:
        details.update(assigned)
    fiber.emit(f"{state.type}StateExited", "stateExitedEventDetails", details)
    if outcome.assigned:
        env.variables.assign(outcome.assigned, sizes)


def _too_deep(run: StateRun[State]) -> StatesError:
    return StateFieldError("The state's data is nested too deeply to be processed.").for_state(
        run.state.name, run.entered_event_id
    )


def _field_failure(run: StateRun[State], field_error: StateFieldError) -> StatesError:
    """Word a field failure for this state; JSONata failures are also recorded as events.

    AWS records ``EvaluationFailed`` before the state fails on a JSONata evaluation
    error, linked to the event before the state's own StateEntered when the failing
    field is evaluated as the state is entered (recorded: test_map_state_items_variable_sampling_*,
    test_math_random_seeded), to the StateEntered itself when it is evaluated in a later
    step (a Wait's Timestamp, recorded: test_wait_timestamp_jsonata[NO_T] and 4 others).
    """
    failure = run.field_error(field_error)
    if field_error.error == ErrorName.QUERY_EVALUATION_ERROR.value:
        details: dict[str, Any] = {"cause": failure.cause, "error": failure.error}
        if field_error.location is not None:
            # None when no field failed: the Map's own input is not an array (recorded:
            # test_map_state_items_input_types, an event with no location).
            details["location"] = field_error.location
        details["state"] = run.state.name
        fiber = run.fiber
        fiber.last_event = fiber.execution.history.add(
            "EvaluationFailed", run.evaluation_link, "evaluationFailedEventDetails", details
        )
    return failure
