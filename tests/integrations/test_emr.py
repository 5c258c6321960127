"""EMR, EMR Serverless and EMR on EKS optimized integrations, behind botocore's Stubber.

The EMR integration is "a customized set of APIs that wrap the underlying Amazon EMR
APIs" (AWS, "Call Amazon EMR with Step Functions"): these tests check the translation
both ways (``ClusterId`` for ``JobFlowIds``, one ``Step`` for ``Steps``...), the
``.sync`` waits and the answers, each against the SDK call a Stubber expects.
"""

from __future__ import annotations

import json

import pytest

from tests.botocore_model import needs_error_shape
from tests.integrations.helpers import create, elapsed, read, start, task_machine
from tests.integrations.test_stubbed_services import session  # noqa: F401 - the Stubber-backed session fixture

ROLE = "arn:aws:iam::123456789012:role/jobs"
CLUSTER = "j-1ABCDEFGHIJKL"


def run(sfn, resource, parameters):
    name = f"m{len(sfn.list_state_machines()['stateMachines'])}"
    execution = start(sfn, create(sfn, task_machine(resource, Parameters=parameters), name=name))
    sfn.backend.settle()
    return read(sfn, execution)


def cluster(state):
    return {"Cluster": {"Id": CLUSTER, "Name": "etl", "Status": {"State": state}}}


def step(state):
    return {"Step": {"Id": "s-1", "Name": "count", "Status": {"State": state}}}


# --- EMR -------------------------------------------------------------------------------------


def test_create_cluster_answers_cluster_id_and_sync_waits_for_waiting(sfn, session):  # noqa: F811
    emr = session.stub("emr")
    instances = {"KeepJobFlowAliveWhenNoSteps": True, "InstanceCount": 1}
    emr.add_response(
        "run_job_flow",
        {
            "JobFlowId": CLUSTER,
            "ClusterArn": f"arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/{CLUSTER}",
        },
        {"Name": "etl", "Instances": instances, "ReleaseLabel": "emr-6.15.0"},
    )
    emr.add_response("describe_cluster", cluster("STARTING"), {"ClusterId": CLUSTER})
    emr.add_response("describe_cluster", cluster("WAITING"), {"ClusterId": CLUSTER})
    parameters = {"Name": "etl", "Instances": instances, "ReleaseLabel": "emr-6.15.0"}
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:createCluster.sync", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"ClusterId": CLUSTER}
    assert elapsed(ran, "TaskSucceeded") == 10


def test_create_cluster_request_response(sfn, session):  # noqa: F811
    session.stub("emr").add_response("run_job_flow", {"JobFlowId": CLUSTER})
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:createCluster", {"Name": "etl", "Instances": {}})
    assert ran.output == {"ClusterId": CLUSTER}


def test_a_cluster_that_terminates_with_errors_fails_create_sync(sfn, session):  # noqa: F811
    emr = session.stub("emr")
    emr.add_response("run_job_flow", {"JobFlowId": CLUSTER})
    emr.add_response("describe_cluster", cluster("TERMINATED_WITH_ERRORS"), {"ClusterId": CLUSTER})
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:createCluster.sync", {"Name": "etl", "Instances": {}})
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["Cluster"]["Status"]["State"] == "TERMINATED_WITH_ERRORS"


def test_add_step_sends_one_step_and_answers_its_id(sfn, session):  # noqa: F811
    emr = session.stub("emr")
    hadoop = {"Jar": "command-runner.jar", "Args": ["spark-submit", "s3://code/count.py"]}
    one = {"Name": "count", "ActionOnFailure": "CONTINUE", "HadoopJarStep": hadoop}
    emr.add_response("add_job_flow_steps", {"StepIds": ["s-1"]}, {"JobFlowId": CLUSTER, "Steps": [one]})
    emr.add_response("describe_step", step("RUNNING"), {"ClusterId": CLUSTER, "StepId": "s-1"})
    emr.add_response("describe_step", step("COMPLETED"), {"ClusterId": CLUSTER, "StepId": "s-1"})
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:addStep.sync", {"ClusterId": CLUSTER, "Step": one})
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"StepId": "s-1"}


