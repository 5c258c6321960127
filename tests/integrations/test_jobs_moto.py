"""Athena, CodeBuild and SageMaker optimized integrations, against moto where it serves the calls.

Athena runs behind a Stubber: moto stopped serving StartQueryExecution (5.2.6), and no test may
depend on a peer mock happening to implement a call.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY
from moto import mock_aws

from tests.integrations.helpers import create, read, start, task_machine
from tests.integrations.test_stubbed_services import session  # noqa: F401 - the Stubber-backed session fixture

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/jobs"


@pytest.fixture
def moto_session(sfn_backend):
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        sfn_backend.aws_session = session
        yield session


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


def test_codebuild_start_build_sync_waits_for_the_build(sfn, moto_session):
    moto_session.client("codebuild").create_project(
        name="site",
        source={"type": "S3", "location": "bucket/source.zip"},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={"type": "LINUX_CONTAINER", "image": "img", "computeType": "BUILD_GENERAL1_SMALL"},
        serviceRole=ROLE,
    )
    ran = run(sfn, "arn:aws:states:::codebuild:startBuild.sync", {"ProjectName": "site"})
    assert ran.status == "SUCCEEDED"
    assert ran.output["Build"]["BuildStatus"] == "SUCCEEDED"
    assert ran.output["Build"]["ProjectName"] == "site"
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


def test_sagemaker_training_job_sync_and_model(sfn, moto_session):
    ran = run(sfn, "arn:aws:states:::sagemaker:createTrainingJob.sync", training_job("churn"))
    assert ran.status == "SUCCEEDED"
    assert (ran.output["TrainingJobName"], ran.output["TrainingJobStatus"]) == ("churn", "Completed")
    model = run(
        sfn,
        "arn:aws:states:::sagemaker:createModel",
        {"ModelName": "churn", "ExecutionRoleArn": ROLE, "PrimaryContainer": {"Image": "img"}},
    )
    assert model.output["ModelArn"].endswith(":model/churn")


def test_a_failed_training_job_fails_the_task(sfn, session):  # noqa: F811
    sagemaker = session.stub("sagemaker")
    arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/bad"
    sagemaker.add_response("create_training_job", {"TrainingJobArn": arn})
    described = {
        "TrainingJobName": "bad",
        "TrainingJobArn": arn,
        "AlgorithmSpecification": {"TrainingInputMode": "File"},
        "ModelArtifacts": {"S3ModelArtifacts": "s3://m/a"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {},
        "CreationTime": "2024-01-01T00:00:00Z",
        "SecondaryStatus": "Failed",
    }
    sagemaker.add_response(
        "describe_training_job", {**described, "TrainingJobStatus": "InProgress"}, {"TrainingJobName": "bad"}
    )
    sagemaker.add_response(
        "describe_training_job",
        {**described, "TrainingJobStatus": "Failed", "FailureReason": "no data"},
        {"TrainingJobName": "bad"},
    )
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
