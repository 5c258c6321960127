"""Mocked task results: the Python API and Step Functions Local's mock configuration."""

from __future__ import annotations

import json

import pytest

from fakesfn import StatesError
from fakesfn.integrations.mocks import MockConfigError, MockSideEffectError, split_test_case
from tests.integrations.helpers import create, event, read, start, task_machine

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:charge"
INVOKE = "arn:aws:states:::lambda:invoke"


def two_steps():
    return {
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task",
                "Resource": INVOKE,
                "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                "Retry": [{"ErrorEquals": ["Card.Busy"], "IntervalSeconds": 1, "MaxAttempts": 3}],
                "Catch": [{"ErrorEquals": ["Card.Declined"], "ResultPath": "$.declined", "Next": "Notify"}],
                "ResultSelector": {"paid.$": "$.Payload.paid"},
                "ResultPath": "$.charge",
                "Next": "Notify",
            },
            "Notify": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "Parameters": {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                    "MessageBody.$": "$",
                },
                "ResultPath": None,
                "End": True,
            },
        },
    }


def test_returns_replaces_the_call_and_records_the_resource_events(sfn, sfn_backend):
    charge = sfn_backend.mocks.state("Charge").returns({"Payload": {"paid": 10}, "StatusCode": 200})
    notify = sfn_backend.mocks.state("Notify").returns({"MessageId": "m-1"})
    ran = read(sfn, start(sfn, create(sfn, two_steps()), {"amount": 10}))
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"amount": 10, "charge": {"paid": 10}}
    assert ran.types.count("TaskScheduled") == 2
    assert (charge.called, charge.call_count, notify.call_count) == (True, 1, 1)
    assert charge.calls[0].input == {"FunctionName": "charge", "Payload": {"amount": 10}}
    assert charge.calls[0].invocation == 0
    sfn_backend.mocks.assert_all_called()


def test_raises_goes_through_catch(sfn, sfn_backend):
    sfn_backend.mocks.state("Charge").raises("Card.Declined", "expired")
    sfn_backend.mocks.state("Notify").returns({})
    ran = read(sfn, start(sfn, create(sfn, two_steps()), {"amount": 1}))
    assert ran.output["declined"] == {"Error": "Card.Declined", "Cause": "expired"}
    assert event(ran, "TaskFailed")["taskFailedEventDetails"]["error"] == "Card.Declined"


def test_side_effect_sequence_drives_retries(sfn, sfn_backend):
    busy = StatesError("Card.Busy", "try later")
    charge = sfn_backend.mocks.state("Charge").side_effect([busy, busy, {"Payload": {"paid": 3}}])
    sfn_backend.mocks.state("Notify").returns({})
    execution = start(sfn, create(sfn, two_steps()), {"amount": 3})
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.output["charge"] == {"paid": 3}
    assert [call.invocation for call in charge.calls] == [0, 1, 2]


def test_side_effect_callable_sees_each_call(sfn, sfn_backend):
    def pay(call):
        if call.input["Payload"]["amount"] > 100:
            raise StatesError("Card.Declined", "too much")
        return {"Payload": {"paid": call.input["Payload"]["amount"]}}

    sfn_backend.mocks.state("Charge").side_effect(pay)
    sfn_backend.mocks.state("Notify").returns({})
    machine = create(sfn, two_steps())
    assert read(sfn, start(sfn, machine, {"amount": 5})).output["charge"] == {"paid": 5}
    assert "declined" in read(sfn, start(sfn, machine, {"amount": 500})).output


def test_machine_specific_mock_wins(sfn, sfn_backend):
    sfn_backend.mocks.state("Work").returns("anywhere")
    sfn_backend.mocks.state("Work", machine="special").returns("special")
    definition = task_machine(FUNCTION)
    assert read(sfn, start(sfn, create(sfn, definition, name="special"))).output == "special"
    assert read(sfn, start(sfn, create(sfn, definition, name="plain"))).output == "anywhere"


def test_assert_all_called_names_the_idle_states(sfn_backend):
    sfn_backend.mocks.state("Never").returns(1)
    with pytest.raises(AssertionError, match="Never"):
        sfn_backend.mocks.assert_all_called()


