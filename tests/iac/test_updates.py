"""Deploying a stack name again updates it in place, as CloudFormation does; a failure changes nothing."""

from __future__ import annotations

import json
import re

import pytest

from fakesfn import Backend, FakeSFNClient
from fakesfn.iac import DeployError, TemplateFormatError
from tests.iac.helpers import ROLE, definition, describe, tags


def wait_machine(seconds: int, **properties):
    body = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}}
    return {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"RoleArn": ROLE, "Definition": body, **properties},
    }


def template(**resources):
    return {"Resources": resources}


def test_an_update_keeps_the_arn_and_running_executions_keep_their_revision():
    backend = Backend()
    client = FakeSFNClient(backend=backend)
    first = backend.deploy_template(template(M=wait_machine(60)), stack_name="app")
    arn = first.state_machines["M"]
    running = client.start_execution(stateMachineArn=arn)["executionArn"]
    second = backend.deploy_template(
        template(M=wait_machine(5, Tags=[{"Key": "v", "Value": "2"}])), stack_name="app"
    )
    assert second.state_machines["M"] == arn
    assert definition(backend, arn)["States"]["W"]["Seconds"] == 5
    assert "revisionId" in describe(backend, arn)
    assert tags(backend, arn)["v"] == "2"
    old = client.describe_state_machine_for_execution(executionArn=running)
    assert json.loads(old["definition"])["States"]["W"]["Seconds"] == 60
    backend.settle()
    assert client.describe_execution(executionArn=running)["status"] == "SUCCEEDED"


def test_a_new_name_replaces_the_machine_and_a_removed_resource_is_deleted():
    backend = Backend()
    first = backend.deploy_template(
        template(
            M=wait_machine(1, StateMachineName="one"),
            Gone=wait_machine(1),
            A={"Type": "AWS::StepFunctions::Activity", "Properties": {"Name": "a1"}},
        ),
        stack_name="app",
    )
    second = backend.deploy_template(
        template(
            M=wait_machine(1, StateMachineName="two"),
            A={"Type": "AWS::StepFunctions::Activity", "Properties": {"Name": "a2"}},
        ),
        stack_name="app",
    )
    names = [m["name"] for m in FakeSFNClient(backend=backend).list_state_machines()["stateMachines"]]
    assert names == ["two"]
    assert second.state_machines["M"].endswith(":two")
    assert first.state_machines["Gone"] not in second.state_machines.values()
    activities = [a["name"] for a in FakeSFNClient(backend=backend).list_activities()["activities"]]
    assert activities == ["a2"]


def test_a_type_change_replaces_a_machine_with_a_generated_name_under_a_new_name():
    backend = Backend()
    first = backend.deploy_template(template(M=wait_machine(1)), stack_name="app")
    second = backend.deploy_template(
        template(M=wait_machine(1, StateMachineType="EXPRESS")), stack_name="app"
    )
    assert re.fullmatch(r".*:stateMachine:M-\w{12}", second.state_machines["M"])
    assert second.state_machines["M"] != first.state_machines["M"]
    assert describe(backend, second.state_machines["M"])["type"] == "EXPRESS"
    machines = FakeSFNClient(backend=backend).list_state_machines()["stateMachines"]
    assert [m["stateMachineArn"] for m in machines] == [second.state_machines["M"]]


def test_an_explicit_name_that_would_need_replacing_is_refused_and_nothing_changes():
    backend = Backend()
    backend.deploy_template(template(M=wait_machine(1, StateMachineName="fixed")), stack_name="app")
    with pytest.raises(
        TemplateFormatError, match="cannot update a stack when a custom-named resource requires replacing"
    ):
        backend.deploy_template(
            template(M=wait_machine(2, StateMachineName="fixed", StateMachineType="EXPRESS")),
            stack_name="app",
        )
    arn = backend.stacks[("us-east-1", "123456789012", "app")].state_machines["M"]
    assert describe(backend, arn)["type"] == "STANDARD"
    assert definition(backend, arn)["States"]["W"]["Seconds"] == 1


