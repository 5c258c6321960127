"""Definitions nested deeper than any real one are refused before anything recurses over them."""

from __future__ import annotations

import json

import pytest

from fakesfn.asl.parser import MAX_DEFINITION_DEPTH
from tests.conftest import ROLE_ARN


def parallels(count):
    """A machine of ``count`` nested Parallel states, as text (written without recursion)."""
    head = '{"StartAt": "X", "States": {"X": {"Type": "Parallel", "Branches": ['
    tail = '], "End": true}}}'
    return head * count + '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}' + tail * count


def nots(count):
    """A Choice whose rule is ``count`` nested Not, as text."""
    condition = '{"Not": ' * count + '{"Variable": "$.a", "IsPresent": true}' + "}" * count
    return (
        '{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Not": '
        + condition
        + ', "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}'
    )


def parameters(count):
    """A Pass whose Parameters nest ``count`` objects deep, as text."""
    template = '{"a": ' * count + '{"x.$": "$.a"}' + "}" * count
    return '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": ' + template + ', "End": true}}}'


@pytest.mark.parametrize(
    ("shape", "count"),
    [(parallels, 600), (nots, 900), (parameters, 900), (nots, 100_000)],
)
def test_a_definition_nested_past_the_bound_is_an_invalid_definition(sfn, shape, count):
    # Issue 16 item 5: RecursionError escaped CreateStateMachine.
    text = shape(count)
    for call in ("create_state_machine", "validate_state_machine_definition"):
        if call == "create_state_machine":
            with pytest.raises(sfn.exceptions.InvalidDefinition) as caught:
                sfn.create_state_machine(name="deep", definition=text, roleArn=ROLE_ARN)
            message = caught.value.response["Error"]["Message"]
        else:
            reply = sfn.validate_state_machine_definition(definition=text)
            assert reply["result"] == "FAIL"
            message = reply["diagnostics"][0]["message"]
        assert f"more than the {MAX_DEFINITION_DEPTH} allowed" in message


@pytest.mark.parametrize(("shape", "count"), [(parallels, 49), (nots, 194), (parameters, 195)])
def test_a_definition_just_within_the_bound_is_created_and_runs(run, shape, count):
    text = shape(count)
    assert json.loads(text)
    ran = run(text, {"a": 1})
    assert ran.status == "SUCCEEDED"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_definition_with_a_number_json_cannot_hold_is_invalid_json(sfn, literal):
    text = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ' + literal + ', "End": true}}}'
    with pytest.raises(sfn.exceptions.InvalidDefinition, match="INVALID_JSON_DESCRIPTION"):
        sfn.create_state_machine(name="nan", definition=text, roleArn=ROLE_ARN)
