"""AWS's size limits (and fakesfn's nesting limit) on what states pass on, as state failures.

A task result or state output over 256 KiB, an assigned variable (or one Assign's
variables together) over 256 KiB, or an execution's variables over 10 MiB fail the
state with ``States.DataLimitExceeded``. Sizes are measured by :mod:`fakesfn.payload`;
what exceeding them means inside an execution is decided here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.payload import MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH, NOT_TRUNCATED, dump, payload_size, too_deep

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

MAX_VARIABLES_BYTES: Final = 10 * 1024 * 1024
"""AWS: "The maximum combined size for all variables in a single execution is 10 MiB"."""


def check_payload_size(text: str, name: str, *, terminal: bool = False) -> None:
    """AWS: a result or state output over 256 KiB is ``States.DataLimitExceeded``.

    ``name`` is the state (or the task's resource) AWS names in the cause;
    ``terminal`` marks a state output, which no wildcard Retrier or Catcher matches.
    One nested deeper than :data:`~fakesfn.payload.MAX_PAYLOAD_DEPTH` levels fails the
    same way (house limit and wording: AWS documents no nesting limit).
    """
    if too_deep(text):
        raise StatesError(
            ErrorName.DATA_LIMIT_EXCEEDED.value,
            f"The state/task '{name}' returned a result nested deeper than the maximum of "
            f"{MAX_PAYLOAD_DEPTH} levels.",
            terminal=terminal,
        )
    if payload_size(text) > MAX_PAYLOAD_BYTES:
        raise StatesError(
            ErrorName.DATA_LIMIT_EXCEEDED.value,
            f"The state/task '{name}' returned a result with a size exceeding the maximum number of bytes "
            "service limit.",
            terminal=terminal,
        )


def assigned_details(values: dict[str, Any], state_name: str) -> dict[str, Any]:
    """``assignedVariables`` of a StateExited event: each value as a JSON string.

    AWS ("Passing data between states with variables"): "The maximum size of a single
    variable is 256KiB" and "The maximum combined size for all variables in a single
    Assign field is also 256KiB". A larger assignment fails the state with
    ``States.DataLimitExceeded`` (house wording for the cause, in the words of the
    state output limit's).
    """
    texts = {name: dump(value) for name, value in values.items()}
    total = 0
    for name, text in texts.items():
        if too_deep(text):
            raise StatesError(
                ErrorName.DATA_LIMIT_EXCEEDED.value,
                f"The state '{state_name}' assigned the variable '{name}' a value nested deeper than the "
                f"maximum of {MAX_PAYLOAD_DEPTH} levels.",
            )
        size = payload_size(text)
        if size > MAX_PAYLOAD_BYTES:
            raise StatesError(
                ErrorName.DATA_LIMIT_EXCEEDED.value,
                f"The state '{state_name}' assigned the variable '{name}' a value with a size exceeding "
                "the maximum number of bytes service limit.",
            )
        total += size
    if total > MAX_PAYLOAD_BYTES:
        raise StatesError(
            ErrorName.DATA_LIMIT_EXCEEDED.value,
            f"The state '{state_name}' assigned variables with a combined size exceeding "
            "the maximum number of bytes service limit.",
        )
    return {"assignedVariables": texts, "assignedVariablesDetails": NOT_TRUNCATED}


def check_variables_total(env: Env, assigned: dict[str, Any], state_name: str) -> dict[str, int]:
    """Refuse an Assign that takes the execution's variables past 10 MiB; return the sizes.

    Counted over the variables the state can see (its scope and the enclosing ones),
    with each value's serialized size as recorded in the history.
    """
    sizes = {name: payload_size(text) for name, text in assigned["assignedVariables"].items()}
    if env.variables.total_size_after(sizes) > MAX_VARIABLES_BYTES:
        raise StatesError(
            ErrorName.DATA_LIMIT_EXCEEDED.value,
            f"The state '{state_name}' assigned variables that take the execution's variables past "
            "the maximum total size of 10 MiB.",
        )
    return sizes
