"""ValidateStateMachineDefinition and the InvalidDefinition refusals, through the client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.service.expected import ROLE_ARN


def dumps(states: dict[str, Any], start: str | None = None, **top: Any) -> str:
    return json.dumps({"StartAt": start or next(iter(states)), "States": states, **top})


VALID = dumps({"Go": {"Type": "Succeed"}})
WARNED = dumps({"P": {"Type": "Pass", "Parameters": {"copy": "$.value"}, "End": True}})
UNREACHABLE = dumps({"A": {"Type": "Succeed"}, **{f"S{i}": {"Type": "Succeed"} for i in range(5)}}, start="A")


def test_a_valid_definition_is_ok(client):
    reply = client.validate_state_machine_definition(definition=VALID)
    assert (reply["result"], reply["diagnostics"], reply["truncated"]) == ("OK", [], False)


def test_an_invalid_definition_fails_with_located_diagnostics(client):
    reply = client.validate_state_machine_definition(
        definition=json.dumps({"States": {"A": {"Type": "Succeed"}}})
    )
    assert reply["result"] == "FAIL"
    assert reply["diagnostics"] == [
        {
            "severity": "ERROR",
            "code": "SCHEMA_VALIDATION_FAILED",
            "message": "These fields are required: [StartAt]",
            "location": "/",
        }
    ]


def test_a_diagnostic_without_location_has_no_location_member(client):
    loop = dumps({"A": {"Type": "Pass", "Next": "A"}})
    reply = client.validate_state_machine_definition(definition=loop)
    assert reply["diagnostics"] == [
        {"severity": "ERROR", "code": "MISSING_END_STATE", "message": "Workflow has no terminal state"}
    ]


def test_warnings_are_shown_only_when_asked_and_never_fail(client):
    quiet = client.validate_state_machine_definition(definition=WARNED)
    assert (quiet["result"], quiet["diagnostics"]) == ("OK", [])
    loud = client.validate_state_machine_definition(definition=WARNED, severity="WARNING")
    assert loud["result"] == "OK"
    assert [(d["severity"], d["code"], d["location"]) for d in loud["diagnostics"]] == [
        ("WARNING", "NO_DOLLAR", "/States/P/Parameters/copy")
    ]


def test_max_results_truncates(client):
    reply = client.validate_state_machine_definition(definition=UNREACHABLE, maxResults=2)
    assert reply["result"] == "FAIL"
    assert len(reply["diagnostics"]) == 2
    assert reply["truncated"] is True
    everything = client.validate_state_machine_definition(definition=UNREACHABLE, maxResults=0)
    assert len(everything["diagnostics"]) == 5
    assert everything["truncated"] is False


def test_both_query_languages_are_validated(client):
    jsonata = dumps({"P": {"Type": "Pass", "Output": "{% 1 + %}", "End": True}}, QueryLanguage="JSONata")
    reply = client.validate_state_machine_definition(definition=jsonata)
    assert [(d["code"], d["location"]) for d in reply["diagnostics"]] == [
        ("INVALID_JSONATA_EXPRESSION", "/States/P/Output")
    ]


def test_express_rules_apply_when_the_type_is_express(client):
    activity = dumps(
        {"A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a", "End": True}}
    )
    assert client.validate_state_machine_definition(definition=activity)["result"] == "OK"
    express = client.validate_state_machine_definition(definition=activity, type="EXPRESS")
    assert express["diagnostics"][0]["location"] == "/States/A/Resource"


def test_not_json_is_invalid_json_description(client):
    reply = client.validate_state_machine_definition(definition="{oops")
    assert [d["code"] for d in reply["diagnostics"]] == ["INVALID_JSON_DESCRIPTION"]


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            dumps(
                {
                    "S": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::lambda:invoke",
                        "Credentials": {},
                        "End": True,
                    }
                }
            ),
            "SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing "
            "at /States/S/Credentials",
        ),
        (
            dumps({"Q": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:scan", "End": True}}),
            "SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::dynamodb:scan "
            "is not recognized. "
            "The value is not a valid resource ARN, or the resource is not available in this region. "
            "at /States/Q/Resource",
        ),
        (
            dumps({"A": {"Type": "Pass", "Next": "A"}}),
            "MISSING_END_STATE: Workflow has no terminal state at null",
        ),
        (
            dumps({"A": {"Type": "Pass", "Next": "Nope"}, "B": {"Type": "Succeed"}}),
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next, "
            'MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B',
        ),
    ],
)
def test_create_and_update_refuse_with_aws_message(client, definition, message):
    with pytest.raises(client.exceptions.InvalidDefinition) as refused:
        client.create_state_machine(name="bad", definition=definition, roleArn=ROLE_ARN)
    assert refused.value.response["Error"]["Message"] == f"Invalid State Machine Definition: '{message}'"
    arn = client.create_state_machine(name="good", definition=VALID, roleArn=ROLE_ARN)["stateMachineArn"]
    with pytest.raises(client.exceptions.InvalidDefinition) as refused_update:
        client.update_state_machine(stateMachineArn=arn, definition=definition)
    assert (
        refused_update.value.response["Error"]["Message"] == f"Invalid State Machine Definition: '{message}'"
    )


def test_warnings_do_not_refuse_create(client):
    client.create_state_machine(name="warned", definition=WARNED, roleArn=ROLE_ARN)


# LocalStack's test_validate_state_machine_definition_not_a_definition (recorded 2025-10-19).
NOT_A_DEFINITION_SOURCE = '[Source: (String)"not a definition"; line: 1, column: 4]'


@pytest.mark.parametrize(
    ("definition", "diagnostic"),
    [
        (" ", {"code": "SCHEMA_VALIDATION_FAILED", "message": "Definition must be a valid JSON object"}),
        (
            "not a definition",
            {
                "code": "INVALID_JSON_DESCRIPTION",
                "location": NOT_A_DEFINITION_SOURCE,
                "message": "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or "
                f"token 'null', 'true' or 'false')\n at {NOT_A_DEFINITION_SOURCE}",
            },
        ),
        (
            "{}",
            {
                "code": "SCHEMA_VALIDATION_FAILED",
                "location": "/",
                "message": "These fields are required: [States, StartAt]",
            },
        ),
    ],
)
def test_text_that_is_not_a_definition_is_answered_as_aws_answers(client, definition, diagnostic):
    reply = client.validate_state_machine_definition(definition=definition, type="STANDARD")
    assert reply["result"] == "FAIL"
    assert reply["truncated"] is False
    assert reply["diagnostics"] == [{"severity": "ERROR", **diagnostic}]


@pytest.mark.parametrize(
    ("definition", "message", "column"),
    [
        (
            "{bad json",
            "Unexpected character ('b' (code 98)): was expecting double-quote to start field name",
            3,
        ),
        (
            '{"a" 1}',
            "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value",
            7,
        ),
        ("[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries", 5),
        ('{"a": }', "Unexpected character ('}' (code 125)): expected a value", 8),
    ],
)
def test_json_syntax_mistakes_are_worded_as_jackson_words_them(client, definition, message, column):
    source = f'[Source: (String)"{definition}"; line: 1, column: {column}]'
    diagnostic = client.validate_state_machine_definition(definition=definition)["diagnostics"][0]
    assert (diagnostic["code"], diagnostic["message"], diagnostic["location"]) == (
        "INVALID_JSON_DESCRIPTION",
        f"{message}\n at {source}",
        source,
    )


@pytest.mark.parametrize("definition", ["[]", "123", "null", '"text"'])
def test_json_that_is_not_an_object_is_no_definition(client, definition):
    diagnostic = client.validate_state_machine_definition(definition=definition)["diagnostics"][0]
    assert diagnostic == {
        "severity": "ERROR",
        "code": "SCHEMA_VALIDATION_FAILED",
        "message": "Definition must be a valid JSON object",
    }
