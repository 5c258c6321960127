"""``fakesfn run --template`` and ``fakesfn validate --template``."""

from __future__ import annotations

import json

import pytest

from fakesfn.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from tests.iac.helpers import write

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String}
Resources:
  PriceFunction:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.price, Runtime: python3.12}
  Checkout:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Price
        States:
          Price:
            Type: Task
            Resource: !GetAtt PriceFunction.Arn
            Parameters: {stage: !Ref Stage, "item.$": "$.item"}
            End: true
  Audit:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      Definition:
        StartAt: Log
        States:
          Log: {Type: Pass, Result: !Sub "audited in ${Stage}", End: true}
"""

HANDLERS = """
def PriceFunction(event, context):
    return {"price": 7, **event}
"""


@pytest.fixture
def project(tmp_path):
    return (
        str(write(tmp_path, "template.yaml", TEMPLATE)),
        str(write(tmp_path, "handlers.py", HANDLERS)),
    )


def one_line_error(capsys, fragment):
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("fakesfn: error: ")
    assert fragment in err


def test_run_a_machine_of_a_template_with_stand_ins_named_by_logical_id(project, capsys):
    template, handlers = project
    argv = ["run", "--template", template, "--state-machine", "Checkout", "--parameter", "Stage=test"]
    argv += ["--handlers", handlers, "--input", '{"item": "pen"}', "--quiet"]
    assert main(argv) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == {"price": 7, "stage": "test", "item": "pen"}


def test_run_an_express_machine_of_a_template(project, capsys):
    template, _ = project
    argv = ["run", "--template", template, "--state-machine", "Audit", "--parameter", "Stage=prod", "--quiet"]
    assert main(argv) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == "audited in prod"


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["run", "--parameter", "Stage=x"], EXIT_USAGE, "give a definition file, or --template FILE"),
        (["run", "x.json", "--template", "{t}"], EXIT_USAGE, "not both"),
        (
            ["run", "{t}", "--state-machine", "A"],
            EXIT_USAGE,
            "--state-machine and --parameter go with --template",
        ),
        (
            ["run", "--template", "{t}", "--parameter", "Stage=a"],
            EXIT_USAGE,
            "choose one with --state-machine (Audit, Checkout)",
        ),
        (
            ["run", "--template", "{t}", "--parameter", "Stage=a", "--state-machine", "Nope"],
            EXIT_USAGE,
            "the template has no state machine 'Nope' (state machines: Audit, Checkout)",
        ),
        (
            ["run", "--template", "{t}", "--state-machine", "Audit"],
            EXIT_USAGE,
            "Parameters: [Stage] must have values",
        ),
        (
            ["run", "--template", "{t}", "--parameter", "Stage"],
            EXIT_USAGE,
            "--parameter wants KEY=VALUE, got 'Stage'",
        ),
        (
            [
                "run",
                "--template",
                "{t}",
                "--state-machine",
                "Audit",
                "--parameter",
                "Stage=a",
                "--type",
                "EXPRESS",
            ],
            EXIT_USAGE,
            "--type comes from the template with --template",
        ),
        (["validate", "--template", "missing.yaml"], EXIT_USAGE, "cannot read template missing.yaml"),
    ],
)
def test_template_usage_errors_are_one_line(project, capsys, argv, code, fragment):
    template, _ = project
    assert main([template if arg == "{t}" else arg for arg in argv]) == code
    one_line_error(capsys, fragment)


def test_validate_checks_every_machine_of_the_template(tmp_path, capsys):
    template = write(
        tmp_path,
        "t.json",
        json.dumps(
            {
                "Resources": {
                    "Good": {
                        "Type": "AWS::StepFunctions::StateMachine",
                        "Properties": {
                            "RoleArn": "arn:aws:iam::123456789012:role/r",
                            "Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                        },
                    },
                    "Bad": {
                        "Type": "AWS::StepFunctions::StateMachine",
                        "Properties": {
                            "RoleArn": "arn:aws:iam::123456789012:role/r",
                            "Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Q"}}},
                        },
                    },
                }
            }
        ),
    )
    assert main(["validate", "--template", str(template)]) == EXIT_FAILED
    lines = capsys.readouterr().out.splitlines()
    assert "Good: OK" in lines
    assert "Bad: FAIL" in lines
    assert any(line.startswith("Bad: ERROR: MISSING_TRANSITION_TARGET") for line in lines)


def test_validate_a_valid_template_and_a_refused_one(project, tmp_path, capsys):
    template, _ = project
    assert main(["validate", "--template", template, "--parameter", "Stage=test"]) == EXIT_OK
    assert capsys.readouterr().out == "Checkout: OK\nAudit: OK\n"
    broken = write(
        tmp_path, "broken.json", '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "DependsOn": "Nope"}}}'
    )
    assert main(["validate", "--template", str(broken)]) == EXIT_FAILED
    one_line_error(capsys, "Unresolved resource dependencies [Nope]")
