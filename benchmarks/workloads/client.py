"""Workloads that time API calls: many small executions, a big create, one call's overhead."""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING, Any

from benchmarks import machines
from benchmarks.checks import Expect, check_history, check_reply
from benchmarks.drivers import canned_describe_reply, floor_client
from benchmarks.harness import Counts, Mismatch, Trial

if TYPE_CHECKING:
    from benchmarks.drivers import Driver

SMALL_MACHINE_STATES = 10
OVERHEAD_CALLS = 500
"""Calls per timed run of the per-call overhead workload (each figure is their mean)."""


class ManyExecutions(Trial):
    """``count`` executions of one 10-state machine created once: start + settle + describe each."""

    def __init__(self, driver: Driver, count: int) -> None:
        self.driver = driver
        self.count = count
        self.arn = driver.create(machines.pass_chain(SMALL_MACHINE_STATES))
        self.expect = Expect(
            transitions=SMALL_MACHINE_STATES,
            events=machines.chain_events(SMALL_MACHINE_STATES),
            output=machines.pass_chain_output(SMALL_MACHINE_STATES, 7),
        )

    def once(self) -> list[dict[str, Any]]:
        execute, arn = self.driver.execute, self.arn
        return [execute(arn, '{"v": 7}') for _ in range(self.count)]

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        for reply in outcome:
            check_reply(reply, self.expect)
        if deep:
            check_history(self.driver, self.driver.history(outcome[-1]["executionArn"]), self.expect)
        return Counts(
            SMALL_MACHINE_STATES * self.count, machines.chain_events(SMALL_MACHINE_STATES) * self.count
        )


def many_executions(driver: Driver, size: int) -> Trial:
    """``size`` executions through the client."""
    return ManyExecutions(driver, size)


class CreateLarge(Trial):
    """``create_state_machine`` of a ``size``-state definition (a fresh name each run)."""

    def __init__(self, driver: Driver, size: int) -> None:
        self.driver = driver
        self.size = size
        self.definition = machines.pass_chain(size)
        self._names = itertools.count()

    def once(self) -> str:
        return self.driver.create(self.definition, name=f"large-{next(self._names)}")

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        described = self.driver.client.describe_state_machine(stateMachineArn=outcome)
        if json.loads(described["definition"]) != self.definition:
            raise Mismatch("describe_state_machine returns another definition")
        if deep:
            reply = self.driver.execute(outcome, '{"v": 7}')
            check_reply(reply, Expect(self.size, None, output=machines.pass_chain_output(self.size, 7)))
        return Counts()


def create_large(driver: Driver, size: int) -> Trial:
    """One large create per run."""
    return CreateLarge(driver, size)


class DescribeOverhead(Trial):
    """``describe_state_machine`` through the engine vs. botocore answering a canned reply.

    The floor is a plain botocore client whose ``before-send`` hook returns the same
    reply bytes every time: what is left is botocore's own cost per call.
    """

    def __init__(self, driver: Driver, calls: int) -> None:
        self.driver = driver
        self.calls = calls
        definition = machines.pass_chain(SMALL_MACHINE_STATES)
        self.arn = driver.create(definition)
        self.floor = floor_client(canned_describe_reply(self.arn, json.dumps(definition)))
        self.baseline = self._floor_calls

    def per_call(self) -> int:
        return self.calls

    def once(self) -> dict[str, Any]:
        describe, arn = self.driver.client.describe_state_machine, self.arn
        reply: dict[str, Any] = {}
        for _ in range(self.calls):
            reply = describe(stateMachineArn=arn)
        return reply

    def _floor_calls(self) -> dict[str, Any]:
        describe, arn = self.floor.describe_state_machine, self.arn
        reply: dict[str, Any] = {}
        for _ in range(self.calls):
            reply = describe(stateMachineArn=arn)
        return reply

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        if not deep:
            return Counts()
        canned = self.floor.describe_state_machine(stateMachineArn=self.arn)
        for key in ("stateMachineArn", "name", "status", "definition", "roleArn", "type"):
            if outcome.get(key) != canned.get(key):
                raise Mismatch(
                    f"{key} {outcome.get(key)!r} differs from the canned reply's {canned.get(key)!r}"
                )
        return Counts()


def describe_overhead(driver: Driver, size: int) -> Trial:
    """``size`` calls per timed run."""
    return DescribeOverhead(driver, size)
