"""TestState rules measured against AWS: mocked Map/Parallel inspection, the caller's Context
object, stateConfiguration refusals and AWS's wording for refused definitions."""

from __future__ import annotations

import json
from typing import Any

import pytest

import fakesfn
from tests.botocore_model import needs_test_state_2025

ROLE = "arn:aws:iam::123456789012:role/tester"


@pytest.fixture
def client() -> Any:
    return fakesfn.FakeSFNClient(region_name="us-east-1", account_id="123456789012", seed=5)


def run(client: Any, state: dict[str, Any], **params: Any) -> dict[str, Any]:
    for key in ("input", "variables", "context"):
        if key in params and not isinstance(params[key], str):
            params[key] = json.dumps(params[key])
    if isinstance(params.get("mock", {}).get("result"), (list, dict)):
        params["mock"] = {**params["mock"], "result": json.dumps(params["mock"]["result"])}
    reply = client.test_state(definition=json.dumps(state), **params)
    reply.pop("ResponseMetadata")
    return reply


def data(reply: dict[str, Any]) -> dict[str, Any]:
    return {
        key: json.loads(value) if isinstance(value, str) else value
        for key, value in reply["inspectionData"].items()
    }


def refusal(client: Any, state: dict[str, Any], **params: Any) -> tuple[str, str]:
    with pytest.raises(client.exceptions.ClientError) as refused:
        run(client, state, **params)
    error = refused.value.response["Error"]
    return error["Code"], error["Message"]


PROCESSOR = {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}}
JSONPATH_MAP = {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": PROCESSOR, "End": True}
JSONATA_MAP = {
    "Type": "Map",
    "QueryLanguage": "JSONata",
    "Items": "{% $states.input.items %}",
    "ItemProcessor": PROCESSOR,
    "ToleratedFailureCount": 1,
    "End": True,
}
BRANCHES = [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}},
]


# --- inspection of a mocked Map or Parallel -------------------------------------------------------


@needs_test_state_2025
def test_a_mocked_jsonpath_map_shows_its_input_processing_but_no_result(client):
    reply = run(
        client, JSONPATH_MAP, input={"items": [1, 2]}, inspectionLevel="DEBUG", mock={"result": [3, 4]}
    )
    assert data(reply) == {
        "input": {"items": [1, 2]},
        "afterInputPath": {"items": [1, 2]},
        "afterItemsPath": [1, 2],
        "maxConcurrency": 0,
        "afterResultSelector": [3, 4],
        "afterResultPath": [3, 4],
    }


@needs_test_state_2025
def test_a_mocked_jsonata_map_shows_its_input_and_limits_only(client):
    reply = run(
        client, JSONATA_MAP, input={"items": [1, 2]}, inspectionLevel="TRACE", mock={"result": [3, 4]}
    )
    assert data(reply) == {"input": {"items": [1, 2]}, "maxConcurrency": 0, "toleratedFailureCount": 1}
    assert json.loads(reply["output"]) == [3, 4]


@needs_test_state_2025
def test_after_item_selector_needs_an_item_selector(client):
    plain = run(client, JSONPATH_MAP, input={"items": [1]}, inspectionLevel="DEBUG", mock={"result": [1]})
    assert "afterItemSelector" not in data(plain)
    selecting = {**JSONPATH_MAP, "ItemSelector": {"v.$": "$$.Map.Item.Value"}}
    found = data(run(client, selecting, input={"items": [1]}, inspectionLevel="DEBUG", mock={"result": [1]}))
    assert found["afterItemSelector"] == [{"v": 1}]


@needs_test_state_2025
def test_a_mocked_parallel_shows_no_input_path_and_no_result(client):
    state = {
        "Type": "Parallel",
        "InputPath": "$.inner",
        "Parameters": {"x.$": "$.x"},
        "ResultPath": "$.results",
        "Branches": BRANCHES,
        "End": True,
    }
    reply = run(client, state, input={"inner": {"x": 1}}, inspectionLevel="DEBUG", mock={"result": [1, 2]})
    assert data(reply) == {
        "input": {"inner": {"x": 1}},
        "afterResultSelector": [1, 2],
        "afterResultPath": {"inner": {"x": 1}, "results": [1, 2]},
    }


@needs_test_state_2025
def test_a_mocked_jsonata_parallel_shows_its_input_only(client):
    state = {"Type": "Parallel", "QueryLanguage": "JSONata", "Branches": BRANCHES, "End": True}
    reply = run(client, state, input={"a": 1}, inspectionLevel="TRACE", mock={"result": [1, 2]})
    assert data(reply) == {"input": {"a": 1}}


@needs_test_state_2025
def test_map_items_that_are_not_an_array_fail_with_aws_wording(client):
    on_input = run(client, {**JSONPATH_MAP, "ItemsPath": "$.items"}, input={"items": 1}, mock={"result": []})
    assert (on_input["error"], on_input["cause"]) == (
        "States.Runtime",
        'Reference path "$.items" must point to array.',
    )
    context = {"Execution": {"Input": {"k": 1}}}
    on_context = run(
        client,
        {**JSONPATH_MAP, "ItemsPath": "$$.Execution.Input"},
        input=[1],
        context=context,
        mock={"result": []},
        inspectionLevel="DEBUG",
    )
    assert on_context["cause"] == 'Reference path "$.Execution.Input" must point to array.'
    assert data(on_context) == {"input": [1], "afterInputPath": [1]}


