"""Parallel branches and inline Map iterations: outputs, ordering, failures, history links."""

from __future__ import annotations


def branch(name, **state):
    return {"StartAt": name, "States": {name: {"Type": "Pass", "End": True, **state}}}


def test_parallel_outputs_in_branch_order(run):
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [branch("B0", Result=0), branch("B1", Result=1), branch("B2")],
                "ResultSelector": {"first.$": "$[0]", "all.$": "$"},
                "End": True,
            }
        },
    }
    ran = run(definition, {"x": 1})
    assert ran.output == {"first": 0, "all": [0, 1, {"x": 1}]}
    started = next(e for e in ran.events if e["type"] == "ParallelStateStarted")
    firsts = [e for e in ran.events if e["type"] == "PassStateEntered"]
    assert {e["previousEventId"] for e in firsts} == {started["id"]}
    assert ran.types[-3:] == ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"]


def test_parallel_branch_failure_fails_the_state_and_can_be_caught(run):
    failing = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "BranchBoom", "Cause": "c"}}}
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [branch("ok"), failing],
                "Catch": [{"ErrorEquals": ["BranchBoom"], "Next": "Handled"}],
                "Next": "Handled",
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    ran = run(definition)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"Error": "BranchBoom", "Cause": "c"}
    assert "ParallelStateFailed" in ran.types


def test_parallel_waits_interleave_on_virtual_time(run):
    waits = [
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": s, "End": True}}} for s in (30, 10, 20)
    ]
    ran = run({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": waits, "End": True}}}, {})
    exits = [e for e in ran.events if e["type"] == "WaitStateExited"]
    offsets = [(e["timestamp"] - ran.events[0]["timestamp"]).total_seconds() for e in exits]
    assert offsets == [10, 20, 30]
    assert ran.output == [{}, {}, {}]


def test_map_item_selector_and_context(run):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {
                    "value.$": "$$.Map.Item.Value",
                    "index.$": "$$.Map.Item.Index",
                    "tag.$": "$.tag",
                },
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                "ResultPath": "$.out",
                "End": True,
            }
        },
    }
    ran = run(definition, {"items": ["a", "b"], "tag": "t"})
    assert ran.output["out"] == [
        {"value": "a", "index": 0, "tag": "t"},
        {"value": "b", "index": 1, "tag": "t"},
    ]
    assert ran.details("MapStateStarted") == [{"length": 2}]


def test_map_history_links_like_aws(run):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": branch("I"), "End": True},
        },
    }
    ran = run(definition, [1, 2])
    links = [(e["id"], e["previousEventId"], e["type"]) for e in ran.events]
    assert links == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "MapStateEntered"),
        (3, 2, "MapStateStarted"),
        (4, 3, "MapIterationStarted"),
        (5, 4, "PassStateEntered"),
        (6, 5, "PassStateExited"),
        (7, 6, "MapIterationSucceeded"),
        (8, 6, "MapIterationStarted"),
        (9, 8, "PassStateEntered"),
        (10, 9, "PassStateExited"),
        (11, 10, "MapIterationSucceeded"),
        (12, 11, "MapStateSucceeded"),
        (13, 11, "MapStateExited"),
        (14, 13, "ExecutionSucceeded"),
    ]


def test_map_legacy_iterator_and_parameters(run):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Parameters": {"v.$": "$$.Map.Item.Value"},
                "Iterator": branch("I"),
                "End": True,
            }
        },
    }
    assert run(definition, [1, 2]).output == [{"v": 1}, {"v": 2}]


def test_map_max_concurrency_limits_waiting_iterations(run):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 2,
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}},
                },
                "End": True,
            }
        },
    }
    ran = run(definition, [10, 10, 10, 10])
    duration = (ran.events[-1]["timestamp"] - ran.events[0]["timestamp"]).total_seconds()
    assert duration == 20
    assert ran.output == [10, 10, 10, 10]


def test_map_iteration_failure_fails_the_map(run):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "C",
                    "States": {
                        "C": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}],
                            "Default": "OK",
                        },
                        "F": {"Type": "Fail", "Error": "Two"},
                        "OK": {"Type": "Succeed"},
                    },
                },
                "End": True,
            }
        },
    }
    ran = run(definition, [1, 2, 3])
    assert ran.describe["error"] == "Two"
    assert ran.types[-3:] == ["MapIterationFailed", "MapStateFailed", "ExecutionFailed"]
    assert ran.types.count("MapIterationStarted") == 2


def test_variables_scope_in_map(run):
    definition = {
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"outer": "o"}, "Next": "M"},
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Inner",
                    "States": {
                        "Inner": {
                            "Type": "Pass",
                            "Parameters": {"outer.$": "$outer", "item.$": "$"},
                            "End": True,
                        }
                    },
                },
                "End": True,
            },
        },
    }
    assert run(definition, [1]).output == [{"outer": "o", "item": 1}]


def test_stop_execution_unwinds_running_map_iterations(sfn, sfn_backend):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Wait", "Seconds": 100, "End": True}},
                },
                "End": True,
            }
        },
    }
    from tests.conftest import run_definition

    ran = run_definition(sfn, definition, [1, 2, 3], settle=False)
    sfn.stop_execution(executionArn=ran.arn, error="Stopped", cause="by test")
    assert sfn_backend.next_due() is None
    sfn_backend.settle()
    described = sfn.describe_execution(executionArn=ran.arn)
    assert described["status"] == "ABORTED"
    events = sfn.get_execution_history(executionArn=ran.arn)["events"]
    assert events[-1]["type"] == "ExecutionAborted"
    assert [e["type"] for e in events].count("WaitStateExited") == 0


def test_concurrent_iterations_all_start_before_any_runs(run):
    definition = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": branch("I"), "End": True}},
    }
    ran = run(definition, [1, 2, 3])
    started = [e for e in ran.events if e["type"] == "MapIterationStarted"]
    assert [e["id"] for e in started] == [4, 5, 6]
    assert {e["previousEventId"] for e in started} == {3}
