"""What a task reaches while it runs, in one typed object: the backend's integrations.

:class:`TaskServices` is the engine's :class:`~fakesfn.engine.ports.TaskRunner`. It
holds what the backend registers and configures (Lambda and HTTP stand-ins, the
user's AWS session, the in-process Step Functions API, mocks) and what tasks share
while they wait (task tokens, cached AWS clients), and hands itself to every
integration it runs. The backend builds one; the service layer reaches the same
object through its store (``SendTaskSuccess`` finds a token there).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.engine.tasks import TaskEvents
from fakesfn.integrations import catalog as _catalog  # noqa: F401 - registers every integration
from fakesfn.integrations.callbacks import TaskTokens
from fakesfn.integrations.http_tasks import HttpRegistry
from fakesfn.integrations.lambda_ import LambdaRegistry
from fakesfn.integrations.mocks import Mocks, mocked_integration
from fakesfn.integrations.registry import lookup
from fakesfn.integrations.sdk import MISSING_SESSION

if TYPE_CHECKING:
    from fakesfn.engine.ports import TaskBody
    from fakesfn.engine.tasks import TaskCall
    from fakesfn.integrations.http_tasks import HttpRequest, RenderedResponse
    from fakesfn.integrations.sdk import StepFunctionsApi


class AwsSession(Protocol):
    """A boto3 session, as the integrations use it (moto's ``mock_aws`` works behind one)."""

    def client(self, service_name: str, region_name: str | None = None) -> Any:
        """A client of ``service_name`` in ``region_name``."""
        ...


HttpObserver = Callable[["HttpRequest", "RenderedResponse"], None]
"""Shown each HTTP exchange as it happens (TestState's inspection data)."""


@dataclass(eq=False)
class TaskServices:
    """The backend's integrations: runs every Task state's resource.

    Attributes:
        lambdas: the Python handlers standing in for Lambda functions.
        http: the Python handlers answering HTTP Tasks and API Gateway calls.
        tokens: the open task tokens and the activity queues.
        aws_session: the user's boto3 session (``None``: AWS calls fail clearly).
        api: the backend's own Step Functions API (nested executions, ``aws-sdk:sfn:*``).
        mocks: mocked task results, once the user asked for them.
        http_observer: shown each HTTP exchange (TestState only).
        clients: AWS clients made from the session, by (session, service, region, bulk).
    """

    lambdas: LambdaRegistry = field(default_factory=LambdaRegistry)
    http: HttpRegistry = field(default_factory=HttpRegistry)
    tokens: TaskTokens = field(default_factory=TaskTokens)
    aws_session: AwsSession | None = None
    api: StepFunctionsApi | None = None
    mocks: Mocks | None = None
    http_observer: HttpObserver | None = None
    clients: dict[tuple[int, str, str, bool], tuple[Any, Any]] = field(default_factory=dict)

    def run_task(self, call: TaskCall) -> TaskBody:
        """Run the task's integration (a mocked answer first); an unsupported resource fails clearly."""
        integration = mocked_integration(self.mocks, call) if self.mocks is not None else None
        if integration is None:
            integration = lookup(call.resource)
        if integration is None:
            events = TaskEvents(call)
            events.scheduled()
            error = StatesError(
                ErrorName.RUNTIME.value,
                f"fakesfn cannot run the resource '{call.resource.arn}' yet: no integration handles "
                f"{call.resource.kind} '{call.resource.service}:{call.resource.action}'",
            )
            events.failed(error)
            raise error
        result = yield from integration(call, self)
        return result

    def use_mocks(self) -> Mocks:
        """The mocks, made on first use (until then no task is looked up in them)."""
        if self.mocks is None:
            self.mocks = Mocks()
        return self.mocks

    def for_test_state(self, http_observer: HttpObserver) -> TaskServices:
        """The same services for a TestState run: no mocks of the backend's, exchanges observed.

        TestState's own ``mock`` is the only mock that applies to the state under test.
        """
        return dataclasses.replace(self, mocks=None, http_observer=http_observer)

    def client(self, boto_service: str, region: str, arn: str, *, bulk: bool = False) -> Any:
        """A client of the user's session for ``boto_service`` in ``region`` (made once per session).

        ``bulk``: the client writes whole files fakesfn already holds (a ResultWriter's
        results), so it sends only the checksums the service requires (see :func:`_bulk_client`).

        Raises:
            StatesError: there is no session (``States.Runtime``, saying how to set one);
                ``arn`` names the resource that needed it.
        """
        session = self.aws_session
        if session is None:
            raise StatesError(ErrorName.RUNTIME.value, MISSING_SESSION.format(service=boto_service, arn=arn))
        key = (id(session), boto_service, region, bulk)
        cached = self.clients.get(key)
        if cached is None or cached[0] is not session:
            made = _bulk_client(session, boto_service, region) if bulk else None
            if made is None:
                made = session.client(boto_service, region_name=region)
            cached = self.clients[key] = (session, made)
        return cached[1]


def _required_checksums_only() -> Any:
    """A client config that sends only the request checksums a service requires, where botocore has it."""
    from botocore.config import Config  # noqa: PLC0415 - only for the first bulk client

    if "request_checksum_calculation" not in Config.OPTION_DEFAULTS:  # before botocore 1.36
        return None  # such botocore sends only required checksums anyway
    return Config(request_checksum_calculation="when_required")


def _bulk_client(session: AwsSession, boto_service: str, region: str) -> Any:
    """A client for writing whole in-memory files, or ``None`` where the session cannot make one.

    Since 1.36 botocore adds a CRC32 to every upload that can carry one, and sends a
    body with such a checksum in aws-chunked pieces: for the 62 MB result file of a
    100,000-item Map Run that took 2.4 s of CPU and doubled the memory held (moto's S3
    decodes the chunks again), against 0.3 s without. The object written is the same;
    so fakesfn's own writes send only what S3 requires, while the user's own
    ``aws-sdk:s3`` tasks keep the session's settings.
    """
    config = _required_checksums_only()
    if config is None:
        return None
    try:
        return session.client(boto_service, region_name=region, config=config)  # type: ignore[call-arg]
    except TypeError:  # a session object of the user's own that takes no config
        return None
