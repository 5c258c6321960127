"""Pass, Wait, Succeed, Fail and Choice through the client API."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import history


def machine(states, start="A", **top):
    return {"StartAt": start, "States": states, **top}


def test_pass_result_and_result_path(run):
    ran = run(
        machine({"A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "End": True}}), {"in": True}
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"in": True, "r": {"x": 1}}
    assert ran.types == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_pass_without_result_passes_input_through_parameters(run):
    definition = machine(
        {
            "A": {
                "Type": "Pass",
                "InputPath": "$.a",
                "Parameters": {"v.$": "$.b", "const": [1, {"k.$": "$.b"}]},
                "End": True,
            }
        }
    )
    assert run(definition, {"a": {"b": 7}}).output == {"v": 7, "const": [1, {"k": 7}]}


def test_result_path_null_discards_result_and_output_path_selects(run):
    definition = machine(
        {"A": {"Type": "Pass", "Result": 1, "ResultPath": None, "OutputPath": "$.keep", "End": True}}
    )
    assert run(definition, {"keep": {"z": 1}, "drop": 2}).output == {"z": 1}


def test_input_path_null_gives_empty_object(run):
    assert run(machine({"A": {"Type": "Pass", "InputPath": None, "End": True}}), {"a": 1}).output == {}


def test_missing_input_path_is_a_runtime_error_with_aws_wording(run):
    ran = run(machine({"A": {"Type": "Pass", "InputPath": "$.nope", "End": True}}), {"a": 1})
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"] == (
        "An error occurred while executing the state 'A' (entered at the event id #2). "
        "Invalid path '$.nope' : No results for path: $['nope']"
    )


def test_missing_parameter_path_names_the_field(run):
    ran = run(machine({"A": {"Type": "Pass", "Parameters": {"value.$": "$.missing"}, "End": True}}), {"a": 1})
    assert ran.describe["cause"].endswith(
        "The JSONPath '$.missing' specified for the field 'value.$' "
        "could not be found in the input '{\"a\":1}'"
    )


def test_wait_seconds_uses_virtual_time(run, sfn, sfn_backend):
    ran = run(machine({"A": {"Type": "Wait", "Seconds": 86400, "End": True}}), {"x": 1}, settle=False)
    assert ran.status == "RUNNING"
    sfn_backend.advance(86399)
    assert sfn.describe_execution(executionArn=ran.arn)["status"] == "RUNNING"
    sfn_backend.advance(1)
    described = sfn.describe_execution(executionArn=ran.arn)
    assert described["status"] == "SUCCEEDED"
    assert described["stopDate"] - described["startDate"] == dt.timedelta(days=1)
    events = history(sfn, ran.arn)
    assert events[-2]["type"] == "WaitStateExited"
    assert events[-2]["timestamp"] - events[1]["timestamp"] == dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("field", "value", "expected_seconds"),
    [
        ("SecondsPath", {"s": 30}, 30),
        ("TimestampPath", {"s": "2024-01-01T00:05:00Z"}, 300),
        ("TimestampPath", {"s": "2024-01-01T01:05:00+01:00"}, 300),
    ],
)
def test_wait_paths(run, sfn, field, value, expected_seconds):
    ran = run(machine({"A": {"Type": "Wait", field: "$.s", "End": True}}), value)
    assert ran.status == "SUCCEEDED"
    assert (ran.events[-1]["timestamp"] - ran.events[0]["timestamp"]).total_seconds() == expected_seconds


def test_wait_timestamp_in_the_past_does_not_wait(run):
    ran = run(machine({"A": {"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z", "End": True}}))
    assert ran.status == "SUCCEEDED"
    assert ran.events[-1]["timestamp"] == ran.events[0]["timestamp"]


def test_wait_seconds_path_not_found(run):
    ran = run(machine({"A": {"Type": "Wait", "SecondsPath": "$.missing", "End": True}}), {})
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"].endswith(
        "The SecondsPath parameter does not reference an input value: $.missing"
    )


def test_succeed_and_fail(run):
    ok = run(machine({"A": {"Type": "Succeed", "OutputPath": "$.v"}}), {"v": 3})
    assert ok.output == 3
    assert ok.types[-2] == "SucceedStateExited"
    failed = run(machine({"A": {"Type": "Fail", "Error": "Boom", "Cause": "because"}}))
    assert (failed.status, failed.describe["error"], failed.describe["cause"]) == (
        "FAILED",
        "Boom",
        "because",
    )
    assert failed.types == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]


def test_fail_error_path_and_cause_path(run):
    definition = machine(
        {"A": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('n={}', $.n)"}}
    )
    failed = run(definition, {"e": "Custom", "n": 4})
    assert (failed.describe["error"], failed.describe["cause"]) == ("Custom", "n=4")


def test_choice_routes_and_defaults(run):
    definition = machine(
        {
            "A": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
                    {
                        "And": [
                            {"Variable": "$.s", "IsPresent": True},
                            {"Variable": "$.s", "StringMatches": "a*"},
                        ],
                        "Next": "A2",
                    },
                ],
                "Default": "Other",
            },
            "Big": {"Type": "Pass", "Result": "big", "End": True},
            "A2": {"Type": "Pass", "Result": "a", "End": True},
            "Other": {"Type": "Pass", "Result": "other", "End": True},
        }
    )
    assert run(definition, {"n": 11}).output == "big"
    assert run(definition, {"n": 1, "s": "abc"}).output == "a"
    assert run(definition, {"n": 1}).output == "other"


def test_choice_without_match_or_default_fails(run):
    definition = machine(
        {
            "A": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "B"}]},
            "B": {"Type": "Succeed"},
        }
    )
    ran = run(definition, {"n": 2})
    assert ran.describe["error"] == "States.NoChoiceMatched"


def test_context_object_in_parameters(run):
    definition = machine(
        {
            "A": {
                "Type": "Pass",
                "Parameters": {
                    "name.$": "$$.State.Name",
                    "input.$": "$$.Execution.Input",
                    "time.$": "$$.State.EnteredTime",
                },
                "End": True,
            }
        }
    )
    out = run(definition, {"k": 1}).output
    assert out == {"name": "A", "input": {"k": 1}, "time": "2024-01-01T00:00:00.000Z"}
