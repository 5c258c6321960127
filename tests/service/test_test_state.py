"""TestState: one state run on its own, every request field and every status, through the client."""

from __future__ import annotations

import json
from typing import Any

import pytest

import fakesfn
from tests.botocore_model import needs_test_state_2025, skip_if_sent_members_unknown

ROLE = "arn:aws:iam::123456789012:role/tester"
INVOKE = "arn:aws:states:::lambda:invoke"


@pytest.fixture
def client() -> Any:
    return fakesfn.FakeSFNClient(region_name="us-east-1", account_id="123456789012", seed=3)


def run(client: Any, state: dict[str, Any], **params: Any) -> dict[str, Any]:
    for key in ("input", "variables", "context"):
        if key in params and not isinstance(params[key], str):
            params[key] = json.dumps(params[key])
    reply = client.test_state(definition=json.dumps(state), **params)
    reply.pop("ResponseMetadata")
    return reply


def data(reply: dict[str, Any]) -> dict[str, Any]:
    """inspectionData with every JSON text decoded."""
    found = {}
    for key, value in reply["inspectionData"].items():
        found[key] = json.loads(value) if isinstance(value, str) else value
    return found


def task(**fields: Any) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": INVOKE,
        "Parameters": {"FunctionName": "f", "Payload.$": "$"},
        "End": True,
        **fields,
    }


# --- SUCCEEDED and the JSONPath pipeline ----------------------------------------------------


def test_info_level_answers_status_output_and_next_state_only(client):
    reply = run(client, {"Type": "Pass", "Result": {"k": 1}, "Next": "Later"}, input={"a": 1})
    assert reply == {"status": "SUCCEEDED", "output": '{"k": 1}', "nextState": "Later"}


@pytest.mark.parametrize("level", ["DEBUG", "TRACE"])
def test_debug_shows_every_step_of_the_pipeline(client, level):
    state = {
        "Type": "Pass",
        "InputPath": "$.inner",
        "Parameters": {"copied.$": "$.x"},
        "ResultPath": "$.out",
        "OutputPath": "$.out",
        "End": True,
    }
    reply = run(client, state, input={"inner": {"x": 5}}, inspectionLevel=level)
    assert json.loads(reply["output"]) == {"copied": 5}
    assert data(reply) == {
        "input": {"inner": {"x": 5}},
        "afterInputPath": {"x": 5},
        "afterParameters": {"copied": 5},
        "afterResultSelector": {"copied": 5},
        "afterResultPath": {"inner": {"x": 5}, "out": {"copied": 5}},
    }


def test_a_pass_with_result_shows_the_result(client):
    reply = run(
        client,
        {"Type": "Pass", "Result": [1], "ResultPath": "$.r", "End": True},
        input={},
        inspectionLevel="DEBUG",
    )
    assert data(reply) == {
        "input": {},
        "result": [1],
        "afterResultSelector": [1],
        "afterResultPath": {"r": [1]},
    }


def test_a_choice_names_the_next_state(client):
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericGreaterThan": 9, "Next": "Big"}],
        "Default": "Small",
    }
    assert run(client, state, input={"n": 10})["nextState"] == "Big"
    assert run(client, state, input={"n": 1})["nextState"] == "Small"


def test_a_wait_passes_on_virtual_time_without_moving_the_users_clock(client):
    before = client.backend.clock.now()
    reply = run(client, {"Type": "Wait", "Seconds": 86400, "End": True}, input={"w": 1})
    assert (reply["status"], reply["output"]) == ("SUCCEEDED", '{"w": 1}')
    assert client.backend.clock.now() == before


def test_succeed_and_fail(client):
    assert run(client, {"Type": "Succeed"}, input={"s": 1})["output"] == '{"s": 1}'
    failed = run(client, {"Type": "Fail", "Error": "Nope", "Cause": "because"})
    assert failed == {"status": "FAILED", "error": "Nope", "cause": "because"}


def test_a_task_calls_the_registered_lambda(client):
    client.backend.register_lambda("f", lambda event, _ctx: {"doubled": event["n"] * 2})
    reply = run(
        client,
        task(ResultSelector={"value.$": "$.Payload.doubled"}),
        input={"n": 4},
        roleArn=ROLE,
        inspectionLevel="DEBUG",
    )
    assert json.loads(reply["output"]) == {"value": 8}
    found = data(reply)
    assert found["afterParameters"] == {"FunctionName": "f", "Payload": {"n": 4}}
    assert found["result"]["Payload"] == {"doubled": 8}
    assert found["afterResultSelector"] == {"value": 8}


# --- JSONata, variables and context ------------------------------------------------------------


