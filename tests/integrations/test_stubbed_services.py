"""Integrations moto cannot serve here (Lambda invoke, Glue jobs), behind botocore's Stubber."""

from __future__ import annotations

import io
import json

import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY

from tests.integrations.helpers import StubbedSession, create, elapsed, read, start, task_machine

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:remote"


@pytest.fixture
def session(sfn_backend):
    stubbed = StubbedSession()
    sfn_backend.aws_session = stubbed
    yield stubbed
    for stubber in stubbed.stubbers.values():
        stubber.assert_no_pending_responses()


def payload(value):
    raw = json.dumps(value).encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


def test_lambda_invoke_without_a_handler_calls_the_real_api(sfn, session):
    session.stub("lambda").add_response(
        "invoke",
        {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": payload({"sum": 3})},
        {"FunctionName": "remote", "Payload": '{"a":1,"b":2}'},
    )
    definition = task_machine(
        "arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "remote", "Payload.$": "$"}
    )
    ran = read(sfn, start(sfn, create(sfn, definition), {"a": 1, "b": 2}))
    assert ran.status == "SUCCEEDED"
    assert ran.output["Payload"] == {"sum": 3}
    assert ran.output["StatusCode"] == 200
    assert "SdkHttpMetadata" in ran.output


def test_real_function_error_uses_the_payload_error_type(sfn, session):
    failure = {"errorMessage": "boom", "errorType": "ValueError", "stackTrace": []}
    session.stub("lambda").add_response(
        "invoke",
        {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": payload(failure)},
        {"FunctionName": ANY},
    )
    definition = task_machine("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "remote"})
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert ran.describe["error"] == "ValueError"
    assert json.loads(ran.describe["cause"]) == failure


def test_function_arn_resource_calls_the_real_function(sfn, session):
    session.stub("lambda").add_response(
        "invoke",
        {"StatusCode": 200, "Payload": payload([1, 2])},
        {"FunctionName": FUNCTION_ARN, "Payload": '{"x":1}'},
    )
    ran = read(sfn, start(sfn, create(sfn, task_machine(FUNCTION_ARN)), {"x": 1}))
    assert ran.output == [1, 2]
    assert ran.types[2:5] == ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded"]


def test_registered_handler_still_wins_over_the_session(sfn, sfn_backend, session):
    sfn_backend.register_lambda("remote", lambda event, context: "local")
    definition = task_machine("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "remote"})
    assert read(sfn, start(sfn, create(sfn, definition))).output["Payload"] == "local"


def test_glue_sync_polls_until_the_run_ends(sfn, session):
    glue = session.stub("glue")
    glue.add_response("start_job_run", {"JobRunId": "jr_1"}, {"JobName": "etl"})
    run = {"Id": "jr_1", "JobName": "etl"}
    glue.add_response(
        "get_job_run", {"JobRun": {**run, "JobRunState": "RUNNING"}}, {"JobName": "etl", "RunId": "jr_1"}
    )
    glue.add_response(
        "get_job_run", {"JobRun": {**run, "JobRunState": "SUCCEEDED"}}, {"JobName": "etl", "RunId": "jr_1"}
    )
    definition = task_machine("arn:aws:states:::glue:startJobRun.sync", Parameters={"JobName": "etl"})
    execution = start(sfn, create(sfn, definition))
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.output["JobRun"]["JobRunState"] == "SUCCEEDED"
    assert ran.types[4:6] == ["TaskSubmitted", "TaskSucceeded"]
    assert elapsed(ran, "TaskSucceeded") == 10


def test_glue_sync_failure_is_task_failed(sfn, session):
    glue = session.stub("glue")
    glue.add_response("start_job_run", {"JobRunId": "jr_2"}, {"JobName": "etl"})
    glue.add_response(
        "get_job_run",
        {"JobRun": {"Id": "jr_2", "JobRunState": "FAILED", "ErrorMessage": "oom"}},
        {"JobName": "etl", "RunId": "jr_2"},
    )
    definition = task_machine("arn:aws:states:::glue:startJobRun.sync", Parameters={"JobName": "etl"})
    execution = start(sfn, create(sfn, definition))
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["JobRun"]["ErrorMessage"] == "oom"


def test_glue_request_response_returns_the_run_id(sfn, session):
    session.stub("glue").add_response("start_job_run", {"JobRunId": "jr_3"}, {"JobName": "etl"})
    definition = task_machine("arn:aws:states:::glue:startJobRun", Parameters={"JobName": "etl"})
    assert read(sfn, start(sfn, create(sfn, definition))).output["JobRunId"] == "jr_3"


def test_batch_sync_waits_for_the_job(sfn, session):
    batch = session.stub("batch")
    batch.add_response(
        "submit_job",
        {"jobName": "nightly", "jobId": "job-1"},
        {"jobName": "nightly", "jobQueue": "q", "jobDefinition": "d"},
    )
    job = {"jobName": "nightly", "jobId": "job-1", "jobQueue": "q", "startedAt": 1, "jobDefinition": "d"}
    batch.add_response("describe_jobs", {"jobs": [{**job, "status": "RUNNING"}]}, {"jobs": ["job-1"]})
    batch.add_response("describe_jobs", {"jobs": [{**job, "status": "SUCCEEDED"}]}, {"jobs": ["job-1"]})
    parameters = {"JobName": "nightly", "JobQueue": "q", "JobDefinition": "d"}
    execution = start(
        sfn, create(sfn, task_machine("arn:aws:states:::batch:submitJob.sync", Parameters=parameters))
    )
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.status == "SUCCEEDED"
    assert ran.output["Jobs"][0]["Status"] == "SUCCEEDED"


def test_ecs_sync_fails_on_a_non_zero_exit_code(sfn, session):
    ecs = session.stub("ecs")
    task_arn = "arn:aws:ecs:us-east-1:123456789012:task/default/t1"
    ecs.add_response(
        "run_task", {"tasks": [{"taskArn": task_arn}]}, {"taskDefinition": "web", "cluster": "default"}
    )
    stopped = {"taskArn": task_arn, "lastStatus": "STOPPED", "containers": [{"name": "app", "exitCode": 1}]}
    ecs.add_response("describe_tasks", {"tasks": [stopped]}, {"cluster": "default", "tasks": [task_arn]})
    parameters = {"TaskDefinition": "web", "Cluster": "default"}
    execution = start(
        sfn, create(sfn, task_machine("arn:aws:states:::ecs:runTask.sync", Parameters=parameters))
    )
    sfn.backend.settle()
    ran = read(sfn, execution)
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["Tasks"][0]["Containers"][0]["ExitCode"] == 1
