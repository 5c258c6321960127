"""``maxResults`` / ``nextToken`` paging, shared by every ``List*`` operation.

AWS rules (recorded in ListStateMachines/ListExecutions/ListStateMachineVersions):

* ``maxResults`` absent or ``0`` means the default page of 100; above the
  operation's maximum (1000) is a model violation (``ValidationException``);
* a ``nextToken`` longer than the model allows is a model violation too; one
  that this operation did not issue is ``InvalidToken: Invalid Token: 'Invalid
  token'`` (recorded: ListStateMachineAliases).

Tokens are opaque but deterministic: URL-safe base64 of the operation, an
optional scope (the listed machine, say) and the offset of the next item, so the
same calls always yield the same tokens, and a token from another operation or
another machine is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any, Final, TypeVar

from fakesfn.service.errors import InvalidToken, ServiceError
from fakesfn.service.limits import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ModelCheck

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

T = TypeVar("T")

_TOKEN_MAX: Final[Mapping[str, int]] = {"ListExecutions": 3096}
"""Model limits on ``nextToken`` where they differ from the usual 1024."""
_DEFAULT_TOKEN_MAX: Final = 1024


def _invalid() -> ServiceError:
    return InvalidToken("Invalid Token: 'Invalid token'")


def encode_token(operation: str, scope: str, offset: int) -> str:
    """The ``nextToken`` that resumes ``operation`` over ``scope`` at ``offset``."""
    payload = json.dumps({"op": operation, "scope": scope, "at": offset}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii")


def decode_token(token: str, operation: str, scope: str) -> int:
    """The offset a token resumes at; ``InvalidToken`` unless this call issued it."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise _invalid() from None
    if not isinstance(payload, dict) or payload.get("op") != operation or payload.get("scope") != scope:
        raise _invalid()
    offset = payload.get("at")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise _invalid()
    return offset


def _size(params: Mapping[str, Any], maximum: int) -> int:
    return min(int(params.get("maxResults") or DEFAULT_PAGE_SIZE), maximum)


def paginate(
    operation: str,
    items: Sequence[T],
    params: Mapping[str, Any],
    *,
    scope: str = "",
    maximum: int = MAX_PAGE_SIZE,
) -> tuple[list[T], str | None]:
    """One page of ``items`` (already in the operation's order) and the next token.

    Args:
        operation: the API operation name; tokens are only valid for it.
        items: every matching item, in order.
        params: the request (``maxResults``, ``nextToken``).
        scope: what the listing is about (a state machine ARN...); tokens are
            only valid for the same scope.
        maximum: the operation's largest ``maxResults``.
    """
    token = params.get("nextToken")
    check = ModelCheck()
    check.length("nextToken", token, _TOKEN_MAX.get(operation, _DEFAULT_TOKEN_MAX))
    check.at_most("maxResults", params.get("maxResults"), maximum)
    check.raise_if_any()
    size = _size(params, maximum)
    start = 0 if token is None else decode_token(token, operation, scope)
    page = list(items[start : start + size])
    end = start + len(page)
    return page, (encode_token(operation, scope, end) if end < len(items) else None)
