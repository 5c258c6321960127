"""Name rules and ARNs: what the API accepts, what it refuses, and how ARNs are built."""

from __future__ import annotations

import re

import botocore
import pytest
from botocore.exceptions import ParamValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn import arns
from fakesfn.arns import ArnError
from fakesfn.client import FakeSFNClient
from tests.botocore_model import partitions
from tests.service.expected import message, violation

FORBIDDEN = list(' \t\n<>{}[]?*"#%\\^|~`$&,;:/') + [
    "\x00",
    "\x1f",
    "\x7f",
    "\x85",
    "\x9f",
    "\ufffe",
    "\uffff",
    "\u3000",
]
ALLOWED = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_characters="".join(FORBIDDEN),
        exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc"),
    ),
    min_size=1,
    max_size=80,
).filter(lambda name: not re.search(r"\s", name))
NAME_PART = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", min_size=1, max_size=40
)


@pytest.mark.parametrize("char", FORBIDDEN)
def test_forbidden_characters_make_invalid_names(client, char):
    name = f"bad{char}name"
    with pytest.raises(client.exceptions.InvalidName) as raised:
        client.create_activity(name=name)
    assert raised.value.response["Error"]["Message"] == f"Invalid Name: '{name}'"


@settings(max_examples=40, deadline=None)
@given(name=ALLOWED)
def test_allowed_names_are_accepted(name):
    client = FakeSFNClient(region_name="us-east-1", account_id="123456789012")
    arn = client.create_activity(name=name)["activityArn"]
    assert arn == f"arn:aws:states:us-east-1:123456789012:activity:{name}"
    assert client.describe_activity(activityArn=arn)["name"] == name


def test_names_longer_than_80_are_a_model_violation(client, create_machine):
    name = "n" * 81
    text = violation(name, "name", "have length less than or equal to 80")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        create_machine(name)


def test_empty_name_is_refused_by_botocore(client):
    with pytest.raises(ParamValidationError):
        client.create_activity(name="")


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("eu-west-1", "aws"),
        ("cn-north-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        # botocore's partition data decides, not a prefix list (issue 15).
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
        pytest.param(
            "eusc-de-east-1",
            "aws-eusc",
            marks=pytest.mark.skipif(
                "aws-eusc" not in partitions(),
                reason=f"botocore {botocore.__version__}'s endpoint data has no aws-eusc partition",
            ),
        ),
    ],
)
def test_arns_carry_the_clients_region_account_and_partition(region, partition, definition):
    client = FakeSFNClient(region_name=region, account_id="210987654321")
    machine = client.create_state_machine(
        name="m", definition=definition(), roleArn=f"arn:{partition}:iam::210987654321:role/r"
    )
    assert machine["stateMachineArn"] == f"arn:{partition}:states:{region}:210987654321:stateMachine:m"
    activity = client.create_activity(name="a")["activityArn"]
    assert activity == f"arn:{partition}:states:{region}:210987654321:activity:a"


def test_clients_sharing_a_backend_list_only_their_own(client, definition, role_arn):
    other = FakeSFNClient(backend=client.backend, region_name="eu-west-1", account_id="123456789012")
    client.create_state_machine(name="here", definition=definition(), roleArn=role_arn)
    other.create_state_machine(name="there", definition=definition(), roleArn=role_arn)
    client.create_activity(name="here")
    assert [m["name"] for m in client.list_state_machines()["stateMachines"]] == ["here"]
    assert [m["name"] for m in other.list_state_machines()["stateMachines"]] == ["there"]
    assert other.list_activities()["activities"] == []


@pytest.mark.parametrize(
    ("arn", "text"),
    [
        ("not_a_valid_arn", "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"),
        (
            "arn:aws:states:us-east-1:123456789012:activity:a",
            "Invalid Arn: 'Resource type not valid in this context: activity'",
        ),
        (
            "arn:aws:states:us-east-1:123456789012:stateMachine:a:b:c",
            "Invalid Arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:a:b:c'",
        ),
    ],
)
def test_describe_state_machine_invalid_arns(client, arn, text):
    with pytest.raises(client.exceptions.InvalidArn, match=message(text)):
        client.describe_state_machine(stateMachineArn=arn)


def test_describe_activity_given_a_state_machine_arn(client):
    text = "Invalid Arn: 'Resource type not valid in this context: stateMachine'"
    with pytest.raises(client.exceptions.InvalidArn, match=message(text)):
        client.describe_activity(activityArn="arn:aws:states:us-east-1:123456789012:stateMachine:m")


