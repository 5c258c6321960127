"""Redrive: continue a failed, timed-out or aborted execution from where it stopped.

AWS: "it continues the failed execution from the unsuccessful step and uses the
same input ... doesn't rerun [successful] steps", and for inline Map and
Parallel states "redrives only the iterations and branches that failed or
aborted". To do that, every fiber leaves a :class:`Resume` record when it stops
unsuccessfully: the state it was in, that state's input and the variable scope
at that moment, and for a Map or Parallel the outcome of each child (a finished
child's output, or the child's own Resume). Redriving replays nothing: it starts
a new root fiber at the recorded state with the recorded input and scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.engine.execution import ExecutionRecord

MAX_REDRIVES: Final = 1000
"""AWS: an execution can be redriven at most 1,000 times."""

REDRIVABLE_PERIOD_SECONDS: Final = 14 * 24 * 3600
"""AWS: an execution is redrivable for 14 days after it stopped."""


@dataclass(slots=True)
class Resume:
    """Where a fiber stopped unsuccessfully, and what its children had done."""

    state_name: str
    input: Any
    env: Env
    children: dict[int, Any] | None = None


@dataclass(frozen=True, slots=True)
class Finished:
    """A Map iteration or Parallel branch that succeeded: redrive reuses its output."""

    output: Any


def not_redrivable_reason(execution: ExecutionRecord, now: float) -> str | None:
    """Why AWS would refuse to redrive ``execution`` now, or ``None`` if it may."""
    if execution.machine_type == "EXPRESS":
        return "Execution is an EXPRESS execution and cannot be redriven"
    if execution.status in ("RUNNING", "SUCCEEDED", "PENDING_REDRIVE"):
        return f"Execution is {execution.status} and cannot be redriven"
    if execution.stop_date is not None and now - execution.stop_date > REDRIVABLE_PERIOD_SECONDS:
        return "Execution redrivable period exceeded"
    if execution.redrive_count >= MAX_REDRIVES:
        return f"Execution has reached the maximum number of redrives ({MAX_REDRIVES})"
    if execution.history.would_overflow(2):
        return "Execution history event limit exceeded"
    if execution.resume is None:
        return "Execution has no unsuccessful state to redrive"
    return None


def redrive_status(execution: ExecutionRecord, now: float) -> tuple[str, str | None]:
    """DescribeExecution's ``redriveStatus`` and ``redriveStatusReason``.

    AWS (DescribeExecution ``redriveStatus``): "You can redrive failed or timed out
    EXPRESS workflows only if they're a part of a Map Run" (REDRIVABLE_BY_MAP_RUN);
    for them "redriveStatusReason is only returned if the child workflows are not
    redrivable. This happens when the child workflow executions have completed
    successfully."
    """
    if execution.map_run_arn is not None and execution.machine_type == "EXPRESS":
        if execution.status in ("FAILED", "TIMED_OUT", "ABORTED"):
            return "REDRIVABLE_BY_MAP_RUN", None
        return "NOT_REDRIVABLE", f"Execution is {execution.status} and cannot be redriven"
    reason = not_redrivable_reason(execution, now)
    return ("REDRIVABLE", None) if reason is None else ("NOT_REDRIVABLE", reason)