def test_mock_without_outcome_is_a_usage_error(sfn, sfn_backend):
    sfn_backend.mocks.state("Work")
    with pytest.raises(MockConfigError):
        start(sfn, create(sfn, task_machine(FUNCTION)))


def test_mocked_lambda_function_records_lambda_events(sfn, sfn_backend):
    sfn_backend.mocks.state("Work").returns({"ok": True})
    ran = read(sfn, start(sfn, create(sfn, task_machine(FUNCTION))))
    assert ran.types[2:5] == ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded"]


def test_mocked_activity_records_activity_events(sfn, sfn_backend):
    activity = sfn.create_activity(name="review")["activityArn"]
    sfn_backend.mocks.state("Work").returns({"approved": True})
    ran = read(sfn, start(sfn, create(sfn, task_machine(activity))))
    assert ran.output == {"approved": True}
    assert ran.types[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]


def test_mocked_callback_returns_at_once_with_a_token_in_its_input(sfn, sfn_backend):
    parameters = {"FunctionName": "x", "Payload": {"token.$": "$$.Task.Token"}}
    route = sfn_backend.mocks.state("Work").returns("called back")
    ran = read(
        sfn, start(sfn, create(sfn, task_machine(INVOKE + ".waitForTaskToken", Parameters=parameters)))
    )
    assert ran.output == "called back"
    assert route.calls[0].input["Payload"]["token"].startswith("AQ")


def test_mocked_sync_job(sfn, sfn_backend):
    sfn_backend.mocks.state("Work").returns({"JobRunState": "SUCCEEDED"})
    definition = task_machine("arn:aws:states:::glue:startJobRun.sync", Parameters={"JobName": "etl"})
    assert read(sfn, start(sfn, create(sfn, definition))).output == {"JobRunState": "SUCCEEDED"}


CONFIG = {
    "StateMachines": {
        "checkout": {
            "TestCases": {
                "HappyPath": {"Charge": "ChargeOk", "Notify": "Sent"},
                "BusyThenOk": {"Charge": "ChargeBusyTwice", "Notify": "Sent"},
                "Declined": {"Charge": "ChargeDeclined", "Notify": "Sent"},
            }
        }
    },
    "MockedResponses": {
        "ChargeOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"paid": 1}}}},
        "ChargeBusyTwice": {
            "0-1": {"Throw": {"Error": "Card.Busy", "Cause": "later"}},
            "2": {"Return": {"Payload": {"paid": 2}}},
        },
        "ChargeDeclined": {"0": {"Throw": {"Error": "Card.Declined", "Cause": "no"}}},
        "Sent": {"0": {"Return": {"MessageId": "1"}}},
    },
}


@pytest.fixture
def checkout(sfn, sfn_backend):
    sfn_backend.mocks.load_config(CONFIG)
    return create(sfn, two_steps(), name="checkout")


@pytest.mark.parametrize(
    ("case", "expected"),
    [("HappyPath", {"paid": 1}), ("BusyThenOk", {"paid": 2})],
)
def test_config_test_case_is_picked_by_arn_suffix(sfn, checkout, case, expected):
    execution = start(sfn, f"{checkout}#{case}", {"amount": 1})
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.output["charge"] == expected
    assert execution.startswith(checkout.replace(":stateMachine:", ":execution:") + ":")


def test_config_throw_is_caught(sfn, checkout):
    ran = read(sfn, start(sfn, f"{checkout}#Declined", {"amount": 1}))
    assert ran.output["declined"] == {"Error": "Card.Declined", "Cause": "no"}


ONCE = {
    "StateMachines": {"loop": {"TestCases": {"T": {"Work": "Once"}}}},
    "MockedResponses": {"Once": {"0": {"Return": 7}}},
}
LOOP = {
    "StartAt": "Items",
    "States": {
        "Items": {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "StartAt": "Work",
                "States": {"Work": {"Type": "Task", "Resource": FUNCTION, "End": True}},
            },
            "End": True,
        }
    },
}