@given(
    name=NAME_PART,
    qualifier=st.one_of(
        st.none(), st.integers(1, 10_000).map(str), NAME_PART.filter(lambda q: not q.isdigit())
    ),
)
def test_state_machine_arns_round_trip(name, qualifier):
    base = arns.state_machine_arn("aws", "us-east-1", "123456789012", name)
    text = base if qualifier is None else f"{base}:{qualifier}"
    ref = arns.parse_state_machine_arn(text, allow_qualifier=True)
    assert (ref.name, ref.qualifier, ref.base_arn) == (name, qualifier, base)
    assert ref.version == (int(qualifier) if qualifier is not None and qualifier.isdigit() else None)
    if qualifier is not None:
        with pytest.raises(ArnError):
            arns.parse_state_machine_arn(text)


@given(machine=NAME_PART, execution=NAME_PART, suffix=st.uuids().map(str))
def test_execution_arns(machine, execution, suffix):
    base = arns.state_machine_arn("aws", "eu-west-1", "123456789012", machine)
    standard = arns.execution_arn(f"{base}:7", execution)
    assert standard == f"arn:aws:states:eu-west-1:123456789012:execution:{machine}:{execution}"
    express = arns.execution_arn(base, execution, express=True, suffix=suffix)
    assert express == f"arn:aws:states:eu-west-1:123456789012:express:{machine}:{execution}:{suffix}"
    for text in (standard, express):
        assert arns.parse_execution_arn(text).account == "123456789012"


def test_map_run_arns():
    base = arns.state_machine_arn("aws", "us-east-1", "123456789012", "orders")
    run = arns.map_run_arn(base, "Fanout", "0b9e")
    assert run == "arn:aws:states:us-east-1:123456789012:mapRun:orders/Fanout:0b9e"
    assert arns.parse_map_run_arn(run).resource == "orders/Fanout:0b9e"
    child = arns.execution_arn(f"{base}/Fanout", "item-1")
    assert child == "arn:aws:states:us-east-1:123456789012:execution:orders/Fanout:item-1"
    with pytest.raises(ArnError):
        arns.parse_map_run_arn("arn:aws:states:us-east-1:123456789012:mapRun:orders")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "arn",
        "arn:aws",
        "arn:aws:states:us-east-1:123456789012:execution:only-machine",
        "arn:aws:lambda:us-east-1:123456789012:function:f",
    ],
)
def test_malformed_execution_arns(text):
    with pytest.raises(ArnError):
        arns.parse_execution_arn(text)


def _generated_names(refusals):
    """Executions started after ``refusals`` (calls the fake refuses) on a fresh seeded backend."""
    import json

    client = FakeSFNClient(seed=7)
    role = "arn:aws:iam::123456789012:role/r"
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    standard = client.create_state_machine(name="m", definition=definition, roleArn=role, publish=True)
    express = client.create_state_machine(name="x", definition=definition, roleArn=role, type="EXPRESS")
    changed = json.dumps({"Comment": "v2", **json.loads(definition)})
    second = client.update_state_machine(
        stateMachineArn=standard["stateMachineArn"], definition=changed, publish=True
    )
    alias = client.create_state_machine_alias(
        name="live",
        routingConfiguration=[
            {"stateMachineVersionArn": standard["stateMachineVersionArn"], "weight": 50},
            {"stateMachineVersionArn": second["stateMachineVersionArn"], "weight": 50},
        ],
    )["stateMachineAliasArn"]
    targets = {"standard": standard["stateMachineArn"], "express": express["stateMachineArn"], "alias": alias}
    for operation, target in refusals:
        with pytest.raises(client.exceptions.InvalidExecutionInput):
            getattr(client, operation)(stateMachineArn=targets[target], input="{not json")
    return [
        client.start_execution(stateMachineArn=targets["alias"])["executionArn"],
        client.start_sync_execution(stateMachineArn=targets["express"])["executionArn"],
    ]


def test_a_refused_start_draws_nothing_from_the_seed():
    # Issue 16 item 6: the execution name (and an alias's version) was drawn before the
    # input was refused, so every name generated afterwards changed.
    untouched = _generated_names([])
    refused = [
        ("start_execution", "standard"),
        ("start_execution", "alias"),
        ("start_sync_execution", "express"),
    ]
    assert _generated_names(refused) == untouched
