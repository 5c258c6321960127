"""In-process "Lambda functions": Python callables registered on the backend.

``backend.register_lambda(name_or_arn, handler, duration=0)`` makes ``handler``
answer invocations of that function, both from a legacy function-ARN Task and
from ``arn:aws:states:::lambda:invoke``. A handler receives the decoded event
and a Lambda-like context on virtual time; what it returns is JSON-encoded the
way the Python runtime encodes it (bytes pass through as the raw payload). An
exception becomes an ``Unhandled`` function error with the payload Lambda
produces: ``{errorMessage, errorType, requestId, stackTrace}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl.errors import StatesError
from fakesfn.engine.payload_limits import check_payload_size
from fakesfn.engine.tasks import TaskEvents, TaskTimeout, answer_after
from fakesfn.integrations.lambda_response import invoke_response, log_result, log_text
from fakesfn.payload import check_depth, dump, encode, load

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.runtime import Runtime
    from fakesfn.engine.signals import Signal
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

Handler = Callable[[Any, Any], Any]

_FUNCTION_NAME = re.compile(
    r"(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]{1,140})(?::([A-Za-z0-9_$-]+))?\Z"
)


class LambdaError(Exception):
    """Raise from a handler to fail the invocation with an exact Lambda error payload.

    Args:
        error_type: becomes the task's ``Error`` (Lambda's ``errorType``).
        error_message: Lambda's ``errorMessage``.
        stack_trace: Lambda's ``stackTrace`` lines.
    """

    def __init__(
        self, error_type: str, error_message: str = "", stack_trace: list[str] | None = None
    ) -> None:
        super().__init__(error_message)
        self.error_type = error_type
        self.error_message = error_message
        self.stack_trace = list(stack_trace or [])


@dataclass(slots=True)
class RegisteredFunction:
    """A registered handler and how long (virtual seconds) one invocation takes."""

    name: str
    handler: Handler
    duration: float
    arn: str | None


class LambdaContext:
    """The ``context`` a handler receives: Lambda's attributes, on virtual time."""

    def __init__(
        self, runtime: Runtime, function: RegisteredFunction, arn: str, request_id: str, timeout: float
    ) -> None:
        self.function_name = function.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = 128
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.log_stream_name = f"fakesfn/{request_id}"
        self._runtime = runtime
        self._deadline = runtime.clock.time() + timeout

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation's deadline, on the virtual clock."""
        return max(0, int((self._deadline - self._runtime.clock.time()) * 1000))


class LambdaRegistry:
    """The functions one backend can invoke, by function name."""

    def __init__(self) -> None:
        self._functions: dict[str, RegisteredFunction] = {}

    def register(self, name_or_arn: str, handler: Handler, duration: float = 0.0) -> None:
        """Make ``handler`` answer invocations of the function ``name_or_arn``."""
        match = _FUNCTION_NAME.match(name_or_arn)
        if not match:
            raise ValueError(f"not a Lambda function name or ARN: {name_or_arn!r}")
        if duration < 0:
            raise ValueError("duration must be >= 0 virtual seconds")
        name = match.group(1)
        arn = name_or_arn if name_or_arn.startswith("arn:") else None
        self._functions[name] = RegisteredFunction(name, handler, float(duration), arn)

    def lookup(self, name_or_arn: str) -> RegisteredFunction | None:
        """The function registered for ``name_or_arn`` (any qualifier), if any."""
        match = _FUNCTION_NAME.match(name_or_arn)
        return self._functions.get(match.group(1)) if match else None

    def names(self) -> list[str]:
        """Registered function names, sorted (for error messages)."""
        return sorted(self._functions)


@dataclass(slots=True)
class Invocation:
    """What one invocation produced: the raw payload and Lambda's FunctionError."""

    payload: bytes
    function_error: str | None
    request_id: str
    log: str | None = None


_RUNTIME_ENCODER: Final = json.JSONEncoder()
"""Python's Lambda runtime serialises a handler's result with ``json.dumps``'s defaults."""


def invoke(
    runtime: Runtime,
    function: RegisteredFunction,
    arn: str,
    event_text: str,
    timeout: float,
    *,
    tail_log: bool = False,
) -> Invocation:
    """Call the handler now with a fresh copy of the event.

    With ``tail_log`` (``LogType: Tail``), what the handler prints is captured into the
    invocation's log, as Lambda's runtime sends it to the function's log stream.
    """
    request_id = runtime.random.uuid()
    if not tail_log:
        return _call(function, arn, event_text, _context(runtime, function, arn, request_id, timeout))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        invocation = _call(function, arn, event_text, _context(runtime, function, arn, request_id, timeout))
    invocation.log = log_text(request_id, printed.getvalue(), function.duration)
    return invocation