@needs_test_state_2025
def test_jsonata_state_sees_variables_and_reports_them(client):
    state = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": INVOKE,
        "Arguments": {"FunctionName": "f", "Payload": "{% $base %}"},
        "Output": "{% $states.result.Payload %}",
        "Assign": {"seen": "{% $states.result.Payload %}"},
        "End": True,
    }
    reply = run(
        client,
        state,
        variables={"base": 7},
        roleArn=ROLE,
        inspectionLevel="DEBUG",
        mock={"result": '{"Payload": 70}', "fieldValidationMode": "NONE"},  # a blob is a string
    )
    assert reply["output"] == "70"
    found = data(reply)
    assert found["afterArguments"] == {"FunctionName": "f", "Payload": 7}
    assert found["result"] == {"Payload": 70}
    assert found["variables"] == {"base": 7, "seen": 70}


def test_the_context_object_has_defaults(client):
    state = {
        "Type": "Pass",
        "Parameters": {
            "name.$": "$$.State.Name",
            "machine.$": "$$.StateMachine.Name",
            "role.$": "$$.Execution.RoleArn",
        },
        "End": True,
    }
    out = json.loads(run(client, state, roleArn=ROLE)["output"])
    assert out == {"name": "StateName", "machine": "TestStateMachine", "role": ROLE}


# --- whole machine with stateName ----------------------------------------------------------------


@needs_test_state_2025
def test_state_name_picks_a_state_of_a_whole_machine(client):
    machine = {
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Next": "Second"},
            "Second": {"Type": "Pass", "Result": "two", "End": True},
        },
    }
    reply = client.test_state(definition=json.dumps(machine), stateName="Second")
    assert reply["output"] == '"two"'
    with pytest.raises(client.exceptions.ValidationException):
        client.test_state(definition=json.dumps(machine), stateName="Third")


@needs_test_state_2025
def test_a_whole_machine_must_be_valid(client):
    broken = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}
    with pytest.raises(client.exceptions.InvalidDefinition):
        client.test_state(definition=json.dumps(broken), stateName="A")


# --- mocks, Retry and Catch -----------------------------------------------------------------------


@needs_test_state_2025
def test_mock_result_replaces_the_call(client):
    reply = run(client, task(), input={}, mock={"result": '{"Payload": "hi", "StatusCode": 200}'})
    assert json.loads(reply["output"]) == {"Payload": "hi", "StatusCode": 200}


@needs_test_state_2025
def test_a_matching_retrier_with_attempts_left_is_retriable(client):
    state = task(
        Retry=[
            {"ErrorEquals": ["Other"]},
            {"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3},
        ]
    )
    reply = run(
        client,
        state,
        input={},
        inspectionLevel="DEBUG",
        mock={"errorOutput": {"error": "Boom", "cause": "c"}},
        stateConfiguration={"retrierRetryCount": 2},
    )
    assert (reply["status"], reply["error"], reply["cause"]) == ("RETRIABLE", "Boom", "c")
    assert reply["inspectionData"]["errorDetails"] == {"retryIndex": 1, "retryBackoffIntervalSeconds": 18}


@needs_test_state_2025
def test_exhausted_retries_fall_to_catch_or_fail(client):
    retry = [{"ErrorEquals": ["Boom"], "MaxAttempts": 1}]
    catch = [
        {"ErrorEquals": ["Other"], "Next": "No"},
        {"ErrorEquals": ["States.ALL"], "Next": "Handler", "ResultPath": "$.err"},
    ]
    mock = {"errorOutput": {"error": "Boom", "cause": "c"}}
    caught = run(
        client,
        task(Retry=retry, Catch=catch),
        input={"a": 1},
        inspectionLevel="DEBUG",
        mock=mock,
        stateConfiguration={"retrierRetryCount": 1},
    )
    assert (caught["status"], caught["nextState"]) == ("CAUGHT_ERROR", "Handler")
    assert json.loads(caught["output"]) == {"a": 1, "err": {"Error": "Boom", "Cause": "c"}}
    assert caught["inspectionData"]["errorDetails"] == {"catchIndex": 1}
    failed = run(
        client,
        task(Retry=retry),
        input={},
        inspectionLevel="DEBUG",
        mock=mock,
        stateConfiguration={"retrierRetryCount": 1},
    )
    assert failed["status"] == "FAILED"
    assert failed["inspectionData"]["errorDetails"] == {"retryIndex": 0}


@pytest.mark.parametrize(
    ("mode", "result", "message"),
    [
        ("STRICT", '{"Payload": "1"}', None),
        (
            "PRESENT",
            '{"Payload": 1}',
            "Mock result schema validation error: Field 'Payload' must be a string",
        ),
        (
            "STRICT",
            '{"StatusCode": "200"}',
            "Mock result schema validation error: Field 'StatusCode' must be a number",
        ),
        ("NONE", '{"StatusCode": "200"}', None),
    ],
)
@needs_test_state_2025
def test_field_validation_mode(client, mode, result, message):
    mock = {"result": result, "fieldValidationMode": mode}
    if message is None:
        assert run(client, task(), mock=mock)["status"] == "SUCCEEDED"
        return
    with pytest.raises(client.exceptions.ValidationException) as refused:
        run(client, task(), mock=mock)
    assert refused.value.response["Error"]["Message"] == message


@needs_test_state_2025
def test_strict_mode_requires_required_fields(client):
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution",
        "Parameters": {"StateMachineArn": "x"},
        "End": True,
    }
    with pytest.raises(client.exceptions.ValidationException) as refused:
        run(client, state, mock={"result": "{}"})
    assert (
        refused.value.response["Error"]["Message"]
        == "Mock result schema validation error: Required field 'ExecutionArn' is missing"
    )
    assert (
        run(client, state, mock={"result": "{}", "fieldValidationMode": "PRESENT"})["status"] == "SUCCEEDED"
    )


