"""AWS's wording, built the way the service builds it, for the tests to compare against."""

from __future__ import annotations

import re

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/sfn-test"


def message(text: str) -> str:
    """A ``pytest.raises(match=...)`` pattern for a ClientError whose message is exactly ``text``."""
    return "^.*: " + re.escape(text) + "$"


def violation(value: object, field: str, rule: str) -> str:
    """AWS's request-validator message for one model constraint."""
    return (
        f"1 validation error detected: Value '{value}' at '{field}' "
        f"failed to satisfy constraint: Member must {rule}"
    )