def test_config_fails_the_execution_past_the_last_response_as_aws_documents(sfn, sfn_backend):
    sfn_backend.mocks.load_config(ONCE)
    machine = create(sfn, LOOP, name="loop")
    ran = read(sfn, start(sfn, f"{machine}#T", [1, 2, 3]))
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"] == (
        "The mocked response 'Once' for state 'Work' of test case 'T' has no entry for invocation 1: "
        "it defines invocations 0 to 0. Specify a mocked response for every invocation."
    )
    # The first invocation ran its mock; the second was never scheduled.
    assert ran.types.count("LambdaFunctionScheduled") == 1
    assert ran.types.count("LambdaFunctionSucceeded") == 1
    assert ran.types[-1] == "ExecutionFailed"


def test_config_past_the_last_response_is_not_caught_by_states_all(sfn, sfn_backend):
    sfn_backend.mocks.load_config(
        {
            "StateMachines": {"retry": {"TestCases": {"T": {"Work": "Busy"}}}},
            "MockedResponses": {"Busy": {"0": {"Throw": {"Error": "Busy", "Cause": "later"}}}},
        }
    )
    definition = {
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": FUNCTION,
                "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 3}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Succeed"},
        },
    }
    machine = create(sfn, definition, name="retry")
    execution = start(sfn, f"{machine}#T", {})
    sfn_backend.settle()
    ran = read(sfn, execution)
    assert (ran.status, ran.describe["error"]) == ("FAILED", "States.Runtime")


def test_config_can_repeat_the_last_response_when_asked(sfn, sfn_backend):
    sfn_backend.mocks.load_config(ONCE, repeat_last=True)
    machine = create(sfn, LOOP, name="loop")
    assert read(sfn, start(sfn, f"{machine}#T", [1, 2, 3])).output == [7, 7, 7]


def test_config_from_a_file_and_sync_execution(sfn, sfn_backend, tmp_path):
    config = {
        "StateMachines": {"fast": {"TestCases": {"Ok": {"Work": "Done"}}}},
        "MockedResponses": {"Done": {"0": {"Return": {"from": "file"}}}},
    }
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps(config))
    sfn_backend.mocks.load_config(path)
    machine = create(sfn, task_machine(FUNCTION), name="fast", machine_type="EXPRESS")
    reply = sfn.start_sync_execution(stateMachineArn=f"{machine}#Ok", input="{}")
    assert (reply["status"], json.loads(reply["output"])) == ("SUCCEEDED", {"from": "file"})


def test_without_a_test_case_nothing_is_mocked(sfn, checkout):
    ran = read(sfn, start(sfn, checkout, {"amount": 1}))
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "Lambda.ResourceNotFoundException"