# --- Map and Parallel (mocked) and stateConfiguration ------------------------------------------


MAP = {
    "Type": "Map",
    "ItemsPath": "$.items",
    "ToleratedFailureCount": 1,
    "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}},
    "ResultPath": "$.results",
    "End": True,
}


def test_map_and_parallel_need_a_mock(client):
    with pytest.raises(client.exceptions.InvalidDefinition) as refused:
        run(client, MAP, input={"items": [1]})
    assert "does not support Map or Parallel states" in refused.value.response["Error"]["Message"]


@needs_test_state_2025
def test_a_mocked_map(client):
    reply = run(client, MAP, input={"items": [1, 2]}, inspectionLevel="DEBUG", mock={"result": "[10, 20]"})
    assert json.loads(reply["output"]) == {"items": [1, 2], "results": [10, 20]}
    found = data(reply)
    assert found["afterItemsPath"] == [1, 2]
    assert (found["maxConcurrency"], found["toleratedFailureCount"]) == (0, 1)


@needs_test_state_2025
def test_every_iteration_input_is_shown_after_item_selector(client):
    state = {
        **MAP,
        "ItemSelector": {"at.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
        "MaxConcurrencyPath": "$.limit",
    }
    reply = run(
        client,
        state,
        input={"items": ["a", "b"], "tag": "t", "limit": 3},
        inspectionLevel="TRACE",
        mock={"result": "[]"},
    )
    found = data(reply)
    assert found["afterItemSelector"] == [
        {"at": 0, "value": "a", "tag": "t"},
        {"at": 1, "value": "b", "tag": "t"},
    ]
    assert found["maxConcurrency"] == 3
    without_selector = data(
        run(client, MAP, input={"items": [1, 2]}, inspectionLevel="DEBUG", mock={"result": "[]"})
    )
    assert "afterItemSelector" not in without_selector


@needs_test_state_2025
def test_a_jsonata_map_shows_its_items_through_the_selector(client):
    state = {
        "Type": "Map",
        "QueryLanguage": "JSONata",
        "Items": "{% $states.input.numbers %}",
        "ItemSelector": {"double": "{% $states.context.Map.Item.Value * 2 %}"},
        "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}},
        "End": True,
    }
    found = data(
        run(client, state, input={"numbers": [1, 5]}, inspectionLevel="DEBUG", mock={"result": "[]"})
    )
    assert found["afterItemSelector"] == [{"double": 2}, {"double": 10}]
    assert "afterItemsPath" not in found


def distributed(reader_config: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": reader_config,
            "Parameters": {"Bucket": "b", "Key": "k"},
        },
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Inner",
            "States": {"Inner": {"Type": "Pass", "End": True}},
        },
        "End": True,
        **fields,
    }


