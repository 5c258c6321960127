"""Task ``Resource`` ARNs: parsed once into what kind of work they name.

AWS checks resources at create time ("The resource provided ... is not
recognized"); the engine then dispatches on :attr:`ResourceRef.kind`. Parsing is
pure string work, so it lives in the language layer; what each kind *does* lives
in :mod:`fakesfn.integrations`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

_LAMBDA_ARN = re.compile(
    r"arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?\Z"
)
_ACTIVITY_ARN = re.compile(r"arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):activity:(.+)\Z")
_SERVICE_ARN = re.compile(
    r"arn:(aws[a-z-]*):states:([a-z0-9-]*):(\d{12})?:([a-zA-Z0-9-]+):([A-Za-z0-9:_.-]+?)(\.sync(?::2)?|\.waitForTaskToken)?\Z"
)

TOKEN_PATTERNS: Final = frozenset({"waitForTaskToken", "sync", "sync:2"})
"""Integration patterns whose tasks carry a token (``$$.Task.Token``)."""


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """A parsed Task resource.

    Attributes:
        arn: the resource as written.
        kind: ``lambda`` (legacy function ARN), ``activity``, ``service`` (an
            optimized integration such as ``lambda:invoke``) or ``aws-sdk``.
        service: the integrated service (``lambda``, ``sqs``, ``dynamodb``...).
        action: the API action (``invoke``, ``sendMessage``...), or the function
            name / activity name for the first two kinds.
        pattern: ``""`` (request-response), ``sync``, ``sync:2`` or ``waitForTaskToken``.
        region: the region named in the ARN ("" when the ARN leaves it out).
        account: the account named in the ARN.
        qualifier: a Lambda version or alias in a function ARN.
    """

    arn: str
    kind: str
    service: str
    action: str
    pattern: str = ""
    region: str = ""
    account: str = ""
    qualifier: str | None = None

    @property
    def carries_token(self) -> bool:
        """Whether its tasks get a task token: activities, callbacks and ``.sync`` jobs."""
        return self.kind == "activity" or self.pattern in TOKEN_PATTERNS

    @property
    def history_resource(self) -> str:
        """``resource`` as AWS writes it in Task* events (``invoke``, ``sendMessage.waitForTaskToken``)."""
        return self.action + (f".{self.pattern}" if self.pattern else "")

    @property
    def history_resource_type(self) -> str:
        """``resourceType`` as AWS writes it in Task* events (``lambda``, ``aws-sdk:s3``)."""
        return f"aws-sdk:{self.service}" if self.kind == "aws-sdk" else self.service


@functools.lru_cache(maxsize=2048)
def parse_resource(arn: str) -> ResourceRef | None:
    """Parse ``arn``; ``None`` when it names nothing Step Functions can run."""
    match = _LAMBDA_ARN.match(arn)
    if match:
        return ResourceRef(
            arn, "lambda", "lambda", match.group(4), "", match.group(2), match.group(3), match.group(5)
        )
    match = _ACTIVITY_ARN.match(arn)
    if match:
        return ResourceRef(arn, "activity", "activity", match.group(4), "", match.group(2), match.group(3))
    match = _SERVICE_ARN.match(arn)
    if not match:
        return None
    service, rest, suffix = match.group(4), match.group(5), match.group(6) or ""
    pattern = suffix[1:]
    if service == "aws-sdk":
        sdk_service, _, action = rest.partition(":")
        if not sdk_service or not action:
            return None
        return ResourceRef(arn, "aws-sdk", sdk_service, action, pattern, match.group(2), match.group(3) or "")
    return ResourceRef(arn, "service", service, rest, pattern, match.group(2), match.group(3) or "")
