"""Failures worded and handled as AWS recorded them.

Each expectation below comes from an execution recorded on AWS (LocalStack's
AWS-validated snapshots, named in each test) or from AWS's documentation: which
errors Retry and Catch can see, and the exact cause text users snapshot.
"""

from __future__ import annotations

import pytest

from tests.engine.helpers import jsonata, jsonpath, refusal

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:identity"
PREFIX = "An error occurred while executing the state '{}' (entered at the event id #2). "


@pytest.fixture
def identity(sfn_backend):
    sfn_backend.register_lambda("identity", lambda event, context: event)
    return sfn_backend


def _task(**fields):
    return {"Type": "Task", "Resource": FUNCTION, **fields}


# --- States.Runtime is neither retried nor caught ------------------------------------------------


@pytest.mark.parametrize("names", [["States.Runtime"], ["States.ALL"], ["States.Runtime", "States.Timeout"]])
def test_a_runtime_error_from_output_path_is_never_caught(run, identity, names):
    # LocalStack's test_catch_states_runtime (recorded 2023-11-23): a Catcher on
    # ["States.Runtime"] leaves the execution failing.
    ran = run(
        jsonpath(
            {
                "RaiseRuntime": _task(
                    OutputPath="$.no.such.result.path",
                    Catch=[{"ErrorEquals": names, "Next": "Caught"}],
                    Next="Final",
                ),
                "Caught": {"Type": "Pass", "End": True},
                "Final": {"Type": "Pass", "End": True},
            }
        ),
        {},
    )
    assert ran.status == "FAILED"
    assert ran.describe["error"] == "States.Runtime"
    assert ran.describe["cause"] == PREFIX.format("RaiseRuntime") + (
        "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
    )
    assert ran.types[-2:] == ["LambdaFunctionSucceeded", "ExecutionFailed"]


def test_a_runtime_error_is_not_retried(run, identity):
    ran = run(
        jsonpath(
            {
                "T": _task(
                    OutputPath="$.missing",
                    Retry=[
                        {"ErrorEquals": ["States.Runtime"], "MaxAttempts": 3},
                        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 3},
                    ],
                    End=True,
                )
            }
        ),
        {},
    )
    assert ran.types.count("LambdaFunctionScheduled") == 1
    assert (
        ran.describe["cause"]
        == PREFIX.format("T") + "Invalid path '$.missing' : No results for path: $['missing']"
    )


def test_a_result_path_mismatch_is_still_caught(run, identity):
    ran = run(
        jsonpath(
            {
                "T": _task(
                    ResultPath="$.a.b", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "C"}], End=True
                ),
                "C": {"Type": "Pass", "End": True},
            }
        ),
        {"a": "text"},
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["Error"] == "States.ResultPathMatchFailure"


# --- how an invalid *Path value is quoted ------------------------------------------------------


def _distributed(**fields):
    return {
        "Type": "Map",
        "ItemsPath": "$.Items",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "End": True}},
        },
        "End": True,
        **fields,
    }


@pytest.mark.parametrize(
    ("value", "shown"), [({}, '"{}"'), ("NoNumber", '"NoNumber"'), (1.5, '"1.5"'), ([1], '"[1]"')]
)
def test_an_invalid_max_concurrency_path_value_is_quoted(run, value, shown):
    # LocalStack's test_max_concurrency_path[{}] and [NoNumber] (recorded 2024-06-19).
    ran = run(
        jsonpath(
            {
                "MapState": {
                    "Type": "Map",
                    "ItemsPath": "$.Values",
                    "MaxConcurrencyPath": "$.MaxConcurrencyValue",
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                    "End": True,
                }
            }
        ),
        {"MaxConcurrencyValue": value, "Values": ["HelloWorld"]},
    )
    assert ran.describe["cause"] == PREFIX.format("MapState") + (
        f"The MaxConcurrencyPath field refers to value {shown} which is not a valid integer: "
        "$.MaxConcurrencyValue"
    )


