"""JSONata states through the client API: QueryLanguage, every JSONata field, ``$states``.

AWS ("Transforming data with JSONata in Step Functions"): a JSONata state reads its
input as ``$states.input`` and writes its output with ``Output``; Task and Parallel
take ``Arguments``; ``$states.result`` exists in the Output/Assign of a state that
has a result, ``$states.errorOutput`` in a Catcher's; ``{% %}`` expressions may sit
at any depth inside a template. Every failure at run time is a
``States.QueryEvaluationError``, recorded first as an ``EvaluationFailed`` event.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.engine.helpers import jsonata, jsonpath, refusal

ECHO = "arn:aws:lambda:us-east-1:123456789012:function:echo"
SLOW = "arn:aws:lambda:us-east-1:123456789012:function:slow"
BOOM = "arn:aws:lambda:us-east-1:123456789012:function:boom"


def cause_of(ran) -> str:
    assert ran.status == "FAILED", ran.describe
    assert ran.describe["error"] == "States.QueryEvaluationError"
    return str(ran.describe["cause"])


def exited(ran, name):
    """The stateExitedEventDetails of state ``name`` (its first exit)."""
    for event in ran.events:
        details = event.get("stateExitedEventDetails")
        if details is not None and details["name"] == name:
            return details
    raise AssertionError(f"{name} never exited")


@pytest.fixture
def lambdas(sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: event)
    sfn_backend.register_lambda("slow", lambda event, context: {"slept": True}, duration=30)

    def boom(event, context):
        raise ValueError("no good")

    sfn_backend.register_lambda("boom", boom)
    return sfn_backend


# --- QueryLanguage ---------------------------------------------------------------------


def test_a_jsonata_machine_evaluates_every_state_in_jsonata(run):
    definition = jsonata(
        {
            "Double": {"Type": "Pass", "Output": {"n": "{% $states.input.n * 2 %}"}, "Next": "Done"},
            "Done": {"Type": "Succeed", "Output": "{% $states.input.n + 1 %}"},
        }
    )
    assert run(definition, {"n": 20}).output == 41


def test_jsonata_and_jsonpath_states_mix_in_a_jsonpath_machine(run):
    definition = jsonpath(
        {
            "Shape": {"Type": "Pass", "Parameters": {"item.$": "$.raw"}, "Next": "Transform"},
            "Transform": {
                "Type": "Pass",
                "QueryLanguage": "JSONata",
                "Output": {"upper": "{% $uppercase($states.input.item) %}"},
                "Next": "Select",
            },
            "Select": {"Type": "Pass", "OutputPath": "$.upper", "End": True},
        }
    )
    assert run(definition, {"raw": "quiet"}).output == "QUIET"


def test_a_jsonpath_state_may_run_inside_the_jsonata_map_of_a_jsonpath_machine(run):
    definition = jsonpath(
        {
            "Each": {
                "Type": "Map",
                "QueryLanguage": "JSONata",
                "Items": "{% $states.input.words %}",
                "ItemProcessor": {
                    "StartAt": "Wrap",
                    "States": {
                        "Wrap": {
                            "Type": "Pass",
                            "QueryLanguage": "JSONPath",
                            "Parameters": {"word.$": "$", "index.$": "$$.Map.Item.Index"},
                            "End": True,
                        }
                    },
                },
                "End": True,
            }
        }
    )
    ran = run(definition, {"words": ["a", "b"]})
    assert ran.output == [{"word": "a", "index": 0}, {"word": "b", "index": 1}]


def test_a_jsonpath_state_in_a_jsonata_machine_is_refused(sfn):
    definition = jsonata({"P": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}})
    assert refusal(sfn, definition) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be "
        "'JSONPath' if set to 'JSONata' for whole state machine at /States/P'"
    )


def test_a_jsonpath_state_nested_in_a_jsonata_machine_is_refused_too(sfn):
    inner = {"StartAt": "I", "States": {"I": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}}}
    definition = jsonata({"M": {"Type": "Map", "ItemProcessor": inner, "End": True}})
    assert "at /States/M/ItemProcessor/States/I" in refusal(sfn, definition)


def test_an_unknown_query_language_is_refused(sfn):
    message = refusal(sfn, jsonpath({"P": {"Type": "Pass", "End": True}}, QueryLanguage="JMESPath"))
    assert (
        "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata] at /QueryLanguage"
        in (message)
    )


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ({"Type": "Pass", "InputPath": "$.a", "End": True}, "InputPath"),
        ({"Type": "Pass", "Parameters": {}, "End": True}, "Parameters"),
        ({"Type": "Pass", "ResultPath": "$.r", "End": True}, "ResultPath"),
        ({"Type": "Pass", "OutputPath": "$", "End": True}, "OutputPath"),
        ({"Type": "Pass", "Result": 1, "End": True}, "Result"),
        ({"Type": "Task", "Resource": ECHO, "ResultSelector": {}, "End": True}, "ResultSelector"),
        ({"Type": "Task", "Resource": ECHO, "TimeoutSecondsPath": "$.t", "End": True}, "TimeoutSecondsPath"),
        ({"Type": "Map", "ItemsPath": "$", "ItemProcessor": {}, "End": True}, "ItemsPath"),
        ({"Type": "Wait", "SecondsPath": "$.s", "End": True}, "SecondsPath"),
        ({"Type": "Fail", "ErrorPath": "$.e"}, "ErrorPath"),
    ],
)
def test_a_jsonpath_only_field_in_a_jsonata_state_is_refused_with_aws_wording(sfn, state, field):
    assert (
        f"SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field '{field}' is only "
        "supported for the 'JSONPath' QueryLanguage at /States/S"
    ) in refusal(sfn, jsonata({"S": state}))


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ({"Type": "Pass", "Output": {}, "End": True}, "Output"),
        ({"Type": "Task", "Resource": ECHO, "Arguments": {}, "End": True}, "Arguments"),
        ({"Type": "Map", "Items": [], "ItemProcessor": {}, "End": True}, "Items"),
    ],
)
def test_a_jsonata_only_field_in_a_jsonpath_state_is_refused_with_aws_wording(sfn, state, field):
    assert (
        f"SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field '{field}' is only "
        "supported for the 'JSONata' QueryLanguage at /States/S"
    ) in refusal(sfn, jsonpath({"S": state}))


# --- templates and $states --------------------------------------------------------------


def test_expressions_are_evaluated_at_any_depth_and_other_strings_stay_literal(run):
    output = {
        "list": [1, "{% $states.input.a %}", {"deep": ["{% $states.input.a + 1 %}"]}],
        "literal": "not {% an expression %}",
        "padded": " {% $states.input.a %} ",
        "{% key %}": "keys are never evaluated",
    }
    ran = run(jsonata({"P": {"Type": "Pass", "Output": output, "End": True}}), {"a": 5})
    assert ran.output == {
        "list": [1, 5, {"deep": [6]}],
        "literal": "not {% an expression %}",
        "padded": " {% $states.input.a %} ",
        "{% key %}": "keys are never evaluated",
    }


def test_states_context_exposes_the_context_object(run):
    output = {
        "state": "{% $states.context.State.Name %}",
        "execution": "{% $states.context.Execution.Name %}",
        "input": "{% $states.context.Execution.Input %}",
        "entered": "{% $states.context.State.EnteredTime %}",
    }
    ran = run(jsonata({"Look": {"Type": "Pass", "Output": output, "End": True}}), {"k": 1})
    assert ran.output["state"] == "Look"
    assert ran.output["execution"] == ran.arn.rsplit(":", 1)[1]
    assert ran.output["input"] == {"k": 1}
    assert ran.output["entered"] == ran.events[1]["timestamp"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_without_output_a_jsonata_state_passes_its_result_or_input_on(run, lambdas):
    definition = jsonata(
        {
            "Keep": {"Type": "Pass", "Next": "Call"},
            "Call": {
                "Type": "Task",
                "Resource": ECHO,
                "Arguments": {"wrapped": "{% $states.input %}"},
                "End": True,
            },
        }
    )
    assert run(definition, {"v": 1}).output == {"wrapped": {"v": 1}}


def test_task_arguments_output_and_assign_see_input_and_result(run, lambdas):
    definition = jsonata(
        {
            "Call": {
                "Type": "Task",
                "Resource": ECHO,
                "Arguments": {"n": "{% $states.input.n %}", "const": [1, 2]},
                "Output": {"sent": "{% $states.input.n %}", "got": "{% $states.result %}"},
                "Assign": {"last": "{% $states.result.n %}"},
                "End": True,
            }
        }
    )
    ran = run(definition, {"n": 3})
    (scheduled,) = ran.details("LambdaFunctionScheduled")
    assert json.loads(scheduled["input"]) == {"n": 3, "const": [1, 2]}
    assert ran.output == {"sent": 3, "got": {"n": 3, "const": [1, 2]}}
    assert exited(ran, "Call")["assignedVariables"] == {"last": "3"}


def test_parallel_arguments_feed_every_branch_and_output_reads_the_array_result(run):
    branch = {
        "StartAt": "B",
        "States": {"B": {"Type": "Pass", "Output": "{% $states.input.x * 10 %}", "End": True}},
    }
    other = {"StartAt": "C", "States": {"C": {"Type": "Pass", "End": True}}}
    definition = jsonata(
        {
            "Fan": {
                "Type": "Parallel",
                "Arguments": {"x": "{% $states.input.seed + 1 %}"},
                "Branches": [branch, other],
                "Output": {"results": "{% $states.result %}", "seed": "{% $states.input.seed %}"},
                "Assign": {"first": "{% $states.result[0] %}"},
                "End": True,
            }
        }
    )
    ran = run(definition, {"seed": 1})
    assert ran.output == {"results": [20, {"x": 2}], "seed": 1}
    assert exited(ran, "Fan")["assignedVariables"] == {"first": "20"}


@pytest.mark.parametrize(
    "state",
    [
        {"Type": "Pass", "End": True},
        {"Type": "Wait", "Seconds": 1, "End": True},
        {"Type": "Succeed"},
        {"Type": "Task", "Resource": ECHO, "End": True},
        {
            "Type": "Map",
            "Items": [1],
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
            "End": True,
        },
        {
            "Type": "Parallel",
            "Branches": [{"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}],
            "End": True,
        },
    ],
    ids=lambda state: state["Type"],
)
def test_every_state_type_with_output_replaces_its_output(run, lambdas, state):
    definition = jsonata({"S": {**state, "Output": {"from": "{% $states.context.State.Name %}"}}})
    assert run(definition, {"in": True}).output == {"from": "S"}


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ({"Type": "Pass", "Output": "{% $states.result %}", "End": True}, "Output"),
        ({"Type": "Pass", "Assign": {"r": "{% $states.result %}"}, "End": True}, "Assign"),
        ({"Type": "Task", "Resource": ECHO, "Arguments": "{% $states.result %}", "End": True}, "Arguments"),
        ({"Type": "Task", "Resource": ECHO, "Output": "{% $states.errorOutput %}", "End": True}, "Output"),
        ({"Type": "Wait", "Seconds": "{% $states.result %}", "End": True}, "Seconds"),
    ],
)
def test_states_result_and_error_output_are_refused_where_aws_does_not_offer_them(sfn, state, field):
    name = "errorOutput" if "errorOutput" in json.dumps(state) else "result"
    message = refusal(sfn, jsonata({"S": state}))
    assert f"UNSUPPORTED_JSONATA_EXPRESSION: Reference to '$states.{name}' is not supported" in message
    assert f"at /States/S/{field}" in message


def test_a_catcher_may_not_read_the_result_it_never_got(sfn):
    catcher = {"ErrorEquals": ["States.ALL"], "Output": "{% $states.result %}", "Next": "End"}
    state = {"Type": "Task", "Resource": ECHO, "Catch": [catcher], "End": True}
    message = refusal(sfn, jsonata({"S": state, "End": {"Type": "Succeed"}}))
    assert (
        "Reference to '$states.result' is not supported in field 'Output'. at /States/S/Catch[0]/Output"
        in message
    )


@pytest.mark.parametrize(
    ("expression", "code", "detail"),
    [
        (
            "{% foo.bar %}",
            "UNSUPPORTED_JSONATA_EXPRESSION",
            "Reference to 'foo' at the top level is not supported.",
        ),
        ("{% $$.input %}", "UNSUPPORTED_JSONATA_EXPRESSION", "Reference to '$$' is not supported."),
        ("{% $states.input. %}", "INVALID_JSONATA_EXPRESSION", ""),
    ],
)
def test_expressions_aws_cannot_evaluate_are_refused_at_create_time(sfn, expression, code, detail):
    message = refusal(sfn, jsonata({"S": {"Type": "Pass", "Output": {"v": [0, expression]}, "End": True}}))
    assert f"{code}: {detail}" in message
    assert message.endswith("at /States/S/Output/v/1'")


# --- Catch: Output and Assign over $states.errorOutput ----------------------------------------


def test_a_catcher_output_and_assign_read_the_error_output_and_the_input(run, lambdas):
    catcher = {
        "ErrorEquals": ["States.ALL"],
        "Output": {"error": "{% $states.errorOutput.Error %}", "was": "{% $states.input %}"},
        "Assign": {"failedWith": "{% $states.errorOutput.Error %}"},
        "Next": "After",
    }
    definition = jsonata(
        {
            "Call": {"Type": "Task", "Resource": BOOM, "Catch": [catcher], "End": True},
            "After": {
                "Type": "Pass",
                "Output": {"seen": "{% $failedWith %}", "in": "{% $states.input %}"},
                "End": True,
            },
        }
    )
    ran = run(definition, {"id": 7})
    assert ran.output == {"seen": "ValueError", "in": {"error": "ValueError", "was": {"id": 7}}}
    assert exited(ran, "Call")["assignedVariables"] == {"failedWith": '"ValueError"'}


def test_a_catcher_without_output_passes_the_error_output_on(run, lambdas):
    catcher = {"ErrorEquals": ["States.TaskFailed"], "Next": "After"}
    definition = jsonata(
        {
            "Call": {"Type": "Task", "Resource": BOOM, "Catch": [catcher], "End": True},
            "After": {"Type": "Succeed"},
        }
    )
    output = run(definition, {}).output
    assert output["Error"] == "ValueError"
    assert json.loads(output["Cause"])["errorMessage"] == "no good"


# --- Choice --------------------------------------------------------------------------------


def choice_machine(rules, **choice):
    return jsonata(
        {
            "Pick": {"Type": "Choice", "Choices": rules, **choice},
            "Big": {"Type": "Pass", "Output": "big", "End": True},
            "Small": {"Type": "Pass", "Output": "small", "End": True},
        }
    )


def test_the_first_rule_whose_condition_is_true_wins(run):
    rules = [
        {"Condition": "{% $states.input.n > 100 %}", "Next": "Big"},
        {"Condition": "{% $states.input.n > 10 %}", "Next": "Small"},
    ]
    definition = choice_machine(rules, Default="Big")
    assert run(definition, {"n": 50}).output == "small"
    assert run(definition, {"n": 500}).output == "big"
    assert run(definition, {"n": 5}).output == "big"


def test_a_literal_boolean_condition_is_allowed(run):
    assert run(
        choice_machine([{"Condition": False, "Next": "Big"}, {"Condition": True, "Next": "Small"}])
    ).output == ("small")


def test_no_matching_rule_and_no_default_is_no_choice_matched(run):
    rules = [{"Condition": "{% false %}", "Next": "Big"}, {"Condition": "{% 1 > 2 %}", "Next": "Small"}]
    ran = run(choice_machine(rules), {})
    assert ran.describe["error"] == "States.NoChoiceMatched"


@pytest.mark.parametrize(
    ("expression", "kind", "shown"), [("1", "number", "1"), ("'yes'", "string", '"yes"')]
)
def test_a_condition_that_is_not_boolean_fails_the_state(run, expression, kind, shown):
    ran = run(choice_machine([{"Condition": "{% " + expression + " %}", "Next": "Big"}], Default="Small"), {})
    assert cause_of(ran) == (
        "An error occurred while executing the state 'Pick' (entered at the event id #2). "
        f"The JSONata expression '{expression}' specified for the field 'Condition' returned an unexpected "
        f"result type. Expected 'boolean', but was '{kind}' for value: {shown}"
    )
    (failed,) = ran.details("EvaluationFailed")
    assert failed["location"] == "Condition"
    assert failed["state"] == "Pick"


def test_a_rule_output_wins_over_the_state_output(run):
    rules = [
        {"Condition": "{% $states.input.n = 1 %}", "Output": {"rule": "{% $states.input.n %}"}, "Next": "Out"}
    ]
    definition = jsonata(
        {
            "Pick": {"Type": "Choice", "Choices": rules, "Default": "Out", "Output": {"state": True}},
            "Out": {"Type": "Succeed"},
        }
    )
    assert run(definition, {"n": 1}).output == {"rule": 1}
    assert run(definition, {"n": 2}).output == {"state": True}


def test_a_choice_without_output_passes_its_input_on(run):
    definition = jsonata(
        {
            "Pick": {"Type": "Choice", "Choices": [{"Condition": True, "Next": "Out"}]},
            "Out": {"Type": "Succeed"},
        }
    )
    assert run(definition, {"keep": [1]}).output == {"keep": [1]}


# --- Map ----------------------------------------------------------------------------------------


def map_state(**fields):
    processor = {"StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": True}}}
    return {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}


def test_map_items_may_be_a_literal_array_or_an_expression(run):
    definition = jsonata({"M": map_state(Items=[1, "{% $states.input.x %}"])})
    assert run(definition, {"x": "two"}).output == [1, "two"]
    rows = {"rows": [{"ok": True, "v": 1}, {"ok": False}, {"ok": True, "v": 3}]}
    definition = jsonata({"M": map_state(Items="{% $states.input.rows[ok].v %}")})
    assert run(definition, rows).output == [1, 3]


def test_a_filter_matching_one_item_is_a_single_value_unless_kept_as_an_array(run):
    # JSONata collapses a one-value sequence; the [] constructor keeps it an array.
    rows = {"rows": [{"ok": True, "v": 1}, {"ok": False}]}
    ran = run(jsonata({"M": map_state(Items="{% $states.input.rows[ok] %}")}), rows)
    assert "Expected 'array', but was 'object'" in cause_of(ran)
    assert run(jsonata({"M": map_state(Items="{% $states.input.rows[ok][] %}")}), rows).output == [
        {"ok": True, "v": 1}
    ]


def test_map_without_items_iterates_over_its_input(run):
    assert run(jsonata({"M": map_state()}), [3, 4]).output == [3, 4]


def test_map_items_that_are_not_an_array_fail_with_the_type_aws_names(run):
    ran = run(jsonata({"M": map_state(Items="{% $states.input.one %}")}), {"one": {"a": 1}})
    assert cause_of(ran).endswith(
        "The JSONata expression '$states.input.one' specified for the field 'Items' returned an unexpected "
        "result type. Expected 'array', but was 'object' for value: {\"a\":1}"
    )
    assert ran.details("EvaluationFailed")[0]["location"] == "Items"


def test_item_selector_sees_the_item_through_the_context_and_the_map_input(run):
    selector = {
        "value": "{% $states.context.Map.Item.Value %}",
        "index": "{% $states.context.Map.Item.Index %}",
        "tag": "{% $states.input.tag %}",
    }
    definition = jsonata({"M": map_state(Items="{% $states.input.xs %}", ItemSelector=selector)})
    ran = run(definition, {"xs": ["p", "q"], "tag": "t"})
    assert ran.output == [{"value": "p", "index": 0, "tag": "t"}, {"value": "q", "index": 1, "tag": "t"}]


def test_max_concurrency_from_an_expression_limits_running_iterations(run):
    waiting = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}}
    definition = jsonata(
        {
            "M": {
                "Type": "Map",
                "Items": [1, 2, 3],
                "MaxConcurrency": "{% $states.input.limit %}",
                "ItemProcessor": waiting,
                "End": True,
            }
        }
    )
    ran = run(definition, {"limit": 1})
    started = [event["timestamp"] for event in ran.events if event["type"] == "MapIterationStarted"]
    assert [(later - started[0]).total_seconds() for later in started] == [0, 10, 20]
    ran = run(definition, {"limit": 0})
    started = {event["timestamp"] for event in ran.events if event["type"] == "MapIterationStarted"}
    assert len(started) == 1


def test_a_negative_max_concurrency_fails_the_state(run):
    ran = run(jsonata({"M": map_state(Items=[1], MaxConcurrency="{% -1 %}")}), {})
    assert "'MaxConcurrency' returned an invalid value: -1" in cause_of(ran)
    assert ran.details("EvaluationFailed")[0]["location"] == "MaxConcurrency"


# --- Wait ---------------------------------------------------------------------------------------


def waited(ran) -> float:
    entered = next(e["timestamp"] for e in ran.events if e["type"] == "WaitStateEntered")
    left = next(e["timestamp"] for e in ran.events if e["type"] == "WaitStateExited")
    return (left - entered).total_seconds()


@pytest.mark.parametrize("seconds", [7, "{% $states.input.s %}", "{% $states.input.s * 1 %}"])
def test_wait_seconds_literal_or_expression(run, seconds):
    ran = run(jsonata({"W": {"Type": "Wait", "Seconds": seconds, "End": True}}), {"s": 7})
    assert ran.status == "SUCCEEDED"
    assert waited(ran) == 7


def test_wait_timestamp_from_an_expression(run, sfn_backend):
    due = (sfn_backend.clock.now() + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ran = run(
        jsonata({"W": {"Type": "Wait", "Timestamp": "{% $states.input.at %}", "End": True}}), {"at": due}
    )
    assert waited(ran) == 300


def test_wait_output_and_assign_are_evaluated_after_the_wait(run):
    state = {
        "Type": "Wait",
        "Seconds": 60,
        "Output": {"left": "{% $now() %}"},
        "Assign": {"enteredAt": "{% $states.context.State.EnteredTime %}"},
        "End": True,
    }
    ran = run(jsonata({"W": state}), {})
    assert ran.output["left"] == exited(ran, "W")["assignedVariables"]["enteredAt"].strip('"')


UNEXPECTED = "The JSONata expression '{}' specified for the field '{}' returned an unexpected result type. "


@pytest.mark.parametrize(
    ("field", "expression", "detail"),
    [
        (
            "Seconds",
            "'ten'",
            UNEXPECTED.format("'ten'", "Seconds") + "Expected 'integer', but was 'string' for value: \"ten\"",
        ),
        (
            "Seconds",
            "1.5",
            UNEXPECTED.format("1.5", "Seconds") + "Expected 'integer', but was 'number' for value: 1.5",
        ),
        (
            "Seconds",
            "-3",
            "The JSONata expression specified for the field 'Seconds' returned a negative value: -3",
        ),
        (
            "Timestamp",
            "'tomorrow'",
            # AWS's words (LocalStack's recorded test_wait_timestamp_jsonata[NO_T] and others)
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "
            "tomorrow",
        ),
        (
            "Timestamp",
            "42",
            UNEXPECTED.format("42", "Timestamp") + "Expected 'string', but was 'number' for value: 42",
        ),
    ],
)
def test_bad_wait_values_fail_the_state(run, field, expression, detail):
    ran = run(jsonata({"W": {"Type": "Wait", field: "{% " + expression + " %}", "End": True}}), {})
    assert cause_of(ran) == (
        f"An error occurred while executing the state 'W' (entered at the event id #2). {detail}"
    )
    assert ran.details("EvaluationFailed")[0]["location"] == field


# --- Fail ---------------------------------------------------------------------------------------


def test_fail_error_and_cause_from_expressions(run):
    state = {
        "Type": "Fail",
        "Error": "{% 'Bad.' & $states.input.kind %}",
        "Cause": "{% $string($states.input.n) %}",
    }
    ran = run(jsonata({"F": state}), {"kind": "Input", "n": 3})
    assert (ran.status, ran.describe["error"], ran.describe["cause"]) == ("FAILED", "Bad.Input", "3")


def test_fail_literal_error_and_cause_stay_as_written(run):
    ran = run(jsonata({"F": {"Type": "Fail", "Error": "Custom", "Cause": "written"}}), {})
    assert (ran.describe["error"], ran.describe["cause"]) == ("Custom", "written")


def test_a_fail_error_that_is_not_a_string_is_a_query_evaluation_error(run):
    ran = run(jsonata({"F": {"Type": "Fail", "Error": "{% $states.input.code %}"}}), {"code": 500})
    assert cause_of(ran).endswith(
        "The JSONata expression '$states.input.code' specified for the field 'Error' returned an unexpected "
        "result type. Expected 'string', but was 'number' for value: 500"
    )


# --- Task timeouts ------------------------------------------------------------------------------


def test_timeout_seconds_from_an_expression_times_the_task_out(run, lambdas):
    state = {"Type": "Task", "Resource": SLOW, "TimeoutSeconds": "{% $states.input.limit %}", "End": True}
    ran = run(jsonata({"T": state}), {"limit": 10})
    assert ran.describe["error"] == "States.Timeout"
    assert ran.details("LambdaFunctionScheduled")[0]["timeoutInSeconds"] == 10
    assert run(jsonata({"T": state}), {"limit": 60}).output == {"slept": True}


def test_heartbeat_seconds_from_an_expression_is_scheduled(run, lambdas):
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": ECHO, "Payload": {}},
        "TimeoutSeconds": 100,
        "HeartbeatSeconds": "{% $states.input.beat %}",
        "Output": "{% $states.result.Payload %}",
        "End": True,
    }
    ran = run(jsonata({"T": state}), {"beat": 40})
    (scheduled,) = ran.details("TaskScheduled")
    assert (scheduled["heartbeatInSeconds"], scheduled["timeoutInSeconds"]) == (40, 100)
    assert ran.output == {}


@pytest.mark.parametrize("field", ["TimeoutSeconds", "HeartbeatSeconds"])
@pytest.mark.parametrize(("value", "shown"), [("0", "0"), ("-5", "-5")])
def test_a_timeout_that_is_not_positive_fails_the_task(run, lambdas, field, value, shown):
    ran = run(
        jsonata({"T": {"Type": "Task", "Resource": ECHO, field: "{% " + value + " %}", "End": True}}), {}
    )
    assert cause_of(ran).endswith(
        f"The JSONata expression specified for the field '{field}' must evaluate to a positive integer, "
        f"but was: {shown}"
    )
    assert ran.details("EvaluationFailed")[0]["location"] == field
    assert "LambdaFunctionScheduled" not in ran.types


def test_a_timeout_of_the_wrong_type_names_the_type(run, lambdas):
    ran = run(
        jsonata({"T": {"Type": "Task", "Resource": ECHO, "TimeoutSeconds": "{% '9' %}", "End": True}}), {}
    )
    assert cause_of(ran).endswith("Expected 'integer', but was 'string' for value: \"9\"")
