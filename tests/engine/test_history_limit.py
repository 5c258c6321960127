"""AWS's 25,000-event history limit: the execution fails with event 25,000 itself."""

from __future__ import annotations

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
