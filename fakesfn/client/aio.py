"""aiobotocore / aioboto3 clients answered by a fake backend.

aiobotocore builds its clients as botocore does, with an event system whose
handlers may be coroutines, and reads a response's body with ``await``. So the
in-process transport is the same, with a response whose body is read
asynchronously. This module is imported only when aiobotocore is installed and a
patch is started; nothing here is needed (or imported) otherwise.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from aiobotocore.awsrequest import AioAWSResponse  # type: ignore[import-not-found,unused-ignore]
from aiobotocore.session import AioSession  # type: ignore[import-not-found,unused-ignore]

from fakesfn.client import merged_config
from fakesfn.client.transport import Transport, response_headers

if TYPE_CHECKING:
    from collections.abc import Callable

    from botocore.awsrequest import HTTPHeaders

    from fakesfn.backend import Backend

_SERVICE = "stepfunctions"


class _AsyncRawBody:
    """The ``raw`` an :class:`AioAWSResponse` awaits its body from.

    aiobotocore before 2.21 also reads the response's headers from it, as aiohttp's
    ``raw_headers`` (pairs of bytes), rather than from the response.
    """

    def __init__(self, body: bytes, headers: HTTPHeaders) -> None:
        self._body = body
        self.raw_headers = tuple((name.encode(), value.encode()) for name, value in headers.items())

    async def read(self, *_: Any) -> bytes:
        """The body, once; later reads are empty, as a socket's would be."""
        body, self._body = self._body, b""
        return body


class AioTransport(Transport):
    """The in-process transport, answering with responses aiobotocore can await.

    Always by ``before-send``: aiobotocore's pipeline awaits its parser and hooks, so
    the synchronous shortcut at ``before-call`` is never taken.
    """

    shortcut_allowed = False

    def _before_send(self, request: Any, event_name: str = "", **_: Any) -> Any:
        status, body, request_id = self._answer(request, event_name)
        headers = response_headers(request_id, body)
        return AioAWSResponse(request.url, status, headers, _AsyncRawBody(body, headers))


def patch_sessions(backend: Backend, account_id: str, default_region: str) -> Callable[[], None]:
    """Make ``AioSession`` build fake ``stepfunctions`` clients on ``backend``; return the undo.

    ``AioSession.create_client`` (behind ``aioboto3.Session().client`` too) wraps
    the coroutine ``_create_client``; the patch wraps that coroutine, so the async
    context manager users write (``async with session.create_client(...)``) is
    aiobotocore's own.
    """
    original = AioSession._create_client

    @functools.wraps(original)
    async def _create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if service_name != _SERVICE:
            return await original(session, service_name, *args, **kwargs)
        kwargs["config"] = merged_config(kwargs.get("config"))
        if not args and kwargs.get("region_name") is None and session.get_config_variable("region") is None:
            kwargs["region_name"] = default_region
        client = await original(session, service_name, *args, **kwargs)
        AioTransport(backend, client.meta.region_name, account_id).attach(client)
        return client

    AioSession._create_client = _create_client

    def undo() -> None:
        AioSession._create_client = original

    return undo
