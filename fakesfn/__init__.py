"""fakesfn: an in-process, deterministic, virtual-time fake of AWS Step Functions.

The public surface: :func:`FakeSFNClient` (a real botocore client answered by a
:class:`Backend`), :func:`mock_sfn` (patch ``boto3.client("stepfunctions")``),
:class:`LambdaError`, :class:`HttpRequest` and :class:`HttpResponse` for handlers,
and the virtual clock. Importing this package changes nothing in boto3 or botocore.
"""

from __future__ import annotations

from fakesfn._version import __version__
from fakesfn.asl.errors import StatesError
from fakesfn.backend import Backend
from fakesfn.client import FakeClient, FakeSFNClient
from fakesfn.clock import VirtualClock
from fakesfn.integrations.http_tasks import HttpRequest, HttpResponse
from fakesfn.integrations.lambda_ import LambdaError
from fakesfn.notebook import show
from fakesfn.patching import mock_sfn

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