# --- the caller's Context object ------------------------------------------------------------------

MOCKED_TASK = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "f"},
    "ResultPath": "$.result",
    "ResultSelector": {"context.$": "$$"},
    "End": True,
}


@pytest.mark.parametrize(
    "context",
    [{}, {"Execution": {}, "State": {}, "StateMachine": {}}, {"State": {"Name": "Mine", "RetryCount": 3}}],
)
@needs_test_state_2025
def test_a_given_context_replaces_the_default_one(client, context):
    reply = run(client, MOCKED_TASK, input={}, context=context, mock={"result": {"StatusCode": 200}})
    assert json.loads(reply["output"]) == {"result": {"context": context}}


@needs_test_state_2025
def test_without_a_context_the_default_one_names_the_state_state_name(client):
    machine = {
        "StartAt": "First",
        "States": {"First": {"Type": "Pass", "Parameters": {"name.$": "$$.State.Name"}, "End": True}},
    }
    reply = client.test_state(definition=json.dumps(machine), stateName="First")
    assert json.loads(reply["output"]) == {"name": "StateName"}


@needs_test_state_2025
def test_a_given_task_token_is_the_one_the_callback_task_sends(client):
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": True,
    }
    reply = run(
        client,
        state,
        input={},
        context={"Task": {"Token": "my-token"}},
        mock={"result": {"ok": True}},
        inspectionLevel="DEBUG",
    )
    assert data(reply)["afterParameters"]["MessageBody"] == {"token": "my-token"}


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"Pokedex": {}}, "Field 'Pokedex' is not allowed"),
        ({"Execution": {"pokemon": "x"}}, "Field 'pokemon' is not allowed"),
        ({"Map": {}}, "'Map' field is not supported when mocking a Context object"),
        ({"Execution": {"Id": 1}}, "Execution.Id must be a string"),
        ({"State": {"RetryCount": "1"}}, "State.RetryCount must be an integer"),
        (
            {"Task": {"Token": "t"}},
            "Context object contains 'Task' when state is not a Task state with a '.sync' or "
            "'.waitForTaskToken' service integration pattern",
        ),
        ([], "The Context object must be a JSON object"),
    ],
)
@needs_test_state_2025
def test_an_invalid_context_is_refused(client, context, message):
    code, text = refusal(client, MOCKED_TASK, input={}, context=context, mock={"result": {}})
    assert (code, text) == ("ValidationException", "Invalid Context object provided: " + message)


@needs_test_state_2025
def test_a_context_needs_a_mock(client):
    code, text = refusal(client, MOCKED_TASK, roleArn=ROLE, context={"Execution": {}})
    assert (code, text) == (
        "ValidationException",
        "TestState does not support Context when a mock is not specified.",
    )


# --- stateConfiguration.mapIterationFailureCount --------------------------------------------------


@needs_test_state_2025
def test_map_iteration_failure_count_needs_a_mock(client):
    code, text = refusal(
        client,
        JSONATA_MAP,
        roleArn=ROLE,
        input={"items": [1]},
        stateConfiguration={"mapIterationFailureCount": 0},
    )
    assert (code, text) == (
        "ValidationException",
        "TestState does not support MapIterationFailureCount when a mock is not specified.",
    )


@pytest.mark.parametrize(
    "mock", [{"result": [1, 1, 1]}, {"errorOutput": {"error": "E", "cause": "c"}}], ids=["result", "error"]
)
@needs_test_state_2025
def test_map_iteration_failure_count_cannot_exceed_the_iterations(client, mock):
    code, text = refusal(
        client,
        JSONATA_MAP,
        input={"items": [1, 2, 3]},
        stateConfiguration={"mapIterationFailureCount": 4},
        mock=mock,
    )
    assert (code, text) == (
        "ValidationException",
        "Map iteration failure count must be less than or equal to the number of Map iterations",
    )


@needs_test_state_2025
def test_failures_within_the_iterations_are_judged_against_the_tolerance(client):
    state = {**JSONATA_MAP, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}]}
    reply = run(
        client,
        state,
        input={"items": [1, 2, 3]},
        stateConfiguration={"mapIterationFailureCount": 2},
        mock={"result": [0, 0, 1]},
        inspectionLevel="DEBUG",
    )
    assert (reply["status"], reply["error"], reply["nextState"]) == (
        "CAUGHT_ERROR",
        "States.ExceedToleratedFailureThreshold",
        "Handle",
    )
    assert data(reply)["errorDetails"] == {"catchIndex": 0}


# --- definitions ----------------------------------------------------------------------------------


@needs_test_state_2025
def test_a_state_name_not_in_the_definition(client):
    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    with pytest.raises(client.exceptions.ValidationException) as refused:
        client.test_state(definition=json.dumps(machine), stateName="B")
    assert refused.value.response["Error"]["Message"] == "State not found in definition"


