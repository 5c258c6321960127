"""Replay an execution recorded on real AWS, deterministically, and say where the fake differs.

    from fakesfn.replay import replay
    report = replay(definition_text, history)     # history: the get-execution-history JSON
    print(report)                                  # "replay: OK ..." or the first divergence
    assert not report.diverged

The replay starts the same definition with the recorded input, at the recorded
start time, in the recorded region and account, and takes every Task's result or
failure from the recording: each attempt (retries included) of a Task state is
fed, through :attr:`fakesfn.Backend.mocks`, the outcome the recording shows for
that state's next attempt, preferring an attempt whose recorded input equals the
replayed one (so Map iterations match whatever order AWS ran them in). Waits,
retry backoffs and timeouts run on virtual time as the definition says. Then the
two histories are compared thread by thread (:mod:`fakesfn.tools.divergence`).

Limits: tasks take no virtual time in the replay (the recording's task durations
are not replayed), so timestamps are not compared; values the recording got from
AWS itself (task tokens, and the execution ARN unless ``execution_arn`` is given)
differ; distributed Map child executions and ItemReader sources are not in a
parent's history, so they cannot be fed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import ClientError

from fakesfn.asl.nodes import MapState, ParallelState, StateMachine, TaskState
from fakesfn.asl.parser import parse_definition
from fakesfn.integrations.mocks import MockCall, Throw
from fakesfn.tools.divergence import Divergence, compare, mask_tokens
from fakesfn.tools.recording import decode, details, normalize_history, parse_history_text
from fakesfn.tools.visits import is_failure, scan

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

__all__ = ["NOT_RECORDED", "Attempt", "ReplayError", "ReplayReport", "recorded_attempts", "replay"]

NOT_RECORDED: Final = "fakesfn.NotRecorded"
"""The error a replayed task fails with when the recording has no attempt left for it."""

_DEFAULT_ACCOUNT: Final = "123456789012"
_DEFAULT_REGION: Final = "us-east-1"
_TASK_FAMILIES: Final = ("Task", "LambdaFunction", "Activity")
_REGION: Final = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
_ROLE: Final = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/.+")


class ReplayError(ValueError):
    """The recording cannot be replayed (no ExecutionStarted event, a bad ARN...)."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One recorded attempt of a Task state: what it was called with and how it ended."""

    state: str
    input: Any
    outcome: Any
    finished: bool = True


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """How a replay compares with its recording.

    Attributes:
        recorded_status: the recording's final status (``RUNNING`` if it has no end).
        replayed_status: the replay's final status.
        divergences: each thread's first difference, in recording order.
        recorded_events: the recorded events (normalized).
        replayed_events: the replay's events.
        unused: states with recorded task attempts the replay never asked for, as
            ``"Charge (2)"`` (the state and how many attempts were left).
        execution_arn: the replayed execution's ARN in the fake.
    """

    recorded_status: str
    replayed_status: str
    divergences: tuple[Divergence, ...]
    recorded_events: tuple[Mapping[str, Any], ...] = field(repr=False)
    replayed_events: tuple[Mapping[str, Any], ...] = field(repr=False)
    unused: tuple[str, ...] = ()
    execution_arn: str = ""

    @property
    def diverged(self) -> bool:
        """Whether the replay's path or data differ from the recording anywhere."""
        if self.recorded_status == "RUNNING":  # an unfinished recording: only its events count
            return bool(self.divergences)
        return bool(self.divergences) or self.recorded_status != self.replayed_status

    @property
    def first(self) -> Divergence | None:
        """The earliest difference in the recording, if any."""
        return self.divergences[0] if self.divergences else None

    def summary(self) -> str:
        """The report for people: a verdict, the first divergence, then counts."""
        if not self.diverged:
            verdict = (
                f"replay: OK: {len(self.recorded_events)} recorded events match the replay "
                f"(status {self.replayed_status})"
            )
            extra = len(self.replayed_events) - len(self.recorded_events)
            if self.recorded_status == "RUNNING" and extra > 0:
                verdict += f"\nthe recording ends while RUNNING: {extra} later replay event(s) not compared"
            return verdict
        lines = [f"replay: DIVERGED (recorded {self.recorded_status}, replayed {self.replayed_status})"]
        if self.first is not None:
            lines.append("first divergence: " + self.first.describe())
        if len(self.divergences) > 1:
            lines.append(f"{len(self.divergences) - 1} more thread(s) diverge after it")
        if self.unused:
            lines.append(f"recorded task attempts never replayed: {', '.join(self.unused)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def recorded_attempts(events: Sequence[Mapping[str, Any]]) -> list[Attempt]:
    """Every task attempt of a recording, in order: input and result or failure.

    An attempt starts at a ``*Scheduled`` event and ends at the task's
    ``*Succeeded`` or at a failure (``*Failed``, ``*TimedOut``, ``*StartFailed``...).
    """
    attempts: list[Attempt] = []
    for visit in scan(events).visits:
        current: list[Mapping[str, Any]] = []
        for event in visit.events:
            kind = event["type"]
            if not kind.startswith(_TASK_FAMILIES) or kind.startswith("TaskState"):
                continue
            current = [event] if kind.endswith("Scheduled") else [*current, event]
            if kind.endswith("Succeeded") or is_failure(kind):
                attempts.append(_attempt(visit.name, current))
                current = []
        if current:
            attempts.append(Attempt(visit.name, _scheduled_input(current[0]), None, finished=False))
    return attempts


def _scheduled_input(event: Mapping[str, Any]) -> Any:
    found = details(event)
    return mask_tokens(decode(found.get("parameters", found.get("input"))))


def _attempt(state: str, events: Sequence[Mapping[str, Any]]) -> Attempt:
    last = details(events[-1])
    given = _scheduled_input(events[0]) if events[0]["type"].endswith("Scheduled") else None
    if events[-1]["type"].endswith("Succeeded"):
        return Attempt(state, given, decode(last.get("output")))
    timed_out = events[-1]["type"].endswith("TimedOut")
    error = last.get("error")
    if not isinstance(error, str):
        error = "States.Timeout" if timed_out else "States.TaskFailed"
    cause = last.get("cause")
    return Attempt(state, given, Throw(error, cause if isinstance(cause, str) else None, timed_out))


class _Feeder:
    """Answers one state's mocked invocations from its recorded attempts."""

    def __init__(self, state: str, attempts: list[Attempt]) -> None:
        self.state = state
        self.pending = attempts
        self.served = 0

    def __call__(self, call: MockCall) -> Any:
        self.served += 1
        wanted = mask_tokens(call.input)
        chosen = next((i for i, attempt in enumerate(self.pending) if attempt.input == wanted), 0)
        if not self.pending or not self.pending[chosen].finished:
            return Throw(
                NOT_RECORDED, f"the recording has no result for attempt {self.served} of '{self.state}'"
            )
        return self.pending.pop(chosen).outcome


def _task_states(machine: StateMachine) -> Iterator[str]:
    for state in machine.states.values():
        if isinstance(state, TaskState):
            yield state.name
        children = state.branches if isinstance(state, ParallelState) else ()
        if isinstance(state, MapState) and state.processor is not None:
            children = (state.processor,)
        for child in children:
            yield from _task_states(child)


def _place(
    events: Sequence[Mapping[str, Any]], execution_arn: str | None
) -> tuple[str, str, str, str | None]:
    """(region, account, machine name, execution name) for the replay."""
    if execution_arn is not None:
        parts = execution_arn.split(":")
        if len(parts) < 8 or parts[5] != "execution" or not _REGION.match(parts[3]):
            raise ReplayError(f"not an execution ARN: {execution_arn}")
        return parts[3], parts[4], parts[6], parts[7]
    regions = (details(event).get("region") for event in events)
    region = next((r for r in regions if isinstance(r, str) and _REGION.match(r)), _DEFAULT_REGION)
    role = _ROLE.match(str(details(events[0]).get("roleArn", "")))
    return region, role.group(1) if role else _DEFAULT_ACCOUNT, "replay", None


def _role(started: Mapping[str, Any], account: str) -> str:
    """The recorded role when it is a role ARN (exports may hide it), else one in ``account``."""
    role = str(started.get("roleArn", ""))
    return role if _ROLE.match(role) else f"arn:aws:iam::{account}:role/fakesfn-replay"


_STATUSES: Final = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}


