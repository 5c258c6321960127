"""maxResults / nextToken paging of every List operation, and boto3's paginators."""

from __future__ import annotations

import pytest
from botocore.exceptions import ParamValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from fakesfn.client import FakeSFNClient
from fakesfn.service.pagination import paginate
from tests.service.expected import message, violation


def test_state_machine_paginator(client, create_machine):
    names = [f"machine-{i}" for i in range(5)]
    for name in reversed(names):
        create_machine(name)
    pages = list(client.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(page["stateMachines"]) for page in pages] == [2, 2, 1]
    assert [m["name"] for page in pages for m in page["stateMachines"]] == names
    assert "nextToken" not in pages[-1]


def test_activity_paginator_with_max_items(client):
    for i in range(5):
        client.create_activity(name=f"activity-{i}")
    paginator = client.get_paginator("list_activities")
    result = paginator.paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3}).build_full_result()
    assert [a["name"] for a in result["activities"]] == ["activity-0", "activity-1", "activity-2"]
    rest = paginator.paginate(
        PaginationConfig={"PageSize": 2, "StartingToken": result["NextToken"]}
    ).build_full_result()
    assert [a["name"] for a in rest["activities"]] == ["activity-3", "activity-4"]


def test_zero_means_the_default_of_100(client):
    for i in range(101):
        client.create_activity(name=f"a{i:03}")
    page = client.list_activities(maxResults=0)
    assert len(page["activities"]) == 100
    rest = client.list_activities(nextToken=page["nextToken"])
    assert [a["name"] for a in rest["activities"]] == ["a100"]
    assert "nextToken" not in rest


def test_max_results_above_1000(client):
    text = violation(1001, "maxResults", "have value less than or equal to 1000")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        client.list_state_machines(maxResults=1001)


def test_next_token_too_long(client):
    token = "x" * 1025
    text = violation(token, "nextToken", "have length less than or equal to 1024")
    with pytest.raises(client.exceptions.ValidationException, match=message(text)):
        client.list_activities(nextToken=token)


def test_empty_next_token_is_refused_by_botocore(client):
    with pytest.raises(ParamValidationError):
        client.list_state_machines(nextToken="")


@pytest.mark.parametrize(
    "token", ["garbage", "Zm9v", "eyJvcCI6Ikxpc3RTdGF0ZU1hY2hpbmVzIiwic2NvcGUiOiIiLCJhdCI6LTF9"]
)
def test_garbage_token(client, token):
    with pytest.raises(client.exceptions.InvalidToken, match=message("Invalid Token: 'Invalid token'")):
        client.list_state_machines(nextToken=token)


def test_token_of_another_operation(client, create_machine):
    for i in range(3):
        client.create_activity(name=f"a{i}")
    token = client.list_activities(maxResults=1)["nextToken"]
    with pytest.raises(client.exceptions.InvalidToken):
        client.list_state_machines(nextToken=token)


def test_token_of_another_machine(client, create_machine, definition):
    arns = [create_machine(name)["stateMachineArn"] for name in ("one", "two")]
    for arn in arns:
        for comment in ("a", "b"):
            client.update_state_machine(stateMachineArn=arn, definition=definition(comment), publish=True)
    token = client.list_state_machine_versions(stateMachineArn=arns[0], maxResults=1)["nextToken"]
    assert (
        len(
            client.list_state_machine_versions(stateMachineArn=arns[0], nextToken=token)[
                "stateMachineVersions"
            ]
        )
        == 1
    )
    with pytest.raises(client.exceptions.InvalidToken):
        client.list_state_machine_versions(stateMachineArn=arns[1], nextToken=token)


def test_alias_listing_pages(client, create_machine):
    created = create_machine("orders", publish=True)
    for name in ("a", "b", "c"):
        client.create_state_machine_alias(
            name=name,
            routingConfiguration=[
                {"stateMachineVersionArn": created["stateMachineVersionArn"], "weight": 100}
            ],
        )
    first = client.list_state_machine_aliases(stateMachineArn=created["stateMachineArn"], maxResults=2)
    second = client.list_state_machine_aliases(
        stateMachineArn=created["stateMachineArn"], nextToken=first["nextToken"]
    )
    names = [
        a["stateMachineAliasArn"].rsplit(":", 1)[1]
        for a in first["stateMachineAliases"] + second["stateMachineAliases"]
    ]
    assert names == ["a", "b", "c"]
    with pytest.raises(client.exceptions.InvalidToken, match=message("Invalid Token: 'Invalid token'")):
        client.list_state_machine_aliases(stateMachineArn=created["stateMachineArn"], nextToken="not-a-token")


def test_tokens_are_deterministic():
    tokens = []
    for _ in range(2):
        fresh = FakeSFNClient(region_name="us-east-1", account_id="123456789012")
        for i in range(3):
            fresh.create_activity(name=f"a{i}")
        tokens.append(fresh.list_activities(maxResults=2)["nextToken"])
    assert tokens[0] == tokens[1]


@settings(max_examples=60, deadline=None)
@given(count=st.integers(0, 40), size=st.integers(1, 12))
def test_pages_cover_every_item_once_in_order(count, size):
    items = list(range(count))
    seen: list[int] = []
    params: dict = {"maxResults": size}
    while True:
        page, token = paginate("ListActivities", items, params)
        assert len(page) <= size
        seen += page
        if token is None:
            break
        params = {"maxResults": size, "nextToken": token}
    assert seen == items
