"""What the installed botocore knows: tests of newer AWS members skip where it knows less.

fakesfn's floor is botocore 1.35.68, the first release whose Step Functions model has
JSONata and variables. AWS added TestState's ``mock``, ``context``, ``stateName`` and
``stateConfiguration`` members later (botocore 1.41); the floor stays below that because
aioboto3 still pins botocore below 1.41. A real botocore client refuses a member its model
lacks before the request leaves it, so tests that send those members skip, saying so,
where the model lacks them (``nox -s oldest``); everywhere else they run.
"""

from __future__ import annotations

import functools
import re

import botocore
import botocore.loaders
import botocore.model
import botocore.session
import pytest

TEST_STATE_2025: tuple[str, ...] = ("mock", "context", "stateName", "stateConfiguration")
"""TestState's members of November 2025 (botocore 1.41), which arrived together."""


@functools.cache
def _stepfunctions() -> dict:
    return botocore.loaders.create_loader().load_service_model("stepfunctions", "service-2")


def input_members(operation: str) -> frozenset[str]:
    """The request members botocore's Step Functions model has for ``operation``."""
    model = _stepfunctions()
    shape = model["operations"][operation]["input"]["shape"]
    return frozenset(model["shapes"][shape]["members"])


def missing_test_state_members() -> list[str]:
    """The TestState members of :data:`TEST_STATE_2025` the installed model lacks."""
    return [member for member in TEST_STATE_2025 if member not in input_members("TestState")]


def _reason(missing: list[str]) -> str:
    return (
        f"botocore {botocore.__version__}'s Step Functions model has no TestState "
        f"{', '.join(missing)} (added in botocore 1.41)"
    )


needs_test_state_2025 = pytest.mark.skipif(
    bool(missing_test_state_members()), reason=_reason(missing_test_state_members())
)
"""For a test that sends TestState's ``mock``, ``context``, ``stateName`` or ``stateConfiguration``."""


def skip_if_sent_members_unknown(params: dict[str, object]) -> None:
    """Skip a test case whose TestState request ``params`` hold a member the model lacks."""
    missing = [member for member in missing_test_state_members() if member in params]
    if missing:
        pytest.skip(_reason(missing))


_SENDS_2025_MEMBER = re.compile(r"\b(?:" + "|".join(TEST_STATE_2025) + r")\s*=")


def skip_if_test_state_2025_unknown(source: str) -> None:
    """Skip a documentation example that calls ``test_state`` with a member the model lacks."""
    missing = missing_test_state_members()
    if missing and "test_state(" in source and _SENDS_2025_MEMBER.search(source):
        pytest.skip(_reason(missing))


@functools.cache
def partitions() -> frozenset[str]:
    """The partitions of botocore's endpoint data (``aws-eusc`` arrived after botocore 1.37.0)."""
    data = botocore.loaders.create_loader().load_data("endpoints")
    return frozenset(partition["partition"] for partition in data["partitions"])


@functools.cache
def _service(name: str) -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model(name)


def needs_input_member(service: str, operation: str, member: str) -> pytest.MarkDecorator:
    """Skip where the installed model's ``operation`` of ``service`` has no ``member``."""
    shape = _service(service).operation_model(operation).input_shape
    return pytest.mark.skipif(
        shape is None or member not in shape.members,
        reason=f"botocore {botocore.__version__}'s {service} model has no {operation} member {member}",
    )


def needs_error_shape(service: str, code: str) -> pytest.MarkDecorator:
    """Skip where the installed model of ``service`` does not model the error ``code``."""
    return pytest.mark.skipif(
        code not in {shape.name for shape in _service(service).error_shapes},
        reason=f"botocore {botocore.__version__}'s {service} model has no {code} error",
    )