def _context(
    runtime: Runtime, function: RegisteredFunction, arn: str, request_id: str, timeout: float
) -> LambdaContext:
    return LambdaContext(runtime, function, arn, request_id, timeout)


def _call(function: RegisteredFunction, arn: str, event_text: str, context: LambdaContext) -> Invocation:
    request_id = context.aws_request_id
    event = json.loads(event_text)
    try:
        result = function.handler(event, context)
    except LambdaError as exc:
        return Invocation(
            _error_payload(exc.error_type, exc.error_message, exc.stack_trace, request_id),
            "Unhandled",
            request_id,
        )
    except Exception as exc:  # noqa: BLE001 - user handler code: any exception is the function's failure
        frames = traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:])
        return Invocation(
            _error_payload(type(exc).__name__, str(exc), frames, request_id), "Unhandled", request_id
        )
    if isinstance(result, (bytes, bytearray)):
        return Invocation(bytes(result), None, request_id)
    try:
        text = encode(result, _RUNTIME_ENCODER)
        check_depth(text)
        return Invocation(text.encode("utf-8"), None, request_id)
    except (TypeError, ValueError) as exc:
        # A result nested deeper than the payload limit is refused here, on every Python,
        # as the runtime refuses what it cannot serialise (house: AWS documents no limit).
        message = f"Unable to marshal response: {exc}"
        return Invocation(
            _error_payload("Runtime.MarshalError", message, [], request_id), "Unhandled", request_id
        )


