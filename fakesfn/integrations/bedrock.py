"""Amazon Bedrock's ``invokeModel`` as Step Functions' optimized integration shapes it.

AWS ("Invoke and customize Amazon Bedrock models with Step Functions"): the task takes
InvokeModel's fields plus three of its own. ``Body`` is the model's input (a JSON
object, which Step Functions sends as the request body); ``Input`` (``{"S3Uri": ...}``)
names an S3 object to send instead ("either Body or Input, but not both"; without a
``ContentType``, the object's content type is used); ``Output`` (``{"S3Uri": ...}``)
names an S3 object the answer is written to, "the API response body is replaced with a
reference to the Amazon S3 location of the original output". The call is
``bedrock-runtime`` ``InvokeModel`` through the user's session, and S3 is read and
written through the same session. The result is ``{"Body": <the model's JSON answer>,
"ContentType": ...}`` (and InvokeModel's other answers, if any); with ``Output``, ``Body``
is the ``Output`` location (house shape: AWS words the reference but shows none).
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.callbacks import service_task
from fakesfn.integrations.registry import register
from fakesfn.integrations.sdk import ServiceCallError, call_aws
from fakesfn.integrations.v1 import v1_call, v1_error

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.services import TaskServices

_JSON: Final = "application/json"
_OWN_FIELDS: Final = ("Input", "Output")


def _location(params: dict[str, Any], field: str) -> tuple[str, str] | None:
    """``{"S3Uri": "s3://bucket/key"}`` -> (bucket, key); None when the field is absent."""
    if field not in params:
        return None
    given = params[field]
    uri = given.get("S3Uri") if isinstance(given, dict) else None
    path = uri[5:] if isinstance(uri, str) and uri.startswith("s3://") else ""
    bucket, _, key = path.partition("/")
    if not bucket or not key:
        raise StatesError(
            ErrorName.RUNTIME.value,
            f"The field '{field}' must be an object with an 'S3Uri' of the form s3://bucket/key",
        )
    return bucket, key


def _s3(call: TaskCall, services: TaskServices, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        return call_aws(call, services, "s3", operation, params)
    except ServiceCallError as error:
        raise v1_error("s3", error) from None


def _body_text(body: Any) -> Any:
    return body if body is None or isinstance(body, (str, bytes)) else json.dumps(body, separators=(",", ":"))


def _invoke(call: TaskCall, services: TaskServices) -> TaskBody:
    yield from ()
    params = dict(call.parameters) if isinstance(call.parameters, dict) else {}
    source = _location(params, "Input")
    target = _location(params, "Output")
    sent = {key: value for key, value in params.items() if key not in _OWN_FIELDS}
    if source is not None:
        if "Body" in params:
            raise StatesError(ErrorName.RUNTIME.value, "Specify either 'Body' or 'Input', but not both")
        found = _s3(call, services, "GetObject", {"Bucket": source[0], "Key": source[1]})
        sent["Body"] = found["Body"].read() if hasattr(found.get("Body"), "read") else found.get("Body")
        sent.setdefault("ContentType", found.get("ContentType") or _JSON)
    sent.setdefault("ContentType", _JSON)
    sent.setdefault("Accept", _JSON)
    sent["Body"] = _body_text(sent.get("Body"))
    response = v1_call(call, services, "bedrock-runtime", "InvokeModel", sent)
    content_type = str(response.get("ContentType") or _JSON)
    body = response.get("Body")
    # InvokeModel's other answers (PerformanceConfigLatency...) pass through, in PascalCase.
    rest = {key: value for key, value in response.items() if not key.startswith("Sdk")}
    if target is not None:
        _s3(
            call,
            services,
            "PutObject",
            {"Bucket": target[0], "Key": target[1], "Body": body or "", "ContentType": content_type},
        )
        return {**rest, "Body": params["Output"], "ContentType": content_type}
    if isinstance(body, str) and content_type.split(";")[0].strip().endswith("json"):
        with contextlib.suppress(ValueError):
            body = json.loads(body)
    return {**rest, "Body": body, "ContentType": content_type}


@register("service", "bedrock:invokeModel")
def invoke_model_task(call: TaskCall, services: TaskServices) -> TaskBody:
    """``arn:aws:states:::bedrock:invokeModel``: InvokeModel, with ``Input``/``Output`` in S3."""
    result = yield from service_task(call, services, _invoke)
    return result
