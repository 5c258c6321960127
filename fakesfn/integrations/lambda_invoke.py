"""``arn:aws:states:::lambda:invoke`` and function-ARN Tasks: a registered Python handler first.

A function registered with ``backend.register_lambda`` answers (see
:mod:`fakesfn.integrations.lambda_`); otherwise, when the backend has an AWS session,
the real Lambda API is called through it (moto's ``mock_aws`` works), answering as the
optimized integration does (:mod:`fakesfn.integrations.v1`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fakesfn.asl.errors import StatesError
from fakesfn.engine.payload_limits import check_payload_size
from fakesfn.engine.tasks import TaskEvents
from fakesfn.integrations import lambda_
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.lambda_response import invoke_response, log_result
from fakesfn.integrations.registry import register
from fakesfn.integrations.v1 import v1_call
from fakesfn.payload import check_depth, dump

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices


def _handler(services: TaskServices, name: Any) -> lambda_.RegisteredFunction | None:
    return services.lambdas.lookup(name) if isinstance(name, str) else None


def _invoke_request(call: TaskCall, services: TaskServices) -> TaskBody:
    parameters = call.parameters if isinstance(call.parameters, dict) else {}
    name = parameters.get("FunctionName")
    function = _handler(services, name)
    if function is None:
        result = _real_invoke(call, services, parameters)
        return result
    # A null Payload is no payload, as for lambda:invoke (lambda_.request_payload).
    payload_text = "{}" if parameters.get("Payload") is None else dump(parameters["Payload"])
    invocation = yield from lambda_.run_function(
        call,
        function,
        lambda_.function_arn(call, str(name)),
        payload_text,
        tail_log=parameters.get("LogType") == "Tail",
    )
    text = invocation.payload.decode("utf-8", errors="replace")
    if invocation.function_error is not None:
        raise lambda_.function_failure(text, service=True)
    return invoke_response(
        _parse(text),
        len(invocation.payload),
        invocation.request_id,
        now=call.run.runtime.clock.time(),
        log=log_result(invocation.log) if invocation.log is not None else None,
    )


def _real_invoke(
    call: TaskCall, services: TaskServices, parameters: dict[str, Any], *, service: bool = True
) -> dict[str, Any]:
    params = dict(parameters)
    if "Payload" in params:
        params["Payload"] = dump(params["Payload"])
    result = v1_call(call, services, "lambda", "Invoke", params)
    payload = result.get("Payload", "")
    if result.get("FunctionError"):
        text = payload if isinstance(payload, str) else dump(payload)
        raise lambda_.function_failure(text, service=service)
    result["Payload"] = _parse(payload) if isinstance(payload, str) else payload
    result.pop("FunctionError", None)
    return result


def _parse(text: str) -> Any:
    try:
        check_depth(text)
        return json.loads(text)
    except ValueError:
        return text


@register("service", "lambda:invoke")
def invoke_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``lambda:invoke``: a registered handler, else the session's Lambda; any pattern."""
    parameters = call.parameters if isinstance(call.parameters, dict) else {}
    no_handler = _handler(services, parameters.get("FunctionName")) is None
    if not call.resource.pattern and (not no_handler or services.aws_session is None):
        result = yield from lambda_.invoke_task(call, services)
        return result
    result = yield from service_task(call, services, _invoke_request)
    return result


@register("lambda", "*")
def function_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """A function ARN: a registered handler, else the real function through the session."""
    if _handler(services, call.resource.arn) is not None or services.aws_session is None:
        result = yield from lambda_.legacy_task(call, services)
        return result
    events = TaskEvents(call)
    events.scheduled()
    events.started()
    try:
        response = _real_invoke(
            call,
            services,
            {"FunctionName": call.resource.arn, "Payload": call.parameters},
            service=False,
        )
        payload = response["Payload"]
        text = payload if isinstance(payload, str) else dump(payload)
        check_payload_size(text, call.resource.arn)
    except StatesError as error:
        events.failed(error)
        raise
    events.succeeded(dump(payload))
    return payload
