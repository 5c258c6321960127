"""Mocked task results: Step Functions Local's mock configuration, and a Python API.

**Mock configuration** (AWS Step Functions Local's ``MockConfigFile.json``):
``StateMachines -> <machine name> -> TestCases -> <case> -> {state: response name}``
and ``MockedResponses -> <response name> -> {"0": {...}, "1-2": {...}}`` where each
entry has exactly one of ``Return`` (the task's result) or ``Throw``
(``Error``/``Cause``), keyed by the 0-based invocation of that state in the
execution ("0", or an inclusive range "1-2"; ranges must be consecutive). As in
Step Functions Local, an execution uses a test case when it is started with
``stateMachineArn="<machine ARN>#<TestCase>"``. As AWS documents it ("you must
specify a mocked response for every invocation ... If you do not specify a mocked
response, the state machine execution will fail"), an invocation past the last
entry fails the execution with ``States.Runtime``; ``load_config(...,
repeat_last=True)`` reuses the last entry instead.

**Python API** (respx-like, on ``backend.mocks``)::

    route = backend.mocks.state("Charge").returns({"ok": True})
    backend.mocks.state("Charge", machine="checkout").raises("Card.Declined", "expired")
    backend.mocks.state("Charge").side_effect([{"ok": True}, StatesError("E", "C")])
    route.called, route.call_count, route.calls[0].input
    backend.mocks.assert_all_called()

A mocked Task records the events of its resource (``Task*``, ``LambdaFunction*``,
``Activity*``) but calls nothing; ``.waitForTaskToken`` and ``.sync`` tasks
return the mocked result at once (their token still appears in ``$$.Task.Token``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import StatesError
from fakesfn.engine.payload_limits import check_payload_size
from fakesfn.engine.runtime import CallerError
from fakesfn.engine.tasks import TaskCall, TaskEvents, TaskTimeout, end_task_context
from fakesfn.payload import MAX_PAYLOAD_DEPTH, dump, json_depth, payload_details, too_deep

if TYPE_CHECKING:
    import os

    from fakesfn.engine.ports import TaskBody
    from fakesfn.integrations.registry import Integration

TEST_CASE_ATTRIBUTE: Final = "mock_test_case"


class MockConfigError(CallerError, ValueError):
    """A mock configuration that Step Functions Local would refuse (raised out of the API call)."""


_CONFIG_DEPTH: Final = 2 * MAX_PAYLOAD_DEPTH
"""How deeply a configuration file may nest (house limit), checked before it is parsed so
that the parser's recursion, and so the Python version, never decides. A ``Return``
sits four objects deep; one nested past the payload limit fails its task with
``States.DataLimitExceeded`` when it is returned, and this bound leaves room for that."""


class MockSideEffectError(CallerError):
    """A mock's ``side_effect`` callable raised (not a StatesError): the caller's own code failed."""


@dataclass(frozen=True, slots=True)
class Throw:
    """A mocked failure: the task fails with ``error`` and ``cause``.

    ``timed_out`` makes it a timeout (a Catcher then sees an empty Cause, as AWS hands it).
    """

    error: str
    cause: str | None = None
    timed_out: bool = False


@dataclass(frozen=True, slots=True)
class Exhausted:
    """A configured state invoked more times than its mocked response has entries."""

    cause: str


EXHAUSTED_CAUSE: Final = (
    "The mocked response '{response}' for state '{state}' of test case '{case}' has no entry for "
    "invocation {invocation}: it defines invocations 0 to {last}. Specify a mocked response for every "
    "invocation."
)
"""House wording: AWS documents that the execution fails, not the cause Step Functions Local writes."""


@dataclass(frozen=True, slots=True)
class MockCall:
    """One mocked invocation, as a route records it."""

    state: str
    execution_arn: str
    input: Any
    invocation: int


Outcome = Any
"""A mocked result: any JSON value, or a :class:`Throw`."""


# --- the configuration file ------------------------------------------------------------


def _range(key: str) -> tuple[int, int]:
    parts = key.strip().split("-")
    if len(parts) not in (1, 2) or not all(part.strip().isdigit() for part in parts):
        raise MockConfigError(f"invalid invocation range '{key}': use one integer ('0') or a range ('1-2')")
    low, high = int(parts[0]), int(parts[-1])
    if high < low:
        raise MockConfigError(f"invalid invocation range '{key}': the end comes before the start")
    return low, high


def _nests_too_deep(value: Any) -> bool:
    """Whether a mocked result nests deeper than any task result may (measured on its JSON)."""
    try:
        return too_deep(dump(value))
    except (TypeError, ValueError):
        return False  # not JSON: judged when it is returned


def _for_one_invocation(value: Any) -> Any:
    """A copy of a mocked result for one invocation (its owner may change it later).

    A result nested past the payload limit is handed over as it is: the task fails
    with ``States.DataLimitExceeded`` before anything reads it (a test may mock one
    to exercise its Catch), and copying it would recurse once per level, so the
    interpreter's stack, not the rule, would decide what happens.
    """
    return value if _nests_too_deep(value) else copy.deepcopy(value)


def _response(name: str, key: str, entry: Any) -> Outcome:
    if not isinstance(entry, Mapping) or len({"Return", "Throw"} & set(entry)) != 1:
        raise MockConfigError(
            f"mocked response '{name}' entry '{key}' must have exactly one of 'Return' or 'Throw'"
        )
    if "Return" in entry:
        return entry["Return"]
    throw = entry["Throw"]
    if not isinstance(throw, Mapping) or not isinstance(throw.get("Error"), str):
        raise MockConfigError(f"mocked response '{name}' entry '{key}': 'Throw' needs an 'Error' string")
    cause = throw.get("Cause")
    return Throw(throw["Error"], cause if isinstance(cause, str) else None)


def _responses(name: str, entries: Any) -> tuple[Outcome, ...]:
    if not isinstance(entries, Mapping) or not entries:
        raise MockConfigError(f"mocked response '{name}' has no invocations")
    ordered = sorted((_range(key), key, entry) for key, entry in entries.items())
    expanded: list[Outcome] = []
    for (low, high), key, entry in ordered:
        if low != len(expanded):
            raise MockConfigError(
                f"mocked response '{name}': invocations must be numbered consecutively from 0; '{key}' "
                f"starts at {low}, expected {len(expanded)}"
            )
        expanded.extend([_response(name, key, entry)] * (high - low + 1))
    return tuple(expanded)


@dataclass(frozen=True, slots=True)
class MockConfig:
    """A parsed mock configuration: test cases resolved to per-invocation outcomes."""

    cases: Mapping[tuple[str, str], Mapping[str, tuple[Outcome, ...]]]
    response_names: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    repeat_last: bool = False

    @classmethod
    def parse(cls, raw: Mapping[str, Any], *, repeat_last: bool = False) -> MockConfig:
        """Validate and expand a configuration (the JSON object of the file)."""
        machines = raw.get("StateMachines", {})
        responses = raw.get("MockedResponses", {})
        if not isinstance(machines, Mapping) or not isinstance(responses, Mapping):
            raise MockConfigError("'StateMachines' and 'MockedResponses' must be objects")
        expanded = {name: _responses(name, entries) for name, entries in responses.items()}
        cases: dict[tuple[str, str], dict[str, tuple[Outcome, ...]]] = {}
        names: dict[tuple[str, str], dict[str, str]] = {}
        for machine, spec in machines.items():
            test_cases = spec.get("TestCases", {}) if isinstance(spec, Mapping) else None
            if not isinstance(test_cases, Mapping):
                raise MockConfigError(f"state machine '{machine}' needs a 'TestCases' object")
            for case, states in test_cases.items():
                for _state, response in states.items():
                    if response not in expanded:
                        raise MockConfigError(
                            f"test case '{case}' of '{machine}' names unknown response '{response}'"
                        )
                cases[(machine, case)] = {state: expanded[response] for state, response in states.items()}
                names[(machine, case)] = dict(states)
        return cls(cases, names, repeat_last)


def split_test_case(arn: str) -> tuple[str, str | None]:
    """Step Functions Local's ``<stateMachineArn>#<TestCase>``: ``(arn, test case)``."""
    base, sep, case = arn.partition("#")
    return (base, case) if sep and case else (arn, None)