def _error_payload(error_type: str, message: str, stack: list[str], request_id: str) -> bytes:
    payload = {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": stack}
    return json.dumps(payload).encode("utf-8")


def function_arn(call: TaskCall, name_or_arn: str) -> str:
    """The qualified ARN AWS reports for a function (``...:function:NAME:$LATEST``)."""
    if name_or_arn.startswith("arn:"):
        return name_or_arn
    execution_arn = call.run.execution.arn
    return arns.function_arn(
        arns.partition_of(execution_arn), call.region, arns.account_of(execution_arn), name_or_arn
    )


def not_found(call: TaskCall, name_or_arn: str) -> StatesError:
    """AWS's error for a function that does not exist (here: that nobody registered)."""
    arn = function_arn(call, name_or_arn)
    qualified = arn if arn.count(":") >= 7 else f"{arn}:$LATEST"
    request_id = call.run.runtime.random.uuid()
    return StatesError(
        "Lambda.ResourceNotFoundException",
        f"Function not found: {qualified} (Service: AWSLambda; Status Code: 404; Error Code: "
        f"ResourceNotFoundException; Request ID: {request_id}; Proxy: null)",
    )


def run_function(
    call: TaskCall, function: RegisteredFunction, arn: str, event_text: str, *, tail_log: bool = False
) -> Generator[Signal, Any, Invocation]:
    """Invoke and wait the function's virtual duration, racing the task's TimeoutSeconds."""
    runtime = call.run.runtime
    timeout = float(call.timeout_seconds) if call.timeout_seconds is not None else 900.0
    invocation = invoke(runtime, function, arn, event_text, timeout, tail_log=tail_log)
    result: Invocation = yield answer_after(call, function.duration, invocation)
    return result


def legacy_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """A Task whose Resource is a function ARN: ``LambdaFunction*`` events, payload as result."""
    events = TaskEvents(call)
    events.scheduled()
    function = services.lambdas.lookup(call.resource.arn)
    if function is None:
        error = not_found(call, call.resource.arn)
        events.failed(error)
        raise error
    # AWS: the invocation starts asynchronously; concurrent branches schedule theirs first.
    yield call.run.runtime.next_turn()
    events.started()
    invocation = yield from _invoke_recorded(call, events, function, call.resource.arn, dump(call.parameters))
    result = _payload_result(events, invocation, call.resource.arn, service=False)
    events.succeeded(dump(result))
    return result


def _invoke_recorded(
    call: TaskCall,
    events: TaskEvents,
    function: RegisteredFunction,
    arn: str,
    payload_text: str,
    *,
    tail_log: bool = False,
) -> Generator[Signal, Any, Invocation]:
    """Invoke, recording a timeout as ``*TimedOut``."""
    try:
        invocation: Invocation = yield from run_function(call, function, arn, payload_text, tail_log=tail_log)
    except TaskTimeout as timeout:
        events.timed_out(timeout)
        raise
    return invocation


def _payload_result(events: TaskEvents, invocation: Invocation, name: str, *, service: bool) -> Any:
    """The invocation's payload as the task's result, or its failure recorded and raised.

    ``name`` is what AWS names in a DataLimitExceeded cause: the function ARN for a
    legacy Task, ``lambda`` for lambda:invoke (``service``).
    """
    text = invocation.payload.decode("utf-8", errors="replace")
    try:
        if invocation.function_error is not None:
            raise function_failure(text, service=service)
        check_payload_size(text, name)
    except StatesError as error:
        events.failed(error)
        raise
    return _parse_payload(text)


def function_failure(payload_text: str, *, service: bool) -> StatesError:
    """AWS: the error is the payload's ``errorType`` and the cause the payload itself.

    A function ARN Task passes the payload on as Lambda wrote it; ``lambda:invoke``
    (``service``) writes it again as compact JSON (recorded: every TaskFailed cause of
    LocalStack's snapshots is ``{"errorMessage":"...",...}``, every LambdaFunctionFailed
    one ``{"errorMessage": "...", ...}``, as the Python runtime writes it).
    """
    try:
        payload = json.loads(payload_text)
    except ValueError:
        return StatesError("Lambda.Unknown", payload_text)
    error_type = payload.get("errorType") if isinstance(payload, dict) else None
    cause = dump(payload) if service else payload_text
    return StatesError(error_type if isinstance(error_type, str) else "Lambda.Unknown", cause)


def _parse_payload(text: str) -> Any:
    # Python's json.dumps writes NaN and Infinity, which are not JSON: such a
    # payload is a raw string, like any other that does not parse.
    try:
        return load(text)
    except ValueError:
        return text


def invoke_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::lambda:invoke``: ``Task*`` events, the Invoke API response as result."""
    events = TaskEvents(call)
    events.scheduled()
    parameters = call.parameters if isinstance(call.parameters, dict) else {}
    name = parameters.get("FunctionName")
    if not isinstance(name, str):
        error = StatesError("States.Runtime", "The field 'FunctionName' is required for lambda:invoke")
        events.failed(error)
        raise error
    # AWS: the invocation starts asynchronously (concurrent branches schedule theirs
    # first), and has started by the time Lambda answers "not found".
    yield call.run.runtime.next_turn()
    events.started()
    function = services.lambdas.lookup(name)
    if function is None:
        error = not_found(call, name)
        events.failed(error)
        raise error
    try:
        payload_text = request_payload(parameters, call.run.runtime.random.uuid)
    except StatesError as refused:
        events.failed(refused)
        raise
    tail = parameters.get("LogType") == "Tail"
    invocation = yield from _invoke_recorded(
        call, events, function, function_arn(call, name), payload_text, tail_log=tail
    )
    payload = _payload_result(events, invocation, "lambda", service=True)
    result = invoke_response(
        payload,
        len(invocation.payload),
        invocation.request_id,
        now=call.run.runtime.clock.time(),
        log=log_result(invocation.log) if invocation.log is not None else None,
    )
    events.succeeded(dump(result))
    return result


def request_payload(parameters: dict[str, Any], request_id: Callable[[], str]) -> str:
    """The bytes lambda:invoke sends: a string Payload is sent as it is, anything else as JSON.

    AWS passes a string ``Payload`` through unencoded (recorded:
    test_invoke_json_values_*: ``"0.0"`` reaches the function as the number 0.0), so
    it must itself be JSON, or Lambda refuses the request. A null ``Payload`` is no
    payload at all, as an absent one: the function gets ``{}`` (recorded: TestState
    test_base_lambda_service_task_state, where an identity function answered ``{}``).
    """
    if parameters.get("Payload") is None:
        return "{}"
    payload = parameters["Payload"]
    if not isinstance(payload, str):
        return dump(payload)
    try:
        check_depth(payload)
        json.loads(payload)
    except ValueError:
        raise StatesError(
            "Lambda.InvalidRequestContentException",
            "Could not parse request body into json: Could not parse payload into json: Unrecognized token "
            f"(Service: AWSLambda; Status Code: 400; Error Code: InvalidRequestContentException; "
            f"Request ID: {request_id()}; Proxy: null)",
        ) from None
    return payload
