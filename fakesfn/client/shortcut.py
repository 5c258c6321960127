"""Answering at ``before-call``: the request side of botocore's pipeline skipped when nobody watches it.

A botocore call goes: parameters (``provide-client-params``, ``before-parameter-build``),
validation and serialization, endpoint resolution, ``before-call``, then the request
side of the endpoint (an ``AWSRequest`` built and prepared, ``request-created``, signer
choice and signing, ``before-send``), then the response side (``response-received``,
``before-parse``, the parser, ``needs-retry``), then ``after-call``. For an in-process
fake, the request side builds objects nobody reads: a third of a call's CPU time.

A ``before-call`` handler may answer a call with ``(http_response, parsed)``, which is
how botocore's own ``Stubber`` works. The shortcut answers there, and builds the answer
exactly as the endpoint would from the same reply bytes: the same ``AWSResponse``, the
same response dictionary and checksum step, ``response-received`` and ``before-parse``
emitted, botocore's own parser (modeled error fields included), ``needs-retry`` emitted
(so the retry handler marks ``MaxAttemptsReached`` as on the full path), the retries
context and ``RetryAttempts`` set. Everything before ``before-call`` and from
``after-call`` on is botocore's own, so exceptions, paginators, waiters and user hooks
on those events are untouched.

It answers only when skipping the request side is invisible:

* every handler of the skipped events (``request-created``, ``choose-signer``,
  ``before-sign``, ``before-send``) and of ``needs-retry`` (a user's could ask for a
  retry, which means sending again) is botocore's or this transport's own;
* no ``before-call`` handler but botocore's comes after the shortcut (a user's
  ``register_last``): botocore's only add request headers nobody reads here;
* botocore's history recorder is off and ``botocore.endpoint`` does not log at DEBUG
  (whoever watches those sees the full path's records).

Otherwise it answers nothing, and the call takes the full path to ``before-send``,
where the transport answers as before. The check is cached per operation until the
client's handlers change (botocore replaces its lookup cache on every change).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from botocore.endpoint import convert_to_response_dict
from botocore.history import get_global_history_recorder
from botocore.httpchecksum import handle_checksum_body

if TYPE_CHECKING:
    from collections.abc import Callable

    from botocore.awsrequest import AWSResponse
    from botocore.client import BaseClient
    from botocore.model import OperationModel

_SKIPPED = ("request-created", "choose-signer", "before-sign", "before-send", "needs-retry")
"""Events whose handlers must all be botocore's (or ours) for the shortcut to be invisible."""

_ENDPOINT_LOG = logging.getLogger("botocore.endpoint")
_HISTORY = get_global_history_recorder()


def _owner(handler: Any) -> str:
    """The module a handler (function, bound method or callable object) comes from."""
    function = getattr(handler, "__func__", handler)
    module = getattr(function, "__module__", None)
    if module is None:
        module = type(handler).__module__
    return str(module)


class Shortcut:
    """Decides, per call, whether a client's call may be answered at ``before-call``.

    Args:
        client: the botocore client (sync: aiobotocore's pipeline awaits, so it never
            takes the shortcut).
        ours: the transport's own handlers (they may sit on the skipped events).
    """

    def __init__(self, client: BaseClient, ours: tuple[Callable[..., Any], ...]) -> None:
        self.events = client.meta.events
        self._emitter = getattr(self.events, "_emitter", self.events)
        # The endpoint's own parser factory, retries context and modeled-error step.
        self._endpoint: Any = getattr(client, "_endpoint")  # noqa: B009 - private to botocore's stubs
        self._service_id = client.meta.service_model.service_id.hyphenize()
        self._ours = ours
        self._seen: object = None
        self._allowed: dict[str, bool] = {}

    def allowed(self, operation: str, handler: Callable[..., Any]) -> bool:
        """Whether ``operation`` may be answered now by the ``before-call`` ``handler``."""
        if getattr(_HISTORY, "_enabled", True) or _ENDPOINT_LOG.isEnabledFor(logging.DEBUG):
            return False
        cache = getattr(self._emitter, "_lookup_cache", None)
        if cache is not self._seen:
            self._seen = cache  # held, so its identity is never reused by another dict
            self._allowed = {}
        verdict = self._allowed.get(operation)
        if verdict is None:
            verdict = self._allowed[operation] = self._unwatched(operation, handler)
        return verdict

    def _handlers(self, event: str, operation: str) -> list[Any]:
        search = getattr(getattr(self._emitter, "_handlers", None), "prefix_search", None)
        if search is None:  # an event system we do not know: never skip anything
            return [None]
        return list(search(f"{event}.{self._service_id}.{operation}"))

    def _unwatched(self, operation: str, handler: Callable[..., Any]) -> bool:
        before_call = self._handlers("before-call", operation)
        if handler not in before_call:
            return False
        later = before_call[before_call.index(handler) + 1 :]
        skipped = [other for event in _SKIPPED for other in self._handlers(event, operation)]
        return all(other in self._ours or _owner(other).startswith("botocore.") for other in later + skipped)

    def respond(
        self, http: AWSResponse, model: OperationModel, request_dict: dict[str, Any]
    ) -> tuple[AWSResponse, dict[str, Any]]:
        """``(http, parsed)`` exactly as botocore's endpoint makes them from ``http``, one attempt."""
        context = request_dict["context"]
        self._endpoint._update_retries_context(context, 1)  # noqa: SLF001
        response_dict = convert_to_response_dict(http, model)
        handle_checksum_body(cast("Any", http), response_dict, context, model)
        suffix = f"{self._service_id}.{model.name}"
        customized: dict[str, Any] = {}
        self.events.emit(
            f"before-parse.{suffix}",
            operation_model=model,
            response_dict=response_dict,
            customized_response_dict=customized,
        )
        parser = self._endpoint._response_parser_factory.create_parser(_protocol(model))  # noqa: SLF001
        parsed: dict[str, Any] = parser.parse(response_dict, model.output_shape)
        parsed.update(customized)
        if http.status_code >= 300:
            self._endpoint._add_modeled_error_fields(response_dict, parsed, model, parser)  # noqa: SLF001
        self.events.emit(
            f"response-received.{suffix}",
            response_dict=response_dict,
            parsed_response=parsed,
            context=context,
            exception=None,
        )
        # The retry handler marks a retryable error "MaxAttemptsReached" (one attempt is all there is).
        self.events.emit(
            f"needs-retry.{suffix}",
            response=(http, parsed),
            endpoint=self._endpoint,
            operation=model,
            attempts=1,
            caught_exception=None,
            request_dict=request_dict,
        )
        if "ResponseMetadata" in parsed:
            parsed["ResponseMetadata"]["RetryAttempts"] = 0
        return http, parsed

    def failed(self, model: OperationModel, error: Exception, context: dict[str, Any]) -> None:
        """Tell ``after-call-error`` handlers, as botocore's client does when its request raises."""
        event = f"after-call-error.{self._service_id}.{model.name}"
        self.events.emit(event, exception=error, context=context)


def _protocol(model: OperationModel) -> str:
    """The protocol botocore's endpoint parses a reply with, as the installed botocore reads it.

    botocore 1.40 reads ``service_model.resolved_protocol`` (a service may list several
    protocols); before it, the model's one ``protocol``.
    """
    resolved = getattr(model.service_model, "resolved_protocol", None)
    return str(resolved if resolved is not None else model.metadata["protocol"])