@pytest.mark.parametrize(
    ("field", "value", "detail"),
    [
        (
            "ToleratedFailureCountPath",
            {},
            'The ToleratedFailureCountPath field refers to value "{}" which is not a valid integer: '
            "$.Tolerance",
        ),
        ("ToleratedFailureCountPath", -1, "ToleratedFailureCount cannot be negative."),
        (
            "ToleratedFailurePercentagePath",
            {},
            'The ToleratedFailurePercentagePath field refers to value "{}" which is not a valid float: '
            "$.Tolerance",
        ),
        ("ToleratedFailurePercentagePath", 100.1, "ToleratedFailurePercentage must be between 0 and 100."),
    ],
)
def test_invalid_tolerated_failure_paths(run, field, value, detail):
    # LocalStack's test_map_state_tolerated_failure_count_path / _percentage_path (2024-06-19).
    ran = run(
        jsonpath({"MapState": _distributed(**{field: "$.Tolerance"})}), {"Items": [0], "Tolerance": value}
    )
    assert (ran.describe["error"], ran.describe["cause"]) == (
        "States.Runtime",
        PREFIX.format("MapState") + detail,
    )


@pytest.mark.parametrize("seconds", [1.5, -1.5])
def test_a_fractional_seconds_path_cannot_be_parsed_as_a_long(run, seconds):
    # LocalStack's test_base_wait_seconds_path[1.5] and [-1.5] (recorded 2024-03-22).
    ran = run(
        jsonpath({"WaitState": {"Type": "Wait", "SecondsPath": "$.input.waitSeconds", "End": True}}),
        {"input": {"waitSeconds": seconds}},
    )
    assert ran.describe["cause"] == PREFIX.format("WaitState") + (
        f"The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == {seconds}"
    )


# --- timestamps ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        "2016-12-05 21:29:29Z",
        "2016-12-05T21:29:29",
        "2016-13-05T21:29:29Z",
        "2016-12-05T25:29:29Z",
        "05-12-2016T21:29:29Z",
        "{% '2016-03-14T01:59:00Z' %}",
    ],
)
def test_a_wait_timestamp_literal_must_be_rfc3339(sfn, literal):
    # LocalStack's test_wait_timestamp_invalid (recorded 2024-12-27).
    message = refusal(sfn, jsonpath({"WaitUntil": {"Type": "Wait", "Timestamp": literal, "End": True}}))
    assert message == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
        "String does not match RFC3339 timestamp at /States/WaitUntil/Timestamp'"
    )


def test_a_nanosecond_wait_timestamp_is_accepted(run):
    ran = run(jsonpath({"W": {"Type": "Wait", "Timestamp": "2016-03-05T21:29:29.243167252Z", "End": True}}))
    assert ran.status == "SUCCEEDED"


def test_a_jsonata_timestamp_that_is_no_timestamp(run):
    # LocalStack's test_wait_timestamp_jsonata[NO_Z] (recorded 2024-12-27).
    ran = run(
        jsonata(
            {"WaitState": {"Type": "Wait", "Timestamp": "{% $states.input.TimestampValue %}", "End": True}}
        ),
        {"TimestampValue": "2016-12-05T21:29:29"},
    )
    cause = PREFIX.format("WaitState") + (
        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "
        "2016-12-05T21:29:29"
    )
    assert ran.details("EvaluationFailed") == [
        {
            "cause": cause,
            "error": "States.QueryEvaluationError",
            "location": "Timestamp",
            "state": "WaitState",
        }
    ]
    assert (ran.describe["error"], ran.describe["cause"]) == ("States.QueryEvaluationError", cause)
    # The Wait evaluates its Timestamp in a step after WaitStateEntered: the EvaluationFailed
    # event follows it (recorded), where a field evaluated on entry links to the event before.
    assert [(e["id"], e["previousEventId"], e["type"]) for e in ran.events] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "WaitStateEntered"),
        (3, 2, "EvaluationFailed"),
        (4, 3, "ExecutionFailed"),
    ]


def test_a_wait_after_another_state_links_its_evaluation_failure_to_its_own_entry(run):
    ran = run(
        jsonata(
            {
                "First": {"Type": "Pass", "Next": "WaitState"},
                "WaitState": {"Type": "Wait", "Seconds": "{% $states.input.missing %}", "End": True},
            }
        ),
        {},
    )
    links = {e["type"]: (e["id"], e["previousEventId"]) for e in ran.events}
    assert links["EvaluationFailed"][1] == links["WaitStateEntered"][0]
    assert links["ExecutionFailed"][1] == links["EvaluationFailed"][0]


