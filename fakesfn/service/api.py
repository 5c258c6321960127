"""The backend's Step Functions API as its own integrations call it (nested executions, ``aws-sdk:sfn:*``).

:class:`InProcessApi` is the :class:`~fakesfn.integrations.sdk.StepFunctionsApi` the
backend hands its integrations: botocore's parameter validation stands in for the
wire, then the operation's handler runs on the same store, and a refusal comes back
as the :class:`~fakesfn.integrations.sdk.ServiceCallError` a real call would raise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.validate import ParamValidator

from fakesfn.integrations.sdk import ServiceCallError, service_model
from fakesfn.service.errors import ServiceError
from fakesfn.service.registry import Caller, dispatch

if TYPE_CHECKING:
    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.service.store import Store


class InProcessApi:
    """A :class:`~fakesfn.integrations.sdk.StepFunctionsApi` over the store's own operation handlers."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._validator = ParamValidator()

    def call(self, operation: str, params: dict[str, Any], *, region: str, account_id: str) -> dict[str, Any]:
        """Validate like botocore, then run the operation's handler."""
        shape = service_model("stepfunctions").operation_model(operation).input_shape
        report = self._validator.validate(params, shape) if shape is not None else None
        if report is not None and report.has_errors():
            raise ServiceCallError(
                "ValidationException", report.generate_report(), 400, self._store.random.uuid()
            )
        try:
            return dispatch(self._store, Caller(region, account_id), operation, params)
        except ServiceError as error:
            raise ServiceCallError(
                error.code, error.message, error.status, self._store.random.uuid()
            ) from None

    def execution(self, arn: str) -> ExecutionRecord | None:
        """The execution ``arn`` names."""
        return self._store.executions.get(arn)

    def activity_exists(self, arn: str) -> bool:
        """Whether the activity ``arn`` exists."""
        return arn in self._store.activities
