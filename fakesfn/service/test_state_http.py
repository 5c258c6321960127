"""TestState's view of an HTTP Task: the request sent and the response received, as inspection data.

At TRACE, AWS shows ``inspectionData.request`` and ``inspectionData.response``. The
model has each part as strings; the header maps are rendered as JSON text (house
format: AWS's rendering is not recorded). The integration shows each exchange to
the observer this module builds (``TaskServices.http_observer``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakesfn.payload import dump

if TYPE_CHECKING:
    from fakesfn.engine.single_state import Inspection
    from fakesfn.integrations.http_tasks import HttpRequest, RenderedResponse
    from fakesfn.integrations.services import HttpObserver


def http_recorder(inspection: Inspection) -> HttpObserver:
    """An observer recording each HTTP exchange into ``inspection`` (the latest one wins)."""

    def record(request: HttpRequest, response: RenderedResponse) -> None:
        protocol = request.url.split(":", 1)[0]
        inspection.record(
            "request",
            {
                "protocol": protocol,
                "method": request.method,
                "url": request.url,
                "headers": dump(request.headers),
                "body": request.body or "",
            },
        )
        result = response.result
        headers = {name: ", ".join(values) for name, values in result["Headers"].items()}
        inspection.record(
            "response",
            {
                "protocol": protocol,
                "statusCode": str(result["StatusCode"]),
                "statusMessage": result["StatusText"],
                "headers": dump(headers),
                "body": response.body_text,
            },
        )

    return record