def test_a_field_evaluated_on_entry_links_its_failure_to_the_event_before_the_entry(run):
    # LocalStack's test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES] (2024-11-21).
    ran = run(
        jsonata(
            {
                "First": {"Type": "Pass", "Next": "Second"},
                "Second": {"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"}, "End": True},
            }
        ),
        {},
    )
    links = {
        e["type"]: (e["id"], e["previousEventId"]) for e in ran.events if e["type"] != "PassStateEntered"
    }
    assert links["EvaluationFailed"][1] == links["PassStateExited"][0]


# --- definitions AWS refuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        r"""States.StringToJson('{"text":"An \"escaped double quote\" here"}')""",
        r"""States.Format('He said, \"Hello, {}!\"', 'Test \"Name\" Here')""",
    ],
)
def test_an_intrinsic_string_with_an_illegal_escape_is_refused(sfn, call):
    # LocalStack's test_illegal_escapes (recorded 2025-02-02).
    message = refusal(
        sfn, jsonpath({"IntrinsicEscape": {"Type": "Pass", "Parameters": {"parsed.$": call}, "End": True}})
    )
    assert message == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'parsed.$' "
        "must be a valid JSONPath or a valid intrinsic function call at /States/IntrinsicEscape/Parameters'"
    )


# --- a Map whose items are not an array -------------------------------------------------------


@pytest.mark.parametrize(("items", "shown"), [(1, "1"), ({"foo": "bar"}, '{"foo":"bar"}'), (None, "null")])
def test_a_jsonata_map_over_no_array_records_an_evaluation_failure(run, items, shown):
    # LocalStack's test_map_state_items_input_types (recorded 2024-11-19).
    ran = run(
        jsonata(
            {
                "Start": {"Type": "Pass", "Output": "{% $states.input.items %}", "Next": "MapIterateState"},
                "MapIterateState": {
                    "Type": "Map",
                    "MaxConcurrency": 1,
                    "ItemProcessor": {"StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "End": True}}},
                    "End": True,
                },
            }
        ),
        {"items": items},
    )
    cause = (
        PREFIX.replace("#2", "#4").format("MapIterateState")
        + f"Map state input must be an array but was: {shown}"
    )
    assert ran.types[3:] == ["MapStateEntered", "EvaluationFailed", "MapStateFailed", "ExecutionFailed"]
    failed = ran.events[4]
    assert failed["previousEventId"] == 3
    assert failed["evaluationFailedEventDetails"] == {
        "cause": cause,
        "error": "States.QueryEvaluationError",
        "state": "MapIterateState",
    }
    assert ran.events[5]["previousEventId"] == 5
    assert (ran.describe["error"], ran.describe["cause"]) == ("States.QueryEvaluationError", cause)


def test_a_jsonpath_map_over_no_array(run):
    ran = run(
        jsonpath(
            {
                "M": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                    "End": True,
                }
            }
        ),
        {"items": "text"},
    )
    assert (ran.describe["error"], ran.describe["cause"]) == (
        "States.Runtime",
        PREFIX.format("M") + 'Map state input must be an array but was: "text"',
    )


# --- a dot before a bracket ----------------------------------------------------------------------


def test_a_dot_before_a_bracket_is_read_as_the_bracket_in_every_path_field(run):
    # Jayway (AWS's JSONPath) reads "$.['a']" as "$['a']" and "$.[0]" as "$[0]".
    ran = run(
        jsonpath(
            {
                "Select": {
                    "Type": "Pass",
                    "InputPath": "$.['rows']",
                    "Parameters": {"first.$": "$.[0]", "big.$": "$.[?(@.n > 1)]"},
                    "ResultPath": "$.['out']",
                    "OutputPath": "$.['out']",
                    "Next": "Pick",
                },
                "Pick": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.first.['n']", "NumericEquals": 1, "Next": "Done"}],
                },
                "Done": {"Type": "Succeed"},
            }
        ),
        {"rows": [{"n": 1}, {"n": 2}]},
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"first": {"n": 1}, "big": [{"n": 2}]}
