"""Athena, CodeBuild and SageMaker optimized integrations, behind botocore's Stubber.

Every answer comes from a Stubber the test controls: what is under test is the integration's
own behaviour (the calls it makes, the polling of ``.sync``, the result it returns), and no
test may depend on a peer mock (moto) happening to implement a call. moto 5.2.6 dropped
Athena's StartQueryExecution, and its CodeBuild and SageMaker support is not core enough to
rely on.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from botocore.stub import ANY

from tests.integrations.helpers import create, read, start, task_machine
from tests.integrations.test_stubbed_services import session  # noqa: F401 - the Stubber-backed session fixture

ROLE = "arn:aws:iam::123456789012:role/jobs"
CREATED = datetime(2024, 1, 1, tzinfo=timezone.utc)


def run(sfn, resource, parameters):
    name = f"m{len(sfn.list_state_machines()['stateMachines'])}"
    execution = start(sfn, create(sfn, task_machine(resource, Parameters=parameters), name=name))
    sfn.backend.settle()
    return read(sfn, execution)


def test_athena_query_sync_returns_the_finished_execution(sfn, session):  # noqa: F811
    # Athena answers come from a Stubber the test controls (moto 5.2.6 dropped
    # StartQueryExecution): the integration's own behaviour is what is under test.
    athena = session.stub("athena")
    query = {"QueryExecutionId": "q-1"}
    expected = {"QueryString": "SELECT 1", "ResultConfiguration": ANY}
    athena.add_response("start_query_execution", query, expected)
    running = {"QueryExecution": {"QueryExecutionId": "q-1", "Status": {"State": "RUNNING"}}}
    done = {"QueryExecution": {"QueryExecutionId": "q-1", "Status": {"State": "SUCCEEDED"}}}
    athena.add_response("get_query_execution", running, query)
    athena.add_response("get_query_execution", done, query)
    ran = run(
        sfn,
        "arn:aws:states:::athena:startQueryExecution.sync",
        {"QueryString": "SELECT 1", "ResultConfiguration": {"OutputLocation": "s3://results/q"}},
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["QueryExecution"]["Status"]["State"] == "SUCCEEDED"
    assert ran.types.count("TaskSubmitted") == 1
    rows = [{"Data": [{"VarCharValue": "1"}]}]
    athena.add_response("get_query_results", {"ResultSet": {"Rows": rows}}, query)
    results = run(sfn, "arn:aws:states:::athena:getQueryResults", query)
    assert results.output["ResultSet"]["Rows"] == rows
    assert results.output["SdkHttpMetadata"]["HttpStatusCode"] == 200


def build(status):
    return {
        "id": "site:b-1",
        "arn": "arn:aws:codebuild:us-east-1:123456789012:build/site:b-1",
        "projectName": "site",
        "buildStatus": status,
        "currentPhase": "COMPLETED" if status != "IN_PROGRESS" else "BUILD",
    }


def test_codebuild_start_build_sync_waits_for_the_build(sfn, session):  # noqa: F811
    codebuild = session.stub("codebuild")
    codebuild.add_response("start_build", {"build": build("IN_PROGRESS")}, {"projectName": "site"})
    ids = {"ids": ["site:b-1"]}
    codebuild.add_response("batch_get_builds", {"builds": [build("IN_PROGRESS")]}, ids)
    codebuild.add_response("batch_get_builds", {"builds": [build("SUCCEEDED")]}, ids)
    ran = run(sfn, "arn:aws:states:::codebuild:startBuild.sync", {"ProjectName": "site"})
    assert ran.status == "SUCCEEDED"
    assert ran.output["Build"]["BuildStatus"] == "SUCCEEDED"
    assert ran.output["Build"]["ProjectName"] == "site"
    assert ran.types.count("TaskSubmitted") == 1
    codebuild.add_response("start_build", {"build": build("IN_PROGRESS")}, {"projectName": "site"})
    started = run(sfn, "arn:aws:states:::codebuild:startBuild", {"ProjectName": "site"})
    assert started.output["Build"]["BuildStatus"] == "IN_PROGRESS"


def training_job(name):
    return {
        "TrainingJobName": name,
        "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
        "RoleArn": ROLE,
        "OutputDataConfig": {"S3OutputPath": f"s3://models/{name}"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": 600},
    }


def described_job(name, status, **extra):
    return {
        "TrainingJobName": name,
        "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{name}",
        "AlgorithmSpecification": {"TrainingInputMode": "File"},
        "ModelArtifacts": {"S3ModelArtifacts": f"s3://models/{name}/model.tar.gz"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": 600},
        "CreationTime": CREATED,
        "SecondaryStatus": "Completed" if status == "Completed" else "Training",
        "TrainingJobStatus": status,
        **extra,
    }


def test_sagemaker_training_job_sync_and_model(sfn, session):  # noqa: F811
    sagemaker = session.stub("sagemaker")
    arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/churn"
    sagemaker.add_response("create_training_job", {"TrainingJobArn": arn}, training_job("churn"))
    named = {"TrainingJobName": "churn"}
    sagemaker.add_response("describe_training_job", described_job("churn", "InProgress"), named)
    sagemaker.add_response("describe_training_job", described_job("churn", "Completed"), named)
    ran = run(sfn, "arn:aws:states:::sagemaker:createTrainingJob.sync", training_job("churn"))
    assert ran.status == "SUCCEEDED"
    assert (ran.output["TrainingJobName"], ran.output["TrainingJobStatus"]) == ("churn", "Completed")
    # Optimized integrations show dates as epoch milliseconds.
    assert ran.output["CreationTime"] == 1_704_067_200_000
    model = {"ModelName": "churn", "ExecutionRoleArn": ROLE, "PrimaryContainer": {"Image": "img"}}
    model_arn = "arn:aws:sagemaker:us-east-1:123456789012:model/churn"
    sagemaker.add_response("create_model", {"ModelArn": model_arn}, model)
    created = run(sfn, "arn:aws:states:::sagemaker:createModel", model)
    assert created.output["ModelArn"] == model_arn


def test_a_failed_training_job_fails_the_task(sfn, session):  # noqa: F811
    sagemaker = session.stub("sagemaker")
    arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/bad"
    sagemaker.add_response("create_training_job", {"TrainingJobArn": arn})
    named = {"TrainingJobName": "bad"}
    sagemaker.add_response("describe_training_job", described_job("bad", "InProgress"), named)
    failed = described_job("bad", "Failed", FailureReason="no data")
    sagemaker.add_response("describe_training_job", failed, named)
    ran = run(sfn, "arn:aws:states:::sagemaker:createTrainingJob.sync", training_job("bad"))
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["FailureReason"] == "no data"


def test_a_codebuild_error_is_named_for_the_service(sfn, session):  # noqa: F811
    session.stub("codebuild").add_client_error(
        "start_build", "ResourceNotFoundException", "Project cannot be found: arn:aws:codebuild:x", 400
    )
    ran = run(sfn, "arn:aws:states:::codebuild:startBuild", {"ProjectName": "missing"})
    assert ran.describe["error"] == "CodeBuild.ResourceNotFoundException"
    assert "Service: AWSCodeBuild; Status Code: 400" in ran.describe["cause"]