def replay(
    definition: str | Mapping[str, Any],
    history: Any,
    *,
    execution_arn: str | None = None,
    seed: int = 0,
) -> ReplayReport:
    """Re-run a recorded execution in a fresh fake backend and compare the histories.

    Args:
        definition: the state machine definition (JSON text or object) the recording ran.
        history: the recorded events: exported JSON text, or the parsed
            ``get_execution_history`` output (several pages may be concatenated).
        execution_arn: the recorded execution's ARN, so ``$$.Execution`` values match.
        seed: seeds the fake's random choices.

    Raises:
        fakesfn.asl.problems.DefinitionError: the definition is invalid.
        fakesfn.tools.recording.HistoryFormatError: the history is unreadable.
        ReplayError: the history has no ExecutionStarted event or no execution data, or
            the ARN is malformed.
    """
    from fakesfn.client import FakeSFNClient

    text = definition if isinstance(definition, str) else json.dumps(definition)
    machine = parse_definition(text)
    events = parse_history_text(history) if isinstance(history, str) else normalize_history(history)
    if not events or events[0]["type"] != "ExecutionStarted":
        raise ReplayError("the history does not start with an ExecutionStarted event")
    started = details(events[0])
    if "input" not in started:
        raise ReplayError(
            "the history has no execution data (exported with --no-include-execution-data?): "
            "a replay needs the recorded input and task results"
        )
    region, account, machine_name, execution_name = _place(events, execution_arn)
    client = FakeSFNClient(
        region_name=region, account_id=account, seed=seed, start_time=events[0].get("timestamp")
    )
    feeders = _install(client.backend, machine, recorded_attempts(events))
    try:
        role = _role(started, account)
        machine_arn = client.create_state_machine(name=machine_name, definition=text, roleArn=role)
        start: dict[str, Any] = {
            "stateMachineArn": machine_arn["stateMachineArn"],
            "input": started.get("input", "{}"),
        }
        if execution_name is not None:
            start["name"] = execution_name
        replayed_arn = client.start_execution(**start)["executionArn"]
    except ClientError as error:
        raise ReplayError(f"cannot start the replay: {error.response['Error']['Message']}") from None
    client.backend.settle()
    pages = client.get_paginator("get_execution_history").paginate(executionArn=replayed_arn)
    replayed = normalize_history([event for page in pages for event in page["events"]])
    recorded_status = _STATUSES.get(events[-1]["type"], "RUNNING")
    return ReplayReport(
        recorded_status=recorded_status,
        replayed_status=client.describe_execution(executionArn=replayed_arn)["status"],
        divergences=tuple(compare(events, replayed, complete=recorded_status != "RUNNING")),
        recorded_events=tuple(events),
        replayed_events=tuple(replayed),
        unused=tuple(
            f"{feeder.state} ({len(left)})"
            for feeder in feeders
            if (left := [attempt for attempt in feeder.pending if attempt.finished])
        ),
        execution_arn=replayed_arn,
    )


def _install(backend: Any, machine: StateMachine, attempts: list[Attempt]) -> list[_Feeder]:
    by_state: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_state.setdefault(attempt.state, []).append(attempt)
    feeders = []
    for name in dict.fromkeys(_task_states(machine)):
        feeder = _Feeder(name, by_state.get(name, []))
        backend.mocks.state(name).side_effect(feeder)
        feeders.append(feeder)
    return feeders
