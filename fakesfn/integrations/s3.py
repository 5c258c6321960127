"""Amazon S3 as a Distributed Map reads and writes it, through the user's boto3 session.

The engine's :class:`~fakesfn.engine.ports.ObjectStorage` port, as the backend fills
it. ``ItemReader`` reads objects and listings, ``ResultWriter`` writes result files.
Both go through ``backend.aws_session`` (moto's ``mock_aws`` works behind it);
S3's refusals become the Map Run's failure (``States.ItemReaderFailed`` or
``States.ResultWriterFailed``) with the cause worded as Step Functions' SDK
integrations word a service error.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from fakesfn.asl.errors import StatesError
from fakesfn.integrations.sdk import sdk_error, service_failure, service_model

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from fakesfn.integrations.services import TaskServices
    from fakesfn.random import SeededRandom


class SessionStorage:
    """Amazon S3 through the session of the backend's :class:`TaskServices` (an ``ObjectStorage``).

    Args:
        services: the backend's integrations (their session and client cache).
        random: where request ids come from when S3 gives none.
    """

    def __init__(self, services: TaskServices, random: SeededRandom) -> None:
        self._services = services
        self._random = random

    def open(self, region: str, resource: str, error: str) -> S3:
        """The S3 calls of one reader or writer (see :class:`~fakesfn.engine.ports.ObjectStorage`)."""
        return S3(self._services, self._random, region, resource, error)


class S3:
    """The S3 calls of one Map Run's reader or writer (an ``ObjectStore``).

    Args:
        services: the backend's integrations (their ``aws_session``).
        random: where request ids come from when S3 gives none.
        region: the region of the execution running the Map state.
        resource: the ``ItemReader``/``ResultWriter`` resource (named in errors).
        error: the error name S3 failures become.
    """

    def __init__(
        self, services: TaskServices, random: SeededRandom, region: str, resource: str, error: str
    ) -> None:
        self._services = services
        self._random = random
        self._region = region
        self._resource = resource
        self._error = error

    def get(self, bucket: Any, key: Any, version: Any = None) -> bytes:
        """The body of ``s3://bucket/key``."""
        params: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version is not None:
            params["VersionId"] = version
        response = self._call(lambda client: client.get_object(**params))
        body: bytes = response["Body"].read()
        return body

    def objects(self, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every object summary ``ListObjectsV2`` returns for ``params``, page after page."""
        request = dict(params)
        while True:
            page = self._call(lambda client: client.list_objects_v2(**request))
            yield from page.get("Contents", ())
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return
            request["ContinuationToken"] = token

    def put(self, bucket: Any, key: str, body: bytes) -> None:
        """Write ``body`` to ``s3://bucket/key`` (with only the checksums S3 requires)."""
        self._call(lambda client: client.put_object(Bucket=bucket, Key=key, Body=body), bulk=True)

    def _call(self, request: Callable[[Any], dict[str, Any]], *, bulk: bool = False) -> dict[str, Any]:
        client = self._services.client("s3", self._region, self._resource, bulk=bulk)
        try:
            return request(client)
        except Exception as error:  # noqa: BLE001 - the user's session answered: its failure is S3's
            failure = service_failure(error, self._random.uuid, functools.partial(_refused, error))
        raise StatesError(self._error, sdk_error(service_model("s3"), failure).cause)


def _refused(error: Exception) -> str:
    """Botocore's refusal of an S3 request (a bucket name S3 cannot have...).

    In botocore's words, unless those are Python's.
    """
    report = str(getattr(error, "kwargs", {}).get("report", error)).strip()
    return "The request is not valid for S3" if "<class" in report else report
