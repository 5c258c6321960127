"""Definition builders and the refusal check shared by the JSONata and variables tests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import ROLE_ARN


def jsonata(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    """A machine whose top-level QueryLanguage is JSONata."""
    return {"QueryLanguage": "JSONata", "StartAt": start or next(iter(states)), "States": states, **top}


def jsonpath(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    """A machine in the default query language."""
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def refusal(sfn: Any, definition: dict[str, Any]) -> str:
    """CreateStateMachine's InvalidDefinition message for ``definition``."""
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine(name="refused", definition=json.dumps(definition), roleArn=ROLE_ARN)
    assert caught.value.response["Error"]["Code"] == "InvalidDefinition"
    return str(caught.value.response["Error"]["Message"])
