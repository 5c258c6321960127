"""Task states backed by registered Python "lambdas": both resource forms, errors, timeouts."""

from __future__ import annotations

import json

import fakesfn

FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def task(resource=FN_ARN, **fields):
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True, **fields}}}


def test_legacy_function_arn_returns_payload_and_records_lambda_events(run, sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: {"got": event})
    ran = run(task(), {"a": 1})
    assert ran.output == {"got": {"a": 1}}
    assert ran.types == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    (scheduled,) = ran.details("LambdaFunctionScheduled")
    assert scheduled["resource"] == FN_ARN
    assert json.loads(scheduled["input"]) == {"a": 1}


def test_lambda_invoke_wraps_the_payload(run, sfn_backend):
    sfn_backend.register_lambda(FN_ARN, lambda event, context: event["n"] * 2)
    definition = task(
        "arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "echo", "Payload": {"n.$": "$.n"}}
    )
    ran = run(definition, {"n": 21})
    assert ran.output["Payload"] == 42
    assert ran.output["StatusCode"] == 200
    assert ran.output["ExecutedVersion"] == "$LATEST"
    (scheduled,) = ran.details("TaskScheduled")
    assert (scheduled["resourceType"], scheduled["resource"]) == ("lambda", "invoke")
    assert json.loads(scheduled["parameters"]) == {"FunctionName": "echo", "Payload": {"n": 21}}


def test_handler_exception_becomes_the_task_error(run, sfn_backend):
    def handler(event, context):
        raise ValueError("bad value")

    sfn_backend.register_lambda("echo", handler)
    ran = run(task())
    assert ran.describe["error"] == "ValueError"
    cause = json.loads(ran.describe["cause"])
    assert cause["errorMessage"] == "bad value"
    assert cause["errorType"] == "ValueError"
    assert isinstance(cause["stackTrace"], list)


def test_lambda_error_sets_payload_exactly(run, sfn_backend):
    def handler(event, context):
        raise fakesfn.LambdaError("Custom.Error", "nope", ["line 1"])

    sfn_backend.register_lambda("echo", handler)
    ran = run(task())
    assert ran.describe["error"] == "Custom.Error"
    cause = json.loads(ran.describe["cause"])
    assert (cause["errorMessage"], cause["stackTrace"]) == ("nope", ["line 1"])


def test_bytes_are_the_raw_payload(run, sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: b'"raw"')
    assert run(task()).output == "raw"


def test_unregistered_function_fails_like_aws(run):
    ran = run(task())
    assert ran.describe["error"] == "Lambda.ResourceNotFoundException"
    assert ran.describe["cause"].startswith(f"Function not found: {FN_ARN}:$LATEST")


def test_duration_takes_virtual_time_and_timeout_wins(run, sfn, sfn_backend):
    sfn_backend.register_lambda("echo", lambda event, context: {"ok": True}, duration=120)
    slow = run(task(TimeoutSeconds=60))
    assert slow.describe["error"] == "States.Timeout"
    assert "LambdaFunctionTimedOut" in slow.types
    assert (slow.events[-1]["timestamp"] - slow.events[0]["timestamp"]).total_seconds() == 60
    fine = run(task(TimeoutSeconds=300))
    assert fine.status == "SUCCEEDED"
    assert (fine.events[-1]["timestamp"] - fine.events[0]["timestamp"]).total_seconds() == 120


def test_context_reports_remaining_virtual_time(run, sfn_backend):
    seen = {}

    def handler(event, context):
        seen["remaining"] = context.get_remaining_time_in_millis()
        seen["name"] = context.function_name
        return

    sfn_backend.register_lambda("echo", handler)
    run(task(TimeoutSeconds=10))
    assert seen == {"remaining": 10_000, "name": "echo"}


def test_handler_gets_a_private_copy_of_the_event(run, sfn_backend):
    def handler(event, context):
        event["mutated"] = True
        return event

    sfn_backend.register_lambda("echo", handler)
    ran = run(task(), {"a": 1})
    (scheduled,) = ran.details("LambdaFunctionScheduled")
    assert json.loads(scheduled["input"]) == {"a": 1}