@needs_test_state_2025
def test_item_reader_data_is_read_as_the_object_would_be(client):
    state = distributed(
        {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 3},
        ItemSelector={"row.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"source.$": "$.source"}},
        ToleratedFailureCountPath="$.tolerated",
    )
    reply = run(
        client,
        state,
        input={"source": "s3", "tolerated": 1},
        inspectionLevel="DEBUG",
        mock={"result": "[]"},
        stateConfiguration={"mapItemReaderData": "id,name\n1,ann\n2,bob\n3,cy\n4,dee\n"},
    )
    found = data(reply)
    rows = [{"id": "1", "name": "ann"}, {"id": "2", "name": "bob"}, {"id": "3", "name": "cy"}]
    assert found["afterItemSelector"] == [{"row": row, "index": index} for index, row in enumerate(rows)]
    assert found["afterItemBatcher"] == [
        {"BatchInput": {"source": "s3"}, "Items": found["afterItemSelector"][:2]},
        {"BatchInput": {"source": "s3"}, "Items": found["afterItemSelector"][2:]},
    ]
    assert found["toleratedFailureCount"] == 1
    assert "afterItemsPointer" not in found


@needs_test_state_2025
def test_items_pointer_picks_the_array_in_json_reader_data(client):
    state = distributed({"InputType": "JSON", "ItemsPointer": "/data/items"})
    reply = run(
        client,
        state,
        inspectionLevel="DEBUG",
        mock={"result": "[]"},
        stateConfiguration={"mapItemReaderData": json.dumps({"data": {"items": [{"n": 1}, {"n": 2}]}})},
    )
    found = data(reply)
    assert found["afterItemsPointer"] == [{"n": 1}, {"n": 2}]
    assert "afterItemSelector" not in found


@needs_test_state_2025
def test_reader_data_the_reader_cannot_read_fails_the_state(client):
    reply = run(
        client,
        distributed({"InputType": "JSON"}),
        mock={"result": "[]"},
        stateConfiguration={"mapItemReaderData": '{"not": "a list"}'},
    )
    assert (reply["status"], reply["error"]) == ("FAILED", "States.ItemReaderFailed")


@needs_test_state_2025
def test_reader_data_needs_a_map_with_an_item_reader(client):
    with pytest.raises(client.exceptions.ValidationException) as refused:
        run(
            client,
            MAP,
            input={"items": []},
            mock={"result": "[]"},
            stateConfiguration={"mapItemReaderData": "[]"},
        )
    assert "ItemReader" in refused.value.response["Error"]["Message"]


@needs_test_state_2025
def test_map_iteration_failures_beyond_tolerance(client):
    reply = run(
        client,
        MAP,
        input={"items": [1, 2, 3]},
        mock={"result": "[1, 2, 3]"},
        stateConfiguration={"mapIterationFailureCount": 2, "errorCausedByState": "Inner"},
    )
    assert (reply["status"], reply["error"]) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    within = run(
        client,
        MAP,
        input={"items": [1, 2, 3]},
        mock={"result": "[1, 2, 3]"},
        stateConfiguration={"mapIterationFailureCount": 1},
    )
    assert within["status"] == "SUCCEEDED"


@needs_test_state_2025
def test_a_mocked_parallel_must_match_its_branches(client):
    branch = {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
    state = {"Type": "Parallel", "Branches": [branch, branch], "End": True}
    assert json.loads(run(client, state, mock={"result": "[1, 2]"})["output"]) == [1, 2]
    with pytest.raises(client.exceptions.ValidationException):
        run(client, state, mock={"result": "[1]"})
    with pytest.raises(client.exceptions.ValidationException):
        run(client, state, mock={"result": "{}"})


@needs_test_state_2025
def test_error_caused_by_state_must_be_inside(client):
    with pytest.raises(client.exceptions.ValidationException):
        run(
            client,
            MAP,
            input={"items": []},
            mock={"errorOutput": {"error": "E"}},
            stateConfiguration={"errorCausedByState": "Nope"},
        )


# --- request validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "params", "error", "message"),
    [
        (task(), {}, "ValidationException", "RoleArn must be specified when testing a Task state"),
        (
            {"Type": "Pass", "End": True},
            {"mock": {"result": "1"}},
            "ValidationException",
            "State type 'Pass' is not supported when a mock is specified",
        ),
        (
            task(),
            {"mock": {"result": "1", "errorOutput": {"error": "E"}}},
            "ValidationException",
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ),
        (
            task(),
            {"mock": {"result": "{}"}, "revealSecrets": True},
            "ValidationException",
            "TestState does not support RevealSecrets when a mock is specified.",
        ),
        ({"Type": "Pass", "End": True}, {"input": "{nope"}, "InvalidExecutionInput", None),
        ({"Type": "Nope"}, {}, "InvalidDefinition", None),
        (
            {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True},
            {"roleArn": ROLE},
            "ValidationException",
            None,
        ),
    ],
)
def test_refusals(client, state, params, error, message):
    skip_if_sent_members_unknown(params)
    with pytest.raises(getattr(client.exceptions, error)) as refused:
        client.test_state(definition=json.dumps(state), **params)
    if message is not None:
        assert refused.value.response["Error"]["Message"] == message


def test_a_lone_state_may_name_a_next_that_is_not_there(client):
    assert run(client, {"Type": "Pass", "Next": "Elsewhere"})["nextState"] == "Elsewhere"


def test_test_state_leaves_no_execution_behind(client):
    run(client, {"Type": "Pass", "End": True})
    assert client.list_state_machines()["stateMachines"] == []
