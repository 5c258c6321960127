"""Bedrock, MediaConvert and DataBrew optimized integrations, behind botocore's Stubber.

Every answer comes from a Stubber the test controls, so what is under test is the
integration itself: the SDK call it makes of the task's parameters, how ``.sync`` polls,
and the result and errors it hands back.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone

from botocore.response import StreamingBody

from tests.botocore_model import needs_input_member
from tests.integrations.helpers import create, elapsed, read, start, task_machine
from tests.integrations.test_stubbed_services import session  # noqa: F401 - the Stubber-backed session fixture

ROLE = "arn:aws:iam::123456789012:role/jobs"
MODEL = "amazon.titan-text-express-v1"
CREATED = datetime(2024, 1, 1, tzinfo=timezone.utc)


def run(sfn, resource, parameters, **fields):
    name = f"m{len(sfn.list_state_machines()['stateMachines'])}"
    definition = task_machine(resource, Parameters=parameters, **fields)
    execution = start(sfn, create(sfn, definition, name=name))
    sfn.backend.settle()
    return read(sfn, execution)


def stream(text):
    raw = text.encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


# --- Bedrock ---------------------------------------------------------------------------------


def test_invoke_model_sends_the_body_as_json_and_parses_the_answer(sfn, session):  # noqa: F811
    answer = {"results": [{"outputText": "Ada, Grace"}]}
    session.stub("bedrock-runtime").add_response(
        "invoke_model",
        {"body": stream(json.dumps(answer)), "contentType": "application/json"},
        {
            "modelId": MODEL,
            "body": '{"inputText":"Two names"}',
            "contentType": "application/json",
            "accept": "application/json",
        },
    )
    ran = run(
        sfn,
        "arn:aws:states:::bedrock:invokeModel",
        {"ModelId": MODEL, "Body": {"inputText": "Two names"}},
        ResultSelector={"names.$": "$.Body.results[0].outputText"},
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"names": "Ada, Grace"}
    assert ran.types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited"]


def test_invoke_model_result_is_body_and_content_type(sfn, session):  # noqa: F811
    session.stub("bedrock-runtime").add_response(
        "invoke_model",
        {"body": stream("plain words"), "contentType": "text/plain"},
        {"modelId": MODEL, "body": "hi", "contentType": "text/plain", "accept": "text/plain"},
    )
    ran = run(
        sfn,
        "arn:aws:states:::bedrock:invokeModel",
        {"ModelId": MODEL, "Body": "hi", "ContentType": "text/plain", "Accept": "text/plain"},
    )
    assert ran.output == {"Body": "plain words", "ContentType": "text/plain"}


def test_invoke_model_reads_input_from_s3_and_writes_output_to_s3(sfn, session):  # noqa: F811
    s3 = session.stub("s3")
    s3.add_response(
        "get_object",
        {"Body": stream('{"inputText":"from s3"}'), "ContentType": "application/json"},
        {"Bucket": "prompts", "Key": "in/p.json"},
    )
    session.stub("bedrock-runtime").add_response(
        "invoke_model",
        {"body": stream('{"outputText":"ok"}'), "contentType": "application/json"},
        {
            "modelId": MODEL,
            "body": b'{"inputText":"from s3"}',
            "contentType": "application/json",
            "accept": "application/json",
        },
    )
    s3.add_response(
        "put_object",
        {},
        {
            "Bucket": "answers",
            "Key": "out/a.json",
            "Body": '{"outputText":"ok"}',
            "ContentType": "application/json",
        },
    )
    ran = run(
        sfn,
        "arn:aws:states:::bedrock:invokeModel",
        {
            "ModelId": MODEL,
            "Input": {"S3Uri": "s3://prompts/in/p.json"},
            "Output": {"S3Uri": "s3://answers/out/a.json"},
        },
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"Body": {"S3Uri": "s3://answers/out/a.json"}, "ContentType": "application/json"}


@needs_input_member("bedrock-runtime", "InvokeModel", "performanceConfigLatency")
def test_invoke_model_keeps_the_other_answers_and_names_s3_errors(sfn, session):  # noqa: F811
    session.stub("bedrock-runtime").add_response(
        "invoke_model",
        {"body": stream("{}"), "contentType": "application/json", "performanceConfigLatency": "optimized"},
    )
    ran = run(sfn, "arn:aws:states:::bedrock:invokeModel", {"ModelId": MODEL, "Body": {}})
    assert ran.output == {
        "Body": {},
        "ContentType": "application/json",
        "PerformanceConfigLatency": "optimized",
    }
    session.stub("s3").add_client_error(
        "get_object", "NoSuchKey", "The specified key does not exist.", http_status_code=404
    )
    ran = run(sfn, "arn:aws:states:::bedrock:invokeModel", {"ModelId": MODEL, "Input": {"S3Uri": "s3://b/k"}})
    assert ran.describe["error"].startswith("S3.NoSuchKey")
    assert "(Service: Amazon S3; Status Code: 404; Error Code: NoSuchKey;" in ran.describe["cause"]


def test_invoke_model_refuses_an_s3_uri_that_is_not_one(sfn, session):  # noqa: F811
    ran = run(sfn, "arn:aws:states:::bedrock:invokeModel", {"ModelId": MODEL, "Input": {"S3Uri": "b/k"}})
    assert ran.describe["error"] == "States.Runtime"
    assert "'Input' must be an object with an 'S3Uri' of the form s3://bucket/key" in ran.describe["cause"]


def test_invoke_model_refuses_body_and_input_together(sfn, session):  # noqa: F811
    ran = run(
        sfn,
        "arn:aws:states:::bedrock:invokeModel",
        {"ModelId": MODEL, "Body": {}, "Input": {"S3Uri": "s3://prompts/p.json"}},
    )
    assert ran.describe["error"] == "States.Runtime"
    assert "either 'Body' or 'Input'" in ran.describe["cause"]


def test_invoke_model_service_error_is_named_for_bedrock_and_catchable(sfn, session):  # noqa: F811
    session.stub("bedrock-runtime").add_client_error(
        "invoke_model", "ValidationException", "Malformed input request", http_status_code=400
    )
    definition = task_machine(
        "arn:aws:states:::bedrock:invokeModel",
        Parameters={"ModelId": MODEL, "Body": {"bad": True}},
        Catch=[{"ErrorEquals": ["Bedrock.ValidationException"], "Next": "Caught"}],
    )
    definition["States"]["Caught"] = {"Type": "Pass", "End": True}
    ran = read(sfn, start(sfn, create(sfn, definition)))
    assert ran.status == "SUCCEEDED"
    assert ran.output["Error"] == "Bedrock.ValidationException"
    assert ran.output["Cause"].startswith(
        "Malformed input request (Service: AmazonBedrockRuntime; Status Code: 400;"
    )


def customization_job(status):
    return {
        "jobArn": "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/j1",
        "jobName": "tune",
        "outputModelName": "tuned",
        "roleArn": ROLE,
        "creationTime": CREATED,
        "baseModelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{MODEL}",
        "trainingDataConfig": {"s3Uri": "s3://data/train.jsonl"},
        "validationDataConfig": {"validators": []},
        "outputDataConfig": {"s3Uri": "s3://data/out/"},
        "hyperParameters": {"epochCount": "1"},  # required by older botocore models (1.35.68)
        "status": status,
    }


def test_model_customization_job_sync_waits_for_completed(sfn, session):  # noqa: F811
    bedrock = session.stub("bedrock")
    arn = "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/j1"
    parameters = {
        "JobName": "tune",
        "CustomModelName": "tuned",
        "RoleArn": ROLE,
        "BaseModelIdentifier": MODEL,
        "TrainingDataConfig": {"S3Uri": "s3://data/train.jsonl"},
        "OutputDataConfig": {"S3Uri": "s3://data/out/"},
        "HyperParameters": {"epochCount": "1"},
    }
    bedrock.add_response(
        "create_model_customization_job",
        {"jobArn": arn},
        {
            "jobName": "tune",
            "customModelName": "tuned",
            "roleArn": ROLE,
            "baseModelIdentifier": MODEL,
            "trainingDataConfig": {"s3Uri": "s3://data/train.jsonl"},
            "outputDataConfig": {"s3Uri": "s3://data/out/"},
            "hyperParameters": {"epochCount": "1"},
        },
    )
    bedrock.add_response(
        "get_model_customization_job", customization_job("InProgress"), {"jobIdentifier": arn}
    )
    bedrock.add_response(
        "get_model_customization_job", customization_job("Completed"), {"jobIdentifier": arn}
    )
    ran = run(sfn, "arn:aws:states:::bedrock:createModelCustomizationJob.sync", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output["Status"] == "Completed"
    assert ran.output["JobArn"] == arn
    assert ran.types[4:6] == ["TaskSubmitted", "TaskSucceeded"]
    assert elapsed(ran, "TaskSucceeded") == 10


def test_model_customization_job_request_response_answers_the_arn(sfn, session):  # noqa: F811
    arn = "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/j2"
    session.stub("bedrock").add_response("create_model_customization_job", {"jobArn": arn})
    parameters = {
        "JobName": "tune",
        "CustomModelName": "tuned",
        "RoleArn": ROLE,
        "BaseModelIdentifier": MODEL,
        "TrainingDataConfig": {"S3Uri": "s3://data/train.jsonl"},
        "OutputDataConfig": {"S3Uri": "s3://data/out/"},
        "HyperParameters": {},
    }
    ran = run(sfn, "arn:aws:states:::bedrock:createModelCustomizationJob", parameters)
    assert ran.output["JobArn"] == arn


def test_a_failed_customization_job_fails_the_task(sfn, session):  # noqa: F811
    bedrock = session.stub("bedrock")
    arn = "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/j1"
    bedrock.add_response("create_model_customization_job", {"jobArn": arn})
    failed = {**customization_job("Failed"), "failureMessage": "bad data"}
    bedrock.add_response("get_model_customization_job", failed, {"jobIdentifier": arn})
    parameters = {
        "JobName": "tune",
        "CustomModelName": "tuned",
        "RoleArn": ROLE,
        "BaseModelIdentifier": MODEL,
        "TrainingDataConfig": {"S3Uri": "s3://data/train.jsonl"},
        "OutputDataConfig": {"S3Uri": "s3://data/out/"},
        "HyperParameters": {},
    }
    ran = run(sfn, "arn:aws:states:::bedrock:createModelCustomizationJob.sync", parameters)
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["FailureMessage"] == "bad data"


# --- MediaConvert and DataBrew -----------------------------------------------------------------


def media_job(status):
    return {"Job": {"Id": "1700-abc", "Role": ROLE, "Settings": {}, "Status": status}}


def test_mediaconvert_create_job_sync_waits_for_complete(sfn, session):  # noqa: F811
    media = session.stub("mediaconvert")
    queue = "arn:aws:mediaconvert:us-east-1:123456789012:queues/Default"
    media.add_response("create_job", media_job("SUBMITTED"), {"Role": ROLE, "Settings": {}, "Queue": queue})
    media.add_response("get_job", media_job("PROGRESSING"), {"Id": "1700-abc"})
    media.add_response("get_job", media_job("COMPLETE"), {"Id": "1700-abc"})
    ran = run(
        sfn, "arn:aws:states:::mediaconvert:createJob.sync", {"Role": ROLE, "Settings": {}, "Queue": queue}
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["Job"]["Status"] == "COMPLETE"
    assert "SdkHttpMetadata" not in ran.output


def test_mediaconvert_job_error_fails_the_task(sfn, session):  # noqa: F811
    media = session.stub("mediaconvert")
    media.add_response("create_job", media_job("SUBMITTED"))
    errored = {"Job": {**media_job("ERROR")["Job"], "ErrorMessage": "no input"}}
    media.add_response("get_job", errored, {"Id": "1700-abc"})
    ran = run(sfn, "arn:aws:states:::mediaconvert:createJob.sync", {"Role": ROLE, "Settings": {}})
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["Job"]["ErrorMessage"] == "no input"


def test_mediaconvert_request_response_answers_the_created_job(sfn, session):  # noqa: F811
    session.stub("mediaconvert").add_response("create_job", media_job("SUBMITTED"))
    ran = run(sfn, "arn:aws:states:::mediaconvert:createJob", {"Role": ROLE, "Settings": {}})
    assert ran.output["Job"]["Id"] == "1700-abc"
    assert ran.output["SdkHttpMetadata"]["HttpStatusCode"] == 200


def test_databrew_start_job_run_sync_waits_for_succeeded(sfn, session):  # noqa: F811
    brew = session.stub("databrew")
    brew.add_response("start_job_run", {"RunId": "db_1"}, {"Name": "clean"})
    run_key = {"Name": "clean", "RunId": "db_1"}
    brew.add_response("describe_job_run", {"JobName": "clean", "RunId": "db_1", "State": "RUNNING"}, run_key)
    brew.add_response(
        "describe_job_run", {"JobName": "clean", "RunId": "db_1", "State": "SUCCEEDED"}, run_key
    )
    ran = run(sfn, "arn:aws:states:::databrew:startJobRun.sync", {"Name": "clean"})
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"JobName": "clean", "RunId": "db_1", "State": "SUCCEEDED"}


def test_databrew_request_response_and_a_failed_run(sfn, session):  # noqa: F811
    brew = session.stub("databrew")
    brew.add_response("start_job_run", {"RunId": "db_2"}, {"Name": "clean"})
    assert run(sfn, "arn:aws:states:::databrew:startJobRun", {"Name": "clean"}).output["RunId"] == "db_2"
    brew.add_response("start_job_run", {"RunId": "db_3"}, {"Name": "clean"})
    failed = {"JobName": "clean", "RunId": "db_3", "State": "FAILED", "ErrorMessage": "schema"}
    brew.add_response("describe_job_run", failed, {"Name": "clean", "RunId": "db_3"})
    ran = run(sfn, "arn:aws:states:::databrew:startJobRun.sync", {"Name": "clean"})
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["ErrorMessage"] == "schema"


def test_databrew_unknown_job_is_named_for_the_service(sfn, session):  # noqa: F811
    session.stub("databrew").add_client_error(
        "start_job_run", "ResourceNotFoundException", "Job clean wasn't found.", http_status_code=404
    )
    ran = run(sfn, "arn:aws:states:::databrew:startJobRun", {"Name": "clean"})
    assert ran.describe["error"] == "DataBrew.ResourceNotFoundException"
    assert ran.describe["cause"].startswith(
        "Job clean wasn't found. (Service: AWSGlueDataBrew; Status Code: 404;"
    )
