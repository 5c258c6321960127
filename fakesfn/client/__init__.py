"""``FakeSFNClient``: a genuine botocore Step Functions client answered in-process.

This is the only package that touches botocore internals. The client is built by
botocore from AWS's service model, so parameter validation, exception classes,
paginators and response parsing are botocore's own; only the transport differs.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import botocore.session
from botocore import UNSIGNED
from botocore.config import Config

from fakesfn.client.transport import Transport

if TYPE_CHECKING:
    import datetime as _dt

    from botocore.client import BaseClient

    from fakesfn.backend import Backend

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"

_CLIENT_CONFIG = Config(
    signature_version=UNSIGNED,
    # Retries would make botocore sleep in real time; the fake answers every call
    # deterministically, so one attempt is the whole truth.
    retries={"total_max_attempts": 1, "mode": "standard"},
)


@functools.lru_cache(maxsize=1)
def _shared_loader() -> Any:
    """One botocore data loader for every fake client.

    Loading the Step Functions model and endpoint rules from disk dominates client
    creation; the loader caches them, so fresh clients (one per test) stay cheap.
    The loader holds only AWS's read-only model files, never fake state.
    """
    return botocore.session.get_session().get_component("data_loader")


def _fresh_session() -> botocore.session.Session:
    session = botocore.session.Session()
    session.register_component("data_loader", _shared_loader())
    return session


def FakeSFNClient(  # noqa: N802 - reads as the class users think it is
    *,
    region_name: str = DEFAULT_REGION,
    account_id: str = DEFAULT_ACCOUNT_ID,
    seed: int = 0,
    start_time: _dt.datetime | None = None,
    backend: Backend | None = None,
    config: Config | None = None,
) -> Any:
    """A botocore ``stepfunctions`` client whose calls are answered by a fake backend.

    Args:
        region_name: the region this client speaks for; it appears in every ARN.
        account_id: the account this client speaks for; it appears in every ARN.
        seed: seeds the new backend's random choices (ignored with ``backend``).
        start_time: where the new backend's virtual clock starts (ignored with
            ``backend``).
        backend: share an existing backend (another client's ``.backend``) so
            several clients, in any region or account, see one world.
        config: extra botocore configuration, merged under the fake's own.

    Returns:
        The botocore client, with the fake's controls at ``client.backend``.
    """
    from fakesfn.backend import Backend

    if backend is None:
        backend = Backend(seed=seed, start_time=start_time)
    client = _fresh_session().create_client(
        "stepfunctions",
        region_name=region_name,
        endpoint_url=f"https://states.{region_name}.amazonaws.com",
        config=merged_config(config),
    )
    attach(client, backend, region_name, account_id)
    return client


def merged_config(config: Config | None) -> Config:
    """The user's configuration with the fake's essentials (unsigned, no retries) on top."""
    return config.merge(_CLIENT_CONFIG) if config is not None else _CLIENT_CONFIG


def attach(client: BaseClient, backend: Backend, region_name: str, account_id: str) -> None:
    """Make an existing botocore Step Functions client answer from ``backend``."""
    Transport(backend, region_name, account_id).attach(client)
    client.backend = backend
