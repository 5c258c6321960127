"""The real AWS CLI (``awscli`` from PyPI), in a subprocess, against the server.

awscli is never imported here: importing it aliases ``botocore`` to the copy it
vendors, which would swap the botocore under every other test in the process.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from fakesfn.server import start_server
from tests.server.conftest import ROLE_ARN, boto_client

pytestmark = pytest.mark.skipif(importlib.util.find_spec("awscli") is None, reason="awscli is not installed")

DEFINITION = {
    "StartAt": "Greet",
    "States": {"Greet": {"Type": "Pass", "Parameters": {"hello.$": "$.who"}, "End": True}},
}


@pytest.fixture(scope="module")
def server():
    with start_server() as running:
        yield running
        assert running.internal_errors == []


@pytest.fixture(scope="module")
def aws(server, tmp_path_factory):
    """``aws(*args)``: run ``aws stepfunctions ARGS`` against the server; (exit code, parsed JSON, stderr)."""
    home = tmp_path_factory.mktemp("aws-home")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    }

    def run(*args: str) -> tuple[int, object, str]:
        command = [sys.executable, "-m", "awscli", "stepfunctions", *args]
        command += ["--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
        return done.returncode, json.loads(done.stdout) if done.stdout.strip() else None, done.stderr

    return run


def test_create_start_describe_and_read_history(aws):
    code, created, _ = aws(
        "create-state-machine",
        "--name",
        "greeter",
        "--definition",
        json.dumps(DEFINITION),
        "--role-arn",
        ROLE_ARN,
    )
    assert code == 0
    assert created["stateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:greeter"
    code, started, _ = aws(
        "start-execution", "--state-machine-arn", created["stateMachineArn"], "--name", "first",
        "--input", '{"who": "cli"}',
    )  # fmt: skip
    assert code == 0
    execution = started["executionArn"]
    assert execution == "arn:aws:states:us-east-1:123456789012:execution:greeter:first"
    code, described, _ = aws("describe-execution", "--execution-arn", execution)
    assert code == 0
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"hello": "cli"}
    code, history, _ = aws("get-execution-history", "--execution-arn", execution)
    assert code == 0
    assert [event["type"] for event in history["events"]] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert json.loads(history["events"][0]["executionStartedEventDetails"]["input"]) == {"who": "cli"}


def test_the_cli_follows_next_tokens(server, aws):
    sfn = boto_client(server)
    try:
        machine = sfn.create_state_machine(name="paged", definition=json.dumps(DEFINITION), roleArn=ROLE_ARN)
        for index in range(3):
            sfn.start_execution(
                stateMachineArn=machine["stateMachineArn"], name=f"run-{index}", input='{"who": 1}'
            )
    finally:
        sfn.close()
    code, listed, _ = aws(
        "list-executions", "--state-machine-arn", machine["stateMachineArn"], "--page-size", "1"
    )
    assert code == 0
    assert [e["name"] for e in listed["executions"]] == ["run-2", "run-1", "run-0"]


def test_a_service_error_is_a_failing_exit_code_with_aws_wording(aws):
    missing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing"
    code, out, err = aws("describe-state-machine", "--state-machine-arn", missing)
    assert code != 0
    assert out is None
    assert "(StateMachineDoesNotExist)" in err
    assert f"State Machine Does Not Exist: '{missing}'" in err