def test_an_invalid_definition_is_found_before_anything_changes():
    backend = Backend()
    backend.deploy_template(template(M=wait_machine(1)), stack_name="app")
    broken = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"RoleArn": ROLE, "DefinitionString": "{}"},
    }
    with pytest.raises(DeployError) as raised:
        backend.deploy_template(template(M=wait_machine(9), New=broken), stack_name="app")
    assert (raised.value.code, raised.value.resource) == ("InvalidDefinition", "New")
    arn = backend.stacks[("us-east-1", "123456789012", "app")].state_machines["M"]
    assert definition(backend, arn)["States"]["W"]["Seconds"] == 1
    assert len(FakeSFNClient(backend=backend).list_state_machines()["stateMachines"]) == 1


def test_a_refusal_half_way_rolls_back_what_was_done():
    backend = Backend()
    backend.deploy_template(template(M=wait_machine(1, Tags=[{"Key": "v", "Value": "1"}])), stack_name="app")
    bad_logging = wait_machine(1, LoggingConfiguration={"Level": "ERROR"})
    with pytest.raises(DeployError, match="InvalidLoggingConfiguration"):
        backend.deploy_template(
            template(
                M=wait_machine(7, Tags=[{"Key": "v", "Value": "2"}]), Added=wait_machine(1), Bad=bad_logging
            ),
            stack_name="app",
        )
    arn = backend.stacks[("us-east-1", "123456789012", "app")].state_machines["M"]
    assert definition(backend, arn)["States"]["W"]["Seconds"] == 1
    assert tags(backend, arn)["v"] == "1"
    assert [
        m["stateMachineArn"] for m in FakeSFNClient(backend=backend).list_state_machines()["stateMachines"]
    ] == [arn]


def test_stacks_are_per_region_account_and_name_and_reset_forgets_them():
    backend = Backend()
    east = backend.deploy_template(template(M=wait_machine(1)), stack_name="app")
    west = backend.deploy_template(template(M=wait_machine(1)), stack_name="app", region_name="us-west-2")
    assert east.state_machines["M"] != west.state_machines["M"]
    assert len(backend.stacks) == 2
    backend.reset()
    assert backend.stacks == {}


def test_stack_tags_reach_every_machine_and_activity_and_lookups_work():
    backend = Backend()
    stack = backend.deploy_template(
        template(M=wait_machine(1), Q={"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}}),
        stack_name="app",
        tags={"cost-center": "42"},
    )
    assert tags(backend, stack.state_machines["M"])["cost-center"] == "42"
    assert stack.ref("Q") == "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
    assert stack.attribute("Q", "Arn") == "arn:aws:sqs:us-east-1:123456789012:jobs"


def published(seconds: int, alias: str | None = "live"):
    body = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}}
    properties = {"Name": "flow", "Definition": body, **({"AutoPublishAlias": alias} if alias else {})}
    return {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"M": {"Type": "AWS::Serverless::StateMachine", "Properties": properties}},
    }


def test_auto_publish_alias_follows_each_new_revision():
    backend = Backend()
    client = FakeSFNClient(backend=backend)
    base = "arn:aws:states:us-east-1:123456789012:stateMachine:flow"
    assert backend.deploy_template(published(1), stack_name="app").versions == {"MVersion": f"{base}:1"}
    assert backend.deploy_template(published(1), stack_name="app").versions == {"MVersion": f"{base}:1"}
    second = backend.deploy_template(published(2), stack_name="app")
    assert second.versions == {"MVersion": f"{base}:2"}
    alias = client.describe_state_machine_alias(stateMachineAliasArn=f"{base}:live")
    assert alias["routingConfiguration"] == [{"stateMachineVersionArn": f"{base}:2", "weight": 100}]
    backend.deploy_template(published(2, alias=None), stack_name="app")
    assert client.list_state_machine_aliases(stateMachineArn=base)["stateMachineAliases"] == []
    versions = client.list_state_machine_versions(stateMachineArn=base)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [f"{base}:2", f"{base}:1"]  # versions are kept
