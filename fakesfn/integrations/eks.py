"""Amazon EKS as Step Functions' optimized integration: cluster APIs and the Kubernetes API.

The cluster actions (``createCluster``, ``createNodegroup``, ``createFargateProfile`` and
their ``delete...``) are EKS's API, through the user's session; ``.sync`` waits for the
resource to be ``ACTIVE``, or to be gone (AWS, "Call Amazon EKS with Step Functions").

``eks:call`` and ``eks:runJob`` talk to the cluster's Kubernetes API at ``Endpoint``,
which no AWS session reaches: the backend's HTTP handlers answer them
(``backend.register_http(handler, endpoint="https://<cluster endpoint>")``), as they
answer HTTP Tasks. ``eks:call`` sends ``Method`` ``Path`` with ``QueryParameters`` (a list
per name) and ``RequestBody``; ``eks:runJob`` POSTs ``Job`` to
``/apis/batch/v1/namespaces/<Namespace>/jobs``, and ``.sync`` polls the job (AWS: about
once a minute) until a ``Complete`` or ``Failed`` condition, then, with
``LogOptions.RetrieveLogs``, reads its pods' logs into ``logs.pods.<pod>.containers.<c>.log``.
The result of a call is ``{"ResponseBody", "StatusCode", "StatusText"}``; a status outside
2xx fails the task with ``EKS.<status>`` and that object as the cause, as AWS's
"Permissions" section shows for a 401.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlencode

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.http_invoke import SOCKET_ERROR
from fakesfn.integrations.http_tasks import HttpRequest, HttpResponse, render_response
from fakesfn.integrations.jobs import Job
from fakesfn.integrations.registry import register
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.callbacks import PendingTask
    from fakesfn.integrations.services import TaskServices

JOB_POLL_SECONDS: Final = 60
"""AWS: runJob.sync "initially polls at a rate of approximately 1 poll per minute"."""

_METHODS: Final = ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH")


# --- cluster APIs, through the session ---------------------------------------------------------


_KEYS: Final = {
    "Cluster": ("Name",),
    "Nodegroup": ("ClusterName", "NodegroupName"),
    "FargateProfile": ("ClusterName", "FargateProfileName"),
}


def _cluster_job(start: str, kind: str, ended: frozenset[str], failed: frozenset[str], *, gone: bool) -> Job:
    """An EKS cluster resource: ``Describe<kind>`` until ``ended`` (or gone, for a delete)."""

    def describe(params: dict[str, Any], started: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        found = started.get(kind) or {}
        return f"Describe{kind}", {key: found.get(key) or params.get(key) for key in _KEYS[kind]}

    return Job(
        "eks",
        start,
        describe,
        lambda body: str(body.get(kind, {}).get("Status", "")),
        ended,
        failed,
        gone_is_done=gone,
    )


_ACTIVE: Final = frozenset({"ACTIVE"})

EKS_JOBS: Final = {
    "eks:createCluster": _cluster_job("CreateCluster", "Cluster", _ACTIVE, frozenset({"FAILED"}), gone=False),
    "eks:deleteCluster": _cluster_job(
        "DeleteCluster", "Cluster", frozenset(), frozenset({"FAILED"}), gone=True
    ),
    "eks:createNodegroup": _cluster_job(
        "CreateNodegroup", "Nodegroup", _ACTIVE, frozenset({"CREATE_FAILED", "DEGRADED"}), gone=False
    ),
    "eks:deleteNodegroup": _cluster_job(
        "DeleteNodegroup", "Nodegroup", frozenset(), frozenset({"DELETE_FAILED"}), gone=True
    ),
    "eks:createFargateProfile": _cluster_job(
        "CreateFargateProfile", "FargateProfile", _ACTIVE, frozenset({"CREATE_FAILED"}), gone=False
    ),
    "eks:deleteFargateProfile": _cluster_job(
        "DeleteFargateProfile", "FargateProfile", frozenset(), frozenset({"DELETE_FAILED"}), gone=True
    ),
}
"""``eks:<cluster action>`` -> how it runs and how ``.sync`` knows it has ended."""


# --- the Kubernetes API, through the HTTP handlers ---------------------------------------------


def _endpoint(params: dict[str, Any]) -> str:
    endpoint = params.get("Endpoint")
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        raise StatesError(ErrorName.RUNTIME.value, "The field 'Endpoint' must be the cluster's https URL")
    for field in ("ClusterName", "CertificateAuthority"):
        if not isinstance(params.get(field), str):
            raise StatesError(ErrorName.RUNTIME.value, f"The field '{field}' is required")
    return endpoint.rstrip("/")


def _kubernetes(services: TaskServices, method: str, url: str, body: Any = None) -> dict[str, Any]:
    """Ask the handler registered for ``url``; the response as an HTTP Task's result."""
    text = None if body is None else body if isinstance(body, str) else dump(body)
    headers = {"Content-Type": "application/json"} if text is not None else {}
    request = HttpRequest(method, url, headers, text, "")
    registered = services.http.lookup(url)
    if registered is None:
        raise StatesError(
            SOCKET_ERROR,
            f"fakesfn has no HTTP handler for the Kubernetes API at {method} {url}: register one with "
            "backend.register_http(handler, endpoint=...)",
        )
    try:
        answer = registered.handler(request)
    except Exception as exc:  # noqa: BLE001 - the user's handler: reported like a broken connection
        raise StatesError(SOCKET_ERROR, f"The HTTP handler raised {type(exc).__name__}: {exc}") from None
    rendered = render_response(answer if isinstance(answer, HttpResponse) else HttpResponse(body=answer))
    result = {key: rendered.result[key] for key in ("ResponseBody", "StatusCode", "StatusText")}
    if not 200 <= result["StatusCode"] < 300:
        # AWS ("Call Amazon EKS with Step Functions", Permissions): error EKS.401, the
        # cause the response's ResponseBody, StatusCode and StatusText.
        raise StatesError(f"EKS.{result['StatusCode']}", dump(result))
    return result


