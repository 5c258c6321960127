"""``FakeSFNClient``: a genuine botocore Step Functions client answered in-process.

This is the only package that touches botocore internals. The client is built by
botocore from AWS's service model, so parameter validation, exception classes,
paginators and response parsing are botocore's own; only the transport differs.

With boto3-stubs installed (``pip install 'boto3-stubs[stepfunctions]'``), type
checkers see the client as ``mypy_boto3_stepfunctions.SFNClient``: a misspelt
method or parameter is caught before the test runs. The stubs are a type-checking
aid only; nothing here imports them at run time.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

import botocore.client
from botocore import UNSIGNED
from botocore.config import Config

from fakesfn.backend import Backend
from fakesfn.client.session import PRIVATE_SESSION, private_session
from fakesfn.client.transport import Transport
from fakesfn.wire import DEFAULT_ACCOUNT_ID, DEFAULT_REGION

if TYPE_CHECKING:
    import datetime as _dt

    from botocore.client import BaseClient
    from mypy_boto3_stepfunctions import SFNClient

    class FakeClient(SFNClient):  # type: ignore[misc,unused-ignore] # Any without boto3-stubs
        """A fake client's type: boto3-stubs' ``SFNClient`` plus the fake's ``backend``.

        Without boto3-stubs, ``SFNClient`` is unknown and this is ``Any`` to a type
        checker: typing is an aid, never a requirement.
        """

        backend: Backend
else:
    FakeClient = botocore.client.BaseClient
    """At run time, the botocore client class every fake client is an instance of."""


_CLIENT_CONFIG = Config(
    signature_version=UNSIGNED,
    # Retries would make botocore sleep in real time; the fake answers every call
    # deterministically, so one attempt is the whole truth. Legacy mode with no retry
    # marks a response "MaxAttemptsReached" only when its error was retryable, so a
    # refused call reads as AWS's does: "An error occurred (ValidationException) when
    # calling the TestState operation: ..." with no "(reached max retries: 0)" (standard
    # mode with one attempt adds it to every error).
    retries={"max_attempts": 0, "mode": "legacy"},
)

__all__ = ["PRIVATE_SESSION", "FakeClient", "FakeSFNClient", "attach", "merged_config", "new_client"]

_CREATE_LOCK = threading.Lock()
"""botocore sessions are not thread-safe while they build clients."""


def new_client(region_name: str, config: Config | None = None) -> BaseClient:
    """A bare botocore ``stepfunctions`` client (not yet answered by any backend)."""
    with _CREATE_LOCK:
        return private_session().create_client(
            "stepfunctions",
            region_name=region_name,
            endpoint_url=f"https://states.{region_name}.amazonaws.com",
            config=merged_config(config),
        )


def FakeSFNClient(  # noqa: N802 - reads as the class users think it is
    *,
    region_name: str = DEFAULT_REGION,
    account_id: str = DEFAULT_ACCOUNT_ID,
    seed: int = 0,
    start_time: _dt.datetime | None = None,
    backend: Backend | None = None,
    config: Config | None = None,
) -> FakeClient:
    """A botocore ``stepfunctions`` client whose calls are answered by a fake backend.

    Args:
        region_name: the region this client speaks for; it appears in every ARN.
        account_id: the account this client speaks for; it appears in every ARN.
        seed: seeds the new backend's random choices (ignored with ``backend``).
        start_time: where the new backend's virtual clock starts; a naive datetime
            means UTC (ignored with ``backend``).
        backend: share an existing backend (another client's ``.backend``) so
            several clients, in any region or account, see one world.
        config: extra botocore configuration, merged under the fake's own.

    Returns:
        The botocore client, with the fake's controls at ``client.backend``; to a
        type checker, a :data:`FakeClient` (boto3-stubs' ``SFNClient`` when installed).
    """
    if backend is None:
        backend = Backend(seed=seed, start_time=start_time, region_name=region_name, account_id=account_id)
    client = new_client(region_name, config)
    attach(client, backend, region_name, account_id)
    return cast("FakeClient", client)


def merged_config(config: Config | None) -> Config:
    """The user's configuration with the fake's essentials (unsigned, no retries) on top."""
    return config.merge(_CLIENT_CONFIG) if config is not None else _CLIENT_CONFIG


def attach(client: BaseClient, backend: Backend, region_name: str, account_id: str) -> Transport:
    """Make an existing botocore Step Functions client answer from ``backend``."""
    transport = Transport(backend, region_name, account_id)
    transport.attach(client)
    return transport
