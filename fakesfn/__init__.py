"""fakesfn: an in-process, deterministic, virtual-time fake of AWS Step Functions.

The public surface: :func:`FakeSFNClient` (a real botocore client answered by a
:class:`Backend`), :func:`mock_sfn` (patch ``boto3.client("stepfunctions")``),
:class:`LambdaError`, :class:`HttpRequest` and :class:`HttpResponse` for handlers,
and the virtual clock. Importing this package changes nothing in boto3 or botocore.

Every name is loaded when first used (PEP 562): ``import fakesfn`` costs next to
nothing, and a test suite pays only for what it touches (the notebook display,
graphs, the HTTP server and the engine's rarer parts stay unloaded until asked for).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fakesfn._version import __version__

if TYPE_CHECKING:
    from fakesfn.asl.errors import StatesError
    from fakesfn.backend import Backend
    from fakesfn.client import FakeClient, FakeSFNClient
    from fakesfn.clock import VirtualClock
    from fakesfn.integrations.http_tasks import HttpRequest, HttpResponse
    from fakesfn.integrations.lambda_ import LambdaError
    from fakesfn.notebook import show
    from fakesfn.patching import mock_sfn

_WHERE = {
    "Backend": "fakesfn.backend",
    "FakeClient": "fakesfn.client",
    "FakeSFNClient": "fakesfn.client",
    "HttpRequest": "fakesfn.integrations.http_tasks",
    "HttpResponse": "fakesfn.integrations.http_tasks",
    "LambdaError": "fakesfn.integrations.lambda_",
    "StatesError": "fakesfn.asl.errors",
    "VirtualClock": "fakesfn.clock",
    "mock_sfn": "fakesfn.patching",
    "show": "fakesfn.notebook",
}
"""Where each public name lives; its module is imported on first access."""


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'fakesfn' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "Backend",
    "FakeClient",
    "FakeSFNClient",
    "HttpRequest",
    "HttpResponse",
    "LambdaError",
    "StatesError",
    "VirtualClock",
    "__version__",
    "mock_sfn",
    "show",
]
