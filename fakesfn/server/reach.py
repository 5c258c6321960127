"""What a served fake reaches: Step Functions Local's mock file and other services' endpoints.

``fakesfn serve`` takes the settings users of AWS Step Functions Local know:

* ``--mock-config FILE``: its mock configuration (``SFN_MOCK_CONFIG`` there); an
  execution uses a test case when started with ``stateMachineArn="<ARN>#<TestCase>"``;
* ``--aws-endpoint URL``: where ``aws-sdk:*`` and optimized integrations call
  (``AWS_ENDPOINT`` there), such as a moto server or LocalStack;
* ``--lambda-endpoint URL``: where Lambda invocations go (``LAMBDA_ENDPOINT``
  there), such as ``sam local start-lambda``.

Both endpoints are reached with dummy credentials through one
:class:`EndpointSession` set as the backend's ``aws_session``: it hands out boto3
clients bound to the right endpoint, and refuses services it has no endpoint for
the way a backend without a session does (the task fails with ``States.Runtime``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from fakesfn.asl.errors import ErrorName, StatesError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from fakesfn.backend import Backend

DUMMY_CREDENTIALS: Final = ("fakesfn", "fakesfn")
"""What a moto server or LocalStack accepts: they check no signature."""

_NO_ENDPOINT: Final = (
    "fakesfn serve has no endpoint for {service}: start it with --aws-endpoint URL "
    "(--lambda-endpoint URL reaches Lambda only)"
)


class ReachError(ValueError):
    """A setting ``fakesfn serve`` cannot use (an endpoint that is no URL, a mock file that is no JSON)."""


def endpoint_url(value: str, flag: str) -> str:
    """``value`` if it is an http(s) URL with a host, else a :class:`ReachError` naming ``flag``."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReachError(f"{flag} must be an http:// or https:// URL, not {value!r}")
    return value.rstrip("/")


@dataclass(frozen=True)
class EndpointSession:
    """A stand-in for a boto3 session whose clients call the given endpoints.

    Attributes:
        aws_endpoint: every service's endpoint (``--aws-endpoint``), or None.
        lambda_endpoint: Lambda's endpoint (``--lambda-endpoint``), or None for ``aws_endpoint``.
    """

    aws_endpoint: str | None = None
    lambda_endpoint: str | None = None

    def endpoint_for(self, service: str) -> str | None:
        """Where ``service`` is called, or None when nothing was configured for it."""
        if service == "lambda" and self.lambda_endpoint is not None:
            return self.lambda_endpoint
        return self.aws_endpoint

    def client(self, service_name: str, region_name: str | None = None, **options: Any) -> Any:
        """A boto3 client of ``service_name`` bound to its endpoint, with dummy credentials.

        Raises:
            StatesError: ``States.Runtime`` when no endpoint serves ``service_name``.
        """
        import boto3
        from botocore.config import Config

        endpoint = self.endpoint_for(service_name)
        if endpoint is None:
            raise StatesError(ErrorName.RUNTIME.value, _NO_ENDPOINT.format(service=service_name))
        key, secret = DUMMY_CREDENTIALS
        # Local emulators answer S3 on their own host: path-style addressing reaches them.
        config = Config(s3={"addressing_style": "path"}, connect_timeout=10, read_timeout=120)
        session: Any = boto3.session.Session()  # Any: boto3-stubs types client() per literal name
        return session.client(
            service_name,
            region_name=region_name or "us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            config=config,
            **options,
        )


def read_mock_config(path: str) -> Mapping[str, Any]:
    """The parsed mock file, read once at start (a reset loads the same configuration again)."""
    try:
        with open(path, encoding="utf-8") as handle:
            parsed = json.load(handle)
    except OSError as error:
        raise ReachError(f"cannot read the mock configuration {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise ReachError(f"the mock configuration {path} is not JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise ReachError(f"the mock configuration {path} is not a JSON object")
    return parsed


def configure_reach(
    *,
    mock_config: Mapping[str, Any] | None = None,
    aws_endpoint: str | None = None,
    lambda_endpoint: str | None = None,
    then: Callable[[Backend], None] | None = None,
) -> Callable[[Backend], None] | None:
    """A ``configure`` hook for the server: the settings above, after ``then`` (``--handlers``).

    Returns ``then`` itself (None included) when there is nothing else to set.

    The mock configuration is checked now, so a bad file stops the start with a
    clear error instead of failing the first execution.

    Raises:
        ReachError: the mock configuration is one Step Functions Local would refuse.
    """
    from fakesfn.backend import Backend
    from fakesfn.integrations.mocks import MockConfigError

    if mock_config is not None:
        try:
            Backend().mocks.load_config(mock_config)
        except MockConfigError as error:
            raise ReachError(f"the mock configuration is refused: {error}") from None
    session = (
        EndpointSession(aws_endpoint, lambda_endpoint)
        if aws_endpoint is not None or lambda_endpoint is not None
        else None
    )
    if mock_config is None and session is None:
        return then

    def configure(backend: Backend) -> None:
        if then is not None:
            then(backend)
        if mock_config is not None:
            backend.mocks.load_config(mock_config)
        if session is not None:
            backend.aws_session = session

    return configure
