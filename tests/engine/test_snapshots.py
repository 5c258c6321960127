"""Every value that leaves a state is a snapshot: later states never change it.

AWS serializes each state's output, so a Context object (``$$``), a variable or a
task result taken by one state keeps the value it had at that moment, however the
execution goes on. These tests capture live parts of the execution and check that
what was captured still shows the capturing state's view at the end.
"""

from __future__ import annotations

from tests.engine.helpers import jsonata, jsonpath


def test_a_captured_context_object_keeps_the_capturing_states_name(run):
    ran = run(
        jsonpath(
            {
                "Capture": {"Type": "Pass", "Parameters": {"ctx.$": "$$"}, "Next": "Later"},
                "Later": {"Type": "Pass", "ResultPath": "$.later", "Next": "Last"},
                "Last": {"Type": "Pass", "End": True},
            }
        )
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["ctx"]["State"]["Name"] == "Capture"
    assert ran.output["later"]["ctx"]["State"]["Name"] == "Capture"


def test_a_context_object_merged_by_result_path_stays_a_snapshot(run):
    ran = run(
        jsonpath(
            {
                "Capture": {"Type": "Pass", "InputPath": "$$", "ResultPath": "$.ctx", "Next": "Later"},
                "Later": {"Type": "Pass", "End": True},
            }
        ),
        {"keep": 1},
    )
    assert ran.output["keep"] == 1
    assert ran.output["ctx"]["State"]["Name"] == "Capture"


def test_jsonata_context_in_output_and_variables_stays_a_snapshot(run):
    ran = run(
        jsonata(
            {
                "Capture": {
                    "Type": "Pass",
                    "Assign": {"seen": "{% $states.context %}"},
                    "Output": {"ctx": "{% $states.context %}"},
                    "Next": "Later",
                },
                "Later": {"Type": "Pass", "Next": "Last"},
                "Last": {
                    "Type": "Pass",
                    "Output": {"ctx": "{% $states.input.ctx %}", "variable": "{% $seen.State.Name %}"},
                    "End": True,
                },
            }
        )
    )
    assert ran.output == {
        "ctx": ran.output["ctx"],
        "variable": "Capture",
    }
    assert ran.output["ctx"]["State"]["Name"] == "Capture"


def test_map_iterations_capture_their_own_item_and_state(run):
    ran = run(
        jsonpath(
            {
                "Each": {
                    "Type": "Map",
                    "ItemSelector": {"ctx.$": "$$"},
                    "ItemProcessor": {
                        "StartAt": "Inner",
                        "States": {
                            "Inner": {
                                "Type": "Pass",
                                "Parameters": {"own.$": "$$", "given.$": "$.ctx"},
                                "Next": "After",
                            },
                            "After": {"Type": "Pass", "End": True},
                        },
                    },
                    "Next": "Done",
                },
                "Done": {"Type": "Pass", "End": True},
            }
        ),
        [10, 20],
    )
    assert ran.status == "SUCCEEDED"
    for index, result in enumerate(ran.output):
        assert result["own"]["State"]["Name"] == "Inner"
        assert result["own"]["Map"]["Item"] == {"Index": index, "Value": [10, 20][index]}
        assert result["given"]["State"]["Name"] == "Each"


def test_retry_counts_captured_by_earlier_attempts_keep_their_values(run, sfn_backend):
    seen = []

    def flaky(event, context):
        seen.append(event)
        if len(seen) < 3:
            raise RuntimeError("again")
        return {"attempts": seen}

    sfn_backend.register_lambda("flaky", flaky)
    ran = run(
        jsonpath(
            {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky",
                    "Parameters": {"state.$": "$$.State"},
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3}],
                    "End": True,
                }
            }
        )
    )
    assert [attempt["state"]["RetryCount"] for attempt in ran.output["attempts"]] == [0, 1, 2]


def test_a_mocked_result_is_copied_when_the_task_ends(sfn, sfn_backend, run):
    result = {"items": [1]}
    sfn_backend.mocks.state("Call").side_effect(lambda call: result)
    ran = run(
        jsonpath(
            {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:absent",
                    "Next": "Later",
                },
                "Later": {"Type": "Wait", "Seconds": 10, "End": True},
            }
        ),
        settle=False,
    )
    result["items"].append(2)
    sfn_backend.settle()
    assert sfn.describe_execution(executionArn=ran.arn)["output"] == '{"items":[1]}'
