"""The loader against 100 real public templates (../shared/iac): CDK synth output, SAM and CloudFormation.

Each sample's ``meta.json`` says what a correct deployment yields: the logical ids of its
state machines, activities and functions, literal machine names, types, and values for
parameters without defaults. A sample that ships an input is run with it: Lambda stand-ins
echo their event, and the other tasks answer through ``backend.mocks`` (``{}``, or the
answers below that let the sample's own data flow through). Skipped without ../shared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fakesfn import Backend, FakeSFNClient
from fakesfn.iac import DeployError, ParameterError

SHARED = Path(__file__).resolve().parents[3] / "shared" / "iac" / "templates"
if not SHARED.is_dir():
    pytest.skip("../shared/iac is not here", allow_module_level=True)

SAMPLES = sorted(path.parent for path in SHARED.glob("*/*/meta.json"))

PARAMETER_FIXES = {
    # meta.json's example password has a '-' that the template's own AllowedPattern refuses:
    # CloudFormation refuses it too (checked below), so the sample deploys with a valid one.
    "step-functions-workflows-collection/stepfunction-redshift-batchexecutestatement-sam": {
        "MasterUserPassword": "ExamplePassw0rd"
    },
}

ANSWERS: dict[str, dict[str, Any]] = {
    "serverless-patterns/sfn-dynamodb": {"ReadFromDDB": {"Item": {"id": {"S": "12345"}}}},
    "step-functions-workflows-collection/checkout-processing-workflow": {
        "Third Party Payment Service HTTPS Endpoint": {"Status": "PaymentSucceeded", "CartId": "835235"},
        "Third Party Shipping Service HTTPS Endpoint": {"Status": "ShippingSucceeded", "CartId": "835235"},
    },
    "step-functions-workflows-collection/data-processing--sam": {
        "GetObjectAttributes": {
            "ObjectSize": 1024,
            "StorageClass": "STANDARD",
            "LastModified": "2024-01-01T00:00:00Z",
        },
        "DetectLabels": {"Labels": [{"Name": "Desk", "Confidence": 99.1}]},
    },
    "step-functions-workflows-collection/sfn-athena-results": {
        "Start Athena Query": {"QueryExecutionId": "q-1"},
        "Get query result": {
            "QueryExecution": {
                "Status": {"State": "SUCCEEDED"},
                "ResultConfiguration": {"OutputLocation": "s3://r/q-1.csv"},
            }
        },
    },
}

REFUSED = {
    # `$[?(@.TargetLanguageCode==es)]`: Jayway (which AWS runs) reads an unquoted `es` as a number
    # literal and fails, so CreateStateMachine refuses the path (SCHEMA_VALIDATION_FAILED).
    "step-functions-workflows-collection/parallel-translate": ("TranslationStateMachine", "toSpanish.$"),
}

EXPECTED_FAILURES = {
    # The workshop's sample input is {} while the machine maps over $.Data: AWS fails it the same way.
    "the-aws-step-functions-workshop/module_5": ("States.Runtime", "Invalid path '$.Data'"),
}


def _name(sample: Path) -> str:
    return str(sample.relative_to(SHARED))


def _meta(sample: Path) -> dict[str, Any]:
    return dict(json.loads((sample / "meta.json").read_text(encoding="utf-8")))


def _deploy(sample: Path) -> tuple[Backend, Any]:
    meta = _meta(sample)
    backend = Backend()
    parameters = {**meta.get("parameters", {}), **PARAMETER_FIXES.get(_name(sample), {})}
    return backend, backend.deploy_template(sample / meta["template"], parameters=parameters)


@pytest.mark.parametrize("sample", [s for s in SAMPLES if _name(s) not in REFUSED], ids=_name)
def test_every_sample_deploys_with_the_expected_resources_names_and_types(sample):
    meta = _meta(sample)
    backend, stack = _deploy(sample)
    assert sorted(stack.state_machines) == sorted(meta["expected_state_machines"])
    assert sorted(stack.activities) == sorted(meta["expected_activities"])
    assert sorted(stack.functions) == sorted(meta["expected_functions"])
    client = FakeSFNClient(backend=backend)
    described = {
        lid: client.describe_state_machine(stateMachineArn=arn) for lid, arn in stack.state_machines.items()
    }
    assert {lid: described[lid]["name"] for lid in meta.get("state_machine_names", {})} == meta.get(
        "state_machine_names", {}
    )
    assert {lid: d["type"] for lid, d in described.items()} == meta["state_machine_types"]


@pytest.mark.parametrize("sample", [SHARED / name for name in REFUSED], ids=str)
def test_a_sample_whose_definition_aws_refuses_is_refused_naming_the_machine(sample):
    machine, field = REFUSED[_name(sample)]
    with pytest.raises(DeployError) as raised:
        _deploy(sample)
    assert (raised.value.code, raised.value.resource) == ("InvalidDefinition", machine)
    assert f"The value for the field '{field}' must be a valid JSONPath" in raised.value.message


def test_a_parameter_its_template_refuses_is_refused():
    sample = SHARED / "step-functions-workflows-collection/stepfunction-redshift-batchexecutestatement-sam"
    meta = _meta(sample)
    with pytest.raises(ParameterError, match="Parameter MasterUserPassword failed to satisfy constraint"):
        Backend().deploy_template(sample / meta["template"], parameters=meta["parameters"])


def _tasks(states: dict[str, Any]):
    for name, state in states.items():
        if state.get("Type") == "Task":
            yield name, state
        for branch in state.get("Branches", []):
            yield from _tasks(branch["States"])
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                yield from _tasks(state[key]["States"])


def _stand_ins(backend: Backend, stack: Any, definition: dict[str, Any], answers: dict[str, Any]) -> None:
    for arn in stack.functions.values():
        backend.register_lambda(arn, lambda event, context: event)
    for name, state in _tasks(definition["States"]):
        resource = state.get("Resource", "")
        function = (
            (state.get("Parameters") or {}).get("FunctionName") if "lambda:invoke" in resource else None
        )
        if resource.startswith("arn:") and resource.split(":")[2] == "lambda":
            function = resource
        if isinstance(function, str):
            backend.register_lambda(function, lambda event, context: event)
        else:
            backend.mocks.state(name).returns(answers.get(name, {}))


RUNNABLE = [sample for sample in SAMPLES if "example_input" in _meta(sample) and _name(sample) not in REFUSED]


@pytest.mark.parametrize("sample", RUNNABLE, ids=_name)
def test_every_sample_runs_its_own_input(sample):
    backend, stack = _deploy(sample)
    client = FakeSFNClient(backend=backend)
    payload = json.dumps(_meta(sample)["example_input"])
    for arn in stack.state_machines.values():
        described = client.describe_state_machine(stateMachineArn=arn)
        _stand_ins(backend, stack, json.loads(described["definition"]), ANSWERS.get(_name(sample), {}))
        if described["type"] == "EXPRESS":
            done = client.start_sync_execution(stateMachineArn=arn, input=payload)
        else:
            started = client.start_execution(stateMachineArn=arn, input=payload)
            backend.settle()
            done = client.describe_execution(executionArn=started["executionArn"])
        expected = EXPECTED_FAILURES.get(_name(sample))
        if expected is None:
            assert done["status"] == "SUCCEEDED", done.get("cause")
        else:
            assert (done["status"], done["error"]) == ("FAILED", expected[0])
            assert expected[1] in done["cause"]
