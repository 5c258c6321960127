"""HTTP Tasks (``arn:aws:states:::http:invoke``) and ``arn:aws:states:::apigateway:invoke``.

The request (:mod:`fakesfn.integrations.http_request`) goes to the backend's registered
handler for its URL, which answers after its virtual duration, racing the task's
TimeoutSeconds. A status outside 2xx fails an HTTP Task with
``States.Http.StatusCode.<n>`` (the response, as JSON, is the cause); no handler, or a
handler that raises, is ``States.Http.Socket``, as an unreachable endpoint is on AWS.
An API Gateway call's error for a status outside 2xx is ``APIGateway.<n>`` with the
response body as the cause; ``.waitForTaskToken`` waits for the token after the call.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import StatesError
from fakesfn.engine.tasks import TaskEvents, answer_after
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.http_request import build_apigateway_request, build_request
from fakesfn.integrations.http_tasks import (
    HttpHandler,
    HttpRequest,
    HttpResponse,
    RenderedResponse,
    render_response,
)
from fakesfn.integrations.registry import register
from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.signals import Signal
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

SOCKET_ERROR: Final = "States.Http.Socket"
STATUS_ERROR: Final = "States.Http.StatusCode.{status}"

Builder = Callable[[Any, str], HttpRequest]
Failure = Callable[[RenderedResponse], StatesError]


@register("service", "http:invoke")
def invoke_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::http:invoke``: ``Task*`` events, the response as the result."""
    result = yield from _request_response(call, services, build_request, _http_failure)
    return result


@register("service", "apigateway:invoke")
def apigateway_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::apigateway:invoke[.waitForTaskToken]``: an API Gateway endpoint's handler."""
    if call.resource.pattern:
        result = yield from service_task(call, services, _apigateway_request)
    else:
        result = yield from _request_response(call, services, build_apigateway_request, _apigateway_failure)
    return result


def _apigateway_request(call: TaskCall, services: TaskServices) -> TaskBody:
    """The request part of a ``.waitForTaskToken`` call: its response is ``TaskSubmitted``."""
    request = build_apigateway_request(call.parameters, call.region)
    response = yield from _exchange(call, services, request)
    return _outcome(response, _apigateway_failure)


def _request_response(call: TaskCall, services: TaskServices, build: Builder, failure: Failure) -> TaskBody:
    """Scheduled, Started (a turn later), then Succeeded, Failed or TimedOut.

    A refused request fails right after Scheduled, before anything is sent.
    """
    events = TaskEvents(call)
    events.scheduled()
    try:
        request = build(call.parameters, call.region)
    except StatesError as refused:
        events.failed(refused)
        raise
    yield call.run.runtime.next_turn()
    events.started()
    try:
        response = yield from _exchange(call, services, request)
        result = _outcome(response, failure)
    except StatesError as error:
        events.ended_by(error)
        raise
    events.succeeded(dump(result))
    return result


def _exchange(
    call: TaskCall, services: TaskServices, request: HttpRequest
) -> Generator[Signal, Any, RenderedResponse]:
    """Ask the handler and wait its virtual duration, racing the task's TimeoutSeconds."""
    registered = services.http.lookup(request.url)
    if registered is None:
        raise StatesError(
            SOCKET_ERROR,
            f"fakesfn has no HTTP handler for {request.method} {request.url}: register one with "
            "backend.register_http(handler, endpoint=...)",
        )
    response = _ask(registered.handler, request)
    observer = services.http_observer
    if observer is not None:
        observer(request, response)
    answered: RenderedResponse = yield answer_after(call, registered.duration, response)
    return answered


def _ask(handler: HttpHandler, request: HttpRequest) -> RenderedResponse:
    try:
        answer = handler(request)
    except Exception as exc:  # the user's handler: reported like a broken connection
        raise StatesError(SOCKET_ERROR, f"The HTTP handler raised {type(exc).__name__}: {exc}") from None
    return render_response(answer if isinstance(answer, HttpResponse) else HttpResponse(body=answer))


def _outcome(response: RenderedResponse, failure: Failure) -> dict[str, Any]:
    """AWS: a 2xx status is success; any other fails the task."""
    if 200 <= response.result["StatusCode"] < 300:
        return response.result
    raise failure(response)


def _http_failure(response: RenderedResponse) -> StatesError:
    """``States.Http.StatusCode.<n>``; the cause is the response as JSON (house form)."""
    return StatesError(STATUS_ERROR.format(status=response.result["StatusCode"]), dump(response.result))


def _apigateway_failure(response: RenderedResponse) -> StatesError:
    """AWS: ``APIGateway.<status>``, the cause the response body as a string."""
    return StatesError(f"APIGateway.{response.result['StatusCode']}", response.body_text)
