"""The operation registry: one handler per Step Functions API operation.

Handlers register with ``@operation("StartExecution")``; dispatch, the
"every operation exists" test and ``docs/support.md`` all read :data:`OPERATIONS`.
A handler takes the store, the caller (region and account the client speaks
for) and the request parameters as botocore sent them, and returns the response
body, or raises a :class:`~fakesfn.service.errors.ServiceError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from fakesfn.arns import ArnError
from fakesfn.service.errors import InvalidArn, UnknownOperation
from fakesfn.service.model import check_arn_lengths
from fakesfn.service.partitions import partition_of

if TYPE_CHECKING:
    from fakesfn.service.store import Store


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the region and account their client was made for."""

    region: str
    account_id: str

    @property
    def partition(self) -> str:
        """The ARN partition of the caller's region, from botocore's partition data."""
        return partition_of(self.region)


Handler = Callable[["Store", Caller, dict[str, Any]], dict[str, Any]]
_H = TypeVar("_H", bound=Handler)

OPERATIONS: dict[str, Handler] = {}
"""Operation name (``StartExecution``) -> handler."""


def operation(name: str) -> Callable[[_H], _H]:
    """Register the decorated function as the handler of operation ``name``."""

    def register(handler: _H) -> _H:
        if name in OPERATIONS:
            raise RuntimeError(f"operation {name} registered twice")
        OPERATIONS[name] = handler
        return handler

    return register


def dispatch(store: Store, caller: Caller, name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run operation ``name``; unknown names are refused the way AWS refuses them.

    An ARN the request names that does not parse (:class:`~fakesfn.arns.ArnError`,
    raised by the ARN leaf wherever a handler reads one) is AWS's ``InvalidArn``.
    """
    handler = OPERATIONS.get(name)
    if handler is None:
        raise UnknownOperation(f"Unknown operation {name}")
    check_arn_lengths(name, params)
    try:
        return handler(store, caller, params)
    except ArnError as error:
        raise InvalidArn(error.message) from None