def _pairs(params: dict[str, Any], field: str) -> list[tuple[str, str]]:
    """A "Map of String to List of Strings" (AWS's type for query and log parameters) as pairs."""
    given = params.get(field)
    if given is None:
        return []
    if not isinstance(given, dict):
        raise StatesError(
            ErrorName.RUNTIME.value, f"The field '{field}' must be a map of strings to lists of strings"
        )
    return [
        (str(name), value if isinstance(value, str) else dump(value))
        for name, values in given.items()
        for value in (values if isinstance(values, list) else [values])
    ]


def _object(value: Any, key: str) -> dict[str, Any]:
    """``value[key]`` when it is a JSON object, else ``{}`` (handlers answer what they like)."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def _call_request(call: TaskCall, services: TaskServices) -> TaskBody:
    yield from ()
    params = call.parameters if isinstance(call.parameters, dict) else {}
    endpoint = _endpoint(params)
    method = params.get("Method")
    path = params.get("Path")
    if method not in _METHODS:
        raise StatesError(ErrorName.RUNTIME.value, f"The field 'Method' must be one of {', '.join(_METHODS)}")
    if not isinstance(path, str) or not path.startswith("/"):
        raise StatesError(ErrorName.RUNTIME.value, "The field 'Path' must be a path starting with '/'")
    pairs = _pairs(params, "QueryParameters")
    url = endpoint + path + (f"?{urlencode(pairs)}" if pairs else "")
    return _kubernetes(services, str(method), url, params.get("RequestBody"))


@register("service", "eks:call")
def call_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::eks:call``: one Kubernetes API request, answered by an HTTP handler."""
    result = yield from service_task(call, services, _call_request)
    return result


def _job_url(params: dict[str, Any], name: str | None = None) -> str:
    namespace = params.get("Namespace") or "default"
    base = f"{_endpoint(params)}/apis/batch/v1/namespaces/{quote(str(namespace))}/jobs"
    return base if name is None else f"{base}/{quote(name)}"


