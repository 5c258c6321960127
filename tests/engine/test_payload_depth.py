"""The JSON nesting limit: 200 levels at every payload boundary, the same answer on every Python.

Before the limit, where a deep payload failed depended on the interpreter's recursion limit
(a Lambda result 5,000 levels deep was refused on 3.11 and accepted on 3.13). Now a payload
200 levels deep passes everywhere and one level more is refused everywhere, each boundary
answering as it answers a payload that is not JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakesfn.payload import MAX_PAYLOAD_DEPTH, PayloadTooDeep, check_depth, encode, json_depth, too_deep

ROLE = "arn:aws:iam::123456789012:role/depth"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:nest"


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def text(depth: int) -> str:
    return json.dumps(nested(depth))


def machine(sfn, states: dict[str, Any], start: str | None = None, **fields: Any) -> str:
    definition = {"StartAt": start or next(iter(states)), "States": states, **fields}
    name = f"m{len(sfn.list_state_machines()['stateMachines'])}"
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]


def run(sfn, arn: str, value: str = "{}") -> dict[str, Any]:
    execution = sfn.start_execution(stateMachineArn=arn, input=value)["executionArn"]
    sfn.backend.settle()
    return sfn.describe_execution(executionArn=execution)


PASS = {"P": {"Type": "Pass", "End": True}}


def test_the_limit_is_200_levels():
    assert MAX_PAYLOAD_DEPTH == 200
    assert json_depth(text(200)) == 200


# --- API inputs ----------------------------------------------------------------------


def test_an_execution_input_200_levels_deep_runs_and_one_level_more_is_refused(sfn):
    arn = machine(sfn, PASS)
    done = run(sfn, arn, text(200))
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == nested(200)
    with pytest.raises(sfn.exceptions.InvalidExecutionInput, match="Invalid State Machine Execution Input"):
        sfn.start_execution(stateMachineArn=arn, input=text(201))


def test_a_task_output_sent_back_too_deep_is_invalid_output(sfn):
    activity = sfn.create_activity(name="worker")["activityArn"]
    arn = machine(sfn, {"T": {"Type": "Task", "Resource": activity, "End": True}})
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    token = sfn.get_activity_task(activityArn=activity)["taskToken"]
    with pytest.raises(sfn.exceptions.InvalidOutput, match="Output is not valid JSON"):
        sfn.send_task_success(taskToken=token, output=text(201))
    sfn.send_task_success(taskToken=token, output=text(200))
    assert json.loads(sfn.describe_execution(executionArn=execution)["output"]) == nested(200)


def test_a_test_state_input_too_deep_is_refused(sfn):
    definition = json.dumps({"Type": "Pass", "End": True})
    assert sfn.test_state(definition=definition, roleArn=ROLE, input=text(200))["status"] == "SUCCEEDED"
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.test_state(definition=definition, roleArn=ROLE, input=text(201))


# --- task results and state outputs ----------------------------------------------------


@pytest.mark.parametrize("depth", [201, 5_000])
def test_a_lambda_result_too_deep_is_a_marshal_error_on_every_python(sfn, depth):
    sfn.backend.register_lambda("nest", lambda event, context: nested(depth))
    done = run(sfn, machine(sfn, {"T": {"Type": "Task", "Resource": LAMBDA, "End": True}}))
    assert (done["status"], done["error"]) == ("FAILED", "Runtime.MarshalError")
    message = json.loads(done["cause"])["errorMessage"]
    assert message.startswith("Unable to marshal response: the JSON nests")
    assert "more than the 200 allowed" in message


def test_a_lambda_result_200_levels_deep_is_the_result(sfn):
    sfn.backend.register_lambda("nest", lambda event, context: nested(200))
    done = run(sfn, machine(sfn, {"T": {"Type": "Task", "Resource": LAMBDA, "End": True}}))
    assert json.loads(done["output"]) == nested(200)


def test_a_mocked_result_too_deep_is_a_data_limit_a_catcher_can_catch(sfn):
    sfn.backend.mocks.state("T").returns(nested(201))
    states = {
        "T": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": "t", "Key": {}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
            "End": True,
        },
        "Caught": {"Type": "Pass", "End": True},
    }
    done = run(sfn, machine(sfn, states))
    assert done["status"] == "SUCCEEDED"
    caught = json.loads(done["output"])
    assert caught["Error"] == "States.DataLimitExceeded"
    assert caught["Cause"] == (
        "The state/task 'dynamodb' returned a result nested deeper than the maximum of 200 levels."
    )


def test_a_state_output_that_grows_past_the_limit_fails_the_execution(sfn):
    arn = machine(sfn, {"Wrap": {"Type": "Pass", "Parameters": {"inner.$": "$"}, "End": True}})
    assert run(sfn, arn, text(199))["status"] == "SUCCEEDED"
    done = run(sfn, arn, text(200))
    assert (done["status"], done["error"]) == ("FAILED", "States.DataLimitExceeded")
    assert done["cause"] == (
        "The state/task 'Wrap' returned a result nested deeper than the maximum of 200 levels."
    )


def test_a_variable_assigned_too_deep_fails_the_state(sfn):
    arn = machine(sfn, {"A": {"Type": "Pass", "Assign": {"v.$": "States.Array($)"}, "End": True}})
    assert run(sfn, arn, text(199))["status"] == "SUCCEEDED"
    done = run(sfn, arn, text(200))
    assert (done["status"], done["error"]) == ("FAILED", "States.DataLimitExceeded")
    assert "assigned the variable 'v' a value nested deeper than the maximum of 200 levels" in done["cause"]


# --- texts parsed inside an execution ---------------------------------------------------


def test_string_to_json_of_a_text_too_deep_is_an_intrinsic_failure(sfn):
    states = {"P": {"Type": "Pass", "Parameters": {"v.$": "States.StringToJson($.t)"}, "End": True}}
    arn = machine(sfn, states)
    assert run(sfn, arn, json.dumps({"t": text(199)}))["status"] == "SUCCEEDED"
    done = run(sfn, arn, json.dumps({"t": text(300)}))
    assert done["error"] == "States.IntrinsicFailure"
    assert "the JSON nests 300 levels deep, more than the 200 allowed" in done["cause"]


def test_jsonata_parse_of_a_text_too_deep_is_invalid_json(sfn):
    states = {"P": {"Type": "Pass", "Output": "{% $parse($states.input.t) %}", "End": True}}
    arn = machine(sfn, states, QueryLanguage="JSONata")
    done = run(sfn, arn, json.dumps({"t": text(300)}))
    assert done["error"] == "States.QueryEvaluationError"
    assert "Invalid JSON" in done["cause"]


# --- the measure itself ---------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\n é'),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\k'), inner, max_size=3)
    ),
    max_leaves=30,
)


def reference_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(reference_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(reference_depth, value), default=0)
    return 0


@given(JSON, st.booleans())
def test_the_depth_of_a_text_is_the_depth_of_its_value(value, ascii_only):
    assert json_depth(json.dumps(value, ensure_ascii=ascii_only, indent=1)) == reference_depth(value)


@given(JSON)
def test_the_encoder_writes_what_json_writes(value):
    for encoder in (json.JSONEncoder(separators=(",", ":"), ensure_ascii=False), json.JSONEncoder()):
        assert encode(value, encoder) == encoder.encode(value)


def test_any_depth_is_measured_and_written_without_recursion():
    deep = nested(100_000)
    written = encode(deep, json.JSONEncoder(separators=(",", ":")))
    assert json_depth(written) == 100_000
    assert too_deep(written)
    with pytest.raises(PayloadTooDeep, match="nests 100000 levels deep"):
        check_depth(written)
    assert not too_deep(
        "[" * 150 + '"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["' + "]" * 150
    )
