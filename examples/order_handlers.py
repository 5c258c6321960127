"""Lambda stand-ins for examples/order.asl.json: each function is registered under its LAMBDAS name."""

from __future__ import annotations

_attempts = {"count": 0}


def price_order(event, context):
    """Sum the item prices; fail once with a retriable error, as a flaky pricing service would."""
    _attempts["count"] += 1
    if _attempts["count"] == 1:
        raise PricingUnavailable("pricing service is warming up")
    return {"total": sum(item["price"] for item in event["items"])}


class PricingUnavailable(Exception):
    """A transient error the state machine retries."""


LAMBDAS = {"price-order": price_order}
