"""Amazon EKS optimized integrations: cluster APIs through the session, the Kubernetes API
through the backend's HTTP handlers (AWS, "Call Amazon EKS with Step Functions")."""

from __future__ import annotations

import json

from fakesfn import HttpResponse
from tests.integrations.helpers import create, elapsed, read, start, task_machine
from tests.integrations.test_stubbed_services import session  # noqa: F401 - the Stubber-backed session fixture

ROLE = "arn:aws:iam::123456789012:role/eks"
ENDPOINT = "https://ABC123.yl4.us-east-1.eks.amazonaws.com"
CLUSTER = {"ClusterName": "MyCluster", "CertificateAuthority": "LS0tLS1CRUd", "Endpoint": ENDPOINT}


def run(sfn, resource, parameters):
    name = f"m{len(sfn.list_state_machines()['stateMachines'])}"
    execution = start(sfn, create(sfn, task_machine(resource, Parameters=parameters), name=name))
    sfn.backend.settle()
    return read(sfn, execution)


def test_create_cluster_sync_waits_for_active(sfn, session):  # noqa: F811
    eks = session.stub("eks")
    vpc = {"subnetIds": ["subnet-1", "subnet-2"]}
    eks.add_response(
        "create_cluster",
        {"cluster": {"name": "MyCluster", "status": "CREATING"}},
        {"name": "MyCluster", "roleArn": ROLE, "resourcesVpcConfig": vpc},
    )
    eks.add_response(
        "describe_cluster", {"cluster": {"name": "MyCluster", "status": "CREATING"}}, {"name": "MyCluster"}
    )
    eks.add_response(
        "describe_cluster", {"cluster": {"name": "MyCluster", "status": "ACTIVE"}}, {"name": "MyCluster"}
    )
    parameters = {
        "Name": "MyCluster",
        "RoleArn": ROLE,
        "ResourcesVpcConfig": {"SubnetIds": ["subnet-1", "subnet-2"]},
    }
    ran = run(sfn, "arn:aws:states:::eks:createCluster.sync", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {"Cluster": {"Name": "MyCluster", "Status": "ACTIVE"}}
    assert elapsed(ran, "TaskSucceeded") == 10


def test_delete_nodegroup_sync_ends_when_the_nodegroup_is_gone(sfn, session):  # noqa: F811
    eks = session.stub("eks")
    key = {"clusterName": "MyCluster", "nodegroupName": "ng"}
    deleting = {"nodegroup": {"clusterName": "MyCluster", "nodegroupName": "ng", "status": "DELETING"}}
    eks.add_response("delete_nodegroup", deleting, key)
    eks.add_response("describe_nodegroup", deleting, key)
    eks.add_client_error(
        "describe_nodegroup", "ResourceNotFoundException", "No node group found for name: ng.", 404, key
    )
    ran = run(
        sfn, "arn:aws:states:::eks:deleteNodegroup.sync", {"ClusterName": "MyCluster", "NodegroupName": "ng"}
    )
    assert ran.status == "SUCCEEDED"
    assert ran.output["Nodegroup"]["Status"] == "DELETING"


def test_a_failed_fargate_profile_fails_create_sync(sfn, session):  # noqa: F811
    eks = session.stub("eks")
    profile = {"fargateProfileName": "fp", "clusterName": "MyCluster"}
    eks.add_response("create_fargate_profile", {"fargateProfile": {**profile, "status": "CREATING"}})
    eks.add_response("describe_fargate_profile", {"fargateProfile": {**profile, "status": "CREATE_FAILED"}})
    parameters = {"ClusterName": "MyCluster", "FargateProfileName": "fp", "PodExecutionRoleArn": ROLE}
    ran = run(sfn, "arn:aws:states:::eks:createFargateProfile.sync", parameters)
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["FargateProfile"]["Status"] == "CREATE_FAILED"


def test_eks_call_sends_the_kubernetes_request_to_the_handler(sfn, sfn_backend):
    seen = []

    def kubernetes(request):
        seen.append((request.method, request.url))
        return {"kind": "PodList", "items": []}

    sfn_backend.register_http(kubernetes, endpoint=ENDPOINT)
    parameters = {
        **CLUSTER,
        "Method": "GET",
        "Path": "/api/v1/namespaces/default/pods",
        "QueryParameters": {"labelSelector": ["job-name=example-job"]},
    }
    ran = run(sfn, "arn:aws:states:::eks:call", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output == {
        "ResponseBody": {"kind": "PodList", "items": []},
        "StatusCode": 200,
        "StatusText": "OK",
    }
    assert seen == [
        ("GET", f"{ENDPOINT}/api/v1/namespaces/default/pods?labelSelector=job-name%3Dexample-job")
    ]


def test_eks_call_unauthorized_is_eks_401_with_the_response_as_cause(sfn, sfn_backend):
    status = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "Unauthorized",
    }
    sfn_backend.register_http(lambda request: HttpResponse(401, status), endpoint=ENDPOINT)
    ran = run(sfn, "arn:aws:states:::eks:call", {**CLUSTER, "Method": "GET", "Path": "/api/v1/pods"})
    assert ran.describe["error"] == "EKS.401"
    assert json.loads(ran.describe["cause"]) == {
        "ResponseBody": status,
        "StatusCode": 401,
        "StatusText": "Unauthorized",
    }


def test_eks_call_refuses_a_method_kubernetes_has_not(sfn, sfn_backend):
    sfn_backend.register_http(lambda request: {}, endpoint=ENDPOINT)
    ran = run(sfn, "arn:aws:states:::eks:call", {**CLUSTER, "Method": "TRACE", "Path": "/api"})
    assert ran.describe["error"] == "States.Runtime"
    assert "'Method' must be one of GET, POST, PUT, DELETE, HEAD, PATCH" in ran.describe["cause"]


def test_run_job_sync_polls_the_job_and_reads_its_logs(sfn, sfn_backend):
    polls = []
    jobs = f"{ENDPOINT}/apis/batch/v1/namespaces/default/jobs"
    pods = f"{ENDPOINT}/api/v1/namespaces/default/pods"

    def kubernetes(request):
        if request.method == "POST" and request.url == jobs:
            return {"metadata": {"name": "example-job"}, "status": {}}
        if request.url == f"{jobs}/example-job":
            polls.append(request.url)
            done = len(polls) > 1
            conditions = [{"type": "Complete", "status": "True"}] if done else []
            return {"metadata": {"name": "example-job"}, "status": {"conditions": conditions}}
        if request.url.startswith(f"{pods}?"):
            pod = {"metadata": {"name": "example-job-x1"}, "spec": {"containers": [{"name": "pi"}]}}
            return {"items": [pod]}
        if request.url == f"{pods}/example-job-x1/log?container=pi&tailLines=6":
            return HttpResponse(200, '{"digits": 3.14}', {"Content-Type": "text/plain"})
        return HttpResponse(404, {"kind": "Status", "code": 404})

    sfn_backend.register_http(kubernetes, endpoint=ENDPOINT)
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "example-job"}}
    options = {"RetrieveLogs": True, "LogParameters": {"tailLines": ["6"]}}
    parameters = {**CLUSTER, "Job": job, "LogOptions": options}
    ran = run(sfn, "arn:aws:states:::eks:runJob.sync", parameters)
    assert ran.status == "SUCCEEDED"
    assert ran.output["status"]["conditions"][0]["type"] == "Complete"
    assert ran.output["logs"] == {
        "pods": {"example-job-x1": {"containers": {"pi": {"log": {"digits": 3.14}}}}}
    }
    assert elapsed(ran, "TaskSucceeded") == 120
    assert len(polls) == 2


