"""Workloads that time one execution: start, run to the end, describe.

Each builder creates its state machine (not timed) and returns an
:class:`ExecutionTrial` that knows what the execution must produce.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from benchmarks import machines
from benchmarks.checks import (
    HISTORY_LIMIT_CAUSE,
    Expect,
    check_gaps,
    check_history,
    check_last_event,
    check_reply,
    timestamps_of,
)
from benchmarks.harness import Counts, Mismatch, Trial

if TYPE_CHECKING:
    from benchmarks.drivers import Driver

PAYLOAD_BYTES = 200_000
"""The large-payload workload's input: 200 KB, under AWS's 256 KiB limit."""


class ExecutionTrial(Trial):
    """One state machine, executed once per run (EXPRESS ones with ``start_sync_execution``)."""

    def __init__(
        self,
        driver: Driver,
        definition: dict[str, Any],
        input_value: Any,
        expect: Expect,
        machine_type: str = "STANDARD",
    ) -> None:
        self.driver = driver
        self.expect = expect
        self.sync = machine_type == "EXPRESS"
        self.arn = driver.create(definition, machine_type)
        self.input_text = json.dumps(input_value)

    def once(self) -> dict[str, Any]:
        if self.sync:
            return self.driver.execute_sync(self.arn, self.input_text)
        return self.driver.execute(self.arn, self.input_text)

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        if not deep:
            check_reply(outcome, self.expect)
            return Counts(self.expect.transitions, self.expect.events)
        arn = outcome["executionArn"]
        if self.expect.tail_only and not self.sync:
            last = self.driver.last_event(arn)
            try:
                check_reply(outcome, self.expect)
            except Mismatch as mismatch:
                if last["type"] == "ExecutionStarted":
                    raise  # the engine ignored reverseOrder (moto does): the count is unknown
                raise Mismatch(
                    f"{mismatch} ({last['id']:,} history events)", Counts(events=last["id"])
                ) from None
            return check_last_event(last, self.expect)
        events = self.driver.recorded_events(arn) if self.sync else self.driver.history(arn)
        if events is None:
            check_reply(outcome, self.expect)
            count = self.driver.recorded_event_count(arn) if self.sync else None
            if count is not None and self.expect.events is not None and count != self.expect.events:
                raise Mismatch(f"{count:,} events numbered, expected {self.expect.events:,}")
            return Counts(self.expect.transitions, count)
        try:
            check_reply(outcome, self.expect)
        except Mismatch as mismatch:
            counts = Counts(sum(1 for e in events if e["type"].endswith("StateEntered")), len(events))
            raise Mismatch(f"{mismatch} ({counts.events:,} history events)", counts) from None
        return check_history(self.driver, events, self.expect)


def pass_chain(driver: Driver, size: int) -> Trial:
    """``size`` Pass states with a Parameters + ResultPath transform each."""
    expect = Expect(
        transitions=size,
        events=machines.chain_events(size),
        output=machines.pass_chain_output(size, 7),
    )
    return ExecutionTrial(driver, machines.pass_chain(size), {"v": 7}, expect)


def choice_loop(driver: Driver, size: int) -> Trial:
    """A Choice + Pass loop of ``size`` iterations counting with ``States.MathAdd``."""
    transitions = machines.choice_loop_transitions(size)
    expect = Expect(
        transitions=transitions,
        events=machines.chain_events(transitions),
        output={"i": size, "limit": size},
    )
    return ExecutionTrial(driver, machines.choice_loop(), {"limit": size}, expect)


def inline_map(driver: Driver, size: int, *, concurrency: int) -> Trial:
    """An inline Map of ``size`` items with a 2-state iterator (STANDARD: ``6 * size + 6`` events)."""
    expect = Expect(
        transitions=machines.map_transitions(size),
        events=machines.map_events(size),
        output=machines.map_output(size),
    )
    return ExecutionTrial(driver, machines.inline_map(concurrency), {"items": list(range(size))}, expect)


def inline_map_express(driver: Driver, size: int, *, concurrency: int) -> Trial:
    """The same Map in an EXPRESS machine, the design that fits: AWS keeps no 25,000-event history.

    Every inline Map iteration records at least four events (iteration started and
    succeeded, a state entered and exited), so no STANDARD design of 10,000 items fits
    in 25,000 events; an EXPRESS workflow has no execution history (AWS: "Execution
    history is not captured by Step Functions"), hence no such limit.
    """
    expect = Expect(
        transitions=machines.map_transitions(size),
        events=machines.map_events(size),
        output=machines.map_output(size),
    )
    definition = machines.inline_map(concurrency)
    return ExecutionTrial(driver, definition, {"items": list(range(size))}, expect, machine_type="EXPRESS")


def inline_map_overflow(driver: Driver, size: int, *, concurrency: int) -> Trial:
    """The STANDARD Map whose ~60,000 events pass the limit: it must fail exactly as AWS fails.

    AWS: event 25,000 is ``ExecutionFailed`` with States.Runtime and the cause below.
    """
    expect = Expect(
        transitions=None,
        events=25_000,
        status="FAILED",
        error="States.Runtime",
        cause=HISTORY_LIMIT_CAUSE,
        tail_only=True,
    )
    return ExecutionTrial(driver, machines.inline_map(concurrency), {"items": list(range(size))}, expect)


def parallel(driver: Driver, size: int) -> Trial:
    """A Parallel of ``size`` branches, two Pass states each."""
    expect = Expect(
        transitions=1 + 2 * size,
        events=6 + 4 * size,
        output=machines.parallel_output(size, 7),
    )
    return ExecutionTrial(driver, machines.parallel(size), {"v": 7}, expect)


def intrinsics(driver: Driver, size: int) -> Trial:
    """``size`` Pass states with ten intrinsic function calls each."""
    expect = Expect(
        transitions=size,
        events=machines.chain_events(size),
        output=machines.intrinsic_output(size),
    )
    return ExecutionTrial(driver, machines.intrinsic_chain(size), machines.intrinsic_input(), expect)


def _full_payloads(driver: Driver, events: list[dict[str, Any]]) -> None:
    for event in events:
        details = event.get("stateEnteredEventDetails")
        if details is not None and (
            len(details["input"]) < PAYLOAD_BYTES or details["inputDetails"]["truncated"]
        ):
            raise Mismatch(
                f"state input of {len(details['input'])} characters recorded in event #{event['id']}"
            )


def payload(driver: Driver, size: int) -> Trial:
    """A 200 KB payload carried through ``size`` Pass states (each recorded in full, twice)."""
    value = machines.payload_input(PAYLOAD_BYTES)
    expect = Expect(
        transitions=size,
        events=machines.chain_events(size),
        output={"blob": value["blob"], "n": size},
        extra=_full_payloads,
    )
    return ExecutionTrial(driver, machines.payload_chain(size), value, expect)


def _attempt_gaps(event_type: str) -> Any:
    def check(driver: Driver, events: list[dict[str, Any]]) -> None:
        check_gaps(driver, timestamps_of(events, event_type), machines.retry_gaps(), f"{event_type} events")

    return check


def retry_parallel(driver: Driver, size: int) -> Trial:
    """A failing Parallel retried 3 times with backoff (1, 2, 4 s) and then caught."""
    caught = {"Error": "Boom", "Cause": "always"}
    expect = Expect(
        transitions=1 + 1 + machines.RETRY_ATTEMPTS + 1,
        events=None,
        output={"order": 1, "caught": caught},
        extra=_attempt_gaps("ParallelStateStarted"),
    )
    return ExecutionTrial(driver, machines.retry_parallel(), {"order": 1}, expect)


def _always_fails(event: Any, context: Any) -> Any:
    import fakesfn

    raise fakesfn.LambdaError("Boom", "always")


def retry_lambda(driver: Driver, size: int) -> Trial:
    """A failing Lambda Task retried 3 times with backoff (1, 2, 4 s) and then caught."""
    if not driver.register_lambda("bench-always-fails", _always_fails):
        raise Mismatch(f"{driver.name} cannot run Lambda functions here")
    expect = Expect(
        transitions=2,
        events=None,
        output=lambda out: out.get("caught", {}).get("Error") == "Boom",
        extra=_attempt_gaps("TaskScheduled"),
    )
    return ExecutionTrial(driver, machines.retry_lambda("bench-always-fails"), {"order": 1}, expect)


def _waited(seconds: int) -> Any:
    def check(driver: Driver, events: list[dict[str, Any]]) -> None:
        nap = timestamps_of(events, "WaitStateEntered") + timestamps_of(events, "WaitStateExited")
        check_gaps(driver, nap, [float(seconds)], "the Wait's entered and exited events are")
        whole = [events[0]["timestamp"], events[-1]["timestamp"]]
        check_gaps(driver, whole, [float(seconds)], "the execution's first and last events are")

    return check


def wait(driver: Driver, size: int) -> Trial:
    """A Wait of ``size`` seconds between two Pass states."""
    expect = Expect(transitions=3, events=8, output={"nap": size}, extra=_waited(size))
    return ExecutionTrial(driver, machines.wait(size), {"nap": size}, expect)


def memory(driver: Driver, size: int) -> Trial:
    """A Choice loop of ``size`` iterations: ``8 + 4 * size`` events of small payloads."""
    return choice_loop(driver, size)