def test_case_target(mocks: Mocks | None, arn: Any) -> tuple[Any, str | None]:
    """Split ``<arn>#<TestCase>`` when a mock configuration is loaded (else leave ``arn`` alone)."""
    if not isinstance(arn, str) or mocks is None or mocks.config is None:
        return arn, None
    return split_test_case(arn)


# --- the Python API ----------------------------------------------------------------------


class StateMock:
    """The mocked outcome of one state (respx's route): set it, then read its calls."""

    def __init__(self, state: str, machine: str | None) -> None:
        self.state = state
        self.machine = machine
        self.calls: list[MockCall] = []
        self._effect: Callable[[MockCall], Outcome] | None = None

    @property
    def called(self) -> bool:
        """Whether the state ran at least once."""
        return bool(self.calls)

    @property
    def call_count(self) -> int:
        """How many times the state ran."""
        return len(self.calls)

    def returns(self, value: Any) -> StateMock:
        """Every invocation succeeds with ``value`` (a JSON value)."""
        self._effect = lambda _call: _for_one_invocation(value)
        return self

    def raises(self, error: str, cause: str | None = None) -> StateMock:
        """Every invocation fails with ``error`` and ``cause``."""
        self._effect = lambda _call: Throw(error, cause)
        return self

    def side_effect(self, effect: Callable[[MockCall], Any] | Iterable[Any]) -> StateMock:
        """Per invocation: ``effect(call)``, or the next item of an iterable.

        A result that is (or a callable that raises) :class:`~fakesfn.StatesError`
        fails the task with its error and cause.
        """
        if callable(effect):
            self._effect = effect
        else:
            items: Iterator[Any] = iter(effect)
            self._effect = lambda call: self._next(items, call)
        return self

    def _next(self, items: Iterator[Any], call: MockCall) -> Any:
        try:
            return next(items)
        except StopIteration:
            raise MockConfigError(
                f"the side_effect of the mock of state '{self.state}' has no outcome for call "
                f"{len(self.calls)}: the sequence ran out"
            ) from None

    def reset(self) -> None:
        """Forget the recorded calls."""
        self.calls.clear()

    def outcome(self, call: MockCall) -> Outcome:
        """Record ``call`` and decide its outcome."""
        self.calls.append(call)
        if self._effect is None:
            raise MockConfigError(
                f"the mock of state '{self.state}' has no outcome: call returns/raises/side_effect"
            )
        try:
            result = self._effect(call)
        except StatesError as error:
            return Throw(error.error, error.cause)
        except CallerError:
            raise
        except Exception as error:
            raise MockSideEffectError(
                f"the side_effect of the mock of state '{self.state}' raised {type(error).__name__}: {error}"
            ) from error
        if isinstance(result, StatesError):
            return Throw(result.error, result.cause)
        return result


