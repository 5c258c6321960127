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

from fakesfn.asl.errors import StateFieldError, StatesError
from fakesfn.engine.history import dump, payload_details
from fakesfn.engine.io import assigned_details
from fakesfn.engine.retry import Retrying, handle_failure
from fakesfn.engine.signals import Signal
from fakesfn.engine.timestamps import format_timestamp

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
    runtime: Runtime, fiber: Fiber, machine: StateMachine, value: Any, env: Env
) -> Generator[Signal, Any, Any]:
    """Run ``machine`` from its StartAt state; return the final output or raise StatesError."""
    from fakesfn.engine import states as _states  # noqa: F401 - registers the state bodies

    states = machine.states
    state = states[machine.start_at]
    while True:
        outcome = yield from run_state(runtime, fiber, state, value, env)
        value = outcome.output
        if outcome.next is None:
            return value
        state = states[outcome.next]


def run_state(
    runtime: Runtime, fiber: Fiber, state: State, raw_input: Any, env: Env
) -> Generator[Signal, Any, Outcome]:
    """Enter ``state`` with ``raw_input``, run it with Retry/Catch, record its exit."""
    input_text = dump(raw_input)
    entered = fiber.emit(
        f"{state.type}StateEntered",
        "stateEnteredEventDetails",
        {"name": state.name, **payload_details("input", input_text)},
    )
    run = StateRun(runtime, fiber, env, state, entered, input_text)
    state_context = {
        "EnteredTime": format_timestamp(runtime.clock.time()),
        "Name": state.name,
        "RetryCount": 0,
    }
    env.context["State"] = state_context
    body = STATE_BODIES[type(state)]
    while True:
        try:
            outcome = yield from body(run, raw_input)
        except StateFieldError as field_error:
            failure = run.field_error(field_error)
        except StatesError as error:
            failure = error
        else:
            break
        decision = yield from handle_failure(run, raw_input, failure)
        if isinstance(decision, Retrying):
            state_context = {**state_context, "RetryCount": run.retry_count}
            env.context["State"] = state_context
            continue
        outcome = decision
        break
    if outcome.exits:
        details: dict[str, Any] = {"name": state.name, **payload_details("output", dump(outcome.output))}
        if outcome.assigned is not None:
            details.update(assigned_details(outcome.assigned))
        fiber.emit(f"{state.type}StateExited", "stateExitedEventDetails", details)
    if outcome.assigned:
        env.variables.assign(outcome.assigned)
    return outcome
