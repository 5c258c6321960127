"""Definition validation: every rule records AWS's code, message and location."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn.asl.optimized import OPTIMIZED_INTEGRATIONS, is_optimized_integration
from fakesfn.asl.parser import parse_definition, parse_definition_collecting
from fakesfn.asl.problems import DefinitionError, Problem, definition_message

SCHEMA = "SCHEMA_VALIDATION_FAILED"
LAMBDA = "arn:aws:states:::lambda:invoke"


def problems(definition: dict[str, Any], severity: str = "ERROR") -> list[tuple[str, str, str]]:
    _, collector = parse_definition_collecting(json.dumps(definition))
    return [(p.code, p.message, p.location) for p in collector.problems if p.severity == severity]


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}


# --- top level ---------------------------------------------------------------------------


def test_missing_start_at_is_reported_at_the_root():
    assert problems({"States": {"Go": {"Type": "Succeed"}}}) == [
        (SCHEMA, "These fields are required: [StartAt]", "/")
    ]


def test_an_unknown_top_level_field_is_reported_at_the_root():
    assert problems(machine({"Go": {"Type": "Succeed"}}, Owner="me")) == [
        (SCHEMA, "Field 'Owner' is not supported", "/")
    ]


@pytest.mark.parametrize("timeout", [0, -5, "60", 1.5, True])
def test_top_level_timeout_must_be_a_positive_integer(timeout):
    found = problems(machine({"Go": {"Type": "Succeed"}}, TimeoutSeconds=timeout))
    assert [(code, where) for code, _m, where in found] == [(SCHEMA, "/TimeoutSeconds")]


def test_top_level_version_must_be_a_string():
    found = problems(machine({"Go": {"Type": "Succeed"}}, Version=1))
    assert found == [(SCHEMA, "The value for the field 'Version' must be a STRING", "/Version")]


# --- transitions, terminal states, reachability ------------------------------------------


def test_dangling_targets_are_reported_at_each_transition_field():
    definition = machine(
        {
            "A": {"Type": "Pass", "Next": "Nowhere"},
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Gone"}],
                "Default": "Lost",
            },
            "T": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Missing"}]),
        },
        start="A",
    )
    found = [p for p in problems(definition) if "target" in p[1]]
    assert found == [
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: Nowhere", "/States/A/Next"),
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: Gone", "/States/C/Choices[0]/Next"),
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: Lost", "/States/C/Default"),
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: Missing", "/States/T/Catch[0]/Next"),
    ]


def test_an_unreachable_state_is_a_missing_transition_target():
    definition = machine({"A": {"Type": "Succeed"}, "Orphan": {"Type": "Pass", "End": True}})
    assert problems(definition) == [
        ("MISSING_TRANSITION_TARGET", 'State "Orphan" is not reachable.', "/States/Orphan")
    ]


def test_a_loop_without_terminal_state_is_missing_end_state_and_hides_reachability():
    loop = {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}
    assert problems(machine(loop)) == [("MISSING_END_STATE", "Workflow has no terminal state", "")]
    with_orphan = machine({**loop, "C": {"Type": "Pass", "End": True}})
    assert problems(with_orphan) == [
        ("MISSING_TRANSITION_TARGET", 'State "C" is not reachable.', "/States/C")
    ]


def test_dangling_target_and_missing_end_are_both_reported_in_that_order():
    definition = machine({"A": {"Type": "Pass", "Next": "A"}, "B": {"Type": "Pass", "Next": "Zed"}})
    assert [code for code, _m, _w in problems(definition)] == [
        "MISSING_TRANSITION_TARGET",
        "MISSING_END_STATE",
    ]


def test_branches_are_checked_in_their_own_scope_with_indexed_locations():
    branch = {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Outside"}}}
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "Y", "States": {"Y": {"Type": "Succeed"}}}, branch],
                "Next": "Outside",
            },
            "Outside": {"Type": "Succeed"},
        }
    )
    found = problems(definition)
    assert (
        "MISSING_TRANSITION_TARGET",
        "Missing 'Next' target: Outside",
        "/States/P/Branches[1]/States/X/Next",
    ) in found


# --- fields per state type and language ---------------------------------------------------


@pytest.mark.parametrize("state_type", ["Pass", "Wait", "Choice", "Succeed", "Fail", "Map", "Parallel"])
def test_timeout_seconds_is_only_for_tasks(state_type):
    state: dict[str, Any] = {"Type": state_type, "TimeoutSeconds": 5}
    found = problems(machine({"S": state}))
    assert (SCHEMA, "Field 'TimeoutSeconds' is not supported", "/States/S") in found


@pytest.mark.parametrize("field", ["Retry", "Catch"])
@pytest.mark.parametrize("state_type", ["Pass", "Wait", "Choice", "Succeed", "Fail"])
def test_retry_and_catch_only_where_aws_allows_them(field, state_type):
    found = problems(machine({"S": {"Type": state_type, field: []}}))
    assert (SCHEMA, f"Field '{field}' is not supported", "/States/S") in found


def test_a_jsonata_field_in_a_jsonpath_state_names_the_language():
    found = problems(machine({"S": {"Type": "Pass", "Output": {}, "End": True}}))
    assert found == [
        (
            SCHEMA,
            "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the "
            "'JSONata' QueryLanguage",
            "/States/S",
        )
    ]


def test_a_jsonpath_field_in_a_jsonata_state_names_the_language():
    found = problems(
        machine({"S": {"Type": "Pass", "InputPath": "$.a", "End": True}}, QueryLanguage="JSONata")
    )
    assert found == [
        (
            SCHEMA,
            "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the "
            "'JSONPath' QueryLanguage",
            "/States/S",
        )
    ]


def test_a_state_cannot_downgrade_a_jsonata_machine():
    found = problems(
        machine({"S": {"Type": "Succeed", "QueryLanguage": "JSONPath"}}, QueryLanguage="JSONata")
    )
    assert found == [
        (
            SCHEMA,
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            "/States/S",
        )
    ]


def test_an_item_processor_cannot_set_its_own_query_language():
    processor = {"QueryLanguage": "JSONata", "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}
    found = problems(machine({"M": {"Type": "Map", "ItemProcessor": processor, "End": True}}))
    assert found == [(SCHEMA, "Field 'QueryLanguage' is not supported", "/States/M/ItemProcessor")]


def test_next_and_end_together_and_neither():
    both = problems(machine({"S": {"Type": "Pass", "Next": "S", "End": True}}))
    assert (SCHEMA, "There should only be one of the following fields: [Next, End]", "/States/S") in both
    neither = problems(machine({"S": {"Type": "Pass"}}))
    assert neither[0][2] == "/States/S"


def test_terminal_states_refuse_transitions():
    found = problems(machine({"S": {"Type": "Succeed", "Next": "S"}}))
    assert found == [(SCHEMA, "Field 'Next' is not supported", "/States/S")]


# --- tasks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("credentials", [{}, {"Unexpected": "x"}])
def test_credentials_need_a_role_arn(credentials):
    found = problems(machine({"T": task(Credentials=credentials)}))
    assert found == [(SCHEMA, "The field 'RoleArn' is required but was missing", "/States/T/Credentials")]


@pytest.mark.parametrize(
    ("credentials", "language"),
    [
        ({"RoleArn": "arn:aws:iam::123456789012:role/r"}, "JSONPath"),
        ({"RoleArn.$": "$.role"}, "JSONPath"),
        ({"RoleArn": "{% $states.input.role %}"}, "JSONata"),
    ],
)
def test_credentials_with_a_role_are_accepted(credentials, language):
    assert problems(machine({"T": task(Credentials=credentials)}, QueryLanguage=language)) == []


def test_credentials_must_be_an_object():
    found = problems(machine({"T": task(Credentials="arn")}))
    assert found == [
        (SCHEMA, "The value for the field 'Credentials' must be an OBJECT", "/States/T/Credentials")
    ]


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::dynamodb:query",
        "arn:aws:states:::sqs:sendMessage.sync",
        "arn:aws:states:::nosuchservice:doIt",
        "not an arn",
    ],
)
def test_unknown_resources_are_not_recognized(resource):
    found = problems(machine({"Q": task(Resource=resource)}))
    assert found == [
        (
            SCHEMA,
            f"The resource provided {resource} is not recognized. The value is not a valid resource ARN, "
            "or the resource is not available in this region.",
            "/States/Q/Resource",
        )
    ]


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::dynamodb:getItem",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::aws-sdk:s3:listBuckets",
        "arn:aws:lambda:us-east-1:123456789012:function:work",
        "arn:aws:states:us-east-1:123456789012:activity:chores",
    ],
)
def test_known_resources_are_accepted(resource):
    assert problems(machine({"Q": task(Resource=resource)})) == []


@given(st.sampled_from(sorted(OPTIMIZED_INTEGRATIONS)))
@settings(max_examples=30)
def test_every_listed_integration_is_accepted_with_its_patterns(name):
    service, action = name.split(":")
    for pattern in OPTIMIZED_INTEGRATIONS[name]:
        assert is_optimized_integration(service, action, pattern)


def test_timeout_and_its_path_are_exclusive():
    found = problems(machine({"T": task(TimeoutSeconds=5, TimeoutSecondsPath="$.t")}))
    assert found == [
        (
            SCHEMA,
            "There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]",
            "/States/T",
        )
    ]


def test_heartbeat_must_be_below_timeout():
    found = problems(machine({"T": task(TimeoutSeconds=5, HeartbeatSeconds=5)}))
    assert [where for _c, _m, where in found] == ["/States/T/HeartbeatSeconds"]


# --- Retry / Catch ---------------------------------------------------------------------------


def test_states_all_must_stand_alone():
    found = problems(machine({"T": task(Retry=[{"ErrorEquals": ["States.ALL", "Boom"]}])}))
    assert [where for _c, _m, where in found] == ["/States/T/Retry[0]/ErrorEquals"]


@pytest.mark.parametrize("field", ["Retry", "Catch"])
def test_states_all_must_be_last(field):
    entry: dict[str, Any] = {"ErrorEquals": ["States.ALL"]}
    other: dict[str, Any] = {"ErrorEquals": ["Boom"]}
    if field == "Catch":
        entry["Next"] = other["Next"] = "Done"
    definition = machine({"T": task(**{field: [entry, other]}, End=None), "Done": {"Type": "Succeed"}})
    definition["States"]["T"].pop("End")
    definition["States"]["T"]["Next"] = "Done"
    found = problems(definition)
    assert [where for _c, _m, where in found] == [f"/States/T/{field}[0]/ErrorEquals"]


@pytest.mark.parametrize(
    ("retrier", "where"),
    [
        ({"ErrorEquals": ["E"], "MaxAttempts": -1}, "MaxAttempts"),
        ({"ErrorEquals": ["E"], "IntervalSeconds": 0}, "IntervalSeconds"),
        ({"ErrorEquals": ["E"], "BackoffRate": 0.5}, "BackoffRate"),
        ({"ErrorEquals": ["E"], "JitterStrategy": "SOME"}, "JitterStrategy"),
        ({"ErrorEquals": []}, "ErrorEquals"),
    ],
)
def test_retrier_fields(retrier, where):
    found = problems(machine({"T": task(Retry=[retrier])}))
    assert [w for _c, _m, w in found] == [f"/States/T/Retry[0]/{where}"]


# --- Wait, Map, Parallel ---------------------------------------------------------------------


def test_wait_needs_exactly_one_timing_field():
    two = problems(machine({"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True}}))
    assert two == [
        (SCHEMA, "There should only be one of the following fields: [Seconds, SecondsPath]", "/States/W")
    ]
    none = problems(machine({"W": {"Type": "Wait", "End": True}}))
    assert [w for _c, _m, w in none] == ["/States/W"]


def test_map_fields():
    processor = {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}
    found = problems(
        machine(
            {
                "M": {
                    "Type": "Map",
                    "ItemProcessor": {**processor, "ProcessorConfig": {"Mode": "INLINE", "Speed": 1}},
                    "MaxConcurrency": 2,
                    "MaxConcurrencyPath": "$.c",
                    "ToleratedFailurePercentage": 150,
                    "End": True,
                }
            }
        )
    )
    assert (SCHEMA, "Field 'Speed' is not supported", "/States/M/ItemProcessor/ProcessorConfig") in found
    assert (
        SCHEMA,
        "There should only be one of the following fields: [MaxConcurrency, MaxConcurrencyPath]",
        "/States/M",
    ) in found
    assert any(w == "/States/M/ToleratedFailurePercentage" for _c, _m, w in found)
    missing = problems(machine({"M": {"Type": "Map", "End": True}}))
    assert missing == [(SCHEMA, "These fields are required: [ItemProcessor]", "/States/M")]


def test_parallel_needs_branches():
    assert problems(machine({"P": {"Type": "Parallel", "End": True}})) == [
        (SCHEMA, "These fields are required: [Branches]", "/States/P")
    ]
    empty = problems(machine({"P": {"Type": "Parallel", "Branches": [], "End": True}}))
    assert [w for _c, _m, w in empty] == ["/States/P/Branches"]


# --- JSONata ---------------------------------------------------------------------------------


def test_states_result_only_in_output_and_assign_of_states_with_a_result():
    ok = machine({"T": task(Output="{% $states.result %}")}, QueryLanguage="JSONata")
    assert problems(ok) == []
    in_arguments = machine({"T": task(Arguments="{% $states.result %}")}, QueryLanguage="JSONata")
    assert problems(in_arguments) == [
        (
            "UNSUPPORTED_JSONATA_EXPRESSION",
            "Reference to '$states.result' is not supported in field 'Arguments'.",
            "/States/T/Arguments",
        )
    ]
    in_pass = machine(
        {"P": {"Type": "Pass", "Output": "{% $states.result %}", "End": True}}, QueryLanguage="JSONata"
    )
    assert [c for c, _m, _w in problems(in_pass)] == ["UNSUPPORTED_JSONATA_EXPRESSION"]


def test_error_output_only_in_a_catcher():
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "Done", "Output": "{% $states.errorOutput %}"}]
    ok = machine(
        {"T": {**task(Catch=catch), "End": None}, "Done": {"Type": "Succeed"}}, QueryLanguage="JSONata"
    )
    ok["States"]["T"].pop("End")
    ok["States"]["T"]["Next"] = "Done"
    assert problems(ok) == []
    bad = machine({"T": task(Output="{% $states.errorOutput %}")}, QueryLanguage="JSONata")
    assert [w for _c, _m, w in problems(bad)] == ["/States/T/Output"]


def test_unparsable_jsonata_is_refused_at_its_field():
    found = problems(
        machine({"P": {"Type": "Pass", "Output": {"a": "{% 1 + %}"}, "End": True}}, QueryLanguage="JSONata")
    )
    assert [(c, w) for c, _m, w in found] == [("INVALID_JSONATA_EXPRESSION", "/States/P/Output/a")]


# --- JSONPath templates and intrinsics ------------------------------------------------------


def test_a_bad_intrinsic_call_is_refused_at_the_object_holding_it():
    found = problems(
        machine({"P": {"Type": "Pass", "Parameters": {"x.$": "States.Format('a'"}, "End": True}})
    )
    # AWS locates it at the object holding the key (recorded: test_illegal_escapes).
    assert [w for _c, _m, w in found] == ["/States/P/Parameters"]


def test_result_selector_must_be_an_object():
    found = problems(machine({"T": task(ResultSelector="$.x")}))
    assert found == [
        (SCHEMA, "The value for the field 'ResultSelector' must be an OBJECT", "/States/T/ResultSelector")
    ]


# --- warnings ------------------------------------------------------------------------------


def test_warnings_never_refuse_a_definition():
    definition = machine(
        {
            "P": {"Type": "Pass", "Parameters": {"copy": "$.value"}, "Next": "R"},
            "R": {"Type": "Pass", "Result": {"x.$": "$.y"}, "Next": "F"},
            "F": {"Type": "Fail", "Error": "$.error"},
        }
    )
    assert problems(definition) == []
    codes = [(c, w) for c, _m, w in problems(definition, "WARNING")]
    assert codes == [
        ("NO_DOLLAR", "/States/P/Parameters/copy"),
        ("PASS_RESULT_IS_STATIC", "/States/R/Result/x.$"),
        ("NO_PATH", "/States/F/Error"),
    ]
    parse_definition(json.dumps(definition))


# --- the InvalidDefinition message ----------------------------------------------------------


def test_the_message_repeats_the_code_per_problem_and_writes_null_for_no_location():
    message = definition_message(
        [
            Problem(SCHEMA, "Field 'X' is not supported", "/States/A"),
            Problem("MISSING_END_STATE", "Workflow has no terminal state"),
            Problem("NO_DOLLAR", "ignored", "/States/B", "WARNING"),
        ]
    )
    assert message == (
        "Invalid State Machine Definition: "
        "'SCHEMA_VALIDATION_FAILED: Field 'X' is not supported at /States/A, "
        "MISSING_END_STATE: Workflow has no terminal state at null'"
    )


def test_parse_definition_raises_with_every_error():
    with pytest.raises(DefinitionError) as raised:
        parse_definition(json.dumps({"States": {}}))
    assert (
        str(raised.value) == "Invalid State Machine Definition: "
        "'SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /'"
    )


def test_invalid_json_keeps_its_own_position():
    _, collector = parse_definition_collecting("{nope")
    assert [p.code for p in collector.problems] == ["INVALID_JSON_DESCRIPTION"]
    assert " at null" not in definition_message(collector.problems)


# --- Map state labels (documented in state-map-distributed: "Labels can't exceed 40 characters in
# length, must be unique within a state machine definition, and can't contain" these characters) --


def _labelled(label: str, **fields: Any) -> dict[str, Any]:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
    }
    return {"Type": "Map", "ItemProcessor": processor, "Label": label, **fields}


@pytest.mark.parametrize("label", ["Shards", "x" * 40, "a-b_c.d+e=f@g!h'i(j)k/l", "étiquette"])
def test_a_valid_label_is_accepted(label):
    assert problems(machine({"M": _labelled(label, End=True)})) == []


@pytest.mark.parametrize(
    ("label", "shown"),
    [(f"a{c}b", f"'{c}'") for c in ' ?*<>{}[]:;,\\|^~$#%&`"']
    + [
        ("a\tb", "U+0009"),
        ("a\x00b", "U+0000"),
        ("a\x1fb", "U+001F"),
        ("a\x7fb", "U+007F"),
        ("a\x9fb", "U+009F"),
    ],
)
def test_a_label_with_a_forbidden_character_is_refused(label, shown):
    found = problems(machine({"M": _labelled(label, End=True)}))
    assert found == [
        (SCHEMA, f"The value for the field 'Label' can't contain the character {shown}", "/States/M/Label")
    ]


def test_a_label_is_at_most_40_characters_and_not_empty():
    too_long = problems(machine({"M": _labelled("x" * 41, End=True)}))
    assert too_long == [
        (SCHEMA, "The value for the field 'Label' can't exceed 40 characters", "/States/M/Label")
    ]
    assert problems(machine({"M": _labelled("", End=True)})) == [
        (SCHEMA, "Value cannot be empty", "/States/M/Label")
    ]


def test_a_label_is_unique_within_the_definition_nested_maps_included():
    inner = _labelled("Twice", End=True)
    outer = _labelled("Twice", End=True)
    outer["ItemProcessor"] = {**outer["ItemProcessor"], "StartAt": "Inner", "States": {"Inner": inner}}
    found = problems(machine({"First": _labelled("Once", Next="Outer"), "Outer": outer}))
    assert found == [
        (
            SCHEMA,
            "The Label 'Twice' is already used by another Map state of this state machine",
            "/States/Outer/ItemProcessor/States/Inner/Label",
        )
    ]
