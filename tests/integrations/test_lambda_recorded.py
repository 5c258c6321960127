"""Lambda tasks answer as AWS recorded them: timeouts, empty results, log tails, error causes.

Each expectation names the recording it comes from (LocalStack's AWS-validated
snapshots): what a Catcher receives when the invocation times out, how the error
payload becomes the cause for each resource form, and the Invoke response that
``LogType: Tail`` adds ``LogResult`` to.
"""

from __future__ import annotations

import base64
import json

from tests.conftest import ROLE_ARN
from tests.engine.helpers import jsonpath

INVOKE = "arn:aws:states:::lambda:invoke"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:{}"


def _raise(event, context):
    raise Exception("Some exception was raised.")


def test_a_timed_out_invocation_hands_its_catcher_an_empty_cause(run, sfn_backend):
    # LocalStack's test_invoke_timeout (recorded 2024-11-28).
    sfn_backend.register_lambda("slow", lambda event, context: event, duration=60)
    ran = run(
        jsonpath(
            {
                "Start": {
                    "Type": "Task",
                    "Resource": INVOKE,
                    "TimeoutSeconds": 5,
                    "Parameters": {"FunctionName": "slow", "Payload": None},
                    "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "EndWithHandler"}],
                    "End": True,
                },
                "EndWithHandler": {"Type": "Pass", "ResultPath": "$.error", "End": True},
            }
        )
    )
    timed_out = ran.details("TaskTimedOut")
    assert timed_out == [{"error": "States.Timeout", "resource": "invoke", "resourceType": "lambda"}]
    assert ran.output == {
        "Error": "States.Timeout",
        "Cause": "",
        "error": {"Error": "States.Timeout", "Cause": ""},
    }


def test_a_function_that_returns_nothing(run, sfn_backend):
    # The Python runtime answers None with the payload "null".
    sfn_backend.register_lambda("quiet", lambda event, context: None)
    legacy = run(jsonpath({"T": {"Type": "Task", "Resource": FUNCTION.format("quiet"), "End": True}}))
    assert legacy.describe["output"] == "null"
    assert legacy.details("LambdaFunctionSucceeded")[0]["output"] == "null"
    invoked = run(
        jsonpath(
            {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "quiet"}, "End": True}}
        )
    )
    assert invoked.output["Payload"] is None
    assert invoked.output["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] == "4"


def test_log_type_tail_adds_the_log_result(run, sfn_backend):
    # LocalStack's test_invoke_unsupported_param (recorded 2025-11-06): LogResult and the
    # X-Amz-Log-Result header, which Lambda sends first.
    def chatty(event, context):
        print("working on", event)
        return {}

    sfn_backend.register_lambda("chatty", chatty, duration=0.25)
    ran = run(
        jsonpath(
            {
                "Start": {
                    "Type": "Task",
                    "Resource": INVOKE,
                    "Parameters": {"FunctionName": "chatty", "Payload": 7, "LogType": "Tail"},
                    "End": True,
                }
            }
        )
    )
    output = ran.output
    assert list(output) == [
        "ExecutedVersion",
        "LogResult",
        "Payload",
        "SdkHttpMetadata",
        "SdkResponseMetadata",
        "StatusCode",
    ]
    log = base64.b64decode(output["LogResult"]).decode()
    request_id = output["SdkResponseMetadata"]["RequestId"]
    assert log == (
        f"START RequestId: {request_id} Version: $LATEST\n"
        "working on 7\n"
        f"END RequestId: {request_id}\n"
        f"REPORT RequestId: {request_id}\tDuration: 250.00 ms\tBilled Duration: 250 ms\t"
        "Memory Size: 128 MB\t\n"
    )
    all_headers = output["SdkHttpMetadata"]["AllHttpHeaders"]
    assert list(all_headers) == [
        "X-Amz-Log-Result",
        "X-Amz-Executed-Version",
        "x-amzn-Remapped-Content-Length",
        "Connection",
        "x-amzn-RequestId",
        "Content-Length",
        "Date",
        "X-Amzn-Trace-Id",
        "Content-Type",
    ]
    assert all_headers["X-Amz-Log-Result"] == [output["LogResult"]]
    assert output["SdkHttpMetadata"]["HttpHeaders"]["Date"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_without_log_type_there_is_no_log_result(run, sfn_backend):
    sfn_backend.register_lambda("plain", lambda event, context: {})
    ran = run(
        jsonpath(
            {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "plain"}, "End": True}}
        )
    )
    assert "LogResult" not in ran.output
    assert "X-Amz-Log-Result" not in ran.output["SdkHttpMetadata"]["HttpHeaders"]


def _caught(run, resource, parameters=None):
    task = {
        "Type": "Task",
        "Resource": resource,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
        "End": True,
    }
    if parameters is not None:
        task["Parameters"] = parameters
    return run(jsonpath({"T": task, "H": {"Type": "Pass", "End": True}}))


def test_lambda_invoke_writes_the_error_payload_again_as_compact_json(run, sfn_backend):
    # Every TaskFailed cause of a lambda:invoke in LocalStack's snapshots (Standard and Express,
    # e.g. test_catch, 2024-07-15) is compact; every LambdaFunctionFailed one is as Lambda wrote it.
    sfn_backend.register_lambda("boom", _raise)
    ran = _caught(run, INVOKE, {"FunctionName": "boom"})
    cause = ran.output["Cause"]
    assert cause.startswith(
        '{"errorMessage":"Some exception was raised.","errorType":"Exception","requestId":"'
    )
    assert ran.details("TaskFailed")[0]["cause"] == cause
    assert json.loads(cause)["stackTrace"]


def test_a_function_arn_task_passes_the_error_payload_on_as_written(run, sfn_backend):
    # LocalStack's test_retry (Express, recorded 2024-07-15) and test_raise_custom_exception.
    sfn_backend.register_lambda("boom", _raise)
    ran = _caught(run, FUNCTION.format("boom"))
    cause = ran.output["Cause"]
    assert cause.startswith(
        '{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": "'
    )
    assert ran.details("LambdaFunctionFailed")[0]["cause"] == cause


def test_express_executions_render_error_causes_as_standard_ones_do(sfn, sfn_backend):
    # LocalStack's express/test_express_sync test_catch (lambda:invoke: compact) and test_retry
    # (function ARN: as Lambda wrote it), both StartSyncExecution, recorded 2024-07-15.
    sfn_backend.register_lambda(FUNCTION.format("boom"), _raise)
    causes = {}
    for name, resource, parameters in (
        ("invoke", INVOKE, {"FunctionName": "boom", "Payload": None}),
        ("function", FUNCTION.format("boom"), None),
    ):
        task: dict = {
            "Type": "Task",
            "Resource": resource,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
        }
        if parameters is not None:
            task["Parameters"] = parameters
        task["End"] = True
        definition = jsonpath({"T": task, "H": {"Type": "Pass", "End": True}})
        arn = sfn.create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=ROLE_ARN, type="EXPRESS"
        )["stateMachineArn"]
        reply = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        assert reply["status"] == "SUCCEEDED"
        output = json.loads(reply["output"])
        assert output["Error"] == "Exception"
        causes[name] = output["Cause"]
    assert causes["invoke"].startswith(
        '{"errorMessage":"Some exception was raised.","errorType":"Exception",'
    )
    assert causes["function"].startswith(
        '{"errorMessage": "Some exception was raised.", "errorType": "Exception", '
    )
    assert (
        json.loads(causes["invoke"]).keys()
        == json.loads(causes["function"]).keys()
        == {
            "errorMessage",
            "errorType",
            "requestId",
            "stackTrace",
        }
    )