def test_a_failed_step_fails_add_step_sync(sfn, session):  # noqa: F811
    emr = session.stub("emr")
    emr.add_response("add_job_flow_steps", {"StepIds": ["s-1"]})
    emr.add_response("describe_step", step("FAILED"), {"ClusterId": CLUSTER, "StepId": "s-1"})
    one = {"Name": "count", "HadoopJarStep": {"Jar": "x.jar"}}
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:addStep.sync", {"ClusterId": CLUSTER, "Step": one})
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["Step"]["Status"]["State"] == "FAILED"


def test_cancel_step_sends_a_list_and_answers_one_info(sfn, session):  # noqa: F811
    info = {"StepId": "s-1", "Status": "SUBMITTED", "Reason": "cancel requested"}
    session.stub("emr").add_response(
        "cancel_steps", {"CancelStepsInfoList": [info]}, {"ClusterId": CLUSTER, "StepIds": ["s-1"]}
    )
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:cancelStep", {"ClusterId": CLUSTER, "StepId": "s-1"})
    assert ran.output == {"CancelStepsInfo": info}


def test_termination_protection_and_terminate_cluster_sync(sfn, session):  # noqa: F811
    emr = session.stub("emr")
    emr.add_response(
        "set_termination_protection", {}, {"JobFlowIds": [CLUSTER], "TerminationProtected": False}
    )
    ran = run(
        sfn,
        "arn:aws:states:::elasticmapreduce:setClusterTerminationProtection",
        {"ClusterId": CLUSTER, "TerminationProtected": False},
    )
    assert ran.output == {}
    emr.add_response("terminate_job_flows", {}, {"JobFlowIds": [CLUSTER]})
    emr.add_response("describe_cluster", cluster("TERMINATING"), {"ClusterId": CLUSTER})
    emr.add_response("describe_cluster", cluster("TERMINATED"), {"ClusterId": CLUSTER})
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:terminateCluster.sync", {"ClusterId": CLUSTER})
    assert ran.status == "SUCCEEDED"
    assert ran.output == {}


def test_modify_instance_group_by_name_looks_the_id_up(sfn, session):  # noqa: F811
    emr = session.stub("emr")
    groups = [{"Id": "ig-MASTER", "Name": "Master"}, {"Id": "ig-CORE", "Name": "MyCoreGroup"}]
    emr.add_response("list_instance_groups", {"InstanceGroups": groups}, {"ClusterId": CLUSTER})
    emr.add_response(
        "modify_instance_groups",
        {},
        {"ClusterId": CLUSTER, "InstanceGroups": [{"InstanceCount": 8, "InstanceGroupId": "ig-CORE"}]},
    )
    ran = run(
        sfn,
        "arn:aws:states:::elasticmapreduce:modifyInstanceGroupByName",
        {"ClusterId": CLUSTER, "InstanceGroupName": "MyCoreGroup", "InstanceGroup": {"InstanceCount": 8}},
    )
    assert ran.status == "SUCCEEDED"


def test_modify_instance_fleet_by_name_and_an_unknown_name(sfn, session):  # noqa: F811
    emr = session.stub("emr")
    fleets = [{"Id": "if-CORE", "Name": "MyCoreFleet"}]
    emr.add_response("list_instance_fleets", {"InstanceFleets": fleets}, {"ClusterId": CLUSTER})
    emr.add_response(
        "modify_instance_fleet",
        {},
        {"ClusterId": CLUSTER, "InstanceFleet": {"TargetOnDemandCapacity": 8, "InstanceFleetId": "if-CORE"}},
    )
    fleet = {"TargetOnDemandCapacity": 8}
    resource = "arn:aws:states:::elasticmapreduce:modifyInstanceFleetByName"
    ran = run(
        sfn, resource, {"ClusterId": CLUSTER, "InstanceFleetName": "MyCoreFleet", "InstanceFleet": fleet}
    )
    assert ran.status == "SUCCEEDED"
    emr.add_response("list_instance_fleets", {"InstanceFleets": fleets}, {"ClusterId": CLUSTER})
    ran = run(sfn, resource, {"ClusterId": CLUSTER, "InstanceFleetName": "Spot", "InstanceFleet": fleet})
    assert ran.describe["error"] == "States.Runtime"
    assert "no instance fleet named 'Spot'" in ran.describe["cause"]
    ran = run(
        sfn,
        resource,
        {
            "ClusterId": CLUSTER,
            "InstanceFleetName": "MyCoreFleet",
            "InstanceFleet": {"InstanceFleetId": "if-1"},
        },
    )
    assert ran.describe["error"] == "States.Runtime"
    assert "'InstanceFleetId' is not allowed" in ran.describe["cause"]


