"""Amazon S3 as a Distributed Map reads and writes it, through the user's boto3 session.

``ItemReader`` reads objects and listings, ``ResultWriter`` writes result files.
Both go through ``backend.aws_session`` (moto's ``mock_aws`` works behind it);
S3's refusals become the Map Run's failure (``States.ItemReaderFailed`` or
``States.ResultWriterFailed``) with the cause worded as Step Functions' SDK
integrations word a service error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import ClientError, ParamValidationError

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.integrations.sdk import MISSING_SESSION, ServiceCallError, sdk_error, service_model

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from fakesfn.engine.runtime import Runtime

_CLIENTS_HOOK: Final = "distributed_map_s3_clients"


class S3:
    """The S3 calls of one Map Run.

    Args:
        runtime: the backend's runtime (its ``aws_session``).
        region: the region of the execution running the Map state.
        resource: the ``ItemReader``/``ResultWriter`` resource (named in errors).
        error: the error name S3 failures become.
    """

    def __init__(self, runtime: Runtime, region: str, resource: str, error: str) -> None:
        self._runtime = runtime
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
        """Write ``body`` to ``s3://bucket/key``."""
        self._call(lambda client: client.put_object(Bucket=bucket, Key=key, Body=body))

    def _client(self) -> Any:
        session = self._runtime.aws_session
        if session is None:
            raise StatesError(
                ErrorName.RUNTIME.value, MISSING_SESSION.format(service="s3", arn=self._resource)
            )
        cache: dict[tuple[int, str], tuple[Any, Any]] = self._runtime.hooks.setdefault(_CLIENTS_HOOK, {})
        key = (id(session), self._region)
        cached = cache.get(key)
        if cached is None or cached[0] is not session:
            cached = cache[key] = (session, session.client("s3", region_name=self._region))
        return cached[1]

    def _call(self, request: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        client = self._client()
        try:
            return request(client)
        except ClientError as error:
            meta = error.response.get("ResponseMetadata", {})
            details = error.response.get("Error", {})
            failure = ServiceCallError(
                str(details.get("Code", "Unknown")),
                str(details.get("Message", "")),
                int(meta.get("HTTPStatusCode", 400)),
                str(meta.get("RequestId") or self._runtime.random.uuid()),
                str(meta.get("HostId", "")),
            )
        except ParamValidationError as error:
            message = str(error.kwargs.get("report", error)).strip()
            failure = ServiceCallError("ValidationException", message, 400, self._runtime.random.uuid())
        raise StatesError(self._error, sdk_error(service_model("s3"), failure).cause)