def test_hash_suffix_without_a_config_is_an_invalid_arn(sfn):
    machine = create(sfn, task_machine(FUNCTION))
    with pytest.raises(sfn.exceptions.ClientError):
        sfn.start_execution(stateMachineArn=f"{machine}#Case")


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ({"R": {"1": {"Return": 1}}}, "consecutively"),
        ({"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}, "exactly one"),
        ({"R": {"0": {"Throw": {"Cause": "c"}}}}, "Error"),
        ({"R": {"x-y": {"Return": 1}}}, "invalid invocation range"),
        ({"R": {"3-1": {"Return": 1}}}, "invalid invocation range"),
    ],
)
def test_config_mistakes_are_reported(sfn_backend, responses, message):
    config = {"StateMachines": {"m": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": responses}
    with pytest.raises(MockConfigError, match=message):
        sfn_backend.mocks.load_config(config)


def _nested(depth):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def test_mocked_results_at_the_nesting_limit_are_returned(sfn, sfn_backend, tmp_path):
    config = {
        "StateMachines": {"deep": {"TestCases": {"T": {"Work": "Deep"}}}},
        "MockedResponses": {"Deep": {"0": {"Return": _nested(200)}}},
    }
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps(config))
    sfn_backend.mocks.load_config(path)
    machine = create(sfn, task_machine(FUNCTION), name="deep", machine_type="EXPRESS")
    reply = sfn.start_sync_execution(stateMachineArn=f"{machine}#T", input="{}")
    assert (reply["status"], json.loads(reply["output"])) == ("SUCCEEDED", _nested(200))


@pytest.mark.parametrize("depth", [201, 396])
def test_a_mocked_result_past_the_limit_fails_its_task_as_a_data_limit(sfn, sfn_backend, tmp_path, depth):
    path = tmp_path / "MockConfigFile.json"
    path.write_text(_deep_text(depth))  # the file nests depth + 4 levels: within its own bound
    sfn_backend.mocks.load_config(path)
    machine = create(sfn, task_machine(FUNCTION), name="m", machine_type="EXPRESS")
    reply = sfn.start_sync_execution(stateMachineArn=f"{machine}#T", input="{}")
    assert (reply["status"], reply["error"]) == ("FAILED", "States.DataLimitExceeded")


@pytest.mark.parametrize("depth", [397, 5_000, 100_000])
def test_a_configuration_file_nested_past_its_bound_is_refused_on_every_python(sfn_backend, tmp_path, depth):
    path = tmp_path / "MockConfigFile.json"
    path.write_text(_deep_text(depth))
    with pytest.raises(MockConfigError, match=f"nests {depth + 4} levels deep, more than the 400"):
        sfn_backend.mocks.load_config(path)


def test_a_mocked_result_of_any_depth_is_returned_without_recursion(sfn, sfn_backend):
    # returns() of a value far past the limit: the task fails, the fake does not recurse
    sfn_backend.mocks.state("Work").returns(_nested(100_000))
    machine = create(sfn, task_machine(FUNCTION), name="m", machine_type="EXPRESS")
    reply = sfn.start_sync_execution(stateMachineArn=machine, input="{}")
    assert (reply["status"], reply["error"]) == ("FAILED", "States.DataLimitExceeded")


def _deep_text(depth):
    """A configuration whose one response returns ``depth`` nested lists, as a text."""
    machines = '{"m": {"TestCases": {"T": {"Work": "R"}}}}'
    response = '{"0": {"Return": ' + "[" * depth + "1" + "]" * depth + "}}"
    return '{"StateMachines": ' + machines + ', "MockedResponses": {"R": ' + response + "}}"


def test_config_naming_an_unknown_response_is_reported(sfn_backend):
    config = {"StateMachines": {"m": {"TestCases": {"T": {"S": "Missing"}}}}, "MockedResponses": {}}
    with pytest.raises(MockConfigError, match="Missing"):
        sfn_backend.mocks.load_config(config)


def test_split_test_case():
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m"
    assert split_test_case(f"{arn}#Happy") == (arn, "Happy")
    assert split_test_case(arn) == (arn, None)


def test_reset_forgets_routes_and_config(sfn, sfn_backend):
    sfn_backend.mocks.state("Work").returns(1)
    sfn_backend.mocks.reset()
    sfn_backend.mocks.assert_all_called()
    assert sfn_backend.mocks.config is None


def test_a_mock_error_fails_the_execution_before_it_escapes(sfn, sfn_backend):
    sfn_backend.mocks.state("Work")
    machine = create(sfn, task_machine(FUNCTION))
    with pytest.raises(MockConfigError):
        start(sfn, machine)
    (listed,) = sfn.list_executions(stateMachineArn=machine)["executions"]
    described = sfn.describe_execution(executionArn=listed["executionArn"])
    assert (described["status"], described["error"]) == ("FAILED", "States.Runtime")
    assert "MockConfigError" in described["cause"]


def test_a_side_effect_that_raises_is_the_callers_error(sfn, sfn_backend):
    def broken(call):
        raise KeyError("oops")

    sfn_backend.mocks.state("Work").side_effect(broken)
    with pytest.raises(MockSideEffectError, match="raised KeyError") as caught:
        start(sfn, create(sfn, task_machine(FUNCTION)))
    assert isinstance(caught.value.__cause__, KeyError)


def test_a_side_effect_sequence_that_runs_out_is_a_usage_error(sfn, sfn_backend):
    sfn_backend.mocks.state("Work").side_effect([{"Payload": 1}])
    machine = create(sfn, task_machine(FUNCTION))
    start(sfn, machine)
    with pytest.raises(MockConfigError, match="ran out"):
        start(sfn, machine)
