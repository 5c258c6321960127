"""Each predefined States.* error as AWS raises it, and each path field of the I/O pipeline."""

from __future__ import annotations

import json

import pytest

FN = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def one(state, name="S", **extra):
    return {"StartAt": name, "States": {name: {**state}, **extra}}


# --- path fields ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "given", "expected"),
    [
        ({"Type": "Pass", "InputPath": "$.a", "End": True}, {"a": {"b": 1}}, {"b": 1}),
        ({"Type": "Pass", "InputPath": "$.list[1]", "End": True}, {"list": [10, 20]}, 20),
        ({"Type": "Pass", "InputPath": "$.list[*].v", "End": True}, {"list": [{"v": 1}, {"v": 2}]}, [1, 2]),
        ({"Type": "Pass", "InputPath": "$['odd key']", "End": True}, {"odd key": 3}, 3),
        ({"Type": "Pass", "OutputPath": "$.x", "End": True}, {"x": [1]}, [1]),
        ({"Type": "Pass", "Result": 5, "ResultPath": "$", "End": True}, {"x": 1}, 5),
        (
            {"Type": "Pass", "Result": 5, "ResultPath": "$.a.b.c", "End": True},
            {"x": 1},
            {"x": 1, "a": {"b": {"c": 5}}},
        ),
        (
            {"Type": "Pass", "Result": 5, "ResultPath": "$.list[0]", "End": True},
            {"list": [1, 2]},
            {"list": [5, 2]},
        ),
        ({"Type": "Pass", "Result": 5, "ResultPath": None, "End": True}, {"x": 1}, {"x": 1}),
        (
            {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($.l)", "raw": "$.l"}, "End": True},
            {"l": [1, 2]},
            {"n": 2, "raw": "$.l"},
        ),
    ],
)
def test_path_fields(run, state, given, expected):
    assert run(one(state), given).output == expected


def test_result_selector_reads_the_result_not_the_input(run, sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: {"deep": {"v": 7}, "noise": 1})
    state = {
        "Type": "Task",
        "Resource": FN,
        "ResultSelector": {"v.$": "$.deep.v", "in.$": "$$.Execution.Input.k"},
        "ResultPath": "$.r",
        "End": True,
    }
    assert run(one(state), {"k": "input"}).output == {"k": "input", "r": {"v": 7, "in": "input"}}


def test_timeout_seconds_path_and_heartbeat_path_read_the_input(run, sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: event, duration=30)
    state = {"Type": "Task", "Resource": FN, "TimeoutSecondsPath": "$.timeout", "End": True}
    assert run(one(state), {"timeout": 10}).describe["error"] == "States.Timeout"
    assert run(one(state), {"timeout": 60}).status == "SUCCEEDED"


# --- predefined errors -------------------------------------------------------------------


def test_result_path_match_failure(run):
    ran = run(one({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": True}), {"a": "not an object"})
    assert ran.describe["error"] == "States.ResultPathMatchFailure"
    assert "$.a.b" in ran.describe["cause"]


def test_result_path_match_failure_can_be_caught(run, sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: 1)
    definition = one(
        {
            "Type": "Task",
            "Resource": FN,
            "ResultPath": "$.x.y",
            "Catch": [{"ErrorEquals": ["States.ResultPathMatchFailure"], "Next": "C"}],
            "Next": "C",
        },
        C={"Type": "Pass", "End": True},
    )
    ran = run(definition, {"x": [1]})
    assert ran.status == "SUCCEEDED"
    assert ran.output["Error"] == "States.ResultPathMatchFailure"


def test_data_limit_exceeded_for_a_state_output_is_not_caught(run):
    big = "x" * (256 * 1024)
    definition = one(
        {
            "Type": "Parallel",
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": big, "End": True}}}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}],
            "End": True,
        },
        C={"Type": "Pass", "End": True},
    )
    ran = run(definition, {})
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.DataLimitExceeded"
    assert ran.describe["cause"] == (
        "The state/task 'B' returned a result with a size exceeding the maximum number of bytes "
        "service limit."
    )


def test_data_limit_exceeded_for_a_task_result_is_catchable(run, sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: "y" * (256 * 1024))
    definition = one(
        {
            "Type": "Task",
            "Resource": FN,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}],
            "Next": "C",
        },
        C={"Type": "Pass", "End": True},
    )
    ran = run(definition, {})
    assert ran.status == "SUCCEEDED"
    assert ran.output["Error"] == "States.DataLimitExceeded"


def test_intrinsic_failure(run):
    ran = run(
        one({"Type": "Pass", "Parameters": {"v.$": "States.ArrayGetItem($.l, 5)"}, "End": True}), {"l": [1]}
    )
    assert ran.describe["error"] == "States.IntrinsicFailure"
    assert ran.describe["cause"].startswith(
        "An error occurred while executing the state 'S' (entered at the event id #2)."
    )


def test_items_path_must_be_an_array(run):
    definition = one(
        {
            "Type": "Map",
            "ItemsPath": "$.x",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True,
        }
    )
    ran = run(definition, {"x": {"not": "array"}})
    assert ran.describe["error"] == "States.Runtime"


def test_no_choice_matched_cause(run):
    definition = one(
        {"Type": "Choice", "Choices": [{"Variable": "$.v", "NumericEquals": 1, "Next": "E"}]},
        E={"Type": "Succeed"},
    )
    ran = run(definition, {"v": 2})
    assert ran.describe["error"] == "States.NoChoiceMatched"
    assert "'S'" in ran.describe["cause"]


def test_task_failed_matches_task_errors_but_not_timeouts(run, sfn_backend):
    def fail(event, context):
        raise KeyError("k")

    sfn_backend.register_lambda("echo", fail)
    catch = [{"ErrorEquals": ["States.TaskFailed"], "Next": "C"}]
    definition = one(
        {"Type": "Task", "Resource": FN, "Catch": catch, "Next": "C"}, C={"Type": "Pass", "End": True}
    )
    assert run(definition).output["Error"] == "KeyError"
    sfn_backend.register_lambda("echo", lambda event, context: 1, duration=100)
    timed = one(
        {"Type": "Task", "Resource": FN, "TimeoutSeconds": 1, "Catch": catch, "Next": "C"},
        C={"Type": "Pass", "End": True},
    )
    assert run(timed).describe["error"] == "States.Timeout"


def test_error_output_of_a_catcher_with_cause(run):
    definition = one(
        {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Custom", "Cause": "why"}}}
            ],
            "Catch": [{"ErrorEquals": ["Custom"], "ResultPath": "$.error", "Next": "C"}],
            "Next": "C",
        },
        C={"Type": "Pass", "End": True},
    )
    assert run(definition, {"keep": 1}).output == {"keep": 1, "error": {"Error": "Custom", "Cause": "why"}}


def test_execution_input_must_be_json(sfn):
    arn = sfn.create_state_machine(
        name="m",
        definition=json.dumps(one({"Type": "Pass", "End": True})),
        roleArn="arn:aws:iam::123456789012:role/r",
    )["stateMachineArn"]
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.start_execution(stateMachineArn=arn, input="{not json")