def _run_job_request(call: TaskCall, services: TaskServices) -> TaskBody:
    yield from ()
    params = call.parameters if isinstance(call.parameters, dict) else {}
    job = params.get("Job")
    if isinstance(job, str):
        try:
            job = json.loads(job)
        except ValueError:
            raise StatesError(ErrorName.RUNTIME.value, "The field 'Job' must be a Kubernetes Job") from None
    if not isinstance(job, dict):
        raise StatesError(ErrorName.RUNTIME.value, "The field 'Job' must be a Kubernetes Job")
    return _kubernetes(services, "POST", _job_url(params), job)


def _job_state(job: Any) -> str:
    conditions = _object(job, "status").get("conditions")
    for condition in conditions if isinstance(conditions, list) else []:
        if not isinstance(condition, dict):
            continue
        if condition.get("status") == "True" and condition.get("type") in ("Complete", "Failed"):
            return str(condition["type"])
    return ""


def _logs(services: TaskServices, params: dict[str, Any], name: str) -> dict[str, Any]:
    """``logs.pods.<pod>.containers.<container>.log``, best effort as AWS says.

    A log that cannot be read has ``error`` and ``cause`` in place of ``log`` (AWS); when the
    pods cannot even be listed, ``logs`` itself carries them (fakesfn's choice).
    """
    namespace = params.get("Namespace") or "default"
    options = _object(params, "LogOptions")
    base = f"{_endpoint(params)}/api/v1/namespaces/{quote(str(namespace))}/pods"
    try:
        listed = _kubernetes(services, "GET", f"{base}?{urlencode({'labelSelector': f'job-name={name}'})}")
    except StatesError as error:
        return {"error": error.error, "cause": error.cause}
    items = _object(listed, "ResponseBody").get("items")
    pods: dict[str, Any] = {}
    for pod in items if isinstance(items, list) else []:
        pod_name = str(_object(pod, "metadata").get("name", ""))
        containers: dict[str, Any] = {}
        for container in _object(pod, "spec").get("containers") or []:
            container_name = str(container.get("name", "")) if isinstance(container, dict) else ""
            query = [("container", container_name), *_pairs(options, "LogParameters")]
            try:
                url = f"{base}/{quote(pod_name)}/log?{urlencode(query)}"
                text = _kubernetes(services, "GET", url)["ResponseBody"]
                log = text if options.get("RawLogs") or not isinstance(text, str) else _maybe_json(text)
                containers[container_name] = {"log": log}
            except StatesError as error:
                containers[container_name] = {"error": error.error, "cause": error.cause}
        pods[pod_name] = {"containers": containers}
    return {"pods": pods}


def _maybe_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _watch_job(call: TaskCall, services: TaskServices, started: Any, pending: PendingTask) -> None:
    params = call.parameters if isinstance(call.parameters, dict) else {}
    # The name Kubernetes gave the job (it may have made it of metadata.generateName).
    name = _object(_object(started, "ResponseBody"), "metadata").get("name")
    runtime = call.run.runtime
    if not isinstance(name, str) or not name:
        pending.outcome.fail(
            StatesError(
                ErrorName.RUNTIME.value, "The Kubernetes API answered the job's creation without its name"
            )
        )
        return

    def poll() -> None:
        if pending.outcome.done:
            return
        try:
            job = _kubernetes(services, "GET", _job_url(params, name))["ResponseBody"]
            state = _job_state(job)
            if not state:
                timer = runtime.call_later(JOB_POLL_SECONDS, poll)
                pending.outcome.on_cancel.append(timer.cancel)
                return
            result = dict(job) if isinstance(job, dict) else {"job": job}
            if _object(params, "LogOptions").get("RetrieveLogs") is True:
                result["logs"] = _logs(services, params, name)
        except StatesError as error:
            pending.outcome.fail(error)
            return
        if state == "Complete":
            pending.outcome.resolve((dump(result), result))
        else:
            pending.outcome.fail(StatesError(ErrorName.TASK_FAILED.value, dump(result)))

    timer = runtime.call_later(JOB_POLL_SECONDS, poll)
    pending.outcome.on_cancel.append(timer.cancel)


@register("service", "eks:runJob")
def run_job_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::eks:runJob[.sync]``: a ``batch/v1`` Job; ``.sync`` waits for it to end."""
    sync = call.resource.pattern == "sync"
    result = yield from service_task(call, services, _run_job_request, _watch_job if sync else None)
    return result