@needs_error_shape("emr", "ValidationException")
def test_an_emr_error_is_named_for_the_service(sfn, session):  # noqa: F811
    session.stub("emr").add_client_error(
        "terminate_job_flows",
        "ValidationException",
        "Specified job flow ID not valid",
        http_status_code=400,
    )
    ran = run(sfn, "arn:aws:states:::elasticmapreduce:terminateCluster", {"ClusterId": "j-NOPE"})
    assert ran.describe["error"] == "EMR.ValidationException"
    assert (
        "(Service: AmazonElasticMapReduce; Status Code: 400; Error Code: ValidationException;"
        in (ran.describe["cause"])
    )


# --- EMR Serverless --------------------------------------------------------------------------

APP = "00f1abcdefgh"


def application(state):
    return {
        "application": {
            "applicationId": APP,
            "arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}",
            "releaseLabel": "emr-6.15.0",
            "type": "SPARK",
            "state": state,
            "createdAt": 1,
            "updatedAt": 1,
        }
    }


def test_serverless_create_application_sync_waits_for_created(sfn, session):  # noqa: F811
    serverless = session.stub("emr-serverless")
    arn = f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}"
    serverless.add_response(
        "create_application",
        {"applicationId": APP, "arn": arn, "name": "spark"},
        {"name": "spark", "releaseLabel": "emr-6.15.0", "type": "SPARK"},
    )
    serverless.add_response("get_application", application("CREATING"), {"applicationId": APP})
    serverless.add_response("get_application", application("CREATED"), {"applicationId": APP})
    parameters = {"Name": "spark", "ReleaseLabel": "emr-6.15.0", "Type": "SPARK"}
    ran = run(sfn, "arn:aws:states:::emr-serverless:createApplication.sync", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"ApplicationId": APP, "Arn": arn, "Name": "spark"}


def test_serverless_start_stop_delete_answer_the_application_id(sfn, session):  # noqa: F811
    serverless = session.stub("emr-serverless")
    serverless.add_response("start_application", {}, {"applicationId": APP})
    ran = run(sfn, "arn:aws:states:::emr-serverless:startApplication", {"ApplicationId": APP})
    assert ran.output == {"ApplicationId": APP}
    serverless.add_response("stop_application", {}, {"applicationId": APP})
    serverless.add_response("get_application", application("STOPPED"), {"applicationId": APP})
    ran = run(sfn, "arn:aws:states:::emr-serverless:stopApplication.sync", {"ApplicationId": APP})
    assert ran.output == {"ApplicationId": APP}
    serverless.add_response("delete_application", {}, {"applicationId": APP})
    serverless.add_response("get_application", application("TERMINATED"), {"applicationId": APP})
    ran = run(sfn, "arn:aws:states:::emr-serverless:deleteApplication.sync", {"ApplicationId": APP})
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"ApplicationId": APP}


def job_run(state):
    return {
        "jobRun": {
            "applicationId": APP,
            "jobRunId": "jr-1",
            "arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}/jobruns/jr-1",
            "createdBy": ROLE,
            "createdAt": 1,
            "updatedAt": 1,
            "executionRole": ROLE,
            "state": state,
            "stateDetails": "details",
            "releaseLabel": "emr-6.15.0",
            "jobDriver": {"sparkSubmit": {"entryPoint": "s3://code/count.py"}},
        }
    }


