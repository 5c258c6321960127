"""The fake reads no AWS configuration: a broken profile or config file changes nothing.

Run in a fresh interpreter, since botocore models are loaded once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SCRIPT = """
import json
import fakesfn

sfn = fakesfn.FakeSFNClient()
missing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing"
try:
    sfn.describe_state_machine(stateMachineArn=missing)
except sfn.exceptions.StateMachineDoesNotExist as error:
    code = error.response["Error"]["Code"]
machine = sfn.create_state_machine(
    name="m",
    definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
    roleArn="arn:aws:iam::123456789012:role/r",
)
run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"])
print(json.dumps([code, sfn.describe_execution(executionArn=run["executionArn"])["status"]]))
"""


@pytest.mark.parametrize("setting", ["missing profile", "broken config file"])
def test_a_broken_aws_configuration_does_not_reach_the_fake(tmp_path, setting):
    broken = tmp_path / "config"
    broken.write_text("this is [not an ini file\n", encoding="utf-8")
    env = {"PATH": "", "AWS_PROFILE": "no-such-profile"}
    if setting == "broken config file":
        env = {"AWS_CONFIG_FILE": str(broken), "AWS_SHARED_CREDENTIALS_FILE": str(broken)}
    ran = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == ["StateMachineDoesNotExist", "SUCCEEDED"]
