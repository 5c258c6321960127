"""The pytest plugin (registered through the ``pytest11`` entry point).

Fixtures:
    sfn_backend: a fresh :class:`~fakesfn.backend.Backend` per test.
    sfn: a fake Step Functions client on that backend.

Configure both with ``@pytest.mark.fakesfn(seed=..., start_time=...,
region_name=..., account_id=...)``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest

from fakesfn.backend import Backend
from fakesfn.client import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, FakeSFNClient

_MARKER = "fakesfn"
_KNOWN = frozenset({"seed", "start_time", "region_name", "account_id"})


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
def sfn_backend(request: pytest.FixtureRequest) -> Backend:
    """A fresh fake Step Functions backend for this test."""
    options = _options(request)
    start_time = options.get("start_time")
    if start_time is not None and not isinstance(start_time, _dt.datetime):
        raise pytest.UsageError("@pytest.mark.fakesfn(start_time=...) must be an aware datetime")
    return Backend(seed=options.get("seed", 0), start_time=start_time)


@pytest.fixture
def sfn(request: pytest.FixtureRequest, sfn_backend: Backend) -> Any:
    """A botocore Step Functions client answered by ``sfn_backend``."""
    options = _options(request)
    return FakeSFNClient(
        backend=sfn_backend,
        region_name=options.get("region_name", DEFAULT_REGION),
        account_id=options.get("account_id", DEFAULT_ACCOUNT_ID),
    )