def test_serverless_start_job_run_sync_waits_for_success_or_fails(sfn, session):  # noqa: F811
    serverless = session.stub("emr-serverless")
    started = {
        "applicationId": APP,
        "jobRunId": "jr-1",
        "arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}/jobruns/jr-1",
    }
    driver = {"SparkSubmit": {"EntryPoint": "s3://code/count.py"}}
    expected = {
        "applicationId": APP,
        "executionRoleArn": ROLE,
        "jobDriver": {"sparkSubmit": {"entryPoint": "s3://code/count.py"}},
    }
    serverless.add_response("start_job_run", started, expected)
    serverless.add_response("get_job_run", job_run("RUNNING"), {"applicationId": APP, "jobRunId": "jr-1"})
    serverless.add_response("get_job_run", job_run("SUCCESS"), {"applicationId": APP, "jobRunId": "jr-1"})
    parameters = {"ApplicationId": APP, "ExecutionRoleArn": ROLE, "JobDriver": driver}
    ran = run(sfn, "arn:aws:states:::emr-serverless:startJobRun.sync", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {
        "ApplicationId": APP,
        "JobRunId": "jr-1",
        "Arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}/jobruns/jr-1",
    }
    serverless.add_response("start_job_run", started, expected)
    serverless.add_response("get_job_run", job_run("FAILED"), {"applicationId": APP, "jobRunId": "jr-1"})
    ran = run(sfn, "arn:aws:states:::emr-serverless:startJobRun.sync", parameters)
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["JobRun"]["State"] == "FAILED"


def test_serverless_cancel_job_run_sync_waits_for_cancelled(sfn, session):  # noqa: F811
    serverless = session.stub("emr-serverless")
    key = {"applicationId": APP, "jobRunId": "jr-1"}
    serverless.add_response("cancel_job_run", key, key)
    serverless.add_response("get_job_run", job_run("CANCELLING"), key)
    serverless.add_response("get_job_run", job_run("CANCELLED"), key)
    ran = run(
        sfn, "arn:aws:states:::emr-serverless:cancelJobRun.sync", {"ApplicationId": APP, "JobRunId": "jr-1"}
    )
    assert ran.output == {"ApplicationId": APP, "JobRunId": "jr-1"}


def test_serverless_does_not_offer_wait_for_task_token(sfn):
    definition = task_machine(
        "arn:aws:states:::emr-serverless:startJobRun.waitForTaskToken", Parameters={"ApplicationId": APP}
    )
    with pytest.raises(sfn.exceptions.InvalidDefinition, match="emr-serverless:startJobRun.waitForTaskToken"):
        create(sfn, definition)


# --- EMR on EKS ------------------------------------------------------------------------------

VIRTUAL = "vc-1"


def test_containers_start_job_run_sync_answers_the_finished_run(sfn, session):  # noqa: F811
    containers = session.stub("emr-containers")
    containers.add_response(
        "start_job_run",
        {"id": "run-1", "name": "count", "virtualClusterId": VIRTUAL},
        {"name": "count", "virtualClusterId": VIRTUAL, "executionRoleArn": ROLE},
    )
    key = {"id": "run-1", "virtualClusterId": VIRTUAL}
    containers.add_response("describe_job_run", {"jobRun": {"id": "run-1", "state": "RUNNING"}}, key)
    containers.add_response("describe_job_run", {"jobRun": {"id": "run-1", "state": "COMPLETED"}}, key)
    parameters = {"Name": "count", "VirtualClusterId": VIRTUAL, "ExecutionRoleArn": ROLE}
    ran = run(sfn, "arn:aws:states:::emr-containers:startJobRun.sync", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"JobRun": {"Id": "run-1", "State": "COMPLETED"}}


def test_containers_delete_virtual_cluster_sync_and_create(sfn, session):  # noqa: F811
    containers = session.stub("emr-containers")
    containers.add_response("delete_virtual_cluster", {"id": VIRTUAL}, {"id": VIRTUAL})
    containers.add_response(
        "describe_virtual_cluster",
        {"virtualCluster": {"id": VIRTUAL, "state": "TERMINATING"}},
        {"id": VIRTUAL},
    )
    containers.add_response(
        "describe_virtual_cluster",
        {"virtualCluster": {"id": VIRTUAL, "state": "TERMINATED"}},
        {"id": VIRTUAL},
    )
    ran = run(sfn, "arn:aws:states:::emr-containers:deleteVirtualCluster.sync", {"Id": VIRTUAL})
    assert ran.status == "SUCCEEDED"
    assert ran.output["VirtualCluster"]["State"] == "TERMINATED"
    provider = {"Id": "eks-cluster", "Type": "EKS", "Info": {"EksInfo": {"Namespace": "spark"}}}
    containers.add_response(
        "create_virtual_cluster",
        {
            "id": VIRTUAL,
            "name": "vc",
            "arn": "arn:aws:emr-containers:us-east-1:123456789012:/virtualclusters/vc-1",
        },
        {
            "name": "vc",
            "containerProvider": {
                "id": "eks-cluster",
                "type": "EKS",
                "info": {"eksInfo": {"namespace": "spark"}},
            },
        },
    )
    ran = run(
        sfn,
        "arn:aws:states:::emr-containers:createVirtualCluster",
        {"Name": "vc", "ContainerProvider": provider},
    )
    assert ran.output["Id"] == VIRTUAL
