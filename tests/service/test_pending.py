"""Every API operation answers: implemented ones, and loud refusals for the rest."""

from __future__ import annotations

import botocore.session
import pytest

from fakesfn.service import operations, pending
from fakesfn.service.errors import NotYetImplemented
from fakesfn.service.registry import OPERATIONS, Caller, dispatch


def test_every_botocore_operation_is_registered():
    model = botocore.session.get_session().get_service_model("stepfunctions")
    assert set(pending.ALL_OPERATIONS) == set(model.operation_names)
    assert set(model.operation_names) <= set(OPERATIONS)
    assert operations.pending is pending


@pytest.mark.parametrize("name", pending.PENDING or ["<none>"])
def test_pending_operations_refuse_loudly(client, name):
    if name == "<none>":
        pytest.skip("every operation is implemented")
    store = client.backend.store
    with pytest.raises(NotYetImplemented, match=f"^fakesfn does not implement {name} yet$"):
        dispatch(store, Caller("us-east-1", "123456789012"), name, {})