@needs_test_state_2025
def test_empty_branches_are_refused_with_aws_wording(client):
    state = {"Type": "Parallel", "Branches": [], "End": True}
    assert refusal(client, state, mock={"result": []}) == (
        "InvalidDefinition",
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at "
        "/States/StateName/Branches'",
    )


@needs_test_state_2025
def test_an_unknown_state_type_is_refused_with_aws_wording(client):
    machine = {"StartAt": "A", "States": {"A": {"Type": "Nope", "End": True}}}
    with pytest.raises(client.exceptions.InvalidDefinition) as refused:
        client.test_state(definition=json.dumps(machine), stateName="A")
    assert refused.value.response["Error"]["Message"] == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of "
        "these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/A/Type'"
    )


PLACEHOLDER = "arn:aws:lambda:your-region:your-account-id:function:yourFunction"


@needs_test_state_2025
def test_a_placeholder_resource_inside_a_mocked_map_is_accepted(client):
    processor = {
        "StartAt": "Call",
        "States": {"Call": {"Type": "Task", "Resource": PLACEHOLDER, "End": True}},
    }
    state = {**JSONPATH_MAP, "ItemProcessor": processor}
    reply = run(client, state, input={"items": [1]}, mock={"result": [2]})
    assert (reply["status"], reply["output"]) == ("SUCCEEDED", "[2]")


@needs_test_state_2025
def test_a_placeholder_resource_of_the_tested_state_is_refused(client):
    code, text = refusal(client, {"Type": "Task", "Resource": PLACEHOLDER, "End": True}, mock={"result": {}})
    assert code == "InvalidDefinition"
    assert f"The resource provided {PLACEHOLDER} is not recognized" in text


# --- mock results against the service's response shape --------------------------------------------


def sdk_task(action: str) -> dict[str, Any]:
    return {"Type": "Task", "Resource": f"arn:aws:states:::aws-sdk:{action}", "Parameters": {}, "End": True}


@pytest.mark.parametrize("mode", ["STRICT", "PRESENT"])
@needs_test_state_2025
def test_a_blob_is_a_string(client, mode):
    mock = {"result": {"CiphertextBlob": 123}, "fieldValidationMode": mode}
    assert refusal(client, sdk_task("kms:encrypt"), mock=mock) == (
        "ValidationException",
        "Mock result schema validation error: Field 'CiphertextBlob' must be a string",
    )
    empty = {"result": {"CiphertextBlob": ""}, "fieldValidationMode": mode}
    assert refusal(client, sdk_task("kms:encrypt"), mock=empty)[1] == (
        "Mock result schema validation error: Field 'CiphertextBlob' is smaller than the minimum length"
    )


@needs_test_state_2025
def test_integers_are_held_to_the_model_range(client):
    import botocore.session

    model = botocore.session.get_session().get_service_model("lambda")
    memory = model.operation_model("GetFunction").output_shape.members["Configuration"].members["MemorySize"]
    low, high = memory.metadata["min"], memory.metadata["max"]

    def mocked(size: int) -> dict[str, Any]:
        return {"result": {"Configuration": {"MemorySize": size}}}

    assert refusal(client, sdk_task("lambda:getFunction"), mock=mocked(high + 1))[1] == (
        "Mock result schema validation error: Field 'MemorySize' exceeds the maximum value"
    )
    assert refusal(client, sdk_task("lambda:getFunction"), mock=mocked(low - 1))[1] == (
        "Mock result schema validation error: Field 'MemorySize' is less than the minimum value"
    )
    assert run(client, sdk_task("lambda:getFunction"), mock=mocked(high))["status"] == "SUCCEEDED"


# --- a real call ------------------------------------------------------------------------------------


def test_a_null_lambda_payload_is_no_payload(client):
    client.backend.register_lambda("echo", lambda event, context: event)
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName.$": "$.FunctionName", "Payload.$": "$.Payload"},
        "End": True,
    }
    reply = run(client, state, roleArn=ROLE, input={"FunctionName": "echo", "Payload": None})
    result = json.loads(reply["output"])
    assert result["Payload"] == {}
    assert result["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] == "2"


@needs_test_state_2025
def test_an_error_reads_as_awss(client):
    with pytest.raises(client.exceptions.ValidationException) as refused:
        run(client, MOCKED_TASK, input={}, context={"Map": {}}, mock={"result": {}})
    assert str(refused.value) == (
        "An error occurred (ValidationException) when calling the TestState operation: "
        "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"
    )


@needs_test_state_2025
def test_json_text_is_written_with_spaced_separators(client):
    # Every recorded TestState answer writes arrays as "[1, 4, 9]", not an execution's "[1,4,9]".
    reply = run(
        client,
        JSONPATH_MAP,
        input={"items": ["a", "b"]},
        mock={"result": [{"k": 1}, 2]},
        inspectionLevel="DEBUG",
    )
    assert reply["output"] == '[{"k": 1}, 2]'
    assert reply["inspectionData"]["afterItemsPath"] == '["a", "b"]'
