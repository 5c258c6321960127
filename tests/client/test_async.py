"""aiobotocore and aioboto3 clients made inside mock_sfn() (or a test using the fixtures) are fakes.

aiobotocore pins botocore tightly, so it is not in the ``test`` extra (it would hold botocore
back for the whole suite): ``nox -s tests_async`` (and CI) run these tests in their own
environment, with the ``async`` extra. Elsewhere they skip.
"""

from __future__ import annotations

import asyncio
import json

import pytest

aiobotocore_session = pytest.importorskip("aiobotocore.session", reason="the 'async' extra is not installed")

import fakesfn  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/sfn"
DEFINITION = json.dumps(
    {
        "StartAt": "Greet",
        "States": {
            "Greet": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "greet", "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "Next": "Nap",
            },
            "Nap": {"Type": "Wait", "Seconds": 3600, "End": True},
        },
    }
)


async def run_workflow(name: str) -> dict:
    """Production code: aiobotocore all the way."""
    session = aiobotocore_session.get_session()
    async with session.create_client("stepfunctions", region_name="us-east-1") as sfn:
        machine = await sfn.create_state_machine(name="greeter", definition=DEFINITION, roleArn=ROLE)
        arn = machine["stateMachineArn"]
        run = await sfn.start_execution(stateMachineArn=arn, input=json.dumps({"name": name}))
        return await sfn.describe_execution(executionArn=run["executionArn"])


def test_aiobotocore_clients_reach_the_backend_of_mock_sfn():
    with fakesfn.mock_sfn() as backend:
        backend.register_lambda("greet", lambda event, context: {"hello": event["name"]})
        running = asyncio.run(run_workflow("Ada"))
        assert running["status"] == "RUNNING"
        backend.advance(3600)
        arn = running["executionArn"]
        assert json.loads(backend_describe(backend, arn)["output"]) == {"hello": "Ada"}


def backend_describe(backend, arn):
    return fakesfn.FakeSFNClient(backend=backend).describe_execution(executionArn=arn)


def test_errors_are_modelled_exceptions():
    async def missing():
        session = aiobotocore_session.get_session()
        async with session.create_client("stepfunctions", region_name="eu-west-1") as sfn:
            with pytest.raises(sfn.exceptions.StateMachineDoesNotExist) as caught:
                await sfn.describe_state_machine(
                    stateMachineArn="arn:aws:states:eu-west-1:123456789012:stateMachine:nope"
                )
            return caught.value.response["Error"]["Code"]

    with fakesfn.mock_sfn():
        assert asyncio.run(missing()) == "StateMachineDoesNotExist"


def test_other_services_and_after_the_patch_are_untouched():
    async def make(service):
        session = aiobotocore_session.get_session()
        async with session.create_client(service, region_name="us-east-1") as client:
            return hasattr(client, "backend")

    with fakesfn.mock_sfn():
        assert asyncio.run(make("stepfunctions"))
        assert not asyncio.run(make("s3"))
    assert not asyncio.run(make("stepfunctions"))


def test_aioboto3_sessions_too():
    aioboto3 = pytest.importorskip("aioboto3")

    async def names():
        async with aioboto3.Session(region_name="us-east-1").client("stepfunctions") as sfn:
            await sfn.create_activity(name="review")
            paginator = sfn.get_paginator("list_activities")
            return [a["name"] async for page in paginator.paginate() for a in page["activities"]]

    with fakesfn.mock_sfn():
        assert asyncio.run(names()) == ["review"]


def test_the_fixtures_patch_aiobotocore_too(pytester):
    pytester.makepyfile(
        """
        import asyncio
        from aiobotocore.session import get_session

        async def make_activity():
            async with get_session().create_client("stepfunctions", region_name="us-east-1") as sfn:
                await sfn.create_activity(name="from-async-code")

        def test_it(sfn):
            asyncio.run(make_activity())
            assert [a["name"] for a in sfn.list_activities()["activities"]] == ["from-async-code"]
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=1)


@fakesfn.mock_sfn(seed=4)
async def _decorated():
    session = aiobotocore_session.get_session()
    async with session.create_client("stepfunctions", region_name="us-east-1") as sfn:
        return (await sfn.list_activities())["activities"], sfn.backend.seed


def test_an_async_function_decorated_with_mock_sfn():
    assert asyncio.run(_decorated()) == ([], 4)
