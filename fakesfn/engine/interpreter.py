"""Walking a (sub-)machine: enter a state, run its body, Retry/Catch, move on.

:func:`run_machine` is the body of every fiber. Per state it records the
``<Type>StateEntered`` event, runs the state type's body (looked up in
:data:`STATE_BODIES`), and on success records ``<Type>StateExited`` and follows
the transition. Failures go through :func:`fakesfn.engine.retry.handle_failure`:
Retry first, then Catch, else the fiber fails with the error.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from fakesfn.asl.errors import ErrorName, StateFieldError, StatesError
from fakesfn.engine.payload_limits import assigned_details, check_payload_size, check_variables_total
from fakesfn.engine.redrive import Resume
from fakesfn.engine.retry import Retrying, handle_failure
from fakesfn.engine.runtime import FiberAborted
from fakesfn.engine.signals import Signal
from fakesfn.engine.timestamps import format_timestamp
from fakesfn.payload import dump, payload_details

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.asl.nodes import State, StateMachine
    from fakesfn.engine.execution import Execution
    from fakesfn.engine.runtime import Fiber, Runtime


class Outcome:
    """What a state body produced: where to go, what to pass on, what to assign."""

    __slots__ = ("next", "output", "assigned", "exits")

    def __init__(
        self,
        next_state: str | None,
        output: Any,
        assigned: dict[str, Any] | None = None,
        *,
        exits: bool = True,
    ) -> None:
        self.next = next_state
        self.output = output
        self.assigned = assigned
        self.exits = exits


class StateRun:
    """Everything one state entry needs while it runs.

    Attributes:
        runtime: the backend's runtime (clock, randomness, scheduling).
        fiber: the fiber running the state (history cursor).
        env: the evaluation environment (Context object, variables).
        state: the state node.
        entered_event_id: id of its ``StateEntered`` event (AWS quotes it in errors).
        retry_count: how many retries have happened (``$$.State.RetryCount``).
    """

    __slots__ = (
        "runtime",
        "fiber",
        "env",
        "state",
        "entered_event_id",
        "entered_previous",
        "retry_count",
        "input_text",
        "attempts",
    )

    def __init__(
        self, runtime: Runtime, fiber: Fiber, env: Env, state: State, entered_event_id: int, input_text: str
    ) -> None:
        self.runtime = runtime
        self.fiber = fiber
        self.env = env
        self.state = state
        self.entered_event_id = entered_event_id
        self.retry_count = 0
        self.input_text = input_text
        self.attempts: dict[int, int] = {}
        self.entered_previous = 0

    @property
    def execution(self) -> Execution:
        """The execution this state runs in."""
        return self.fiber.execution

    def field_error(self, error: StateFieldError) -> StatesError:
        """A field failure, worded with this state's name and entered event id."""
        return error.for_state(self.state.name, self.entered_event_id)


StateBody = Callable[[StateRun, Any], Generator[Signal, Any, Outcome]]

STATE_BODIES: dict[type, StateBody] = {}
"""State node type -> the generator function that runs its body."""


def state_body(node_type: type) -> Callable[[StateBody], StateBody]:
    """Register the decorated generator function as the body of ``node_type`` states."""

    def register(body: StateBody) -> StateBody:
        STATE_BODIES[node_type] = body
        return body

    return register


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
    from fakesfn.engine import states as _states  # noqa: F401 - registers the state bodies

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
        try:
            outcome = yield from run_state(runtime, fiber, state, value, env)
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


def _gate(execution: Execution, state_name: str) -> Signal:
    """Stepping mode: a signal that opens when the user lets this state be entered."""
    gate = Signal()
    execution.gates.append((gate, state_name))
    return gate


def run_state(
    runtime: Runtime, fiber: Fiber, state: State, raw_input: Any, env: Env
) -> Generator[Signal, Any, Outcome]:
    """Enter ``state`` with ``raw_input``, run it with Retry/Catch, record its exit."""
    # The previous state's output is usually this state's input: serialise it once.
    cached = fiber.last_output
    input_text = cached[1] if cached is not None and cached[0] is raw_input else dump(raw_input)
    entered_previous = fiber.last_event
    entered = fiber.emit(
        f"{state.type}StateEntered",
        "stateEnteredEventDetails",
        {"name": state.name, **payload_details("input", input_text)},
    )
    run = StateRun(runtime, fiber, env, state, entered, input_text)
    run.entered_previous = entered_previous
    state_context: dict[str, Any] = {
        "EnteredTime": format_timestamp(runtime.clock.time()),
        "Name": state.name,
    }
    if state.type in _RETRIABLE_TYPES:
        # AWS: $$.State.RetryCount exists only in states that can retry (recorded: BASE_PATHS).
        state_context["RetryCount"] = 0
    env.set_context("State", state_context)
    body = STATE_BODIES[type(state)]
    try:
        while True:
            try:
                outcome = yield from body(run, raw_input)
            except StateFieldError as field_error:
                failure = _field_failure(run, field_error)
            except StatesError as error:
                failure = error
            except RecursionError:
                # Data nested deeper than Python's recursion allows (a JSONata
                # expression over a 400-level input...): the state fails, the fake
                # does not crash.
                failure = _too_deep(run)
            else:
                break
            decision = yield from handle_failure(run, raw_input, failure)
            if isinstance(decision, Retrying):
                state_context = {**state_context, "RetryCount": run.retry_count}
                env.set_context("State", state_context)
                continue
            outcome = decision
            break
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
    assigned = assigned_details(outcome.assigned, state.name) if outcome.assigned else None
    sizes = check_variables_total(env, assigned, state.name) if assigned is not None else None
    if outcome.exits:
        try:
            output_text = dump(outcome.output)
        except RecursionError:
            raise _too_deep(run) from None
        check_payload_size(output_text, state.name, terminal=True)
        fiber.last_output = (outcome.output, output_text)
        details: dict[str, Any] = {"name": state.name, **payload_details("output", output_text)}
        if assigned is not None:
            details.update(assigned)
        fiber.emit(f"{state.type}StateExited", "stateExitedEventDetails", details)
    if outcome.assigned:
        env.variables.assign(outcome.assigned, sizes)
    return outcome


_RETRIABLE_TYPES = frozenset({"Task", "Parallel", "Map"})


def _too_deep(run: StateRun) -> StatesError:
    return StateFieldError("The state's data is nested too deeply to be processed.").for_state(
        run.state.name, run.entered_event_id
    )


def _field_failure(run: StateRun, field_error: StateFieldError) -> StatesError:
    """Word a field failure for this state; JSONata failures are also recorded as events.

    AWS records ``EvaluationFailed`` before the state fails on a JSONata evaluation
    error, linked to the event before the state's own StateEntered (recorded:
    test_map_state_items_variable_sampling_*, test_math_random_seeded).
    """
    failure = run.field_error(field_error)
    if field_error.error == ErrorName.QUERY_EVALUATION_ERROR.value and field_error.location is not None:
        fiber = run.fiber
        fiber.last_event = fiber.execution.history.add(
            "EvaluationFailed",
            run.entered_previous,
            "evaluationFailedEventDetails",
            {
                "cause": failure.cause,
                "error": failure.error,
                "location": field_error.location,
                "state": run.state.name,
            },
        )
    return failure
