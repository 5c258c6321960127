"""The pytest plugin (registered through the ``pytest11`` entry point).

Fixtures:
    sfn_backend: a fresh :class:`~fakesfn.backend.Backend` per test; while the test
        runs, ``boto3.client("stepfunctions")`` (and boto3 sessions, botocore
        sessions, aiobotocore / aioboto3 when installed) made by the code under test
        reach this backend, as inside :func:`fakesfn.mock_sfn`.
    sfn: a fake Step Functions client on that backend.

Configure both with ``@pytest.mark.fakesfn(seed=..., start_time=...,
region_name=..., account_id=...)``.

Each test gets a fresh world: same seed, same ARNs, tokens and histories, whatever
ran before. The ``sfn`` client object itself is reused from test to test when
the previous test left it untouched (see :mod:`fakesfn.client.pool`): building a
botocore client costs more than a typical test's calls.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import pytest

from fakesfn.wire import DEFAULT_ACCOUNT_ID, DEFAULT_REGION  # a leaf: no engine, no botocore

if TYPE_CHECKING:
    from collections.abc import Iterator

    from fakesfn.backend import Backend
    from fakesfn.client import FakeClient
    from fakesfn.client.pool import ClientPool

_MARKER = "fakesfn"
_KNOWN = frozenset({"seed", "start_time", "region_name", "account_id"})
_POOL: pytest.StashKey[ClientPool] = pytest.StashKey()
# (fakesfn itself is imported when a test first asks for a fixture: a session that never uses
# them pays nothing for the plugin.)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker so ``--strict-markers`` accepts it."""
    config.addinivalue_line(
        "markers",
        "fakesfn(seed=0, start_time=None, region_name='us-east-1', account_id='123456789012'): "
        "configure the sfn and sfn_backend fixtures",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(_MARKER)
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    unknown = set(options) - _KNOWN
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.fakesfn got unknown options: {sorted(unknown)}")
    return options


@pytest.fixture
def sfn_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """A fresh fake Step Functions backend for this test; boto3's stepfunctions clients reach it."""
    options = _options(request)
    start_time = options.get("start_time")
    if start_time is not None and not isinstance(start_time, _dt.datetime):
        raise pytest.UsageError("@pytest.mark.fakesfn(start_time=...) must be a datetime (naive means UTC)")
    from fakesfn.backend import Backend
    from fakesfn.patching import mock_sfn

    region_name = options.get("region_name", DEFAULT_REGION)
    account_id = options.get("account_id", DEFAULT_ACCOUNT_ID)
    backend = Backend(
        seed=options.get("seed", 0), start_time=start_time, region_name=region_name, account_id=account_id
    )
    with mock_sfn(backend=backend, account_id=account_id, region_name=region_name):
        yield backend


@pytest.fixture
def sfn(request: pytest.FixtureRequest, sfn_backend: Backend) -> Iterator[FakeClient]:
    """A botocore Step Functions client answered by ``sfn_backend``."""
    options = _options(request)
    pool = request.config.stash.get(_POOL, None)
    if pool is None:
        from fakesfn.client.pool import ClientPool

        pool = request.config.stash[_POOL] = ClientPool()
    client = pool.lease(
        sfn_backend,
        options.get("region_name", DEFAULT_REGION),
        options.get("account_id", DEFAULT_ACCOUNT_ID),
    )
    yield client
    pool.release(client)
