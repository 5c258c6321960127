"""Length limits on ARN members, checked for every operation from botocore's model.

AWS's request validator refuses a member longer than the model allows before
the service looks at it (``ValidationException: 1 validation error detected:
Value '...' at 'stateMachineArn' failed to satisfy constraint: Member must have
length less than or equal to 256``); botocore checks only minimums client-side.
Operations check their other model limits (names, tags, page sizes...) where
AWS's answer for them is known; this module covers every ARN member at once.
"""

from __future__ import annotations

import functools
from typing import Any

from botocore.model import OperationNotFoundError

from fakesfn.integrations.sdk import service_model
from fakesfn.service.limits import ModelCheck


@functools.lru_cache(maxsize=64)
def _arn_limits(operation: str) -> tuple[tuple[str, int], ...]:
    model = service_model("stepfunctions")
    try:
        shape = model.operation_model(operation).input_shape
    except OperationNotFoundError:
        return ()
    if shape is None:
        return ()
    return tuple(
        (name, int(member.metadata["max"]))
        for name, member in shape.members.items()
        if name.lower().endswith("arn") and member.type_name == "string" and "max" in member.metadata
    )


def check_arn_lengths(operation: str, params: dict[str, Any]) -> None:
    """Refuse an ARN member longer than the model allows, as AWS's validator does."""
    limits = _arn_limits(operation)
    if not limits:
        return
    check = ModelCheck()
    for name, maximum in limits:
        check.length(name, params.get(name), maximum)
    check.raise_if_any()
