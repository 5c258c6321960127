"""Runtime errors of the States language: one exception type, names as data.

Every failure a running state can raise is a :class:`StatesError` carrying an
``error`` name and a ``cause`` text, exactly the pair AWS writes into history
events and ``describe_execution``. Predefined names live in :class:`ErrorName`;
whether a Retrier or Catcher matches a name is decided by :func:`matches` alone.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


class ErrorName(str, enum.Enum):
    """The predefined ``States.*`` error names AWS documents."""

    ALL = "States.ALL"
    BRANCH_FAILED = "States.BranchFailed"
    DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
    EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
    HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
    INTRINSIC_FAILURE = "States.IntrinsicFailure"
    ITEM_READER_FAILED = "States.ItemReaderFailed"
    NO_CHOICE_MATCHED = "States.NoChoiceMatched"
    PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
    PERMISSIONS = "States.Permissions"
    QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
    RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
    RESULT_WRITER_FAILED = "States.ResultWriterFailed"
    RUNTIME = "States.Runtime"
    TASK_FAILED = "States.TaskFailed"
    TIMEOUT = "States.Timeout"

    def __str__(self) -> str:
        return self.value


# AWS ("Error names"): "A States.Runtime error is not retriable, and will always cause
# the execution to fail. A retry or catch on States.ALL will not catch States.Runtime
# errors." Naming it does not help either: a Catcher on ["States.Runtime"] leaves the
# execution failing (recorded: LocalStack's test_catch_states_runtime, 2023-11-23).
_NEVER_MATCHED = frozenset({ErrorName.RUNTIME.value})

# AWS: "States.TaskFailed: A wildcard that matches any known error name except for
# States.Timeout."
_NOT_MATCHED_BY_TASK_FAILED = frozenset(
    {ErrorName.TIMEOUT.value, ErrorName.DATA_LIMIT_EXCEEDED.value, ErrorName.RUNTIME.value}
)


class StatesError(Exception):
    """A failure inside a running state machine: ``error`` name plus ``cause`` text.

    ``cause`` may be ``None``: AWS then omits the field from history and describe
    output rather than writing an empty string. ``aliases`` are further names a
    Retrier or Catcher may use for the same error (a heartbeat timeout is reported
    as ``States.Timeout`` yet matches ``States.HeartbeatTimeout``).
    """

    aliases: tuple[str, ...] = ()

    def __init__(
        self, error: str, cause: str | None = None, *, raised_by_field: bool = False, terminal: bool = False
    ) -> None:
        super().__init__(f"{error}: {cause}" if cause is not None else error)
        self.error = str(error)
        self.cause = cause
        # Raised while evaluating one of the failing state's own fields (not by its
        # task or children): AWS records no <Type>StateFailed for those.
        self.raised_by_field = raised_by_field
        # AWS: "States.DataLimitExceeded ... a terminal error that can't be caught by
        # the States.ALL error type" when a state's output is too large (a task's
        # oversized result, in contrast, is caught by States.ALL: recorded in
        # test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response).
        self.terminal = terminal

    def error_output(self) -> dict[str, str]:
        """What a Catcher hands on: ``{"Error": ..., "Cause": ...}`` (no Cause when there is none)."""
        if self.cause is None:
            return {"Error": self.error}
        return {"Error": self.error, "Cause": self.cause}


def matches(error_equals: Iterable[str], error: str) -> bool:
    """Whether a Retrier's or Catcher's ``ErrorEquals`` list matches ``error``.

    AWS documents that States.ALL catches neither States.Runtime nor
    States.DataLimitExceeded, but real executions show States.ALL catching a
    DataLimitExceeded raised by an oversized task result (conformance case
    test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response); the
    terminal kind (a state's own output too large) is marked on the error instead.
    """
    if error in _NEVER_MATCHED:
        return False
    for name in error_equals:
        if name == error or name == "States.ALL":
            return True
        if name == "States.TaskFailed" and error not in _NOT_MATCHED_BY_TASK_FAILED:
            return True
    return False


def error_matches(error_equals: Iterable[str], error: StatesError) -> bool:
    """Whether ``ErrorEquals`` matches ``error`` by its name or one of its aliases.

    A terminal error (a state output over the payload limit) is matched only by
    its own name, never by a wildcard.
    """
    if error.terminal:
        return error.error in error_equals
    if matches(error_equals, error.error):
        return True
    return any(alias in error_equals for alias in error.aliases)


class StateFieldError(Exception):
    """A failure while evaluating one field of a state, not yet tied to the state.

    AWS words these causes as "An error occurred while executing the state 'S'
    (entered at the event id #N). <detail>"; the language layer knows only the
    detail, the engine adds the prefix (:meth:`for_state`). ``error`` is
    ``States.Runtime`` unless the field says otherwise (``States.QueryEvaluationError``,
    ``States.IntrinsicFailure``...).
    """

    def __init__(
        self, detail: str, error: str = ErrorName.RUNTIME.value, location: str | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.error = error
        self.location = location

    def for_state(self, state_name: str, entered_event_id: int) -> StatesError:
        """The :class:`StatesError` this becomes inside state ``state_name``."""
        return StatesError(
            self.error,
            f"An error occurred while executing the state '{state_name}' "
            f"(entered at the event id #{entered_event_id}). {self.detail}",
            raised_by_field=True,
        )
