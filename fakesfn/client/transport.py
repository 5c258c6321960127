"""The in-process transport: botocore builds and validates the request, we answer it.

Hooks on one client's own event system (never on a shared session, never at
import time):

* ``choose-signer.sfn`` returns UNSIGNED, so no credentials are looked up or needed;
* ``before-send.sfn`` turns the prepared request into an operation name and
  parameters, hands them to the backend and wraps the JSON reply in an
  :class:`~botocore.awsrequest.AWSResponse`; botocore then parses it exactly as it
  parses AWS's replies (datetimes, modelled exceptions, ``ResponseMetadata``);
* ``before-call`` (the last handler there) answers the same way earlier, skipping
  the request side of botocore's pipeline, whenever nobody but botocore watches that
  side (:mod:`fakesfn.client.shortcut`); otherwise it answers nothing and the call
  goes on to ``before-send``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from botocore import UNSIGNED
from botocore.awsrequest import AWSResponse
from botocore.handlers import BUILTIN_HANDLERS

from fakesfn import wire
from fakesfn.client.shortcut import Shortcut

if TYPE_CHECKING:
    from collections.abc import Iterator

    from botocore.awsrequest import HTTPHeaders
    from botocore.client import BaseClient

    from fakesfn.backend import Backend


class RawBody:
    """The minimal file-like ``raw`` that :class:`AWSResponse` reads its body from.

    Public for the benchmarks, whose "botocore floor" answers with canned bytes the same way.
    """

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        """The whole body in one chunk."""
        yield self._body

    def read(self, *_: Any) -> bytes:
        """The body, once; later reads are empty, as a socket's would be."""
        body, self._body = self._body, b""
        return body


class Transport:
    """Answers one client's requests from a backend, as a given region and account."""

    shortcut_allowed = True
    """Whether calls may be answered at ``before-call`` (not where the pipeline awaits: aiobotocore)."""

    def __init__(self, backend: Backend, region: str, account_id: str) -> None:
        self.backend = backend
        self.region = region
        self.account_id = account_id
        self.client: BaseClient | None = None
        self._shortcut: Shortcut | None = None

    def rebind(self, backend: Backend) -> None:
        """Answer from ``backend`` from now on (the client's ``.backend`` follows)."""
        self.backend = backend
        if self.client is not None:
            setattr(self.client, "backend", backend)  # noqa: B010 - not in botocore's typed surface

    def attach(self, client: BaseClient) -> None:
        """Hook this transport into ``client``'s own event system.

        Other libraries may have put a global ``before-send`` handler into
        botocore's BUILTIN_HANDLERS (moto's ``mock_aws`` does); every client
        inherits those, so they are removed from this client only: its requests
        must reach the fake, not another mock.
        """
        events = client.meta.events
        for entry in BUILTIN_HANDLERS:
            if entry[0].startswith("before-send"):
                events.unregister(entry[0], entry[1])
        # A client attached twice (made inside mock_sfn, then attached again) answers
        # from the latest transport only.
        events.unregister("choose-signer.sfn", unique_id="fakesfn-signer")
        events.unregister("before-send.sfn", unique_id="fakesfn-send")
        events.unregister("before-call", unique_id="fakesfn-call")
        events.register_first("choose-signer.sfn", self._choose_signer, unique_id="fakesfn-signer")
        events.register_first("before-send.sfn", self._before_send, unique_id="fakesfn-send")  # type: ignore[arg-type]
        if self.shortcut_allowed:
            self._shortcut = Shortcut(client, (self._choose_signer, self._before_send))
            # On the bare event name, after botocore's own handlers there (more specific names run first).
            events.register_last("before-call", self._before_call, unique_id="fakesfn-call")  # type: ignore[arg-type]
        self.client = client
        self.rebind(self.backend)

    @staticmethod
    def _choose_signer(**_: Any) -> Any:
        return UNSIGNED

    def _answer(self, request: Any, event_name: str) -> tuple[int, bytes, str]:
        """``(status, body, request id)`` of the backend's answer to one prepared request."""
        operation = event_name.rsplit(".", 1)[-1]
        return self.backend.handle(
            operation, wire.decode_body(request.body), region=self.region, account_id=self.account_id
        )

    def _before_send(self, request: Any, event_name: str = "", **_: Any) -> AWSResponse:
        status, body, request_id = self._answer(request, event_name)
        return AWSResponse(request.url, status, response_headers(request_id, body), RawBody(body))

    def _before_call(
        self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        """The call's ``(http, parsed)`` when the shortcut is invisible, else ``None`` (full path)."""
        shortcut = self._shortcut
        if shortcut is None or not shortcut.allowed(model.name, self._before_call):
            return None
        try:
            status, body, request_id = self.backend.handle(
                model.name, wire.decode_body(params["body"]), region=self.region, account_id=self.account_id
            )
            http = AWSResponse(params["url"], status, response_headers(request_id, body), RawBody(body))
            return shortcut.respond(http, model, params)
        except Exception as error:
            # As botocore's client does when its request fails, before re-raising.
            shortcut.failed(model, error, context)
            raise


def response_headers(request_id: str, body: bytes) -> HTTPHeaders:
    """The headers AWS sends with a JSON 1.0 reply.

    A plain dict: :class:`AWSResponse` copies it into its own case-insensitive
    mapping anyway, and building an ``HTTPHeaders`` (an email message) costs tens of
    microseconds on every call. The stubs ask for ``HTTPHeaders``; any mapping works.
    """
    headers = {
        "x-amzn-RequestId": request_id,
        "Content-Type": wire.CONTENT_TYPE,
        "Content-Length": str(len(body)),
    }
    return cast("HTTPHeaders", headers)