def test_run_job_sync_fails_when_the_job_fails(sfn, sfn_backend):
    jobs = f"{ENDPOINT}/apis/batch/v1/namespaces/batch/jobs"

    def kubernetes(request):
        failed = {"conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}]}
        return {"metadata": {"name": "j"}, "status": {} if request.method == "POST" else failed}

    sfn_backend.register_http(kubernetes, endpoint=jobs)
    parameters = {**CLUSTER, "Namespace": "batch", "Job": {"metadata": {"name": "j"}}}
    ran = run(sfn, "arn:aws:states:::eks:runJob.sync", parameters)
    assert ran.describe["error"] == "States.TaskFailed"
    assert json.loads(ran.describe["cause"])["status"]["conditions"][0]["reason"] == "BackoffLimitExceeded"


def test_run_job_request_response_answers_the_created_job(sfn, sfn_backend):
    sfn_backend.register_http(lambda request: {"metadata": {"name": "j"}}, endpoint=ENDPOINT)
    ran = run(sfn, "arn:aws:states:::eks:runJob", {**CLUSTER, "Job": {"metadata": {"name": "j"}}})
    assert ran.output["ResponseBody"] == {"metadata": {"name": "j"}}
    assert ran.output["StatusCode"] == 200


def test_kubernetes_api_without_a_handler_says_how_to_register_one(sfn):
    ran = run(sfn, "arn:aws:states:::eks:call", {**CLUSTER, "Method": "GET", "Path": "/api"})
    assert ran.describe["error"] == "States.Http.Socket"
    assert "backend.register_http(handler, endpoint=...)" in ran.describe["cause"]


def test_run_job_logs_are_best_effort_and_raw_on_request(sfn, sfn_backend):
    def kubernetes(request):
        if request.method == "POST":
            return {"metadata": {"name": "j"}}
        if "/jobs/j" in request.url:
            return {
                "metadata": {"name": "j"},
                "status": {"conditions": [{"type": "Complete", "status": "True"}]},
            }
        if "/log?container=ok" in request.url:
            return HttpResponse(200, '{"n": 1}', {"Content-Type": "text/plain"})
        if "/log?" in request.url:
            return HttpResponse(500, "boom", {"Content-Type": "text/plain"})
        containers = [{"name": "ok"}, {"name": "broken"}]
        return {"items": [{"metadata": {"name": "p"}, "spec": {"containers": containers}}]}

    sfn_backend.register_http(kubernetes, endpoint=ENDPOINT)
    options = {"RetrieveLogs": True, "RawLogs": True}
    ran = run(
        sfn, "arn:aws:states:::eks:runJob.sync", {**CLUSTER, "Job": {"kind": "Job"}, "LogOptions": options}
    )
    assert ran.status == "SUCCEEDED"
    containers = ran.output["logs"]["pods"]["p"]["containers"]
    assert containers["ok"] == {"log": '{"n": 1}'}
    assert containers["broken"]["error"] == "EKS.500"
    assert json.loads(containers["broken"]["cause"])["ResponseBody"] == "boom"


def test_eks_call_refuses_query_parameters_that_are_not_a_map(sfn, sfn_backend):
    sfn_backend.register_http(lambda request: {}, endpoint=ENDPOINT)
    parameters = {**CLUSTER, "Method": "GET", "Path": "/api", "QueryParameters": ["a"]}
    ran = run(sfn, "arn:aws:states:::eks:call", parameters)
    assert ran.describe["error"] == "States.Runtime"
    assert "'QueryParameters' must be a map" in ran.describe["cause"]
