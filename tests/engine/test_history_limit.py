"""AWS's 25,000-event history limit: the execution fails with event 25,000 itself."""

from __future__ import annotations

import json
import sys

import pytest

from fakesfn.clock import VirtualClock
from fakesfn.engine.history import EXPRESS_EVENTS_PER_INSTANT, History, HistoryLimitExceeded
from tests.conftest import ROLE_ARN

LOOP = {
    "StartAt": "Spin",
    "States": {
        "Spin": {"Type": "Pass", "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
            "Default": "Spin",
        },
        "Done": {"Type": "Succeed"},
    },
}


def test_runaway_loop_fails_at_event_25000(run):
    ran = run(LOOP, {"spin": True})
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"] == "The execution reached the maximum number of history events (25000)."
    last = ran.events[-1]
    assert (last["type"], last["id"], last["previousEventId"]) == ("ExecutionFailed", 25000, 24999)
    assert len(ran.events) == 25000


def test_map_too_big_for_the_history_fails_the_same_way(run):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    ran = run(definition, list(range(7000)))
    assert ran.describe["error"] == "States.Runtime"
    assert ran.events[-1]["id"] == 25000


def _abort_race(iterations: int, extra: int) -> dict:
    """A Parallel whose second branch loops ``iterations`` times then fails; the first waits.

    The failure aborts the waiting branch, which records ``WaitStateAborted``; each
    iteration adds 4 events and each ``extra`` Pass 2, so the abort's id is chosen.
    """
    looping = {
        "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Extra0" if extra else "Loop"},
        **{
            f"Extra{n}": {"Type": "Pass", "Next": f"Extra{n + 1}" if n + 1 < extra else "Loop"}
            for n in range(extra)
        },
        "Loop": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": iterations, "Next": "Fail"}],
            "Default": "Inc",
        },
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Loop"},
        "Fail": {"Type": "Fail", "Error": "Branch.Failed"},
    }
    waiting = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}}
    branches = [waiting, {"StartAt": "Init", "States": looping}]
    return {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": branches, "End": True}}}


def test_a_sibling_abort_as_event_25000_fails_the_execution_with_the_limit(run):
    # Issue 16 item 4: the abort recorded while unwinding a sibling raised the limit
    # out of start_execution and left the execution RUNNING at 24,999 events.
    small = run(_abort_race(10, 0))
    aborted = small.types.index("WaitStateAborted") + 1
    shortfall = 25_000 - aborted
    iterations, extra = 10 + shortfall // 4, (shortfall % 4) // 2
    assert shortfall % 2 == 0, "each iteration and each extra Pass add an even number of events"
    ran = run(_abort_race(iterations, extra))
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"] == "The execution reached the maximum number of history events (25000)."
    assert len(ran.events) == 25_000
    assert "WaitStateAborted" not in ran.types
    last = ran.events[-1]
    assert (last["type"], last["previousEventId"]) == ("ExecutionFailed", 24_999)


def _express(sfn, definition):
    return sfn.create_state_machine(
        name="busy", definition=json.dumps(definition), roleArn=ROLE_ARN, type="EXPRESS"
    )["stateMachineArn"]


def test_an_express_loop_that_never_waits_times_out_at_five_minutes(sfn):
    # Issue 16 item 2: virtual time never moved, so the loop ran (and grew) forever.
    reply = sfn.start_sync_execution(stateMachineArn=_express(sfn, LOOP), input="{}")
    assert (reply["status"], reply["error"]) == ("TIMED_OUT", "States.Timeout")
    assert "output" not in reply
    assert (reply["stopDate"] - reply["startDate"]).total_seconds() == 300


def test_an_express_map_recording_more_than_100000_events_at_one_instant_is_not_busy(sfn):
    # 5,000 items through a ten-state iterator: about 110,000 events, all at one virtual
    # instant; AWS finishes such work in seconds, so it must not count as a busy loop.
    chain = {f"P{i}": {"Type": "Pass", "Next": f"P{i + 1}"} for i in range(9)}
    chain["P9"] = {"Type": "Pass", "End": True}
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "P0", "States": chain},
                "ResultSelector": {"count.$": "States.ArrayLength($)"},
                "End": True,
            }
        },
    }
    reply = sfn.start_sync_execution(
        stateMachineArn=_express(sfn, definition), input=json.dumps(list(range(5000)))
    )
    assert reply["status"] == "SUCCEEDED"
    assert json.loads(reply["output"]) == {"count": 5000}


def test_a_busy_express_loop_ends_at_the_machines_own_timeout(sfn):
    reply = sfn.start_sync_execution(stateMachineArn=_express(sfn, {**LOOP, "TimeoutSeconds": 42}))
    assert reply["status"] == "TIMED_OUT"
    assert (reply["stopDate"] - reply["startDate"]).total_seconds() == 42


def test_settle_takes_a_busy_asynchronous_express_execution_to_its_deadline(sfn, sfn_backend):
    sfn.start_execution(stateMachineArn=_express(sfn, LOOP))
    assert sfn_backend.settle() == 300
    assert sfn_backend.next_due() is None


def test_an_express_loop_that_waits_is_not_busy(sfn):
    waiting = {**LOOP, "States": {**LOOP["States"], "Spin": {"Type": "Wait", "Seconds": 1, "Next": "Check"}}}
    reply = sfn.start_sync_execution(stateMachineArn=_express(sfn, waiting))
    assert reply["status"] == "TIMED_OUT"
    assert (reply["stopDate"] - reply["startDate"]).total_seconds() == 300


def test_the_busy_rule_counts_events_at_one_virtual_instant_only():
    clock = VirtualClock()
    history = History(clock, limit=sys.maxsize, per_instant=3)
    for _ in range(3):
        history.add("PassStateEntered", 0)
    with pytest.raises(HistoryLimitExceeded) as busy:
        history.add("PassStateEntered", 0)
    assert busy.value.busy
    history.add_final("ExecutionTimedOut", 3, "executionTimedOutEventDetails", {})
    clock.advance(1)
    for _ in range(3):
        history.add("PassStateEntered", 0)
    assert len(history) == 7
    assert History.of_type(clock, "STANDARD").per_instant is None
    assert History.of_type(clock, "EXPRESS").per_instant == EXPRESS_EVENTS_PER_INSTANT