class Mocks:
    """Every mock of one backend: routes set from Python and a loaded configuration."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str | None, str], StateMock] = {}
        self._config: MockConfig | None = None
        self._invocations: dict[tuple[str, str], int] = {}

    def state(self, name: str, *, machine: str | None = None) -> StateMock:
        """The mock of state ``name`` (in every machine, or only in machine ``machine``)."""
        key = (machine, name)
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = StateMock(name, machine)
        return route

    def load_config(
        self, source: str | os.PathLike[str] | Mapping[str, Any], *, repeat_last: bool = False
    ) -> None:
        """Load a Step Functions Local mock configuration (a path or the parsed JSON).

        Args:
            source: the file's path, or its parsed JSON object.
            repeat_last: reuse a response's last entry for invocations past it,
                instead of failing the execution as AWS documents (and Step
                Functions Local does).
        """
        if isinstance(source, Mapping):
            raw: Any = source
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
            if too_deep(text) and json_depth(text) > _CONFIG_DEPTH:
                raise MockConfigError(
                    f"the mock configuration nests {json_depth(text)} levels deep, more than the "
                    f"{_CONFIG_DEPTH} a configuration file may"
                )
            raw = json.loads(text)
        if not isinstance(raw, Mapping):
            raise MockConfigError("a mock configuration is a JSON object")
        self._config = MockConfig.parse(raw, repeat_last=repeat_last)

    @property
    def config(self) -> MockConfig | None:
        """The loaded configuration, if any."""
        return self._config

    def assert_all_called(self) -> None:
        """Fail (AssertionError) when a state mocked from Python never ran."""
        idle = [
            f"{machine}:{state}" if machine else state
            for (machine, state), route in self._routes.items()
            if not route.called
        ]
        if idle:
            raise AssertionError(f"mocked states never called: {', '.join(sorted(idle))}")

    def reset(self) -> None:
        """Drop every route, the configuration and the invocation counters."""
        self._routes.clear()
        self._config = None
        self._invocations.clear()

    def decide(self, call: TaskCall) -> tuple[Outcome] | None:
        """The mocked outcome of this task invocation, or ``None`` when it is not mocked."""
        execution = call.run.execution
        state = call.run.state.name
        route = self._routes.get((execution.state_machine_name, state)) or self._routes.get((None, state))
        case = execution.attributes.get(TEST_CASE_ATTRIBUTE)
        configured = None
        if route is None and self._config is not None and case is not None:
            configured = self._config.cases.get((execution.state_machine_name, case), {}).get(state)
        if route is None and configured is None:
            return None
        counter = (execution.arn, state)
        invocation = self._invocations.get(counter, 0)
        self._invocations[counter] = invocation + 1
        if route is not None:
            return (
                route.outcome(MockCall(state, execution.arn, copy.deepcopy(call.parameters), invocation)),
            )
        assert configured is not None
        assert case is not None
        assert self._config is not None
        if invocation < len(configured):
            return (_for_one_invocation(configured[invocation]),)
        if self._config.repeat_last:
            return (_for_one_invocation(configured[-1]),)
        key = (execution.state_machine_name, case)
        cause = EXHAUSTED_CAUSE.format(
            response=self._config.response_names[key][state],
            state=state,
            case=case,
            invocation=invocation,
            last=len(configured) - 1,
        )
        return (Exhausted(cause),)


def mocked_integration(mocks: Mocks, call: TaskCall) -> Integration | None:
    """What runs the task instead of its integration when it is mocked, else ``None``."""
    decided = mocks.decide(call)
    if decided is None:
        return None
    outcome = decided[0]
    return lambda task_call, _services: _mocked_task(task_call, outcome)


def _mocked_task(call: TaskCall, outcome: Outcome) -> TaskBody:
    yield from ()
    if isinstance(outcome, Exhausted):
        # No response for this invocation: the execution fails before the task is scheduled.
        raise StatesError("States.Runtime", outcome.cause)
    family = _ActivityEvents(call) if call.resource.kind == "activity" else TaskEvents(call)
    family.scheduled()
    family.started()
    end_task_context(call)
    if isinstance(outcome, Throw):
        error = (TaskTimeout if outcome.timed_out else StatesError)(outcome.error, outcome.cause)
        family.failed(error)
        raise error
    text = dump(outcome)
    try:
        check_payload_size(text, call.resource.service)
    except StatesError as error:
        family.failed(error)
        raise
    family.succeeded(text)
    # The result is what was recorded, not the object a side effect handed over
    # (which its owner may change later).
    return json.loads(text)


class _ActivityEvents:
    """``Activity*`` events of a mocked activity task (no worker involved)."""

    def __init__(self, call: TaskCall) -> None:
        self.call = call

    def _emit(self, suffix: str, details: dict[str, Any]) -> None:
        self.call.run.fiber.emit(f"Activity{suffix}", f"activity{suffix}EventDetails", details)

    def scheduled(self) -> None:
        call = self.call
        details = {"resource": call.resource.arn, **payload_details("input", dump(call.parameters))}
        for key, value in (
            ("timeoutInSeconds", call.timeout_seconds),
            ("heartbeatInSeconds", call.heartbeat_seconds),
        ):
            if value is not None:
                details[key] = value
        self._emit("Scheduled", details)

    def started(self) -> None:
        self._emit("Started", {})

    def succeeded(self, text: str) -> None:
        self._emit("Succeeded", payload_details("output", text))

    def failed(self, error: StatesError) -> None:
        details: dict[str, Any] = {"error": error.error}
        if error.cause is not None:
            details["cause"] = error.cause
        self._emit("Failed", details)
