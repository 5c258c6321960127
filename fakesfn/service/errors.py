"""Service errors: what the Step Functions API answers when a call is refused.

Each class is one AWS error code from botocore's service model. The client transport
encodes a raised :class:`ServiceError` as the JSON-1.0 error body AWS sends
(``{"__type": code, "message": ...}``), so botocore raises the modelled exception
class (``client.exceptions.InvalidArn`` and so on) exactly as it does against AWS.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ServiceError(Exception):
    """A refused API call: an AWS error ``code``, an HTTP ``status`` and a message."""

    code: ClassVar[str] = "InternalFailure"
    status: ClassVar[int] = 400

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON error body AWS sends for this error."""
        return {
            "__type": f"com.amazonaws.swf.service.v2.model#{self.code}",
            "message": self.message,
            **self.extra,
        }


def _error(code: str, status: int = 400) -> type[ServiceError]:
    return type(code, (ServiceError,), {"code": code, "status": status, "__doc__": f"AWS error ``{code}``."})


ActivityAlreadyExists = _error("ActivityAlreadyExists")
ActivityDoesNotExist = _error("ActivityDoesNotExist")
ActivityLimitExceeded = _error("ActivityLimitExceeded")
ActivityWorkerLimitExceeded = _error("ActivityWorkerLimitExceeded")
ConflictException = _error("ConflictException")
ExecutionAlreadyExists = _error("ExecutionAlreadyExists")
ExecutionDoesNotExist = _error("ExecutionDoesNotExist")
ExecutionLimitExceeded = _error("ExecutionLimitExceeded")
ExecutionNotRedrivable = _error("ExecutionNotRedrivable")
InvalidArn = _error("InvalidArn")
InvalidDefinition = _error("InvalidDefinition")
InvalidEncryptionConfiguration = _error("InvalidEncryptionConfiguration")
InvalidExecutionInput = _error("InvalidExecutionInput")
InvalidLoggingConfiguration = _error("InvalidLoggingConfiguration")
InvalidName = _error("InvalidName")
InvalidOutput = _error("InvalidOutput")
InvalidToken = _error("InvalidToken")
InvalidTracingConfiguration = _error("InvalidTracingConfiguration")
MissingRequiredParameter = _error("MissingRequiredParameter")
ResourceNotFound = _error("ResourceNotFound")
ServiceQuotaExceededException = _error("ServiceQuotaExceededException", 402)
StateMachineAlreadyExists = _error("StateMachineAlreadyExists")
StateMachineDeleting = _error("StateMachineDeleting")
StateMachineDoesNotExist = _error("StateMachineDoesNotExist")
StateMachineLimitExceeded = _error("StateMachineLimitExceeded")
StateMachineTypeNotSupported = _error("StateMachineTypeNotSupported")
TaskDoesNotExist = _error("TaskDoesNotExist")
TaskTimedOut = _error("TaskTimedOut")
TooManyTags = _error("TooManyTags")
ValidationException = _error("ValidationException")
ThrottlingException = _error("ThrottlingException")
UnknownOperation = _error("UnknownOperationException")


class NotYetImplemented(ServiceError):
    """An operation the fake does not answer yet: refused loudly, never answered wrongly."""

    code = "UnsupportedOperation"
    status = 400
