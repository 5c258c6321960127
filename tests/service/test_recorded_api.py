"""API answers as AWS recorded them: each test names the recording or the AWS page it follows."""

from __future__ import annotations

import json

from tests.conftest import ROLE_ARN


def test_a_timed_out_execution_is_described_without_error_or_cause(sfn):
    # LocalStack's test_global_timeout (recorded 2024-03-10): status TIMED_OUT, no error,
    # no cause; the ExecutionTimedOut event carries the error.
    definition = {
        "StartAt": "W",
        "TimeoutSeconds": 5,
        "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}},
    }
    machine = sfn.create_state_machine(name="slow", definition=json.dumps(definition), roleArn=ROLE_ARN)
    execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"])["executionArn"]
    sfn.backend.settle()
    described = sfn.describe_execution(executionArn=execution)
    assert described["status"] == "TIMED_OUT"
    assert "error" not in described
    assert "cause" not in described
    last = sfn.get_execution_history(executionArn=execution, reverseOrder=True)["events"][0]
    assert last["executionTimedOutEventDetails"] == {"error": "States.Timeout"}
